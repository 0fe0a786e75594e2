# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report (``docs/drift-report.md``): per-device results in, one report out.

``device_result(...)`` is what the per-host comparison returns; ``assemble(results,
run)`` makes the report with its summary; ``fail_reasons(report, fail_on)`` says
why a pipeline should stop (drift at the gate's level, devices not verified), and
``fail_on_met`` whether it should.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import far_end
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import topology
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy as p

SCHEMA = "truthloop.netbox_drift/drift-report"
VERSION = 1
STATUSES = ("clean", "drift", "partial", "unverified", "skipped")
CLASSES = ("mismatch", "missing_in_netbox", "missing_on_device", "name_only")


class ReportError(Exception):
    """A report that cannot be made."""


def check_fail_on(value):
    """``never``, ``any`` or ``severity:<low|medium|high>``; raises ReportError otherwise."""
    value = str(value or "never").strip().lower()
    if value in ("never", "any"):
        return value
    level = value.split(":", 1)[1] if value.startswith("severity:") else None
    if level not in p.SEVERITIES:
        raise ReportError("fail_on must be never, any or severity:<%s>, got %r" % ("|".join(p.SEVERITIES), value))
    return value


def threshold_of(fail_on):
    return fail_on.split(":", 1)[1] if fail_on.startswith("severity:") else None


def label(status, unverified):
    """The status for a person: ``drift, 2 sections unverified``; ``partial`` reads as what
    it means (no drift in what could be verified)."""
    count = len(unverified or ())
    sections = "%d section%s unverified" % (count, "" if count == 1 else "s")
    if status == "drift":
        return "drift, %s" % sections if count else "drift"
    if status == "partial":
        return "no drift found, %s" % sections
    return status


def device_result(device, platform, compared, records, **extra):
    """The per-device entry: ``compared`` from compare.compare, ``records`` after policy.
    Drift wins over unverified sections: a device with counted drift is ``drift`` whatever
    could not be verified beside it (the label says how much)."""
    counted = [r for r in records if r["counted"]]
    unverified = list(compared["unverified"])
    status = compared["status"]
    if status != "unverified":
        status = "drift" if counted else ("partial" if unverified else "clean")
    entry = {
        "device": device, "platform": platform, "status": status, "label": label(status, unverified),
        "drift": len(counted), "waived": len(records) - len(counted),
        "unverified": unverified, "records": records,
    }
    entry.update(extra)
    return entry


def skipped_result(device, platform, reason, **extra):
    entry = {"device": device, "platform": platform, "status": "skipped", "label": "skipped: %s" % reason,
             "drift": 0, "waived": 0, "unverified": [], "records": [], "skipped": reason}
    entry.update(extra)
    return entry


def _count(values, keys):
    counts = dict((k, 0) for k in keys)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def summary_line(summary):
    status = summary["by_status"]
    sev = summary["by_severity"]
    partly = summary.get("partly_verified") or 0
    line = ("%d devices: %d with drift, %d clean, %d partial, %d unverified, %d skipped%s; "
            "%d drift (high %d, medium %d, low %d), %d waived" % (
                summary["devices"], status["drift"], status["clean"], status["partial"],
                status["unverified"], status["skipped"],
                " (%d with sections unverified)" % partly if partly else "",
                summary["drift"], sev["high"], sev["medium"], sev["low"], summary["waived"]))
    found = summary.get("discovery")
    if found and found.get("error"):
        return line + "; discovery failed: %s" % found["error"]
    if found:
        line += "; discovery: %d device(s) not in NetBox, %d NetBox device(s) nobody sees" % (
            found["not_in_netbox"], found["unseen"])
    return line


PER_DEVICE_ONLY = ("records", "neighbors", "cables")  # in the report as drift records and topology


def discovery_block(discovery, records):
    """``(report's discovery section, summary's discovery counts)`` of a discovery result
    (``{"records", "log"}``, or ``{"error"}`` when it did not complete)."""
    if discovery.get("error"):
        return {"error": discovery["error"]}, {"error": discovery["error"]}
    mine = [r for r in records if r.get("kind") == "device" and r.get("counted", True)]
    return dict(discovery.get("log") or {}), {
        "not_in_netbox": sum(1 for r in mine if r["class"] == "missing_in_netbox"),
        "unseen": sum(1 for r in mine if r["class"] == "missing_on_device")}


def assemble(results, run, severity=None, role_order=None, discovery=None):
    """The report from per-device results (any order) and the run's metadata; each
    cable record is checked from the far end of its link (``far_end``), and one seen
    from one end only takes the severity of rule ``cable.one_sided`` in ``severity``
    (the policy's severity rules). The ``topology`` part is built from the results'
    cables, neighbours and records (``topology.build``; ``role_order``: its layers).
    ``discovery``: the result of discovery (``{"records", "log"}`` or ``{"error"}``),
    whose records join the drift and whose log is the report's ``discovery`` section."""
    fail_on = check_fail_on(run.get("fail_on"))
    results = sorted((dict(r, records=[dict(rec) for rec in r["records"]]) for r in results),
                     key=lambda r: r["device"])
    far_end.corroborate(results, p.one_sided_severity(severity))
    drift, unverified, devices = [], [], []
    for result in results:
        entry = dict((k, v) for k, v in result.items() if k not in PER_DEVICE_ONLY)
        devices.append(entry)
        drift.extend(result["records"])
        for item in result.get("unverified") or []:
            unverified.append(dict(item, device=result["device"]))
    found = [dict(rec) for rec in (discovery or {}).get("records") or []]
    drift.extend(found)
    drift.sort(key=lambda r: (r["device"], r["kind"], str(r["key"]), r["field"] or ""))
    counted = [r for r in drift if r["counted"]]
    summary = {
        "devices": len(devices),
        "by_status": _count([d["status"] for d in devices], STATUSES),
        "partly_verified": sum(1 for d in devices if d["status"] in ("drift", "partial") and d.get("unverified")),
        "drift": len(counted),
        "waived": len(drift) - len(counted),
        "by_class": _count([r["class"] for r in counted], CLASSES),
        "by_severity": _count([r["severity"] for r in counted], p.SEVERITIES),
    }
    report = {"schema": SCHEMA, "version": VERSION, "run": dict(run, fail_on=fail_on),
              "summary": summary, "devices": devices, "drift": drift, "unverified": unverified,
              "topology": topology.build(results, role_order)}
    if discovery is not None:
        report["discovery"], summary["discovery"] = discovery_block(discovery, found)
    summary["line"] = summary_line(summary)
    summary["failed"] = fail_on_met(report, fail_on)
    return report


def fail_reasons(report, fail_on):
    """Why the run fails its ``fail_on`` gate; empty when it passes.

    ``never`` never fails. ``any`` fails on any counted drift, ``severity:<level>`` on
    counted drift at or above that level, and both on any device not fully verified
    (``unverified``, or with unverified sections: ``partial``, or ``drift`` beside them):
    a gate that says "no drift" must not pass on devices that could not be checked.
    Skipped devices (ignored by policy) never count.
    """
    fail_on = check_fail_on(fail_on)
    if fail_on == "never":
        return []
    level = threshold_of(fail_on)
    reasons = []
    counted = [r for r in report["drift"] if p.counts_at(r, level)]
    if counted:
        reasons.append("%d drift record(s)%s" % (len(counted), " at or above %s" % level if level else ""))
    doubtful = [d["device"] for d in report["devices"]
                if d["status"] == "unverified" or (d["status"] != "skipped" and d.get("unverified"))]
    if doubtful:
        shown = ", ".join(doubtful[:10]) + (", ..." if len(doubtful) > 10 else "")
        reasons.append("%d device(s) not verified: %s" % (len(doubtful), shown))
    if (report.get("discovery") or {}).get("error"):
        reasons.append("discovery did not complete: %s" % report["discovery"]["error"])
    return reasons


def fail_on_met(report, fail_on):
    return bool(fail_reasons(report, fail_on))


def to_json(report):
    """``drift.json``'s text: indented, keys sorted, except that each node and link of the
    topology is one line (at 200 devices that is 40 % fewer bytes, and a diff of two runs
    shows one line per changed link)."""
    topo = report.get("topology")
    if not isinstance(topo, dict):
        return json.dumps(report, indent=1, sort_keys=True, default=str) + "\n"
    placeholder = "topology:%s" % id(topo)
    text = json.dumps(dict(report, topology=placeholder), indent=1, sort_keys=True, default=str)
    parts = []
    for key in sorted(topo):
        value = topo[key]
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            items = ",\n".join("   " + json.dumps(item, sort_keys=True, default=str) for item in value)
            parts.append('  "%s": [\n%s\n  ]' % (key, items))
        else:
            parts.append('  "%s": %s' % (key, json.dumps(value, sort_keys=True, default=str)))
    return text.replace(json.dumps(placeholder), "{\n%s\n }" % ",\n".join(parts), 1) + "\n"
