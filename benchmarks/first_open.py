"""Where the first view's time goes: one page load of the dashboard and of the bare script.

    python -m benchmarks.first_open                 # the bundled map, both apps
    python -m benchmarks.first_open --map FILE.yaml --repeat 3

For each app (``ours``: ``stakeholder-explorer app``; ``bare``: ``benchmarks/bare_app.py``) it
starts a server, loads the page once untimed (the server's caches warm up), then loads it
``--repeat`` times in fresh browser contexts (new sessions) and prints, in milliseconds after
navigation, the median of each mark:

- ``ws first`` / ``ws last before drawn``: the first and last WebSocket frame received before
  every actor was drawn, and the bytes those frames carried;
- ``script run``: Streamlit's script state in the page (running, then not running);
- ``iframe created``: the graph's iframe element made (``document.createElement``);
- ``frame doc``: the iframe's document started (its ``performance.timeOrigin``);
- ``ready``: the graph page's script ran (the ``ready`` message; ours only);
- ``drawn``: vis-network holds every actor of the view (polled in the frame every frame).

Resources the page fetched (Streamlit's bundle, component modules) are listed with when they
finished loading. ``--profile`` also profiles the dashboard's script runs on the server: the
calls that take the time and when the graph element is emitted after the script starts.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.browser import APP_IDLE, chromium, start_dashboard

ROOT = Path(__file__).resolve().parents[1]
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"

#: Runs in every frame before its own scripts: marks on one clock (epoch milliseconds).
_INIT = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = (window.__marks = window.__marks || { origin: performance.timeOrigin });
  const make = document.createElement.bind(document);
  document.createElement = function (tag, options) {
    if (String(tag).toLowerCase() === "iframe" && !marks.iframe) { marks.iframe = now(); }
    return make(tag, options);
  };
  const blob = URL.createObjectURL.bind(URL);
  URL.createObjectURL = function (object) {
    if (object && object.type === "text/javascript" && !marks.module) { marks.module = now(); }
    return blob(object);
  };
  window.addEventListener("message", (event) => {
    const kind = event.data && event.data.kind;
    if (typeof kind === "string" && kind.indexOf("stakeholder-explorer/") === 0) {
      const name = kind.slice("stakeholder-explorer/".length);
      if (!marks[name]) { marks[name] = now(); }
    }
  });
  const want = __ACTORS__;
  function poll() {
    try {
      if (window.network && window.network.body.data.nodes.length === want) {
        marks.drawn = now();
        return;
      }
    } catch (e) {}
    requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
  if (window === window.top) {
    marks.long = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          marks.long.push([Math.round(e.startTime), Math.round(e.duration)]);
        }
      }).observe({ type: "longtask", buffered: true });
    } catch (e) {}
    const seen = () => {
      const app = document.querySelector('[data-testid="stApp"]');
      const state = app && app.getAttribute("data-test-script-state");
      if (state === "running" && !marks.run_start) { marks.run_start = now(); }
      if (state === "notRunning" && marks.run_start && !marks.run_end) { marks.run_end = now(); }
    };
    new MutationObserver(seen).observe(document, {
      subtree: true, attributes: true, attributeFilter: ["data-test-script-state"], childList: true,
    });
  }
})();
"""

#: The streamlit script that profiles the dashboard's runs (``--profile``).
_PROFILED = """
import cProfile, json, os, sys, time
start = time.perf_counter()
from explorer.app import bridge
marks = {}
if not getattr(bridge, "_timed", False):
    mount = bridge._mount
    def timed(*args, **kwargs):
        bridge._marks["graph_emitted_s"] = time.perf_counter() - bridge._start
        return mount(*args, **kwargs)
    bridge._mount = timed
    bridge._timed = True
bridge._marks = marks
bridge._start = start
profile = cProfile.Profile()
profile.enable()
try:
    from explorer.app.dashboard import run
    run(sys.argv[1:])
finally:
    profile.disable()
    marks["run_s"] = time.perf_counter() - start
    out = os.environ["FIRST_OPEN_PROFILE_DIR"]
    n = len([p for p in os.listdir(out) if p.endswith(".json")])
    profile.dump_stats(os.path.join(out, f"run-{n:02d}.prof"))
    with open(os.path.join(out, f"run-{n:02d}.json"), "w") as f:
        json.dump(marks, f)
"""


def _count_actors(path: Path) -> int:
    from explorer.filters import FilterSpec
    from explorer.graph import build_graph, filter_graph
    from explorer.load import load_dataset

    return len(filter_graph(build_graph(load_dataset(path)), FilterSpec()))


def _one_load(browser: Any, url: str, actors: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(_INIT.replace("__ACTORS__", str(actors)))
    page = context.new_page()
    frames: list[tuple[float, int]] = []

    def on_ws(ws: Any) -> None:
        def got(payload: Any) -> None:
            frames.append((time.time() * 1000, len(payload)))

        ws.on("framereceived", got)

    page.on("websocket", on_ws)
    page.goto(url)
    deadline = time.monotonic() + 120
    drawn_frame = None
    while drawn_frame is None and time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("() => !!(window.__marks && window.__marks.drawn)"):
                    drawn_frame = frame
                    break
            except Exception:  # noqa: BLE001 - a frame may go away while we look
                pass
        else:
            page.wait_for_timeout(20)
    if drawn_frame is None:
        raise TimeoutError(f"no frame drew {actors} actors")
    page.wait_for_selector(APP_IDLE)
    top = page.evaluate("() => window.__marks")
    inner = drawn_frame.evaluate("() => window.__marks")
    origin = top["origin"]
    marks = {
        "component module made": top.get("module"),
        "iframe created": top.get("iframe"),
        "frame doc": inner.get("origin"),
        "ready": top.get("ready"),
        "drawn": inner.get("drawn"),
        "script run start": top.get("run_start"),
        "script run end": top.get("run_end"),
    }
    drawn = inner["drawn"]
    before = [(t, n) for t, n in frames if t <= drawn]
    out: dict[str, Any] = {
        name: (value - origin if value else None) for name, value in marks.items()
    }
    out["ws first"] = before[0][0] - origin if before else None
    out["ws last before drawn"] = before[-1][0] - origin if before else None
    out["ws bytes before drawn"] = sum(n for _, n in before)
    out["ws largest frame"] = max((n for _, n in before), default=0)
    largest = max(before, key=lambda f: f[1]) if before else None
    out["ws largest frame at"] = largest[0] - origin if largest else None
    out["main thread busy before drawn (long tasks)"] = sum(
        d for s, d in top.get("long", []) if s < drawn - origin
    )
    out["long tasks"] = top.get("long", [])
    out["ws frames"] = [(round(t - origin), n) for t, n in frames]
    out["resources"] = page.evaluate(
        """() => performance.getEntriesByType("resource")
            .filter((e) => !e.name.includes("/_stcore/health"))
            .map((e) => [e.name.replace(location.origin, ""), Math.round(e.startTime),
                         Math.round(e.responseEnd), e.transferSize || e.encodedBodySize || 0])"""
    )
    context.close()
    return out


def _report(who: str, loads: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in loads[0] if k not in ("resources", "long tasks", "ws frames")]
    summary: dict[str, Any] = {}
    for key in keys:
        values = [load[key] for load in loads if load.get(key) is not None]
        summary[key] = statistics.median(values) if values else None
    print(f"\n{who}: median of {len(loads)} loads (ms after navigation; bytes)")
    for key, value in sorted(
        summary.items(),
        key=lambda kv: (kv[1] is None or "bytes" in kv[0] or "largest" in kv[0], kv[1] or 0),
    ):
        print(f"  {key:24} {'-' if value is None else f'{value:,.0f}'}")
    print("  ws frames (last load): ms, bytes:", loads[-1]["ws frames"])
    print("  long tasks (last load): start ms, duration ms:", loads[-1]["long tasks"])
    print("  resources (last load): requested at ms, loaded at ms, bytes, path")
    for name, start, end, size in sorted(loads[-1]["resources"], key=lambda r: r[1]):
        print(f"    {start:6} {end:6} {size:9,}  {name[:100]}")
    summary["resources"] = loads[-1]["resources"]
    return summary


def _profile_summary(folder: Path, run: int) -> None:
    marks = json.loads((folder / f"run-{run:02d}.json").read_text())
    print(
        f"\nserver: script run {run} took {marks['run_s'] * 1000:.0f} ms; graph element "
        f"emitted at {marks.get('graph_emitted_s', float('nan')) * 1000:.0f} ms"
    )
    stats = pstats.Stats(str(folder / f"run-{run:02d}.prof"))
    stats.sort_stats("cumulative").print_stats(r"explorer|streamlit/elements|bridge|cache", 30)


def main(argv: list[str] | None = None) -> int:
    from explorer import bundled_map

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--map", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="ours,bare")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    path = args.map or bundled_map()
    actors = _count_actors(path)
    results: dict[str, Any] = {"map": str(path), "actors": actors}
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for who in args.only.split(","):
            command = None
            env_before = os.environ.get("FIRST_OPEN_PROFILE_DIR")
            if who == "bare":
                command = [
                    sys.executable, "-m", "streamlit", "run", str(BARE_APP),
                    "--server.port", "{port}", "--server.headless", "true",
                    "--browser.gatherUsageStats", "false", "--", str(path),
                ]  # fmt: skip
            elif args.profile:
                script = Path(tmp) / "profiled_app.py"
                script.write_text(_PROFILED)
                os.environ["FIRST_OPEN_PROFILE_DIR"] = tmp
                command = [
                    sys.executable, "-m", "streamlit", "run", str(script),
                    "--server.port", "{port}", "--server.headless", "true",
                    "--browser.gatherUsageStats", "false", "--", str(path),
                ]  # fmt: skip
            try:
                with start_dashboard(path, argv=command) as url:
                    _one_load(browser, url + "/", actors)  # warms the server's caches
                    loads = [_one_load(browser, url + "/", actors) for _ in range(args.repeat)]
            finally:
                if env_before is None:
                    os.environ.pop("FIRST_OPEN_PROFILE_DIR", None)
            results[who] = _report(who, loads)
            if who == "ours" and args.profile:
                runs = sorted(Path(tmp).glob("run-*.json"))
                # The first run of the last timed session (earlier runs warmed the caches).
                firsts = [p for p in runs if "graph_emitted_s" in json.loads(p.read_text())]
                _profile_summary(Path(tmp), int(firsts[-1].stem.split("-")[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
