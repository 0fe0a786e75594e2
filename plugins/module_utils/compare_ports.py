# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interfaces, IP addresses and cables: the per-port half of ``compare.py``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import records as c
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

L2_CLASS = {"access": "access", "tagged": "trunk", "tagged-all": "trunk", "q-in-q": "q-in-q"}
FHRP_ROLES = ("vip", "vrrp", "hsrp", "glbp", "carp")  # shared addresses a device does not list as its own


def _tagged(tags, options):
    ignore = options.get("ignore_tag")
    return bool(ignore) and ignore in (tags or [])


def _by_key(interfaces):
    return dict((names.key(name), iface) for name, iface in (interfaces or {}).items())


def device_mode(iface):
    """The device interface's mode in NetBox's words."""
    if iface.get("mode") == "access":
        return "access"
    if iface.get("mode") == "trunk":
        return "tagged-all" if iface.get("tagged_vlans") == "all" else "tagged"
    return None


def interfaces(intended, actual, defaults, options):
    want = dict((k, i) for k, i in _by_key(intended.get("interfaces")).items()
                if not _tagged(i.get("tags"), options))
    ignored = set(_by_key(intended.get("interfaces"))) - set(want)
    have = _by_key(actual.get("interfaces"))
    unconfigured = set(names.key(n) for n in actual.get("unconfigured") or ())
    implicit = set(names.key(n) for n in defaults.get("implicit_interfaces") or ())
    found = []
    for ikey in sorted(set(want) | set(have)):
        if ikey in ignored:
            continue
        if ikey not in have and ikey in unconfigured:
            blank = m.empty_interface(want[ikey]["name"])
            blank["enabled"] = bool(defaults.get("enabled", True))
            found.extend(_fields(want[ikey], blank, intended, defaults))
        elif ikey not in have:
            found.append(c.record("interface", want[ikey]["name"], None, "missing_on_device",
                                  netbox_view(want[ikey]), None, "interface is in NetBox but not on the device",
                                  c.netbox_ref(want[ikey], "dcim.interface")))
        elif ikey not in want:
            if ikey in implicit and not (have[ikey].get("description") or have[ikey].get("ipv4")):
                continue
            found.append(c.record("interface", have[ikey]["name"], None, "missing_in_netbox", None,
                                  device_view(have[ikey]), "interface is on the device but not in NetBox"))
        else:
            found.extend(_fields(want[ikey], have[ikey], intended, defaults))
    return found


def device_view(iface):
    """A device interface as NetBox would hold it (the values a new NetBox interface would get)."""
    mode = device_mode(iface)
    tagged = iface.get("tagged_vlans") if mode == "tagged" else []
    return {
        "name": iface["name"], "enabled": iface.get("enabled"), "description": iface.get("description") or "",
        "mtu": iface.get("mtu"), "mode": mode,
        "untagged_vlan": iface.get("access_vlan") if mode == "access" else iface.get("native_vlan"),
        "tagged_vlans": tagged or [], "lag": iface.get("lag"), "vrf": iface.get("vrf"),
    }


def netbox_view(iface):
    """A NetBox interface with the fields the comparison reads."""
    return dict((k, iface.get(k)) for k in ("name", "enabled", "description", "mtu", "mode", "untagged_vlan",
                                            "tagged_vlans", "lag", "vrf"))


def _interface_vrf(want, intended):
    """NetBox's VRF of an interface, or else the one VRF all its IP addresses are in."""
    if want.get("vrf"):
        return want["vrf"]
    vrfs = set(ip.get("vrf") for ip in (intended.get("ip_addresses") or {}).values()
               if names.same(ip.get("interface"), want["name"]))
    return vrfs.pop() if len(vrfs) == 1 else None


def _fields(want, have, intended, defaults):
    name, ref = want["name"], c.netbox_ref(want, "dcim.interface")
    diffs = []
    if have.get("name") and have["name"] != name:
        diffs.append(("name", name, have["name"], "name_only", "the device spells the name differently"))
    if want.get("enabled") is not None and have.get("enabled") is not None \
            and bool(want["enabled"]) != bool(have["enabled"]):
        diffs.append(("enabled", bool(want["enabled"]), bool(have["enabled"]), "mismatch",
                      "interface is %s on the device" % ("enabled" if have["enabled"] else "shut down")))
    if (want.get("description") or "").strip() != (have.get("description") or "").strip():
        diffs.append(("description", want.get("description") or "", have.get("description") or "",
                      "mismatch", "description differs"))
    default_mtu = defaults.get("mtu")
    left = want.get("mtu") if want.get("mtu") is not None else default_mtu
    right = have.get("mtu") if have.get("mtu") is not None else default_mtu
    if left != right:
        diffs.append(("mtu", want.get("mtu"), have.get("mtu"), "mismatch", "MTU differs"))
    if names.key(want.get("lag") or "") != names.key(have.get("lag") or ""):
        diffs.append(("lag", want.get("lag"), have.get("lag"), "mismatch", "LAG membership differs"))
    vrf = _interface_vrf(want, intended)
    if (vrf or None) != (have.get("vrf") or None):
        diffs.append(("vrf", vrf, have.get("vrf"), "mismatch", "VRF differs"))
    diffs.extend(_l2(want, have, defaults))
    return [c.record("interface", name, field, cls, nb, dev, msg, ref) for field, nb, dev, cls, msg in diffs]


def _l2(want, have, defaults):
    """Mode and VLANs. NetBox's "no mode" equals a device port left in its default access VLAN."""
    nb_class = L2_CLASS.get(want.get("mode"), want.get("mode"))
    dev_class = have.get("mode") if have.get("mode") in ("access", "trunk") else None
    default_access = defaults.get("access_vlan", 1)
    if nb_class == "q-in-q":
        return []  # the model has no Q-in-Q yet: not compared rather than wrongly
    if nb_class is None and dev_class == "access" and have.get("access_vlan") in (None, default_access):
        return []
    if nb_class != dev_class:
        return [("mode", want.get("mode"), device_mode(have), "mismatch", "switchport mode differs")]
    if nb_class == "access":
        left = want.get("untagged_vlan") if want.get("untagged_vlan") is not None else default_access
        if left != have.get("access_vlan"):
            return [("untagged_vlan", want.get("untagged_vlan"), have.get("access_vlan"), "mismatch",
                     "access VLAN differs")]
        return []
    if nb_class == "trunk":
        return _trunk(want, have, defaults)
    return []


def _trunk(want, have, defaults):
    diffs = []
    native = want.get("untagged_vlan") if want.get("untagged_vlan") is not None else defaults.get("native_vlan")
    if native != have.get("native_vlan"):
        diffs.append(("untagged_vlan", want.get("untagged_vlan"), have.get("native_vlan"), "mismatch",
                      "native VLAN differs"))
    left = "all" if want.get("mode") == "tagged-all" else sorted(set(want.get("tagged_vlans") or ()))
    right = have.get("tagged_vlans")
    right = "all" if right == "all" else sorted(set(right or ()))
    if left == "all" or right == "all":
        same = left == right
    else:
        same = set(left) - set([native]) == set(right) - set([have.get("native_vlan")])
    if not same:
        diffs.append(("tagged_vlans", left, right, "mismatch", "tagged VLANs differ"))
    return diffs


def _host(cidr):
    return str(ipaddress.ip_interface(cidr).ip)


def addresses(intended, actual, options):
    skip = set(names.key(n) for n, i in (intended.get("interfaces") or {}).items()
               if _tagged(i.get("tags"), options))
    want = {}
    for cidr, entry in (intended.get("ip_addresses") or {}).items():
        if entry.get("role") in FHRP_ROLES or names.key(entry.get("interface") or "") in skip:
            continue
        want[_host(cidr)] = entry
    have = {}
    for name, iface in (actual.get("interfaces") or {}).items():
        for cidr in list(iface.get("ipv4") or []) + list(iface.get("ipv6") or []):
            if ipaddress.ip_interface(cidr).is_link_local or names.key(name) in skip:
                continue
            have[_host(cidr)] = {"address": cidr, "interface": name, "vrf": iface.get("vrf")}
    found = []
    for host in sorted(set(want) | set(have)):
        nb, dev = want.get(host), have.get(host)
        ref = c.netbox_ref(nb, "ipam.ipaddress")
        if dev is None:
            found.append(c.record("ip_address", nb["address"], None, "missing_on_device", nb.get("interface"),
                                  None, "address is in NetBox but not configured on the device", ref))
        elif nb is None:
            found.append(c.record("ip_address", dev["address"], None, "missing_in_netbox", None, dev,
                                  "address is configured on the device but not in NetBox"))
        else:
            found.extend(_address_fields(nb, dev, ref))
    return found


def _address_fields(nb, dev, ref):
    found, key = [], nb["address"]
    if not names.same(nb.get("interface") or "", dev["interface"]):
        found.append(c.record("ip_address", key, "interface", "mismatch", nb.get("interface"), dev["interface"],
                              "address is on %s on the device" % dev["interface"], ref))
    left = ipaddress.ip_interface(nb["address"]).network.prefixlen
    right = ipaddress.ip_interface(dev["address"]).network.prefixlen
    if left != right:
        found.append(c.record("ip_address", key, "prefix_length", "mismatch", left, right, "prefix length differs", ref))
    if (nb.get("vrf") or None) != (dev.get("vrf") or None):
        found.append(c.record("ip_address", key, "vrf", "mismatch", nb.get("vrf"), dev.get("vrf"),
                              "VRF differs", ref))
    return found


def _system(name):
    return str(name or "").strip().lower().split(".", 1)[0] or None


def _peer(neighbor, options):
    """The neighbour as a cable's far end: NetBox's device name when it is a known device."""
    system = _system(neighbor.get("remote_system"))
    known = dict((_system(n), n) for n in options.get("known_devices") or ())
    platform = (options.get("device_platforms") or {}).get(system)
    port = neighbor.get("remote_port")
    return {"device": known.get(system, neighbor.get("remote_system")),
            "port": names.long_name(port, platform) if port else port}


def cables(intended, actual, options):
    seen = {}
    for neighbor in actual.get("neighbors") or []:
        seen.setdefault(names.key(neighbor["local_port"]), []).append(neighbor)
    known = set(_system(n) for n in options.get("known_devices") or ())
    have = _by_key(actual.get("interfaces"))
    found, cabled = [], set()
    nb_ports = _by_key(intended.get("interfaces"))
    for ikey, iface in sorted(nb_ports.items()):
        cable = iface.get("cable")
        if _tagged(iface.get("tags"), options):
            cabled.add(ikey)  # ignored: neither its cable nor its neighbour is judged
            continue
        if not cable:
            continue
        cabled.add(ikey)
        if cable.get("peer_type") not in (None, "dcim.interface"):
            continue  # a circuit or a patch panel: LLDP sees beyond it, not compared
        found.extend(_one_cable(iface, cable, seen.get(ikey), have.get(ikey), known, options))
    for ikey in sorted(set(seen) - cabled):
        neighbor = seen[ikey][0]
        if _system(neighbor.get("remote_system")) not in known and not options.get("report_unknown_neighbors"):
            continue
        name = nb_ports[ikey]["name"] if ikey in nb_ports else neighbor["local_port"]
        found.append(c.record("cable", name, "peer", "missing_in_netbox", None, _peer(neighbor, options),
                              "a neighbour is seen where NetBox has no cable", c.netbox_ref(nb_ports.get(ikey), "dcim.interface")))
    return found


def _one_cable(iface, cable, neighbors, device_iface, known, options):
    want = {"device": cable.get("peer_device"), "port": cable.get("peer_port")}
    ref = {"type": "dcim.cable", "id": cable.get("id"), "url": cable.get("url"),
           "last_updated": cable.get("last_updated")}
    if not neighbors:
        down = iface.get("enabled") is False or (device_iface or {}).get("enabled") is False
        if down or _system(want["device"]) not in known:
            return []  # a shut port or a peer the run does not manage need not speak LLDP
        return [c.record("cable", iface["name"], "peer", "missing_on_device", want, None,
                         "no LLDP/CDP neighbour is seen on this cabled port", ref)]
    for neighbor in neighbors:
        if _system(neighbor.get("remote_system")) == _system(want["device"]) \
                and names.same(neighbor.get("remote_port") or "", want["port"] or ""):
            return []
    return [c.record("cable", iface["name"], "peer", "mismatch", want, _peer(neighbors[0], options),
                     "the neighbour seen is not the cable's far end", ref)]
