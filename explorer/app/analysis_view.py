"""The dashboard's Analysis tab: who matters, blocs, balance, tension, paths and what-if.

The dashboard calls ``render(dataset, G, view, spec)`` inside its "Analysis" tab: ``G`` is
the full graph, ``view`` the filtered one the user sees, ``spec`` the ``FilterSpec`` that
made it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import streamlit as st

from explorer.analysis.centrality import MEASURES, TIES
from explorer.graph import FilterSpec
from explorer.model import Dataset


def render(dataset: Dataset, G: nx.MultiDiGraph, view: nx.MultiDiGraph, spec: FilterSpec) -> None:
    """Draw the Analysis tab for the current view."""
    st.subheader("Who matters")
    ties = st.radio("Count ties", TIES, horizontal=True, key="analysis_ties")
    rows: list[dict[str, Any]] = []
    values = {name: m(view, ties=ties) for name, m in MEASURES.items()}
    for actor in view:
        row: dict[str, Any] = {"actor": view.nodes[actor].get("name", actor)}
        for name, m in MEASURES.items():
            row[m.label] = round(values[name][actor], 3)
        rows.append(row)
    rows.sort(key=lambda r: -r["PageRank"])
    st.dataframe(rows, hide_index=True, use_container_width=True)
