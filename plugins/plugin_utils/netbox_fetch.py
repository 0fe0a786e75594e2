# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended state of many devices from NetBox, in bulk (controller side).

``fetch(url, token, devices)`` reads, for all the given device names at once::

    dcim/devices        ?name=...             chunks of names
    dcim/device-types   ?id=...               the devices' types (part_number)
    dcim/interfaces     ?device_id=...        chunks of device ids, paged
    ipam/ip-addresses   ?device_id=...        chunks of device ids, paged
    ipam/vlan-groups    ?scope_type=dcim.site&scope_id=...       the devices' sites
    ipam/vlan-groups    ?scope_type=dcim.location|dcim.rack     one request per type
    ipam/vlans          ?site_id=...          site-scoped VLANs
    ipam/vlans          ?group_id=...         VLANs of all those groups

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
cursor runs took 4-25 % less wall time and 5-15 % less NetBox CPU than offset paging
in the runs measured so far), older ones by offset; ``pagination="offset"`` forces
offset. The session, paging and error mapping are ``netbox_client``'s.
Once the devices are known, up to ``workers`` chunks are read at once (the count
of requests is the same; NetBox serialises interfaces on several workers).

nb_inventory's host vars carry the serial, the device type slug, platform, site,
status, tags and custom fields, but no ids, and the ids are needed to read the
interfaces and IP addresses: the devices are read here in bulk whatever
``hostvars`` holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.netbox_client import Fetcher

DEVICE_FIELDS = (
    "id", "url", "display_url", "name", "last_updated", "site", "status", "tags",
    "serial", "device_type", "platform", "custom_fields", "primary_ip4", "primary_ip6",
    "rack", "location", "role",
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


def _site_id(device):
    site = device.get("site")
    return site.get("id") if isinstance(site, dict) else site


def id_of(obj):
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
    rows = read_all(fetcher, names)
    return result(fetcher, names, rows, started)


def read_all(fetcher, names):
    """Every raw object the intended state of ``names`` is made of: ``{devices, types,
    interfaces, addresses, site_vlans, groups, group_vlans}`` (lists of NetBox's JSON)."""
    rows = {"devices": fetcher.list_in("dcim/devices", "name", names, DEVICE_FIELDS)}
    fetcher.choose_pagination()
    by_name = index_devices(rows["devices"])[0]
    device_ids = sorted(d["id"] for d in by_name.values())
    type_ids = sorted(set(i for i in (id_of(d.get("device_type")) for d in by_name.values()) if i))
    rows.update(read_related(fetcher, by_name, device_ids, type_ids))
    return rows


def read_related(fetcher, by_name, device_ids, type_ids, vlans=True):
    """``{types, interfaces, addresses}`` of the given device and type ids, and with
    ``vlans`` the VLAN part of ``by_name``'s devices (``{site_vlans, groups, group_vlans}``),
    up to ``workers`` chunks at once."""
    site_ids = sorted(_site_slugs(by_name))
    kinds = (
        ("types", fetcher.jobs("dcim/device-types", "id", type_ids, DEVICE_TYPE_FIELDS)),
        ("interfaces", fetcher.jobs("dcim/interfaces", "device_id", device_ids, INTERFACE_FIELDS)),
        ("addresses", fetcher.jobs("ipam/ip-addresses", "device_id", device_ids, IP_FIELDS)),
    )
    if vlans:
        kinds += (("site_vlans", fetcher.jobs("ipam/vlans", "site_id", site_ids, VLAN_FIELDS)),) + tuple(
            (scope, _group_jobs(fetcher, scope, ids)) for scope, ids in _group_scopes(by_name, site_ids))
    pages = fetcher.run([job for kind, jobs in kinds for job in jobs])
    rows = {}
    for kind, jobs in kinds:
        rows[kind] = [row for part in pages[:len(jobs)] for row in part]
        pages = pages[len(jobs):]
    if vlans:
        rows["groups"] = [g for scope, ids in _group_scopes(by_name, site_ids) for g in rows.pop(scope)]
        wanted = group_ids(by_name, rows["groups"])
        rows["group_vlans"] = fetcher.list_in("ipam/vlans", "group_id", wanted, VLAN_FIELDS) if wanted else []
    return rows


def group_ids(by_name, groups):
    """The ids of the VLAN groups whose VLANs ``by_name``'s devices carry."""
    site_groups, device_groups = _group_owners(groups, _site_slugs(by_name), by_name)
    return sorted(set(site_groups) | set(device_groups))


def _by_id(rows):
    return sorted(rows, key=lambda row: row["id"])


def assemble(names, rows):
    """The intended-state input (``fetch``'s result without ``netbox_url``, ``api_version``
    and ``stats``) from ``read_all``'s rows, in any order: the same rows give the same
    result however they were read."""
    by_name, duplicates = index_devices(rows["devices"])
    name_by_id = dict((d["id"], name) for name, d in by_name.items())
    device_types = dict((str(t["id"]), t) for t in _by_id(rows["types"]))
    interfaces, ip_addresses = _by_device(by_name, name_by_id, _by_id(rows["interfaces"]), _by_id(rows["addresses"]))
    vlans, device_vlans = _vlans(_site_slugs(by_name), by_name, _by_id(rows["site_vlans"]), _by_id(rows["groups"]),
                                 _by_id(rows["group_vlans"]))
    return {
        "devices": by_name,
        "device_types": device_types,
        "interfaces": interfaces,
        "ip_addresses": ip_addresses,
        "vlans": vlans,
        "device_vlans": device_vlans,
        "missing": [name for name in names if name not in by_name and name not in duplicates],
        "duplicates": duplicates,
    }


def result(fetcher, names, rows, started, **stats):
    """``fetch``'s result from ``rows``, with the fetcher's figures (and ``stats``)."""
    found = assemble(names, rows)
    found.update(netbox_url=fetcher.ui_base.rstrip("/"), api_version=fetcher.api_version())
    found["stats"] = dict(_stats(fetcher, started), devices=len(found["devices"]), interfaces=len(rows["interfaces"]),
                          ip_addresses=sum(len(listed) for listed in found["ip_addresses"].values()), **stats)
    return found


def index_devices(found):
    """``({name: raw device}, {name: [ids]})``: a name that more than one device holds is
    a duplicate and is left out of the first dict."""
    by_name, duplicates = {}, {}
    for device in sorted(found, key=lambda d: d["id"]):
        if device["name"] in by_name:
            duplicates.setdefault(device["name"], [by_name[device["name"]]["id"]]).append(device["id"])
        else:
            by_name[device["name"]] = device
    for name in duplicates:
        del by_name[name]
    return by_name, duplicates


def _site_slugs(by_name):
    """``{site id: slug}`` of the devices' sites."""
    slug_by_site = {}
    for device in by_name.values():
        site = device.get("site")
        if isinstance(site, dict) and site.get("id") is not None:
            slug_by_site[site["id"]] = site.get("slug") or str(site["id"])
    return slug_by_site


def _by_device(by_name, name_by_id, rows_interfaces, rows_addresses):
    """``({name: [raw interface]}, {name: [raw IP address]})``: an address belongs to the
    device of the interface it is assigned to."""
    interfaces = dict((name, []) for name in by_name)
    for iface in rows_interfaces:
        owner = name_by_id.get(id_of(iface.get("device")))
        if owner is not None:
            interfaces[owner].append(iface)
    ip_addresses = dict((name, []) for name in by_name)
    iface_owner = dict((i["id"], name) for name, found in interfaces.items() for i in found)
    for address in rows_addresses:
        owner = None
        if address.get("assigned_object_type") == "dcim.interface":
            owner = iface_owner.get(address.get("assigned_object_id"))
            if owner is None:
                owner = name_by_id.get(id_of((address.get("assigned_object") or {}).get("device")))
        if owner is not None:
            ip_addresses[owner].append(address)
    return interfaces, ip_addresses


def _stats(fetcher, started):
    return {
        "requests": fetcher.session.requests,
        "seconds": round(time.monotonic() - started, 3),
        "bytes": fetcher.session.bytes,
        "by_endpoint": dict(fetcher.session.by_endpoint),
        "pagination": "cursor" if fetcher.cursor else "offset",
        "page_size": fetcher.page_size,
        "workers": fetcher.workers,
    }


# NetBox VLAN group scopes the check reads, and the device field that names each (NetBox
# scopes VLAN groups to regions, site groups, sites, locations, racks and clusters: the
# ones narrower than a site say which devices carry their VLANs)
SCOPE_FIELDS = (("dcim.site", "site"), ("dcim.location", "location"), ("dcim.rack", "rack"))


def _group_scopes(by_name, site_ids):
    """``[(scope_type, [ids])]`` of the VLAN group scopes of the devices: their sites,
    locations and racks."""
    scopes = []
    for scope_type, field in SCOPE_FIELDS:
        if field == "site":
            ids = site_ids
        else:
            ids = sorted(set(i for i in (id_of(d.get(field)) for d in by_name.values()) if i is not None))
        scopes.append((scope_type, ids))
    return scopes


def _group_jobs(fetcher, scope_type, ids):
    """The VLAN groups of one scope type: the sites' by id; those of locations and racks in
    one request per type (there are few, and their ids would cost chunks that grow with
    the devices)."""
    if scope_type == "dcim.site":
        return fetcher.jobs("ipam/vlan-groups", "scope_id", ids, VLAN_GROUP_FIELDS, extra={"scope_type": scope_type})
    return [("ipam/vlan-groups", {"scope_type": scope_type}, VLAN_GROUP_FIELDS)] if ids else []


def _group_owners(groups, slug_by_site, by_name):
    """``({group id: site slug}, {group id: (scope word, [device names])})``."""
    site_groups, device_groups = {}, {}
    for group in groups:
        scope_type, scope_id = group.get("scope_type"), group.get("scope_id")
        if scope_type in (None, "dcim.site"):
            if slug_by_site.get(scope_id) is not None:
                site_groups[group["id"]] = slug_by_site[scope_id]
            continue
        field = dict(SCOPE_FIELDS).get(scope_type)
        owners = [name for name, d in by_name.items() if field and id_of(d.get(field)) == scope_id]
        if owners:
            device_groups[group["id"]] = (scope_type.split(".", 1)[1], owners)
    return site_groups, device_groups


def _vlans(slug_by_site, by_name, site_vlans, groups, group_vlans):
    """``({site_slug: [raw VLAN]}, {device name: [raw VLAN]})``: the VLANs of each device's
    site, site-scoped or in a VLAN group scoped to the site (NetBox 4.2+
    scope_type/scope_id), and those of groups scoped to each device's rack or location
    (each with ``_scope``: rack or location), from the site VLANs and the VLANs of the
    groups (``group_vlans``) as read."""
    vlans = dict((slug, []) for slug in slug_by_site.values())
    device_vlans = dict((name, []) for name in by_name)
    seen = set()
    for vlan in site_vlans:
        slug = slug_by_site.get(_site_id(vlan))
        if slug is not None and vlan["id"] not in seen:
            seen.add(vlan["id"])
            vlans[slug].append(vlan)
    site_groups, device_groups = _group_owners(groups, slug_by_site, by_name)
    for vlan in group_vlans:
        group_id = id_of(vlan.get("group"))
        if group_id in site_groups and vlan["id"] not in seen:
            seen.add(vlan["id"])
            vlans[site_groups[group_id]].append(vlan)
        if group_id in device_groups:
            scope, owners = device_groups[group_id]
            for name in owners:
                device_vlans[name].append(dict(vlan, _scope=scope))
    return vlans, device_vlans
