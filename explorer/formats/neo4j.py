"""Neo4j: the bulk-import CSVs of ``neo4j-admin database import`` and a Cypher script.

``--format neo4j`` writes a folder: ``actors.csv`` (label ``Actor``), ``relations.csv``
(relationship type ``RELATION``, one per relation) and ``sources.csv`` (label ``Source``).
Headers follow neo4j-admin's grammar (``name:type``, ``:ID(Actor)``, ``:START_ID(Actor)``,
``:END_ID(Actor)``, ``:TYPE``, ``:LABEL``; ``string[]`` arrays separated by ``;``). Cells are
written as they are: these files are for a database, not a spreadsheet, so no formula
prefix. ``NEO4J_COLUMNS`` is the schema docs/exports.md lists.

``--format cypher`` (``.cypher``) writes the same graph as ``CREATE`` statements for actors
and sources and ``MATCH ... CREATE`` for relations, one statement a line, single labels, no
constraints; list fields are text joined with ``;`` as in the CSVs.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import networkx as nx

from explorer.formats.records import actor_record, edges_in_order, relation_record

__all__ = ["NEO4J_COLUMNS", "cypher_script", "neo4j_files"]

#: Each file's columns: (header cell, field of the record, Cypher/LadybugDB type).
NEO4J_COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "actors.csv": [
        ("id:ID(Actor)", "id", "STRING"),
        ("name", "name", "STRING"),
        ("kind", "kind", "STRING"),
        ("aliases:string[]", "aliases", "STRING"),
        ("description", "description", "STRING"),
        ("tags:string[]", "tags", "STRING"),
        ("since", "since", "STRING"),
        ("until", "until", "STRING"),
        ("note", "note", "STRING"),
        (":LABEL", "", "STRING"),
    ],
    "relations.csv": [
        (":START_ID(Actor)", "source", ""),
        (":END_ID(Actor)", "target", ""),
        (":TYPE", "", "STRING"),
        ("id", "id", "STRING"),
        ("type", "type", "STRING"),
        ("label", "label", "STRING"),
        ("sign", "sign", "STRING"),
        ("sign_value:int", "sign_value", "INT64"),
        ("strength:int", "strength", "INT64"),
        ("status", "status", "STRING"),
        ("confidence", "confidence", "STRING"),
        ("since", "since", "STRING"),
        ("until", "until", "STRING"),
        ("start:date", "start", "DATE"),
        ("end:date", "end", "DATE"),
        ("directed:boolean", "directed", "BOOLEAN"),
        ("scenario", "scenario", "STRING"),
        ("evidence", "evidence", "STRING"),
        ("cited", "cited", "STRING"),
        ("note", "note", "STRING"),
        ("tags:string[]", "tags", "STRING"),
    ],
    "sources.csv": [
        ("id:ID(Source)", "id", "STRING"),
        ("title", "title", "STRING"),
        ("author", "author", "STRING"),
        ("published", "published", "STRING"),
        ("url", "url", "STRING"),
        ("text", "text", "STRING"),
        ("note", "note", "STRING"),
        (":LABEL", "", "STRING"),
    ],
}
#: The node label or relationship type each file holds.
NEO4J_LABELS = {"actors.csv": "Actor", "relations.csv": "RELATION", "sources.csv": "Source"}


def _value(record: dict[str, Any], field: str) -> Any:
    import json

    value = record.get(field)
    if field == "evidence":
        return json.dumps(value or [], ensure_ascii=False)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _rows(view: nx.MultiDiGraph[Any]) -> dict[str, list[list[Any]]]:
    dataset = view.graph["dataset"]
    rows: dict[str, list[list[Any]]] = {name: [] for name in NEO4J_COLUMNS}
    records = {
        "actors.csv": [actor_record(view, n) for n in view.nodes],
        "relations.csv": [
            {**relation_record(view, u, v, k, d), "source": u, "target": v}
            for u, v, k, d in edges_in_order(view)
        ],
    }
    cited = {s for *_, d in view.edges(data=True) for s in d.get("sources", [])}
    records["sources.csv"] = [
        s.model_dump(mode="json", exclude_none=True) for s in dataset.sources if s.id in cited
    ]
    for name, items in records.items():
        for record in items:
            rows[name].append(
                [
                    NEO4J_LABELS[name] if not field else _value(record, field)
                    for _, field, _ in NEO4J_COLUMNS[name]
                ]
            )
    return rows


def neo4j_files(view: nx.MultiDiGraph[Any]) -> dict[str, bytes]:
    """The view as neo4j-admin bulk-import CSV files, by file name."""
    files = {}
    for name, rows in _rows(view).items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([header for header, _, _ in NEO4J_COLUMNS[name]])
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        files[name] = buffer.getvalue().encode("utf-8")
    return files


def cypher_literal(value: Any) -> str:
    """A Cypher literal: text single-quoted with backslash escapes, numbers, booleans, null."""
    if value is None or value == "":
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    out = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == "'":
            out.append("\\'")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0x2028 <= code <= 0x2029:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def _properties(name: str, row: list[Any]) -> str:
    pairs = []
    for (header, field, kind), value in zip(NEO4J_COLUMNS[name], row, strict=True):
        if not field or header.startswith(":") or value in (None, ""):
            continue
        if kind == "DATE":
            pairs.append(f"`{field}`: date({cypher_literal(value)})")
        elif kind == "INT64":
            pairs.append(f"`{field}`: {int(value)}")
        elif kind == "BOOLEAN":
            pairs.append(f"`{field}`: {value}")
        else:
            pairs.append(f"`{field}`: {cypher_literal(value)}")
    return "{" + ", ".join(pairs) + "}"


def cypher_script(view: nx.MultiDiGraph[Any], options: Any = None) -> bytes:
    """The view as Cypher statements, one a line: CREATE nodes, MATCH ... CREATE relations."""
    rows = _rows(view)
    lines = ["// Stakeholder Explorer map: run after the schema of docs/exports.md where needed."]
    for name in ("actors.csv", "sources.csv"):
        label = NEO4J_LABELS[name]
        for row in rows[name]:
            lines.append(f"CREATE (:{label} {_properties(name, row)});")
    for row in rows["relations.csv"]:
        source, target = cypher_literal(row[0]), cypher_literal(row[1])
        lines.append(
            f"MATCH (a:Actor), (b:Actor) WHERE a.id = {source} AND b.id = {target} "
            f"CREATE (a)-[:RELATION {_properties('relations.csv', row)}]->(b);"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")
