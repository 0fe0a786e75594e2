# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The apply step's decisions, without NetBox or Ansible: for each approved change of a
plan (``plan.py``) and the object re-read from NetBox just before,

* ``unchanged`` when NetBox already holds the planned value (so applying a plan twice
  writes nothing the second time, although the first apply moved ``last_updated``),
  or the object to delete is gone already;
* ``stale`` when the object changed since the plan (its ``last_updated`` moved) or an
  object to update is gone: refused, nothing written;
* ``apply`` otherwise. Creates are not checked: the ``netbox.netbox`` modules find an
  existing object themselves and report it unchanged; except a new device (discovery),
  which NetBox must still lack: ``current`` is then the device of that name NetBox holds
  now, and one there is ``stale`` (the module would overwrite it with the plan's values).

``decide(change, current)`` gives ``(verdict, reason)``; ``current`` is NetBox's raw JSON
of the object, or None when it is not there. ``journal_target`` and ``journal_text``
make the journal entry of an applied change, from what NetBox holds after the write
(``apply_verify``); ``failure_reason`` finds why a module failed (its ``msg``, the
message of its ``exception`` as ansible-core 2.19 returns it, the HTTP status);
``diff`` is a change's Ansible diff, before and after in the plan's vocabulary.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re

APPLY, UNCHANGED, STALE = "apply", "unchanged", "stale"
# NetBox object type -> API path, for the re-read
API_PATHS = {"dcim.interface": "dcim/interfaces", "dcim.device": "dcim/devices",
             "ipam.ipaddress": "ipam/ip-addresses", "ipam.vlan": "ipam/vlans", "dcim.cable": "dcim/cables"}
# netbox.netbox module -> (key of the object in its result, NetBox object type)
MODULE_OBJECTS = {"netbox_device_interface": ("interface", "dcim.interface"),
                  "netbox_ip_address": ("ip_address", "ipam.ipaddress"),
                  "netbox_vlan": ("vlan", "ipam.vlan"), "netbox_cable": ("cable", "dcim.cable"),
                  "netbox_device": ("device", "dcim.device")}
SIGNATURE = "truthloop.netbox_drift"


def _value(item):
    """A NetBox choice (``{"value", "label"}``) or plain value, as its value."""
    return item.get("value") if isinstance(item, dict) else item


def _name(item):
    return item.get("name") if isinstance(item, dict) else item


def _vid(item):
    vid = item.get("vid") if isinstance(item, dict) else item
    try:
        return int(vid)
    except (TypeError, ValueError):
        return None


def _same_name(left, right):
    if left is None or right is None:
        return left is right
    return str(left).strip().lower() == str(right).strip().lower()


def _data(change):
    return (change.get("data") or {}).get("data") or {}


def _interface_holds(field, after, data, current):
    if field == "description":
        return (current.get("description") or "") == (after or "")
    if field == "enabled":
        return current.get("enabled") is not None and bool(current.get("enabled")) == bool(after)
    if field == "mtu":
        return current.get("mtu") == after
    if field == "mode":
        return _value(current.get("mode")) == after
    if field == "untagged_vlan":
        return _vid(current.get("untagged_vlan")) == _vid(after)
    if field == "tagged_vlans":
        if after == "all":
            return _value(current.get("mode")) == "tagged-all"
        vids = sorted(_vid(vlan) for vlan in current.get("tagged_vlans") or [])
        mode_ok = "mode" not in data or _value(current.get("mode")) == data["mode"]
        return mode_ok and vids == sorted(_vid(vid) for vid in after or [])
    if field == "lag":
        return _same_name(_name(current.get("lag")), after)
    if field == "vrf":
        return _name(current.get("vrf")) == after
    return False


def _address_holds(field, after, change, current):
    if field == "vrf":
        return _name(current.get("vrf")) == after
    if field == "interface":
        assigned = current.get("assigned_object") or {}
        return (current.get("assigned_object_type") == "dcim.interface"
                and _same_name(assigned.get("name"), after)
                and _name(assigned.get("device")) == change["device"])
    return False


def _device_holds(field, after, data, current):
    if field == "serial":
        return (current.get("serial") or "") == (after or "")
    if field == "platform":
        platform = current.get("platform") or {}
        wanted = data.get("platform", after)
        return wanted is not None and wanted in (platform.get("slug"), platform.get("name"))
    if field == "os_version":
        fields = data.get("custom_fields") or {}
        present = current.get("custom_fields") or {}
        return bool(fields) and all(present.get(key) == value for key, value in fields.items())
    return False


def holds(change, current):
    """Whether the NetBox object ``current`` already holds the change's planned value
    (in NetBox's vocabulary: choices by value, VLANs by VID, LAG and VRF by name)."""
    if not isinstance(current, dict) or change.get("action") != "update":
        return False
    kind, field, after, data = change.get("kind"), change.get("field"), change.get("after"), _data(change)
    if kind == "interface":
        return _interface_holds(field, after, data, current)
    if kind == "ip_address":
        return _address_holds(field, after, change, current)
    if kind == "device":
        return _device_holds(field, after, data, current)
    return False


def _instant(text):
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)


def _cable_ends(cable):
    ends = set()
    for side in ("a_terminations", "b_terminations"):
        for term in cable.get(side) or []:
            obj = term.get("object") or {}
            ends.add((_name(obj.get("device")), str(obj.get("name") or "").lower()))
    return ends


def _cable_still(change, current):
    """A cable planned without a timestamp: it must still join the device's port and the planned far end."""
    before = change.get("before") or {}
    wanted = set([(change["device"], str(change["key"]).lower()),
                  (before.get("device"), str(before.get("port") or "").lower())])
    return wanted <= _cable_ends(current)


def describe(change):
    obj = change.get("object") or {}
    return "%s %s" % (obj.get("type") or change.get("kind"), obj.get("id") or change.get("key"))


def decide(change, current):
    """``(verdict, reason)`` for one approved change and its re-read object (None: gone)."""
    if change.get("action") == "create":
        if change.get("kind") == "device" and not change.get("field") and current is not None:
            return STALE, ("NetBox has a device named %s now (id %s), which it did not have when planned: it is not "
                           "overwritten; discover and plan again" % (change.get("key"), current.get("id")))
        return APPLY, None
    if current is None:
        if change.get("action") == "delete":
            return UNCHANGED, "%s is not in NetBox any more: nothing to delete" % describe(change)
        return STALE, "%s is not in NetBox any more (deleted since the plan)" % describe(change)
    if holds(change, current):
        return UNCHANGED, "NetBox already holds the planned value"
    planned = (change.get("object") or {}).get("last_updated")
    now = current.get("last_updated")
    if planned is None and change.get("kind") == "cable":
        if _cable_still(change, current):
            return APPLY, None
        return STALE, "%s no longer joins %s %s and %s" % (
            describe(change), change["device"], change["key"], json.dumps(change.get("before"), sort_keys=True))
    if _instant(planned) != _instant(now):
        return STALE, "%s changed in NetBox since the plan: last_updated was %s when planned, is %s now" % (
            describe(change), planned, now)
    return APPLY, None


def created_id(change, module_result):
    """The id of the object a create made (or found), from the module's result."""
    module = str(change.get("module") or "").rsplit(".", 1)[-1]
    key = MODULE_OBJECTS.get(module, (None, None))[0]
    obj = (module_result or {}).get(key)
    return obj.get("id") if isinstance(obj, dict) else None


def _parent_device(current):
    """The device id of a re-read interface, IP address or cable (for a deletion's journal)."""
    current = current or {}
    device = current.get("device") or (current.get("assigned_object") or {}).get("device")
    if not device:
        for term in current.get("a_terminations") or []:
            device = (term.get("object") or {}).get("device")
            if device:
                break
    return device.get("id") if isinstance(device, dict) else None


def journal_target(change, current, module_result):
    """``(object_type, object_id)`` to write the journal entry on, or None: the object
    changed; the created object; for a deletion, the device the object was on."""
    if change.get("action") == "create":
        module = str(change.get("module") or "").rsplit(".", 1)[-1]
        object_type = MODULE_OBJECTS.get(module, (None, None))[1]
        object_id = created_id(change, module_result)
    elif change.get("action") == "delete":
        object_type, object_id = "dcim.device", _parent_device(current)
    else:
        obj = change.get("object") or {}
        object_type, object_id = obj.get("type"), obj.get("id")
    if not object_type or not object_id:
        return None
    return object_type, int(object_id)


def shown_value(value):
    if value is None:
        return "(none)"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def journal_text(change, approved_by, when, held=None, failed=None):
    """The journal entry's comments for an applied change: what NetBox held before the plan
    and what it holds now, read back after the write (``held``); ``failed`` says why a
    change NetBox did not take as planned was not applied."""
    what = "%s %s of %s" % (change.get("kind"), change.get("key"), change.get("device"))
    if change.get("field"):
        what += ", field %s" % change["field"]
    lines = [
        "%s %s change %s (drift %s, digest %s): %s." % (
            SIGNATURE, change.get("action"), change.get("change_id"), change.get("drift_id"),
            str(change.get("digest") or "")[:12] or "none", what),
        "%s -> %s (read back from NetBox after the write)" % (shown_value(change.get("before")), shown_value(held)),
        "Approved by %s; applied %s (UTC) by %s." % (approved_by, when, SIGNATURE),
    ]
    if failed:
        lines[2] = "Approved by %s; written %s (UTC) by %s, NOT applied as planned: %s." % (
            approved_by, when, SIGNATURE, failed)
    return "\n".join(lines)


def _event_texts(event, depth=0):
    """The messages of an ansible-core 2.19 error event and the events it was caused by."""
    texts = []
    while event is not None and depth < 10:
        if getattr(event, "msg", None):
            texts.append(str(event.msg))
        chain = getattr(event, "chain", None)
        event, depth = getattr(chain, "event", None), depth + 1
    return texts


def _exception_texts(exc):
    if exc is None:
        return []
    if isinstance(exc, dict):
        return [str(exc[k]) for k in ("msg", "message") if exc.get(k)]
    if getattr(exc, "event", None) is not None:
        return _event_texts(exc.event)
    found = re.findall(r"msg=(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", str(exc))
    return [text[1:-1] for text in found] or [str(exc)[:500]]


def failure_reason(module, result):
    """Why a ``netbox.netbox`` module failed, from everything its result says."""
    texts = []
    for text in [result.get("msg")] + _exception_texts(result.get("exception")) + [result.get("module_stderr")]:
        text = str(text or "").strip()
        if text and text not in texts and not any(text in other for other in texts):
            texts.append(text[:600])
    reason = "%s failed: %s" % (module, "; ".join(texts) or "the module gave no reason")
    status = re.search(r"\b(?:code|status|HTTP) ?([1-5]\d\d)\b", " ".join(texts))
    if status:
        reason += " (HTTP %s%s)" % (status.group(1), ": the token may not make this change"
                                    if status.group(1) in ("401", "403") else "")
    return reason


def _diff_text(change, value):
    if value is None:
        return "(absent)\n" if change.get("action") != "update" else "%s: (none)\n" % change.get("field")
    if isinstance(value, dict) and change.get("action") != "update":
        return "".join("%s: %s\n" % (key, shown_value(value[key])) for key in sorted(value))
    return "%s: %s\n" % (change.get("field") or change.get("kind"), shown_value(value))


def diff(change):
    """The change as an Ansible diff: NetBox before, the planned after (VLANs by VID)."""
    title = "%s: %s %s %s of %s" % (change.get("change_id"), change.get("action"), change.get("kind"),
                                    change.get("key"), change.get("device"))
    return {"before_header": "%s (NetBox)" % title, "after_header": "%s (planned)" % title,
            "before": _diff_text(change, change.get("before")), "after": _diff_text(change, change.get("after"))}


def entry(change, reason=None, **extra):
    """One line of the result lists."""
    found = {"change_id": change.get("change_id"), "drift_id": change.get("drift_id"),
             "device": change.get("device")}
    if reason:
        found["reason"] = reason
    found.update(extra)
    return found


def summary(result, check_mode=False):
    """The one-line ``msg``."""
    counts = dict((name, len(result.get(name) or [])) for name in ("applied", "unchanged", "stale", "not_approved"))
    counts["failed"] = len(result.get("failed_changes") or [])
    counts["verb"] = "would be applied (check mode)" if check_mode else "applied"
    return ("%(applied)d change(s) %(verb)s, %(unchanged)d unchanged, %(stale)d stale (refused), "
            "%(failed)d failed, %(not_approved)d not approved" % counts)
