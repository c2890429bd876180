"""Analyses of a stakeholder graph: plain functions over networkx graphs, plain results.

- ``centrality``: who matters; the ``MEASURES`` registry shared by the CLI and the dashboard.
- ``communities``: blocs on positive ties (seeded Louvain).
- ``paths``: how one actor reaches another on the signed graph, with each path's net sign.
- ``camps``: the two camps of a map (``camps(G) -> CampSplit``), the headline grouping.
- ``balance``: triangle census, frustration index (exact or labelled heuristic),
  clusterability into k blocs, per-actor tension and pressure to realign.
- ``report``: one analysis of one view as plain data (``analyze --json``) and as text.
- ``compare``: two views side by side (two files, two dates, observed vs projected).

Nothing here reads files or imports streamlit, pyvis or matplotlib.
"""

from explorer.analysis.camps import CampSplit, camps

__all__ = ["CampSplit", "camps"]
