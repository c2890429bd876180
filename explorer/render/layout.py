"""Seeded positions for a whole map, computed once, shared by every view and image.

Positions are computed on the full map (not on a filtered view), so a filter hides actors
but never moves the ones that stay, and a picture matches the dashboard for the same file
and seed.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

__all__ = ["LAYOUTS", "layout_positions"]

Positions = dict[str, tuple[float, float]]


def _spring(G: nx.Graph, seed: int) -> Positions:
    simple = nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() or G.is_multigraph() else G
    n = max(len(simple), 1)
    pos = nx.spring_layout(simple, seed=seed, k=1.8 / n**0.5, iterations=200 if n < 500 else 50)
    return {str(k): (float(v[0]), float(v[1])) for k, v in pos.items()}


def _kamada_kawai(G: nx.Graph, seed: int) -> Positions:
    simple = nx.Graph(G.to_undirected(as_view=True))
    if len(simple) == 0:
        return {}
    start = nx.spring_layout(simple, seed=seed)
    pos = nx.kamada_kawai_layout(simple, pos=start)
    return {str(k): (float(v[0]), float(v[1])) for k, v in pos.items()}


def _circular(G: nx.Graph, seed: int) -> Positions:
    order = sorted(G.nodes, key=str)
    pos = nx.circular_layout(order)
    return {str(k): (float(v[0]), float(v[1])) for k, v in pos.items()}


#: Layout algorithms by name; the CLI's --layout choices and the dashboard's select box.
LAYOUTS: dict[str, Callable[[nx.Graph, int], Positions]] = {
    "spring": _spring,
    "kamada-kawai": _kamada_kawai,
    "circular": _circular,
}


def layout_positions(G: nx.Graph, *, layout: str = "spring", seed: int = 7) -> Positions:
    """Return ``{actor: (x, y)}`` for every actor of ``G``, scaled into [-1, 1].

    Deterministic for the same graph, layout and seed.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    pos = LAYOUTS[layout](G, seed)
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {k: ((x - cx) * 2 / span, (y - cy) * 2 / span) for k, (x, y) in pos.items()}
