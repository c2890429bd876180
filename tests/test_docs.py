"""The documentation says what the code does: commands, vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.cli import main
from explorer.vocabulary import builtin_vocabulary_data

ROOT = Path(__file__).resolve().parents[1]


def table_rows(text: str, heading: str) -> dict[str, list[str]]:
    """Rows of the first Markdown table after ``heading``, by their first cell's `code`."""
    section = text.split(heading, 1)[1]
    rows = {}
    for line in section.splitlines():
        if rows and not line.startswith("|"):
            break
        match = re.match(r"\| `([a-z_]+)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in match[2].split("|")]
    return rows


def test_format_doc_lists_the_built_in_vocabulary_exactly() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    vocab = builtin_vocabulary_data()
    kinds = table_rows(text, "### Built-in actor kinds")
    assert kinds == {k: [v["label"], v["description"]] for k, v in vocab["actor_kinds"].items()}
    types = table_rows(text, "### Built-in relation types")
    yes = {True: "yes", False: "no"}
    assert types == {
        k: [
            v["label"],
            v["sign"],
            yes[v["directed"]],
            yes[v.get("structural", False)],
            v["description"],
        ]
        for k, v in vocab["relation_types"].items()
    }


def test_every_cli_command_appears_in_the_readme_with_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"stakeholder-explorer {name}\b", readme), f"README lacks {name}"


def test_every_command_help_ends_with_an_example() -> None:
    for name, command in main.commands.items():
        assert "Example:" in (command.help or ""), name


def test_readme_starts_with_the_two_command_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "make app" in first_block and "make test" in first_block
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^app:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
