"""The validate and stats commands, through click's test runner and as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import RunCli

from explorer import __version__

FIXTURES = Path(__file__).parent / "fixtures"


def test_validate_prints_every_error_and_exits_1(cli_runner: RunCli) -> None:
    code, out, err = cli_runner("validate", str(FIXTURES / "mistakes.yaml"))
    expected = (FIXTURES / "mistakes.expected").read_text(encoding="utf-8")
    expected = expected.replace("tests/fixtures/", f"{FIXTURES}/")
    assert code == 1
    assert out == ""
    assert err == expected + f"{FIXTURES}/mistakes.yaml: invalid: 21 errors\n"
    assert "Traceback" not in err


def test_validate_summarises_each_valid_file(cli_runner: RunCli) -> None:
    code, out, err = cli_runner("validate", str(FIXTURES / "every-field.yaml"))
    assert (code, err) == (0, "")
    assert out == f"{FIXTURES}/every-field.yaml: ok: 3 actors, 3 relations, 2 sources\n"


def test_validate_several_files_fails_if_any_fails(cli_runner: RunCli) -> None:
    code, out, err = cli_runner(
        "validate", str(FIXTURES / "every-field.yaml"), str(FIXTURES / "mistakes.yaml")
    )
    assert code == 1 and "every-field.yaml: ok" in out and "mistakes.yaml: invalid" in err


def test_strict_fails_on_warnings(cli_runner: RunCli, write_yaml) -> None:
    path = write_yaml(
        """
        format: stakeholder-explorer/1
        title: t
        actors:
          - {id: a, name: A, kind: state}
        """
    )
    assert cli_runner("validate", str(path))[0] == 0
    code, _, err = cli_runner("validate", "--strict", str(path))
    assert code == 1
    assert err.splitlines()[0] == f"{path}:4:5: actors[0]: warning: actor 'a' has no relations"


def test_validate_with_sources_checks_quotes(cli_runner: RunCli) -> None:
    code, out, _ = cli_runner(
        "validate", str(FIXTURES / "every-field.yaml"), "--sources", str(FIXTURES)
    )
    assert code == 0 and "quotes checked against sources" in out


def test_stats_counts_the_view(cli_runner: RunCli) -> None:
    code, out, _ = cli_runner("stats", str(FIXTURES / "every-field.yaml"), "--as-of", "all")
    assert code == 0
    assert "view: 3 of 3 actors, 3 of 3 relations (as of: all)" in out
    assert "  rival_of" in out and "connected components: 1" in out
    code, out, _ = cli_runner("stats", str(FIXTURES / "every-field.yaml"), "--as-of", "2022")
    assert "view: 3 of 3 actors, 2 of 3 relations" in out  # the funding ended in 2021


def test_bad_filter_values_are_usage_errors(cli_runner: RunCli) -> None:
    code, _, err = cli_runner("stats", str(FIXTURES / "every-field.yaml"), "--min-strength", "7")
    assert code == 2 and "min_strength must be from 1 to 3" in err


def test_stats_on_invalid_data_exits_1_without_traceback(cli_runner: RunCli) -> None:
    code, _, err = cli_runner("stats", str(FIXTURES / "mistakes.yaml"))
    assert code == 1 and "unknown actor 'talibn'" in err and "Traceback" not in err


def test_version_help_and_python_dash_m(cli_runner: RunCli) -> None:
    assert cli_runner("--version")[1].strip() == f"stakeholder-explorer, version {__version__}"
    assert "Usage:" in cli_runner("-h")[1] and "Example:" in cli_runner("validate", "-h")[1]
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "validate", str(FIXTURES / "mistakes.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 22
