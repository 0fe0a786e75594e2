# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one report of a run made in slices, from what every slice wrote; on the controller.

The files are written by the same functions as an unsliced run's (``drift_report``'s
``write_reports`` and ``point_latest``), from ``report.assemble`` on the union of the
slices' per-device results, so a merged run's report holds what the run's report holds
unsliced, whatever formats and parts that report gains.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.action.drift_report import (
    collection_version,
    point_latest,
    write_reports,
)
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import snapshot
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report, report_slices
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_merge import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector


def read_slices(run_dir):
    """``[(path, document)]`` of every slice file of the run; SliceError for one that cannot be read."""
    found = []
    for path in sorted(glob.glob(os.path.join(run_dir, "slices", "*.json"))):
        try:
            with open(path) as handle:
                found.append((path, json.load(handle)))
        except (IOError, OSError, ValueError) as exc:
            raise report_slices.SliceError("cannot read slice file %s: %s" % (path, exc))
    return found


def merge_run(args):
    """``(report document, run directory, problems, formats)``; raises SliceError, ReportError,
    PolicyError."""
    run_dir = os.path.join(args["report_dir"], snapshot.slug(args["run_id"]))
    if not os.path.isdir(os.path.join(run_dir, "slices")):
        raise report_slices.SliceError("run %s has no slices in %s (no slice of it has written its part yet)"
                                       % (args["run_id"], run_dir))
    merged = report_slices.merge(read_slices(run_dir), args["run_id"], args.get("hosts"), args.get("slices"))
    run = dict(merged["run"], ended=snapshot.now(),
               generated_by=("truthloop.netbox_drift %s" % collection_version()).strip())
    if args.get("fail_on"):
        run["fail_on"] = args["fail_on"]
    severity = policy.load({"severity": merged["severity"]})["severity"]
    doc = report.assemble(merged["results"], run, severity)
    formats = args["formats"] if args.get("formats") is not None else merged["formats"]
    return doc, run_dir, merged["problems"], formats


class ActionModule(ActionBase):
    """Read the slices, assemble, write, summarise, gate."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars or {})
        args = collector.validate(self._task.args, DOCUMENTATION, "drift_merge")
        try:
            doc, run_dir, problems, formats = merge_run(args)
        except (report_slices.SliceError, report.ReportError, policy.PolicyError) as exc:
            raise AnsibleActionFail("cannot merge run %s: %s; no report was written" % (args["run_id"], exc))
        try:
            files = write_reports(doc, run_dir, formats, doc["run"]["threshold"] or 0)
            moved = point_latest(args["report_dir"], run_dir, doc["run"].get("started"))
        except (IOError, OSError) as exc:
            raise AnsibleActionFail("cannot write the drift report in %s: %s" % (args["report_dir"], exc))
        slices = [s["slice"] for s in doc["run"]["slices"]]
        result.update(summary=doc["summary"], report_dir=run_dir, files=files, changed=False, latest=moved,
                      slices=slices, run_id=doc["run"]["id"], incomplete=problems)
        result["msg"] = "%s (run %s, %d slices merged). Report: %s" % (
            doc["summary"]["line"], doc["run"]["id"], len(slices), files.get("html") or files["json"])
        reasons = list(problems) + report.fail_reasons(doc, doc["run"]["fail_on"])
        if reasons:
            result["failed"] = True
            result["msg"] = "drift check failed (%s): %s. %s" % (
                "fail_on %s" % doc["run"]["fail_on"] if not problems else "run incomplete",
                "; ".join(reasons), result["msg"])
        return result
