# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A raw drift record, as the comparisons make it (``docs/drift-report.md``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def record(kind, key, field, cls, netbox_value=None, device_value=None, message="", ref=None):
    """A raw drift record; ``ref`` is the NetBox object it concerns (``{"type", "id", ...}``)."""
    return {
        "kind": kind, "key": key, "field": field, "class": cls,
        "netbox_value": netbox_value, "device_value": device_value,
        "message": message, "netbox_object": ref,
    }


def netbox_ref(obj, object_type):
    """``{"type", "id", "url", "last_updated"}`` of an intended object's ``netbox`` block."""
    info = (obj or {}).get("netbox") or {}
    if not info.get("id"):
        return None
    return {"type": object_type, "id": info.get("id"), "url": info.get("url"),
            "last_updated": info.get("last_updated")}
