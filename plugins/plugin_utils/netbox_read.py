# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Re-read NetBox objects by id just before changing them (controller side), with
``netbox_client``'s session, token handling and error messages: one request per object
type and chunk of ids (``?id=1&id=2...``), whole objects; a transient error is tried
again (``retries``), then fails closed with a ``NetboxFetchError`` naming the path."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile.apply import API_PATHS
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_client

NetboxFetchError = netbox_client.NetboxFetchError


def read_objects(url, token, refs, validate_certs=True, timeout=30, retries=2):
    """``{(type, id): raw object}`` for ``refs``, an iterable of ``(type, id)``; an
    object NetBox does not have is left out. Raises NetboxFetchError (also for a type
    this cannot read)."""
    by_type = {}
    for object_type, object_id in refs:
        if object_type not in API_PATHS:
            raise NetboxFetchError("cannot re-read NetBox objects of type %s" % object_type)
        by_type.setdefault(object_type, set()).add(int(object_id))
    if not by_type:
        return {}
    fetcher = netbox_client.Fetcher(url, token, validate_certs=validate_certs, timeout=timeout,
                                    page_size=1000, chunk_size=200, workers=1, retries=retries)
    found = {}
    for object_type in sorted(by_type):
        ids = sorted(by_type[object_type])
        for row in fetcher.list_in(API_PATHS[object_type], "id", ids, None):
            if row.get("id") in by_type[object_type]:
                found[(object_type, row["id"])] = row
    return found


def find_devices(url, token, names, validate_certs=True, timeout=30, retries=2):
    """``{name: raw device}`` of the devices NetBox holds under ``names`` (a device a plan
    would create must still be absent). Raises NetboxFetchError."""
    names = sorted(set(n for n in names if n))
    if not names:
        return {}
    fetcher = netbox_client.Fetcher(url, token, validate_certs=validate_certs, timeout=timeout,
                                    page_size=1000, chunk_size=200, workers=1, retries=retries)
    found = {}
    for row in fetcher.list_in("dcim/devices", "name", names, ("id", "name", "url", "last_updated")):
        found.setdefault(row.get("name"), row)
    return found
