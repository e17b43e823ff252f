"""The supply-chain report: top vendors, concentration, special-category exposure, timeline.

``build_report(store, out_dir)`` runs the canned queries and the network analytics, draws
the charts (matplotlib, Agg-free object API: PNG and SVG, deterministic metadata) and
writes ``report.txt``, ``report.md`` or ``report.html`` beside a ``charts/`` folder and
the network as GraphML and GEXF for Gephi.  Every file is written atomically.  Labels are
in French or English (``lang``).
"""

from __future__ import annotations

import html
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from breachkg import analytics
from breachkg.errors import BreachkgParameterError
from breachkg.queries import run_query
from breachkg.rdf_io import write_bytes_atomically
from breachkg.store import Store

matplotlib.rcParams["svg.hashsalt"] = "breachkg"  # stable SVG ids run to run

FORMATS = ("text", "markdown", "html")
LANGS = ("fr", "en")
REPORT_FILES = {"text": "report.txt", "markdown": "report.md", "html": "report.html"}
TOP = 10
DEFAULT_OUT = os.path.join("breachkg-data", "report")

LABELS = {
    "en": {
        "title": "breachkg report: health data breaches and their software supply chain",
        "summary": "Summary",
        "incidents": "incidents",
        "vendors": "vendors",
        "establishments": "establishments",
        "people": "people affected",
        "top_establishments": "Top vendors by establishments using their software",
        "top_people": "Top vendors by people exposed",
        "concentration": "Market concentration (top-level vendors)",
        "hhi": "HHI (0-10000)",
        "cr1": "CR-1",
        "cr3": "CR-3",
        "largest": "largest vendor",
        "special": "Special-category data exposed",
        "timeline": "Timeline of incidents",
        "year": "year",
        "spof": "Single points of failure (articulation points of the supply chain)",
        "betweenness": "betweenness",
        "kind": "kind",
        "vendor": "vendor",
        "category": "category",
        "incident": "incident",
        "none": "nothing found",
        "charts": "Charts",
        "network": "Vendor -> software -> establishment network",
        "exports": "Network for Gephi",
        "components": "connected components (sizes)",
    },
    "fr": {
        "title": "Rapport breachkg : fuites de données de santé et chaîne logicielle",
        "summary": "Synthèse",
        "incidents": "incidents",
        "vendors": "éditeurs",
        "establishments": "établissements",
        "people": "personnes touchées",
        "top_establishments": "Principaux éditeurs par établissements utilisant leurs logiciels",
        "top_people": "Principaux éditeurs par personnes exposées",
        "concentration": "Concentration du marché (groupes d'éditeurs)",
        "hhi": "IHH (0-10000)",
        "cr1": "CR-1",
        "cr3": "CR-3",
        "largest": "premier éditeur",
        "special": "Données sensibles exposées",
        "timeline": "Chronologie des incidents",
        "year": "année",
        "spof": "Points de défaillance uniques (points d'articulation de la chaîne)",
        "betweenness": "intermédiarité",
        "kind": "type",
        "vendor": "éditeur",
        "category": "catégorie",
        "incident": "incident",
        "none": "aucun résultat",
        "charts": "Graphiques",
        "network": "Réseau éditeur -> logiciel -> établissement",
        "exports": "Réseau pour Gephi",
        "components": "composantes connexes (tailles)",
    },
}
KIND_LABELS = {
    "fr": {"vendor": "éditeur", "software": "logiciel", "establishment": "établissement"},
    "en": {"vendor": "vendor", "software": "software", "establishment": "establishment"},
}
COLOURS = {
    "vendor": "#c0392b",
    "software": "#2980b9",
    "establishment": "#27ae60",
    "incident": "#7f8c8d",
}


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class ReportData:
    """Everything the report shows, already computed."""

    lang: str
    by_establishments: list[tuple[str, int]]
    by_people: list[tuple[str, int, int]]
    concentration: analytics.Concentration
    vendor_names: dict[str, str]
    special: list[tuple[str, str, int]]
    timeline: list[tuple[int, int, int]]
    spof: list[tuple[str, str, float]]
    components: list[int]
    totals: dict[str, int]
    network: nx.DiGraph = field(repr=False, default_factory=nx.DiGraph)


@dataclass
class ReportFiles:
    report: Path
    charts: list[Path]
    exports: list[Path]

    @property
    def all(self) -> list[Path]:
        return [self.report, *self.charts, *self.exports]


def format_number(value: float, lang: str) -> str:
    """758912 -> '758 912' (fr, narrow no-break space) or '758,912' (en)."""
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.3f}"
        return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
    text = f"{int(value):,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def format_percent(share: float, lang: str) -> str:
    """0.8333 -> '83,3 %' (fr) or '83.3%' (en)."""
    text = f"{100 * share:.1f}"
    return text.replace(".", ",") + "\u202f%" if lang == "fr" else text + "%"


def _value(row: dict, key: str, default=None):
    term = row.get(key)
    return default if term is None else term.value


def collect_report_data(store: Store, lang: str = "fr") -> ReportData:
    """Run the canned queries and analytics the report needs."""
    if lang not in LANGS:
        raise BreachkgParameterError("lang", f"unknown language {lang!r} (one of fr, en)")
    network = analytics.network_from_store(store)
    names = {n: d.get("name", n) for n, d in network.nodes(data=True)}
    by_est = [
        (_value(r, "vendorName") or _value(r, "vendor"), int(_value(r, "establishments", 0)))
        for r in run_query(store, "establishments-per-vendor").dicts()
    ]
    by_people = [
        (
            _value(r, "vendorName") or _value(r, "vendor"),
            int(_value(r, "people", 0)),
            int(_value(r, "incidents", 0)),
        )
        for r in run_query(store, "people-exposed-per-vendor").dicts()
    ]
    special = [
        (
            _value(r, "description")
            or _value(r, "victimName")
            or _value(r, "incident").rsplit("/", 1)[-1],
            _value(r, "categoryLabel") or _value(r, "category").rsplit("/", 1)[-1],
            int(_value(r, "people", 0) or 0),
        )
        for r in run_query(store, "special-category-incidents", {"lang": lang}).dicts()
    ]
    timeline = [
        (int(_value(r, "year")), int(_value(r, "incidents", 0)), int(_value(r, "people", 0)))
        for r in run_query(store, "incidents-by-year").dicts()
        if _value(r, "year") is not None
    ]
    totals_query = (
        "PREFIX bk: <https://w3id.org/breachkg/ontology#>\n"
        "SELECT (COUNT(DISTINCT ?i) AS ?incidents) (COUNT(DISTINCT ?s) AS ?sources) WHERE {"
        " { ?i a bk:Incident } UNION { ?s a ?c VALUES ?c { bk:NewsArticle bk:Dataset"
        " bk:DatasetRecord bk:Source } } }"
    )
    totals_row = store.select(totals_query).dicts()[0]
    kinds = nx.get_node_attributes(network, "kind")
    totals = {
        "incidents": int(_value(totals_row, "incidents", 0)),
        "sources": int(_value(totals_row, "sources", 0)),
        "vendors": sum(1 for k in kinds.values() if k == "vendor"),
        "software": sum(1 for k in kinds.values() if k == "software"),
        "establishments": analytics.weighted_count(
            network, [n for n, k in kinds.items() if k == "establishment"]
        ),
    }
    return ReportData(
        lang=lang,
        by_establishments=by_est,
        by_people=by_people,
        concentration=analytics.vendor_concentration(network),
        vendor_names=names,
        special=special,
        timeline=timeline,
        spof=[(name, kind, b) for _, name, kind, b in analytics.single_points_of_failure(network)],
        components=analytics.component_sizes(network),
        totals=totals,
        network=network,
    )


# --- charts -----------------------------------------------------------------------------------


def _save(fig: Figure, base: Path) -> list[Path]:
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, metadata=meta, bbox_inches="tight", dpi=110)
        paths.append(write_bytes_atomically(base.with_suffix("." + ext), buf.getvalue()))
    return paths


def _bar_chart(
    labels: list[str], values: list[float], title: str, xlabel: str, colour: str, lang: str
) -> Figure:
    fig = Figure(figsize=(8, 0.45 * max(len(labels), 2) + 1.2))
    ax = fig.add_subplot()
    positions = range(len(labels))
    ax.barh(list(positions), values, color=colour)
    ax.set_yticks(list(positions), labels=labels)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_number(x, lang)))
    for pos, value in zip(positions, values, strict=True):
        ax.annotate(
            format_number(value, lang),
            (value, pos),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    return fig


def _timeline_chart(data: ReportData, labels: dict[str, str]) -> Figure:
    fig = Figure(figsize=(8, 3.6))
    ax = fig.add_subplot()
    years = [y for y, _, _ in data.timeline]
    ax.bar(years, [n for _, n, _ in data.timeline], color="#8e44ad")
    ax.set_title(labels["timeline"])
    ax.set_xlabel(labels["year"])
    ax.set_ylabel(labels["incidents"])
    if years:
        ax.set_xticks(years, labels=[str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def network_picture_graph(network: nx.DiGraph, top: int = TOP) -> nx.DiGraph:
    """The vendor -> software -> establishment subgraph of the ``top`` biggest vendor groups."""
    depending = analytics.vendor_establishments(network)
    vendors = [v for v, _, _ in analytics.vendor_dependency(network, top_level_only=True)][:top]
    if len(vendors) < top:  # small graphs: also the groups known only for their software
        publishing: dict[str, int] = {}
        for _, publisher, d in network.edges(data=True):
            if d["relation"] == "publishedBy":
                for v in analytics.vendor_ancestors(network, publisher):
                    if analytics.is_top_level(network, v) and v not in vendors:
                        publishing[v] = publishing.get(v, 0) + 1
        ranked = sorted(publishing, key=lambda v: (-publishing[v], network.nodes[v].get("name", v)))
        vendors += ranked[: top - len(vendors)]
    keep: set[str] = set()
    for vendor in vendors:
        keep.add(vendor)
        keep.update(list(depending.get(vendor, ()))[:40])
    for sw, publisher, d in network.edges(data=True):
        if d["relation"] == "publishedBy" and analytics.vendor_ancestors(network, publisher) & keep:
            keep.update({sw, publisher})
    sub = nx.DiGraph()
    for s, o, d in network.edges(data=True):
        if d["relation"] in analytics.SUPPLY_RELATIONS and s in keep and o in keep:
            sub.add_node(s, **network.nodes[s])
            sub.add_node(o, **network.nodes[o])
            sub.add_edge(o, s)  # drawn supplier first: vendor -> software -> establishment
    layers = {"vendor": 0, "software": 1}
    for _, d in sub.nodes(data=True):
        d["layer"] = layers.get(d.get("kind"), 2)
    return sub


def layered_positions(sub: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Columns vendor | software | establishment, each ordered after its suppliers (few crossings)."""
    order: dict[str, float] = {}
    vendors = [n for n, d in sub.nodes(data=True) if d["layer"] == 0]
    children = {
        v: sorted(c for c in sub.successors(v) if sub.nodes[c]["layer"] == 0) for v in vendors
    }
    roots = sorted(
        (v for v in vendors if not any(sub.nodes[p]["layer"] == 0 for p in sub.predecessors(v))),
        key=lambda v: (-len(nx.descendants(sub, v)), sub.nodes[v].get("name", v)),
    )
    column: list[str] = []
    for root in roots:
        todo = [root]
        while todo:
            node = todo.pop(0)
            if node not in column:
                column.append(node)
                todo = children.get(node, []) + todo
    column += sorted(set(vendors) - set(column))
    order.update({v: i for i, v in enumerate(column)})
    for layer in (1, 2):
        nodes = [n for n, d in sub.nodes(data=True) if d["layer"] == layer]

        def barycentre(n: str) -> tuple[float, str]:
            ups = [order[p] for p in sub.predecessors(n) if p in order]
            return (sum(ups) / len(ups) if ups else 0.0, sub.nodes[n].get("name", n))

        for i, n in enumerate(sorted(nodes, key=barycentre)):
            order[n] = i
    pos = {}
    for n, d in sub.nodes(data=True):
        size = sum(1 for _, e in sub.nodes(data=True) if e["layer"] == d["layer"])
        pos[n] = (float(d["layer"]), 1.0 - (order[n] + 0.5) / max(size, 1))
    return pos


def _network_chart(data: ReportData, labels: dict[str, str]) -> Figure:
    sub = network_picture_graph(data.network)
    fig = Figure(figsize=(10, 8))
    ax = fig.add_subplot()
    ax.set_title(labels["network"])
    ax.set_axis_off()
    if sub.number_of_nodes() == 0:
        ax.text(0.5, 0.5, labels["none"], ha="center", va="center")
        return fig
    pos = layered_positions(sub)
    kinds = [sub.nodes[n].get("kind", "establishment") for n in sub]
    sizes = [120 + 25 * min(sub.nodes[n].get("members", 1), 40) for n in sub]
    nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.4, arrows=True, arrowsize=8)
    nx.draw_networkx_nodes(
        sub, pos, ax=ax, node_color=[COLOURS.get(k, "#999") for k in kinds], node_size=sizes
    )
    shown = {
        n: sub.nodes[n].get("name", n)
        for n in sub
        if sub.number_of_nodes() <= 80 or sub.nodes[n].get("kind") != "establishment"
    }
    nx.draw_networkx_labels(sub, pos, labels=shown, ax=ax, font_size=7)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=COLOURS[k], label=label)
        for k, label in KIND_LABELS[data.lang].items()
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


def draw_charts(data: ReportData, charts_dir: Path) -> list[Path]:
    """Bar charts of vendors, the timeline and the network picture, as PNG and SVG."""
    labels = LABELS[data.lang]
    charts_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    top_est = data.by_establishments[:TOP]
    paths += _save(
        _bar_chart(
            [n for n, _ in top_est],
            [v for _, v in top_est],
            labels["top_establishments"],
            labels["establishments"],
            "#27ae60",
            data.lang,
        ),
        charts_dir / "vendors-by-establishments",
    )
    top_people = data.by_people[:TOP]
    paths += _save(
        _bar_chart(
            [n for n, _, _ in top_people],
            [v for _, v, _ in top_people],
            labels["top_people"],
            labels["people"],
            "#c0392b",
            data.lang,
        ),
        charts_dir / "vendors-by-people",
    )
    paths += _save(_timeline_chart(data, labels), charts_dir / "timeline")
    paths += _save(_network_chart(data, labels), charts_dir / "network")
    return paths


# --- text -------------------------------------------------------------------------------------


def report_sections(data: ReportData) -> list[Section]:
    lab = LABELS[data.lang]
    num = lambda v: format_number(v, data.lang)  # noqa: E731
    conc = data.concentration
    largest = data.vendor_names.get(conc.shares[0][0], conc.shares[0][0]) if conc.shares else "-"
    return [
        Section(
            lab["summary"],
            ["", ""],
            [
                [lab["incidents"], num(data.totals["incidents"])],
                [lab["vendors"], num(data.totals["vendors"])],
                [lab["establishments"], num(data.totals["establishments"])],
                [lab["components"], ", ".join(str(c) for c in data.components[:10]) or "-"],
            ],
        ),
        Section(
            lab["top_establishments"],
            [lab["vendor"], lab["establishments"]],
            [[n, num(v)] for n, v in data.by_establishments[:TOP]],
        ),
        Section(
            lab["top_people"],
            [lab["vendor"], lab["people"], lab["incidents"]],
            [[n, num(v), num(i)] for n, v, i in data.by_people[:TOP]],
        ),
        Section(
            lab["concentration"],
            ["", ""],
            [
                [lab["hhi"], num(round(conc.hhi))],
                [lab["cr1"], format_percent(conc.cr1, data.lang)],
                [lab["cr3"], format_percent(conc.cr3, data.lang)],
                [lab["largest"], largest],
            ],
        ),
        Section(
            lab["special"],
            [lab["incident"], lab["category"], lab["people"]],
            [[i, c, num(p)] for i, c, p in data.special[: 3 * TOP]],
        ),
        Section(
            lab["timeline"],
            [lab["year"], lab["incidents"], lab["people"]],
            [[str(y), num(n), num(p)] for y, n, p in data.timeline],
        ),
        Section(
            lab["spof"],
            ["", lab["kind"], lab["betweenness"]],
            [[n, KIND_LABELS[data.lang].get(k, k), f"{b:.3f}"] for n, k, b in data.spof[:TOP]],
        ),
    ]


def _text_table(section: Section) -> list[str]:
    widths = [
        max(len(c), *(len(r[i]) for r in section.rows)) for i, c in enumerate(section.columns)
    ]
    lines = []
    if any(section.columns):
        lines.append(
            "  "
            + "  ".join(c.ljust(w) for c, w in zip(section.columns, widths, strict=True)).rstrip()
        )
    for row in section.rows:
        lines.append(
            "  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        )
    return lines


def render_text(data: ReportData, charts: list[Path], out_dir: Path) -> str:
    lab = LABELS[data.lang]
    lines = [lab["title"], "=" * len(lab["title"]), ""]
    for section in report_sections(data):
        lines += [section.title, "-" * len(section.title)]
        lines += _text_table(section) if section.rows else [f"  ({lab['none']})"]
        lines.append("")
    lines += [lab["charts"], "-" * len(lab["charts"])]
    lines += [f"  {p.relative_to(out_dir)}" for p in charts]
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(data: ReportData, charts: list[Path], out_dir: Path) -> str:
    lab = LABELS[data.lang]
    lines = [f"# {lab['title']}", ""]
    for section in report_sections(data):
        lines += [f"## {section.title}", ""]
        if not section.rows:
            lines += [f"_{lab['none']}_", ""]
            continue
        header = [c or " " for c in section.columns]
        lines.append("| " + " | ".join(_md_cell(c) for c in header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in section.rows]
        lines.append("")
    lines += [f"## {lab['charts']}", ""]
    for png in [p for p in charts if p.suffix == ".png"]:
        rel = png.relative_to(out_dir).as_posix()
        lines += [f"![{png.stem}]({rel}) ([SVG]({rel[:-4]}.svg))", ""]
    return "\n".join(lines)


def render_html(data: ReportData, charts: list[Path], out_dir: Path) -> str:
    lab = LABELS[data.lang]
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{data.lang}"><head><meta charset="utf-8">',
        f"<title>{esc(lab['title'])}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        "td:not(:first-child){text-align:right}img{max-width:100%}</style></head><body>",
        f"<h1>{esc(lab['title'])}</h1>",
    ]
    for section in report_sections(data):
        parts.append(f"<h2>{esc(section.title)}</h2>")
        if not section.rows:
            parts.append(f"<p><em>{esc(lab['none'])}</em></p>")
            continue
        parts.append("<table>")
        if any(section.columns):
            parts.append("<tr>" + "".join(f"<th>{esc(c)}</th>" for c in section.columns) + "</tr>")
        for row in section.rows:
            parts.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>")
        parts.append("</table>")
    parts.append(f"<h2>{esc(lab['charts'])}</h2>")
    for svg in [p for p in charts if p.suffix == ".svg"]:
        rel = svg.relative_to(out_dir).as_posix()
        parts.append(
            f'<figure><img src="{esc(rel)}" alt="{esc(svg.stem)}">'
            f'<figcaption><a href="{esc(rel[:-4])}.png">PNG</a></figcaption></figure>'
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html}


def build_report(
    store: Store,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT,
    fmt: str = "markdown",
    lang: str = "fr",
) -> ReportFiles:
    """Write the report, its charts (PNG + SVG) and the network (GraphML, GEXF) in out_dir."""
    if fmt not in FORMATS:
        raise BreachkgParameterError(
            "format", f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})"
        )
    out = Path(out_dir)
    data = collect_report_data(store, lang)
    out.mkdir(parents=True, exist_ok=True)
    charts = draw_charts(data, out / "charts")
    exports = [
        analytics.write_graphml(data.network, out / "supply-chain.graphml"),
        analytics.write_gexf(data.network, out / "supply-chain.gexf"),
    ]
    text = RENDERERS[fmt](data, charts, out)
    report = write_bytes_atomically(out / REPORT_FILES[fmt], text.encode("utf-8"))
    return ReportFiles(report, charts, exports)
