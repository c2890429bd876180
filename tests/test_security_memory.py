"""Memory per map: the dashboard's caches share one budget in bytes, measured honestly.

A server lives for days and every map opened on it (the started file, each upload) leaves a
checked dataset, a graph, a layout, the page's encoded parts and analysis results behind.
These tests open many distinct maps and check that what the caches keep stays within the
budget, that the budget's sizes agree with what tracemalloc sees allocated, and that the
newest map still works.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from explorer.app import caching
from explorer.app.caching import Budget, budgeted, retained_bytes
from explorer.cli import APP_SCRIPT

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.generate import write_map  # noqa: E402


@pytest.fixture
def fresh_budget(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Give the process a new, empty budget of the given limit for one test."""

    def make(limit: int) -> Budget:
        made = Budget(limit)
        monkeypatch.setattr(caching, "_budget", made)
        return made

    yield make
    caching.budget().clear()


def _pipeline(data: bytes, name: str) -> Any:
    """What the dashboard computes and keeps for a map on its first run."""
    from explorer.app import dashboard, graph_view

    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    report = dashboard._checked(digest, name, None, data)
    G = dashboard._graph(digest, report.dataset)
    dashboard._facts(digest, report.dataset, G)
    positions = dashboard._positions(digest, "spring", "", name, 0.0, G)
    values = dashboard._measure_values(digest, "degree", G)
    sizes = dashboard._sizes(digest, "degree", values)
    ranking = dashboard._ranking(digest, "degree", values)
    return graph_view._parts(digest, "spring#0", "degree", G, positions, sizes, ranking)


def test_the_budgets_sizes_agree_with_tracemalloc(tmp_path: Path, fresh_budget: Any) -> None:
    budget = fresh_budget(10**12)
    first, second = (
        write_map(tmp_path / f"m{i}.yaml", actors=400, per_actor=3, seed=i) for i in range(2)
    )
    _pipeline(first.read_bytes(), first.name)  # modules, vocabulary and styles load once
    data = second.read_bytes()
    before = budget.total
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        _pipeline(data, second.name)
        gc.collect()
        allocated = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    counted = budget.total - before
    # Everything the map's entries keep is counted (text shared by the dataset, the graph
    # and the tables is counted in each), and never wildly more than what they hold.
    assert allocated <= counted <= 2 * allocated, (allocated, counted)
    assert counted > 10 * len(data)  # a checked map holds many times its file's bytes


def test_many_big_maps_keep_the_caches_within_the_budget_and_the_newest_works(
    tmp_path: Path, fresh_budget: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = [write_map(tmp_path / f"map{i}.yaml", actors=500, per_actor=3, seed=i) for i in range(6)]
    # What one map keeps, opened on its own: the budget holds two and a half of them.
    measured = fresh_budget(10**12)
    _pipeline(maps[0].read_bytes(), maps[0].name)
    one = measured.total
    budget = fresh_budget(int(2.5 * one))
    kept_most = 0
    for path in maps:
        monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(path))
        at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
        at.run()
        assert not at.exception, at.exception
        kept_most = max(kept_most, budget.total)
    assert kept_most <= budget.limit, (kept_most, budget.limit)
    digests = {hashlib.blake2b(p.read_bytes(), digest_size=20).hexdigest(): p for p in maps}
    kept = {d for d in digests for (_, args) in budget.sizes() if ("digest", d) in args}
    newest = next(d for d, p in digests.items() if p == maps[-1])
    assert newest in kept and len(kept) < len(maps)
    # The newest map still works: a filter change is answered from what is kept.
    title = at.session_state["last_good"].name
    assert title.endswith("map5.yaml")
    computed = set(budget.sizes())
    at.multiselect(key="f_signs").set_value(["negative"]).run()
    assert not at.exception, at.exception
    assert any("negative" in m.value for m in at.markdown)  # the view line names the filter
    assert computed <= set(budget.sizes())


def test_a_value_holding_a_dropped_value_is_dropped_with_it() -> None:
    budget = Budget(limit=10**9)
    base = ["x" * 100_000]
    budget.put(("dataset", "a"), base)
    budget.put(("graph", "a"), {"dataset": base, "own": "y" * 1_000})
    # The graph holds the dataset: its bytes are counted once, with the dataset.
    assert budget.sizes()[("graph", "a")] < 10_000
    budget.put(("dataset", "b"), ["z" * 10])  # "a" is no longer the newest dataset
    budget.limit = 50_000
    budget.put(("graph", "b"), {"own": "w"})  # now the old map must go, graph and all
    assert set(budget.sizes()) == {("dataset", "b"), ("graph", "b")}


def test_the_newest_value_of_each_function_stays_even_alone_over_the_budget() -> None:
    budget = Budget(limit=1_000)
    budget.put(("dataset", "a"), "a" * 5_000)
    budget.put(("dataset", "b"), "b" * 5_000)
    assert set(budget.sizes()) == {("dataset", "b")}
    assert budget.get(("dataset", "b")) == (True, "b" * 5_000)


def test_a_budgeted_function_computes_once_per_plain_arguments(fresh_budget: Any) -> None:
    fresh_budget(10**9)
    calls: list[str] = []

    @budgeted()
    def square(digest: str, _payload: list[int]) -> list[int]:
        calls.append(digest)
        return [x * x for x in _payload]

    assert square("one", [1, 2]) == [1, 4]
    assert square("one", [9, 9]) == [1, 4]  # the _payload is not part of the key
    assert square("two", [3]) == [9]
    assert calls == ["one", "two"]
    square.clear()
    assert square("one", [5]) == [25]


def test_the_measure_counts_what_a_value_holds() -> None:
    text = "q" * 1_000_000
    assert 1_000_000 <= retained_bytes([text, text])[0] < 1_001_000  # shared once
    assert retained_bytes([list(range(10_000))])[0] > 10_000 * 28


def test_the_budget_takes_units_and_a_malformed_value_is_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(caching.BUDGET_ENV, "512MiB")
    assert caching.budget_limit() == (512 * 1024**2, "")
    monkeypatch.setenv(caching.BUDGET_ENV, "lots")
    limit, problem = caching.budget_limit()
    assert limit == caching.DEFAULT_BUDGET
    assert caching.BUDGET_ENV in problem and "'lots'" in problem
    # The page says so, and shows the map.
    monkeypatch.delenv("STAKEHOLDER_EXPLORER_FILE", raising=False)
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    said = [w.value.replace("\\", "") for w in at.warning]  # Markdown escapes taken out
    assert any(caching.BUDGET_ENV in w and "'lots'" in w for w in said), said
    assert at.tabs


def test_values_sharing_only_small_numbers_and_text_stay_independent() -> None:
    # Python shares None, 0 and short text between everything: owning them would tie every
    # later value to the first, which could then never be dropped.
    from dataclasses import dataclass

    @dataclass
    class Facts:
        most: int
        name: str
        rows: list[str]

    budget = Budget(limit=10**9)
    budget.put(("facts", "a"), Facts(3, "a", ["x" * 50_000]))
    budget.put(("ranking", "b"), [3, "a", None, 0])
    budget.put(("facts", "b"), Facts(3, "a", ["y"]))
    budget.limit = 1_000
    budget.put(("ranking", "c"), [3])
    assert ("facts", "a") not in budget.sizes()


def test_two_sessions_asking_for_one_value_compute_it_once(fresh_budget: Any) -> None:
    import threading

    budget = fresh_budget(10**9)
    started = threading.Event()
    release = threading.Event()
    asked = threading.Event()
    calls: list[str] = []
    look_up = budget.get

    def get(key: Any) -> Any:
        if started.is_set():
            asked.set()  # the second caller looked and found nothing kept yet
        return look_up(key)

    budget.get = get  # type: ignore[method-assign]

    @budgeted()
    def slow(digest: str) -> list[str]:
        calls.append(digest)
        started.set()
        release.wait(30)  # held until the second caller is waiting on the same key
        return [digest]

    results: list[list[str]] = []
    first = threading.Thread(target=lambda: results.append(slow("map")))
    first.start()
    started.wait(30)
    second = threading.Thread(target=lambda: results.append(slow("map")))
    second.start()
    asked.wait(30)
    release.set()
    first.join(30)
    second.join(30)
    assert results == [["map"], ["map"]] and calls == ["map"]
