"""Exports: images people can read, data other tools read back, files never half written."""

from __future__ import annotations

import json
import os
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from conftest import RunCli

import explorer
from explorer.errors import ExportError
from explorer.formats import (
    FORMATS,
    default_caption,
    export_bytes,
    export_file,
    format_for_path,
    write_atomic,
)
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render.layout import layout_positions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVERY_FIELD = FIXTURES / "every-field.yaml"
SVG = "{http://www.w3.org/2000/svg}"

WriteYaml = Callable[[str, str], Path]

HOSTILE = """
format: stakeholder-explorer/1
title: "<script>window.pwned = 1</script> map"
sources:
  - id: s
    title: "<img src=x onerror=alert(1)> report"
    url: "javascript:alert(1)"
actors:
  - id: a
    name: "<script>window.pwned = 1</script>"
    kind: person
    description: "Quote \\" and backslash \\\\ here"
  - id: b
    name: "<img src=x onerror=window.pwned=2>"
    kind: group
relations:
  - source: a
    target: b
    type: supports
    evidence:
      - source: s
        quote: "</text><script>alert(1)</script>"
"""


def view_of(path: Path, spec: FilterSpec | None = None) -> tuple[nx.MultiDiGraph, dict]:
    """The filtered view of a file and the full map's positions."""
    G = build_graph(load_dataset(path))
    return filter_graph(G, spec or FilterSpec()), layout_positions(G, seed=7)


@pytest.fixture
def every() -> tuple[nx.MultiDiGraph, dict]:
    return view_of(EVERY_FIELD, FilterSpec(as_of="all"))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_texts(data: bytes) -> list[str]:
    """Every piece of text in an SVG, as a reader sees it (a label on several lines is
    whole in its group's title)."""
    root = ET.fromstring(data)
    return [
        "".join(node.itertext()) for tag in ("text", "title") for node in root.iter(f"{SVG}{tag}")
    ]


# --- images --------------------------------------------------------------------------------


def test_png_is_written_at_twice_the_pixel_size_by_default(every: tuple) -> None:
    view, positions = every
    assert png_size(export_bytes(view, "png", positions=positions)) == (
        2000,
        2000,
    )  # 1000 x 1000 at 2x
    small = export_bytes(view, "png", positions=positions, size=(800, 500), dpi=100)
    assert png_size(small) == (800, 500)


def test_svg_keeps_every_visible_actor_name_as_text() -> None:
    path = explorer.bundled_map()
    if not path.exists():
        pytest.skip("the bundled map is not there yet")
    spec = FilterSpec(statuses=("observed",))
    view, positions = view_of(path, spec)
    texts = svg_texts(export_bytes(view, "svg", positions=positions, spec=spec))
    names = [d["name"] for _, d in view.nodes(data=True)]
    assert names and all(name in texts for name in names)


def test_every_format_gives_the_same_bytes_for_the_same_view_and_seed(every: tuple) -> None:
    view, positions = every
    for fmt in FORMATS:
        assert export_bytes(view, fmt, positions=positions) == export_bytes(
            view, fmt, positions=positions
        ), fmt


def test_caption_names_the_dataset_the_filters_and_the_sources_cited() -> None:
    spec = FilterSpec(as_of="all", types=("rival_of",))
    view, positions = view_of(EVERY_FIELD, spec)
    caption = default_caption(view, spec)
    assert "Data: Every field of the format." in caption
    assert (
        "Shown: 3 of 3 actors, 1 of 3 relations (filters: types: rival_of; as of: all); "
        "all periods." in caption
    )
    assert "Sources: A memo (2020)." in caption
    default = default_caption(view_of(EVERY_FIELD)[0])
    assert "no filters" not in default
    assert "relations; as of 2021-09, the latest date in the file: 1 ended relation hidden." in (
        default
    )
    texts = " ".join(svg_texts(export_bytes(view, "svg", positions=positions, spec=spec)))
    assert "types: rival_of" in texts and "A memo (2020)" in texts
    assert "A report" not in texts  # cited only by relations the view hides


def test_hostile_text_stays_text_in_svg(write_yaml: WriteYaml) -> None:
    view, positions = view_of(write_yaml(HOSTILE, "hostile.yaml"))
    data = export_bytes(view, "svg", positions=positions)
    root = ET.fromstring(data)  # still well-formed XML
    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter(f"{SVG}a"))  # no links at all, so no javascript: link
    assert not list(root.iter(f"{SVG}image"))
    texts = svg_texts(data)
    assert "<script>window.pwned = 1</script>" in texts
    assert "<img src=x onerror=window.pwned=2>" in texts


def test_dollar_signs_are_not_read_as_mathematics(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        """
        format: stakeholder-explorer/1
        title: Money
        actors:
          - {id: a, name: "$5 fund $", kind: organization}
        """
    )
    view, positions = view_of(path)
    assert "$5 fund $" in svg_texts(export_bytes(view, "svg", positions=positions))


def test_hostile_text_is_escaped_in_the_html_page(write_yaml: WriteYaml) -> None:
    view, positions = view_of(write_yaml(HOSTILE, "hostile.yaml"))
    page = export_bytes(view, "html", positions=positions).decode("utf-8")
    assert "<script>window.pwned" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_html_page_loads_nothing_from_the_network(every: tuple) -> None:
    view, positions = every
    page = export_bytes(view, "html", positions=positions).decode("utf-8")
    for needle in ('src="http', "src='http", 'href="http', "@import", "url(http"):
        assert needle not in page


# --- the registry ------------------------------------------------------------------------


def test_every_file_format_has_an_extension_that_names_it() -> None:
    for name, fmt in FORMATS.items():
        if name != "neo4j":  # a folder of CSVs (or a zip of them): named by --format
            assert format_for_path(f"out/map{fmt.extension.upper()}") == name


def test_an_unknown_extension_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ExportError, match=r"map\.txt: extension '\.txt' names no export format"):
        format_for_path("map.txt")


# --- files ---------------------------------------------------------------------------------


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path, every: tuple) -> None:
    view, positions = every
    out = tmp_path / "map.svg"
    out.write_text("precious")
    with pytest.raises(ExportError, match="already exists; add --force"):
        export_file(view, out, positions=positions)
    assert out.read_text() == "precious"
    export_file(view, out, positions=positions, force=True)
    assert out.read_bytes().startswith(b"<?xml")


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_debris(tmp_path: Path) -> None:
    out = tmp_path / "map.graphml"
    out.write_text("the old export")

    def chunks() -> Iterator[bytes]:
        yield b"<graphml>half of it"
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="cannot write .*map.graphml: No space left on device"):
        write_atomic(out, chunks(), force=True)
    assert out.read_text() == "the old export"
    assert os.listdir(tmp_path) == ["map.graphml"]


def test_a_failed_sync_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "map.json"
    out.write_text("old")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ExportError, match="Input/output error"):
        write_atomic(out, b"new", force=True)
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["map.json"]


def test_kumu_goes_to_a_folder_when_the_name_has_no_zip_extension(
    tmp_path: Path, every: tuple
) -> None:
    view, positions = every
    folder = tmp_path / "kumu"
    export_file(view, folder, "kumu-csv", positions=positions)
    assert sorted(p.name for p in folder.iterdir()) == [
        "connections.csv",
        "elements.csv",
        "map.csv",
        "sources.csv",
        "vocabulary.csv",
    ]
    (folder / "elements.csv").write_text("edited")
    with pytest.raises(ExportError, match="already exists"):
        export_file(view, folder, "kumu-csv", positions=positions)
    assert (folder / "elements.csv").read_text() == "edited"
    export_file(view, folder, "kumu-csv", positions=positions, force=True)
    assert (folder / "elements.csv").read_text().startswith("ID,Label,Type")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kumu"]


# --- the command ---------------------------------------------------------------------------


def test_export_command_writes_the_filtered_view(cli_runner: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "map.graphml"
    result = cli_runner(
        "export", str(EVERY_FIELD), "-o", str(out), "--as-of", "all", "--types", "rival_of"
    )
    assert result.exit_code == 0, result.output
    back = nx.read_graphml(out, force_multigraph=True)
    assert sorted(back.edges(keys=True)) == [("north", "south", "north__rival_of__south")]


def test_export_command_refuses_to_replace_a_file_without_force(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    result = cli_runner("export", str(EVERY_FIELD), "-o", str(out))
    assert result.exit_code == 1
    assert result.output == f"{out} already exists; add --force to replace it\n"
    assert out.read_bytes() == b"old"
    result = cli_runner("export", str(EVERY_FIELD), "-o", str(out), "--force", "--size", "640x480")
    assert result.exit_code == 0, result.output
    assert png_size(out.read_bytes()) == (1280, 960)


def test_export_command_writes_text_formats_to_stdout(cli_runner: RunCli) -> None:
    result = cli_runner("export", str(EVERY_FIELD), "-o", "-", "--format", "json", "--as-of", "all")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["nodes"]) == 3 and len(data["links"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "-", "--format", "png"], "Error: png is binary; write it to a file, not to stdout"),
        (["-o", "-"], "Error: writing to stdout ('-o -') needs --format"),
        (["-o", "map.txt"], "Error: map.txt: extension '.txt' names no export format"),
        (["-o", "map.png", "--size", "big"], "Error: Invalid value: 'big' is not WxH in pixels"),
        (["-o", "map.png", "--layout", "nope"], "'nope' is not one of camps, spring"),
    ],
)
def test_export_command_usage_errors(cli_runner: RunCli, args: list[str], message: str) -> None:
    result = cli_runner("export", str(EVERY_FIELD), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_export_command_reports_bad_data_with_its_position(
    cli_runner: RunCli, tmp_path: Path, write_yaml: WriteYaml
) -> None:
    path = write_yaml(
        """
        format: stakeholder-explorer/1
        title: Broken
        actors:
          - {id: a, name: A, kind: stat}
        """
    )
    result = cli_runner("export", str(path), "-o", str(tmp_path / "out.png"))
    assert result.exit_code == 1
    assert f"{path}:4:28: actors[0].kind: unknown actor kind 'stat'" in result.output
    assert not (tmp_path / "out.png").exists()


def test_export_command_sizes_actors_by_a_measure(cli_runner: RunCli, tmp_path: Path) -> None:
    plain_svg, sized_svg = tmp_path / "plain.svg", tmp_path / "sized.svg"
    assert cli_runner("export", str(EVERY_FIELD), "-o", str(plain_svg)).exit_code == 0
    result = cli_runner("export", str(EVERY_FIELD), "-o", str(sized_svg), "--size-by", "degree")
    assert result.exit_code == 0, result.output
    assert plain_svg.read_bytes() != sized_svg.read_bytes()
    result = cli_runner("export", str(EVERY_FIELD), "-o", str(sized_svg), "--size-by", "fame")
    assert result.exit_code == 2
    assert "'fame' is not one of degree" in result.output


def test_caption_names_eight_sources_and_counts_the_rest(tmp_path: Path) -> None:
    sources = "\n".join(f"  - {{id: s{i:02}, title: Source {i:02}}}" for i in range(11))
    relations = "\n".join(
        f"  - {{source: a, target: b, type: supports, evidence: [{{source: s{i:02}, quote: q}}]}}"
        for i in range(11)
    )
    path = tmp_path / "many.yaml"
    path.write_text(
        "format: stakeholder-explorer/1\ntitle: Many\n"
        f"sources:\n{sources}\n"
        "actors:\n  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\n"
        f"relations:\n{relations}\n"
    )
    view, _ = view_of(path)
    last = default_caption(view).splitlines()[-1]
    assert last == "Sources: " + "; ".join(f"Source {i:02}" for i in range(8)) + "; and 3 more."


def test_a_png_too_big_to_draw_is_refused_before_drawing(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "huge.png"
    result = cli_runner("export", str(EVERY_FIELD), "-o", str(out), "--size", "12000x9000")
    assert result.exit_code == 1
    assert result.output == (
        "a 24000x18000 PNG is over the limit of 100,000,000 pixels; "
        "lower --size or --dpi, or export SVG or PDF\n"
    )
    assert not out.exists()


# --- nothing the user had is lost ----------------------------------------------------------


def test_a_forced_kumu_folder_export_keeps_every_file_it_did_not_write(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    map_file = folder / "map.yaml"
    map_file.write_bytes(EVERY_FIELD.read_bytes())
    (folder / "notes.txt").write_text("my notes")
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.txt").write_text("deep")
    (folder / "elements.csv").write_text("old elements")
    result = cli_runner(
        "export", str(map_file), "-o", str(folder), "--format", "kumu-csv", "--force"
    )
    assert result.exit_code == 0, result.output
    assert map_file.read_bytes() == EVERY_FIELD.read_bytes()
    assert (folder / "notes.txt").read_text() == "my notes"
    assert (folder / "sub" / "deep.txt").read_text() == "deep"
    assert (folder / "elements.csv").read_text().startswith("ID,Label,Type")
    assert sorted(p.name for p in folder.iterdir()) == [
        "connections.csv",
        "elements.csv",
        "map.csv",
        "map.yaml",
        "notes.txt",
        "sources.csv",
        "sub",
        "vocabulary.csv",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_forced_export_through_a_symlinked_folder_leaves_no_debris(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):
        result = cli_runner(
            "export", str(EVERY_FIELD), "-o", str(link), "--format", "kumu-csv", "--force"
        )
        assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
    assert (real / "keep.txt").read_text() == "keep"
    assert (real / "elements.csv").exists()


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_an_export_never_replaces_its_input_even_with_force(
    cli_runner: RunCli, tmp_path: Path, how: str
) -> None:
    map_file = tmp_path / "map.json"
    map_file.write_bytes(EVERY_FIELD.read_bytes())
    out = {"same": map_file, "symlink": tmp_path / "out.json", "hardlink": tmp_path / "h.json"}[how]
    if how == "symlink":
        out.symlink_to(map_file)
    elif how == "hardlink":
        os.link(map_file, out)
    result = cli_runner("export", str(map_file), "-o", str(out), "--force", "--format", "json")
    assert result.exit_code == 1
    assert f"is the input {map_file}" in result.output
    assert map_file.read_bytes() == EVERY_FIELD.read_bytes()


def test_a_kumu_folder_export_never_replaces_an_input_inside_it(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "kumu"
    folder.mkdir()
    map_file = folder / "elements.csv"  # an odd name for a map, but the user's file
    map_file.write_bytes(EVERY_FIELD.read_bytes())
    result = cli_runner(
        "export", str(map_file), "-o", str(folder), "--format", "kumu-csv", "--force"
    )
    assert result.exit_code == 1
    assert f"is the input {map_file}" in result.output
    assert map_file.read_bytes() == EVERY_FIELD.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["elements.csv"]


def test_an_import_never_replaces_its_source_even_with_force(
    cli_runner: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("source,target\nA,B\n")
    result = cli_runner("import", str(source), "-o", str(source), "--force")
    assert result.exit_code == 1
    assert f"is the input {source}" in result.output
    assert source.read_text() == "source,target\nA,B\n"
