"""Seeded positions for a whole map, computed once, shared by every view and image.

Positions are computed on the full map (not on a filtered view), so a filter hides actors
but never moves the ones that stay, and a picture matches the dashboard for the same file
and seed.

The ``"spring"`` layout uses networkx's exact Fruchterman-Reingold on small maps, where it
looks best and costs little. Its cost grows with the square of the actors (4.3 s for 1,000
on a 2-core machine), so above ``EXACT_SPRING_MAX_NODES`` it switches to a scalable method
with the same look: pivot MDS (Brandes and Pich 2006) places the actors from breadth-first
distances to a few pivot actors, then a few Fruchterman-Reingold rounds with grid-limited
repulsion (only neighbours within twice the ideal edge length push, found with a k-d tree)
tidy the neighbourhoods. That takes well under a second for 1,000 actors and seconds for
20,000.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import numpy as np

__all__ = ["EXACT_SPRING_MAX_NODES", "LAYOUTS", "layout_positions"]

Positions = dict[str, tuple[float, float]]

#: Largest map (in actors) laid out by networkx's exact spring layout; larger maps use the
#: scalable pivot-MDS + grid Fruchterman-Reingold layout.
EXACT_SPRING_MAX_NODES = 300
_PIVOTS = 48
_ROUNDS = 25


def _simple(G: nx.Graph) -> nx.Graph:
    """An undirected simple graph of ``G`` with its actors in a fixed (sorted) order."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes, key=str))
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return simple


def _spring(G: nx.Graph, seed: int) -> Positions:
    simple = _simple(G)
    n = len(simple)
    if n > EXACT_SPRING_MAX_NODES:
        return _scalable_spring(simple, seed)
    pos = nx.spring_layout(simple, seed=seed, k=1.8 / max(n, 1) ** 0.5, iterations=200)
    names = list(pos)
    spread = _keep_apart(np.array([pos[k] for k in names], dtype=float), n)
    return {str(k): (float(x), float(y)) for k, (x, y) in zip(names, spread, strict=True)}


def _keep_apart(xy: np.ndarray, n: int, rounds: int = 60) -> np.ndarray:
    """Push apart actors that sit closer than a fair share of the picture.

    Force layouts pull hubs and their closest partners into one blot (on the bundled map,
    the United States and the Pakistani establishment overlapped). Each round moves every
    pair closer than ``gap`` apart along the line between them, half the shortfall each;
    deterministic, and cheap for the small maps that use the exact spring layout.
    """
    if n < 2:
        return xy
    span = float(np.ptp(xy, axis=0).max()) or 1.0
    gap = span * 0.55 / n**0.5
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        close = dist < gap
        if not close.any():
            break
        # Coincident actors get a fixed, index-based direction so the result stays seeded.
        same = dist == 0
        if same.any():
            i, j = np.nonzero(same)
            delta[i, j] = np.stack([np.cos(i + j), np.sin(i + j)], axis=1)
            dist[i, j] = 1.0
        with np.errstate(invalid="ignore"):  # inf/inf on the diagonal, masked out by close
            push = np.where(close, (gap - dist) / (2 * dist), 0.0)
        xy = xy + (delta * push[:, :, None]).sum(axis=1)
    return xy


def _pivot_mds(adjacency: object, n: int, degrees: np.ndarray, seed: int) -> np.ndarray:
    """Place actors by classical MDS on hop distances to a few farthest-first pivots."""
    from scipy.sparse.csgraph import shortest_path

    pivots = [int(np.argmax(degrees))]
    distances = np.empty((0, n))
    nearest = np.full(n, np.inf)
    for _ in range(min(_PIVOTS, n)):
        row = shortest_path(adjacency, unweighted=True, directed=False, indices=pivots[-1:])
        finite = np.isfinite(row)
        # Actors in other components sit one step beyond the farthest reachable actor.
        row[~finite] = (row[finite].max() if finite.any() else 0) + 1
        distances = np.vstack([distances, row])
        nearest = np.minimum(nearest, row[0])
        nxt = int(np.argmax(nearest))
        if nearest[nxt] == 0:
            break
        pivots.append(nxt)
    squared = distances.T**2  # actors x pivots
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True)
    centred += squared.mean()
    centred *= -0.5
    # The top eigenvectors of the small pivots x pivots matrix give the same axes as an SVD
    # of the whole actors x pivots matrix, at a fraction of the cost.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = np.zeros((n, 2))
    dims = min(2, vectors.shape[1])
    coords[:, :dims] = centred @ vectors[:, ::-1][:, :dims]
    # Actors with the same distances to every pivot would sit on one spot: jitter them apart.
    rng = np.random.default_rng(seed)
    spread = float(np.abs(coords).max()) or 1.0
    return coords + rng.normal(scale=1e-3 * spread, size=coords.shape)


def _scalable_spring(simple: nx.Graph, seed: int) -> Positions:
    """Pivot MDS, then Fruchterman-Reingold rounds with repulsion only between near actors."""
    from scipy.spatial import cKDTree

    nodes = list(simple.nodes)
    n = len(nodes)
    adjacency = nx.to_scipy_sparse_array(simple, nodelist=nodes, weight=None, format="csr")
    coo = adjacency.tocoo()
    keep = coo.row < coo.col
    src, dst = coo.row[keep], coo.col[keep]
    degrees = np.asarray(adjacency.sum(axis=1)).ravel()
    pos = _pivot_mds(adjacency, n, degrees, seed)

    # Ideal edge length 1; scale so the map covers about one unit of area per actor.
    k = 1.0
    pos -= pos.mean(axis=0)
    rms = float(np.sqrt((pos**2).sum(axis=1).mean())) or 1.0
    radius = 0.5 * np.sqrt(n) * k
    pos *= radius / rms
    damping = max(1.0, 2 * len(src) / n)
    # Short moves only: pivot MDS already gives the overall shape, and with no push from far
    # actors long runs would crush the map; the rounds separate actors and tidy neighbours.
    temperature = 1.0 * k
    cool = temperature / (_ROUNDS + 1)
    for _ in range(_ROUNDS):
        # Repulsion k^2 / d between actors closer than 2k (the grid variant of the original).
        pairs = cKDTree(pos).query_pairs(2 * k, output_type="ndarray")
        a, b = pairs[:, 0], pairs[:, 1]
        delta = pos[a] - pos[b]
        push = delta * (k * k / np.maximum((delta**2).sum(axis=1), 1e-4))[:, None]
        # Attraction d^2 / k along every tie, damped by the mean degree: without repulsion
        # from far actors, full-strength ties would crush the map into a dense ball.
        delta = pos[src] - pos[dst]
        pull = delta * (np.sqrt((delta**2).sum(axis=1)) / (k * damping))[:, None]
        shift = np.column_stack(
            [
                np.bincount(a, push[:, i], n)
                - np.bincount(b, push[:, i], n)
                - np.bincount(src, pull[:, i], n)
                + np.bincount(dst, pull[:, i], n)
                for i in (0, 1)
            ]
        )
        length = np.maximum(np.hypot(shift[:, 0], shift[:, 1]), 1e-9)
        pos += shift * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return {str(node): (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def _kamada_kawai(G: nx.Graph, seed: int) -> Positions:
    simple = _simple(G)
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
