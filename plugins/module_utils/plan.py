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

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import plan_changes, plan_render
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.plan_changes import Declined, Refused

SCHEMA = "truthloop.netbox_drift/plan"
VERSION = 1
REPORT_SCHEMA = "truthloop.netbox_drift/drift-report"
SECTION_OF = {"device": "facts", "interface": "interfaces", "ip_address": "interfaces", "vlan": "vlans",
              "cable": "neighbors"}
# the order changes are applied in: what others refer to first, deletions last
PHASES = {("vlan", "create"): 0, ("interface", "create"): 1, ("device", "update"): 2,
          ("interface", "update"): 3, ("ip_address", "create"): 4, ("ip_address", "update"): 4,
          ("cable", "delete"): 5, ("cable", "create"): 6, ("ip_address", "delete"): 7,
          ("interface", "delete"): 8}
DEFAULT_OPTIONS = {"allow_delete": False, "sites": {}, "primary_interfaces": {}, "mgmt_interfaces": {}, "vlan_groups": {},
                   "os_version_field": "software_version", "interface_type": "other", "created": None}


class PlanError(Exception):
    """A report, options, plan or approval file that cannot be used."""


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
    if rec["kind"] == "cable" and rec.get("one_sided"):
        raise Refused("the link is seen from one end only, and a cable is not changed on one end's word: %s"
                      % (rec.get("message") or "see the far end in the evidence"))
    planner = plan_changes.PLANNERS.get((rec["kind"], rec["class"]))
    if planner is None:
        raise Refused("no NetBox change is planned for %s %s" % (rec["kind"], rec["class"]))
    return planner(rec, opts)


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
