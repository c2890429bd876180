"""Hostile paths: FIFOs, devices, endless files, lying sizes, and source texts outside the map.

Every reader goes through ``explorer.reading``: regular files only, bounded in bytes read,
``text:`` paths kept inside the map's folder or the source-text folder. Commands that could
hang before the fix run in a child process with a timeout, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from explorer.load import check_file, load_dataset

HEADER = "format: stakeholder-explorer/1\ntitle: Sources\n"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process; a hang is a failure after 60 s, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def map_citing(tmp_path: Path, text: str) -> Path:
    """A valid map whose one source has ``text: <text>`` and whose quote is 'secret'."""
    path = tmp_path / "maps" / "map.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        HEADER + "sources:\n"
        f"  - id: memo\n    title: Memo\n    text: {text!r}\n"
        "actors:\n  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\n"
        "relations:\n  - source: a\n    target: b\n    type: supports\n"
        "    evidence:\n      - {source: memo, quote: 'root'}\n",
        encoding="utf-8",
    )
    return path


# --- the stakeholder file itself ----------------------------------------------------------


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


@needs_fifo
def test_validate_refuses_a_fifo_at_once_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "map.yaml"
    os.mkfifo(fifo)
    result = run_cli("validate", str(fifo))
    assert result.returncode == 1
    assert f"{fifo}:1:1: file: cannot read: a pipe (FIFO), not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_validate_refuses_dev_zero_without_reading_it() -> None:
    result = run_cli("validate", "/dev/zero", env={"STAKEHOLDER_EXPLORER_MAX_BYTES": "1000000"})
    assert result.returncode == 1
    assert "/dev/zero:1:1: file: cannot read: a device, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_the_limit_counts_bytes_read_not_the_size_a_file_claims() -> None:
    # /proc files claim a size of 0 bytes; a check of the claimed size would let any through.
    assert os.path.getsize("/proc/self/status") == 0
    report = check_file("/proc/self/status", max_bytes=100)
    assert [str(p) for p in report.errors] == [
        "/proc/self/status:1:1: file: file is more than 100 bytes, over the limit of 100 bytes "
        "(set STAKEHOLDER_EXPLORER_MAX_BYTES to raise it)"
    ]


@pytest.mark.parametrize(
    ("setting", "loads"), [("10MB", True), ("512KiB", True), ("1.5kB", False), ("200", False)]
)
def test_the_size_limit_takes_units(
    setting: str, loads: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(HEADER + "description: " + "x" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_MAX_BYTES", setting)
    report = check_file(path)
    assert (report.dataset is not None) == loads
    if not loads:
        assert "over the limit of" in report.errors[0].message


def test_a_malformed_size_limit_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(HEADER, encoding="utf-8")
    result = run_cli("validate", str(path), env={"STAKEHOLDER_EXPLORER_MAX_BYTES": "ten megs"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "STAKEHOLDER_EXPLORER_MAX_BYTES is 'ten megs'; expected a size such as 10000000, "
        "10MB or 512KiB" in result.stderr
    )


# --- source texts: inside the map's folder or the --sources folder only --------------------


def test_a_source_text_beside_the_map_is_read(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "texts/memo.txt")
    (path.parent / "texts").mkdir()
    (path.parent / "texts" / "memo.txt").write_text("the root of it", encoding="utf-8")
    assert check_file(path, sources=tmp_path / "none").dataset is not None


def test_a_source_text_in_the_sources_folder_is_read(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "memo.txt")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "memo.txt").write_text("the root of it", encoding="utf-8")
    assert check_file(path, sources=folder).dataset is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("/etc/passwd", "absolute paths are not allowed; give a path relative to the map's folder"),
        ("/proc/self/environ", "absolute paths are not allowed"),
        ("/dev/zero", "absolute paths are not allowed"),
        ("../../../../etc/passwd", "'..' is not allowed in a text path"),
        ("texts/../../secret.txt", "'..' is not allowed in a text path"),
        ("~/secret.txt", "absolute paths are not allowed"),
    ],
)
def test_source_texts_outside_the_maps_folder_are_refused_at_their_line(
    tmp_path: Path, text: str, reason: str
) -> None:
    (tmp_path / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    path = map_citing(tmp_path, text)
    errors = check_file(path, sources=tmp_path / "maps").errors
    assert len(errors) == 1
    error = errors[0]
    assert (error.line, error.col, error.where) == (6, 11, "sources[0].text")
    assert reason in error.message
    # Nothing read: the answer must not depend on the secret's content (no quote oracle).
    assert "quote not found" not in error.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_symbolic_link_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    path = map_citing(tmp_path, "memo.txt")
    (path.parent / "memo.txt").symlink_to(tmp_path / "secret.txt")
    errors = check_file(path, sources=tmp_path / "maps").errors
    assert [(e.where, e.message) for e in errors] == [
        (
            "sources[0].text",
            "no readable text for source 'memo': "
            "the path leads out of the map's folder through a symbolic link",
        )
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_symbolic_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "memo.txt")
    (path.parent / "real.txt").write_text("the root of it", encoding="utf-8")
    (path.parent / "memo.txt").symlink_to(path.parent / "real.txt")
    assert check_file(path, sources=tmp_path / "maps").dataset is not None


@needs_fifo
def test_a_fifo_as_source_text_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "memo.txt")
    os.mkfifo(path.parent / "memo.txt")
    result = run_cli("validate", str(path), "--sources", str(path.parent))
    assert result.returncode == 1
    assert (
        f"{path}:6:11: sources[0].text: no readable text for source 'memo': "
        "cannot read: a pipe (FIFO), not a regular file"
    ) in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_linked_as_source_text_is_refused(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "memo.txt")
    (path.parent / "memo.txt").symlink_to("/dev/zero")
    result = run_cli("validate", str(path), "--sources", str(path.parent))
    assert result.returncode == 1
    assert "sources[0].text: no readable text for source 'memo'" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


def test_a_source_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = map_citing(tmp_path, "memo.txt")
    (path.parent / "memo.txt").write_text("root " * 100_000, encoding="utf-8")
    os.environ["STAKEHOLDER_EXPLORER_MAX_BYTES"] = "100000"
    try:
        errors = check_file(path, sources=path.parent).errors
    finally:
        del os.environ["STAKEHOLDER_EXPLORER_MAX_BYTES"]
    assert [e.message for e in errors] == [
        "no readable text for source 'memo': file is 500,000 bytes, over the limit of "
        "100,000 bytes (set STAKEHOLDER_EXPLORER_MAX_BYTES to raise it)"
    ]


def test_an_upload_never_reads_source_texts_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.load import check_bytes

    path = map_citing(tmp_path, "memo.txt")
    (tmp_path / "memo.txt").write_text("the root of it", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = check_bytes(path.read_bytes(), "upload.yaml", base_dir=None, sources=tmp_path / "x")
    assert [e.where for e in report.errors] == ["sources[0].text"]


# --- the helper the other readers use --------------------------------------------------------


def test_a_zip_member_is_refused_by_its_size_before_it_is_inflated() -> None:
    from explorer.reading import ReadRefused, read_zip_member

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("elements.csv", b"a" * 5_000_000)  # ~5 KB compressed
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as archive:
        info = archive.getinfo("elements.csv")
        with pytest.raises(ReadRefused, match="file is 5,000,000 bytes, over the limit"):
            read_zip_member(archive, info, limit=1_000_000)
        # A header that lies about the size stops at the limit all the same.
        info.file_size = 10
        with pytest.raises(ReadRefused):
            read_zip_member(archive, info, limit=1_000_000)
        info.file_size = 5_000_000
        assert len(read_zip_member(archive, info, limit=10**7)) == 5_000_000


def test_a_stream_is_cut_at_the_limit_while_reading() -> None:
    from explorer.reading import ReadRefused, read_stream_bounded

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            b[:] = b"\0" * len(b)
            return len(b)

    with pytest.raises(ReadRefused, match="more than 1,000,000 bytes"):
        read_stream_bounded(io.BufferedReader(Endless()), "endless", 1_000_000)


def test_load_dataset_raises_our_error_for_a_folder(tmp_path: Path) -> None:
    from explorer.errors import DataErrors

    with pytest.raises(DataErrors, match="not a regular file"):
        load_dataset(tmp_path)


def test_the_report_cache_is_bounded_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer import load

    monkeypatch.setattr(load, "CACHE_BYTES", 5_000)
    load._cache.clear()
    for i in range(4):
        padding = "x" * 2_000
        data = f"format: stakeholder-explorer/1\ntitle: Map {i}\ndescription: {padding}\n"
        assert load.check_bytes(data.encode(), f"m{i}.yaml").dataset is not None
    kept = [size for size, _ in load._cache.values()]
    assert 0 < sum(kept) <= 5_000 and len(kept) == 2
    # A file bigger than the whole budget is checked but never kept.
    big = "format: stakeholder-explorer/1\ntitle: Big\ndescription: " + "y" * 6_000 + "\n"
    assert load.check_bytes(big.encode(), "big.yaml").dataset is not None
    assert all(size <= 5_000 for size, _ in load._cache.values())
    load._cache.clear()


@needs_fifo
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_import_refuses_a_fifo_and_dev_zero_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "edges.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"  # named as a CSV, so the importer tries to read it
    zero.symlink_to("/dev/zero")
    for source in (str(fifo), str(zero)):
        target = tmp_path / "out.yaml"
        result = run_cli("import", source, "-o", str(target))
        assert result.returncode == 1, result.stderr
        assert f"{source}:1:1: file: cannot read: a " in result.stderr
        assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
        assert not target.exists()


# --- the positions record beside a map: it travels with the map, so it is untrusted ---------


def small_map(tmp_path: Path) -> Path:
    source = Path(__file__).resolve().parents[1] / "data" / "examples" / "small-example.yaml"
    path = tmp_path / "maps" / "map.yaml"
    path.parent.mkdir()
    path.write_bytes(source.read_bytes())
    (path.parent / ".stakeholder-explorer").mkdir()
    return path


@needs_fifo
@pytest.mark.parametrize("planted", ["fifo", "dev_zero"])
def test_an_export_ignores_a_fifo_or_device_as_positions_record(
    tmp_path: Path, planted: str
) -> None:
    path = small_map(tmp_path)
    record = path.parent / ".stakeholder-explorer" / "positions.json"
    if planted == "fifo":
        os.mkfifo(record)
    else:
        record.symlink_to("/dev/zero")
    result = run_cli("export", str(path), "-o", str(tmp_path / "map.json"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "map.json").stat().st_size > 0


def test_keeping_positions_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    from explorer.render.layout import record_path, record_positions

    path = small_map(tmp_path)
    folder = path.parent / ".stakeholder-explorer"
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    # A link where the temporary file and the .gitignore would be written.
    (folder / "positions.json.tmp").symlink_to(outside)
    (folder / ".gitignore").symlink_to(tmp_path / "dangling")
    record_positions(record_path(path), {"us": (1.0, 2.0)}, map_name=path.name)
    assert outside.read_text() == "keep me\n"
    assert not (tmp_path / "dangling").exists()
    assert json.loads(record_path(path).read_text())["maps"][path.name]["positions"] == {
        "us": [1.0, 2.0]
    }


def test_a_linked_hidden_folder_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    from explorer.render.layout import record_path, record_positions

    path = small_map(tmp_path)
    (path.parent / ".stakeholder-explorer").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (path.parent / ".stakeholder-explorer").symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"):
        record_positions(record_path(path), {"us": (1.0, 2.0)}, map_name=path.name)
    assert list(elsewhere.iterdir()) == []
