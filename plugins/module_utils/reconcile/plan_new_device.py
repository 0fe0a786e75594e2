# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NetBox changes that would document a device discovery found (``device``/
``missing_in_netbox``), as ``netbox.netbox`` module parameters, approved like any other.

One group per device (``c-<drift id>``, approved whole, never in part): the device
(its site from its neighbours, device type, role, platform, serial, OS version), its
interfaces, its management address and that address as its primary IP, and a cable to
each device NetBox knows that sees it. Everything named must already be in NetBox: the
record says what NetBox lacks (``discovered.netbox.missing``: a device type, a role, a
site), and such a device is not plannable, with that list as the reason; nothing is
invented. What NetBox lacks but the device does not need (a platform, the VRF of its
management address) is left out. A NetBox device nobody sees (``missing_on_device``)
is never removed on that evidence.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile.plan_changes import (
    MGMT_NAME,
    Refused,
    _change,
    _interface_type,
)


def _step(rec, number, kind, key, module, data, after, field=None):
    change = _change(rec, "create", module, {"data": data, "state": "present"}, None, after, step=number)
    change.update(kind=kind, key=key, field=field)
    return change


def _device(rec, found, netbox, opts):
    # netbox.netbox 3.21 names the role device_role (and sends it as NetBox 4's role)
    data = {"name": rec["key"], "device_type": netbox["device_type"], "device_role": netbox["role"],
            "site": netbox["site"], "status": "active"}
    if netbox.get("platform"):
        data["platform"] = netbox["platform"]
    if found.get("serial"):
        data["serial"] = found["serial"]
    if found.get("os_version") and opts.get("os_version_field"):
        data["custom_fields"] = {opts["os_version_field"]: found["os_version"]}
    return data


def _interfaces(rec, found, mgmt, opts):
    """``[(name, data)]``: the interfaces the login read, else the ports the links name."""
    listed = found.get("interfaces")
    if listed is None:
        listed = [{"name": link["remote_port"], "enabled": True} for link in found.get("links") or []
                  if link.get("remote_port")]
    steps, seen = [], set()
    for iface in listed:
        if not iface.get("name") or names.key(iface["name"]) in seen:
            continue
        seen.add(names.key(iface["name"]))
        data = {"device": rec["key"], "name": iface["name"], "type": _interface_type(iface["name"], opts),
                "enabled": iface.get("enabled") is not False}
        for field in ("description", "mtu"):
            if iface.get(field) not in (None, ""):
                data[field] = iface[field]
        if mgmt and names.same(iface["name"], mgmt["interface"]) and MGMT_NAME.match(iface["name"]):
            data["mgmt_only"] = True
        steps.append((iface["name"], data))
    return steps


def new_device(rec, opts):
    """The changes of one discovered device (see the module docstring)."""
    found = rec.get("discovered")
    if not isinstance(found, dict) or not isinstance(found.get("netbox"), dict):
        raise Refused("the record holds no discovered device")
    netbox = found["netbox"]
    if netbox.get("missing"):
        raise Refused("NetBox lacks what the device needs, and it is not invented: %s; add it to NetBox (or give "
                      "discover_role) and discover again" % "; ".join(netbox["missing"]))
    name, mgmt = rec["key"], netbox.get("management")
    device = _device(rec, found, netbox, opts)
    changes = [_step(rec, 1, "device", name, "netbox_device", device,
                     dict((k, device.get(k)) for k in ("site", "device_type", "device_role", "platform", "serial")))]
    interfaces = _interfaces(rec, found, mgmt, opts)
    for iface, data in interfaces:
        changes.append(_step(rec, len(changes) + 1, "interface", iface, "netbox_device_interface", data,
                             dict((k, v) for k, v in data.items() if k not in ("device", "name"))))
    planned = [iface for iface, _data in interfaces]
    if mgmt and any(names.same(mgmt["interface"], iface) for iface in planned):
        data = {"address": mgmt["address"], "status": "active",
                "assigned_object": {"device": name, "name": mgmt["interface"]}}
        if mgmt.get("vrf"):
            data["vrf"] = mgmt["vrf"]
        changes.append(_step(rec, len(changes) + 1, "ip_address", mgmt["address"], "netbox_ip_address", data,
                             {"interface": mgmt["interface"], "vrf": mgmt.get("vrf")}))
        field = "primary_ip6" if ":" in mgmt["address"] else "primary_ip4"
        changes.append(_step(rec, len(changes) + 1, "device", name, "netbox_device", {"name": name, field: mgmt["address"]},
                             mgmt["address"], field=field))
    for link in found.get("links") or []:
        remote = next((iface for iface in planned if names.same(iface, link.get("remote_port") or "")), None)
        if not (link.get("known") and link.get("port") and remote):
            continue
        data = {"termination_a_type": "dcim.interface", "termination_a": {"device": link["device"], "name": link["port"]},
                "termination_b_type": "dcim.interface", "termination_b": {"device": name, "name": remote},
                "status": "connected"}
        changes.append(_step(rec, len(changes) + 1, "cable", remote, "netbox_cable", data,
                             {"device": link["device"], "port": link["port"]}, field="peer"))
    return changes


def unseen(rec, opts):
    raise Refused("a NetBox device that nobody sees and that cannot be reached is not removed on that evidence: "
                  "check it by hand (it may be switched off, moved or gone)")


def new_device_groups(changes):
    """``{group: device name}`` of the groups that create a device: their other steps need it."""
    return dict((c["group"], c["key"]) for c in changes
                if c.get("group") and c.get("kind") == "device" and c.get("action") == "create" and not c.get("field"))


def needs_new_device(change, groups):
    """The name of the device a step needs that an earlier step of its group creates, else None."""
    group = change.get("group")
    if group not in groups or (change.get("kind") == "device" and not change.get("field")):
        return None
    return groups[group]


PLANNERS = {
    ("device", "missing_in_netbox"): new_device,
    ("device", "missing_on_device"): unseen,
}
