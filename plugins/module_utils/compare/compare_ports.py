# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interfaces: NetBox's against the device's, field by field (``compare.py`` runs it;
addresses are ``compare_addresses.py``, cables ``compare_cables.py``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import records as c
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

L2_CLASS = {"access": "access", "tagged": "trunk", "tagged-all": "trunk", "q-in-q": "q-in-q"}


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


def _virtual(name, defaults):
    """Interfaces that exist because the configuration creates them (not ports)."""
    prefixes = list(defaults.get("never_switchport") or ()) + [str(defaults.get("lag_name") or "").split("{", 1)[0]]
    return name.lower().startswith(tuple(p.lower() for p in prefixes if p))


def factory_ports(intended, actual, defaults):
    """Names of the device's ports that NetBox does not hold and whose configuration is
    the platform's factory setting (EOS and IOS print an empty ``interface`` block for
    every port): hardware that is there, not something someone configured. They are not
    reported unless the policy asks (``report_unconfigured``)."""
    want = _by_key(intended.get("interfaces"))
    found = []
    for ikey, iface in sorted(_by_key(actual.get("interfaces")).items()):
        if ikey in want or _virtual(iface["name"], defaults):
            continue
        if any(iface.get(f) for f in ("description", "ipv4", "ipv6", "anycast", "lag", "vrf")) \
                or iface.get("mtu") is not None or iface.get("voice_vlan") is not None or iface.get("mode") == "trunk":
            continue
        if iface.get("mode") == "access" and iface.get("access_vlan") not in (None, defaults.get("access_vlan", 1)):
            continue
        if iface.get("enabled") is False and bool(defaults.get("enabled", True)):
            continue
        found.append(iface["name"])
    return found


def interfaces(intended, actual, defaults, options):
    want = dict((k, i) for k, i in _by_key(intended.get("interfaces")).items()
                if not _tagged(i.get("tags"), options))
    ignored = set(_by_key(intended.get("interfaces"))) - set(want)
    ignored |= set(names.key(i.get("key") or "") for i in intended.get("problems") or () if i.get("kind") == "interface")
    if not options.get("report_unconfigured"):
        ignored |= set(names.key(n) for n in factory_ports(intended, actual, defaults))
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
            found.extend(_fields(want[ikey], blank, intended, defaults, options))
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
            found.extend(_fields(want[ikey], have[ikey], intended, defaults, options, actual.get("vlans")))
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
    vrfs = set(ip.get("vrf") for ip in intended.get("ip_addresses") or ()
               if names.same(ip.get("interface"), want["name"]))
    return vrfs.pop() if len(vrfs) == 1 else None


def _fields(want, have, intended, defaults, options, device_vlans=None):
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
    diffs.extend(_l2(want, have, defaults, options, device_vlans))
    return [c.record("interface", name, field, cls, nb, dev, msg, ref) for field, nb, dev, cls, msg in diffs]


def _l2(want, have, defaults, options, device_vlans):
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
        return _trunk(want, have, defaults, options, device_vlans)
    return []


TAGGED_ALL = ("strict", "range", "defined")


def covers_all(vids, policy, device_vlans=None):
    """Whether a device's allowed-VLAN list means NetBox's ``tagged-all`` (policy
    ``tagged_all``): ``strict``, only an unrestricted trunk (no list, ``all``, 1-4094);
    ``range`` (the default), also a list covering 2-4094 (VLAN 1 is often left out of
    trunks on purpose); ``defined``, also a list covering every VLAN the device defines
    (the platform's dynamic VLANs aside)."""
    if vids == "all":
        return True
    allowed = set(vids or ())
    if policy in ("range", "defined") and allowed >= set(range(2, 4095)):
        return True
    if policy == "defined" and device_vlans:
        defined = set(int(v["vid"]) for v in device_vlans.values() if not v.get("dynamic"))
        return bool(defined) and allowed >= defined
    return False


def _trunk(want, have, defaults, options, device_vlans):
    diffs = []
    native = want.get("untagged_vlan") if want.get("untagged_vlan") is not None else defaults.get("native_vlan")
    if native != have.get("native_vlan"):
        diffs.append(("untagged_vlan", want.get("untagged_vlan"), have.get("native_vlan"), "mismatch",
                      "native VLAN differs"))
    left = "all" if want.get("mode") == "tagged-all" else sorted(set(want.get("tagged_vlans") or ()))
    right = have.get("tagged_vlans")
    right = "all" if right == "all" else sorted(set(right or ()))
    if left == "all":
        same = covers_all(right, options.get("tagged_all") or "range", device_vlans)
    elif right == "all":
        same = False
    else:
        same = set(left) - set([native]) == set(right) - set([have.get("native_vlan")])
    if not same:
        diffs.append(("tagged_vlans", left, right, "mismatch", "tagged VLANs differ"))
    return diffs
