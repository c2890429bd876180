"""One analysis of one view, as plain data: what ``analyze --json`` prints and the app shows.

Which relations are analysed: by default the observed relations of the view (in force at
the view's date, after every other filter). ``include_projected=True`` adds the projected
ones. An explicit ``statuses`` filter in the ``FilterSpec`` wins over both: with
``statuses=("projected",)`` only projected relations are analysed, and asking to include
projected relations while ``statuses`` leaves them out is an error (``ValueError``), not a
silent choice.

The output is described by ``docs/analysis.schema.json``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from explorer.analysis.balance import (
    Clustering,
    Frustration,
    actor_tension,
    clustering,
    frustration_index,
    realignments,
    triangle_census,
)
from explorer.analysis.centrality import MEASURES, Ties, centrality
from explorer.analysis.communities import blocs
from explorer.analysis.paths import SignedPath, shortest_signed_paths, signed_paths
from explorer.graph import FilterSpec, filter_graph, signed_graph
from explorer.memory import collector_paused

__all__ = [
    "FORMAT",
    "analysis_spec",
    "analyze",
    "analyze_view",
    "balance_summary",
    "balance_text",
    "clustering_summary",
    "exact_label",
    "paths_summary",
    "report_text",
    "text_table",
]

#: Format tag of the JSON document, bumped when a field changes meaning.
FORMAT = "stakeholder-explorer-analysis/1"
#: Pairs listed under ``tension.pressure_to_realign``.
TOP_REALIGNMENTS = 10


def analysis_spec(spec: FilterSpec, *, include_projected: bool = False) -> FilterSpec:
    """The view an analysis covers: ``spec`` limited to observed relations unless told.

    Examples
    --------
    >>> analysis_spec(FilterSpec()).statuses
    ('observed',)
    >>> analysis_spec(FilterSpec(), include_projected=True).statuses
    ('observed', 'projected')
    >>> analysis_spec(FilterSpec(statuses=("projected",))).statuses
    ('projected',)
    """
    if spec.statuses:
        if include_projected and "projected" not in spec.statuses:
            raise ValueError(
                "--include-projected contradicts --statuses "
                f"{','.join(spec.statuses)}: drop one of them"
            )
        return spec
    statuses = ("observed", "projected") if include_projected else ("observed",)
    return dataclasses.replace(spec, statuses=statuses)


def _pair(p: tuple[Hashable, Hashable]) -> list[str]:
    return [str(p[0]), str(p[1])]


def balance_summary(S: nx.Graph, result: Frustration) -> dict[str, Any]:
    """The ``balance`` section: frustration, partition, frustrated pairs and triangles."""
    census = triangle_census(S)
    return {
        "frustration_index": result.index,
        "exact": result.exact,
        "method": result.method,
        "notes": list(result.notes),
        "signed_pairs": S.number_of_edges(),
        "partition": [[str(a) for a in side] for side in result.partition],
        "frustrated": [_pair(p) for p in result.frustrated],
        "triangles": {
            "total": census.total,
            "balanced": census.balanced,
            "unbalanced": census.unbalanced,
            "ratio": None if census.ratio is None else round(census.ratio, 4),
            "by_pattern": dict(census.counts),
        },
    }


def clustering_summary(result: Clustering) -> dict[str, Any]:
    """The ``clustering`` section for ``--clusters K``."""
    return {
        "k": result.k,
        "inconsistencies": result.inconsistencies,
        "exact": result.exact,
        "method": result.method,
        "partition": [[str(a) for a in bloc] for bloc in result.partition],
        "inconsistent": [_pair(p) for p in result.inconsistent],
    }


def _tension(S: nx.Graph) -> dict[str, Any]:
    per_actor = actor_tension(S)
    actors = {
        str(a): {
            "unbalanced": t.unbalanced,
            "triangles": t.triangles,
            "relief": None if t.relief is None else _pair(t.relief),
            "eases": t.eases,
            "with": [_pair(p) for p in t.with_whom],
        }
        for a, t in sorted(per_actor.items(), key=lambda kv: (-kv[1].unbalanced, str(kv[0])))
        if t.unbalanced
    }
    pressure = []
    for r in realignments(S)[:TOP_REALIGNMENTS]:
        d = S.edges[r.pair]
        pressure.append(
            {
                "pair": _pair(r.pair),
                "sign": "+" if r.sign > 0 else "-",
                "resolves": r.resolves,
                "creates": r.creates,
                "net": r.net,
                "relations": list(d.get("relations", [])),
            }
        )
    return {"actors": actors, "pressure_to_realign": pressure}


def paths_summary(S: nx.Graph, source: str, target: str, *, cutoff: int = 3) -> dict[str, Any]:
    """The ``paths`` section: shortest and all simple paths up to ``cutoff``, with net signs.

    Raises ``ValueError`` naming an actor that is not in the view.
    """
    import difflib

    for actor in (source, target):
        if actor not in S:
            close = difflib.get_close_matches(actor, [str(a) for a in S], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown actor {actor!r} in this view{hint}")

    def plain(p: SignedPath) -> dict[str, Any]:
        return {
            "actors": [str(a) for a in p.actors],
            "signs": ["+" if x > 0 else "-" for x in p.signs],
            "net": "+" if p.net > 0 else "-",
        }

    return {
        "from": source,
        "to": target,
        "cutoff": cutoff,
        "shortest": [plain(p) for p in shortest_signed_paths(S, source, target)],
        "all": [plain(p) for p in signed_paths(S, source, target, cutoff=cutoff)],
    }


def analyze_view(
    view: nx.MultiDiGraph,
    *,
    clusters: int | None = None,
    measures: Iterable[str] | None = None,
    ties: Ties = "all",
    seed: int | None = 0,
    time_limit: float = 10.0,
    path: tuple[str, str] | None = None,
    cutoff: int = 3,
    signed: nx.Graph | None = None,
) -> dict[str, Any]:
    """Analyse a graph already filtered to the relations wanted; plain data for JSON.

    ``signed`` may pass ``signed_graph(view)`` when the caller has already built it.
    ``time_limit`` bounds each exact solve (frustration, clustering) in seconds; past it
    the answer is the labelled heuristic (``exact`` is False).
    """
    with collector_paused():
        return _analyze_view(
            view,
            signed=signed,
            clusters=clusters,
            measures=measures,
            ties=ties,
            seed=seed,
            time_limit=time_limit,
            path=path,
            cutoff=cutoff,
        )


def _analyze_view(
    view: nx.MultiDiGraph,
    *,
    signed: nx.Graph | None,
    clusters: int | None,
    measures: Iterable[str] | None,
    ties: Ties,
    seed: int | None,
    time_limit: float,
    path: tuple[str, str] | None,
    cutoff: int,
) -> dict[str, Any]:
    S = signed_graph(view) if signed is None else signed
    paths = None if path is None else paths_summary(S, *path, cutoff=cutoff)
    result = frustration_index(S, seed=seed, time_limit=time_limit)
    cent = centrality(view, measures, ties=ties, seed=seed)
    out: dict[str, Any] = {
        "centrality": {
            name: {str(a): round(v, 6) for a, v in c["values"].items()} for name, c in cent.items()
        },
        "centrality_approximate": {name: c["approximate"] for name, c in cent.items()},
        "centrality_ties": ties,
        "blocs": [sorted(str(a) for a in b) for b in blocs(S, seed=seed)],
        "balance": balance_summary(S, result),
        "tension": _tension(S),
    }
    if clusters is not None:
        out["clustering"] = clustering_summary(
            clustering(S, clusters, seed=seed, time_limit=time_limit)
        )
    if paths is not None:
        out["paths"] = paths
    return out


def analyze(
    G: nx.MultiDiGraph,
    spec: FilterSpec | None = None,
    *,
    include_projected: bool = False,
    clusters: int | None = None,
    measures: Iterable[str] | None = None,
    ties: Ties = "all",
    seed: int | None = 0,
    time_limit: float = 10.0,
    path: tuple[str, str] | None = None,
    cutoff: int = 3,
) -> dict[str, Any]:
    """Analyse the view of ``G`` that ``spec`` selects, observed relations only by default.

    Returns the document ``analyze --json`` prints (see ``docs/analysis.schema.json``).

    Examples
    --------
    >>> from explorer.model import Dataset
    >>> from explorer.graph import build_graph
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": a, "name": a, "kind": "state"} for a in "abc"],
    ...     "relations": [{"source": "a", "target": "b", "type": "ally_of"},
    ...                   {"source": "b", "target": "c", "type": "ally_of"},
    ...                   {"source": "a", "target": "c", "type": "rival_of"}]})
    >>> report = analyze(build_graph(ds))
    >>> report["balance"]["frustration_index"], report["balance"]["exact"]
    (1, True)
    """
    wanted = analysis_spec(spec or FilterSpec(), include_projected=include_projected)
    view = filter_graph(G, wanted)
    body = analyze_view(
        view,
        clusters=clusters,
        measures=measures,
        ties=ties,
        seed=seed,
        time_limit=time_limit,
        path=path,
        cutoff=cutoff,
    )
    return {
        "format": FORMAT,
        "title": G.graph.get("title", ""),
        "view": {
            "filters": wanted.to_query(),
            "include_projected": "projected" in wanted.statuses,
            "statuses": list(wanted.statuses),
            "actors": view.number_of_nodes(),
            "relations": view.number_of_edges(),
            "of_actors": G.number_of_nodes(),
            "of_relations": G.number_of_edges(),
        },
        "measures": {name: MEASURES[name].help for name in body["centrality"]},
        **body,
    }


# --- readable text -------------------------------------------------------------------------


def text_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Left-aligned text columns; numbers right-aligned."""
    # A column of whole numbers (degree counts) prints without decimals.
    whole = [
        all(
            isinstance(row[i], int) or (isinstance(row[i], float) and row[i].is_integer())
            for row in rows
        )
        for i in range(len(headers))
    ]
    cells = [[str(h) for h in headers]] + [
        [_cell(int(v) if whole[i] and isinstance(v, float) else v) for i, v in enumerate(row)]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], (int, float)) for row in rows) if rows else False
        for i in range(len(headers))
    ]
    out = []
    for r in cells:
        parts = [
            r[i].rjust(widths[i]) if numeric[i] else r[i].ljust(widths[i])
            for i in range(len(headers))
        ]
        out.append("  " + "  ".join(parts).rstrip())
    return out


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "-"
    return str(value)


def exact_label(section: dict[str, Any]) -> str:
    """ "exact" or a clear warning that the figure is a heuristic upper bound."""
    if section["exact"]:
        return "exact"
    return f"HEURISTIC, not proved optimal ({section['method']})"


def balance_text(balance: dict[str, Any]) -> list[str]:
    """Lines describing a ``balance`` section."""
    tri = balance["triangles"]
    ratio = "-" if tri["ratio"] is None else f"{tri['ratio']:.2f}"
    lines = [
        f"  frustration index: {balance['frustration_index']} of "
        f"{balance['signed_pairs']} signed pairs ({exact_label(balance)})",
        f"  triangles: {tri['total']} ({tri['balanced']} balanced, "
        f"{tri['unbalanced']} unbalanced, balanced ratio {ratio}); "
        + ", ".join(f"{p} {n}" for p, n in tri["by_pattern"].items()),
    ]
    for i, side in enumerate(balance["partition"], start=1):
        lines.append(f"  side {i}: {', '.join(side) if side else '-'}")
    frustrated = ", ".join(f"{u}-{v}" for u, v in balance["frustrated"]) or "none"
    lines.append(f"  frustrated pairs: {frustrated}")
    lines.extend(f"  note: {note}" for note in balance.get("notes", []))
    return lines


def report_text(report: dict[str, Any], *, top: int = 10) -> str:
    """The analysis as readable tables, for ``analyze`` without ``--json``."""
    view = report["view"]
    lines = [
        report["title"],
        f"view: {view['actors']} of {view['of_actors']} actors, {view['relations']} of "
        f"{view['of_relations']} relations; statuses: {', '.join(view['statuses'])}",
        "",
        f"centrality (top {top} by PageRank; ties counted: {report['centrality_ties']}):",
    ]
    cent = report["centrality"]
    names = list(cent)
    lead = "pagerank" if "pagerank" in cent else names[0]
    actors = sorted(cent[lead], key=lambda a: (-cent[lead][a], a))[:top]
    headers = ["actor"] + [
        n + (" (approx.)" if report["centrality_approximate"][n] else "") for n in names
    ]
    lines += text_table(headers, [[a] + [cent[n][a] for n in names] for a in actors])
    multi = [b for b in report["blocs"] if len(b) > 1]
    alone = sum(1 for b in report["blocs"] if len(b) == 1)
    lines += ["", f"blocs on positive ties (Louvain): {len(multi)}, and {alone} actors alone"]
    lines += [f"  {i}. {', '.join(b)}" for i, b in enumerate(multi, start=1)]
    lines += ["", "structural balance (two blocs):"] + balance_text(report["balance"])
    if "clustering" in report:
        c = report["clustering"]
        lines += [
            "",
            f"clusterability into at most {c['k']} blocs: {c['inconsistencies']} inconsistent "
            f"pairs ({exact_label(c)})",
        ]
        lines += [f"  bloc {i}: {', '.join(b)}" for i, b in enumerate(c["partition"], start=1)]
    if "paths" in report:
        paths = report["paths"]
        lines += [
            "",
            f"paths from {paths['from']} to {paths['to']} (up to {paths['cutoff']} steps):",
        ]
        shown = paths["all"] or paths["shortest"]
        if not shown:
            lines.append("  none: they are not connected by signed pairs")
        for p in shown:
            steps = p["actors"][0] + "".join(
                f" -({s})- {a}" for s, a in zip(p["signs"], p["actors"][1:], strict=True)
            )
            word = "friendly" if p["net"] == "+" else "hostile"
            lines.append(f"  {steps}: {word}")
    tension = report["tension"]
    lines += ["", "tension (unbalanced triangles per actor):"]
    if tension["actors"]:
        lines += text_table(
            ["actor", "unbalanced", "triangles", "eased most by changing", "unbalanced with"],
            [
                [
                    a,
                    t["unbalanced"],
                    t["triangles"],
                    "-".join(t["relief"] or []),
                    "; ".join(" & ".join(p) for p in t["with"]),
                ]
                for a, t in tension["actors"].items()
            ],
        )
        lines += ["", "pressure to realign (changing this pair's sign):"]
        lines += text_table(
            ["pair", "sign", "resolves", "creates", "net"],
            [
                ["-".join(p["pair"]), p["sign"], p["resolves"], p["creates"], p["net"]]
                for p in tension["pressure_to_realign"]
            ],
        )
    else:
        lines.append("  none: no actor sits in an unbalanced triangle")
    return "\n".join(lines)
