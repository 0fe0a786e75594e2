# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host's part of a batched check (``drift_batch``) as its own task result: changed,
diff, warnings, and failed when its device could not be verified. Nothing heavy is
imported here: this runs once per host."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.ansible.utils.plugins.module_utils.common.argspec_validate import check_argspec
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report.report_diff import host_diff
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_host import DOCUMENTATION


class ActionModule(ActionBase):
    """The host's result from the batch's."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        valid, checked, args = check_argspec(DOCUMENTATION, "drift_host", **dict(self._task.args))
        if not valid:
            raise AnsibleActionFail("%s: %s" % (checked["msg"], "; ".join(checked.get("errors", []))))
        if args.get("batch_var") and args.get("result") is not None:
            raise AnsibleActionFail("%s: batch_var and result are mutually exclusive" % host)
        if args.get("batch_var"):
            args.update(_from_batch(task_vars, args["batch_var"], host, args))
        for name, default in (("fail_unverified", True), ("fail_drift", False)):
            if args.get(name) is None:
                args[name] = default
        entry = args.get("result")
        if not isinstance(entry, dict) or "status" not in entry:
            result.update(failed=True, msg="%s: the batch gave this host no result (was it added to the play after "
                                           "drift_batch ran?)" % host)
            return result
        result["device_drift"] = entry
        result["changed"] = entry.get("drift", 0) > 0
        if args["warnings"]:
            result["warnings"] = list(args["warnings"])
        if entry["drift"] and self._task.diff:
            result["diff"] = host_diff(host, entry["records"])
        result["msg"] = "%s: %s, %d drift, %d waived" % (host, entry.get("label") or entry["status"], entry["drift"],
                                                         entry.get("waived", 0))
        if entry["drift"] and args["fail_drift"]:
            result["failed"] = True
            result["msg"] = "%s: %d drift between NetBox and the device (fail_drift): %s" % (
                host, entry["drift"], "; ".join(_first_records(entry["records"])))
        if entry["status"] == "unverified" and args["fail_unverified"]:
            result["failed"] = True
            result["msg"] = "%s: not verified, nothing was compared: %s" % (
                host, args.get("cause") or "nothing could be verified")
        return result


def _from_batch(task_vars, name, host, args):
    """``result``, ``cause`` and ``warnings`` of ``host`` from the registered batch result
    ``name``, read as they are (not templated: that would copy the host's whole entry), and
    the batch's ``fail_unverified``/``fail_drift`` where ``args`` sets none of its own."""
    batch = task_vars.get(name)
    if not isinstance(batch, dict) or "device_drift" not in batch:
        raise AnsibleActionFail("%s: batch_var %s is not the registered result of drift_batch" % (host, name))
    found = {"result": (batch.get("device_drift") or {}).get(host),
             "cause": (batch.get("causes") or {}).get(host),
             "warnings": list((batch.get("warnings_by_host") or {}).get(host) or [])}
    policy = batch.get("host_policy") or {}
    for option in ("fail_unverified", "fail_drift"):
        if args.get(option) is None and policy.get(option) is not None:
            found[option] = bool(policy[option])
    return found


def _first_records(records, count=3):
    """A few of the counted records, as ``kind key field``, for the failure message."""
    counted = [r for r in records if r.get("counted")]
    shown = [" ".join(str(part) for part in (r.get("kind"), r.get("key"), r.get("field")) if part)
             for r in counted[:count]]
    if len(counted) > count:
        shown.append("and %d more" % (len(counted) - count))
    return shown
