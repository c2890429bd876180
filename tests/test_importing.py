"""Import: Kumu CSV and edge lists become valid stakeholder files; errors point into the CSV."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import explorer
from explorer.cli import main
from explorer.errors import DataErrors
from explorer.formats import export_bytes, export_file, import_path
from explorer.formats.builder import slugify
from explorer.formats.edgelist import read_edge_list as import_edge_list
from explorer.formats.kumu import read_kumu as import_kumu
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.model import Dataset

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WriteYaml = Callable[[str, str], Path]

TRICKY = """
format: stakeholder-explorer/1
title: Tricky text
sources:
  - {id: s1, title: "Report, with a comma", author: "O'Brien", published: 2021-03,
     url: "https://example.org/a?b=1&c=2"}
  - {id: s2, title: A second source}
vocabulary:
  actor_kinds:
    tribe: {label: Tribe, description: A tribal confederation.}
  relation_types:
    mediates_for: {label: mediates for, sign: positive, directed: true,
                   description: Carries messages.}
actors:
  - id: a
    name: "Alpha, \\"the first\\""
    kind: state
    aliases: [A, "Alpha (first)"]
    tags: [one, two]
    description: "Line one\\nline two"
  - {id: b, name: طالبان, kind: armed_group, since: 1994}
  - {id: c, name: Gamma, kind: tribe, note: "<script>x</script>"}
relations:
  - source: a
    target: b
    type: rival_of
    status: projected
    confidence: low
    strength: 3
    since: 2020-02
    until: 2021
    tags: [t]
    note: "Said \\"never\\"; then did."
    evidence:
      - {source: s1, quote: "They said, \\"no\\".", note: p. 4}
      - {source: s2, quote: "A second quote"}
  - {source: c, target: a, type: mediates_for, evidence: [{source: s2, quote: Talks.}]}
  - {source: a, target: c, type: depends_on, sign: negative}
  - {source: a, target: c, type: depends_on, sign: negative}
"""


def signature(ds: Dataset) -> dict:
    """What an equivalent dataset must keep: actors, relations, signs, types, statuses, evidence."""
    return {
        "actors": sorted(
            (a.id, a.name, a.kind, tuple(a.aliases), a.description, tuple(a.tags),
             str(a.since), str(a.until), a.note)
            for a in ds.actors
        ),
        "relations": sorted(
            (ident, r.source, r.target, r.type, ds.sign_of(r), r.status, r.confidence,
             r.strength, str(r.since), str(r.until), r.note, tuple(r.tags),
             tuple((e.source, e.quote, e.note) for e in r.evidence))
            for ident, r in zip(ds.relation_ids, ds.relations, strict=True)
        ),
        "sources": sorted(
            (s.id, s.title, s.author, str(s.published), s.url) for s in ds.sources
        ),
    }  # fmt: skip


def kumu_round_trip(ds: Dataset, tmp_path: Path) -> Dataset:
    G = build_graph(ds)
    view = filter_graph(G, FilterSpec(as_of="all"))
    path = tmp_path / "kumu.zip"
    path.write_bytes(export_bytes(view, "kumu-csv", positions={n: (0.0, 0.0) for n in view}))
    return import_kumu(path, title=ds.title).dataset


def test_kumu_export_then_import_gives_an_equivalent_dataset(
    tmp_path: Path, write_yaml: WriteYaml
) -> None:
    original = load_dataset(write_yaml(TRICKY, "tricky.yaml"))
    back = kumu_round_trip(original, tmp_path)
    assert signature(back) == signature(original)
    assert (
        back.vocab.relation_types["mediates_for"] == original.vocab.relation_types["mediates_for"]
    )
    assert back.vocab.actor_kinds["tribe"] == original.vocab.actor_kinds["tribe"]


def test_the_bundled_map_survives_kumu_export_and_import(tmp_path: Path) -> None:
    path = explorer.bundled_map()
    if not path.exists():
        pytest.skip("the bundled map is not there yet")
    original = load_dataset(path)
    assert signature(kumu_round_trip(original, tmp_path)) == signature(original)


def test_kumu_folder_imports_like_the_zip(tmp_path: Path) -> None:
    original = load_dataset(FIXTURES / "every-field.yaml")
    G = build_graph(original)
    view = filter_graph(G, FilterSpec(as_of="all"))
    export_file(view, tmp_path / "kumu", "kumu-csv", positions={n: (0.0, 0.0) for n in view})
    back = import_path(tmp_path / "kumu", title=original.title).dataset
    assert signature(back) == signature(original)


def test_imported_file_is_valid_and_loads(tmp_path: Path) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("source,target,type,sign\nUSA,Taliban,negotiates with,\nUSA,ISIS-K,,-\n")
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    assert ds.title == "Imported from edges.csv"
    assert [(a.id, a.name, a.kind) for a in ds.actors] == [
        ("usa", "USA", "group"),
        ("taliban", "Taliban", "group"),
        ("isis_k", "ISIS-K", "group"),
    ]
    assert [(r.source, r.target, r.type, ds.sign_of(r)) for r in ds.relations] == [
        ("usa", "taliban", "negotiates_with", 1),
        ("usa", "isis_k", "hostile_to", -1),
    ]


def test_edge_list_without_header_and_with_sign_words() -> None:
    data = b"A,B,supports,-\nB,C,,+1\nC,A,,\nA,C,rival_of,positive\n"
    ds = import_edge_list(data, "e.csv").dataset
    got = [(r.source, r.target, r.type, ds.sign_of(r), r.sign) for r in ds.relations]
    assert got == [
        ("a", "b", "supports", -1, "negative"),  # a sign against the type's default is kept
        ("b", "c", "supports", 1, None),  # no type: positive rows become supports
        ("c", "a", "influences", 0, None),  # no type, no sign: neutral influences
        ("a", "c", "rival_of", 1, "positive"),
    ]


def test_edge_list_ids_come_from_names_and_stay_unique() -> None:
    data = "source,target\nNorth Land,North-Land\nطالبان,North Land\n2nd Army,North Land\n"
    ds = import_edge_list(data.encode(), "e.csv").dataset
    assert [(a.id, a.name) for a in ds.actors] == [
        ("north_land", "North Land"),
        ("north_land_2", "North-Land"),
        ("actor_3", "طالبان"),
        ("a_2nd_army", "2nd Army"),
    ]


def test_slugify_keeps_letters_and_digits() -> None:
    assert slugify("Tehrik-i-Taliban Pakistan (TTP)") == "tehrik_i_taliban_pakistan_ttp"
    assert slugify("Ça va") == "ca_va"
    assert slugify("طالبان") == ""


def test_a_type_that_is_not_built_in_is_added_to_the_vocabulary_and_noted() -> None:
    result = import_edge_list(b"source,target,type,sign\nA,B,frenemy of,-\n", "e.csv")
    rtype = result.dataset.vocab.relation_types["frenemy_of"]
    assert (rtype.label, rtype.sign, rtype.directed) == ("frenemy of", "negative", True)
    assert "added relation type 'frenemy_of' to the file's vocabulary" in result.notes


def problems(call: Callable[[], object]) -> list[str]:
    with pytest.raises(DataErrors) as info:
        call()
    return str(info.value).splitlines()


def test_edge_list_errors_point_at_line_and_column() -> None:
    data = 'source,target,sign\nA,B,+\nB,,-\nC,"C",\nD,E,maybe\n"F, with\na newline",G,sideways\n'
    assert problems(lambda: import_edge_list(data.encode(), "e.csv")) == [
        "e.csv:3:3: target: empty target: name an actor",
        "e.csv:4:3: target: a relation from 'C' to itself",
        "e.csv:5:5: sign: unknown sign 'maybe'; use +, -, 0 or positive, negative, neutral",
        "e.csv:7:14: sign: unknown sign 'sideways'; use +, -, 0 or positive, negative, neutral",
    ]


def test_edge_list_header_with_an_unknown_column_is_noted_and_ignored() -> None:
    result = import_edge_list(b"source,target,weight,colour\nA,B,3,red\n", "e.csv")
    assert [r.strength for r in result.dataset.relations] == [3]
    assert any("ignored column 'colour'" in note for note in result.notes)


def test_edge_list_with_no_rows_or_bad_bytes_is_refused() -> None:
    assert problems(lambda: import_edge_list(b"source,target\n", "e.csv")) == [
        "e.csv:1:1: file: no relations: the file has no rows"
    ]
    assert problems(lambda: import_edge_list(b"source,target\nA,\xffB\n", "e.csv")) == [
        "e.csv:2:3: file: not valid UTF-8: byte 0xff"
    ]


def kumu_zip(tmp_path: Path, elements: str, connections: str) -> Path:
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("elements.csv", elements)
        archive.writestr("connections.csv", connections)
    return path


def test_kumu_errors_point_at_the_cell(tmp_path: Path) -> None:
    path = kumu_zip(
        tmp_path,
        "Label,Type\nNorth,State\nSouth,state\n,state\nNorth,state\n",
        "From,To,Type,Strength,Status,Quote,Source\n"
        "North,South,rival of,5,observed,,\n"
        "North,South,rival_of,2,maybe,,\n"
        "North,South,rival_of,2,observed,A quote,\n",
    )
    assert problems(lambda: import_kumu(path)) == [
        f"{path}/connections.csv:2:22: Strength: strength '5' is not 1, 2 or 3 or a word for one (weak, medium, strong: see docs/exports.md)",
        f"{path}/connections.csv:3:24: Status: 'maybe' is not one of 'observed' or 'projected'",
        f"{path}/connections.csv:4:41: Source: a quote with no source",
        f"{path}/elements.csv:4:1: Label: empty Label: every element needs one",
        f"{path}/elements.csv:5:1: Label: a second element labelled 'North'; give each an ID",
    ]


def test_kumu_accepts_labels_case_and_unlisted_elements(tmp_path: Path) -> None:
    path = kumu_zip(
        tmp_path,
        "label,type,tags\nNorth,State,a|b\n",
        "from,to,type,direction,strength\nNorth,Rebels,Rival Of,undirected,3\n",
    )
    result = import_kumu(path)
    ds = result.dataset
    assert [(a.id, a.kind, a.tags) for a in ds.actors] == [
        ("north", "state", ["a", "b"]),
        ("rebels", "group", []),
    ]
    assert [(r.type, r.strength) for r in ds.relations] == [("rival_of", 3)]
    assert any("'Rebels' is not in the elements sheet" in note for note in result.notes)


def test_a_zip_without_connections_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("elements.csv", "Label\nA\n")
    assert problems(lambda: import_kumu(path)) == [
        f"{path}:1:1: file: no connections.csv (Kumu's connections sheet)"
    ]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert problems(lambda: import_kumu(bad)) == [f"{bad}:1:1: file: not a zip file"]


def test_import_command_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("A,B\n")
    out = tmp_path / "map.yaml"
    out.write_text("my curated map")
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == f"{out} already exists; add --force to replace it\n"
    assert out.read_text() == "my curated map"
    result = runner.invoke(main, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert load_dataset(out).actors[0].name == "A"


def test_import_command_reports_csv_errors_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("source,target\nA,A\n")
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == f"{source}:2:3: target: a relation from 'A' to itself\n"
    assert not out.exists()


def test_import_command_writes_to_stdout(tmp_path: Path) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("A,B,ally_of\n")
    result = CliRunner().invoke(main, ["import", str(source), "-o", "-", "--title", "Two"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "printed.yaml"
    out.write_text(result.stdout)
    ds = load_dataset(out)
    assert (ds.title, [r.type for r in ds.relations]) == ("Two", ["ally_of"])


def test_only_cr_and_lf_end_a_csv_line() -> None:
    data = "source,target,sign\r\nA\u2028B,C,+\r\nC,D,what\r\n".encode()
    assert problems(lambda: import_edge_list(data, "e.csv")) == [
        "e.csv:3:5: sign: unknown sign 'what'; use +, -, 0 or positive, negative, neutral"
    ]
