"""Lines that go round other actors: the least bend that keeps a line off every actor.

A straight line between two actors that would cross a third (its shape or its label) is
drawn as a quadratic curve instead. Its control point is one of ``BENDS``, tried from the
least bent to the most; the first that crosses no other actor and stays within the map
wins, else the one that crosses least (a shape counts far more than a label). A bend is
given relative to the line: ``(along, across)`` puts the control point ``along`` of the way
from the first end to the second, then ``across`` times the line's length to its left, so
the same bend fits the line at any scale or orientation.

The figures route their lines here, after placing their labels; the page does the same in
its own script (with vis-network's curve types), after placing its labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["BENDS", "Bend", "bend_for", "control_point", "crossed", "curve", "near_line", "route"]

#: A bend: the control point's place, along the line and across it (fractions of its length).
Bend = tuple[float, float]

#: Bends tried, least bent first: across the line to either side, from the middle, then
#: from nearer one end or the other (for an obstacle near that end).
BENDS: tuple[Bend, ...] = tuple(
    (along, side * across)
    for across in (0.08, 0.15, 0.22, 0.3, 0.4, 0.5, 0.62)
    for along in (0.5, 0.3, 0.7)
    for side in (1, -1)
)
#: Points a curve is cut into to test it against boxes.
CURVE_SEGMENTS = 24
#: What crossing costs: a shape far more than a label; leaving the map costs too.
SHAPE_COST, LABEL_COST, OUTSIDE_COST = 100, 1, 10

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def control_point(a: Point, b: Point, bend: Bend) -> Point:
    """Where a line from ``a`` to ``b`` bent by ``bend`` has its control point."""
    along, across = bend
    dx, dy = b[0] - a[0], b[1] - a[1]
    return (a[0] + along * dx - across * dy, a[1] + along * dy + across * dx)


def curve(a: Point, b: Point, bend: Bend | None, segments: int = CURVE_SEGMENTS) -> np.ndarray:
    """Points along the line from ``a`` to ``b`` (straight for ``None``), as an (n, 2) array."""
    if bend is None:
        return np.array([a, b], dtype=float)
    via = np.array(control_point(a, b, bend))
    t = np.linspace(0.0, 1.0, segments + 1)[:, None]
    return np.asarray((1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * via + t**2 * np.array(b))


def _curves(a: Point, b: Point, segments: int = CURVE_SEGMENTS) -> np.ndarray:
    """Every bend of ``BENDS`` of the line from ``a`` to ``b``, as a (bends, n, 2) stack."""
    vias = np.array([control_point(a, b, bend) for bend in BENDS])[:, None, :]
    t = np.linspace(0.0, 1.0, segments + 1)[None, :, None]
    return np.asarray((1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * vias + t**2 * np.array(b))


def crossed(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` (an (m, 4) array of x0, y0, x1, y1) a polyline enters.

    ``points`` is one polyline, (n, 2), or a stack of them, (k, n, 2), giving (m,) or
    (k, m). Each piece of a polyline is clipped against each box (Liang-Barsky): exact for
    straight pieces, whatever their length.
    """
    lead = points.shape[:-2]
    if len(boxes) == 0 or points.shape[-2] < 2:
        return np.zeros((*lead, len(boxes)), dtype=bool)
    start = points[..., :-1, None, :]
    step = np.diff(points, axis=-2)[..., None, :]
    t0 = np.zeros((*lead, points.shape[-2] - 1, len(boxes)))
    t1 = np.ones_like(t0)
    for axis in (0, 1):
        lo = boxes[:, axis] - start[..., axis]
        hi = boxes[:, axis + 2] - start[..., axis]
        d = np.broadcast_to(step[..., axis], lo.shape)
        flat = np.abs(d) < 1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            a, b = lo / d, hi / d
        near, far = np.minimum(a, b), np.maximum(a, b)
        # A piece parallel to this axis is inside the slab for all t, or for none.
        inside = (lo <= 0) & (hi >= 0)
        near = np.where(flat, np.where(inside, -np.inf, np.inf), near)
        far = np.where(flat, np.where(inside, np.inf, -np.inf), far)
        t0 = np.maximum(t0, near)
        t1 = np.minimum(t1, far)
    return np.asarray((t0 <= t1).any(axis=-2))


def _costs(
    points: np.ndarray, shapes: np.ndarray, labels: np.ndarray, bounds: Box | None
) -> np.ndarray:
    """What each polyline of a (k, n, 2) stack costs (see ``SHAPE_COST`` and the rest)."""
    cost = SHAPE_COST * crossed(points, shapes).sum(axis=-1)
    cost = cost + LABEL_COST * crossed(points, labels).sum(axis=-1)
    if bounds is not None:
        x0, y0, x1, y1 = bounds
        x, y = points[..., 0], points[..., 1]
        outside = ((x < x0) | (x > x1) | (y < y0) | (y > y1)).any(axis=-1)
        cost = cost + OUTSIDE_COST * outside
    return np.asarray(cost)


def bend_for(
    a: Point, b: Point, shapes: np.ndarray, labels: np.ndarray, bounds: Box | None = None
) -> tuple[Bend | None, int]:
    """The bend of one line from ``a`` to ``b`` (``None``: straight) and what it still
    costs (0: it crosses nothing). ``shapes`` and ``labels`` are (m, 4) arrays of the boxes
    to keep it off: its own ends' boxes left out."""
    straight = int(_costs(curve(a, b, None)[None], shapes, labels, None)[0])
    if straight == 0:
        return None, 0
    costs = _costs(_curves(a, b), shapes, labels, bounds)
    # The least bent of the cheapest (the bends are listed least bent first).
    pick = int(np.argmin(costs))
    if costs[pick] < straight:
        return BENDS[pick], int(costs[pick])
    return None, straight


def near_line(a: Point, b: Point, boxes: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` the most bent curve of the line from ``a`` to ``b`` could reach."""
    length = float(np.hypot(b[0] - a[0], b[1] - a[1]))
    margin = _REACH * length
    lo_x, hi_x = min(a[0], b[0]) - margin, max(a[0], b[0]) + margin
    lo_y, hi_y = min(a[1], b[1]) - margin, max(a[1], b[1]) + margin
    return np.asarray(
        (boxes[:, 2] >= lo_x)
        & (boxes[:, 0] <= hi_x)
        & (boxes[:, 3] >= lo_y)
        & (boxes[:, 1] <= hi_y)
    )


_REACH = max(abs(across) for _, across in BENDS)


def route(
    lines: Sequence[tuple[str, str]],
    at: Mapping[str, Point],
    shapes: Mapping[str, Box],
    labels: Mapping[str, Box],
    *,
    bounds: Box | None = None,
) -> list[Bend | None]:
    """The bend of each line (``None``: straight), and nothing else moves.

    ``lines`` are pairs of actor ids; ``at`` their centres; ``shapes`` and ``labels`` the
    boxes to keep lines off (a line may cross its own ends' boxes); ``bounds`` the box a
    bent line should stay in (the map's extent), or ``None``. All in one coordinate
    system with equal units on both axes.
    """
    ids = sorted(set(shapes) | set(labels))
    index = {actor: i for i, actor in enumerate(ids)}
    empty = (np.nan, np.nan, np.nan, np.nan)
    shape_boxes = np.array([shapes.get(actor, empty) for actor in ids], dtype=float).reshape(-1, 4)
    label_boxes = np.array([labels.get(actor, empty) for actor in ids], dtype=float).reshape(-1, 4)
    out: list[Bend | None] = []
    for u, v in lines:
        a, b = at[u], at[v]
        if a == b:
            out.append(None)
            continue
        near = near_line(a, b, shape_boxes) | near_line(a, b, label_boxes)
        for end in (u, v):
            if end in index:
                near[index[end]] = False
        s_boxes, l_boxes = shape_boxes[near], label_boxes[near]
        s_boxes = s_boxes[~np.isnan(s_boxes).any(axis=1)]
        l_boxes = l_boxes[~np.isnan(l_boxes).any(axis=1)]
        out.append(bend_for(a, b, s_boxes, l_boxes, bounds)[0])
    return out
