/* The graph page: draws the view's data with vis-network. Text from the map is put on
   screen with textContent only, so nothing from the file is ever parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("view-data").textContent);
  var OPTIONS = JSON.parse(document.getElementById("view-options").textContent);

  function tip(lines) {
    var box = document.createElement("div");
    box.className = "tip";
    lines.forEach(function (line) {
      var row = document.createElement("div");
      row.className = "tip-line";
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: n.shape || "dot",
      color: { background: n.color, border: "#333333",
               highlight: { background: n.color, border: "#000000" },
               hover: { background: n.color, border: "#000000" } },
      borderWidth: OPTIONS.big ? 0 : 1, title: tip(n.tip)
    };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var arrows = { to: { enabled: e.directed, scaleFactor: 0.6 } };
    if (e.marker) { arrows.middle = { enabled: true, type: e.marker, scaleFactor: 0.55 }; }
    return {
      id: e.id, from: e.from, to: e.to, width: e.width, dashes: e.dashes,
      color: { color: e.color, highlight: e.color, hover: e.color, opacity: 0.85 },
      arrows: arrows, smooth: e.smooth, title: tip(e.tip)
    };
  }));
  var options = {
    autoResize: true,
    // On big maps labels appear only once readable (11 px on screen: 80 % zoom), and dots
    // have no border: when zoomed out, labels and borders are most of a frame's drawing.
    nodes: { font: { size: 14, face: "Noto Sans, sans-serif", strokeWidth: 3,
                     strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: OPTIONS.big ? 12 : 5 } } },
    edges: { selectionWidth: 1.5, hoverWidth: 0.5 },
    // On big maps edges are left out while the user pans or zooms (drawn again at rest):
    // drawing thousands of edges per frame is what makes a big map stutter.
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false,
                   hideEdgesOnDrag: OPTIONS.big, hideEdgesOnZoom: OPTIONS.big,
                   multiselect: false, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: false },
    physics: OPTIONS.physics
      ? { enabled: true, solver: "forceAtlas2Based",
          stabilization: { enabled: true, iterations: 150, fit: true } }
      : { enabled: false }
  };
  var container = document.getElementById("graph");
  window.nodes = nodes;
  window.edges = edges;
  window.network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // The frame may get its final size only after the first draw: fit the map to it then.
  window.setTimeout(function () { window.network.fit(); }, 0);
  window.addEventListener("resize", function () { window.network.fit(); });
  if (OPTIONS.physics) {
    // Settle briefly, then freeze: a map that keeps moving cannot be read.
    window.network.once("stabilizationIterationsDone", function () {
      window.network.setOptions({ physics: { enabled: false } });
    });
  }

  var byId = {};
  DATA.edges.forEach(function (e) { byId[e.id] = e; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function sourceItem(ev) {
    var item = el("li");
    item.appendChild(el("span", "\u201c" + ev.quote + "\u201d", "quote"));
    item.appendChild(document.createTextNode(" \u2014 "));
    var src = DATA.sources[ev.source] || { title: ev.source, url: null };
    if (src.url && /^https?:\/\//i.test(src.url)) {
      var a = el("a", src.title);
      a.href = src.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      item.appendChild(a);
    } else {
      item.appendChild(el("span", src.title));
    }
    return item;
  }
  function relationItem(e, actor) {
    var other = e.from === actor ? e.to : e.from;
    var arrow = e.directed ? (e.from === actor ? "\u2192 " : "\u2190 ") : "\u2014 ";
    var item = el("li");
    item.appendChild(el("b", e.label));
    item.appendChild(document.createTextNode(" " + arrow + (DATA.names[other] || other) +
      " (" + e.status + ", " + e.confidence + " confidence" +
      (e.since || e.until ? ", " + (e.since || "?") + " \u2013 " + (e.until || "ongoing") : "") +
      ")"));
    if (e.evidence.length) {
      var quotes = el("ul");
      e.evidence.forEach(function (ev) { quotes.appendChild(sourceItem(ev)); });
      item.appendChild(quotes);
    }
    return item;
  }
  function showActor(actor) {
    var panel = document.getElementById("details");
    if (!panel) { return; }
    panel.textContent = "";
    var node = DATA.nodes.find(function (n) { return n.id === actor; });
    if (!node) { return; }
    panel.appendChild(el("h2", node.label));
    node.tip.slice(1).forEach(function (line) { panel.appendChild(el("p", line)); });
    var groups = { positive: [], negative: [], neutral: [] };
    DATA.edges.forEach(function (e) {
      if (e.from === actor || e.to === actor) { groups[e.sign].push(e); }
    });
    [["positive", "+ Positive"], ["negative", "\u2212 Negative"], ["neutral", "\u00b7 Neutral"]]
      .forEach(function (pair) {
        var list = groups[pair[0]];
        if (!list.length) { return; }
        panel.appendChild(el("h3", pair[1] + " (" + list.length + ")"));
        var ul = el("ul");
        list.forEach(function (e) { ul.appendChild(relationItem(e, actor)); });
        panel.appendChild(ul);
      });
  }
  function showRelation(id) {
    var panel = document.getElementById("details");
    var e = byId[id];
    if (!panel || !e) { return; }
    panel.textContent = "";
    panel.appendChild(el("h2", e.label));
    e.tip.slice(0, 1).concat(e.tip.slice(2, 4)).forEach(function (line) {
      panel.appendChild(el("p", line));
    });
    if (e.evidence.length) {
      var ul = el("ul");
      e.evidence.forEach(function (ev) { ul.appendChild(sourceItem(ev)); });
      panel.appendChild(ul);
    }
  }

  window.network.on("click", function (params) {
    if (params.nodes.length) {
      var actor = params.nodes[0];
      showActor(actor);
      if (window.parent && window.parent !== window) {
        window.parent.postMessage({ kind: OPTIONS.message, actor: actor }, "*");
      }
    } else if (params.edges.length) {
      showRelation(params.edges[0]);
    }
  });
})();
