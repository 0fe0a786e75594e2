# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the drift report renderers share: the vocabularies in display order, one way
to print a value, and the records of a device.

Plain data in, plain strings out; the report is the one described in
``docs/drift-report.md`` (schema version 1). Every lookup tolerates a missing field so
that a report from a newer minor writer, or a half-written one, still renders.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import vlans

STATUSES = ("clean", "drift", "partial", "unverified", "skipped")
CLASSES = ("mismatch", "missing_in_netbox", "missing_on_device", "name_only")
SEVERITIES = ("high", "medium", "low")
KINDS = ("device", "interface", "ip_address", "vlan", "cable")
NONE_TEXT = "\u2014"  # an em dash: the value is absent (or null: the platform default)


def value_text(value):
    """One line of text for a drift value: ``None`` is an em dash, booleans are
    ``true``/``false``, a list of numbers (VLAN IDs) is ranges (``2-4094``, never 4,093
    numbers), other lists are comma-separated, a cable peer is ``device:port``.
    The HTML page's script prints values the same way (report_html_assets)."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_vid_list(value):
        return vlans.compress(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        if set(value) == {"device", "port"}:
            return "%s:%s" % (value_text(value["device"]), value_text(value["port"]))
        return ", ".join("%s=%s" % (key, value_text(value[key])) for key in sorted(value))
    if value == "":
        return '""'
    return str(value)


def is_vid_list(value):
    """A non-empty list of whole numbers from 1 to 4094: VLAN IDs, printed as ranges."""
    return isinstance(value, (list, tuple)) and bool(value) and all(
        isinstance(item, int) and not isinstance(item, bool) and vlans.MIN_VID <= item <= vlans.MAX_VID
        for item in value)


def verdict(summary):
    """``(css name, label)`` of a run for a person: the gate first (``fail_on`` met), then
    what was found. A run with drift that the gate lets through is not "passed"."""
    summary = summary or {}
    status = summary.get("by_status") or {}
    if summary.get("failed"):
        return "failed", "FAILED"
    if summary.get("drift"):
        return "drift", "drift found"
    if status.get("unverified") or status.get("partial"):
        return "unverified", "not all verified"
    return "clean", "clean"


def records(report):
    """The report's drift records (a list, whatever the report holds)."""
    return [record for record in report.get("drift") or [] if isinstance(record, dict)]


def device_records(report, device, counted=None):
    """The drift records of one device; with ``counted`` only the counted (True) or
    only the waived (False) ones."""
    found = [record for record in records(report) if record.get("device") == device]
    if counted is None:
        return found
    return [record for record in found if bool(record.get("counted", True)) is counted]


def is_counted(record):
    """Whether a record counts: it does unless it says otherwise (waived)."""
    return bool(record.get("counted", True))


def unverified_of(report, device_entry):
    """A device's unverified sections: its own list, else the report's entries for it."""
    own = device_entry.get("unverified")
    if own:
        return list(own)
    name = device_entry.get("device")
    return [entry for entry in report.get("unverified") or [] if entry.get("device") == name]


def counts(mapping, names):
    """``(name, count)`` for the known names in order, then any others the report has."""
    mapping = mapping or {}
    known = [(name, int(mapping.get(name) or 0)) for name in names]
    extra = [(name, int(mapping[name] or 0)) for name in sorted(mapping) if name not in names]
    return known + extra


def parse_time(text):
    """An ISO 8601 timestamp (``Z`` or an offset) as an aware datetime, or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def seconds_between(started, ended):
    """Seconds from one timestamp to another (0.0 when either is missing or unreadable)."""
    first, last = parse_time(started), parse_time(ended)
    if first is None or last is None:
        return 0.0
    return max(0.0, (last - first).total_seconds())
