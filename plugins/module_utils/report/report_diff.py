# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's drift as Ansible's ``--diff``: NetBox's values before, the device's after.

Kept apart from ``report.py`` and light to import: the per-host task of a batched run
(``drift_host``) imports it once per host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import vlans


def host_diff(device, records):
    """Ansible's ``diff`` for one host: NetBox's values before, the device's after."""
    before, after = [], []
    for rec in records:
        if not rec["counted"]:
            continue
        where = "%s %s%s" % (rec["kind"], rec["key"], (" " + rec["field"]) if rec["field"] else "")
        before.append("%s: %s\n" % (where, _show(rec["netbox_value"], rec["class"], "missing_in_netbox")))
        after.append("%s: %s\n" % (where, _show(rec["device_value"], rec["class"], "missing_on_device")))
    return {"before": "".join(before), "after": "".join(after),
            "before_header": "NetBox: %s" % device, "after_header": "device: %s" % device}


def _show(value, cls, absent_class):
    if cls == absent_class:
        return "(absent)"
    if isinstance(value, dict):
        return ", ".join("%s=%s" % (k, value[k]) for k in sorted(value))
    if isinstance(value, list):
        if value and all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4094 for v in value):
            return vlans.compress(value)  # VLAN IDs as ranges, never thousands of numbers
        return ",".join(str(v) for v in value) or "(none)"
    return "(none)" if value is None else str(value)
