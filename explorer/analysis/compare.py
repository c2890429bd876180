"""Two views of a map side by side, and what changed between them.

A comparison is any pair of views: two files, one file at two dates, or observed against
observed + projected (``comparison_views`` builds them). ``compare_views`` reports what
changed in balance and camps, then every relation added, removed or changed, ranked by how
much leaving that one relation out of the after view moves its frustration index (the
count, then the weight; a removed relation is put back instead), ties by name.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from explorer.analysis.balance import frustration_index
from explorer.analysis.report import (
    ContradictoryView,
    analysis_spec,
    analyze_view,
    relation_info,
    view_info,
)
from explorer.analysis.results import (
    BlocMove,
    CentralityMove,
    Comparison,
    RelationChange,
)
from explorer.graph import FilterSpec, filter_graph, signed_graph

__all__ = [
    "COMPARED_FIELDS",
    "compare_views",
    "comparison_views",
    "diff_relations",
    "rank_changes",
    "ranks",
    "relation_effects",
]

#: Relation attributes whose change counts as "changed".
COMPARED_FIELDS = ("type", "sign", "strength", "status", "confidence", "since", "until")


def diff_relations(A: nx.MultiDiGraph[Any], B: nx.MultiDiGraph[Any]) -> dict[str, Any]:
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


def ranks(values: Mapping[Any, float]) -> dict[Any, int]:
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


def _spans(values: Mapping[Any, float]) -> dict[Any, tuple[int, int]]:
    """Each actor's possible positions: best and worst rank however its ties are broken."""
    import bisect

    ordered = sorted(values.values())
    n = len(ordered)
    out = {}
    for actor, value in values.items():
        above = n - bisect.bisect_right(ordered, value)
        below = bisect.bisect_left(ordered, value)
        out[actor] = (above + 1, n - below)
    return out


def rank_changes(
    before: Mapping[str, Mapping[str, float]], after: Mapping[str, Mapping[str, float]]
) -> dict[str, list[CentralityMove]]:
    """Per measure, the actors whose rank moved, biggest move first.

    A move among tied values is no move: an actor is listed only when no way of breaking
    its ties gives the same position before and after. An actor missing on one side has
    rank None there.

    Examples
    --------
    >>> moves = rank_changes({"degree": {"a": 2, "b": 1}}, {"degree": {"a": 1, "b": 3}})
    >>> [(m.actor, m.before, m.after, m.change) for m in moves["degree"]]
    [('a', 1, 2, -1), ('b', 2, 1, 1)]
    >>> rank_changes({"degree": {"a": 1, "b": 1, "c": 2}}, {"degree": {"a": 1, "b": 1, "c": 1}})
    {'degree': []}
    """
    out: dict[str, list[CentralityMove]] = {}
    for measure in before:
        if measure not in after:
            continue
        ra, rb = ranks(before[measure]), ranks(after[measure])
        sa, sb = _spans(before[measure]), _spans(after[measure])
        moves = []
        for actor in sorted(set(ra) | set(rb), key=str):
            a, b = ra.get(actor), rb.get(actor)
            if a is not None and b is not None:
                (lo_a, hi_a), (lo_b, hi_b) = sa[actor], sb[actor]
                if lo_a <= hi_b and lo_b <= hi_a:  # some tie-break keeps its place
                    continue
            elif a is None and b is None:
                continue
            change = None if a is None or b is None else a - b
            moves.append(CentralityMove(actor=str(actor), before=a, after=b, change=change))
        moves.sort(key=lambda m: (-abs(m.change or 0), m.actor))
        out[measure] = moves
    return out


def _bloc_moves(before: Iterable[Iterable[str]], after: Iterable[Iterable[str]]) -> list[BlocMove]:
    """Actors whose bloc-mates changed, with their mates before and after."""
    mates_a = {a: set(b) - {a} for b in before for a in b}
    mates_b = {a: set(b) - {a} for b in after for a in b}
    moves = []
    for actor in sorted(set(mates_a) | set(mates_b)):
        a, b = mates_a.get(actor, set()), mates_b.get(actor, set())
        if a != b:
            moves.append(BlocMove(actor=actor, joined=sorted(b - a), left=sorted(a - b)))
    return moves


def _index(H: nx.MultiDiGraph[Any], time_limit: float) -> tuple[int, float]:
    S = signed_graph(H)
    count = frustration_index(S, time_limit=time_limit)
    weighted = frustration_index(S, weight="weight", time_limit=time_limit)
    return count.index, weighted.cost


def relation_effects(
    A: nx.MultiDiGraph[Any],
    B: nx.MultiDiGraph[Any],
    ids: Iterable[str],
    *,
    time_limit: float = 10.0,
) -> dict[str, tuple[int, float]]:
    """For each relation id, how much it moves ``B``'s frustration index (count, weight).

    A relation in ``B`` is left out of it; a relation only in ``A`` is put back into it.
    The effect is the index with the relation less the index without it: positive when
    the relation adds strain. Relations that sign no pair (neutral, structural) have no
    effect. ``time_limit`` bounds all the solves together.
    """
    started = time.perf_counter()
    base = _index(B, time_limit)
    in_b = {k: (u, v, d) for u, v, k, d in B.edges(keys=True, data=True)}
    in_a = {k: (u, v, d) for u, v, k, d in A.edges(keys=True, data=True)}
    out: dict[str, tuple[int, float]] = {}
    for rid in ids:
        u, v, d = in_b[rid] if rid in in_b else in_a[rid]
        if d.get("structural") or d.get("sign", 0) == 0 or u == v:
            out[rid] = (0, 0.0)
            continue
        left = max(0.1, time_limit - (time.perf_counter() - started))
        H = B.copy()
        if rid in in_b:
            H.remove_edge(u, v, key=rid)
            without = _index(H, left)
            out[rid] = (base[0] - without[0], base[1] - without[1])
        else:
            for n in (u, v):
                if n not in H:
                    H.add_node(n, **A.nodes[n])
            H.add_edge(u, v, key=rid, **d)
            with_it = _index(H, left)
            out[rid] = (with_it[0] - base[0], with_it[1] - base[1])
    return out


def comparison_views(
    G: nx.MultiDiGraph[Any],
    spec: FilterSpec,
    *,
    other: nx.MultiDiGraph[Any] | None = None,
    against: str | None = None,
    projected: bool = False,
    against_scenario: str | None = None,
    include_projected: bool = False,
    labels: tuple[str, str] | None = None,
) -> tuple[
    nx.MultiDiGraph[Any], nx.MultiDiGraph[Any], tuple[str, str], tuple[FilterSpec, FilterSpec]
]:
    """The two views a comparison sets side by side, their labels and their filters.

    Exactly one of ``other`` (a second map read with the same filters), ``against`` (a
    date, or ``"all"``: the same map at another time), ``projected`` (observed against
    observed + projected) and ``against_scenario`` (a scenario id, or ``"main"`` for the
    main forecast: the map under ``spec.scenario``, the main forecast by default, against
    the map under that scenario; both read observed and projected relations). Raises
    ``ValueError`` when none or several are given, ``ContradictoryView`` when the filters
    contradict the comparison and ``ViewError`` for an unknown scenario.
    """
    if sum([other is not None, against is not None, projected, against_scenario is not None]) != 1:
        raise ValueError("a comparison needs exactly one second view")
    if against_scenario is not None:
        return _scenario_views(G, spec, against_scenario, labels)
    if projected:
        if include_projected or spec.statuses:
            raise ContradictoryView(
                "the observed-against-projected comparison sets the statuses itself"
            )
        one = dataclasses.replace(spec, statuses=("observed",))
        two = analysis_spec(spec, include_projected=True)
        return (
            filter_graph(G, one),
            filter_graph(G, two),
            labels or ("observed", "observed + projected"),
            (one, two),
        )
    wanted = analysis_spec(spec, include_projected=include_projected)
    if other is not None:
        return (
            filter_graph(G, wanted),
            filter_graph(other, wanted),
            labels or ("before", "after"),
            (wanted, wanted),
        )
    later = dataclasses.replace(wanted, as_of=against)
    return (
        filter_graph(G, wanted),
        filter_graph(G, later),
        labels or (period_label(spec.as_of), period_label(against)),
        (wanted, later),
    )


def scenario_label(G: nx.MultiDiGraph[Any], scenario: str | None) -> str:
    """How a comparison names a view by its scenario: "main forecast" or the scenario's title."""
    from explorer.filters import ALL_SCENARIOS

    if scenario is None:
        return "main forecast"
    if scenario == ALL_SCENARIOS:
        return "every scenario"
    return f"scenario: {G.graph['scenarios'][scenario]['title']}"


def _scenario_views(
    G: nx.MultiDiGraph[Any], spec: FilterSpec, against: str, labels: tuple[str, str] | None
) -> tuple[
    nx.MultiDiGraph[Any], nx.MultiDiGraph[Any], tuple[str, str], tuple[FilterSpec, FilterSpec]
]:
    from explorer.errors import ViewError
    from explorer.graph import check_scenario

    other = None if against == "main" else against
    try:
        check_scenario(G, other)
    except ViewError as exc:
        raise ViewError("against_scenario", str(exc)) from None
    if spec.statuses and "projected" not in spec.statuses:
        raise ContradictoryView("a scenario comparison reads projected relations")
    one = analysis_spec(spec, include_projected=True)
    two = dataclasses.replace(one, scenario=other)
    names = (scenario_label(G, one.scenario), scenario_label(G, other))
    return filter_graph(G, one), filter_graph(G, two), labels or names, (one, two)


def period_label(as_of: str | None) -> str:
    """How a comparison names a view by its date: "as of 2021-09" or "all periods"."""
    if as_of is None:
        return "as of the latest date"
    return "all periods" if as_of == "all" else f"as of {as_of}"


def compare_views(
    A: nx.MultiDiGraph[Any],
    B: nx.MultiDiGraph[Any],
    *,
    labels: tuple[str, str] = ("before", "after"),
    specs: tuple[FilterSpec, FilterSpec] | None = None,
    clusters: int | None = None,
    measures: Iterable[str] | None = None,
    seed: int | None = 0,
    time_limit: float = 10.0,
    effects: bool = True,
) -> Comparison:
    """Compare two views (already filtered): balance and camps, relations, ranks, blocs.

    ``measures`` limits the centrality measures ranked (default: all; ``()`` for none).
    ``effects=False`` skips ranking the changed relations by their effect on the balance.

    Examples
    --------
    >>> A = nx.MultiDiGraph()
    >>> _ = A.add_edge("a", "b", key="r1", sign=1, strength=1, directed=False,
    ...                structural=False, confidence="high", status="observed")
    >>> B = A.copy()
    >>> B.edges["a", "b", "r1"]["sign"] = -1
    >>> report = compare_views(A, B)
    >>> report.relations["changed"][0]["fields"]
    {'sign': [1, -1]}
    """
    if labels[0] == labels[1]:
        labels = (labels[0] + " (1)", labels[1] + " (2)")
    kwargs: dict[str, Any] = {"clusters": clusters, "measures": measures, "seed": seed}
    started = time.perf_counter()
    one = analyze_view(A, time_limit=time_limit, **kwargs)
    two = analyze_view(B, time_limit=time_limit, **kwargs)
    diff = diff_relations(A, B)
    fields = {c["id"]: c["fields"] for c in diff["changed"]}
    ids = diff["added"] + diff["removed"] + list(fields)
    left = max(0.1, time_limit - (time.perf_counter() - started))
    impact = relation_effects(A, B, ids, time_limit=left) if effects else {}
    where = {k: (u, v, d) for u, v, k, d in A.edges(keys=True, data=True)}
    where.update({k: (u, v, d) for u, v, k, d in B.edges(keys=True, data=True)})
    names = {**one.names, **two.names}
    changes = []
    for rid in ids:
        u, v, d = where[rid]
        kind = (
            "added" if rid in diff["added"] else "removed" if rid in diff["removed"] else "changed"
        )
        count, weight = impact.get(rid, (0, 0.0))
        changes.append(
            RelationChange(
                id=rid,
                change=kind,
                relation=relation_info(u, v, d),
                fields=fields.get(rid, {}),
                index_effect=count,
                weight_effect=weight,
            )
        )

    def order(c: RelationChange) -> tuple[Any, ...]:
        r = c.relation
        return (-abs(c.index_effect), -abs(c.weight_effect), names.get(r.source, r.source),
                names.get(r.target, r.target), r.label, c.id)  # fmt: skip

    changes.sort(key=order)
    specs = specs or (FilterSpec(), FilterSpec())
    return Comparison(
        labels=list(labels),
        summary=[],
        views={labels[0]: view_info(A, specs[0]), labels[1]: view_info(B, specs[1])},
        changes=changes,
        relations=diff,
        centrality_ranks=rank_changes(one.centrality, two.centrality),
        balance={labels[0]: one.balance, labels[1]: two.balance},
        blocs={
            labels[0]: one.blocs,
            labels[1]: two.blocs,
            "moves": [m.to_json() for m in _bloc_moves(one.blocs, two.blocs)],
        },
        tension={labels[0]: one.tension, labels[1]: two.tension},
        clustering=None
        if clusters is None or one.clustering is None or two.clustering is None
        else {labels[0]: one.clustering, labels[1]: two.clustering},
        names=names,
        evidence={**one.evidence, **two.evidence},
    )
