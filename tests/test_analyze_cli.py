"""``stakeholder-explorer analyze``: the JSON contract, the default view and readable tables."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import RunCli

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "analysis.schema.json").read_text(encoding="utf-8"))

# A small map with tension; its comment says what its analysis must find.
MAP = (ROOT / "tests" / "fixtures" / "tension.yaml").read_text(encoding="utf-8")


@pytest.fixture
def path(write_yaml) -> str:
    return str(write_yaml(MAP))


def test_json_matches_schema_and_reads_observed_by_default(cli_runner: RunCli, path: str) -> None:
    code, out, _ = cli_runner("analyze", path, "--json")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["view"]["statuses"] == ["observed"]
    assert report["view"]["relations"] == 5
    balance = report["balance"]
    assert (balance["frustration_index"], balance["exact"]) == (1, True)
    assert balance["triangles"]["total"] == 1 and balance["triangles"]["unbalanced"] == 1
    assert balance["frustrated"][0] in (["taliban", "ttp"], ["pakistan", "taliban"],
                                        ["pakistan", "ttp"])  # fmt: skip
    assert "clustering" not in report
    assert set(report["centrality"]) == set(report["centrality_approximate"])
    assert set(report["centrality"]["pagerank"]) == {"us", "taliban", "pakistan", "ttp", "china"}


def test_include_projected_adds_the_projected_relations(cli_runner: RunCli, path: str) -> None:
    code, out, _ = cli_runner("analyze", path, "--json", "--include-projected", "--clusters", "3")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["view"]["relations"] == 7 and report["view"]["include_projected"]
    assert report["balance"]["frustration_index"] == 2
    assert report["balance"]["triangles"]["unbalanced"] == 4
    assert set(report["tension"]["actors"]) == {"us", "taliban", "pakistan", "ttp"}
    clustering = report["clustering"]
    assert clustering["k"] == 3 and clustering["exact"]
    assert clustering["inconsistencies"] <= report["balance"]["frustration_index"]


def test_explicit_statuses_win_and_contradictions_are_usage_errors(
    cli_runner: RunCli, path: str
) -> None:
    code, out, _ = cli_runner("analyze", path, "--json", "--statuses", "projected")
    assert code == 0
    assert json.loads(out)["view"]["relations"] == 2
    code, _, err = cli_runner("analyze", path, "--statuses", "observed", "--include-projected")
    assert code == 2
    assert "--include-projected contradicts --statuses observed" in err


def test_readable_tables(cli_runner: RunCli, path: str) -> None:
    code, out, _ = cli_runner("analyze", path, "--include-projected")
    assert code == 0
    assert "frustration index: 2 of 7 signed pairs (exact)" in out
    assert "triangles: 4 (0 balanced, 4 unbalanced, balanced ratio 0.00)" in out
    assert "pressure to realign" in out


def test_heuristic_is_labelled_in_json_and_tables(
    cli_runner: RunCli, path: str, monkeypatch
) -> None:
    import explorer.analysis.balance as balance

    monkeypatch.setattr(balance, "EXACT_MAX_PAIRS", 0)
    code, out, _ = cli_runner("analyze", path, "--json")
    report = json.loads(out)
    assert report["balance"]["exact"] is False
    assert "heuristic" in report["balance"]["method"]
    code, out, _ = cli_runner("analyze", path)
    assert "(HEURISTIC, not proved optimal" in out


def test_output_file(cli_runner: RunCli, path: str, tmp_path: Path) -> None:
    target = tmp_path / "analysis.json"
    code, out, _ = cli_runner("analyze", path, "--json", "-o", str(target))
    assert code == 0 and out == ""
    jsonschema.validate(json.loads(target.read_text(encoding="utf-8")), SCHEMA)


def test_invalid_file_exits_1_without_traceback(cli_runner: RunCli, write_yaml) -> None:
    bad = write_yaml(
        MAP.replace("target: pakistan, type: attacks", "target: pakistn, type: attacks")
    )
    code, _, err = cli_runner("analyze", str(bad))
    assert code == 1
    assert "relations[1].target: unknown actor 'pakistn' (did you mean 'pakistan'?)" in err
    assert "Traceback" not in err


def test_bundled_map_analysis_validates(cli_runner: RunCli) -> None:
    from explorer import bundled_map

    code, out, _ = cli_runner("analyze", str(bundled_map()), "--json", "--include-projected",
                       "--clusters", "3")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["balance"]["exact"] is True


def test_docs_sample_validates_and_docs_figures_match_the_bundled_map(cli_runner: RunCli) -> None:
    import re

    from explorer import bundled_map

    doc = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    sample = doc.split("```json", 1)[1].split("```", 1)[0]
    jsonschema.validate(json.loads(sample), SCHEMA)
    # The table of figures for the bundled map states what analyze computes today.
    row = re.search(r"^\| frustration index \| \*\*(\d+)\*\* \(exact\) \| \*\*(\d+)\*\* \(exact\) \|$",
                    doc, re.M)  # fmt: skip
    assert row, "docs/analysis.md lacks the frustration index row"
    for flag, documented in (((), row[1]), (("--include-projected",), row[2])):
        code, out, _ = cli_runner("analyze", str(bundled_map()), "--json", *flag)
        balance = json.loads(out)["balance"]
        assert (balance["frustration_index"], balance["exact"]) == (int(documented), True)


def test_path_option_lists_paths_with_their_net_sign(cli_runner: RunCli, path: str) -> None:
    code, out, _ = cli_runner("analyze", path, "--json", "--path", "us", "pakistan")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    # Observed only: the US is hostile to the TTP, who attack Pakistan.
    assert report["paths"]["shortest"] == [
        {"actors": ["us", "ttp", "pakistan"], "signs": ["-", "-"], "net": "+"}
    ]
    code, out, _ = cli_runner("analyze", path, "--path", "us", "pakistan", "--max-steps", "2")
    assert "United States -(-)- TTP -(-)- Pakistan: friendly" in out
    code, _, err = cli_runner("analyze", path, "--path", "us", "pakistn")
    assert code == 2
    assert "--path: unknown actor 'pakistn' in this view (did you mean 'pakistan'?)" in err


def test_analyze_output_file_is_never_replaced_without_force(
    tmp_path: Path, cli_runner: RunCli
) -> None:
    out = tmp_path / "analysis.json"
    out.write_text("keep me", encoding="utf-8")
    bundled = str(Path(__file__).resolve().parents[1] / "data" / "us-taliban-2021.yaml")
    result = cli_runner("analyze", bundled, "--json", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{out} already exists; add --force to replace it"
    assert out.read_text(encoding="utf-8") == "keep me"
    result = cli_runner("analyze", bundled, "--json", "-o", str(out), "--force")
    assert result.exit_code == 0
    assert '"frustration_index"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("enabled", [True, False])
def test_analysis_leaves_the_garbage_collector_as_it_found_it(path: str, enabled: bool) -> None:
    # The analysis pauses the collector for speed; a caller must get it back as it was,
    # and a caller's pre-built signed graph must give the same answer.
    import gc

    from explorer.analysis.report import analysis_spec, analyze_view
    from explorer.graph import FilterSpec, build_graph, filter_graph, signed_graph
    from explorer.load import load_dataset

    view = filter_graph(build_graph(load_dataset(path)), analysis_spec(FilterSpec()))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        plain = analyze_view(view)
        assert gc.isenabled() is enabled
        assert analyze_view(view, signed=signed_graph(view)) == plain
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert plain.balance.frustration_index == 1


def test_analyze_under_a_scenario_names_it(cli_runner: RunCli, write_yaml) -> None:
    from test_compare import SCENARIOS

    path = str(write_yaml(SCENARIOS))
    code, out, _ = cli_runner(
        "analyze", path, "--include-projected", "--scenario", "recognised", "--json"
    )
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["view"]["scenario"] == "recognised"
    assert report["balance"]["frustration_index"] == 1
    code, out, _ = cli_runner("analyze", path, "--include-projected", "--json")
    report = json.loads(out)
    assert report["view"]["scenario"] is None and report["balance"]["frustration_index"] == 0
