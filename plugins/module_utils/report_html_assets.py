# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inline stylesheet and script of ``drift.html`` (see report_html).

The page's Content-Security-Policy allows exactly these two texts by their SHA-256,
so they are constants: nothing from a report is ever formatted into them. The script
reads the report from ``<script type="application/json" id="report-data">`` and builds
the drift rows with ``createElement``/``textContent`` only.

State in the URL fragment (read on load and on ``hashchange``, written on every sort
or filter change): ``sort=<column>:<asc|desc>``, ``q=<text>``, ``class=``,
``severity=``, ``kind=``, ``status=`` (the device's status), ``device=``,
``counted=yes|no`` (counted or waived records only) and ``open=<id>,<id>`` (rows
whose evidence is shown). Columns: device, kind, key, field, class, severity,
netbox_value, device_value, id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

CSS = """
:root { color-scheme: light dark; --fg: #1d2430; --muted: #5b6472; --bg: #ffffff; --panel: #f4f6f9;
  --line: #d8dde5; --high: #c62828; --medium: #e08a00; --low: #8a94a3; --ok: #2e7d32; --warn: #b26a00;
  --bad: #c62828; --skip: #6b7280; --accent: #1f5fbf; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e4e8ee; --muted: #9aa4b2; --bg: #14181f; --panel: #1d232c; --line: #313a46; --accent: #7fb0ff; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; }
.summary { font-size: 1.05rem; margin: .2rem 0 .8rem; }
.verdict { display: inline-block; padding: .05rem .5rem; border-radius: 3px; color: #fff; font-weight: 600; }
.verdict-failed { background: var(--bad); }
.verdict-drift { background: var(--warn); }
.verdict-unverified { background: #6a1b9a; }
.verdict-clean { background: var(--ok); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; color: var(--muted); }
dl.run dt { font-weight: 600; }
dl.run dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); position: sticky; top: 0; z-index: 1; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; min-width: 6.5em; padding: 0 .4rem; border-radius: 3px; color: #fff;
  text-align: center; font-weight: 600; }
.status-clean { background: var(--ok); }
.status-drift { background: var(--bad); }
.status-partial { background: var(--warn); }
.status-unverified { background: #6a1b9a; }
.status-skipped, .status-other { background: var(--skip); }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
.chart text { fill: var(--fg); font: 12px system-ui, sans-serif; }
.bar { fill: var(--accent); }
.bar.sev-high { fill: var(--high); }
.bar.sev-medium { fill: var(--medium); }
.bar.sev-low { fill: var(--low); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: .6rem; }
.filters input[type=search] { min-width: 16rem; }
.filters .count { margin-left: auto; color: var(--muted); }
#drift-table th button { all: unset; cursor: pointer; font-weight: 600; }
#drift-table th button:focus-visible { outline: 2px solid var(--accent); }
#drift-table th[aria-sort=ascending] button::after { content: " \\25B2"; }
#drift-table th[aria-sort=descending] button::after { content: " \\25BC"; }
#drift-table tr.row { cursor: pointer; }
#drift-table tr.row:hover { background: var(--panel); }
#drift-table tr.row td:first-child::before { content: "\\25B8 "; color: var(--muted); }
#drift-table tr.row[aria-expanded=true] td:first-child::before { content: "\\25BE "; }
#drift-table td { white-space: pre-wrap; overflow-wrap: break-word; }
#drift-table td.col-device, #drift-table td.col-kind, #drift-table td.col-key, #drift-table td.col-field,
#drift-table td.col-class, #drift-table td.col-severity, #drift-table td.col-id { white-space: nowrap; }
#drift-table td.col-id { font-family: ui-monospace, monospace; }
tr.waived td { color: var(--muted); }
.badge { white-space: nowrap; margin-left: .4rem; padding: 0 .3rem; border: 1px solid var(--line);
  border-radius: 3px; font-size: .8em; }
.sev-cell-high { color: var(--high); font-weight: 600; }
.sev-cell-medium { color: var(--medium); font-weight: 600; }
tr.detail td { background: var(--panel); }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .3rem 0; }
dl.evidence dt { font-weight: 600; color: var(--muted); }
dl.evidence dd { margin: 0; }
dl.evidence pre { margin: 0; padding: .4rem .6rem; background: var(--bg); border: 1px solid var(--line);
  overflow-x: auto; white-space: pre; }
a { color: var(--accent); }
ul.unverified li { margin: .2rem 0; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .9em; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var COLUMNS = ["device", "kind", "key", "field", "class", "severity", "netbox_value", "device_value", "id"];
  var FILTERS = ["class", "severity", "kind", "status", "device", "counted"];
  var RANK = {high: 3, medium: 2, low: 1};
  var NONE = "\u2014";
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var report = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("drift-table");
  var query = document.getElementById("filter-q");
  var statusOf = {};
  var sort = {col: "", dir: "asc"};
  var rows = [];
  var written = null;

  // Values print as report_format.value_text prints them in Python.
  function ranges(list) {
    var vids = list.slice().sort(function (a, b) { return a - b; }).filter(function (v, i, all) {
      return i === 0 || v !== all[i - 1];
    });
    var parts = [], i = 0;
    while (i < vids.length) {
      var j = i;
      while (j + 1 < vids.length && vids[j + 1] === vids[j] + 1) { j += 1; }
      parts.push(i === j ? String(vids[i]) : vids[i] + "-" + vids[j]);
      i = j + 1;
    }
    return parts.join(",");
  }
  function text(value) {
    if (value === null || value === undefined) { return NONE; }
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (Array.isArray(value) && value.length && value.every(function (v) { return typeof v === "number" && v % 1 === 0; })) {
      return ranges(value);
    }
    if (Array.isArray(value)) { return value.map(text).join(", "); }
    if (typeof value === "object") {
      var keys = Object.keys(value).sort();
      if (keys.length === 2 && keys[0] === "device" && keys[1] === "port") {
        return text(value.device) + ":" + text(value.port);
      }
      return keys.map(function (key) { return key + "=" + text(value[key]); }).join(", ");
    }
    return value === "" ? '""' : String(value);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  function netboxObject(evidence) {
    var obj = evidence.netbox_object || {};
    var label = obj.type ? text(obj.type) + " " + text(obj.id) : (evidence.netbox_url || "");
    var url = safeUrl(evidence.netbox_url);
    var span = el("span", {}, [url ? el("a", {href: url, target: "_blank", rel: "noopener noreferrer", text: label})
                                   : document.createTextNode(label)]);
    if (obj.last_updated) { span.appendChild(document.createTextNode(", last updated " + text(obj.last_updated))); }
    return span;
  }

  // What the far end of a cable sees on its own port (far_end.py).
  function farEnd(end) {
    var where = text(end.device) + " " + text(end.port);
    if (!Array.isArray(end.sees)) { return where + ": its neighbours were not verified in this run"; }
    var seen = end.sees.map(function (s) { return text(s.device) + " " + text(s.port); }).join(", ");
    return where + " sees " + (seen || "no neighbour") + (end.sees_this_port ? " (this port)" : "");
  }

  function evidenceList(rec) {
    var evidence = rec.evidence || {};
    var list = el("dl", {"class": "evidence"});
    function add(label, node) { list.appendChild(el("dt", {text: label})); list.appendChild(el("dd", {}, [node])); }
    function addText(label, value) {
      if (value !== null && value !== undefined && value !== "") { add(label, document.createTextNode(text(value))); }
    }
    addText("message", rec.message);
    addText("authority", rec.authority);
    addText("command", evidence.command);
    addText("template", evidence.template);
    if (Array.isArray(evidence.device_lines) && evidence.device_lines.length) {
      add("device lines", el("pre", {text: evidence.device_lines.map(String).join("\n")}));
    }
    if (evidence.netbox_url || evidence.netbox_object) { add("NetBox object", netboxObject(evidence)); }
    var far = evidence.far_end || {};
    [["netbox_peer", "far end in NetBox"], ["seen_peer", "neighbour seen"]].forEach(function (pair) {
      if (far[pair[0]]) { addText(pair[1], farEnd(far[pair[0]])); }
    });
    if (rec.one_sided !== null && rec.one_sided !== undefined) { addText("one-sided", rec.one_sided); }
    if (rec.waiver) {
      var waiver = rec.waiver;
      addText("waiver", text(waiver.reason) + " (expires " + text(waiver.expires) + ")");
      if (waiver.match) { addText("waiver match", waiver.match); }
    }
    addText("counted", rec.counted !== false);
    return list;
  }

  function cellText(rec, col) {
    return col === "class" ? text(rec["class"]) : text(rec[col]);
  }

  function buildRow(rec, index) {
    var cells = COLUMNS.map(function (col) { return cellText(rec, col); });
    var tr = el("tr", {"class": "row", "data-id": text(rec.id), tabindex: "0", "aria-expanded": "false"});
    cells.forEach(function (value, i) {
      var td = el("td", {"class": "col-" + COLUMNS[i], text: value});
      if (COLUMNS[i] === "severity" && RANK[rec.severity] > 1) { td.className += " sev-cell-" + rec.severity; }
      if (COLUMNS[i] === "id" && rec.counted === false) {
        td.appendChild(el("span", {"class": "badge", text: "waived"}));
      }
      tr.appendChild(td);
    });
    if (rec.counted === false) { tr.className += " waived"; }
    var detail = el("tr", {"class": "detail"}, [el("td", {colspan: String(COLUMNS.length)}, [evidenceList(rec)])]);
    detail.hidden = true;
    var row = {rec: rec, index: index, tr: tr, detail: detail, cells: cells, open: false,
               haystack: cells.join("\n").toLowerCase(), status: statusOf[rec.device] || ""};
    tr.addEventListener("click", function () { toggle(row); });
    tr.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(row); }
    });
    return row;
  }

  function toggle(row) {
    row.open = !row.open;
    row.tr.setAttribute("aria-expanded", String(row.open));
    row.detail.hidden = !row.open || row.tr.hidden;
    writeHash();
  }

  function filterValue(row, name) {
    if (name === "status") { return row.status; }
    if (name === "counted") { return row.rec.counted === false ? "no" : "yes"; }
    return text(row.rec[name]);
  }

  function matches(row, state) {
    if (state.q && row.haystack.indexOf(state.q) < 0) { return false; }
    return FILTERS.every(function (name) { return !state[name] || filterValue(row, name) === state[name]; });
  }

  function compareRows(a, b) {
    var i = COLUMNS.indexOf(sort.col);
    var d = 0;
    if (i >= 0) {
      d = sort.col === "severity" ? (RANK[a.rec.severity] || 0) - (RANK[b.rec.severity] || 0)
                                  : collator.compare(a.cells[i], b.cells[i]);
      if (sort.dir === "desc") { d = -d; }
    }
    return d || a.index - b.index;
  }

  function control(name) { return document.getElementById("filter-" + name); }

  function currentState() {
    var state = {q: query.value.trim().toLowerCase()};
    FILTERS.forEach(function (name) { state[name] = control(name).value; });
    return state;
  }

  function apply() {
    var state = currentState();
    var visible = 0;
    var body = table.tBodies[0];
    var fragment = document.createDocumentFragment();
    rows.slice().sort(compareRows).forEach(function (row) {
      var show = matches(row, state);
      row.tr.hidden = !show;
      row.detail.hidden = !(show && row.open);
      visible += show ? 1 : 0;
      fragment.appendChild(row.tr);
      fragment.appendChild(row.detail);
    });
    body.appendChild(fragment);
    document.getElementById("visible-count").textContent = String(visible);
    document.getElementById("no-rows").hidden = visible > 0 || rows.length === 0;
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-col]"), function (th) {
      var col = th.getAttribute("data-col");
      th.setAttribute("aria-sort", col !== sort.col ? "none" : (sort.dir === "desc" ? "descending" : "ascending"));
    });
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var parts = (params.get("sort") || "").split(":");
    sort.col = COLUMNS.indexOf(parts[0]) >= 0 ? parts[0] : "";
    sort.dir = parts[1] === "desc" ? "desc" : "asc";
    query.value = params.get("q") || "";
    FILTERS.forEach(function (name) {
      var select = control(name);
      select.value = params.get(name) || "";
      if (select.selectedIndex < 0) { select.value = ""; }
    });
    var open = (params.get("open") || "").split(",");
    rows.forEach(function (row) {
      row.open = open.indexOf(text(row.rec.id)) >= 0;
      row.tr.setAttribute("aria-expanded", String(row.open));
    });
  }

  function writeHash() {
    var parts = [];
    function put(name, value) {
      if (value) { parts.push(name + "=" + encodeURIComponent(value).replace(/%3A/g, ":").replace(/%2C/g, ",")); }
    }
    put("sort", sort.col ? sort.col + ":" + sort.dir : "");
    put("q", query.value.trim());
    FILTERS.forEach(function (name) { put(name, control(name).value); });
    put("open", rows.filter(function (row) { return row.open; })
                    .map(function (row) { return text(row.rec.id); }).join(","));
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash === location.hash) { return; }
    written = hash;
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (error) {
      location.replace(hash || "#");
    }
  }

  function bind() {
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-col] button"), function (button) {
      button.addEventListener("click", function () {
        var col = button.parentNode.getAttribute("data-col");
        sort.dir = sort.col === col && sort.dir === "asc" ? "desc" : "asc";
        sort.col = col;
        apply();
        writeHash();
      });
    });
    query.addEventListener("input", function () { apply(); writeHash(); });
    FILTERS.forEach(function (name) {
      control(name).addEventListener("change", function () { apply(); writeHash(); });
    });
    window.addEventListener("hashchange", function () {
      if (location.hash !== written) { readHash(); apply(); }
    });
  }

  (report.devices || []).forEach(function (entry) { statusOf[entry.device] = entry.status; });
  rows = (report.drift || []).map(buildRow);
  bind();
  readHash();
  apply();
  document.documentElement.setAttribute("data-ready", "true");
}());
"""
