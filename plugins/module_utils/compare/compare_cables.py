# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cables: NetBox's cabling against the LLDP/CDP neighbours each port sees.

A neighbour says something about a cable only when it can be told apart: a port that
sees neighbours of several systems is on a shared segment (a management network, a
hub, a bridge) where no point-to-point cable can be read, and a neighbour that gives
no system name (a host advertising only MAC addresses) names no device. Neither
becomes a cable record; the device result lists them (``shared_segments``,
``unidentified``) so that the report can say why those ports were not judged.
``far_end.py`` then checks each cable record from the other end of the link.

Whether a far end is one of the run's devices (``known_devices``) decides whether a
cable with no neighbour, or a neighbour with no cable, is drift, and how a neighbour is
named. A slice of a run knows only its own hosts: with ``defer_peers`` the records that
hang on a far end outside them are made as if it were known, each with ``peer_check``,
and ``resolve_peers`` judges them once the run's devices are known (the merge of the
slices): the records are then those the run gives unsliced.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import records as c


def system(name):
    """A device or LLDP system name as a comparison key: lower case, without its domain."""
    return str(name or "").strip().lower().split(".", 1)[0] or None


def _tagged(tags, options):
    ignore = options.get("ignore_tag")
    return bool(ignore) and ignore in (tags or [])


def peer(neighbor, options):
    """The neighbour as a cable's far end: NetBox's device name when it is a known device."""
    known = dict((system(n), n) for n in options.get("known_devices") or ())
    name = system(neighbor.get("remote_system"))
    platform = (options.get("device_platforms") or {}).get(name)
    port = neighbor.get("remote_port")
    return {"device": known.get(name, neighbor.get("remote_system")),
            "port": names.long_name(port, platform) if port else port}


def _deferred(name, known, options):
    """Whether a far end outside ``known`` is left to ``resolve_peers`` (``defer_peers``)."""
    return bool(options.get("defer_peers")) and name not in known


def _check(name, required, neighbor=None):
    """``peer_check`` of a deferred record: the far end's system, whether the record exists
    only when it is a device of the run, and the neighbour as seen (to name it then)."""
    check = {"system": name, "required": required}
    if neighbor is not None:
        check.update(device=neighbor.get("remote_system"), port=neighbor.get("remote_port"))
    return check


def resolve_peers(records, known_devices, device_platforms, ignored=()):
    """The deferred records of one device once the run's devices are known:
    ``(records, dropped_ignored)``. A record whose far end is not a device of the run is
    dropped when it exists only for one; a neighbour that is one is named as ``peer``
    names it. ``ignored``: the ``peer_check`` of deferred records the policy ignored;
    ``dropped_ignored`` how many of them the run never had."""
    known = dict((system(n), n) for n in known_devices or ())
    options = {"known_devices": list(known.values()),
               "device_platforms": dict((str(k).lower(), v) for k, v in (device_platforms or {}).items())}
    kept = []
    for rec in records:
        check = rec.pop("peer_check", None)
        if check is not None and check["required"] and check["system"] not in known:
            continue
        if check is not None and "device" in check:
            rec["device_value"] = peer({"remote_system": check["device"], "remote_port": check["port"]}, options)
        kept.append(rec)
    return kept, sum(1 for check in ignored or () if check["required"] and check["system"] not in known)


def seen_by_port(actual):
    """``({port key: [identified neighbours]}, shared ports, unidentified ports)``."""
    seen, unidentified = {}, set()
    for neighbor in actual.get("neighbors") or []:
        port = names.key(neighbor["local_port"])
        if system(neighbor.get("remote_system")) is None:
            unidentified.add(port)
            continue
        seen.setdefault(port, []).append(neighbor)
    shared = set(port for port, found in seen.items()
                 if len(set(system(n.get("remote_system")) for n in found)) > 1)
    return seen, shared, unidentified - set(seen)


def cables(intended, actual, options):
    """Raw cable records of one device (see the module docstring)."""
    seen, shared, unidentified = seen_by_port(actual)
    known = set(system(n) for n in options.get("known_devices") or ())
    have = dict((names.key(n), i) for n, i in (actual.get("interfaces") or {}).items())
    nb_ports = dict((names.key(n), i) for n, i in (intended.get("interfaces") or {}).items())
    found, judged = [], set(shared) | set(unidentified)
    for ikey, iface in sorted(nb_ports.items()):
        cable = iface.get("cable")
        if _tagged(iface.get("tags"), options):
            judged.add(ikey)  # ignored: neither its cable nor its neighbour is judged
            continue
        if not cable:
            continue
        judged.add(ikey)
        if cable.get("peer_type") not in (None, "dcim.interface") or ikey in shared or ikey in unidentified:
            continue  # a circuit or patch panel (LLDP sees beyond it), a shared segment, a nameless neighbour
        found.extend(_one_cable(iface, cable, seen.get(ikey), have.get(ikey), known, options))
    for ikey in sorted(set(seen) - judged):
        neighbor = seen[ikey][0]
        far = system(neighbor.get("remote_system"))
        deferred = _deferred(far, known, options)
        if far not in known and not options.get("report_unknown_neighbors") and not deferred:
            continue
        name = nb_ports[ikey]["name"] if ikey in nb_ports else neighbor["local_port"]
        found.append(c.record("cable", name, "peer", "missing_in_netbox", None, peer(neighbor, options),
                              "a neighbour is seen where NetBox has no cable",
                              c.netbox_ref(nb_ports.get(ikey), "dcim.interface")))
        if deferred:  # without report_unknown_neighbors, a record only when the neighbour is a device of the run
            found[-1]["peer_check"] = _check(far, not options.get("report_unknown_neighbors"), neighbor)
    return found


def not_judged(actual):
    """What the report says of the ports whose neighbours say nothing about a cable."""
    shared, unidentified = seen_by_port(actual)[1:]
    local = dict((names.key(n["local_port"]), n["local_port"]) for n in actual.get("neighbors") or [])
    return {"shared_segments": sorted(local[p] for p in shared),
            "unidentified": sorted(local[p] for p in unidentified)}


def _one_cable(iface, cable, neighbors, device_iface, known, options):
    want = {"device": cable.get("peer_device"), "port": cable.get("peer_port")}
    ref = {"type": "dcim.cable", "id": cable.get("id"), "url": cable.get("url"),
           "last_updated": cable.get("last_updated")}
    if not neighbors:
        down = iface.get("enabled") is False or (device_iface or {}).get("enabled") is False
        deferred = _deferred(system(want["device"]), known, options)
        if down or (system(want["device"]) not in known and not deferred):
            return []  # a shut port or a peer the run does not manage need not speak LLDP
        rec = c.record("cable", iface["name"], "peer", "missing_on_device", want, None,
                       "no LLDP/CDP neighbour is seen on this cabled port", ref)
        if deferred:
            rec["peer_check"] = _check(system(want["device"]), True)
        return [rec]
    for neighbor in neighbors:
        if system(neighbor.get("remote_system")) == system(want["device"]) \
                and names.same(neighbor.get("remote_port") or "", want["port"] or ""):
            return []
    rec = c.record("cable", iface["name"], "peer", "mismatch", want, peer(neighbors[0], options),
                   "the neighbour seen is not the cable's far end", ref)
    if _deferred(system(neighbors[0].get("remote_system")), known, options):
        rec["peer_check"] = _check(system(neighbors[0].get("remote_system")), False, neighbors[0])
    return [rec]
