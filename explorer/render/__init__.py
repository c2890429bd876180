"""Drawing a view: one style table, one layout, and renderers that return values.

- ``style``: colours, dashes, widths and markers shared by every renderer, so a PNG looks
  like the dashboard.
- ``layout``: seeded server-side positions, computed once per map so filters never move
  the actors that stay.
- ``html``: the interactive vis-network page (a string), self-contained and offline.
- ``figure``: the static matplotlib figure (a ``Figure``), for PNG, SVG and PDF.

Renderers never display or write anything; the shells decide where their output goes.
"""
