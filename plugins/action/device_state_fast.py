# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect and parse a device's state over one SSH session opened by the action itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.modules.device_state_fast import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, direct_cli, fast_collect, host_options


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
        options = host_options.connection_options(host, task_vars, self._play_context, self._templar)
        result.update(fast_collect.collect_host(host, platform, spec, entries, options, args, self._display.warning))
        return result
