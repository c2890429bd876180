"""Edit mode under Streamlit's AppTest: forms write through the edit library, or refuse to."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from explorer.cli import APP_SCRIPT
from explorer.load import check_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "edit"
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "us-taliban-2021.yaml"


@pytest.fixture
def local_server():
    """The server address `stakeholder-explorer app` uses: editing is allowed."""
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


def open_edit_mode(path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(path))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.run()
    at.session_state["main_tab"] = "Edit"
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "texts", tmp_path / "texts")
    shutil.copy(FIXTURES / "indentless.yaml", tmp_path / "map.yaml")
    return tmp_path / "map.yaml"


def inserted(before: bytes, after: bytes) -> str:
    """The lines an edit inserted, which must be its only change."""
    a, b = before.decode().splitlines(True), after.decode().splitlines(True)
    ops = [
        op
        for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    assert [op[0] for op in ops] == ["insert"], ops
    return "".join(b[ops[0][3] : ops[0][4]])


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    return found[0] if found else None


def fill_relation(at: AppTest, quote: str) -> None:
    at.selectbox(key="edit_rel_source").set_value("council")
    at.selectbox(key="edit_rel_target").set_value("gamma")
    at.selectbox(key="edit_rel_type").set_value("hostile_to")
    at.text_area(key="edit_quote").set_value(quote)
    at.run()


def test_a_relation_saved_from_the_form_lands_in_the_file(
    map_file, monkeypatch, local_server
) -> None:
    original = map_file.read_bytes()
    at = open_edit_mode(map_file, monkeypatch)
    # The relation type's one-line definition is shown as help.
    at.selectbox(key="edit_rel_type").set_value("hostile_to")
    at.run()
    assert any("hostile to" in c.value and "negative" in c.value for c in at.caption)
    fill_relation(at, "Gamma, long a rival of both")
    assert not at.error
    button(at, "Save relation").click()
    at.run()
    assert not at.exception
    assert any("Saved: added relation council" in s.value for s in at.success)
    assert inserted(original, map_file.read_bytes()) == (
        "- source: council\n  target: gamma\n  type: hostile_to\n  evidence:\n"
        '  - source: report\n    quote: "Gamma, long a rival of both"\n'
    )
    assert not check_file(map_file, sources=map_file.parent / "texts").errors
    # Undo gives the original bytes back.
    button(at, "Undo the last edit").click()
    at.run()
    assert map_file.read_bytes() == original


def test_a_quote_not_in_the_source_is_refused_inline(map_file, monkeypatch, local_server) -> None:
    at = open_edit_mode(map_file, monkeypatch)
    fill_relation(at, "Gamma adores Alpha")
    assert any("quote not found in the text of source 'report'" in e.value for e in at.error)
    save = button(at, "Save relation")
    assert save is not None and save.disabled


def test_long_quotes_warn_then_fail(map_file, monkeypatch, local_server) -> None:
    at = open_edit_mode(map_file, monkeypatch)
    fill_relation(at, " ".join(["word"] * 30))
    assert any("30 words" in w.value for w in at.warning)
    fill_relation(at, " ".join(["word"] * 41))
    assert any("41 words; the format allows at most 40" in e.value for e in at.error)


def test_read_only_flag_turns_saving_off(map_file, monkeypatch, local_server) -> None:
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_READ_ONLY", "1")
    original = map_file.read_bytes()
    at = open_edit_mode(map_file, monkeypatch)
    assert any("--read-only" in i.value for i in at.info)
    fill_relation(at, "Gamma, long a rival of both")
    assert button(at, "Save relation") is None
    assert "Save a copy" in [d.label for d in at.get("download_button")]
    assert map_file.read_bytes() == original


def test_a_server_listening_beyond_this_machine_cannot_write(map_file, monkeypatch) -> None:
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = open_edit_mode(map_file, monkeypatch)
        assert any("listens beyond this machine" in i.value for i in at.info)
        fill_relation(at, "Gamma, long a rival of both")
        assert button(at, "Save relation") is None
    finally:
        config.set_option("server.address", before)


def test_the_bundled_map_opens_read_only_with_save_a_copy(monkeypatch, local_server) -> None:
    at = open_edit_mode(BUNDLED, monkeypatch)
    assert any("bundled map is read only" in i.value for i in at.info)
    at.session_state["edit_mode"] = "Add actor"
    at.run()
    at.text_input(key="edit_actor_name").set_value("Qatar")
    at.selectbox(key="edit_actor_kind").set_value("state")
    at.run()
    assert button(at, "Save actor") is None
    assert "Save a copy" in [d.label for d in at.get("download_button")]


def test_change_and_remove_forms(map_file, monkeypatch, local_server) -> None:
    at = open_edit_mode(map_file, monkeypatch)
    at.session_state["edit_mode"] = "Change or remove"
    at.run()
    at.selectbox(key="edit_change_record").set_value(("actor", "gamma"))
    at.run()
    assert any("still referred to" in e.value for e in at.error)  # remove needs the checkbox
    at.text_input(key="edit_change_actor_gamma_name").set_value("Gamma Front")
    at.run()
    button(at, "Apply changes").click()
    at.run()
    assert "  name: Gamma Front\n" in map_file.read_text(encoding="utf-8")
    at.selectbox(key="edit_change_record").set_value(("actor", "gamma"))
    at.checkbox(key="edit_remove_cascade").check()
    at.run()
    button(at, "Remove this actor").click()
    at.run()
    text = map_file.read_text(encoding="utf-8")
    assert "id: gamma" not in text and "gamma" not in text.split("relations:")[1]
    assert not check_file(map_file).errors


def test_a_save_records_where_actors_were_drawn(map_file, monkeypatch, local_server) -> None:
    from explorer.render.layout import read_positions, record_path

    at = open_edit_mode(map_file, monkeypatch)
    at.session_state["edit_mode"] = "Change or remove"
    at.run()
    at.selectbox(key="edit_change_record").set_value(("actor", "gamma"))
    at.run()
    at.text_input(key="edit_change_actor_gamma_id").set_value("gamma_state")
    at.run()
    button(at, "Apply changes").click()
    at.run()
    assert not at.exception
    recorded = read_positions(record_path(map_file), map_file.name)
    # Everyone drawn before the save keeps a place; the renamed actor keeps its own.
    assert set(recorded) == {"alpha", "beta", "gamma_state", "council"}
    assert "id: gamma_state" in map_file.read_text(encoding="utf-8")
