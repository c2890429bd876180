"""node-link JSON (networkx's ``node_link_data`` with ``edges="links"``, d3): the whole dataset.

Actors and relations keep every field with lists and evidence as JSON values; the graph's
``graph`` object holds the file's title, sources, vocabulary and scenarios.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.records import (
    ImportResult,
    Records,
    actor_record,
    dataset_from_records,
    edges_in_order,
    file_records,
    relation_record,
)

__all__ = ["dumps", "is_node_link", "read_node_link", "write_node_link"]


def dumps(data: Any) -> bytes:
    """JSON text with non-ASCII kept and one space of indent."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def json_view(
    view: nx.MultiDiGraph[Any], positions: Mapping[str, tuple[float, float]] | None
) -> nx.MultiDiGraph[Any]:
    """The view with every record whole (JSON values), positions added."""
    J: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    J.graph.update(file_records(view))
    for n in view.nodes:
        attrs = actor_record(view, n)
        if positions is not None and n in positions:
            attrs["x"], attrs["y"] = (float(c) for c in positions[n])
        J.add_node(n, **attrs)
    for u, v, k, d in edges_in_order(view):
        record = relation_record(view, u, v, k, d)
        J.add_edge(
            u, v, key=k, **{a: b for a, b in record.items() if a not in ("source", "target")}
        )
    return J


def write_node_link(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as node-link JSON bytes."""
    return dumps(nx.node_link_data(json_view(view, options.positions), edges="links"))


def is_node_link(data: Any) -> bool:
    """Whether parsed JSON is node-link data: ``nodes`` and ``links`` (or ``edges``) lists."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("nodes"), list)
        and (isinstance(data.get("links"), list) or isinstance(data.get("edges"), list))
    )


def read_node_link(data: Any, path: str, *, title: str | None = None) -> ImportResult:
    """A dataset from node-link JSON our export wrote."""
    records = Records(path, graph=dict(data.get("graph") or {}))
    for node in data["nodes"]:
        if not isinstance(node, dict):
            raise DataErrors([Problem(path, 1, 1, "nodes", "a node that is not an object")])
        records.actors.append({**node, "id": str(node.get("id", ""))})
    for link in data.get("links", data.get("edges")) or []:
        if not isinstance(link, dict):
            raise DataErrors([Problem(path, 1, 1, "links", "a link that is not an object")])
        link = {**link}
        link.pop("key", None)
        records.relations.append(link)
    return dataset_from_records(records, title=title)
