"""The dashboard's Analysis tab: the camps in words, what they rest on, and the other measures.

The dashboard calls ``render(dataset, G, view, spec)`` inside its "Analysis" tab: ``G`` is
the full graph, ``view`` the filtered one the user sees, ``spec`` the ``FilterSpec`` that
made it. The analysis reads exactly the relations the graph shows: the sidebar's Status
filter decides whether projected relations count. The what-if control changes a copy of the
graph held for this run only; the file is never touched.

Text from the file (names, quotes) reaches the page as plain text: through
``markdown_literal`` or in tables, never as Markdown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import streamlit as st

from explorer.analysis.balance import clustering
from explorer.analysis.centrality import MEASURES, TIES, centrality
from explorer.analysis.compare import compare_views
from explorer.analysis.paths import search_signed_paths, shortest_signed_paths
from explorer.analysis.report import analyze_view, clustering_summary
from explorer.analysis.results import Analysis, Balance, Clustering, Comparison
from explorer.app.caching import budgeted
from explorer.graph import FilterSpec, filter_graph, signed_graph
from explorer.memory import collector_paused
from explorer.model import Dataset
from explorer.render.report import (
    CAMP_WORDS,
    CLUSTER_WORDS,
    LOUVAIN_WORDS,
    PATHS_STOPPED,
    exactness,
    relation_words,
    summarised,
)
from explorer.render.style import SIGN_STYLES

__all__ = ["apply_what_if", "render", "view_key"]

WHAT_IF_FLIP = "whatif_flip"
WHAT_IF_REMOVE = "whatif_remove"
WHAT_IF_ACTOR = "whatif_actor"
#: Most relations offered at once by the what-if control; beyond, the user picks an actor.
WHAT_IF_MAX_OPTIONS = 500
#: Largest number of actors with signed pairs for which the tab finds the best k-bloc split
#: without being asked: beyond, the exact program gives way to a slower heuristic.
CLUSTER_AUTO_MAX_ACTORS = 200
#: Seconds the tab gives each exact solve (frustration index, k-bloc split) before it shows
#: the labelled heuristic instead: a hard map can keep the integer program busy for the
#: CLI's whole ``--time-limit`` (10 s by default), far too long to wait for a page.
TIME_LIMIT = 2.0


def view_key(view: nx.MultiDiGraph[Any]) -> str:
    """A short hash of what an analysis reads from a view: actors and relation signs."""
    h = hashlib.blake2b(digest_size=16)
    for node in sorted(view, key=str):
        h.update(f"n\x1f{node}\x1e".encode())
    for u, v, k, d in sorted(view.edges(keys=True, data=True), key=lambda e: str(e[2])):
        fields = (u, v, k, d.get("sign"), d.get("strength"), d.get("status"), d.get("confidence"))
        h.update(("e\x1f" + "\x1f".join(map(str, fields)) + "\x1e").encode())
        h.update(f"{d.get('structural')}{d.get('directed')}".encode())
    return h.hexdigest()


def apply_what_if(
    view: nx.MultiDiGraph[Any], flips: list[str], removes: list[str]
) -> nx.MultiDiGraph[Any]:
    """A copy of ``view`` with the sign of ``flips`` reversed and ``removes`` left out."""
    H = view.copy()
    where = {k: (u, v) for u, v, k in H.edges(keys=True)}
    for rid in removes:
        if rid in where:
            H.remove_edge(*where[rid], key=rid)
    for rid in flips:
        if rid in where and rid not in removes:
            d = H.edges[where[rid][0], where[rid][1], rid]
            d["sign"] = -d["sign"]
    return H


@dataclass(frozen=True)
class Prepared:
    """What every section of the tab reads for one view: the view, its hash, signed graph.

    ``graph`` is the full map the view was cut from; holding it keeps its ``id`` from being
    reused by another map while this entry is cached.
    """

    graph: nx.MultiDiGraph[Any]
    view: nx.MultiDiGraph[Any]
    key: str
    signed: nx.Graph[Any]


@budgeted("Preparing the analysis…")
def _prepared(
    graph_id: int, spec_text: str, _G: nx.MultiDiGraph[Any], _spec: FilterSpec
) -> Prepared:
    """The analysed view of a map, its hash and signed graph, built once per map and filters.

    The dashboard keeps one graph object per file (cached by content hash), so its ``id``
    and the filters name the view; a rerun with the same filters costs a lookup.
    """
    with collector_paused():
        base = filter_graph(_G, _spec)
        return Prepared(_G, base, view_key(base), signed_graph(base))


def _prepare(G: nx.MultiDiGraph[Any], wanted: FilterSpec) -> Prepared:
    prepared = _prepared(id(G), repr(wanted), G, wanted)
    if prepared.graph is not G:  # pragma: no cover - a cached entry always holds its map
        _prepared.clear()
        prepared = _prepared(id(G), repr(wanted), G, wanted)
    return prepared


# The two big results are cached as objects, not copies: st.cache_data unpickles a copy on
# every rerun, which on a 5,000-actor map cost 0.05 s and sometimes a full garbage
# collection (0.7 s). The tab only reads them.
@budgeted("Analysing…")
def _analysis(
    key: str,
    spec_text: str,
    _view: nx.MultiDiGraph[Any],
    _signed: nx.Graph[Any],
    _G: nx.MultiDiGraph[Any],
    _spec: FilterSpec,
) -> Analysis:
    """The analysis of a view (balance, robustness, tension, blocs) with its summary, cached."""
    report = analyze_view(
        _view, measures=(), signed=_signed, time_limit=TIME_LIMIT, spec=_spec, whole=_G
    )
    return summarised(report)


@budgeted("Measuring…")
def _centrality_values(key: str, ties: str, _view: nx.MultiDiGraph[Any]) -> dict[str, Any]:
    """Every centrality measure of a view for one choice of ties, cached."""
    with collector_paused():
        return centrality(_view, ties=ties)  # type: ignore[arg-type]


@budgeted("Finding the best split…")
def _clustering(key: str, k: int, _signed: nx.Graph[Any]) -> Clustering:
    """The best split into at most ``k`` blocs, cached by the view's hash and ``k``."""
    with collector_paused():
        return clustering_summary(clustering(_signed, k, time_limit=TIME_LIMIT))


@budgeted("Comparing…")
def _comparison(
    key_a: str, key_b: str, _a: nx.MultiDiGraph[Any], _b: nx.MultiDiGraph[Any]
) -> Comparison:
    """The comparison of a view and its what-if copy, cached by both hashes."""
    return compare_views(
        _a, _b, labels=("as in the file", "what if"), measures=(), time_limit=TIME_LIMIT,
        effects=False,
    )  # fmt: skip


def _name(G: nx.MultiDiGraph[Any], actor: Hashable) -> str:
    return str(G.nodes[actor].get("name", actor)) if actor in G else str(actor)


def _pair_name(G: nx.MultiDiGraph[Any], pair: list[str]) -> str:
    return f"{_name(G, pair[0])} – {_name(G, pair[1])}"


def _plain(text: str, where: Any = st) -> None:
    """Show text that holds names or quotes from the file as written, never as Markdown.

    ``where`` is a container (its ``markdown``) or a Markdown element such as ``st.caption``.
    """
    from explorer.app.dashboard import markdown_literal

    show = where if callable(where) and not hasattr(where, "markdown") else where.markdown
    show(markdown_literal(text))


def _exact_text(exact: bool, method: str) -> str:
    return exactness(exact, method) + (f" ({method})" if exact else "")


def _heuristic_hint(timed_out: bool) -> None:
    """Say how to get a proved figure when the tab's time limit stopped the exact solve."""
    if timed_out:
        st.caption(
            f"This page gives the exact solver {TIME_LIMIT:g} s. For a proved figure, run "
            "`stakeholder-explorer analyze FILE --time-limit 60` (more seconds may help)."
        )


def _keep_known(key: str, options: list[str]) -> None:
    # A filter change can drop a relation the user had picked; a multiselect whose value is
    # not among its options raises, so forget it.
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def _reset_what_if() -> None:
    st.session_state[WHAT_IF_FLIP] = []
    st.session_state[WHAT_IF_REMOVE] = []


def _relation_label(G: nx.MultiDiGraph[Any], u: str, v: str, d: dict[str, Any]) -> str:
    arrow = "→" if d.get("directed", True) else "–"
    sign = SIGN_STYLES[d["sign"]].symbol
    status = " (projected)" if d.get("status") == "projected" else ""
    return f"{_name(G, u)} {arrow} {_name(G, v)}: {d.get('label', d.get('type'))} ({sign}){status}"


def _balance_metrics(balance: Balance, before: Balance | None = None) -> None:
    tri = balance.triangles
    cols = st.columns(4)
    delta = None if before is None else balance.frustration_index - before.frustration_index
    cols[0].metric(
        "Frustration index",
        balance.frustration_index,
        delta=delta,
        delta_color="inverse",
        help="Least number of signed pairs whose sign must change for the map to split into "
        "two camps with friends inside and enemies across.",
    )
    w = balance.weighted.frustration_index
    w_delta = None if before is None else w - before.weighted.frustration_index
    cols[1].metric(
        "Weighted index",
        f"{w:g}",
        delta=None if w_delta is None else f"{w_delta:g}",
        delta_color="inverse",
        help="Least total weight of strained pairs: " + balance.weighted.rule + ".",
    )
    unb_delta = None if before is None else tri.unbalanced - before.triangles.unbalanced
    cols[2].metric("Unbalanced triangles", tri.unbalanced, delta=unb_delta,
                   delta_color="inverse")  # fmt: skip
    cols[3].metric("Triangles", tri.total)


def _pair_changes(G: nx.MultiDiGraph[Any], before: nx.Graph[Any], after: nx.Graph[Any]) -> None:
    """Say which signed pairs the what-if changes: a pair nets all its relations' signs."""

    def sign(value: int) -> str:
        return SIGN_STYLES[value].symbol

    changes = []
    for u, v, d in before.edges(data=True):
        if not after.has_edge(u, v):
            changes.append(f"{_name(G, u)} – {_name(G, v)}: {sign(d['sign'])} → gone")
        elif after.edges[u, v]["sign"] != d["sign"]:
            changes.append(
                f"{_name(G, u)} – {_name(G, v)}: {sign(d['sign'])} → "
                f"{sign(after.edges[u, v]['sign'])}"
            )
    if changes:
        _plain("Signed pairs changed: " + "; ".join(changes))
    else:
        st.info(
            "No pair changes its net sign: other relations between the same actors outweigh "
            "this change. Reverse or remove them too to see an effect."
        )


def _what_if_choices(
    G: nx.MultiDiGraph[Any], base: nx.MultiDiGraph[Any]
) -> tuple[list[str], list[str]]:
    """The what-if controls: relations to reverse and to remove."""
    signed = [
        (u, v, k, d)
        for u, v, k, d in base.edges(keys=True, data=True)
        if d["sign"] != 0 and not d.get("structural")
    ]
    chosen = set(st.session_state.get(WHAT_IF_FLIP, [])) | set(
        st.session_state.get(WHAT_IF_REMOVE, [])
    )
    if len(signed) > WHAT_IF_MAX_OPTIONS:
        # Tens of thousands of options would freeze the page: pick an actor first.
        actors = sorted({a for u, v, _k, _d in signed for a in (u, v)}, key=str)
        actor = st.selectbox(
            f"{len(signed)} signed relations: show those of",
            actors,
            format_func=lambda a: _name(G, a),
            key=WHAT_IF_ACTOR,
        )
        signed = [e for e in signed if actor in (e[0], e[1]) or e[2] in chosen]
    candidates = {k: _relation_label(G, u, v, d) for u, v, k, d in signed}
    options = sorted(candidates, key=lambda k: candidates[k].casefold())
    _keep_known(WHAT_IF_FLIP, options)
    _keep_known(WHAT_IF_REMOVE, options)
    left, right = st.columns(2)
    flips = left.multiselect(
        "Reverse the sign of", options, format_func=candidates.__getitem__, key=WHAT_IF_FLIP
    )
    removes = right.multiselect(
        "Remove", options, format_func=candidates.__getitem__, key=WHAT_IF_REMOVE
    )
    return flips, removes


def _what_if(G: nx.MultiDiGraph[Any], prepared: Prepared) -> None:
    base, base_key = prepared.view, prepared.key
    st.subheader("What if…", anchor=False)
    st.caption(
        "Reverse or remove relations and see balance and blocs change at once. Only this "
        "page changes; the file is untouched."
    )
    flips, removes = _what_if_choices(G, base)
    if not flips and not removes:
        st.caption("Pick a relation above to try a change.")
        return
    st.button("Reset what-if", on_click=_reset_what_if)
    changed = apply_what_if(base, flips, removes)
    report = _comparison(base_key, view_key(changed), base, changed)
    before, after = report.balance["as in the file"], report.balance["what if"]
    _pair_changes(G, prepared.signed, signed_graph(changed))
    st.markdown("**Balance with these changes** (change against the file)")
    _balance_metrics(after, before)
    cols = st.columns(2)
    for col, label, section in (
        (cols[0], "Strained pairs as in the file", before),
        (cols[1], "Strained pairs what if", after),
    ):
        col.markdown(f"**{label}** · {_exact_text(section.exact, section.method)}")
        _plain(", ".join(_pair_name(G, p) for p in section.frustrated) or "none", col)
    moves = report.blocs["moves"]
    st.markdown(f"**Louvain blocs on friendly ties:** {len(moves)} actors change bloc-mates")
    if moves:
        st.dataframe(
            [
                {
                    "actor": _name(G, m["actor"]),
                    "now with": ", ".join(_name(G, a) for a in m["joined"]),
                    "no longer with": ", ".join(_name(G, a) for a in m["left"]),
                    "id": m["actor"],
                }
                for m in moves
            ],
            hide_index=True,
            width="stretch",
        )
    if after.camps:
        cols = st.columns(2)
        for i, col in enumerate(cols):
            col.markdown(f"**Camp {i + 1} what if**")
            _plain(", ".join(_name(G, a) for a in after.camps[0][i]) or "–", col)


def _relations_cell(report: Analysis, ids: list[str]) -> str:
    return "; ".join(
        relation_words(report.evidence[r], report.names) for r in ids if r in report.evidence
    )


def _balance(G: nx.MultiDiGraph[Any], report: Analysis) -> None:
    balance = report.balance
    st.subheader("Camps", anchor=False)
    st.caption(CAMP_WORDS)
    _balance_metrics(balance)
    st.caption(
        f"Frustration index: {_exact_text(balance.exact, balance.method)}; "
        f"{balance.signed_pairs} signed pairs (one net sign per pair of actors; neutral and "
        f"structural relations left out). Weighted: "
        f"{_exact_text(balance.weighted.exact, balance.weighted.method)}."
    )
    for note in balance.notes:
        st.warning(note)
    _heuristic_hint(balance.timed_out)
    _camp_lists(G, balance)
    _strain_tables(G, report, balance)
    _robustness(G, balance)


def _camp_lists(G: nx.MultiDiGraph[Any], balance: Balance) -> None:
    """The two camps by name, the groups left out, and who could sit in either camp."""
    for one, two in balance.camps[:1]:
        cols = st.columns(2)
        for i, (col, camp) in enumerate(zip(cols, (one, two), strict=True)):
            col.markdown(f"**Camp {i + 1}**")
            _plain(", ".join(sorted(_name(G, a) for a in camp)) or "–", col)
    if len(balance.camps) > 1:
        rest = sum(len(a) + len(b) for a, b in balance.camps[1:])
        st.caption(f"{rest} more actors in {len(balance.camps) - 1} groups with no signed tie "
                   "to these camps.")  # fmt: skip
    if balance.swing is None:
        st.caption("Who could sit in either camp: not computed (a large map, or the time limit).")
    elif balance.swing:
        _plain(
            "Could sit in either camp: "
            + ", ".join(sorted(_name(G, a) for a in balance.swing))
            + ("" if balance.swing_exact else " (at least; the time limit stopped the search)")
        )
    else:
        st.caption("Nobody could sit in the other camp: the split is unique.")


def _full_table(rows: list[dict[str, Any]]) -> None:
    """A short table whose cells wrap and show in full (quotes are long), text as written."""
    from explorer.app.dashboard import markdown_literal

    st.table(
        [
            {k: markdown_literal(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in rows
        ],
        hide_index=True,
    )


def _strain_tables(G: nx.MultiDiGraph[Any], report: Analysis, balance: Balance) -> None:
    """The pairs that strain the split and the swing actors, with the relations behind each."""
    if balance.rests_on:
        st.markdown("**Pairs that strain the split** and the relations they rest on")
        _full_table(
            [
                {
                    "pair": _pair_name(G, b.pair),
                    "strain": "friendly across camps" if b.sign > 0 else "hostile within a camp",
                    "weight": b.weight,
                    "rests on": _relations_cell(report, b.relations),
                    "id": ", ".join(b.relations),
                }
                for b in balance.rests_on
            ]
        )
    if balance.swing_rests_on:
        st.markdown("**Who could sit in either camp**, and the relations pulling each way")
        _full_table(
            [
                {
                    "actor": _name(G, s.actor),
                    "pulled by": _relations_cell(report, s.relations),
                    "id": s.actor,
                }
                for s in balance.swing_rests_on
            ]
        )


def _robustness(G: nx.MultiDiGraph[Any], balance: Balance) -> None:
    if not balance.robustness or balance.holds_in_all is None:
        st.caption("Robustness: not computed (a large map, or the time limit).")
        return
    st.markdown("**Robustness**: the same filters with different relations counted")
    _full_table(
        [
            {
                "view": r.view,
                "signed pairs": r.signed_pairs,
                "frustration index": r.frustration_index,
                "strained pairs": "; ".join(_pair_name(G, p) for p in r.frustrated) or "none",
            }
            for r in balance.robustness
        ]
    )
    holds = balance.holds_in_all
    camps = "the camps hold in every view" if holds.camps else (
        "these actors change camp: " + ", ".join(sorted(_name(G, a) for a in holds.moved))
    )  # fmt: skip
    strained = "; ".join(_pair_name(G, p) for p in holds.frustrated) or "no pair"
    _plain(f"In all views: {camps}; strained in every view: {strained}.")


def _tension(G: nx.MultiDiGraph[Any], report: Analysis) -> None:
    st.subheader("Tension", anchor=False)
    tension = report.tension
    if not tension.actors:
        st.write("No actor sits in an unbalanced triangle.")
        return
    st.dataframe(
        [
            {
                "actor": _name(G, a),
                "unbalanced triangles": t.unbalanced,
                "of triangles": t.triangles,
                "eased most by changing": _pair_name(G, t.relief) if t.relief else "",
                "unbalanced with": "; ".join(
                    f"{_name(G, p[0])} & {_name(G, p[1])}" for p in t.with_
                ),
                "id": a,
            }
            for a, t in tension.actors.items()
        ],
        hide_index=True,
        width="stretch",
    )
    st.markdown("**Pressure to realign**: changing the sign of this pair would…")
    st.dataframe(
        [
            {
                "pair": _pair_name(G, p.pair),
                "sign now": p.sign.replace("-", "−"),
                "resolves": p.resolves,
                "creates": p.creates,
                "net": p.net,
                "id": ", ".join(p.relations),
            }
            for p in tension.pressure_to_realign
        ],
        hide_index=True,
        width="stretch",
    )


def _blocs(G: nx.MultiDiGraph[Any], report: Analysis, prepared: Prepared) -> None:
    base = prepared.view
    st.subheader("Other groupings", anchor=False)
    groups = [b for b in report.blocs if len(b) > 1]
    alone = sum(1 for b in report.blocs if len(b) == 1)
    st.caption(f"{LOUVAIN_WORDS} Louvain communities (seeded); {alone} actors stand alone.")
    for i, bloc in enumerate(groups, start=1):
        _plain(f"Bloc {i}: " + ", ".join(_name(G, a) for a in bloc))
    active = sum(1 for a in base if base.degree(a) > 0)
    on = st.checkbox(
        "Find the best split into at most k blocs (clusterability)",
        value=active <= CLUSTER_AUTO_MAX_ACTORS,
        key="analysis_clusters_on",
        help="Exact on small maps; on large ones a heuristic, labelled as such, that may "
        "take several seconds.",
    )
    if not on:
        return
    k = st.number_input("k", min_value=1, max_value=8, value=3, key="analysis_clusters")
    clustered = _clustering(prepared.key, int(k), prepared.signed)
    st.caption(CLUSTER_WORDS.format(k=int(k)))
    st.caption(
        f"{clustered.inconsistencies} inconsistent pairs; "
        f"{_exact_text(clustered.exact, clustered.method)}"
    )
    _heuristic_hint(clustered.timed_out)
    for i, bloc in enumerate(clustered.partition, start=1):
        _plain(f"{i}. " + ", ".join(_name(G, a) for a in bloc))


def _centrality(G: nx.MultiDiGraph[Any], base: nx.MultiDiGraph[Any], key: str) -> None:
    st.subheader("Who matters", anchor=False)
    ties = st.radio("Count ties", TIES, horizontal=True, key="analysis_ties") or TIES[0]
    values = _centrality_values(key, ties, base)
    approx = {name: c["approximate"] for name, c in values.items()}
    rows: list[dict[str, Any]] = []
    for actor in base:
        row: dict[str, Any] = {"actor": _name(G, actor)}
        for name, m in MEASURES.items():
            label = m.label + (" (approx.)" if approx[name] else "")
            row[label] = round(values[name]["values"][actor], 3)
        row["id"] = actor
        rows.append(row)
    lead = next(k for k in rows[0] if k.startswith("PageRank")) if rows else ""
    rows.sort(key=lambda r: -r[lead])
    st.dataframe(rows, hide_index=True, width="stretch")
    if any(approx.values()):
        st.caption("(approx.): betweenness estimated from a seeded sample on a large map.")


def _paths(G: nx.MultiDiGraph[Any], S: nx.Graph[Any]) -> None:
    st.subheader("Paths between two actors", anchor=False)
    actors = sorted((a for a in S if S.degree(a) > 0), key=lambda a: _name(G, a).casefold())
    if len(actors) < 2:
        st.write("Too few actors with signed relations.")
        return
    cols = st.columns([2, 2, 1])
    source = cols[0].selectbox("From", actors, format_func=lambda a: _name(G, a), key="paths_from")
    target = cols[1].selectbox(
        "To", actors, index=1, format_func=lambda a: _name(G, a), key="paths_to"
    )
    cutoff = cols[2].number_input("Up to steps", 1, 5, 3, key="paths_cutoff")
    if source == target:
        st.write("Pick two different actors.")
        return
    shortest = shortest_signed_paths(S, source, target)
    if not shortest:
        _plain(f"{_name(G, source)} does not reach {_name(G, target)} through signed pairs.")
        return
    search = search_signed_paths(S, source, target, cutoff=int(cutoff), time_limit=TIME_LIMIT)
    rows = []
    for p in search.paths or shortest:
        rows.append(
            {
                "path": " → ".join(_name(G, a) for a in p.actors),
                "signs": " ".join("+" if s > 0 else "−" for s in p.signs),
                "steps": p.steps,
                "net": "friendly (+)" if p.net > 0 else "hostile (−)",
                "shortest": "yes" if p.steps == shortest[0].steps else "",
                "id": " → ".join(map(str, p.actors)),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")
    if search.stopped:
        st.caption(PATHS_STOPPED[search.stopped].format(count=len(search.paths)).strip("()"))
    st.caption("Net sign: the product of the signs along the path (the enemy of an enemy is +).")


def render(
    dataset: Dataset, G: nx.MultiDiGraph[Any], view: nx.MultiDiGraph[Any], spec: FilterSpec
) -> None:
    """Draw the Analysis tab for the current view: the same relations the graph shows."""
    prepared = _prepare(G, spec)
    base, key, S = prepared.view, prepared.key, prepared.signed
    report = _analysis(key, repr(spec), base, S, G, spec)
    _plain(  # the view's words can name a scenario or a search: file or URL text
        f"Analysing {base.number_of_nodes()} actors and {base.number_of_edges()} relations: "
        f"{report.view.words}, as the graph shows them (the sidebar's Status filter decides "
        "whether projected relations count).",
        st.caption,
    )
    st.subheader("In short", anchor=False)
    for sentence in report.summary:
        _plain(sentence)
    _balance(G, report)
    _what_if(G, prepared)
    _tension(G, report)
    _blocs(G, report, prepared)
    _centrality(G, base, key)
    _paths(G, S)
