"""One analysis of one view, as a typed result: what ``analyze --json`` dumps and the app shows.

Which relations are analysed: by default the observed relations of the view (in force at
the view's date, after every other filter). ``include_projected=True`` adds the projected
ones, and so does naming a scenario (a scenario's view is made of projected relations).
An explicit ``statuses`` filter in the ``FilterSpec`` wins over both: with
``statuses=("projected",)`` only projected relations are analysed, and asking to include
projected relations while ``statuses`` leaves them out is an error (``ContradictoryView``),
not a silent choice.

The result is an ``explorer.analysis.results.Analysis``; ``docs/analysis.schema.json`` is
generated from it. The extra solves (weighted index, swing actors, robustness) share the
time limit as one total with the split itself.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from explorer.analysis.balance import (
    EXACT_MAX_PAIRS,
    SWING_MAX_ACTORS,
    Frustration,
    Swing,
    actor_tension,
    align_split,
    clustering,
    frustration_index,
    realignments,
    swing_actors,
    triangle_census,
)
from explorer.analysis.camps import camp_sides, view_words
from explorer.analysis.centrality import MEASURES, Ties, centrality
from explorer.analysis.communities import blocs
from explorer.analysis.paths import SignedPath, search_signed_paths, shortest_signed_paths
from explorer.analysis.results import (
    Analysis,
    Balance,
    Clustering,
    HoldsInAll,
    PairBasis,
    PathResult,
    Paths,
    Pressure,
    RelationInfo,
    RobustRow,
    SwingBasis,
    Tension,
    TensionActor,
    Triangles,
    ViewInfo,
    Weighted,
)
from explorer.graph import (
    WEIGHT_RULE,
    FilterSpec,
    default_as_of,
    filter_graph,
    relation_weight,
    signed_graph,
    view_note,
)
from explorer.memory import collector_paused

__all__ = [
    "ContradictoryView",
    "UnknownActor",
    "analysis_spec",
    "analyze",
    "analyze_view",
    "balance_of",
    "clustering_summary",
    "paths_summary",
    "relation_info",
    "robustness",
    "tension_of",
]

#: Pairs listed under ``tension.pressure_to_realign``.
TOP_REALIGNMENTS = 10


class ContradictoryView(ValueError):
    """Asked to include projected relations while the status filter leaves them out."""


class UnknownActor(ValueError):
    """A path end that is not an actor of the view."""


def analysis_spec(spec: FilterSpec, *, include_projected: bool = False) -> FilterSpec:
    """The view an analysis covers: ``spec`` limited to observed relations unless told.

    Naming a scenario tells: a scenario's view is the observed relations, the main forecast
    (unless the scenario replaces it) and the scenario's own projected relations, so a
    ``spec.scenario`` reads projected relations as ``include_projected`` does.

    Examples
    --------
    >>> analysis_spec(FilterSpec()).statuses
    ('observed',)
    >>> analysis_spec(FilterSpec(), include_projected=True).statuses
    ('observed', 'projected')
    >>> analysis_spec(FilterSpec(scenario="truce")).statuses
    ('observed', 'projected')
    >>> analysis_spec(FilterSpec(statuses=("projected",))).statuses
    ('projected',)
    """
    if spec.statuses:
        if include_projected and "projected" not in spec.statuses:
            raise ContradictoryView(
                "including projected relations contradicts the status filter "
                f"{', '.join(spec.statuses)}"
            )
        return spec
    projected = include_projected or bool(spec.scenario)
    statuses = ("observed", "projected") if projected else ("observed",)
    return dataclasses.replace(spec, statuses=statuses)


class _Budget:
    """One time limit shared by several solves: each gets what the earlier ones left."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds

    def left(self, floor: float = 0.0) -> float:
        return max(floor, self.deadline - time.perf_counter())


def _pair(p: tuple[Hashable, Hashable]) -> list[str]:
    a, b = str(p[0]), str(p[1])
    return [a, b] if a <= b else [b, a]


def _sides(result: Frustration) -> list[list[str]]:
    return [[str(a) for a in side] for side in result.partition]


def relation_info(u: str, v: str, d: Mapping[str, Any]) -> RelationInfo:
    """One relation (an edge of the graph) as text names it, with its first quote."""
    quotes = [ev.get("quote") for ev in d.get("evidence", []) if ev.get("quote")]
    return RelationInfo(
        source=str(u),
        target=str(v),
        type=str(d.get("type", "")),
        label=str(d.get("label", d.get("type", ""))),
        sign=int(d.get("sign", 0)),
        directed=bool(d.get("directed", True)),
        strength=int(d.get("strength", 1)),
        status=d.get("status", "observed"),
        confidence=d.get("confidence", "medium"),
        weight=relation_weight(d),
        quote=quotes[0] if quotes else None,
    )


def _swing_lists(S: nx.Graph[Any], result: Frustration, swing: Swing) -> list[SwingBasis]:
    out = []
    for actor in sorted(swing.actors or (), key=str):
        other = swing.witness[actor]
        relations: set[str] = set()
        for b in S[actor]:
            d = S.edges[actor, b]
            positive = d["sign"] > 0
            in_reported = positive != (result.side[actor] == result.side[b])
            in_other = positive != (other[actor] == other[b])
            if in_reported or in_other:
                relations.update(d["relations"])
        out.append(SwingBasis(actor=str(actor), relations=sorted(relations)))
    return out


def _swing_fields(swing: Swing) -> tuple[list[str] | None, bool]:
    if swing.actors is None:
        return None, False
    return sorted(str(a) for a in swing.actors), swing.exact


def balance_of(
    S: nx.Graph[Any],
    *,
    seed: int | None = 0,
    time_limit: float = 10.0,
    rows: tuple[list[RobustRow], HoldsInAll | None] = ([], None),
    budget: _Budget | None = None,
) -> Balance:
    """The ``balance`` section: the split, its camps, what strains it and who could swing.

    ``time_limit`` bounds the count split, the weighted split and both searches for swing
    actors together. ``rows`` passes a robustness table already computed.
    """
    budget = budget or _Budget(time_limit)
    result = frustration_index(S, seed=seed, time_limit=budget.left(0.1))
    # Beyond the exact solver, the weighted search starts from the count split and spends
    # one descent, not a full budget: a labelled heuristic either way, at a fraction of the time.
    beyond = not result.exact
    weighted = frustration_index(
        S,
        weight="weight",
        seed=seed,
        time_limit=budget.left(0.1),
        restarts=1 if beyond else None,
        start_from=result.side if beyond else None,
    )
    swing = swing_actors(S, result, time_limit=budget.left())
    # The weighted swing actors may use at most half of what is left, so that the
    # robustness table (computed next, by the caller) keeps its share of the time.
    weighted_swing = swing_actors(S, weighted, time_limit=budget.left() / 2)
    census = triangle_census(S)
    side, parts = camp_sides(S, result)
    swing_list, swing_exact = _swing_fields(swing)
    w_list, w_exact = _swing_fields(weighted_swing)
    return Balance(
        frustration_index=result.index,
        exact=result.exact,
        method=result.method,
        notes=list(result.notes),
        timed_out=result.timed_out,
        signed_pairs=S.number_of_edges(),
        partition=_sides(result),
        camps=[[sorted(a for a in part if side[a] == camp) for camp in (0, 1)] for part in parts],
        frustrated=[_pair(p) for p in result.frustrated],
        triangles=Triangles(
            total=census.total,
            balanced=census.balanced,
            unbalanced=census.unbalanced,
            ratio=None if census.ratio is None else round(census.ratio, 4),
            by_pattern=dict(census.counts),
        ),
        weighted=Weighted(
            frustration_index=weighted.cost,
            exact=weighted.exact,
            method=weighted.method,
            timed_out=weighted.timed_out,
            rule=WEIGHT_RULE,
            partition=_sides(weighted),
            frustrated=[_pair(p) for p in weighted.frustrated],
            swing=w_list,
            swing_exact=w_exact,
        ),
        swing=swing_list,
        swing_exact=swing_exact,
        rests_on=[
            PairBasis(
                pair=_pair(p),
                relations=list(S.edges[p]["relations"]),
                sign=S.edges[p]["sign"],
                weight=S.edges[p]["weight"],
                contested=S.edges[p]["contested"],
            )
            for p in result.frustrated
        ],
        swing_rests_on=_swing_lists(S, result, swing),
        robustness=rows[0],
        holds_in_all=rows[1],
    )


#: The variants of a view the robustness table sets side by side: (words, statuses, floor).
ROBUSTNESS_VARIANTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("observed only", ("observed",), "low"),
    ("observed + projected", ("observed", "projected"), "low"),
    ("observed + projected, medium and high confidence only", ("observed", "projected"), "medium"),
)


def robustness(
    G: nx.MultiDiGraph[Any],
    spec: FilterSpec,
    *,
    seed: int | None = 0,
    time_limit: float = 10.0,
) -> tuple[list[RobustRow], HoldsInAll | None]:
    """The index, camps and frustrated pairs of the view's variants, and what holds in all.

    The variants keep every filter of ``spec`` but its statuses and confidence floor (a
    stricter floor in ``spec`` stays). Not computed (``([], None)``) on maps beyond the
    exact solver's reach, or when ``time_limit`` runs out first.
    """
    from explorer.model import CONFIDENCES

    budget = _Budget(time_limit)
    rows: list[RobustRow] = []
    results: list[tuple[nx.Graph[Any], Frustration]] = []
    for words, statuses, floor in ROBUSTNESS_VARIANTS:
        if CONFIDENCES[spec.min_confidence] > CONFIDENCES[floor]:  # type: ignore[index]
            floor = spec.min_confidence
        variant = dataclasses.replace(spec, statuses=statuses, min_confidence=floor)
        S = signed_graph(filter_graph(G, variant))
        left = budget.left()
        if S.number_of_edges() > EXACT_MAX_PAIRS or left <= 0:
            return [], None
        result = frustration_index(S, seed=seed, time_limit=left)
        if not result.exact or len(result.side) > SWING_MAX_ACTORS:
            return [], None
        results.append((S, result))
        rows.append(
            RobustRow(
                view=words,
                statuses=list(statuses),
                min_confidence=floor,
                signed_pairs=S.number_of_edges(),
                frustration_index=result.index,
                exact=result.exact,
                partition=_sides(result),
                frustrated=[_pair(p) for p in result.frustrated],
            )
        )
    return rows, _holds_in_all(results)


def _holds_in_all(results: list[tuple[nx.Graph[Any], Frustration]]) -> HoldsInAll:
    """Compare every row with the widest (observed + projected): moved actors, shared pairs."""
    common = set.intersection(*(set(r.side) for _S, r in results))
    reference = results[1][1].side
    moved: set[Hashable] = set()
    for S, result in results:
        parts = [set(p) & common for p in nx.connected_components(S.subgraph(result.side))]
        parts = [p for p in parts if p]
        aligned = align_split(result.side, reference, parts)
        moved |= {a for a in aligned if aligned[a] != reference[a]}
    frustrated = set.intersection(*({tuple(_pair(p)) for p in r.frustrated} for _S, r in results))
    return HoldsInAll(
        frustration_index=len({r.index for _S, r in results}) == 1,
        camps=not moved,
        moved=sorted(str(a) for a in moved),
        frustrated=[list(p) for p in sorted(frustrated)],
    )


def clustering_summary(result: Any) -> Clustering:
    """The ``clustering`` section for ``--clusters K``."""
    return Clustering(
        k=result.k,
        inconsistencies=result.inconsistencies,
        exact=result.exact,
        method=result.method,
        timed_out=result.timed_out,
        partition=[[str(a) for a in bloc] for bloc in result.partition],
        inconsistent=[_pair(p) for p in result.inconsistent],
    )


def tension_of(S: nx.Graph[Any]) -> Tension:
    """The ``tension`` section: unbalanced triangles per actor, pairs under pressure."""
    per_actor = actor_tension(S)
    actors = {
        str(a): TensionActor(
            unbalanced=t.unbalanced,
            triangles=t.triangles,
            relief=None if t.relief is None else _pair(t.relief),
            eases=t.eases,
            with_=[_pair(p) for p in t.with_whom],
        )
        for a, t in sorted(per_actor.items(), key=lambda kv: (-kv[1].unbalanced, str(kv[0])))
        if t.unbalanced
    }
    pressure = [
        Pressure(
            pair=_pair(r.pair),
            sign="+" if r.sign > 0 else "-",
            resolves=r.resolves,
            creates=r.creates,
            net=r.net,
            relations=list(S.edges[r.pair].get("relations", [])),
        )
        for r in realignments(S)[:TOP_REALIGNMENTS]
    ]
    return Tension(actors=actors, pressure_to_realign=pressure)


def paths_summary(
    S: nx.Graph[Any], source: str, target: str, *, cutoff: int = 3, time_limit: float | None = None
) -> Paths:
    """The ``paths`` section: shortest and all simple paths up to ``cutoff``, with net signs.

    ``time_limit`` bounds the listing; ``stopped`` says when it, or the most paths listed,
    cut the list short.

    Raises ``UnknownActor`` naming an actor that is not in the view.
    """
    import difflib

    for actor in (source, target):
        if actor not in S:
            close = difflib.get_close_matches(actor, [str(a) for a in S], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownActor(f"unknown actor {actor!r} in this view{hint}")

    def plain(p: SignedPath) -> PathResult:
        return PathResult(
            actors=[str(a) for a in p.actors],
            signs=["+" if x > 0 else "-" for x in p.signs],
            net="+" if p.net > 0 else "-",
        )

    found = search_signed_paths(S, source, target, cutoff=cutoff, time_limit=time_limit)
    return Paths(
        from_=source,
        to=target,
        cutoff=cutoff,
        shortest=[plain(p) for p in shortest_signed_paths(S, source, target)],
        all=[plain(p) for p in found.paths],
        stopped=found.stopped,
    )


def evidence_of(
    view: nx.MultiDiGraph[Any], S: nx.Graph[Any], pairs: Iterable[list[str]]
) -> dict[str, RelationInfo]:
    """The relations behind the signed ``pairs`` of ``view`` as text names them, by id."""
    out: dict[str, RelationInfo] = {}
    for a, b in pairs:
        for rid in S.edges[a, b]["relations"]:
            for u, v in ((a, b), (b, a)):
                d = view.get_edge_data(u, v, key=rid)
                if d is not None:
                    out[str(rid)] = relation_info(u, v, d)
                    break
    return out


def _words(view: nx.MultiDiGraph[Any], spec: FilterSpec) -> str:
    """The view in plain words: its statuses, date and scenario, and what they hide."""
    statuses = " and ".join(spec.statuses or ("observed", "projected")) + " relations"
    if "as_of" in view.graph or "hidden" in view.graph:
        return f"{statuses}, {view_note(view)}"
    return view_words(spec, default_as_of(view))


def view_info(
    view: nx.MultiDiGraph[Any], spec: FilterSpec, whole: nx.MultiDiGraph[Any] | None = None
) -> ViewInfo:
    """Which relations ``view`` holds, in figures and in words."""
    G = view if whole is None else whole
    actors, relations = G.graph.get("map_size") or (G.number_of_nodes(), G.number_of_edges())
    statuses = list(spec.statuses or ("observed", "projected"))
    return ViewInfo(
        filters=spec.to_query(),
        include_projected="projected" in statuses,
        statuses=statuses,
        scenario=getattr(spec, "scenario", None),
        words=_words(view, spec),
        actors=view.number_of_nodes(),
        relations=view.number_of_edges(),
        of_actors=actors,
        of_relations=relations,
    )


def analyze_view(
    view: nx.MultiDiGraph[Any],
    *,
    clusters: int | None = None,
    measures: Iterable[str] | None = None,
    ties: Ties = "all",
    seed: int | None = 0,
    time_limit: float = 10.0,
    path: tuple[str, str] | None = None,
    cutoff: int = 3,
    signed: nx.Graph[Any] | None = None,
    spec: FilterSpec | None = None,
    whole: nx.MultiDiGraph[Any] | None = None,
) -> Analysis:
    """Analyse a graph already filtered to the relations wanted.

    ``signed`` may pass ``signed_graph(view)`` when the caller has already built it.
    ``spec`` is the filter that made the view and ``whole`` the map it was cut from: with
    both, the robustness table is computed too. ``time_limit`` bounds the balance solves
    together (split, weighted split, swing actors, robustness) and the clustering on its
    own; past it the answer is the labelled heuristic (``exact`` is False).
    """
    with collector_paused():
        S = signed_graph(view) if signed is None else signed
        paths = (
            None if path is None else paths_summary(S, *path, cutoff=cutoff, time_limit=time_limit)
        )
        # The solver's first import takes a second on a busy machine: not the solves' time.
        import scipy.optimize  # noqa: F401

        budget = _Budget(time_limit)
        balance = balance_of(S, seed=seed, budget=budget)
        rows: tuple[list[RobustRow], HoldsInAll | None] = ([], None)
        if spec is not None and whole is not None and balance.exact:
            rows = robustness(whole, spec, seed=seed, time_limit=budget.left())
            balance = balance.model_copy(update={"robustness": rows[0], "holds_in_all": rows[1]})
        cent = centrality(view, measures, ties=ties, seed=seed)
        cited = [basis.pair for basis in balance.rests_on] + [
            sorted((s.actor, b)) for s in balance.swing_rests_on for b in S[s.actor]
        ]
        return Analysis(
            title=str(view.graph.get("title", "")),
            view=view_info(view, spec or FilterSpec(), whole),
            measures={name: MEASURES[name].help for name in cent},
            centrality={
                name: {str(a): round(v, 6) for a, v in c["values"].items()}
                for name, c in cent.items()
            },
            centrality_approximate={name: c["approximate"] for name, c in cent.items()},
            centrality_ties=ties,
            blocs=[sorted(str(a) for a in b) for b in blocs(S, seed=seed)],
            balance=balance,
            tension=tension_of(S),
            clustering=None
            if clusters is None
            else clustering_summary(clustering(S, clusters, seed=seed, time_limit=time_limit)),
            paths=paths,
            names={str(a): str(d.get("name", a)) for a, d in view.nodes(data=True)},
            evidence=evidence_of(view, S, cited),
            summary=[],
        )


def analyze(
    G: nx.MultiDiGraph[Any],
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
) -> Analysis:
    """Analyse the view of ``G`` that ``spec`` selects, observed relations only by default.

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
    >>> report.balance.frustration_index, report.balance.exact, report.balance.swing
    (1, True, ['a', 'c'])
    """
    wanted = analysis_spec(spec or FilterSpec(), include_projected=include_projected)
    return analyze_view(
        filter_graph(G, wanted),
        clusters=clusters,
        measures=measures,
        ties=ties,
        seed=seed,
        time_limit=time_limit,
        path=path,
        cutoff=cutoff,
        spec=wanted,
        whole=G,
    )
