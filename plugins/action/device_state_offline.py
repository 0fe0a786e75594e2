# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse a device's state from saved outputs: a snapshot or a config backup."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, snapshot
from ansible_collections.truthloop.netbox_drift.plugins.modules.device_state_offline import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector


def device_dir(source_dir, host):
    """``<source_dir>/<host>`` when it exists, else ``source_dir`` itself."""
    candidate = os.path.join(source_dir, host)
    return candidate if os.path.isdir(candidate) else source_dir


class ActionModule(ActionBase):
    """Device state from files; no connection to the device."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        args = collector.validate(self._task.args, DOCUMENTATION, "device_state_offline")
        collector.check_libraries()
        path = device_dir(args["source_dir"], host)
        try:
            manifest = snapshot.read_manifest(path)
        except snapshot.SnapshotError as exc:
            raise AnsibleActionFail("%s: %s" % (host, exc))
        requested = args.get("platform") or (manifest or {}).get("platform")
        platform, spec = collector.choose_platform(requested, task_vars, host)
        try:
            entries = collector.plan(host, platform, spec, args)
        except collector.InvalidCommands as exc:
            return collector.invalid(result, exc)
        try:  # a folder of saved outputs may hold a fallback's or a companion's file too
            outputs, manifest = snapshot.read_outputs(path, commands.all_commands(entries))
        except snapshot.SnapshotError as exc:
            raise AnsibleActionFail("%s: %s" % (host, exc))
        run_id = args.get("run_id") or (manifest or {}).get("run_id") or snapshot.new_run_id()
        result.update(collector.finish(host, platform, spec, outputs, args, run_id,
                                       (manifest or {}).get("written") or snapshot.now(), "files", entries))
        result["source"] = path
        return result
