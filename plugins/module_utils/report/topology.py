# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The topology of a run: NetBox's cabling and the links the devices report, as one structure.

``build(results)`` takes the per-device results of a run (after ``far_end.corroborate``),
each with ``cables`` (``cables_of``: what NetBox cables), ``neighbors``
(``far_end.table``: what LLDP/CDP saw, None when not verified), ``notes`` and its drift
records, and returns the report's ``topology`` part (``docs/drift-report.md``)::

    roles:  [role, ...]       the order of the layers, top first (see order_roles)
    sites:  [site, ...]       the sites of the run's devices, sorted
    nodes:  [{id, device, kind, status, site, role, platform, drift, records}]
    links:  [{id, a: {device, port}, b: {device, port}, class, cable, seen_from, records, waived}]
    summary: {nodes, links, by_kind, by_class}

A node's ``kind`` is ``device`` (a device of the run), ``discovered`` (a device-level
record of kind ``device``, class ``missing_in_netbox``, names it: seen, absent from NetBox)
or ``outside`` (named by a NetBox cable or a neighbour, not in this run). A link joins two
ports; its ``class`` is ``confirmed`` (a NetBox cable that an end's LLDP/CDP sees),
``missing_on_device``, ``missing_in_netbox``, ``wrong_peer`` (the cable of a ``mismatch``
record and the neighbour seen instead), ``one_sided`` (a record the far end contradicts) or
``unverified`` (a NetBox cable that no end saw, and no record: neighbours not collected, the
port down or ignored). ``records`` are the ids of the drift records behind a node or link.

Plain data in, plain data out; no Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

KINDS = ("device", "discovered", "outside")
LINK_CLASSES = ("confirmed", "wrong_peer", "one_sided", "missing_on_device", "missing_in_netbox", "unverified")
# the layers from the top when the roles carry these common names; others follow (order_roles)
DEFAULT_ROLE_ORDER = ("core", "spine", "border", "edge", "wan", "distribution", "aggregation", "leaf", "access")
_RECORD_TARGETS = {"missing_on_device": ("netbox",), "missing_in_netbox": ("seen",),
                   "mismatch": ("netbox", "seen")}


def system(name):
    """A device or LLDP system name as a key: lower case, without its domain."""
    return str(name or "").strip().lower().split(".", 1)[0] or None


def cables_of(intended):
    """``[[local port, peer device, peer port, cable id]]``: NetBox's cables from the
    device's interfaces to another device's interface (circuits and patch panels left
    out: LLDP sees beyond them), from the intended model; None without one."""
    if not isinstance(intended, dict):
        return None
    found = []
    for name, iface in sorted((intended.get("interfaces") or {}).items()):
        cable = (iface or {}).get("cable") or {}
        if cable.get("peer_type") in (None, "dcim.interface") and cable.get("peer_device") and cable.get("peer_port"):
            found.append([name, cable["peer_device"], cable["peer_port"], cable.get("id")])
    return found


def _end(device, port):
    return (system(device), names.key(port) if isinstance(port, str) else port)


class _Graph:
    """Nodes by system key and links by their pair of ends, while they are gathered."""

    def __init__(self):
        self.nodes, self.links, self.seen_only = {}, {}, {}

    def node(self, device, kind, **fields):
        key = system(device)
        if key not in self.nodes:
            self.nodes[key] = dict({"device": device, "kind": kind, "status": kind, "site": None, "role": None,
                                    "platform": None, "drift": 0, "records": []}, **fields)
        return self.nodes[key]

    def link(self, one, other, cable=None):
        """The link between ports ``one`` and ``other`` (``(device, port)``), made if new."""
        pair = frozenset((_end(*one), _end(*other)))
        if pair not in self.links:
            ends = sorted([one, other], key=lambda end: _end(*end))
            self.links[pair] = {"a": {"device": ends[0][0], "port": ends[0][1]},
                                "b": {"device": ends[-1][0], "port": ends[-1][1]},
                                "cable": None, "seen_from": [], "records": [], "classes": set(), "counted": False}
            for device in self.seen_only.pop(pair, ()):
                self.seen(pair, device)
        if cable is not None and self.links[pair]["cable"] is None:
            self.links[pair]["cable"] = cable
        return self.links[pair]

    def seen(self, pair, device):
        if pair in self.links:
            if device not in self.links[pair]["seen_from"]:
                self.links[pair]["seen_from"].append(device)
        else:
            self.seen_only.setdefault(pair, []).append(device)

    def name(self, device):
        """The run's spelling of a device name (LLDP may add a domain or change the case)."""
        known = self.nodes.get(system(device))
        return known["device"] if known else device


def _skipped_ports(result):
    notes = result.get("notes") or {}
    return set(names.key(port) for port in (notes.get("shared_segments") or []) + (notes.get("unidentified") or []))


def _gather(graph, results):
    for result in results:
        for local, peer_device, peer_port, cable_id in result.get("cables") or []:
            graph.link((result["device"], local), (graph.name(peer_device), peer_port), cable_id)
    for result in results:
        skipped = _skipped_ports(result)
        for local, remote, remote_port in result.get("neighbors") or []:
            if system(remote) and remote_port and names.key(local) not in skipped:
                graph.seen(frozenset((_end(result["device"], local), _end(remote, remote_port))), result["device"])


def _attach(graph, result, rec):
    """A cable record on the links it speaks of: the cable NetBox has, the neighbour seen."""
    values = {"netbox": rec.get("netbox_value"), "seen": rec.get("device_value")}
    targets = _RECORD_TARGETS.get(rec.get("class"), ("netbox", "seen"))
    cable = ((rec.get("evidence") or {}).get("netbox_object") or {})
    for side in targets:
        peer = values[side]
        if not isinstance(peer, dict) or not peer.get("device"):
            continue
        cable_id = cable.get("id") if side == "netbox" and cable.get("type") == "dcim.cable" else None
        link = graph.link((result["device"], rec.get("key")), (graph.name(peer["device"]), peer.get("port")), cable_id)
        if rec.get("id") not in link["records"]:
            link["records"].append(rec.get("id"))
        link["classes"].add("one_sided" if rec.get("one_sided") else
                            "wrong_peer" if rec.get("class") == "mismatch" else rec.get("class"))
        link["counted"] = link["counted"] or rec.get("counted", True) is not False


def link_class(link):
    """One class for a link, from its records' classes, else from what was seen."""
    for name in ("one_sided", "wrong_peer", "missing_on_device", "missing_in_netbox"):
        if name in link["classes"]:
            return name
    if link["classes"]:
        return sorted(link["classes"], key=str)[0]
    return "confirmed" if link["seen_from"] else "unverified"


def order_roles(nodes, links, role_order=None):
    """The roles of the run's devices, top layer first: those ``role_order`` names (by
    default DEFAULT_ROLE_ORDER) in its order, then the others by how many links their
    devices have on average (most first: a core has more than an access switch), then by
    name. A device without a role is drawn below them all."""
    order = [str(r).lower() for r in (DEFAULT_ROLE_ORDER if role_order is None else role_order)]
    degree, count = {}, {}
    role_of = dict((system(n["device"]), n["role"]) for n in nodes if n["role"])
    for node in nodes:
        if node["role"]:
            count[node["role"]] = count.get(node["role"], 0) + 1
    for link in links:
        for end in (link["a"], link["b"]):
            role = role_of.get(system(end["device"]))
            if role:
                degree[role] = degree.get(role, 0) + 1
    known = [r for r in count if str(r).lower() in order]
    known.sort(key=lambda r: order.index(str(r).lower()))
    others = sorted((r for r in count if r not in known), key=lambda r: (-degree.get(r, 0) / count[r], str(r)))
    return known + others


def _discovered(graph, results):
    for result in results:
        for rec in result.get("records") or []:
            if rec.get("kind") == "device" and rec.get("class") == "missing_in_netbox" and rec.get("key"):
                reporter = graph.nodes.get(system(result["device"]))
                node = graph.node(str(rec["key"]), "discovered")
                if node["kind"] == "discovered" and node["site"] is None and reporter is not node:
                    node["site"] = (reporter or {}).get("site")
                node["records"].append(rec.get("id"))


def build(results, role_order=None):
    """The ``topology`` part of the report from the run's per-device results (see the
    module docstring); ``role_order`` names the layers from the top (order_roles)."""
    graph = _Graph()
    results = sorted(results, key=lambda r: str(r.get("device")))
    for result in results:
        graph.node(result["device"], "device", status=result.get("status"), site=result.get("site"),
                   role=result.get("role"), platform=result.get("platform"), drift=result.get("drift") or 0,
                   records=[rec.get("id") for rec in result.get("records") or []])
    _discovered(graph, results)
    _gather(graph, results)
    for result in results:
        for rec in result.get("records") or []:
            if rec.get("kind") == "cable":
                _attach(graph, result, rec)
    links = sorted(graph.links.values(), key=lambda link: (_end(link["a"]["device"], link["a"]["port"]),
                                                           _end(link["b"]["device"], link["b"]["port"])))
    for link in links:
        for end in (link["a"], link["b"]):
            graph.node(end["device"], "outside")
    nodes = sorted(graph.nodes.values(), key=lambda n: (KINDS.index(n["kind"]), str(n["device"]).lower()))
    for index, node in enumerate(nodes):
        node["id"] = "n%d" % (index + 1)
    out_links = []
    for index, link in enumerate(links):
        cls = link_class(link)
        out_links.append({"id": "l%d" % (index + 1), "a": link["a"], "b": link["b"], "class": cls,
                          "cable": link["cable"], "seen_from": sorted(link["seen_from"]), "records": link["records"],
                          "waived": bool(link["records"]) and not link["counted"]})
    return {
        "roles": order_roles(nodes, out_links, role_order),
        "sites": sorted(set(n["site"] for n in nodes if n["kind"] == "device" and n["site"])),
        "nodes": nodes,
        "links": out_links,
        "summary": {"nodes": len(nodes), "links": len(out_links),
                    "by_kind": dict((k, sum(1 for n in nodes if n["kind"] == k)) for k in KINDS),
                    "by_class": dict((c, sum(1 for link in out_links if link["class"] == c)) for c in LINK_CLASSES)},
    }


def node_index(topology):
    """``{system key: node}`` of a topology, for a renderer that looks up link ends."""
    return dict((system(n.get("device")), n) for n in (topology or {}).get("nodes") or [])
