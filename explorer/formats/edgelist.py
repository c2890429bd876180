"""Edge lists: one relation per row of a CSV (comma, semicolon or tab) or a workbook's sheet.

The separator is sniffed from the first row. A first row whose cells are column names this
module knows (``EDGE_COLUMN_NAMES``: source/from, target/to, type/relationship, sign,
weight/strength, since/until ...) is the header, in any order and case; other columns are
reported and ignored. Without such a row the columns are ``source,target[,type][,sign]``.
``columns`` names the columns of a header this module does not know (``{"Actor A":
"source"}``). Empty trailing columns and empty rows are ignored.

Every actor named becomes an actor of kind ``group`` (the loosest kind, for the curator to
refine) whose id is its name in lower case with ``_`` for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from explorer.errors import DataErrors, Problem
from explorer.formats.builder import DEFAULT_KIND, Builder, parse_sign, parse_strength
from explorer.formats.records import ImportResult
from explorer.formats.tables import Table, csv_records, decode, sniff_delimiter

__all__ = ["EDGE_COLUMN_NAMES", "ROLES", "edge_list_table", "read_edge_list", "read_edge_table"]

#: What each column of an edge list can be.
ROLES = (
    "source",
    "target",
    "type",
    "sign",
    "strength",
    "status",
    "confidence",
    "since",
    "until",
    "note",
)

#: Header names (lower case, spaces for ``_`` and ``-``) and the role each names.
EDGE_COLUMN_NAMES: dict[str, str] = {
    **{
        n: "source"
        for n in (
            "source",
            "from",
            "source actor",
            "actor",
            "actor 1",
            "actor a",
            "node 1",
            "origin",
            "src",
            "from actor",
            "ego",
        )
    },
    **{
        n: "target"
        for n in (
            "target",
            "to",
            "target actor",
            "actor 2",
            "actor b",
            "node 2",
            "destination",
            "dst",
            "to actor",
            "alter",
        )
    },
    **{
        n: "type"
        for n in (
            "type",
            "relationship",
            "relation",
            "relation type",
            "relationship type",
            "edge type",
            "connection type",
            "interaction",
            "kind",
        )
    },
    **{n: "sign" for n in ("sign", "polarity", "valence")},
    **{n: "strength" for n in ("strength", "weight", "value", "intensity")},
    **{n: "status" for n in ("status",)},
    **{n: "confidence" for n in ("confidence", "certainty")},
    **{n: "since" for n in ("since", "start", "start date", "from date", "begin", "date")},
    **{n: "until" for n in ("until", "end", "end date", "to date")},
    **{n: "note" for n in ("note", "notes", "comment", "comments", "description")},
}


def _name(cell: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", cell).casefold().split())


def _header_roles(cells: list[str], columns: Mapping[str, str] | None) -> list[str | None] | None:
    """The role of each header cell, or None when the row is not a header."""
    given = {_name(k): v for k, v in (columns or {}).items()}
    roles: list[str | None] = []
    for cell in cells:
        name = _name(cell)
        roles.append(given.get(name) or EDGE_COLUMN_NAMES.get(name))
    if given or any(roles):
        return roles
    return None


def edge_list_table(
    records: list[tuple[int, list[str], list[tuple[int, int]]]],
    path: str,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str = "",
) -> tuple[Table, list[str]]:
    """The rows under their roles, and notes on the columns ignored."""
    records = [r for r in records if any(c.strip() for c in r[1])]
    if not records:
        raise DataErrors([Problem(path, 1, 1, "file", "no relations: the file has no rows")])
    notes: list[str] = []
    roles = _header_roles(records[0][1], columns)
    if roles is None:
        names: list[str] | None = ["source", "target", "type", "sign"]
        table = Table.from_cells(path, records, header=names, sheet=sheet)
        return table, notes
    table = Table.from_cells(path, records, sheet=sheet)
    problems = []
    seen: dict[str, int] = {}
    header: list[str] = []
    for position, (cell, role) in enumerate(zip(table.header, roles, strict=False)):
        if role is None:
            if cell.strip():
                notes.append(f"ignored column {cell.strip()!r}: not one of {', '.join(ROLES)}")
            header.append(f"ignored {position}")
        elif role not in ROLES:
            problems.append(
                table.header_problem(position, f"{role!r} is not one of {', '.join(ROLES)}")
            )
            header.append(f"ignored {position}")
        elif role in seen:
            problems.append(
                table.header_problem(
                    position, f"a second {role} column (the first is column {seen[role] + 1})"
                )
            )
            header.append(f"ignored {position}")
        else:
            seen[role] = position
            header.append(role)
    for role in ("source", "target"):
        if role not in seen:
            problems.append(
                table.header_problem(
                    0,
                    f"the header row names no {role} column; name it (source/from, target/to) "
                    "or give --columns 'Header=source,Other=target'",
                )
            )
    if problems:
        raise DataErrors(problems)
    for row in table.rows:
        renamed = {}
        cols = {}
        for old, value in row.cells.items():
            index = table.header.index(old) if old in table.header else None
            new = header[index] if index is not None and index < len(header) else old
            renamed[new] = value
            cols[new] = row.cols[old]
        row.cells, row.cols = renamed, cols
    table.header = header
    return table, notes


def read_edge_list(
    data: bytes, path: str, *, title: str | None = None, columns: Mapping[str, str] | None = None
) -> ImportResult:
    """Read an edge list CSV (comma, semicolon or tab separated) into a dataset."""
    text = decode(data, path)
    delimiter = sniff_delimiter(text)
    table, notes = edge_list_table(csv_records(text, path, delimiter), path, columns=columns)
    return read_edge_table(table, path, title=title, notes=notes)


def read_edge_table(
    table: Table, path: str, *, title: str | None = None, notes: list[str] | None = None
) -> ImportResult:
    """A dataset from an edge list's rows (their cells named by ``ROLES``)."""
    builder = Builder(path)
    builder.notes.extend(notes or [])
    from explorer.model import Relation

    columns = {role: role for role in ROLES}
    if not table.rows:
        raise DataErrors([Problem(path, 1, 1, "file", "no relations: the file has no rows")])
    for row in table.rows:
        extra = [name for name in row.cells if name.startswith("column ")]
        if extra and row.cells[extra[0]].strip():
            builder.problem(path, row, extra[0], "too many cells; expected source,target,type,sign")
            continue
        source, target = row.get("source"), row.get("target")
        if not source:
            builder.problem(path, row, "source", "empty source: name an actor")
        if not target:
            builder.problem(path, row, "target", "empty target: name an actor")
        if not source or not target:
            continue
        if source == target:
            builder.problem(path, row, "target", f"a relation from {source!r} to itself")
            continue
        sign = parse_sign(builder, path, row, "sign")
        strength = parse_strength(builder, path, row, "strength")
        relation: dict[str, Any] = {
            "source": builder.actor_for(source, at=(path, row, "source")),
            "target": builder.actor_for(target, at=(path, row, "target")),
            "type": builder.relation_type(row.get("type"), sign, True),
        }
        if sign is not None:
            relation["sign"] = sign
        if strength is not None:
            relation["strength"] = strength
        for key in ("status", "confidence", "since", "until", "note"):
            if row.get(key):
                relation[key] = row.get(key)
        if builder.check(Relation, relation, path, row, columns):
            builder.relations.append(relation)
    dataset = builder.dataset(title or f"Imported from {Path(path).name}")
    result_notes = builder.notes
    if dataset.actors:
        result_notes.insert(0, f"created {len(dataset.actors)} actors of kind {DEFAULT_KIND!r}")
    return ImportResult(dataset, result_notes)
