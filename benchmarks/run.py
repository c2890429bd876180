"""Run the benchmarks of issue 7, print a table and write JSON to ``benchmarks/results/``.

    python -m benchmarks.run                                # everything, N = 100 ... 20,000
    python -m benchmarks.run --sizes 100,1000 --only browser
    python -m benchmarks.run --only loading,analysis --sizes 20000

Every figure is a ratio against a baseline measured in the same run, because the machine is
shared and noisy: the bare ``yaml.load`` of the same file for loading, pyvis with its default
physics for the browser, the naive pipeline for the dashboard. Timings that need a fresh
process (loading, for its peak memory) run in a child process of this one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.generate import GENERATED, generated_map, planted_blocs
from tests.browser import CHROMIUM, chromium_missing_reason, launch, start_dashboard

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = ("loading", "analysis", "browser", "dashboard", "perceived")
DEFAULT_SIZES = (100, 1000, 5000, 20000)
#: Longest wait for pyvis's default physics to settle, in seconds.
PYVIS_CAP_S = 120
#: Relations per actor: 10 for loading and analysis, 3 for the browser figures.
K_DATA, K_DRAW = 10, 3

# Targets of issue 7: (name, key of the measured figure in the results, limit).
TARGETS = [
    ("1 load+validate+graph N=20,000 vs bare yaml.load", "loading.ratio.20000", 1.0),
    ("1 reopen unchanged N=20,000 vs bare yaml.load", "loading.reopen_ratio.20000", 0.1),
    ("2 dashboard warm rerun after filter N=1,000 vs naive", "dashboard.warm_ratio", 0.1),
    ("3 first draw N=1,000 vs pyvis defaults", "browser.first_draw_ratio", 0.02),
    ("4 first draw N=1,000 vs our N=100", "browser.scaling_ratio", 3.0),
    ("5 dashboard N=5,000 graph drawn, layout cached (s)", "dashboard.open_5000_warm_s", 5.0),
    ("6 median pan/zoom redraw N=1,000 vs pyvis", "browser.redraw_ratio", 0.15),
    ("7 every dashboard measure N=5,000 warm (s)", "analysis.warm_s.5000", 2.0),
    ("7 exact frustration 150 actors/1,300 pairs (s)", "analysis.frustration_s", 10.0),
    ("16.5 `validate` bundled map, whole process, vs yaml+model", "loading.validate_ratio", 1.5),
    ("16.1 bundled map opened to all drawn vs bare Streamlit", "perceived.open_ratio.bundled", 1.3),
    ("16.2 bundled map filter changed vs bare rerun", "perceived.rerun_ratio.bundled", 1.5),
    ("16.3 `app` started to healthy vs `streamlit run` bare", "perceived.start_ratio", 1.2),
    ("16.4 N=1,000 opened to all drawn vs bare Streamlit", "perceived.open_ratio.1000", 2.0),
    ("16.4 N=1,000 filter changed vs bare rerun", "perceived.rerun_ratio.1000", 2.0),
    ("- bundled map opened to filters usable vs bare", "perceived.usable_ratio.bundled", None),
    ("- bundled map opened again, cache warm, vs bare", "perceived.reopen_ratio.bundled", None),
    ("- billion laughs refused vs small valid file", "loading.laughs_ratio", None),
    ("- 4,000 unknown actors reported vs the valid file", "loading.unknown_ratio", 2.0),
]


def log(*parts: object) -> None:
    """Progress on stderr, so stdout keeps only the table."""
    print(*parts, file=sys.stderr, flush=True)


@contextmanager
def timer() -> Iterator[list[float]]:
    """Yield a list that holds the elapsed seconds once the block ends."""
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` timings of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        with timer() as t:
            fn()
        times.append(t[0])
    return statistics.median(times)


# --- machine ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    versions = {}
    for name in ("networkx", "scipy", "numpy", "yaml", "pydantic", "streamlit", "pyvis"):
        try:
            module = __import__(name)
            versions[name] = getattr(module, "__version__", "?")
        except ImportError:
            versions[name] = None
    try:
        chromium = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = None
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libyaml": bool(getattr(__import__("yaml"), "__with_libyaml__", False)),
        "chromium": chromium,
        "versions": versions,
        "load_average": os.getloadavg(),
    }


# --- 1. loading -------------------------------------------------------------------------


def _worker(kind: str, path: str) -> dict[str, Any]:
    """Child-process side of the loading benchmark: one measurement, peak memory included."""
    import yaml

    text_bytes = Path(path).read_bytes()
    out: dict[str, Any] = {}
    if kind == "bare":
        with timer() as t:
            yaml.load(text_bytes.decode("utf-8"), Loader=yaml.CSafeLoader)
        out["seconds"] = t[0]
    else:
        from explorer.graph import build_graph
        from explorer.load import load_dataset

        with timer() as t:
            dataset = load_dataset(path)
            build_graph(dataset)
        out["seconds"] = t[0]
        with timer() as again:
            load_dataset(path)
        out["reopen_seconds"] = again[0]
        with timer() as graph_again:
            build_graph(load_dataset(path))
        out["reopen_with_graph_seconds"] = graph_again[0]
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _in_child(kind: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--worker", kind, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _phases(path: Path) -> dict[str, float]:
    """Where loading spends its time: each step of ``explorer.load`` timed on its own."""
    from explorer import load as L
    from explorer.graph import build_graph
    from explorer.model import Dataset, reference_problems

    data = path.read_bytes()
    out: dict[str, float] = {}
    with timer() as t:
        text = L.decode_text(data, str(path))
    out["decode"] = t[0]
    with timer() as t:
        root, _ = L._compose(text, str(path))
    out["compose (libyaml, gc paused)"] = t[0]
    walk = L._Walk(str(path), budget=2 * len(text) + 10_000, text_budget=L._text_budget(text))
    with timer() as t:
        raw = walk.value(root, ())
    out["walk node tree -> plain data"] = t[0]
    with timer() as t:
        dataset = Dataset.model_validate(raw, context={"references_checked": True})
    out["pydantic validation"] = t[0]
    with timer() as t:
        reference_problems(raw)
    out["cross-record checks"] = t[0]
    with timer() as t:
        L._warnings(dataset, root, str(path))
    out["warnings"] = t[0]
    with timer() as t:
        build_graph(dataset)
    out["build_graph"] = t[0]
    return out


def billion_laughs(levels: int = 9, width: int = 10) -> bytes:
    """A YAML "billion laughs": each level's list holds ``width`` aliases of the one before."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return ("\n".join(lines) + "\n").encode()


def bench_loading(sizes: list[int]) -> dict[str, Any]:
    """Target 1 and the billion laughs."""
    from explorer.load import check_bytes

    out: dict[str, Any] = {
        "k": K_DATA,
        "bare": {},
        "ours": {},
        "ratio": {},
        "reopen_ratio": {},
        "bytes": {},
    }
    for n in sizes:
        path = generated_map(n, K_DATA)
        out["bytes"][str(n)] = path.stat().st_size
        log(f"loading: N={n} ({path.stat().st_size / 1e6:.1f} MB)")
        repeat = 3 if n <= 5000 else 1
        bare = [_in_child("bare", path) for _ in range(repeat)]
        ours = [_in_child("ours", path) for _ in range(repeat)]
        b = statistics.median(r["seconds"] for r in bare)
        o = statistics.median(r["seconds"] for r in ours)
        reopen = statistics.median(r["reopen_seconds"] for r in ours)
        out["bare"][str(n)] = {
            "seconds": b,
            "peak_rss_mib": max(r["peak_rss_mib"] for r in bare),
        }
        out["ours"][str(n)] = {
            "seconds": o,
            "reopen_seconds": reopen,
            "reopen_with_graph_seconds": statistics.median(
                r["reopen_with_graph_seconds"] for r in ours
            ),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in ours),
        }
        out["ratio"][str(n)] = o / b
        out["reopen_ratio"][str(n)] = reopen / b
        log(f"  bare {b:.2f} s, ours {o:.2f} s (ratio {o / b:.2f}), reopen {reopen:.3f} s")
    biggest = max(sizes)
    log(f"loading: phases at N={biggest}")
    out["phases"] = {"n": biggest, "seconds": _phases(generated_map(biggest, K_DATA))}

    bomb = billion_laughs()
    small = generated_map(100, K_DATA).read_bytes()
    from explorer import load as L

    def fresh(data: bytes) -> Any:
        L._cache.clear()  # time the check itself, not the content-keyed cache
        return check_bytes(data, "bench.yaml")

    report = fresh(bomb)
    refused = bool(report.errors) and "aliases expand" in str(report.errors[0])
    laughs = best_of(lambda: fresh(bomb), 5)
    small_s = best_of(lambda: fresh(small), 5)
    out["laughs"] = {
        "bytes": len(bomb),
        "expanded_values": 10**9,
        "refused": refused,
        "message": str(report.errors[0]) if report.errors else None,
        "seconds": laughs,
        "small_valid_file_seconds": small_s,
        "small_valid_file_bytes": len(small),
    }
    out["laughs_ratio"] = laughs / small_s
    log(f"loading: billion laughs refused={refused} in {laughs * 1000:.1f} ms")
    out["unknown"] = _unknown_references(fresh)
    out["unknown_ratio"] = out["unknown"]["seconds"] / out["unknown"]["valid_file_seconds"]
    out["validate"] = _validate_startup()
    out["validate_ratio"] = out["validate"]["ratio"]
    return out


#: The irreducible work of `validate`, as a whole process: read the file with the C loader
#: and validate it with the model. Nothing is cached across processes.
_BARE_VALIDATE = """
import sys
import yaml
from explorer.model import Dataset
with open(sys.argv[1], "rb") as f:
    Dataset.model_validate(yaml.load(f.read(), Loader=yaml.CSafeLoader))
"""


def _validate_startup(repeat: int = 15) -> dict[str, Any]:
    """Issue 16 target 5: `stakeholder-explorer validate` on the bundled map, start to exit.

    Each round runs the bare process and the command once, back to back, so that load on the
    machine falls on both alike; the ratio is the median of the rounds' ratios.
    """
    from explorer import bundled_map

    path = str(bundled_map())
    script = Path(sys.executable).with_name("stakeholder-explorer")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "explorer"]
    runs = {
        "bare": [sys.executable, "-c", _BARE_VALIDATE, path],
        "validate": [*command, "validate", path],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for argv in runs.values():  # warm the file system cache and .pyc files first
        subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    for _ in range(repeat):
        for name, argv in runs.items():
            with timer() as t:
                subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
            times[name].append(t[0])
    ratios = [v / b for b, v in zip(times["bare"], times["validate"], strict=True)]
    bare, ours = statistics.median(times["bare"]), statistics.median(times["validate"])
    log(f"loading: validate {ours * 1000:.0f} ms vs bare {bare * 1000:.0f} ms")
    return {
        "bare_s": bare,
        "validate_s": ours,
        "ratio": statistics.median(ratios),
        "runs": times,
        "command": " ".join(runs["validate"][-2:]),
    }


def _unknown_references(fresh: Callable[[bytes], Any]) -> dict[str, Any]:
    """Every one of 4,000 relations names an unknown actor one letter off a real id.

    Each "did you mean" hint compares the word with every id, so without a bound the
    error path grows with errors x actors (two minutes here before it was bounded).
    """
    text = generated_map(4000, 1).read_text(encoding="utf-8")
    start = text.index("\nrelations:")
    valid = text.encode()
    broken = (text[:start] + text[start:].replace("    target: a", "    target: x")).encode()
    report = fresh(broken)
    seconds = best_of(lambda: fresh(broken), 3)
    valid_s = best_of(lambda: fresh(valid), 3)
    log(f"loading: 4,000 unknown actors reported in {seconds:.2f} s (valid file {valid_s:.2f} s)")
    return {
        "errors": len(report.errors),
        "hints": sum("did you mean" in p.message for p in report.errors),
        "seconds": seconds,
        "valid_file_seconds": valid_s,
    }


# --- 7. analysis ------------------------------------------------------------------------


def _analysis_parts(view: Any, S: Any) -> dict[str, float]:
    """Seconds of each piece of ``analyze_view``, computed one at a time."""
    from explorer.analysis import report
    from explorer.analysis.balance import frustration_index
    from explorer.analysis.centrality import MEASURES
    from explorer.graph import signed_graph

    parts: dict[str, float] = {}
    with timer() as t:
        signed_graph(view)
    parts["signed_graph"] = t[0]
    for name, measure in MEASURES.items():
        with timer() as t:
            measure(view)
        parts[f"centrality: {name}"] = t[0]
    with timer() as t:
        result = frustration_index(S)
    parts["frustration_index"] = t[0]
    parts["frustration_exact"] = float(result.exact)
    with timer() as t:
        report.blocs(S, seed=0)
    parts["blocs"] = t[0]
    with timer() as t:
        report.balance_of(S)
    parts["balance (split, weighted split, swing actors, triangles)"] = t[0]
    with timer() as t:
        report.tension_of(S)
    parts["tension"] = t[0]
    return parts


def bench_analysis(sizes: list[int]) -> dict[str, Any]:
    """Target 7: every measure the dashboard shows, and the exact frustration index."""
    from explorer.analysis import report
    from explorer.analysis.balance import frustration_index
    from explorer.graph import FilterSpec, build_graph, filter_graph, signed_graph
    from explorer.load import load_dataset

    out: dict[str, Any] = {"k": K_DATA, "warm_s": {}, "cold_s": {}, "parts": {}, "approximate": {}}
    for n in [s for s in sizes if s <= 5000]:
        log(f"analysis: N={n}")
        G = build_graph(load_dataset(generated_map(n, K_DATA)))
        view = filter_graph(G, report.analysis_spec(FilterSpec()))
        with timer() as cold:
            result = report.analyze_view(view)
        with timer() as warm:
            report.analyze_view(view)
        out["cold_s"][str(n)] = cold[0]
        out["warm_s"][str(n)] = warm[0]
        out["approximate"][str(n)] = result.centrality_approximate
        S = signed_graph(view)
        parts = _analysis_parts(view, S)
        out["parts"][str(n)] = parts
        out.setdefault("view", {})[str(n)] = {
            "actors": view.number_of_nodes(),
            "relations": view.number_of_edges(),
            "signed_pairs": S.number_of_edges(),
        }
        log(f"  analyze_view cold {cold[0]:.2f} s, warm {warm[0]:.2f} s")

    S = planted_blocs(150, 1300, 0.05, seed=0)
    with timer() as t:
        result = frustration_index(S)
    out["frustration_s"] = t[0]
    out["frustration"] = {
        "actors": S.number_of_nodes(),
        "pairs": S.number_of_edges(),
        "flipped": S.graph["flipped"],
        "index": result.index,
        "exact": result.exact,
        "method": result.method,
    }
    log(f"analysis: frustration index {result.index} exact={result.exact} in {t[0]:.2f} s")
    return out


# --- 3, 4, 6. browser -------------------------------------------------------------------

# Installed before any page script: hooks the vis.Network as soon as the page assigns it to
# the global ``network`` (both our page and pyvis's do), and records each draw.
_HOOK_JS = r"""
(function () {
  var B = window.__bench = { done: null, first: null, stab: null, settled: null,
                             draws: [], begin: null };
  var waitStab = !!window.__benchWaitStab;
  var net;
  function hook(n) {
    n.on("stabilizationIterationsDone", function () { B.stab = performance.now(); });
    n.on("stabilized", function () { if (B.settled === null) B.settled = performance.now(); });
    n.on("beforeDrawing", function () { B.begin = performance.now(); });
    n.on("afterDrawing", function () {
      var t = performance.now();
      if (B.first === null) B.first = t;
      if (B.begin !== null) B.draws.push(t - B.begin);
      if (B.done === null && (!waitStab || B.stab !== null)) B.done = t;
    });
  }
  Object.defineProperty(window, "network", {
    configurable: true, enumerable: true,
    get: function () { return net; },
    set: function (v) { net = v; if (v && v.on) hook(v); }
  });
})();
"""


def _pyvis_page(G: Any) -> str:
    """pyvis's page with its default physics, vis-network inlined and every external tag removed."""
    from pyvis.network import Network

    from explorer.render.html import _vis_js
    from explorer.render.style import SIGN_STYLES, edge_width, kind_colour

    net = Network(height="750px", width="100%", directed=True, cdn_resources="remote")
    for node, d in G.nodes(data=True):
        net.add_node(node, label=str(d.get("name", node)), color=kind_colour(d["kind"]))
    for u, v, _, d in G.edges(keys=True, data=True):
        net.add_edge(
            u,
            v,
            title=str(d.get("label")),
            color=SIGN_STYLES[d["sign"]].colour,
            width=edge_width(d["strength"]),
        )
    page = net.generate_html()
    page = re.sub(r"<link\b[^>]*>", "", page)
    page = re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", page)
    return page.replace("<head>", f"<head><script>{_vis_js()}</script>", 1)


def _chromium() -> Any:
    from playwright.sync_api import sync_playwright

    reason = chromium_missing_reason()
    if reason:
        raise RuntimeError(reason)
    p = sync_playwright().start()
    return p, launch(p)


def _open(browser: Any, url: str, *, wait_stab: bool, cap_s: float) -> tuple[Any, Any, list[str]]:
    """Open ``url`` in a new page with the draw hook; return (context, page, external URLs)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    external: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:", "http://127.0.0.1")):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(f"window.__benchWaitStab = {str(wait_stab).lower()};")
    context.add_init_script(_HOOK_JS)
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=cap_s * 1000)
    return context, page, external


def _wait_done(frame: Any, cap_s: float) -> dict[str, Any]:
    """Wait for the first complete draw (or the cap) and return the page's records.

    Polls with ``evaluate`` (run by the browser's debugger protocol): our page's Content
    Security Policy forbids the ``eval`` that ``wait_for_function`` needs.
    """
    deadline = time.perf_counter() + cap_s
    capped = True
    while time.perf_counter() < deadline:
        if frame.evaluate("window.__bench ? window.__bench.done !== null : false"):
            capped = False
            break
        frame.wait_for_timeout(50)
    bench: dict[str, Any] = frame.evaluate(
        "({done: __bench.done, first: __bench.first, stab: __bench.stab,"
        " settled: __bench.settled, nodes: network ? network.body.data.nodes.length : 0})"
    )
    bench["capped"] = capped
    return bench


def _pan_zoom(page: Any) -> dict[str, Any]:
    """Zoom in, pan, zoom out and pan with the mouse, three times; the median redraw time."""
    page.evaluate("network.stopSimulation(); __bench.draws = []; __bench.begin = null;")
    page.wait_for_timeout(300)
    page.evaluate("__bench.draws = []; __bench.begin = null;")
    box = page.locator("canvas").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    for direction in (-1, 1) * 3:
        for _ in range(6):
            page.mouse.wheel(0, 120 * direction)
            page.wait_for_timeout(120)
        page.mouse.move(cx, cy)
        page.mouse.down()
        for step in range(1, 16):
            page.mouse.move(cx + 12 * step, cy + 6 * step)
            page.wait_for_timeout(40)
        page.mouse.up()
        page.wait_for_timeout(150)
    draws: list[float] = page.evaluate("__bench.draws.slice()")
    # A whole frame with every edge, at rest (what a frame costs when nothing is hidden).
    full: list[float] = page.evaluate(
        "(() => { var out = []; for (var i = 0; i < 9; i++) {"
        " var t = performance.now(); network.redraw(); out.push(performance.now() - t); }"
        " return out; })()"
    )
    return {
        "redraws": len(draws),
        "median_ms": statistics.median(draws) if draws else None,
        "p90_ms": sorted(draws)[int(0.9 * (len(draws) - 1))] if draws else None,
        "full_frame_at_rest_median_ms": statistics.median(full),
    }


def _measure_page(
    browser: Any, html: str, *, wait_stab: bool, cap_s: float, pan_zoom: bool
) -> dict[str, Any]:
    folder = GENERATED / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".html", dir=folder, delete=False) as handle:
        handle.write(html)
    try:
        context, page, external = _open(
            browser, Path(handle.name).as_uri(), wait_stab=wait_stab, cap_s=cap_s
        )
        bench = _wait_done(page, cap_s)
        if pan_zoom:
            bench["pan_zoom"] = _pan_zoom(page)
        bench["external_requests"] = external
        bench["page_bytes"] = len(html.encode())
        context.close()
        return bench
    finally:
        os.unlink(handle.name)


def bench_browser(sizes: list[int]) -> dict[str, Any]:
    """Targets 3, 4 and 6: first complete draw and pan/zoom redraws in headless Chromium."""
    from explorer.graph import build_graph
    from explorer.load import load_dataset
    from explorer.render.html import network_html
    from explorer.render.layout import layout_positions

    out: dict[str, Any] = {"k": K_DRAW, "ours": {}, "pyvis": {}, "cap_s": PYVIS_CAP_S}
    p, browser = _chromium()
    try:
        # Warm up Chromium and the imports once, so the first size is not charged for them.
        G0 = build_graph(load_dataset(generated_map(100, K_DRAW)))
        _measure_page(
            browser,
            network_html(G0, layout_positions(G0)),
            wait_stab=False,
            cap_s=30,
            pan_zoom=False,
        )
        for n in [s for s in sizes if s <= 5000]:
            G = build_graph(load_dataset(generated_map(n, K_DRAW)))
            runs = []
            for _ in range(3 if n <= 1000 else 1):
                with timer() as lay:
                    positions = layout_positions(G)
                with timer() as gen:
                    page = network_html(G, positions)
                bench = _measure_page(
                    browser, page, wait_stab=False, cap_s=60, pan_zoom=(n == 1000)
                )
                bench["layout_s"], bench["html_s"] = lay[0], gen[0]
                bench["total_s"] = lay[0] + gen[0] + (bench["done"] or 0) / 1000
                runs.append(bench)
            best = sorted(runs, key=lambda r: r["total_s"])[len(runs) // 2]
            out["ours"][str(n)] = best
            log(
                f"browser: ours N={n}: layout {best['layout_s']:.2f} s, page "
                f"{best['html_s']:.2f} s, draw {best['done'] / 1000:.2f} s"
            )
            if n in (100, 1000):
                log(f"browser: pyvis defaults N={n} (cap {PYVIS_CAP_S} s)")
                bench = _measure_page(
                    browser,
                    _pyvis_page(G),
                    wait_stab=True,
                    cap_s=PYVIS_CAP_S,
                    pan_zoom=(n == 1000),
                )
                bench["total_s"] = (bench["done"] or PYVIS_CAP_S * 1000) / 1000
                out["pyvis"][str(n)] = bench
                log(f"  pyvis draw {bench['total_s']:.1f} s (capped: {bench['capped']})")
    finally:
        browser.close()
        p.stop()
    ours, pyv = out["ours"], out["pyvis"]
    if "1000" in ours and "1000" in pyv:
        out["first_draw_ratio"] = ours["1000"]["total_s"] / pyv["1000"]["total_s"]
        out["first_draw_ratio_browser_only"] = (ours["1000"]["done"] / 1000) / pyv["1000"][
            "total_s"
        ]
        a, b = ours["1000"].get("pan_zoom"), pyv["1000"].get("pan_zoom")
        if a and b and a["median_ms"] and b["median_ms"]:
            out["redraw_ratio"] = a["median_ms"] / b["median_ms"]
    if "1000" in ours and "100" in ours:
        out["scaling_ratio"] = ours["1000"]["total_s"] / ours["100"]["total_s"]
        out["scaling_ratio_browser_only"] = ours["1000"]["done"] / ours["100"]["done"]
    return out


# --- 2, 5. dashboard --------------------------------------------------------------------


def _clear_caches() -> None:
    import streamlit as st

    from explorer import load as L
    from explorer.app.caching import budget

    st.cache_resource.clear()
    budget().clear()
    st.cache_data.clear()
    L._cache.clear()


def _apptest(path: Path) -> dict[str, Any]:
    """Target 2 with AppTest: a cold run (the naive pipeline) against a warm filter change."""
    from streamlit.testing.v1 import AppTest

    os.environ["STAKEHOLDER_EXPLORER_FILE"] = str(path)
    script = str(ROOT / "explorer" / "app" / "main.py")
    naive: list[float] = []
    warm: list[float] = []
    by_change: dict[str, list[float]] = {}
    for _ in range(2):
        _clear_caches()
        at = AppTest.from_file(script, default_timeout=600)
        with timer() as cold:
            at.run()
        if at.exception:
            raise RuntimeError(f"the dashboard failed: {at.exception[0].message}")
        naive.append(cold[0])
        # Filter changes a user makes: a few kinds (a smaller view), then a confidence
        # threshold (most of the map), then back to everything.
        changes: list[tuple[str, Callable[[Any], Any]]] = [
            (
                "kinds: first 3",
                lambda a: a.multiselect(key="f_kinds").set_value(
                    list(a.multiselect(key="f_kinds").options)[:3]
                ),
            ),
            ("kinds: all", lambda a: a.multiselect(key="f_kinds").set_value([])),
            (
                "min confidence: medium",
                lambda a: a.select_slider(key="f_min_confidence").set_value("medium"),
            ),
            (
                "min confidence: low",
                lambda a: a.select_slider(key="f_min_confidence").set_value("low"),
            ),
        ]
        for label, change in changes:
            change(at)
            with timer() as t:
                at.run()
            warm.append(t[0])
            by_change.setdefault(label, []).append(t[0])
    return {
        "naive_s": statistics.median(naive),
        "naive_runs": naive,
        "warm_s": statistics.median(warm),
        "warm_max_s": max(warm),
        "warm_by_change": by_change,
    }


def _dashboard_in_browser(path: Path, cap_s: float = 120) -> dict[str, Any]:
    """Target 5: open the real dashboard on ``path``; time until its graph frame has drawn."""
    out: dict[str, Any] = {}
    p, browser = _chromium()
    try:
        with start_dashboard(path) as base:
            url = base + "/"
            for label in ("cold", "warm"):
                context, page, external = _open(browser, url, wait_stab=False, cap_s=cap_s)
                start = time.perf_counter()
                drawn = None
                while time.perf_counter() - start < cap_s:
                    for frame in page.frames:
                        try:
                            done = frame.evaluate("window.__bench ? window.__bench.done : null")
                        except Exception:  # noqa: BLE001 - a frame may go away while we look
                            done = None
                        if done is not None:
                            drawn = time.perf_counter() - start
                            break
                    if drawn is not None:
                        break
                    page.wait_for_timeout(100)
                out[label] = {"seconds": drawn, "capped": drawn is None, "external": external}
                log(f"dashboard: N=5000 in the browser, {label}: {drawn}")
                context.close()
    finally:
        browser.close()
        p.stop()
    return out


def bench_dashboard(sizes: list[int]) -> dict[str, Any]:
    """Targets 2 and 5."""
    out: dict[str, Any] = {"k": K_DRAW}
    if 1000 in sizes:
        log("dashboard: AppTest at N=1000")
        app = _apptest(generated_map(1000, K_DRAW))
        out["apptest_1000"] = app
        out["warm_ratio"] = app["warm_s"] / app["naive_s"]
        log(f"  naive {app['naive_s']:.2f} s, warm {app['warm_s']:.2f} s")
    if 5000 in sizes:
        log("dashboard: real server at N=5000")
        browser = _dashboard_in_browser(generated_map(5000, K_DRAW))
        out["open_5000"] = browser
        out["open_5000_cold_s"] = browser["cold"]["seconds"]
        out["open_5000_warm_s"] = browser["warm"]["seconds"]
    return out


# --- perceived speed (issue 16): the dashboard against a bare Streamlit script -----------

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
#: Page loads timed per figure (the median is kept), after one untimed load that warms up.
#: The dashboard's and the bare script's loads alternate, so that the machine's load (2
#: cores, shared) weighs on both alike.
PERCEIVED_REPEAT = 5


def _drawn_frame(page: Any, actors: int, lines: int | None, cap_s: float) -> Any:
    """Wait until some frame of ``page`` draws ``actors`` actors (and ``lines`` lines)."""
    deadline = time.perf_counter() + cap_s
    want = f"window.network && network.body.data.nodes.length === {actors}"
    if lines is not None:
        want += f" && network.body.data.edges.length === {lines}"
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(f"() => !!({want})"):
                    return frame
            except Exception:  # noqa: BLE001 - a frame may go away while we look
                pass
        page.wait_for_timeout(20)
    raise TimeoutError(f"no frame drew {actors} actors within {cap_s} s")


def _perceived_load(
    browser: Any,
    url: str,
    counts: tuple[int, int, int],
    control: Callable[[Any], Any],
    change: Callable[[Any], None],
) -> tuple[float, float, float, float]:
    """Seconds from navigation to every actor drawn, from navigation to the filter that is
    changed next on screen (and the script idle), from the change to the new view, and from
    opening the page again in the same browser (its cache warm) to every actor drawn."""
    actors, _, lines_after = counts
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        _drawn_frame(page, actors, None, 120)
        opened = time.perf_counter() - start
        # The change is timed from a page that is ready for it: the dashboard draws the
        # sidebar's controls in the run after the graph, so wait for the control itself.
        control(page).wait_for(timeout=120_000)
        page.wait_for_selector(idle)
        usable = time.perf_counter() - start
        start = time.perf_counter()
        change(page)
        _drawn_frame(page, actors, lines_after, 120)
        rerun = time.perf_counter() - start
        page.wait_for_selector(idle)
        start = time.perf_counter()
        page.goto(url)  # a person coming back: the default view again, a new session
        _drawn_frame(page, actors, None, 120)
        return opened, usable, rerun, time.perf_counter() - start
    finally:
        context.close()


def _perceived_both(
    browser: Any, urls: dict[str, str], counts: tuple[int, int, int]
) -> dict[str, dict[str, Any]]:
    """Median open and rerun seconds of each app, their page loads alternating."""
    controls = {"bare": _select_bare, "ours": _observed_ours}
    changes = {"bare": _pick_observed_bare, "ours": _pick_observed_ours}
    runs: dict[str, list[tuple[float, float, float, float]]] = {who: [] for who in urls}
    for attempt in range(PERCEIVED_REPEAT + 1):
        for who, url in urls.items():
            timed = _perceived_load(browser, url + "/", counts, controls[who], changes[who])
            if attempt:  # the first load warms the server's caches
                runs[who].append(timed)
    return {
        who: {
            "open_s": statistics.median(t[0] for t in timed),
            "usable_s": statistics.median(t[1] for t in timed),
            "rerun_s": statistics.median(t[2] for t in timed),
            "reopen_s": statistics.median(t[3] for t in timed),
            "opens": [round(t[0], 3) for t in timed],
            "usables": [round(t[1], 3) for t in timed],
            "reruns": [round(t[2], 3) for t in timed],
            "reopens": [round(t[3], 3) for t in timed],
        }
        for who, timed in runs.items()
    }


def _observed_ours(page: Any) -> Any:
    return page.locator("[data-testid=stSidebar]").get_by_text("observed", exact=True).first


def _pick_observed_ours(page: Any) -> None:
    _observed_ours(page).click()


def _select_bare(page: Any) -> Any:
    return page.get_by_role("combobox").first


def _pick_observed_bare(page: Any) -> None:
    _select_bare(page).click()
    page.get_by_role("option", name="observed", exact=True).click()


def _started(argv: list[str] | None, path: Path) -> tuple[float, Any]:
    start = time.perf_counter()
    manager = start_dashboard(path, argv=argv)
    url = manager.__enter__()
    return time.perf_counter() - start, (manager, url)


def bench_perceived(sizes: list[int]) -> dict[str, Any]:
    """Issue 16's targets 1-4: the dashboard against a bare Streamlit script, in one run."""
    from explorer import bundled_map
    from explorer.filters import FilterSpec
    from explorer.graph import build_graph, filter_graph
    from explorer.load import load_dataset
    from explorer.render.pairs import pair_lines

    out: dict[str, Any] = {"open_ratio": {}, "rerun_ratio": {}, "maps": {}}
    maps = {"bundled": bundled_map()}
    if 1000 in sizes:
        maps["1000"] = generated_map(1000, K_DRAW)
    p, browser = _chromium()
    try:
        starts: dict[str, list[float]] = {"ours": [], "bare": []}
        for name, path in maps.items():
            G = build_graph(load_dataset(path))
            default = filter_graph(G, FilterSpec())
            observed = filter_graph(G, FilterSpec(statuses=("observed",)))
            counts = (len(default), len(pair_lines(default)), len(pair_lines(observed)))
            row: dict[str, Any] = {"actors": counts[0], "lines": counts[1:]}
            bare_argv = [
                sys.executable, "-m", "streamlit", "run", str(BARE_APP),
                "--server.port", "{port}", "--server.headless", "true",
                "--browser.gatherUsageStats", "false", "--", str(path),
            ]  # fmt: skip
            argvs = {"bare": bare_argv, "ours": None}
            for who, argv in argvs.items():  # started alone: the other server is not up
                seconds, (manager, _) = _started(argv, path)
                manager.__exit__(None, None, None)
                starts[who].append(seconds)
                log(f"perceived: {name} {who}: start {seconds:.2f} s")
            managers, urls = [], {}
            try:
                for who, argv in argvs.items():
                    _, (manager, urls[who]) = _started(argv, path)
                    managers.append(manager)
                row.update(_perceived_both(browser, urls, counts))
            finally:
                for manager in managers:
                    manager.__exit__(None, None, None)
            log(f"perceived: {name}: {row}")
            out["maps"][name] = row
            out["open_ratio"][name] = row["ours"]["open_s"] / row["bare"]["open_s"]
            out["rerun_ratio"][name] = row["ours"]["rerun_s"] / row["bare"]["rerun_s"]
            # Not targets: the filters on screen; the same page opened again by a browser
            # that has been there.
            for figure in ("usable", "reopen"):
                out.setdefault(f"{figure}_ratio", {})[name] = (
                    row["ours"][f"{figure}_s"] / row["bare"][f"{figure}_s"]
                )
        out["start_s"] = {k: statistics.median(v) for k, v in starts.items()}
        out["start_ratio"] = out["start_s"]["ours"] / out["start_s"]["bare"]
    finally:
        browser.close()
        p.stop()
    return out


# --- the table --------------------------------------------------------------------------


def _lookup(results: dict[str, Any], key: str) -> Any:
    value: Any = results
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def table(results: dict[str, Any]) -> str:
    """The targets, the measured figure and whether each is met."""
    rows = [("target", "measured", "limit", "met")]
    for name, key, limit in TARGETS:
        value = _lookup(results, key)
        if value is None:
            rows.append((name, "not run", "" if limit is None else f"{limit:g}", ""))
            continue
        met = "" if limit is None else ("yes" if value <= limit else "NO")
        rows.append((name, f"{value:.3g}", "" if limit is None else f"{limit:g}", met))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections and sizes; print the table; write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help="JSON file (default: benchmarks/results/)")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s})
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section {sorted(unknown)[0]!r}; choose from {', '.join(SECTIONS)}")
    started = dt.datetime.now(dt.timezone.utc)
    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "sizes": sizes,
        "machine": machine(),
    }
    runners = {
        "loading": bench_loading,
        "analysis": bench_analysis,
        "browser": bench_browser,
        "dashboard": bench_dashboard,
        "perceived": bench_perceived,
    }
    for section in SECTIONS:
        if section in only:
            gc.collect()
            with timer() as t:
                results[section] = runners[section](sizes)
            results[section]["section_seconds"] = t[0]
    results["targets"] = [
        {"target": name, "key": key, "value": _lookup(results, key), "limit": limit}
        for name, key, limit in TARGETS
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = args.output or RESULTS / f"run-{started:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
