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
