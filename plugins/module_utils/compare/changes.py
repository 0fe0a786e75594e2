# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed on a device between two runs: two device models, field by field.

Only sections that are ok in both runs are compared; operational state
(``oper_status``) is not a change of configuration and is left out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m

SKIP_FIELDS = ("oper_status", "name")


def _both_ok(before, after, section):
    return m.section_ok(before, section) and m.section_ok(after, section) \
        and before.get(section) is not None and after.get(section) is not None


def _change(kind, key, field, old, new):
    return {"kind": kind, "key": key, "field": field, "before": old, "after": new}


def _objects(kind, old, new, fields):
    """Changes between two ``{key: record}`` maps."""
    found = []
    for okey in sorted(set(old) | set(new)):
        if okey not in new:
            found.append(_change(kind, okey, None, old[okey], None))
        elif okey not in old:
            found.append(_change(kind, okey, None, None, new[okey]))
        else:
            for field in fields(old[okey], new[okey]):
                if old[okey].get(field) != new[okey].get(field):
                    found.append(_change(kind, okey, field, old[okey].get(field), new[okey].get(field)))
    return found


def _fields(left, right):
    return sorted(f for f in set(left) | set(right) if f not in SKIP_FIELDS)


def diff(before, after):
    """``[{kind, key, field, before, after}]`` from model ``before`` to model ``after``."""
    if not before or not after:
        return []
    found = []
    if _both_ok(before, after, "facts"):
        found.extend(_objects("device", {"facts": before["facts"]}, {"facts": after["facts"]}, _fields))
    if _both_ok(before, after, "interfaces"):
        old = dict((i["name"], i) for i in before["interfaces"].values())
        new = dict((i["name"], i) for i in after["interfaces"].values())
        found.extend(_objects("interface", old, new, _fields))
    if _both_ok(before, after, "vlans"):
        found.extend(_objects("vlan", before["vlans"], after["vlans"], _fields))
    if _both_ok(before, after, "neighbors"):
        old = dict((n["local_port"] + " " + n["protocol"], n) for n in before["neighbors"])
        new = dict((n["local_port"] + " " + n["protocol"], n) for n in after["neighbors"])
        found.extend(_objects("neighbor", old, new, _fields))
    return found
