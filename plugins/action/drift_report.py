# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One report for the run from every host's comparison; written on the controller."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import yaml

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import snapshot
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import (
    report,
    report_format,
    report_html,
    report_junit,
    report_markdown,
    report_slices,
    topology_draw,
    topology_svg,
)
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_report import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

FILES = {"json": "drift.json", "markdown": "drift.md", "html": "drift.html", "junit": "junit.xml",
         "topology": "topology.html", "topology_svg": "topology.svg"}


def collection_version():
    """From the built collection's MANIFEST.json, else the checkout's galaxy.yml."""
    try:
        with open(os.path.join(ROOT, "MANIFEST.json")) as handle:
            return json.load(handle)["collection_info"]["version"]
    except (IOError, OSError, ValueError, KeyError):
        pass
    try:
        with open(os.path.join(ROOT, "galaxy.yml")) as handle:
            return str(yaml.safe_load(handle).get("version") or "")
    except (IOError, OSError, yaml.YAMLError, AttributeError):
        return ""


def _missing(host, registered):
    reason = "the host has no comparison result"
    if isinstance(registered, dict) and registered.get("msg"):
        reason = "the comparison failed: %s" % registered["msg"]
    return {"device": host, "platform": None, "status": "unverified", "drift": 0, "waived": 0,
            "unverified": [{"section": "all", "reason": reason}], "records": []}


def discovery_of(registered):
    """The result of M(truthloop.netbox_drift.discover) for the report: its ``discovery``,
    ``{"error"}`` when it failed, None when it did not run."""
    if not isinstance(registered, dict) or registered.get("skipped"):
        return None
    if isinstance(registered.get("discovery"), dict) and not registered.get("failed"):
        return registered["discovery"]
    return {"error": str(registered.get("msg") or "the discover task gave no result")}


def _write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_reports(doc, run_dir, formats, threshold):
    """Write each format's file(s); returns ``{format: path}``. The topology pictures are
    drawn once, for drift.html and the topology files; without Graphviz they are a note."""
    pictures = None
    if "html" in formats or "topology" in formats:
        records = dict((rec.get("id"), rec) for rec in doc.get("drift") or [])
        pictures = topology_draw.draw_all(doc.get("topology"), records)
    render = {
        "json": lambda: report.to_json(doc),
        "markdown": lambda: report_markdown.render(doc),
        "html": lambda: report_html.render(doc, pictures),
        "junit": lambda: report_junit.render(doc, threshold),
        "topology": lambda: report_html.render_topology(doc, pictures),
    }
    files = {}
    for fmt in ["json"] + [f for f in formats if f != "json"]:
        files[fmt] = os.path.join(run_dir, FILES[fmt])
        _write(files[fmt], render[fmt]())
    if "topology" in formats:
        files["topology_svg"] = os.path.join(run_dir, FILES["topology_svg"])
        _write(files["topology_svg"], _standalone_svg(doc, pictures))
        for picture in pictures["sites"]:
            _write(os.path.join(run_dir, "topology-%s.svg" % re.sub(r"[^A-Za-z0-9_.-]+", "_", picture["site"])),
                   topology_svg.standalone(picture["svg"]))
    return files


def _standalone_svg(doc, pictures):
    """topology.svg: the whole run with its legend, or the note saying why there is none."""
    if pictures.get("whole") is None:
        return topology_svg.note_svg(pictures.get("note") or "No topology picture.")
    records = dict((rec.get("id"), rec) for rec in doc.get("drift") or [])
    try:
        return topology_svg.standalone(topology_draw.draw(doc["topology"], legend=True, records=records)["svg"])
    except topology_draw.DrawError as exc:
        return topology_svg.note_svg("No topology picture: %s" % exc)


def _started(run_dir):
    """When the run whose report is in ``run_dir`` started, or None."""
    try:
        with open(os.path.join(run_dir, FILES["json"])) as handle:
            return report_format.parse_time((json.load(handle).get("run") or {}).get("started"))
    except (IOError, OSError, ValueError, AttributeError):
        return None


def point_latest(report_dir, run_dir, started):
    """``<report_dir>/latest`` -> this run, replaced in one step, unless it points at a run
    that started later (two runs at once: latest is the newest run, not the last to end).
    Returns whether it moved."""
    link = os.path.join(report_dir, "latest")
    current = os.path.realpath(link) if os.path.lexists(link) else None
    newer = _started(current) if current and current != os.path.realpath(run_dir) else None
    mine = report_format.parse_time(started)
    if newer is not None and mine is not None and newer > mine:
        return False
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(os.path.basename(run_dir), tmp)
    os.replace(tmp, link)
    return True


class ActionModule(ActionBase):
    """Gather, write, summarise, gate."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = collector.validate(self._task.args, DOCUMENTATION, "drift_report")
        hosts = args["hosts"] if args.get("hosts") is not None else task_vars.get("ansible_play_hosts_all") or []
        hostvars = task_vars.get("hostvars") or {}
        results = []
        for host in hosts:
            if args.get("results") is not None:
                registered = {"device_drift": args["results"].get(host)}
            else:
                registered = (hostvars.get(host) or {}).get(args["result_var"])
            entry = (registered or {}).get("device_drift") if isinstance(registered, dict) else None
            results.append(entry if entry else _missing(host, registered))
        run = {"id": args["run_id"], "started": args.get("started"), "ended": snapshot.now(),
               "netbox_url": args.get("netbox_url"), "fail_on": args["fail_on"],
               "threshold": args["junit_threshold"], "settings": dict(args.get("settings") or {}),
               "generated_by": ("truthloop.netbox_drift %s" % collection_version()).strip()}
        try:
            severity = policy.load({"severity": args["severity"]})["severity"]
            if args.get("slice"):
                report_slices.check_name(args["slice"])
            doc = report.assemble(results, run, severity, args.get("topology_role_order"),
                                  discovery_of(task_vars.get(args["discovery_var"] or "")))
        except (report.ReportError, policy.PolicyError, report_slices.SliceError) as exc:
            raise AnsibleActionFail(str(exc))
        if args.get("slice"):
            return self._write_slice(result, args, results, run, doc)
        try:
            # reports are meant to be read (a wiki, a web server, AWX artefacts): they follow the
            # user's umask; the snapshots of raw device outputs are private (snapshot.py)
            run_dir = os.path.join(args["report_dir"], snapshot.slug(args["run_id"]))
            os.makedirs(run_dir, exist_ok=True)
            files = write_reports(doc, run_dir, args["formats"], args["junit_threshold"])
            moved = point_latest(args["report_dir"], run_dir, args.get("started"))
        except (IOError, OSError, report_html.RenderError) as exc:
            raise AnsibleActionFail("cannot write the drift report in %s: %s" % (args["report_dir"], exc))
        result.update(summary=doc["summary"], report_dir=run_dir, files=files, changed=False, latest=moved)
        result["msg"] = "%s. Report: %s" % (doc["summary"]["line"], files.get("html") or files["json"])
        if (doc.get("discovery") or {}).get("error"):
            result["warnings"] = ["discovery did not complete, so its report is not a finding that nothing is "
                                  "missing: %s" % doc["discovery"]["error"]]
        reasons = report.fail_reasons(doc, args["fail_on"])
        if reasons:
            result["failed"] = True
            result["msg"] = "drift check failed (fail_on %s): %s. %s" % (
                args["fail_on"], "; ".join(reasons), result["msg"])
        return result

    @staticmethod
    def _write_slice(result, args, results, run, doc):
        """A slice of a run: its hosts' results (with their neighbours, before the far-end
        check) in ``<run dir>/slices/<slice>.json`` for the merge; no report, no
        ``latest``, no gate (the merge applies them to the whole run)."""
        plain = json.loads(json.dumps(results, default=str))  # Ansible's containers as plain JSON
        data = report_slices.slice_doc(args["slice"], run, plain, args["severity"], args["formats"],
                                       json.loads(json.dumps(args["peers"], default=str)))
        run_dir = os.path.join(args["report_dir"], snapshot.slug(args["run_id"]))
        path = os.path.join(run_dir, "slices", args["slice"] + ".json")
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        except (IOError, OSError) as exc:
            raise AnsibleActionFail("cannot write slice %s of run %s in %s: %s" % (
                args["slice"], args["run_id"], args["report_dir"], exc))
        # the gate is the merged run's: a slice's summary never fails it
        result.update(summary=dict(doc["summary"], failed=False), report_dir=run_dir, slice_file=path, files={},
                      changed=False, latest=False)
        result["msg"] = ("slice %s of run %s: %s. The run's report is written when its slices are merged "
                         "(truthloop.netbox_drift.merge); cables between slices are checked then" % (
                             args["slice"], args["run_id"], doc["summary"]["line"]))
        return result
