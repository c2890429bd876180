"""Every data format carries the whole map and gives it back: round trips and real readers."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest

import explorer
from explorer.formats import FORMATS, export_bytes, export_file, export_view, import_path
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import dump_dataset, load_dataset
from explorer.model import Dataset

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVERY_FIELD = FIXTURES / "every-field.yaml"

#: Formats that carry the whole dataset, and the extension import reads them by.
ROUND_TRIP = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".json",
    "cytoscape": ".cyjs",
    "kumu": ".xlsx",
    "kumu-csv": ".zip",
    "gml": ".gml",
}
DATA_FORMATS = [name for name, fmt in FORMATS.items() if fmt.whole]


def as_curated(dataset: Dataset) -> str:
    """The file with a sign equal to its type's left out, as the formats give it back."""
    types = dataset.vocab.relation_types
    relations = [
        r.model_copy(update={"sign": None}) if r.sign == types[r.type].sign else r
        for r in dataset.relations
    ]
    return dump_dataset(dataset.model_copy(update={"relations": relations}))


def whole_view(dataset: Dataset) -> nx.MultiDiGraph:
    return export_view(build_graph(dataset), FilterSpec(), "json")


def exported(dataset: Dataset, fmt: str, tmp_path: Path) -> Path:
    view = whole_view(dataset)
    path = tmp_path / f"out{ROUND_TRIP.get(fmt, FORMATS[fmt].extension)}"
    path.write_bytes(export_bytes(view, fmt, positions={n: (0.25, -0.5) for n in view}))
    return path


@pytest.mark.parametrize("fmt", list(ROUND_TRIP))
@pytest.mark.parametrize("source", ["every-field", "bundled"])
def test_export_then_import_gives_the_same_stakeholder_file(
    tmp_path: Path, fmt: str, source: str
) -> None:
    path = EVERY_FIELD if source == "every-field" else explorer.bundled_map()
    original = load_dataset(path)
    back = import_path(exported(original, fmt, tmp_path))
    assert dump_dataset(back.dataset) == as_curated(original)
    assert not [n for n in back.notes if "ignored" in n], back.notes


SCENARIOS = """
format: stakeholder-explorer/1
title: Two futures
sources:
  - {id: s, title: A column, published: 2021-09}
scenarios:
  - id: thaw
    title: A thaw
    description: 'The two sides talk; "maybe" | perhaps.'
    evidence: [{source: s, quote: They may talk., note: hedged}]
  - {id: war, title: Back to war, replaces_main: true}
actors:
  - {id: a, name: "Alpha | A", kind: state, aliases: ["A|1", "=SUM(A1)"], tags: ["+x"]}
  - {id: b, name: "@Beta", kind: state}
relations:
  - {source: a, target: b, type: rival_of}
  - {source: a, target: b, type: cooperates_with, status: projected, scenario: thaw}
  - {source: b, target: a, type: attacks, status: projected, scenario: war, note: "-1 then"}
"""


@pytest.mark.parametrize("fmt", list(ROUND_TRIP))
def test_scenarios_formula_text_and_bars_survive_every_round_trip(
    tmp_path: Path, write_yaml, fmt: str
) -> None:
    original = load_dataset(write_yaml(SCENARIOS))
    back = import_path(exported(original, fmt, tmp_path)).dataset
    assert dump_dataset(back) == as_curated(original)
    assert [r.scenario for r in back.relations] == [None, "thaw", "war"]
    assert back.actors[0].aliases == ["A|1", "=SUM(A1)"]


def test_data_formats_are_whole_by_default_and_pictures_show_the_default_view(
    cli_runner, tmp_path: Path
) -> None:
    path = explorer.bundled_map()
    dataset = load_dataset(path)
    default = filter_graph(build_graph(dataset), FilterSpec())
    assert default.number_of_edges() < len(dataset.relations)  # some relations have ended
    for name in ("map.json", "map.gexf", "map.svg"):
        result = cli_runner("export", str(path), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    links = json.loads((tmp_path / "map.json").read_text())["links"]
    assert len(links) == len(dataset.relations)
    assert (tmp_path / "map.gexf").read_text().count("<edge ") == len(dataset.relations)
    result = cli_runner("export", str(path), "-o", str(tmp_path / "now.json"), "--as-of", "2021-09")
    assert result.exit_code == 0, result.output
    dated = json.loads((tmp_path / "now.json").read_text())["links"]
    assert 0 < len(dated) < len(dataset.relations)
    help_text = cli_runner("export", "-h").output
    assert "every period" in help_text and "default view" in help_text


def test_the_kumu_workbook_reads_in_openpyxl_with_ids_first_and_used(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    original = load_dataset(EVERY_FIELD)
    book = load_workbook(exported(original, "kumu", tmp_path))
    assert book.sheetnames[:4] == ["Elements", "Connections", "Sources", "Vocabulary"]
    elements = list(book["Elements"].iter_rows(values_only=True))
    connections = list(book["Connections"].iter_rows(values_only=True))
    assert elements[0][:3] == ("ID", "Label", "Type")
    assert connections[0][:4] == ("ID", "From", "To", "Type")
    ids = {row[0] for row in elements[1:]}
    assert ids == {a.id for a in original.actors}
    assert {row[1] for row in connections[1:]} | {row[2] for row in connections[1:]} <= ids
    assert [row[0] for row in connections[1:]] == original.relation_ids
    north = next(row for row in elements if row[0] == "north")
    assert north[5] == "NO|0123|the north"  # text stays text: "0123" keeps its zero


def test_gexf_keeps_parallel_relations_apart_with_kind_direction_colour_and_spells(
    tmp_path: Path,
) -> None:
    import xml.etree.ElementTree as ET

    original = load_dataset(explorer.bundled_map())
    root = ET.parse(exported(original, "gexf", tmp_path)).getroot()
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    assert root.get("version") == "1.3"
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("timeformat") == "date" and graph.get("name") is None
    assert root.find("g:meta/g:title", ns).text == original.title
    edges = graph.findall("g:edges/g:edge", ns)
    assert len(edges) == len(original.relations)
    vocab = original.vocab.relation_types
    by_id = dict(zip(original.relation_ids, original.relations, strict=True))
    days = {
        k: (d["start"], d["end"]) for *_, k, d in build_graph(original).edges(keys=True, data=True)
    }
    keys = [(e.get("source"), e.get("target"), e.get("kind")) for e in edges]
    repeats = len(keys) - len(set(keys))
    genuine = len(original.relations) - len(
        {(r.source, r.target, r.type) for r in original.relations}
    )
    assert repeats == genuine  # only relations that genuinely repeat share a key
    for edge in edges:
        rel = by_id[edge.get("id")]
        assert edge.get("kind") == rel.type
        assert edge.get("label") == vocab[rel.type].label
        assert (edge.get("type") == "undirected") == (not vocab[rel.type].directed)
        colour = edge.find("viz:color", ns)
        assert colour is not None
        spell = edge.find("g:spells/g:spell", ns)
        start, end = days[edge.get("id")]  # since/until's days (a forecast starts when made)
        if start or end:
            assert spell is not None
            assert spell.get("start") == (start.isoformat() if start else None)
            assert spell.get("end") == (end.isoformat() if end else None)
        else:
            assert spell is None
        if rel.since or rel.until:
            assert spell is not None
    for attributes in graph.findall("g:attributes", ns):
        titles = [a.get("title") for a in attributes]
        assert "networkx_key" not in titles and len(titles) == len(set(titles))


def test_graphml_says_direction_per_relation_and_networkx_reads_it(tmp_path: Path) -> None:
    original = load_dataset(explorer.bundled_map())
    G = nx.read_graphml(exported(original, "graphml", tmp_path), force_multigraph=True)
    vocab = original.vocab.relation_types
    assert G.number_of_nodes() == len(original.actors)
    assert G.number_of_edges() == len(original.relations)
    for *_, d in G.edges(data=True):
        assert d["directed"] is vocab[d["type"]].directed
        assert d["label"] == vocab[d["type"]].label
    assert any(d["directed"] is False for *_, d in G.edges(data=True))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_networkx_reads_node_link_cytoscape_gml_pajek_and_dot(tmp_path: Path) -> None:
    original = load_dataset(explorer.bundled_map())
    actors, relations = len(original.actors), len(original.relations)
    data = json.loads(exported(original, "json", tmp_path).read_text())
    G = nx.node_link_graph(data, edges="links")
    assert (G.number_of_nodes(), G.number_of_edges()) == (actors, relations)
    G = nx.cytoscape_graph(json.loads(exported(original, "cytoscape", tmp_path).read_text()))
    assert (G.number_of_nodes(), G.number_of_edges()) == (actors, relations)
    G = nx.read_gml(exported(original, "gml", tmp_path))
    assert (G.number_of_nodes(), G.number_of_edges()) == (actors, relations)
    G = nx.read_pajek(exported(original, "pajek", tmp_path))
    assert (G.number_of_nodes(), G.number_of_edges()) == (actors, relations)
    pytest.importorskip("pydot", reason="networkx reads DOT through pydot (the test extra)")
    G = nx.nx_pydot.read_dot(exported(original, "dot", tmp_path))
    assert (G.number_of_nodes(), G.number_of_edges()) == (actors, relations)


def test_igraph_reads_graphml_gml_and_pajek(tmp_path: Path) -> None:
    igraph = pytest.importorskip("igraph", reason="igraph is in the test extra")
    original = load_dataset(explorer.bundled_map())
    counts = (len(original.actors), len(original.relations))
    for fmt, reader in (("graphml", "graphml"), ("gml", "gml"), ("pajek", "pajek")):
        g = igraph.Graph.Read(str(exported(original, fmt, tmp_path)), format=reader)
        assert (g.vcount(), g.ecount()) == counts, fmt


def test_every_data_format_has_a_folder_or_file_form(tmp_path: Path) -> None:
    original = load_dataset(EVERY_FIELD)
    view = whole_view(original)
    positions = {n: (0.0, 0.0) for n in view}
    for name in DATA_FORMATS:
        fmt = FORMATS[name]
        data = export_bytes(view, name, positions=positions)
        assert data, name
        if fmt.files is not None:
            assert zipfile.ZipFile(io.BytesIO(data)).namelist() == list(fmt.files(view)), name
            export_file(view, tmp_path / name, name, positions=positions)
            assert sorted(p.name for p in (tmp_path / name).iterdir()) == sorted(fmt.files(view))


def test_attributes_added_in_another_tool_are_reported_not_dropped_silently(
    tmp_path: Path,
) -> None:
    original = load_dataset(EVERY_FIELD)
    path = exported(original, "graphml", tmp_path)
    G = nx.read_graphml(path, force_multigraph=True)
    for n in G:
        G.nodes[n]["Modularity Class"] = 1  # as Gephi adds
    nx.write_graphml(G, path)
    result = import_path(path)
    assert dump_dataset(result.dataset) == as_curated(original)
    assert "ignored actor attribute 'Modularity Class' on 3 records: not a field" in result.notes


def test_cytoscape_json_ships_a_style_a_preset_layout_and_an_interaction_column(
    tmp_path: Path,
) -> None:
    original = load_dataset(explorer.bundled_map())
    data = json.loads(exported(original, "cytoscape", tmp_path).read_text())
    assert data["layout"] == {"name": "preset"}
    edges = data["elements"]["edges"]
    assert [e["data"]["interaction"] for e in edges] == [r.type for r in original.relations]
    assert all("position" in n for n in data["elements"]["nodes"])
    selectors = {rule["selector"]: rule["style"] for rule in data["style"]}
    colours = {
        selectors[f"edge[sign = '{w}']"]["line-color"] for w in ("positive", "negative", "neutral")
    }
    assert len(colours) == 3  # each sign its own colour
    assert selectors["edge[?directed]"] == {"target-arrow-shape": "triangle"}
    kinds = {a.kind for a in original.actors}
    assert all(f"node[kind = '{k}']" in selectors for k in kinds)
