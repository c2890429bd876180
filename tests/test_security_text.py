"""Text that could act on a terminal, and errors that could take minutes.

Control characters (C0/C1 other than tab and newline) are refused in every text field of
the model, with the field's line and column, so nothing read from a map can rewrite a
terminal, break an XML export or upset a spreadsheet. Every ``file:line:col`` line escapes
what is left (file names, quoted values). "Did you mean" hints are bounded per file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.errors import Problem
from explorer.load import check_file

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Escape sequences an attacker would use: clipboard write (OSC 52), window title (OSC 0),
#: clear screen (CSI 2J), cursor home plus spoofed text, a C1 CSI, a bell.
PAYLOADS = {
    "clipboard": r"\e]52;c;ZWNobyBwd25lZA==\a",
    "title": r"\e]0;pwned\a",
    "clear": r"\e[2J\e[H",
    "csi": r"\x9b31m",
    "bell": r"\a",
}


def escaped_map(tmp_path: Path, payload: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(
        "format: stakeholder-explorer/1\n"
        f'title: "Map {payload}"\n'
        "actors:\n"
        f'  - {{id: a, name: "Alpha {payload}", kind: state}}\n'
        "  - {id: b, name: Beta, kind: state}\n"
        "relations:\n"
        "  - {source: a, target: b, type: supports}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize(
    "command",
    [["stats"], ["analyze"], ["validate"], ["compare", "--projected"]],
    ids=["stats", "analyze", "validate", "compare"],
)
def test_no_escape_sequence_from_a_file_reaches_the_terminal(
    tmp_path: Path, payload: str, command: list[str]
) -> None:
    path = escaped_map(tmp_path, payload)
    result = CliRunner().invoke(main, [*command, str(path)])
    out = result.stdout + result.stderr
    assert not RAW_CONTROL.search(out), repr(out)
    # Refused, with the place of each field that holds one.
    assert result.exit_code == 1
    assert f"{path}:2:8: title: control character U+" in result.stderr
    assert f"{path}:4:19: actors[0].name: control character U+" in result.stderr


def test_tab_and_newline_stay_allowed(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        'format: stakeholder-explorer/1\ntitle: Map\ndescription: "one\\ttwo\\nthree"\n',
        encoding="utf-8",
    )
    report = check_file(path)
    assert report.dataset is not None
    assert report.dataset.description == "one\ttwo\nthree"


def test_a_file_name_with_escapes_is_printed_escaped(tmp_path: Path) -> None:
    path = tmp_path / "\x1b]0;pwned\x07.yaml"
    path.write_text("format: stakeholder-explorer/1\ntitle: [a list]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    assert "\\x1b]0;pwned\\x07.yaml:2:8: title: expected text" in result.stderr


def test_file_names_with_escapes_are_printed_escaped_by_compare_export_and_import(
    tmp_path: Path,
) -> None:
    small = Path(__file__).resolve().parents[1] / "data" / "examples" / "small-example.yaml"
    one = tmp_path / "\x1b]0;one\x07.yaml"
    two = tmp_path / "\x1b[2Jtwo.yaml"
    one.write_bytes(small.read_bytes())
    two.write_bytes(small.read_bytes())
    runs = {
        "compare": ["compare", str(one), str(two)],
        "export": ["export", str(one), "-o", str(tmp_path / "\x1b]52;c;x\x07.json")],
        "import": [
            "import",
            str(tmp_path / "\x1b]52;c;x\x07.json"),
            "-o",
            str(tmp_path / "\x9bi.yaml"),
        ],
    }
    for what, argv in runs.items():
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 0, (what, result.output)
        printed = result.stdout + result.stderr
        assert not RAW_CONTROL.search(printed), (what, printed)
        assert "\\x1b" in printed or "\\x9b" in printed, (what, printed)


def test_every_problem_line_escapes_control_characters() -> None:
    line = str(Problem("m.yaml", 1, 1, "title", "got '\x1b[2J' and \x9b"))
    assert line == "m.yaml:1:1: title: got '\\x1b[2J' and \\x9b"


# --- "did you mean": bounded ----------------------------------------------------------------


def _typo_map(tmp_path: Path, n: int) -> Path:
    """A map of ``n`` actors whose ``n - 1`` relations each name a misspelt target
    (``actr_0001`` for ``actor_0001``): one unknown-actor error, with a hint to find, each."""
    actors = "".join(f"  - {{id: actor_{i:04d}, name: A{i}, kind: state}}\n" for i in range(n))
    relations = "".join(
        f"  - {{source: actor_{i:04d}, target: actr_{i + 1:04d}, type: supports}}\n"
        for i in range(n - 1)
    )
    path = tmp_path / "map.yaml"
    path.write_text(
        "format: stakeholder-explorer/1\ntitle: Typos\nactors:\n" + actors
        + "relations:\n" + relations,
        encoding="utf-8",
    )  # fmt: skip
    return path


def test_did_you_mean_is_bounded_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    from explorer import model

    calls = []
    real = difflib.get_close_matches

    def counting(*args: object, **kwargs: object) -> list[str]:
        calls.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    errors = check_file(_typo_map(tmp_path, 300)).errors
    # Every unknown actor is still reported, each at its place ...
    assert len(errors) == 299
    assert all(e.where.endswith(".target") for e in errors)
    # ... the first ones with a hint, and the work of hints stays bounded.
    assert "unknown actor 'actr_0001' (did you mean 'actor_0001'?)" in errors[0].message
    assert len(calls) <= model.SUGGESTION_LIMIT
    hinted = [e for e in errors if "did you mean" in e.message]
    assert 0 < len(hinted) <= model.SUGGESTION_LIMIT


def test_did_you_mean_stops_at_its_time_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each hint is made slow on purpose: past the time bound no more hints are looked for,
    # however many are still allowed by count; every error is still reported.
    import difflib
    import time

    from explorer import model

    calls: list[object] = []
    real = difflib.get_close_matches

    def slow(*args: object, **kwargs: object) -> list[str]:
        calls.append(args[0])
        time.sleep(0.05)  # stands for a comparison with a great many ids
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", slow)
    monkeypatch.setattr(model, "SUGGESTION_LIMIT", 10_000)
    monkeypatch.setattr(model, "SUGGESTION_SECONDS", 0.3)
    errors = check_file(_typo_map(tmp_path, 100)).errors
    assert len(errors) == 99
    assert 0 < len(calls) < 20  # 0.3 s of 0.05 s hints: a handful, not 99
