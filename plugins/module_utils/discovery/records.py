# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift records of a crawl (``docs/drift-report.md``, *Discovery*).

* One ``device``/``missing_in_netbox`` record per device seen and absent from NetBox,
  however many switches see it: key and device its best name (the hostname it gave
  when logged into, else the name its neighbours advertise without its domain, else
  its address or chassis ID); ``device_value`` what was learnt, from the login
  (platform, model, serial, OS version, the number of interfaces) or, without one, from
  what the neighbours advertise; ``discovered`` everything learnt: the interfaces, the
  links that lead to it, the login, and what NetBox would need to hold it (``netbox``:
  site from its neighbours, device type, platform, role, management address, and what
  NetBox lacks, listed and never invented); ``evidence.seen_by`` who saw it, on which
  port, with which chassis ID and management address.
* One ``device``/``missing_on_device`` record per inventory device NetBox has that could
  not be reached and that no neighbour table read reports; none at all when no
  neighbour table could be read (nothing then says it is gone).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names as n
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import identity
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare.records import record

INTERFACE_FIELDS = ("name", "enabled", "description", "mtu", "mode", "vrf", "lag", "ipv4", "ipv6")
SIGHTING_FIELDS = ("seen_by", "local_port", "remote_port", "protocol", "name", "chassis_id", "address", "description")


def best_name(candidate, login=None):
    """The name a discovered device is reported under (see the module docstring)."""
    facts = (((login or {}).get("state") or {}).get("facts")) or {}
    if identity.short_name(facts.get("hostname")):
        return identity.short_name(facts["hostname"])
    for item in candidate.sightings:
        if identity.short_name(item.get("name")):
            return identity.short_name(item["name"])
    for field in ("address", "chassis_id"):
        for item in candidate.sightings:
            if item.get(field):
                return str(item[field]).strip()
    return "unnamed-%d" % candidate.number


def _unique(values):
    found = []
    for value in values:
        if value not in (None, "", []) and value not in found:
            found.append(value)
    return found


def links(candidate, crawl, login):
    """The links that lead to the device: ``[{device, port, remote_port, protocols, known}]``,
    one per port of the device that sees it (LLDP and CDP of one port are one link)."""
    state = (login or {}).get("state") or {}
    own = list(state.get("interfaces") or {}) if state and m.section_ok(state, "interfaces") else []
    found = {}
    for item in candidate.sightings:
        seer_kind, seer = item.get("seer") or ("seed", item["seen_by"])
        device = item["seen_by"] if seer_kind == "seed" else crawl.name_of(seer)
        remote = item.get("remote_port")
        remote = next((name for name in own if remote and n.same(name, remote)), remote)
        key = (device, n.key(item.get("local_port") or ""))
        link = found.setdefault(key, {"device": device, "port": item.get("local_port"), "remote_port": remote,
                                      "protocols": [], "known": seer_kind == "seed"})
        link["protocols"] = _unique(link["protocols"] + [item.get("protocol")])
        link["remote_port"] = link["remote_port"] or remote
    return [found[k] for k in sorted(found, key=lambda k: (k[0], str(k[1])))]


def _interfaces(state):
    if not m.section_ok(state, "interfaces") or state.get("interfaces") is None:
        return None
    return [dict((f, iface.get(f)) for f in INTERFACE_FIELDS) for iface in state["interfaces"].values()]


def management(state, address):
    """``{address (CIDR), interface, vrf}`` of the interface that holds ``address``, else None."""
    try:
        wanted = ipaddress.ip_address(str(address))
    except ValueError:
        return None
    for name, iface in ((state or {}).get("interfaces") or {}).items():
        for cidr in list(iface.get("ipv4") or []) + list(iface.get("ipv6") or []):
            if ipaddress.ip_interface(cidr).ip == wanted:
                return {"address": cidr, "interface": name, "vrf": iface.get("vrf")}
    return None


def _site(candidate, crawl, sites):
    """``(site slug, None)`` from the devices that see it (NetBox devices first, then devices
    discovered before it), or ``(None, why not)``."""
    known, found = set(), set()
    for item in candidate.sightings:
        seer_kind, seer = item.get("seer") or ("seed", item["seen_by"])
        if seer_kind == "seed":
            device = crawl.index.device(seer)
            if device and device.get("site"):
                known.add(device["site"])
        elif (sites.get(seer) or (None,))[0]:
            found.add(sites[seer][0])
    chosen = known or found
    if len(chosen) == 1:
        return sorted(chosen)[0], None
    if chosen:
        return None, "its neighbours are in several sites (%s)" % ", ".join(sorted(chosen))
    return None, "no neighbour that sees it has a NetBox site"


def _netbox(value, crawl, site):
    """What NetBox would need to hold the device, and what it lacks (``missing``: the device
    cannot be created without them; ``left_out``: created without them)."""
    index, missing, left_out = crawl.index, [], []
    if site[0] is None:
        missing.append("a site: %s" % site[1])
    device_type = index.device_type(value["model"]) if value["model"] else None
    if value["model"] and not device_type:
        missing.append("a device type for model %s" % value["model"])
    elif not value["model"]:
        missing.append("a device type: its model is not known (%s)" % (
            "it was not logged into" if value["source"] != "login" else "the device did not say it"))
    role = index.role(crawl.role) if crawl.role else None
    if not role:
        why = "role %s is not in NetBox" % crawl.role if crawl.role else \
            "no role is given for discovered devices (discover_role)"
        missing.append("a role: %s" % why)
    platform = index.platform(value["platform"]) if value["platform"] else None
    if value["platform"] and not platform:
        left_out.append("platform %s is not in NetBox" % value["platform"])
    mgmt = value["mgmt"]
    if mgmt and mgmt.get("vrf") and not index.vrf(mgmt["vrf"]):
        left_out.append("its management address: VRF %s is not in NetBox" % mgmt["vrf"])
        mgmt = None
    elif value["source"] == "login" and not mgmt:
        left_out.append("its management address: %s is on none of its interfaces" % value["mgmt_address"])
    return {"site": site[0], "device_type": device_type, "role": role, "platform": platform,
            "management": mgmt, "missing": missing, "left_out": left_out}


def _learnt(candidate, crawl, login, name):
    """Everything learnt of a candidate (the record's ``discovered``)."""
    state = login.get("state") or {}
    facts = state.get("facts") or {}
    decision = crawl.decided.get(candidate.number) or ("not followed", "the crawl ended before it was decided")
    return {
        "name": name, "names": _unique([identity.short_name(i.get("name")) for i in candidate.sightings]
                                       + [identity.short_name(facts.get("hostname"))]),
        "chassis_id": next((i["chassis_id"] for i in candidate.sightings if i.get("chassis_id")), None),
        "mgmt_address": login.get("address") or next((identity.address_key(i.get("address"))
                                                      for i in candidate.sightings if i.get("address")), None),
        "description": next((i["description"] for i in candidate.sightings if i.get("description")), None),
        "capabilities": _unique([c for i in candidate.sightings for c in (i.get("capabilities") or [])]),
        "depth": candidate.depth, "source": "login" if state else "neighbours",
        "platform": state.get("platform") if state else None,
        "hostname": facts.get("hostname"), "model": facts.get("model"), "serial": facts.get("serial"),
        "os_version": facts.get("os_version"), "interfaces": _interfaces(state) if state else None,
        "neighbours_read": bool(state) and m.section_ok(state, "neighbors"),
        "links": links(candidate, crawl, login),
        "login": dict((k, login.get(k)) for k in ("address", "port", "credential", "error")) if login else None,
        "not_followed": decision[1] if decision[0] == "not followed" else None,
        "mgmt": management(state, login.get("address")) if state else None,
    }


def discovered(candidate, crawl, sites):
    """The ``missing_in_netbox`` record of one candidate: ``device_value`` the facts learnt,
    ``discovered`` everything (interfaces, links, login, what NetBox needs)."""
    login = crawl.logins.get(candidate.number) or {}
    name = best_name(candidate, login)
    value = _learnt(candidate, crawl, login, name)
    site = _site(candidate, crawl, sites)
    sites[candidate.number] = site
    value["site"] = site[0]
    value["netbox"] = _netbox(value, crawl, site)
    shown = ("name", "source", "platform", "model", "serial", "os_version", "mgmt_address", "chassis_id",
             "description", "site")
    facts = dict((k, value[k]) for k in shown)
    facts["interfaces"] = len(value["interfaces"]) if value["interfaces"] is not None else None
    rec = record("device", name, None, "missing_in_netbox", None, facts, _message(value))
    rec.pop("netbox_object")
    rec["device"] = name
    rec["discovered"] = value
    rec["evidence"] = {
        "command": None, "template": None, "device_lines": [], "netbox_url": None, "netbox_object": None,
        "seen_by": [dict((k, i.get(k)) for k in SIGHTING_FIELDS) for i in candidate.sightings],
        "chassis_id": value["chassis_id"], "mgmt_address": value["mgmt_address"], "login": value["login"],
    }
    return rec


def _message(value):
    seen = ", ".join("%s %s" % (link["device"], link["port"]) for link in value["links"])
    text = "%s is on the network and not in NetBox: seen by %s" % (value["name"], seen or "no port")
    if value["login"] and not value["login"].get("error"):
        return text + "; logged in at %s" % value["login"]["address"]
    if value["login"]:
        return text + "; the login at %s failed: %s" % (value["login"]["address"], value["login"]["error"])
    return text + "; not logged into: %s" % value["not_followed"]


def unseen(name, seed, device, tables):
    """The ``missing_on_device`` record of an inventory device NetBox has, nobody sees and
    that could not be reached."""
    ref = {"type": "dcim.device", "id": device.get("id"), "url": device.get("url"),
           "last_updated": device.get("last_updated")}
    value = dict((k, device.get(k)) for k in ("name", "site", "primary_ip4", "status"))
    rec = record("device", device["name"], None, "missing_on_device", value, None,
                 "NetBox has %s, but it could not be reached (%s) and none of the %d neighbour tables read "
                 "reports it" % (device["name"], seed["error"], tables))
    rec.pop("netbox_object")
    rec["device"] = name
    rec["evidence"] = {"command": None, "template": None, "device_lines": [], "netbox_url": device.get("url"),
                       "netbox_object": ref if ref["id"] else None, "collect_error": seed["error"]}
    return rec


def _unique_names(found):
    """Two devices seen under one name (told apart by their chassis IDs): each record's key
    and device say which is which, and neither is plannable under that name."""
    counts = {}
    for rec in found:
        counts[rec["key"].lower()] = counts.get(rec["key"].lower(), 0) + 1
    for rec in found:
        if rec["class"] != "missing_in_netbox" or counts[rec["key"].lower()] < 2:
            continue
        value = rec["discovered"]
        mark = value["chassis_id"] or value["mgmt_address"] or "#%d" % value["depth"]
        value["netbox"]["missing"].append("a name of its own: %d devices seen call themselves %s"
                                          % (counts[rec["key"].lower()], rec["key"]))
        rec["key"] = rec["device"] = rec["device_value"]["name"] = "%s (%s)" % (rec["key"], mark)


def build(crawl):
    """``{"records", "log"}`` of a crawl (``Crawl.result``)."""
    found, sites, reported, log = [], {}, set(), []
    for candidate in sorted(crawl.registry.candidates, key=lambda c: (c.depth, c.number)):
        decision = crawl.decided.get(candidate.number) or ("not followed", "the crawl ended before it was decided")
        entry = {"name": crawl.name_of(candidate.number), "depth": candidate.depth, "decision": decision[0],
                 "address": (crawl.logins.get(candidate.number) or {}).get("address")}
        if decision[0] == "known":
            kind, known_name, how = decision[1]
            reported.add(known_name.lower())
            entry.update(known_as="%s %s" % ("NetBox device" if kind == "netbox" else "inventory device", known_name),
                         matched_on=how)
        else:
            found.append(discovered(candidate, crawl, sites))
            entry["reason"] = decision[1]
        log.append(entry)
    for name, seed in sorted(crawl.seeds.items()):
        device = crawl.index.device(name)
        if seed["reached"] or device is None or crawl.tables == 0:
            continue
        if name.lower() not in reported and device["name"].lower() not in reported:
            found.append(unseen(name, seed, device, crawl.tables))
    _unique_names(found)
    attempts = [dict(((k, v) for k, v in login.items() if k != "state"), device=crawl.name_of(number),
                     result="failed" if login.get("error") else "ok")
                for number, login in sorted(crawl.logins.items())]
    return {"records": found, "log": {
        "allow": [str(net) for net in crawl.networks], "depth": crawl.depth, "limit": crawl.limit,
        "levels": crawl.level, "seeds": len(crawl.seeds), "neighbour_tables": crawl.tables,
        "unreached_seeds": sorted(name for name, seed in crawl.seeds.items() if not seed["reached"]),
        "candidates": log, "attempts": attempts, "anonymous_neighbours": crawl.anonymous,
        "unseen_judged": crawl.tables > 0}}
