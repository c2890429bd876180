"""The two camps of a map: the headline grouping that the picture draws and the text names.

The camps are the two sides of the structural-balance split that leaves the fewest pairs
frustrated (friends across the camps or enemies within one), computed on one fixed view:
the observed relations and the main forecast, at the map's default date. Each signed
component (actors linked by signed pairs) is split on its own; in each, camp 0 is the side
of its most central actor (the most signed pairs, then the most weight, then the name), so
the same map gives the same colours every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from explorer.analysis.balance import Frustration, frustration_index, swing_actors
from explorer.graph import FilterSpec, default_as_of, filter_graph, signed_graph

__all__ = ["CAMPS_VIEW", "CampSplit", "camp_sides", "camps", "view_words"]

#: The view the camps are computed on: observed relations and the main forecast.
CAMPS_VIEW = FilterSpec(statuses=("observed", "projected"))


@dataclass(frozen=True)
class CampSplit:
    """Which camp each actor sits in, and who could sit in either.

    ``side`` maps each actor with a signed pair to 0 or 1; ``components`` lists the signed
    components, largest first; ``swing`` the actors some equally good split puts in the
    other camp (None when not computed); ``exact`` whether the split is proved optimal;
    ``view`` names in plain words the relations it was computed on.
    """

    side: Mapping[str, int]
    components: tuple[frozenset[str], ...]
    swing: frozenset[str] | None
    exact: bool
    view: str


def _centre(S: nx.Graph[Any], part: frozenset[Hashable]) -> Hashable:
    """The component's most central actor: most signed pairs, most weight, then name."""
    return min(
        part,
        key=lambda a: (-S.degree(a), -S.degree(a, weight="weight"), str(a)),
    )


def camp_sides(
    S: nx.Graph[Any], result: Frustration
) -> tuple[dict[str, int], tuple[frozenset[str], ...]]:
    """The split of ``result`` with camp 0 holding each component's most central actor.

    Returns the sides and the signed components, largest first (ties by first name).
    """
    parts = sorted(
        (frozenset(p) for p in nx.connected_components(S) if len(p) > 1),
        key=lambda p: (-len(p), min(map(str, p))),
    )
    side: dict[str, int] = {}
    for part in parts:
        flip = result.side[_centre(S, part)]
        side.update({str(a): result.side[a] ^ flip for a in part})
    return side, tuple(frozenset(str(a) for a in p) for p in parts)


def view_words(spec: FilterSpec, as_of: dt.date | None) -> str:
    """Name a view's relations in plain words: "observed and projected relations in force on …"."""
    statuses = spec.statuses or ("observed", "projected")
    what = " and ".join(statuses) + " relations"
    if spec.as_of == "all":
        return f"{what} of every period"
    if spec.as_of is not None:
        return f"{what} in force in {spec.as_of}"
    if as_of is None:
        return what
    return f"{what} in force on {as_of.isoformat()}"


def camps(G: nx.MultiDiGraph[Any], *, time_limit: float = 2.0) -> CampSplit:
    """Split the map into its two camps, on the observed relations and the main forecast.

    ``time_limit`` bounds every solve together (the split, then the swing actors); past it
    the split is the labelled heuristic (``exact=False``) and ``swing`` is None.

    Examples
    --------
    >>> from explorer.model import Dataset
    >>> from explorer.graph import build_graph
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": a, "name": a.upper(), "kind": "state"} for a in "abcd"],
    ...     "relations": [{"source": "a", "target": "b", "type": "ally_of"},
    ...                   {"source": "b", "target": "c", "type": "rival_of"},
    ...                   {"source": "d", "target": "c", "type": "ally_of"},
    ...                   {"source": "d", "target": "b", "type": "rival_of"}]})
    >>> split = camps(build_graph(ds))
    >>> dict(sorted(split.side.items())), split.swing, split.exact
    ({'a': 0, 'b': 0, 'c': 1, 'd': 1}, frozenset(), True)
    """
    import time

    started = time.perf_counter()
    S = signed_graph(filter_graph(G, CAMPS_VIEW))
    result = frustration_index(S, time_limit=time_limit)
    left = time_limit - (time.perf_counter() - started)
    swing = swing_actors(S, result, time_limit=max(0.0, left))
    side, parts = camp_sides(S, result)
    return CampSplit(
        side=side,
        components=parts,
        swing=None
        if swing.actors is None or not swing.exact
        else frozenset(str(a) for a in swing.actors),
        exact=result.exact,
        view=view_words(CAMPS_VIEW, default_as_of(G)),
    )
