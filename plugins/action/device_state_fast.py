# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect and parse a device's state over one SSH session opened by the action itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib

from ansible import constants as C
from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import connection_loader

from ansible_collections.truthloop.netbox_drift.plugins.modules.device_state_fast import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, direct_cli, host_key

LIBSSH = "ansible.netcommon.libssh"  # the connection network_cli uses with ansible_network_cli_ssh_type libssh


def _setting(task_vars, names, config_key):
    """A network_cli setting: the first host variable set, else Ansible's configuration."""
    for name in names:
        if task_vars.get(name) not in (None, ""):
            return task_vars[name]
    return C.config.get_config_value(config_key)


def host_key_settings(task_vars, templar=None):
    """``(host_key_checking, host_key_auto_add)`` as network_cli's libssh connection
    (``ansible.netcommon.libssh``) resolves them for this host: its variables
    (``ansible_host_key_checking``, ``ansible_ssh_host_key_checking``,
    ``ansible_libssh_host_key_checking``), then the environment
    (``ANSIBLE_HOST_KEY_CHECKING``...), then ansible.cfg (``[defaults]`` or
    ``[libssh_connection]``); checking is on by default."""
    plugin = connection_loader.get(LIBSSH, class_only=True)
    if plugin is None:
        raise AnsibleActionFail("the %s connection plugin (ansible.netcommon) is not installed" % LIBSSH)
    name = plugin._load_name
    variables = {}
    for var in C.config.get_plugin_vars("connection", name):
        if var in task_vars:
            variables[var] = templar.template(task_vars[var]) if templar is not None else task_vars[var]
    values = []
    for option in ("host_key_checking", "host_key_auto_add"):
        try:
            values.append(C.config.get_config_value(option, plugin_type="connection", plugin_name=name,
                                                    variables=variables))
        except AnsibleError as exc:
            raise AnsibleActionFail("%s: %s" % (option, exc))
    return values[0] is not False, bool(values[1])


def session_options(play_context, task_vars, templar=None):
    """DirectCli keyword arguments from what the host has for network_cli."""
    checking, auto_add = host_key_settings(task_vars, templar)
    return {
        "host_key_checking": checking,
        "host_key_auto_add": auto_add,
        "known_hosts_file": host_key.default_known_hosts(),
        "host": play_context.remote_addr or task_vars.get("ansible_host") or task_vars["inventory_hostname"],
        "port": int(play_context.port or task_vars.get("ansible_port") or 22),
        "username": play_context.remote_user or task_vars.get("ansible_user"),
        "password": play_context.password or task_vars.get("ansible_password") or task_vars.get("ansible_ssh_pass"),
        "network_os": task_vars.get("ansible_network_os"),
        "become": bool(play_context.become),
        "become_password": play_context.become_pass or task_vars.get("ansible_become_password"),
        "connect_timeout": int(_setting(task_vars, ("ansible_connect_timeout",), "PERSISTENT_CONNECT_TIMEOUT")),
        "command_timeout": int(_setting(task_vars, ("ansible_command_timeout",), "PERSISTENT_COMMAND_TIMEOUT")),
        "private_key_file": play_context.private_key_file,
    }


class _Cli(direct_cli.DirectCli):
    """DirectCli that also keeps, with each output, the prompt that ended it
    (integrity.py checks it is the device's prompt, not a line of the output), and marks
    the command after which it stopped sending (``halted``: a timeout), so that the
    collector runs no fallback after it. DirectCli.run's own rules are unchanged."""

    def _run_one(self, command):
        result, stop = super(_Cli, self)._run_one(command)
        if "output" in result and self._matched_prompt is not None:
            result["prompt"] = to_text(self._matched_prompt, errors="surrogate_then_replace").strip()
        if stop:
            result["halted"] = stop
        return result, stop


def _run_in(cli):
    """The transport: a batch of commands in the open session (fallbacks are a later batch)."""

    def run(commands):
        try:
            return cli.run(commands)
        except direct_cli.DirectCliError as exc:  # the session closed and could not be reopened
            return dict((command, {"error": "not run: %s" % exc, "halted": str(exc)}) for command in commands)

    return run


class ActionModule(ActionBase):
    """Device state over a direct libssh session: no ansible-connection, no module process."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        args = collector.validate(self._task.args, DOCUMENTATION, "device_state_fast")
        collector.check_libraries()
        if not direct_cli.HAS_PYLIBSSH:
            raise AnsibleActionFail(missing_required_lib("ansible-pylibssh"))
        platform, spec = collector.choose_platform(args.get("platform"), task_vars, host)
        try:
            entries = collector.plan(host, platform, spec, args)
        except collector.InvalidCommands as exc:
            return collector.invalid(result, exc)
        options = session_options(self._play_context, task_vars, self._templar)
        if not options["network_os"]:
            options["network_os"] = platform

        @contextlib.contextmanager
        def session():
            try:
                with _Cli(**options) as cli:
                    yield _run_in(cli)
                    for warning in cli.warnings:
                        self._display.warning("%s: %s" % (host, warning))
            except direct_cli.DirectCliError as exc:
                raise collector.CollectError(str(exc))

        result.update(collector.collect(host, platform, spec, session, args, "direct", entries))
        return result
