"""Gephi Lite's GEXF parser (graphology-gexf, under Node) reads our GEXF one edge per relation.

The packages are installed from the npm registry into a temporary folder for the test run.
Skipped, with the reason, only where Node or npm is missing, and never when CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

import explorer
from explorer.formats import export_bytes, export_view
from explorer.graph import FilterSpec, build_graph
from explorer.load import load_dataset

READER = r"""
const fs = require('fs');
const {MultiGraph} = require('graphology');
const gexf = require('graphology-gexf');
const g = gexf.parse(MultiGraph, fs.readFileSync(process.argv[2], 'utf8'));
const edges = [];
g.forEachEdge((id, attrs, source, target, sa, ta, undirected) =>
  edges.push({id, source, target, undirected, kind: attrs.kind, label: attrs.label,
              sign: attrs.sign, color: attrs.color}));
const nodes = [];
g.forEachNode((id, attrs) => nodes.push({id, label: attrs.label, kind: attrs.kind}));
console.log(JSON.stringify({type: g.type, nodes, edges}));
"""


@pytest.fixture(scope="module")
def graphology(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm are needed for the graphology GEXF test on CI")
        pytest.skip("node or npm is not installed: graphology's GEXF parser cannot run")
    folder = tmp_path_factory.mktemp("graphology")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "graphology@0.26",
         "graphology-gexf@0.13", "@xmldom/xmldom@0.9"],
        cwd=folder, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (folder / "read.js").write_text(READER, encoding="utf-8")
    return folder


def read_with_graphology(folder: Path, gexf: Path) -> dict:
    out = subprocess.run(
        ["node", str(folder / "read.js"), str(gexf)],
        cwd=folder, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_graphology_reads_one_edge_per_relation_with_direction_and_kind(
    graphology: Path, tmp_path: Path
) -> None:
    dataset = load_dataset(explorer.bundled_map())
    view = export_view(build_graph(dataset), FilterSpec(), "gexf")
    path = tmp_path / "map.gexf"
    path.write_bytes(export_bytes(view, "gexf", positions={n: (0.1, 0.2) for n in view}))
    read = read_with_graphology(graphology, path)
    assert read["type"] == "mixed"
    assert len(read["nodes"]) == len(dataset.actors)
    assert {n["id"]: n["label"] for n in read["nodes"]} == {a.id: a.name for a in dataset.actors}
    edges = {e["id"]: e for e in read["edges"]}
    assert len(read["edges"]) == len(dataset.relations) == 94
    vocab = dataset.vocab.relation_types
    for ident, rel in zip(dataset.relation_ids, dataset.relations, strict=True):
        edge = edges[ident]
        assert (edge["source"], edge["target"], edge["kind"]) == (rel.source, rel.target, rel.type)
        assert edge["undirected"] is (not vocab[rel.type].directed)
        assert edge["label"] == vocab[rel.type].label
        assert edge["sign"] == {1: "positive", 0: "neutral", -1: "negative"}[dataset.sign_of(rel)]
    undirected = sum(e["undirected"] for e in read["edges"])
    assert undirected == sum(not vocab[r.type].directed for r in dataset.relations) == 15
    keys = Counter((e["source"], e["target"], e["kind"]) for e in read["edges"])
    genuine = Counter((r.source, r.target, r.type) for r in dataset.relations)
    assert keys == genuine  # a (source, target, kind) repeats only where relations repeat
    colours = {e["sign"]: e["color"] for e in read["edges"]}
    assert len(set(colours.values())) == len(colours)  # each sign its own colour
