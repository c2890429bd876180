"""One record per actor and per relation, as every data format carries them, and back.

The graph formats (GraphML, GEXF, node-link JSON, Cytoscape JSON, GML) write each actor and
relation with every field of the stakeholder file, under the file's own names, so that an
import gives the same dataset back:

- scalars (text, whole numbers, booleans) as they are; ``since`` and ``until`` as written
  (partial dates such as ``2021-08`` stay partial);
- lists and mappings (``aliases``, ``tags``, ``evidence`` with its notes) as JSON text in the
  formats that only hold scalars (``flat``); the JSON formats keep them as they are;
- a relation's ``id`` always (given or derived) and its ``sign`` always (its own, or its
  type's), so other tools need no vocabulary;
- derived columns for other tools, ignored on import: ``label`` (an actor's name, a
  relation's type label), ``weight`` (the strength), ``directed`` (from the type),
  ``start``/``end`` (ISO days of ``since``/``until``), ``sign_value`` (+1, 0, -1),
  ``cited`` (the titles of the sources quoted), ``x``/``y`` (the drawing's position),
  ``file_order`` (the relation's place in the file, which keeps derived ids stable).

The file's own records (``sources``, ``vocabulary``, ``scenarios`` ...) travel as graph
attributes. ``dataset_from_records`` turns records read back into a ``Dataset``, reports the
attributes it does not know, and drops what the file would not have written (a derived id, a
sign equal to the type's).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import ValidationError

from explorer.errors import DataErrors, Problem
from explorer.model import FORMAT, Dataset, Sign, derive_relation_ids

__all__ = [
    "DERIVED_ACTOR_KEYS",
    "DERIVED_RELATION_KEYS",
    "ImportResult",
    "Records",
    "actor_record",
    "actors_in_order",
    "as_written",
    "dataset_from_records",
    "edges_in_order",
    "file_records",
    "flat",
    "relation_record",
    "sign_word",
]


#: Columns added for other tools; an import ignores them.
DERIVED_ACTOR_KEYS = frozenset({"label", "x", "y", "kind_label", "size", "colour", "color"})
DERIVED_RELATION_KEYS = frozenset(
    {
        "label",
        "weight",
        "directed",
        "start",
        "end",
        "sign_value",
        "cited",
        "colour",
        "color",
        "interaction",
        "key",
        "structural",
        "file_order",
    }
)


@dataclass
class ImportResult:
    """An imported dataset and what the import had to decide for the curator."""

    dataset: Dataset
    notes: list[str] = field(default_factory=list)


def sign_word(value: int) -> str:
    """``positive``, ``neutral`` or ``negative`` for +1, 0, -1."""
    return Sign(value).word if value in (-1, 0, 1) else "neutral"


def flat(value: Any) -> Any:
    """A scalar as it is, ``None`` as empty text, a list or mapping as JSON text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _dataset(view: nx.MultiDiGraph[Any]) -> Dataset:
    dataset = view.graph.get("dataset")
    if not isinstance(dataset, Dataset):
        raise TypeError("the view has no dataset; build it with explorer.graph.build_graph")
    return dataset


def actor_record(view: nx.MultiDiGraph[Any], actor: str) -> dict[str, Any]:
    """Every field of one actor as the file has it, plus its ``label`` (the name)."""
    dataset = _dataset(view)
    index = view.graph.setdefault("_actor_index", {a.id: a for a in dataset.actors})
    record: dict[str, Any] = index[actor].model_dump(mode="json", exclude_none=True)
    record["label"] = record["name"]
    return record


def relation_record(
    view: nx.MultiDiGraph[Any], u: str, v: str, key: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Every field of one relation as the file has it (id and sign filled in), plus derived ones."""
    dataset = _dataset(view)
    index = view.graph.setdefault(
        "_relation_index", dict(zip(dataset.relation_ids, dataset.relations, strict=True))
    )
    order = view.graph.setdefault(
        "_relation_order", {ident: n for n, ident in enumerate(dataset.relation_ids, start=1)}
    )
    record: dict[str, Any] = index[key].model_dump(mode="json", exclude_none=True)
    record["id"] = key
    record["file_order"] = order[key]
    record["sign"] = sign_word(int(data.get("sign", 0)))
    record["label"] = str(data.get("label") or record["type"])
    record["weight"] = float(record.get("strength", 2))
    record["directed"] = bool(data.get("directed", True))
    record["sign_value"] = int(data.get("sign", 0))
    for name in ("start", "end"):
        day = data.get(name)
        record[name] = day.isoformat() if day is not None else None
    titles = dataset.source_index
    cited = [titles[s].title if s in titles else s for s in data.get("sources", [])]
    record["cited"] = "; ".join(cited)
    return record


def actors_in_order(view: nx.MultiDiGraph[Any]) -> list[str]:
    """The view's actors in the file's order."""
    return [a.id for a in _dataset(view).actors if a.id in view]


def edges_in_order(view: nx.MultiDiGraph[Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The view's relations in the file's order (derived ids number repeats in that order)."""
    where = {k: (u, v, d) for u, v, k, d in view.edges(keys=True, data=True)}
    ordered = []
    for key in _dataset(view).relation_ids:
        if key in where:
            u, v, d = where[key]
            ordered.append((u, v, key, d))
    return ordered


def file_records(view: nx.MultiDiGraph[Any]) -> dict[str, Any]:
    """The file's own fields besides actors and relations: format, title, sources ..."""
    data = _dataset(view).model_dump(mode="json", exclude_none=True)
    data.pop("actors", None)
    data.pop("relations", None)
    return {k: v for k, v in data.items() if v not in ([], {}, None)}


# --- back to a dataset ---------------------------------------------------------------------


@dataclass
class Records:
    """What a graph format held: file fields, actors and relations as plain mappings."""

    path: str
    graph: dict[str, Any] = field(default_factory=dict)
    actors: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


def _maybe_json(value: Any, want: type) -> Any:
    """A value read back: JSON text becomes the list or mapping it was written from."""
    if isinstance(value, str) and want in (list, dict):
        text = value.strip()
        if not text:
            return want()
        try:
            parsed = json.loads(text)
        except ValueError:
            return [p.strip() for p in text.split(";") if p.strip()] if want is list else value
        return parsed
    return value


def _holds_model(annotation: Any) -> bool:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))


def _fields(model: Any) -> dict[str, type]:
    kinds: dict[str, type] = {}
    for name, info in model.model_fields.items():
        text = str(info.annotation)
        if "list" in text:
            kinds[name] = list
        elif "dict" in text or _holds_model(info.annotation):
            kinds[name] = dict
        else:
            kinds[name] = str
    return kinds


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def dataset_from_records(records: Records, *, title: str | None = None) -> ImportResult:
    """A validated ``Dataset`` from records a graph format held; unknown columns are noted."""
    from explorer.model import Actor, Relation

    notes: list[str] = []
    unknown: dict[str, int] = {}
    actor_fields, relation_fields = _fields(Actor), _fields(Relation)
    dataset_fields = _fields(Dataset)

    def keep(
        record: Mapping[str, Any], fields: dict[str, type], derived: Iterable[str], what: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in record.items():
            if key in fields:
                value = _maybe_json(_clean(value), fields[key])
                if value in ("", None, [], {}):
                    continue
                out[key] = value
            elif key not in derived:
                unknown[f"{what} attribute {key!r}"] = (
                    unknown.get(f"{what} attribute {key!r}", 0) + 1
                )
        return out

    raw: dict[str, Any] = {"format": FORMAT}
    for key, value in records.graph.items():
        if key in dataset_fields and key not in ("actors", "relations"):
            value = _maybe_json(value, dataset_fields[key])
            if value not in ("", None, [], {}):
                raw[key] = value
    if title:
        raw["title"] = title
    raw.setdefault("title", "Imported map")
    raw["format"] = FORMAT
    actors = [keep(a, actor_fields, DERIVED_ACTOR_KEYS, "actor") for a in records.actors]
    for actor in actors:
        actor.setdefault("name", actor.get("id", ""))
    ordered = records.relations
    if ordered and all(_is_number(r.get("file_order")) for r in ordered):
        ordered = sorted(ordered, key=lambda r: float(r["file_order"]))
    relations = [keep(r, relation_fields, DERIVED_RELATION_KEYS, "relation") for r in ordered]
    raw["actors"], raw["relations"] = actors, as_written(raw, relations)
    for what, count in sorted(unknown.items()):
        notes.append(f"ignored {what} on {count} record{'s' if count != 1 else ''}: not a field")
    try:
        dataset = Dataset.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"]) or "file"
            problems.append(Problem(records.path, 1, 1, where, str(err["msg"])))
        raise DataErrors(problems) from None
    return ImportResult(dataset, notes)


def as_written(raw: Mapping[str, Any], relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop what a curator would not have written: derived ids, signs equal to the type's."""
    from explorer.model import Vocabulary, builtin_vocabulary

    try:
        extra = Vocabulary.model_validate(raw.get("vocabulary") or {})
        types = builtin_vocabulary().merged(extra).relation_types
    except ValidationError:
        types = builtin_vocabulary().relation_types
    for rel in relations:
        rtype = types.get(str(rel.get("type")))
        if rtype is not None and rel.get("sign") == rtype.sign:
            del rel["sign"]
    bare = [{k: v for k, v in r.items() if k != "id"} for r in relations]
    derived = derive_relation_ids(bare)
    trial = [bare[i] if rel.get("id") == derived[i] else rel for i, rel in enumerate(relations)]
    wanted = [r.get("id", d) for r, d in zip(relations, derived, strict=True)]
    if derive_relation_ids(trial) == wanted:
        return trial
    return relations
