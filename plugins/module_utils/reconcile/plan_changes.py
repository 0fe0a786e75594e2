# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NetBox change that resolves one drift record, as ``netbox.netbox`` module
parameters: one planner per (kind, class) in ``PLANNERS``. A planner returns the
changes, or raises ``Refused`` (cannot be planned) or ``Declined`` (deliberately not
planned: deletions off, the management interface, the primary IP).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare.compare_addresses import split_key

INTERFACE_FIELDS = ("description", "enabled", "mtu", "mode", "untagged_vlan", "tagged_vlans", "lag", "vrf")
MGMT_NAME = re.compile(r"^(mgmt|management|ma|fxp|em|me|vme)\d", re.IGNORECASE)
LAG_NAME = re.compile(r"^(port-channel|po|ae|bond)\d", re.IGNORECASE)
VIRTUAL_NAME = re.compile(r"^(loopback|lo|vlan|vl|irb|tunnel|tu|null|nve)\d*(\.\d+)?$", re.IGNORECASE)
_NULL = ("the netbox.netbox modules drop a null value (netbox-community/ansible_modules issue #1159), so %s "
         "cannot be cleared through them: clear it in NetBox by hand")


class Refused(Exception):
    """The record cannot be planned (``unplannable``)."""


class Declined(Exception):
    """The record is deliberately not planned (``skipped``): deletions off, safety rules."""


def _change(rec, action, module, params, before=None, after=None, step=None):
    obj = None
    if action != "create":
        ref = (rec.get("evidence") or {}).get("netbox_object") or {}
        if not ref.get("id"):
            raise Refused("the record names no NetBox object to check before changing it")
        obj = dict((k, ref.get(k)) for k in ("type", "id", "url", "last_updated"))
    change = {"change_id": "c-%s%s" % (rec["id"], "" if step is None else ".%d" % step),
              "drift_id": rec["id"], "device": rec["device"], "kind": rec["kind"], "key": rec["key"],
              "field": rec.get("field"), "action": action, "module": "netbox.netbox." + module,
              "data": params, "object": obj, "before": before, "after": after}
    if step is not None:
        change["group"] = "c-" + rec["id"]
    return change


def _update(rec, module, data, query_params=None):
    params = {"data": data, "state": "present"}
    if query_params:
        params["query_params"] = query_params
    return [_change(rec, "update", module, params, rec.get("netbox_value"), rec.get("device_value"))]


def _site(device, opts, what):
    site = opts["sites"].get(device)
    if not site:
        raise Refused("%s needs the NetBox site of %s (option sites)" % (what, device))
    return site


def _vlan_ref(vid, device, opts):
    """A VLAN of the device's site: by its VLAN group where NetBox scopes it by one."""
    group = (opts["vlan_groups"].get(device) or {}).get(str(vid))
    if group:
        return {"vid": int(vid), "vlan_group": group}
    return {"vid": int(vid), "site": _site(device, opts, "a VLAN reference")}


def _interface_value(field, value, device, opts, netbox_value=None):
    if field == "tagged_vlans" and value == "all":
        return {"mode": "tagged-all"}
    if value is None:
        raise Refused(_NULL % field)
    if field == "untagged_vlan":
        return {"untagged_vlan": _vlan_ref(value, device, opts)}
    if field == "tagged_vlans":
        data = {"tagged_vlans": [_vlan_ref(vid, device, opts) for vid in value]}
        if netbox_value == "all":
            data["mode"] = "tagged"
        return data
    if field == "lag":
        return {"lag": {"name": value}}
    return {field: value}


def _interface_update(rec, opts):
    if rec.get("field") not in INTERFACE_FIELDS:
        raise Refused("interface field %s is not planned" % rec.get("field"))
    data = {"device": rec["device"], "name": rec["key"]}
    data.update(_interface_value(rec["field"], rec.get("device_value"), rec["device"], opts, rec.get("netbox_value")))
    return _update(rec, "netbox_device_interface", data)


def _interface_type(name, opts):
    if LAG_NAME.match(name):
        return "lag"
    if VIRTUAL_NAME.match(name):
        return "virtual"
    return opts["interface_type"]


def _interface_create(rec, opts):
    view = rec.get("device_value")
    if not isinstance(view, dict):
        raise Refused("the record holds no device interface")
    data = {"device": rec["device"], "name": rec["key"], "type": _interface_type(rec["key"], opts)}
    for field in INTERFACE_FIELDS:
        value = view.get(field)
        if value is None or value == "" or value == []:
            continue
        if field == "tagged_vlans" and view.get("mode") == "tagged-all":
            continue
        data.update(_interface_value(field, value, rec["device"], opts))
    return [_change(rec, "create", "netbox_device_interface", {"data": data, "state": "present"}, None, view)]


def _is_mgmt(device, name, netbox_value, opts):
    listed = opts["mgmt_interfaces"].get(device) or []
    listed = [listed] if isinstance(listed, str) else listed
    return bool((netbox_value or {}).get("mgmt_only") if isinstance(netbox_value, dict) else False) \
        or any(names.same(name, other) for other in listed) \
        or bool(MGMT_NAME.match(name)) or bool(MGMT_NAME.match(str(names.key(name))))


def _guard_delete(rec, opts, interface):
    """Raise unless deleting what sits on ``interface`` is allowed (deletions on, not mgmt, not primary)."""
    device = rec["device"]
    if not opts["allow_delete"]:
        raise Declined("deletions are off (allow_delete)")
    if interface and _is_mgmt(device, interface, rec.get("netbox_value"), opts):
        raise Declined("never deletes on the management interface %s" % interface)
    if device not in opts["primary_interfaces"]:
        raise Declined("the primary IP interface of %s is not known (option primary_interfaces)" % device)
    primary = opts["primary_interfaces"][device] or []
    primary = [primary] if isinstance(primary, str) else primary
    if interface and any(names.same(interface, other) for other in primary):
        raise Declined("never deletes on %s, the interface of the primary IP" % interface)


def _interface_delete(rec, opts):
    _guard_delete(rec, opts, rec["key"])
    params = {"data": {"device": rec["device"], "name": rec["key"]}, "state": "absent"}
    return [_change(rec, "delete", "netbox_device_interface", params, rec.get("netbox_value"), None)]


def _address_update(rec, opts):
    field, value = rec.get("field"), rec.get("device_value")
    if field not in ("interface", "vrf"):
        raise Refused("the address is NetBox's key for an IP address; change its %s by hand" % field)
    if value is None:
        raise Refused(_NULL % field)
    address, vrf = split_key(rec["key"])
    data = {"address": address}
    if field == "interface":
        data["assigned_object"] = {"device": rec["device"], "name": value}
        if vrf:  # the same address may be in several VRFs: find the one in this VRF
            data["vrf"] = vrf
            return _update(rec, "netbox_ip_address", data, ["address", "vrf"])
    else:
        data["vrf"] = value  # found by address alone: where it is in several VRFs the module refuses
    return _update(rec, "netbox_ip_address", data, ["address"])


def _address_create(rec, opts):
    view = rec.get("device_value")
    if not isinstance(view, dict) or not view.get("interface"):
        raise Refused("the record holds no device address")
    data = {"address": view.get("address") or split_key(rec["key"])[0], "status": "active",
            "assigned_object": {"device": rec["device"], "name": view["interface"]}}
    if view.get("vrf"):
        data["vrf"] = view["vrf"]
    return [_change(rec, "create", "netbox_ip_address", {"data": data, "state": "present"}, None, view)]


def _address_delete(rec, opts):
    interface = rec.get("netbox_value")
    _guard_delete(rec, opts, interface if isinstance(interface, str) else None)
    address, vrf = split_key(rec["key"])
    data = {"address": address}
    if vrf:
        data["vrf"] = vrf
    if isinstance(interface, str) and interface:
        data["assigned_object"] = {"device": rec["device"], "name": interface}
    return [_change(rec, "delete", "netbox_ip_address", {"data": data, "state": "absent"}, interface, None)]


def _vlan_create(rec, opts):
    if not rec.get("device_value"):
        raise Refused("the device gives VLAN %s no name, and NetBox needs one" % rec["key"])
    data = {"name": rec["device_value"], "vid": int(rec["key"]), "status": "active",
            "site": _site(rec["device"], opts, "creating a VLAN")}
    return [_change(rec, "create", "netbox_vlan", {"data": data, "state": "present"}, None, rec["device_value"])]


def _refuse(reason):
    def planner(rec, opts):
        raise Refused(reason)
    return planner


def _cable_params(device, port, peer, state):
    if not (isinstance(peer, dict) and peer.get("device") and peer.get("port")):
        raise Refused("the cable's far end is not known (%r)" % (peer,))
    return {"data": {"termination_a_type": "dcim.interface", "termination_a": {"device": device, "name": port},
                     "termination_b_type": "dcim.interface",
                     "termination_b": {"device": peer["device"], "name": peer["port"]}}, "state": state}


def _cable_create(rec, opts):
    params = _cable_params(rec["device"], rec["key"], rec.get("device_value"), "present")
    params["data"]["status"] = "connected"
    return [_change(rec, "create", "netbox_cable", params, None, rec.get("device_value"))]


def _cable_fix(rec, opts):
    """The wrong cable out, the seen one in: two steps approved together (``group``)."""
    if not opts["allow_delete"]:
        raise Declined("fixing the cable deletes NetBox's cable; deletions are off (allow_delete)")
    if _is_mgmt(rec["device"], rec["key"], None, opts):
        raise Declined("never deletes on the management interface %s" % rec["key"])
    old = _cable_params(rec["device"], rec["key"], rec.get("netbox_value"), "absent")
    new = _cable_create(rec, opts)[0]
    new.update(change_id="c-%s.2" % rec["id"], group="c-" + rec["id"])
    return [_change(rec, "delete", "netbox_cable", old, rec.get("netbox_value"), None, step=1), new]


def _device_update(rec, opts):
    field, value = rec.get("field"), rec.get("device_value")
    if field == "model":
        raise Refused("a different model is a different NetBox device type; change it by hand")
    if value is None or field not in ("serial", "platform", "os_version"):
        raise Refused(_NULL % field if value is None else "device field %s is not planned" % field)
    data = {"name": rec["device"]}
    if field == "platform":
        slug_style = "-" in str(rec.get("netbox_value") or "")
        data["platform"] = value.replace("_", "-") if slug_style else value
    elif field == "os_version":
        if not opts.get("os_version_field"):
            raise Refused("the report does not say which custom field the check read the OS version from "
                          "(run.settings.os_version_field): give os_version_field")
        data["custom_fields"] = {opts["os_version_field"]: value}
    else:
        data[field] = value
    return _update(rec, "netbox_device", data)


PLANNERS = {
    ("interface", "mismatch"): _interface_update,
    ("interface", "missing_in_netbox"): _interface_create,
    ("interface", "missing_on_device"): _interface_delete,
    ("ip_address", "mismatch"): _address_update,
    ("ip_address", "missing_in_netbox"): _address_create,
    ("ip_address", "missing_on_device"): _address_delete,
    ("vlan", "missing_in_netbox"): _vlan_create,
    ("vlan", "mismatch"): _refuse("netbox_vlan finds a VLAN by its name, so renaming would create a second VLAN"),
    ("vlan", "missing_on_device"): _refuse("a VLAN of the site is not removed because one device lacks it"),
    ("cable", "missing_in_netbox"): _cable_create,
    ("cable", "mismatch"): _cable_fix,
    ("cable", "missing_on_device"): _refuse("no LLDP/CDP neighbour is no proof that the cable is gone"),
    ("device", "mismatch"): _device_update,
}
