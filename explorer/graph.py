"""From a ``Dataset`` to networkx graphs, and the one filter specification.

``build_graph`` keeps everything: a ``MultiDiGraph`` with one edge per relation, keyed by the
relation id. An undirected relation is one edge from ``source`` to ``target`` with
``directed=False``; code that walks the graph treats it as going both ways.

``FilterSpec`` is the single description of a view. Its field names are also the CLI options
(``--min-confidence``) and the dashboard's URL query parameters (``min_confidence``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from explorer.memory import collector_paused_during
from explorer.model import CONFIDENCES, SIGNS, STATUSES, Dataset, PartialDate, Status

__all__ = [
    "ALL_PERIODS",
    "STATUS_WEIGHT",
    "FilterSpec",
    "build_graph",
    "default_as_of",
    "ego_network",
    "filter_graph",
    "relation_weight",
    "signed_graph",
    "view_summary",
]

#: ``FilterSpec.as_of`` value that shows relations of every period.
ALL_PERIODS = "all"


@collector_paused_during
def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Return a ``MultiDiGraph`` of the dataset: actors as nodes, one edge per relation.

    Node attributes: every actor field, plus ``label`` (the name). Edge attributes: every
    relation field, with ``sign`` as +1 / 0 / -1, ``start`` and ``end`` (first and last day
    of ``since`` and ``until``, or None), ``directed`` and ``structural`` from the type,
    ``sources`` (the source ids cited) and ``n_sources``. Graph attributes: ``title``,
    ``description``, the ``dataset`` itself and ``latest`` (see ``default_as_of``).

    >>> from explorer.model import Dataset
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": "a", "name": "A", "kind": "state"},
    ...                {"id": "b", "name": "B", "kind": "state"}],
    ...     "relations": [{"source": "a", "target": "b", "type": "rival_of"}]})
    >>> G = build_graph(ds)
    >>> G.edges["a", "b", "a__rival_of__b"]["sign"]
    -1
    """
    G = nx.MultiDiGraph(title=dataset.title, description=dataset.description or "")
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
    latest: dt.date | None = None
    for rel, rel_id in zip(dataset.relations, dataset.relation_ids, strict=True):
        rtype = vocab.relation_types[rel.type]
        start = rel.since.first if rel.since else None
        end = rel.until.last if rel.until else None
        for day in (rel.since.last if rel.since else None, end):
            if day is not None and (latest is None or day > latest):
                latest = day
        cited = sorted({ev.source for ev in rel.evidence})
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
        )
    others = [s.published for s in dataset.sources] + [
        d for a in dataset.actors for d in (a.since, a.until)
    ]
    for date in others:
        if date is not None and (latest is None or date.last > latest):
            latest = date.last
    G.graph["latest"] = latest
    # The whole map's size, so a view's summary need not recount it on every rerun.
    G.graph["map_size"] = (G.number_of_nodes(), G.number_of_edges())
    return G


def default_as_of(G: nx.MultiDiGraph) -> dt.date | None:
    """The date of the default view: the last day of the latest date the file mentions.

    That is any relation's or actor's ``since`` or ``until`` and any source's ``published``:
    a map is "as of" its newest source.

    Relations that ended before it are hidden by default; None when the file has no dates.
    """
    latest: dt.date | None = G.graph.get("latest")
    return latest


# --- the filter specification --------------------------------------------------------------


@dataclass(frozen=True)
class FilterSpec:
    """One view of a map. Empty tuples mean "no restriction".

    ``as_of`` is None for the default view (relations in force at ``default_as_of``),
    ``"all"`` for every period, or a date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the
    relations in force at some time within it. ``search`` keeps the actors whose id, name or
    alias contains the text (any case) and their neighbours up to ``radius``; ``focus`` keeps
    one actor and its neighbours up to ``radius``.
    """

    kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    min_confidence: str = "low"
    min_strength: int = 1
    as_of: str | None = None
    sources: tuple[str, ...] = ()
    min_sources: int = 0
    focus: str | None = None
    radius: int = 1
    search: str = ""
    hide_isolates: bool = False

    def __post_init__(self) -> None:
        for name in ("kinds", "types", "signs", "statuses", "sources"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,) if value else ()
            object.__setattr__(self, name, tuple(sorted(set(value))))
        if self.min_confidence not in CONFIDENCES:
            raise ValueError(f"min_confidence must be one of {', '.join(CONFIDENCES)}")
        if self.as_of not in (None, ALL_PERIODS):
            PartialDate.parse(self.as_of)
        bad = set(self.signs) - set(SIGNS)
        if bad:
            raise ValueError(f"unknown sign {sorted(bad)[0]!r}")
        bad = set(self.statuses) - set(STATUSES)
        if bad:
            raise ValueError(f"unknown status {sorted(bad)[0]!r}")
        if not 1 <= self.min_strength <= 3:
            raise ValueError("min_strength must be from 1 to 3")
        if not 1 <= self.radius <= 3:
            raise ValueError("radius must be from 1 to 3")

    def to_query(self) -> dict[str, str]:
        """The fields that differ from the defaults, as URL query parameters."""
        out: dict[str, str] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == f.default or (isinstance(value, tuple) and not value):
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]]) -> FilterSpec:
        """Read a spec from URL query parameters; unknown or malformed ones are ignored."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in params:
                continue
            raw = params[f.name]
            text = raw[-1] if isinstance(raw, list) else raw
            try:
                if f.type in ("tuple[str, ...]",):
                    values[f.name] = tuple(x for x in text.split(",") if x)
                elif f.type == "int":
                    values[f.name] = int(text)
                elif f.type == "bool":
                    values[f.name] = text.lower() in ("1", "true", "yes", "on")
                else:
                    values[f.name] = text or None if f.name in ("as_of", "focus") else text
            except ValueError:
                continue
        try:
            return cls(**values)
        except ValueError:
            good = {}
            for name, value in values.items():
                try:
                    cls(**{name: value})
                    good[name] = value
                except ValueError:
                    pass
            return cls(**good)

    def describe(self) -> str:
        """One line that says what the filters do, for captions; "" for the default view."""
        parts = []
        for name, value in self.to_query().items():
            parts.append(f"{name.replace('_', ' ')}: {value.replace(',', ', ')}")
        return "; ".join(parts)


def _in_period(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


@collector_paused_during
def filter_graph(G: nx.MultiDiGraph, spec: FilterSpec = FilterSpec()) -> nx.MultiDiGraph:
    """Return a new graph with only the actors and relations ``spec`` keeps.

    Relations are kept by type, sign, status, confidence, strength, period and sources;
    actors by kind. Then ``focus`` and ``search`` keep neighbourhoods, and ``hide_isolates``
    drops actors left with no relation.
    """
    want_signs = {SIGNS[s] for s in spec.signs}  # type: ignore[index]
    min_conf = CONFIDENCES[spec.min_confidence]
    if spec.as_of == ALL_PERIODS:
        period = None
    elif spec.as_of is None:
        latest = default_as_of(G)
        period = (latest, latest) if latest else None
    else:
        parsed = PartialDate.parse(spec.as_of)
        period = (parsed.first, parsed.last)
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
            or (period is not None and not _in_period(d["start"], d["end"], *period))
        )

    # Build the view from what it keeps rather than copying the map and deleting: a view
    # is usually much smaller than the map, and copying is most of the cost.
    edges = [
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if (not kinds or (u in kept and v in kept)) and wanted(d)
    ]
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
    H.add_edges_from(edges)
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


def _new_like(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """An empty graph with ``G``'s graph attributes, less the whole map's counts."""
    H = nx.MultiDiGraph()
    H.graph.update((k, v) for k, v in G.graph.items() if k != "map_size")
    return H


def _subgraph(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of ``G`` on ``nodes``, keeping ``G``'s order of actors and relations."""
    keep = set(nodes)
    H = _new_like(G)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep
    )
    return H


def ego_network(G: nx.MultiDiGraph, actor: str, radius: int = 1) -> nx.MultiDiGraph:
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
def signed_graph(G: nx.MultiDiGraph) -> nx.Graph:
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
    S = nx.Graph()
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


def view_summary(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> str:
    """Say what a view shows: "23 of 36 actors, 41 of 105 relations"."""
    actors, relations = G.graph.get("map_size") or (G.number_of_nodes(), G.number_of_edges())
    return (
        f"{H.number_of_nodes()} of {actors} actors, {H.number_of_edges()} of {relations} relations"
    )
