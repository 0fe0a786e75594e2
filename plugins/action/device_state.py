# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect and parse a device's state over its network_cli connection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.connection import Connection, ConnectionError as AnsibleConnectionError
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import terminal_loader

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import snapshot
from ansible_collections.truthloop.netbox_drift.plugins.modules.device_state import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import cli_receive, collector


# what network_cli says when a command got no prompt back in time (_handle_command_timeout,
# send's socket timeout)
_TIMEOUT_MARKS = ("command timeout triggered", "timeout value")


def _stderr_re(network_os):
    """The platform terminal plugin's error patterns, to find the device's error line."""
    try:
        terminal = terminal_loader.get(network_os, class_only=True) if network_os else None
    except Exception:  # noqa: BLE001 - no patterns: error_line keeps every non-caret line
        terminal = None
    return list(getattr(terminal, "terminal_stderr_re", None) or ())


def _run_over(connection, stderr_re=()):
    """The transport: every command through the persistent session, in order; called
    again for fallbacks.

    A rejected command's error is the device's error line (network_cli's bytes repr
    decoded). After a command timed out, the commands left are not sent: each would
    wait the full command timeout of a device that is not answering (the collector then
    runs no fallback either).
    """
    batches = []

    def run(commands):
        outputs, first_error, stop = {}, None, None
        batches.append(commands)
        for command in commands:
            started = snapshot.now()
            if stop:
                outputs[command] = {"error": "not run: %s" % stop}
            else:
                try:
                    outputs[command] = {"output": to_text(connection.get(command=command))}
                except AnsibleConnectionError as exc:
                    message = cli_receive.connection_error_text(exc, command, stderr_re) or "no answer"
                    # The same failure twice before any success is the device, not a command
                    # (only in the first batch: two fallbacks may be refused alike).
                    if len(batches) == 1 and first_error == message and len(outputs) == 1 \
                            and "error" in outputs[commands[0]]:
                        raise collector.CollectError(message)
                    first_error = first_error or message
                    outputs[command] = {"error": message}
                    if any(mark in message.lower() for mark in _TIMEOUT_MARKS):
                        stop = ("the device did not answer %r within the command timeout; the commands "
                                "after it were not sent" % command)
                        outputs[command]["halted"] = stop
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
        try:
            entries = collector.plan(host, platform, spec, args)
        except collector.InvalidCommands as exc:
            return collector.invalid(result, exc)
        socket_path = getattr(self._connection, "socket_path", None)
        if not socket_path:
            raise AnsibleActionFail(
                "%s: device_state needs ansible_connection=ansible.netcommon.network_cli (this host "
                "uses %s); for a saved config use truthloop.netbox_drift.device_state_offline"
                % (host, self._connection.transport)
            )
        run = _run_over(Connection(socket_path), _stderr_re(task_vars.get("ansible_network_os")))

        @contextlib.contextmanager
        def session():  # the persistent network_cli session: fallbacks run in it too
            yield run

        result.update(collector.collect(host, platform, spec, session, args, "network_cli", entries))
        return result
