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
from explorer.load import dump_dataset, load_dataset
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
    view = filter_graph(G, FilterSpec(as_of="all", scenario="all"))
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


# --- the spreadsheets users make -------------------------------------------------------------


def relations_of(result: object) -> list[tuple[str, str, str]]:
    ds = result.dataset  # type: ignore[attr-defined]
    return [(r.source, r.target, r.type) for r in ds.relations]


@pytest.mark.parametrize(
    "text",
    [
        "source;target;type\nUSA;Taliban;rival of\nUSA;Pakistan;supports\n",
        "source\ttarget\ttype\nUSA\tTaliban\trival of\nUSA\tPakistan\tsupports\n",
        "Source Actor,Target Actor,Relationship\nUSA,Taliban,rival of\nUSA,Pakistan,supports\n",
        "FROM,To,Relation Type,,,\nUSA,Taliban,rival of,,,\n,,,,,\nUSA,Pakistan,supports,,\n\n",
        "Relationship;Target;Source\nrival of;Taliban;USA\nsupports;Pakistan;USA\n",
    ],
    ids=["semicolon", "tab", "excel-header", "trailing-columns-and-rows", "any-order"],
)
def test_edge_lists_as_spreadsheets_write_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(text, encoding="utf-8")
    result = import_path(path)
    assert relations_of(result) == [
        ("usa", "taliban", "rival_of"),
        ("usa", "pakistan", "supports"),
    ]
    assert [a.name for a in result.dataset.actors] == ["USA", "Taliban", "Pakistan"]


def test_a_header_that_names_no_source_is_an_error_never_data(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("Weight,Target,Notes\n3,Taliban,x\n", encoding="utf-8")
    assert problems(lambda: import_path(path)) == [
        f"{path}:1:1: header: the header row names no source column; name it (source/from, "
        "target/to) or give --columns 'Header=source,Other=target'"
    ]


def test_columns_name_an_unknown_header(cli_runner, tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("Actor A,Actor B,Link\nUSA,Taliban,rival of\n", encoding="utf-8")
    out = tmp_path / "map.yaml"
    args = [
        "import",
        str(path),
        "-o",
        str(out),
        "--columns",
        "Actor A=source,Actor B=target,Link=type",
    ]
    result = cli_runner(*args)
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    assert [(r.source, r.target, r.type) for r in ds.relations] == [("usa", "taliban", "rival_of")]
    result = cli_runner("import", str(path), "-o", str(out), "--force", "--columns", "nonsense")
    assert result.exit_code == 2 and "'nonsense' is not HEADER=ROLE" in result.output


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_edge_list_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "edges.xlsx",
        {
            "Links": [
                ["Source", "Target", "Weight", None],
                ["USA", "Taliban", 3],
                [],
                ["B", "C", 1],
            ],
            "Other": [["ignored"]],
        },
    )
    result = import_path(path)
    assert relations_of(result) == [("usa", "taliban", "influences"), ("b", "c", "influences")]
    assert [r.strength for r in result.dataset.relations] == [3, 1]


def test_xlsx_errors_name_the_sheet_and_cell(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "kumu.xlsx",
        {
            "Elements": [["ID", "Label"], ["a", "Alpha"], ["b", "Beta"]],
            "Connections": [["From", "To", "Strength"], ["a", "b", "huge"], ["a", None, 2]],
        },
    )
    assert problems(lambda: import_path(path)) == [
        f"{path}:2:3: Connections!C2: Strength: strength 'huge' is not 1, 2 or 3 or a word for one (weak, medium, strong: see docs/exports.md)",
        f"{path}:3:2: Connections!B3: To: empty To: name an element",
    ]


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("map.pdf", b"%PDF-1.4", "extension '.pdf'"),
        ("edges.xlsx", b"source,target\nA,B\n", "not an .xlsx workbook inside"),
        ("edges.csv", b"PK\x03\x04rest of a zip", "zip content in a .csv file"),
        ("edges.csv", b'<?xml version="1.0"?><graphml/>', "xml content in a .csv file"),
        ("map.json", b'{"hello": "world"}', "JSON that is neither"),
        ("map", b"a,b", "no extension"),
    ],
)
def test_anything_else_gets_one_unsupported_format_error(
    tmp_path: Path, name: str, data: bytes, what: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    found = problems(lambda: import_path(path))
    assert len(found) == 1
    assert found[0].startswith(f"{path}:1:1: file: unsupported format (") and what in found[0]
    assert "import reads .csv, .cyjs, .gexf, .gml, .graphml, .json" in found[0]


# --- what Kumu itself writes -----------------------------------------------------------------


def test_kumus_own_values_import(tmp_path: Path) -> None:
    path = kumu_zip(
        tmp_path,
        "ID,Label,Type\nelem-1,Alpha,State\nelem-2,Beta,Person\nElem 3,Gamma,Organization\n",
        "ID,From,To,Type,Strength,Direction\n"
        "conn-1,elem-1,elem-2|Elem 3,supports,Strong,directed\n"
        "conn-2,Beta,Gamma,rival of,weak,mutual\n",
    )
    result = import_kumu(path)
    ds = result.dataset
    assert [a.id for a in ds.actors] == ["elem_1", "elem_2", "elem_3"]
    assert [(r.id, r.source, r.target, r.strength) for r in ds.relations] == [
        ("conn_1", "elem_1", "elem_2", 3),
        ("conn_1_2", "elem_1", "elem_3", 3),
        ("conn_2", "elem_2", "elem_3", 1),
    ]
    assert any(n.startswith("made 5 ids valid") for n in result.notes), result.notes
    assert any("To names 2 elements; made one relation to each" in n for n in result.notes)


def test_kumus_json_blueprint_imports(tmp_path: Path) -> None:
    blueprint = {
        "elements": [
            {"_id": "elem-a", "attributes": {"label": "Alpha", "element type": "State", "tags": ["x"]}},
            {"_id": "elem-b", "attributes": {"label": "Beta", "element type": "Person", "score": 4}},
        ],
        "connections": [
            {"_id": "conn-1", "from": "elem-a", "to": "elem-b", "direction": "directed",
             "attributes": {"connection type": "supports", "strength": "medium"}},
        ],
    }  # fmt: skip
    path = tmp_path / "kumu.json"
    path.write_text(__import__("json").dumps(blueprint), encoding="utf-8")
    result = import_path(path)
    ds = result.dataset
    assert [(a.id, a.name, a.kind, a.tags) for a in ds.actors] == [
        ("elem_a", "Alpha", "state", ["x"]),
        ("elem_b", "Beta", "person", []),
    ]
    assert [(r.id, r.source, r.target, r.type, r.strength) for r in ds.relations] == [
        ("conn_1", "elem_a", "elem_b", "supports", 2)
    ]
    assert "ignored Kumu attribute 'score' on 1 records: not a field" in result.notes


# --- formula injection -----------------------------------------------------------------------


def test_kumu_csv_neutralises_formulas_but_never_numbers_and_import_undoes_it(
    tmp_path: Path, write_yaml: WriteYaml
) -> None:
    original = load_dataset(
        write_yaml(
            """
            format: stakeholder-explorer/1
            title: "=HYPERLINK(\\"https://evil.example\\", \\"x\\")"
            actors:
              - {id: a, name: "=cmd|' /C calc'!A0", kind: state, tags: ["+1", "-x", "@SUM(A1)"]}
              - {id: b, name: "'=already quoted", kind: state, description: "plain"}
              - {id: c, name: "-1", kind: state, note: "it's fine = not first"}
            relations:
              - {source: a, target: b, type: rival_of, strength: 3, note: "@risk"}
              - {source: b, target: c, type: supports}
            """
        )
    )
    view = filter_graph(build_graph(original), FilterSpec(as_of="all"))
    data = export_bytes(view, "kumu-csv", positions={n: (0.0, 0.0) for n in view})
    archive = zipfile.ZipFile(__import__("io").BytesIO(data))
    elements = archive.read("elements.csv").decode()
    connections = archive.read("connections.csv").decode()
    assert "'=cmd|' /C calc'!A0" in elements
    assert "'+1|-x|@SUM(A1)" in elements  # the cell starts with +, so it is neutralised
    assert "''=already quoted" in elements  # a typed ' before = is kept, prefixed once more
    assert ",'-1," in elements
    assert ",3," in connections and ",'3," not in connections  # numbers never
    assert "'@risk" in connections
    mapped = archive.read("map.csv").decode()
    assert "'=HYPERLINK" in mapped
    path = tmp_path / "k.zip"
    path.write_bytes(data)
    back = import_path(path).dataset
    assert dump_dataset(back) == dump_dataset(original)
    book = __import__("openpyxl").load_workbook(
        __import__("io").BytesIO(
            export_bytes(view, "kumu", positions={n: (0.0, 0.0) for n in view})
        )
    )
    cell = book["Elements"]["B2"]
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"  # text, not a formula


# --- hostile sizes stay quick and positioned ---------------------------------------------------


def test_an_unclosed_quote_in_a_big_csv_is_one_positioned_error(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = "".join(f"A{n},B{n},supports\n" for n in range(60_000))
    path.write_text("source,target,type\n" + rows + 'X,"never closed,supports\n' + rows[:200_000])
    assert path.stat().st_size > 1_500_000
    assert problems(lambda: import_path(path)) == [
        f"{path}:60002:3: file: a quoted cell starts here and is never closed (a missing '\"')"
    ]


def test_twenty_thousand_names_that_slug_alike_get_numbered_ids() -> None:
    names = [f"North-Land {chr(0x4E00 + n)}" for n in range(20_000)]  # CJK slugs to nothing
    data = ("source,target\n" + "".join(f"Hub,{name}\n" for name in names)).encode()
    ds = import_edge_list(data, "e.csv").dataset
    ids = [a.id for a in ds.actors]
    assert len(ids) == len(set(ids)) == 20_001
    assert ids[:3] == ["hub", "north_land", "north_land_2"]


def test_a_five_thousand_digit_strength_is_a_positioned_error() -> None:
    data = ("source,target,strength\nA,B," + "9" * 5000 + "\n").encode()
    found = problems(lambda: import_edge_list(data, "e.csv"))
    assert len(found) == 1 and found[0].startswith("e.csv:2:5: strength: strength '9999")
    assert len(found[0]) < 300


def test_a_quote_inside_an_unquoted_cell_is_text_and_no_row_is_lost() -> None:
    # Only a quote that begins a cell opens a quoted cell (as in Python's csv module). A quote
    # inside a cell once joined the following lines to its record, whose rows then vanished
    # without a word until a later quote "closed" it.
    data = (
        b"source,target,strength\n"
        b'A 5" gun,B,2\n'
        b"C,D,2\n"
        b"E,F,9\n"
        b'"G","H ""the"" second",2\n'
        b'I,"J\nK",2\n'
    )
    ds = import_edge_list(data.replace(b"E,F,9", b"E,F,2"), "e.csv").dataset
    assert len(ds.relations) == 5
    assert (ds.relations[0].source, ds.relations[0].target) == ("a_5_gun", "b")
    assert ds.actors[0].name == 'A 5" gun'
    assert {a.name for a in ds.actors} >= {"C", "D", "E", "F", 'H "the" second', "J\nK"}
    # The cells after such a quote are found at their own columns.
    assert problems(lambda: import_edge_list(data, "e.csv")) == [
        "e.csv:4:5: strength: strength '9' is not 1, 2 or 3 or a word for one "
        "(weak, medium, strong: see docs/exports.md)"
    ]
    late = b'source,target\nA 5" gun,B\nC,D\n"E,F\nG,H\n'
    assert problems(lambda: import_edge_list(late, "e.csv")) == [
        "e.csv:4:1: file: a quoted cell starts here and is never closed (a missing '\"')"
    ]


@pytest.mark.parametrize("fmt", ["json", "cytoscape"])
def test_a_five_thousand_digit_number_in_json_is_a_positioned_error(
    tmp_path: Path, fmt: str
) -> None:
    ds = load_dataset(FIXTURES / "across.yaml")
    view = filter_graph(build_graph(ds), FilterSpec(as_of="all", scenario="all"))
    path = tmp_path / ("map.json" if fmt == "json" else "map.cyjs")
    text = export_bytes(view, fmt, positions={n: (0.0, 0.0) for n in view}).decode("utf-8")
    at = text.index('"strength": ') + len('"strength": ')
    text = text[:at] + "9" * 5000 + text[at + 1 :]
    path.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    col = at - text.rfind("\n", 0, at)
    assert problems(lambda: import_path(path)) == [
        f"{path}:{line}:{col}: file: a number of 5,000 digits; no field holds one that long"
    ]


def test_a_workbook_with_a_late_dtd_or_broken_sheet_xml_is_one_error(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"Edges": [["source", "target"], ["A", "B"]]})
    entities = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
    )

    def rewrite(name: str, change: Callable[[bytes], bytes]) -> Path:
        out = tmp_path / name
        with zipfile.ZipFile(good) as old, zipfile.ZipFile(out, "w") as new:
            for info in old.infolist():
                data = old.read(info)
                new.writestr(info, change(data) if "worksheets/" in info.filename else data)
        return out

    # A comment pushes the DTD past the first 4 KB, where it once went unchecked.
    late = rewrite(
        "late.xlsx",
        lambda d: b'<?xml version="1.0"?><!--' + b" " * 5000 + b"-->" + entities.encode()
        + d.replace(b"<t>A</t>", b"<t>&i;</t>"),
    )  # fmt: skip
    broken = rewrite("broken.xlsx", lambda d: d.replace(b"</sheetData>", b"</sheetDat>"))
    assert problems(lambda: import_path(late)) == [
        f"{late}:1:1: file: holds a DTD; not a workbook we read"
    ]
    found = problems(lambda: import_path(broken))
    assert len(found) == 1 and found[0].startswith(
        f"{broken}:1:1: file: not a readable .xlsx workbook (mismatched tag"
    )


# --- import into an existing file ------------------------------------------------------------

CURATED = """\
# My curated map: these comments must survive an import.
format: stakeholder-explorer/1
title: Curated
sources:
  - id: s
    title: A report
actors:
  - id: a  # the first
    name: Alpha
    kind: state
  - id: b
    name: Beta
    kind: state
  - id: c
    name: Gamma
    kind: group
relations:
  - source: a
    target: b
    type: rival_of
    evidence:
      - {source: s, quote: They compete.}
  - source: b
    target: c
    type: supports
"""


def test_import_into_applies_the_differences_keeps_comments_and_undoes(
    cli_runner, tmp_path: Path
) -> None:
    target = tmp_path / "map.yaml"
    target.write_text(CURATED, encoding="utf-8")
    graphml = tmp_path / "edited.graphml"
    assert cli_runner("export", str(target), "-o", str(graphml)).exit_code == 0
    # As if edited in another tool: rename an actor, drop a relation, add one.
    text = graphml.read_text(encoding="utf-8")
    text = text.replace(">Gamma<", ">Gamma Group<")
    G = __import__("networkx").read_graphml(__import__("io").StringIO(text), force_multigraph=True)
    G.remove_edge("b", "c", key="b__supports__c")
    G.add_edge("c", "a", key="c__attacks__a", id="c__attacks__a", type="attacks", strength=3)
    __import__("networkx").write_graphml(G, graphml)
    result = cli_runner("import", str(graphml), "--into", str(target))
    assert result.exit_code == 0, result.output
    assert f"{target}: added 1: relation:c__attacks__a" in result.output
    assert f"{target}: changed 1: actor:c" in result.output
    assert f"{target}: removed 1: relation:b__supports__c" in result.output
    after = target.read_text(encoding="utf-8")
    assert "# My curated map: these comments must survive an import." in after
    assert "id: a  # the first" in after
    ds = load_dataset(target)
    assert [a.name for a in ds.actors] == ["Alpha", "Beta", "Gamma Group"]
    assert [(r.source, r.target, r.type) for r in ds.relations] == [
        ("a", "b", "rival_of"),
        ("c", "a", "attacks"),
    ]
    assert cli_runner("undo", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == CURATED
    again = cli_runner("import", str(graphml), "-o", str(target), "--into", str(target))
    assert again.exit_code == 2 and "either -o OUTPUT" in again.output


# --- the corpus of hostile files to import ---------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
IMPORT_CASES = sorted(p for p in CORPUS.glob("import_*") if p.suffix != ".expected")


def test_the_import_corpus_has_its_cases() -> None:
    assert len(IMPORT_CASES) >= 8


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c.name for c in IMPORT_CASES])
def test_each_hostile_import_gets_exactly_its_expected_errors(
    cli_runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: Path
) -> None:
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_MAX_BYTES", "1000000")
    text = case.with_suffix(".expected").read_text(encoding="utf-8")
    want = [line.replace("tests/bad_inputs/", f"{CORPUS}/", 1) for line in text.splitlines()]
    assert problems(lambda: import_path(case)) == want
    out = tmp_path / "out.yaml"
    result = cli_runner("import", str(case), "-o", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines() == want and not out.exists()


def test_a_control_character_in_an_actors_name_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"source,target,type\nq,r,ally_of\ns,x\x01y,ally_of\n")
    with pytest.raises(DataErrors) as caught:
        import_path(str(path))
    (problem,) = caught.value.problems
    assert (problem.line, problem.col, problem.where) == (3, 3, "target")
    assert problem.message.startswith("control character U+0001")
