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
approvals)`` (``plan_approval``) picks the approved changes. Every change and the
plan carry a digest of what they write (``plan_digest``).

Safety rules: deletions only with ``allow_delete``, clearing a value (an empty
description, no tagged VLANs left) only with ``allow_clear``; neither unless every
section of the device was verified (device status ``clean`` or ``drift`` and no
``unverified`` entry for it) and, for a
cable, the far end of the link corroborates it (``one_sided`` false); never the
management interface, the interface of the primary IP (``primary_interfaces`` must
say which it is) or an address on either; nothing for a section of the device that
was not verified; never a ``null`` value (the modules drop it); never a lookup that
could create a second object. Settings the check used (the OS version custom field)
come from the report's ``run.settings``, so the plan writes the field the check read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_approval, plan_changes, plan_digest
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_new_device, plan_render
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile.plan_approval import PlanError
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile.plan_changes import Declined, Refused

SCHEMA = "truthloop.netbox_drift/plan"
VERSION = 1
REPORT_SCHEMA = "truthloop.netbox_drift/drift-report"
SECTION_OF = {"device": "facts", "interface": "interfaces", "ip_address": "interfaces", "vlan": "vlans",
              "cable": "neighbors"}
# the order changes are applied in: what others refer to first, deletions last
PHASES = {("vlan", "create"): 0, ("device", "create"): 0, ("interface", "create"): 1, ("device", "update"): 2,
          ("interface", "update"): 3, ("ip_address", "create"): 4, ("ip_address", "update"): 4,
          ("device", "create", "primary_ip4"): 4.5, ("device", "create", "primary_ip6"): 4.5,
          ("cable", "delete"): 5, ("cable", "create"): 6, ("ip_address", "delete"): 7,
          ("interface", "delete"): 8}
PLANNERS = dict(list(plan_changes.PLANNERS.items()) + list(plan_new_device.PLANNERS.items()))
DEFAULT_OPTIONS = {"allow_delete": False, "allow_clear": False, "sites": {}, "primary_interfaces": {},
                   "mgmt_interfaces": {}, "vlan_groups": {}, "os_version_field": None, "interface_type": "other",
                   "created": None}
VERIFIED = ("clean", "drift")  # device statuses with every section verified
approved = plan_approval.approved


def _options(options, report=None):
    opts = dict(DEFAULT_OPTIONS)
    opts.update(dict((k, v) for k, v in (options or {}).items() if v is not None))
    unknown = set(opts) - set(DEFAULT_OPTIONS)
    if unknown:
        raise PlanError("unknown option(s) %s" % ", ".join(sorted(unknown)))
    for name in ("allow_delete", "allow_clear"):
        if not isinstance(opts[name], bool):
            raise PlanError("%s must be true or false, got %r" % (name, opts[name]))
    for name in ("sites", "primary_interfaces", "mgmt_interfaces", "vlan_groups"):
        if not isinstance(opts[name], dict):
            raise PlanError("%s must map a device name to a value, got %r" % (name, opts[name]))
    used = (((report or {}).get("run") or {}).get("settings") or {}).get("os_version_field")
    if used and opts["os_version_field"] and used != opts["os_version_field"]:
        raise PlanError("the check read the OS version from custom field %s (run.settings of the report), "
                        "but os_version_field says %s: plan with the field the check read"
                        % (used, opts["os_version_field"]))
    opts["os_version_field"] = opts["os_version_field"] or used
    if opts["os_version_field"] is not None and not re.match(r"^[A-Za-z0-9_]+$", str(opts["os_version_field"])):
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
    _check_report(report)
    opts = _options(options, report)
    run = report.get("run") or {}
    plan = {"schema": SCHEMA, "version": VERSION, "report_run": run.get("id"),
            "created": opts["created"] or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "netbox_url": run.get("netbox_url"), "allow_delete": opts["allow_delete"],
            "allow_clear": opts["allow_clear"], "settings": {"os_version_field": opts["os_version_field"]},
            "changes": [], "remediation": [], "report_only": [], "skipped": [], "unplannable": []}
    facts = {"unverified": _unverified(report),
             "status": dict((d.get("device"), d.get("status")) for d in report.get("devices") or []
                            if isinstance(d, dict))}
    for rec in report["drift"]:
        _route(plan, rec, facts, opts)
    plan["changes"].sort(key=lambda c: (phase(c), c["device"], str(c["key"]), c["field"] or "", c["change_id"]))
    plan["summary"] = summary(plan)
    return plan_digest.seal(plan)


def phase(change):
    """When a change is applied: what others refer to first (a new device before its
    interfaces, an address before it is made primary), deletions last."""
    return PHASES.get((change["kind"], change["action"], change.get("field")), PHASES[(change["kind"], change["action"])])


def _route(plan, rec, facts, opts):
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
            plan["changes"].extend(_plan_record(rec, facts, opts))
        except Declined as exc:
            plan["skipped"].append(_brief(rec, str(exc)))
        except Refused as exc:
            plan["unplannable"].append(_brief(rec, str(exc)))


def clears(change):
    """Whether an update empties a value: an empty text or list."""
    return change["action"] == "update" and change.get("after") in ("", [])


def _corroborated(rec, facts):
    """Raise ``Refused`` unless a deletion or clearing on ``rec`` stands on a fully verified device
    and, for a cable, on the far end of the link."""
    status = facts["status"].get(rec["device"])
    if status not in VERIFIED:
        raise Refused("deleting or clearing needs every section of %s verified, and its check was %s"
                      % (rec["device"], status or "not in the report's devices"))
    sections = sorted(str(name) for device, name in facts["unverified"] if device == rec["device"])
    if sections:  # a device with drift may still have sections that were not verified
        raise Refused("deleting or clearing needs every section of %s verified, and %s %s not"
                      % (rec["device"], ", ".join(sections), "was" if len(sections) == 1 else "were"))
    if rec["kind"] == "cable" and rec.get("one_sided") is not False:
        raise Refused("the far end of the link could not be checked, and a cable is not removed without "
                      "its corroboration")


def _plan_record(rec, facts, opts):
    section = SECTION_OF.get(rec["kind"])
    for name in (section, "all", "netbox"):
        if (rec["device"], name) in facts["unverified"]:
            raise Refused("the %s section of %s was not verified" % (name, rec["device"]))
    if rec["class"] == "name_only":
        raise Refused("the names differ only in spelling; renaming NetBox objects is not planned")
    if rec["kind"] == "cable" and rec.get("one_sided"):
        raise Refused("the link is seen from one end only, and a cable is not changed on one end's word: %s"
                      % (rec.get("message") or "see the far end in the evidence"))
    planner = PLANNERS.get((rec["kind"], rec["class"]))
    if planner is None:
        raise Refused("no NetBox change is planned for %s %s" % (rec["kind"], rec["class"]))
    changes = planner(rec, opts)
    if any(clears(c) for c in changes) and not opts["allow_clear"]:
        raise Declined("the device has no %s here: clearing a value in NetBox is off (allow_clear)" % rec.get("field"))
    if any(c["action"] == "delete" or clears(c) for c in changes):
        _corroborated(rec, facts)
    return changes


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
