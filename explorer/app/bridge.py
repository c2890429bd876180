"""The graph frame: one page that stays loaded across reruns and receives each view as data.

A Streamlit components-v2 component mounted in the dashboard. The first time a session draws
the graph, it creates an iframe holding the graph page (``explorer.render.html.page_shell``:
vis-network and ``page.js``, offline, with its Content-Security-Policy), sandboxed to run
scripts in an opaque origin. Under ``stakeholder-explorer app`` the frame loads the page by
URL from the dashboard's own server (``explorer.app.graph_page``: one content-hashed,
browser-cached document) and the view follows as a message once the page says it is ready;
elsewhere (``streamlit run explorer/app/main.py``, tests) the page is sent inline with the
first view. On every later run only the view's data crosses the websocket: the component
posts it to the page, which updates its data in place, so zoom, pan and dragged positions
survive a filter change, and the browser never parses vis-network again.

The page posts back what the user does (``stakeholder-explorer/select``, ``.../focus``,
``.../reset-whatif``, ``.../moved`` with the dragged positions); the component accepts
messages only from its own frame and hands them to Python as trigger values. If the frame
is gone (the component was mounted afresh without the page), it loads the page again from
its URL, or asks Python for the inline page (``need_shell``).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from explorer.app import graph_page
from explorer.render.html import MESSAGE_PREFIX, layout_position

__all__ = ["FrameEvents", "graph_frame"]

_JS = """
const PREFIX = __PREFIX__;
const FRAMES = new WeakMap();
const ANNOUNCE_MS = 4000;

function send(state) {
  if (state.frame && state.ready && state.pending !== null) {
    state.frame.contentWindow.postMessage({ kind: PREFIX + "view", view: state.pending }, "*");
    state.pending = null;
  }
}

function announce(state) {
  // Once per frame, when its page has loaded (its first view on the way, drawn a moment
  // later) or after ANNOUNCE_MS at the latest: Python then draws what it held back, and the
  // browser fetches that code while the page draws, not before.
  if (state.announce && !state.announced) {
    state.announced = true;
    window.clearTimeout(state.announceTimer);
    state.trigger("ready", true);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = FRAMES.get(parentElement);
  if (!state) {
    state = { frame: null, shellId: null, ready: false, pending: null, trigger: null };
    FRAMES.set(parentElement, state);
    state.onMessage = (event) => {
      // Only our own frame may speak to Python, not any window that can post to us.
      if (!state.frame || event.source !== state.frame.contentWindow) { return; }
      const message = event.data;
      if (!message || typeof message.kind !== "string") { return; }
      const kind = message.kind.slice(PREFIX.length);
      if (message.kind.indexOf(PREFIX) !== 0) { return; }
      if (kind === "ready") {
        state.ready = true;
        send(state);
        announce(state);
      } else if ((kind === "select" || kind === "focus") && typeof message.actor === "string") {
        state.trigger(kind, message.actor);
      } else if (kind === "moved" && message.positions && typeof message.positions === "object") {
        // Dragged actors, as numbers only: Python keeps them until "Keep this arrangement".
        const moved = {};
        for (const [actor, at] of Object.entries(message.positions)) {
          if (at && Number.isFinite(at.x) && Number.isFinite(at.y)) { moved[actor] = [at.x, at.y]; }
        }
        state.trigger("moved", JSON.stringify(moved));
      } else if (kind === "reset-whatif") {
        state.trigger("reset_whatif", true);
      } else if (kind === "drawn") {
        state.frame.setAttribute("data-drawn-actors", String(message.actors));
      }
    };
    window.addEventListener("message", state.onMessage);
  }
  state.trigger = setTriggerValue;
  if (!data) { return; }
  state.announce = Boolean(data.announce_ready);
  const cleanup = () => {
    window.removeEventListener("message", state.onMessage);
    FRAMES.delete(parentElement);
  };
  if (data.shell_id !== state.shellId && (data.page_url || data.shell)) {
    if (state.frame) { state.frame.remove(); }
    const frame = document.createElement("iframe");
    // Scripts run, but in an opaque origin: the page cannot reach the dashboard's window.
    frame.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("allow", "fullscreen");
    frame.setAttribute("allowfullscreen", "");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.title = data.title;
    frame.style.height = data.height;
    if (data.page_url) {
      // The page from the server (cached by the browser); the view once it is ready.
      frame.src = data.page_url;
      state.pending = data.view;
    } else {
      frame.srcdoc = data.shell;  // with this run's view inline: drawn as soon as loaded
      state.pending = null;
    }
    state.frame = frame;
    state.ready = false;
    state.shellId = data.shell_id;
    state.announced = false;
    window.clearTimeout(state.announceTimer);
    state.announceTimer = window.setTimeout(() => announce(state), ANNOUNCE_MS);
    parentElement.appendChild(frame);
    return cleanup;
  } else if (!state.frame) {
    state.pending = data.view;
    setTriggerValue("need_shell", Date.now());
    return;
  }
  state.frame.title = data.title;
  state.frame.style.height = data.height;
  state.pending = data.view;
  send(state);
  return cleanup;
}
""".replace("__PREFIX__", json.dumps(MESSAGE_PREFIX))

_mount = st.components.v2.component("stakeholder_explorer_graph", js=_JS)
#: The page's empty view slot, filled with the first view when the page is sent.
_EMPTY_VIEW = '<script type="application/json" id="view-data"></script>'


@dataclasses.dataclass(frozen=True)
class FrameEvents:
    """What the user did in the graph since the last run (each None when nothing)."""

    select: str | None = None
    focus: str | None = None
    reset_what_if: bool = False
    #: Actors dragged on the page: ``{actor id: (x, y)}`` in the layout's coordinates.
    moved: dict[str, tuple[float, float]] | None = None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _moved(value: Any) -> dict[str, tuple[float, float]] | None:
    """The dragged positions the page sent (JSON text), in the layout's coordinates."""
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    out: dict[str, tuple[float, float]] = {}
    for actor, at in data.items():
        if (
            isinstance(at, list)
            and len(at) == 2
            and all(isinstance(c, (int, float)) and math.isfinite(c) for c in at)
        ):
            out[str(actor)] = layout_position(float(at[0]), float(at[1]))
    return out


def graph_frame(
    view: str,
    *,
    title: str,
    height: str,
    key: str = "graph",
    on_focus: Callable[[], None] | None = None,
    on_reset_what_if: Callable[[], None] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> FrameEvents:
    """Draw ``view`` (``view_json`` text) in the session's graph page; return the events.

    The page itself (about 0.5 MB) is loaded once per session, by URL from the dashboard's
    server when it serves it, else inline; each later run sends only the view. ``title``
    names the frame for assistive technology (and tests); ``height`` is a CSS height.
    ``on_focus`` and ``on_reset_what_if`` run before the rerun they cause; ``on_ready``,
    once per page, when the page has loaded (its script has run, its first view is on its
    way) or 4 s after it was made if it has not said so by then, before the rerun that
    follows.
    """
    shell, name = graph_page.page()
    sent = f"_{key}_shell"
    data: dict[str, Any] = {
        "view": view,
        "title": title,
        "height": height,
        "shell_id": name,
        "shell": None,
        "page_url": None,
        "announce_ready": on_ready is not None,
    }
    if graph_page.route_enabled():
        # The page is a cached document on this server; the view follows as a message.
        data["page_url"] = graph_page.page_url()
    elif st.session_state.get(sent) != name:
        # The first view travels inside the page, so it draws without waiting for a message.
        data["shell"] = shell.replace(_EMPTY_VIEW, _EMPTY_VIEW[:-9] + view + "</script>", 1)

    def resend() -> None:
        st.session_state.pop(sent, None)

    result: Any = _mount(
        key=key,
        data=data,
        height="content",
        on_select_change=lambda: None,
        on_focus_change=on_focus or (lambda: None),
        on_reset_whatif_change=on_reset_what_if or (lambda: None),
        on_moved_change=lambda: None,
        on_need_shell_change=resend,
        on_ready_change=on_ready or (lambda: None),
    )
    st.session_state[sent] = name
    return FrameEvents(
        select=_text(getattr(result, "select", None)),
        focus=_text(getattr(result, "focus", None)),
        reset_what_if=bool(getattr(result, "reset_whatif", False)),
        moved=_moved(getattr(result, "moved", None)),
    )
