# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which changes of a plan are approved, bound to what the reviewer saw.

``approved(plan, approvals)`` first checks that the plan still matches its digests
(``plan_digest.check``), then that every approved change is bound to a digest the
reviewer saw: its own (``c-<id>@<digest>``, as ``plan.md`` shows it) or the plan's
(``plan_digest`` of the approvals, or ``all@<plan digest>``). A bare change ID, a
group, ``all`` or a device is approved only together with the plan digest. Names
that are not in the plan (change IDs, devices) and digests that do not match refuse
the whole approval: nothing is applied.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_digest

SCHEMA = "truthloop.netbox_drift/plan"
KEYS = ("approve", "approve_devices", "approved_by", "comment", "plan_digest")


class PlanError(Exception):
    """A report, options, plan or approval file that cannot be used."""


def _check_approvals(approvals):
    if not isinstance(approvals, dict):
        raise PlanError("the approval file must be a mapping with approve, approve_devices and approved_by")
    unknown = set(approvals) - set(KEYS)
    if unknown:
        raise PlanError("the approval file has unknown key(s) %s" % ", ".join(sorted(map(str, unknown))))
    if not isinstance(approvals.get("approved_by"), str) or not approvals["approved_by"].strip():
        raise PlanError("the approval file must say who approved (approved_by)")
    for name in ("approve", "approve_devices"):
        value = approvals.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise PlanError("%s must be a list of strings, got %r" % (name, approvals.get(name)))
    if approvals.get("plan_digest") is not None and not isinstance(approvals["plan_digest"], str):
        raise PlanError("plan_digest must be the plan digest plan.md shows, got %r" % (approvals["plan_digest"],))


def _entries(plan, approvals):
    """``({change or group ID: digest or None}, plan digest or None)``; ``all`` is every change."""
    whole = (approvals.get("plan_digest") or "").strip().lower() or None
    named = {}
    for entry in approvals.get("approve") or []:
        name, digest = plan_digest.bound(entry)
        if name == "all":
            whole = whole or digest
            named.update((c["change_id"], None) for c in plan["changes"] if c["change_id"] not in named)
        elif digest or name not in named:
            named[name] = digest
    if whole and not plan_digest.matches(whole, plan.get("digest")):
        raise PlanError("the approval names plan digest %s, and this plan's digest is %s: the plan changed "
                        "after it was reviewed; review plan.md again" % (whole, plan_digest.short(plan.get("digest"))))
    return named, whole


def _check_names(plan, named, devices):
    changes = dict((c["change_id"], c) for c in plan["changes"])
    groups = set(c.get("group") for c in plan["changes"] if c.get("group"))
    strangers = sorted(set(named) - set(changes) - groups)
    if strangers:
        raise PlanError("approve names change(s) that are not in this plan: %s" % ", ".join(strangers))
    unknown = sorted(devices - set(c["device"] for c in plan["changes"]))
    if unknown:
        raise PlanError("approve_devices names device(s) with no change in this plan: %s" % ", ".join(unknown))
    for name, digest in sorted(named.items()):
        if digest and name in groups:
            raise PlanError("%s is a group: approve each of its steps with its digest, or the group with the "
                            "plan digest" % name)
        if digest and not plan_digest.matches(digest, changes[name].get("digest")):
            raise PlanError("%s was approved at digest %s, and the plan holds %s for it: the change was edited "
                            "after it was reviewed; review plan.md again"
                            % (name, digest, plan_digest.short(changes[name].get("digest"))))


def _chosen(plan, named, devices):
    yes = set()
    for change in plan["changes"]:
        if change["device"] in devices or change["change_id"] in named or change.get("group") in named:
            yes.add(change["change_id"])
    for change in plan["changes"]:
        steps = [c["change_id"] for c in plan["changes"] if change.get("group") and c.get("group") == change["group"]]
        if steps and not all(step in yes for step in steps):
            yes.difference_update(steps)
    return yes


def approved(plan, approvals):
    """``(changes_to_apply, skipped)``: the approved changes (in plan order, each with an
    ``approval``) and the others with their reason. A group (a cable fix) is approved
    by its group ID or by all of its steps, never in part. Raises ``PlanError``."""
    if not isinstance(plan, dict) or plan.get("schema") != SCHEMA or not isinstance(plan.get("changes"), list):
        raise PlanError("not a plan (schema %s expected)" % SCHEMA)
    try:
        plan_digest.check(plan)
        _check_approvals(approvals)
        named, whole = _entries(plan, approvals)
    except plan_digest.DigestError as exc:
        raise PlanError(str(exc))
    devices = set(approvals.get("approve_devices") or [])
    _check_names(plan, named, devices)
    yes = _chosen(plan, named, devices)
    unbound = [c["change_id"] for c in plan["changes"] if c["change_id"] in yes and not whole
               and not named.get(c["change_id"])]
    if unbound:
        raise PlanError("the approval of %s names no digest: approve each change as plan.md shows it "
                        "(c-<id>@<digest>), or give the plan digest (plan_digest) the reviewer saw"
                        % ", ".join(unbound))
    partly = set(c.get("group") for c in plan["changes"] if c.get("group") and c["change_id"] in named)
    apply, skipped = [], []
    for change in plan["changes"]:
        if change["change_id"] in yes:
            how = "device" if change["device"] in devices else "change"
            apply.append(dict(change, approval={"by": approvals["approved_by"].strip(), "how": how,
                                                "digest": change["digest"]}))
            continue
        reason = "not approved"
        if change.get("group") in partly:
            reason = "not approved: approve every step of %s, or the group" % change["group"]
        skipped.append({"change_id": change["change_id"], "drift_id": change["drift_id"],
                        "device": change["device"], "reason": reason})
    return apply, skipped
