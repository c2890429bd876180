"""Analysis results in words: the summary sentences and the text of ``analyze`` and ``compare``.

Every text here names actors by their names and relations by their ends, type label and
sign, never by ids (the ids stay in ``--json``). Each wording lives once: ``exactness``
is the one way to say whether a figure is proved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from explorer.analysis.centrality import MEASURES
from explorer.analysis.results import (
    Analysis,
    Balance,
    Comparison,
    RelationChange,
    RelationInfo,
)

__all__ = [
    "analysis_text",
    "comparison_summary",
    "comparison_text",
    "exactness",
    "join_names",
    "quoted",
    "relation_words",
    "summarised",
    "summary_sentences",
    "text_table",
]

#: Pairs and swing actors named one by one in a summary before "and N more".
SUMMARY_MAX = 4
#: What the path listing says when it did not list every path up to the cutoff.
PATHS_STOPPED = {
    "limit": "(the first {count} paths, shortest first; there are more)",
    "time": "(listing stopped at the time limit after {count} paths, shortest first; "
    "there may be more)",
}
#: Actors named per camp in the summary's first sentence, most central first.
CAMP_NAMES_MAX = 5
#: Characters of a quote shown in a summary sentence.
QUOTE_MAX = 90
#: One sentence on each other grouping: what it measures and how it differs from the camps.
LOUVAIN_WORDS = (
    "Louvain blocs group actors densely tied by friendly relations only; hostility plays "
    "no part, so a bloc can hold enemies and one camp can span several blocs."
)
CLUSTER_WORDS = (
    "A split into at most {k} blocs minimises friendly pairs across blocs and hostile pairs "
    "within one; with more than two blocs it can part friends the two camps keep together."
)
CAMP_WORDS = (
    "The two camps are the structural-balance split: friends inside a camp and enemies "
    "across, with the fewest pairs left out of line."
)


def exactness(exact: bool, method: str) -> str:
    """The one wording of whether a figure is proved: "exact" or the heuristic warning."""
    return "exact" if exact else f"HEURISTIC, not proved optimal ({method})"


def text_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Left-aligned text columns; numbers right-aligned."""
    whole = [
        all(
            isinstance(row[i], int) or (isinstance(row[i], float) and row[i].is_integer())
            for row in rows
        )
        for i in range(len(headers))
    ]
    cells = [[str(h) for h in headers]] + [
        [_cell(int(v) if whole[i] and isinstance(v, float) else v) for i, v in enumerate(row)]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], (int, float)) for row in rows) if rows else False
        for i in range(len(headers))
    ]
    out = []
    for r in cells:
        parts = [
            r[i].rjust(widths[i]) if numeric[i] else r[i].ljust(widths[i])
            for i in range(len(headers))
        ]
        out.append("  " + "  ".join(parts).rstrip())
    return out


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "-"
    return str(value)


# --- words for actors, pairs and relations ---------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _name(names: Mapping[str, str], actor: str) -> str:
    return names.get(actor, actor)


def join_names(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _names(names: Mapping[str, str], actors: Iterable[str]) -> list[str]:
    return sorted((_name(names, a) for a in actors), key=str.casefold)


def _pair_words(names: Mapping[str, str], pair: Sequence[str]) -> str:
    return f"{_name(names, pair[0])} and {_name(names, pair[1])}"


def _sign_symbol(sign: int) -> str:
    return {1: "+", -1: "-", 0: "0"}[sign]


def _short(quote: str, limit: int = QUOTE_MAX) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


def quoted(quote: str) -> str:
    """A quote as text shows it: shortened and in single quotes."""
    return f"'{_short(quote)}'"


def relation_words(rel: RelationInfo, names: Mapping[str, str], *, quote: bool = True) -> str:
    """One relation: "United States -> Taliban: cooperates with (+), projected, low: '…'"."""
    arrow = "->" if rel.directed else "--"
    text = (
        f"{_name(names, rel.source)} {arrow} {_name(names, rel.target)}: {rel.label} "
        f"({_sign_symbol(rel.sign)}), {rel.status}, {rel.confidence} confidence"
    )
    if quote and rel.quote:
        text += f": {quoted(rel.quote)}"
    return text


def _basis_words(relations: Sequence[RelationInfo]) -> str:
    """ "two projected, low-confidence relations ('…')"."""
    count = len(relations)
    statuses = sorted({r.status for r in relations})
    confidences = sorted({r.confidence for r in relations}, key=["low", "medium", "high"].index)
    number = {1: "one", 2: "two", 3: "three", 4: "four"}.get(count, str(count))
    what = f"{number} {' and '.join(statuses)}, {' and '.join(confidences)}-confidence relation"
    what += "s" if count != 1 else ""
    first = next((r.quote for r in relations if r.quote), None)
    return what + (f" ({quoted(first)})" if first else "")


# --- the summary ---------------------------------------------------------------------------


def _leaders(report: Analysis, actors: Iterable[str], limit: int = CAMP_NAMES_MAX) -> str:
    """A camp in a sentence: its most central actors by PageRank, then how many more."""
    rank = report.centrality.get("pagerank", {})
    ordered = sorted(actors, key=lambda a: (-rank.get(a, 0.0), _name(report.names, a).casefold()))
    shown = [_name(report.names, a) for a in ordered[:limit]]
    rest = len(ordered) - len(shown)
    if rest <= 0:
        return join_names(shown)
    return ", ".join(shown) + f" and {rest} other{'s' if rest > 1 else ''}"


def _camp_sentence(report: Analysis) -> list[str]:
    balance, names = report.balance, report.names
    if not balance.camps:
        return ["No friendly or hostile relation in this view, so there are no camps to find."]
    first, *others = balance.camps
    one, two = first
    if two:
        most = " (most central first)" if len(one) + len(two) > 2 * CAMP_NAMES_MAX else ""
        out = [f"Two camps{most}: {_leaders(report, one)} against {_leaders(report, two)}."]
    else:
        out = [
            f"All in one camp: {_leaders(report, one)}; any split into two would strain more pairs."
        ]
    if others:
        loose = [a for c in others for a in c[0] + c[1]]
        groups = f"{len(others)} separate groups" if len(others) > 1 else "a separate group"
        if len(loose) <= 2 * SUMMARY_MAX:
            out.append(
                f"{join_names(_names(names, loose))} form {groups} with no friendly or "
                "hostile tie to these camps."
            )
        else:
            out.append(
                f"{len(loose)} more actors in {groups} have no friendly or hostile tie to "
                "these camps."
            )
    return out


def _strain_sentences(report: Analysis) -> list[str]:
    balance, names = report.balance, report.names
    if not balance.frustrated:
        if balance.camps:
            return ["Nothing strains this split: every friendly pair sits within a camp and "
                    "every hostile pair across."]  # fmt: skip
        return []
    count = len(balance.rests_on)
    number = {1: "One pair strains", 2: "Two pairs strain", 3: "Three pairs strain"}.get(
        count, f"{count} pairs strain"
    )
    parts = []
    for basis in balance.rests_on[:SUMMARY_MAX]:
        rels = [report.evidence[r] for r in basis.relations if r in report.evidence]
        how = "friendly across the camps" if basis.sign > 0 else "hostile within one camp"
        parts.append(f"{_pair_words(names, basis.pair)} are {how}, resting on {_basis_words(rels)}")
    more = count - SUMMARY_MAX
    tail = f"; and {more} more" if more > 0 else ""
    return [f"{number} this split: " + "; ".join(parts) + tail + "."]


def _weighted_sentence(balance: Balance) -> str:
    w = balance.weighted
    same = sorted(map(sorted, w.partition)) == sorted(map(sorted, balance.partition))
    total = f"{w.frustration_index:g}"
    if same:
        return (
            "Weighing each relation by strength, confidence and status gives the same camps "
            f"(strained weight {total})."
        )
    return (
        "Weighing each relation by strength, confidence and status gives other camps, "
        f"straining weight {total} over {len(w.frustrated)} pairs: the count split leans on "
        "relations that weigh little."
    )


def _swing_sentence(report: Analysis) -> str:
    balance, names = report.balance, report.names
    if balance.swing is None:
        return ("Who could sit in either camp was not computed (the map is beyond the exact "
                "solver, or the time limit ran out).")  # fmt: skip
    if not balance.swing:
        return ("No actor could sit in the other camp without straining the split more: "
                "the camps are the only best split.")  # fmt: skip
    who = _names(names, balance.swing)
    head = join_names(who[:SUMMARY_MAX]) + (
        f" and {len(who) - SUMMARY_MAX} more" if len(who) > SUMMARY_MAX else ""
    )
    note = "" if balance.swing_exact else " (at least; the time limit stopped the search)"
    them = "each of them" if len(who) > 1 else "it"
    return (f"{head} could sit in either camp: an equally good split puts {them} in the "
            f"other camp, a tie the analysis cannot break{note}.")  # fmt: skip


def _certainty_sentences(report: Analysis) -> list[str]:
    balance, names = report.balance, report.names
    if balance.exact:
        out = ["The count of strained pairs is exact (proved optimal)."]
    else:
        out = [f"The count of strained pairs is a {exactness(False, balance.method)}: "
               "there may be a better split."]  # fmt: skip
    rows = balance.robustness
    if rows and balance.holds_in_all is not None:
        figures = "; ".join(f"{r.view}: {r.frustration_index}" for r in rows)
        out.append(f"Strained pairs by view: {figures}.")
        holds = balance.holds_in_all
        if holds.camps:
            out.append("The camps hold in all these views.")
        else:
            moved = _names(names, holds.moved)
            out.append(
                f"{join_names(moved[:SUMMARY_MAX])}"
                f"{' and more' if len(moved) > SUMMARY_MAX else ''} change camp between "
                "these views: that part of the split depends on which relations count."
            )
        if balance.frustrated and not holds.frustrated:
            out.append("No strained pair is strained in every view.")
    return out


def summary_sentences(report: Analysis) -> list[str]:
    """A few sentences with actor names: the camps, what strains them, who could swing, how sure."""
    balance = report.balance
    out = _camp_sentence(report)
    if not balance.camps:
        return out
    out += _strain_sentences(report)
    if balance.frustrated or balance.weighted.frustrated:
        out.append(_weighted_sentence(balance))
    out.append(_swing_sentence(report))
    out += _certainty_sentences(report)
    return out


def summarised(report: Analysis) -> Analysis:
    """``report`` with its ``summary`` sentences filled in."""
    return report.model_copy(update={"summary": summary_sentences(report)})


# --- the analysis as text ------------------------------------------------------------------


def _relation_lines(report: Analysis | Comparison, ids: Iterable[str], indent: str) -> list[str]:
    return [
        indent + relation_words(report.evidence[r], report.names)
        for r in ids
        if r in report.evidence
    ]


def balance_lines(report: Analysis) -> list[str]:
    """The camps section: index, camps, strained pairs and swing actors with their relations."""
    b, names = report.balance, report.names
    tri = b.triangles
    ratio = "-" if tri.ratio is None else f"{tri.ratio:.2f}"
    lines = [
        "camps (structural balance, the headline grouping):",
        f"  {CAMP_WORDS}",
        f"  frustration index: {b.frustration_index} of {b.signed_pairs} signed pairs "
        f"({exactness(b.exact, b.method)})",
        f"  weighted frustration index: {b.weighted.frustration_index:g} "
        f"({exactness(b.weighted.exact, b.weighted.method)}); {b.weighted.rule}",
        f"  triangles: {tri.total} ({tri.balanced} balanced, {tri.unbalanced} unbalanced, "
        f"balanced ratio {ratio}); " + ", ".join(f"{p} {n}" for p, n in tri.by_pattern.items()),
    ]
    for i, (one, two) in enumerate(b.camps, start=1):
        label = "" if len(b.camps) == 1 else f" (group {i})"
        lines.append(f"  camp 1{label}: {', '.join(_names(names, one)) or '-'}")
        lines.append(f"  camp 2{label}: {', '.join(_names(names, two)) or '-'}")
    if b.swing is None:
        lines.append("  could sit in either camp: not computed")
    else:
        lines.append(
            "  could sit in either camp: "
            + (", ".join(_names(names, b.swing)) or "nobody (the split is unique)")
            + ("" if b.swing_exact else " (at least; the time limit stopped the search)")
        )
    lines.extend(f"  note: {note}" for note in b.notes)
    lines += ["", "pairs that strain the split, and the relations they rest on:"]
    if not b.rests_on:
        lines.append("  none")
    for basis in b.rests_on:
        how = "friendly across the camps" if basis.sign > 0 else "hostile within one camp"
        contested = ", contested" if basis.contested else ""
        lines.append(
            f"  {_pair_words(names, basis.pair)}: {how} (weight {basis.weight:g}{contested})"
        )
        lines += _relation_lines(report, basis.relations, "    ")
    if b.swing_rests_on:
        lines += ["", "who could sit in either camp, and the relations pulling each way:"]
        for swing in b.swing_rests_on:
            lines.append(f"  {_name(names, swing.actor)}:")
            lines += _relation_lines(report, swing.relations, "    ")
    if b.robustness:
        lines += ["", "robustness (the same filters, different relations counted):"]
        lines += text_table(
            ["view", "signed pairs", "index", "strained pairs"],
            [
                [
                    r.view,
                    r.signed_pairs,
                    r.frustration_index,
                    "; ".join(_pair_words(names, p) for p in r.frustrated) or "none",
                ]
                for r in b.robustness
            ],
        )
        if b.holds_in_all is not None:
            h = b.holds_in_all
            lines.append(
                "  holds in all: "
                + (
                    "the camps"
                    if h.camps
                    else "not the camps (" + ", ".join(_names(names, h.moved)) + " change camp)"
                )
                + "; strained in every view: "
                + ("; ".join(_pair_words(names, p) for p in h.frustrated) or "no pair")
            )
    return lines


def analysis_text(report: Analysis, *, top: int = 10) -> str:
    """The analysis as readable text, for ``analyze`` without ``--json``."""
    names = report.names
    view = report.view
    lines = [
        report.title,
        f"view: {view.words}; {view.actors} of {view.of_actors} actors, {view.relations} of "
        f"{view.of_relations} relations",
        "",
        "in short:",
        *(f"  {s}" for s in report.summary or summary_sentences(report)),
        "",
        *balance_lines(report),
        "",
        "other groupings:",
        f"  {LOUVAIN_WORDS}",
    ]
    multi = [b for b in report.blocs if len(b) > 1]
    alone = sum(1 for b in report.blocs if len(b) == 1)
    lines.append(f"  Louvain blocs: {len(multi)}, and {alone} actors alone")
    lines += [f"    {i}. {', '.join(_names(names, b))}" for i, b in enumerate(multi, start=1)]
    if report.clustering is not None:
        c = report.clustering
        lines += [
            f"  {CLUSTER_WORDS.format(k=c.k)}",
            f"  at most {c.k} blocs: {_count(c.inconsistencies, 'pair')} out of line "
            f"({exactness(c.exact, c.method)})",
        ]
        lines += [
            f"    bloc {i}: {', '.join(_names(names, b))}" for i, b in enumerate(c.partition, 1)
        ]
    cent = report.centrality
    if cent:
        measures = list(cent)
        lead = "pagerank" if "pagerank" in cent else measures[0]
        actors = sorted(cent[lead], key=lambda a: (-cent[lead][a], _name(names, a)))[:top]
        headers = ["actor"] + [
            MEASURES[m].label + (" (approx.)" if report.centrality_approximate[m] else "")
            for m in measures
        ]
        lines += [
            "",
            f"who matters (top {top} by PageRank; ties counted: {report.centrality_ties}):",
        ]
        lines += text_table(
            headers, [[_name(names, a)] + [cent[m][a] for m in measures] for a in actors]
        )
    if report.paths is not None:
        p = report.paths
        lines += [
            "",
            f"paths from {_name(names, p.from_)} to {_name(names, p.to)} (up to {p.cutoff} steps):",
        ]
        shown = p.all or p.shortest
        if not shown:
            lines.append("  none: they are not connected by signed pairs")
        for path in shown:
            steps = _name(names, path.actors[0]) + "".join(
                f" -({s})- {_name(names, a)}"
                for s, a in zip(path.signs, path.actors[1:], strict=True)
            )
            lines.append(f"  {steps}: {'friendly' if path.net == '+' else 'hostile'}")
        if p.stopped:
            lines.append("  " + PATHS_STOPPED[p.stopped].format(count=len(p.all)))
    lines += ["", *tension_lines(report)]
    return "\n".join(lines)


def tension_lines(report: Analysis) -> list[str]:
    """Unbalanced triangles per actor and the pairs under pressure to realign."""
    names, tension = report.names, report.tension
    lines = ["tension (unbalanced triangles per actor):"]
    if not tension.actors:
        return lines + ["  none: no actor sits in an unbalanced triangle"]
    lines += text_table(
        ["actor", "unbalanced", "triangles", "eased most by changing", "unbalanced with"],
        [
            [
                _name(names, a),
                t.unbalanced,
                t.triangles,
                _pair_words(names, t.relief) if t.relief else "-",
                "; ".join(_pair_words(names, p) for p in t.with_),
            ]
            for a, t in tension.actors.items()
        ],
    )
    lines += ["", "pressure to realign (changing this pair's sign):"]
    lines += text_table(
        ["pair", "sign", "resolves", "creates", "net"],
        [
            [_pair_words(names, p.pair), p.sign, p.resolves, p.creates, p.net]
            for p in tension.pressure_to_realign
        ],
    )
    return lines


# --- comparisons ---------------------------------------------------------------------------


def _change_words(change: RelationChange, names: Mapping[str, str]) -> str:
    mark = {"added": "+", "removed": "-", "changed": "~"}[change.change]
    text = f"  {mark} {relation_words(change.relation, names)}"
    if change.fields:
        fields = "; ".join(f"{f}: {a} -> {b}" for f, (a, b) in change.fields.items())
        text += f" [{fields}]"
    return text


def comparison_summary(report: Comparison) -> list[str]:
    """Sentences on what changed in balance and camps between the two views."""
    one, two = report.labels
    a, b = report.balance[one], report.balance[two]
    names = report.names
    out = [
        f"Strained pairs: {a.frustration_index} ({one}) -> {b.frustration_index} ({two}); "
        f"their weight {a.weighted.frustration_index:g} -> {b.weighted.frustration_index:g}."
    ]
    # The main camps: the largest signed group of each view.
    side_a = {x: i for part in a.camps[:1] for i, camp in enumerate(part) for x in camp}
    side_b = {x: i for part in b.camps[:1] for i, camp in enumerate(part) for x in camp}
    common = set(side_a) & set(side_b)
    if common:
        same = sum(side_a[x] == side_b[x] for x in common)
        flipped = {x for x in common if side_a[x] != side_b[x]}
        if same * 2 < len(common):
            flipped = {x for x in common if side_a[x] == side_b[x]}
        if flipped:
            out.append(f"{join_names(_names(names, flipped))} change camp.")
        else:
            out.append("The actors in the main camps of both views keep their camps.")
    joined = set(side_b) - set(side_a)
    if joined:
        out.append(f"Newly in the main camps: {join_names(_names(names, joined))}.")
    left = set(side_a) - set(side_b)
    if left:
        out.append(f"No longer in the main camps: {join_names(_names(names, left))}.")
    if b.camps and b.camps[0][1]:
        out.append(
            f"Camps ({two}): {join_names(_names(names, b.camps[0][0]))} against "
            f"{join_names(_names(names, b.camps[0][1]))}."
        )
    weighty = [c for c in report.changes if c.index_effect or c.weight_effect]
    if weighty:
        top = weighty[0]
        out.append(
            "The change that weighs most on the balance: "
            + relation_words(top.relation, names, quote=False)
            + (
                " (removed; put back, it would move"
                if top.change == "removed"
                else f" ({top.change}; it moves"
            )
            + f" the strained pairs by {top.index_effect:+d} and their weight by "
            f"{top.weight_effect:+g})."
        )
    elif report.changes:
        out.append("No single changed relation moves the balance on its own.")
    return out


def comparison_text(report: Comparison, *, top: int = 10) -> str:
    """The comparison as readable text, for ``compare`` without ``--json``."""
    one, two = report.labels
    names = report.names
    views = report.views
    lines = [
        f"before: {one} ({views[one].actors} actors, {views[one].relations} relations; "
        f"{views[one].words})",
        f"after:  {two} ({views[two].actors} actors, {views[two].relations} relations; "
        f"{views[two].words})",
        "",
        "in short:",
        *(f"  {s}" for s in report.summary or comparison_summary(report)),
        "",
    ]
    ba, bb = report.balance[one], report.balance[two]
    lines.append("balance and camps:")
    rows: list[list[Any]] = [
        ["frustration index", ba.frustration_index, bb.frustration_index],
        [
            "weighted index",
            f"{ba.weighted.frustration_index:g}",
            f"{bb.weighted.frustration_index:g}",
        ],  # fmt: skip
        ["proved", exactness(ba.exact, ba.method), exactness(bb.exact, bb.method)],
        ["signed pairs", ba.signed_pairs, bb.signed_pairs],
        ["unbalanced triangles", ba.triangles.unbalanced, bb.triangles.unbalanced],
    ]
    lines += text_table(["", one, two], rows)
    for label, b in ((one, ba), (two, bb)):
        strained = "; ".join(_pair_words(names, p) for p in b.frustrated) or "none"
        lines.append(f"  strained pairs ({label}): {strained}")
        if b.camps:
            first = b.camps[0]
            lines.append(f"  camps ({label}): {', '.join(_names(names, first[0]))}")
            lines.append(f"      against: {', '.join(_names(names, first[1])) or '-'}")
    if report.clustering is not None:
        ca, cb = report.clustering[one], report.clustering[two]
        lines.append(
            f"  pairs out of line with at most {ca.k} blocs: {ca.inconsistencies} -> "
            f"{cb.inconsistencies}"
        )
    counts = {
        k: sum(1 for c in report.changes if c.change == k) for k in ("added", "removed", "changed")
    }
    lines += [
        "",
        f"relations: {counts['added']} added, {counts['removed']} removed, "
        f"{counts['changed']} changed; the most consequential first (how much leaving "
        "each out of the after view moves its index):",
    ]
    for change in report.changes:
        effect = (
            f"   [index {change.index_effect:+d}, weight {change.weight_effect:+g}]"
            if (change.index_effect or change.weight_effect)
            else ""
        )
        lines.append(_change_words(change, names) + effect)
    moves = report.blocs.get("moves", [])
    lines += ["", f"Louvain blocs on friendly ties: {len(moves)} actors changed bloc-mates"]
    for m in moves:
        parts = []
        if m["joined"]:
            parts.append("now with " + ", ".join(_names(names, m["joined"])))
        if m["left"]:
            parts.append("no longer with " + ", ".join(_names(names, m["left"])))
        lines.append(f"  {_name(names, m['actor'])}: {'; '.join(parts)}")
    ranked = {m: c for m, c in report.centrality_ranks.items() if c}
    if ranked:
        lines += [
            "",
            f"centrality rank changes (largest {top} per measure; ties never count as moves):",
        ]
        for measure, changes in ranked.items():
            lines.append(f"  {measure}:")
            lines += [
                "  " + line
                for line in text_table(
                    ["actor", "rank before", "rank after", "change"],
                    [[_name(names, c.actor), c.before, c.after, c.change] for c in changes[:top]],
                )
            ]
    return "\n".join(lines)
