# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report as Markdown (``drift.md``), sized for a pull-request or ticket comment.

``render(report, max_rows=200)``: the summary line, counts by class and by severity,
one row per device, the drift table (at most ``max_rows`` rows, then a line saying how
many were left out), the waived records and the unverified sections.

Every cell goes through ``cell()``: device-controlled text such as an interface
description must neither break the table (``|``, newlines) nor become markup
(backticks, emphasis, links, HTML).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_format as fmt

DRIFT_COLUMNS = ("device", "kind", "key", "field", "class", "severity", "NetBox value", "device value", "id")
# Characters Markdown gives a meaning to inside a table cell, escaped with a backslash.
_BACKSLASHED = "\\`*_[]|~"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def cell(value):
    """Text for one table cell: one line, nothing Markdown or HTML would interpret.
    Strings are taken as they are; other values are printed by ``value_text``."""
    text = value if isinstance(value, str) else fmt.value_text(value)
    out = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for index, char in enumerate(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char == "_" and _intraword(text, index):
            out.append(char)  # cannot start or end emphasis: keep names like missing_in_netbox readable
        elif char in _BACKSLASHED:
            out.append("\\" + char)
        elif char == "\n":
            out.append("<br>")
        elif ord(char) < 32 or char in ("\u2028", "\u2029"):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out).strip()


def _intraword(text, index):
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _table(header, rows, right=()):
    """A GitHub table; ``right`` holds the indexes of the columns to right-align (counts)."""
    lines = ["| %s |" % " | ".join(cell(name) for name in header)]
    lines.append("|%s|" % "|".join("---:" if index in right else "---" for index in range(len(header))))
    for row in rows:
        lines.append("| %s |" % " | ".join(cell(value) for value in row))
    return lines


def _summary(report):
    run = report.get("run") or {}
    summary = report.get("summary") or {}
    verdict = "**%s**" % fmt.verdict(summary)[1]
    lines = ["## NetBox drift report", ""]
    lines.append("%s: %s" % (verdict, cell(summary.get("line") or "no summary")))
    lines.append("")
    lines.append("Run %s, %s to %s, NetBox %s, fail on %s" % (
        cell(run.get("id")), cell(run.get("started")), cell(run.get("ended")),
        cell(run.get("netbox_url")), cell(run.get("fail_on"))))
    return lines


def _counts(report):
    """Counted drift by class beside counted drift by severity, one name per row."""
    summary = report.get("summary") or {}
    by_class = fmt.counts(summary.get("by_class"), fmt.CLASSES)
    by_severity = fmt.counts(summary.get("by_severity"), fmt.SEVERITIES)
    rows = []
    for index in range(max(len(by_class), len(by_severity))):
        left = list(by_class[index]) if index < len(by_class) else ["", ""]
        right = list(by_severity[index]) if index < len(by_severity) else ["", ""]
        rows.append(left + right)
    return ["### Counted drift", ""] + _table(["class", "drift", "severity", "drift"], rows, right=(1, 3))


def _devices(report):
    rows = []
    for entry in report.get("devices") or []:
        sections = ", ".join(str(item.get("section")) for item in fmt.unverified_of(report, entry))
        rows.append([entry.get("device"), entry.get("label") or entry.get("status"), entry.get("drift", 0),
                     entry.get("waived", 0), sections])
    if not rows:
        return ["### Devices", "", "No devices."]
    header = ["device", "status", "drift", "waived", "unverified sections"]
    return ["### Devices", ""] + _table(header, rows, right=(2, 3))


def _drift(report, max_rows):
    counted = [record for record in fmt.records(report) if fmt.is_counted(record)]
    if not counted:
        return ["### Drift", "", "No counted drift."]
    shown = counted[:max(0, max_rows)]
    rows = [[record.get("device"), record.get("kind"), record.get("key"), record.get("field"),
             record.get("class"), record.get("severity"), fmt.value_text(record.get("netbox_value")),
             fmt.value_text(record.get("device_value")), record.get("id")] for record in shown]
    lines = ["### Drift", ""]
    if rows:
        lines += _table(DRIFT_COLUMNS, rows)
    left_out = len(counted) - len(shown)
    if left_out:
        lines += ["", "%d more drift record%s not shown (of %d); the full list is in drift.json." % (
            left_out, "" if left_out == 1 else "s", len(counted))]
    return lines


def _waived(report):
    waived = [record for record in fmt.records(report) if not fmt.is_counted(record)]
    if not waived:
        return []
    rows = []
    for record in waived:
        waiver = record.get("waiver") or {}
        rows.append([record.get("device"), record.get("kind"), record.get("key"), record.get("field"),
                     waiver.get("reason"), waiver.get("expires"), record.get("id")])
    header = ["device", "kind", "key", "field", "reason", "expires", "id"]
    return ["### Waived", ""] + _table(header, rows)


def _unverified(report):
    entries = report.get("unverified") or []
    if not entries:
        return []
    lines = ["### Unverified", ""]
    for entry in entries:
        lines.append("- %s, %s: %s" % (
            cell(entry.get("device")), cell(entry.get("section")), cell(entry.get("reason"))))
    return lines


def render(report, max_rows=200):
    """The report as Markdown; at most ``max_rows`` rows of counted drift."""
    parts = [_summary(report), _counts(report), _devices(report), _drift(report, max_rows),
             _waived(report), _unverified(report)]
    lines = []
    for part in parts:
        if part:
            lines.extend(part)
            lines.append("")
    return "\n".join(lines)
