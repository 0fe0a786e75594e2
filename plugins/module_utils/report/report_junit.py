# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report as JUnit XML (``junit.xml``) for a CI system's test view.

``render(report, threshold=None)``: one ``<testsuite name="netbox_drift">`` with one
``<testcase classname="netbox_drift.<site or platform>" name="<device>">`` per device.

* a device with more counted drift than the threshold (the argument, else the run's
  ``threshold``, else 0) has a ``<failure>`` listing each counted record;
* an ``unverified`` device has an ``<error>`` with the reasons;
* a ``partial`` device fails on drift only; its unverified sections are in ``<system-out>``;
* a ``skipped`` device is ``<skipped/>``.

ElementTree does all the escaping; characters XML 1.0 cannot hold at all (control
characters from a device's output) are replaced first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import xml.etree.ElementTree as ET

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_format as fmt

SUITE = "netbox_drift"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    """A string XML 1.0 can hold."""
    text = value if isinstance(value, str) else fmt.value_text(value)
    return _NOT_XML.sub("\ufffd", text)


def _threshold(report, threshold):
    if threshold is None:
        threshold = (report.get("run") or {}).get("threshold")
    try:
        return int(threshold or 0)
    except (TypeError, ValueError):
        return 0


def record_line(record):
    """``kind key field: netbox -> device, id`` (no field for an object missing on one side)."""
    subject = " ".join(str(part) for part in (record.get("kind"), record.get("key"), record.get("field"))
                       if part is not None)
    return "%s: %s -> %s, %s" % (subject, fmt.value_text(record.get("netbox_value")),
                                 fmt.value_text(record.get("device_value")), record.get("id"))


def _severity_text(records):
    found = [(name, sum(1 for record in records if record.get("severity") == name)) for name in fmt.SEVERITIES]
    return ", ".join("%s %d" % (name, count) for name, count in found if count)


def _drift_count(entry, counted):
    """The device's counted drift: its own figure, else the records found for it."""
    value = entry.get("drift")
    return value if isinstance(value, int) and not isinstance(value, bool) else len(counted)


def _system_out(passed_lines, reasons, waived, limit):
    """What a CI view shows beside the outcome: drift within the threshold, the
    sections that could not be verified, the waived records."""
    out = []
    if passed_lines:
        out.append("counted drift within the threshold (%d):" % limit)
        out.extend("  " + line for line in passed_lines)
    if reasons:
        out.append("unverified sections:")
        out.extend("  " + reason for reason in reasons)
    for record in waived:
        waiver = record.get("waiver") or {}
        out.append("waived: %s (%s, expires %s)" % (record_line(record), waiver.get("reason"), waiver.get("expires")))
    return "\n".join(out)


def _case_outcome(report, entry, limit):
    """``(kind, message, body, system_out)`` for one device; kind is failure, error,
    skipped or None (passed)."""
    name = entry.get("device")
    status = entry.get("status")
    if status == "skipped":
        reason = entry.get("skipped")
        return "skipped", reason if isinstance(reason, str) and reason else "excluded by policy", "", ""
    reasons = ["%s: %s" % (item.get("section"), item.get("reason")) for item in fmt.unverified_of(report, entry)]
    if status == "unverified":
        message = "unverified: %s" % "; ".join(reasons or ["nothing could be verified"])
        return "error", message, "\n".join(reasons), ""
    counted = fmt.device_records(report, name, counted=True)
    waived = fmt.device_records(report, name, counted=False)
    lines = [record_line(record) for record in counted]
    count = _drift_count(entry, counted)
    if count > limit:
        message = "%d counted drift (threshold %d): %s" % (count, limit, _severity_text(counted) or "no records")
        return "failure", message, "\n".join(lines), _system_out([], reasons, waived, limit)
    return None, "", "", _system_out(lines, reasons, waived, limit)


def _classname(entry):
    group = entry.get("site") or entry.get("platform") or "unknown"
    return "%s.%s" % (SUITE, str(group).replace(".", "_"))


def _case(report, entry, limit):
    """One ``<testcase>`` and its outcome kind."""
    collected = entry.get("collected") or {}
    case = ET.Element("testcase", {
        "classname": _text(_classname(entry)),
        "name": _text(entry.get("device") or "unknown"),
        "time": "%.3f" % fmt.seconds_between(collected.get("started"), collected.get("ended")),
    })
    kind, message, body, system_out = _case_outcome(report, entry, limit)
    if kind == "skipped":
        ET.SubElement(case, "skipped", {"message": _text(message)})
    elif kind is not None:
        kind_type = "drift" if kind == "failure" else "unverified"
        element = ET.SubElement(case, kind, {"message": _text(message), "type": kind_type})
        element.text = _text(body)
    if system_out:
        ET.SubElement(case, "system-out").text = _text(system_out)
    return case, kind


def _properties(suite, report, limit):
    run = report.get("run") or {}
    properties = ET.SubElement(suite, "properties")
    values = [("run_id", run.get("id")), ("started", run.get("started")), ("ended", run.get("ended")),
              ("netbox_url", run.get("netbox_url")), ("generated_by", run.get("generated_by")),
              ("fail_on", run.get("fail_on")), ("threshold", limit),
              ("schema_version", report.get("version")), ("summary", (report.get("summary") or {}).get("line"))]
    for name, value in values:
        if value is not None:
            ET.SubElement(properties, "property", {"name": name, "value": _text(str(value))})


def render(report, threshold=None):
    """The report as a JUnit XML document (a string, with its XML declaration)."""
    limit = _threshold(report, threshold)
    run = report.get("run") or {}
    root = ET.Element("testsuites", {"name": SUITE})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE})
    if run.get("started"):
        suite.set("timestamp", _text(run["started"]))
    _properties(suite, report, limit)
    totals = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    for entry in report.get("devices") or []:
        case, kind = _case(report, entry, limit)
        suite.append(case)
        totals["tests"] += 1
        if kind is not None:
            totals[kind] += 1
    attributes = {"tests": str(totals["tests"]), "failures": str(totals["failure"]),
                  "errors": str(totals["error"]), "skipped": str(totals["skipped"]),
                  "time": "%.3f" % fmt.seconds_between(run.get("started"), run.get("ended"))}
    for element in (root, suite):
        for name, value in attributes.items():
            element.set(name, value)
    if hasattr(ET, "indent"):
        ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
