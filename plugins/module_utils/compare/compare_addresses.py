# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses: NetBox's against the device's, identified by VRF and address together.

Real networks hold the same address more than once: a /31 in several VRFs of one
device, an anycast gateway on every leaf, an address shared by redundant peers. So an
address is matched by (VRF, host address) first, on the same interface where several
share the key; what is left is matched by host address and interface across VRFs (a
VRF difference); what is still left is missing on one side.

Shared addresses (``anycast`` in both models: EOS ``ip address virtual`` and VARP,
NX-OS anycast gateways; NetBox roles anycast, vip, vrrp, hsrp, glbp, carp) are
compared with the device's shared addresses. A NetBox address of a first-hop
redundancy role (vip, vrrp, hsrp, glbp, carp) that the device model does not show is
not reported: the templates do not read those protocols; nor is a NetBox IPv6 address
inside a prefix the interface configures with ``eui-64`` (its host part comes from the
MAC, which the configuration does not show). A NetBox anycast address the
device does not answer for is missing; an address one side shares and the other holds
as its own is a ``role`` difference.

Record keys are the address as NetBox (or, when NetBox lacks it, the device) holds it,
followed by `` vrf NAME`` outside the global table: ``10.1.10.1/24 vrf Tenant_A``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import records as c

SHARED_ROLES = ("anycast", "vip", "vrrp", "hsrp", "glbp", "carp")
UNREAD_ROLES = ("vip", "vrrp", "hsrp", "glbp", "carp")  # first-hop redundancy: not in the device model


def key_of(address, vrf):
    """A record key: the address, with its VRF outside the global table."""
    return address if not vrf else "%s vrf %s" % (address, vrf)


def split_key(key):
    """``(address, vrf)`` of a record key made by ``key_of``."""
    parts = str(key).split(" vrf ", 1)
    return parts[0], (parts[1] if len(parts) > 1 else None) or None


def _entry(address, interface, vrf, shared, role=None, netbox=None):
    ip = ipaddress.ip_interface(address)
    return {"address": address, "host": str(ip.ip), "vrf": vrf or None, "interface": interface,
            "shared": shared, "role": role, "netbox": netbox}


def netbox_entries(intended, skip):
    found = []
    for raw in intended.get("ip_addresses") or []:
        if names.key(raw.get("interface") or "") in skip:
            continue
        role = raw.get("role")
        found.append(_entry(raw["address"], raw.get("interface"), raw.get("vrf"), role in SHARED_ROLES,
                            role, raw))
    return found


def device_entries(actual, skip):
    found = []
    for name, iface in sorted((actual.get("interfaces") or {}).items()):
        if names.key(name) in skip:
            continue
        for shared, field in ((False, "ipv4"), (False, "ipv6"), (True, "anycast")):
            for address in iface.get(field) or []:
                if ipaddress.ip_interface(address).is_link_local:
                    continue
                found.append(_entry(address, name, iface.get("vrf"), shared, "anycast" if shared else None))
    return found


def _take(pool, match):
    for index, item in enumerate(pool):
        if match(item):
            return pool.pop(index)
    return None


def pair(want, have):
    """``(pairs, netbox only, device only)``: by (VRF, host) on the same interface, then
    by (VRF, host), then by host on the same interface across VRFs."""
    want, have = list(want), list(have)
    pairs = []
    passes = (
        lambda nb, dev: nb["vrf"] == dev["vrf"] and nb["host"] == dev["host"]
        and names.same(nb["interface"] or "", dev["interface"]),
        lambda nb, dev: nb["vrf"] == dev["vrf"] and nb["host"] == dev["host"],
        lambda nb, dev: nb["host"] == dev["host"] and names.same(nb["interface"] or "", dev["interface"]),
    )
    for same in passes:
        left = []
        for nb in want:
            dev = _take(have, lambda d: same(nb, d))
            if dev is None:
                left.append(nb)
            else:
                pairs.append((nb, dev))
        want = left
    return pairs, want, have


def _view(entry):
    return {"address": entry["address"], "interface": entry["interface"], "vrf": entry["vrf"],
            "role": entry["role"] if entry["shared"] else None}


def _differences(nb, dev):
    key, ref = key_of(nb["address"], nb["vrf"]), c.netbox_ref(nb["netbox"], "ipam.ipaddress")
    found = []
    if not names.same(nb["interface"] or "", dev["interface"]):
        found.append(c.record("ip_address", key, "interface", "mismatch", nb["interface"], dev["interface"],
                              "address is on %s on the device" % dev["interface"], ref))
    left = ipaddress.ip_interface(nb["address"]).network.prefixlen
    right = ipaddress.ip_interface(dev["address"]).network.prefixlen
    if left != right:
        found.append(c.record("ip_address", key, "prefix_length", "mismatch", left, right, "prefix length differs", ref))
    if nb["vrf"] != dev["vrf"]:
        found.append(c.record("ip_address", key, "vrf", "mismatch", nb["vrf"], dev["vrf"], "VRF differs", ref))
    if nb["shared"] != dev["shared"]:
        message = ("the device answers for it together with other devices (anycast)" if dev["shared"]
                   else "NetBox gives it the shared role %s; the device holds it as its own" % nb["role"])
        found.append(c.record("ip_address", key, "role", "mismatch", nb["role"], dev["role"], message, ref))
    return found


def _eui64_prefixes(actual):
    """``{interface key: [network]}`` of the device's ``ipv6 address P/64 eui-64`` prefixes."""
    found = {}
    for name, iface in (actual.get("interfaces") or {}).items():
        for prefix in iface.get("ipv6_eui64") or ():
            found.setdefault(names.key(name), []).append(ipaddress.ip_network(prefix, strict=False))
    return found


def _in_eui64(nb, eui64):
    """An address the device forms from its MAC in a configured eui-64 prefix: the
    configuration does not say its host part, so it is not missing."""
    ip = ipaddress.ip_interface(nb["address"])
    return any(ip.version == 6 and ip.ip in net and ip.network.prefixlen == net.prefixlen
               for net in eui64.get(names.key(nb["interface"] or ""), ()))


def addresses(intended, actual, options):
    """Raw drift records of the device's IP addresses (see the module docstring)."""
    skip = set(names.key(n) for n, i in (intended.get("interfaces") or {}).items()
               if options.get("ignore_tag") and options["ignore_tag"] in (i.get("tags") or []))
    unread = set(str(p.get("key") or "").split("/", 1)[0].strip().lower() for p in intended.get("problems") or ()
                 if p.get("kind") == "ip_address")  # NetBox holds it in a shape the model cannot read
    have = [d for d in device_entries(actual, skip) if d["host"] not in unread]
    pairs, netbox_only, device_only = pair(netbox_entries(intended, skip), have)
    found = []
    for nb, dev in pairs:
        found.extend(_differences(nb, dev))
    eui64 = _eui64_prefixes(actual)
    for nb in netbox_only:
        if nb["role"] in UNREAD_ROLES or _in_eui64(nb, eui64):
            continue
        found.append(c.record("ip_address", key_of(nb["address"], nb["vrf"]), None, "missing_on_device",
                              nb["interface"], None, "address is in NetBox but not configured on the device",
                              c.netbox_ref(nb["netbox"], "ipam.ipaddress")))
    for dev in device_only:
        found.append(c.record("ip_address", key_of(dev["address"], dev["vrf"]), None, "missing_in_netbox", None,
                              _view(dev), "address is configured on the device but not in NetBox"))
    return found
