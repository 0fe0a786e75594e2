# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reviewable plan of a drift report: plan.json, plan.yml and plan.md; no NetBox access."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan as planner
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_plan import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector

FILES = {"json": "plan.json", "playbook": "plan.yml", "markdown": "plan.md"}
OPTIONS = ("allow_delete", "allow_clear", "sites", "primary_interfaces", "mgmt_interfaces", "vlan_groups", "os_version_field",
           "interface_type")


def read_report(path):
    """The report as data; ``ValueError`` naming the file and the cause."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (IOError, OSError) as exc:
        raise ValueError("cannot read the drift report %s: %s" % (path, exc.strerror or exc))
    except ValueError as exc:
        raise ValueError("the drift report %s is not JSON: %s" % (path, exc))


def write_atomic(path, text):
    """Write beside the target, then put it in place in one step."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_plan(plan, plan_dir):
    """The three files of the plan; ``{kind: path}``."""
    os.makedirs(plan_dir, exist_ok=True)
    texts = {
        "json": json.dumps(plan, indent=1, sort_keys=True) + "\n",
        "playbook": planner.render_playbook(plan),
        "markdown": planner.render_markdown(plan),
    }
    files = {}
    for kind in ("json", "playbook", "markdown"):
        files[kind] = os.path.join(plan_dir, FILES[kind])
        write_atomic(files[kind], texts[kind])
    return files


def with_report_facts(report, options):
    """Sites, primary IP and management interfaces from the report's devices where the
    options do not give them (the drift check records them from NetBox)."""
    devices = [d for d in report.get("devices") or [] if isinstance(d, dict) and d.get("device")] \
        if isinstance(report, dict) else []
    for name, field in (("sites", "site"), ("primary_interfaces", "primary_interfaces"),
                        ("mgmt_interfaces", "mgmt_interfaces"), ("vlan_groups", "vlan_groups")):
        known = dict((d["device"], d[field]) for d in devices if d.get(field) is not None)
        known.update(options.get(name) or {})
        options[name] = known
    return options


class ActionModule(ActionBase):
    """Read the report, plan, write the files, summarise."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars or {})
        args = collector.validate(self._task.args, DOCUMENTATION, "drift_plan")
        path = args["report"]
        plan_dir = args.get("plan_dir") or os.path.dirname(os.path.abspath(path))
        try:
            report = read_report(path)
            plan = planner.build(report, with_report_facts(report, dict((name, args.get(name)) for name in OPTIONS)))
        except (ValueError, planner.PlanError) as exc:
            return dict(result, failed=True, changed=False, msg="%s" % exc if isinstance(exc, ValueError)
                        else "cannot plan from %s: %s" % (path, exc))
        try:
            files = write_plan(plan, plan_dir)
        except (IOError, OSError) as exc:
            return dict(result, failed=True, changed=False,
                        msg="cannot write the plan in %s: %s" % (plan_dir, exc.strerror or exc))
        counts = plan["summary"]
        result.update(changed=False, summary=counts, files=files, plan_dir=plan_dir, digest=plan["digest"])
        numbers = tuple(counts[k] for k in ("changes", "remediation", "report_only", "skipped", "unplannable"))
        result["msg"] = ("%d change(s) planned, %d need device remediation, %d report only, %d skipped, "
                         "%d not plannable. Plan digest %s. Review %s" % (numbers + (plan["digest"], files["markdown"])))
        return result
