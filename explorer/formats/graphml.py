"""GraphML: every actor and relation with every field, for Gephi, yEd, igraph and networkx.

Written by networkx with ``edgedefault="directed"``; a relation whose type is undirected
has the boolean data key ``directed`` false (networkx refuses per-edge direction in a
directed file, so the direction travels as data). Each edge has a ``label`` (its type's
label) and the relation id as its XML id. Lists and evidence are JSON text; the file's
sources, vocabulary and scenarios are graph data keys (see ``explorer.formats.records``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.files import refuse_dtd, xml_text
from explorer.formats.records import (
    ImportResult,
    Records,
    actor_record,
    dataset_from_records,
    edges_in_order,
    file_records,
    flat,
    relation_record,
)

__all__ = ["read_graphml", "write_graphml"]


def scalars(record: Mapping[str, Any], *, xml: bool = True) -> dict[str, Any]:
    """A record with lists as JSON text, no empty values, and text XML can hold."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value == [] or value == {}:
            continue
        value = flat(value)
        out[key] = xml_text(value) if xml and isinstance(value, str) else value
    return out


def flat_view(
    view: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]] | None,
    *,
    xml: bool = True,
) -> nx.MultiDiGraph[Any]:
    """The view as a graph whose attributes are all scalars, with the file's records."""
    F: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    F.graph.update(scalars(file_records(view), xml=xml))
    for n in view.nodes:
        attrs = scalars(actor_record(view, n), xml=xml)
        if positions is not None and n in positions:
            attrs["x"], attrs["y"] = (float(c) for c in positions[n])
        F.add_node(n, **attrs)
    for u, v, k, d in edges_in_order(view):
        F.add_edge(u, v, key=k, **scalars(relation_record(view, u, v, k, d), xml=xml))
    return F


def write_graphml(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as GraphML bytes."""
    buffer = io.BytesIO()
    nx.write_graphml(flat_view(view, options.positions), buffer, encoding="utf-8")
    return buffer.getvalue()


def records_of_graph(G: nx.Graph[Any], path: str) -> Records:
    """Records from a graph read by networkx (GraphML, GML)."""
    records = Records(path, graph=dict(G.graph))
    for n, d in G.nodes(data=True):
        records.actors.append({**d, "id": d.get("id", str(n))})
    edges: Iterable[tuple[Any, ...]] = (
        G.edges(keys=True, data=True) if isinstance(G, nx.MultiGraph) else G.edges(data=True)
    )
    for item in edges:
        u, v, d = item[0], item[1], item[-1]
        record = dict(d)
        record.setdefault("id", str(item[2]) if G.is_multigraph() else None)
        if record.get("id") is None or str(record.get("id", "")).isdigit():
            record.pop("id", None)
        records.relations.append({**record, "source": str(u), "target": str(v)})
    return records


def read_graphml(data: bytes, path: str, *, title: str | None = None) -> ImportResult:
    """A dataset from GraphML our export wrote (or one a tool such as Gephi saved from it)."""
    refuse_dtd(data, path)
    try:
        G = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    except Exception as exc:  # networkx and ElementTree raise many kinds
        raise DataErrors(
            [Problem(path, 1, 1, "file", f"not GraphML we can read ({exc})")]
        ) from None
    return dataset_from_records(records_of_graph(G, path), title=title)
