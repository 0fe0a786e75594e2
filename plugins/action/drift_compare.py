# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare one host's collected state with its NetBox record; no connection needed
(the comparison itself is ``plugin_utils/comparer.py``, shared with ``drift_batch``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_compare import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, comparer


def load_rules(host, args):
    """``(rules, today)`` of the policy argument; AnsibleActionFail naming the host."""
    try:
        rules = policy.load(args["policy"])
        today = datetime.datetime.strptime(args["today"], "%Y-%m-%d").date() if args.get("today") else None
    except (policy.PolicyError, ValueError) as exc:
        raise AnsibleActionFail("%s: invalid policy: %s" % (host, exc))
    return rules, today


class ActionModule(ActionBase):
    """Drift of one host: comparison, policy, evidence, diff."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        args = collector.validate(self._task.args, DOCUMENTATION, "drift_compare")
        rules, today = load_rules(host, args)
        try:
            entry = comparer.compare_host(host, args["device_state"], args.get("intended"), args, rules, today)
        except comparer.CompareFailed as exc:
            raise AnsibleActionFail(str(exc))
        result.update(comparer.outcome(host, entry, self._task.diff))
        return result
