"""GEXF 1.3 for Gephi: one edge per relation, kept apart, dynamic, coloured by sign.

- Each edge has the relation id as its id, the relation type as its ``kind`` (Gephi keys
  edges on source, target and kind, so a ``supports`` and a ``hostile_to`` on one pair stay
  two edges) and the type's label as its ``label``; ``weight`` is the strength.
- Direction per edge: ``type="undirected"`` where the relation's type is undirected (the
  graph's default is directed).
- Colour: actors by kind, relations by sign (``viz:color``); actor size and position.
- Time: ``timeformat="date"``; an actor or relation with ``since``/``until`` has a spell
  from the first day of ``since`` to the last day of ``until``, so Gephi's timeline plays
  the map. The attributes keep ``since``/``until`` as written (``2021-08`` stays partial).
- Attributes: every field of the stakeholder file under its own name (lists and evidence as
  JSON text), nothing else; the file's title and description are in ``meta``, and its
  sources, vocabulary and scenarios in XML comments inside ``graph`` (JSON), which the
  schema allows, every reader ignores and our import reads.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, Problem
from explorer.formats.files import refuse_dtd, xml_text
from explorer.formats.records import (
    ImportResult,
    Records,
    actor_record,
    dataset_from_records,
    edges_in_order,
    file_records,
    flat,
    relation_record,
)
from explorer.render.style import SIGN_STYLES, kind_colour

__all__ = ["GEXF_NS", "read_gexf", "write_gexf"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: Our fields that GEXF holds natively rather than as attributes.
_NODE_NATIVE = {"id", "name", "label"}
_EDGE_NATIVE = {"id", "source", "target", "type", "label", "weight", "start", "end", "sign_value"}
_EDGE_DERIVED = {"x", "y"}

_TYPES = {bool: "boolean", int: "integer", float: "double", str: "string"}


def _attr_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None and v != ""}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "integer"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_text(str(flat(value)))


def _rgb(colour: str) -> dict[str, str]:
    value = colour.lstrip("#")
    return {
        "r": str(int(value[0:2], 16)),
        "g": str(int(value[2:4], 16)),
        "b": str(int(value[4:6], 16)),
    }


def _spell(parent: ET.Element, start: str | None, end: str | None) -> bool:
    if not start and not end:
        return False
    spells = ET.SubElement(parent, f"{{{GEXF_NS}}}spells")
    spell = ET.SubElement(spells, f"{{{GEXF_NS}}}spell")
    if start:
        spell.set("start", start)
    if end:
        spell.set("end", end)
    return True


def _actor_days(view: nx.MultiDiGraph[Any], actor: str) -> tuple[str | None, str | None]:
    dataset = view.graph["dataset"]
    index = view.graph.setdefault("_actor_index", {a.id: a for a in dataset.actors})
    record = index[actor]
    start = record.since.first.isoformat() if record.since else None
    end = record.until.last.isoformat() if record.until else None
    return start, end


def _declare(
    parent: ET.Element, cls: str, records: list[dict[str, Any]], skip: set[str]
) -> dict[str, str]:
    names: list[str] = []
    for record in records:
        names.extend(k for k in record if k not in skip and k not in names)
    attributes = ET.SubElement(parent, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
    ids = {}
    for name in names:
        ids[name] = name  # the title as id: graphology keys attributes by id
        ET.SubElement(
            attributes,
            f"{{{GEXF_NS}}}attribute",
            {"id": ids[name], "title": name, "type": _attr_type([r.get(name) for r in records])},
        )
    return ids


def _values(parent: ET.Element, record: Mapping[str, Any], ids: Mapping[str, str]) -> None:
    values = ET.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for name, ident in ids.items():
        value = record.get(name)
        if value is None or value == "" or value == [] or value == {}:
            continue
        ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": ident, "value": _text(value)})


def write_gexf(view: nx.MultiDiGraph[Any], options: Any) -> bytes:
    """The view as GEXF 1.3 bytes."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(
        f"{{{GEXF_NS}}}gexf",
        {"version": "1.3", f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"},
    )
    files = file_records(view)
    latest = view.graph.get("latest")
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    if latest is not None:
        # The data's own latest date, not today's: the same map gives the same bytes.
        meta.set("lastmodifieddate", latest.isoformat())
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "Stakeholder Explorer"
    ET.SubElement(meta, f"{{{GEXF_NS}}}title").text = _text(files.get("title", ""))
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = _text(files.get("description", ""))
    actors = {n: actor_record(view, n) for n in view.nodes}
    relations = [
        (u, v, k, relation_record(view, u, v, k, d)) for u, v, k, d in edges_in_order(view)
    ]
    days = {n: _actor_days(view, n) for n in view.nodes}
    dynamic = any(a or b for a, b in days.values()) or any(
        r["start"] or r["end"] for *_, r in relations
    )
    graph = ET.SubElement(
        root,
        f"{{{GEXF_NS}}}graph",
        {"defaultedgetype": "directed", "mode": "dynamic" if dynamic else "static"},
    )
    if dynamic:
        graph.set("timeformat", "date")
    node_ids = _declare(graph, "node", list(actors.values()), _NODE_NATIVE)
    edge_ids = _declare(graph, "edge", [r for *_, r in relations], _EDGE_NATIVE)
    for key, value in files.items():
        if key not in ("title", "description"):
            # A comment is the one place the GEXF schema leaves free: readers ignore it.
            graph.append(ET.Comment(_comment(key, value)))
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    sizes = options.sizes or {}
    for n, record in actors.items():
        node = ET.SubElement(
            nodes, f"{{{GEXF_NS}}}node", {"id": xml_text(n), "label": _text(record["name"])}
        )
        _values(node, record, node_ids)
        _spell(node, *days[n])
        ET.SubElement(
            node, f"{{{VIZ_NS}}}color", _rgb(kind_colour(str(record.get("kind", "")), view))
        )
        ET.SubElement(node, f"{{{VIZ_NS}}}size", {"value": repr(float(sizes.get(n, 16.0)))})
        if options.positions is not None and n in options.positions:
            x, y = options.positions[n]
            # Gephi's canvas counts y upwards like ours; 500 spreads [-1, 1] to a usual scale.
            ET.SubElement(
                node,
                f"{{{VIZ_NS}}}position",
                {"x": repr(float(x) * 500), "y": repr(float(y) * 500), "z": "0.0"},
            )
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for u, v, k, record in relations:
        attrs = {
            "id": xml_text(k),
            "source": xml_text(u),
            "target": xml_text(v),
            "kind": xml_text(record["type"]),
            "label": _text(record["label"]),
            "weight": repr(float(record["weight"])),
        }
        if not record["directed"]:
            attrs["type"] = "undirected"
        edge = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", attrs)
        _values(edge, record, edge_ids)
        _spell(edge, record["start"], record["end"])
        ET.SubElement(edge, f"{{{VIZ_NS}}}color", _rgb(SIGN_STYLES[record["sign_value"]].colour))
    ET.indent(root, space=" ")
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


_MARK = " stakeholder-explorer "


def _comment(key: str, value: Any) -> str:
    """One file record as comment text: JSON, with ``--`` (never allowed in a comment) escaped."""
    text = json.dumps(value, ensure_ascii=False).replace("--", "-\\u002d")
    return xml_text(f"{_MARK}{key} {text} ")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_gexf(data: bytes, path: str, *, title: str | None = None) -> ImportResult:
    """A dataset from GEXF our export wrote (or Gephi saved from it)."""
    refuse_dtd(data, path)
    try:
        parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
        root = ET.fromstring(data, parser=parser)
    except ET.ParseError as exc:
        line, col = exc.position
        raise DataErrors(
            [Problem(path, line, col + 1, "file", f"not well-formed XML ({exc})")]
        ) from None
    graph = next((e for e in root if _local(e.tag) == "graph"), None)
    if _local(root.tag) != "gexf" or graph is None:
        raise DataErrors([Problem(path, 1, 1, "file", "not GEXF: no <gexf> with a <graph>")])
    records = Records(path)
    for meta in (e for e in root if _local(e.tag) == "meta"):
        for item in meta:
            if _local(item.tag) in ("title", "description") and item.text:
                records.graph[_local(item.tag)] = item.text
    titles: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    for element in graph:
        name = _local(element.tag)
        if name == "attributes":
            cls = element.get("class", "node")
            for attribute in element:
                titles.setdefault(cls, {})[attribute.get("id", "")] = (
                    attribute.get("title", attribute.get("id", "")),
                    attribute.get("type", "string"),
                )
        # A comment's tag is the Comment factory itself, which the stubs type as text.
        elif element.tag is ET.Comment and (  # type: ignore[comparison-overlap]
            element.text or ""
        ).startswith(_MARK):
            key, _, text = (element.text or "")[len(_MARK) :].partition(" ")
            try:
                records.graph[key] = json.loads(text)
            except ValueError:
                records.graph[key] = text
    for element in graph.iter():
        name = _local(element.tag)
        if name == "node":
            record: dict[str, Any] = {
                "id": element.get("id", ""),
                "name": element.get("label") or element.get("id", ""),
            }
            record.update(_attvalues(element, titles["node"]))
            records.actors.append(record)
        elif name == "edge":
            record = {
                "id": element.get("id", ""),
                "source": element.get("source", ""),
                "target": element.get("target", ""),
            }
            if element.get("kind"):
                record["type"] = element.get("kind")
            if element.get("weight") and "strength" not in record:
                record["weight"] = element.get("weight")
            record.update(_attvalues(element, titles["edge"]))
            if record.get("id", "").isdigit():
                record.pop("id")
            records.relations.append(record)
    return dataset_from_records(records, title=title)


def _attvalues(element: ET.Element, titles: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in element:
        if _local(child.tag) != "attvalues":
            continue
        for value in child:
            title, kind = titles.get(value.get("for", ""), (value.get("for", ""), "string"))
            text = value.get("value", "")
            if (
                kind in ("integer", "long", "short")
                and text.lstrip("-").isdigit()
                and len(text) < 20
            ):
                out[title] = int(text)
            elif kind == "boolean":
                out[title] = text.lower() == "true"
            else:
                out[title] = text
    return out
