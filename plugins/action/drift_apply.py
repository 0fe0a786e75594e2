# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The approved changes of a plan, made through the netbox.netbox modules, each after a
re-read of its object (``module_utils/apply.py`` decides), with a journal entry each."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import yaml
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import apply as decide
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import plan as planner
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_apply import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, netbox_client, netbox_read

JOURNAL_MODULE = "netbox.netbox.netbox_journal_entry"


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


def approvals_of(args, plan):
    """The approvals, from exactly one source, with ``all`` spelled out as every change ID."""
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
    if isinstance(approvals, dict) and isinstance(approvals.get("approve"), list) and "all" in approvals["approve"]:
        approvals = dict(approvals)
        approvals["approve"] = [c["change_id"] for c in plan.get("changes") or []]
    return approvals


def same_netbox(planned, url):
    """Whether the plan's NetBox (``planned``, None for an old plan) is the one at ``url``:
    scheme, host, port and base path, with or without ``/api`` and the trailing slash."""
    if not planned:
        return True
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


class Applier(object):
    """One apply run: NetBox's address and token, the modes, and the four result lists."""

    def __init__(self, action, task_vars, url, token, args):
        self.action, self.task_vars = action, task_vars
        self.url, self.token, self.validate_certs = url, token, args["validate_certs"]
        task, play_context = action._task, action._play_context
        self.check_mode = bool(task.check_mode or getattr(play_context, "check_mode", False))
        self.diff = bool(task.diff)
        self.journal = args["journal"] and not self.check_mode
        self.when = decide.utc_now()
        self.lists = {"applied": [], "unchanged": [], "stale": [], "failed_changes": []}
        self.warnings = []

    def module(self, name, params):
        """The module's result; a failure result (never an exception) when it cannot run."""
        module_args = dict(params, netbox_url=self.url, netbox_token=self.token, validate_certs=self.validate_certs)
        try:
            return self.action._execute_module(module_name=name, module_args=module_args, task_vars=self.task_vars)
        except Exception as exc:  # the run goes on: reported as this change's failure
            return {"failed": True, "msg": "%s could not run: %s: %s" % (name, type(exc).__name__, exc)}

    def reread(self, changes):
        """``({(type, id): object}, error message or None)`` for the updates and deletes."""
        refs = set((c["object"]["type"], c["object"]["id"]) for c in changes
                   if c.get("action") != "create" and c.get("object"))
        try:
            return netbox_read.read_objects(self.url, self.token, refs, validate_certs=self.validate_certs), None
        except netbox_read.NetboxFetchError as exc:
            return {}, "re-reading the objects failed: %s" % exc
        except Exception as exc:  # a message, not a traceback
            return {}, "re-reading the objects failed: %s: %s" % (type(exc).__name__, exc)

    def run(self, changes):
        objects, error = self.reread(changes)
        for change in changes:
            if change.get("action") != "create" and error:
                self.lists["failed_changes"].append(decide.entry(change, error))
                continue
            obj = change.get("object") or {}
            current = objects.get((obj.get("type"), obj.get("id"))) if obj else None
            self.one(change, current)

    def one(self, change, current):
        verdict, reason = decide.decide(change, current)
        if verdict == decide.UNCHANGED:
            self.lists["unchanged"].append(decide.entry(change, reason))
            return
        if verdict == decide.STALE:
            self.lists["stale"].append(decide.entry(change, reason))
            return
        outcome = self.module(change["module"], change.get("data") or {})
        if outcome.get("failed"):
            message = outcome.get("msg") or "%s failed" % change["module"]
            self.lists["failed_changes"].append(decide.entry(change, "%s: %s" % (change["module"], message)))
            return
        if not outcome.get("changed"):
            self.lists["unchanged"].append(decide.entry(change, "%s made no change" % change["module"]))
            return
        extra = {}
        if self.diff and outcome.get("diff") is not None:
            extra["diff"] = outcome["diff"]
        if self.journal:
            extra["journal"] = self.write_journal(change, current, outcome)
        self.lists["applied"].append(decide.entry(change, **extra))

    def write_journal(self, change, current, outcome):
        """The id of the journal entry written, or None (with a warning)."""
        target = decide.journal_target(change, current, outcome)
        if target is None:
            self.warnings.append("%s: applied, but no object to write its journal entry on" % change["change_id"])
            return None
        approved_by = (change.get("approval") or {}).get("by") or "(unknown)"
        params = {"state": "new", "data": {
            "assigned_object_type": target[0], "assigned_object_id": target[1], "kind": "info",
            "comments": decide.journal_text(change, approved_by, self.when)}}
        written = self.module(JOURNAL_MODULE, params)
        if written.get("failed"):
            self.warnings.append("%s: applied, but its journal entry failed: %s" % (
                change["change_id"], written.get("msg")))
            return None
        return (written.get("journal_entry") or {}).get("id")


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

    def _apply(self, task_vars):
        args = collector.validate(self._task.args, _documentation(), "drift_apply")
        url = args.get("url") or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
        token = args.get("token") or os.environ.get("NETBOX_TOKEN")
        if not url:
            raise ApplyError("no NetBox URL: set url, or NETBOX_API or NETBOX_URL")
        if not token:
            raise ApplyError("no NetBox token: set token, or NETBOX_TOKEN")
        plan = read_plan(args["plan"])
        if not same_netbox(plan.get("netbox_url"), url):
            raise ApplyError("the plan was made for NetBox at %s, not %s: its object ids and last_updated times "
                             "mean nothing there; check and plan again against this NetBox"
                             % (plan.get("netbox_url"), url))
        changes, skipped = planner.approved(plan, approvals_of(args, plan))
        applier = Applier(self, task_vars, url, token, args)
        if changes:
            applier.run(changes)
        found = dict(applier.lists, not_approved=skipped, check_mode=applier.check_mode)
        found["changed"] = bool(applier.lists["applied"])
        found["msg"] = decide.summary(found, applier.check_mode)
        if not changes:
            found["msg"] = "nothing approved, nothing written; " + found["msg"]
        warnings = list(applier.warnings)
        if applier.lists["stale"]:
            warnings.insert(0, "%d change(s) refused as stale (changed in NetBox since the plan): %s" % (
                len(applier.lists["stale"]), "; ".join("%s: %s" % (e["change_id"], e["reason"])
                                                       for e in applier.lists["stale"])))
        if warnings:
            found["warnings"] = warnings
        if applier.lists["failed_changes"] or applier.lists["stale"]:
            # an apply that did not write everything approved is not green: a stale refusal too
            found["failed"] = True
        if applier.lists["stale"]:
            found["msg"] += "; the stale changes were edited in NetBox after the plan: check them and plan again"
        return found
