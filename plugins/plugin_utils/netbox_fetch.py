# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended state of many devices from NetBox, in bulk (controller side).

``fetch(url, token, devices)`` reads, for all the given device names at once::

    dcim/devices        ?name=...             chunks of names
    dcim/device-types   ?id=...               the devices' types (part_number)
    dcim/interfaces     ?device_id=...        chunks of device ids, paged
    ipam/ip-addresses   ?device_id=...        chunks of device ids, paged
    ipam/vlan-groups    ?scope_type=dcim.site&scope_id=...   the devices' sites
    ipam/vlans          ?site_id=...          site-scoped VLANs
    ipam/vlans          ?group_id=...         VLANs of the groups scoped to those sites

so the number of requests grows with object types and pages, not with devices
(a chunk holds up to ``chunk_size`` values and stays well under gunicorn's
4094-byte request line). Every request names the fields it needs (``fields=``,
NetBox 4.0+) and asks for ``page_size`` objects per page. VRFs need no request:
the nested VRF of an interface or an IP address has its name. Cables need none
either: each interface carries its cable, ``link_peers`` and
``connected_endpoints``.

The objects are the raw JSON dicts, read through pynetbox's ``Request`` with its
own paging, without building ``Record`` objects (``raw=False`` builds them, for
measurement). NetBox 4.6+ is paged by cursor (``start=``: on the 1,000-device lab,
interleaved runs took 15-25 % less wall time and 5-15 % less NetBox CPU than offset
paging), older ones by offset; ``pagination="offset"`` forces offset.
Once the devices are known, up to ``workers`` chunks are read at once (the count
of requests is the same; NetBox serialises interfaces on several workers).

nb_inventory's host vars carry the serial, the device type slug, platform, site,
status, tags and custom fields, but no ids, and the ids are needed to read the
interfaces and IP addresses: the devices are read here in bulk whatever
``hostvars`` holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from urllib.parse import urlencode, urlsplit

try:
    import requests
    import pynetbox
    from pynetbox.core.query import ContentError, Request, RequestError

    HAS_PYNETBOX = True
    PYNETBOX_IMPORT_ERROR = None
except ImportError as imp_exc:  # pragma: no cover - reported by the action
    HAS_PYNETBOX = False
    PYNETBOX_IMPORT_ERROR = imp_exc
    requests = None
    Request = RequestError = ContentError = None

    class _Session(object):
        """Stand-in so that this module imports without requests."""

else:
    _Session = requests.Session

REQUEST_LINE_BUDGET = 3500  # bytes of path + query; gunicorn refuses request lines over 4094
DEVICE_FIELDS = (
    "id", "url", "display_url", "name", "last_updated", "site", "status", "tags",
    "serial", "device_type", "platform", "custom_fields", "primary_ip4", "primary_ip6",
)
DEVICE_TYPE_FIELDS = ("id", "model", "part_number")
INTERFACE_FIELDS = (
    "id", "url", "display_url", "last_updated", "device", "name", "type", "enabled",
    "description", "mtu", "mode", "untagged_vlan", "tagged_vlans", "lag", "vrf",
    "mgmt_only", "tags", "cable", "link_peers", "link_peers_type",
    "connected_endpoints", "connected_endpoints_type",
)
IP_FIELDS = (
    "id", "url", "display_url", "last_updated", "address", "vrf", "status", "role",
    "tags", "assigned_object_type", "assigned_object_id", "assigned_object",
)
VLAN_GROUP_FIELDS = ("id", "name", "slug", "scope_type", "scope_id")
VLAN_FIELDS = ("id", "url", "display_url", "last_updated", "vid", "name", "status",
               "site", "group", "tags")
REDACTED = "<redacted>"


class NetboxFetchError(Exception):
    """NetBox could not be read; the message names the cause, never the token."""


def _redact(text, token):
    text = str(text)
    if token:
        text = text.replace(token, REDACTED)
        # a v2 token's secret alone, or a v1 token seen through another encoding
        for part in re.split(r"[._]", token):
            if len(part) >= 12:
                text = text.replace(part, REDACTED)
    return text


def auth_header(token):
    """``Authorization`` value: NetBox 4.5+ v2 tokens (``nbt_<key>.<secret>``) are
    ``Bearer``, v1 tokens (40 hex) ``Token`` - what pynetbox 7.9 sends too; set on the
    session so that an older pynetbox, which only knows ``Token``, works as well."""
    if token.startswith("nbt_") and "." in token:
        return "Bearer %s" % token
    return "Token %s" % token


class CountingSession(_Session):
    """A requests session that counts requests and bytes per endpoint, applies a
    default timeout and remembers the API-Version header."""

    def __init__(self, api_base, timeout=30):
        super(CountingSession, self).__init__()
        self.api_path = urlsplit(api_base).path.rstrip("/") + "/"
        self.timeout = timeout
        self.requests = 0
        self.bytes = 0
        self.by_endpoint = {}
        self.api_version = None
        self._lock = threading.Lock()

    def endpoint(self, url):
        path = urlsplit(url).path
        if path.startswith(self.api_path):
            path = path[len(self.api_path):]
        return path.strip("/") or "(root)"

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        name = self.endpoint(url)
        with self._lock:
            self.requests += 1
            self.by_endpoint[name] = self.by_endpoint.get(name, 0) + 1
        response = super(CountingSession, self).request(method, url, *args, **kwargs)
        with self._lock:
            self.bytes += len(response.content or b"")
            if self.api_version is None and response.headers.get("API-Version"):
                self.api_version = response.headers["API-Version"]
        return response


def _split_url(url):
    """``(ui_base, api_base)`` from what the user gave: ``https://nb`` or
    ``https://nb/api`` (with or without a trailing slash, with a base path)."""
    if not url:
        raise NetboxFetchError("no NetBox URL given (url option, or NETBOX_API / NETBOX_URL)")
    base = url.strip().rstrip("/")
    if base.endswith("/api"):
        base = base[:-4]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NetboxFetchError("%r is not a NetBox URL (http:// or https://)" % url)
    return base + "/", base + "/api"


def base_url(url):
    """NetBox's address without ``/api`` and the trailing slash: ``https://nb/base``."""
    return _split_url(url)[0].rstrip("/")


def _version_tuple(text):
    found = re.match(r"\s*(\d+)\.(\d+)", text or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def chunks(values, key, chunk_size, fixed_len):
    """Split ``values`` into lists of at most ``chunk_size`` whose ``key=v&...`` query
    part, added to ``fixed_len`` bytes of path and other parameters, stays within
    REQUEST_LINE_BUDGET."""
    parts, current, used = [], [], fixed_len
    for value in values:
        size = len(urlencode({key: value})) + 1
        if current and (len(current) >= chunk_size or used + size > REQUEST_LINE_BUDGET):
            parts.append(current)
            current, used = [], fixed_len
        current.append(value)
        used += size
    if current:
        parts.append(current)
    return parts


class Fetcher(object):
    """One fetch: the session, the paging strategy and the error mapping."""

    def __init__(self, url, token, validate_certs=True, timeout=30, page_size=1000,
                 chunk_size=200, raw=True, fields=True, pagination="auto", workers=4):
        if not HAS_PYNETBOX:
            raise NetboxFetchError("the pynetbox Python library is needed on the controller (%s)"
                                   % PYNETBOX_IMPORT_ERROR)
        if not token:
            raise NetboxFetchError("no NetBox token given (token option, or NETBOX_TOKEN)")
        self.ui_base, api_base = _split_url(url)
        self.token = token
        self.page_size = max(1, int(page_size))
        self.chunk_size = max(1, int(chunk_size))
        self.raw, self.fields, self.pagination = raw, fields, pagination
        self.workers = max(1, int(workers))
        self.api = pynetbox.api(self.ui_base, token=None)
        self.session = CountingSession(self.api.base_url, timeout=timeout)
        self.session.verify = validate_certs
        self.session.headers["Authorization"] = auth_header(token)
        self.session.headers["Connection"] = "keep-alive"
        self.api.http_session = self.session
        self.cursor = False  # until the API version is known (choose_pagination)

    # -- errors -------------------------------------------------------------------
    def error(self, what, exc):
        """A NetboxFetchError naming the cause of ``exc`` while reading ``what``."""
        where = "NetBox at %s" % self.ui_base.rstrip("/")
        if RequestError is not None and isinstance(exc, RequestError):
            response = exc.req
            status = response.status_code
            detail = _netbox_error_text(response)
            if status in (401, 403):
                message = ("NetBox refused the token (%d) while reading %s: %s; check that the token "
                           "exists, has not expired and may read %s" % (status, what, detail, what))
            elif status == 404:
                message = ("%s answered 404 for %s: is this a NetBox URL (without /api), and a "
                           "NetBox 4.2 or newer?" % (where, what))
            else:
                message = "%s answered %d %s while reading %s: %s" % (
                    where, status, response.reason or "", what, detail)
        elif ContentError is not None and isinstance(exc, ContentError):
            message = "%s did not answer with JSON while reading %s: is this a NetBox URL?" % (where, what)
        elif isinstance(exc, requests.exceptions.SSLError):
            message = ("TLS error talking to %s: %s (validate_certs=false skips the certificate "
                       "check)" % (where, _reason(exc)))
        elif isinstance(exc, requests.exceptions.Timeout):
            message = "%s did not answer within %ss while reading %s" % (where, self.session.timeout, what)
        elif isinstance(exc, requests.exceptions.ConnectionError):
            message = "cannot connect to %s: %s" % (where, _reason(exc))
        else:
            message = "reading %s from %s failed: %s" % (what, where, exc)
        return NetboxFetchError(_redact(message, self.token))

    # -- reading ----------------------------------------------------------------
    def request(self, path, filters):
        """A pynetbox Request for ``<api>/<path>/`` with ``filters`` and our paging."""
        kwargs = dict(base="%s/%s/" % (self.api.base_url, path), http_session=self.session,
                      filters=filters, limit=self.page_size, token=None)
        if self.cursor:
            kwargs["pagination"] = "cursor"
        return Request(**kwargs)

    def list(self, path, filters, fields):
        """Every object of ``path`` matching ``filters`` (all pages), as dicts."""
        filters = dict(filters)
        if self.fields and fields:
            filters["fields"] = ",".join(fields)
        try:
            rows = list(self.request(path, filters).get())
            if not self.raw:
                app, name = path.split("/", 1)
                endpoint = getattr(getattr(self.api, app), name.replace("-", "_"))
                rows = [dict(endpoint.return_obj(row, self.api, endpoint)) for row in rows]
        except Exception as exc:  # mapped to a message naming the cause
            if isinstance(exc, NetboxFetchError):
                raise
            raise self.error(path, exc) from None
        return rows

    def jobs(self, path, key, values, fields, extra=None):
        """``(path, filters, fields)`` for ``key`` in ``values``, in chunks that fit a
        request line; run them with ``run``."""
        extra = dict(extra or {})
        fixed = dict(extra, limit=self.page_size, offset=10 ** 7)
        if self.fields and fields:
            fixed["fields"] = ",".join(fields)
        fixed_len = len(self.session.api_path) + len(path) + len(urlencode(fixed)) + 16
        found = []
        for part in chunks(values, key, self.chunk_size, fixed_len):
            filters = dict(extra)
            filters[key] = part
            found.append((path, filters, fields))
        return found

    def run(self, jobs):
        """Every job's rows, in job order; up to ``workers`` chunks are read at once
        (pages within a chunk follow each other). The session's connection pool is
        shared by the threads, as pynetbox's own threading does."""
        if self.workers == 1 or len(jobs) < 2:
            return [self.list(*job) for job in jobs]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
            futures = [pool.submit(self.list, *job) for job in jobs]
            return [future.result() for future in futures]

    def list_in(self, path, key, values, fields, extra=None):
        """``list`` for ``key`` in ``values``, all chunks, one list of rows."""
        return [row for rows in self.run(self.jobs(path, key, values, fields, extra)) for row in rows]

    def choose_pagination(self):
        """Cursor paging (``auto`` or ``cursor``) when NetBox is 4.6 or newer, else offset."""
        if self.pagination in ("auto", "cursor"):
            version = _version_tuple(self.session.api_version)
            self.cursor = bool(version and version >= (4, 6))

    def api_version(self):
        """The API-Version header seen, else NetBox's status (one more request); None
        when nothing was asked."""
        if self.session.api_version or not self.session.requests:
            return self.session.api_version
        try:
            status = self.api.status()
        except Exception as exc:  # mapped to a message naming the cause
            raise self.error("status", exc) from None
        return status.get("netbox-version")


def _reason(exc):
    """The innermost reason of a requests error, e.g. ``Connection refused``."""
    text = str(exc)
    for pattern in (r"\[Errno -?\d+\] ([^'\")]+)", r"(certificate verify failed[^'\")]*)",
                    r"(Name or service not known)", r"(Connection refused)"):
        found = re.search(pattern, text)
        if found:
            return found.group(1).strip()
    return text[:300]


def _netbox_error_text(response):
    try:
        body = response.json()
    except ValueError:
        body = (response.text or "").strip()
        return (body[:300] + "...") if len(body) > 300 else (body or response.reason or "")
    if isinstance(body, dict) and set(body) == {"detail"}:
        return str(body["detail"])
    return str(body)[:500]


def _site_id(device):
    site = device.get("site")
    return site.get("id") if isinstance(site, dict) else site


def _id_of(obj):
    return obj.get("id") if isinstance(obj, dict) else obj


def fetch(url, token, devices, validate_certs=True, timeout=30, page_size=1000, chunk_size=200,
          hostvars=None, raw=True, fields=True, pagination="auto", workers=4):
    """What NetBox holds about ``devices`` (names); see the module docstring.

    Returns ``{netbox_url, api_version, devices: {name: raw}, device_types: {"<id>": raw},
    interfaces: {name: [raw]}, ip_addresses: {name: [raw]}, vlans: {site_slug: [raw]},
    missing: [names], duplicates: {name: [ids]}, stats: {requests, seconds, bytes,
    by_endpoint, pagination, ...}}``. The devices are read first; then the device types,
    interfaces, IP addresses, site VLANs and VLAN groups, up to ``workers`` chunks at
    once; then the VLANs of the groups. ``hostvars`` is accepted for callers that have
    nb_inventory's host vars; it is not needed (they carry no ids).
    Raises NetboxFetchError.
    """
    del hostvars  # see the docstring: nothing in it saves a request
    started = time.monotonic()
    fetcher = Fetcher(url, token, validate_certs, timeout, page_size, chunk_size, raw, fields,
                      pagination, workers)
    names = sorted(set(devices or []))
    found = fetcher.list_in("dcim/devices", "name", names, DEVICE_FIELDS)
    fetcher.choose_pagination()
    by_name, duplicates = {}, {}
    for device in sorted(found, key=lambda d: d["id"]):
        if device["name"] in by_name:
            duplicates.setdefault(device["name"], [by_name[device["name"]]["id"]]).append(device["id"])
        else:
            by_name[device["name"]] = device
    for name in duplicates:
        del by_name[name]
    name_by_id = dict((d["id"], name) for name, d in by_name.items())
    device_ids = sorted(name_by_id)
    type_ids = sorted(set(i for i in (_id_of(d.get("device_type")) for d in by_name.values()) if i))
    slug_by_site = {}
    for device in by_name.values():
        site = device.get("site")
        if isinstance(site, dict) and site.get("id") is not None:
            slug_by_site[site["id"]] = site.get("slug") or str(site["id"])
    site_ids = sorted(slug_by_site)

    kinds = (
        ("types", fetcher.jobs("dcim/device-types", "id", type_ids, DEVICE_TYPE_FIELDS)),
        ("interfaces", fetcher.jobs("dcim/interfaces", "device_id", device_ids, INTERFACE_FIELDS)),
        ("addresses", fetcher.jobs("ipam/ip-addresses", "device_id", device_ids, IP_FIELDS)),
        ("site_vlans", fetcher.jobs("ipam/vlans", "site_id", site_ids, VLAN_FIELDS)),
        ("groups", fetcher.jobs("ipam/vlan-groups", "scope_id", site_ids, VLAN_GROUP_FIELDS,
                                extra={"scope_type": "dcim.site"})),
    )
    pages = fetcher.run([job for kind, jobs in kinds for job in jobs])
    rows = {}
    for kind, jobs in kinds:
        rows[kind] = [row for part in pages[:len(jobs)] for row in part]
        pages = pages[len(jobs):]

    device_types = dict((str(t["id"]), t) for t in rows["types"])
    interfaces = dict((name, []) for name in by_name)
    for iface in rows["interfaces"]:
        owner = name_by_id.get(_id_of(iface.get("device")))
        if owner is not None:
            interfaces[owner].append(iface)
    ip_addresses = dict((name, []) for name in by_name)
    iface_owner = dict((i["id"], name) for name, found in interfaces.items() for i in found)
    for address in rows["addresses"]:
        owner = None
        if address.get("assigned_object_type") == "dcim.interface":
            owner = iface_owner.get(address.get("assigned_object_id"))
            if owner is None:
                owner = name_by_id.get(_id_of((address.get("assigned_object") or {}).get("device")))
        if owner is not None:
            ip_addresses[owner].append(address)
    vlans = _vlans(fetcher, slug_by_site, rows["site_vlans"], rows["groups"])
    return {
        "netbox_url": fetcher.ui_base.rstrip("/"),
        "api_version": fetcher.api_version(),
        "devices": by_name,
        "device_types": device_types,
        "interfaces": interfaces,
        "ip_addresses": ip_addresses,
        "vlans": vlans,
        "missing": [name for name in names if name not in by_name and name not in duplicates],
        "duplicates": duplicates,
        "stats": {
            "requests": fetcher.session.requests,
            "seconds": round(time.monotonic() - started, 3),
            "bytes": fetcher.session.bytes,
            "by_endpoint": dict(fetcher.session.by_endpoint),
            "pagination": "cursor" if fetcher.cursor else "offset",
            "page_size": fetcher.page_size,
            "workers": fetcher.workers,
            "devices": len(by_name),
            "interfaces": len(rows["interfaces"]),
            "ip_addresses": sum(len(found) for found in ip_addresses.values()),
        },
    }


def _vlans(fetcher, slug_by_site, site_vlans, groups):
    """``{site_slug: [raw VLAN]}``: the VLANs of each device's site, site-scoped or in
    a VLAN group scoped to the site (NetBox 4.2+ scope_type/scope_id); the VLANs of
    the groups are read here."""
    vlans = dict((slug, []) for slug in slug_by_site.values())
    seen = set()
    for vlan in site_vlans:
        slug = slug_by_site.get(_site_id(vlan))
        if slug is not None and vlan["id"] not in seen:
            seen.add(vlan["id"])
            vlans[slug].append(vlan)
    group_site = dict((g["id"], slug_by_site.get(g.get("scope_id"))) for g in groups
                      if g.get("scope_type") in (None, "dcim.site"))
    group_site = dict((gid, slug) for gid, slug in group_site.items() if slug is not None)
    for vlan in fetcher.list_in("ipam/vlans", "group_id", sorted(group_site), VLAN_FIELDS):
        slug = group_site.get(_id_of(vlan.get("group")))
        if slug is not None and vlan["id"] not in seen:
            seen.add(vlan["id"])
            vlans[slug].append(vlan)
    return vlans
