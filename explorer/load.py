"""Reading stakeholder files: bytes -> YAML node tree -> plain data -> ``Dataset``.

This is the only module that reads data files. Every problem is reported at once, each with
the file, line and column it concerns, the way a compiler does::

    data/x.yaml:42:13: relations[3].target: unknown actor 'talibn' (did you mean 'taliban'?)

How the YAML is read, and why:

- The text is composed once into a node tree with libyaml (the C loader where present) while
  Python's garbage collector is paused; the tree keeps every line and column.
- Values are built from the tree by our own walk, not by PyYAML's constructors, so that plain
  values stay what the curator typed (``NO`` is the text "NO", ``0123`` the text "0123"),
  duplicate keys are errors, Python tags are refused before anything is built, and aliases
  cannot expand without bound.
- pydantic validates the plain data; its error locations are walked back into the node tree.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from explorer import reading
from explorer.errors import DataErrors, Problem
from explorer.memory import collector_paused
from explorer.model import (
    FIELD_ORDER,
    UNTIL_BEFORE_SINCE,
    Dataset,
    Loc,
    format_loc,
    reference_problems,
)
from explorer.reading import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Report",
    "check_bytes",
    "check_file",
    "decode_text",
    "dump_dataset",
    "load_dataset",
    "normalise_quote",
    "pydantic_problems",
]

#: Places one message in the user's file: ``(location, message, point at the key?) -> Problem``.
Locator = Callable[[Loc, str, bool], Problem]

#: Deepest nesting of mappings and lists; a stakeholder file needs five levels.
MAX_DEPTH = 64

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MERGE_TAG = _CORE + "merge"
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Report:
    """What checking one file found: the dataset if it is valid, its errors and warnings."""

    path: str
    dataset: Dataset | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def failed(self, strict: bool = False) -> bool:
        """True if the file has errors, or warnings under ``strict``."""
        return bool(self.errors or (strict and self.warnings))

    def raise_for_problems(self, strict: bool = False) -> Dataset:
        """Return the dataset, or raise ``DataErrors`` with every problem found."""
        if self.failed(strict) or self.dataset is None:
            raise DataErrors(self.errors + (self.warnings if strict else []))
        return self.dataset


def load_dataset(
    path: str | os.PathLike[str],
    *,
    sources: str | os.PathLike[str] | None = None,
    strict: bool = False,
    max_bytes: int | None = None,
) -> Dataset:
    """Read and validate a stakeholder file; raise ``DataErrors`` with every problem found.

    ``sources`` names a folder of source texts: each quote must then occur in its source's
    text. ``strict`` makes warnings fail the file.
    """
    return check_file(path, sources=sources, max_bytes=max_bytes).raise_for_problems(strict)


def check_file(
    path: str | os.PathLike[str],
    *,
    sources: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
) -> Report:
    """Read and validate a stakeholder file; return what was found, never raising for bad data.

    Only a regular file is read, and only up to the size limit (see ``explorer.reading``).
    """
    name = os.fspath(path)
    try:
        limit = reading.max_bytes(max_bytes)
        data = reading.read_bounded(name, limit=limit)
    except reading.ReadRefused as exc:
        return Report(name, None, [Problem(name, 1, 1, "file", exc.reason)])
    return check_bytes(data, name, base_dir=Path(name).parent, sources=sources, max_bytes=limit)


_cache: OrderedDict[tuple[str, str, str | None, str | None], tuple[int, Report]] = OrderedDict()
_CACHE_SIZE = 8
#: Bytes of files whose reports the cache keeps in all: a checked map takes tens of times
#: its size in memory (a 59 MB upload took 4.6 GB), so a few big files must not stay.
CACHE_BYTES = 64 * 1024 * 1024


def check_bytes(
    data: bytes,
    path: str = "<upload>",
    *,
    base_dir: str | os.PathLike[str] | None = None,
    sources: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
    keep: bool = True,
) -> Report:
    """Validate the bytes of a stakeholder file; ``path`` is the name used in messages.

    Reports are cached by content: checking the same bytes again costs one hash.
    ``keep=False`` leaves the report out of this cache, for a caller that keeps it in its
    own (the dashboard counts what it keeps against one memory budget).
    """
    try:
        limit = reading.max_bytes(max_bytes)
    except reading.ReadRefused as exc:
        return Report(path, None, [Problem(path, 1, 1, "file", exc.reason)])
    if len(data) > limit:
        return Report(
            path,
            None,
            [Problem(path, 1, 1, "file", reading.too_big_reason(f"{len(data):,}", limit))],
        )
    key = (
        hashlib.blake2b(data, digest_size=20).hexdigest(),
        path,
        None if base_dir is None else os.fspath(base_dir),
        None if sources is None else os.fspath(sources),
    )
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key][1]
    # The node tree and the plain data are millions of small objects that all live until
    # the check ends; with the collector running, building them costs ~10x more.
    with collector_paused():
        report = _check(data, path, base_dir, sources)
    if keep and len(data) <= CACHE_BYTES:
        _cache[key] = (len(data), report)
    while len(_cache) > _CACHE_SIZE or sum(size for size, _ in _cache.values()) > CACHE_BYTES:
        _cache.popitem(last=False)
    return report


# --- bytes -> text -> nodes ----------------------------------------------------------------


def decode_text(data: bytes, path: str) -> str:
    """The text of a file's bytes as UTF-8 (a byte-order mark is dropped).

    Raises DataErrors naming the line and column of the first byte that is not UTF-8, or
    saying that the file is UTF-16.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problem = Problem(path, 1, 1, "file", "file is encoded as UTF-16; save it as UTF-8")
        raise DataErrors([problem])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = data[exc.start]
        message = f"not valid UTF-8: byte 0x{byte:02x} ({exc.reason})"
        raise DataErrors([Problem(path, line, col, "file", message)]) from None


#: What YAML 1.1 cannot hold in a stream (its printable set, inverted).
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _compose(text: str, path: str) -> tuple[yaml.Node | None, Problem | None]:
    if "\t" in text:
        # libyaml's message for a tab in indentation is obscure; find and name it ourselves.
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                col = len(line) - len(stripped) + 1
                return None, Problem(
                    path, number, col, "yaml", "tab character in indentation; indent with spaces"
                )
    try:
        return yaml.compose(text, Loader=_Loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_line, at_col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and mark is not exc.context_mark:
            message = f"{message} ({exc.context} at line {exc.context_mark.line + 1})"
        return None, Problem(path, at_line, at_col, "yaml", message)
    except yaml.reader.ReaderError:
        # libyaml's reader gives no line or column; find the character ourselves.
        found = _UNPRINTABLE.search(text)
        if found is None:
            return None, Problem(path, 1, 1, "yaml", "a character YAML does not allow")
        at_line = text.count("\n", 0, found.start()) + 1
        at_col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        return None, Problem(
            path,
            at_line,
            at_col,
            "yaml",
            f"control character U+{ord(found[0]):04X} is not allowed in a YAML file",
        )
    except yaml.YAMLError as exc:
        return None, Problem(path, 1, 1, "yaml", str(exc).splitlines()[0])


class _Walk:
    """Builds plain data from a node tree, collecting problems as it goes."""

    def __init__(self, path: str, budget: int, text_budget: int) -> None:
        self.path = path
        self.budget = budget
        # Characters of text built: an alias of a long text reused everywhere is few values
        # but many megabytes (a 560 KB file became a 103 MB page).
        self.text_budget = text_budget
        self.problems: list[Problem] = []
        self.refused: list[Loc] = []

    def at(self, node: yaml.Node, where: Loc, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, format_loc(where), message)
        )

    def value(self, node: yaml.Node, where: Loc, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge(node, where)
        if depth > MAX_DEPTH:
            raise _TooDeep(node, where)
        tag = node.tag
        if tag not in _ALLOWED_TAGS and not (
            tag == _MERGE_TAG and isinstance(node, yaml.ScalarNode)
        ):
            self.at(node, where, f"tag {_short_tag(tag)!r} is not allowed in a stakeholder file")
            self.refused.append(where)  # one error here: the model's "got nothing" is noise
            return None
        if isinstance(node, yaml.ScalarNode):
            if not node.style and tag == _CORE + "null":
                return None
            self.text_budget -= len(node.value)
            if self.text_budget < 0:
                raise _TooLarge(node, where)
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)  # the composer makes no other node
        return self.mapping(node, where, depth)

    def mapping(self, node: yaml.MappingNode, where: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                value = self.value(value_node, where, depth + 1)
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, dict):
                        merged.update({k: v for k, v in part.items() if k not in merged})
                    else:
                        self.at(
                            value_node,
                            where,
                            "a merge key (<<) needs a mapping or list of mappings",
                        )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                self.at(key_node, where, "a key must be plain text")
                continue
            key = key_node.value
            if key in first:
                self.at(
                    key_node,
                    (*where, key),
                    f"duplicate key {key!r} (first at line {first[key].start_mark.line + 1})",
                )
                continue
            first[key] = key_node
            out[key] = self.value(value_node, (*where, key), depth + 1)
        if merged:
            out = {**{k: v for k, v in merged.items() if k not in out}, **out}
        return out


def _text_budget(text: str) -> int:
    """Characters of text a document may build: twice its own length, plus 1 MB."""
    return 2 * len(text) + 1_000_000


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, where: Loc) -> None:
        self.node, self.where = node, where


class _TooDeep(_TooLarge):
    pass


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


# --- plain data -> Dataset -----------------------------------------------------------------


def _model_at(loc: Loc, root: type[BaseModel] = Dataset) -> type[BaseModel]:
    """The model whose fields are checked at ``loc`` (the location of a mapping) under ``root``.

    Follows each field's annotation (``list[Relation]``, ``dict[str, ActorKind]``, ...);
    list indices and mapping keys that are not fields keep the model reached so far.
    """
    model = root
    for part in loc:
        field_info = model.model_fields.get(part) if isinstance(part, str) else None
        if field_info is not None:
            inner = _inner_model(field_info.annotation)
            if inner is None:
                return model
            model = inner
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``list[Evidence] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def _node_at(root: yaml.Node, loc: Loc) -> tuple[yaml.Node, yaml.Node | None, int]:
    """Walk ``loc`` down the tree: (deepest node reached, its key node, parts consumed)."""
    node, key_node, used = root, None, 0
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((kv for kv in node.value if kv[0].value == part), None)
            if found is None:
                break
            key_node, node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            key_node, node = None, node.value[part]
        else:
            break
        used += 1
    return node, key_node, used


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def pydantic_problems(
    errors: Iterable[ErrorDetails], locate: Locator, *, model: type[BaseModel] = Dataset
) -> list[Problem]:
    """Each error of a failed ``model.model_validate(...)`` as a Problem, in our words.

    ``errors`` is ``ValidationError.errors()``, or the part of it the caller reports this way.
    ``locate(loc, message, key)`` places one message: ``loc`` is the location in the data
    validated (``("relations", 3, "target")``) and ``key`` asks to point at the mapping key
    rather than its value (an unknown field). The loader locates in the YAML node tree; an
    importer locates a record's field in its row and column.
    """
    out = []
    for err in errors:
        where, message, key = _pydantic_message(err, tuple(err["loc"]), model)
        out.append(locate(where, message, key))
    return out


def _pydantic_message(
    err: ErrorDetails, loc: Loc, root: type[BaseModel] = Dataset
) -> tuple[Loc, str, bool]:
    """Our wording for one pydantic error: (location, message, point at the key?)."""
    kind, value = err["type"], err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    name = str(loc[-1]) if loc else "document"
    if kind == "missing":
        return loc[:-1], f"missing required field {name!r}", False
    if kind == "extra_forbidden":
        fields = list(_model_at(loc[:-1], root).model_fields)
        close = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return loc, f"unknown field {name!r}{hint}", True
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return loc, f"{_describe(value)} is not one of {', '.join(choices)}{hint}", False
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return loc, f"expected a whole number, got {_describe(value)}", False
    if kind in {"greater_than_equal", "less_than_equal"}:
        field = _model_at(loc[:-1], root).model_fields.get(name)
        bounds = {type(m).__name__: m for m in (field.metadata if field else [])}
        low = getattr(bounds.get("Ge"), "ge", None)
        high = getattr(bounds.get("Le"), "le", None)
        if low is not None and high is not None:
            return loc, f"must be from {low} to {high}, got {value}", False
        return loc, err["msg"].lower() + f", got {value}", False
    if kind == "string_too_long":
        limit = ctx["max_length"]
        return loc, f"is {len(value):,} characters long; at most {limit:,} allowed", False
    if kind == "string_too_short":
        return loc, "must not be empty", False
    if kind == "string_type":
        return loc, f"expected text, got {_describe(value)}", False
    if kind == "bool_parsing" or kind == "bool_type":
        return loc, f"expected true or false, got {_describe(value)}", False
    if kind in {"list_type"}:
        return loc, f"expected a list, got {_describe(value)}", False
    if kind in {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}:
        return loc, f"expected a mapping, got {_describe(value)}", False
    if kind == UNTIL_BEFORE_SINCE:
        return (*loc, "until"), err["msg"], False
    if kind == "value_error":
        return loc, str(ctx.get("error", err["msg"])), False
    return loc, err["msg"], False


def _problem(root: yaml.Node, path: str, loc: Loc, message: str, key: bool = False) -> Problem:
    node, key_node, used = _node_at(root, loc)
    target = key_node if key and key_node is not None and used == len(loc) else node
    mark = target.start_mark
    return Problem(path, mark.line + 1, mark.column + 1, format_loc(loc), message)


def _check(
    data: bytes,
    path: str,
    base_dir: str | os.PathLike[str] | None,
    sources: str | os.PathLike[str] | None,
) -> Report:
    try:
        text = decode_text(data, path)
    except DataErrors as exc:
        return Report(path, None, exc.problems)
    root, problem = _compose(text, path)
    if problem:
        return Report(path, None, [problem])
    if root is None:
        what = "is empty" if not text.strip() else "holds only comments"
        return Report(
            path,
            None,
            [Problem(path, 1, 1, "document", f"file {what}; expected a stakeholder file")],
        )
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        return Report(
            path,
            None,
            [
                _problem(
                    root,
                    path,
                    (),
                    f"the top level is {kind}; "
                    "expected a mapping with format, title, actors and relations",
                )
            ],
        )

    walk = _Walk(path, budget=2 * len(text) + 10_000, text_budget=_text_budget(text))
    try:
        raw = walk.value(root, ())
    except _TooDeep as exc:
        walk.at(exc.node, exc.where[:3], f"nested deeper than {MAX_DEPTH} levels")
        return Report(path, None, walk.problems)
    except _TooLarge as exc:
        walk.at(
            exc.node,
            exc.where,
            "aliases expand this document beyond its size limit; refusing to load it "
            f"(more than {2 * len(text) + 10_000:,} values or "
            f"{_text_budget(text):,} characters of text)",
        )
        return Report(path, None, walk.problems)
    problems = list(walk.problems)

    if "format" not in raw:
        problems.append(
            _problem(
                root,
                path,
                (),
                "missing required field 'format' (write format: stakeholder-explorer/1)",
            )
        )
    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(raw, context={"references_checked": True})
    except ValidationError as exc:
        errors = [
            err
            for err in exc.errors(include_url=False)
            # a missing format is reported above with a hint, a refused tag by the walk
            if not (tuple(err["loc"]) == ("format",) and err["type"] == "missing")
            and not any(tuple(err["loc"])[: len(refused)] == refused for refused in walk.refused)
        ]
        problems += pydantic_problems(errors, functools.partial(_problem, root, path))
    for loc, message, first in reference_problems(raw):
        if first is not None:
            node, _, _ = _node_at(root, first)
            message += f" (first at line {node.start_mark.line + 1})"
        # A redefined vocabulary entry is about its name, so point at the key.
        problems.append(_problem(root, path, loc, message, key=loc[0] == "vocabulary"))

    warnings: list[Problem] = []
    if dataset is not None and not problems:
        warnings = _warnings(dataset, root, path)
        if sources is not None:
            problems += _quote_problems(dataset, root, path, base_dir, Path(sources))
    problems = sorted(set(problems), key=lambda p: (p.line, p.col, p.message))
    return Report(path, None if problems else dataset, problems, warnings)


def _warnings(dataset: Dataset, root: yaml.Node, path: str) -> list[Problem]:
    out = []
    linked: set[str] = set()
    for index, rel in enumerate(dataset.relations):
        linked.update((rel.source, rel.target))
        if not rel.evidence:
            out.append(_problem(root, path, ("relations", index), "relation has no evidence"))
    for index, actor in enumerate(dataset.actors):
        if actor.id not in linked:
            out.append(
                _problem(root, path, ("actors", index), f"actor {actor.id!r} has no relations")
            )
    used = {rel.scenario for rel in dataset.relations}
    for index, scenario in enumerate(dataset.scenarios):
        if scenario.id not in used:
            out.append(
                _problem(
                    root, path, ("scenarios", index), f"scenario {scenario.id!r} has no relations"
                )
            )
    out.sort(key=lambda p: (p.line, p.col))
    return [Problem(p.path, p.line, p.col, p.where, p.message, "warning") for p in out]


# --- quotes against source texts -----------------------------------------------------------

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Fold typographic quotes, dashes and white space, for comparing quotes with sources."""
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC)
    return _SPACE.sub(" ", text).strip()


def _quote_problems(
    dataset: Dataset,
    root: yaml.Node,
    path: str,
    base_dir: str | os.PathLike[str] | None,
    folder: Path,
) -> list[Problem]:
    texts: dict[str, str | None] = {}
    problems = []
    for index, source in enumerate(dataset.sources):
        field_loc: Loc = ("sources", index, "text") if source.text else ("sources", index, "id")
        try:
            if source.text:
                # Only inside the map's folder or the source-text folder (explorer.reading).
                candidate = reading.source_text_path(source.text, [base_dir, folder])
            else:
                candidate = reading.source_text_path(f"{source.id}.txt", [folder])
            data = reading.read_bounded(candidate)
            texts[source.id] = normalise_quote(data.decode("utf-8"))
        except reading.ReadRefused as exc:
            texts[source.id] = None
            problems.append(
                _problem(
                    root,
                    path,
                    field_loc,
                    f"no readable text for source {source.id!r}: {exc.reason}",
                )
            )
        except UnicodeDecodeError as exc:
            texts[source.id] = None
            problems.append(
                _problem(
                    root,
                    path,
                    field_loc,
                    f"no readable text for source {source.id!r}: "
                    f"not valid UTF-8 at byte {exc.start:,}",
                )
            )
    cited = [("relations", i, r.evidence) for i, r in enumerate(dataset.relations)]
    cited += [("scenarios", i, s.evidence) for i, s in enumerate(dataset.scenarios)]
    for section, r_index, evidence in cited:
        for e_index, ev in enumerate(evidence):
            text = texts.get(ev.source)
            if text is None:
                continue
            if normalise_quote(ev.quote) not in text:
                shown = ev.quote if len(ev.quote) <= 70 else ev.quote[:67] + "..."
                problems.append(
                    _problem(
                        root,
                        path,
                        (section, r_index, "evidence", e_index, "quote"),
                        f"quote not found in the text of source {ev.source!r}: {shown!r}",
                    )
                )
    return problems


# --- writing -------------------------------------------------------------------------------


def dump_dataset(dataset: Dataset) -> str:
    """Return a stakeholder file's YAML text for ``dataset``; loading it gives an equal dataset."""
    return yaml.dump(
        _ordered(dataset),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def _ordered(dataset: Dataset) -> dict[str, Any]:
    data = dataset.model_dump(mode="json", exclude_none=True)
    for key in ("actors", "relations"):
        order = FIELD_ORDER[key]
        data[key] = [
            {name: item[name] for name in order if name in item and item[name] != []}
            for item in data[key]
        ]
    if not data.get("vocabulary"):
        data.pop("vocabulary", None)
    if not data.get("scenarios"):
        data.pop("scenarios", None)
    else:
        for scenario in data["scenarios"]:
            if not scenario.get("replaces_main"):
                scenario.pop("replaces_main", None)
            if not scenario.get("evidence"):
                scenario.pop("evidence", None)
    return data
