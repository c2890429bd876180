"""Naming a scenario analyses that scenario's view, without --include-projected."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES, RunCli

# The main forecast (US-Taliban cooperation) is balanced against the US-China rivalry; the
# "recognised" scenario adds China's support of the Taliban, which strains the split; the
# "alienated" counterfactual replaces the main forecast.
MAP = (FIXTURES / "scenarios.yaml").read_text(encoding="utf-8")


def test_analyze_scenario_counts_the_scenarios_own_relations(
    cli_runner: RunCli, write_yaml: Callable[..., Path]
) -> None:
    path = str(write_yaml(MAP))
    code, out, err = cli_runner("analyze", path, "--scenario", "recognised")
    assert code == 0, err
    # observed + main forecast + the scenario's relation: 3 of the 4 relations
    assert "3 of 3 actors, 3 of 4 relations" in out.splitlines()[1]
    assert "frustration index: 1 of 3 signed pairs (exact)" in out
    assert "China and Taliban: friendly across the camps" in out
    assert "China -> Taliban: supports (+), projected, low confidence" in out
    code, out, err = cli_runner("analyze", path, "--scenario", "recognised", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["view"]["scenario"] == "recognised"
    assert report["view"]["include_projected"] is True
    assert report["balance"]["frustration_index"] == 1
    (strained,) = report["balance"]["rests_on"]
    assert sorted(strained["pair"]) == ["china", "taliban"]
    assert strained["relations"] == ["china__supports__taliban"]


def test_a_replacing_scenario_drops_the_main_forecast_and_keeps_its_own(
    cli_runner: RunCli, write_yaml: Callable[..., Path]
) -> None:
    path = str(write_yaml(MAP))
    code, out, err = cli_runner("analyze", path, "--scenario", "alienated", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["view"]["relations"] == 2  # the rivalry and the Taliban seeking China
    assert report["balance"]["frustration_index"] == 0
    camps = {frozenset(camp) for camp in report["balance"]["partition"]}
    assert camps == {frozenset({"taliban", "china"}), frozenset({"us"})}


def test_an_explicit_status_filter_still_wins_over_the_scenario(
    cli_runner: RunCli, write_yaml: Callable[..., Path]
) -> None:
    path = str(write_yaml(MAP))
    code, out, err = cli_runner(
        "analyze", path, "--scenario", "recognised", "--statuses", "observed", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["view"]["relations"] == 1 and report["balance"]["frustration_index"] == 0


def test_compare_against_a_date_under_a_scenario_reads_the_scenario(
    cli_runner: RunCli, write_yaml: Callable[..., Path]
) -> None:
    path = str(write_yaml(MAP))
    code, out, err = cli_runner(
        "compare", path, "--scenario", "recognised", "--against", "all", "--json"
    )
    assert code == 0, err
    before, after = json.loads(out)["balance"].values()
    assert before["frustration_index"] == after["frustration_index"] == 1
    # --projected under a scenario sets observed against the scenario's whole view.
    code, out, err = cli_runner(
        "compare", path, "--scenario", "recognised", "--projected", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert sorted(report["relations"]["added"]) == [
        "china__supports__taliban",
        "us__cooperates_with__taliban",
    ]
