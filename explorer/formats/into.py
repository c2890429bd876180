"""``import SOURCE --into FILE``: apply an imported map's differences to an existing file.

The differences (records added, changed and removed, matched by id) are applied through the
edit library (``explorer.edit``): each one splices the file's text as the curator wrote it
(comments and layout kept), the result is validated, the file is written atomically only if
it has not changed on disk since it was read, and ``stakeholder-explorer undo FILE`` takes
the whole import back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import ExplorerError
from explorer.model import Dataset

__all__ = ["IntoResult", "apply_import"]


@dataclass
class IntoResult:
    """What an import into a file added, changed and removed (``kind:id`` each)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    written: bool = False

    def lines(self) -> list[str]:
        """One line per kind of change, for the terminal."""
        out = []
        for word, items in (
            ("added", self.added),
            ("changed", self.changed),
            ("removed", self.removed),
        ):
            if items:
                out.append(f"{word} {len(items)}: {', '.join(items)}")
        return out or ["no differences: the file already holds the imported map"]


def _records(dataset: Dataset, kind: str) -> dict[str, dict[str, Any]]:
    if kind == "relation":
        return {
            ident: rel.model_dump(mode="json", exclude_none=True)
            for ident, rel in zip(dataset.relation_ids, dataset.relations, strict=True)
        }
    by_kind: dict[str, Iterable[Any]] = {
        "actor": dataset.actors,
        "source": dataset.sources,
        "scenario": dataset.scenarios,
    }
    items = by_kind[kind]
    return {item.id: item.model_dump(mode="json", exclude_none=True) for item in items}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The fields to set (None removes one) to make ``old`` into ``new``."""
    fields: dict[str, Any] = {}
    for key in set(old) | set(new):
        if key == "id":
            continue
        before, after = old.get(key), new.get(key)
        if before in ([], "") and after is None or after in ([], "") and before is None:
            continue
        if before != after:
            fields[key] = after
    return fields


def apply_import(
    path: str | os.PathLike[str], imported: Dataset, *, dry_run: bool = False
) -> IntoResult:
    """Make the file at ``path`` hold ``imported``'s records, through checked, undoable edits."""
    from explorer.edit import Edit, StakeholderFile, save
    from explorer.load import load_dataset

    current = load_dataset(path)
    new_kinds = set(imported.vocabulary.actor_kinds if imported.vocabulary else {}) - set(
        current.vocab.actor_kinds
    )
    new_types = set(imported.vocabulary.relation_types if imported.vocabulary else {}) - set(
        current.vocab.relation_types
    )
    if new_kinds or new_types:
        names = ", ".join(sorted(new_kinds | new_types))
        raise ExplorerError(
            f"{path}: the import uses kinds or types the file does not declare ({names}); "
            "add them to the file's vocabulary first, or import into a new file with -o"
        )
    doc = first = StakeholderFile.open(path)
    edit = None
    result = IntoResult()
    old = {k: _records(current, k) for k in ("source", "scenario", "actor", "relation")}
    new = {k: _records(imported, k) for k in ("source", "scenario", "actor", "relation")}

    def run(step: Any, label: str, bucket: list[str]) -> None:
        nonlocal doc, edit
        edit = step(doc)
        doc = edit.then()
        bucket.append(label)

    for ident in old["relation"]:
        if ident not in new["relation"]:
            run(lambda d, i=ident: d.remove(f"relation:{i}"), f"relation:{ident}", result.removed)
    for kind in ("source", "scenario", "actor"):
        for ident, record in new[kind].items():
            if ident not in old[kind]:
                run(lambda d, k=kind, r=record: d.add(k, r), f"{kind}:{ident}", result.added)
    for kind in ("source", "scenario", "actor", "relation"):
        for ident, record in new[kind].items():
            if ident in old[kind]:
                fields = _changes(old[kind][ident], record)
                if fields:
                    run(
                        lambda d, k=kind, i=ident, f=fields: d.change(f"{k}:{i}", f),
                        f"{kind}:{ident}",
                        result.changed,
                    )
    for ident, record in new["relation"].items():
        if ident not in old["relation"]:
            derived = f"{record['source']}__{record['type']}__{record['target']}"
            fields = {k: v for k, v in record.items() if not (k == "id" and v == derived)}
            run(lambda d, f=fields: d.add("relation", f), f"relation:{ident}", result.added)
    for kind in ("actor", "scenario", "source"):
        for ident in old[kind]:
            if ident not in new[kind]:
                run(
                    lambda d, k=kind, i=ident: d.remove(f"{k}:{i}"),
                    f"{kind}:{ident}",
                    result.removed,
                )
    if edit is not None and not dry_run:
        # One entry in the undo history for the whole import.
        summary = "import: " + "; ".join(result.lines())
        save(Edit(first, edit.data, summary[:500], "import", ""))
        result.written = True
    return result
