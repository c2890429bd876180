"""What a drawn graph page looks like on screen, read from vis-network itself.

Used by the browser tests and by ``docs/make_screenshots.py`` (which prints the same counts
for our page and for pyvis's default page). Every figure is read from the page in Chromium:
actor boxes from ``network.getBoundingBox(id)`` (label included), positions from
``getPositions``, lines sampled along the curves vis-network drew (``edgeType.getPoint``),
all converted to the frame's pixels with ``canvasToDOM``; nothing is recomputed here.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

#: Reads every actor's box and shape box, its position, label size, and points along every
#: drawn line, in the frame's CSS pixels.
_READ = """() => {
  const net = window.network;
  const dom = (p) => net.canvasToDOM(p);
  const ids = net.body.data.nodes.getIds();
  const pos = net.getPositions(ids);
  const actors = {};
  for (const id of ids) {
    const node = net.body.nodes[id];
    if (!node || node.options.hidden) { continue; }
    const b = net.getBoundingBox(id);
    const tl = dom({x: b.left, y: b.top}), br = dom({x: b.right, y: b.bottom});
    const c = dom(pos[id]);
    const r = node.shape.radius !== undefined ? node.shape.radius : node.options.size;
    const edge = dom({x: pos[id].x + r, y: pos[id].y});
    const rr = Math.abs(edge.x - c.x);
    const labelled = !!(node.options.label && String(node.options.label).trim());
    const fontPx = labelled ? node.options.font.size * net.getScale() : 0;
    actors[id] = {box: [tl.x, tl.y, br.x, br.y], shape: [c.x - rr, c.y - rr, c.x + rr, c.y + rr],
                  centre: [c.x, c.y], labelled: labelled, fontPx: fontPx,
                  label: labelled ? String(node.options.label) : ""};
  }
  const lines = [];
  for (const id of net.body.data.edges.getIds()) {
    const edge = net.body.edges[id];
    if (!edge || !edge.edgeType || !edge.connected) { continue; }
    const pts = [];
    for (let i = 0; i <= 60; i++) {
      const p = edge.edgeType.getPoint(i / 60);
      const d = dom(p);
      pts.push([d.x, d.y]);
    }
    lines.push({id: String(id), from: String(edge.fromId), to: String(edge.toId), points: pts});
  }
  const rect = net.body.container.getBoundingClientRect();
  return {actors, lines, frame: [rect.width, rect.height]};
}"""


@dataclasses.dataclass
class Geometry:
    """The counts a reader notices: overlaps, lines through actors, labels far from home."""

    overlapping_boxes: list[tuple[str, str]]
    lines_through_actors: list[tuple[str, str]]
    #: The same, counting only the actor's shape (a line that crosses a label only).
    lines_through_shapes: list[tuple[str, str]]
    labels_nearer_another: list[tuple[str, str]]
    smallest_label_px: float
    smallest_central_label_px: float
    #: The ten most central actors (of ``central``) whose labels are drawn below 11 px.
    small_central: list[str]
    hidden_labels: int
    actors: int
    lines: int

    def failures(self) -> list[str]:
        out = [f"boxes overlap: {a} / {b}" for a, b in self.overlapping_boxes]
        out += [f"line {line} passes through {actor}" for line, actor in self.lines_through_actors]
        out += [f"label of {a} is nearer {b}" for a, b in self.labels_nearer_another]
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "actors": self.actors,
            "lines": self.lines,
            "overlapping actor boxes": len(self.overlapping_boxes),
            "lines through other actors": len(self.lines_through_actors),
            "lines through other actors' shapes": len(self.lines_through_shapes),
            "labels nearer another actor": len(self.labels_nearer_another),
            "hidden labels": self.hidden_labels,
            "smallest label (px)": round(self.smallest_label_px, 1),
            "smallest of the 10 most central labels (px)": round(self.smallest_central_label_px, 1),
        }


def _overlap(a: list[float], b: list[float], tolerance: float) -> bool:
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > tolerance
        and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
    )


def _inside(p: list[float], box: list[float], margin: float) -> bool:
    return box[0] + margin < p[0] < box[2] - margin and box[1] + margin < p[1] < box[3] - margin


def measure(frame: Any, central: list[str] | None = None, *, tolerance: float = 1.0) -> Geometry:
    """Read the drawn page in ``frame`` (a Playwright page or frame) and count what is wrong.

    ``central`` lists actor ids, most central first (for the label sizes of the top ten);
    ``tolerance`` (pixels) forgives anti-aliasing: boxes must overlap by more, a line must
    pass that far inside a box.
    """
    data = frame.evaluate(_READ)
    actors: dict[str, Any] = data["actors"]
    ids = sorted(actors)
    overlapping = [
        (a, b)
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if _overlap(actors[a]["box"], actors[b]["box"], tolerance)
    ]
    through: list[tuple[str, str]] = []
    through_shapes: list[tuple[str, str]] = []
    for line in data["lines"]:
        ends = {line["from"], line["to"]}
        for actor in ids:
            if actor in ends:
                continue
            if any(_inside(p, actors[actor]["box"], tolerance) for p in line["points"]):
                through.append((line["id"], actor))
            if any(_inside(p, actors[actor]["shape"], tolerance) for p in line["points"]):
                through_shapes.append((line["id"], actor))
    nearer: list[tuple[str, str]] = []
    for actor in ids:
        a = actors[actor]
        if not a["labelled"]:
            continue
        # The label is the part of the box below the shape.
        box, shape = a["box"], a["shape"]
        centre = ((box[0] + box[2]) / 2, (shape[3] + box[3]) / 2)
        own = math.dist(centre, a["centre"])
        for other in ids:
            if other != actor and math.dist(centre, actors[other]["centre"]) < own:
                nearer.append((actor, other))
                break
    shown = [actors[a]["fontPx"] for a in ids if actors[a]["labelled"]]
    top = [a for a in (central or []) if a in actors][:10]
    top_px = [actors[a]["fontPx"] for a in top if actors[a]["labelled"]]
    return Geometry(
        overlapping_boxes=overlapping,
        lines_through_actors=through,
        lines_through_shapes=through_shapes,
        labels_nearer_another=nearer,
        smallest_label_px=min(shown) if shown else 0.0,
        smallest_central_label_px=min(top_px) if top_px else 0.0,
        small_central=[a for a in top if actors[a]["labelled"] and actors[a]["fontPx"] < 11.0],
        hidden_labels=sum(1 for a in ids if not actors[a]["labelled"]),
        actors=len(ids),
        lines=len(data["lines"]),
    )


_COLLIDES_AT = """([id, px]) => {
  const nodes = network.body.data.nodes;
  const before = nodes.get(id).font;
  nodes.update({id: id, font: Object.assign({}, before, {size: px / network.getScale()})});
  network.redraw();
  const mine = network.getBoundingBox(id);
  const hit = nodes.getIds().some((other) => {
    if (other === id) { return false; }
    const b = network.getBoundingBox(other);
    return mine.left < b.right && b.left < mine.right && mine.top < b.bottom && b.top < mine.bottom;
  });
  nodes.update({id: id, font: before});
  network.redraw();
  return hit;
}"""


def collides_at(frame: Any, actor: str, px: float) -> bool:
    """Whether ``actor``'s label drawn at ``px`` screen pixels would overlap another actor's
    box (read from vis-network with the label at that size, then put back as it was)."""
    return bool(frame.evaluate(_COLLIDES_AT, [actor, px]))
