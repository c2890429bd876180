"""Changes written back to a stakeholder file as the curator wrote it.

An edit never rewrites the file from a model. It splices the text: the lines of the records it
touches change, every other byte stays (comments, key order, quoting, blank lines, flow or
block lists, folded scalars, long lines, CRLF line ends, a byte order mark). New records and
fields are written in the file's own style, learnt from its other records, and new records go
at the end of their section.

Every edit is checked before anything is written:

1. the edited text is read back and compared with what the edit meant (a wrong splice is a
   bug, never a silently different file);
2. the whole edited file is validated by the one reader, ``explorer.load``, whose
   ``file:line:col: where: what`` messages are raised as they are;
3. new quotes are looked up in their source's text, when the source has one.

``save`` writes atomically, refuses when the file changed on disk since it was read, and keeps
the previous bytes in an undo history in ``.stakeholder-explorer/`` beside the file (a folder
with a ``.gitignore`` of ``*``), bounded in entries and bytes. ``undo`` restores them.

    >>> doc = StakeholderFile.from_bytes(b"format: stakeholder-explorer/1\\ntitle: T\\n"
    ...     b"actors:\\n  - id: a\\n    name: A\\n    kind: state\\n")
    >>> print(doc.add("actor", {"id": "b", "name": "B", "kind": "state"}).text)
    format: stakeholder-explorer/1
    title: T
    actors:
      - id: a
        name: A
        kind: state
      - id: b
        name: B
        kind: state
    <BLANKLINE>
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import json
import os
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from explorer.errors import DataErrors, ExplorerError
from explorer.memory import collector_paused, collector_paused_during

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "KINDS",
    "Edit",
    "EditError",
    "FileChanged",
    "Record",
    "StakeholderFile",
    "UndoResult",
    "history_folder",
    "save",
    "undo",
    "write_atomic",
]

#: Record kinds by the prefix that names them (``actor:taliban``), with their section.
KINDS: dict[str, str] = {
    "actor": "actors",
    "relation": "relations",
    "source": "sources",
    "scenario": "scenarios",
}
#: Which fields of which kind hold a reference to a record of another kind.
REFERENCES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "actor": (("relations", ("source",)), ("relations", ("target",))),
    "source": (("relations", ("evidence", "source")), ("scenarios", ("evidence", "source"))),
    "scenario": (("relations", ("scenario",)),),
    "relation": (),
}
#: Records per section the file's style is learnt from (a big map writes them all alike).
LEARN_FROM = 500
#: Undo history bounds, per file: entries kept, and bytes of earlier versions kept.
HISTORY_ENTRIES = 50
HISTORY_BYTES = 64 * 1024 * 1024
#: Environment variables by which ``stakeholder-explorer app`` sets up Edit mode.
READ_ONLY_ENV = "STAKEHOLDER_EXPLORER_READ_ONLY"
SOURCES_ENV = "STAKEHOLDER_EXPLORER_SOURCES"
#: The hidden folder beside a map: undo history here, the positions record beside it.
HIDDEN_FOLDER = ".stakeholder-explorer"

_BREAKS = "\r\n\x85\u2028\u2029"
_BOM = b"\xef\xbb\xbf"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"


class EditError(ExplorerError):
    """An edit that cannot be made; nothing was written."""


class FileChanged(EditError):
    """The file on disk is not the one the edit (or undo) expects; nothing was written."""


# --- reading the file's shape ----------------------------------------------------------------


def _plain(node: yaml.Node) -> Any:
    """The value of a node as the reader sees it: text, lists, mappings, None."""
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.tag == _NULL:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return {k.value: _plain(v) for k, v in node.value}


def _as_text(value: Any) -> Any:
    """A value as the reader gives it back once written: numbers and booleans become text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _as_text(v) for k, v in value.items() if v is not None}
    return value


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        if node.flow_style:
            return node
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


@dataclass
class Record:
    """One record of a section: where it lies in the text and what it holds."""

    kind: str
    index: int
    id: str
    node: yaml.MappingNode
    start: int  # start of the line holding its dash
    end: int  # just after the line break of its last line
    dash_col: int
    key_col: int
    data: dict[str, Any]

    @property
    def line(self) -> int:
        """Line number (from 1) of the record's first key."""
        return int(self.node.start_mark.line) + 1

    def field(self, name: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The key and value nodes of field ``name``, if the record has it."""
        return next(((k, v) for k, v in self.node.value if k.value == name), None)


@dataclass
class _Section:
    name: str
    key: yaml.Node | None
    value: yaml.Node | None
    records: list[Record]


@dataclass
class _Style:
    """How this file writes things, learnt from its records."""

    newline: str
    dash_col: dict[str, int]
    key_col: dict[str, int]
    blank_between: dict[str, bool]
    seq_offset: int  # dash column of a block list minus its key's column
    item_key: int  # key column of a list item's mapping minus its dash column
    block_step: int  # indentation of folded text minus its key's column
    width: int
    scalar: dict[tuple[str, str], str]  # (section, field) -> plain, ", ', >, |
    lists: dict[tuple[str, str], str]  # (section, field) -> flow or block
    folded: set[str]  # fields written folded (>) somewhere in the file
    flow_records: dict[str, bool]  # sections whose records are mostly one-line {...} mappings
    order: dict[str, list[str]]
    default_scalar: str


def _line_start(text: str, index: int) -> int:
    while index > 0 and text[index - 1] not in _BREAKS:
        index -= 1
    return index


def _next_line(text: str, index: int) -> int:
    """Index just after the line break ending the line that holds ``index``."""
    n = len(text)
    while index < n and text[index] not in _BREAKS:
        index += 1
    if index < n:
        index += 2 if text.startswith("\r\n", index) else 1
    return index


def _content_end(text: str, node: yaml.Node) -> int:
    """End of a node's last character, leaving out the line breaks a block scalar swallows."""
    end = int(node.end_mark.index)
    while end > node.start_mark.index and text[end - 1] in _BREAKS + " \t":
        end -= 1
    return end


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


# --- the file ------------------------------------------------------------------------------


class StakeholderFile:
    """A stakeholder file read for editing: its bytes, and where each record lies in them.

    Edits return an ``Edit`` holding the new bytes, checked; ``save`` writes them.
    """

    def __init__(
        self,
        data: bytes,
        path: str | os.PathLike[str] | None = None,
        *,
        sources: str | os.PathLike[str] | None = None,
    ) -> None:
        self.data = data
        self.path = Path(path) if path is not None else None
        self.name = os.fspath(path) if path is not None else "<upload>"
        self.sources = Path(sources) if sources is not None else None
        self.digest = hashlib.sha256(data).hexdigest()
        self.bom = data.startswith(_BOM)
        body = data[len(_BOM) :] if self.bom else data
        try:
            self.text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._refuse_invalid()
            raise  # pragma: no cover
        # Millions of small objects that live until the edit ends: with the collector
        # running, building them costs several times more (as in explorer.load).
        with collector_paused():
            try:
                root = yaml.compose(self.text, Loader=_Loader) if "\t" not in self.text else None
            except yaml.YAMLError:
                root = None
            if root is None or not isinstance(root, yaml.MappingNode):
                self._refuse_invalid()
            assert isinstance(root, yaml.MappingNode)  # _refuse_invalid raised otherwise
            self.root: yaml.MappingNode = root
            self.sections = {name: self._section(name) for name in KINDS.values()}
            self.style = self._learn_style()

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, sources: str | os.PathLike[str] | None = None
    ) -> StakeholderFile:
        """Read the file at ``path`` for editing."""
        return cls(_read(Path(path)), path, sources=sources)

    @classmethod
    def from_bytes(cls, data: bytes, name: str | None = None, **kw: Any) -> StakeholderFile:
        """Read bytes (an upload) for editing; ``name`` is used in messages."""
        return cls(data, name, **kw)

    def _refuse_invalid(self) -> None:
        from explorer.load import check_bytes

        report = check_bytes(self.data, self.name, base_dir=self.folder)
        if report.errors:
            raise DataErrors(report.errors)
        raise EditError(f"{self.name}: cannot edit this file in place")

    @property
    def folder(self) -> Path | None:
        """The folder the file lies in (source texts are relative to it)."""
        return self.path.parent if self.path is not None else None

    # -- structure --

    def _section(self, name: str) -> _Section:
        found = next(((k, v) for k, v in self.root.value if k.value == name), None)
        if found is None:
            return _Section(name, None, None, [])
        key, value = found
        records: list[Record] = []
        if isinstance(value, yaml.SequenceNode) and not value.flow_style:
            kind = next(k for k, s in KINDS.items() if s == name)
            for index, item in enumerate(value.value):
                if not isinstance(item, yaml.MappingNode):
                    raise EditError(
                        f"{self.name}:{item.start_mark.line + 1}:{item.start_mark.column + 1}: "
                        f"{name}[{index}]: written in a form that cannot be edited in place"
                    )
                records.append(self._record(kind, index, item))
        elif isinstance(value, yaml.SequenceNode) and value.value:
            raise EditError(
                f"{self.name}:{value.start_mark.line + 1}:{value.start_mark.column + 1}: "
                f"{name}: a section written as one flow list cannot be edited in place"
            )
        if name == "relations":
            from explorer.model import derive_relation_ids

            for record, ident in zip(
                records, derive_relation_ids([r.data for r in records]), strict=True
            ):
                record.id = ident
        return _Section(name, key, value, records)

    def _record(self, kind: str, index: int, node: yaml.MappingNode) -> Record:
        text = self.text
        first = int(node.start_mark.index)
        line = _line_start(text, first)
        before = text[line:first]
        if "-" in before:
            dash_col = before.rindex("-")
            start = line
        else:  # "-" alone on a line above the mapping
            start = line
            while start > 0:
                start = _line_start(text, start - 1)
                stripped = text[start : _next_line(text, start)].strip()
                if stripped.startswith("-"):
                    break
            dash_col = _column(text, text.index("-", start))
        end = _next_line(text, _content_end(text, _last_scalar(node)))
        data = _plain(node)
        ident = data.get("id") if isinstance(data.get("id"), str) else ""
        return Record(kind, index, ident, node, start, end, dash_col, node.start_mark.column, data)

    def records(self, kind: str) -> list[Record]:
        """The records of one kind (``actor``, ``relation``, ``source``, ``scenario``)."""
        return self.sections[KINDS[kind]].records

    def _learn_style(self) -> _Style:
        from explorer.model import FIELD_ORDER

        text = self.text
        newline = "\n"
        for index, ch in enumerate(text):
            if ch in _BREAKS:
                newline = "\r\n" if text.startswith("\r\n", index) else ch
                break
        dash_col: dict[str, int] = {}
        key_col: dict[str, int] = {}
        blank: dict[str, bool] = {}
        offsets: list[int] = []
        item_keys: list[int] = []
        steps: list[int] = []
        widths: list[int] = []
        scalars: dict[tuple[str, str], dict[str, int]] = {}
        lists: dict[tuple[str, str], dict[str, int]] = {}
        all_scalars: dict[str, int] = {}
        order: dict[str, list[str]] = {}
        for name, section in self.sections.items():
            records = section.records
            if records:
                dash_col[name] = records[0].dash_col
                key_col[name] = records[0].key_col
                gaps = [
                    not text[a.end : b.start].strip(" \t" + _BREAKS)
                    and text[a.end : b.start].strip(" \t") != ""
                    for a, b in zip(records, records[1:], strict=False)
                ]
                blank[name] = bool(gaps) and sum(gaps) > len(gaps) / 2
            pairs: set[tuple[str, str]] = set()
            for record in records[:LEARN_FROM]:  # the style shows in any few hundred
                keys = [k.value for k, _ in record.node.value]
                pairs.update(zip(keys, keys[1:], strict=False))
                for k, v in record.node.value:
                    self._learn_value(
                        name, k, v, record.key_col, scalars, lists, all_scalars, offsets,
                        item_keys, steps, widths,
                    )  # fmt: skip
            order[name] = _field_order(FIELD_ORDER[name], pairs)
        default_dash = next(iter(dash_col.values()), 2)
        default_key = next(iter(key_col.values()), default_dash + 2)
        for name in self.sections:
            dash_col.setdefault(name, default_dash)
            key_col.setdefault(name, default_key)
            blank.setdefault(name, False)

        def most(counts: dict[str, int], default: str) -> str:
            return max(counts, key=lambda s: counts[s]) if counts else default

        default_scalar = most({k: v for k, v in all_scalars.items() if k in "\"'"}, '"')
        if (
            all_scalars.get("plain", 0) >= sum(v for k, v in all_scalars.items() if k in "\"'")
            or not all_scalars
        ):
            default_scalar = "plain"
        return _Style(
            newline=newline,
            dash_col=dash_col,
            key_col=key_col,
            blank_between=blank,
            seq_offset=most_common(offsets, 2),
            item_key=most_common(item_keys, 2),
            block_step=most_common(steps, 2),
            width=max(widths) if widths else 100,
            scalar={k: most(v, "plain") for k, v in scalars.items()},
            lists={k: most(v, "flow") for k, v in lists.items()},
            order=order,
            default_scalar=default_scalar,
            folded={k for (_, k), counts in scalars.items() if counts.get(">")},
            flow_records={
                name: sum(bool(r.node.flow_style) for r in section.records)
                > len(section.records) / 2
                for name, section in self.sections.items()
            },
        )

    def _learn_value(
        self,
        section: str,
        key: yaml.Node,
        value: yaml.Node,
        key_col: int,
        scalars: dict[tuple[str, str], dict[str, int]],
        lists: dict[tuple[str, str], dict[str, int]],
        all_scalars: dict[str, int],
        offsets: list[int],
        item_keys: list[int],
        steps: list[int],
        widths: list[int],
    ) -> None:
        where = (section, key.value)
        if isinstance(value, yaml.ScalarNode):
            style = value.style or "plain"
            counts = scalars.setdefault(where, {})
            counts[style] = counts.get(style, 0) + 1
            all_scalars[style] = all_scalars.get(style, 0) + 1
            if style in (">", "|") and value.end_mark.line > value.start_mark.line:
                body_line = _next_line(self.text, value.start_mark.index)
                body = self.text[body_line : _next_line(self.text, body_line)]
                steps.append(len(body) - len(body.lstrip(" ")) - key_col)
                for raw in self.text[body_line : value.end_mark.index].splitlines():
                    widths.append(len(raw))
        elif isinstance(value, yaml.SequenceNode):
            counts = lists.setdefault(where, {})
            form = "flow" if value.flow_style else "block"
            counts[form] = counts.get(form, 0) + 1
            if not value.flow_style and value.value:
                dash = self.text.rindex("-", 0, value.value[0].start_mark.index + 1)
                offsets.append(_column(self.text, dash) - key_col)
                for item in value.value:
                    if isinstance(item, yaml.MappingNode):
                        dash = self.text.rindex("-", 0, item.start_mark.index)
                        item_keys.append(item.start_mark.column - _column(self.text, dash))
                        for k, v in item.value:
                            self._learn_value(
                                section, k, v, item.start_mark.column, scalars, lists,
                                all_scalars, offsets, item_keys, steps, widths,
                            )  # fmt: skip

    # -- finding records --

    def find(self, ref: str) -> Record:
        """The record named by ``ref``: an id, or ``kind:id`` to choose among kinds."""
        kind, _, ident = ref.partition(":") if ":" in ref else ("", "", ref)
        if kind and kind not in KINDS:
            raise EditError(
                f"{self.name}: unknown kind {kind!r} in {ref!r}; "
                f"use one of {', '.join(k + ':' for k in KINDS)}"
            )
        kinds = [kind] if kind else list(KINDS)
        found = [r for k in kinds for r in self.records(k) if r.id == ident]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"{r.kind}:{r.id} at line {r.line}" for r in found)
            raise EditError(f"{self.name}: {ident!r} names records of two kinds ({listed})")
        known = [r.id for k in kinds for r in self.records(k)]
        close = difflib.get_close_matches(ident, known, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        what = f"{kind}" if kind else "actor, relation, source or scenario"
        raise EditError(f"{self.name}: no {what} has the id {ident!r}{hint}")

    # -- edits --

    def add(self, kind: str, fields: Mapping[str, Any]) -> Edit:
        """Add a record at the end of its section, in the file's style."""
        return self.add_many([(kind, fields)])

    @collector_paused_during
    def add_many(self, records: Sequence[tuple[str, Mapping[str, Any]]]) -> Edit:
        """Add records (``(kind, fields)`` pairs) at the ends of their sections, checked once.

        One splice per section and one validation of the whole file, so adding thousands of
        records (an import into a map) costs about one edit.
        """
        if not records:
            raise EditError(f"{self.name}: nothing to add")
        style = self.style
        nl = style.newline
        intended = self._plain_sections()
        bodies: dict[str, list[str]] = {}
        evidence: list[Mapping[str, Any]] = []
        added: list[tuple[str, str]] = []
        for kind, fields in records:
            name = KINDS[kind]
            values = {k: v for k, v in fields.items() if v is not None and v != [] and v != ""}
            evidence += values.get("evidence") or []
            dash, key = style.dash_col[name], style.key_col[name]
            if style.flow_records[name]:
                ordered = sorted(values, key=lambda k: _rank(style.order[name], k))
                inline = ", ".join(f"{k}: {_flow_value(values[k])}" for k in ordered)
                bodies.setdefault(name, []).append(" " * dash + "- {" + inline + "}" + nl)
                intended[name].append(_as_text(values))
                added.append((kind, str(values.get("id") or "")))
                continue
            lines: list[str] = []
            for i, field_name in enumerate(
                sorted(values, key=lambda k: _rank(style.order[name], k))
            ):
                rendered = self._render_field(name, field_name, values[field_name], key)
                if i == 0:
                    rendered[0] = " " * dash + "-" + " " * (key - dash - 1) + rendered[0].lstrip()
                lines += rendered
            bodies.setdefault(name, []).append(nl.join(lines) + nl)
            intended[name].append(_as_text(values))
            added.append((kind, str(values.get("id") or "")))
        self.check_quotes(evidence)
        splices: list[tuple[int, int, str]] = []
        at_end: list[str] = []
        for name in ("sources", "actors", "relations", "scenarios"):
            if name not in bodies:
                continue
            gap = nl if style.blank_between[name] else ""
            section = self.sections[name]
            if section.records:
                at = section.records[-1].end
                prefix = "" if at > 0 and self.text[at - 1 : at] in _BREAKS else nl
                splices.append((at, at, prefix + gap + gap.join(bodies[name])))
            elif section.key is not None:
                start = int(section.key.end_mark.index)
                end = _next_line(self.text, start)
                tail = (
                    self.text[_content_end(self.text, section.value) : end] if section.value else ""
                )
                comment = tail.strip(" \t" + _BREAKS)
                comment = comment if comment.startswith("#") else ""
                head = ":" + (" " + comment if comment else "") + nl
                splices.append((start, end, head + gap.join(bodies[name])))
            else:
                at_end.append(nl + f"{name}:" + nl + gap.join(bodies[name]))
        if at_end:
            text = self.text
            lead = "" if not text or text[-1] in _BREAKS else nl
            splices.append((len(text), len(text), lead + "".join(at_end)))
        if any(kind == "relation" and not ident for kind, ident in added):
            from explorer.model import derive_relation_ids

            derived = iter(
                derive_relation_ids(intended["relations"])[len(self.records("relation")) :]
            )
            added = [(k, next(derived) if k == "relation" else i) for k, i in added]
        if len(added) == 1:
            summary, (kind, ident) = f"added {added[0][0]} {added[0][1]}", added[0]
        else:
            counts: dict[str, int] = {}
            for k, _ in added:
                counts[k] = counts.get(k, 0) + 1
            summary = "added " + ", ".join(f"{n} {k}(s)" for k, n in counts.items())
            kind, ident = added[-1]
        edit = self._apply(splices, intended, summary, kind, ident)
        edit.added = tuple(added)
        return edit

    @collector_paused_during
    def change(self, ref: str, fields: Mapping[str, Any]) -> Edit:
        """Set fields of a record; a value of None or "" removes the field."""
        record = self.find(ref)
        if "id" in fields and fields["id"] != record.data.get("id"):
            if fields["id"] in (None, "") and record.kind == "relation":
                raise EditError(f"{self.name}: a relation's id cannot be removed here")
            rest = {k: v for k, v in fields.items() if k != "id"}
            edit = self.rename(ref, str(fields["id"]))
            if not rest:
                return edit
            after = StakeholderFile(edit.data, self.path, sources=self.sources)
            second = after.change(f"{record.kind}:{fields['id']}", rest)
            return Edit(
                self,
                second.data,
                edit.summary + "; " + second.summary,
                record.kind,
                str(fields["id"]),
                edit.renamed + second.renamed,
                second.removed,
            )
        self.check_quotes(fields.get("evidence") or [])
        splices = self._field_splices(record, fields)
        intended = self._plain_sections()
        data = dict(record.data)
        for k, v in fields.items():
            if v is None or v == "" or v == []:
                data.pop(k, None)
            else:
                data[k] = _as_text(v)
        intended[KINDS[record.kind]][record.index] = data
        changed = ", ".join(sorted(fields))
        return self._apply(
            splices, intended, f"changed {changed} of {record.kind} {record.id}", record.kind,
            record.id,
        )  # fmt: skip

    def dependants(self, record: Record) -> list[Record | tuple[Record, int]]:
        """What refers to ``record``: relations (whole) or evidence items (relation, index)."""
        out: list[Record | tuple[Record, int]] = []
        for section, path in REFERENCES[record.kind]:
            kind = next(k for k, s in KINDS.items() if s == section)
            for other in self.records(kind):
                if len(path) == 1:
                    if other.data.get(path[0]) == record.id and other not in out:
                        out.append(other)
                else:
                    items = other.data.get(path[0])
                    if isinstance(items, list):
                        for i, item in enumerate(items):
                            if isinstance(item, dict) and item.get(path[1]) == record.id:
                                out.append((other, i))
        return out

    @collector_paused_during
    def remove(self, ref: str, *, cascade: bool = False) -> Edit:
        """Remove a record; what refers to it goes too with ``cascade``, else it is refused."""
        record = self.find(ref)
        deps = self.dependants(record)
        if deps and not cascade:
            listed = _describe_dependants(deps)
            raise EditError(
                f"{self.name}: {record.kind} {record.id!r} is still referred to by {listed}; "
                "removing it would remove those too"
            )
        whole = [record] + [d for d in deps if isinstance(d, Record)]
        whole_ids = {id(r) for r in whole}
        splices = [(r.start, r.end, "") for r in whole]
        intended = self._plain_sections()
        removed = [f"{r.kind} {r.id}" for r in whole]
        # Evidence items citing a removed source: drop the items, keep the relation.
        by_record: dict[int, tuple[Record, list[int]]] = {}
        for dep in deps:
            if isinstance(dep, tuple) and id(dep[0]) not in whole_ids:
                by_record.setdefault(id(dep[0]), (dep[0], []))[1].append(dep[1])
        for other, indices in by_record.values():
            items = [e for i, e in enumerate(other.data["evidence"]) if i not in indices]
            splices += self._field_splices(other, {"evidence": items})
            data = dict(other.data)
            if items:
                data["evidence"] = items
            else:
                data.pop("evidence")
            intended[KINDS[other.kind]][other.index] = data
            removed.append(f"{len(indices)} evidence item(s) of relation {other.id}")
        for r in sorted(whole, key=lambda r: (r.kind, -r.index)):
            del intended[KINDS[r.kind]][r.index]
        for name, section in self.sections.items():
            if section.records and not intended[name] and section.key is not None:
                at = int(section.key.end_mark.index)  # the section's ":" follows its name
                splices.append((at, at + 1, ": []"))
        edit = self._apply(
            splices, intended, f"removed {record.kind} {record.id}", record.kind, record.id,
            removed_relations={r.index for r in whole if r.kind == "relation"},
        )  # fmt: skip
        edit.removed = tuple(removed[1:])
        return edit

    @collector_paused_during
    def rename(self, ref: str, new_id: str) -> Edit:
        """Give a record a new id; every reference to it follows."""
        from explorer.model import ID_PATTERN

        record = self.find(ref)
        if not ID_PATTERN.match(new_id) or len(new_id) > 64:
            raise EditError(
                f"{self.name}: {new_id!r} is not a valid id: use lower case letters, digits "
                "and _, starting with a letter"
            )
        if any(r.id == new_id for r in self.records(record.kind)):
            raise EditError(f"{self.name}: a {record.kind} with the id {new_id!r} exists already")
        intended = self._plain_sections()
        splices: list[tuple[int, int, str]] = []
        data = dict(intended[KINDS[record.kind]][record.index])
        own = record.field("id")
        if own is not None:
            splices.append(self._scalar_splice(own[1], new_id))
            data["id"] = new_id
        else:  # a relation known by its derived id gains an id field
            splices += self._field_splices(record, {"id": new_id})
            data = {"id": new_id, **data}
        intended[KINDS[record.kind]][record.index] = data
        for section, path in REFERENCES[record.kind]:
            kind = next(k for k, s in KINDS.items() if s == section)
            for other in self.records(kind):
                target = intended[section][other.index]
                if len(path) == 1:
                    pair = other.field(path[0])
                    if pair and other.data.get(path[0]) == record.id:
                        splices.append(self._scalar_splice(pair[1], new_id))
                        target[path[0]] = new_id
                    continue
                pair = other.field(path[0])
                if pair is None or not isinstance(pair[1], yaml.SequenceNode):
                    continue
                for i, item in enumerate(pair[1].value):
                    if not isinstance(item, yaml.MappingNode):
                        continue
                    inner = next((v for k, v in item.value if k.value == path[1]), None)
                    if isinstance(inner, yaml.ScalarNode) and inner.value == record.id:
                        splices.append(self._scalar_splice(inner, new_id))
                        target[path[0]] = list(target[path[0]])  # never the record's own
                        target[path[0]][i] = {**target[path[0]][i], path[1]: new_id}
        edit = self._apply(
            splices, intended, f"renamed {record.kind} {record.id} -> {new_id}", record.kind,
            new_id,
        )  # fmt: skip
        edit.previous_id = record.id
        return edit

    # -- writing pieces --

    def _plain_sections(self) -> dict[str, list[dict[str, Any]]]:
        return {name: [dict(r.data) for r in s.records] for name, s in self.sections.items()}

    def _scalar_splice(self, node: yaml.Node, value: str) -> tuple[int, int, str]:
        style = node.style if isinstance(node, yaml.ScalarNode) else None
        flow = self._in_flow(node)
        return (node.start_mark.index, node.end_mark.index, _scalar(value, style or "plain", flow))

    def _in_flow(self, node: yaml.Node) -> bool:
        line = self.text[_line_start(self.text, node.start_mark.index) : node.start_mark.index]
        return "[" in line or "{" in line

    def _field_splices(
        self, record: Record, fields: Mapping[str, Any]
    ) -> list[tuple[int, int, str]]:
        name = KINDS[record.kind]
        text = self.text
        nl = self.style.newline
        splices: list[tuple[int, int, str]] = []
        if record.node.flow_style:
            raise EditError(
                f"{self.name}:{record.line}: {record.kind} {record.id} is written as one flow "
                "mapping ({...}); change it in a text editor, or remove it and add it again"
            )
        present = [k.value for k, _ in record.node.value]
        order = self.style.order[name]
        inserts: dict[int, list[tuple[int, str]]] = {}
        for field_name, value in sorted(fields.items(), key=lambda kv: _rank(order, kv[0])):
            pair = record.field(field_name)
            remove = value is None or value == "" or value == []
            if pair is not None and not remove and _as_text(value) == record.data.get(field_name):
                continue  # unchanged: its lines stay exactly as written
            if pair is not None:
                key_node, value_node = pair
                if remove:
                    if key_node.start_mark.index == record.node.start_mark.index:
                        raise EditError(
                            f"{self.name}:{record.line}: {field_name!r} is the first field of "
                            f"{record.kind} {record.id}; it cannot be removed"
                        )
                    start = _line_start(text, key_node.start_mark.index)
                    end = _next_line(text, _content_end(text, _last_scalar(value_node)))
                    splices.append((start, end, ""))
                    continue
                if (
                    isinstance(value, str)
                    and isinstance(value_node, yaml.ScalarNode)
                    and value_node.style in (None, "", '"', "'")
                ):  # a one-line value stays one line, in its quoting
                    kept = _scalar(value, value_node.style or "plain")
                    lines = [" " * record.key_col + f"{field_name}: {kept}"]
                else:
                    lines = self._render_field(name, field_name, value, record.key_col)
                    kept_list = self._kept_list(field_name, value, value_node, record.key_col)
                    if kept_list is not None:
                        lines = kept_list
                start = int(key_node.end_mark.index)
                end = _content_end(text, _last_scalar(value_node))
                if isinstance(value_node, yaml.SequenceNode) and value_node.flow_style:
                    end = int(value_node.end_mark.index)
                first = lines[0][record.key_col + len(field_name) :]
                splices.append((start, end, nl.join([first, *lines[1:]])))
                continue
            if remove:
                continue
            lines = self._render_field(name, field_name, value, record.key_col)
            earlier = [k for k in present if _rank(order, k) < _rank(order, field_name)]
            if earlier:
                after = record.field(earlier[-1])
                assert after is not None
                at = _next_line(text, _content_end(text, _last_scalar(after[1])))
                prefix = "" if text[at - 1 : at] in _BREAKS and at > 0 else nl
                inserts.setdefault(at, []).append((0, prefix + nl.join(lines) + nl))
            else:  # before the first key, on the dash line
                at = int(record.node.start_mark.index)
                rest = nl.join(lines).lstrip(" ")
                inserts.setdefault(at, []).append((0, rest + nl + " " * record.key_col))
        for at, pieces in inserts.items():
            splices.append((at, at, "".join(piece for _, piece in pieces)))
        return splices

    def _kept_list(self, key: str, value: Any, node: yaml.Node, col: int) -> list[str] | None:
        """A list of text written in its old form, each item that stays keeping its quoting."""
        if not isinstance(node, yaml.SequenceNode) or not isinstance(value, list | tuple):
            return None
        if not all(isinstance(v, str) for v in value) or not all(
            isinstance(item, yaml.ScalarNode) for item in node.value
        ):
            return None
        old: dict[str, str] = {}
        for item in node.value:
            old.setdefault(
                item.value, self.text[item.start_mark.index : _content_end(self.text, item)]
            )
        written = [old.get(v) or _scalar(v, "plain", bool(node.flow_style)) for v in value]
        if node.flow_style:
            line = " " * col + f"{key}: [" + ", ".join(written) + "]"
            return [line] if len(line) <= max(self.style.width, 100) else None
        if not node.value:
            return None
        dash = self.text.rindex("-", 0, node.value[0].start_mark.index)
        head = self.text[_line_start(self.text, dash) : node.value[0].start_mark.index]
        return [" " * col + f"{key}:", *(head + w for w in written)]

    def _render_field(self, section: str, key: str, value: Any, col: int) -> list[str]:
        """``key: value`` as lines at column ``col`` (no line breaks), in the file's style."""
        style = self.style
        pad = " " * col
        if isinstance(value, bool):
            return [f"{pad}{key}: {'true' if value else 'false'}"]
        if isinstance(value, int | float):
            return [f"{pad}{key}: {value}"]
        if isinstance(value, str):
            preferred = style.scalar.get((section, key), style.default_scalar)
            single = _scalar(value, preferred if preferred in ("plain", '"', "'") else "plain")
            folded_here = key in style.folded
            if (
                folded_here
                and len(pad) + len(key) + 2 + len(single) > style.width
                and _foldable(value)
            ):
                inner = " " * (col + style.block_step)
                return [f"{pad}{key}: >-", *_wrap(value, inner, style.width)]
            if "\n" in value and preferred == "|" and _literal_ok(value):
                inner = " " * (col + style.block_step)
                return [f"{pad}{key}: |-", *(inner + line for line in value.split("\n"))]
            return [f"{pad}{key}: {single}"]
        items = list(value)
        if all(isinstance(v, str) for v in items):
            form = style.lists.get((section, key))
            if form is None:
                form = "flow" if "flow" in style.lists.values() or not style.lists else "block"
            flow = f"{pad}{key}: [" + ", ".join(_scalar(v, "plain", True) for v in items) + "]"
            if form == "flow" and len(flow) <= style.width:
                return [flow]
            dash = " " * (col + style.seq_offset)
            item_style = style.scalar.get((section, key), style.default_scalar)
            if item_style not in ("plain", '"', "'"):
                item_style = "plain"
            return [f"{pad}{key}:", *(f"{dash}- {_scalar(v, item_style)}" for v in items)]
        lines = [f"{pad}{key}:"]
        dash_col = col + style.seq_offset
        item_col = dash_col + style.item_key
        for item in items:
            if not isinstance(item, Mapping):
                raise EditError(f"{self.name}: {key}: expected a list of mappings")
            first = True
            for k, v in item.items():
                if v is None or v == "":
                    continue
                rendered = self._render_field(section, k, v, item_col)
                if first:
                    head = " " * dash_col + "-" + " " * (style.item_key - 1)
                    rendered[0] = head + rendered[0][item_col:]
                    first = False
                lines += rendered
        return lines

    def _apply(
        self,
        splices: list[tuple[int, int, str]],
        intended: dict[str, list[dict[str, Any]]],
        summary: str,
        kind: str,
        ident: str,
        removed_relations: set[int] | None = None,
    ) -> Edit:
        text = self.text
        for start, end, new in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
            text = text[:start] + new + text[end:]
        data = (_BOM if self.bom else b"") + text.encode("utf-8")
        try:
            after = StakeholderFile(data, self.path, sources=self.sources)
        except (DataErrors, EditError) as exc:
            raise EditError(f"{self.name}: the edit would not read back ({exc})") from None
        got = after._plain_sections()
        if got != intended:
            raise AssertionError(f"edit misread: {summary}: {got} != {intended}")  # a bug
        from explorer.load import check_bytes

        report = check_bytes(data, self.name, base_dir=self.folder)
        if report.errors:
            raise DataErrors(report.errors)
        renamed = _renamed_relations(self, after, removed_relations or set())
        return Edit(self, data, summary, kind, ident, tuple(renamed), ())

    # -- evidence --

    def source_text(self, source_id: str) -> str | None:
        """The text of a source (its ``text:`` file, or ``<sources>/<id>.txt``), if readable."""
        record = next((r for r in self.records("source") if r.id == source_id), None)
        if record is None:
            return None
        from explorer import reading

        given = record.data.get("text")
        try:
            if isinstance(given, str) and given:
                path = reading.source_text_path(given, [self.folder, self.sources])
            elif self.sources is not None:
                path = reading.source_text_path(f"{source_id}.txt", [self.sources])
            else:
                return None
            return reading.read_bounded(path).decode("utf-8")
        except (reading.ReadRefused, UnicodeDecodeError):
            pass
        return None

    def check_quotes(self, evidence: Iterable[Mapping[str, Any]]) -> None:
        """Refuse quotes missing from their source's text (sources without text pass)."""
        from explorer.load import normalise_quote

        problems = []
        for item in evidence:
            cited, quote = str(item.get("source", "")), str(item.get("quote", ""))
            text = self.source_text(cited)
            if text is None:
                continue
            if normalise_quote(quote) not in normalise_quote(text):
                shown = quote if len(quote) <= 70 else quote[:67] + "..."
                problems.append(
                    f"{self.name}: quote not found in the text of source {cited!r}: {shown!r}"
                )
        if problems:
            raise EditError("\n".join(problems))


# --- edits and their results -----------------------------------------------------------------


@dataclass
class Edit:
    """An edit made and checked, not yet written: the new bytes and what changed."""

    before: StakeholderFile
    data: bytes
    summary: str
    kind: str
    id: str
    renamed: tuple[tuple[str, str], ...] = ()
    removed: tuple[str, ...] = ()
    added: tuple[tuple[str, str], ...] = ()  # (kind, id) of each record added
    previous_id: str | None = None  # the record's id before a rename

    @property
    def text(self) -> str:
        """The new file's text (without a byte order mark)."""
        return self.data.decode("utf-8-sig")

    def then(self) -> StakeholderFile:
        """The edited file, read for the next edit."""
        return StakeholderFile(self.data, self.before.path, sources=self.before.sources)


def _field_order(canon: Sequence[str], pairs: set[tuple[str, str]]) -> list[str]:
    """Fields in the order the file writes them (``pairs``: a before b), else ``canon``'s."""
    keys = list(dict.fromkeys([*canon, *(k for pair in sorted(pairs) for k in pair)]))
    rank = {k: i for i, k in enumerate(keys)}
    incoming = {k: {a for a, b in pairs if b == k and a != k} for k in keys}
    out: list[str] = []
    while len(out) < len(keys):
        ready = [k for k in keys if k not in out and not incoming[k] - set(out)]
        if not ready:  # the records disagree; fall back to the usual order
            return keys
        out.append(min(ready, key=rank.__getitem__))
    return out


def _rank(order: Sequence[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def most_common(values: list[int], default: int) -> int:
    """The most frequent value, or ``default`` when there is none."""
    if not values:
        return default
    return max(set(values), key=lambda v: (values.count(v), -v))


def _describe_dependants(deps: Sequence[Record | tuple[Record, int]]) -> str:
    whole = [d for d in deps if isinstance(d, Record)]
    items = [d for d in deps if isinstance(d, tuple)]
    parts = []
    if whole:
        parts.append(
            f"{len(whole)} {whole[0].kind}(s): " + ", ".join(r.id for r in whole[:10])
            + (" ..." if len(whole) > 10 else "")
        )  # fmt: skip
    if items:
        parts.append(
            f"{len(items)} evidence item(s) of " + ", ".join(sorted({r.id for r, _ in items}))
        )
    return "; ".join(parts)


def _renamed_relations(
    before: StakeholderFile, after: StakeholderFile, removed: set[int]
) -> list[tuple[str, str]]:
    old = [r for r in before.records("relation") if r.index not in removed]
    new = after.records("relation")
    return [(a.id, b.id) for a, b in zip(old, new, strict=False) if a.id != b.id]


# --- scalars ---------------------------------------------------------------------------------


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        and o != 0xFEFF
        or 0x10000 <= o <= 0x10FFFF
    )


def _double(value: str) -> str:
    out = []
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif _printable(ch):
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or not all(_printable(c) for c in value):
        return False
    probe = f"k: [{value}]" if flow else f"k: {value}"
    try:
        node = yaml.compose(probe, Loader=_Loader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode):
        return False
    got = node.value[0][1]
    if flow:
        if not isinstance(got, yaml.SequenceNode) or len(got.value) != 1:
            return False
        got = got.value[0]
    return (
        isinstance(got, yaml.ScalarNode)
        and got.value == value
        and not got.style
        and got.tag != _NULL
        and value not in ("true", "false", "True", "False", "yes", "no")
    )


def _scalar(value: str, style: str, flow: bool = False) -> str:
    """``value`` written as one YAML scalar, in ``style`` when that style can hold it."""
    if style == "plain" and _plain_ok(value, flow):
        return value
    if style == "'" and all(_printable(c) for c in value):
        return "'" + value.replace("'", "''") + "'"
    return _double(value)


def _flow_value(value: Any) -> str:
    """A value inside a one-line flow mapping ``{k: v, ...}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _scalar(value, "plain", True)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k}: {_flow_value(v)}" for k, v in value.items() if v is not None)
        return "{" + inner + "}"
    return "[" + ", ".join(_flow_value(v) for v in value) + "]"


def _foldable(value: str) -> bool:
    return (
        bool(value)
        and value == value.strip()
        and "  " not in value
        and all(_printable(c) for c in value)
        and not value.startswith(("#", "-"))
    )


def _literal_ok(value: str) -> bool:
    lines = value.split("\n")
    return (
        all(all(_printable(c) for c in line) for line in lines)
        and not lines[0].startswith(" ")
        and not value.endswith("\n")
        and all(line == line.rstrip() for line in lines)
    )


def _wrap(value: str, pad: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in value.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > width:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


# --- writing, history, undo ------------------------------------------------------------------


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Replace the file at ``path`` with ``data`` in one step (a reader sees old or new).

    The new file keeps the old one's permissions, or gets ``mode`` when given.
    """
    target = Path(path)
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            pass
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def history_folder(path: str | os.PathLike[str]) -> Path:
    """The undo history of the map at ``path`` (created with its ``.gitignore`` when written)."""
    target = Path(path).resolve()
    key = hashlib.sha256(os.fsencode(target)).hexdigest()[:12]
    return target.parent / HIDDEN_FOLDER / "undo" / f"{_safe(target.name)}-{key}"


def _safe(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)[:80]


def hidden_folder(map_file: str | os.PathLike[str]) -> Path:
    """The hidden folder beside ``map_file`` (its undo history and positions record),
    created with a ``.gitignore`` of ``*`` when needed.

    Raises ``OSError`` when the folder is a symbolic link: it travels with the map (a
    shared folder, an archive), and a link planted there must not send writes elsewhere.
    """
    folder = Path(map_file).resolve().parent / HIDDEN_FOLDER
    if folder.is_symlink():
        raise OSError(errno.ELOOP, f"{folder} is a symbolic link; nothing is written through one")
    folder.mkdir(exist_ok=True)
    try:
        # O_EXCL: never written through a link planted under the name (even a dangling one).
        fd = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return folder
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("*\n")
    return folder


def _own_history(target: Path, folder: Path) -> None:
    """Refuse a history folder reached through a symbolic link.

    The hidden folder travels with the map (a shared folder, an archive): a link planted in
    it must not make an edit write, or an undo read, anywhere else.
    """
    top = target.resolve().parent
    for part in (HIDDEN_FOLDER, f"{HIDDEN_FOLDER}/undo", folder.relative_to(top).as_posix()):
        if (top / part).is_symlink():
            raise EditError(
                f"{target}: {top / part} is a symbolic link; the undo history is never "
                "written or read through one (remove it to edit this file)"
            )


def _read_history(path: Path) -> bytes:
    """A file of the undo history: a regular file, not a link, within the size limit."""
    from explorer.reading import read_bounded

    return read_bounded(path, follow_links=False)


def _log(folder: Path) -> list[dict[str, Any]]:
    from explorer.reading import ReadRefused

    try:
        entries = json.loads(_read_history(folder / "log.json").decode("utf-8"))
    except (ReadRefused, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, dict) and type(e.get("n")) is int and 0 < e["n"] < 1_000_000
    ]


def _write_log(folder: Path, entries: list[dict[str, Any]]) -> None:
    write_atomic(folder / "log.json", json.dumps(entries, indent=1).encode("utf-8"), mode=0o600)


def _read(path: Path) -> bytes:
    """The bytes of a regular file, within the reader's size limit."""
    from explorer.reading import read_bounded

    return read_bounded(path)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(edit: Edit, path: str | os.PathLike[str] | None = None) -> Path:
    """Write an edit to its file, keeping the previous bytes in the undo history.

    Refused (``EditError``) when the file's bytes are no longer those the edit was made on.
    """
    target = Path(path) if path is not None else edit.before.path
    if target is None:
        raise EditError("an upload has no file to save to; download it instead")
    from explorer.reading import ReadRefused

    try:
        current = _read(target)
    except ReadRefused as exc:
        raise EditError(f"{target}: {exc.reason}") from None
    if _digest(current) != edit.before.digest:
        raise FileChanged(
            f"{target}: the file changed on disk since it was read; nothing written "
            "(read it again and redo the edit)"
        )
    folder = history_folder(target)
    _own_history(target, folder)
    hidden_folder(target)
    folder.mkdir(parents=True, exist_ok=True)
    _own_history(target, folder)
    entries = _log(folder)
    number = max((int(e.get("n", 0)) for e in entries), default=0) + 1
    # Written through a temporary file and a rename: a link under the name is replaced,
    # never written through.
    write_atomic(folder / f"{number:06d}.before", current, mode=0o600)
    entries.append(
        {"n": number, "after": _digest(edit.data), "what": edit.summary, "time": time.time()}
    )
    entries = _prune(folder, entries)
    _write_log(folder, entries)
    write_atomic(target, edit.data)
    return target


def _prune(folder: Path, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def size(entry: dict[str, Any]) -> int:
        try:
            return (folder / f"{int(entry['n']):06d}.before").stat().st_size
        except OSError:
            return 0

    while len(entries) > 1 and (
        len(entries) > HISTORY_ENTRIES or sum(size(e) for e in entries) > HISTORY_BYTES
    ):
        oldest = entries.pop(0)
        (folder / f"{int(oldest['n']):06d}.before").unlink(missing_ok=True)
    return entries


@dataclass(frozen=True)
class UndoResult:
    """What ``undo`` restored: the edit it took back and how many remain."""

    path: Path
    what: str
    remaining: int


def undo(path: str | os.PathLike[str], *, force: bool = False) -> UndoResult:
    """Restore the bytes the file had before its last edit; repeatable.

    Refused when the file's bytes are not those the last edit wrote (it was changed since),
    unless ``force``.
    """
    from explorer.reading import ReadRefused

    target = Path(path)
    folder = history_folder(target)
    _own_history(target, folder)
    entries = _log(folder)
    if not entries:
        raise EditError(f"{target}: no edit to undo")
    last = entries[-1]
    try:
        current = _read(target)
    except ReadRefused as exc:
        raise EditError(f"{target}: {exc.reason}") from None
    if _digest(current) != last.get("after") and not force:
        raise FileChanged(
            f"{target}: the file was changed after its last edit ({last.get('what')}); "
            "undoing would lose that change"
        )
    before = folder / f"{int(last['n']):06d}.before"
    try:
        data = _read_history(before)
    except ReadRefused as exc:
        lost = "has lost the earlier version" if exc.reason == "no such file" else exc.reason
        raise EditError(f"{target}: the undo history {lost}") from None
    write_atomic(target, data)
    before.unlink(missing_ok=True)
    _write_log(folder, entries[:-1])
    return UndoResult(target, str(last.get("what", "")), len(entries) - 1)


# Helpers used by both shells.


def list_fields(kind: str) -> set[str]:
    """The fields of a record kind that hold a list of text (aliases, tags)."""
    from explorer import model

    classes: dict[str, type[BaseModel]] = {
        "actor": model.Actor,
        "relation": model.Relation,
        "source": model.Source,
    }
    cls = classes.get(kind)
    if cls is None:
        cls = getattr(model, "Scenario", None)
    if cls is None:
        return set()
    return {
        name
        for name, info in cls.model_fields.items()
        if "list[" in str(info.annotation) and name != "evidence"
    }


def parse_assignment(kind: str, text: str) -> tuple[str, Any]:
    """``field=value`` as a field and its value; lists as ``a,b``; ``field=`` removes it."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise EditError(f"{text!r}: write FIELD=VALUE (FIELD= removes the field)")
    if name == "evidence":
        raise EditError("evidence is not set with FIELD=VALUE; add it with add-relation --quote")
    if name in list_fields(kind):
        return name, [part.strip() for part in value.split(",") if part.strip()]
    return name, value.strip()


def relative_text_path(
    text: str | os.PathLike[str],
    file: str | os.PathLike[str],
    sources: str | os.PathLike[str] | None = None,
) -> str:
    """A source text's path as written in the file's ``text:``.

    The text must lie inside the file's folder or the ``sources`` folder; it is written
    relative to the first of the two that holds it (the reader looks in both).
    """
    folder = Path(file).resolve().parent
    roots = [folder] + ([Path(sources).resolve()] if sources is not None else [])
    try:
        resolved = Path(text).resolve(strict=True)
    except OSError:
        raise EditError(f"{text}: no such file") from None
    if not resolved.is_file():
        raise EditError(f"{text}: not a regular file")
    for root in roots:
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
    where = "the map's folder" + (" or the sources folder" if sources is not None else "")
    raise EditError(f"{text}: a source text must lie inside {where}")


def evidence_items(quotes: Sequence[str], cites: Sequence[str]) -> list[dict[str, str]]:
    """Pair quotes with the sources they cite (one cite may serve every quote)."""
    if len(cites) == 1 and len(quotes) > 1:
        cites = list(cites) * len(quotes)
    if len(quotes) != len(cites):
        raise EditError(
            f"{len(quotes)} quote(s) but {len(cites)} cited source(s): give each quote its source"
        )
    return [{"source": c, "quote": q} for q, c in zip(quotes, cites, strict=True)]
