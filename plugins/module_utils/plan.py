# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reviewable plan: from a drift report, the NetBox changes that would make NetBox
follow the device, in the words of the ``netbox.netbox`` module that would make each.

``build(report, options)`` plans every counted record whose authority is ``device``;
records where NetBox is right go to ``remediation``, ``report`` ones to
``report_only``, waived ones and deliberate refusals to ``skipped``, and what cannot be
planned to ``unplannable``, each with its reason. Nothing here talks to NetBox; the
token is never an input. ``render_playbook`` and ``render_markdown`` (kept in
``plan_render``) give the plan as a playbook and for review; ``approved(plan,
approvals)`` picks the approved changes.

Safety rules: deletions only with ``allow_delete``; never the management interface,
the interface of the primary IP (``primary_interfaces`` must say which it is) or an
address on either; nothing for a section of the device that was not verified; never a
``null`` value (the modules drop it); never a lookup that could create a second object.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names, plan_render

SCHEMA = "truthloop.netbox_drift/plan"
VERSION = 1
REPORT_SCHEMA = "truthloop.netbox_drift/drift-report"
INTERFACE_FIELDS = ("description", "enabled", "mtu", "mode", "untagged_vlan", "tagged_vlans", "lag", "vrf")
SECTION_OF = {"device": "facts", "interface": "interfaces", "ip_address": "interfaces", "vlan": "vlans",
              "cable": "neighbors"}
MGMT_NAME = re.compile(r"^(mgmt|management|ma|fxp|em|me|vme)\d", re.IGNORECASE)
LAG_NAME = re.compile(r"^(port-channel|po|ae|bond)\d", re.IGNORECASE)
VIRTUAL_NAME = re.compile(r"^(loopback|lo|vlan|vl|irb|tunnel|tu|null|nve)\d*(\.\d+)?$", re.IGNORECASE)
# the order changes are applied in: what others refer to first, deletions last
PHASES = {("vlan", "create"): 0, ("interface", "create"): 1, ("device", "update"): 2,
          ("interface", "update"): 3, ("ip_address", "create"): 4, ("ip_address", "update"): 4,
          ("cable", "delete"): 5, ("cable", "create"): 6, ("ip_address", "delete"): 7,
          ("interface", "delete"): 8}
DEFAULT_OPTIONS = {"allow_delete": False, "sites": {}, "primary_interfaces": {}, "mgmt_interfaces": {}, "vlan_groups": {},
                   "os_version_field": "software_version", "interface_type": "other", "created": None}
_NULL = "the netbox.netbox modules ignore a null value, so %s cannot be cleared through them"


class PlanError(Exception):
    """A report, options, plan or approval file that cannot be used."""


class Refused(Exception):
    """The record cannot be planned (``unplannable``)."""


class Declined(Exception):
    """The record is deliberately not planned (``skipped``): deletions off, safety rules."""


def _options(options):
    opts = dict(DEFAULT_OPTIONS)
    opts.update(dict((k, v) for k, v in (options or {}).items() if v is not None))
    unknown = set(opts) - set(DEFAULT_OPTIONS)
    if unknown:
        raise PlanError("unknown option(s) %s" % ", ".join(sorted(unknown)))
    if not isinstance(opts["allow_delete"], bool):
        raise PlanError("allow_delete must be true or false, got %r" % (opts["allow_delete"],))
    for name in ("sites", "primary_interfaces", "mgmt_interfaces", "vlan_groups"):
        if not isinstance(opts[name], dict):
            raise PlanError("%s must map a device name to a value, got %r" % (name, opts[name]))
    if not re.match(r"^[A-Za-z0-9_]+$", str(opts["os_version_field"])):
        raise PlanError("os_version_field must be a custom field name, got %r" % (opts["os_version_field"],))
    return opts


def _check_report(report):
    if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
        raise PlanError("not a drift report (schema %s expected)" % REPORT_SCHEMA)
    if report.get("version") != 1:
        raise PlanError("drift report version %r; this plan reads version 1" % (report.get("version"),))
    if not isinstance(report.get("drift"), list):
        raise PlanError("the drift report has no drift list")
    for index, rec in enumerate(report["drift"]):
        if not isinstance(rec, dict):
            raise PlanError("drift[%d] is not a mapping" % index)
        missing = [k for k in ("id", "device", "kind", "key", "class") if not rec.get(k)]
        if missing:
            raise PlanError("drift[%d] has no %s" % (index, ", ".join(missing)))


def _unverified(report):
    """``{(device, section)}`` of every section not verified, from both places the report keeps them."""
    found = set()
    for entry in report.get("unverified") or []:
        found.add((entry.get("device"), entry.get("section")))
    for device in report.get("devices") or []:
        for entry in device.get("unverified") or []:
            found.add((device.get("device"), entry.get("section")))
    return found


def _brief(rec, reason=None):
    entry = dict((k, rec.get(k)) for k in ("device", "kind", "key", "field", "class", "severity", "message",
                                           "netbox_value", "device_value"))
    entry["drift_id"] = rec["id"]
    if reason:
        entry["reason"] = reason
    return entry


def build(report, options=None):
    """The plan of a drift report (``docs/drift-report.md``); see the module docstring."""
    opts = _options(options)
    _check_report(report)
    run = report.get("run") or {}
    plan = {"schema": SCHEMA, "version": VERSION, "report_run": run.get("id"),
            "created": opts["created"] or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "netbox_url": run.get("netbox_url"), "allow_delete": opts["allow_delete"],
            "changes": [], "remediation": [], "report_only": [], "skipped": [], "unplannable": []}
    unverified = _unverified(report)
    for rec in report["drift"]:
        _route(plan, rec, unverified, opts)
    plan["changes"].sort(key=lambda c: (PHASES[(c["kind"], c["action"])], c["device"], str(c["key"]),
                                        c["field"] or "", c["change_id"]))
    plan["summary"] = summary(plan)
    return plan


def _route(plan, rec, unverified, opts):
    if not rec.get("counted", True):
        reason = ((rec.get("waiver") or {}).get("reason")) or "not counted"
        plan["skipped"].append(_brief(rec, "waived: %s" % reason))
    elif rec.get("authority") == "netbox":
        plan["remediation"].append(_brief(rec))
    elif rec.get("authority") == "report":
        plan["report_only"].append(_brief(rec))
    elif rec.get("authority") != "device":
        plan["unplannable"].append(_brief(rec, "unknown authority %r" % (rec.get("authority"),)))
    else:
        try:
            plan["changes"].extend(_plan_record(rec, unverified, opts))
        except Declined as exc:
            plan["skipped"].append(_brief(rec, str(exc)))
        except Refused as exc:
            plan["unplannable"].append(_brief(rec, str(exc)))


def _plan_record(rec, unverified, opts):
    section = SECTION_OF.get(rec["kind"])
    for name in (section, "all", "netbox"):
        if (rec["device"], name) in unverified:
            raise Refused("the %s section of %s was not verified" % (name, rec["device"]))
    if rec["class"] == "name_only":
        raise Refused("the names differ only in spelling; renaming NetBox objects is not planned")
    planner = PLANNERS.get((rec["kind"], rec["class"]))
    if planner is None:
        raise Refused("no NetBox change is planned for %s %s" % (rec["kind"], rec["class"]))
    return planner(rec, opts)


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
    data = {"address": rec["key"]}
    if field == "interface":
        data["assigned_object"] = {"device": rec["device"], "name": value}
    else:
        data["vrf"] = value
    return _update(rec, "netbox_ip_address", data, ["address"])


def _address_create(rec, opts):
    view = rec.get("device_value")
    if not isinstance(view, dict) or not view.get("interface"):
        raise Refused("the record holds no device address")
    data = {"address": view.get("address") or rec["key"], "status": "active",
            "assigned_object": {"device": rec["device"], "name": view["interface"]}}
    if view.get("vrf"):
        data["vrf"] = view["vrf"]
    return [_change(rec, "create", "netbox_ip_address", {"data": data, "state": "present"}, None, view)]


def _address_delete(rec, opts):
    interface = rec.get("netbox_value")
    _guard_delete(rec, opts, interface if isinstance(interface, str) else None)
    data = {"address": rec["key"]}
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


def render_playbook(plan):
    """The plan as a playbook of ``netbox.netbox`` tasks (``plan_render``)."""
    return plan_render.render_playbook(plan)


def render_markdown(plan):
    """The plan for review (``plan_render``)."""
    return plan_render.render_markdown(plan)


def summary(plan):
    """Counts: changes by module and by action, then each list."""
    by_module, by_action = {}, {}
    for change in plan["changes"]:
        by_module[change["module"]] = by_module.get(change["module"], 0) + 1
        by_action[change["action"]] = by_action.get(change["action"], 0) + 1
    counts = dict((k, len(plan[k])) for k in ("changes", "remediation", "report_only", "skipped", "unplannable"))
    counts.update(by_module=by_module, by_action=by_action)
    return counts


def _check_approvals(approvals):
    if not isinstance(approvals, dict):
        raise PlanError("the approval file must be a mapping with approve, approve_devices and approved_by")
    unknown = set(approvals) - set(["approve", "approve_devices", "approved_by", "comment"])
    if unknown:
        raise PlanError("the approval file has unknown key(s) %s" % ", ".join(sorted(map(str, unknown))))
    if not isinstance(approvals.get("approved_by"), str) or not approvals["approved_by"].strip():
        raise PlanError("the approval file must say who approved (approved_by)")
    for name in ("approve", "approve_devices"):
        value = approvals.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise PlanError("%s must be a list of strings, got %r" % (name, approvals.get(name)))


def approved(plan, approvals):
    """``(changes_to_apply, skipped)``: the approved changes (in plan order, each with an
    ``approval``) and the others with their reason. A group (a cable fix) is approved
    by its group ID or by all of its steps, never in part."""
    if not isinstance(plan, dict) or plan.get("schema") != SCHEMA:
        raise PlanError("not a plan (schema %s expected)" % SCHEMA)
    _check_approvals(approvals)
    ids = set(approvals.get("approve") or [])
    devices = set(approvals.get("approve_devices") or [])
    known = set(c["change_id"] for c in plan["changes"]) | set(c.get("group") for c in plan["changes"])
    strangers = sorted(ids - known)
    if strangers:
        raise PlanError("approve names change(s) that are not in this plan: %s" % ", ".join(strangers))
    yes = set()
    for change in plan["changes"]:
        if change["device"] in devices or change["change_id"] in ids or change.get("group") in ids:
            yes.add(change["change_id"])
    for change in plan["changes"]:
        steps = [c["change_id"] for c in plan["changes"] if change.get("group") and c.get("group") == change["group"]]
        if steps and not all(step in yes for step in steps):
            yes.difference_update(steps)
    partly = set(c.get("group") for c in plan["changes"] if c.get("group") and c["change_id"] in ids)
    apply, skipped = [], []
    for change in plan["changes"]:
        if change["change_id"] in yes:
            how = "device" if change["device"] in devices else "change"
            apply.append(dict(change, approval={"by": approvals["approved_by"].strip(), "how": how}))
        else:
            reason = "not approved"
            if change.get("group") in partly:
                reason = "not approved: approve every step of %s, or the group" % change["group"]
            skipped.append({"change_id": change["change_id"], "drift_id": change["drift_id"],
                            "device": change["device"], "reason": reason})
    return apply, skipped
