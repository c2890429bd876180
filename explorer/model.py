"""The data model of a stakeholder file: pydantic models, no file I/O.

A ``Dataset`` is what a valid stakeholder file means. Field rules live in field validators;
rules across records (unique ids, known endpoints, known sources, known kinds and types) live
in ``reference_problems``, which the ``Dataset`` validator runs and which ``load.py`` runs on
raw data so that it can report them with every other problem at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from explorer.errors import CONTROL_CHARACTERS
from explorer.vocabulary import builtin_vocabulary_data

__all__ = [
    "CONFIDENCES",
    "CONFIDENCE_LABELS",
    "FIELD_ORDER",
    "FORMAT",
    "SIGNS",
    "SIGN_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "UNTIL_BEFORE_SINCE",
    "Actor",
    "ActorKind",
    "Confidence",
    "Dataset",
    "Evidence",
    "PartialDate",
    "Relation",
    "RelationType",
    "Scenario",
    "Sign",
    "SignWord",
    "Source",
    "Status",
    "Vocabulary",
    "builtin_vocabulary",
    "reference_problems",
]

FORMAT = "stakeholder-explorer/1"
MAX_QUOTE_WORDS = 40
#: The word that names the main forecast where a scenario id is expected.
MAIN_SCENARIO = "main"
#: The word that asks for every scenario's relations at once (a whole export, curating).
ALL_SCENARIOS = "all"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Loc = tuple[str | int, ...]


# --- the domain words: sign, status, confidence (defined here and nowhere else) ------------

SignWord = Literal["positive", "negative", "neutral"]
"""A sign as a stakeholder file writes it."""


#: The order of each record's fields when a file is written: new records an edit adds (where
#: the file shows no order of its own) and whole files written from a dataset.
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "author", "published", "url", "text", "note"),
    "actors": (
        "id",
        "name",
        "kind",
        "aliases",
        "description",
        "tags",
        "since",
        "until",
        "note",
    ),
    "relations": (
        "id",
        "source",
        "target",
        "type",
        "sign",
        "strength",
        "status",
        "confidence",
        "since",
        "until",
        "scenario",
        "evidence",
        "note",
        "tags",
    ),
    "scenarios": ("id", "title", "description", "replaces_main", "evidence", "note"),
}


class Sign(IntEnum):
    """The sign of a relation: +1 friendly, -1 hostile, 0 neither.

    A negative relation is hostility, not the absence of a relation. Members iterate in
    display order (positive, negative, neutral); graphs store the plain int.

    >>> Sign.from_word("negative"), Sign(1).word, Sign(0).label
    (<Sign.NEGATIVE: -1>, 'positive', 'Neutral')
    """

    POSITIVE = 1
    NEGATIVE = -1
    NEUTRAL = 0

    @property
    def word(self) -> SignWord:
        """The word a file uses: ``positive``, ``negative`` or ``neutral``."""
        return _SIGN_WORDS[self]

    @property
    def label(self) -> str:
        """The word as a label: ``Positive``."""
        return SIGN_LABELS[self.word]

    @classmethod
    def from_word(cls, word: str) -> Sign:
        """The sign a word names; ``ValueError`` for anything else."""
        if word not in SIGNS:
            raise ValueError(f"unknown sign {word!r}: use {', '.join(SIGNS)}")
        return cls(SIGNS[word])


_SIGN_WORDS: dict[Sign, SignWord] = {
    Sign.POSITIVE: "positive",
    Sign.NEGATIVE: "negative",
    Sign.NEUTRAL: "neutral",
}
#: Each sign word's value, in display order (positive, negative, neutral).
SIGNS: dict[SignWord, int] = {word: int(sign) for sign, word in _SIGN_WORDS.items()}
SIGN_LABELS: dict[SignWord, str] = {w: w.capitalize() for w in get_args(SignWord)}

Status = Literal["observed", "projected"]
"""Whether a relation holds now (observed) or is a forecast (projected)."""
#: The statuses in order: what is, then what is forecast.
STATUSES: tuple[Status, ...] = get_args(Status)
STATUS_LABELS: dict[Status, str] = {"observed": "Observed", "projected": "Projected"}
#: One line on each status, for help texts.
STATUS_MEANINGS: dict[Status, str] = {
    "observed": "the source says it holds",
    "projected": "the source forecasts it (a prediction, not yet a fact)",
}

Confidence = Literal["low", "medium", "high"]
"""How sure the curator is that the evidence supports the relation."""
#: Each confidence's rank, from least to most sure (compare ranks, never words).
CONFIDENCES: dict[Confidence, int] = {c: rank for rank, c in enumerate(get_args(Confidence), 1)}
CONFIDENCE_LABELS: dict[Confidence, str] = {c: c.capitalize() for c in get_args(Confidence)}


# --- dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date as the curator wrote it (``2021``, ``2021-08`` or ``2021-08-15``).

    ``first`` and ``last`` are the first and last day it covers: a year covers the whole
    year, a month the whole month.

    >>> d = PartialDate.parse("2021-02")
    >>> d.first, d.last
    (datetime.date(2021, 2, 1), datetime.date(2021, 2, 28))
    """

    text: str
    first: dt.date
    last: dt.date

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {_show(value)}")
        match = _DATE_PATTERN.match(value.strip())
        if not match:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {_show(value)}")
        year = int(match[1])
        if year < 1:
            raise ValueError(f"impossible date {value!r}: there is no year 0")
        if match[2] is None:
            return cls(value.strip(), dt.date(year, 1, 1), dt.date(year, 12, 31))
        month = int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"impossible date {value!r}: month {month} does not exist")
        days = calendar.monthrange(year, month)[1]
        if match[3] is None:
            return cls(value.strip(), dt.date(year, month, 1), dt.date(year, month, days))
        day = int(match[3])
        if not 1 <= day <= days:
            raise ValueError(
                f"impossible date {value!r}: {calendar.month_name[month]} {year} has {days} days"
            )
        return cls(value.strip(), dt.date(year, month, day), dt.date(year, month, day))

    def __str__(self) -> str:
        return self.text


DateField = Annotated[
    PartialDate,
    BeforeValidator(PartialDate.parse),
    PlainSerializer(lambda d: d.text, return_type=str),
]


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- shared pieces -------------------------------------------------------------------------

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _no_control_characters(value: str) -> str:
    """Refuse C0/C1 control characters other than tab and newline in any text of a map.

    They have no place in a name or a quote, and each is a hazard somewhere it is shown:
    escape sequences rewrite terminals, XML (SVG, GraphML, GEXF) cannot hold them, and
    spreadsheets refuse them.
    """
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ValueError(
            f"control character U+{ord(found[0]):04X} at character {found.start() + 1} "
            "is not allowed (only tab and newline are)"
        )
    return value


PlainText = AfterValidator(_no_control_characters)
"""The one rule every text field of the model carries."""
NonEmpty = Annotated[str, Field(min_length=1, max_length=300), PlainText]
"""A name, title, label, alias or tag: one line of text."""
Text = Annotated[str, Field(max_length=20_000), PlainText]
"""A description or note: free text, but bounded."""
Ident = Annotated[str, Field(min_length=1, max_length=64), PlainText]
"""An id, or a reference to one."""


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower case letters, digits and _, "
            "starting with a letter"
        )
    return value


#: Error type of a record whose ``until`` comes before its ``since`` (reported at ``until``).
UNTIL_BEFORE_SINCE = "until_before_since"


class _Dated(BaseModel):
    model_config = _STRICT

    since: DateField | None = None
    until: DateField | None = None

    @model_validator(mode="after")
    def _until_after_since(self) -> _Dated:
        if self.since and self.until and self.until.last < self.since.first:
            raise PydanticCustomError(
                UNTIL_BEFORE_SINCE,
                "until {until} is before since {since}",
                {"until": self.until.text, "since": self.since.text},
            )
        return self


# --- vocabulary ----------------------------------------------------------------------------


class ActorKind(BaseModel):
    """A kind of actor (state, armed group, person ...)."""

    model_config = _STRICT
    label: NonEmpty
    description: Annotated[str, Field(min_length=1, max_length=20_000), PlainText]


class RelationType(BaseModel):
    """A type of relation with its default sign and whether it has a direction."""

    model_config = _STRICT
    label: NonEmpty
    sign: SignWord
    directed: bool
    structural: bool = False
    description: Annotated[str, Field(min_length=1, max_length=20_000), PlainText]


class Vocabulary(BaseModel):
    """Actor kinds and relation types, by id."""

    model_config = _STRICT
    actor_kinds: dict[str, ActorKind] = Field(default_factory=dict)
    relation_types: dict[str, RelationType] = Field(default_factory=dict)

    @field_validator("actor_kinds", "relation_types")
    @classmethod
    def _ids(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            _check_id(key)
        return value

    def merged(self, extra: Vocabulary | None) -> Vocabulary:
        """Return this vocabulary with ``extra``'s kinds and types added."""
        if extra is None:
            return self
        return Vocabulary(
            actor_kinds={**self.actor_kinds, **extra.actor_kinds},
            relation_types={**self.relation_types, **extra.relation_types},
        )


_builtin: Vocabulary | None = None


def builtin_vocabulary() -> Vocabulary:
    """Return the built-in vocabulary (read once from ``vocabulary.yaml``)."""
    global _builtin
    if _builtin is None:
        _builtin = Vocabulary.model_validate(builtin_vocabulary_data())
    return _builtin


# --- records -------------------------------------------------------------------------------


class Source(BaseModel):
    """A document that evidence cites."""

    model_config = _STRICT
    id: Ident
    title: NonEmpty
    author: Text | None = None
    published: DateField | None = None
    url: Text | None = None
    text: Text | None = Field(
        default=None, description="Path of the source's text, relative to the data file."
    )
    note: Text | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class Evidence(BaseModel):
    """A verbatim quote from a source that supports a relation."""

    model_config = _STRICT
    source: Ident
    quote: Annotated[str, Field(min_length=1, max_length=2_000), PlainText]
    note: Text | None = None

    @field_validator("quote")
    @classmethod
    def _short(cls, value: str) -> str:
        words = len(value.split())
        if words > MAX_QUOTE_WORDS:
            raise ValueError(
                f"quote has {words} words; keep quotes to at most {MAX_QUOTE_WORDS} words"
            )
        return value


class Scenario(BaseModel):
    """A named alternative future: the projected relations that hold only if it comes true.

    A projected relation without a scenario is the author's main forecast. A scenario that
    ``replaces_main`` is a counterfactual that contradicts the main forecast: its view holds
    the observed relations and its own, without the main forecast.
    """

    model_config = _STRICT
    id: Ident
    title: NonEmpty
    description: Text | None = None
    replaces_main: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    note: Text | None = None

    @field_validator("id")
    @classmethod
    def _scenario_id(cls, value: str) -> str:
        _check_id(value)
        if value in (MAIN_SCENARIO, ALL_SCENARIOS):
            meaning = "the main forecast" if value == MAIN_SCENARIO else "every scenario at once"
            raise ValueError(f"{value!r} names {meaning}; give the scenario another id")
        return value


class Actor(_Dated):
    """Someone or something that takes part in relations."""

    id: Ident
    name: NonEmpty
    kind: Ident
    aliases: list[NonEmpty] = Field(default_factory=list)
    description: Text | None = None
    tags: list[NonEmpty] = Field(default_factory=list)
    note: Text | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class Relation(_Dated):
    """A claim that two actors stand in some relation, with its evidence."""

    id: Ident | None = None
    source: Ident
    target: Ident
    type: Ident
    sign: SignWord | None = None
    strength: Annotated[int, Field(ge=1, le=3)] = 2
    status: Status = "observed"
    confidence: Confidence = "medium"
    evidence: list[Evidence] = Field(default_factory=list)
    note: Text | None = None
    tags: list[NonEmpty] = Field(default_factory=list)
    scenario: Ident | None = Field(
        default=None,
        description="Id of the scenario under which this projected relation holds; none for "
        "the main forecast.",
    )

    @field_validator("id")
    @classmethod
    def _relation_id(cls, value: str | None) -> str | None:
        return None if value is None else _check_id(value)


# --- cross-record rules --------------------------------------------------------------------


#: "Did you mean" hints per file, and the time they may take in all: each hint compares
#: the word with every id (11 ms against 4,000 ids), so thousands of unknown references
#: would otherwise take minutes.
SUGGESTION_LIMIT = 20
SUGGESTION_SECONDS = 1.0


class _Suggestions:
    """'Did you mean' hints for one file, bounded in number and in total time."""

    def __init__(self) -> None:
        self.left = SUGGESTION_LIMIT
        self.deadline = time.monotonic() + SUGGESTION_SECONDS
        self.sorted: dict[int, list[str]] = {}

    def __call__(self, word: object, choices: Collection[str]) -> str:
        if not isinstance(word, str) or self.left <= 0 or time.monotonic() > self.deadline:
            return ""
        self.left -= 1
        return did_you_mean(word, self.sorted.setdefault(id(choices), sorted(choices)))


def did_you_mean(word: object, choices: Sequence[str]) -> str:
    """A hint such as `` (did you mean 'taliban'?)`` for a misspelt id, or "".

    One hint costs a comparison with every choice: callers with many words to hint use
    ``reference_problems``' bounded hints, not a loop over this.
    """
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _records(raw: Mapping[str, Any], key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    items = raw.get(key)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield index, item


def derive_relation_ids(relations: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return the id of every relation: its own, or ``<source>__<type>__<target>`` (+``_2``...).

    Repeats of a derived id are numbered in file order, so ids stay stable while the file
    grows at the end.
    """
    seen: dict[str, int] = {}
    ids = []
    for rel in relations:
        given = rel.get("id")
        if isinstance(given, str) and given:
            ids.append(given)
            continue
        base = f"{rel.get('source')}__{rel.get('type')}__{rel.get('target')}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return ids


def reference_problems(raw: Mapping[str, Any]) -> list[tuple[Loc, str, Loc | None]]:
    """Every cross-record problem of raw dataset data, as ``(location, message, first)``.

    ``first`` is the location of the earlier record a duplicate repeats, or None.

    Works on plain mappings and tolerates malformed records (they are reported elsewhere):
    unknown or redefined vocabulary, duplicate ids, unknown endpoints, unknown kinds and
    relation types, unknown sources cited, relations from an actor to itself, and
    relations naming an undeclared scenario or a scenario while observed.
    """
    problems: list[tuple[Loc, str, Loc | None]] = []
    _suggest = _Suggestions()
    base = builtin_vocabulary()
    kinds = set(base.actor_kinds)
    types = set(base.relation_types)
    extra = raw.get("vocabulary")
    if isinstance(extra, Mapping):
        for section, known in (("actor_kinds", kinds), ("relation_types", types)):
            entries = extra.get(section)
            if isinstance(entries, Mapping):
                for key in entries:
                    if key in known:
                        problems.append(
                            (
                                ("vocabulary", section, key),
                                f"{key!r} is built in; it cannot be redefined",
                                None,
                            )
                        )
                known.update(k for k in entries if isinstance(k, str))

    def unique(key: str, what: str) -> dict[str, int]:
        first: dict[str, int] = {}
        for index, item in _records(raw, key):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first:
                problems.append(
                    (
                        (key, index, "id"),
                        f"duplicate {what} id {ident!r}",
                        (key, first[ident], "id"),
                    )
                )
            else:
                first[ident] = index
        return first

    sources = unique("sources", "source")
    actors = unique("actors", "actor")
    scenarios = unique("scenarios", "scenario")
    rel_records = list(_records(raw, "relations"))
    derived = derive_relation_ids([item for _, item in rel_records])
    seen_rel: dict[str, tuple[str | int, ...]] = {}
    for (index, item), ident in zip(rel_records, derived, strict=True):
        loc: Loc = ("relations", index, "id") if item.get("id") else ("relations", index)
        if ident in seen_rel:
            problems.append((loc, f"duplicate relation id {ident!r}", seen_rel[ident]))
        else:
            seen_rel[ident] = loc

    for index, item in _records(raw, "actors"):
        kind = item.get("kind")
        if isinstance(kind, str) and kind not in kinds:
            problems.append(
                (
                    ("actors", index, "kind"),
                    f"unknown actor kind {kind!r}{_suggest(kind, kinds)}",
                    None,
                )
            )
    for index, item in _records(raw, "relations"):
        for end in ("source", "target"):
            named = item.get(end)
            if isinstance(named, str) and named not in actors:
                problems.append(
                    (
                        ("relations", index, end),
                        f"unknown actor {named!r}{_suggest(named, actors)}",
                        None,
                    )
                )
        kind = item.get("type")
        if isinstance(kind, str) and kind not in types:
            problems.append(
                (
                    ("relations", index, "type"),
                    f"unknown relation type {kind!r}{_suggest(kind, types)}",
                    None,
                )
            )
        if isinstance(item.get("source"), str) and item.get("source") == item.get("target"):
            problems.append(
                (
                    ("relations", index, "target"),
                    f"a relation from {item['source']!r} to itself",
                    None,
                )
            )
        problems += _scenario_problems(index, item, scenarios)
    for key in ("relations", "scenarios"):
        for index, item in _records(raw, key):
            evidence = item.get("evidence")
            if not isinstance(evidence, list):
                continue
            for j, ev in enumerate(evidence):
                cited = ev.get("source") if isinstance(ev, Mapping) else None
                if isinstance(cited, str) and cited not in sources:
                    problems.append(
                        (
                            (key, index, "evidence", j, "source"),
                            f"unknown source {cited!r}{_suggest(cited, sources)}",
                            None,
                        )
                    )
    return problems


def _scenario_problems(
    index: int, item: Mapping[str, Any], scenarios: Mapping[str, int]
) -> list[tuple[Loc, str, Loc | None]]:
    """A relation's scenario must be declared, and only a projected relation may have one."""
    named = item.get("scenario")
    if not isinstance(named, str) or not named:
        return []
    loc: Loc = ("relations", index, "scenario")
    if named not in scenarios:
        if not scenarios:
            known = "this file declares no scenarios (add them under 'scenarios:')"
        else:
            known = f"declared: {', '.join(sorted(scenarios))}"
        hint = did_you_mean(named, sorted(scenarios))
        return [(loc, f"unknown scenario {named!r}{hint}; {known}", None)]
    status = item.get("status", "observed")
    if status != "projected":
        return [
            (
                loc,
                f"only a projected relation can belong to a scenario, and this one is {status}"
                " (write status: projected, or leave out the scenario)",
                None,
            )
        ]
    return []


# --- the dataset ---------------------------------------------------------------------------


class Dataset(BaseModel):
    """A whole stakeholder file: sources, vocabulary additions, actors and relations."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    format: str
    title: NonEmpty
    description: Text | None = None
    sources: list[Source] = Field(default_factory=list)
    vocabulary: Vocabulary | None = None
    scenarios: list[Scenario] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value != FORMAT:
            raise ValueError(f"unknown format {value!r}; this version reads {FORMAT!r}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _references(cls, data: Any, info: Any) -> Any:
        if isinstance(data, Mapping) and not (info.context or {}).get("references_checked"):
            found = reference_problems(data)
            if found:
                raise ValueError(
                    "; ".join(
                        f"{format_loc(loc)}: {msg}"
                        + (f" (first at {format_loc(first)})" if first else "")
                        for loc, msg, first in found
                    )
                )
        return data

    # Derived views, computed once per (frozen) dataset.

    @cached_property
    def vocab(self) -> Vocabulary:
        """The built-in vocabulary with this file's additions."""
        return builtin_vocabulary().merged(self.vocabulary)

    @cached_property
    def relation_ids(self) -> list[str]:
        """The id of each relation, given or derived, in file order."""
        return derive_relation_ids(
            [
                {"id": r.id, "source": r.source, "type": r.type, "target": r.target}
                for r in self.relations
            ]
        )

    @cached_property
    def actor_index(self) -> dict[str, Actor]:
        """Actors by id."""
        return {a.id: a for a in self.actors}

    @cached_property
    def source_index(self) -> dict[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}

    @cached_property
    def scenario_index(self) -> dict[str, Scenario]:
        """Scenarios by id."""
        return {s.id: s for s in self.scenarios}

    def sign_of(self, relation: Relation) -> int:
        """The relation's sign as +1, 0 or -1: its own, or its type's default."""
        name = relation.sign or self.vocab.relation_types[relation.type].sign
        return SIGNS[name]


def format_loc(loc: Loc) -> str:
    """Write a location as ``relations[3].target``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "document"
