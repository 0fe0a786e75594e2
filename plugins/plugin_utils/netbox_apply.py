# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One apply run on the controller (``truthloop.netbox_drift.drift_apply``): each approved
change re-read, decided (``module_utils/reconcile/apply.py``), written through its
``netbox.netbox`` module, read back (``module_utils/reconcile/apply_verify.py``) and journaled
with what NetBox holds now.

The ``netbox.netbox`` modules take no timeout (3.21: ``netbox_url``, ``netbox_token``,
``data``, ``state``, ``query_params``, ``validate_certs``, ``cert``, ``headers``), and a
NetBox that stops answering holds a module for as long as the TCP connection lives.
So each module runs under coreutils ``timeout(1)``, through a two-line interpreter
script in a private temporary directory: after ``timeout`` seconds the module is
killed and the change fails, naming the timeout. Without ``timeout(1)`` on the
controller the modules run unbounded, with a warning.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shlex
import shutil
import sys
import tempfile
import time

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply as decide
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply_verify, plan_new_device
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_read

JOURNAL_MODULE = "netbox.netbox.netbox_journal_entry"
KILLED = (124, 137, -9)  # timeout(1)'s own exit, and SIGKILL's


def bounded_interpreter(python, seconds):
    """``(directory, script)``: an interpreter that runs ``python`` for at most ``seconds``,
    or ``(None, None)`` when the controller has no ``timeout(1)``."""
    found = shutil.which("timeout")
    if not found:
        return None, None
    directory = tempfile.mkdtemp(prefix="truthloop-apply-")
    script = os.path.join(directory, "python")
    with open(script, "w") as handle:
        handle.write("#!/bin/sh\nexec %s -s KILL %d %s \"$@\"\n" % (
            shlex.quote(found), max(1, int(seconds)), shlex.quote(python)))
    os.chmod(script, 0o700)
    return directory, script


class Applier(object):
    """One apply run: NetBox's address and token, the modes, and the result lists."""

    def __init__(self, action, task_vars, url, token, args, check_mode, diff, python=None):
        self.action, self.url, self.token = action, url, token
        self.validate_certs, self.timeout = args["validate_certs"], args["timeout"]
        self.check_mode, self.diff = check_mode, diff
        self.journal = args["journal"] and not check_mode
        self.when = decide.utc_now()
        self.lists = {"applied": [], "unchanged": [], "stale": [], "failed_changes": []}
        self.diffs, self.warnings = [], []
        self.stopped = {}  # group -> the change ID of its step that was not applied
        self.new_devices = {}  # group -> the device its first step creates (check mode: not there yet)
        self.directory, script = bounded_interpreter(python or sys.executable, self.timeout)
        self.task_vars = dict(task_vars)
        if script:
            self.task_vars["ansible_python_interpreter"] = script
        else:
            self.warnings.append("timeout(1) is not on the controller: the netbox.netbox modules run without "
                                 "a time limit")

    def close(self):
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def module(self, name, params):
        """The module's result; a failure result (never an exception) when it cannot run."""
        module_args = dict(params, netbox_url=self.url, netbox_token=self.token, validate_certs=self.validate_certs)
        started = time.monotonic()
        try:
            outcome = self.action._execute_module(module_name=name, module_args=module_args,
                                                  task_vars=self.task_vars)
        except Exception as exc:  # the run goes on: reported as this change's failure
            return {"failed": True, "reason": "%s could not run: %s: %s" % (name, type(exc).__name__, exc)}
        if not outcome.get("failed"):
            return outcome
        if outcome.get("rc") in KILLED and time.monotonic() - started >= self.timeout - 1:
            reason = ("%s did not finish within %ds: NetBox did not answer in time, and the module was stopped "
                      "(timeout); check NetBox's change log for this object" % (name, self.timeout))
        else:
            reason = decide.failure_reason(name, outcome)
        return dict(outcome, reason=reason)

    def read(self, refs):
        """``({(type, id): object}, error or None)``."""
        try:
            return netbox_read.read_objects(self.url, self.token, refs, validate_certs=self.validate_certs,
                                            timeout=self.timeout), None
        except netbox_read.NetboxFetchError as exc:
            return {}, str(exc)
        except Exception as exc:  # a message, not a traceback
            return {}, "%s: %s" % (type(exc).__name__, exc)

    def run(self, changes):
        refs = set((c["object"]["type"], c["object"]["id"]) for c in changes
                   if c.get("action") != "create" and c.get("object"))
        objects, error = self.read(refs) if refs else ({}, None)
        groups = plan_new_device.new_device_groups(changes)
        devices, missing = self.read_devices(groups.values())
        for change in changes:
            if change.get("group") in self.stopped:
                self.failed(change, "not applied: %s, an earlier step of %s, was not applied" % (
                    self.stopped[change["group"]], change["group"]))
                continue
            new = change.get("group") in groups and not plan_new_device.needs_new_device(change, groups)
            if (change.get("action") != "create" and error) or (new and missing):
                self.failed(change, "re-reading the objects failed, nothing written: %s" % (error or missing))
            elif self.check_mode and plan_new_device.needs_new_device(change, groups) in self.new_devices.values():
                self.lists["applied"].append(decide.entry(change, "check mode: not previewed by its module, which "
                                                          "needs device %s that an earlier step would create"
                                                          % groups[change["group"]]))
            else:
                obj = change.get("object") or {}
                current = devices.get(change["key"]) if new else objects.get((obj.get("type"), obj.get("id")))
                self.one(change, current if (obj or new) else None)
            self.mark(change, groups)

    def read_devices(self, names):
        """``({name: device NetBox holds}, error or None)`` for the devices a plan creates."""
        if not names:
            return {}, None
        try:
            return netbox_read.find_devices(self.url, self.token, names, validate_certs=self.validate_certs,
                                            timeout=self.timeout), None
        except netbox_read.NetboxFetchError as exc:
            return {}, str(exc)
        except Exception as exc:  # a message, not a traceback
            return {}, "%s: %s" % (type(exc).__name__, exc)

    def mark(self, change, groups):
        """After a step: a group stops at the first step not applied (the later ones need it)."""
        done = any(self.lists[name] and self.lists[name][-1]["change_id"] == change["change_id"]
                   for name in ("applied", "unchanged"))
        if change.get("group") and not done:
            self.stopped.setdefault(change["group"], change["change_id"])
        elif self.check_mode and change.get("group") in groups and not plan_new_device.needs_new_device(change, groups):
            self.new_devices[change["group"]] = change["key"]

    def failed(self, change, reason, **extra):
        self.lists["failed_changes"].append(decide.entry(change, reason, **extra))

    def one(self, change, current):
        verdict, reason = decide.decide(change, current)
        if verdict in (decide.UNCHANGED, decide.STALE):
            self.lists[verdict].append(decide.entry(change, reason))
            return
        outcome = self.module(change["module"], change.get("data") or {})
        if outcome.get("failed"):
            self.failed(change, outcome["reason"])
            return
        extra, held = {}, None
        if not self.check_mode:
            missing, held, error = self.read_back(change, current, outcome)
            if error or missing:
                reason = error or apply_verify.describe_missing(missing)
                if missing and outcome.get("changed") and self.journal:  # NetBox changed, not as planned: say so
                    extra["journal"] = self.write_journal(change, current, outcome, held, failed=reason)
                self.failed(change, reason, held=held, **extra)
                return
        if not outcome.get("changed"):
            self.lists["unchanged"].append(decide.entry(change, "%s made no change" % change["module"]))
            return
        if self.diff:
            extra["diff"] = decide.diff(change)
            self.diffs.append(extra["diff"])
        if self.journal:
            extra["journal"] = self.write_journal(change, current, outcome, held)
        self.lists["applied"].append(decide.entry(change, **extra))

    def read_back(self, change, current, outcome):
        """``(missing, held, error)``: the object read back after the write, checked."""
        obj = change.get("object") or {}
        ref = (obj.get("type"), obj.get("id"))
        if change.get("action") == "create":
            module = str(change.get("module") or "").rsplit(".", 1)[-1]
            ref = (decide.MODULE_OBJECTS.get(module, (None, None))[1], decide.created_id(change, outcome))
            if not ref[1]:
                return [], None, "%s reported no object id, so the write cannot be read back" % change["module"]
        objects, error = self.read([ref])
        if error:
            return [], None, "written, but reading it back failed: %s; check NetBox's change log" % error
        missing, held = apply_verify.verify(change, objects.get(ref))
        return missing, held, None

    def write_journal(self, change, current, outcome, held, failed=None):
        """The id of the journal entry written (``warning`` for a change NetBox did not take
        as planned), or None (with a warning)."""
        target = decide.journal_target(change, current, outcome)
        if target is None:
            self.warnings.append("%s: applied, but no object to write its journal entry on" % change["change_id"])
            return None
        approved_by = (change.get("approval") or {}).get("by") or "(unknown)"
        params = {"state": "new", "data": {
            "assigned_object_type": target[0], "assigned_object_id": target[1], "kind": "warning" if failed else "info",
            "comments": decide.journal_text(change, approved_by, self.when, held, failed)}}
        written = self.module(JOURNAL_MODULE, params)
        if written.get("failed"):
            self.warnings.append("%s: applied, but its journal entry failed: %s" % (
                change["change_id"], written["reason"]))
            return None
        return (written.get("journal_entry") or {}).get("id")
