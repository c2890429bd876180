"""Editing in place: every edit changes only the lines it touches and keeps the rest as written."""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer import edit as edit_module
from explorer.cli import main
from explorer.edit import EditError, FileChanged, StakeholderFile, save
from explorer.errors import DataErrors
from explorer.load import check_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "edit"
BUNDLED = ROOT / "data" / "us-taliban-2021.yaml"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def variant(src: Path, folder: Path, *, crlf: bool = False, bom: bool = False) -> Path:
    """A copy of ``src`` in ``folder`` (with its texts), optionally with CRLF and a BOM."""
    folder.mkdir(parents=True, exist_ok=True)
    if (src.parent / "texts").is_dir() and not (folder / "texts").exists():
        shutil.copytree(src.parent / "texts", folder / "texts")
    data = src.read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path = folder / src.name
    path.write_bytes(data)
    return path


VARIANTS = [
    pytest.param(name, crlf, bom, id=f"{name}{'-crlf' if crlf else ''}{'-bom' if bom else ''}")
    for name in ("indentless.yaml", "indented.yaml")
    for crlf, bom in ((False, False), (True, False), (True, True))
]


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines(keepends=True)


def changes(before: bytes, after: bytes) -> list[tuple[str, list[str], list[str]]]:
    """The changed runs of lines, as (tag, old lines, new lines)."""
    a, b = lines(before), lines(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def comments(data: bytes) -> list[str]:
    return [line.strip() for line in lines(data) if line.lstrip().startswith("#")]


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def assert_valid(path: Path, sources: Path | None = None) -> None:
    report = check_file(path, sources=sources)
    assert not report.errors, "\n".join(map(str, report.errors))


# --- no edit, no change -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "crlf", "bom"), VARIANTS)
def test_a_write_with_no_edit_gives_identical_bytes(tmp_path, name, crlf, bom) -> None:
    path = variant(FIXTURES / name, tmp_path, crlf=crlf, bom=bom)
    original = path.read_bytes()
    doc = StakeholderFile.open(path)
    # Setting every one-line field of every record to the value it has changes nothing.
    for kind in edit_module.KINDS:
        for record in doc.records(kind):
            same = {
                k.value: v.value
                for k, v in record.node.value
                if v.tag.endswith(":str") or v.tag.endswith(":int") or v.tag.endswith(":timestamp")
                if v.start_mark.line == v.end_mark.line and getattr(v, "style", None) != "|"
            }
            assert doc.change(f"{kind}:{record.id}", same).data == original, record.id
    save(doc.change("actor:alpha", {}))
    assert path.read_bytes() == original


def test_the_bundled_map_survives_every_no_op_edit(tmp_path) -> None:
    path = variant(BUNDLED, tmp_path)
    original = path.read_bytes()
    doc = StakeholderFile.open(path)
    for record in doc.records("actor") + doc.records("relation") + doc.records("source"):
        same = {k.value: record.data[k.value] for k, _ in record.node.value if k.value != "id"}
        assert doc.change(f"{record.kind}:{record.id}", same).data == original, record.id
    # Adding a record and removing it again gives the file back, byte for byte.
    added = doc.add("actor", {"id": "qatar", "name": "Qatar", "kind": "state"}).then()
    assert added.remove("qatar").data == original


# --- each command changes exactly the expected lines ----------------------------------------


@pytest.mark.parametrize(("name", "crlf", "bom"), VARIANTS)
def test_each_command_changes_exactly_its_lines_and_undo_restores(
    tmp_path, name, crlf, bom
) -> None:
    path = variant(FIXTURES / name, tmp_path, crlf=crlf, bom=bom)
    texts = tmp_path / "texts"
    original = path.read_bytes()
    nl = "\r\n" if crlf else "\n"
    steps: list[bytes] = [original]

    def step(*args: str) -> list[tuple[str, list[str], list[str]]]:
        result = run(*args)
        assert result.exit_code == 0, result.output
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") == bom
        assert (b"\r\n" in data) == crlf and (crlf or b"\r" not in data)
        assert set(comments(steps[0])) <= set(comments(data))
        assert_valid(path, texts)
        found = changes(steps[-1], data)
        steps.append(data)
        return found

    found = step(
        "add-actor", str(path), "delta", "--name", "Delta", "--kind", "state", "--alias", "D"
    )
    assert [tag for tag, *_ in found] == ["insert"]
    inserted = [line.strip() for line in found[0][2] if line.strip()]
    assert inserted == [
        "- id: delta",
        "name: Delta",
        "kind: state",
        "aliases: [D]",
    ] or inserted == [
        "-   id: delta",
        "name: Delta",
        "kind: state",
        "aliases:",
        "- D",
    ]
    assert all(line.endswith(nl) for line in found[0][2])

    found = step(
        "add-relation", str(path), "delta", "hostile_to", "gamma",
        "--quote", "Gamma, long a rival of both", "--cite", "report", "--sources", str(texts),
    )  # fmt: skip
    assert [tag for tag, *_ in found] == ["insert"]
    assert any('quote: "Gamma, long a rival of both"' in line for line in found[0][2])

    found = step("set", str(path), "beta", "name=Beta Kingdom")
    assert len(found) == 1 and found[0][0] == "replace"
    assert [re.sub(r"\s+", " ", x).strip() for x in found[0][1] + found[0][2]] in (
        ["name: Beta", "name: Beta Kingdom"],
        ['name: "Beta"', 'name: "Beta Kingdom"'],
    )

    found = step("rename", str(path), "gamma", "gamma_state")
    old = [line for _, a, _ in found for line in a]
    new = [line for _, _, b in found for line in b]
    assert all("gamma" in line for line in old)
    assert [line.replace("gamma", "gamma_state") for line in old] == new

    found = step("remove", str(path), "delta", "--cascade")
    assert all(tag == "delete" for tag, *_ in found)
    removed = "".join(line for _, a, _ in found for line in a)
    assert "id: delta" in removed and "source: delta" in removed

    found = step("add-scenario", str(path), "truce", "--title", "A truce holds", "--replaces-main")
    assert [tag for tag, *_ in found] == ["insert"]
    assert [x.strip() for x in found[0][2] if x.strip()][-1] == "replaces_main: true"
    found = step(
        "add-relation", str(path), "beta", "cooperates_with", "gamma_state",
        "--status", "projected", "--scenario", "truce",
    )  # fmt: skip
    assert [tag for tag, *_ in found] == ["insert"]
    assert any("scenario: truce" in line for line in found[0][2])
    found = step("rename", str(path), "truce", "lasting_truce")
    assert sorted(x.strip() for _, a, _ in found for x in a) == [
        "- id: truce",
        "scenario: truce",
    ] or sorted(x.strip() for _, a, _ in found for x in a) == ["-   id: truce", "scenario: truce"]
    found = step("remove", str(path), "lasting_truce", "--cascade")
    # Lines go; a section left empty says so ("scenarios: []") rather than holding null.
    assert all(
        tag == "delete" or [x.strip() for x in b] == ["scenarios: []"] for tag, _, b in found
    )

    (texts / "second.txt").write_text("A look back.", encoding="utf-8")
    found = step("add-source", str(path), "second", "--title", "Second: a look back")
    assert [tag for tag, *_ in found] == ["insert"]

    for _ in range(len(steps) - 1):
        assert run("undo", str(path)).exit_code == 0
    assert path.read_bytes() == original
    result = run("undo", str(path))
    assert result.exit_code == 1 and "no edit to undo" in result.output


def test_the_bundled_map_takes_a_relation_with_a_checked_quote(tmp_path) -> None:
    path = variant(BUNDLED, tmp_path)
    original = path.read_bytes()
    result = run(
        "add-relation", str(path), "united_states", "supports", "taliban",
        "--quote", "the need to engage them", "--cite", "us_taliban_alliance_2021",
        "--status", "projected", "--confidence", "low",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "united_states__supports__taliban"
    found = changes(original, path.read_bytes())
    assert found == [
        (
            "insert",
            [],
            [
                "  - source: united_states\n",
                "    target: taliban\n",
                "    type: supports\n",
                "    status: projected\n",
                "    confidence: low\n",
                "    evidence:\n",
                "      - source: us_taliban_alliance_2021\n",
                '        quote: "the need to engage them"\n',
            ],
        )
    ]
    assert lines(path.read_bytes())[-8:] == found[0][2]  # at the end of the relations
    if SHARED_SOURCES.is_dir():
        report = check_file(path, sources=SHARED_SOURCES)
        assert not report.failed(strict=True), report.errors + report.warnings


def test_rename_prints_derived_relation_ids_old_to_new(tmp_path) -> None:
    path = variant(BUNDLED, tmp_path)
    result = run("rename", str(path), "joe_biden", "biden")
    assert result.exit_code == 0, result.output
    assert (
        "relation id joe_biden__leads__united_states -> biden__leads__united_states"
        in result.stdout
    )
    text = path.read_text(encoding="utf-8")
    assert "joe_biden" not in text and "- id: biden\n" in text and "source: biden\n" in text


def test_a_new_long_description_is_folded_like_the_files_own(tmp_path) -> None:
    path = variant(BUNDLED, tmp_path)
    long = "A state in the region whose many interests " * 4
    doc = StakeholderFile.open(path)
    new = doc.add(
        "actor", {"id": "qatar", "name": "Qatar", "kind": "state", "description": long.strip()}
    )
    added = [line for _, _, b in changes(doc.data, new.data) for line in b]
    assert added[3] == "    description: >-\n"
    assert all(len(line.rstrip("\n")) <= 100 and line.startswith("      ") for line in added[4:])


# --- refusals write nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add-actor", "{f}", "x", "--name", "X", "--kind", "stat"],
            "unknown actor kind 'stat' (did you mean 'state'?)",
        ),
        (
            ["add-actor", "{f}", "alpha", "--name", "A", "--kind", "state"],
            "duplicate actor id 'alpha'",
        ),
        (
            ["add-relation", "{f}", "alpha", "hostile_to", "gama"],
            "unknown actor 'gama' (did you mean 'gamma'?)",
        ),
        (
            ["add-relation", "{f}", "alpha", "hostile_to", "gamma", "--strength", "7"],
            "must be from 1 to 3, got 7",
        ),
        (
            [
                "add-relation",
                "{f}",
                "alpha",
                "hostile_to",
                "gamma",
                "--quote",
                "Gamma loves Alpha",
                "--cite",
                "report",
            ],
            "quote not found in the text of source 'report'",
        ),
        (
            ["set", "{f}", "gama", "name=G"],
            "no actor, relation, source or scenario has the id 'gama' (did you mean 'gamma'?)",
        ),
        (["set", "{f}", "beta", "sign=postive"], "unknown field 'sign'"),
        (["remove", "{f}", "gamma"], "actor 'gamma' is still referred to by 2 relation(s)"),
        (["remove", "{f}", "report"], "source 'report' is still referred to by 6 evidence item(s)"),
        (["rename", "{f}", "alpha", "Beta!"], "'Beta!' is not a valid id"),
        (["rename", "{f}", "alpha", "beta"], "a actor with the id 'beta' exists already"),
        (
            ["add-source", "{f}", "s", "--title", "S", "--text", "/etc/hostname"],
            "a source text must lie inside the map's folder",
        ),
    ],
)
def test_refusals_write_nothing(tmp_path, args, message) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    original = path.read_bytes()
    result = run(*[a.replace("{f}", str(path)) for a in args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and "nothing written" in result.output
    assert path.read_bytes() == original
    assert not (tmp_path / ".stakeholder-explorer").exists()


def test_errors_point_at_file_line_col(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    result = run("add-actor", str(path), "x", "--name", "X", "--kind", "stat")
    assert re.search(
        r"indentless\.yaml:\d+:\d+: actors\[4\]\.kind: unknown actor kind 'stat'", result.output
    )


def test_an_id_of_two_kinds_is_refused_listing_both(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    assert run("add-source", str(path), "alpha", "--title", "Alpha's memoirs").exit_code == 0
    before = path.read_bytes()
    result = run("set", str(path), "alpha", "note=x")
    assert result.exit_code == 1
    assert "'alpha' names records of two kinds (actor:alpha at line" in result.output
    assert "source:alpha at line" in result.output
    assert path.read_bytes() == before
    assert run("set", str(path), "source:alpha", "author=Alpha").exit_code == 0
    assert "author: Alpha" in path.read_text(encoding="utf-8")


def test_a_file_changed_on_disk_since_it_was_read_is_refused(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    doc = StakeholderFile.open(path)
    edit = doc.add("actor", {"id": "delta", "name": "Delta", "kind": "state"})
    path.write_bytes(path.read_bytes() + b"# changed by someone else\n")
    changed = path.read_bytes()
    with pytest.raises(FileChanged, match="changed on disk since it was read"):
        save(edit)
    assert path.read_bytes() == changed


def test_undo_refuses_when_the_file_changed_after_the_edit_unless_forced(tmp_path) -> None:
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    original = path.read_bytes()
    assert run("set", str(path), "gamma", "name=Gamma Front").exit_code == 0
    path.write_bytes(path.read_bytes() + b"# a hand edit\n")
    result = run("undo", str(path))
    assert result.exit_code == 1 and "undo --force" in result.output
    assert run("undo", str(path), "--force").exit_code == 0
    assert path.read_bytes() == original


def test_remove_cascade_lists_what_else_goes(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    result = run("remove", str(path), "report", "--cascade")
    assert result.exit_code == 0, result.output
    assert "also removed 1 evidence item(s) of relation treaty" in result.output
    text = path.read_text(encoding="utf-8")
    assert "id: report" not in text and "source: report" not in text
    assert_valid(path)


def test_add_source_writes_the_text_path_relative_to_the_map(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path / "maps")
    outside = tmp_path / "library"
    outside.mkdir()
    (outside / "memo.txt").write_text("Beta fears Gamma.", encoding="utf-8")
    result = run(
        "add-source", str(path), "memo", "--title", "Memo", "--text", str(outside / "memo.txt")
    )
    assert result.exit_code == 1 and "inside the map's folder" in result.output
    result = run(
        "add-source", str(path), "memo", "--title", "Memo",
        "--text", str(outside / "memo.txt"), "--sources", str(outside),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "  text: memo.txt\n" in path.read_text(encoding="utf-8")  # found in --sources
    bad = run(
        "add-relation",
        str(path),
        "beta",
        "hostile_to",
        "gamma",
        "--quote",
        "Beta loves Gamma",
        "--cite",
        "memo",
        "--sources",
        str(outside),
    )
    assert bad.exit_code == 1 and "quote not found" in bad.output
    good = run(
        "add-relation",
        str(path),
        "beta",
        "hostile_to",
        "gamma",
        "--quote",
        "Beta fears Gamma.",
        "--cite",
        "memo",
        "--sources",
        str(outside),
    )
    assert good.exit_code == 0, good.output


def test_the_undo_history_is_bounded_and_ignored_by_git(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(edit_module, "HISTORY_ENTRIES", 3)
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    for i in range(6):
        assert run("set", str(path), "gamma", f"name=Gamma {i}").exit_code == 0
    folder = edit_module.history_folder(path)
    assert len(list(folder.glob("*.before"))) == 3
    assert (tmp_path / ".stakeholder-explorer" / ".gitignore").read_text() == "*\n"
    for _ in range(3):
        assert run("undo", str(path)).exit_code == 0
    assert "name: Gamma 2" in path.read_text(encoding="utf-8")
    assert run("undo", str(path)).exit_code == 1


def test_an_edit_never_writes_through_a_link_planted_in_the_undo_history(tmp_path) -> None:
    # A shared folder carries its hidden folder: a link named like the next earlier version
    # once made an edit write the map's bytes over the file it points to.
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    folder = edit_module.history_folder(path)
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("not the map's\n", encoding="utf-8")
    (folder / "000001.before").symlink_to(victim)
    (tmp_path / ".stakeholder-explorer" / ".gitignore").symlink_to(tmp_path / "created.txt")
    assert run("set", str(path), "gamma", "name=Gamma 1").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "not the map's\n"
    assert not (tmp_path / "created.txt").exists()
    assert not (folder / "000001.before").is_symlink()
    assert run("undo", str(path)).exit_code == 0
    assert path.read_bytes() == (FIXTURES / "indented.yaml").read_bytes()


def test_undo_never_reads_a_linked_fifo_or_endless_history(tmp_path) -> None:
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    original = path.read_bytes()
    assert run("set", str(path), "gamma", "name=Gamma 1").exit_code == 0
    folder = edit_module.history_folder(path)
    before = folder / "000001.before"
    # An earlier version linked to another file: undo would copy it into the map.
    secret = tmp_path / "secret.txt"
    secret.write_text("a secret\n", encoding="utf-8")
    before.unlink()
    before.symlink_to(secret)
    result = run("undo", str(path))
    assert result.exit_code == 1 and "symbolic link" in result.output
    assert b"secret" not in path.read_bytes()
    # A FIFO or /dev/zero as the log: read at once as no history, never hung or exhausted.
    log = folder / "log.json"
    log.unlink()
    os.mkfifo(log)
    result = run("undo", str(path))
    assert result.exit_code == 1 and "no edit to undo" in result.output
    log.unlink()
    log.symlink_to("/dev/zero")
    assert run("set", str(path), "gamma", "name=Gamma 2").exit_code == 0
    assert not log.is_symlink() and log.stat().st_mode & 0o777 == 0o600
    # A log with an entry that is not a number is skipped, not a traceback.
    log.write_text('[{"n": "x", "after": "0"}, {"n": 10000000000000000000000}]')
    result = run("set", str(path), "gamma", "name=Gamma 3")
    assert result.exit_code == 0 and result.exception is None, result.output
    assert run("undo", str(path)).exit_code == 0
    assert "name: Gamma 2" in path.read_text(encoding="utf-8")
    assert original != path.read_bytes()


def test_a_linked_history_folder_is_refused_and_nothing_is_written(tmp_path) -> None:
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".stakeholder-explorer").symlink_to(elsewhere)
    result = run("set", str(path), "gamma", "name=Gamma 1")
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []
    assert path.read_bytes() == (FIXTURES / "indented.yaml").read_bytes()


def test_library_raises_data_errors_with_positions() -> None:
    doc = StakeholderFile.open(FIXTURES / "indented.yaml")
    with pytest.raises(DataErrors) as info:
        doc.change("gamma", {"kind": "armed_grup", "since": "2021-13"})
    where = [p.where for p in info.value.problems]
    assert where == ["actors[2].kind", "actors[2].since"] or sorted(where) == sorted(
        ["actors[2].kind", "actors[2].since"]
    )
    with pytest.raises(EditError, match="did you mean 'gamma'"):
        doc.find("actor:gama")


def test_add_many_adds_records_of_several_kinds_in_one_checked_edit(tmp_path) -> None:
    path = variant(FIXTURES / "indented.yaml", tmp_path)
    doc = StakeholderFile.open(path)
    edit = doc.add_many(
        [
            ("actor", {"id": "delta", "name": "Delta", "kind": "state"}),
            ("relation", {"source": "delta", "target": "alpha", "type": "ally_of"}),
            (
                "relation",
                {"source": "delta", "target": "alpha", "type": "ally_of", "status": "projected"},
            ),
            ("scenario", {"id": "truce", "title": "A truce"}),
        ]
    )
    assert edit.added == (
        ("actor", "delta"),
        ("relation", "delta__ally_of__alpha"),
        ("relation", "delta__ally_of__alpha_2"),
        ("scenario", "truce"),
    )
    assert all(tag == "insert" for tag, *_ in changes(doc.data, edit.data))
    save(edit)
    assert_valid(path)
    with pytest.raises(DataErrors):  # one bad record refuses them all
        StakeholderFile.open(path).add_many(
            [
                ("actor", {"id": "eps", "name": "E", "kind": "state"}),
                ("actor", {"id": "x", "name": "X", "kind": "sate"}),
            ]
        )


def test_a_changed_list_keeps_the_quoting_of_the_items_that_stay(tmp_path) -> None:
    path = variant(FIXTURES / "indentless.yaml", tmp_path)
    before = path.read_bytes()
    assert (
        run("set", str(path), "alpha", "aliases=the Alphans,Alpha Republic,Alphaland").exit_code
        == 0
    )
    assert changes(before, path.read_bytes()) == [
        (
            "replace",
            ['  aliases: [the Alphans, "Alpha Republic"]\n'],
            ['  aliases: [the Alphans, "Alpha Republic", Alphaland]\n'],
        )
    ]
    before = path.read_bytes()
    assert run("set", str(path), "beta", "aliases=the Betans,Beta Kingdom,B").exit_code == 0
    assert changes(before, path.read_bytes()) == [("insert", [], ["  - B\n"])]


def test_one_line_flow_records_get_new_records_in_flow_style(write_yaml) -> None:
    path = write_yaml(
        """
        format: stakeholder-explorer/1
        title: Flow records
        sources:
          - {id: s1, title: First report}
        actors:
          - {id: a, name: Aland, kind: state}
          - {id: c, name: Cland, kind: state}
        relations:
          - {source: a, target: c, type: ally_of, evidence: [{source: s1, quote: A and C}]}
        """
    )
    before = path.read_bytes()
    result = run(
        "add-actor",
        str(path),
        "b",
        "--name",
        "B: the odd, one",
        "--kind",
        "state",
        "--alias",
        "x, y",
    )
    assert result.exit_code == 0, result.output
    assert changes(before, path.read_bytes()) == [
        ("insert", [], ['  - {id: b, name: "B: the odd, one", kind: state, aliases: ["x, y"]}\n'])
    ]
    assert run("rename", str(path), "a", "aland").exit_code == 0
    assert "  - {source: aland, target: c, type: ally_of," in path.read_text(encoding="utf-8")
    refused = run("set", str(path), "c", "name=Cee")
    assert refused.exit_code == 1 and "written as one flow mapping" in refused.output
    assert_valid(path)
