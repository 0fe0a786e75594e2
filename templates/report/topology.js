(function () {
  "use strict";
  // The topology pictures are static SVG (Graphviz's layout); this script only adds
  // zoom and pan, the filters (legend buttons, site, role, name) and the records panel.
  // Everything it shows is built with createElement and textContent.
  var root = document.documentElement;
  root.classList.add("js");
  var source = document.getElementById("report-data");
  var report = source ? JSON.parse(source.textContent) : {};
  var topo = report.topology || {};
  var NONE = "\u2014";
  var records = {}, nodes = {}, byName = {}, links = {};
  (report.drift || []).forEach(function (rec) { records[rec.id] = rec; });
  (topo.nodes || []).forEach(function (node) { nodes[node.id] = node; byName[system(node.device)] = node; });
  (topo.links || []).forEach(function (link) { links[link.id] = link; });
  var panel = document.getElementById("topo-panel");
  var table = document.getElementById("drift-table");
  var views = Array.prototype.slice.call(document.querySelectorAll(".topo-view"));
  var state = {statuses: {}, classes: {}, role: "", q: ""};
  var zooms = [];

  function system(name) { return String(name === null || name === undefined ? "" : name).trim().toLowerCase().split(".")[0]; }

  function text(value) {
    if (value === null || value === undefined) { return NONE; }
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (Array.isArray(value)) { return value.map(text).join(", "); }
    if (typeof value === "object") {
      var keys = Object.keys(value).sort();
      if (keys.length === 2 && keys[0] === "device" && keys[1] === "port") { return text(value.device) + ":" + text(value.port); }
      return keys.map(function (key) { return key + "=" + text(value[key]); }).join(", ");
    }
    return value === "" ? '""' : String(value);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function Zoom(view) {
    var svg = view.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return null; }
    var base = svg.viewBox.baseVal;
    var home = {x: base.x, y: base.y, w: base.width, h: base.height};
    var box = home, drag = null, moved = false;
    function set(next) {
      box = next;
      svg.setAttribute("viewBox", [next.x, next.y, next.w, next.h].join(" "));
    }
    function size() {  // the picture keeps the height it first had: zooming changes the viewBox only
      var width = view.clientWidth || 800;
      var height = Math.min(width * home.h / home.w, window.innerHeight * 0.8);
      svg.style.height = Math.max(120, Math.round(height)) + "px";
    }
    function scale() {
      var rect = svg.getBoundingClientRect();
      return {rect: rect, s: Math.max(box.w / (rect.width || 1), box.h / (rect.height || 1))};
    }
    function at(event) {
      var m = scale();
      var ox = (m.rect.width * m.s - box.w) / 2, oy = (m.rect.height * m.s - box.h) / 2;
      return {x: box.x - ox + (event.clientX - m.rect.left) * m.s, y: box.y - oy + (event.clientY - m.rect.top) * m.s};
    }
    function zoom(factor, point) {
      point = point || {x: box.x + box.w / 2, y: box.y + box.h / 2};
      var w = Math.min(home.w * 1.5, Math.max(home.w / 60, box.w * factor));
      var f = w / box.w;
      set({x: point.x - (point.x - box.x) * f, y: point.y - (point.y - box.y) * f, w: w, h: box.h * f});
    }
    function focus(element) {
      var b = element.getBBox();
      var m = svg.getScreenCTM().inverse().multiply(element.getScreenCTM());
      var p = svg.createSVGPoint(), q = svg.createSVGPoint();
      p.x = b.x; p.y = b.y; q.x = b.x + b.width; q.y = b.y + b.height;
      p = p.matrixTransform(m); q = q.matrixTransform(m);
      var pad = 12;
      set({x: Math.min(p.x, q.x) - pad, y: Math.min(p.y, q.y) - pad,
           w: Math.abs(q.x - p.x) + 2 * pad, h: Math.abs(q.y - p.y) + 2 * pad});
    }
    view.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY > 0 ? 1.2 : 1 / 1.2, at(event));
    }, {passive: false});
    view.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = {x: event.clientX, y: event.clientY, box: box, s: scale().s};
      moved = false;
    });
    view.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!moved) { view.setPointerCapture(event.pointerId); view.classList.add("dragging"); }
      moved = true;
      set({x: drag.box.x - dx * drag.s, y: drag.box.y - dy * drag.s, w: drag.box.w, h: drag.box.h});
    });
    function end() { drag = null; view.classList.remove("dragging"); }
    view.addEventListener("pointerup", end);
    view.addEventListener("pointercancel", end);
    size();
    window.addEventListener("resize", size);
    return {view: view, svg: svg, zoom: zoom, focus: focus, fit: function () { set(home); },
            dragged: function () { var was = moved; moved = false; return was; }};
  }

  function linkEnds(link) { return [byName[system(link.a.device)], byName[system(link.b.device)]]; }

  function nodeShown(node) {
    if (!node) { return true; }
    if (state.statuses[node.status] === false) { return false; }
    if (state.role && node.role !== state.role) { return false; }
    return !state.q || String(node.device).toLowerCase().indexOf(state.q) >= 0;
  }

  function apply() {
    views.forEach(function (view) {
      Array.prototype.forEach.call(view.querySelectorAll("g.tnode"), function (g) {
        g.classList.toggle("dim", !nodeShown(nodes[g.getAttribute("data-node")]));
      });
      Array.prototype.forEach.call(view.querySelectorAll("g.tedge"), function (g) {
        var ids = (g.getAttribute("data-links") || "").split(" ").filter(Boolean);
        var first = links[ids[0]] || {};
        var ends = first.a ? linkEnds(first) : [];
        g.classList.toggle("off", state.classes[first["class"]] === false);
        g.classList.toggle("dim", !ends.every(nodeShown));
      });
    });
  }

  function recordItem(id) {
    var rec = records[id] || {id: id};
    var what = [rec.kind, rec.key, rec.field].filter(function (v) { return v !== null && v !== undefined && v !== ""; })
      .map(text).join(" ");
    var label = el("span", {"class": "rec-id", text: text(rec.id)});
    if (table && records[id]) {
      label = el("a", {"class": "rec-id", href: "#open=" + encodeURIComponent(id) + "&device=" + encodeURIComponent(text(rec.device)),
                       text: text(rec.id)});
      label.addEventListener("click", function () {
        window.setTimeout(function () {
          Array.prototype.forEach.call(table.querySelectorAll("tr[data-id]"), function (tr) {
            if (tr.getAttribute("data-id") === id) { tr.scrollIntoView({block: "center"}); }
          });
        }, 50);
      });
    }
    var parts = [label, " " + what + ": " + text(rec["class"]) + " (" + text(rec.severity) +
                 (rec.counted === false ? ", waived" : "") + ")"];
    if (rec.kind) {
      parts.push(el("br"), "NetBox " + text(rec.netbox_value) + ", device " + text(rec.device_value));
    }
    if (rec.message) { parts.push(el("br"), el("span", {"class": "muted", text: text(rec.message)})); }
    return el("li", {}, parts);
  }

  function recordList(ids) {
    if (!ids || !ids.length) { return el("p", {"class": "muted", text: "No drift record."}); }
    return el("ul", {}, ids.map(recordItem));
  }

  function select(kind, ids) {
    views.forEach(function (view) {
      Array.prototype.forEach.call(view.querySelectorAll("g.selected"), function (g) { g.classList.remove("selected"); });
      Array.prototype.forEach.call(view.querySelectorAll(kind === "node" ? "g.tnode" : "g.tedge"), function (g) {
        var own = kind === "node" ? [g.getAttribute("data-node")] : (g.getAttribute("data-links") || "").split(" ");
        if (own.some(function (id) { return ids.indexOf(id) >= 0; })) { g.classList.add("selected"); }
      });
    });
    if (!panel) { return; }
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    if (kind === "node") {
      var node = nodes[ids[0]];
      panel.appendChild(el("h3", {text: text(node.device)}));
      panel.appendChild(el("p", {text: [node.kind === "device" ? node.status : node.kind, node.site, node.role, node.platform]
        .filter(function (v) { return v; }).map(text).join(" \u00b7 ")}));
      panel.appendChild(recordList(node.records));
      return;
    }
    ids.forEach(function (id) {
      var link = links[id];
      if (!link) { return; }
      panel.appendChild(el("h3", {text: text(link.a.device) + " " + text(link.a.port) + " \u2014 " +
                                        text(link.b.device) + " " + text(link.b.port)}));
      panel.appendChild(el("p", {text: String(link["class"]).replace(/_/g, " ") +
        (link.cable !== null && link.cable !== undefined ? " \u00b7 NetBox cable " + text(link.cable) : " \u00b7 no NetBox cable") +
        (link.seen_from && link.seen_from.length ? " \u00b7 seen from " + link.seen_from.map(text).join(", ") : " \u00b7 seen from neither end") +
        (link.waived ? " \u00b7 waived" : "")}));
      panel.appendChild(recordList(link.records));
    });
  }

  function bindView(view) {
    var zoom = Zoom(view);
    if (zoom) { zooms.push(zoom); }
    view.addEventListener("click", function (event) {
      if (zoom && zoom.dragged()) { return; }
      var target = event.target.closest ? event.target.closest("g.tnode, g.tedge") : null;
      if (!target) { return; }
      if (target.classList.contains("tnode")) { select("node", [target.getAttribute("data-node")]); }
      else { select("link", (target.getAttribute("data-links") || "").split(" ").filter(Boolean)); }
    });
  }

  function whole() { return zooms.filter(function (z) { return z.view.getAttribute("data-picture") === "whole"; })[0]; }

  function showSite(site) {
    var zoom = whole();
    if (!zoom) { return; }
    var found = null;
    Array.prototype.forEach.call(zoom.svg.querySelectorAll("g.tsite"), function (g) {
      if (g.getAttribute("data-site") === site) { found = g; }
    });
    if (found) { zoom.focus(found); } else { zoom.fit(); }
  }

  function bindControls() {
    var controls = document.querySelector(".topo-controls");
    if (controls) { controls.hidden = false; }
    Array.prototype.forEach.call(document.querySelectorAll(".legend-item"), function (button) {
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        if (button.hasAttribute("data-status")) { state.statuses[button.getAttribute("data-status")] = on; }
        else { state.classes[button.getAttribute("data-class")] = on; }
        apply();
      });
    });
    function on(id, event, handler) { var node = document.getElementById(id); if (node) { node.addEventListener(event, handler); } }
    on("topo-site", "change", function (event) { showSite(event.target.value); });
    on("topo-role", "change", function (event) { state.role = event.target.value; apply(); });
    on("topo-q", "input", function (event) { state.q = event.target.value.trim().toLowerCase(); apply(); });
    on("topo-zoom-in", "click", function () { var z = whole(); if (z) { z.zoom(1 / 1.4); } });
    on("topo-zoom-out", "click", function () { var z = whole(); if (z) { z.zoom(1.4); } });
    on("topo-fit", "click", function () { var z = whole(); if (z) { z.fit(); } });
  }

  function fromFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var site = params.get("site"), device = params.get("node"), link = params.get("link");
    if (site) {
      var chooser = document.getElementById("topo-site");
      if (chooser) { chooser.value = site; }
      showSite(site);
    }
    if (device && byName[system(device)]) { select("node", [byName[system(device)].id]); }
    if (link && links[link]) { select("link", [link]); }
  }

  views.forEach(bindView);
  bindControls();
  apply();
  fromFragment();
  root.setAttribute("data-topology-ready", "true");
}());
