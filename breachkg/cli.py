"""The ``breachkg`` command: one short function per verb.

Each verb parses its arguments, calls one pipeline (or output) function, prints, and
turns ``BreachkgError`` into one stderr line and a non-zero exit:
0 ok, 1 findings (validation violations), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from breachkg import __version__
from breachkg.errors import BreachkgError

log = logging.getLogger("breachkg")

#: verb name -> (function adding the sub-parser, function running the verb)
VERBS: dict[str, tuple[Callable[[argparse._SubParsersAction], None], Callable]] = {}


def verb(name: str, add_arguments: Callable[[argparse.ArgumentParser], None], help: str):
    """Register ``func(args) -> int`` as the verb ``name``."""

    def register(func: Callable[[argparse.Namespace], int]):
        def add(sub: argparse._SubParsersAction) -> None:
            doc = (func.__doc__ or help).strip()
            p = sub.add_parser(name, help=help, description=doc)
            add_arguments(p)
            p.set_defaults(_run=func)

        VERBS[name] = (add, func)
        return func

    return register


def store_location(args: argparse.Namespace) -> dict:
    """Where the store is: ``--endpoint``, else ``--store``, else $BREACHKG_STORE, else default."""
    return {
        "endpoint": getattr(args, "endpoint", None) or os.environ.get("BREACHKG_ENDPOINT"),
        "path": getattr(args, "store", None)
        or os.environ.get("BREACHKG_STORE")
        or os.path.join("breachkg-data", "store"),
    }


# --- verbs are registered below, one block each --------------------------------------------


# --- end of verbs ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breachkg",
        description="Knowledge graph of health-sector data breaches and their software "
        "supply chain.",
    )
    parser.add_argument("--version", action="version", version=f"breachkg {__version__}")
    parser.add_argument(
        "--store", metavar="DIR", help="embedded store folder (default ./breachkg-data/store, "
        "or $BREACHKG_STORE)"
    )
    parser.add_argument(
        "--endpoint", metavar="URL", help="use a remote SPARQL 1.1 server instead of the "
        "embedded store (query URL; update and Graph Store URLs are derived)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for add, _ in VERBS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except BreachkgError as err:
        print(f"breachkg {args.verb}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"breachkg {args.verb}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
