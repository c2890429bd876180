"""One map from several: actors matched by id, name and alias; relations by what they claim.

Rules (``merge_datasets``):

- Actors match by id, name or alias, compared without case, accents or punctuation. An id
  match whose names and aliases share no such form is a conflict, and so is an actor that
  matches two. A matched actor gains the other file's name and aliases as aliases.
- Two relations match when their ends (in either order for undirected types), type, sign,
  status and scenario agree. They become one, with the union of their evidence (a quote
  from the same source that reads the same after folding quotes and spaces is kept once).
  A different strength, confidence, date or note is a conflict that ``prefer`` (the number
  of the file that wins, from 1) resolves. Opposite signs stay two relations: a contested
  pair.
- Sources, vocabulary entries and scenarios merge by id; the same id with a different
  content is a conflict unless ``prefer`` names a file that has it.

Unresolved conflicts are listed and nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import ExplorerError
from explorer.model import Dataset, Relation

__all__ = ["MergeConflicts", "MergeResult", "MergeRow", "merge_datasets", "normal_form"]

#: Relation fields that must agree for two matched relations, or be chosen with ``prefer``.
RELATION_CHOICES = ("strength", "confidence", "since", "until", "note")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")


def normal_form(text: str) -> str:
    """Text compared without case, accents or punctuation: ``"Al-Qaeda"`` -> ``"al qaeda"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", _PUNCT.sub(" ", bare.casefold())).strip()


@dataclass(frozen=True)
class MergeRow:
    """One line of the match table: what came together, and how."""

    kind: str
    id: str
    members: tuple[str, ...]  # "1:united_states", "2:usa"
    how: str


@dataclass
class MergeResult:
    """The merged dataset and the table that says how it was made."""

    dataset: Dataset
    rows: list[MergeRow] = field(default_factory=list)

    def text(self) -> str:
        """The merged stakeholder file's YAML, with only the fields the inputs wrote."""
        import yaml

        return yaml.dump(
            _raw(self.dataset),
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )


def _raw(dataset: Dataset) -> dict[str, Any]:
    """A dataset's data as its file wrote it: no defaults that were not written."""
    return dataset.model_dump(mode="json", exclude_unset=True, exclude_none=True)


def _default(name: str) -> Any:
    info = Relation.model_fields.get(name)
    return None if info is None else info.default


class MergeConflicts(ExplorerError):
    """Conflicts the merge cannot resolve; nothing was written."""

    def __init__(self, conflicts: Sequence[str], rows: Sequence[MergeRow]) -> None:
        self.conflicts = list(conflicts)
        self.rows = list(rows)
        super().__init__("\n".join(f"conflict: {c}" for c in self.conflicts))


def _actor_forms(actor: dict[str, Any]) -> set[str]:
    return {normal_form(t) for t in [actor["name"], *actor.get("aliases", [])]} - {""}


def merge_datasets(
    datasets: Sequence[Dataset], names: Sequence[str], *, prefer: int | None = None
) -> MergeResult:
    """Merge ``datasets`` (in order; ``names`` label them in messages) into one."""
    conflicts: list[str] = []
    rows: list[MergeRow] = []
    first = datasets[0]
    merged: dict[str, Any] = {
        k: v
        for k, v in _raw(first).items()
        if k not in ("actors", "relations", "sources", "vocabulary", "scenarios")
    }

    def label(i: int) -> str:
        return f"file {i + 1} ({names[i]})"

    # Sources, scenarios and vocabulary entries: by id.
    def by_id(kind: str, items: list[tuple[int, dict[str, Any]]], key: str = "id") -> list[Any]:
        out: dict[str, tuple[int, dict[str, Any]]] = {}
        seen: dict[str, list[int]] = {}
        for i, item in items:
            ident = item[key]
            seen.setdefault(ident, []).append(i)
            if ident not in out:
                out[ident] = (i, item)
            elif out[ident][1] != item:
                if prefer is not None and prefer - 1 in seen[ident]:
                    if i == prefer - 1:
                        out[ident] = (i, item)
                else:
                    conflicts.append(
                        f"{kind} {ident!r} differs between {label(out[ident][0])} and {label(i)}"
                    )
        for ident, files in seen.items():
            how = "same id" if len(files) > 1 else "only here"
            rows.append(MergeRow(kind, ident, tuple(f"{i + 1}:{ident}" for i in files), how))
        return [item for _, item in out.values()]

    merged["sources"] = by_id(
        "source", [(i, s) for i, d in enumerate(datasets) for s in _raw(d).get("sources", [])]
    )
    scenarios = [(i, s) for i, d in enumerate(datasets) for s in _raw(d).get("scenarios", [])]
    if scenarios:
        merged["scenarios"] = by_id("scenario", scenarios)
    vocabulary: dict[str, Any] = {}
    for section in ("actor_kinds", "relation_types"):
        entries = [
            (i, {"id": k, **v})
            for i, d in enumerate(datasets)
            for k, v in ((_raw(d).get("vocabulary") or {}).get(section) or {}).items()
        ]
        if entries:
            kept = by_id(section.rstrip("s").replace("_", " "), entries)
            vocabulary[section] = {e["id"]: {k: v for k, v in e.items() if k != "id"} for e in kept}
    if vocabulary:
        merged["vocabulary"] = vocabulary

    # Actors.
    actors: list[dict[str, Any]] = []
    members: list[list[str]] = []
    hows: list[str] = []
    mapping: dict[tuple[int, str], str] = {}
    for i, dataset in enumerate(datasets):
        for actor in _raw(dataset).get("actors", []):
            forms = _actor_forms(actor)
            hits = []
            for j, other in enumerate(actors):
                if other["id"] == actor["id"] or forms & _actor_forms(other):
                    hits.append(j)
            if len(hits) > 1:
                conflicts.append(
                    f"actor {actor['id']!r} of {label(i)} matches "
                    + " and ".join(repr(actors[j]["id"]) for j in hits)
                )
                continue
            if not hits:
                actors.append(dict(actor))
                members.append([f"{i + 1}:{actor['id']}"])
                hows.append("only here")
                mapping[(i, actor["id"])] = actor["id"]
                continue
            j = hits[0]
            other = actors[j]
            shared = forms & _actor_forms(other)
            if other["id"] == actor["id"] and not shared:
                conflicts.append(
                    f"actor id {actor['id']!r} names {other['name']!r} and, in {label(i)}, "
                    f"{actor['name']!r}, which share no name or alias"
                )
                continue
            if actor["kind"] != other["kind"]:
                if prefer == i + 1:
                    other["kind"] = actor["kind"]
                elif prefer is None or not any(m.startswith(f"{prefer}:") for m in members[j]):
                    conflicts.append(
                        f"actor {other['id']!r} is a {other['kind']} in one file and a "
                        f"{actor['kind']} in {label(i)}"
                    )
            known = _actor_forms(other)
            for text in [actor["name"], *actor.get("aliases", [])]:
                if normal_form(text) not in known:
                    other.setdefault("aliases", []).append(text)
                    known.add(normal_form(text))
            for tag in actor.get("tags", []):
                if tag not in other.setdefault("tags", []):
                    other["tags"].append(tag)
            if prefer == i + 1 and actor.get("description"):
                other["description"] = actor["description"]
            elif not other.get("description") and actor.get("description"):
                other["description"] = actor["description"]
            members[j].append(f"{i + 1}:{actor['id']}")
            how = "same id" if other["id"] == actor["id"] else "name or alias"
            if shared:
                how += " (" + ", ".join(sorted(shared)) + ")"
            hows[j] = how
            mapping[(i, actor["id"])] = other["id"]
    for actor, found, how in zip(actors, members, hows, strict=True):
        rows.append(MergeRow("actor", actor["id"], tuple(found), how))
    merged["actors"] = actors

    # Relations.
    vocab = first.vocab
    for d in datasets[1:]:
        vocab = vocab.merged(d.vocabulary)
    relations: list[dict[str, Any]] = []
    rel_members: list[list[int]] = []
    rel_hows: list[list[str]] = []
    keys: list[tuple[Any, ...]] = []
    from explorer.load import normalise_quote

    for i, dataset in enumerate(datasets):
        for rel, rel_id in zip(
            _raw(dataset).get("relations", []), dataset.relation_ids, strict=True
        ):
            source = mapping.get((i, rel["source"]))
            target = mapping.get((i, rel["target"]))
            if source is None or target is None:
                continue  # its actor is in conflict, reported above
            rtype = vocab.relation_types.get(rel["type"])
            sign = rel.get("sign") or (rtype.sign if rtype else None)
            directed = rtype.directed if rtype else True
            ends: Any = (source, target) if directed else frozenset((source, target))
            key = (ends, rel["type"], sign, rel.get("status", "observed"), rel.get("scenario"))
            new = {**rel, "source": source, "target": target}
            if "id" in new and any(r.get("id") == new["id"] for r in relations):
                del new["id"]
            matches = [j for j, k in enumerate(keys) if k == key and i not in rel_members[j]]
            if not matches:
                relations.append(new)
                keys.append(key)
                rel_members.append([i])
                rel_hows.append([f"{i + 1}:{rel_id}"])
                continue
            j = matches[0]
            other = relations[j]
            notes = []
            for name in RELATION_CHOICES:
                mine = other.get(name, _default(name))
                theirs = new.get(name, _default(name))
                if theirs is None or mine == theirs:
                    continue
                if mine is None:
                    other[name] = theirs
                elif prefer == i + 1:
                    other[name] = theirs
                    notes.append(f"{name} {theirs} from file {i + 1} over {mine}")
                elif prefer is not None and prefer - 1 in rel_members[j]:
                    notes.append(f"{name} {mine} from file {prefer} over {theirs}")
                else:
                    conflicts.append(
                        f"relation {source} {rel['type']} {target}: {name} is {mine!r} in "
                        f"{label(rel_members[j][0])} and {theirs!r} in {label(i)} "
                        "(choose with --prefer N)"
                    )
            evidence = other.setdefault("evidence", [])
            have = {(e["source"], normalise_quote(e["quote"])) for e in evidence}
            dropped = 0
            for item in new.get("evidence", []):
                mark = (item["source"], normalise_quote(item["quote"]))
                if mark in have:
                    dropped += 1
                    continue
                have.add(mark)
                evidence.append(item)
            rel_members[j].append(i)
            text = f"{i + 1}:{rel_id}"
            if dropped:
                notes.append(f"{dropped} duplicate quote(s) dropped")
            rel_hows[j].append(text + (" (" + "; ".join(notes) + ")" if notes else ""))
    merged["relations"] = relations
    pairs: dict[frozenset[str], set[Any]] = {}
    for rel, key in zip(relations, keys, strict=True):
        if key[2] in ("positive", "negative"):
            pairs.setdefault(frozenset((rel["source"], rel["target"])), set()).add(key[2])
    candidate = None
    if not conflicts:
        candidate = Dataset.model_validate(merged)
    ids = candidate.relation_ids if candidate else [r.get("id", "") for r in relations]
    for rel, ident, found in zip(relations, ids, rel_hows, strict=True):
        contested = len(pairs.get(frozenset((rel["source"], rel["target"])), ())) > 1
        how = "matched" if len(found) > 1 else "only here"
        if contested:
            how += "; contested pair (opposite signs kept apart)"
        rows.append(MergeRow("relation", ident, tuple(found), how))
    if conflicts or candidate is None:
        raise MergeConflicts(conflicts, rows)
    return MergeResult(candidate, rows)
