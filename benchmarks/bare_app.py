"""The floor Streamlit sets: a bare script that shows the exported page of a view in st.iframe.

    streamlit run benchmarks/bare_app.py -- MAP.yaml

Shows the standalone HTML page of the default view (the same page ``export --format html``
writes) in ``st.iframe``; one select box swaps it for the page of the observed-only view.
The ``perceived`` benchmarks time the dashboard against this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from explorer.filters import FilterSpec
from explorer.graph import build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render.html import network_html
from explorer.render.layout import positions_for

VIEWS = {"both": FilterSpec(), "observed": FilterSpec(statuses=("observed",))}


@st.cache_resource
def _pages(path: str) -> dict[str, str]:
    G = build_graph(load_dataset(Path(path)))
    positions = positions_for(G)
    return {
        name: network_html(filter_graph(G, spec), positions, title=str(G.graph.get("title", "")))
        for name, spec in VIEWS.items()
    }


choice = st.selectbox("Status", list(VIEWS), key="status")
st.iframe(_pages(sys.argv[1])[choice], height=640)
