# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The topology picture: the report's ``topology`` part laid out by Graphviz ``dot``.

Graphviz, through its Python binding (the ``graphviz`` package from PyPI, which writes
the DOT text with its own quoting and runs the ``dot`` program of the Debian or RPM
package ``graphviz``), does all the geometry: ``dot`` is a layered (Sugiyama) layout
with clusters, which is what a network drawing wants. Each site is a cluster, the
device roles are the layers inside it (``topology.roles``, top first), and the sites sit
in a grid of rows so that 200 devices stay about as wide as they are high. Parallel
links of one class between two devices are drawn as one edge with a count. Colours
and dash patterns are Graphviz attributes, so the SVG reads the same in a wiki, a
ticket or the report page.

``draw(topology, site=None, legend=False)`` returns ``{"svg", "nodes", "edges",
"clusters"}`` (``topology_svg``: the SVG, checked and annotated) or raises DrawError with
a reason a person can act on; ``draw_all`` gives the whole run and each site, or a note
instead of pictures. No Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import topology as t
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import topology_svg

try:
    import graphviz
except ImportError:  # the picture is replaced by a note (draw_all)
    graphviz = None

NO_SITE = "(no site)"
MAX_NODES = 3000  # beyond this, dot takes minutes: the report says so instead of drawing
INSTALL = ("install Graphviz (Debian/Ubuntu: apt-get install graphviz; RPM: dnf install graphviz) "
           "and the Python package graphviz (pip install graphviz==0.21)")
FONT = "Helvetica,Arial,sans-serif"
# status or kind: (border, fill, style, extra attributes)
NODE_STYLES = {
    "clean": ("#2e7d32", "#e8f5e9", "filled,rounded", {}),
    "drift": ("#c62828", "#ffebee", "filled,rounded,bold", {"penwidth": "2"}),
    "partial": ("#b26a00", "#fff3e0", "filled,rounded,bold", {"penwidth": "2"}),
    "unverified": ("#6a1b9a", "#f3e5f5", "filled,rounded,dashed", {"penwidth": "2"}),
    "skipped": ("#6b7280", "#f3f4f6", "filled,rounded", {}),
    "discovered": ("#1f5fbf", "#e3f2fd", "filled,bold", {"shape": "box", "peripheries": "2"}),
    "outside": ("#6b7280", "#ffffff", "filled,dotted", {"shape": "box"}),
}
NODE_LABELS = {"clean": "in NetBox, clean", "drift": "drift", "partial": "sections unverified",
               "unverified": "unreachable or unverified", "skipped": "skipped by policy",
               "discovered": "discovered, absent from NetBox", "outside": "not in this run"}
# link class: (colour, style, pen width)
LINK_STYLES = {
    "confirmed": ("#4b5563", "solid", "1.2"),
    "wrong_peer": ("#e65100", "bold", "2.6"),
    "one_sided": ("#8e24aa", "dashed", "2.2"),
    "missing_on_device": ("#c62828", "dashed", "2.2"),
    "missing_in_netbox": ("#1f5fbf", "bold", "2.6"),
    "unverified": ("#9aa4b2", "dotted", "1.4"),
}
LINK_LABELS = {"confirmed": "confirmed", "wrong_peer": "wrong peer", "one_sided": "seen from one end only",
               "missing_on_device": "missing on the device", "missing_in_netbox": "missing in NetBox",
               "unverified": "not verified"}
WAIVED_COLOUR = "#b0b7c3"


class DrawError(Exception):
    """The picture cannot be drawn (Graphviz missing, or it failed)."""


def available():
    """None when pictures can be drawn, else why not (for the note)."""
    if graphviz is None:
        return "the Python package graphviz is not installed: " + INSTALL
    try:
        graphviz.version()
    except graphviz.ExecutableNotFound:
        return "Graphviz's dot program is not installed: " + INSTALL
    except (graphviz.CalledProcessError, RuntimeError, OSError) as exc:
        return "Graphviz's dot program does not run (%s): %s" % (exc, INSTALL)
    return None


def version():
    """Graphviz's version as text, e.g. ``2.43.0``, or None."""
    try:
        return ".".join(str(part) for part in graphviz.version())
    except Exception:  # pylint: disable=broad-except  # only shown in the page footer
        return None


def placement(topo):
    """``{node id: site}``: where each node is drawn. A node of the run in its NetBox site;
    one outside the run (or discovered without a site) beside the first device linked to it."""
    nodes = dict((n["id"], n) for n in topo.get("nodes") or [])
    by_key = t.node_index(topo)
    placed = dict((i, n["site"]) for i, n in nodes.items() if n.get("site"))
    for link in topo.get("links") or []:
        ends = [by_key.get(t.system(link[e]["device"])) for e in ("a", "b")]
        for one, other in (ends, ends[::-1]):
            if one and other and one["id"] not in placed and other["id"] in placed:
                placed[one["id"]] = placed[other["id"]]
    return dict((i, placed.get(i) or NO_SITE) for i in nodes)


def bundles(topo, node_ids=None):
    """``[(node id, node id, class, waived, [links])]``: the links of one class between two
    nodes drawn as one edge (only links with both ends in ``node_ids`` when given)."""
    by_key = t.node_index(topo)
    grouped = {}
    for link in topo.get("links") or []:
        one, other = (by_key.get(t.system(link[e]["device"])) for e in ("a", "b"))
        if not one or not other or (node_ids is not None and not (one["id"] in node_ids and other["id"] in node_ids)):
            continue
        pair = tuple(sorted((one["id"], other["id"]), key=natural))
        grouped.setdefault(pair + (link["class"], bool(link.get("waived"))), []).append(link)
    return [key + (links,) for key, links in sorted(grouped.items(), key=lambda kv: [natural(k) for k in kv[0][:3]])]


def natural(text):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(text))]


def _label(node):
    text = graphviz.escape(str(node.get("device")))
    if node.get("kind") == "device" and node.get("drift"):
        text += "\\n%d drift" % node["drift"]
    elif node.get("status") in ("unverified", "partial", "discovered"):
        text += "\\n" + {"unverified": "unverified", "partial": "partly verified", "discovered": "discovered"}[
            node["status"]]
    return graphviz.nohtml(text)


def _node_attrs(node):
    border, fill, style, extra = NODE_STYLES.get(node.get("status"), NODE_STYLES["skipped"])
    return dict({"label": _label(node), "color": border, "fillcolor": fill, "style": style}, **extra)


def _edge_attrs(cls, waived, links):
    colour, style, width = LINK_STYLES.get(cls, LINK_STYLES["unverified"])
    attrs = {"color": WAIVED_COLOUR if waived else colour, "style": style, "penwidth": width}
    if len(links) > 1:
        attrs.update(label=graphviz.nohtml("\u00d7%d" % len(links)), fontsize="8", fontcolor="#4b5563")
    return attrs


def _layers(topo, nodes):
    """``{node id: layer index}`` from the roles' order; no role: the layer below them all."""
    roles = list(topo.get("roles") or [])
    return dict((n["id"], roles.index(n["role"]) if n.get("role") in roles else len(roles)) for n in nodes)


def grid_columns(members, layers, aspect=1.6):
    """How many site clusters a row holds so that the picture is about ``aspect`` times as
    wide as high: from the widest layer and the number of layers of a typical site (a node
    with its gap is about 100 points wide, a layer 60 points high)."""
    widths, depths = [], []
    for ids in members.values():
        per_layer = {}
        for i in ids:
            per_layer[layers[i]] = per_layer.get(layers[i], 0) + 1
        widths.append(100 * max(per_layer.values() or [1]) + 20)
        depths.append(60 * len(per_layer) + 30)
    if not widths:
        return 1
    width, depth = sorted(widths)[len(widths) // 2], sorted(depths)[len(depths) // 2]
    return max(1, min(len(widths), int(round(math.sqrt(len(widths) * aspect * depth / float(width))))))


def _grid(graph, rows, layers):
    """Rows of site clusters: the nodes of one row and one layer share a rank, and
    invisible edges put each layer, then each row, below the one before."""
    previous = None
    for row in rows:
        for layer in sorted(set(layers[i] for site in row for i in site[1])):
            members = [i for site in row for i in site[1] if layers[i] == layer]
            graph.body.append("\t{rank=same; %s}\n" % " ".join(members))
            if previous is not None:
                graph.edge(previous, members[0], style="invis")
            previous = members[0]


def source(topo, site=None, legend=False):
    """``(graphviz.Graph, {svg id: node id}, {svg id: [link ids]}, {svg id: site})``."""
    nodes = dict((n["id"], n) for n in topo.get("nodes") or [])
    where = placement(topo)
    shown = set(nodes)
    if site is not None:
        own = set(i for i in nodes if where[i] == site)
        shown = own | set(i for b in bundles(topo) if own & set(b[:2]) for i in b[:2])
    graph = graphviz.Graph("topology", engine="dot", format="svg")
    graph.attr(newrank="true", rankdir="TB", nodesep="0.25", ranksep="0.45", fontname=FONT, fontsize="11",
               bgcolor="white", pad="0.2")
    graph.attr("node", shape="box", fontname=FONT, fontsize="10", height="0.3", margin="0.08,0.03")
    graph.attr("edge", fontname=FONT)
    sites = sorted(set(where[i] for i in shown), key=lambda s: (s != site, s == NO_SITE, natural(s)))
    clusters, members = {}, dict((s, sorted((i for i in shown if where[i] == s), key=natural)) for s in sites)
    layers = _layers(topo, nodes.values())
    columns = len(sites) if site is not None else grid_columns(members, layers)
    for index, name in enumerate(sites):
        cluster_id = "ts-%d" % (index + 1)
        clusters[cluster_id] = name
        with graph.subgraph(name="cluster_%d" % (index + 1)) as sub:
            sub.attr(label=graphviz.escape(name), id=cluster_id, color="#c3cad5", fontcolor="#1d2430",
                     style="rounded" if name != site or site is None else "rounded,bold")
            for i in members[name]:
                sub.node(i, id="tn-" + i, **_node_attrs(nodes[i]))
    rows = [[(s, members[s]) for s in sites[start:start + columns]] for start in range(0, len(sites), columns)]
    _grid(graph, rows, layers)
    edges = {}
    for index, (one, other, cls, waived, links) in enumerate(bundles(topo, shown)):
        edge_id = "te-%d" % (index + 1)
        edges[edge_id] = [link["id"] for link in links]
        tail, head = sorted((one, other), key=lambda i: layers[i])
        graph.edge(tail, head, id=edge_id, constraint="true" if where[one] == where[other] else "false",
                   **_edge_attrs(cls, waived, links))
    if legend:
        _legend(graph, topo)
    return graph, dict(("tn-" + i, i) for i in shown), edges, clusters


_SAMPLES = {"solid": "\u2500" * 5, "bold": "\u2501" * 5, "dashed": "\u254c" * 5, "dotted": "\u2504" * 5}


def _legend(graph, topo):
    """A legend (for the standalone SVG, which has no page around it): one node whose
    label is a Graphviz HTML-like table made of this module's constants only."""
    statuses = set(n.get("status") for n in topo.get("nodes") or [])
    classes = set(link.get("class") for link in topo.get("links") or [])
    rows = ['<tr><td colspan="2" align="left"><b>legend</b></td></tr>']
    for status, (border, fill, style, extra) in NODE_STYLES.items():
        if status in statuses:
            rows.append('<tr><td bgcolor="%s" color="%s" border="1" width="30"> </td><td align="left">%s</td></tr>'
                        % (fill, border, NODE_LABELS[status]))
    for cls, (colour, style, width) in LINK_STYLES.items():
        if cls in classes:
            rows.append('<tr><td><font color="%s">%s</font></td><td align="left">%s</td></tr>'
                        % (colour, _SAMPLES[style], LINK_LABELS[cls]))
    graph.node("legend", id="ts-legend", shape="plain", fontsize="9",
               label="<<table border=\"0\" cellborder=\"0\" cellspacing=\"3\">%s</table>>" % "".join(rows))


def draw(topo, site=None, legend=False, records=None):
    """One picture: the whole run, or ``site`` with the devices linked to it; ``records``
    (``{id: drift record}``) are listed in the hover titles."""
    if graphviz is None:
        raise DrawError("the Python package graphviz is not installed: " + INSTALL)
    nodes = (topo or {}).get("nodes") or []
    if not nodes:
        raise DrawError("the topology has no device")
    if len(nodes) > MAX_NODES:
        raise DrawError("the topology has %d devices, more than the %d drawn" % (len(nodes), MAX_NODES))
    graph, node_ids, edge_ids, clusters = source(topo, site, legend)
    try:
        text = graph.pipe(format="svg", encoding="utf-8", quiet=True)
    except graphviz.ExecutableNotFound:
        raise DrawError("Graphviz's dot program is not installed: " + INSTALL)
    except (graphviz.CalledProcessError, RuntimeError, OSError) as exc:
        raise DrawError("Graphviz's dot program failed: %s" % exc)
    try:
        svg = topology_svg.annotate(text, topo, node_ids, edge_ids, clusters, records)
    except topology_svg.SvgError as exc:
        raise DrawError("Graphviz's drawing could not be read: %s" % exc)
    return {"svg": svg, "site": site, "nodes": node_ids, "edges": edge_ids, "clusters": clusters}


def draw_all(topo, records=None, sites=True):
    """``{"whole": picture, "sites": [picture], "note": None, "graphviz": version}``, or
    no pictures and a ``note`` saying why (the reports are written all the same)."""
    pictures = {"whole": None, "sites": [], "note": None, "graphviz": None}
    if not (topo or {}).get("nodes"):
        pictures["note"] = "No topology: the report has no device."
        return pictures
    missing = available()
    if missing:
        pictures["note"] = "No topology picture: %s. The topology is in drift.json (topology)." % missing
        return pictures
    try:
        names = sorted(set(placement(topo).values()), key=lambda s: (s == NO_SITE, natural(s)))
        names = names if sites and len(names) > 1 else []
        # each picture is a dot process of its own: drawn side by side, in order
        with ThreadPoolExecutor(max_workers=min(len(names) + 1, os.cpu_count() or 1)) as pool:
            drawn = list(pool.map(lambda name: draw(topo, name, records=records), [None] + names))
        pictures["whole"], pictures["sites"] = drawn[0], drawn[1:]
    except DrawError as exc:
        pictures.update(whole=None, sites=[], note="No topology picture: %s. The topology is in drift.json "
                                                   "(topology)." % exc)
        return pictures
    pictures["graphviz"] = version()
    return pictures
