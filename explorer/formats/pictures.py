"""Pictures (PNG, SVG, PDF) of one view, with a legend and a caption, and the HTML page.

Pictures and the page show a view (the default one unless filters are given); the caption
names the dataset, what is shown, the filters and the sources cited.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from explorer.errors import ExportError
from explorer.graph import FilterSpec, filters_in_words, view_note
from explorer.render.figure import BASE_DPI, DEFAULT_SIZE

__all__ = ["MAX_PNG_PIXELS", "default_caption", "image_writer", "write_html"]

#: Largest PNG made, in pixels (100 million take 400 MB of memory to draw).
MAX_PNG_PIXELS = 100_000_000

Writer = Any

# --- captions ------------------------------------------------------------------------------

_CAPTION_SOURCES = 8  # sources named in a caption before "and N more"


def default_caption(view: nx.MultiDiGraph[Any], spec: FilterSpec | None = None) -> str:
    """The caption of a picture: dataset, what the view shows, filters and sources cited."""
    dataset = view.graph.get("dataset")
    parts = [f"Data: {view.graph.get('title') or 'untitled map'}."]
    actors, relations = view.number_of_nodes(), view.number_of_edges()
    if dataset is not None:
        shown = (
            f"Shown: {actors} of {len(dataset.actors)} actors, "
            f"{relations} of {len(dataset.relations)} relations"
        )
    else:
        shown = f"Shown: {actors} actors, {relations} relations"
    described = filters_in_words(spec, view) if spec is not None else ""
    shown += f" (filters: {described})" if described else ""
    # The view's date and scenario, and what they hide, even when no filter was set.
    note = view_note(view) if "hidden" in view.graph else ""
    parts.append(shown + (f"; {note}." if note else "."))
    cited = sorted({s for *_, d in view.edges(data=True) for s in d.get("sources", [])})
    if cited:
        index = dataset.source_index if dataset is not None else {}
        names = []
        for ident in cited:
            source = index.get(ident)
            if source is None:
                names.append(ident)
                continue
            extra = ", ".join(
                x
                for x in (source.author or "", source.published.text if source.published else "")
                if x
            )
            names.append(f"{source.title}" + (f" ({extra})" if extra else ""))
        if len(names) > _CAPTION_SOURCES:
            # A caption is not a bibliography: name the first few, count the rest.
            rest = len(names) - _CAPTION_SOURCES
            names = [*names[:_CAPTION_SOURCES], f"and {rest} more"]
        parts.append("Sources: " + "; ".join(names) + ".")
    else:
        parts.append("Sources: none cited by the relations shown.")
    return "\n".join(parts)


# --- images --------------------------------------------------------------------------------


def image_writer(fmt: str) -> Writer:
    """The writer of a picture format: ``png``, ``svg`` or ``pdf``."""

    def write(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
        from explorer.render.figure import image_bytes, network_figure

        if fmt == "png":
            size = options.size or (DEFAULT_SIZE[0], round(1.4 * DEFAULT_SIZE[0]))
            width, height = (round(side * options.dpi / BASE_DPI) for side in size)
            if width * height > MAX_PNG_PIXELS:
                raise ExportError(
                    f"a {width}x{height} PNG is over the limit of {MAX_PNG_PIXELS:,} pixels; "
                    "lower --size or --dpi, or export SVG or PDF"
                )
        title = options.title or str(view.graph.get("title", ""))
        fig = network_figure(
            view,
            options.positions,
            sizes=options.sizes,
            title=title,
            caption=options.caption or default_caption(view, options.spec),
            size=options.size,
            each_relation=getattr(options, "each_relation", False),
            camps=getattr(options, "camps", None),
        )
        return image_bytes(fig, fmt, dpi=options.dpi, title=title)

    return write


def write_html(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as one self-contained interactive page, with "colour by camp" given camps."""
    from explorer.render.html import network_html

    page = network_html(
        view,
        dict(options.positions),
        sizes=dict(options.sizes) if options.sizes else None,
        title=options.title or str(view.graph.get("title", "")),
        caption=options.caption or default_caption(view, options.spec),
        standalone=True,
        each_relation=getattr(options, "each_relation", False),
        camps=getattr(options, "camps", None),
    )
    return page.encode("utf-8")
