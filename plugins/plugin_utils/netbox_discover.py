# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What discovery asks NetBox (controller side), with ``netbox_client``'s session, token
handling, retries and error messages.

``read_index`` reads, in bulk and with only the fields needed, every device (name,
serial, site, primary IPs: a neighbour may be a NetBox device outside the inventory)
and the device types, platforms, roles, sites and VRFs a plan may name. ``lookup``
then asks which devices hold the management addresses and chassis MACs the neighbours
advertise (``ipam/ip-addresses?address=...``, ``dcim/mac-addresses?mac_address=...``,
or the interfaces' ``mac_address`` before NetBox 4.2), in chunks: the requests grow
with the pages and the levels of the crawl, not with the devices seen.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import netbox as nb
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_client

DEVICE_FIELDS = ("id", "url", "display_url", "name", "last_updated", "site", "status", "serial",
                 "primary_ip4", "primary_ip6")
TABLES = (("device_types", "dcim/device-types", ("id", "slug", "model", "part_number")),
          ("platforms", "dcim/platforms", ("id", "slug", "name")),
          ("roles", "dcim/device-roles", ("id", "slug", "name")),
          ("sites", "dcim/sites", ("id", "slug", "name")),
          ("vrfs", "ipam/vrfs", ("id", "name")))
ADDRESS_FIELDS = ("id", "address", "assigned_object_type", "assigned_object")
MAC_FIELDS = ("id", "mac_address", "assigned_object_type", "assigned_object")


def _slug(obj):
    return obj.get("slug") if isinstance(obj, dict) else None


def _address(obj):
    return obj.get("address") if isinstance(obj, dict) else obj


def _device(row):
    return {"name": row.get("name"), "id": row.get("id"), "url": row.get("display_url") or row.get("url"),
            "last_updated": row.get("last_updated"), "site": _slug(row.get("site")),
            "serial": row.get("serial") or None, "primary_ip4": _address(row.get("primary_ip4")),
            "primary_ip6": _address(row.get("primary_ip6")),
            "status": (row.get("status") or {}).get("value") if isinstance(row.get("status"), dict) else row.get("status")}


def connect(url, token, validate_certs=True, timeout=30):
    return netbox_client.Fetcher(url, token, validate_certs=validate_certs, timeout=timeout, page_size=1000,
                                 chunk_size=200, workers=4)


def read_index(fetcher):
    """The ``discovery.netbox.Index`` of NetBox's devices and reference tables."""
    devices = [_device(row) for row in fetcher.list("dcim/devices", {}, DEVICE_FIELDS) if row.get("name")]
    fetcher.choose_pagination()
    rows = fetcher.run([(path, {}, fields) for _name, path, fields in TABLES])
    tables = dict((name, found) for (name, _path, _fields), found in zip(TABLES, rows))
    return nb.Index(devices, device_types=tables["device_types"], platforms=tables["platforms"],
                    roles=tables["roles"], sites=tables["sites"], vrfs=[v.get("name") for v in tables["vrfs"]])


def _owner(row):
    """The name of the device whose interface holds an address or MAC row, else None."""
    if row.get("assigned_object_type") not in (None, "dcim.interface"):
        return None
    device = (row.get("assigned_object") or {}).get("device") or row.get("device")
    return device.get("name") if isinstance(device, dict) else None


def lookup(fetcher, addresses, macs):
    """``({address: device name or None}, {MAC: device name or None})`` for every address
    and MAC asked (None: on no device NetBox knows)."""
    found_addresses = dict((a, None) for a in addresses)
    for row in fetcher.list_in("ipam/ip-addresses", "address", list(addresses), ADDRESS_FIELDS) if addresses else []:
        host = str(row.get("address") or "").split("/", maxsplit=1)[0]
        if host in found_addresses and _owner(row):
            found_addresses[host] = found_addresses[host] or _owner(row)
    found_macs = dict((mac, None) for mac in macs)
    if macs:
        try:
            rows = fetcher.list_in("dcim/mac-addresses", "mac_address", list(macs), MAC_FIELDS)
        except netbox_client.NetboxFetchError as exc:
            if "404" not in str(exc):
                raise
            rows = fetcher.list_in("dcim/interfaces", "mac_address", list(macs), ("id", "mac_address", "device"))
        for row in rows:
            mac = str(row.get("mac_address") or "").upper()
            if mac in found_macs and _owner(row):
                found_macs[mac] = found_macs[mac] or _owner(row)
    return found_addresses, found_macs
