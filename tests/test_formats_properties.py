"""Any text the model accepts comes out of every data format well-formed and comes back.

Names, descriptions, aliases, notes and quotes get quotes, backslashes, ``|``, ``;``,
line breaks, formula starts, right-to-left and non-BMP characters; each format is parsed
back with a real reader (and our import, where the format carries the whole dataset).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from explorer.formats import export_bytes, export_view, import_path
from explorer.formats.kumu import unneutralise
from explorer.graph import FilterSpec, build_graph
from explorer.load import dump_dataset
from explorer.model import FORMAT, Dataset

TRICKY = ['"', "'", "\\", "|", ";", ",", "\n", "\t", "=", "+", "-", "@", "<", "&", "]]>",
          "\u2028", "\u202e", "\u0627", "\U0001f600", "\U00020000", "{", "}", "$", "%", "#", " "]  # fmt: skip
text = st.lists(
    st.one_of(
        st.sampled_from(TRICKY),
        st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=8,
).map("".join)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    names = draw(st.lists(text, min_size=2, max_size=3, unique_by=lambda s: s.strip()))
    raw = {
        "format": FORMAT,
        "title": "T" + draw(text),
        "description": "D" + draw(text),
        "sources": [{"id": "s", "title": "S" + draw(text)}],
        "actors": [
            {"id": f"a{i}", "name": "N" + name, "kind": "state", "aliases": ["A" + draw(text)],
             "tags": ["T" + draw(text)], "note": "X" + draw(text)}
            for i, name in enumerate(names)
        ],
        "relations": [
            {"source": "a0", "target": "a1", "type": "rival_of", "note": "X" + draw(text),
             "evidence": [{"source": "s", "quote": "Q" + draw(text), "note": "X" + draw(text)}]},
            {"source": "a1", "target": "a0", "type": "supports", "tags": ["T" + draw(text)]},
        ],
    }  # fmt: skip
    try:
        return Dataset.model_validate(raw)
    except ValidationError:
        assume(False)
        raise


def exported(dataset: Dataset, fmt: str) -> bytes:
    view = export_view(build_graph(dataset), FilterSpec(), fmt)
    return export_bytes(view, fmt, positions={n: (0.5, 0.5) for n in view})


PROPERTY = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WHOLE = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cytoscape": ".cyjs",
         "kumu": ".xlsx", "kumu-csv": ".zip", "gml": ".gml"}  # fmt: skip


def as_curated(dataset: Dataset) -> str:
    types = dataset.vocab.relation_types
    relations = [
        r.model_copy(update={"sign": None}) if r.sign == types[r.type].sign else r
        for r in dataset.relations
    ]
    return dump_dataset(dataset.model_copy(update={"relations": relations}))


@pytest.mark.parametrize("fmt", list(WHOLE))
@PROPERTY
@given(dataset=datasets())
def test_every_whole_format_parses_and_gives_the_text_back(tmp_path_factory, fmt, dataset) -> None:
    data = exported(dataset, fmt)
    if fmt in ("graphml", "gexf"):
        ET.fromstring(data)  # well-formed XML
    if fmt == "graphml":
        G = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        assert sorted(d["name"] for _, d in G.nodes(data=True)) == sorted(
            a.name for a in dataset.actors
        )
    if fmt in ("json", "cytoscape"):
        json.loads(data)
    if fmt == "gml":
        G = nx.parse_gml(data.decode("ascii"))
        assert sorted(d["name"] for _, d in G.nodes(data=True)) == sorted(
            a.name for a in dataset.actors
        )
    if fmt == "kumu-csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rows = list(csv.reader(io.StringIO(archive.read("elements.csv").decode())))
        assert sorted(unneutralise(r[1]) for r in rows[1:]) == sorted(
            a.name for a in dataset.actors
        )
    path = tmp_path_factory.mktemp(fmt) / f"map{WHOLE[fmt]}"
    path.write_bytes(data)
    assert dump_dataset(import_path(path).dataset) == as_curated(dataset)


@PROPERTY
@given(dataset=datasets())
def test_pajek_names_come_back_with_only_quotes_and_breaks_changed(dataset: Dataset) -> None:
    G = nx.parse_pajek(exported(dataset, "pajek").decode("utf-8"))
    assert G.number_of_nodes() == len(dataset.actors)
    assert G.number_of_edges() == len(dataset.relations)
    for actor in dataset.actors:
        name = actor.name.replace('"', "'").replace("\\", "/")
        name = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", name).strip()
        assert name in G or f"{name} ({actor.id})" in G


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@PROPERTY
@given(dataset=datasets())
def test_dot_parses_with_pydot_and_keeps_each_name(dataset: Dataset) -> None:
    pydot = pytest.importorskip("pydot")
    graphs = pydot.graph_from_dot_data(exported(dataset, "dot").decode("utf-8"))
    assert graphs and len(graphs) == 1
    labels = [n.get("label") for n in graphs[0].get_nodes() if n.get("label")]

    def unquote(value: str) -> str:
        body = value[1:-1]
        return re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m[1], m[1]), body)

    got = sorted(unquote(v) for v in labels)
    want = sorted(a.name.replace("\r\n", "\n").replace("\r", "\n") for a in dataset.actors)
    assert got == want
    assert len(graphs[0].get_edges()) == len(dataset.relations)


@PROPERTY
@given(dataset=datasets())
def test_the_neo4j_csvs_and_cypher_keep_each_name(tmp_path_factory, dataset: Dataset) -> None:
    with zipfile.ZipFile(io.BytesIO(exported(dataset, "neo4j"))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("actors.csv").decode(), newline="")))
    assert sorted(r[1] for r in rows[1:]) == sorted(a.name for a in dataset.actors)
    ladybug = pytest.importorskip("ladybug")
    conn = ladybug.Connection(ladybug.Database(str(tmp_path_factory.mktemp("db") / "db")))
    conn.execute("CREATE NODE TABLE Actor(`id` STRING, `name` STRING, `kind` STRING, "
                 "`aliases` STRING, `description` STRING, `tags` STRING, `since` STRING, "
                 "`until` STRING, `note` STRING, PRIMARY KEY(`id`))")  # fmt: skip
    script = exported(dataset, "cypher").decode("utf-8")
    for line in script.splitlines():
        if line.startswith("CREATE (:Actor"):
            conn.execute(line)
    result = conn.execute("MATCH (a:Actor) RETURN a.name")
    names = []
    while result.has_next():
        names.append(result.get_next()[0])
    assert sorted(names) == sorted(a.name for a in dataset.actors)
