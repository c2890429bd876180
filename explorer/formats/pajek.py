"""Pajek ``.net`` (Pajek, igraph, networkx): actors, relations, direction and strength.

Vertices are numbered from 1 and labelled with the actor's name (a ``"`` in a name becomes
``'`` and line breaks spaces: Pajek has no escapes). Directed relations are ``*Arcs``,
undirected ones ``*Edges``; the number after each pair is the strength. Everything else
(kinds, signs, dates, evidence, sources) is lost: see docs/exports.md.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

__all__ = ["write_pajek"]


def _label(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text.replace('"', "'")).strip() or "?"


def write_pajek(view: nx.MultiDiGraph, options: Any) -> bytes:
    """The view as Pajek bytes (UTF-8)."""
    numbers = {n: i for i, n in enumerate(view.nodes, start=1)}
    lines = [f"*Vertices {len(numbers)}"]
    for n, d in view.nodes(data=True):
        lines.append(f'{numbers[n]} "{_label(str(d.get("name") or n))}"')
    arcs, edges = [], []
    for u, v, d in view.edges(data=True):
        line = f"{numbers[u]} {numbers[v]} {int(d.get('strength', 2))}"
        (arcs if d.get("directed", True) else edges).append(line)
    lines += ["*Arcs", *arcs, "*Edges", *edges]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
