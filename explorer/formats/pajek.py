"""Pajek ``.net`` (Pajek, igraph, networkx): actors, relations, direction and strength.

Vertices are numbered from 1 and labelled with the actor's name (Pajek has no escapes: a
``"`` becomes ``'``, a backslash ``/``, line breaks spaces, and names made alike get their
actor id in brackets). Directed relations are ``*Arcs``,
undirected ones ``*Edges``; the number after each pair is the strength. Everything else
(kinds, signs, dates, evidence, sources) is lost: see docs/exports.md.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import networkx as nx

__all__ = ["write_pajek"]


def _label(text: str) -> str:
    """A name Pajek can hold: no ``"``, no backslash (readers differ on escapes), one line."""
    text = text.replace('"', "'").replace("\\", "/")
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text).strip() or "?"


def write_pajek(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as Pajek bytes (UTF-8)."""
    numbers = {n: i for i, n in enumerate(view.nodes, start=1)}
    lines = [f"*Vertices {len(numbers)}"]
    labels = {n: _label(str(d.get("name") or n)) for n, d in view.nodes(data=True)}
    seen = Counter(labels.values())
    for n in view.nodes:
        # Readers key vertices by label: two names made alike get their ids.
        label = labels[n] if seen[labels[n]] == 1 else f"{labels[n]} ({n})"
        lines.append(f'{numbers[n]} "{label}"')
    arcs: list[str] = []
    edges: list[str] = []
    for u, v, d in view.edges(data=True):
        line = f"{numbers[u]} {numbers[v]} {int(d.get('strength', 2))}"
        (arcs if d.get("directed", True) else edges).append(line)
    lines += ["*Arcs", *arcs, "*Edges", *edges]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
