"""From a ``Dataset`` to networkx graphs, and the one filter specification.

``build_graph`` keeps everything: a ``MultiDiGraph`` with one edge per relation, keyed by the
relation id. An undirected relation is one edge from ``source`` to ``target`` with
``directed=False``; code that walks the graph treats it as going both ways.

``FilterSpec`` (defined in ``explorer.filters``) is the single description of a view;
``filter_graph`` applies it and records on the view what the view's date and scenario hide,
which ``view_note`` says in words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from explorer.errors import ViewError
from explorer.filters import ALL_PERIODS, ALL_SCENARIOS, FilterSpec
from explorer.memory import collector_paused_during
from explorer.model import CONFIDENCES, SIGNS, Dataset, PartialDate, Sign, Status, did_you_mean

__all__ = [
    "ALL_PERIODS",
    "STATUS_WEIGHT",
    "WEIGHT_RULE",
    "FilterSpec",
    "Hidden",
    "build_graph",
    "check_scenario",
    "default_as_of",
    "ego_network",
    "filter_graph",
    "hidden_in",
    "relation_weight",
    "signed_graph",
    "ViewStats",
    "view_note",
    "filters_in_words",
    "view_stats",
    "view_summary",
]


@collector_paused_during
def build_graph(dataset: Dataset) -> nx.MultiDiGraph[Any]:
    """Return a ``MultiDiGraph`` of the dataset: actors as nodes, one edge per relation.

    Node attributes: every actor field, plus ``label`` (the name). Edge attributes: every
    relation field, with ``sign`` as +1 / 0 / -1, ``start`` and ``end`` (first and last day
    of ``since`` and ``until``, or None), ``directed`` and ``structural`` from the type,
    ``sources`` (the source ids cited) and ``n_sources``. A projected relation with no
    ``since`` starts when the earliest source it cites was published: a prediction is made
    when it is published. Graph attributes: ``title``, ``description``, the ``dataset``
    itself, ``latest`` and ``latest_text`` (see ``default_as_of``) and ``scenarios`` (by id:
    ``title``, ``description`` and ``replaces_main``, as plain data).

    >>> from explorer.model import Dataset
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": "a", "name": "A", "kind": "state"},
    ...                {"id": "b", "name": "B", "kind": "state"}],
    ...     "relations": [{"source": "a", "target": "b", "type": "rival_of"}]})
    >>> G = build_graph(ds)
    >>> G.edges["a", "b", "a__rival_of__b"]["sign"]
    -1
    """
    G: nx.MultiDiGraph[Any] = nx.MultiDiGraph(
        title=dataset.title, description=dataset.description or ""
    )
    G.graph["dataset"] = dataset
    vocab = dataset.vocab
    for actor in dataset.actors:
        G.add_node(
            actor.id,
            id=actor.id,
            label=actor.name,
            name=actor.name,
            kind=actor.kind,
            aliases=list(actor.aliases),
            description=actor.description or "",
            tags=list(actor.tags),
            since=actor.since.text if actor.since else None,
            until=actor.until.text if actor.until else None,
            note=actor.note or "",
        )
    latest: PartialDate | None = None

    def later(date: PartialDate | None) -> None:
        nonlocal latest
        if date is not None and (latest is None or date.last > latest.last):
            latest = date

    published = {s.id: s.published for s in dataset.sources if s.published is not None}
    for rel, rel_id in zip(dataset.relations, dataset.relation_ids, strict=True):
        rtype = vocab.relation_types[rel.type]
        cited = sorted({ev.source for ev in rel.evidence})
        start = rel.since.first if rel.since else None
        if start is None and rel.status == "projected":
            start = min((published[s].first for s in cited if s in published), default=None)
        end = rel.until.last if rel.until else None
        later(rel.since)
        later(rel.until)
        G.add_edge(
            rel.source,
            rel.target,
            key=rel_id,
            id=rel_id,
            type=rel.type,
            label=rtype.label,
            sign=dataset.sign_of(rel),
            strength=rel.strength,
            status=rel.status,
            confidence=rel.confidence,
            since=rel.since.text if rel.since else None,
            until=rel.until.text if rel.until else None,
            start=start,
            end=end,
            directed=rtype.directed,
            structural=rtype.structural,
            evidence=[ev.model_dump(exclude_none=True) for ev in rel.evidence],
            sources=cited,
            n_sources=len(cited),
            note=rel.note or "",
            tags=list(rel.tags),
            scenario=rel.scenario,
        )
    for date in [s.published for s in dataset.sources]:
        later(date)
    for actor in dataset.actors:
        later(actor.since)
        later(actor.until)
    G.graph["latest"] = latest.last if latest else None
    G.graph["latest_text"] = latest.text if latest else None
    G.graph["scenarios"] = {
        s.id: {
            "title": s.title,
            "description": s.description or "",
            "replaces_main": s.replaces_main,
        }
        for s in dataset.scenarios
    }
    # The whole map's size, so a view's summary need not recount it on every rerun.
    G.graph["map_size"] = (G.number_of_nodes(), G.number_of_edges())
    return G


def default_as_of(G: nx.MultiDiGraph[Any]) -> dt.date | None:
    """The date of the default view: the last day of the latest date the file mentions.

    That is any relation's or actor's ``since`` or ``until`` and any source's ``published``:
    a map is "as of" its newest source.

    Relations that ended before it are hidden by default; None when the file has no dates.
    """
    latest: dt.date | None = G.graph.get("latest")
    return latest


def _in_period(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


@dataclass(frozen=True)
class Hidden:
    """What a view's date and scenario leave out, among the relations its other filters keep.

    ``ended`` relations ended before the view's date and ``not_begun`` ones begin after it;
    ``other_scenarios`` belong to named scenarios other than the view's (every scenario's,
    in the default view); ``main_forecast`` are the main forecast's projected relations,
    left out by a scenario that replaces it.
    """

    ended: int = 0
    not_begun: int = 0
    other_scenarios: int = 0
    main_forecast: int = 0
    #: The ids of the scenarios whose relations are hidden, in file order.
    scenarios: tuple[str, ...] = ()

    @property
    def by_date(self) -> int:
        """Relations the view's date hides."""
        return self.ended + self.not_begun


def _period(G: nx.MultiDiGraph[Any], spec: FilterSpec) -> tuple[dt.date, dt.date] | None:
    if spec.as_of == ALL_PERIODS:
        return None
    if spec.as_of is None:
        latest = default_as_of(G)
        return (latest, latest) if latest else None
    parsed = PartialDate.parse(spec.as_of)
    return (parsed.first, parsed.last)


def check_scenario(G: nx.MultiDiGraph[Any], scenario: str | None, field: str = "scenario") -> None:
    """Raise ``ViewError`` (naming ``field``) when ``scenario`` is not one the map declares."""
    known = G.graph.get("scenarios") or {}
    if scenario is None or scenario == ALL_SCENARIOS or scenario in known:
        return
    if not known:
        raise ViewError(field, f"unknown scenario {scenario!r}: this map declares none")
    hint = did_you_mean(scenario, sorted(known))
    raise ViewError(
        field, f"unknown scenario {scenario!r}{hint}; this map's scenarios: {', '.join(known)}"
    )


#: The default view: relations in force at the latest date, main forecast, no other filter.
_DEFAULT_VIEW = FilterSpec()


@collector_paused_during
def filter_graph(G: nx.MultiDiGraph[Any], spec: FilterSpec = _DEFAULT_VIEW) -> nx.MultiDiGraph[Any]:
    """Return a new graph with only the actors and relations ``spec`` keeps.

    Relations are kept by type, sign, status, confidence, strength, sources, scenario and
    period; actors by kind. Then ``focus`` and ``search`` keep neighbourhoods, and
    ``hide_isolates`` drops actors left with no relation.

    Scenarios: a view without one holds the observed relations and the main forecast (the
    projected relations of no scenario); a scenario's view adds its own relations, and
    leaves out the main forecast when the scenario ``replaces_main``; ``scenario="all"``
    keeps every relation whatever its scenario (for whole exports and for curating). The
    view's graph attributes ``hidden`` (plain data: read it with ``hidden_in``), ``as_of``
    and ``scenario`` record what its date and scenario leave out, for ``view_note``. Raises
    ``ViewError`` for an unknown scenario.
    """
    check_scenario(G, spec.scenario)
    want_signs = {SIGNS[s] for s in spec.signs}  # type: ignore[index]
    min_conf = CONFIDENCES[spec.min_confidence]  # type: ignore[index]
    period = _period(G, spec)
    scenario = spec.scenario
    every = scenario == ALL_SCENARIOS
    replaces = bool(scenario and not every and G.graph["scenarios"][scenario]["replaces_main"])
    kinds, types, statuses, cited = (
        set(spec.kinds),
        set(spec.types),
        set(spec.statuses),
        set(spec.sources),
    )

    nodes = [n for n, d in G.nodes(data=True) if not kinds or d["kind"] in kinds]
    kept = set(nodes)

    def wanted(d: Mapping[str, Any]) -> bool:
        return not (
            (types and d["type"] not in types)
            or (want_signs and d["sign"] not in want_signs)
            or (statuses and d["status"] not in statuses)
            or CONFIDENCES[d["confidence"]] < min_conf
            or d["strength"] < spec.min_strength
            or d["n_sources"] < spec.min_sources
            or (cited and not cited.intersection(d["sources"]))
        )

    # Build the view from what it keeps rather than copying the map and deleting: a view
    # is usually much smaller than the map, and copying is most of the cost.
    edges = []
    ended = not_begun = other_scenarios = main_forecast = 0
    hidden_scenarios: set[str] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if (kinds and (u not in kept or v not in kept)) or not wanted(d):
            continue
        named = d.get("scenario")
        if named != scenario and not every:
            if named is not None:
                other_scenarios += 1
                hidden_scenarios.add(named)
                continue
            if replaces and d["status"] == "projected":
                main_forecast += 1
                continue
        if period is not None and not _in_period(d["start"], d["end"], *period):
            if d["end"] is not None and d["end"] < period[0]:
                ended += 1
            else:
                not_begun += 1
            continue
        edges.append((u, v, k, d))
    # Neighbourhoods are walked on a light adjacency of the kept relations, so that only
    # the final view is ever built.
    if spec.focus is not None:
        starts = [spec.focus] if spec.focus in kept else []
        nodes, edges = _within(nodes, edges, starts, spec.radius)
    if spec.search.strip():
        needle = spec.search.strip().casefold()
        hits = [n for n in nodes if _matches(n, G.nodes[n], needle)]
        nodes, edges = _within(nodes, edges, hits, spec.radius)
    if spec.hide_isolates:
        linked = {end for u, v, _, _ in edges for end in (u, v)}
        nodes = [n for n in nodes if n in linked]
    H = _new_like(G)
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    H.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs miss multigraph keys
    order = [s for s in G.graph.get("scenarios") or {} if s in hidden_scenarios]
    hidden = Hidden(ended, not_begun, other_scenarios, main_forecast, tuple(order))
    H.graph["hidden"] = dataclasses.asdict(hidden)  # plain data: exports write it as it is
    H.graph["as_of"] = spec.as_of
    H.graph["scenario"] = scenario
    return H


Edge = tuple[str, str, str, dict[str, Any]]


def _within(
    nodes: list[str], edges: list[Edge], starts: list[str], radius: int
) -> tuple[list[str], list[Edge]]:
    """The actors within ``radius`` steps of ``starts`` (either direction), and their relations."""
    around: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v, _, _ in edges:
        around[u].add(v)
        around[v].add(u)
    seen = {n for n in starts if n in around}
    frontier = list(seen)
    for _ in range(radius):
        frontier = [m for n in frontier for m in around[n] if m not in seen]
        seen.update(frontier)
    return [n for n in nodes if n in seen], [e for e in edges if e[0] in seen and e[1] in seen]


def _matches(node: str, data: Mapping[str, Any], needle: str) -> bool:
    names = [node, data.get("name", ""), *data.get("aliases", [])]
    return any(needle in str(name).casefold() for name in names)


def _new_like(G: nx.MultiDiGraph[Any]) -> nx.MultiDiGraph[Any]:
    """An empty graph with ``G``'s graph attributes, less the whole map's counts."""
    H: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    H.graph.update((k, v) for k, v in G.graph.items() if k != "map_size")
    return H


def _subgraph(G: nx.MultiDiGraph[Any], nodes: Iterable[str]) -> nx.MultiDiGraph[Any]:
    """A copy of ``G`` on ``nodes``, keeping ``G``'s order of actors and relations."""
    keep = set(nodes)
    H = _new_like(G)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    kept = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep]
    H.add_edges_from(kept)  # type: ignore[arg-type]  # the stubs miss multigraph keys
    return H


def ego_network(G: nx.MultiDiGraph[Any], actor: str, radius: int = 1) -> nx.MultiDiGraph[Any]:
    """Return the actor and everyone within ``radius`` steps of it, in either direction.

    Raises ``KeyError`` for an actor not in ``G``.
    """
    if actor not in G:
        raise KeyError(actor)
    reach = nx.single_source_shortest_path_length(
        G.to_undirected(as_view=True), actor, cutoff=radius
    )
    return _subgraph(G, reach)


#: How much a relation's status counts in its weight: an observed relation twice a forecast.
STATUS_WEIGHT: dict[Status, int] = {"observed": 2, "projected": 1}


#: The pair rule's weights in words, for results and captions.
WEIGHT_RULE = (
    "each relation weighs strength (1-3) x confidence (low 1, medium 2, high 3) x status "
    "(observed 2, projected 1); a pair weighs the margin between the weight of its positive "
    "and its negative relations, so a contested pair weighs the difference"
)


def relation_weight(d: Mapping[str, Any]) -> int:
    """The weight of one relation: ``strength x confidence x status``, from 1 to 18.

    ``strength`` is 1-3 as the curator graded it; confidence counts low 1, medium 2, high 3;
    status counts observed 2, projected 1. So one weak, low-confidence forecast weighs 1 and
    one strong, high-confidence observed relation 18: frustrating the first is cheap, the
    second expensive.

    >>> relation_weight({"strength": 1, "confidence": "low", "status": "projected"})
    1
    >>> relation_weight({"strength": 3, "confidence": "high", "status": "observed"})
    18
    """
    return (
        int(d.get("strength", 1))
        * CONFIDENCES[d.get("confidence", "medium")]
        * STATUS_WEIGHT[d.get("status", "observed")]
    )


@collector_paused_during
def signed_graph(G: nx.MultiDiGraph[Any]) -> nx.Graph[Any]:
    """Collapse ``G`` to a simple undirected graph with one net sign per pair of actors.

    This is the one pair rule: the drawn line, the count frustration index and the weighted
    one all read it.

    - Neutral and structural relations and self-loops are left out.
    - Each relation weighs ``relation_weight``: strength x confidence x status.
    - A pair adds up the weights of its relations in both directions, positive and negative
      apart. Its ``sign`` is the sign of ``positive - negative``. A sum of zero is settled
      by the most confident relations' signs, and if they too balance, counts as negative:
      a tie between friendship and hostility is not an alliance.
    - Its ``weight`` is the margin ``|positive - negative|``: what splitting the actors
      against the net sign contradicts, beyond the evidence that already contradicts itself.
      So a pair whose relations agree weighs their sum; a contested pair (relations of both
      signs) weighs the difference; a contested tie weighs 0, free to frustrate either way.

    Edge attributes: ``sign`` (+1 or -1), ``weight``, ``positive`` and ``negative`` (the
    weight on each side), ``contested``, ``all_projected`` (every relation a forecast) and
    ``relations`` (their ids, sorted).

    >>> from explorer.model import Dataset
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": "a", "name": "A", "kind": "state"},
    ...                {"id": "b", "name": "B", "kind": "state"}],
    ...     "relations": [{"source": "a", "target": "b", "type": "rival_of", "strength": 1},
    ...                   {"source": "b", "target": "a", "type": "supports", "strength": 3}]})
    >>> ab = signed_graph(build_graph(ds)).edges["a", "b"]
    >>> ab["sign"], ab["weight"], ab["positive"], ab["negative"], ab["contested"]
    (1, 8, 12, 4, True)
    """
    pairs: dict[frozenset[str], dict[str, Any]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if d["structural"] or d["sign"] == 0 or u == v:
            continue
        entry = pairs.setdefault(
            frozenset((u, v)),
            {
                "ends": (u, v),
                "positive": 0,
                "negative": 0,
                "relations": [],
                "by_conf": {},
                "projected": True,
            },
        )
        w = relation_weight(d)
        side = "positive" if d["sign"] > 0 else "negative"
        entry[side] += w
        entry["relations"].append(k)
        entry["projected"] = entry["projected"] and d.get("status") == "projected"
        conf = CONFIDENCES[d["confidence"]]
        entry["by_conf"].setdefault(conf, [0, 0])[0 if d["sign"] > 0 else 1] += w
    S: nx.Graph[Any] = nx.Graph()
    S.graph.update({k: v for k, v in G.graph.items() if k != "dataset"})
    S.add_nodes_from(G.nodes(data=True))
    for entry in pairs.values():
        total = entry["positive"] - entry["negative"]
        if total == 0:
            top = entry["by_conf"][max(entry["by_conf"])]
            total = top[0] - top[1]
        S.add_edge(
            *entry["ends"],
            sign=1 if total > 0 else -1,
            weight=abs(entry["positive"] - entry["negative"]),
            positive=entry["positive"],
            negative=entry["negative"],
            contested=entry["positive"] > 0 and entry["negative"] > 0,
            all_projected=entry["projected"],
            relations=sorted(entry["relations"]),
        )
    return S


def view_summary(G: nx.MultiDiGraph[Any], H: nx.MultiDiGraph[Any]) -> str:
    """Say what a view shows: "23 of 36 actors, 41 of 105 relations"."""
    actors, relations = G.graph.get("map_size") or (G.number_of_nodes(), G.number_of_edges())
    return (
        f"{H.number_of_nodes()} of {actors} actors, {H.number_of_edges()} of {relations} relations"
    )


def hidden_in(H: nx.MultiDiGraph[Any]) -> Hidden:
    """What the view ``H`` (made by ``filter_graph``) hides by its date and scenario."""
    recorded = H.graph.get("hidden") or {}
    return Hidden(**{**recorded, "scenarios": tuple(recorded.get("scenarios", ()))})


def _count(n: int, what: str, plural: str | None = None) -> str:
    return f"{n} {what if n == 1 else plural or what + 's'}"


def filters_in_words(spec: FilterSpec, G: nx.MultiDiGraph[Any]) -> str:
    """``spec.describe()`` with the focus actor named as ``G`` names it, not by its id."""
    focus = spec.focus
    names = {focus: str(G.nodes[focus].get("name", focus))} if focus and focus in G else None
    return spec.describe(names)


def view_note(H: nx.MultiDiGraph[Any]) -> str:
    """Say a view's date and scenario, and how many relations they hide, in plain words.

    The date of the default view is named even though no filter set it, since it hides the
    relations that ended before it: "as of 2021-09, the latest date in the file: 13 ended
    relations hidden". ``H`` is a view made by ``filter_graph``.
    """
    hidden = hidden_in(H)
    as_of = H.graph.get("as_of")
    if as_of == ALL_PERIODS:
        date = "all periods"
    elif as_of is None:
        latest = H.graph.get("latest_text")
        date = f"as of {latest}, the latest date in the file" if latest else "no dates in the file"
    else:
        date = f"as of {as_of}"
    gone = []
    if hidden.ended:
        gone.append(_count(hidden.ended, "ended relation"))
    if hidden.not_begun:
        gone.append(_count(hidden.not_begun, "relation") + " not yet begun")
    parts = [date + (": " + " and ".join(gone) + " hidden" if gone else "")]
    scenarios = H.graph.get("scenarios") or {}
    scenario = H.graph.get("scenario")
    if scenario == ALL_SCENARIOS and scenarios:
        parts.append("every scenario shown, with the main forecast")
    if scenario is not None and scenario in scenarios:
        about = scenarios[scenario]
        line = f"scenario: {about['title']}"
        if about["replaces_main"]:
            line += (
                " (it replaces the main forecast: "
                + _count(hidden.main_forecast, "projected relation")
                + " of the main forecast left out)"
            )
        parts.append(line)
    if hidden.other_scenarios:
        named = len(hidden.scenarios)
        other = "other " if scenario is not None else ""
        parts.append(
            _count(hidden.other_scenarios, "relation")
            + f" of {_count(named, other + 'named scenario')} hidden"
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class ViewStats:
    """The counts of one view: what ``stats`` prints.

    ``tables`` holds, in order, the actors by kind and the relations by type, sign and
    status, each as ``(name, count)`` pairs, most first (ties by name). Signs and statuses
    are counted in their order from the model, including those with no relation.
    """

    title: str
    summary: str
    note: str
    filters: str
    tables: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    components: int
    density: float


def _most_first(counts: Mapping[Any, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def view_stats(G: nx.MultiDiGraph[Any], H: nx.MultiDiGraph[Any], spec: FilterSpec) -> ViewStats:
    """Count the view ``H`` of the map ``G`` (made with ``spec``) by kind, type, sign, status.

    >>> from explorer.model import Dataset
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": "a", "name": "A", "kind": "state"},
    ...                {"id": "b", "name": "B", "kind": "state"}],
    ...     "relations": [{"source": "a", "target": "b", "type": "rival_of"}]})
    >>> G = build_graph(ds)
    >>> stats = view_stats(G, filter_graph(G), FilterSpec())
    >>> stats.summary, stats.note, dict(stats.tables)["relations by sign"]
    ('2 of 2 actors, 1 of 1 relations', 'no dates in the file', (('negative', 1),))
    """
    edges = [d for *_, d in H.edges(data=True)]
    signs: Counter[str] = Counter(Sign(d["sign"]).word for d in edges)
    statuses = Counter(str(d["status"]) for d in edges)
    tables = (
        ("actors by kind", _most_first(Counter(d["kind"] for _, d in H.nodes(data=True)))),
        ("relations by type", _most_first(Counter(d["type"] for d in edges))),
        ("relations by sign", _most_first(signs)),
        ("relations by status", _most_first(statuses)),
    )
    return ViewStats(
        title=str(G.graph.get("title", "")),
        summary=view_summary(G, H),
        note=view_note(H),
        filters=filters_in_words(spec, G),
        tables=tables,
        components=nx.number_weakly_connected_components(H) if len(H) else 0,
        density=nx.density(nx.Graph(H)) if len(H) > 1 else 0.0,
    )
