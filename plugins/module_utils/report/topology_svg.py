# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Graphviz's SVG made fit for the report page and for a wiki.

``annotate(svg_text, topology, nodes, edges, clusters, records)`` parses what ``dot``
wrote and writes it again keeping only drawing elements and attributes from a fixed
list (no script, link, style, event handler or ``url()`` can come through, whatever a
device name holds), drops Graphviz's ids (several pictures share one page), and gives
each device, edge and site its data: ``class`` (``tnode status-<status>``, ``tedge
link-<class>``, ``tsite``), ``data-node``, ``data-links`` or ``data-site``, and a
``<title>`` that browsers show on hover, even with scripts blocked: the device or the
links and their drift records. Text is escaped on the way out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html
import re
import xml.etree.ElementTree as ET

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import topology as t

SVG_NS = "http://www.w3.org/2000/svg"
ELEMENTS = ("svg", "g", "title", "polygon", "polyline", "path", "ellipse", "circle", "text")
ATTRIBUTES = ("class", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
              "points", "d", "cx", "cy", "rx", "ry", "r", "x", "y", "text-anchor", "font-family", "font-size",
              "font-weight", "font-style", "transform", "width", "height", "viewBox")
_UNSAFE_VALUE = re.compile(r"(?i)url\s*\(|javascript:|expression\s*\(|[<>]")
_TITLE_RECORDS = 12  # records listed in a hover title; the page's panel has them all


class SvgError(Exception):
    """Graphviz's output is not the SVG expected."""


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def record_line(rec):
    """One line for a drift record: ``id kind key field: class (severity)``."""
    rec = rec or {}
    what = " ".join(str(rec.get(k)) for k in ("kind", "key", "field") if rec.get(k) not in (None, ""))
    waived = ", waived" if rec.get("counted") is False else ""
    return "%s %s: %s (%s%s)" % (rec.get("id"), what, rec.get("class"), rec.get("severity"), waived)


def _records_text(ids, records):
    lines = [record_line(records.get(i) or {"id": i}) for i in ids[:_TITLE_RECORDS]]
    if len(ids) > _TITLE_RECORDS:
        lines.append("and %d more" % (len(ids) - _TITLE_RECORDS))
    return lines


def node_title(node, records):
    where = ", ".join(str(node[k]) for k in ("site", "role", "platform") if node.get(k))
    head = "%s%s: %s" % (node.get("device"), " (%s)" % where if where else "", node.get("status"))
    ids = node.get("records") or []
    return "\n".join([head] + (["%d drift record%s:" % (len(ids), "" if len(ids) == 1 else "s")]
                               + _records_text(ids, records) if ids else []))


def link_title(links, records):
    lines = []
    for link in links:
        cable = " (NetBox cable %s)" % link["cable"] if link.get("cable") is not None else ""
        lines.append("%s %s \u2014 %s %s: %s%s%s" % (
            link["a"]["device"], link["a"]["port"], link["b"]["device"], link["b"]["port"],
            link["class"].replace("_", " "), cable, ", waived" if link.get("waived") else ""))
        lines.extend("  " + line for line in _records_text(link.get("records") or [], records))
    return "\n".join(lines)


def _clean(element, mark):
    """The element with only allowed children and attributes (``a`` is unwrapped);
    ``mark(source, kept)`` annotates each group."""
    kept = ET.Element(_local(element.tag))
    kept.text = element.text if _local(element.tag) in ("text", "title") else None
    for name, value in element.attrib.items():
        if name in ATTRIBUTES and not _UNSAFE_VALUE.search(value):
            kept.set(name, value)
    for child in element:
        tag = _local(child.tag)
        if tag == "a":
            for grandchild in child:
                if _local(grandchild.tag) in ELEMENTS:
                    kept.append(_clean(grandchild, mark))
        elif tag in ELEMENTS:
            kept.append(_clean(child, mark))
    if kept.tag == "g":
        mark(element, kept)
    return kept


def _set_title(group, text):
    for child in list(group):
        if child.tag == "title":
            group.remove(child)
    if text is not None:
        title = ET.Element("title")
        title.text = text
        group.insert(0, title)


def annotate(svg_text, topo, nodes, edges, clusters, records=None):
    """The picture's SVG, checked and annotated (see the module docstring). ``nodes``,
    ``edges`` and ``clusters`` map Graphviz's element ids to node ids, link ids and sites."""
    records = records or {}
    try:
        root = ET.fromstring(svg_text.encode("utf-8") if isinstance(svg_text, str) else svg_text)
    except ET.ParseError as exc:
        raise SvgError("not XML: %s" % exc)
    if _local(root.tag) != "svg":
        raise SvgError("the root element is %r, not svg" % _local(root.tag))
    by_id = dict((n["id"], n) for n in topo.get("nodes") or [])
    links = dict((link["id"], link) for link in topo.get("links") or [])

    def mark(source, target):
        gid = source.get("id")
        if gid in nodes:
            node = by_id[nodes[gid]]
            target.set("class", "tnode status-%s kind-%s" % (_word(node.get("status")), _word(node.get("kind"))))
            target.set("data-node", node["id"])
            _set_title(target, node_title(node, records))
        elif gid in edges:
            for extra in [child for child in target if child.tag == "path"][1:]:
                target.remove(extra)  # dot 2.43 draws some flat edges between clusters twice
            shown = [links[i] for i in edges[gid]]
            target.set("class", "tedge link-%s%s" % (_word(shown[0]["class"]),
                                                     " waived" if shown[0].get("waived") else ""))
            target.set("data-links", " ".join(edges[gid]))
            _set_title(target, link_title(shown, records))
        elif gid in clusters:
            target.set("class", "tsite")
            target.set("data-site", clusters[gid])
            _set_title(target, "site %s" % clusters[gid])
        else:
            _set_title(target, None)

    return serialise(_clean(root, mark))


def _word(value):
    """A CSS class word from a value: letters, digits, ``_`` and ``-`` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(value)) or "none"


def serialise(element, root=True):
    """The element as SVG text, every attribute and text escaped."""
    attrs = "".join(' %s="%s"' % (name, html.escape(value, quote=True)) for name, value in element.attrib.items())
    if root:
        attrs = ' xmlns="%s"%s' % (SVG_NS, attrs)
    inner = html.escape(element.text or "", quote=False) + "".join(serialise(child, False) for child in element)
    return "<%s%s>%s</%s>" % (element.tag, attrs, inner, element.tag) if inner or element.tag in ("g", "svg", "title") \
        else "<%s%s/>" % (element.tag, attrs)


def standalone(svg):
    """An inline picture as an SVG file."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


def note_svg(note):
    """An SVG file that says why there is no picture."""
    lines = [note[i:i + 100] for i in range(0, len(note), 100)] or [""]
    texts = "".join('<text x="10" y="%d">%s</text>' % (24 + 18 * i, html.escape(line, quote=False))
                    for i, line in enumerate(lines))
    return standalone('<svg xmlns="%s" width="760" height="%d" font-family="sans-serif" font-size="13">%s</svg>' % (
        SVG_NS, 30 + 18 * len(lines), texts))


def node_of(topo, device):
    """The node of a device name (any spelling), or None."""
    return t.node_index(topo).get(t.system(device))
