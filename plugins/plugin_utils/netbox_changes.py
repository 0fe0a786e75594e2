# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What NetBox's change log says must be read again, for an incremental read (controller
side, plain Python: no requests are made here).

The rows of a read (``netbox_fetch.read_all``) are devices, device types, interfaces,
IP addresses (each read again by id when changed) and the VLAN part (site VLANs, VLAN
groups and their VLANs: small, read again whole when any of it may have changed).
A row also holds other objects, nested (an interface's VLANs, VRF, tags, cable, its
peers and their devices; a device's site, platform, primary IP): NetBox changes those
without logging a change of the row (a VRF renamed, a VLAN deleted), so every row that
nests a deleted object, or one changed in what a nested object shows (its brief form:
name, slug, description, VID, address... ``BRIEF``), is read again too
(``references``). Changes that
can reach the rows without either (a custom field's definition, a cable path through
patch panels or circuits) are a doubt: ``plan`` says why, and the caller reads in full.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import urlsplit

# object types whose rows are read again by id when they change
HELD = {"dcim.device": "devices", "dcim.devicetype": "types", "dcim.interface": "interfaces",
        "ipam.ipaddress": "addresses"}
VLAN_PART = ("site_vlans", "groups", "group_vlans")
VLAN_TYPES = ("ipam.vlan", "ipam.vlangroup")
KINDS = ("devices", "types", "interfaces", "addresses") + VLAN_PART
# changes that can alter the rows with no change of a row nor of an object they nest
DOUBT = {
    "extras.customfield": "a custom field's definition changed",
    "extras.customfieldchoiceset": "a custom field's choices changed",
    "dcim.frontport": "a front port changed (cable paths through patch panels)",
    "dcim.rearport": "a rear port changed (cable paths through patch panels)",
    "circuits.circuittermination": "a circuit termination changed (cable paths through circuits)",
    "circuits.circuit": "a circuit changed (cable paths through circuits)",
}


# the fields of NetBox's brief (nested) forms, by their names in the change log's data:
# a change of any of them changes the rows that nest the object
BRIEF = ("name", "slug", "description", "label", "vid", "address", "model", "rd", "color", "manufacturer",
         "device", "cable", "mark_connected", "family", "virtual_chassis")


# endpoints whose model is not their name made singular
MODELS = {("virtualization", "interfaces"): "vminterface", ("users", "permissions"): "objectpermission",
          ("extras", "tagged-objects"): "taggeditem"}


class Doubt(Exception):
    """The change log cannot say what changed: read in full."""


def model_of(url):
    """``("dcim.interface", 5)`` from an object's API URL ``.../api/dcim/interfaces/5/``,
    else None: the endpoint's plural, without dashes, made singular as NetBox's model
    names are (``ip-addresses``: ``ipaddress``, ``prefixes``: ``prefix``), or as ``MODELS``
    says."""
    path = urlsplit(str(url or "")).path
    if "/api/" not in path:
        return None
    parts = [p for p in path.rsplit("/api/", 1)[1].split("/") if p]
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    app, endpoint = parts[0], parts[1].replace("-", "")
    if (app, parts[1]) in MODELS:
        model = MODELS[(app, parts[1])]
    elif endpoint.endswith("chassis"):
        model = endpoint
    elif endpoint.endswith("ies"):
        model = endpoint[:-3] + "y"
    elif endpoint.endswith(("sses", "xes")):
        model = endpoint[:-2]
    elif endpoint.endswith("s"):
        model = endpoint[:-1]
    else:
        model = endpoint
    return "%s.%s" % (app, model), int(parts[2])


def _nested(value, found):
    """Every nested object (a dict with ``id`` and ``url``) inside ``value``."""
    if isinstance(value, dict):
        if value.get("id") is not None and value.get("url"):
            found.append(value)
        for item in value.values():
            _nested(item, found)
    elif isinstance(value, list):
        for item in value:
            _nested(item, found)
    return found


def references(rows):
    """``{(model, id): {(kind, row id)}}``: which rows nest which objects."""
    index = {}
    for kind in KINDS:
        for row in rows.get(kind) or ():
            for key, value in row.items():
                for obj in _nested(value, []):
                    ref = model_of(obj.get("url"))
                    if ref is not None:
                        index.setdefault(ref, set()).add((kind, row["id"]))
    return index


def _action(entry):
    action = entry.get("action")
    return action.get("value") if isinstance(action, dict) else action


def _nested_change(entry, action):
    """Whether a change can show in the rows that nest the object: a deletion, or an
    update of a field its brief form shows (or one whose data the log does not give)."""
    if action == "delete":
        return True
    if action == "create":
        return False  # nothing read before nests an object made since
    before, after = entry.get("prechange_data"), entry.get("postchange_data")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return True
    return any(before.get(field) != after.get(field) for field in BRIEF)


def plan(entries, rows):
    """What the change log ``entries`` (``id, action, changed_object_type,
    changed_object_id, prechange_data, postchange_data``) mean for ``rows``:
    ``{reread: {kind: ids}, deleted: {kind: ids}, vlans: bool}``. Raises Doubt when only
    a full read can tell."""
    index = references(rows)
    reread = dict((kind, set()) for kind in HELD.values())
    deleted = dict((kind, set()) for kind in HELD.values())
    vlans = False
    for entry in sorted(entries, key=lambda e: e["id"]):
        model, ident, action = entry.get("changed_object_type"), entry.get("changed_object_id"), _action(entry)
        if model in DOUBT:
            raise Doubt("%s (change %s)" % (DOUBT[model], entry["id"]))
        if action not in ("create", "update", "delete") or ident is None:
            raise Doubt("change %s of the change log is not a create, update or delete" % entry.get("id"))
        if model in HELD:
            (deleted if action == "delete" else reread)[HELD[model]].add(int(ident))
        vlans = vlans or model in VLAN_TYPES
        if not _nested_change(entry, action):
            continue
        for kind, holder in index.get((model, int(ident)), ()):
            if kind in reread:
                reread[kind].add(holder)
            else:
                vlans = True
    for kind in reread:
        reread[kind] -= deleted[kind]
    return {"reread": reread, "deleted": deleted, "vlans": vlans}


def replace(rows, fresh, asked, deleted=()):
    """``rows`` with the rows whose id was ``asked`` for again or ``deleted`` replaced by
    ``fresh`` (what the read by id returned: an object gone is gone)."""
    dropped = set(asked) | set(deleted)
    kept = [row for row in rows if row["id"] not in dropped]
    return kept + [row for row in fresh if row["id"] in asked]


def _id(obj):
    return obj.get("id") if isinstance(obj, dict) else obj


def owned(rows, device_ids, type_ids):
    """``rows`` (every kind but the VLAN part) cut to what a full read of the devices
    ``device_ids`` reads: their types, their interfaces and the addresses assigned to
    those interfaces."""
    found = dict(rows)
    found["types"] = [t for t in rows["types"] if t["id"] in type_ids]
    found["interfaces"] = [i for i in rows["interfaces"] if _id(i.get("device")) in device_ids]
    iface_ids = set(i["id"] for i in found["interfaces"])
    found["addresses"] = [
        a for a in rows["addresses"] if a.get("assigned_object_type") == "dcim.interface" and (
            a.get("assigned_object_id") in iface_ids
            or _id((a.get("assigned_object") or {}).get("device")) in device_ids)]
    return found


def scopes(by_name):
    """What decides the VLAN part: each device's site (id, slug), rack and location."""
    return sorted((name, _id(d.get("site")), (d.get("site") or {}).get("slug") if isinstance(d.get("site"), dict)
                   else None, _id(d.get("rack")), _id(d.get("location"))) for name, d in by_name.items())
