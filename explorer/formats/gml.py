"""GML (igraph, networkx, yEd): actors and relations with every field as scalars.

Written through networkx. GML has no per-edge direction, so the graph is directed and each
relation's ``directed`` attribute says whether its type is (1) or is not (0). networkx keeps
the actor id as the GML ``label``; the actor's name is the ``name`` attribute. Lists and
evidence are JSON text. Lost (docs/exports.md): the file's sources, vocabulary and
scenarios beyond their JSON text in graph attributes; text GML cannot hold is escaped.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.graphml import flat_view, records_of_graph
from explorer.formats.records import ImportResult, dataset_from_records

__all__ = ["read_gml", "write_gml"]


def write_gml(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as GML bytes."""
    F = flat_view(view, options.positions, xml=False)
    G: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    G.graph.update(F.graph)
    for n, d in F.nodes(data=True):
        G.add_node(n, **{k: v for k, v in d.items() if k not in ("id", "label")})
    for u, v, k, d in F.edges(keys=True, data=True):
        attrs = {
            ("relation_id" if a == "id" else a): (int(b) if isinstance(b, bool) else b)
            for a, b in d.items()
        }
        G.add_edge(u, v, key=k, **attrs)
    buffer = io.BytesIO()
    nx.write_gml(G, buffer)
    return buffer.getvalue()


def read_gml(data: bytes, path: str, *, title: str | None = None) -> ImportResult:
    """A dataset from GML our export wrote."""
    try:
        G = nx.parse_gml(data.decode("ascii", "replace"), label="label")
    except Exception as exc:  # networkx raises NetworkXError, ValueError ...
        raise DataErrors([Problem(path, 1, 1, "file", f"not GML we can read ({exc})")]) from None
    records = records_of_graph(G, path)
    for record in records.relations:
        if "relation_id" in record:
            record["id"] = record.pop("relation_id")
    return dataset_from_records(records, title=title)
