# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Incremental NetBox reads (controller side): a run reads only what changed in NetBox
since the previous run read the same thing.

``fetch(url, token, devices, cache_dir)`` gives ``netbox_fetch.fetch``'s result. The
first run reads in full (``netbox_fetch.read_all``) and keeps the raw rows in
``<cache_dir>/<key>.json`` with the newest entry of NetBox's change log
(``core/object-changes``) seen before it read; ``key`` is a hash of NetBox's URL, the
query (the device names, the fields read) and the token (another token may see other
objects). A later run reads NetBox's status and the change log from a minute before
that entry on, and reads again, by id, only the rows the changes touch
(``netbox_changes.plan``: created, updated, deleted, and every row that nests a changed
object), then the new devices' interfaces and addresses and, when it may have changed,
the VLAN part. Any doubt means a full read, with the reason in ``stats``:

* no cache, an unreadable one, or one of another format, NetBox or query;
* NetBox's version changed (its status);
* the change log no longer holds the entry the cache was read at (trimmed by
  ``CHANGELOG_RETENTION``, NetBox restored from a backup), or the token may not read it;
* a change the change log cannot place (``netbox_changes.DOUBT``), or more than
  ``MAX_CHANGES`` changes;
* the cache is older than ``max_age`` seconds (a full read at least that often).

The cache is private to its owner (directory 0700, file 0600), written in one step. A
cache that cannot be written leaves the run as it is and says why in ``stats``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import json
import os
import time

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_changes, netbox_client, netbox_fetch
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.netbox_fetch import (
    DEVICE_FIELDS,
    DEVICE_TYPE_FIELDS,
    INTERFACE_FIELDS,
    IP_FIELDS,
)

SCHEMA = "truthloop.netbox_drift/netbox-cache"
VERSION = 1
CHANGELOG = "core/object-changes"
ENTRY_FIELDS = ("id", "time", "action", "changed_object_type", "changed_object_id", "prechange_data",
                "postchange_data")
MAX_CHANGES = 10000
WINDOW = datetime.timedelta(seconds=60)  # a change committed late, with an id below the newest seen
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def cache_key(base_url, token, names):
    """The cache's name: NetBox, the query and a hash of the token, hashed again."""
    query = {"version": VERSION, "netbox": base_url, "devices": sorted(names),
             "fields": [DEVICE_FIELDS, DEVICE_TYPE_FIELDS, INTERFACE_FIELDS, IP_FIELDS, netbox_fetch.VLAN_FIELDS,
                        netbox_fetch.VLAN_GROUP_FIELDS],
             "token": hashlib.sha256(str(token).encode("utf-8")).hexdigest()}
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def load(path, key):
    """``(cache, None)`` or ``(None, why there is none to use)``."""
    try:
        with open(path) as handle:
            cache = json.load(handle)
    except (IOError, OSError) as exc:
        return None, "no cache of an earlier read (%s)" % getattr(exc, "strerror", exc)
    except ValueError:
        return None, "the cache %s cannot be read" % path
    if not isinstance(cache, dict) or cache.get("schema") != SCHEMA or cache.get("version") != VERSION \
            or cache.get("key") != key or not isinstance(cache.get("rows"), dict):
        return None, "the cache %s is of another format or query" % path
    return cache, None


def save(path, cache):
    """Write ``cache``, readable by its owner only, in one step."""
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=PRIVATE_DIR, exist_ok=True)
    os.chmod(directory, PRIVATE_DIR)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w") as handle:
        # dumps, not dump: json.dump streams through the pure-Python encoder, which took 18 s
        # for the 1,000-device lab's 52 MB; dumps encodes in C in one piece
        handle.write(json.dumps(cache, separators=(",", ":"), sort_keys=True))
    os.replace(tmp, path)


def _time(text):
    """NetBox's ``2026-12-06T09:24:20.769436Z`` (or without fraction, or with ``+00:00``)."""
    text = str(text).replace("Z", "+00:00")
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text else "%Y-%m-%dT%H:%M:%S%z")


def _window(entries, newest):
    """The ids of ``entries`` in the minute up to ``newest``: a change committed late gets
    an id below the newest one seen; next time, an entry of that minute not among these
    is such a change."""
    since = _time(newest["time"]) - WINDOW
    return sorted(e["id"] for e in entries if _time(e["time"]) >= since)


def newest_change(fetcher):
    """The change log's position before a full read: ``{id, time, seen}`` of its newest
    entry (``seen``: ``_window``), None when it is empty; raises Doubt when the token may
    not read it."""
    try:
        entry = fetcher.first(CHANGELOG, {"ordering": "-id"}, ("id", "time"))
        if entry is None:
            return None
        since = (_time(entry["time"]) - WINDOW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        recent = fetcher.iterate(CHANGELOG, {"time_after": since}, ("id", "time"), MAX_CHANGES)
    except netbox_client.NetboxFetchError as exc:
        raise netbox_changes.Doubt("NetBox's change log cannot be read: %s" % exc)
    return {"id": entry["id"], "time": entry["time"], "seen": _window(recent, entry)}


def read_changes(fetcher, marker):
    """``(entries, marker)``: the change log entries not applied yet (after ``marker``,
    and those of the minute before it that were not there then), and the new marker. The
    log must still hold ``marker``'s entry."""
    filters = {}
    if marker:
        filters["time_after"] = (_time(marker["time"]) - WINDOW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    try:
        entries = fetcher.iterate(CHANGELOG, filters, ENTRY_FIELDS, MAX_CHANGES)
    except netbox_client.NetboxFetchError as exc:
        raise netbox_changes.Doubt("NetBox's change log cannot be read: %s" % exc)
    if len(entries) > MAX_CHANGES:
        raise netbox_changes.Doubt("more than %d changes since the last read" % MAX_CHANGES)
    if marker and not any(e["id"] == marker["id"] for e in entries):
        raise netbox_changes.Doubt("NetBox's change log no longer holds change %s, the newest when the cache was "
                                   "read (trimmed, or NetBox restored)" % marker["id"])
    seen = set((marker or {}).get("seen") or ()) | set([(marker or {}).get("id")])
    new = [e for e in entries if e["id"] not in seen]
    if not entries:
        return new, marker
    newest = max(entries, key=lambda e: e["id"])
    return new, {"id": newest["id"], "time": newest["time"], "seen": _window(entries, newest)}


def _by_ids(fetcher, path, ids, fields):
    return fetcher.jobs(path, "id", sorted(ids), fields)


def update(fetcher, names, rows, entries):
    """The rows after ``entries``, read again where they touch them; ``(rows, reread)``."""
    todo = netbox_changes.plan(entries, rows)
    asked, deleted = todo["reread"], todo["deleted"]
    old_by_name = netbox_fetch.index_devices(rows["devices"])[0]
    devices = fetcher.list_in("dcim/devices", "id", sorted(asked["devices"]), DEVICE_FIELDS) \
        if asked["devices"] else []
    rows = dict(rows, devices=[d for d in netbox_changes.replace(rows["devices"], devices, asked["devices"],
                                                                 deleted["devices"]) if d.get("name") in names])
    by_name = netbox_fetch.index_devices(rows["devices"])[0]
    device_ids = set(d["id"] for d in by_name.values())
    type_ids = set(i for i in (netbox_fetch.id_of(d.get("device_type")) for d in by_name.values()) if i)
    new_devices = sorted(device_ids - set(d["id"] for d in old_by_name.values()))
    asked["types"] |= type_ids - set(t["id"] for t in rows["types"])
    kinds = (("types", _by_ids(fetcher, "dcim/device-types", asked["types"], DEVICE_TYPE_FIELDS)),
             ("interfaces", _by_ids(fetcher, "dcim/interfaces", asked["interfaces"], INTERFACE_FIELDS)),
             ("addresses", _by_ids(fetcher, "ipam/ip-addresses", asked["addresses"], IP_FIELDS)),
             ("new_interfaces", fetcher.jobs("dcim/interfaces", "device_id", new_devices, INTERFACE_FIELDS)),
             ("new_addresses", fetcher.jobs("ipam/ip-addresses", "device_id", new_devices, IP_FIELDS)))
    pages = fetcher.run([job for kind, jobs in kinds for job in jobs])
    fresh = {}
    for kind, jobs in kinds:
        fresh[kind] = [row for part in pages[:len(jobs)] for row in part]
        pages = pages[len(jobs):]
    for kind in ("types", "interfaces", "addresses"):
        rows[kind] = netbox_changes.replace(rows[kind], fresh[kind], asked[kind], deleted[kind])
    for kind in ("interfaces", "addresses"):
        known = set(row["id"] for row in rows[kind])
        rows[kind] += [row for row in fresh["new_" + kind] if row["id"] not in known]
    rows = netbox_changes.owned(rows, device_ids, type_ids)
    if todo["vlans"] or netbox_changes.scopes(by_name) != netbox_changes.scopes(old_by_name):
        related = netbox_fetch.read_related(fetcher, by_name, [], [], vlans=True)
        rows.update((kind, related[kind]) for kind in netbox_changes.VLAN_PART)
    reread = dict((kind, len(ids)) for kind, ids in asked.items())
    reread["vlans"] = bool(todo["vlans"])
    return rows, reread


def fetch(url, token, devices, cache_dir, max_age=86400, validate_certs=True, timeout=30, page_size=1000,
          chunk_size=200, pagination="auto", workers=4):
    """``netbox_fetch.fetch``'s result, read incrementally from the cache in
    ``cache_dir`` when nothing is in doubt; ``stats`` also has ``read`` (``full`` or
    ``incremental``), ``reason`` (why a full read), ``changes`` (change log entries
    applied), ``reread`` and ``cache`` (its path, ``cache_error`` when it could not be
    written). Raises NetboxFetchError."""
    started = time.monotonic()
    fetcher = netbox_client.Fetcher(url, token, validate_certs, timeout, page_size, chunk_size, True, True,
                                    pagination, workers)
    names = sorted(set(devices or []))
    base = fetcher.ui_base.rstrip("/")
    path = os.path.join(cache_dir, cache_key(base, token, names) + ".json")
    cache, reason = load(path, cache_key(base, token, names))
    version = fetcher.netbox_version()
    fetcher.choose_pagination()
    if cache is not None and cache.get("netbox_version") != version:
        reason = "NetBox's version changed (%s, now %s)" % (cache.get("netbox_version"), version)
    elif cache is not None and time.time() - float(cache.get("full_read_at") or 0) > max_age:
        reason = "the cache's full read is older than %d s" % max_age
    elif cache is not None:
        try:
            entries, marker = read_changes(fetcher, cache.get("marker"))
            rows, reread = update(fetcher, names, cache["rows"], entries)
        except netbox_changes.Doubt as exc:
            reason = str(exc)
        else:
            written = _keep(path, dict(cache, marker=marker, rows=rows, read_at=time.time()))
            return netbox_fetch.result(fetcher, names, rows, started, read="incremental", reason=None,
                                       changes=len(entries), reread=reread, cache=path, **written)
    try:
        marker, no_log = newest_change(fetcher), None
    except netbox_changes.Doubt as exc:  # read in full each time, and say why
        marker, no_log = None, str(exc)
    rows = netbox_fetch.read_all(fetcher, names)
    written = {} if no_log else _keep(path, {
        "schema": SCHEMA, "version": VERSION, "key": cache_key(base, token, names), "netbox_url": base,
        "netbox_version": version, "marker": marker, "full_read_at": time.time(), "read_at": time.time(),
        "rows": rows})
    if no_log:
        written = {"cache_error": "not kept: %s" % no_log}
    return netbox_fetch.result(fetcher, names, rows, started, read="full", reason=reason, changes=None,
                               reread=None, cache=path, **written)


def _keep(path, cache):
    """Save the cache; ``{}``, or ``{"cache_error": why}`` when it cannot be written."""
    try:
        save(path, cache)
    except (IOError, OSError, TypeError, ValueError) as exc:
        return {"cache_error": "cannot write %s: %s" % (path, exc)}
    return {}
