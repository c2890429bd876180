"""The one style table: how kinds, signs, statuses and strengths look everywhere.

Colours come from the Okabe-Ito palette, which stays distinct for the common forms of
colour blindness. Sign is never told by colour alone: a positive relation also carries a
round marker at its middle and a "+" in its tooltip and legend, a negative one a bar
marker ("−"); a projected relation is dashed whatever its sign.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from explorer.model import Sign, Status

__all__ = [
    "KIND_COLOURS",
    "SIGN_STYLES",
    "STATUS_DASHES",
    "SignStyle",
    "edge_width",
    "kind_colour",
    "node_size",
]


#: Fill colour of each built-in actor kind.
KIND_COLOURS: dict[str, str] = {
    "state": "#0072B2",  # blue
    "government": "#56B4E9",  # sky blue
    "agency": "#4B7FA8",  # steel blue
    "armed_group": "#D55E00",  # vermillion
    "faction": "#E69F00",  # orange
    "person": "#CC79A7",  # reddish purple
    "organization": "#009E73",  # bluish green
    "group": "#7FC97F",  # light green
    "company": "#8C6D31",  # brown
    "media": "#B07AA1",  # mauve
    "bloc": "#332288",  # indigo
    "resource": "#F0E442",  # yellow
    "place": "#999999",  # grey
}

_EXTRA = ["#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]


def kind_colour(kind: str) -> str:
    """The fill colour of an actor kind; kinds a file adds get a stable colour of their own."""
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    digest = int(hashlib.sha1(kind.encode("utf-8")).hexdigest(), 16)
    return _EXTRA[digest % len(_EXTRA)]


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

#: Dash pattern of each status, as (on, off) lengths in pixels; None draws a solid line.
STATUS_DASHES: dict[Status, tuple[int, int] | None] = {"observed": None, "projected": (7, 5)}

_WIDTHS = {1: 1.2, 2: 2.4, 3: 4.0}


def edge_width(strength: int) -> float:
    """Line width in pixels for a relation of strength 1 to 3."""
    return _WIDTHS.get(strength, 2.4)


def node_size(
    value: float, low: float, high: float, *, smallest: float = 12, largest: float = 40
) -> float:
    """Scale a measure's value to a node size between ``smallest`` and ``largest`` pixels."""
    if high <= low:
        return (smallest + largest) / 2
    return smallest + (largest - smallest) * (value - low) / (high - low)
