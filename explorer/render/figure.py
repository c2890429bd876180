"""A matplotlib ``Figure`` of one view of a map, for PNG, SVG and PDF exports.

The figure draws what the dashboard draws, from the same style table and the same data:
actor kinds as shapes (``style.kind_styles``), one line per pair of actors
(``pairs.pair_lines``) coloured by the pair's net sign with a round (positive) or bar
(negative) marker at its middle, a "±" badge on contested pairs, dashes when every relation
of the pair is projected, an arrowhead for each direction, width by total strength and a
small count on pairs of several relations; the legend comes from ``style.legend_entries``.
Positions come from the full map (``layout.positions_for``), so a picture matches the
dashboard.

Sizes are chosen for print: at the default size (10 x 10 inches) labels are 10 pt, so at
least 7 pt when the figure is printed 7 inches wide. The map is scaled to fill the drawing;
each label sits under its actor, or, where that spot is taken, at the nearest free spot that
is nearer its own actor than any other, with a thin leader line back to it. Text stays text
in SVG, with a font list that ends in a generic family; Latin, Cyrillic, Arabic script and
CJK come from DejaVu Sans, Noto and Droid Sans Fallback. Invisible and control characters
are cleaned before drawing.

matplotlib is imported inside the functions: ``import explorer`` must stay light.
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import networkx as nx

from explorer.render.layout import EM
from explorer.render.pairs import PairLine, pair_lines
from explorer.render.routing import Bend, control_point, crossed, curve, route
from explorer.render.style import (
    ACTOR_BORDER,
    CONTESTED,
    LABEL_LINE_CHARS,
    LEGEND_GROUPS,
    NEUTRAL_FILL,
    SIGN_STYLES,
    STATUS_DASHES,
    STRAIGHT_EDGES_ABOVE,
    KindStyle,
    LegendEntry,
    kind_styles,
    label_text,
    legend_entries,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from explorer.analysis.camps import CampSplit

__all__ = [
    "BASE_DPI",
    "DEFAULT_NODE_SIZE",
    "DEFAULT_SIZE",
    "FONT_FAMILIES",
    "LABEL_GID",
    "LABEL_PT",
    "MAX_LABELS",
    "actor_boxes",
    "clean_text",
    "figure_style",
    "image_bytes",
    "label_boxes",
    "line_paths",
    "network_figure",
]

#: Pixels per inch of the figure at 1x: ``size`` in pixels is ``size / BASE_DPI`` inches.
BASE_DPI = 100
#: Default figure size in pixels at 1x: 10 x 10 inches (PNG exports are written at 2x).
DEFAULT_SIZE = (1000, 1000)
#: Fonts tried in order, per glyph: Noto Sans (DejaVu Sans where it is missing) for Latin,
#: Greek and Cyrillic, Noto for Arabic script, Droid Sans Fallback for Chinese and Japanese
#: and NanumGothic for Korean (TrueType fonts, which the PDF backend embeds cleanly; Debian
#: packages fonts-noto-core, fonts-dejavu-core, fonts-droid-fallback and fonts-nanum).
FONT_FAMILIES = (
    "Noto Sans",
    "Noto Sans Arabic",
    "DejaVu Sans",
    "Noto Naskh Arabic",
    "Droid Sans Fallback",
    "NanumGothic",
)
#: The generic family that ends every font list (SVG readers without the fonts use it).
GENERIC_FAMILY = "sans-serif"
#: Most actors labelled in one figure; on bigger views only the best connected are labelled.
MAX_LABELS = 400
#: ``gid`` prefix of every actor label, so tests and tools can find the labels.
LABEL_GID = "actor-label"

#: Node size (vis-network radius in pixels) of an actor when no ``sizes`` are given.
DEFAULT_NODE_SIZE = 16.0

#: Shapes shrink with a map drawn below the layout's scale, down to this share of their size.
_SMALLEST_SHRINK = 0.6
#: Line pitch of a label on several lines (matplotlib's ``linespacing``): about 1.1 em in
#: Noto Sans, as tight as the page's, so that a label's middle stays near its actor.
_LINE_SPACING = 0.8
#: Label size in points at the default size: 7 pt when 10 inches are printed 7 inches wide.
LABEL_PT = 10.0
_PRINT_WIDTH_IN = 7.0
_MIN_PRINTED_PT = 7.0
_TITLE_PT = 14
_CAPTION_PT = 10
_LEGEND_PT = 10
_COUNT_PT = 7.5
_PX_TO_PT = 72 / BASE_DPI
_EDGE_ALPHA = 0.9
_PARALLEL_STEP = 0.18  # curvature between parallel relations of one pair (each relation)
_LABEL_GAP = 2.0  # points between a shape and its label
_FULL_SIZE_MAX = 150  # actors in view up to which shapes are drawn at full size
_LABEL_PAD = 1.5  # points of white around a label's text
_NODE_PT_PER_PX = 0.75 * _PX_TO_PT  # the figure draws the dashboard's node sizes at 3/4


def _installed_fonts() -> list[str]:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in FONT_FAMILIES if name in names] + [GENERIC_FAMILY]


@contextmanager
def figure_style() -> Iterator[None]:
    """Set the settings every export uses: fonts, text as text, fixed hashes, no warnings.

    Missing glyphs are not printed as raw warnings: ``clean_text`` removes what no font can
    draw, and the font list covers Latin, Cyrillic, Arabic script and CJK.
    """
    import logging

    import matplotlib

    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)  # "findfont: Failed to find font weight bold" is no news
    try:
        with (
            matplotlib.rc_context(
                {
                    "font.family": _installed_fonts(),
                    "svg.fonttype": "none",
                    "svg.hashsalt": "stakeholder-explorer",
                    "pdf.fonttype": 42,
                    "path.simplify": False,
                }
            ),
            warnings.catch_warnings(),
        ):
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
            warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
            yield
    finally:
        fonts.setLevel(level)


_KEEP_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner shape Arabic script


def clean_text(text: str) -> str:
    """Text as it can be drawn: no control, invisible, private-use or unassigned characters.

    Newlines and tabs become spaces; U+FEFF and other format characters (except the
    joiners Arabic script needs) are dropped, as are characters that no font draws.
    """
    out = []
    for char in text:
        if char in "\n\t\r\v\f":
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        if category == "Cf" and char not in _KEEP_FORMAT:
            continue
        out.append(char)
    return "".join(out)


def _shown(text: str) -> str:
    """The text as drawn: cleaned, and never read as mathematics."""
    # matplotlib would read "$...$" as mathematics; an actor's name is never mathematics.
    return clean_text(text).replace("$", r"\$")


def _shown_lines(text: str) -> str:
    """Like ``_shown`` but keeps the line breaks of a wrapped label or caption."""
    return "\n".join(_shown(part) for part in text.split("\n"))


def network_figure(
    G: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]],
    *,
    sizes: Mapping[str, float] | None = None,
    title: str = "",
    caption: str = "",
    size: tuple[int, int] | None = None,
    legend: bool = True,
    each_relation: bool = False,
    kinds: Mapping[str, KindStyle] | None = None,
    camps: CampSplit | None = None,
) -> Figure:
    """Draw a view of a map as a matplotlib ``Figure`` of ``size`` pixels (at 1x).

    ``camps`` (from ``explorer.analysis.camps``, for a map drawn with the camps layout)
    adds a heading over each camp of the largest signed component, naming its best
    connected actor in view, and the view the camps come from.

    With no ``size``, the figure is ``DEFAULT_SIZE`` but grows taller (up to 1.4 times its
    width) when the map needs the room to keep every label at full size by its actor.

    ``positions`` must hold every actor of ``G`` (compute them on the full map);
    ``sizes`` are node sizes in pixels as the dashboard uses them (see
    ``explorer.render.html.sizes_from_measure``); ``each_relation`` draws every relation
    as its own line instead of one line per pair; ``kinds`` are the map's kind styles
    (default: ``kind_styles(G)``, which reads the whole map the view comes from).
    Build it inside ``figure_style()`` when saving, so fonts and SVG settings apply.
    """
    auto = size is None
    width, height = DEFAULT_SIZE if size is None else size
    if width < 200 or height < 150:
        raise ValueError(f"figure size {width}x{height} is too small; use at least 200x150")
    missing = [n for n in G if n not in positions]
    if missing:
        raise ValueError(f"no position for actor {missing[0]!r}")
    styles = dict(kinds) if kinds is not None else kind_styles(G)
    lines = pair_lines(G, each_relation=each_relation)
    args = (G, positions, sizes, title, caption, legend, each_relation, styles, lines, camps)
    fig = _figure(*args, width, height)
    short = getattr(fig, "height_short_pt", 0.0)
    if auto and short > 0:
        height = min(round(height + short * BASE_DPI / 72) + 2, round(1.4 * width))
        fig = _figure(*args, width, height)
    if getattr(fig, "hidden_labels", 0) and legend:
        # Draw again with a line above the legends that says how many labels were left out.
        fig = _figure(*args, width, height, note_room=True)
    return fig


def _figure(
    G: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]],
    sizes: Mapping[str, float] | None,
    title: str,
    caption: str,
    legend: bool,
    each_relation: bool,
    styles: Mapping[str, KindStyle],
    lines: list[PairLine],
    camps: CampSplit | None,
    width: int,
    height: int,
    note_room: bool = False,
) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Fonts scale with the figure's width, so that they print at the same size at 7 inches.
    zoom = width / DEFAULT_SIZE[0]
    with figure_style():
        fig = Figure(figsize=(width / BASE_DPI, height / BASE_DPI), dpi=BASE_DPI)
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        titles: dict[str, str] = {}
        fig.svg_titles = titles  # type: ignore[attr-defined]  # our mark; whole texts of wrapped lines, for the SVG's titles
        pad = 12 / height  # 12 px margins, as figure fractions
        top = 1 - pad
        if title:
            heading = fig.text(
                0.5,
                top,
                _shown(title),
                ha="center",
                va="top",
                fontsize=_TITLE_PT * zoom,
                fontweight="bold",
                wrap=False,
            )
            heading.set_gid("title")
            titles["title"] = clean_text(title)
            top = _fit_width(heading, fig, renderer) - 8 / height
        bottom = pad
        if caption:
            limit = width - 24
            chars = _chars_per_line(limit, _CAPTION_PT * zoom)
            note = fig.text(
                12 / width, pad, "", ha="left", va="bottom", fontsize=_CAPTION_PT * zoom
            )
            note.set_color("#333333")
            for _ in range(6):
                note.set_text(_shown_lines(_wrap(caption, chars)))
                wide = note.get_window_extent(renderer).width
                if wide <= limit or chars <= 10:
                    break
                # Wider letters than the estimate (capitals, other scripts): wrap shorter.
                chars = max(int(chars * limit / wide * 0.97), 10)
            note.set_gid("caption")
            titles["caption"] = clean_text(caption)
            bottom = _top_of(note, fig, renderer) + 8 / height
        right = 1 - 12 / width
        hidden_note = None
        if legend:
            boxes = _legends(fig, G, styles, each_relation, _LEGEND_PT * zoom, bottom, renderer)
            if boxes:
                # The legends sit in a row under the drawing, above the caption.
                top_of_legends = max(b.y1 for b in boxes) / fig.bbox.height
                # Room above the legends for the note on labels left out, if any.
                hidden_note = fig.text(
                    right,
                    top_of_legends + 4 / height,
                    "",
                    ha="right",
                    va="bottom",
                    fontsize=_LEGEND_PT * zoom * 0.9,
                    color="#555555",
                )
                bottom = top_of_legends + (8 + (2 * _LEGEND_PT * zoom if note_room else 0)) / height
        headings = _camp_headings(G, camps)
        if headings:
            # A row for the camps' headings between the title and the drawing.
            top -= (_LEGEND_PT * zoom * 1.6) * (BASE_DPI / 72) / height
        ax = fig.add_axes(
            (12 / width, bottom, max(right - 12 / width, 0.1), max(top - bottom, 0.1))
        )
        ax.set_axis_off()
        hidden = _draw(ax, G, positions, sizes, styles, lines, renderer, LABEL_PT * zoom)
        if headings:
            _draw_headings(ax, headings, _LEGEND_PT * zoom)
        fig.hidden_labels = hidden  # type: ignore[attr-defined]  # our mark, read back above
        if hidden and hidden_note is not None and note_room:
            hidden_note.set_text(f"{hidden} label{'s' if hidden > 1 else ''} hidden (no room)")
    return fig


def image_bytes(fig: Figure, fmt: str, *, dpi: float, title: str = "") -> bytes:
    """The figure as PNG, SVG or PDF bytes: same bytes for the same view, title in metadata."""
    # Fixed metadata keeps the bytes the same for the same view and seed.
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    }[fmt]
    if title:
        metadata["Title"] = clean_text(title)
    buffer = io.BytesIO()
    with figure_style():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    data = buffer.getvalue()
    if fmt == "svg":
        data = _stable_clip_ids(_titled_labels(fig, data))
    return data


def _stable_clip_ids(svg: bytes) -> bytes:
    """Number the SVG's clip paths in order of use.

    matplotlib names a clip path by a hash of its rectangle's floats, so the same drawing
    made in two processes can differ in the last bit of a float and so in every clip id;
    numbered ids keep the bytes the same for the same view.
    """
    import re

    names: dict[bytes, bytes] = {}

    def number(match: re.Match[bytes]) -> bytes:
        key = match[2]
        names.setdefault(key, b"clip%d" % (len(names) + 1))
        return match[1] + names[key] + match[3]

    return re.sub(rb'(id="|url\(#)(p[0-9a-f]{10})("|\))', number, svg)


def _titled_labels(fig: Figure, svg: bytes) -> bytes:
    """Give each actor label's group in the SVG a ``<title>`` with the actor's whole name,
    and the figure's title and caption theirs.

    A text drawn on several lines is several ``<text>`` elements; the title keeps it
    whole, for search, screen readers and tooltips.
    """
    from xml.sax.saxutils import escape

    names = getattr(fig, "svg_titles", {})
    if not names:
        return svg
    text = svg.decode("utf-8")
    for gid, name in names.items():
        opening = f'<g id="{gid}">'
        text = text.replace(opening, f"{opening}\n   <title>{escape(name)}</title>", 1)
    return text.encode("utf-8")


def _fit_width(text: Text, fig: Figure, renderer: Any) -> float:
    """Shrink a title (to 11 points at least), then wrap it, until it fits the figure's width.

    Returns the bottom of the text as a fraction of the figure's height.
    """
    content = text.get_text()
    limit = fig.bbox.width - 24
    box = text.get_window_extent(renderer)
    if box.width > limit:
        text.set_fontsize(max(float(text.get_fontsize()) * limit / box.width, 11))
        box = text.get_window_extent(renderer)
    chars = len(content)
    while box.width > limit and chars > 10:
        chars = max(int(chars * limit / box.width * 0.97), 10)
        text.set_text(_wrap(content, chars))
        box = text.get_window_extent(renderer)
    return float(box.y0 / fig.bbox.height)


def _top_of(text: Text, fig: Figure, renderer: Any) -> float:
    box = text.get_window_extent(renderer)
    return float(box.y1 / fig.bbox.height)


def _chars_per_line(width_px: float, size_pt: float) -> int:
    """About how many characters fit in ``width_px`` at ``size_pt`` points."""
    # DejaVu Sans averages a little over half an em per character.
    return max(int(width_px * _PX_TO_PT / (size_pt * 0.58)), 10)


def _wrap(text: str, chars: int) -> str:
    """Wrap each paragraph of ``text`` to at most ``chars`` characters a line."""
    return "\n".join(textwrap.fill(part, chars) if part else "" for part in text.split("\n"))


def _legends(
    fig: Figure,
    G: nx.MultiDiGraph[Any],
    styles: Mapping[str, KindStyle],
    each_relation: bool,
    fontsize: float,
    bottom: float,
    renderer: Any,
) -> list[Any]:
    """The legend of what is in view (``style.legend_entries``): one box per group
    (actors, relations), side by side under the drawing, in as many columns as fit.

    Returns the boxes' extents in pixels.
    """
    entries = legend_entries(G, each_relation=each_relation, kinds=styles)
    groups: dict[str, list[LegendEntry]] = {}
    for entry in entries:
        groups.setdefault(LEGEND_GROUPS[entry.group], []).append(entry)
    if not groups:
        return []
    width = fig.bbox.width
    limit = width - 24
    placed: list[tuple[Any, float, float]] = []
    x = 12.0
    y = bottom * fig.bbox.height
    row_height = 0.0
    for title, members in groups.items():
        handles = [_legend_handle(e) for e in members]
        names = [_legend_words(e, each_relation) for e in members]
        box = None
        for ncol in (4, 3, 2, 1):
            if box is not None:
                box.remove()
            box = fig.legend(
                handles,
                names,
                title=title,
                loc="lower left",
                ncol=min(ncol, len(members)),
                fontsize=fontsize,
                title_fontproperties={"weight": "bold", "size": fontsize},
                alignment="left",
                frameon=False,
                handlelength=2.0,
                columnspacing=1.2,
                borderaxespad=0,
                borderpad=0.2,
            )
            box.set_bbox_to_anchor((x / width, y / fig.bbox.height), transform=fig.transFigure)
            extent = box.get_window_extent(renderer)
            if extent.width <= limit - (x - 12) or ncol == 1:
                break
        assert box is not None
        extent = box.get_window_extent(renderer)
        if extent.x1 > width - 12 and x > 12:
            # No room left on this row: start a new row above it.
            y += row_height + 6
            x = 12.0
            row_height = 0.0
            box.set_bbox_to_anchor((x / width, y / fig.bbox.height), transform=fig.transFigure)
            extent = box.get_window_extent(renderer)
        placed.append((box, x, y))
        x = extent.x1 + 24
        row_height = max(row_height, extent.height)
    # Line up the tops of the boxes of one row.
    for row_y in {py for _, _, py in placed}:
        row = [(b, px) for b, px, py in placed if py == row_y]
        tallest = max(b.get_window_extent(renderer).height for b, _ in row)
        for b, px in row:
            lift = tallest - b.get_window_extent(renderer).height
            b.set_bbox_to_anchor(
                (px / width, (row_y + lift) / fig.bbox.height), transform=fig.transFigure
            )
    return [b.get_window_extent(renderer) for b, _, _ in placed]


def _legend_words(entry: LegendEntry, each_relation: bool) -> str:
    if entry.group == "kind":
        return _shown(entry.label)
    if entry.group == "sign":
        if each_relation or entry.key == "neutral":
            return f"{entry.key} ({entry.symbol})" if entry.key != "neutral" else "neutral"
        return f"net {entry.key}"
    if entry.group == "contested":
        return "contested: both signs"
    if entry.group == "status":
        if entry.key == "projected":
            return "projected" if each_relation else "all projected"
        return "observed"
    if entry.group == "direction":
        return "directed"
    if entry.group == "count":
        return "relations in the pair"
    return entry.label


def _legend_handle(entry: LegendEntry) -> Any:
    from matplotlib.lines import Line2D

    if entry.group == "kind":
        return Line2D(
            [],
            [],
            linestyle="none",
            marker=entry.marker,
            markersize=9,
            markerfacecolor=entry.fill or NEUTRAL_FILL,
            markeredgecolor=ACTOR_BORDER,
            markeredgewidth=1.0,
        )
    if entry.group == "sign":
        style = next(s for s in SIGN_STYLES.values() if s.name == entry.key)
        return Line2D(
            [0, 1],
            [0, 0],
            color=style.colour,
            linewidth=2,
            marker=style.mpl_marker or None,
            markevery=[1] if style.mpl_marker else None,
            markersize=8 if style.mpl_marker == "|" else 6,
            markeredgewidth=2,
        )
    if entry.group == "contested":
        return Line2D(
            [],
            [],
            linestyle="none",
            marker=f"${CONTESTED.symbol}$",
            markersize=8,
            color=CONTESTED.ring,
        )
    if entry.group == "status":
        dashes = entry.dashes
        return Line2D(
            [0, 1],
            [0, 0],
            color=entry.colour or "#555555",
            linewidth=2,
            linestyle=(0, _dash_pt(dashes)) if dashes else "solid",
        )
    if entry.group == "direction":
        return Line2D([], [], linestyle="none", marker=">", color="#555555")
    return Line2D([], [], linestyle="none", marker="$n$", color="#555555", markersize=7)


def _dash_pt(dashes: tuple[int, int]) -> tuple[float, float]:
    return (dashes[0] * _PX_TO_PT, dashes[1] * _PX_TO_PT)


def _radii(G: nx.Graph[Any], sizes: Mapping[str, float] | None) -> dict[str, float]:
    """Each actor's shape radius in points (the dashboard's size, drawn at 3/4)."""
    return {n: float((sizes or {}).get(n, DEFAULT_NODE_SIZE)) * _NODE_PT_PER_PX for n in G}


# --- geometry: the map's scale on the page -------------------------------------------------


def _scale_for(
    xy: Any, half_w: Any, above: Any, below: Any, width: float, height: float
) -> tuple[float, float, float]:
    """The largest scale (points per position unit) at which every actor box fits the frame.

    Returns the scale and the offsets that centre the map in the frame.
    """
    import numpy as np

    if len(xy) == 0:
        return 1.0, width / 2, height / 2

    def span(s: float) -> tuple[float, float, float, float]:
        x0 = float((s * xy[:, 0] - half_w).min())
        x1 = float((s * xy[:, 0] + half_w).max())
        y0 = float((s * xy[:, 1] - below).min())
        y1 = float((s * xy[:, 1] + above).max())
        return x0, x1, y0, y1

    low, high = 0.0, 1e5
    for _ in range(60):
        mid = (low + high) / 2
        x0, x1, y0, y1 = span(mid)
        if x1 - x0 <= width and y1 - y0 <= height:
            low = mid
        else:
            high = mid
    x0, x1, y0, y1 = span(low)
    scale = max(low, 1e-6)
    if not np.isfinite(scale):
        scale = 1.0
    return scale, (width - (x1 - x0)) / 2 - x0, (height - (y1 - y0)) / 2 - y0


def _draw(
    ax: Any,
    G: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]],
    sizes: Mapping[str, float] | None,
    styles: Mapping[str, KindStyle],
    lines: list[PairLine],
    renderer: Any,
    label_pt: float,
) -> int:
    """Draw lines, actors and labels; return how many labels found no room."""
    import numpy as np

    nodes = list(G)
    radius = _radii(G, sizes)
    if len(nodes) > _FULL_SIZE_MAX:
        # A view of hundreds of actors is an overview: smaller shapes keep it legible.
        shrink = max(0.35, math.sqrt(_FULL_SIZE_MAX / len(nodes)))
        radius = {n: r * shrink for n, r in radius.items()}
    reach = {kind: _marker_reach(style) for kind, style in styles.items()}
    for n in nodes:
        kind = str(G.nodes[n].get("kind", ""))
        radius[n] *= reach.get(kind) or _marker_reach(kind_styles(G, kinds=[kind])[kind])
    frame = ax.get_window_extent(renderer)
    pt = ax.figure.dpi / 72
    width_pt, height_pt = frame.width / pt, frame.height / pt
    labelled = _labelled(G, nodes)
    texts = {n: _shown_lines(label_text(_name(G, n))) for n in labelled}
    measured = _measure(ax, texts, label_pt, renderer)
    # A tall label may find no spot nearer its actor than any other: it tries wider lines.
    wide = {
        n: _shown_lines(label_text(_name(G, n), 2 * LABEL_LINE_CHARS))
        for n in labelled
        if texts[n].count("\n") >= 2
    }
    wider = {n: (wide[n], size) for n, size in _measure(ax, wide, label_pt, renderer).items()}
    xy = np.array([positions[n] for n in nodes], dtype=float).reshape(-1, 2)
    r = np.array([radius[n] for n in nodes])
    lw = np.array([measured.get(n, (0.0, 0.0))[0] for n in nodes])
    lh = np.array([measured.get(n, (0.0, 0.0))[1] for n in nodes])
    half_w = np.maximum(r, lw / 2)
    below = r + np.where(lh > 0, _LABEL_GAP + lh, 0)
    scale, ox, oy = _scale_for(xy, half_w, r, below, width_pt, height_pt)
    # A map drawn smaller than the layout planned (a wide map in the figure's frame) draws
    # its shapes smaller with it, as the page does when zoomed out: labels keep their size.
    shrink = max(min(scale * EM / label_pt, 1.0), _SMALLEST_SHRINK)
    if shrink < 1.0:
        radius = {n: value * shrink for n, value in radius.items()}
        r = r * shrink
        half_w = np.maximum(r, lw / 2)
        below = r + np.where(lh > 0, _LABEL_GAP + lh, 0)
        scale, ox, oy = _scale_for(xy, half_w, r, below, width_pt, height_pt)
    # The layout keeps things apart at one label size per em; say how much taller the frame
    # would need to be for that, when its width would allow it.
    wanted = label_pt / EM
    ax.figure.height_short_pt = 0.0
    if scale < wanted and len(xy):
        span_x = float((wanted * xy[:, 0] + half_w).max() - (wanted * xy[:, 0] - half_w).min())
        span_y = float((wanted * xy[:, 1] + r).max() - (wanted * xy[:, 1] - below).min())
        if span_x <= width_pt:
            ax.figure.height_short_pt = max(span_y - height_pt, 0.0)
    # Data coordinates are points inside the frame: x0 = 0 at the frame's left.
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    at = {n: (scale * xy[i, 0] + ox, scale * xy[i, 1] + oy) for i, n in enumerate(nodes)}

    # Labels first: the lines then bend round them (and round other actors' shapes).
    # Labels first, off the straight lines where they can; then lines bend round labels
    # and shapes; then labels that a bent line still crosses move off the drawn lines.
    index = {n: i for i, n in enumerate(nodes)}
    frame_limits = (0.5, 0.5, width_pt - 0.5, height_pt - 0.5)
    routed = len(lines) <= STRAIGHT_EDGES_ABOVE and not (
        lines and all(line.count == 1 for line in lines) and _has_parallel(lines)
    )
    ends = [(line.a, line.b) for line in lines if line.a != line.b]
    if len(lines) > STRAIGHT_EDGES_ABOVE:
        ends = []  # an overview: labels placed without looking at lines
    ends_at = np.array([(index[a], index[b]) for a, b in ends], dtype=int).reshape(-1, 2)
    centres = np.array([at[n] for n in nodes], dtype=float).reshape(-1, 2)
    place = (G, nodes, at, radius, texts, measured, frame_limits)
    hidden, spots = _place_labels(*place, centres[ends_at], ends_at, wider=wider)
    bends: list[Bend | None] = [None] * len(lines)
    if routed:
        for _ in range(3):
            bends = _route_lines(lines, at, radius, spots, width_pt, height_pt)
            pieces, piece_ends, crossing = _drawn_pieces(lines, bends, at, spots, index)
            if not crossing:
                break
            more, spots = _place_labels(
                *place, pieces, piece_ends, spots=spots, again=frozenset(crossing), wider=wider
            )
            hidden += more
    _draw_labels(ax, G, nodes, at, radius, texts, spots, label_pt)
    if len(lines) > STRAIGHT_EDGES_ABOVE:
        _straight_lines(ax, lines, at, radius)
    elif not routed:
        _curved_lines(ax, lines, at, radius)
    else:
        _pair_lines(ax, lines, at, radius, bends)

    by_kind: dict[str, list[str]] = {}
    for n in nodes:
        by_kind.setdefault(str(G.nodes[n].get("kind", "")), []).append(n)
    for kind, members in by_kind.items():
        style = styles.get(kind) or kind_styles(G, kinds=[kind])[kind]
        reach_of = _marker_reach(style)
        collection = ax.scatter(
            [at[n][0] for n in members],
            [at[n][1] for n in members],
            s=[(2 * radius[n] / reach_of * style.scale) ** 2 for n in members],
            marker=style.marker,
            c=[style.fill] * len(members),
            edgecolors=ACTOR_BORDER,
            linewidths=1.0,
            zorder=3,
            gid=f"actors-{kind}",
        )
        collection.actor_ids = list(members)  # read by actor_boxes
        if style.badge:
            for n in members:
                ax.text(
                    *at[n],
                    style.badge,
                    ha="center",
                    va="center",
                    fontsize=radius[n] * 0.9,
                    color="#000000" if style.fill != "#0A0A50" else "#FFFFFF",
                    zorder=3.5,
                )
    return hidden


def _route_lines(
    lines: list[PairLine],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    spots: Mapping[str, tuple[Any, bool]],
    width_pt: float,
    height_pt: float,
) -> list[Bend | None]:
    """Each pair line's bend round other actors' shapes and placed labels (``routing``)."""
    clear = 1.0  # points kept between a bent line and what it goes round
    shapes = {
        n: (at[n][0] - r - clear, at[n][1] - r - clear, at[n][0] + r + clear, at[n][1] + r + clear)
        for n, r in radius.items()
    }
    labels = {
        n: (b[0] - clear, b[1] - clear, b[2] + clear, b[3] + clear) for n, (b, _) in spots.items()
    }
    pairs = [(line.a, line.b) for line in lines]
    return route(pairs, at, shapes, labels, bounds=(0.0, 0.0, width_pt, height_pt))


def _drawn_pieces(
    lines: list[PairLine],
    bends: list[Bend | None],
    at: Mapping[str, tuple[float, float]],
    spots: Mapping[str, tuple[Any, bool]],
    index: Mapping[str, int],
) -> tuple[Any, Any, set[str]]:
    """The drawn lines cut into straight pieces (an (n, 2, 2) array, with each piece's
    ends' actor indices), and the actors whose labels some line crosses."""
    import numpy as np

    owners = list(spots)
    boxes = np.array([spots[n][0] for n in owners], dtype=float).reshape(-1, 4)
    pieces, piece_ends, crossing = [], [], set()
    for line, bend in zip(lines, bends, strict=True):
        if line.a == line.b:
            continue
        points = curve(at[line.a], at[line.b], bend)
        pieces.append(np.stack([points[:-1], points[1:]], axis=1))
        piece_ends += [(index[line.a], index[line.b])] * (len(points) - 1)
        hit = crossed(points, boxes)
        crossing |= {n for n, h in zip(owners, hit, strict=True) if h and n not in (line.a, line.b)}
    if not pieces:
        return np.zeros((0, 2, 2)), np.zeros((0, 2), dtype=int), crossing
    return np.vstack(pieces), np.array(piece_ends, dtype=int), crossing


def _marker_reach(style: KindStyle) -> float:
    """How far a kind's marker reaches from its centre, per point of radius of a disc."""
    from matplotlib.markers import MarkerStyle

    marker = MarkerStyle(style.marker)
    path = marker.get_path().transformed(marker.get_transform())
    ext = path.get_extents()
    return float(max(abs(ext.x0), abs(ext.x1), abs(ext.y0), abs(ext.y1))) * 2 * style.scale


def _camp_headings(
    G: nx.MultiDiGraph[Any], camps: CampSplit | None
) -> list[tuple[str, list[str], str]]:
    """Heading words, actors and alignment for each camp of the largest signed component."""
    if camps is None or not camps.components:
        return []
    first = camps.components[0]
    out = []
    for side, align in ((0, "left"), (1, "right")):
        members = [a for a in G if a in first and camps.side.get(a) == side]
        if not members:
            return []
        best = min(members, key=lambda a: (-G.degree(a), _name(G, a)))
        arrow = ("\u25c0 ", "") if side == 0 else ("", " \u25b6")
        words = f"{arrow[0]}camp of {_name(G, best)}{arrow[1]}"
        out.append((words, members, align))
    out.append((f"camps: {camps.view}", [], "center"))
    return out


def _draw_headings(ax: Any, headings: list[tuple[str, list[str], str]], fontsize: float) -> None:
    """Write the camps' headings just above the drawing, over each camp's actors."""
    frame_w, frame_h = ax.get_xlim()[1], ax.get_ylim()[1]
    centres = {}
    for collection in ax.collections:
        for actor, point in zip(
            getattr(collection, "actor_ids", []), collection.get_offsets(), strict=False
        ):
            centres[actor] = point
    for words, members, align in headings:
        if align == "center":
            continue
        xs = [float(centres[a][0]) for a in members if a in centres]
        x = min(xs) if align == "left" else max(xs)
        x = min(max(x, 0.0), frame_w)
        ax.text(
            x,
            frame_h + fontsize * 0.5,
            _shown(words),
            ha=align,
            va="bottom",
            fontsize=fontsize,
            fontweight="bold",
            color="#444444",
            gid=f"camp-heading-{align}",
            clip_on=False,
        )
    note = next((w for w, _, a in headings if a == "center"), "")
    if note:
        ax.text(
            frame_w / 2,
            frame_h + fontsize * 0.5,
            _shown(note),
            ha="center",
            va="bottom",
            fontsize=fontsize * 0.8,
            color="#666666",
            gid="camp-view",
            clip_on=False,
        )


def _name(G: nx.Graph[Any], n: str) -> str:
    return str(G.nodes[n].get("label") or G.nodes[n].get("name") or n)


def _labelled(G: nx.MultiDiGraph[Any], nodes: list[str]) -> list[str]:
    """The actors that get a label: all, or on big views the best connected ``MAX_LABELS``."""
    if len(nodes) <= MAX_LABELS:
        return nodes
    order = sorted(nodes, key=lambda n: (-G.degree(n), str(n)))
    return order[:MAX_LABELS]


def _measure(
    ax: Any, texts: Mapping[str, str], fontsize: float, renderer: Any
) -> dict[str, tuple[float, float]]:
    """Each label's width and height in points, with its white padding."""
    from matplotlib.text import Text

    pt = ax.figure.dpi / 72
    probe = Text(0, 0, "", fontsize=fontsize, ha="center", va="center", linespacing=_LINE_SPACING)
    probe.set_figure(ax.figure)
    out = {}
    for n, text in texts.items():
        probe.set_text(text)
        box = probe.get_window_extent(renderer)
        out[n] = (box.width / pt + 2 * _LABEL_PAD, box.height / pt + 2 * _LABEL_PAD)
    return out


def _has_parallel(lines: list[PairLine]) -> bool:
    seen: set[frozenset[str]] = set()
    for line in lines:
        pair = frozenset((line.a, line.b))
        if pair in seen:
            return True
        seen.add(pair)
    return False


def _arrowstyle(directions: str) -> str:
    return {"a->b": "-|>", "b->a": "<|-", "both": "<|-|>"}.get(directions, "-")


def _through(bend: Bend | None) -> Any:
    """A connection style drawing a line bent by ``bend`` (straight for ``None``)."""
    from matplotlib.patches import ConnectionStyle

    class Bent(ConnectionStyle.Arc3):
        def connect(self, posA: Any, posB: Any) -> Any:
            from matplotlib.path import Path

            if bend is None:
                return Path([posA, posB], [Path.MOVETO, Path.LINETO])
            via = control_point(tuple(posA), tuple(posB), bend)
            return Path([posA, via, posB], [Path.MOVETO, Path.CURVE3, Path.CURVE3])

    return Bent()


def _pair_lines(
    ax: Any,
    lines: list[PairLine],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    bends: list[Bend | None],
) -> None:
    """One line per pair, bent where ``bends`` says, with its middle marker and count."""
    for line, bend in zip(lines, bends, strict=True):
        if line.a != line.b:
            _line(ax, line, at, radius, bend, f"line-{line.key}")


def _line(
    ax: Any,
    line: PairLine,
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    bend: Bend | None,
    gid: str,
) -> None:
    """One drawn line (straight for ``bend`` None), arrowheads, middle marker and count."""
    from matplotlib.patches import FancyArrowPatch

    style = SIGN_STYLES.get(line.sign, SIGN_STYLES[0])
    width = line.width * _PX_TO_PT
    dashes = STATUS_DASHES["projected"] if line.all_projected else None
    patch = FancyArrowPatch(
        at[line.a],
        at[line.b],
        arrowstyle=_arrowstyle(line.directions),
        mutation_scale=7 + 2.0 * width,
        connectionstyle=_through(bend),
        shrinkA=radius[line.a] + 1,
        shrinkB=radius[line.b] + 1,
        linewidth=width,
        linestyle=(0, _dash_pt(dashes)) if dashes else "solid",
        color=style.colour,
        alpha=_EDGE_ALPHA,
        zorder=1,
    )
    patch.set_gid(gid)
    patch.ends = (line.a, line.b)  # type: ignore[attr-defined]  # our mark, read by line_paths
    ax.add_patch(patch)
    _middle_marks(ax, line, at[line.a], at[line.b], bend, width)


def _middle_marks(
    ax: Any,
    line: PairLine,
    a: tuple[float, float],
    b: tuple[float, float],
    bend: Bend | None,
    width: float,
) -> None:
    """The sign marker (or the contested badge) at a line's middle, and its count."""
    from matplotlib.markers import MarkerStyle
    from matplotlib.transforms import Affine2D

    style = SIGN_STYLES.get(line.sign, SIGN_STYLES[0])
    (mx, my), angle = _midpoint(a, b, bend)
    if line.contested:
        ax.text(
            mx,
            my,
            CONTESTED.symbol,
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
            color=CONTESTED.ring,
            zorder=2.5,
            bbox={
                "boxstyle": "circle,pad=0.15",
                "fc": CONTESTED.fill,
                "ec": style.colour,
                "lw": 1.2,
            },
            gid=f"contested-{line.key}",
        )
    elif style.mpl_marker:
        marker = MarkerStyle(style.mpl_marker, transform=Affine2D().rotate_deg(angle))
        ax.plot(
            [mx],
            [my],
            linestyle="none",
            marker=marker,
            markersize=4.5 + width if style.mpl_marker == "o" else 7 + 1.5 * width,
            markerfacecolor=style.colour,
            markeredgecolor="white" if style.mpl_marker == "o" else style.colour,
            markeredgewidth=0.8 if style.mpl_marker == "o" else 1.0 + width * 0.5,
            zorder=2,
        )
    if line.count > 1:
        # The count sits beside the middle, off the line, on its left-hand side.
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        off = 5.5 + width / 2
        ax.text(
            mx - dy / length * off,
            my + dx / length * off,
            str(line.count),
            ha="center",
            va="center",
            fontsize=_COUNT_PT,
            color="#222222",
            zorder=2.5,
            gid=f"count-{line.key}",
        )


def _curved_lines(
    ax: Any,
    lines: list[PairLine],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
) -> None:
    """Every relation as its own line, parallel relations of a pair fanned out in arcs."""
    pairs: dict[frozenset[str], list[PairLine]] = {}
    for line in lines:
        pairs.setdefault(frozenset((line.a, line.b)), []).append(line)
    for group in pairs.values():
        n = len(group)
        for index, line in enumerate(group):
            if line.a == line.b:
                continue
            rad = (index - (n - 1) / 2) * _PARALLEL_STEP
            # arc3 bends relative to the drawing direction; flip reversed relations so that
            # those drawn B->A do not land on those drawn A->B.
            rad = rad if line.a <= line.b else -rad
            bend: Bend = (0.5, -rad)  # arc3's control point, as a bend
            _line(ax, line, at, radius, bend, f"relation-{line.key}")


def _straight_lines(
    ax: Any,
    lines: list[PairLine],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
) -> None:
    """Every line straight, in a few collections (fast on big maps), with the same marks."""
    import numpy as np
    from matplotlib.collections import LineCollection, PolyCollection

    segments, colours, widths, dashes, ends = [], [], [], [], []
    heads, head_colours = [], []
    dots, dot_colours, dot_sizes = [], [], []
    bars, bar_colours, bar_widths = [], [], []
    for line in lines:
        style = SIGN_STYLES.get(line.sign, SIGN_STYLES[0])
        width = line.width * _PX_TO_PT
        a, b = np.array(at[line.a]), np.array(at[line.b])
        length = float(np.hypot(*(b - a)))
        if length < 1e-6:
            continue
        unit = (b - a) / length
        normal = np.array([-unit[1], unit[0]])
        start = a + unit * (radius[line.a] + 1)
        end = b - unit * (radius[line.b] + 1)
        size = 4 + 1.5 * width
        if line.directions in ("a->b", "both"):
            base = end - unit * size
            heads.append([end, base + normal * size * 0.45, base - normal * size * 0.45])
            head_colours.append(style.colour)
            end = base
        if line.directions in ("b->a", "both"):
            base = start + unit * size
            heads.append([start, base + normal * size * 0.45, base - normal * size * 0.45])
            head_colours.append(style.colour)
            start = base
        segments.append([start, end])
        ends.append((line.a, line.b))
        colours.append(style.colour)
        widths.append(width)
        pattern = STATUS_DASHES["projected"] if line.all_projected else None
        dashes.append((0, _dash_pt(pattern)) if pattern else "solid")
        middle = (a + b) / 2
        if style.mpl_marker == "o":
            dots.append(middle)
            dot_colours.append(style.colour)
            dot_sizes.append((4.5 + width) ** 2)
        elif style.mpl_marker == "|":
            half = 3.5 + width
            bars.append([middle + normal * half, middle - normal * half])
            bar_colours.append(style.colour)
            bar_widths.append(1.0 + width * 0.5)
    if segments:
        collection = LineCollection(
            segments,
            colors=colours,
            linewidths=widths,
            linestyles=dashes,
            alpha=_EDGE_ALPHA,
            zorder=1,
            gid="relations",
        )
        collection.ends = ends  # type: ignore[attr-defined]  # our mark
        ax.add_collection(collection, autolim=False)
    if heads:
        ax.add_collection(
            PolyCollection(
                heads, facecolors=head_colours, edgecolors="none", alpha=_EDGE_ALPHA, zorder=1
            ),
            autolim=False,
        )
    if bars:
        ax.add_collection(
            LineCollection(bars, colors=bar_colours, linewidths=bar_widths, zorder=2),
            autolim=False,
        )
    if dots:
        centres = np.asarray(dots)
        ax.scatter(
            centres[:, 0],
            centres[:, 1],
            s=dot_sizes,
            c=dot_colours,
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
        )


def _midpoint(
    a: tuple[float, float], b: tuple[float, float], bend: Bend | None
) -> tuple[tuple[float, float], float]:
    """The middle of a line from ``a`` to ``b`` bent by ``bend`` (in points), and its angle.

    A quadratic curve passes half way between the chord's middle and its control point,
    parallel to the chord there.
    """
    (x1, y1), (x2, y2) = a, b
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    if bend is not None:
        vx, vy = control_point(a, b, bend)
        mx, my = (mx + vx) / 2, (my + vy) / 2
    return (mx, my), math.degrees(math.atan2(y2 - y1, x2 - x1))


# --- labels --------------------------------------------------------------------------------


def _place_labels(
    G: nx.MultiDiGraph[Any],
    nodes: list[str],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    texts: dict[str, str],
    measured: dict[str, tuple[float, float]],
    limits: tuple[float, float, float, float],
    lines: Any,
    ends_at: Any,
    spots: dict[str, tuple[Any, bool]] | None = None,
    again: frozenset[str] = frozenset(),
    wider: Mapping[str, tuple[str, tuple[float, float]]] | None = None,
) -> tuple[int, dict[str, tuple[Any, bool]]]:
    """Where each label goes (its box in points, and whether it moved away from its actor);
    return how many found no room, and the spots.

    Labels are placed one by one, best connected actors first: under the shape if there is
    room, else above, beside, or on rings further out, always inside the drawing and nearer
    their own actor than any other, and off ``lines`` (an (n, 2, 2) array of line pieces
    whose ends' indices are ``ends_at``) where a spot by the actor allows. With ``spots``
    (an earlier placement), only the labels in ``again`` move, and they keep off every
    piece of ``lines`` if any free spot does. A label with no free spot is tried again as
    ``wider`` gives it (fewer, wider lines, with its size); ``texts`` and ``measured`` are
    updated to what is drawn.
    """
    import numpy as np

    if not texts:
        return 0, dict(spots or {})
    centres = np.array([at[n] for n in nodes], dtype=float).reshape(-1, 2)
    radii = np.array([radius[n] for n in nodes])
    shapes = np.column_stack(
        [centres[:, 0] - radii, centres[:, 1] - radii, centres[:, 0] + radii, centres[:, 1] + radii]
    )
    index = {n: i for i, n in enumerate(nodes)}
    order = sorted(texts, key=lambda n: (-G.degree(n), str(n)))
    out: dict[str, tuple[Any, bool]] = {}
    if spots is not None:
        out = {n: spot for n, spot in spots.items() if n not in again}
        order = [n for n in order if n in again]
    Spot = tuple[str, tuple[float, float], tuple[Any, bool]]

    def place(n: str, taken: Mapping[str, tuple[Any, bool]]) -> Spot | None:
        """The text, size and spot of ``n``'s label given the labels ``taken``, or None."""
        i = index[n]
        x, y = centres[i]
        obstacles = np.vstack([shapes, *[box[None] for box, _ in taken.values()]])
        others = lines[(ends_at[:, 0] != i) & (ends_at[:, 1] != i)]
        for text, size in _wraps(n, texts, measured, wider or {}):
            best, moved, free = _best_spot(
                x, y, radii[i], *size, limits, obstacles, centres, i, others,
                anywhere=spots is not None,
            )  # fmt: skip
            if free:
                return text, size, (best, moved)
        return None

    def make_room(n: str) -> dict[str, Spot] | None:
        """Spots for ``n`` and for the labels placed near it, ``n`` placed first (a label
        placed earlier, beside or away from its actor, may have taken the spots ``n`` had)."""
        x, y = centres[index[n]]
        reach = 2.0 * sum(measured[n])
        near = [
            m
            for m, (box, _) in out.items()
            if box[0] < x + reach
            and box[2] > x - reach
            and box[1] < y + reach
            and box[3] > y - reach
        ]
        if not near:
            return None
        # Greedy, ``n`` first; a label that then finds no spot goes right after ``n`` and
        # the whole is tried again (each label moved forward once at most).
        sequence, forward = [n, *near], set()
        while True:
            taken = {m: spot for m, spot in out.items() if m not in near}
            placed: dict[str, Spot] = {}
            for m in sequence:
                found = place(m, taken)
                if found is None:
                    break
                placed[m] = found
                taken[m] = found[2]
            else:
                return placed
            if m == n or m in forward:
                return None
            forward.add(m)
            sequence.remove(m)
            sequence.insert(1, m)

    hidden = 0
    for n in order:
        found = place(n, out)
        placed = {n: found} if found is not None else make_room(n)
        if placed is None:
            hidden += 1
            continue
        for m, (text, size, spot) in placed.items():
            texts[m], measured[m] = text, size
            out[m] = spot
    return hidden, out


def _wraps(
    n: str,
    texts: Mapping[str, str],
    measured: Mapping[str, tuple[float, float]],
    wider: Mapping[str, tuple[str, tuple[float, float]]],
) -> list[tuple[str, tuple[float, float]]]:
    """The label texts to try for ``n`` with their sizes: as wrapped, then (a tall label
    whose middle falls nearer another actor) on fewer, wider lines."""
    out = [(texts[n], measured[n])]
    if n in wider and wider[n][0] != texts[n]:
        out.append(wider[n])
    return out


def _draw_labels(
    ax: Any,
    G: nx.MultiDiGraph[Any],
    nodes: list[str],
    at: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    texts: Mapping[str, str],
    spots: Mapping[str, tuple[Any, bool]],
    label_pt: float,
) -> None:
    """Draw each placed label; one that moved away from its actor gets a thin leader line."""
    style = {
        "ha": "center",
        "va": "center",
        "fontsize": label_pt,
        "linespacing": _LINE_SPACING,
        "color": "#1a1a1a",
        "zorder": 4,
        "bbox": {
            "boxstyle": f"round,pad={_LABEL_PAD / label_pt:.3f}",
            "fc": "white",
            "ec": "none",
            "alpha": 0.8,
        },
        "annotation_clip": False,
        "textcoords": "data",
    }
    names: dict[str, str] = ax.figure.svg_titles
    for i, n in enumerate(nodes):
        if n not in spots:
            continue
        best, moved = spots[n]
        cx, cy = (best[0] + best[2]) / 2, (best[1] + best[3]) / 2
        arrow = None
        if moved:
            arrow = {
                "arrowstyle": "-",
                "color": "#666666",
                "linewidth": 0.6,
                "shrinkA": 0,
                "shrinkB": radius[n] + 0.5,
            }
        text = ax.annotate(texts[n], at[n], xytext=(cx, cy), arrowprops=arrow, **style)
        text.set_gid(f"{LABEL_GID}-{i}")
        text.actor_id = n  # read by label_boxes
        names[f"{LABEL_GID}-{i}"] = clean_text(_name(G, n))


def _best_spot(
    x: float,
    y: float,
    r: float,
    w: float,
    h: float,
    limits: tuple[float, float, float, float],
    obstacles: Any,
    centres: Any,
    own: int,
    lines: Any,
    *,
    anywhere: bool = False,
) -> tuple[Any, bool, bool]:
    """The first free box ``w`` x ``h`` near the point, whether it moved, and whether free.

    Spots are tried in order: under the shape, above, right, left, the four corners, then
    a grid further out, nearest first; a spot counts only if it covers no obstacle and its
    centre is nearer this actor than any other. Among the spots right by the shape, one
    that none of ``lines`` (an (n, 2, 2) array of other actors' straight lines) crosses
    comes first; with ``anywhere``, the first such spot near or far comes first.
    """
    import numpy as np

    gap = _LABEL_GAP
    near = np.array(
        [
            (x, y - r - gap - h / 2),  # under the shape, as in the dashboard
            (x, y + r + gap + h / 2),  # above
            (x + r + gap + w / 2, y),  # right
            (x - r - gap - w / 2, y),  # left
            (x + r + w / 2, y - r - h / 2),
            (x - r - w / 2, y - r - h / 2),
            (x + r + w / 2, y + r + h / 2),
            (x - r - w / 2, y + r + h / 2),
        ]
    )
    steps = _grid() * np.array([w / 4, h / 2])
    far = near[0] + steps[np.argsort(np.hypot(steps[:, 0], steps[:, 1]), kind="stable")]
    spots = np.vstack([near, far])
    boxes = np.column_stack(
        [spots[:, 0] - w / 2, spots[:, 1] - h / 2, spots[:, 0] + w / 2, spots[:, 1] + h / 2]
    )
    # Keep inside the drawing: slide a box back in rather than drop the spot.
    shift_x = np.clip(limits[0] - boxes[:, 0], 0, None) - np.clip(boxes[:, 2] - limits[2], 0, None)
    shift_y = np.clip(limits[1] - boxes[:, 1], 0, None) - np.clip(boxes[:, 3] - limits[3], 0, None)
    boxes += np.column_stack([shift_x, shift_y, shift_x, shift_y])
    mid = np.column_stack([(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2])
    others = np.delete(centres, own, axis=0)
    fallback = None
    for part in (slice(0, _NEAR), slice(_NEAR, None)):
        candidates = boxes[part]
        ok = _nearest_own(mid[part], (x, y), others)
        if not ok.any():
            continue
        # Only obstacles within reach of some spot of this part can matter.
        lo = candidates[ok, :2].min(axis=0)
        hi = candidates[ok, 2:].max(axis=0)
        close = obstacles[
            (obstacles[:, 2] > lo[0])
            & (obstacles[:, 0] < hi[0])
            & (obstacles[:, 3] > lo[1])
            & (obstacles[:, 1] < hi[1])
        ]
        if len(close):
            ok[ok] = ~_hits(candidates[ok], close)
        found = np.flatnonzero(ok)
        if len(found) and len(lines) and (part.start == 0 or anywhere):
            clear = ~crossed(lines, candidates[found]).any(axis=0)
            if clear.any():
                return candidates[found[np.argmax(clear)]], part.start == _NEAR, True
        if len(found) and fallback is None:
            fallback = (candidates[found[0]], part.start == _NEAR, True)
            if not anywhere:
                return fallback
    return fallback or (boxes[0], False, False)


def _nearest_own(spots: Any, own: tuple[float, float], others: Any) -> Any:
    """Which spots are strictly nearer the actor's own centre than any other actor's."""
    import numpy as np

    mine = np.hypot(spots[:, 0] - own[0], spots[:, 1] - own[1])
    if len(others) == 0:
        return np.ones(len(spots), dtype=bool)
    from scipy.spatial import cKDTree

    nearest, _ = cKDTree(others).query(spots)
    return mine < nearest * 0.98


_NEAR = 8  # spots right by the shape, tried before the outer grid


def _hits(boxes: Any, obstacles: Any) -> Any:
    """Which boxes overlap some obstacle."""
    import numpy as np

    dx = np.minimum(boxes[:, None, 2], obstacles[None, :, 2]) - np.maximum(
        boxes[:, None, 0], obstacles[None, :, 0]
    )
    dy = np.minimum(boxes[:, None, 3], obstacles[None, :, 3]) - np.maximum(
        boxes[:, None, 1], obstacles[None, :, 1]
    )
    return ((dx > 0) & (dy > 0)).any(axis=1)


@functools.cache
def _grid() -> Any:
    """Steps of the outer search grid, in quarter label widths and half label heights."""
    import numpy as np

    return np.array([(i, j) for i in range(-8, 9) for j in range(-12, 13) if i or j], dtype=float)


# --- reading a figure back (tests and tools) ------------------------------------------------


def label_boxes(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each actor label's text and its box ``(x0, y0, x1, y1)`` in pixels, as drawn."""
    return [(text, box) for _, text, box in _labels_drawn(fig)]


def _labels_drawn(fig: Figure) -> list[tuple[str, str, tuple[float, float, float, float]]]:
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    out = []
    for ax in fig.axes:
        for text in ax.texts:
            if (text.get_gid() or "").startswith(LABEL_GID):
                # The text alone: an Annotation's own extent includes its leader line.
                text.update_positions(renderer)  # type: ignore[attr-defined]  # an Annotation
                box = Text.get_window_extent(text, renderer)
                shown = " ".join(text.get_text().replace(r"\$", "$").split())
                actor = getattr(text, "actor_id", "")
                out.append((actor, shown, (box.x0, box.y0, box.x1, box.y1)))
    return out


def actor_boxes(fig: Figure) -> dict[str, tuple[float, float, float, float]]:
    """Each actor's shape box ``(x0, y0, x1, y1)`` in pixels, read from the drawn markers."""
    import numpy as np

    out = {}
    for ax in fig.axes:
        for collection in ax.collections:
            ids = getattr(collection, "actor_ids", None)
            if ids is None:
                continue
            centres = ax.transData.transform(collection.get_offsets())
            path = collection.get_paths()[0]
            extents = path.get_extents()
            for n, (x, y), area in zip(
                ids,
                centres,
                np.broadcast_to(collection.get_sizes(), len(ids)),  # type: ignore[attr-defined]
                strict=True,
            ):
                # A marker's path is in units of its size (points), scaled to pixels.
                scale = math.sqrt(area) * fig.dpi / 72
                out[n] = (
                    x + extents.x0 * scale,
                    y + extents.y0 * scale,
                    x + extents.x1 * scale,
                    y + extents.y1 * scale,
                )
    return out


def actor_labels(fig: Figure) -> dict[str, tuple[float, float, float, float]]:
    """Each labelled actor's label box in pixels, keyed by actor id."""
    return {actor: box for actor, _, box in _labels_drawn(fig)}


def line_paths(fig: Figure) -> list[tuple[tuple[str, str], Any]]:
    """Each drawn relation line's ends (actor ids) and points along it, in pixels."""
    import numpy as np

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    out = []
    for ax in fig.axes:
        for patch in ax.patches:
            ends = getattr(patch, "ends", None)
            if ends is None:
                continue
            # Along each drawn piece, curves evaluated as curves (not their control points).
            t = np.linspace(0.0, 1.0, 40)
            pieces = []
            for item in patch.get_path().iter_bezier():
                piece: Any = item  # (segment, code), though the stubs name the segment only
                pieces.append(piece[0](t))
            points = patch.get_transform().transform(np.vstack(pieces))
            out.append((ends, np.asarray(points)))
        for collection in ax.collections:
            ends_list = getattr(collection, "ends", None)
            if ends_list is None:
                continue
            segments = collection.get_segments()  # type: ignore[attr-defined]  # a LineCollection
            for ends, segment in zip(ends_list, segments, strict=True):
                points = ax.transData.transform(np.linspace(segment[0], segment[-1], 40))
                out.append((ends, points))
    del renderer
    return out
