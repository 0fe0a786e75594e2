# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After a write, whether NetBox holds what was written: NetBox drops what it does not
know (a custom field it does not have, for one) and the module still reports a change,
so the apply step reads every object back and asks ``verify(change, current)``.

``verify`` gives ``(missing, held)``: ``missing`` lists ``(field, planned, held)`` for
every planned value NetBox does not hold, ``held`` is what NetBox holds now for the
change's fields, in the plan's vocabulary (VLANs by VID, choices by value, LAG, VRF
and platform by name or slug), for the journal. ``current`` is the object read back
(None: not in NetBox).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply as decide

# parameters that find or place the object rather than set a value on it
LOOKUPS = ("device", "site", "vlan_group", "termination_a_type", "termination_a", "termination_b_type",
           "termination_b")
NAMES = ("name", "lag", "assigned_object")  # compared without regard to case
REFERENCES = ("role", "device_role", "device_type", "platform", "tenant")  # planned by slug or name: either matches
HELD_AS = {"device_role": "role"}  # module parameters NetBox 4 holds under another name


def shown(key, item):
    """A NetBox value (or a planned parameter) in the plan's vocabulary."""
    if isinstance(item, list):
        return sorted((shown(key, one) for one in item), key=str)
    if not isinstance(item, dict):
        return item
    if key == "custom_fields":
        return item
    if key == "assigned_object":
        return {"device": decide._name(item.get("device")), "name": item.get("name")}
    if "vid" in item:
        return decide._vid(item)
    if "value" in item and "label" in item:
        return item.get("value")
    if key == "platform" and item.get("slug"):
        return item.get("slug")
    if key in ("primary_ip4", "primary_ip6"):
        return item.get("address")
    return item.get("name") if item.get("name") is not None else item.get("slug")


def _same(key, planned, held, raw):
    if key == "custom_fields":
        have = raw or {}
        return all(have.get(name) == value for name, value in (planned or {}).items())
    if key in ("platform",) + REFERENCES and isinstance(raw, dict):
        return str(planned).lower() in (str(raw.get("slug")).lower(), str(raw.get("name")).lower())
    if key == "platform":
        return planned in ((raw or {}).get("slug"), (raw or {}).get("name"))
    if key in NAMES:
        return str(planned).strip().lower() == str(held).strip().lower()
    return planned == held


def _held_field(change, current):
    """The change's field as NetBox holds it now (an update)."""
    field, kind = change.get("field"), change.get("kind")
    if kind == "ip_address" and field == "interface":
        return (current.get("assigned_object") or {}).get("name")
    if kind == "device" and field == "os_version":
        names = list(((change.get("data") or {}).get("data") or {}).get("custom_fields") or {})
        return (current.get("custom_fields") or {}).get(names[0]) if names else None
    if field == "tagged_vlans" and decide._value(current.get("mode")) == "tagged-all":
        return "all"
    return shown(field, current.get(field))


def verify(change, current):
    """``(missing, held)``; see the module docstring."""
    action = change.get("action")
    if action == "delete":
        held = None if current is None else "still in NetBox (id %s)" % current.get("id")
        return ([] if current is None else [("object", "deleted", held)]), held
    if current is None:
        return [("object", "present", "not in NetBox")], None
    if action == "update":
        held = _held_field(change, current)
        if decide.holds(change, current):
            return [], held
        return [(change.get("field"), change.get("after"), held)], held
    missing, held = [], {}
    for key, planned in sorted(((change.get("data") or {}).get("data") or {}).items()):
        if key in LOOKUPS:
            continue
        raw = current.get(HELD_AS.get(key, key))
        held[key] = shown(key, raw)
        if not _same(key, shown(key, planned), held[key], raw):
            missing.append((key, shown(key, planned), held[key]))
    return missing, held


def describe_missing(missing):
    """One sentence for the failure: what NetBox did not take, and what it holds."""
    return "; ".join("NetBox did not take %s: the plan wrote %s, NetBox holds %s" % (
        field, decide.shown_value(planned), decide.shown_value(held)) for field, planned, held in missing)
