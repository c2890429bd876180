/* The graph page: draws a view of a stakeholder map with vis-network.

   The same page serves the dashboard and the exported HTML file. The exported file carries
   its view inline (the "view-data" script element). In the dashboard the page is loaded
   once and stays: each new view arrives as a message from the parent window, and the page
   updates its data in place, so zoom, pan and dragged positions survive a filter change.

   Text from the map is put on screen with textContent only, so nothing from the file is
   ever parsed as HTML. Only http and https source URLs become links. */
(function () {
  "use strict";

  var MESSAGE = "stakeholder-explorer/";
  var embedded = window.parent && window.parent !== window;
  var network = null;
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var view = null; // the view's data as received
  var lineById = {}; // drawn line id -> line record
  var nodeById = {}; // actor id -> node record
  var neighbours = {}; // actor id -> {actor id: true}
  var moved = {}; // actor id -> {x, y} dragged by the user (kept across views)
  var arrangement = null; // the view's arrangement: a new one drops the dragged positions
  var state = {
    eachRelation: false,
    byCamp: false,
    selected: null, // {kind: "actor"|"line", id}
    hovered: null,
    tabIndex: -1,
    query: "",
    hiddenLabels: 0,
    fitting: false // a fit asked for: placeLabels fits labels in too
  };
  var labelTimer = null;
  var bends = {}; // drawn line id -> the curve that takes it round other actors (routeLines)

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function post(kind, payload) {
    if (!embedded) { return; }
    var message = { kind: MESSAGE + kind };
    Object.keys(payload || {}).forEach(function (key) { message[key] = payload[key]; });
    window.parent.postMessage(message, "*");
  }

  function tipBox(lines) {
    var box = el("div", null, "tip");
    lines.forEach(function (line) { box.appendChild(el("div", line, "tip-line")); });
    return box;
  }

  // --- text of relations, pairs and actors ---------------------------------------------

  function name(id) { return (view.names && view.names[id]) || id; }

  function signStyle(sign) { return view.style.signs[String(sign)]; }

  function relationLines(r) {
    var s = signStyle(r.sign);
    var arrow = r.directed ? " \u2192 " : " \u2014 ";
    var lines = [
      name(r.from) + arrow + name(r.to),
      r.label + " (" + s.symbol + " " + s.name + ")",
      r.status + ", " + r.confidence + " confidence, strength " + r.strength
    ];
    if (r.since || r.until) {
      lines.push((r.since || "?") + " \u2013 " + (r.until || "ongoing"));
    }
    if (r.whatif) { lines.push("what-if: " + r.whatif); }
    return lines;
  }

  function quoteLines(r) {
    if (!r.evidence) { return []; }
    return r.evidence.map(function (ev) {
      var src = (view.sources && view.sources[ev[0]]) || { title: ev[0] };
      return "\u201c" + ev[1] + "\u201d \u2014 " + (src.title || ev[0]);
    });
  }

  function lineTip(line) {
    var out = [];
    if (line.relations.length > 1) {
      var s = signStyle(line.sign);
      out.push(name(line.a) + " \u2014 " + name(line.b) + ": " + line.relations.length +
        " relations, net " + s.symbol + " " + s.name + (line.contested ? ", contested" : ""));
    }
    line.relations.forEach(function (rid, index) {
      var r = view.relations[rid];
      if (!r) { return; }
      if (index > 0 || line.relations.length > 1) { out.push(""); }
      out = out.concat(relationLines(r));
      if (!view.options.lightTips) { out = out.concat(quoteLines(r)); }
    });
    if (view.options.lightTips) { out.push("Quotes: click the line, or see the Relations tab"); }
    return out;
  }

  // --- drawing ---------------------------------------------------------------------------

  function currentLines() {
    return state.eachRelation ? view.each : view.pairs;
  }

  function fillOf(n) {
    if (state.byCamp && view.camps) {
      var side = view.camps.side[n.id];
      if (side === 0 || side === 1) { return view.style.campFills[side]; }
      return view.style.neutralFill;
    }
    return n.fill;
  }

  function isDimmed(id) {
    var focus = state.selected && state.selected.kind === "actor" ? state.selected.id : state.hovered;
    if (!focus || !nodeById[focus]) { return false; }
    return id !== focus && !(neighbours[focus] && neighbours[focus][id]);
  }

  function matches(n) {
    if (!state.query) { return false; }
    var q = state.query.toLocaleLowerCase();
    if (n.name.toLocaleLowerCase().indexOf(q) >= 0) { return true; }
    return (n.aliases || []).some(function (a) { return a.toLocaleLowerCase().indexOf(q) >= 0; });
  }

  // Tooltip elements are made once per actor and line of a view: a new title on an update
  // would orphan a tooltip that is open.
  var tips = {};

  function tipFor(key, make) {
    if (!tips[key]) { tips[key] = tipBox(make()); }
    return tips[key];
  }

  function nodeItem(n) {
    var fill = fillOf(n);
    var dim = isDimmed(n.id);
    var marked = matches(n);
    var item = {
      id: n.id, name: n.name, rank: n.rank, label: n.hideLabel ? undefined : n.label, shape: n.shape,
      size: n.size,
      color: { background: fill, border: marked ? "#000000" : view.style.border,
               highlight: { background: fill, border: "#000000" },
               hover: { background: fill, border: "#000000" } },
      borderWidth: marked ? 4 : (view.options.big ? 0.5 : 1.5),
      borderWidthSelected: marked ? 5 : 3,
      opacity: dim ? 0.18 : 1,
      font: { size: n.font || 14, color: dim ? "rgba(40,40,40,0.25)" : "#1f1f1f",
              background: marked ? "#FFE066" : undefined },
      title: tipFor("n:" + n.id, function () { return n.tip; })
    };
    if (n.badge) { item.label = (item.label || "") + " [" + n.badge + "]"; }
    var pos = moved[n.id];
    item.x = pos ? pos.x : n.x;
    item.y = pos ? pos.y : n.y;
    return item;
  }

  function edgeItem(line) {
    var s = signStyle(line.sign);
    var dim = false;
    var focus = state.selected && state.selected.kind === "actor" ? state.selected.id : state.hovered;
    if (focus && nodeById[focus]) { dim = line.a !== focus && line.b !== focus; }
    var arrows = {
      to: { enabled: line.directions === "a->b" || line.directions === "both", scaleFactor: 0.6 },
      from: { enabled: line.directions === "b->a" || line.directions === "both", scaleFactor: 0.6 }
    };
    if (!line.contested && s.marker) {
      arrows.middle = { enabled: true, type: s.marker, scaleFactor: 0.55 };
    }
    var label = "";
    if (line.contested) { label = view.style.contested.symbol; }
    if (line.relations.length > 1) { label += (label ? " " : "\u00d7") + line.relations.length; }
    if (line.whatif) { label = (label ? label + " " : "") + view.style.whatifMark; }
    var opacity = line.removed ? 0.3 : 0.9;
    if (dim) { opacity = 0.08; }
    return {
      id: line.id, from: line.a, to: line.b, width: line.width,
      dashes: line.removed ? [2, 6] : (line.projected ? view.style.dashes : false),
      color: { color: s.colour, highlight: s.colour, hover: s.colour, opacity: opacity },
      arrows: arrows,
      label: label || undefined,
      font: { size: 13, color: "#111111", background: "#ffffff", strokeWidth: 0,
              vadjust: line.contested ? 0 : -11, bold: { color: "#111111" } },
      smooth: line.smooth || bends[line.id] || false,
      title: tipFor("l:" + line.id, function () { return lineTip(line); })
    };
  }

  function indexView() {
    nodeById = {};
    view.nodes.forEach(function (n) { nodeById[n.id] = n; });
    neighbours = {};
    lineById = {};
    currentLines().forEach(function (line) {
      lineById[line.id] = line;
      (neighbours[line.a] = neighbours[line.a] || {})[line.b] = true;
      (neighbours[line.b] = neighbours[line.b] || {})[line.a] = true;
    });
  }

  function syncData(set, items) {
    var keep = {};
    items.forEach(function (item) { keep[item.id] = true; });
    var gone = set.getIds().filter(function (id) { return !keep[id]; });
    if (gone.length) { set.remove(gone); }
    set.update(items);
  }

  function restyle() {
    if (!view) { return; }
    syncData(nodes, view.nodes.map(nodeItem));
    syncData(edges, currentLines().map(edgeItem));
  }

  function restyleLabels() {
    // Only labels and fonts change: the open tooltip and everything else stay as they are.
    nodes.update(view.nodes.map(function (n) {
      var item = nodeItem(n);
      return { id: n.id, label: item.label, font: item.font };
    }));
  }

  function restyleFocus() {
    // Only colours change: cheaper than a full restyle on a big map.
    nodes.update(view.nodes.map(function (n) {
      var dim = isDimmed(n.id);
      return { id: n.id, opacity: dim ? 0.18 : 1,
               font: { size: n.font || 14, color: dim ? "rgba(40,40,40,0.25)" : "#1f1f1f" } };
    }));
    edges.update(currentLines().map(function (line) {
      var item = edgeItem(line);
      return { id: item.id, color: item.color };
    }));
  }

  // --- labels: readable sizes, hidden only where they cannot be placed ----------------

  function boxesOverlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function placeLabels() {
    // After a fit (the first drawing, the Fit button, a resize before the reader moved the
    // view) every actor and its label fits the frame below the toolbar: labels grow when
    // the map is drawn small, so fitting and placing take turns. A filter change does not
    // refit: the view stays where the reader left it.
    placeLabelsOnce();
    for (var round = 0; round < 2 && state.fitting && !state.userMoved && refitToLabels();
         round++) {
      placeLabelsOnce();
    }
    state.fitting = false;
  }

  function refitToLabels() {
    if (!network || !view || view.options.big || !view.nodes.length) { return false; }
    var box = null;
    view.nodes.forEach(function (n) {
      var b = network.getBoundingBox(n.id);
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                    top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    var frame = network.body.container.getBoundingClientRect();
    var bar = $("toolbar").getBoundingClientRect();
    var legend = $("legend-box").querySelector("summary").getBoundingClientRect();
    var pad = 6;
    // vis-network draws a label about 7 canvas px lower than its bounding box says.
    var below = pad + 8 * network.getScale();
    var area = { left: pad, right: frame.width - pad, bottom: frame.height - below,
                 top: Math.max(bar.bottom, legend.bottom) - frame.top + pad };
    if (area.bottom - area.top < 40 || area.right - area.left < 40) { return false; }
    var tl = network.canvasToDOM({ x: box.left, y: box.top });
    var br = network.canvasToDOM({ x: box.right, y: box.bottom });
    if (tl.x >= area.left - 1 && tl.y >= area.top - 1 && br.x <= area.right + 1 &&
        br.y <= area.bottom + 1) { return false; }
    var scale = network.getScale() * Math.min((area.right - area.left) / (br.x - tl.x),
                                              (area.bottom - area.top) / (br.y - tl.y));
    // moveTo puts `position` at the frame's centre; the area's centre may sit lower.
    var shiftX = (area.left + area.right) / 2 - frame.width / 2;
    var shiftY = (area.top + area.bottom) / 2 - frame.height / 2;
    network.moveTo({ position: { x: (box.left + box.right) / 2 - shiftX / scale,
                                 y: (box.top + box.bottom) / 2 - shiftY / scale },
                     scale: scale, animation: false });
    return true;
  }

  function placeLabelsOnce() {
    if (!network || !view || view.options.big) {
      updateLegendCounts();
      document.body.setAttribute("data-labels", "placed");
      return;
    }
    var scale = network.getScale();
    var base = view.options.labelFont;
    var ranked = view.nodes.slice().sort(function (p, q) { return p.rank - q.rank; });
    // The layout keeps labels of `base` canvas pixels apart; a label smaller than
    // options.labelPx on screen (the ten most central: centralLabelPx) is enlarged.
    ranked.forEach(function (n, index) {
      var px = index < 10 ? view.options.centralLabelPx : view.options.labelPx;
      n.wanted = Math.max(base, px / scale);
      n.least = Math.max(base, view.options.labelPx / scale);
      n.floor = n.wanted; // the ten most central keep their size when a line crosses them
      if (index >= 10) { n.floor = n.least; }
      n.font = n.wanted;
      n.hideLabel = false;
    });
    restyleLabels();
    network.redraw();
    var shapes = {};
    ranked.forEach(function (n) {
      var pos = network.getPositions([n.id])[n.id];
      n.pos = pos;
      shapes[n.id] = { left: pos.x - n.size, right: pos.x + n.size, top: pos.y - n.size,
                       bottom: pos.y + n.size };
    });
    function labelBox(n) {
      var box = network.getBoundingBox(n.id);
      return { left: box.left, right: box.right, top: n.pos.y + n.size, bottom: box.bottom };
    }
    function clashes(box, n, placed) {
      return placed.some(function (b) { return boxesOverlap(box, b); }) ||
        ranked.some(function (m) { return m.id !== n.id && boxesOverlap(box, shapes[m.id]); });
    }
    // Most central first: a label that would cover another actor or a placed label falls
    // back to the smallest readable size, and is hidden only if it still does not fit.
    var placed = [];
    var hidden = 0;
    var retry = [];
    ranked.forEach(function (n) {
      var box = labelBox(n);
      if (!clashes(box, n, placed)) { placed.push(box); return; }
      retry.push(n);
    });
    // A label that does not fit tries its floor, then the smallest readable size (the ten
    // most central too: their name at that size reads better than no name), then goes.
    [function (n) { return n.floor; }, function (n) { return n.least; }].forEach(
      function (sizeOf) {
        if (!retry.length) { return; }
        retry.forEach(function (n) { n.font = sizeOf(n); });
        restyleLabels();
        network.redraw();
        retry = retry.filter(function (n) {
          var box = labelBox(n);
          if (clashes(box, n, placed)) { return true; }
          placed.push(box);
          return false;
        });
      });
    retry.forEach(function (n) { n.hideLabel = true; hidden += 1; });
    if (hidden) { restyleLabels(); }
    // Last, the boxes as drawn: where two still overlap, both drop to the smallest readable
    // size (two names read better than one), and if they still overlap the less central
    // label goes.
    function overlaps() {
      restyleLabels();
      network.redraw();
      var boxes = {};
      var out = [];
      ranked.forEach(function (n) { boxes[n.id] = network.getBoundingBox(n.id); });
      for (var i = 0; i < ranked.length; i++) {
        for (var j = i + 1; j < ranked.length; j++) {
          var p = ranked[i], q = ranked[j];
          if (!boxesOverlap(boxes[p.id], boxes[q.id])) { continue; }
          var loser = !q.hideLabel ? q : (!p.hideLabel ? p : null);
          if (!loser) { continue; }
          out.push([loser === q ? p : q, loser]);
          boxes[loser.id] = shapes[loser.id];
        }
      }
      return out;
    }
    var pairs = overlaps();
    var shrunk = [];
    pairs.forEach(function (pair) {
      pair.forEach(function (n) {
        if (n.font > n.least) { n.before = n.font; n.font = n.least; shrunk.push(n); }
      });
    });
    if (shrunk.length) { pairs = overlaps(); }
    pairs.forEach(function (pair) { pair[1].hideLabel = true; hidden += 1; });
    // Then each shrunk label, most central first, takes its size back where that overlaps
    // nothing (one of a pair may have been enough; the other of a pair that went anyway).
    shrunk.sort(function (p, q) { return p.rank - q.rank; }).slice(0, 20).forEach(function (n) {
      if (n.hideLabel) { return; }
      n.font = n.before;
      var clash = overlaps().some(function (pair) { return pair.indexOf(n) >= 0; });
      if (clash) { n.font = n.least; }
    });
    restyleLabels();
    state.hiddenLabels = hidden;
    // A label some line cannot go round drops to the smallest readable size, and the lines
    // are routed again round the smaller box.
    var crossed = routeLines() || {};
    var smaller = ranked.filter(function (n) { return crossed[n.id] && n.font > n.floor; });
    if (smaller.length) {
      smaller.forEach(function (n) { n.font = n.floor; });
      restyleLabels();
      network.redraw();
      routeLines();
    }
    document.body.setAttribute("data-labels", "placed");
    updateLegendCounts();
  }

  // --- lines: round other actors, never through them ------------------------------------
  //
  // A straight line that would cross another actor (its shape or its label, as drawn) is
  // drawn as one of vis-network's own quadratic curves instead ("curvedCW", "curvedCCW",
  // "horizontal", "vertical"): the least bend that clears every other actor and stays
  // within the frame, tried in steps. Runs after the labels are placed, since their boxes are
  // what the lines must avoid; a line that no bend clears keeps the one crossing fewest.

  var BEND_STEPS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  var BEND_TYPES = ["curvedCW", "curvedCCW", "horizontal", "vertical", "cubicH", "cubicV",
                    "discrete", "diagonalCross", "straightCross"];
  var CURVE_POINTS = 24;

  function curveVia(from, to, smooth) {
    // Where vis-network puts the control point of each of these curves.
    var r = smooth.roundness;
    var adx = Math.abs(from.x - to.x), ady = Math.abs(from.y - to.y);
    if (smooth.type === "discrete" || smooth.type === "diagonalCross") {
      // A 45-degree step out of `from`; "discrete" keeps to `from`'s axis on a flat line.
      var step = r * Math.max(adx, ady);
      var via = { x: from.x + (from.x > to.x ? -step : step),
                  y: from.y + (from.y >= to.y ? -step : step) };
      if (smooth.type === "discrete") {
        if (adx <= ady) { if (adx < r * ady) { via.x = from.x; } }
        else if (ady < r * adx) { via.y = from.y; }
      }
      return via;
    }
    if (smooth.type === "straightCross") {
      // Into `to` along the longer axis.
      if (adx <= ady) {
        return { x: to.x, y: to.y + (from.y < to.y ? -1 : 1) * (1 - r) * ady };
      }
      return { x: to.x + (from.x < to.x ? -1 : 1) * (1 - r) * adx, y: to.y };
    }
    if (smooth.type === "horizontal") { return { x: from.x + r * (to.x - from.x), y: from.y }; }
    if (smooth.type === "vertical") { return { x: from.x, y: from.y + r * (to.y - from.y) }; }
    var dx = to.x - from.x, dy = from.y - to.y;
    var reach = Math.sqrt(dx * dx + dy * dy);
    var k = 0.5 * r + 0.5;
    var turn = smooth.type === "curvedCW" ? k : 0.5 * -r + 0.5;
    var angle = (Math.atan2(dy, dx) + turn * Math.PI) % (2 * Math.PI);
    return { x: from.x + k * reach * Math.sin(angle), y: from.y + k * reach * Math.cos(angle) };
  }

  function curvePoints(from, to, smooth) {
    if (!smooth) { return [from, to]; }
    if (smooth.type === "cubicBezier") {
      // Two control points: out of each end along one axis (an S-shaped line).
      var r = smooth.roundness, dx = to.x - from.x, dy = to.y - from.y;
      var one = smooth.forceDirection === "horizontal"
        ? { x: from.x + r * dx, y: from.y } : { x: from.x, y: from.y + r * dy };
      var two = smooth.forceDirection === "horizontal"
        ? { x: to.x - r * dx, y: to.y } : { x: to.x, y: to.y - r * dy };
      var cubic = [];
      for (var j = 0; j <= CURVE_POINTS; j++) {
        var s = j / CURVE_POINTS, w = 1 - s;
        cubic.push({
          x: w * w * w * from.x + 3 * w * w * s * one.x + 3 * w * s * s * two.x + s * s * s * to.x,
          y: w * w * w * from.y + 3 * w * w * s * one.y + 3 * w * s * s * two.y + s * s * s * to.y
        });
      }
      return cubic;
    }
    var via = curveVia(from, to, smooth);
    var points = [];
    for (var i = 0; i <= CURVE_POINTS; i++) {
      var t = i / CURVE_POINTS, u = 1 - t;
      points.push({ x: u * u * from.x + 2 * u * t * via.x + t * t * to.x,
                    y: u * u * from.y + 2 * u * t * via.y + t * t * to.y });
    }
    return points;
  }

  function segmentHitsBox(p, q, box) {
    // Liang-Barsky: does the segment p-q enter the box?
    var t0 = 0, t1 = 1;
    var d = [q.x - p.x, q.y - p.y];
    var lo = [box.left - p.x, box.top - p.y];
    var hi = [box.right - p.x, box.bottom - p.y];
    for (var axis = 0; axis < 2; axis++) {
      if (Math.abs(d[axis]) < 1e-9) {
        if (lo[axis] > 0 || hi[axis] < 0) { return false; }
        continue;
      }
      var a = lo[axis] / d[axis], b = hi[axis] / d[axis];
      if (a > b) { var swap = a; a = b; b = swap; }
      t0 = Math.max(t0, a);
      t1 = Math.min(t1, b);
      if (t0 > t1) { return false; }
    }
    return true;
  }

  function crossings(points, ends, obstacles, extent, crossed) {
    // How badly a line crosses other actors: a shape counts far more than a label, and a
    // curve that leaves the frame counts too.
    var cost = 0;
    if (extent && points.some(function (p) {
      return p.x < extent.left || p.x > extent.right || p.y < extent.top || p.y > extent.bottom;
    })) { cost += 10; }
    obstacles.forEach(function (o) {
      if (o.id === ends[0] || o.id === ends[1]) { return; }
      var inBox = false;
      for (var i = 1; i < points.length; i++) {
        if (segmentHitsBox(points[i - 1], points[i], o.shape)) { cost += 100; return; }
        if (!inBox && segmentHitsBox(points[i - 1], points[i], o.box)) { inBox = true; }
      }
      if (inBox) { cost += 1; if (crossed) { crossed[o.id] = true; } }
    });
    return cost;
  }

  function routeLines() {
    if (!network || !view || view.options.big) { return; }
    var lines = currentLines().filter(function (line) { return !line.smooth && line.a !== line.b; });
    if (lines.length > 600) { return; } // a crowded overview: straight lines, as they come
    var margin = 0.5 / network.getScale();
    var ids = view.nodes.map(function (n) { return n.id; });
    var pos = network.getPositions(ids);
    // A bent line should stay within the frame as it is now (zoom and pan included).
    var frame = network.body.container.getBoundingClientRect();
    var corner = network.DOMtoCanvas({ x: 0, y: 0 });
    var far = network.DOMtoCanvas({ x: frame.width, y: frame.height });
    var extent = { left: corner.x, top: corner.y, right: far.x, bottom: far.y };
    var obstacles = ids.map(function (id) {
      var b = network.getBoundingBox(id);
      var r = nodeById[id].size + margin;
      return { id: id, box: { left: b.left - margin, right: b.right + margin,
                              top: b.top - margin, bottom: b.bottom + margin },
               shape: { left: pos[id].x - r, right: pos[id].x + r,
                        top: pos[id].y - r, bottom: pos[id].y + r } };
    });
    var changed = [];
    var stuck = {}; // actors whose labels some line still crosses
    lines.forEach(function (line) {
      var from = pos[line.a], to = pos[line.b];
      if (!from || !to) { return; }
      var ends = [line.a, line.b];
      var best = null, fewest = crossings([from, to], ends, obstacles, null);
      for (var i = 0; i < BEND_STEPS.length && fewest > 0; i++) {
        BEND_TYPES.forEach(function (type) {
          if (fewest === 0) { return; }
          var smooth = { enabled: true, type: type, roundness: BEND_STEPS[i] };
          if (type === "cubicH" || type === "cubicV") {
            smooth = { enabled: true, type: "cubicBezier", roundness: BEND_STEPS[i],
                       forceDirection: type === "cubicH" ? "horizontal" : "vertical" };
          }
          var cost = crossings(curvePoints(from, to, smooth), ends, obstacles, extent);
          if (cost < fewest) { fewest = cost; best = smooth; }
        });
      }
      if (fewest > 0) {
        crossings(curvePoints(from, to, best), ends, obstacles, null, stuck);
      }
      var old = bends[line.id] || null;
      if (JSON.stringify(old) !== JSON.stringify(best)) {
        if (best) { bends[line.id] = best; } else { delete bends[line.id]; }
        changed.push({ id: line.id, smooth: best || false });
      }
    });
    if (changed.length) { edges.update(changed); }
    return stuck;
  }

  function schedulePlaceLabels() {
    document.body.setAttribute("data-labels", "pending");
    window.clearTimeout(labelTimer);
    labelTimer = window.setTimeout(placeLabels, 120);
  }

  // --- legend, banner, status ----------------------------------------------------------

  function legendRow(entry) {
    var li = el("li");
    li.setAttribute("data-legend", entry.group);
    if (entry.key) { li.setAttribute("data-" + entry.group, entry.key); }
    var kind = entry.swatch || "";
    var symbol = entry.symbol || "";
    if (entry.group === "kind") { kind = "shape-" + entry.shape; }
    if (entry.group === "sign" || entry.group === "status") {
      kind = "line" + (entry.dashes ? " dashed" : "");
    }
    if (entry.group === "count") { symbol = "\u00d72"; }
    if (entry.group === "removed") { kind = "line faded"; }
    var swatch = el("span", symbol, "swatch " + kind);
    if (entry.colour) { swatch.style.setProperty("--c", entry.colour); }
    if (entry.fill) { swatch.style.setProperty("--f", entry.fill); }
    li.appendChild(swatch);
    li.appendChild(el("span", entry.label));
    if (entry.count) { li.title = entry.count + " in view"; }
    return li;
  }

  function drawLegend() {
    var list = $("legend");
    list.textContent = "";
    var entries = (state.eachRelation ? view.legends.each : view.legends.pairs).slice();
    if (view.whatif) {
      entries.push({ group: "whatif", key: "changed", symbol: view.style.whatifMark,
                     label: "changed by the what-if (new sign)" });
      if (view.whatif.removes.length) {
        entries.push({ group: "removed", key: "removed", colour: "#777777",
                       label: "left out by the what-if (faded)" });
      }
    }
    if (state.byCamp && view.camps) {
      entries = entries.map(function (e) {
        if (e.group !== "kind") { return e; }
        var copy = {}; Object.keys(e).forEach(function (k) { copy[k] = e[k]; });
        copy.fill = view.style.neutralFill;
        return copy;
      });
      entries.push({ group: "camp", key: "0", shape: "dot", swatch: "shape-dot",
                     fill: view.style.campFills[0],
                     label: "camp of " + view.camps.names[0] });
      entries.push({ group: "camp", key: "1", shape: "dot", swatch: "shape-dot",
                     fill: view.style.campFills[1],
                     label: "camp of " + view.camps.names[1] });
      entries.push({ group: "camp", key: "view", label: "camps of " + view.camps.view });
    }
    if (entries.length === 0) { entries.push({ group: "empty", label: "nothing in view" }); }
    entries.forEach(function (entry) { list.appendChild(legendRow(entry)); });
    var counts = el("li", "", "counts");
    counts.id = "label-count";
    list.appendChild(counts);
    updateLegendCounts();
  }

  function updateLegendCounts() {
    var counts = $("label-count");
    if (!counts || !view) { return; }
    if (view.options.big) {
      counts.textContent = "labels appear as you zoom in";
    } else if (state.hiddenLabels) {
      counts.textContent = state.hiddenLabels + " label" + (state.hiddenLabels > 1 ? "s" : "") +
        " hidden where they would cover another (hover the actor to read it)";
    } else {
      counts.textContent = "";
    }
  }

  function drawBanner() {
    var banner = $("banner");
    banner.textContent = "";
    if (!view.whatif || !view.whatif.count) { banner.hidden = true; return; }
    banner.hidden = false;
    banner.appendChild(el("span", "What-if: " + view.whatif.count + " change" +
      (view.whatif.count > 1 ? "s" : "") + " \u2014 "));
    var reset = el("button", "reset");
    reset.type = "button";
    reset.id = "whatif-reset";
    reset.addEventListener("click", function () { post("reset-whatif", {}); });
    if (!embedded) { reset.disabled = true; reset.title = "Reset it in the dashboard"; }
    banner.appendChild(reset);
  }

  function drawSearchStatus() {
    var status = $("search-status");
    if (!state.query) { status.textContent = ""; status.hidden = true; return; }
    var found = view.nodes.filter(matches).length;
    status.hidden = false;
    status.textContent = found ? found + " actor" + (found > 1 ? "s" : "") + " match \u201c" +
      state.query + "\u201d (highlighted, thick border)" : "No actor matches \u201c" + state.query + "\u201d";
    status.className = found ? "" : "none";
  }

  function drawEmpty() {
    var empty = $("empty");
    if (view.nodes.length) { empty.hidden = true; return; }
    empty.hidden = false;
    empty.textContent = view.options.emptyText || "Nothing in this view.";
  }

  // --- details panel -------------------------------------------------------------------

  function sourceItem(ev) {
    var item = el("li");
    item.appendChild(el("span", "\u201c" + ev[1] + "\u201d", "quote"));
    item.appendChild(document.createTextNode(" \u2014 "));
    var src = (view.sources && view.sources[ev[0]]) || { title: ev[0], url: null };
    if (src.url && /^https?:\/\//i.test(src.url)) {
      var a = el("a", src.title || ev[0]);
      a.href = src.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      item.appendChild(a);
    } else {
      item.appendChild(el("span", src.title || ev[0]));
    }
    return item;
  }

  function relationItem(r, actor) {
    var item = el("li");
    item.setAttribute("data-relation", r.id);
    var s = signStyle(r.sign);
    item.appendChild(el("b", s.symbol + " " + r.label));
    var other = r.from === actor ? r.to : r.from;
    var arrow = r.directed ? (r.from === actor ? "\u2192 " : "\u2190 ") : "\u2014 ";
    var text = actor ? " " + arrow + name(other) : " " + name(r.from) +
      (r.directed ? " \u2192 " : " \u2014 ") + name(r.to);
    text += " (" + r.status + ", " + r.confidence + " confidence, strength " + r.strength +
      (r.since || r.until ? ", " + (r.since || "?") + " \u2013 " + (r.until || "ongoing") : "") + ")";
    if (r.whatif) { text += " \u2014 what-if: " + r.whatif; }
    item.appendChild(document.createTextNode(text));
    if (r.evidence && r.evidence.length) {
      var quotes = el("ul");
      r.evidence.forEach(function (ev) { quotes.appendChild(sourceItem(ev)); });
      item.appendChild(quotes);
    } else if (view.options.lightTips) {
      item.appendChild(el("div", "Quotes are in the Relations tab.", "hint"));
    }
    return item;
  }

  function openPanel() {
    var panel = $("details");
    panel.hidden = false;
    panel.textContent = "";
    var close = el("button", "\u00d7", "close");
    close.type = "button";
    close.title = "Close the details";
    close.setAttribute("aria-label", "Close the details");
    close.addEventListener("click", function () { select(null); });
    panel.appendChild(close);
    return panel;
  }

  function showActor(actor) {
    var n = nodeById[actor];
    if (!n) { return; }
    var panel = openPanel();
    panel.appendChild(el("h2", n.name));
    n.tip.slice(1).forEach(function (line) { panel.appendChild(el("p", line)); });
    if (embedded) {
      var focus = el("button", "Focus on " + n.name, "focus");
      focus.type = "button";
      focus.addEventListener("click", function () { post("focus", { actor: actor }); });
      panel.appendChild(focus);
    }
    var groups = { "1": [], "-1": [], "0": [] };
    Object.keys(view.relations).forEach(function (rid) {
      var r = view.relations[rid];
      if ((r.from === actor || r.to === actor) && !r.removed) { groups[String(r.sign)].push(r); }
    });
    var any = false;
    ["1", "-1", "0"].forEach(function (sign) {
      var list = groups[sign];
      if (!list.length) { return; }
      any = true;
      var s = signStyle(sign);
      panel.appendChild(el("h3", s.symbol + " " + s.name.charAt(0).toUpperCase() +
        s.name.slice(1) + " relations (" + list.length + ")"));
      var ul = el("ul");
      list.forEach(function (r) { ul.appendChild(relationItem(r, actor)); });
      panel.appendChild(ul);
    });
    if (!any) { panel.appendChild(el("p", "No relation in this view.", "hint")); }
  }

  function showLine(id) {
    var line = lineById[id];
    if (!line) { return; }
    var panel = openPanel();
    var s = signStyle(line.sign);
    panel.appendChild(el("h2", name(line.a) + " \u2014 " + name(line.b)));
    panel.appendChild(el("p", line.relations.length + " relation" +
      (line.relations.length > 1 ? "s" : "") + ", net " + s.symbol + " " + s.name +
      (line.contested ? " (contested: relations of both signs)" : "") +
      (line.projected ? ", all projected" : "")));
    var ul = el("ul");
    line.relations.forEach(function (rid) {
      if (view.relations[rid]) { ul.appendChild(relationItem(view.relations[rid], null)); }
    });
    panel.appendChild(ul);
  }

  function select(target) {
    state.selected = target;
    if (!target) {
      $("details").hidden = true;
      if (network) { network.unselectAll(); }
    } else if (target.kind === "actor") {
      showActor(target.id);
      network.selectNodes([target.id]);
    } else {
      showLine(target.id);
      network.setSelection({ nodes: [], edges: [target.id] });
    }
    restyleFocus();
    document.body.setAttribute("data-selected", target ? target.kind + ":" + target.id : "");
  }

  function keepInSight(actor) {
    // The details panel opens over the right of the graph: if it covers the actor the
    // reader just chose, slide the view left until the actor shows beside the panel.
    var panel = $("details");
    if (!network || panel.hidden || !nodeById[actor]) { return; }
    var frame = network.body.container.getBoundingClientRect();
    var edge = panel.getBoundingClientRect().left - frame.left - 48;
    var at = network.canvasToDOM(network.getPositions([actor])[actor]);
    if (at.x <= edge || edge < 80) { return; }
    var scale = network.getScale();
    var centre = network.getViewPosition();
    network.moveTo({ position: { x: centre.x + (at.x - edge) / scale, y: centre.y },
                     animation: false });
    state.userMoved = true; // the view is the reader's now: a resize does not refit it
    schedulePlaceLabels();
  }

  // --- a view arrives -------------------------------------------------------------------

  function render(next) {
    var first = view === null;
    view = next;
    if (arrangement !== null && view.options.arrangement !== arrangement) { moved = {}; }
    arrangement = view.options.arrangement;
    tips = {};
    if (first) {
      state.eachRelation = !!view.options.eachRelation;
      state.byCamp = !!view.options.byCamp;
      state.query = view.options.search || "";
      $("each-relation").checked = state.eachRelation;
      // The legend lies over the drawing: open on a wide page, folded on a narrow one.
      $("legend-box").open = window.innerWidth >= 1300;
    } else if (view.options.search !== undefined && view.options.search !== null) {
      state.query = view.options.search;
    }
    $("search").value = state.query;
    $("by-camp").disabled = !view.camps;
    $("by-camp").checked = state.byCamp && !!view.camps;
    $("camp-toggle").hidden = !view.camps;
    indexView();
    if (state.selected && state.selected.kind === "actor" && !nodeById[state.selected.id]) {
      state.selected = null;
    }
    if (state.selected && state.selected.kind === "line" && !lineById[state.selected.id]) {
      state.selected = null;
    }
    if (!network) {
      network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, networkOptions());
      window.network = network;
      wire();
    } else {
      network.setOptions(networkOptions());
    }
    restyle();
    drawLegend();
    drawBanner();
    drawSearchStatus();
    drawEmpty();
    if (state.selected) { select(state.selected); } else { $("details").hidden = true; }
    if (first) {
      network.fit({ animation: false });
      state.fitting = true;
      placeLabels();
    } else {
      schedulePlaceLabels();
    }
    document.body.setAttribute("data-view", String(view.options.serial || 0));
    post("drawn", { serial: view.options.serial || 0, actors: view.nodes.length });
  }

  function networkOptions() {
    var big = view.options.big;
    return {
      autoResize: true,
      nodes: { font: { face: "Noto Sans, DejaVu Sans, sans-serif", strokeWidth: 4,
                       strokeColor: "#ffffff" },
               scaling: { label: { drawThreshold: big ? 11 : 1 } } },
      edges: { selectionWidth: 1.5, hoverWidth: 0.5 },
      interaction: { hover: !big, tooltipDelay: 150, navigationButtons: false,
                     hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false,
                     keyboard: false, dragView: true, zoomView: true },
      layout: { randomSeed: 7, improvedLayout: false },
      physics: view.options.physics
        ? { enabled: true, solver: "forceAtlas2Based",
            stabilization: { enabled: true, iterations: 150, fit: true } }
        : { enabled: false }
    };
  }

  // --- controls -------------------------------------------------------------------------

  function fit() {
    network.fit({ animation: false });
    state.userMoved = false;
    state.fitting = true;
    schedulePlaceLabels();
  }

  function toggleFullscreen() {
    var target = document.documentElement;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (target.requestFullscreen) {
      target.requestFullscreen().catch(function () { /* not allowed here */ });
    }
  }

  function zoomed() { state.userMoved = true; schedulePlaceLabels(); }

  function actorOrder() {
    return view.nodes.slice().sort(function (p, q) { return p.rank - q.rank; });
  }

  function onKey(event) {
    if (!network || !view || event.target.tagName === "INPUT") { return; }
    var step = 60;
    var pos = network.getViewPosition();
    var scale = network.getScale();
    var handled = true;
    if (event.key.indexOf("Arrow") === 0) { state.userMoved = true; }
    switch (event.key) {
      case "ArrowLeft": network.moveTo({ position: { x: pos.x - step / scale, y: pos.y } }); break;
      case "ArrowRight": network.moveTo({ position: { x: pos.x + step / scale, y: pos.y } }); break;
      case "ArrowUp": network.moveTo({ position: { x: pos.x, y: pos.y - step / scale } }); break;
      case "ArrowDown": network.moveTo({ position: { x: pos.x, y: pos.y + step / scale } }); break;
      case "+": case "=": network.moveTo({ scale: scale * 1.2 }); zoomed(); break;
      case "-": case "_": network.moveTo({ scale: scale / 1.2 }); zoomed(); break;
      case "0": fit(); break;
      case "Escape": select(null); state.tabIndex = -1; break;
      case "Enter":
        if (state.tabIndex >= 0) {
          var actor = actorOrder()[state.tabIndex];
          if (actor) {
            select({ kind: "actor", id: actor.id });
            keepInSight(actor.id);
            post("select", { actor: actor.id });
          }
        } else { handled = false; }
        break;
      case "Tab":
        var order = actorOrder();
        var next = state.tabIndex + (event.shiftKey ? -1 : 1);
        if (next < 0 || next >= order.length) { state.tabIndex = -1; handled = false; break; }
        state.tabIndex = next;
        network.selectNodes([order[next].id]);
        $("graph-wrap").setAttribute("aria-activedescendant", order[next].id);
        $("keyboard-status").textContent = order[next].name + " (Enter shows its details)";
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  function wire() {
    network.on("click", function (params) {
      if (params.nodes.length) {
        var actor = params.nodes[0];
        select({ kind: "actor", id: actor });
        keepInSight(actor);
        post("select", { actor: actor });
      } else if (params.edges.length) {
        select({ kind: "line", id: params.edges[0] });
      } else {
        select(null);
      }
    });
    network.on("hoverNode", function (params) {
      if (view.nodes.length > 1500) { return; }
      state.hovered = params.node;
      if (!state.selected) { restyleFocus(); }
    });
    network.on("blurNode", function () {
      state.hovered = null;
      if (!state.selected) { restyleFocus(); }
    });
    network.on("dragEnd", function (params) {
      if (!params.nodes.length) { return; }
      var positions = network.getPositions(params.nodes);
      Object.keys(positions).forEach(function (id) { moved[id] = positions[id]; });
      post("moved", { positions: moved });
      schedulePlaceLabels(); // labels and line bends follow the actor
    });
    network.on("zoom", function () { state.userMoved = true; schedulePlaceLabels(); });
    network.on("dragEnd", function (params) {
      if (!params.nodes.length) { state.userMoved = true; }
    });
    // The frame may get its final size after the first drawing: until the reader moves the
    // view, the map is fitted to the frame again.
    network.on("resize", function () {
      if (!state.userMoved) { network.fit({ animation: false }); state.fitting = true; }
      schedulePlaceLabels();
    });
    window.addEventListener("resize", schedulePlaceLabels);
    $("fit").addEventListener("click", fit);
    $("fullscreen").addEventListener("click", toggleFullscreen);
    $("each-relation").addEventListener("change", function (event) {
      state.eachRelation = event.target.checked;
      if (state.selected && state.selected.kind === "line") { state.selected = null; }
      indexView();
      restyle();
      drawLegend();
      select(state.selected);
      schedulePlaceLabels();
    });
    $("by-camp").addEventListener("change", function (event) {
      state.byCamp = event.target.checked;
      restyle();
      drawLegend();
    });
    $("search").addEventListener("input", function (event) {
      state.query = event.target.value.trim();
      restyle();
      drawSearchStatus();
    });
    $("graph-wrap").addEventListener("keydown", onKey);
  }

  window.addEventListener("message", function (event) {
    if (!embedded || event.source !== window.parent) { return; }
    var message = event.data;
    if (!message || message.kind !== MESSAGE + "view" || typeof message.view !== "string") {
      return;
    }
    render(JSON.parse(message.view));
  });

  // The exported page, and the dashboard's first view, arrive inline; later views as messages.
  var inline = $("view-data").textContent;
  if (inline && inline.trim()) { render(JSON.parse(inline)); }
  post("ready", {});
})();
