"""Graphviz DOT: a ``digraph`` of the view, for Graphviz, networkx (pydot) and igraph.

Each actor is a node with its ``label`` (name), ``kind`` and colour; each relation an edge
with its id as ``key``, its type's ``label``, the sign's ``color``, ``style=dashed`` when
projected, ``dir=none`` when its type is undirected, and its fields as text attributes
(lists and evidence as JSON). Lost (docs/exports.md): the file's sources, vocabulary and
scenarios; control characters become U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from explorer.formats.records import actor_record, edges_in_order, flat, relation_record
from explorer.render.style import SIGN_STYLES, kind_colour

__all__ = ["write_dot"]

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def quote(value: Any) -> str:
    """A DOT quoted string: backslash, quote and line breaks escaped."""
    text = _BAD.sub("\ufffd", str(flat(value)))
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{text}"'


def _attrs(pairs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={quote(v)}" for k, v in pairs.items() if v not in (None, "", [], {}))


def write_dot(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as DOT bytes."""
    lines = [f"digraph {quote(view.graph.get('title') or 'map')} {{"]
    for n in view.nodes:
        record = actor_record(view, n)
        pairs = {"label": record["name"], "color": kind_colour(str(record.get("kind", "")), view)}
        # pydot keeps "name" for the node's own id; the actor's name is the label.
        pairs.update({k: v for k, v in record.items() if k not in ("id", "label", "name")})
        lines.append(f"  {quote(n)} [{_attrs(pairs)}];")
    for u, v, k, d in edges_in_order(view):
        record = relation_record(view, u, v, k, d)
        pairs = {
            "key": k,
            "label": record["label"],
            "color": SIGN_STYLES[record["sign_value"]].colour,
        }
        if not record["directed"]:
            pairs["dir"] = "none"
        if record.get("status") == "projected":
            pairs["style"] = "dashed"
        skip = {"id", "label", "source", "target", "start", "end", "sign_value", "weight"}
        pairs.update({a: b for a, b in record.items() if a not in skip})
        pairs["directed"] = str(record["directed"]).lower()
        lines.append(f"  {quote(u)} -> {quote(v)} [{_attrs(pairs)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")
