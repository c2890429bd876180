"""The corpus of broken and hostile files: each gets exactly its expected errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli

from explorer.load import check_file

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yaml"))


def expected(case: Path) -> list[str]:
    text = case.with_suffix(".expected").read_text(encoding="utf-8")
    prefix = "tests/bad_inputs/"
    return [line.replace(prefix, f"{CORPUS}/", 1) for line in text.splitlines() if line]


def test_the_corpus_covers_at_least_forty_broken_files() -> None:
    assert len([c for c in CASES if expected(c)]) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_file_gets_exactly_its_expected_errors(case: Path) -> None:
    report = check_file(case)
    assert [str(p) for p in report.errors] == expected(case)
    assert (report.dataset is None) == bool(expected(case))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_validate_reports_them_without_a_traceback(case: Path, cli_runner: RunCli) -> None:
    result = cli_runner("validate", str(case))
    assert result.exit_code == (1 if expected(case) else 0)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr


def test_a_python_tag_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    case = tmp_path / "evil.yaml"
    case.write_text(
        "format: stakeholder-explorer/1\ntitle: t\n"
        f"description: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )
    report = check_file(case)
    assert report.dataset is None and not marker.exists()


def test_arabic_script_names_load_unchanged() -> None:
    report = check_file(CORPUS / "ok_arabic_pashto_urdu_names.yaml")
    assert report.dataset is not None
    names = [a.name for a in report.dataset.actors]
    assert names == ["طالبان", "پاکستان"]
