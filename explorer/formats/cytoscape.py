"""Cytoscape JSON (``.cyjs``, Cytoscape.js and Cytoscape desktop): the whole dataset, a style.

Each element's ``data`` holds every field of its actor or relation (lists as JSON values),
plus ``interaction`` (the relation type, Cytoscape desktop's edge column) and ``name``.
Positions are ``preset``: open it with the ``preset`` layout to see the map as drawn. The
``style`` list colours actors by kind and relations by sign, dashes projected relations and
draws arrows only on directed relations; Cytoscape.js takes it as ``style``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.nodelink import dumps
from explorer.formats.records import (
    ImportResult,
    Records,
    actor_record,
    dataset_from_records,
    edges_in_order,
    file_records,
    relation_record,
)
from explorer.model import Sign
from explorer.render.style import SIGN_STYLES, kind_colour

__all__ = ["cytoscape_style", "is_cytoscape", "read_cytoscape", "write_cytoscape"]

#: Cytoscape.js counts y downwards; 500 spreads the layout's [-1, 1] to a usual scale.
SCALE = 500


def cytoscape_style(
    kinds: list[str], view: nx.MultiDiGraph[Any] | None = None
) -> list[dict[str, Any]]:
    """A Cytoscape.js style: kind colours, sign colours, dashes, arrows on directed only."""
    style: list[dict[str, Any]] = [
        {"selector": "node", "style": {"label": "data(name)", "background-color": "#999999"}},
        {
            "selector": "edge",
            "style": {"curve-style": "bezier", "width": "mapData(strength, 1, 3, 1, 5)"},
        },
        {"selector": "edge[?directed]", "style": {"target-arrow-shape": "triangle"}},
        {"selector": "edge[status = 'projected']", "style": {"line-style": "dashed"}},
    ]
    for kind in kinds:
        style.append(
            {
                "selector": f"node[kind = '{kind}']",
                "style": {"background-color": kind_colour(kind, view)},
            }
        )
    for sign in Sign:
        colour = SIGN_STYLES[sign].colour
        style.append(
            {
                "selector": f"edge[sign = '{sign.word}']",
                "style": {"line-color": colour, "target-arrow-color": colour},
            }
        )
    return style


def write_cytoscape(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as Cytoscape JSON bytes, with positions and a style."""
    nodes = []
    for n in view.nodes:
        # "value" is the node's name in networkx's cytoscape_graph.
        data = {**actor_record(view, n), "id": str(n), "value": str(n)}
        data["name"] = data.get("name") or str(n)
        entry: dict[str, Any] = {"data": data, "classes": str(data.get("kind", ""))}
        if options.positions is not None and n in options.positions:
            x, y = options.positions[n]
            entry["position"] = {"x": float(x) * SCALE, "y": -float(y) * SCALE}
        nodes.append(entry)
    edges = []
    for u, v, k, d in edges_in_order(view):
        data = relation_record(view, u, v, k, d)
        data.update(
            {
                "source": str(u),
                "target": str(v),
                "id": str(k),
                "key": str(k),
                "interaction": data["type"],
            }
        )
        edges.append({"data": data, "classes": data["sign"]})
    kinds = sorted({str(d.get("kind", "")) for _, d in view.nodes(data=True)} | set())
    return dumps(
        {
            "format_version": "1.0",
            "generated_by": "stakeholder-explorer",
            "target_cytoscapejs_version": "~3",
            "data": file_records(view),
            "directed": True,
            "multigraph": True,
            "layout": {"name": "preset"},
            "elements": {"nodes": nodes, "edges": edges},
            "style": cytoscape_style([k for k in kinds if k], view),
        }
    )


def is_cytoscape(data: Any) -> bool:
    """Whether parsed JSON is Cytoscape JSON: ``elements`` with nodes and edges."""
    if not isinstance(data, dict):
        return False
    elements = data.get("elements")
    return (
        isinstance(elements, dict)
        and isinstance(elements.get("nodes"), list)
        or (
            isinstance(elements, list)
            and all(isinstance(e, dict) and "data" in e for e in elements)
        )
    )


def read_cytoscape(data: Any, path: str, *, title: str | None = None) -> ImportResult:
    """A dataset from Cytoscape JSON our export wrote (or Cytoscape saved from it)."""
    elements = data["elements"]
    if isinstance(elements, list):
        nodes = [e for e in elements if "source" not in e.get("data", {})]
        edges = [e for e in elements if "source" in e.get("data", {})]
    else:
        nodes, edges = elements.get("nodes") or [], elements.get("edges") or []
    records = Records(path, graph=dict(data.get("data") or {}))
    for node in nodes:
        item = node.get("data") if isinstance(node, dict) else None
        if not isinstance(item, dict):
            raise DataErrors([Problem(path, 1, 1, "elements.nodes", "a node without data")])
        item = {
            k: v for k, v in item.items() if k not in ("value", "shared_name", "SUID", "selected")
        }
        records.actors.append(item)
    for edge in edges:
        item = edge.get("data") if isinstance(edge, dict) else None
        if not isinstance(item, dict):
            raise DataErrors([Problem(path, 1, 1, "elements.edges", "an edge without data")])
        item = {
            k: v
            for k, v in item.items()
            if k not in ("shared_name", "shared_interaction", "SUID", "selected", "name")
        }
        records.relations.append(item)
    return dataset_from_records(records, title=title)
