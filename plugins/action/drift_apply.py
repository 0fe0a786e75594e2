# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The approved changes of a plan, made through the netbox.netbox modules, each after a
re-read of its object (``module_utils/reconcile/apply.py`` decides) and read back after the write,
with a journal entry each (``plugin_utils/netbox_apply.py`` runs them). The plan must
name its NetBox and match its digests, and the approvals must name the digests the
reviewer saw (``module_utils/reconcile/plan_approval.py``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import yaml
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply as decide
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan as planner
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_apply import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, netbox_apply, netbox_client


class ApplyError(Exception):
    """Arguments, plan or approvals that cannot be used."""


def _documentation():
    """The documentation with the token marked no_log for the validation."""
    doc = yaml.safe_load(DOCUMENTATION)
    doc["options"]["token"]["no_log"] = True
    return yaml.safe_dump(doc)


def read_plan(path):
    """The plan as data; ApplyError naming the file and the cause."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (IOError, OSError) as exc:
        raise ApplyError("cannot read the plan %s: %s" % (path, exc.strerror or exc))
    except ValueError as exc:
        raise ApplyError("the plan %s is not JSON: %s" % (path, exc))


def read_approval_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (IOError, OSError) as exc:
        raise ApplyError("cannot read the approval file %s: %s" % (path, exc.strerror or exc))
    except yaml.YAMLError as exc:
        raise ApplyError("the approval file %s is not YAML or JSON: %s" % (path, exc))


def approvals_of(args):
    """The approvals, from exactly one source; the ``plan_digest`` option completes either."""
    inline = args.get("approve") is not None or args.get("approve_devices") is not None
    if args.get("approval_file") and inline:
        raise ApplyError("give the approvals either in approval_file or in approve/approve_devices, not both")
    if args.get("approval_file"):
        approvals = read_approval_file(args["approval_file"])
    elif inline:
        if not (args.get("approved_by") or "").strip():
            raise ApplyError("approved_by is required with approve and approve_devices: who approved?")
        approvals = {"approve": list(args.get("approve") or []),
                     "approve_devices": list(args.get("approve_devices") or []),
                     "approved_by": args["approved_by"]}
    else:
        raise ApplyError("nothing approved: give approval_file, or approve/approve_devices with approved_by")
    given = (args.get("plan_digest") or "").strip()
    if given and isinstance(approvals, dict):
        if approvals.get("plan_digest") and str(approvals["plan_digest"]).strip() != given:
            raise ApplyError("the approval file names plan digest %s and plan_digest says %s"
                             % (approvals["plan_digest"], given))
        approvals = dict(approvals, plan_digest=given)
    return approvals


def same_netbox(planned, url):
    """Whether the plan's NetBox (``planned``) is the one at ``url``: scheme, host, port and
    base path, with or without ``/api`` and the trailing slash. A plan that names no
    NetBox is for none."""
    if not planned:
        return False
    try:
        return netbox_client.base_url(planned).lower() == netbox_client.base_url(url).lower()
    except netbox_client.NetboxFetchError:
        return False


def redact_all(value, token):
    """``value`` with the token (and its secret parts) replaced in every string."""
    if isinstance(value, dict):
        return dict((key, redact_all(item, token)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [redact_all(item, token) for item in value]
    if isinstance(value, str):
        return netbox_client.redact(value, token)
    return value


class ActionModule(ActionBase):
    """Approvals, re-read, apply, journal, summarise; never the token in the output."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        token = self._task.args.get("token") or os.environ.get("NETBOX_TOKEN")
        try:
            found = self._apply(task_vars)
        except (ApplyError, planner.PlanError, AnsibleActionFail) as exc:
            found = {"failed": True, "changed": False, "msg": "drift_apply: %s" % exc}
        except Exception as exc:  # never a traceback
            found = {"failed": True, "changed": False, "msg": "drift_apply: %s: %s" % (type(exc).__name__, exc)}
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        result.update(found)
        return redact_all(result, token)

    def _interpreter(self, task_vars):
        """The Python for the modules: ``ansible_python_interpreter`` when it is a path, else the controller's."""
        value = task_vars.get("ansible_python_interpreter")
        try:
            value = self._templar.template(value) if value else None
        except Exception:  # a value the templar cannot resolve: the controller's Python
            value = None
        return value if isinstance(value, str) and os.path.isabs(value) else None

    def _apply(self, task_vars):
        args = collector.validate(self._task.args, _documentation(), "drift_apply")
        url = args.get("url") or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
        token = args.get("token") or os.environ.get("NETBOX_TOKEN")
        if not url:
            raise ApplyError("no NetBox URL: set url, or NETBOX_API or NETBOX_URL")
        if not token:
            raise ApplyError("no NetBox token: set token, or NETBOX_TOKEN")
        plan = read_plan(args["plan"])
        if not isinstance(plan, dict) or not plan.get("netbox_url"):
            raise ApplyError("the plan names no NetBox (netbox_url), so nothing shows it was made for %s: "
                             "check and plan again" % url)
        if not same_netbox(plan.get("netbox_url"), url):
            raise ApplyError("the plan was made for NetBox at %s, not %s: its object ids and last_updated times "
                             "mean nothing there; check and plan again against this NetBox"
                             % (plan.get("netbox_url"), url))
        changes, skipped = planner.approved(plan, approvals_of(args))
        check_mode = bool(self._task.check_mode or getattr(self._play_context, "check_mode", False))
        applier = netbox_apply.Applier(self, task_vars, url, token, args, check_mode, bool(self._task.diff),
                                       self._interpreter(task_vars))
        try:
            if changes:
                applier.run(changes)
        finally:
            applier.close()
        return self._result(applier, changes, skipped)

    def _result(self, applier, changes, skipped):
        found = dict(applier.lists, not_approved=skipped, check_mode=applier.check_mode)
        found["changed"] = bool(applier.lists["applied"])
        found["msg"] = decide.summary(found, applier.check_mode)
        if not changes:
            found["msg"] = "nothing approved, nothing written; " + found["msg"]
        if applier.lists["stale"]:
            found["msg"] += "; the stale changes were edited in NetBox after the plan: check them and plan again"
        if applier.lists["failed_changes"]:
            causes = ["%s: %s" % (e["change_id"], e["reason"]) for e in applier.lists["failed_changes"]]
            found["msg"] += ". Failed: " + "; ".join(causes)
        if applier.lists["failed_changes"] or applier.lists["stale"]:
            # an apply that did not write everything approved is not green: a stale refusal too
            found["failed"] = True
        if applier.diffs:
            found["diff"] = applier.diffs
        warnings = list(applier.warnings)
        if applier.lists["stale"]:
            warnings.insert(0, "%d change(s) refused as stale (changed in NetBox since the plan): %s" % (
                len(applier.lists["stale"]), "; ".join("%s: %s" % (e["change_id"], e["reason"])
                                                       for e in applier.lists["stale"])))
        if warnings:
            found["warnings"] = warnings
        return found
