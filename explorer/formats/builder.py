"""Building a ``Dataset`` from rows of a table, as the spreadsheet importers read them.

``Builder`` collects actors, relations, sources and vocabulary and every problem, each at
its cell; the Kumu and edge-list readers feed it. New kinds and types join the file's
vocabulary and are reported as notes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from explorer.errors import DataErrors, Problem
from explorer.formats.records import as_written
from explorer.formats.tables import Row
from explorer.model import FORMAT, Dataset, builtin_vocabulary

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_TYPES",
    "STRENGTH_WORDS",
    "Builder",
    "parse_sign",
    "parse_strength",
    "slugify",
    "split_values",
]

#: Kind of the actors an edge list (or a connection to an unlisted element) creates.
DEFAULT_KIND = "group"
#: Relation type of a row that gives none, by the row's sign (no sign: neutral).
DEFAULT_TYPES = {"positive": "supports", "negative": "hostile_to", "neutral": "influences"}

SIGN_WORDS = {
    "+": "positive",
    "+1": "positive",
    "1": "positive",
    "positive": "positive",
    "pos": "positive",
    "-": "negative",
    "\u2212": "negative",
    "-1": "negative",
    "negative": "negative",
    "neg": "negative",
    "0": "neutral",
    "neutral": "neutral",
}

#: Strength words (Kumu's and spreadsheets') and the strength 1-3 each becomes.
STRENGTH_WORDS = {
    "weak": 1,
    "low": 1,
    "light": 1,
    "minor": 1,
    "medium": 2,
    "moderate": 2,
    "normal": 2,
    "average": 2,
    "strong": 3,
    "high": 3,
    "very strong": 3,
    "major": 3,
}
_NUMBER = re.compile(r"[+]?[0-9]{1,6}(?:[.,][0-9]{1,6})?")
_SEPARATOR = "|"


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


def split_values(text: str) -> list[str]:
    """Kumu's multi-value cell: values split at ``|``; ``\\|`` is a ``|`` inside a value."""
    parts = re.split(r"(?<!\\)\|", text)
    values = [p.replace("\\|", "|").strip() for p in parts]
    return [v for v in values if v]


def join_values(values: list[str]) -> str:
    """The inverse of ``split_values``: a ``|`` inside a value is written ``\\|``."""
    return _SEPARATOR.join(v.replace("|", "\\|") for v in values)


def parse_sign(builder: Builder, path: str, row: Row, column: str) -> str | None:
    """The sign word a cell names, or None for an empty cell; a problem for anything else."""
    text = row.get(column)
    if not text:
        return None
    sign = SIGN_WORDS.get(text.casefold())
    if sign is None:
        builder.problem(
            path, row, column, f"unknown sign {text!r}; use +, -, 0 or positive, negative, neutral"
        )
    return sign


def parse_strength(builder: Builder, path: str, row: Row, column: str) -> int | None:
    """A strength 1-3 from a number or a word of ``STRENGTH_WORDS``; a problem otherwise."""
    text = row.get(column)
    if not text:
        return None
    word = " ".join(text.casefold().split())
    if word in STRENGTH_WORDS:
        return STRENGTH_WORDS[word]
    if _NUMBER.fullmatch(text):
        value = float(text.replace(",", "."))
        if value.is_integer() and 1 <= value <= 3:
            return int(value)
    shown = text if len(text) <= 40 else text[:37] + "..."
    builder.problem(
        path,
        row,
        column,
        f"strength {shown!r} is not 1, 2 or 3 or a word for one "
        "(weak, medium, strong: see docs/exports.md)",
    )
    return None


class Builder:
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
        self._next: dict[str, int] = {}
        self.scenarios: list[dict[str, Any]] = []
        #: Where each actor added from a relation's end was first named: (path, row, column).
        self.named_at: dict[str, tuple[str, Row, str]] = {}
        vocab = builtin_vocabulary()
        self.builtin_kinds = vocab.actor_kinds
        self.builtin_types = vocab.relation_types

    def problem(self, path: str, row: Row, column: str, message: str) -> None:
        self.problems.append(row.problem(path, column, message))

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

    def actor_for(
        self, name: str, *, or_id: bool = False, at: tuple[str, Row, str] | None = None
    ) -> str:
        """The id of the actor with this label (or, with ``or_id``, this id); new ones are added.

        New actors are of kind ``DEFAULT_KIND``, with an id made from the name; ``at`` (path,
        row, column) is the cell that named it first, where a problem with it is reported.
        """
        if name in self.by_label:
            return self.by_label[name]
        if or_id and name in self.actors:
            return name
        ident = self.new_id(slugify(name) or f"actor_{len(self.actors) + 1}")
        self.actors[ident] = {"id": ident, "name": name, "kind": DEFAULT_KIND}
        self.by_label[name] = ident
        if at is not None:
            self.named_at[ident] = at
        return ident

    def new_id(self, base: str) -> str:
        """``base``, or ``base_2``, ``base_3`` ... whichever is free (linear over many repeats)."""
        ident = base
        number = self._next.get(base, 2)
        while ident in self.actors:
            ident = f"{base}_{number}"
            number += 1
        self._next[base] = number
        return ident

    def check(
        self,
        model: type[BaseModel],
        data: dict[str, Any],
        path: str,
        row: Row,
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
                message = _message(err)
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
        relations = as_written({"vocabulary": vocabulary}, relations)
        raw: dict[str, Any] = {
            "format": FORMAT,
            "title": title,
            "sources": list(self.sources.values()),
            "actors": list(self.actors.values()),
            "relations": relations,
        }
        if description:
            raw["description"] = description
        if self.scenarios:
            raw["scenarios"] = self.scenarios
        if vocabulary:
            raw["vocabulary"] = vocabulary
        try:
            return Dataset.model_validate(raw)
        except ValidationError as exc:
            raise DataErrors([self._placed(raw, e) for e in exc.errors()]) from None

    def _placed(self, raw: dict[str, Any], error: Any) -> Problem:
        """A whole-file check's error, at the cell that named the actor where one did."""
        message = _message(error)
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "actors" and isinstance(loc[1], int):
            named = self.named_at.get(str(raw["actors"][loc[1]].get("id")))
            if named is not None:
                path, row, column = named
                return row.problem(path, column, message)
        return Problem(self.path, 1, 1, "file", message)


def _message(error: Any) -> str:
    """A pydantic error's own words: a validator's message without pydantic's prefix."""
    return str((error.get("ctx") or {}).get("error", error["msg"]))


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())
