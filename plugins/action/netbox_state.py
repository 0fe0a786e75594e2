# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended state of every host of the play, read from NetBox in bulk."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml
from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.modules.netbox_state import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import (
    collector,
    netbox_client,
    netbox_intended,
)


def _documentation():
    """The module documentation with the token marked no_log for the validation
    (module documentation has no no_log key)."""
    doc = yaml.safe_load(DOCUMENTATION)
    doc["options"]["token"]["no_log"] = True
    return yaml.safe_dump(doc)


class ActionModule(ActionBase):
    """NetBox's view of many devices, in a number of requests that does not grow with them."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = collector.validate(self._task.args, _documentation(), "netbox_state")
        if not netbox_client.HAS_PYNETBOX:
            raise AnsibleActionFail(missing_required_lib("pynetbox"))
        hosts = args.get("hosts")
        if hosts is None:
            hosts = task_vars.get("ansible_play_hosts_all") or []
        hosts = list(dict.fromkeys(str(h) for h in hosts))
        all_hostvars = task_vars.get("hostvars") or {}
        platforms = dict((name, netbox_intended.platform_of(all_hostvars[name] if name in all_hostvars else {})) for name in hosts)
        result.update(netbox_intended.read(args, hosts, platforms))
        return result
