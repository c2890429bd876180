"""A two-way component that carries a click on the graph back to Python.

The graph is drawn in an ``st.iframe`` (the same offline page the HTML export writes), and
``st.iframe`` only sends data into the page. When an actor is clicked, the page posts
``{"kind": "stakeholder-explorer/select", "actor": id}`` to its parent window; this
component, mounted in that parent, checks that the message came from one of the page's own
frames and hands the actor id to Python as a trigger value. It draws nothing.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from explorer.render.html import SELECT_MESSAGE

_JS = """
export default function (component) {
  const { setTriggerValue } = component;
  function onMessage(event) {
    const message = event.data;
    if (!message || message.kind !== __KIND__ || typeof message.actor !== "string") {
      return;
    }
    // Only our own graph frames may select an actor, not any window that can post to us.
    const frames = Array.from(document.querySelectorAll("iframe"));
    if (!frames.some((frame) => frame.contentWindow === event.source)) {
      return;
    }
    setTriggerValue("select", message.actor);
  }
  window.addEventListener("message", onMessage);
  return () => window.removeEventListener("message", onMessage);
}
""".replace("__KIND__", json.dumps(SELECT_MESSAGE))

_mount = st.components.v2.component("stakeholder_explorer_graph_bridge", js=_JS)


def selected_actor(key: str = "graph_bridge") -> str | None:
    """Mount the bridge; return the actor id clicked in the graph since the last run, if any."""
    result: Any = _mount(key=key, on_select_change=lambda: None, height="content")
    value = getattr(result, "select", None)
    return value if isinstance(value, str) else None
