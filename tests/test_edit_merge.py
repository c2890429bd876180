"""merge: one map from several, with a match table, contested pairs kept and conflicts stopped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.load import check_file, load_dataset
from explorer.merge import MergeConflicts, merge_datasets, normal_form

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "merge"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def maps(tmp_path: Path) -> tuple[Path, Path]:
    for name in ("mine.yaml", "theirs.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "mine.yaml", tmp_path / "theirs.yaml"


def test_normal_form_ignores_case_accents_and_punctuation() -> None:
    assert normal_form("Talibán") == normal_form("TALIBAN") == "taliban"
    assert normal_form("united-states") == normal_form("United States")
    assert normal_form("The U.S.") == "the u s"


def test_a_conflict_stops_the_merge_and_writes_nothing(maps, tmp_path) -> None:
    mine, theirs = maps
    out = tmp_path / "merged.yaml"
    result = run("merge", str(mine), str(theirs), "-o", str(out))
    assert result.exit_code == 1
    assert (
        "conflict: relation taliban negotiates_with united_states: strength is 2 in file 1 "
        f"({mine}) and 3 in file 2 ({theirs}) (choose with --prefer N)"
    ) in result.output
    assert "merge stopped: nothing written" in result.output
    assert not out.exists()


def test_prefer_resolves_and_the_table_says_what_was_chosen(maps, tmp_path) -> None:
    mine, theirs = maps
    out = tmp_path / "merged.yaml"
    result = run("merge", str(mine), str(theirs), "-o", str(out), "--prefer", "2")
    assert result.exit_code == 0, result.output
    table = result.stdout
    # Alias matches across ids, ignoring case, accents and punctuation.
    assert "1:united_states, 2:usa  [name or alias (united states)]" in table
    assert "1:taliban, 2:the_taliban  [name or alias (taliban)]" in table
    assert "1:qatar, 2:doha  [name or alias (qatar)]" in table
    assert "strength 3 from file 2 over 2; 1 duplicate quote(s) dropped" in table
    assert table.count("contested pair (opposite signs kept apart)") == 2
    merged = load_dataset(out)
    assert [a.id for a in merged.actors] == ["united_states", "taliban", "china", "qatar"]
    assert "The U.S." in merged.actor_index["united_states"].aliases
    talks = [r for r in merged.relations if r.type == "negotiates_with"]
    assert len(talks) == 1 and talks[0].strength == 3
    assert [e.quote for e in talks[0].evidence] == ["talks in Doha", "a second round"]
    signs = sorted(
        merged.sign_of(r) for r in merged.relations if {r.source, r.target} == {"china", "taliban"}
    )
    assert signs == [-1, 1]  # the contested pair stays two relations
    aid = [r for r in merged.relations if r.type == "provides_aid_to"]
    assert len(aid) == 1 and {e.source for e in aid[0].evidence} == {"report", "memo"}
    assert not check_file(out).errors


def test_dry_run_writes_nothing(maps, tmp_path) -> None:
    mine, theirs = maps
    out = tmp_path / "merged.yaml"
    result = run("merge", str(mine), str(theirs), "-o", str(out), "--prefer", "1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would hold 4 actors, 4 relations, 2 sources; nothing written" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml", "theirs.yaml"]


def test_merge_never_overwrites_an_input_even_with_force(maps) -> None:
    mine, theirs = maps
    before = mine.read_bytes()
    result = run("merge", str(mine), str(theirs), "-o", str(mine), "--force", "--prefer", "1")
    assert result.exit_code == 1 and "is one of the files merged" in result.output
    assert mine.read_bytes() == before


def test_an_existing_output_needs_force(maps, tmp_path) -> None:
    mine, theirs = maps
    out = tmp_path / "merged.yaml"
    out.write_text("keep me", encoding="utf-8")
    result = run("merge", str(mine), str(theirs), "-o", str(out), "--prefer", "1")
    assert result.exit_code == 1 and out.read_text() == "keep me"
    assert (
        run("merge", str(mine), str(theirs), "-o", str(out), "--prefer", "1", "--force").exit_code
        == 0
    )


def test_an_id_match_with_no_shared_name_and_a_double_match_are_conflicts(write_yaml) -> None:
    a = write_yaml(
        """
        format: stakeholder-explorer/1
        title: A
        actors:
          - {id: x, name: Exxon, kind: company}
          - {id: y, name: Yemen, kind: state}
          - {id: z, name: Zambia, kind: state}
        """,
        "a.yaml",
    )
    b = write_yaml(
        """
        format: stakeholder-explorer/1
        title: B
        actors:
          - {id: x, name: Xinjiang, kind: place}
          - {id: yz, name: Yemen, kind: state, aliases: [Zambia]}
        """,
        "b.yaml",
    )
    with pytest.raises(MergeConflicts) as info:
        merge_datasets([load_dataset(a), load_dataset(b)], ["a.yaml", "b.yaml"])
    assert info.value.conflicts == [
        "actor id 'x' names 'Exxon' and, in file 2 (b.yaml), 'Xinjiang', which share no name or alias",
        "actor 'yz' of file 2 (b.yaml) matches 'y' and 'z'",
    ]


def test_every_unreadable_input_is_reported_at_once(tmp_path) -> None:
    one = tmp_path / "one.yaml"
    two = tmp_path / "two.yaml"
    one.write_text("format: stakeholder-explorer/1\ntitle: [a list]\n", encoding="utf-8")
    two.write_text("format: stakeholder-explorer/1\n", encoding="utf-8")
    result = run("merge", str(one), str(two), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{one}:2:8: title:" in result.stderr
    assert f"{two}:1:1:" in result.stderr
    assert not (tmp_path / "out.yaml").exists()
