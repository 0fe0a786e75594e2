# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each cable record seen from the other end of the link.

A device sees its LLDP/CDP neighbours; a cable has two ends. Once every device of a
run has been compared, ``corroborate(results, severity)`` looks, for every cable
record, at what the far ends see on their own ports: NetBox's far end (the cable's
other termination) and the neighbour the device reports. It adds
``evidence.far_end`` and ``one_sided``:

* ``missing_on_device`` (NetBox has a cable, this end sees no neighbour): one-sided
  when NetBox's far end sees this port: the cable is there, LLDP/CDP is off or
  filtered on this end.
* ``missing_in_netbox`` (a neighbour where NetBox has no cable): one-sided when that
  neighbour was verified in this run and does not see this port.
* ``mismatch`` (another neighbour than the cable's far end): one-sided when NetBox's
  far end still sees this port, or when the neighbour was verified and does not see it.

``one_sided`` is None when no far end could be checked (not in the run, or its
neighbours were not verified). A one-sided record takes the severity of the rule
``cable.one_sided`` (low unless the policy says otherwise), and reconciliation never
plans a cable change on one end's word.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

NETBOX_PEER, SEEN_PEER = "netbox_peer", "seen_peer"
ENDS = {  # which far ends a cable record has, by class
    "mismatch": (NETBOX_PEER, SEEN_PEER),
    "missing_on_device": (NETBOX_PEER,),
    "missing_in_netbox": (SEEN_PEER,),
}


def system(name):
    """A device or LLDP system name as a comparison key: lower case, without its domain."""
    return str(name or "").strip().lower().split(".", 1)[0] or None


def table(state):
    """What a device sees, compactly, for the far-end check of other devices:
    ``[[local_port, remote_system, remote_port]]``, or None when its neighbours were
    not verified."""
    if not isinstance(state, dict) or state.get("neighbors") is None or not m.section_ok(state, "neighbors"):
        return None
    return [[n.get("local_port"), n.get("remote_system"), n.get("remote_port")] for n in state["neighbors"]]


def index(results):
    """``{device key: {port key: [{device, port}]}}`` of every device whose neighbours were verified."""
    seen = {}
    for result in results:
        rows = result.get("neighbors")
        if rows is None:
            continue
        ports = seen.setdefault(system(result["device"]), {})
        for local, remote_system, remote_port in rows:
            seen_here = ports.setdefault(names.key(local), [])
            entry = {"device": remote_system, "port": remote_port}
            if entry not in seen_here:  # LLDP and CDP often both see the same neighbour
                seen_here.append(entry)
    return seen


def far_end(seen, peer, device, port):
    """``{device, port, sees, sees_this_port}`` for the far end ``peer``
    (``{device, port}``) of ``device``'s ``port``; ``sees`` None: not verified in this run."""
    if not isinstance(peer, dict) or not peer.get("device") or not peer.get("port"):
        return None
    ports = seen.get(system(peer["device"]))
    end = {"device": peer["device"], "port": peer["port"], "sees": None, "sees_this_port": None}
    if ports is not None:
        end["sees"] = ports.get(names.key(peer["port"]), [])
        end["sees_this_port"] = any(system(s["device"]) == system(device) and names.same(s["port"] or "", port)
                                    for s in end["sees"])
    return end


def _verdict(rec, ends):
    """``(one_sided, why)`` from the far ends that were verified."""
    netbox_peer, seen_peer = ends.get(NETBOX_PEER), ends.get(SEEN_PEER)
    checked, why = False, None
    if netbox_peer and netbox_peer["sees"] is not None:
        checked = True
        if netbox_peer["sees_this_port"]:
            why = "%s %s, the cable's far end in NetBox, sees this port" % (netbox_peer["device"], netbox_peer["port"])
            if rec["class"] == "missing_on_device":
                why += ": the cable is there and LLDP/CDP is off or filtered on this end"
    if seen_peer and seen_peer["sees"] is not None:
        checked = True
        if not seen_peer["sees_this_port"] and why is None:
            why = "the neighbour %s %s does not see this port" % (seen_peer["device"], seen_peer["port"])
    if not checked:
        return None, None
    return why is not None, why


def corroborate(results, severity="low"):
    """Add ``evidence.far_end`` and ``one_sided`` to the cable records of ``results``
    (per-device results of one run, changed in place); a one-sided record gets
    ``severity``. Returns how many records were found one-sided."""
    seen = index(results)
    one_sided = 0
    for result in results:
        for rec in result.get("records") or []:
            if rec.get("kind") != "cable" or rec.get("class") not in ENDS:
                continue
            values = {NETBOX_PEER: rec.get("netbox_value"), SEEN_PEER: rec.get("device_value")}
            ends = {}
            for role in ENDS[rec["class"]]:
                end = far_end(seen, values[role], result["device"], rec["key"])
                if end is not None:
                    ends[role] = end
            rec["one_sided"], why = _verdict(rec, ends)
            rec["evidence"] = dict(rec.get("evidence") or {}, far_end=ends)
            if rec["one_sided"]:
                one_sided += 1
                rec["severity"] = severity
                rec["message"] = "%s; one-sided: %s" % (rec.get("message") or "cable differs", why)
    return one_sided
