"""Reading maps made elsewhere: a Kumu-style CSV pair, or a plain edge list CSV.

Both end as a ``Dataset``; ``explorer.load.dump_dataset`` writes it as a stakeholder file.

- Kumu: ``elements.csv`` (``Label``, ``Type``, ``Description``, ``Tags`` ...) and
  ``connections.csv`` (``From``, ``To``, ``Type``, ``Direction``, ``Strength`` ...), in a zip
  or a folder, as ``explorer.export`` writes them; an optional ``sources.csv`` keeps the
  sources' titles. ``From`` and ``To`` name elements by label (or id).
- An edge list: a CSV with the columns ``source,target[,type][,sign]`` (a header row is
  optional). Every actor named becomes an actor of kind ``group`` (the loosest kind, for the
  curator to refine) whose id is its name in lower case with ``_`` for anything else.

A type or kind that is not built in is added to the file's vocabulary, and reported in
``ImportResult.notes``. Problems are ``DataErrors`` that point at ``file:line:col`` of the
CSV, like the loader's.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from explorer.errors import DataErrors, Problem
from explorer.export import (
    KUMU_CONNECTION_COLUMNS,
    KUMU_ELEMENT_COLUMNS,
    KUMU_SOURCE_COLUMNS,
    KUMU_VOCABULARY_COLUMNS,
)
from explorer.model import (
    FORMAT,
    SIGNS,
    Actor,
    Dataset,
    Relation,
    SignWord,
    Source,
    builtin_vocabulary,
)

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_TYPES",
    "ImportResult",
    "import_edge_list",
    "import_kumu",
    "import_path",
    "slugify",
]

#: Kind of the actors an edge list (or a connection to an unlisted element) creates.
DEFAULT_KIND = "group"
#: Relation type of a row that gives none, by the row's sign (no sign: neutral).
DEFAULT_TYPES: dict[SignWord, str] = {
    "positive": "supports",
    "negative": "hostile_to",
    "neutral": "influences",
}

#: How an edge list may write a sign: the words, their values (1, -1, 0) and a few more.
_SIGN_WORDS: dict[str, SignWord] = {
    **{word: word for word in SIGNS},
    **{str(value): word for word, value in SIGNS.items()},
    "+": "positive",
    "+1": "positive",
    "pos": "positive",
    "-": "negative",
    "\u2212": "negative",
    "neg": "negative",
}
_SEPARATOR = "|"


@dataclass
class ImportResult:
    """An imported dataset and what the import had to decide for the curator."""

    dataset: Dataset
    notes: list[str] = field(default_factory=list)


def slugify(name: str) -> str:
    """An id from a name: lower case ASCII letters, digits and ``_``, starting with a letter.

    Returns "" for a name with no Latin letters or digits (the caller numbers those).

    >>> slugify("Tehrik-i-Taliban Pakistan (TTP)")
    'tehrik_i_taliban_pakistan_ttp'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if text and not text[0].isalpha():
        text = "a_" + text
    return text


# --- reading CSV with positions ------------------------------------------------------------


@dataclass
class _Row:
    """One CSV record: its cells by column name, and where each cell starts."""

    cells: dict[str, str]
    line: int
    cols: dict[str, tuple[int, int]]  # column name -> (line, col) of the cell

    def get(self, name: str) -> str:
        return self.cells.get(name, "").strip()

    def at(self, name: str) -> tuple[int, int]:
        return self.cols.get(name, (self.line, 1))


def _cell_starts(record: str) -> list[tuple[int, int]]:
    """(line offset, column) of each cell of one CSV record's raw text; columns count from 1."""
    starts = [(0, 1)]
    quoted = False
    line, col = 0, 1
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append((line, col + 1))
        if char == "\n":
            line, col = line + 1, 1
        else:
            col += 1
    return starts


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _records(text: str) -> Iterator[tuple[int, str]]:
    """Each CSV record's first line number and raw text (a quoted cell may span lines)."""
    # Only CR and LF end CSV lines; str.splitlines would also split at U+2028 and friends.
    lines = _LINE.findall(text)
    number = 0
    while number < len(lines):
        start = number
        record = lines[number]
        number += 1
        while record.count('"') % 2 and number < len(lines):
            record += lines[number]
            number += 1
        yield start + 1, record


class _Table:
    """A CSV file read into rows that remember where each cell is.

    Without ``header`` the first record names the columns (each passed through
    ``rename``, which also fixes case); with it, every record is data.
    """

    def __init__(
        self,
        text: str,
        path: str,
        *,
        header: list[str] | None = None,
        rename: Callable[[str], str] = str.strip,
    ) -> None:
        self.path = path
        self.rows: list[_Row] = []
        self.header: list[str] = list(header or [])
        self.header_line = 1
        self.header_cols: list[int] = []
        records = [(n, r) for n, r in _records(text) if r.strip()]
        if header is None and records:
            number, raw = records.pop(0)
            cells = next(csv.reader(io.StringIO(raw)), [])
            self.header = [rename(c) for c in cells]
            self.header_line = number
            self.header_cols = [col for _, col in _cell_starts(raw.rstrip("\r\n"))]
        for number, raw in records:
            cells = next(csv.reader(io.StringIO(raw)), [])
            starts = _cell_starts(raw.rstrip("\r\n"))
            row = _Row({}, number, {})
            for position, value in enumerate(cells):
                if position < len(self.header):
                    name = self.header[position]
                else:
                    name = f"column {position + 1}"
                row.cells[name] = value
                offset, col = starts[position] if position < len(starts) else (0, 1)
                row.cols[name] = (number + offset, col)
            self.rows.append(row)


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise DataErrors(
            [Problem(path, line, col, "file", f"not valid UTF-8: byte 0x{data[exc.start]:02x}")]
        ) from None


# --- building the dataset ------------------------------------------------------------------


class _Builder:
    """Collects actors, relations, sources and vocabulary from rows, and every problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.actors: dict[str, dict[str, Any]] = {}
        self.by_label: dict[str, str] = {}
        self.relations: list[dict[str, Any]] = []
        self.sources: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, dict[str, str]] = {}
        self.types: dict[str, dict[str, Any]] = {}
        self.type_signs: dict[str, Counter[str]] = {}
        self.fixed_signs: dict[str, str] = {}  # signs that vocabulary.csv gives
        vocab = builtin_vocabulary()
        self.builtin_kinds = vocab.actor_kinds
        self.builtin_types = vocab.relation_types

    def problem(self, path: str, row: _Row, column: str, message: str) -> None:
        line, col = row.at(column)
        self.problems.append(Problem(path, line, col, column, message))

    # vocabulary ------------------------------------------------------------------------

    def kind(self, text: str) -> str:
        """The kind id a Type cell names (id or built-in label); new kinds are added."""
        if not text:
            return DEFAULT_KIND
        key = _key(text)
        for ident, kind in self.builtin_kinds.items():
            if key in (ident, _key(kind.label)):
                return ident
        ident = slugify(text) or "kind"
        if ident not in self.kinds:
            self.kinds[ident] = {
                "label": text.strip(),
                "description": f"Added on import from {Path(self.path).name}; describe it.",
            }
            self.notes.append(f"added actor kind {ident!r} to the file's vocabulary")
        return ident

    def relation_type(self, text: str, sign: str | None, directed: bool) -> str:
        """The type id a Type cell names; a row without one gets ``DEFAULT_TYPES[sign]``."""
        if not text:
            return DEFAULT_TYPES[sign or "neutral"]
        key = _key(text)
        for ident, rtype in self.builtin_types.items():
            if key in (ident, _key(rtype.label)):
                return ident
        ident = slugify(text) or "relation"
        if ident not in self.types:
            self.types[ident] = {
                "label": text.strip().replace("_", " "),
                "directed": directed,
                "structural": False,
                "description": f"Added on import from {Path(self.path).name}; describe it.",
            }
            self.type_signs[ident] = Counter()
            self.notes.append(f"added relation type {ident!r} to the file's vocabulary")
        self.type_signs[ident][sign or "neutral"] += 1
        return ident

    def default_sign(self, type_id: str) -> str:
        if type_id in self.builtin_types:
            return self.builtin_types[type_id].sign
        if type_id in self.fixed_signs:
            return self.fixed_signs[type_id]
        counts = self.type_signs.get(type_id) or Counter()
        return counts.most_common(1)[0][0] if counts else "neutral"

    # records ---------------------------------------------------------------------------

    def actor_for(self, name: str, *, or_id: bool = False) -> str:
        """The id of the actor with this label (or, with ``or_id``, this id); new ones are added.

        New actors are of kind ``DEFAULT_KIND``, with an id made from the name.
        """
        if name in self.by_label:
            return self.by_label[name]
        if or_id and name in self.actors:
            return name
        base = slugify(name) or f"actor_{len(self.actors) + 1}"
        ident = base
        number = 2
        while ident in self.actors:
            ident = f"{base}_{number}"
            number += 1
        self.actors[ident] = {"id": ident, "name": name, "kind": DEFAULT_KIND}
        self.by_label[name] = ident
        return ident

    def check(
        self,
        model: type[BaseModel],
        data: dict[str, Any],
        path: str,
        row: _Row,
        columns: Mapping[str, str],
    ) -> bool:
        """Validate one record; report each field's problem at its cell."""
        try:
            model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = err["loc"]
                name = str(loc[0]) if loc else ""
                column = columns.get(name, name)
                if name == "evidence" and len(loc) >= 3:
                    column = columns.get(f"evidence.{loc[1]}.{loc[2]}", column)
                message = str((err.get("ctx") or {}).get("error", err["msg"]))
                if err["type"] == "literal_error":
                    message = f"{err.get('input')!r} is not one of {err['ctx']['expected']}"
                elif err["type"] in {"greater_than_equal", "less_than_equal", "int_parsing"}:
                    message = f"must be a whole number from 1 to 3, got {err.get('input')!r}"
                self.problem(path, row, column, message)
            return False
        return True

    def dataset(self, title: str, description: str | None = None) -> Dataset:
        if self.problems:
            raise DataErrors(self.problems)
        vocabulary: dict[str, Any] = {}
        if self.kinds:
            vocabulary["actor_kinds"] = self.kinds
        if self.types:
            vocabulary["relation_types"] = {
                ident: {**entry, "sign": self.default_sign(ident)}
                for ident, entry in self.types.items()
            }
        relations = []
        for rel in self.relations:
            # Keep a sign only where it differs from the type's, as a curator would write it.
            if rel.get("sign") == self.default_sign(rel["type"]):
                rel = {k: v for k, v in rel.items() if k != "sign"}
            relations.append(rel)
        raw: dict[str, Any] = {
            "format": FORMAT,
            "title": title,
            "sources": list(self.sources.values()),
            "actors": list(self.actors.values()),
            "relations": relations,
        }
        if description:
            raw["description"] = description
        if vocabulary:
            raw["vocabulary"] = vocabulary
        try:
            return Dataset.model_validate(raw)
        except ValidationError as exc:
            raise DataErrors(
                [Problem(self.path, 1, 1, "file", str(e["msg"])) for e in exc.errors()]
            ) from None


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(_SEPARATOR) if part.strip()]


def _sign(builder: _Builder, path: str, row: _Row, column: str) -> str | None:
    text = row.get(column)
    if not text:
        return None
    sign = _SIGN_WORDS.get(text.casefold())
    if sign is None:
        builder.problem(
            path, row, column, f"unknown sign {text!r}; use +, -, 0 or positive, negative, neutral"
        )
    return sign


# --- edge lists ----------------------------------------------------------------------------

_EDGE_COLUMNS = ("source", "target", "type", "sign")
_EDGE_SYNONYMS = {"from": "source", "to": "target"}


def _edge_column(cell: str) -> str:
    name = cell.strip().casefold()
    return _EDGE_SYNONYMS.get(name, name)


def import_edge_list(data: bytes, path: str, *, title: str | None = None) -> ImportResult:
    """Read an edge list CSV (``source,target[,type][,sign]``) into a dataset."""
    text = _decode(data, path)
    first = next(csv.reader(io.StringIO(_first_record(text))), [])
    names = [_edge_column(c) for c in first]
    builder = _Builder(path)
    if names[:2] == ["source", "target"]:
        table = _Table(text, path, rename=_edge_column)
        for position, name in enumerate(table.header):
            if name not in _EDGE_COLUMNS:
                builder.problems.append(
                    Problem(
                        path,
                        table.header_line,
                        table.header_cols[position],
                        "header",
                        f"unknown column {name!r}; an edge list has source, target, type, sign",
                    )
                )
    else:
        table = _Table(text, path, header=list(_EDGE_COLUMNS))
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
        sign = _sign(builder, path, row, "sign")
        type_id = builder.relation_type(row.get("type"), sign, True)
        relation: dict[str, Any] = {
            "source": builder.actor_for(source),
            "target": builder.actor_for(target),
            "type": type_id,
        }
        if sign is not None:
            relation["sign"] = sign
        builder.relations.append(relation)
    dataset = builder.dataset(title or f"Imported from {Path(path).name}")
    notes = builder.notes
    if dataset.actors:
        notes.insert(0, f"created {len(dataset.actors)} actors of kind {DEFAULT_KIND!r}")
    return ImportResult(dataset, notes)


def _first_record(text: str) -> str:
    return next(iter(_records(text)), (1, ""))[1].rstrip("\r\n")


# --- Kumu ----------------------------------------------------------------------------------


def _kumu_tables(path: Path) -> dict[str, tuple[str, str]]:
    """The Kumu CSV files of a zip or folder, as {name: (text, path shown in messages)}."""
    found: dict[str, tuple[str, str]] = {}
    wanted = ("elements.csv", "connections.csv", "sources.csv", "vocabulary.csv")
    if path.is_dir():
        for name in wanted:
            member = path / name
            if member.is_file():
                found[name] = (_decode(member.read_bytes(), str(member)), str(member))
        return found
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1].casefold()
                if base in wanted and base not in found:
                    shown = f"{path}/{info.filename}"
                    found[base] = (_decode(archive.read(info), shown), shown)
    except zipfile.BadZipFile:
        raise DataErrors([Problem(str(path), 1, 1, "file", "not a zip file")]) from None
    return found


_KUMU_NAMES = {
    name.casefold(): name
    for name in (
        *KUMU_ELEMENT_COLUMNS,
        *KUMU_CONNECTION_COLUMNS,
        *KUMU_SOURCE_COLUMNS,
        *KUMU_VOCABULARY_COLUMNS,
        "Quote",
        "Source",
        "Evidence Note",
    )
}


def _kumu_column(cell: str) -> str:
    """A Kumu column name in our spelling, whatever its case (``quote 2`` -> ``Quote 2``)."""
    name = " ".join(cell.split())
    match = re.fullmatch(r"(.*?)( [0-9]+)?", name)
    assert match is not None
    base = _KUMU_NAMES.get(match[1].casefold(), match[1])
    return base + (match[2] or "")


def import_kumu(path: str | os.PathLike[str], *, title: str | None = None) -> ImportResult:
    """Read Kumu's ``elements.csv`` and ``connections.csv`` (a zip or a folder) into a dataset."""
    where = Path(path)
    tables = _kumu_tables(where)
    if "connections.csv" not in tables:
        raise DataErrors(
            [Problem(str(where), 1, 1, "file", "no connections.csv (Kumu's connections sheet)")]
        )
    builder = _Builder(str(where))
    if "vocabulary.csv" in tables:
        _read_vocabulary(builder, *tables["vocabulary.csv"])
    if "sources.csv" in tables:
        text, shown = tables["sources.csv"]
        for row in _Table(text, shown, rename=_kumu_column).rows:
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
            if builder.check(Source, data, shown, row, columns):
                builder.sources[ident] = data
    if "elements.csv" in tables:
        text, shown = tables["elements.csv"]
        table = _Table(text, shown, rename=_kumu_column)
        if "Label" not in table.header:
            builder.problems.append(
                Problem(shown, table.header_line, 1, "header", "no Label column")
            )
        for row in table.rows:
            label = row.get("Label")
            if not label:
                builder.problem(shown, row, "Label", "empty Label: every element needs one")
                continue
            if label in builder.by_label:
                builder.problem(shown, row, "Label", f"a second element labelled {label!r}")
                continue
            ident = row.get("ID") or slugify(label) or ""
            data: dict[str, Any] = {
                "id": ident or f"actor_{len(builder.actors) + 1}",
                "name": label,
                "kind": builder.kind(row.get("Type")),
            }
            for key, column in (("description", "Description"), ("note", "Note")):
                if row.get(column):
                    data[key] = row.get(column)
            for key, column in (("aliases", "Aliases"), ("tags", "Tags")):
                if row.get(column):
                    data[key] = _split(row.get(column))
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
            if data["id"] in builder.actors:
                builder.problem(shown, row, "ID", f"a second element with id {data['id']!r}")
                continue
            if builder.check(Actor, data, shown, row, columns):
                builder.actors[data["id"]] = data
                builder.by_label[label] = data["id"]
    text, shown = tables["connections.csv"]
    table = _Table(text, shown, rename=_kumu_column)
    for column in ("From", "To"):
        if column not in table.header:
            builder.problems.append(
                Problem(shown, table.header_line, 1, "header", f"no {column} column")
            )
    for row in table.rows:
        _kumu_connection(builder, shown, row)
    dataset = builder.dataset(title or f"Imported from {where.name}")
    return ImportResult(dataset, builder.notes)


def _read_vocabulary(builder: _Builder, text: str, shown: str) -> None:
    """Take the file's own kinds and types from ``vocabulary.csv``."""
    flags = {"yes": True, "no": False, "true": True, "false": False, "": False}
    for row in _Table(text, shown, rename=_kumu_column).rows:
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
            sign = _sign(builder, shown, row, "Sign") or "neutral"
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


def _kumu_connection(builder: _Builder, shown: str, row: _Row) -> None:
    ends = []
    for column in ("From", "To"):
        label = row.get(column)
        if not label:
            builder.problem(shown, row, column, f"empty {column}: name an element")
            return
        if label not in builder.by_label and label not in builder.actors:
            builder.notes.append(
                f"{shown}:{row.at(column)[0]}: {label!r} is not in elements.csv; "
                f"added it as an actor of kind {DEFAULT_KIND!r}"
            )
        ends.append(builder.actor_for(label, or_id=True))
    if ends[0] == ends[1]:
        builder.problem(shown, row, "To", f"a relation from {row.get('From')!r} to itself")
        return
    sign = _sign(builder, shown, row, "Sign")
    direction = row.get("Direction").casefold()
    if direction not in ("", "directed", "undirected", "mutual"):
        builder.problem(
            shown, row, "Direction", f"{direction!r} is not one of directed, undirected, mutual"
        )
        return
    relation: dict[str, Any] = {
        "source": ends[0],
        "target": ends[1],
        # Kumu's "mutual" is a connection both ways: our undirected.
        "type": builder.relation_type(
            row.get("Type"), sign, direction not in ("undirected", "mutual")
        ),
    }
    if row.get("ID"):
        relation["id"] = row.get("ID")
    if sign is not None:
        relation["sign"] = sign
    if row.get("Strength"):
        text = row.get("Strength")
        relation["strength"] = int(text) if re.fullmatch(r"[0-9]+", text) else text
    for key, column in (
        ("status", "Status"),
        ("confidence", "Confidence"),
        ("since", "Since"),
        ("until", "Until"),
        ("note", "Description"),
    ):
        if row.get(column):
            relation[key] = row.get(column)
    if row.get("Tags"):
        relation["tags"] = _split(row.get("Tags"))
    evidence = []
    columns = {
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
    }
    number = 1
    while True:
        suffix = "" if number == 1 else f" {number}"
        quote_col, source_col, note_col = (
            f"Quote{suffix}",
            f"Source{suffix}",
            f"Evidence Note{suffix}",
        )
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
                        f"added source {ident!r} (not in sources.csv); give it a proper title"
                    )
                item = {"source": ident, "quote": quote}
                if row.get(note_col):
                    item["note"] = row.get(note_col)
                columns[f"evidence.{len(evidence)}.quote"] = quote_col
                columns[f"evidence.{len(evidence)}.source"] = source_col
                evidence.append(item)
        number += 1
    if evidence:
        relation["evidence"] = evidence
    if builder.check(Relation, relation, shown, row, columns):
        builder.relations.append(relation)


# --- one entry point -----------------------------------------------------------------------


def import_path(path: str | os.PathLike[str], *, title: str | None = None) -> ImportResult:
    """Import a Kumu zip or folder, or an edge list ``.csv``, whichever ``path`` is."""
    where = Path(path)
    if not where.exists():
        raise DataErrors([Problem(str(where), 1, 1, "file", "no such file or folder")])
    if where.is_dir() or where.suffix.lower() == ".zip":
        return import_kumu(where, title=title)
    try:
        data = where.read_bytes()
    except OSError as exc:
        raise DataErrors(
            [Problem(str(where), 1, 1, "file", f"cannot read: {exc.strerror}")]
        ) from None
    return import_edge_list(data, str(where), title=title)
