"""Kumu: the XLSX workbook (``kumu``), the CSV pair (``kumu-csv``), and reading both plus
Kumu's JSON blueprint.

Written (both forms): ``Elements`` (``ID`` first, ``Label``, ``Type`` ...) and
``Connections`` (``ID``, ``From`` and ``To`` naming elements by ID as Kumu requires when
elements have IDs, ``Type``, ``Direction``, ``Strength`` ..., evidence columns), plus
``Sources`` and ``Vocabulary`` that Kumu ignores and our import reads back. Multi-value
cells (``Tags``, ``Aliases``) separate values with ``|`` (a ``|`` inside a value is ``\\|``).

In the CSV pair, a text cell whose first character is ``= + - @``, a tab or a carriage
return gets a leading ``'`` so that a spreadsheet shows it as text rather than running it as
a formula; the import removes a leading ``'`` only before those characters. The workbook
writes every text cell as a string cell, so nothing needs a prefix there.

Read: the same files, and what Kumu itself writes: labels or ids in ``From``/``To``, ids of
any style (``conn-1``, made into valid ids with a note), word strengths (``STRENGTH_WORDS``),
several targets in one ``To`` (``A|B``: one relation each).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.builder import (
    DEFAULT_KIND,
    Builder,
    join_values,
    parse_sign,
    parse_strength,
    slugify,
    split_values,
)
from explorer.formats.files import read_input, read_member
from explorer.formats.records import ImportResult, edges_in_order, file_records, sign_word
from explorer.formats.tables import Row, Table, csv_table, decode, xlsx_sheets, xlsx_table

__all__ = [
    "KUMU_CONNECTION_COLUMNS",
    "KUMU_ELEMENT_COLUMNS",
    "KUMU_SOURCE_COLUMNS",
    "KUMU_VOCABULARY_COLUMNS",
    "evidence_columns",
    "kumu_csv_files",
    "kumu_xlsx",
    "read_kumu",
    "read_kumu_json",
    "read_kumu_xlsx",
]

#: Columns of the elements sheet: the ID first (Kumu's rule), then Kumu's own, then ours.
KUMU_ELEMENT_COLUMNS = (
    "ID",
    "Label",
    "Type",
    "Description",
    "Tags",
    "Aliases",
    "Since",
    "Until",
    "Note",
)
#: Columns of the connections sheet before the evidence columns (``Quote``, ``Source``,
#: ``Evidence Note``, then ``Quote 2`` ... for a relation with more quotes).
KUMU_CONNECTION_COLUMNS = (
    "ID",
    "From",
    "To",
    "Type",
    "Direction",
    "Strength",
    "Tags",
    "Description",
    "Sign",
    "Status",
    "Confidence",
    "Since",
    "Until",
)
#: Columns of the sources sheet (not a Kumu sheet; it keeps the sources for import).
KUMU_SOURCE_COLUMNS = ("ID", "Title", "Author", "Published", "URL", "Text", "Note")
#: Columns of the vocabulary sheet: the actor kinds and relation types the file adds.
KUMU_VOCABULARY_COLUMNS = (
    "Section",
    "ID",
    "Label",
    "Sign",
    "Directed",
    "Structural",
    "Description",
)

#: First characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def evidence_columns(number: int) -> tuple[str, str, str]:
    """The names of the quote, source and note columns of a relation's ``number``-th quote."""
    suffix = "" if number == 1 else f" {number}"
    return f"Quote{suffix}", f"Source{suffix}", f"Evidence Note{suffix}"


# --- writing -------------------------------------------------------------------------------


def _sheets(view: nx.MultiDiGraph[Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every sheet as (header, rows); cells are text, whole numbers or None."""
    dataset = view.graph.get("dataset")
    join = join_values
    elements: list[list[Any]] = [
        [
            n,
            d.get("name") or n,
            d.get("kind", ""),
            d.get("description") or None,
            join(d.get("tags", [])) or None,
            join(d.get("aliases", [])) or None,
            d.get("since"),
            d.get("until"),
            d.get("note") or None,
        ]
        for n, d in view.nodes(data=True)
    ]
    extra = _extra_relation_fields()
    most = max((len(d.get("evidence") or []) for *_, d in view.edges(data=True)), default=0)
    header = [*KUMU_CONNECTION_COLUMNS, *(c.title() for c in extra)]
    for number in range(1, max(most, 1) + 1):
        header.extend(evidence_columns(number))
    relations = _relation_index(view)
    connections: list[list[Any]] = []
    for u, v, k, d in edges_in_order(view):
        rel = relations.get(k)
        row: list[Any] = [
            k,
            u,
            v,
            d.get("type", ""),
            "directed" if d.get("directed") else "undirected",
            d.get("strength", 2),
            join(d.get("tags", [])) or None,
            d.get("note") or None,
            sign_word(int(d.get("sign", 0))),
            d.get("status", ""),
            d.get("confidence", ""),
            d.get("since"),
            d.get("until"),
        ]
        row.extend(_cell(getattr(rel, name, None)) for name in extra)
        for ev in d.get("evidence") or []:
            row.extend([ev.get("quote", ""), ev.get("source", ""), ev.get("note")])
        connections.append(row)
    sources: list[list[Any]] = []
    if dataset is not None:
        cited = {s for *_, d in view.edges(data=True) for s in d.get("sources", [])}
        cited |= {e.source for item in dataset.scenarios for e in item.evidence}
        for source in dataset.sources:
            if source.id in cited:
                sources.append(
                    [
                        source.id,
                        source.title,
                        source.author,
                        source.published.text if source.published else None,
                        source.url,
                        source.text,
                        source.note,
                    ]
                )
    files = file_records(view) if dataset is not None else {}
    about = [[key, files[key]] for key in ("title", "description") if files.get(key)]
    sheets = {
        "Elements": (list(KUMU_ELEMENT_COLUMNS), elements),
        "Connections": (header, connections),
        "Sources": (list(KUMU_SOURCE_COLUMNS), sources),
        "Vocabulary": (list(KUMU_VOCABULARY_COLUMNS), _vocabulary_rows(view)),
    }
    sheets["Map"] = (["Field", "Value"], about)
    scenarios = _scenario_rows(view)
    if scenarios is not None:
        sheets["Scenarios"] = scenarios
    return sheets


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, (list, tuple)):
        return join_values([str(v) for v in value])
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


def _extra_relation_fields() -> list[str]:
    """Relation fields beyond the fixed columns (``scenario`` where the model has it)."""
    from explorer.model import Relation

    return [name for name in ("scenario",) if name in Relation.model_fields]


def _relation_index(view: nx.MultiDiGraph[Any]) -> dict[str, Any]:
    dataset = view.graph.get("dataset")
    if dataset is None:
        return {}
    return dict(zip(dataset.relation_ids, dataset.relations, strict=True))


#: Columns of the scenarios sheet (not a Kumu sheet): the file's named alternative futures.
KUMU_SCENARIO_COLUMNS = ("ID", "Title", "Description", "Replaces Main", "Evidence", "Note")


def _scenario_rows(view: nx.MultiDiGraph[Any]) -> tuple[list[str], list[list[Any]]] | None:
    """The file's scenarios, one row each (evidence as JSON text); None when it has none."""
    dataset = view.graph.get("dataset")
    items = getattr(dataset, "scenarios", None)
    if not items:
        return None
    rows = [
        [
            item.id,
            item.title,
            item.description,
            "yes" if item.replaces_main else "no",
            json.dumps(
                [e.model_dump(mode="json", exclude_none=True) for e in item.evidence],
                ensure_ascii=False,
            )
            if item.evidence
            else None,
            item.note,
        ]
        for item in items
    ]
    return list(KUMU_SCENARIO_COLUMNS), rows


def _read_scenarios(builder: Builder, table: Table) -> list[dict[str, Any]]:
    from explorer.model import Scenario

    found = []
    for row in table.rows:
        data: dict[str, Any] = {"id": row.get("ID"), "title": row.get("Title")}
        for key, column in (("description", "Description"), ("note", "Note")):
            if row.get(column):
                data[key] = row.get(column)
        if row.get("Replaces Main").casefold() in ("yes", "true"):
            data["replaces_main"] = True
        if row.get("Evidence"):
            try:
                data["evidence"] = json.loads(row.get("Evidence"))
            except ValueError:
                builder.problem(table.path, row, "Evidence", "not a JSON list of quotes")
                continue
        columns = {"id": "ID", "title": "Title", "evidence": "Evidence"}
        if builder.check(Scenario, data, table.path, row, columns):
            found.append(data)
    return found


def _vocabulary_rows(view: nx.MultiDiGraph[Any]) -> list[list[Any]]:
    """The kinds and relation types the file adds to the built-in vocabulary."""
    dataset = view.graph.get("dataset")
    if dataset is None or dataset.vocabulary is None:
        return []
    yes = {True: "yes", False: "no"}
    rows: list[list[Any]] = [
        ["actor_kind", ident, kind.label, None, None, None, kind.description]
        for ident, kind in dataset.vocabulary.actor_kinds.items()
    ]
    rows += [
        [
            "relation_type",
            ident,
            rtype.label,
            rtype.sign,
            yes[rtype.directed],
            yes[rtype.structural],
            rtype.description,
        ]
        for ident, rtype in dataset.vocabulary.relation_types.items()
    ]
    return rows


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run this cell: it starts with a formula character, or
    with ``'`` before one (so that a prefix added on export is never confused with text)."""
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    return text[0] == "'" and _runs_as_formula(text[1:])


def neutralise(cell: Any) -> Any:
    """A CSV text cell a spreadsheet would run as a formula gets a leading ``'``; numbers never."""
    if isinstance(cell, str) and _runs_as_formula(cell):
        return "'" + cell
    return cell


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: drop a leading ``'`` only where a formula character follows."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def _csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def kumu_csv_files(view: nx.MultiDiGraph[Any]) -> dict[str, bytes]:
    """The view as ``elements.csv`` and ``connections.csv``, with our extra sheets."""
    return {
        f"{name.lower()}.csv": _csv_bytes(header, rows)
        for name, (header, rows) in _sheets(view).items()
    }


def kumu_csv_zip(view: nx.MultiDiGraph[Any], options: Any = None) -> bytes:
    """The CSV files in one zip, with fixed timestamps (same view, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in kumu_csv_files(view).items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def kumu_xlsx(view: nx.MultiDiGraph[Any], options: Any = None) -> bytes:
    """The view as a Kumu workbook: every text cell a string cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    book = Workbook()
    for sheet in list(book.worksheets):  # the empty sheet every new workbook starts with
        book.remove(sheet)
    for name, (header, rows) in _sheets(view).items():
        sheet = book.create_sheet(name)
        for values in [header, *rows]:
            sheet.append([None] * len(values))
            row = sheet.max_row
            for col, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=row, column=col)
                if isinstance(value, str):
                    # XML 1.0 cannot hold most control characters.
                    cell.value = _XML_BAD.sub("\ufffd", value)
                    cell.data_type = TYPE_STRING
                else:
                    cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps and creation dates, so the bytes are reproducible."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------

_NAMES = {
    name.casefold(): name
    for name in (
        *KUMU_ELEMENT_COLUMNS,
        *KUMU_CONNECTION_COLUMNS,
        *KUMU_SOURCE_COLUMNS,
        *KUMU_VOCABULARY_COLUMNS,
        *KUMU_SCENARIO_COLUMNS,
        "Quote",
        "Source",
        "Evidence Note",
        "Scenario",
    )
}


def _column(cell: str) -> str:
    """A Kumu column name in our spelling, whatever its case (``quote 2`` -> ``Quote 2``)."""
    name = " ".join(cell.split())
    match = re.fullmatch(r"(.*?)( [0-9]+)?", name)
    assert match is not None
    base = _NAMES.get(match[1].casefold(), match[1])
    return base + (match[2] or "")


_WANTED = ("elements", "connections", "sources", "vocabulary", "map", "scenarios")


def _csv_tables(path: Path) -> dict[str, Table]:
    """The Kumu CSV tables of a zip or folder, by sheet name in lower case."""
    texts: dict[str, tuple[str, str]] = {}
    if path.is_dir():
        for name in _WANTED:
            member = path / f"{name}.csv"
            if member.is_file():
                texts[name] = (decode(read_input(member), str(member)), str(member))
    else:
        data = read_input(path)
        from explorer.formats.files import max_bytes

        budget = [max_bytes()]
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    base = info.filename.rsplit("/", 1)[-1].casefold()
                    if base.endswith(".csv") and base[:-4] in _WANTED and base[:-4] not in texts:
                        shown = f"{path}/{info.filename}"
                        texts[base[:-4]] = (
                            decode(read_member(archive, info, shown, budget=budget), shown),
                            shown,
                        )
        except zipfile.BadZipFile:
            raise DataErrors([Problem(str(path), 1, 1, "file", "not a zip file")]) from None
    return {
        name: _unneutralised(csv_table(text, shown, rename=_column))
        for name, (text, shown) in texts.items()
    }


def _unneutralised(table: Table) -> Table:
    for row in table.rows:
        row.cells = {k: unneutralise(v) for k, v in row.cells.items()}
    return table


def read_kumu(path: str | Path, *, title: str | None = None) -> ImportResult:
    """Read a Kumu CSV zip or folder (``elements.csv``, ``connections.csv`` ...)."""
    where = Path(path)
    tables = _csv_tables(where)
    return _from_tables(
        tables, str(where), title, where.name, "connections.csv (Kumu's connections sheet)"
    )


def read_kumu_xlsx(data: bytes, path: str, *, title: str | None = None) -> ImportResult:
    """Read a Kumu workbook (sheets ``Elements``, ``Connections`` and our extra sheets)."""
    sheets = xlsx_sheets(data, path)
    tables = {
        name.casefold(): xlsx_table(records, path, name, rename=_column)
        for name, records in sheets.items()
        if name.casefold() in _WANTED
    }
    return _from_tables(
        tables, path, title, Path(path).name, "sheet named Connections (Kumu's connections sheet)"
    )


def is_kumu_workbook(sheet_names: Iterable[str]) -> bool:
    """Whether a workbook is Kumu's: it has sheets named Elements and Connections."""
    names = {n.casefold() for n in sheet_names}
    return {"elements", "connections"} <= names


def _from_tables(
    tables: dict[str, Table], path: str, title: str | None, name: str, wanted: str
) -> ImportResult:
    if "connections" not in tables:
        raise DataErrors([Problem(path, 1, 1, "file", f"no {wanted}")])
    builder = Builder(path)
    ids = _IdMap(builder)
    about = (
        {row.get("Field"): row.get("Value") for row in tables["map"].rows}
        if "map" in tables
        else {}
    )
    if "vocabulary" in tables:
        _read_vocabulary(builder, tables["vocabulary"])
    if "sources" in tables:
        _read_sources(builder, tables["sources"])
    if "scenarios" in tables:
        builder.scenarios = _read_scenarios(builder, tables["scenarios"])
    if "elements" in tables:
        _read_elements(builder, tables["elements"], ids)
    table = tables["connections"]
    for column in ("From", "To"):
        if column not in table.header:
            builder.problems.append(table.header_problem(0, f"no {column} column"))
    for row in table.rows:
        _read_connection(builder, table.path, row, ids)
    ids.report()
    dataset = builder.dataset(
        title or about.get("title") or f"Imported from {name}", about.get("description")
    )
    return ImportResult(dataset, builder.notes)


class _IdMap:
    """Ids as Kumu writes them (``elem-1``, ``Conn 7``) made valid, each change noted once."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.changed: list[tuple[str, str]] = []

    def valid(self, text: str) -> str:
        if re.fullmatch(r"[a-z][a-z0-9_]*", text):
            return text
        fixed = slugify(text) or "id"
        self.changed.append((text, fixed))
        return fixed

    def report(self) -> None:
        if self.changed:
            shown = ", ".join(f"{a!r} -> {b!r}" for a, b in self.changed[:3])
            more = f" and {len(self.changed) - 3} more" if len(self.changed) > 3 else ""
            self.builder.notes.append(
                f"made {len(self.changed)} ids valid (lower case letters, digits, _): {shown}{more}"
            )


def _read_sources(builder: Builder, table: Table) -> None:
    from explorer.model import Source

    for row in table.rows:
        ident = row.get("ID") or slugify(row.get("Title"))
        data = {
            "id": ident,
            "title": row.get("Title") or ident,
            "author": row.get("Author") or None,
            "published": row.get("Published") or None,
            "url": row.get("URL") or None,
            "text": row.get("Text") or None,
            "note": row.get("Note") or None,
        }
        data = {k: v for k, v in data.items() if v is not None}
        columns = {"id": "ID", "title": "Title", "published": "Published"}
        if builder.check(Source, data, table.path, row, columns):
            builder.sources[ident] = data


def _read_elements(builder: Builder, table: Table, ids: _IdMap) -> None:
    from explorer.model import Actor

    shown = table.path
    if "Label" not in table.header:
        builder.problems.append(table.header_problem(0, "no Label column"))
    for row in table.rows:
        label = row.get("Label")
        if not label:
            builder.problem(shown, row, "Label", "empty Label: every element needs one")
            continue
        given = row.get("ID")
        if not given and label in builder.by_label:
            builder.problem(
                shown, row, "Label", f"a second element labelled {label!r}; give each an ID"
            )
            continue
        ident = ids.valid(given) if given else builder.new_id(slugify(label) or "actor")
        data: dict[str, Any] = {"id": ident, "name": label, "kind": builder.kind(row.get("Type"))}
        for key, column in (("description", "Description"), ("note", "Note")):
            if row.get(column):
                data[key] = row.get(column)
        for key, column in (("aliases", "Aliases"), ("tags", "Tags")):
            if row.get(column):
                data[key] = split_values(row.get(column))
        for key, column in (("since", "Since"), ("until", "Until")):
            if row.get(column):
                data[key] = row.get(column)
        columns = {
            "id": "ID",
            "name": "Label",
            "kind": "Type",
            "since": "Since",
            "until": "Until",
            "tags": "Tags",
            "aliases": "Aliases",
        }
        if ident in builder.actors:
            builder.problem(shown, row, "ID", f"a second element with id {ident!r}")
            continue
        if builder.check(Actor, data, shown, row, columns):
            builder.actors[ident] = data
            builder.by_label.setdefault(label, ident)
            if given:
                builder.by_label.setdefault(given, ident)


def _read_vocabulary(builder: Builder, table: Table) -> None:
    """Take the file's own kinds and types from the vocabulary sheet."""
    flags = {"yes": True, "no": False, "true": True, "false": False, "": False}
    shown = table.path
    for row in table.rows:
        ident, section = row.get("ID"), row.get("Section")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            builder.problem(shown, row, "ID", f"{ident!r} is not a valid id")
            continue
        entry: dict[str, Any] = {
            "label": row.get("Label") or ident.replace("_", " "),
            "description": row.get("Description") or "Imported; describe it.",
        }
        if section == "actor_kind":
            if ident not in builder.builtin_kinds:
                builder.kinds[ident] = entry
        elif section == "relation_type":
            sign = parse_sign(builder, shown, row, "Sign") or "neutral"
            bad = [c for c in ("Directed", "Structural") if row.get(c).lower() not in flags]
            for column in bad:
                builder.problem(shown, row, column, f"{row.get(column)!r} is not yes or no")
            if ident not in builder.builtin_types and not bad:
                builder.types[ident] = {
                    **entry,
                    "directed": flags[row.get("Directed").lower()],
                    "structural": flags[row.get("Structural").lower()],
                }
                builder.type_signs[ident] = Counter({sign: 1})
                builder.fixed_signs[ident] = sign
        else:
            builder.problem(
                shown, row, "Section", f"{section!r} is not actor_kind or relation_type"
            )


_RELATION_COLUMNS = {
    "id": "ID",
    "type": "Type",
    "sign": "Sign",
    "strength": "Strength",
    "status": "Status",
    "confidence": "Confidence",
    "since": "Since",
    "until": "Until",
    "note": "Description",
    "tags": "Tags",
    "scenario": "Scenario",
}


def _end(builder: Builder, shown: str, row: Row, column: str, label: str) -> str:
    if label not in builder.by_label and label not in builder.actors:
        builder.notes.append(
            f"{shown}:{row.at(column)[0]}: {label!r} is not in the elements sheet; "
            f"added it as an actor of kind {DEFAULT_KIND!r}"
        )
    return builder.actor_for(label, or_id=True, at=(shown, row, column))


def _read_connection(builder: Builder, shown: str, row: Row, ids: _IdMap) -> None:
    from explorer.model import Relation

    source_label, targets = row.get("From"), split_values(row.get("To"))
    if not source_label:
        builder.problem(shown, row, "From", "empty From: name an element")
        return
    if not targets:
        builder.problem(shown, row, "To", "empty To: name an element")
        return
    if len(targets) > 1:
        builder.notes.append(
            f"{shown}:{row.at('To')[0]}: To names {len(targets)} elements; "
            f"made one relation to each"
        )
    source = _end(builder, shown, row, "From", source_label)
    sign = parse_sign(builder, shown, row, "Sign")
    direction = row.get("Direction").casefold()
    if direction not in ("", "directed", "undirected", "mutual"):
        builder.problem(
            shown, row, "Direction", f"{direction!r} is not one of directed, undirected, mutual"
        )
        return
    strength = parse_strength(builder, shown, row, "Strength")
    base: dict[str, Any] = {
        # Kumu's "mutual" is a connection both ways: our undirected.
        "type": builder.relation_type(
            row.get("Type"), sign, direction not in ("undirected", "mutual")
        ),
    }
    if sign is not None:
        base["sign"] = sign
    if strength is not None:
        base["strength"] = strength
    for key, column in (
        ("status", "Status"),
        ("confidence", "Confidence"),
        ("since", "Since"),
        ("until", "Until"),
        ("note", "Description"),
        ("scenario", "Scenario"),
    ):
        if row.get(column) and (key != "scenario" or "scenario" in Relation.model_fields):
            base[key] = row.get(column)
    if row.get("Tags"):
        base["tags"] = split_values(row.get("Tags"))
    columns = dict(_RELATION_COLUMNS)
    evidence = _evidence(builder, shown, row, columns)
    if evidence:
        base["evidence"] = evidence
    ident = ids.valid(row.get("ID")) if row.get("ID") else None
    for number, label in enumerate(targets, start=1):
        target = _end(builder, shown, row, "To", label)
        if target == source:
            builder.problem(shown, row, "To", f"a relation from {source_label!r} to itself")
            continue
        relation = {"source": source, "target": target, **base}
        if ident:
            relation["id"] = ident if number == 1 else f"{ident}_{number}"
        if builder.check(Relation, relation, shown, row, columns):
            builder.relations.append(relation)


def _evidence(
    builder: Builder, shown: str, row: Row, columns: dict[str, str]
) -> list[dict[str, Any]]:
    evidence: list[dict[str, Any]] = []
    number = 1
    while True:
        quote_col, source_col, note_col = evidence_columns(number)
        if quote_col not in row.cells and source_col not in row.cells:
            break
        quote, cited = row.get(quote_col), row.get(source_col)
        if quote or cited:
            if not quote:
                builder.problem(shown, row, quote_col, "a source with no quote")
            elif not cited:
                builder.problem(shown, row, source_col, "a quote with no source")
            else:
                ident = cited if cited in builder.sources else slugify(cited) or "source"
                if ident not in builder.sources:
                    builder.sources[ident] = {"id": ident, "title": cited}
                    builder.notes.append(
                        f"added source {ident!r} (not in the sources sheet); give it a proper title"
                    )
                item = {"source": ident, "quote": quote}
                if row.get(note_col):
                    item["note"] = row.get(note_col)
                columns[f"evidence.{len(evidence)}.quote"] = quote_col
                columns[f"evidence.{len(evidence)}.source"] = source_col
                evidence.append(item)
        number += 1
    return evidence


# --- Kumu's JSON blueprint -----------------------------------------------------------------


def is_kumu_blueprint(data: Any) -> bool:
    """Whether parsed JSON is a Kumu blueprint: ``elements`` and ``connections`` lists."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("elements"), list)
        and isinstance(data.get("connections"), list)
    )


_ELEMENT_KEYS = {
    "label": "Label",
    "element type": "Type",
    "type": "Type",
    "description": "Description",
    "tags": "Tags",
    "aliases": "Aliases",
    "since": "Since",
    "until": "Until",
    "note": "Note",
}
_CONNECTION_KEYS = {
    "connection type": "Type",
    "type": "Type",
    "strength": "Strength",
    "tags": "Tags",
    "description": "Description",
    "sign": "Sign",
    "status": "Status",
    "confidence": "Confidence",
    "since": "Since",
    "until": "Until",
    "label": "Label",
}


def read_kumu_json(data: Any, path: str, *, title: str | None = None) -> ImportResult:
    """Read a Kumu JSON blueprint (``elements`` and ``connections`` with ``attributes``)."""
    unknown: Counter[str] = Counter()

    def row_of(item: Any, keys: Mapping[str, str], number: int, extra: Mapping[str, Any]) -> Row:
        cells: dict[str, str] = {}
        attributes = item.get("attributes", {}) if isinstance(item, dict) else {}
        for key, value in {**attributes, **extra}.items():
            name = keys.get(str(key).casefold()) or {
                "ID": "ID",
                "From": "From",
                "To": "To",
                "Direction": "Direction",
            }.get(str(key))
            if name is None:
                unknown[str(key)] += 1
                continue
            if isinstance(value, list):
                value = join_values([str(v) for v in value])
            cells[name] = "" if value is None else str(value)
        return Row(cells, number, {}, "")

    elements = [
        row_of(e, _ELEMENT_KEYS, i + 1, {"ID": e.get("_id") or e.get("id") or ""})
        for i, e in enumerate(data["elements"])
        if isinstance(e, dict)
    ]
    connections = [
        row_of(
            c,
            _CONNECTION_KEYS,
            i + 1,
            {
                "ID": c.get("_id") or c.get("id") or "",
                "From": c.get("from", ""),
                "To": c.get("to", ""),
                "Direction": c.get("direction", ""),
            },
        )
        for i, c in enumerate(data["connections"])
        if isinstance(c, dict)
    ]
    tables = {
        "elements": Table(path, list(KUMU_ELEMENT_COLUMNS), elements),
        "connections": Table(path, list(KUMU_CONNECTION_COLUMNS), connections),
    }
    result = _from_tables(tables, path, title, Path(path).name, "connections list")
    for key, count in sorted(unknown.items()):
        result.notes.append(f"ignored Kumu attribute {key!r} on {count} records: not a field")
    return result


def kumu_json_loads(data: bytes, path: str) -> Any:
    return json.loads(decode(data, path))
