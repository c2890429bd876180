"""Structural balance of a signed graph: triangles, frustration, clusterability, tension.

All functions take the simple undirected graph ``signed_graph`` returns (one net ``sign``,
+1 or -1, per pair of actors) and read the sign from the ``sign=`` attribute.

A map is *balanced* (Harary 1953; Cartwright & Harary 1956) when its actors split into two
blocs with friends inside and enemies across. The *frustration index* is the least number of
signed pairs whose sign must change for that to hold; it is computed exactly with an integer
program (``scipy.optimize.milp``) for maps up to ``EXACT_MAX_PAIRS`` signed pairs and within
``time_limit`` seconds, and otherwise by a seeded local search whose result says
``exact=False``. *Clusterability* (Davis 1967) relaxes two blocs to at most ``k``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

__all__ = [
    "CLUSTER_EXACT_MAX_NODES",
    "EXACT_MAX_PAIRS",
    "HEURISTIC_BUDGET",
    "PATTERNS",
    "ActorTension",
    "Clustering",
    "Frustration",
    "Realignment",
    "TriangleCensus",
    "actor_tension",
    "clustering",
    "frustration_index",
    "frustration_of_partition",
    "heuristic_restarts",
    "realignments",
    "triangle_census",
    "unbalanced_triangles",
]

#: Largest signed graph (in signed pairs) handed to the exact solver. A formulation with a
#: constraint per unbalanced triangle solved 150 actors and 1,300 pairs in seconds; beyond a
#: few thousand pairs the integer program can run for minutes, so the local search answers.
EXACT_MAX_PAIRS = 2500
#: Largest signed graph (in actors) whose k-bloc clustering is solved exactly. The program
#: has actors x k binary variables and many symmetric optima, so it grows hard quickly.
CLUSTER_EXACT_MAX_NODES = 40
#: Pair visits the local searches spend by default (see ``heuristic_restarts``): about
#: 0.2 s of local search on a 2-core machine, 8 starts on a map of 25,000 signed pairs.
HEURISTIC_BUDGET = 200_000
#: The four triangle sign patterns, in the order outputs list them.
PATTERNS: tuple[str, ...] = ("+++", "++-", "+--", "---")

Pair = tuple[Hashable, Hashable]


class _Rows:
    """Sparse rows of linear constraints ``lo <= sum(v * x[c]) <= hi``, built one at a time."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def __len__(self) -> int:
        return len(self.lower)

    def add(self, terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        """Add the row ``lo <= sum(v * x[c] for c, v in terms) <= hi``."""
        row = len(self.lower)
        for c, v in terms:
            self.rows.append(row)
            self.cols.append(c)
            self.vals.append(v)
        self.lower.append(lo)
        self.upper.append(hi)

    def constraint(self, variables: int) -> Any:
        """The rows as one ``scipy.optimize.LinearConstraint`` over ``variables`` unknowns."""
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_matrix

        shape = (len(self), variables)
        A = coo_matrix((self.vals, (self.rows, self.cols)), shape=shape).tocsr()
        return LinearConstraint(A, np.array(self.lower), np.array(self.upper))


def _sign(S: nx.Graph, u: Hashable, v: Hashable, sign: str) -> int:
    return 1 if S.edges[u, v][sign] > 0 else -1


def _order(S: nx.Graph) -> dict[Hashable, int]:
    # Sorting by str gives one order for any node type, so results do not depend on the
    # order relations were read in.
    return {n: i for i, n in enumerate(sorted(S, key=str))}


def _pair(u: Hashable, v: Hashable) -> Pair:
    return (u, v) if str(u) <= str(v) else (v, u)


def _triangles(S: nx.Graph) -> Iterable[tuple[Hashable, Hashable, Hashable]]:
    """Yield each triangle once, its actors in ``_order``."""
    rank = _order(S)
    for u in sorted(S, key=rank.__getitem__):
        later = [v for v in S[u] if rank[v] > rank[u]]
        later.sort(key=rank.__getitem__)
        for i, v in enumerate(later):
            for w in later[i + 1 :]:
                if S.has_edge(v, w):
                    yield u, v, w


# --- triangles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TriangleCensus:
    """Triangles of a signed graph counted by sign pattern.

    A triangle is balanced when it has an even number of negative sides (``+++``, ``+--``):
    "the friend of my friend is my friend", "the enemy of my enemy is my friend".
    """

    counts: dict[str, int]
    total: int
    balanced: int
    unbalanced: int

    @property
    def ratio(self) -> float | None:
        """Share of triangles that are balanced; None when there are no triangles."""
        return self.balanced / self.total if self.total else None


def triangle_census(S: nx.Graph, *, sign: str = "sign") -> TriangleCensus:
    """Count the triangles of ``S`` by sign pattern (``+++``, ``++-``, ``+--``, ``---``).

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1); S.add_edge("b", "c", sign=-1)
    >>> S.add_edge("a", "c", sign=-1); S.add_edge("c", "d", sign=1)
    >>> S.add_edge("b", "d", sign=1)
    >>> census = triangle_census(S)
    >>> census.counts, census.balanced, census.unbalanced
    ({'+++': 0, '++-': 1, '+--': 1, '---': 0}, 1, 1)
    """
    counts = dict.fromkeys(PATTERNS, 0)
    for u, v, w in _triangles(S):
        negatives = sum(_sign(S, a, b, sign) < 0 for a, b in ((u, v), (v, w), (u, w)))
        counts[PATTERNS[negatives]] += 1
    balanced = counts["+++"] + counts["+--"]
    unbalanced = counts["++-"] + counts["---"]
    return TriangleCensus(counts, balanced + unbalanced, balanced, unbalanced)


def unbalanced_triangles(
    S: nx.Graph, *, sign: str = "sign"
) -> list[tuple[Hashable, Hashable, Hashable]]:
    """List the triangles with an odd number of negative sides, each as three actors.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1); S.add_edge("b", "c", sign=-1)
    >>> S.add_edge("a", "c", sign=-1)
    >>> unbalanced_triangles(S)
    [('a', 'b', 'c')]
    """
    out = []
    for u, v, w in _triangles(S):
        product = _sign(S, u, v, sign) * _sign(S, v, w, sign) * _sign(S, u, w, sign)
        if product < 0:
            out.append((u, v, w))
    return out


# --- frustration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Frustration:
    """The frustration index of a signed graph with one optimal two-bloc partition.

    ``index`` is the number of ``frustrated`` pairs: positive pairs split across the blocs
    and negative pairs inside one. ``exact`` is True only when the integer program proved
    ``index`` optimal; otherwise ``index`` is the best found (an upper bound) and ``method``
    says how. ``partition`` holds the actors that have at least one signed pair; in each
    connected part of the map the two sides can be swapped without changing anything.
    """

    index: int
    exact: bool
    partition: tuple[tuple[Hashable, ...], tuple[Hashable, ...]]
    frustrated: tuple[Pair, ...]
    method: str
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())


def frustration_of_partition(
    S: nx.Graph, side: dict[Hashable, int], *, sign: str = "sign"
) -> list[Pair]:
    """List the pairs a two-bloc assignment ``side`` (actor -> 0 or 1) leaves frustrated.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1)
    >>> frustration_of_partition(S, {"a": 0, "b": 0})
    [('a', 'b')]
    """
    out = []
    for u, v, d in S.edges(data=True):
        same = side[u] == side[v]
        if (d[sign] > 0) != same:
            out.append(_pair(u, v))
    return sorted(out, key=lambda p: (str(p[0]), str(p[1])))


def _make_result(
    S: nx.Graph,
    side: dict[Hashable, int],
    *,
    sign: str,
    exact: bool,
    method: str,
    started: float,
    notes: tuple[str, ...] = (),
) -> Frustration:
    frustrated = frustration_of_partition(S, side, sign=sign)
    active = [n for n in S if S.degree(n) > 0]
    one = tuple(sorted((n for n in active if side[n] == 0), key=str))
    two = tuple(sorted((n for n in active if side[n] == 1), key=str))
    if (len(two), [str(n) for n in two[:1]]) > (len(one), [str(n) for n in one[:1]]):
        one, two = two, one
    return Frustration(
        index=len(frustrated),
        exact=exact,
        partition=(one, two),
        frustrated=tuple(frustrated),
        method=method,
        seconds=round(time.perf_counter() - started, 3),
        notes=notes,
    )


def _local_search(
    S: nx.Graph, *, sign: str, seed: int | None, restarts: int, deadline: float
) -> dict[Hashable, int]:
    """Best two-bloc assignment found by greedy single-actor moves from several starts.

    Each start is improved by moving one actor at a time to the other side while that
    frustrates fewer of its pairs; the gains are kept up to date as actors move, so one
    descent costs about one pass over the pairs. Starts alternate between a random spanning
    forest coloured to satisfy its own pairs and a random assignment, and later starts
    perturb the best assignment found so far.
    """
    rng = random.Random(seed)
    nodes = sorted(S, key=str)
    if not nodes:
        return {}
    index = {a: i for i, a in enumerate(nodes)}
    n = len(nodes)
    adj: list[list[tuple[int, bool]]] = [[] for _ in range(n)]
    for u, v, d in S.edges(data=True):
        if u == v:
            continue
        positive = d[sign] > 0
        adj[index[u]].append((index[v], positive))
        adj[index[v]].append((index[u], positive))

    def descend(side: list[int]) -> int:
        # gain[i]: pairs of i that moving i unfrustrates, less those it frustrates.
        gain = [0] * n
        cost = 0
        for i in range(n):
            for j, positive in adj[i]:
                frustrated = positive != (side[i] == side[j])
                gain[i] += 1 if frustrated else -1
                if frustrated and i < j:
                    cost += 1
        order = list(range(n))
        rng.shuffle(order)
        stack = [i for i in order if gain[i] > 0]
        while stack:
            i = stack.pop()
            if gain[i] <= 0:
                continue
            cost -= gain[i]
            side[i] ^= 1
            gain[i] = -gain[i]
            for j, positive in adj[i]:
                # The pair i-j flipped state: it was frustrated iff it is not now.
                now_frustrated = positive != (side[i] == side[j])
                gain[j] += 2 if now_frustrated else -2
                if gain[j] > 0:
                    stack.append(j)
        return cost

    def tree_start() -> list[int]:
        # Colour a random spanning forest so that its pairs all hold: a balanced start.
        side = [-1] * n
        order = list(range(n))
        rng.shuffle(order)
        for root in order:
            if side[root] >= 0:
                continue
            side[root] = 0
            queue = [root]
            while queue:
                i = queue.pop(rng.randrange(len(queue)))
                for j, positive in adj[i]:
                    if side[j] < 0:
                        side[j] = side[i] if positive else side[i] ^ 1
                        queue.append(j)
        return side

    best: list[int] | None = None
    best_cost = -1
    for attempt in range(max(1, restarts)):
        if attempt and time.perf_counter() > deadline:
            break
        if attempt % 3 == 0:
            side = tree_start()
        elif attempt % 3 == 1 or best is None:
            side = [rng.randrange(2) for _ in range(n)]
        else:
            side = best[:]
            for i in rng.sample(range(n), max(1, n // 10)):
                side[i] ^= 1
        cost = descend(side)
        if best is None or cost < best_cost:
            best, best_cost = side[:], cost
            if cost == 0:
                break
    assert best is not None
    return {a: best[i] for a, i in index.items()}


def _solve_two_blocs(
    S: nx.Graph, *, sign: str, time_limit: float
) -> tuple[dict[Hashable, int] | None, bool]:
    """Solve the frustration integer program; return (assignment or None, proved optimal)."""
    from scipy.optimize import Bounds, milp

    nodes = sorted(S, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v], 1 if d[sign] > 0 else -1) for u, v, d in S.edges(data=True)]
    edge_at = {frozenset((i, j)): k for k, (i, j, _s) in enumerate(edges)}
    n, m = len(nodes), len(edges)
    # Variables: x_i (side of actor i, binary) then f_e (pair e frustrated, binary).
    rows = _Rows()
    add = rows.add

    for k, (i, j, s) in enumerate(edges):
        f = n + k
        if s > 0:  # frustrated when the sides differ: f >= |x_i - x_j|
            add([(f, 1), (i, -1), (j, 1)], 0, np.inf)
            add([(f, 1), (i, 1), (j, -1)], 0, np.inf)
        else:  # frustrated when the sides agree: f >= 1 - |x_i - x_j|
            add([(f, 1), (i, -1), (j, -1)], -1, np.inf)
            add([(f, 1), (i, 1), (j, 1)], 1, np.inf)
    # Cuts that are valid for every integer solution and tighten the relaxation a great deal
    # (Aref, Mason & Wilson 2018): an unbalanced triangle has at least one frustrated side,
    # a balanced one an even number of them.
    for u, v, w in _triangles(S):
        ks = [edge_at[frozenset((index[a], index[b]))] for a, b in ((u, v), (v, w), (u, w))]
        product = edges[ks[0]][2] * edges[ks[1]][2] * edges[ks[2]][2]
        if product < 0:
            add([(n + k, 1) for k in ks], 1, np.inf)
        else:
            for a in range(3):
                others = [ks[b] for b in range(3) if b != a]
                add([(n + ks[a], 1), (n + others[0], -1), (n + others[1], -1)], -np.inf, 0)
    # Each connected part may be mirrored; fixing its best-connected actor halves the search.
    fixed_upper = np.ones(n + m)
    for part in nx.connected_components(S):
        anchor = max(part, key=lambda a: (S.degree(a), str(a)))
        fixed_upper[index[anchor]] = 0
    cost = np.concatenate([np.zeros(n), np.ones(m)])
    constraints = [rows.constraint(n + m)] if len(rows) else []
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.ones(n + m),
        bounds=Bounds(np.zeros(n + m), fixed_upper),
        options={"time_limit": max(0.1, time_limit), "disp": False},
    )
    if result.x is None:
        return None, False
    side = {node: int(round(result.x[index[node]])) for node in nodes}
    return side, result.status == 0


def heuristic_restarts(S: nx.Graph) -> int:
    """Starts of the local searches by default: 64, fewer on large maps, at least 8.

    One start costs about one pass over the pairs; the count keeps starts x pairs near
    ``HEURISTIC_BUDGET`` so a large map is answered in seconds. Counting starts rather than
    seconds keeps the answer the same on every machine for a given seed.
    """
    return max(8, min(64, HEURISTIC_BUDGET // max(1, S.number_of_edges())))


def frustration_index(
    S: nx.Graph,
    *,
    sign: str = "sign",
    exact: bool | None = None,
    time_limit: float = 10.0,
    seed: int | None = 0,
    restarts: int | None = None,
) -> Frustration:
    """Find the least number of pairs whose sign must change for ``S`` to be balanced.

    Parameters
    ----------
    S : networkx.Graph
        A simple undirected signed graph, such as ``signed_graph`` returns.
    sign : str
        Edge attribute holding the sign (positive or negative number).
    exact : bool or None
        True forces the integer program, False the local search; None (the default) uses
        the integer program up to ``EXACT_MAX_PAIRS`` pairs.
    time_limit : float
        Seconds the integer program may run. If it stops before proving optimality, the
        better of its incumbent and the local search is returned with ``exact=False``.
    seed : int or None
        Seed of the local search.
    restarts : int or None
        Starts of the local search; None for ``heuristic_restarts(S)``.

    Returns
    -------
    Frustration

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1); S.add_edge("b", "c", sign=1)
    >>> S.add_edge("a", "c", sign=-1)
    >>> result = frustration_index(S)
    >>> result.index, result.exact
    (1, True)
    """
    started = time.perf_counter()
    restarts = heuristic_restarts(S) if restarts is None else restarts
    use_exact = S.number_of_edges() <= EXACT_MAX_PAIRS if exact is None else exact
    notes: list[str] = []
    if S.number_of_edges() == 0:
        side = dict.fromkeys(S, 0)
        return _make_result(S, side, sign=sign, exact=True, method="trivial", started=started)
    if use_exact:
        side, proved = _solve_two_blocs(S, sign=sign, time_limit=time_limit)
        if side is not None and proved:
            return _make_result(
                S, side, sign=sign, exact=True, method="integer program", started=started
            )
        notes.append(f"the integer program did not finish within {time_limit:g} s")
        deadline = time.perf_counter() + max(1.0, time_limit / 4)
        heuristic = _local_search(S, sign=sign, seed=seed, restarts=restarts, deadline=deadline)
        if side is not None and len(frustration_of_partition(S, side, sign=sign)) <= len(
            frustration_of_partition(S, heuristic, sign=sign)
        ):
            return _make_result(
                S,
                side,
                sign=sign,
                exact=False,
                method="integer program, stopped at the time limit",
                started=started,
                notes=tuple(notes),
            )
        side = heuristic
    else:
        notes.append(f"more than {EXACT_MAX_PAIRS} signed pairs: not solved exactly")
        deadline = time.perf_counter() + max(1.0, time_limit)
        side = _local_search(S, sign=sign, seed=seed, restarts=restarts, deadline=deadline)
    return _make_result(
        S,
        side,
        sign=sign,
        exact=False,
        method="local search (heuristic)",
        started=started,
        notes=tuple(notes),
    )


# --- clusterability ------------------------------------------------------------------------


@dataclass(frozen=True)
class Clustering:
    """The best split found into at most ``k`` blocs and the pairs it leaves inconsistent.

    A pair is inconsistent when it is positive across blocs or negative inside one.
    ``exact`` is True only when the integer program proved the count optimal.
    """

    k: int
    inconsistencies: int
    exact: bool
    partition: tuple[tuple[Hashable, ...], ...]
    inconsistent: tuple[Pair, ...]
    method: str


def _inconsistent(S: nx.Graph, bloc: dict[Hashable, int], sign: str) -> list[Pair]:
    out = [_pair(u, v) for u, v, d in S.edges(data=True) if (d[sign] > 0) != (bloc[u] == bloc[v])]
    return sorted(out, key=lambda p: (str(p[0]), str(p[1])))


def _cluster_local_search(
    S: nx.Graph, k: int, *, sign: str, seed: int | None, restarts: int, deadline: float
) -> dict[Hashable, int]:
    """Best split into at most ``k`` blocs found by greedy single-actor moves.

    For each actor the count of its friends and enemies in every bloc is kept up to date,
    so the cost of a move is known without rescanning the map.
    """
    rng = random.Random(seed)
    nodes = sorted(S, key=str)
    index = {a: i for i, a in enumerate(nodes)}
    n = len(nodes)
    adj: list[list[tuple[int, bool]]] = [[] for _ in range(n)]
    for u, v, d in S.edges(data=True):
        if u != v:
            positive = d[sign] > 0
            adj[index[u]].append((index[v], positive))
            adj[index[v]].append((index[u], positive))
    friends_total = [sum(1 for _j, p in adj[i] if p) for i in range(n)]

    def descend(bloc: list[int]) -> int:
        friends = [[0] * k for _ in range(n)]
        enemies = [[0] * k for _ in range(n)]
        for i in range(n):
            for j, positive in adj[i]:
                (friends if positive else enemies)[i][bloc[j]] += 1

        def cost(i: int, c: int) -> int:
            return friends_total[i] - friends[i][c] + enemies[i][c]

        stack = list(range(n))
        rng.shuffle(stack)
        while stack:
            i = stack.pop()
            here = bloc[i]
            target = min(range(k), key=lambda c: (cost(i, c), c != here))
            if cost(i, target) >= cost(i, here):
                continue
            bloc[i] = target
            for j, positive in adj[i]:
                counts = friends if positive else enemies
                counts[j][here] -= 1
                counts[j][target] += 1
                stack.append(j)
        return sum(cost(i, bloc[i]) for i in range(n)) // 2

    best: list[int] | None = None
    best_cost = -1
    for attempt in range(max(1, restarts)):
        if attempt and time.perf_counter() > deadline:
            break
        if best is not None and attempt % 2 == 0:
            bloc = best[:]
            for i in rng.sample(range(n), max(1, n // 10)):
                bloc[i] = rng.randrange(k)
        else:
            bloc = [rng.randrange(k) for _ in range(n)]
        c = descend(bloc)
        if best is None or c < best_cost:
            best, best_cost = bloc[:], c
            if c == 0:
                break
    assert best is not None
    return {a: best[i] for a, i in index.items()}


def _solve_k_blocs(
    S: nx.Graph, k: int, *, sign: str, time_limit: float
) -> tuple[dict[Hashable, int] | None, bool]:
    from scipy.optimize import Bounds, milp

    nodes = sorted(S, key=lambda a: (-S.degree(a), str(a)))
    n = len(nodes)
    index = {a: i for i, a in enumerate(nodes)}
    edges = [(index[u], index[v], d[sign] > 0) for u, v, d in S.edges(data=True)]
    m = len(edges)
    nx_vars = n * k  # x[i, c] at i * k + c, then y_e (same bloc) at n * k + e

    rows = _Rows()
    add = rows.add

    for i in range(n):
        add([(i * k + c, 1) for c in range(k)], 1, 1)
    cost = np.zeros(nx_vars + m)
    constant = 0.0
    for e, (i, j, positive) in enumerate(edges):
        y = nx_vars + e
        for c in range(k):
            xi, xj = i * k + c, j * k + c
            if positive:  # cost 1 - y; y may be 1 only if i and j share every bloc choice
                add([(y, 1), (xi, 1), (xj, -1)], -np.inf, 1)
                add([(y, 1), (xi, -1), (xj, 1)], -np.inf, 1)
            else:  # cost y; y must be 1 when i and j share a bloc
                add([(y, 1), (xi, -1), (xj, -1)], -1, np.inf)
        if positive:
            cost[y] = -1
            constant += 1
        else:
            cost[y] = 1
    # Blocs are interchangeable: actor i may only open bloc i or an earlier one.
    ub = np.ones(nx_vars + m)
    for i in range(n):
        for c in range(i + 1, k):
            ub[i * k + c] = 0
    integrality = np.concatenate([np.ones(nx_vars), np.zeros(m)])
    result = milp(
        cost,
        constraints=[rows.constraint(nx_vars + m)],
        integrality=integrality,
        bounds=Bounds(np.zeros(nx_vars + m), ub),
        options={"time_limit": max(0.1, time_limit), "disp": False},
    )
    if result.x is None:
        return None, False
    bloc = {a: int(np.argmax(result.x[index[a] * k : index[a] * k + k])) for a in nodes}
    return bloc, result.status == 0


def clustering(
    S: nx.Graph,
    k: int,
    *,
    sign: str = "sign",
    exact: bool | None = None,
    time_limit: float = 10.0,
    seed: int | None = 0,
    restarts: int | None = None,
) -> Clustering:
    """Split ``S`` into at most ``k`` blocs with the fewest inconsistent pairs.

    Exact (an integer program) up to ``CLUSTER_EXACT_MAX_NODES`` actors with a signed pair
    and within ``time_limit`` seconds; otherwise a seeded local search, ``exact=False``.
    Blocs are listed largest first; actors with no signed pair are left out.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1); S.add_edge("b", "c", sign=-1)
    >>> S.add_edge("a", "c", sign=-1)
    >>> clustering(S, 2).inconsistencies, clustering(S, 3).inconsistencies
    (1, 0)
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    restarts = heuristic_restarts(S) if restarts is None else restarts
    active = S.subgraph([n for n in S if S.degree(n) > 0]).copy()
    use_exact = active.number_of_nodes() <= CLUSTER_EXACT_MAX_NODES if exact is None else exact
    bloc: dict[Hashable, int] | None = None
    proved = False
    method = "local search (heuristic)"
    if active.number_of_nodes() == 0:
        bloc, proved, method = {}, True, "trivial"
    elif use_exact:
        bloc, proved = _solve_k_blocs(active, k, sign=sign, time_limit=time_limit)
        method = "integer program" if proved else "integer program, stopped at the time limit"
    if not proved:
        deadline = time.perf_counter() + max(1.0, time_limit)
        heuristic = _cluster_local_search(
            active, k, sign=sign, seed=seed, restarts=restarts, deadline=deadline
        )
        if bloc is None or len(_inconsistent(active, heuristic, sign)) < len(
            _inconsistent(active, bloc, sign)
        ):
            bloc, method = heuristic, "local search (heuristic)"
    assert bloc is not None
    groups: dict[int, list[Hashable]] = {}
    for actor, c in bloc.items():
        groups.setdefault(c, []).append(actor)
    parts = sorted(
        (tuple(sorted(g, key=str)) for g in groups.values()), key=lambda g: (-len(g), str(g[0]))
    )
    bad = _inconsistent(active, bloc, sign)
    return Clustering(
        k=k,
        inconsistencies=len(bad),
        exact=proved,
        partition=tuple(parts),
        inconsistent=tuple(bad),
        method=method,
    )


# --- tension -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Realignment:
    """What changing the sign of one pair does to the unbalanced triangles.

    ``resolves`` unbalanced triangles become balanced, ``creates`` balanced ones become
    unbalanced; ``net`` is ``resolves - creates``.
    """

    pair: Pair
    sign: int
    resolves: int
    creates: int

    @property
    def net(self) -> int:
        """Unbalanced triangles removed, less those added."""
        return self.resolves - self.creates


def realignments(S: nx.Graph, *, sign: str = "sign") -> list[Realignment]:
    """Rank the pairs by how much tension flipping their sign would resolve, best first.

    Only pairs in at least one unbalanced triangle are listed.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1); S.add_edge("b", "c", sign=1)
    >>> S.add_edge("a", "c", sign=-1)
    >>> [(r.pair, r.net) for r in realignments(S)]
    [(('a', 'b'), 1), (('a', 'c'), 1), (('b', 'c'), 1)]
    """
    resolves: dict[Pair, int] = {}
    creates: dict[Pair, int] = {}
    for u, v, w in _triangles(S):
        sides = [_pair(u, v), _pair(v, w), _pair(u, w)]
        product = 1
        for a, b in sides:
            product *= _sign(S, a, b, sign)
        target = resolves if product < 0 else creates
        for p in sides:
            target[p] = target.get(p, 0) + 1
    out = [Realignment(p, _sign(S, *p, sign), n, creates.get(p, 0)) for p, n in resolves.items()]
    out.sort(key=lambda r: (-r.net, -r.resolves, str(r.pair[0]), str(r.pair[1])))
    return out


@dataclass(frozen=True)
class ActorTension:
    """The unbalanced triangles one actor sits in, and the pair that would ease it most.

    ``relief`` is the pair among those triangles whose sign change resolves the most of
    this actor's unbalanced triangles (net of the ones it would unbalance), ``eases`` how
    many; None when the actor sits in no unbalanced triangle. ``with_whom`` lists the
    other two actors of each unbalanced triangle.
    """

    actor: Hashable
    unbalanced: int
    triangles: int
    relief: Pair | None
    eases: int
    with_whom: tuple[Pair, ...] = ()


def actor_tension(S: nx.Graph, *, sign: str = "sign") -> dict[Hashable, ActorTension]:
    """Per actor: unbalanced triangles it sits in, and the pair whose change eases it most.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1); S.add_edge("b", "c", sign=1)
    >>> S.add_edge("a", "c", sign=-1); S.add_edge("c", "d", sign=1)
    >>> t = actor_tension(S)
    >>> t["a"].unbalanced, t["a"].with_whom, t["d"].unbalanced, t["d"].relief
    (1, (('b', 'c'),), 0, None)
    """
    tri_of: dict[Hashable, list[tuple[list[Pair], bool]]] = {n: [] for n in S}
    partners: dict[Hashable, list[Pair]] = {n: [] for n in S}
    for u, v, w in _triangles(S):
        sides = [_pair(u, v), _pair(v, w), _pair(u, w)]
        product = 1
        for a, b in sides:
            product *= _sign(S, a, b, sign)
        for n in (u, v, w):
            tri_of[n].append((sides, product < 0))
            if product < 0:
                others = [m for m in (u, v, w) if m != n]
                partners[n].append(_pair(others[0], others[1]))
    out: dict[Hashable, ActorTension] = {}
    for actor, tris in tri_of.items():
        effect: dict[Pair, int] = {}
        for sides, unbalanced in tris:
            for p in sides:
                effect[p] = effect.get(p, 0) + (1 if unbalanced else -1)
        n_unbalanced = sum(1 for _s, u in tris if u)
        relief: Pair | None = None
        eases = 0
        if n_unbalanced:
            relief = min(effect, key=lambda p: (-effect[p], str(p[0]), str(p[1])))
            eases = effect[relief]
        out[actor] = ActorTension(
            actor, n_unbalanced, len(tris), relief, eases, tuple(partners[actor])
        )
    return out
