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
from collections.abc import Callable, Hashable, Iterable, Mapping
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
    "SWING_MAX_ACTORS",
    "Swing",
    "actor_tension",
    "align_split",
    "clustering",
    "is_frustrated",
    "frustration_index",
    "frustration_of_partition",
    "heuristic_restarts",
    "realignments",
    "swing_actors",
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
        entries = (np.array(self.vals), (np.array(self.rows), np.array(self.cols)))
        A = coo_matrix(entries, shape=shape).tocsr()
        return LinearConstraint(A, np.array(self.lower), np.array(self.upper))


def _sign(S: nx.Graph[Any], u: Hashable, v: Hashable, sign: str) -> int:
    return 1 if S.edges[u, v][sign] > 0 else -1


def is_frustrated(positive: bool, same_side: bool) -> bool:
    """Whether a pair breaks a split: a positive pair across sides or a negative one inside.

    The one definition of "frustrated" (for two sides) and "inconsistent" (for k blocs).

    >>> is_frustrated(True, False), is_frustrated(False, True), is_frustrated(True, True)
    (True, True, False)
    """
    return positive != same_side


def _cost(d: dict[str, Any], weight: str | None) -> float:
    """What frustrating one pair costs: 1, or its ``weight`` attribute."""
    return 1 if weight is None else d.get(weight, 1)


Adjacency = list[list[tuple[int, bool, float]]]


def _adjacency(
    S: nx.Graph[Any], sign: str, weight: str | None = None
) -> tuple[list[Hashable], Adjacency]:
    """Actors in ``_order`` and, per actor, its signed pairs as (other, positive, cost)."""
    nodes = sorted(S, key=str)
    index = {a: i for i, a in enumerate(nodes)}
    adj: Adjacency = [[] for _ in nodes]
    for u, v, d in S.edges(data=True):
        if u == v:
            continue
        positive, c = d[sign] > 0, _cost(d, weight)
        adj[index[u]].append((index[v], positive, c))
        adj[index[v]].append((index[u], positive, c))
    return nodes, adj


def _best_of_starts(
    restarts: int,
    deadline: float,
    start: Callable[[int, list[int] | None], list[int]],
    descend: Callable[[list[int]], float],
) -> list[int]:
    """The one restart loop of the local searches: best of ``restarts`` descents.

    ``start(attempt, best)`` makes a starting assignment (it may perturb the best so far);
    ``descend`` improves it in place and returns its cost. Stops early at a cost of zero or
    once ``deadline`` passes (after the first start).
    """
    best: list[int] | None = None
    best_cost = 0.0
    for attempt in range(max(1, restarts)):
        if attempt and time.perf_counter() > deadline:
            break
        state = start(attempt, best)
        cost = descend(state)
        if best is None or cost < best_cost:
            best, best_cost = state[:], cost
            if cost == 0:
                break
    assert best is not None
    return best


def _order(S: nx.Graph[Any]) -> dict[Hashable, int]:
    # Sorting by str gives one order for any node type, so results do not depend on the
    # order relations were read in.
    return {n: i for i, n in enumerate(sorted(S, key=str))}


def _pair(u: Hashable, v: Hashable) -> Pair:
    return (u, v) if str(u) <= str(v) else (v, u)


def _triangles(S: nx.Graph[Any]) -> Iterable[tuple[Hashable, Hashable, Hashable]]:
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


def triangle_census(S: nx.Graph[Any], *, sign: str = "sign") -> TriangleCensus:
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
    S: nx.Graph[Any], *, sign: str = "sign"
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
    and negative pairs inside one. ``cost`` is what the split minimised: the same count,
    or with ``weight`` the total weight of the frustrated pairs. ``exact`` is True only when
    the integer program proved ``cost`` optimal; otherwise it is the best found (an upper
    bound) and ``method`` says how. ``partition`` holds the actors that have at least one
    signed pair; in each connected part of the map the two sides can be swapped without
    changing anything.
    """

    index: int
    exact: bool
    partition: tuple[tuple[Hashable, ...], tuple[Hashable, ...]]
    frustrated: tuple[Pair, ...]
    method: str
    notes: tuple[str, ...] = field(default=())
    cost: float = 0
    weight: str | None = None
    side: Mapping[Hashable, int] = field(default_factory=dict, compare=False, repr=False)
    #: The exact solve was tried and ran out of time (more time may prove the figure).
    timed_out: bool = False


def frustration_of_partition(
    S: nx.Graph[Any], side: Mapping[Hashable, int], *, sign: str = "sign"
) -> list[Pair]:
    """List the pairs a two-bloc assignment ``side`` (actor -> 0 or 1) leaves frustrated.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1)
    >>> frustration_of_partition(S, {"a": 0, "b": 0})
    [('a', 'b')]
    """
    out = [
        _pair(u, v)
        for u, v, d in S.edges(data=True)
        if is_frustrated(d[sign] > 0, side[u] == side[v])
    ]
    return sorted(out, key=lambda p: (str(p[0]), str(p[1])))


def _total(S: nx.Graph[Any], pairs: Iterable[Pair], weight: str | None) -> float:
    return sum(_cost(S.edges[p], weight) for p in pairs)


def _make_result(
    S: nx.Graph[Any],
    side: dict[Hashable, int],
    *,
    sign: str,
    weight: str | None,
    exact: bool,
    method: str,
    notes: tuple[str, ...] = (),
    timed_out: bool = False,
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
        notes=notes,
        cost=_total(S, frustrated, weight),
        weight=weight,
        side={n: side[n] for n in active},
        timed_out=timed_out,
    )


def _local_search(
    S: nx.Graph[Any],
    *,
    sign: str,
    weight: str | None = None,
    seed: int | None,
    restarts: int,
    deadline: float,
    start_from: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, int]:
    """Best two-bloc assignment found by greedy single-actor moves from several starts.

    Each start is improved by moving one actor at a time to the other side while that
    lowers the cost of its frustrated pairs; the gains are kept up to date as actors move,
    so one descent costs about one pass over the pairs. Starts alternate between a random
    spanning forest coloured to satisfy its own pairs and a random assignment, and later
    starts perturb the best assignment found so far. ``start_from`` is the first start.
    """
    rng = random.Random(seed)
    nodes, adj = _adjacency(S, sign, weight)
    if not nodes:
        return {}
    n = len(nodes)

    def descend(side: list[int]) -> float:
        # gain[i]: cost of the pairs of i that moving i unfrustrates, less what it frustrates.
        gain = [0.0] * n
        cost = 0.0
        for i in range(n):
            for j, positive, c in adj[i]:
                frustrated = is_frustrated(positive, side[i] == side[j])
                gain[i] += c if frustrated else -c
                if frustrated and i < j:
                    cost += c
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
            for j, positive, c in adj[i]:
                # The pair i-j flipped state: it was frustrated iff it is not now.
                now_frustrated = is_frustrated(positive, side[i] == side[j])
                gain[j] += 2 * c if now_frustrated else -2 * c
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
                for j, positive, _c in adj[i]:
                    if side[j] < 0:
                        side[j] = side[i] if positive else side[i] ^ 1
                        queue.append(j)
        return side

    def start(attempt: int, best: list[int] | None) -> list[int]:
        if attempt == 0 and start_from is not None:
            return [start_from.get(a, 0) for a in nodes]
        if attempt % 3 == 0:
            return tree_start()
        if attempt % 3 == 1 or best is None:
            return [rng.randrange(2) for _ in range(n)]
        side = best[:]
        for i in rng.sample(range(n), max(1, n // 10)):
            side[i] ^= 1
        return side

    best = _best_of_starts(restarts, deadline, start, descend)
    return {a: best[i] for i, a in enumerate(nodes)}


class _TwoBlocs:
    """The frustration integer program of ``S``, built once and solved with extra rows.

    Variables: x_i (side of actor i, binary) then f_e (pair e frustrated, binary). The
    objective is the count or the total weight of the frustrated pairs.
    """

    def __init__(self, S: nx.Graph[Any], *, sign: str, weight: str | None) -> None:
        self.S = S
        self.nodes = sorted(S, key=str)
        self.index = {a: i for i, a in enumerate(self.nodes)}
        index = self.index
        edges = [
            (index[u], index[v], 1 if d[sign] > 0 else -1, _cost(d, weight))
            for u, v, d in S.edges(data=True)
        ]
        edge_at = {frozenset((i, j)): k for k, (i, j, _s, _c) in enumerate(edges)}
        n, m = len(self.nodes), len(edges)
        self.n, self.size = n, n + m
        rows = _Rows()
        add = rows.add
        for k, (i, j, s, _c) in enumerate(edges):
            f = n + k
            if s > 0:  # frustrated when the sides differ: f >= |x_i - x_j|
                add([(f, 1), (i, -1), (j, 1)], 0, np.inf)
                add([(f, 1), (i, 1), (j, -1)], 0, np.inf)
            else:  # frustrated when the sides agree: f >= 1 - |x_i - x_j|
                add([(f, 1), (i, -1), (j, -1)], -1, np.inf)
                add([(f, 1), (i, 1), (j, 1)], 1, np.inf)
        # Cuts valid for every integer solution that tighten the relaxation a great deal
        # (Aref, Mason & Wilson 2018): an unbalanced triangle has at least one frustrated
        # side, a balanced one an even number of them.
        for u, v, w in _triangles(S):
            ks = [edge_at[frozenset((index[a], index[b]))] for a, b in ((u, v), (v, w), (u, w))]
            product = edges[ks[0]][2] * edges[ks[1]][2] * edges[ks[2]][2]
            if product < 0:
                add([(n + k, 1) for k in ks], 1, np.inf)
            else:
                for a in range(3):
                    others = [ks[b] for b in range(3) if b != a]
                    add([(n + ks[a], 1), (n + others[0], -1), (n + others[1], -1)], -np.inf, 0)
        self.base = [rows.constraint(self.size)] if len(rows) else []
        self.cost = np.concatenate([np.zeros(n), np.array([c for *_x, c in edges], dtype=float)])

    def solve(
        self,
        time_limit: float,
        *,
        upper: np.ndarray | None = None,
        lower: np.ndarray | None = None,
        extra: list[Any] = (),  # type: ignore[assignment]
        objective: np.ndarray | None = None,
    ) -> tuple[dict[Hashable, int] | None, bool, bool]:
        """Solve with optional bounds and rows: (assignment or None, proved, infeasible)."""
        from scipy.optimize import Bounds, milp

        result = milp(
            self.cost if objective is None else objective,
            constraints=[*self.base, *extra],
            integrality=np.ones(self.size, dtype=np.int8),
            bounds=Bounds(
                np.zeros(self.size) if lower is None else lower,
                np.ones(self.size) if upper is None else upper,
            ),
            options={"time_limit": max(0.05, time_limit), "disp": False},
        )
        if result.x is None:
            # no assignment: the time ran out (1) or the program is infeasible (2)
            return None, False, result.status == 2
        side = {a: int(round(result.x[i])) for a, i in self.index.items()}
        return side, result.status == 0, False

    def anchored(self) -> np.ndarray:
        """Upper bounds that fix each part's best-connected actor on side 0.

        Each connected part may be mirrored; fixing one actor halves the search.
        """
        upper = np.ones(self.size)
        for part in nx.connected_components(self.S):
            anchor = max(part, key=lambda a: (self.S.degree(a), str(a)))
            upper[self.index[anchor]] = 0
        return upper


def _solve_two_blocs(
    S: nx.Graph[Any],
    *,
    sign: str,
    weight: str | None = None,
    time_limit: float,
    tiebreak: str | None = None,
) -> tuple[dict[Hashable, int] | None, bool]:
    """Solve the frustration integer program; return (assignment or None, proved optimal).

    With ``tiebreak`` (an edge attribute) and no ``weight``, the count is minimised first
    and, among the splits with the least count, the total ``tiebreak`` weight.
    """
    program = _TwoBlocs(S, sign=sign, weight=weight)
    objective = None
    if weight is None and tiebreak is not None:
        extra = np.array([_cost(d, tiebreak) for _u, _v, d in S.edges(data=True)], dtype=float)
        # Every count step outweighs all the weight together, so the count stays optimal.
        objective = program.cost.copy()
        objective[program.n :] += extra / (extra.sum() + 1)
    side, proved, _infeasible = program.solve(
        time_limit, upper=program.anchored(), objective=objective
    )
    return side, proved


def heuristic_restarts(S: nx.Graph[Any]) -> int:
    """Starts of the local searches by default: 64, fewer on large maps, at least 8.

    One start costs about one pass over the pairs; the count keeps starts x pairs near
    ``HEURISTIC_BUDGET`` so a large map is answered in seconds. Counting starts rather than
    seconds keeps the answer the same on every machine for a given seed.
    """
    return max(8, min(64, HEURISTIC_BUDGET // max(1, S.number_of_edges())))


#: How ``Frustration.method`` names each way of finding a split.
METHOD_EXACT = "integer program"
METHOD_STOPPED = "integer program, stopped at the time limit"
METHOD_HEURISTIC = "local search (heuristic)"


def frustration_index(
    S: nx.Graph[Any],
    *,
    sign: str = "sign",
    weight: str | None = None,
    exact: bool | None = None,
    time_limit: float = 10.0,
    seed: int | None = 0,
    restarts: int | None = None,
    start_from: Mapping[Hashable, int] | None = None,
    tiebreak: str | None = "weight",
) -> Frustration:
    """Find the least number (or weight) of pairs whose sign must change for balance.

    Parameters
    ----------
    S : networkx.Graph
        A simple undirected signed graph, such as ``signed_graph`` returns.
    sign : str
        Edge attribute holding the sign (positive or negative number).
    weight : str or None
        None counts frustrated pairs; an edge attribute name (``"weight"``, which
        ``signed_graph`` sets) minimises their total weight instead.
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
    start_from : mapping or None
        A split (actor -> 0 or 1) the local search starts from first, such as the count
        split when looking for the weighted one.
    tiebreak : str or None
        When counting (no ``weight``), the exact solver picks, among the splits with the
        least count, one with the least total of this edge attribute (``signed_graph``'s
        ``weight``; edges without it count 1): the count stays the same, the split leans on
        the weakest evidence it can.

    Returns
    -------
    Frustration

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1, weight=5); S.add_edge("b", "c", sign=1, weight=1)
    >>> S.add_edge("a", "c", sign=-1, weight=2)
    >>> result = frustration_index(S)
    >>> result.index, result.exact
    (1, True)
    >>> weighted = frustration_index(S, weight="weight")
    >>> weighted.cost, weighted.frustrated
    (1, (('b', 'c'),))
    """
    restarts = heuristic_restarts(S) if restarts is None else restarts
    use_exact = S.number_of_edges() <= EXACT_MAX_PAIRS if exact is None else exact
    notes: list[str] = []

    def result(side: dict[Hashable, int], proved: bool, method: str) -> Frustration:
        return _make_result(
            S,
            side,
            sign=sign,
            weight=weight,
            exact=proved,
            method=method,
            notes=tuple(notes),
            timed_out=use_exact and not proved,
        )

    if S.number_of_edges() == 0:
        return result(dict.fromkeys(S, 0), True, "trivial")
    search = {
        "sign": sign,
        "weight": weight,
        "seed": seed,
        "restarts": restarts,
        "start_from": start_from,
    }
    if use_exact:
        side, proved = _solve_two_blocs(
            S, sign=sign, weight=weight, time_limit=time_limit, tiebreak=tiebreak
        )
        if side is not None and proved:
            return result(side, True, METHOD_EXACT)
        notes.append(f"the integer program did not finish within {time_limit:g} s")
        deadline = time.perf_counter() + max(1.0, time_limit / 4)
        heuristic = _local_search(S, deadline=deadline, **search)  # type: ignore[arg-type]
        if side is not None and _total(
            S, frustration_of_partition(S, side, sign=sign), weight
        ) <= _total(S, frustration_of_partition(S, heuristic, sign=sign), weight):
            return result(side, False, METHOD_STOPPED)
        side = heuristic
    else:
        notes.append(f"more than {EXACT_MAX_PAIRS} signed pairs: not solved exactly")
        deadline = time.perf_counter() + max(1.0, time_limit)
        side = _local_search(S, deadline=deadline, **search)  # type: ignore[arg-type]
    return result(side, False, METHOD_HEURISTIC)


# --- who could sit in either camp ------------------------------------------------------------


@dataclass(frozen=True)
class Swing:
    """The actors some optimal split puts on the other side, once aligned with the reported one.

    ``actors`` is None when not computed (the split itself is not proved optimal, or the
    map is beyond ``SWING_MAX_ACTORS``). ``exact`` is True when every actor was settled by a
    proof; False when the time ran out first: then ``actors`` lists those found so far.
    ``witness`` holds, per swing actor, one optimal split (actor -> side, aligned) putting
    it on the other side.
    """

    actors: frozenset[Hashable] | None
    exact: bool
    witness: Mapping[Hashable, Mapping[Hashable, int]] = field(
        default_factory=dict, compare=False, repr=False
    )


#: Largest number of actors with a signed pair for which swing actors are sought: one
#: integer program per actor at most.
SWING_MAX_ACTORS = 400


def align_split(
    side: Mapping[Hashable, int],
    reported: Mapping[Hashable, int],
    parts: list[set[Hashable]],
) -> dict[Hashable, int]:
    """``side`` with each part mirrored where that keeps more actors on its ``reported`` side.

    ``parts`` are the components to align one by one (a tie keeps ``side`` as it is).
    """
    out: dict[Hashable, int] = {}
    for part in parts:
        kept = sum(side[a] == reported[a] for a in part)
        flip = kept * 2 < len(part)
        out.update({a: side[a] ^ 1 if flip else side[a] for a in part})
    return out


def swing_actors(
    S: nx.Graph[Any],
    split: Frustration,
    *,
    sign: str = "sign",
    time_limit: float = 10.0,
) -> Swing:
    """Find the actors that could sit on either side of an optimal two-bloc split.

    The components of ``S`` are independent, and mirroring one is the same split; so an
    alternative optimal split is first aligned, component by component, by the mirror that
    keeps the most actors on their reported side (a tie counts either way). An actor is
    *swing* when some optimal split, so aligned, puts it on the other side.

    Exact by one integer program per actor not already settled: the split's program with
    the actor forced to the other side, at least half its component kept on the reported
    side, and the cost held at the optimum. Actors outside the map's 2-core need no solve
    of their own: their pairs hold in every optimal split, so they move with the core.
    Nothing is anchored, so an actor that is its component's most connected can be found
    swing too. Every split found on the way settles
    all the actors it moves. ``time_limit`` bounds all the solves together.

    Examples
    --------
    ``e`` is friendly with both ``b`` and ``c``, who are enemies: it fits either camp.

    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1); S.add_edge("a", "c", sign=-1)
    >>> S.add_edge("d", "b", sign=1); S.add_edge("d", "c", sign=-1)
    >>> S.add_edge("e", "b", sign=1); S.add_edge("e", "c", sign=1)
    >>> sorted(swing_actors(S, frustration_index(S)).actors)
    ['e']
    """
    reported = dict(split.side)
    if not split.exact:
        return Swing(None, False)
    if len(reported) > SWING_MAX_ACTORS:
        return Swing(None, False)
    deadline = time.perf_counter() + time_limit
    active = S.subgraph(reported)
    parts = [set(p) for p in nx.connected_components(active)]
    part_of = {a: i for i, p in enumerate(parts) for a in p}
    optimum = split.cost
    tolerance = 1e-6 * max(1.0, optimum)
    witness: dict[Hashable, dict[Hashable, int]] = {}

    def record(side: Mapping[Hashable, int]) -> None:
        aligned = align_split(side, reported, parts)
        for a in aligned:
            if aligned[a] != reported[a] and a not in witness:
                witness[a] = aligned

    # Cheap first: moving a single actor that costs nothing is another optimal split.
    _nodes, adj = _adjacency(active, sign, split.weight)
    order = _nodes
    for i, a in enumerate(order):
        delta = 0.0
        for j, positive, c in adj[i]:
            before = is_frustrated(positive, reported[a] == reported[order[j]])
            delta += -c if before else c
        if abs(delta) <= tolerance:
            record({**reported, a: reported[a] ^ 1})
    program = _TwoBlocs(active, sign=sign, weight=split.weight)
    from scipy.optimize import LinearConstraint

    bound = LinearConstraint(program.cost, -np.inf, optimum + tolerance)
    exact = True
    # An actor outside the 2-core (a leaf, or a tree hanging off the map) has its pairs
    # satisfied in every optimal split, so it moves exactly with the actor it hangs from:
    # the solves for the core settle it.
    # (A pair that costs nothing to frustrate breaks this: then every actor is solved.)
    free = any(_cost(d, split.weight) <= 0 for _u, _v, d in active.edges(data=True))
    core = set(active) if free else set(nx.k_core(nx.Graph(active.edges()), 2))
    for a in sorted(reported, key=str):
        if a in witness or len(parts[part_of[a]]) < 2 or a not in core:
            continue
        left = deadline - time.perf_counter()
        if left <= 0:
            exact = False
            break
        i = program.index[a]
        lower, upper = np.zeros(program.size), np.ones(program.size)
        lower[i] = upper[i] = reported[a] ^ 1
        # Others kept on their side: x_b where the reported side is 1, 1 - x_b where it is 0.
        part = parts[part_of[a]]
        row = np.zeros(program.size)
        zeros = 0
        for b in part - {a}:
            row[program.index[b]] = 1 if reported[b] else -1
            zeros += reported[b] == 0
        need = (len(part) + 1) // 2
        keep = LinearConstraint(row, need - zeros, np.inf)
        side, proved, infeasible = program.solve(
            left, lower=lower, upper=upper, extra=[bound, keep], objective=np.zeros(program.size)
        )
        if side is not None:
            record(side)
        elif not infeasible:
            exact = False
    return Swing(frozenset(witness), exact, witness)


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
    #: The exact solve was tried and ran out of time (more time may prove the figure).
    timed_out: bool = False


def _inconsistent(S: nx.Graph[Any], bloc: dict[Hashable, int], sign: str) -> list[Pair]:
    out = [
        _pair(u, v)
        for u, v, d in S.edges(data=True)
        if is_frustrated(d[sign] > 0, bloc[u] == bloc[v])
    ]
    return sorted(out, key=lambda p: (str(p[0]), str(p[1])))


def _cluster_local_search(
    S: nx.Graph[Any], k: int, *, sign: str, seed: int | None, restarts: int, deadline: float
) -> dict[Hashable, int]:
    """Best split into at most ``k`` blocs found by greedy single-actor moves.

    For each actor the count of its friends and enemies in every bloc is kept up to date,
    so the cost of a move is known without rescanning the map.
    """
    rng = random.Random(seed)
    nodes, adj = _adjacency(S, sign)
    n = len(nodes)
    friends_total = [sum(1 for _j, p, _c in adj[i] if p) for i in range(n)]

    def descend(bloc: list[int]) -> int:
        friends = [[0] * k for _ in range(n)]
        enemies = [[0] * k for _ in range(n)]
        for i in range(n):
            for j, positive, _c in adj[i]:
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
            for j, positive, _c in adj[i]:
                counts = friends if positive else enemies
                counts[j][here] -= 1
                counts[j][target] += 1
                stack.append(j)
        return sum(cost(i, bloc[i]) for i in range(n)) // 2

    def start(attempt: int, best: list[int] | None) -> list[int]:
        if best is not None and attempt % 2 == 0:
            bloc = best[:]
            for i in rng.sample(range(n), max(1, n // 10)):
                bloc[i] = rng.randrange(k)
            return bloc
        return [rng.randrange(k) for _ in range(n)]

    best = _best_of_starts(restarts, deadline, start, descend)
    return {a: best[i] for i, a in enumerate(nodes)}


def _solve_k_blocs(
    S: nx.Graph[Any], k: int, *, sign: str, time_limit: float
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
    # Cost: 1 - y for a positive pair (its constant 1 left out), y for a negative one.
    cost = np.zeros(nx_vars + m)
    for e, (i, j, positive) in enumerate(edges):
        y = nx_vars + e
        for c in range(k):
            xi, xj = i * k + c, j * k + c
            if positive:  # cost 1 - y; y may be 1 only if i and j share every bloc choice
                add([(y, 1), (xi, 1), (xj, -1)], -np.inf, 1)
                add([(y, 1), (xi, -1), (xj, 1)], -np.inf, 1)
            else:  # cost y; y must be 1 when i and j share a bloc
                add([(y, 1), (xi, -1), (xj, -1)], -1, np.inf)
        cost[y] = -1 if positive else 1
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
    S: nx.Graph[Any],
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
        timed_out=use_exact and not proved and active.number_of_nodes() > 0,
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


def realignments(S: nx.Graph[Any], *, sign: str = "sign") -> list[Realignment]:
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


def actor_tension(S: nx.Graph[Any], *, sign: str = "sign") -> dict[Hashable, ActorTension]:
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
