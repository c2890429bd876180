"""The one style table: how kinds, signs, statuses and strengths look everywhere.

Colour means sign, alone. A relation line is blue (positive), vermillion (negative) or grey
(neutral), from the Okabe-Ito palette, which stays distinct for the common forms of colour
blindness, and sign is never told by colour alone: a positive line carries a round marker at
its middle and a "+" in its tooltip and legend, a negative one a bar marker ("−"); a
projected line is dashed whatever its sign.

Actor kind is told by shape: the seven vis-network shapes that keep the label outside and
honour ``size``, with the matching matplotlib markers. A map with more kinds than shapes adds
a fill from ``ACTOR_FILLS`` as a second cue (and, past the fills too, a one-letter badge).
Every actor fill (the neutral white, the palette colours and the two "colour by camp"
colours, which are two of the palette colours and never shown together with kind fills) is
at least ΔE 25 (CIEDE2000) from every sign colour and from each other, in normal vision and
under simulated deuteranopia and protanopia: ``tests/test_style.py`` measures it. Under that
rule no more than four fills fit, which is why kind is a shape, not a colour.

Kinds get their shape from the map, not from the view: every kind the map's actors use, in
the vocabulary's order (kinds a file adds come after the built-in ones), takes the next free
shape, then the next fill; so a filter never changes how a kind looks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from explorer.model import Sign, Status

__all__ = [
    "ACTOR_BORDER",
    "ACTOR_FILLS",
    "CAMP_FILLS",
    "CONTESTED",
    "NEUTRAL_FILL",
    "SHAPES",
    "SIGN_STYLES",
    "STATUS_DASHES",
    "STRAIGHT_EDGES_ABOVE",
    "ContestedStyle",
    "KindStyle",
    "LegendEntry",
    "Shape",
    "SignStyle",
    "edge_width",
    "kind_colour",
    "kind_styles",
    "label_text",
    "legend_entries",
    "line_width",
    "node_size",
]

#: Above this many relations in view, lines are drawn straight: curved parallel lines cost
#: too much to draw on big maps, and there one line per pair reads better anyway.
STRAIGHT_EDGES_ABOVE = 400


@dataclass(frozen=True)
class SignStyle:
    """How a relation of one sign is drawn."""

    name: str
    symbol: str
    colour: str
    marker: str  # vis-network middle-arrow type; the figure draws the same shape
    mpl_marker: str


SIGN_STYLES: dict[int, SignStyle] = {
    Sign.POSITIVE: SignStyle(Sign.POSITIVE.word, "+", "#0072B2", "circle", "o"),
    Sign.NEGATIVE: SignStyle(Sign.NEGATIVE.word, "\u2212", "#D55E00", "bar", "|"),
    Sign.NEUTRAL: SignStyle(Sign.NEUTRAL.word, "\u00b7", "#8A8A8A", "", ""),
}


@dataclass(frozen=True)
class ContestedStyle:
    """How a pair whose relations disagree in sign is marked: a "±" badge at the line's middle.

    The line keeps the colour of the pair's net sign; the badge (a white disc with a dark
    ring and "±") replaces the sign's middle marker, so a contested pair reads as such at a
    glance and its net sign is still the line's colour.
    """

    name: str
    symbol: str
    fill: str
    ring: str
    label: str


CONTESTED = ContestedStyle(
    name="contested",
    symbol="\u00b1",
    fill="#FFFFFF",
    ring="#1A1A1A",
    label="contested: relations of both signs (line colour = net sign)",
)

#: Dash pattern of each status, as (on, off) lengths in pixels; None draws a solid line.
STATUS_DASHES: dict[Status, tuple[int, int] | None] = {"observed": None, "projected": (7, 5)}


@dataclass(frozen=True)
class Shape:
    """An actor shape: its vis-network name, the matching matplotlib marker, and its name."""

    vis: str
    mpl: str
    name: str
    #: How much of a disc of the same ``size`` the marker covers (for equal visual weight).
    scale: float = 1.0


#: The seven vis-network shapes that keep the label outside and honour ``size``, in the
#: order kinds take them.
SHAPES: tuple[Shape, ...] = (
    Shape("dot", "o", "circle"),
    Shape("square", "s", "square", 0.9),
    Shape("diamond", "D", "diamond", 0.85),
    Shape("triangle", "^", "triangle", 1.1),
    Shape("triangleDown", "v", "down triangle", 1.1),
    Shape("star", "*", "star", 1.35),
    Shape("hexagon", "h", "hexagon", 1.0),
)

#: Border of every actor shape.
ACTOR_BORDER = "#333333"
#: The fill of every actor while a map has no more kinds than shapes.
NEUTRAL_FILL = "#FFFFFF"
#: The actor fills, in the order kinds take them once the shapes are used up: white, then
#: yellow, navy and dark brown. Measured by ``tests/test_style.py``: each is at least
#: ΔE 25 from each other and from the sign colours, plain and under simulated colour blindness.
ACTOR_FILLS: tuple[tuple[str, str], ...] = (
    (NEUTRAL_FILL, "white"),
    ("#FFF34D", "yellow"),
    ("#0A0A50", "navy"),
    ("#4B1E00", "dark brown"),
)
#: "Colour by camp": the fill of the left camp (side 0) and of the right camp (side 1);
#: actors in no camp keep the neutral fill.
CAMP_FILLS: tuple[str, str] = ("#0A0A50", "#FFF34D")


@dataclass(frozen=True)
class KindStyle:
    """How actors of one kind are drawn: a shape, a fill and, rarely, a one-letter badge."""

    kind: str
    label: str
    shape: str  # vis-network shape name
    marker: str  # matplotlib marker
    shape_name: str  # plain words for the legend ("square")
    fill: str
    fill_name: str
    badge: str = ""  # one letter drawn in the shape when shapes and fills are used up
    scale: float = 1.0  # size factor for equal visual weight of the shape


def _kind_labels(G: nx.Graph[Any]) -> dict[str, str]:
    dataset = G.graph.get("dataset")
    if dataset is None:
        return {}
    return {kind: spec.label for kind, spec in dataset.vocab.actor_kinds.items()}


def _map_kinds(G: nx.Graph[Any]) -> list[str]:
    """Every kind the whole map uses, in the vocabulary's order (a file's own kinds last)."""
    dataset = G.graph.get("dataset")
    labels = _kind_labels(G)
    order = {kind: index for index, kind in enumerate(labels)}
    used: set[str] = {str(d.get("kind", "")) for _, d in G.nodes(data=True)}
    if dataset is not None:
        used.update(actor.kind for actor in dataset.actors)
    return sorted(used, key=lambda k: (order.get(k, len(order)), k))


def kind_styles(
    G: nx.Graph[Any], *, kinds: Sequence[str] | None = None, labels: Mapping[str, str] | None = None
) -> dict[str, KindStyle]:
    """The style of every kind of the map ``G`` belongs to (a filtered view gives the same).

    Kinds take the shapes in order, then, when there are more kinds than shapes, the next
    fill; past ``len(SHAPES) * len(ACTOR_FILLS)`` kinds a one-letter badge is added too.
    ``kinds`` and ``labels`` override what is read from the map.
    """
    order = list(kinds) if kinds is not None else _map_kinds(G)
    names = dict(labels) if labels is not None else _kind_labels(G)
    out: dict[str, KindStyle] = {}
    per_round = len(SHAPES) * len(ACTOR_FILLS)
    for index, kind in enumerate(order):
        shape = SHAPES[index % len(SHAPES)]
        fill, fill_name = ACTOR_FILLS[(index // len(SHAPES)) % len(ACTOR_FILLS)]
        label = names.get(kind) or kind.replace("_", " ")
        out[kind] = KindStyle(
            kind=kind,
            label=label,
            shape=shape.vis,
            marker=shape.mpl,
            shape_name=shape.name,
            fill=fill,
            fill_name=fill_name,
            badge=(label[:1].upper() if index >= per_round else ""),
            scale=shape.scale,
        )
    return out


#: Longest line of an actor's label, in characters; longer names wrap at spaces. Short
#: lines make narrow labels, which leave lines room to pass between actors: on the bundled
#: map and maps like it, 12 lets the layout keep every line off every label (at 24, 5 to
#: 14 lines crossed a label on screen).
LABEL_LINE_CHARS = 12


def label_text(name: str, width: int = LABEL_LINE_CHARS) -> str:
    """An actor's name as both renderers draw it: wrapped at spaces into lines of at most
    ``width`` characters where it can.

    >>> label_text("Afghanistan's neighbours and regional stakeholders")
    "Afghanistan's\\nneighbours\\nand regional\\nstakeholders"
    >>> label_text("Afghanistan's neighbours and regional stakeholders", 24)
    "Afghanistan's neighbours\\nand regional\\nstakeholders"
    """
    import textwrap

    lines = textwrap.wrap(
        " ".join(name.split()), width, break_long_words=False, break_on_hyphens=True
    )
    if len(lines) >= 2 and len(lines[-1]) < 8 and len(lines[-2]) + len(lines[-1]) < 30:
        lines[-2:] = [lines[-2] + " " + lines[-1]]  # no short orphan on a line of its own
    return "\n".join(lines) or name


def kind_colour(kind: str, G: nx.Graph[Any] | None = None) -> str:
    """The fill of an actor kind on the map ``G`` (the neutral fill when no map is given)."""
    if G is None:
        return NEUTRAL_FILL
    style = kind_styles(G).get(kind)
    return style.fill if style else NEUTRAL_FILL


def line_width(total_strength: float) -> float:
    """Line width in pixels for relations of this total strength (1 to 3 each).

    Grows with the total but slower than it, so a pair of eight relations stands out
    without covering its neighbours: 1 -> 1.2, 2 -> 2.1, 3 -> 2.9, 8 -> 6.0, at most 9.
    """
    return round(min(1.2 * float(max(float(total_strength), 1.0) ** 0.8), 9.0), 2)


def edge_width(strength: int) -> float:
    """Line width in pixels for one relation of strength 1 to 3."""
    return line_width(strength)


def node_size(
    value: float, low: float, high: float, *, smallest: float = 12, largest: float = 40
) -> float:
    """Scale a measure's value to a node size between ``smallest`` and ``largest`` pixels."""
    if high <= low:
        return (smallest + largest) / 2
    return smallest + (largest - smallest) * (value - low) / (high - low)


# --- the legend ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    """One row of the "what is in view" legend, shared by the page and the figures.

    ``group`` is one of ``"kind"``, ``"sign"``, ``"contested"``, ``"status"``,
    ``"direction"`` and ``"count"``; the other fields say how to draw the row's symbol.
    """

    group: str
    key: str
    label: str
    shape: str = ""  # vis-network shape (kinds)
    marker: str = ""  # matplotlib marker (kinds) or sign marker (signs)
    fill: str = ""
    colour: str = ""  # line colour (signs, statuses)
    symbol: str = ""  # "+", "−", "±", a badge letter
    dashes: tuple[int, int] | None = None
    count: int = 0  # how many actors or lines of this row are in view


#: The legend's group headings, in the order the groups appear.
LEGEND_GROUPS: dict[str, str] = {
    "kind": "Actors",
    "sign": "Relations",
    "contested": "Relations",
    "status": "Relations",
    "direction": "Relations",
    "count": "Relations",
}


def legend_entries(
    H: nx.MultiDiGraph[Any],
    *,
    each_relation: bool = False,
    kinds: Mapping[str, KindStyle] | None = None,
) -> list[LegendEntry]:
    """The legend rows for what the view ``H`` shows, in order: kinds, signs, statuses ...

    With one line per pair (the default), signs are the pairs' net signs, "contested"
    appears when some pair's relations disagree, "dashed" means every relation of the pair
    is projected, and a "count" row explains the small numbers on lines of several
    relations. ``kinds`` is the map's kind styles (default: ``kind_styles(H)``).
    """
    from explorer.render.pairs import pair_lines

    styles = dict(kinds) if kinds is not None else kind_styles(H)
    entries: list[LegendEntry] = []
    counted: dict[str, int] = {}
    for _, d in H.nodes(data=True):
        kind = str(d.get("kind", ""))
        counted[kind] = counted.get(kind, 0) + 1
    order = list(styles)
    for kind in sorted(counted, key=lambda k: (order.index(k) if k in order else len(order), k)):
        style = styles.get(kind) or kind_styles(H, kinds=[kind])[kind]
        entries.append(
            LegendEntry(
                "kind",
                kind,
                style.label,
                shape=style.shape,
                marker=style.marker,
                fill=style.fill,
                symbol=style.badge,
                count=counted[kind],
            )
        )
    lines = pair_lines(H, each_relation=each_relation)
    signs: dict[int, int] = {}
    contested = 0
    dashed = solid = 0
    directed = False
    several = False
    for line in lines:
        signs[line.sign] = signs.get(line.sign, 0) + 1
        contested += line.contested
        if line.all_projected:
            dashed += 1
        else:
            solid += 1
        directed = directed or line.directions != "none"
        several = several or line.count > 1
    for sign in (1, -1, 0):
        if sign in signs:
            sign_style = SIGN_STYLES[sign]
            words = {1: "positive", -1: "negative", 0: "neutral or structural"}[sign]
            if not each_relation and sign != 0:
                words += " (net)"
            entries.append(
                LegendEntry(
                    "sign",
                    sign_style.name,
                    words,
                    marker=sign_style.marker,
                    colour=sign_style.colour,
                    symbol=sign_style.symbol,
                    count=signs[sign],
                )
            )
    if contested:
        entries.append(
            LegendEntry(
                "contested",
                CONTESTED.name,
                CONTESTED.label,
                colour=CONTESTED.ring,
                fill=CONTESTED.fill,
                symbol=CONTESTED.symbol,
                count=contested,
            )
        )
    observed_words = "observed" if each_relation else "observed (some relation)"
    projected_words = "projected" if each_relation else "projected (every relation)"
    if solid:
        entries.append(
            LegendEntry("status", "observed", observed_words, colour="#444444", count=solid)
        )
    if dashed:
        entries.append(
            LegendEntry(
                "status",
                "projected",
                projected_words,
                colour="#444444",
                dashes=STATUS_DASHES["projected"],
                count=dashed,
            )
        )
    if directed:
        entries.append(LegendEntry("direction", "directed", "directed (arrow)", symbol="\u2192"))
    if several and not each_relation:
        entries.append(
            LegendEntry(
                "count",
                "several",
                "number on a line: relations of the pair (width grows with their strength)",
            )
        )
    return entries
