"""One store interface, three backends: embedded Oxigraph (default), in-memory, remote SPARQL.

One named graph per source; queries see the union of all graphs as the default graph.
``replace_graph`` is atomic, so re-ingesting a source swaps its graph instead of
duplicating it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

Term = NamedNode | BlankNode | Literal | Triple


@dataclass
class SelectResult:
    """Rows of a SELECT: ``variables`` in projection order, ``rows`` of terms or None."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Store(ABC):
    """What every backend offers (see module docstring)."""

    @abstractmethod
    def replace_graphs(self, graphs: dict[str, Iterable[Quad]]) -> None:
        """Atomically replace each named graph by the given quads (all or nothing)."""

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        self.replace_graphs({graph: quads})

    @abstractmethod
    def remove_graph(self, graph: str) -> None: ...

    @abstractmethod
    def graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """All quads, or those of one named graph."""

    @abstractmethod
    def select(self, sparql: str, timeout: float | None = None) -> SelectResult: ...

    @abstractmethod
    def ask(self, sparql: str, timeout: float | None = None) -> bool: ...

    @abstractmethod
    def construct(self, sparql: str, timeout: float | None = None) -> list[Triple]:
        """CONSTRUCT or DESCRIBE results."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
