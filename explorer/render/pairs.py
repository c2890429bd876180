"""One line per pair of actors: what the page and the figures draw between two actors.

By default every relation between the same two actors is drawn as one line. Its sign is the
pair's net sign by the one pair rule of ``explorer.graph.signed_graph`` (the rule the
balance analysis uses too); a pair with only neutral or structural relations is neutral. The
line is marked contested when the pair's relations disagree in sign, dashed only when every
relation of the pair is projected, has an arrowhead for each direction some directed
relation takes, and grows wider with the total strength of its relations. ``count`` and
``relations`` (the ids, in the view's order) feed the small count on the line, the tooltip
and the details list.

``each_relation=True`` gives one line per relation instead, for the control that draws every
relation separately (``export --each-relation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from explorer.graph import signed_graph
from explorer.render.style import line_width

__all__ = ["Direction", "PairLine", "pair_lines"]

Direction = Literal["a->b", "b->a", "both", "none"]


@dataclass(frozen=True)
class PairLine:
    """The line drawn between actors ``a`` and ``b``.

    ``sign`` is +1, -1 or 0 (the net sign of the pair, or the relation's own sign with
    ``each_relation``); ``contested`` is True when the pair's relations disagree in sign;
    ``all_projected`` when every relation is projected (the line is dashed); ``directions``
    says which arrowheads to draw; ``width`` is in pixels; ``count`` is the number of
    relations; ``relations`` their ids; ``strength`` their total strength.
    """

    a: str
    b: str
    sign: int
    contested: bool
    all_projected: bool
    directions: Direction
    width: float
    count: int
    relations: tuple[str, ...]
    strength: int = 0

    @property
    def key(self) -> str:
        """A stable id for the line: the relation id, or both actor ids for a pair."""
        if len(self.relations) == 1:
            return self.relations[0]
        return f"{self.a}\u2194{self.b}"


def _direction(forward: bool, backward: bool) -> Direction:
    if forward and backward:
        return "both"
    if forward:
        return "a->b"
    if backward:
        return "b->a"
    return "none"


def pair_lines(H: nx.MultiDiGraph[Any], *, each_relation: bool = False) -> list[PairLine]:
    """The lines to draw for the view ``H``: one per pair of actors, or one per relation.

    Lines come in the order of the view's relations (a pair where its first relation is).

    >>> from explorer.graph import build_graph
    >>> from explorer.model import Dataset
    >>> ds = Dataset.model_validate({"format": "stakeholder-explorer/1", "title": "t",
    ...     "actors": [{"id": "a", "name": "A", "kind": "state"},
    ...                {"id": "b", "name": "B", "kind": "state"}],
    ...     "relations": [{"source": "a", "target": "b", "type": "rival_of", "strength": 1},
    ...                   {"source": "b", "target": "a", "type": "supports", "strength": 3}]})
    >>> [line] = pair_lines(build_graph(ds))
    >>> line.sign, line.contested, line.directions, line.count
    (1, True, 'b->a', 2)
    """
    if each_relation:
        return [
            PairLine(
                a=str(u),
                b=str(v),
                sign=int(d.get("sign", 0)),
                contested=False,
                all_projected=d.get("status") == "projected",
                directions="a->b" if d.get("directed") else "none",
                width=line_width(int(d.get("strength", 2))),
                count=1,
                relations=(str(k),),
                strength=int(d.get("strength", 2)),
            )
            for u, v, k, d in H.edges(keys=True, data=True)
        ]
    groups: dict[frozenset[str], list[tuple[str, str, str, dict[str, Any]]]] = {}
    for u, v, k, d in H.edges(keys=True, data=True):
        groups.setdefault(frozenset((u, v)), []).append((u, v, k, d))
    signed = signed_graph(H)
    out = []
    for edges in groups.values():
        a, b = edges[0][0], edges[0][1]
        forward = any(d.get("directed") and u == a and v == b for u, v, _, d in edges)
        backward = any(d.get("directed") and u == b and v == a for u, v, _, d in edges)
        if a == b:  # a relation of an actor with itself: its arrow, if any, is one way
            backward = False
        pair = signed.get_edge_data(a, b) if a != b else None
        strength = sum(int(d.get("strength", 2)) for *_, d in edges)
        out.append(
            PairLine(
                a=str(a),
                b=str(b),
                sign=int(pair["sign"]) if pair else 0,
                contested=bool(pair and pair["contested"]),
                all_projected=all(d.get("status") == "projected" for *_, d in edges),
                directions=_direction(forward, backward),
                width=line_width(strength),
                count=len(edges),
                relations=tuple(str(k) for _, _, k, _ in edges),
                strength=strength,
            )
        )
    return out
