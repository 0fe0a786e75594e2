# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect and parse a device's state over its network_cli connection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.connection import Connection, ConnectionError as AnsibleConnectionError
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import snapshot
from ansible_collections.truthloop.netbox_drift.plugins.modules.device_state import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector


def _run_over(connection):
    """The transport: every command through the persistent session, in order."""

    def run(commands):
        outputs, first_error = {}, None
        for command in commands:
            started = snapshot.now()
            try:
                outputs[command] = {"output": to_text(connection.get(command=command))}
            except AnsibleConnectionError as exc:
                message = to_text(exc).strip() or "no answer"
                # The same failure twice before any success is the device, not a command.
                if first_error == message and len(outputs) == 1 and "error" in outputs[commands[0]]:
                    raise collector.CollectError(message)
                first_error = first_error or message
                outputs[command] = {"error": message}
            outputs[command].update(started=started, ended=snapshot.now())
        return outputs

    return run


class ActionModule(ActionBase):
    """Device state over ansible.netcommon.network_cli."""

    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        args = collector.validate(self._task.args, DOCUMENTATION, "device_state")
        collector.check_libraries()
        platform, spec = collector.choose_platform(args.get("platform"), task_vars, host)
        socket_path = getattr(self._connection, "socket_path", None)
        if not socket_path:
            raise AnsibleActionFail(
                "%s: device_state needs ansible_connection=ansible.netcommon.network_cli (this host "
                "uses %s); for a saved config use truthloop.netbox_drift.device_state_offline"
                % (host, self._connection.transport)
            )
        run = _run_over(Connection(socket_path))
        result.update(collector.collect(host, platform, spec, run, args, "network_cli"))
        return result
