"""Scenarios: two views of a map side by side, and what changed between them.

A scenario is any pair of views: two files, one file at two dates, or observed against
observed + projected. ``compare_views`` reports relations added, removed and changed (by
relation id), how each actor's centrality rank moved, and balance and blocs before and after.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from explorer.analysis.report import analyze_view, exact_label, text_table

__all__ = [
    "COMPARED_FIELDS",
    "compare_views",
    "comparison_text",
    "diff_relations",
    "rank_changes",
    "ranks",
]

#: Relation attributes whose change counts as "changed".
COMPARED_FIELDS = ("type", "sign", "strength", "status", "confidence", "since", "until")


def diff_relations(A: nx.MultiDiGraph, B: nx.MultiDiGraph) -> dict[str, Any]:
    """Relations only in ``B`` (added), only in ``A`` (removed), and in both but different.

    Relations are matched by id (the edge key). A change lists each field as
    ``[before, after]``.

    Examples
    --------
    >>> A, B = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> _ = A.add_edge("a", "b", key="r1", sign=1, strength=1)
    >>> _ = B.add_edge("a", "b", key="r1", sign=-1, strength=1)
    >>> _ = B.add_edge("b", "c", key="r2", sign=1, strength=2)
    >>> d = diff_relations(A, B)
    >>> d["added"], d["removed"], d["changed"]
    (['r2'], [], [{'id': 'r1', 'source': 'a', 'target': 'b', 'fields': {'sign': [1, -1]}}])
    """
    before = {k: (u, v, d) for u, v, k, d in A.edges(keys=True, data=True)}
    after = {k: (u, v, d) for u, v, k, d in B.edges(keys=True, data=True)}
    changed = []
    for key in sorted(set(before) & set(after), key=str):
        u, v, da = before[key]
        _u, _v, db = after[key]
        fields = {f: [da.get(f), db.get(f)] for f in COMPARED_FIELDS if da.get(f) != db.get(f)}
        if fields:
            changed.append({"id": str(key), "source": str(u), "target": str(v), "fields": fields})
    return {
        "added": sorted(str(k) for k in set(after) - set(before)),
        "removed": sorted(str(k) for k in set(before) - set(after)),
        "changed": changed,
    }


def ranks(values: Mapping[Hashable, float]) -> dict[Hashable, int]:
    """Rank actors by value, highest first, ties sharing the best rank (1, 2, 2, 4).

    Examples
    --------
    >>> ranks({"a": 0.5, "b": 0.9, "c": 0.5})
    {'b': 1, 'a': 2, 'c': 2}
    """
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))
    out: dict[Hashable, int] = {}
    for position, (actor, value) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and previous[1] == value:
            out[actor] = out[previous[0]]
        else:
            out[actor] = position
    return out


def rank_changes(
    before: Mapping[str, Mapping[str, float]], after: Mapping[str, Mapping[str, float]]
) -> dict[str, list[dict[str, Any]]]:
    """Per measure, the actors whose rank moved, biggest move first.

    An actor missing on one side has rank None there.

    Examples
    --------
    >>> moves = rank_changes({"degree": {"a": 2, "b": 1}}, {"degree": {"a": 1, "b": 3}})
    >>> [(m["actor"], m["before"], m["after"], m["change"]) for m in moves["degree"]]
    [('a', 1, 2, -1), ('b', 2, 1, 1)]
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for measure in before:
        if measure not in after:
            continue
        ra, rb = ranks(before[measure]), ranks(after[measure])
        moves = []
        for actor in sorted(set(ra) | set(rb), key=str):
            a, b = ra.get(actor), rb.get(actor)
            if a == b:
                continue
            change = None if a is None or b is None else a - b
            moves.append({"actor": str(actor), "before": a, "after": b, "change": change})
        moves.sort(key=lambda m: (-abs(m["change"] or 0), m["actor"]))
        out[measure] = moves
    return out


def _bloc_moves(before: Iterable[Iterable[str]], after: Iterable[Iterable[str]]) -> list[Any]:
    """Actors whose bloc-mates changed, with their mates before and after."""
    mates_a = {a: set(b) - {a} for b in before for a in b}
    mates_b = {a: set(b) - {a} for b in after for a in b}
    moves = []
    for actor in sorted(set(mates_a) | set(mates_b)):
        a, b = mates_a.get(actor, set()), mates_b.get(actor, set())
        if a != b:
            moves.append(
                {
                    "actor": actor,
                    "joined": sorted(b - a),
                    "left": sorted(a - b),
                }
            )
    return moves


def compare_views(
    A: nx.MultiDiGraph,
    B: nx.MultiDiGraph,
    *,
    labels: tuple[str, str] = ("before", "after"),
    clusters: int | None = None,
    measures: Iterable[str] | None = None,
    seed: int | None = 0,
    time_limit: float = 10.0,
) -> dict[str, Any]:
    """Compare two views (already filtered): relations, ranks, balance and blocs.

    ``measures`` limits the centrality measures ranked (default: all; ``()`` for none).

    Examples
    --------
    >>> A = nx.MultiDiGraph()
    >>> _ = A.add_edge("a", "b", key="r1", sign=1, strength=1, directed=False,
    ...                structural=False, confidence="high")
    >>> B = A.copy()
    >>> B.edges["a", "b", "r1"]["sign"] = -1
    >>> report = compare_views(A, B)
    >>> report["relations"]["changed"][0]["fields"]
    {'sign': [1, -1]}
    """
    kwargs: dict[str, Any] = {"clusters": clusters, "measures": measures, "seed": seed}
    one = analyze_view(A, time_limit=time_limit, **kwargs)
    two = analyze_view(B, time_limit=time_limit, **kwargs)
    balance = {labels[0]: one["balance"], labels[1]: two["balance"]}
    out: dict[str, Any] = {
        "labels": list(labels),
        "views": {
            labels[0]: {"actors": A.number_of_nodes(), "relations": A.number_of_edges()},
            labels[1]: {"actors": B.number_of_nodes(), "relations": B.number_of_edges()},
        },
        "relations": diff_relations(A, B),
        "centrality_ranks": rank_changes(one["centrality"], two["centrality"]),
        "balance": balance,
        "blocs": {
            labels[0]: one["blocs"],
            labels[1]: two["blocs"],
            "moves": _bloc_moves(one["blocs"], two["blocs"]),
        },
        "tension": {labels[0]: one["tension"], labels[1]: two["tension"]},
    }
    if clusters is not None:
        out["clustering"] = {labels[0]: one["clustering"], labels[1]: two["clustering"]}
    return out


def comparison_text(report: dict[str, Any], *, top: int = 10) -> str:
    """The comparison as readable tables, for ``compare`` without ``--json``."""
    one, two = report["labels"]
    views = report["views"]
    lines = [
        f"before: {one} ({views[one]['actors']} actors, {views[one]['relations']} relations)",
        f"after:  {two} ({views[two]['actors']} actors, {views[two]['relations']} relations)",
        "",
    ]
    rel = report["relations"]
    lines.append(
        f"relations: {len(rel['added'])} added, {len(rel['removed'])} removed, "
        f"{len(rel['changed'])} changed"
    )
    lines += [f"  + {r}" for r in rel["added"]]
    lines += [f"  - {r}" for r in rel["removed"]]
    for c in rel["changed"]:
        fields = "; ".join(f"{f}: {a} -> {b}" for f, (a, b) in c["fields"].items())
        lines.append(f"  ~ {c['id']}: {fields}")
    ba, bb = report["balance"][one], report["balance"][two]
    lines += ["", "structural balance:"]
    rows = [
        ["frustration index", ba["frustration_index"], bb["frustration_index"]],
        ["exact", exact_label(ba), exact_label(bb)],
        ["signed pairs", ba["signed_pairs"], bb["signed_pairs"]],
        ["triangles", ba["triangles"]["total"], bb["triangles"]["total"]],
        ["unbalanced triangles", ba["triangles"]["unbalanced"], bb["triangles"]["unbalanced"]],
        ["balanced ratio", ba["triangles"]["ratio"], bb["triangles"]["ratio"]],
    ]
    lines += text_table(["", one, two], rows)
    for label, b in ((one, ba), (two, bb)):
        frustrated = ", ".join(f"{u}-{v}" for u, v in b["frustrated"]) or "none"
        lines.append(f"  frustrated pairs ({label}): {frustrated}")
    if "clustering" in report:
        ca, cb = report["clustering"][one], report["clustering"][two]
        lines.append(
            f"  inconsistencies with at most {ca['k']} blocs: {ca['inconsistencies']} -> "
            f"{cb['inconsistencies']}"
        )
    moves = report["blocs"]["moves"]
    lines += ["", f"blocs on positive ties: {len(moves)} actors changed bloc-mates"]
    for m in moves:
        parts = []
        if m["joined"]:
            parts.append("now with " + ", ".join(m["joined"]))
        if m["left"]:
            parts.append("no longer with " + ", ".join(m["left"]))
        lines.append(f"  {m['actor']}: {'; '.join(parts)}")
    lines += ["", f"centrality rank changes (largest {top} per measure):"]
    for measure, changes in report["centrality_ranks"].items():
        if not changes:
            continue
        lines.append(f"  {measure}:")
        lines += [
            "  " + line
            for line in text_table(
                ["actor", "rank before", "rank after", "change"],
                [[c["actor"], c["before"], c["after"], c["change"]] for c in changes[:top]],
            )
        ]
    return "\n".join(lines)
