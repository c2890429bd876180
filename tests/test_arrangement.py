"""Positions that last: "Keep this arrangement" writes the dragged positions beside the map,
"Lay out again" forgets them; both off where there is no file of the user's to write beside."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

import explorer
from explorer.cli import APP_SCRIPT
from explorer.render.layout import read_positions, record_path

SMALL = Path(__file__).resolve().parents[1] / "data" / "examples" / "small-example.yaml"
DRAGGED = "_graph_dragged"  # where the graph page's dragged positions arrive (bridge "moved")


@pytest.fixture(autouse=True)
def local_server() -> Iterator[None]:
    """The server address `stakeholder-explorer app` uses: writing beside the map is allowed."""
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


def start(path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(path))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """A caption's text without the backslashes that keep it from reading as Markdown."""
    return markdown.replace("\\", "")


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_keep_this_arrangement_and_lay_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "small.yaml"
    shutil.copyfile(SMALL, path)
    record = record_path(path)
    at = start(path, monkeypatch)
    assert not button(at, "Keep this arrangement").disabled
    assert not button(at, "Lay out again").disabled
    assert not record.exists()

    # The page reports a drag (what the bridge hands over from the frame's "moved").
    at.session_state[DRAGGED] = {"kharan": (123.5, -45.25)}
    at.run()
    keep = button(at, "Keep this arrangement")
    assert not keep.disabled
    assert any("1 dragged actor not kept yet" in plain(c.value) for c in at.caption)
    keep.click().run()
    assert not at.exception, at.exception
    assert record.exists() and (record.parent / ".gitignore").read_text() == "*\n"
    kept = read_positions(record, "small.yaml")
    assert kept["kharan"] == (123.5, -45.25)
    # The whole arrangement as drawn is kept, so no other actor moves on the next start.
    names = set(json.loads(record.read_text())["maps"]["small.yaml"]["positions"])
    assert len(names) > 1 and "kharan" in names
    assert any("Drag actors to arrange the map." in plain(c.value) for c in at.caption)

    # A fresh session draws the kept position.
    again = start(path, monkeypatch)
    from explorer.graph import build_graph
    from explorer.load import load_dataset
    from explorer.render.layout import positions_for

    G = build_graph(load_dataset(path))
    assert positions_for(G, record_path=record, map_name="small.yaml")["kharan"] == (123.5, -45.25)

    button(again, "Lay out again").click().run()
    assert not again.exception, again.exception
    assert read_positions(record, "small.yaml") == {}
    # Nothing is recorded any more: the record is removed, only it (the folder stays).
    assert not record.exists()
    assert (record.parent / ".gitignore").exists()
    assert path.read_bytes() == SMALL.read_bytes()  # the map itself is never touched


def test_the_bundled_map_keeps_no_arrangement(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = explorer.bundled_map()
    record = record_path(bundled)
    existed = record.exists()
    at = start(bundled, monkeypatch)
    at.session_state[DRAGGED] = {"taliban": (1.0, 2.0)}
    at.run()
    assert button(at, "Keep this arrangement").disabled
    assert button(at, "Lay out again").disabled
    assert any("cannot be kept here: the bundled map" in plain(c.value).lower() for c in at.caption)
    assert record.exists() == existed


def test_a_read_only_dashboard_keeps_no_arrangement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.edit import READ_ONLY_ENV

    path = tmp_path / "small.yaml"
    shutil.copyfile(SMALL, path)
    monkeypatch.setenv(READ_ONLY_ENV, "1")
    at = start(path, monkeypatch)
    at.session_state[DRAGGED] = {"kharan": (1.0, 2.0)}
    at.run()
    assert button(at, "Keep this arrangement").disabled
    assert button(at, "Lay out again").disabled
    assert any("started with --read-only" in plain(c.value) for c in at.caption)
    assert not record_path(path).exists()


def test_lay_out_again_keeps_the_other_maps_of_the_folder(tmp_path: Path) -> None:
    from explorer.render.layout import clear_positions, record_positions

    record = record_path(tmp_path / "a.yaml")
    record_positions(record, {"x": (1.0, 2.0)}, map_name="a.yaml")
    record_positions(record, {"y": (3.0, 4.0)}, map_name="b.yaml")
    history = record.parent / "a.yaml.1.before"
    history.write_text("kept", encoding="utf-8")  # the folder's other files are not touched
    clear_positions(record, "a.yaml")
    assert read_positions(record, "a.yaml") == {}
    assert read_positions(record, "b.yaml") == {"y": (3.0, 4.0)}
    clear_positions(record, "b.yaml")
    assert not record.exists()
    assert history.read_text(encoding="utf-8") == "kept"
    assert (record.parent / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_an_empty_or_stale_record_is_removed_and_an_unreadable_one_kept(tmp_path: Path) -> None:
    from explorer.render.layout import clear_positions, record_positions

    record = record_path(tmp_path / "a.yaml")
    record.parent.mkdir()
    # An empty record left by an earlier version: laying out again removes it.
    record.write_text(json.dumps({"maps": {"a.yaml": {"positions": {}}}}), encoding="utf-8")
    clear_positions(record, "other.yaml")
    assert not record.exists()
    # Keeping nothing writes no record at all.
    record_positions(record, {}, map_name="a.yaml")
    assert not record.exists()
    # A file that is not a record is never removed.
    record.write_text("not json", encoding="utf-8")
    clear_positions(record, "a.yaml")
    assert record.read_text(encoding="utf-8") == "not json"
