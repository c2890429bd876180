"""Scenarios: ``compare`` two files, one file at two dates, observed vs projected."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, RunCli

from explorer.analysis.compare import diff_relations, rank_changes, ranks

BEFORE = """
format: stakeholder-explorer/1
title: scenario
actors:
  - {id: us, name: United States, kind: state}
  - {id: taliban, name: Taliban, kind: armed_group}
  - {id: pakistan, name: Pakistan, kind: state}
  - {id: ttp, name: TTP, kind: armed_group}
relations:
  - {source: us, target: taliban, type: hostile_to, since: 2001, until: 2020-02}
  - {source: pakistan, target: taliban, type: supports, since: 1994}
  - {source: ttp, target: pakistan, type: attacks, since: 2007}
  - {source: us, target: pakistan, type: ally_of, since: 2001}
  - {source: us, target: taliban, type: negotiates_with, since: 2018, strength: 1}
"""

# The US and the Taliban turn from war to cooperation; the US-Pakistan alliance cools.
AFTER = (
    BEFORE.replace("{source: us, target: pakistan, type: ally_of, since: 2001}",
                   "{source: us, target: pakistan, type: ally_of, since: 2001, strength: 1}")
    + "  - {source: us, target: taliban, type: cooperates_with, since: 2021-08}\n"
    + "  - {source: taliban, target: ttp, type: supports, since: 2021, status: projected}\n"
)  # fmt: skip


@pytest.fixture
def files(write_yaml) -> tuple[str, str]:
    return str(write_yaml(BEFORE, "before.yaml")), str(write_yaml(AFTER, "after.yaml"))


def test_two_files_relations_added_and_changed(cli_runner: RunCli, files: tuple[str, str]) -> None:
    code, out, _ = cli_runner("compare", *files, "--json", "--as-of", "all")
    assert code == 0
    report = json.loads(out)
    rel = report["relations"]
    # The projected relation is left out: analyses read observed relations by default.
    assert rel["added"] == ["us__cooperates_with__taliban"]
    assert rel["removed"] == []
    assert rel["changed"] == [
        {
            "id": "us__ally_of__pakistan",
            "source": "us",
            "target": "pakistan",
            "fields": {"strength": [2, 1]},
        }
    ]
    assert report["labels"] == list(files)


def test_two_dates_show_the_turn_from_war_to_talks(cli_runner: RunCli, write_yaml) -> None:
    path = str(write_yaml(AFTER))
    code, out, _ = cli_runner("compare", path, "--as-of", "2019", "--against", "2021-09", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["labels"] == ["as of 2019", "as of 2021-09"]
    assert "us__cooperates_with__taliban" in report["relations"]["added"]
    # In 2019 war and talks pull the US-Taliban pair both ways; hostility weighs more
    # (strength 2 against 1), so US, Pakistan and Taliban form a +,+,- triangle: unbalanced.
    before, after = report["balance"]["as of 2019"], report["balance"]["as of 2021-09"]
    assert before["triangles"]["unbalanced"] == 1 and before["frustration_index"] == 1
    assert after["triangles"]["unbalanced"] == 0 and after["frustration_index"] == 0


def test_projected_scenario_and_readable_output(cli_runner: RunCli, write_yaml) -> None:
    path = str(write_yaml(AFTER))
    code, out, _ = cli_runner("compare", path, "--projected", "--as-of", "all")
    assert code == 0
    assert "before: observed (4 actors, 6 relations; observed relations" in out
    assert "after:  observed + projected (4 actors, 7 relations; observed and projected" in out
    # Relations are named, with their sign, status and confidence; ids stay in --json.
    assert "+ Taliban -> TTP: supports (+), projected, medium confidence" in out
    assert "taliban__supports__ttp" not in out
    # The projected Taliban support for the TTP, who attack Pakistan, unbalances a triangle.
    assert "unbalanced triangles  0         1" in out
    # The summary leads: what changed in balance and camps comes first.
    summary = out.split("in short:", 1)[1].split("\n\n", 1)[0]
    assert "Strained pairs: 0 (observed) -> 1 (observed + projected)" in summary


def test_compare_needs_exactly_one_scenario(cli_runner: RunCli, files: tuple[str, str]) -> None:
    code, _, err = cli_runner("compare", files[0])
    assert code == 2
    assert "give exactly one of OTHER, --against DATE, --projected or --against-scenario" in err
    code, _, err = cli_runner("compare", *files, "--projected")
    assert code == 2
    code, _, err = cli_runner("compare", files[0], "--against", "2021-13")
    assert code == 2 and "month 13 does not exist" in err


def test_ranks_share_ties_and_changes_list_movers_only() -> None:
    assert ranks({"a": 3.0, "b": 3.0, "c": 1.0}) == {"a": 1, "b": 1, "c": 3}
    moves = rank_changes({"pagerank": {"a": 0.5, "b": 0.3, "c": 0.2}},
                         {"pagerank": {"a": 0.2, "b": 0.3, "c": 0.5}})  # fmt: skip
    assert [(m.actor, m.change) for m in moves["pagerank"]] == [("a", -2), ("c", 2)]


def test_a_move_among_tied_values_is_no_move() -> None:
    # b and c tie before; a joins the tie after: nobody's order against anyone reverses.
    moves = rank_changes({"degree": {"a": 3.0, "b": 2.0, "c": 2.0}},
                         {"degree": {"a": 2.0, "b": 2.0, "c": 2.0}})  # fmt: skip
    assert moves["degree"] == []
    # A real reversal is reported even when ties surround it.
    moves = rank_changes({"degree": {"a": 3.0, "b": 1.0, "c": 1.0}},
                         {"degree": {"a": 1.0, "b": 3.0, "c": 1.0}})  # fmt: skip
    assert [(m.actor, m.before, m.after) for m in moves["degree"]] == [("a", 1, 2), ("b", 2, 1)]


def test_diff_of_identical_views_is_empty(write_yaml) -> None:
    from explorer.graph import build_graph
    from explorer.load import load_dataset

    G = build_graph(load_dataset(write_yaml(BEFORE)))
    assert diff_relations(G, G.copy()) == {"added": [], "removed": [], "changed": []}


SCENARIOS = (FIXTURES / "scenarios.yaml").read_text(encoding="utf-8")


def test_against_scenario_compares_the_main_forecast_with_a_scenario(
    cli_runner: RunCli, write_yaml
) -> None:
    path = str(write_yaml(SCENARIOS))
    code, out, err = cli_runner("compare", path, "--against-scenario", "recognised", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["labels"] == ["main forecast", "scenario: China recognises the Taliban"]
    assert report["relations"]["added"] == ["china__supports__taliban"]
    main, recognised = report["balance"].values()
    # The main forecast is balanced; China's recognition strains it (China is the US's rival).
    assert main["frustration_index"] == 0 and recognised["frustration_index"] == 1
    assert report["changes"][0]["index_effect"] == 1
    # A counterfactual that replaces the main forecast drops the US-Taliban cooperation.
    code, out, _ = cli_runner(
        "compare", path, "--scenario", "recognised", "--against-scenario", "alienated", "--json"
    )
    rel = json.loads(out)["relations"]
    assert rel["added"] == ["taliban__seeks_support_from__china"]
    assert sorted(rel["removed"]) == ["china__supports__taliban", "us__cooperates_with__taliban"]


def test_against_scenario_text_and_errors(cli_runner: RunCli, write_yaml) -> None:
    path = str(write_yaml(SCENARIOS))
    code, out, _ = cli_runner("compare", path, "--against-scenario", "recognised")
    assert code == 0
    assert "after:  scenario: China recognises the Taliban" in out
    assert "+ China -> Taliban: supports (+), projected, low confidence" in out
    code, _, err = cli_runner("compare", path, "--against-scenario", "recognized")
    assert code == 2
    assert "--against-scenario: unknown scenario 'recognized'" in err
    assert "did you mean 'recognised'" in err
    code, _, err = cli_runner(
        "compare", path, "--against-scenario", "main", "--statuses", "observed"
    )
    assert code == 2 and "--against-scenario reads projected relations" in err
