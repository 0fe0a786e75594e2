# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended model: what NetBox says one device should be, as plain JSON-able data.

Built from what ``plugin_utils/netbox_fetch.fetch()`` read (raw NetBox JSON), in
NetBox's vocabulary::

    device:    inventory name
    source:    "netbox"
    platform:  the platform the device model uses (the ``platform`` argument), else
               NetBox's platform slug, else None
    netbox:    {id, url, last_updated, site, role, status, tags}  the device object (site and
               role as slugs)
    facts:     {serial, model, part_number, platform, os_version}
    interfaces: {name: {name, type, enabled, description, mtu, mode, untagged_vlan,
                 tagged_vlans, lag, vrf, mgmt_only, ipv4, ipv6, anycast, tags, cable, netbox}}
    ip_addresses: [{address, interface, vrf, role, status, netbox}]   sorted by VRF, address
    vlans:     {"<vid>": {vid, name, scope, group, used, netbox}}   see reachable_vlans()
    primary_ip4, primary_ip6: cidr or None
    problems:  [{kind, key, reason, netbox}]  NetBox data the model could not read: each
               object is left out of the comparison (never the whole device)

``mode`` is ``access``, ``tagged``, ``tagged-all``, ``q-in-q`` or None (NetBox's
"no mode": routed, LAG member, virtual); ``untagged_vlan`` a VID or None;
``tagged_vlans`` a sorted list of VIDs; ``mtu`` an int or None ("not recorded");
``cable`` None or ``{id, url, peer_device, peer_port, peer_type}`` where the peer
is the far end interface (``connected_endpoints`` when it is an interface, else
the cable's own ``link_peers``) and ``peer_type`` its NetBox type, e.g.
``dcim.interface`` or ``circuits.circuittermination`` (whose ``peer_device`` is
None). An address is identified by VRF and address together: the same address in
several VRFs, or on several devices (anycast gateways, redundant pairs), is normal.
An interface's ``ipv4``/``ipv6`` are its own addresses, ``anycast`` those NetBox gives a
shared role (anycast, vip, vrrp, hsrp, glbp, carp). Each ``netbox`` block is
``{id, url, last_updated}`` with the URL of the object's page in NetBox's UI.
Addresses are CIDR strings as ``ipaddress`` writes them; slugs and values, never
labels. Nothing here depends on fields NetBox moved between 4.2 and 4.7 (MAC
addresses) and every nested object may be brief.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

SOURCE = "netbox"
DEFAULT_OPTIONS = {"os_version_field": "software_version"}
MODES = ("access", "tagged", "tagged-all", "q-in-q")
INTERFACE_TYPE = "dcim.interface"


class IntendedError(Exception):
    """NetBox data that does not fit the intended model."""


def _value(field):
    """A choice field's value: ``{"value": "x", "label": "X"}`` or ``"x"`` -> ``"x"``."""
    if isinstance(field, dict):
        field = field.get("value")
    if field in (None, ""):
        return None
    return field


def _slug(obj):
    if isinstance(obj, dict):
        return obj.get("slug") or obj.get("name") or None
    return obj or None


def _name(obj):
    if isinstance(obj, dict):
        return obj.get("name") or obj.get("display") or None
    return obj or None


def _id(obj):
    return obj.get("id") if isinstance(obj, dict) else obj


def ui_url(obj):
    """The object's page in NetBox's UI: ``display_url``, else its API URL without ``/api``."""
    if not isinstance(obj, dict):
        return None
    if obj.get("display_url"):
        return obj["display_url"]
    url = obj.get("url")
    if not url:
        return None
    return url.replace("/api/", "/", 1)


def netbox_block(obj):
    return {"id": _id(obj), "url": ui_url(obj), "last_updated": obj.get("last_updated")}


def _tags(obj):
    return sorted(t for t in (_slug(tag) for tag in obj.get("tags") or []) if t)


def _text(value):
    return "" if value is None else str(value)


def _int(value, what):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise IntendedError("%s: %r is not a number" % (what, value))


def _vid(vlan, what):
    if vlan is None:
        return None
    if not isinstance(vlan, dict) or vlan.get("vid") is None:
        raise IntendedError("%s: VLAN %r has no VID (a NetBox older than 4.2, or a brief "
                            "object without vid?)" % (what, vlan))
    return _int(vlan["vid"], what)


def cidr(address, what):
    """``"2001:DB8::1/64"`` -> ``"2001:db8::1/64"``; IntendedError if it is not an address."""
    try:
        return ipaddress.ip_interface(str(address)).with_prefixlen
    except ValueError:
        raise IntendedError("%s: %r is not an IP address with a prefix length" % (what, address))


def _sort_cidrs(cidrs):
    return sorted(cidrs, key=lambda a: (ipaddress.ip_interface(a).version, ipaddress.ip_interface(a)))


def cable(iface):
    """``{id, url, peer_device, peer_port, peer_type}`` or None for an interface."""
    link = iface.get("cable")
    if not link:
        return None
    peer, peer_type = None, None
    endpoints = iface.get("connected_endpoints") or []
    peers = iface.get("link_peers") or []
    if iface.get("connected_endpoints_type") == INTERFACE_TYPE and endpoints:
        peer, peer_type = endpoints[0], INTERFACE_TYPE
    elif peers:
        peer, peer_type = peers[0], iface.get("link_peers_type")
    result = {"id": _id(link), "url": ui_url(link) if isinstance(link, dict) else None,
              "peer_device": None, "peer_port": None, "peer_type": peer_type}
    if isinstance(peer, dict):
        result["peer_device"] = _name(peer.get("device"))
        result["peer_port"] = peer.get("name") or peer.get("display")
    return result


def interface(iface, device):
    """One NetBox interface in the model's shape (``ipv4``/``ipv6`` left empty)."""
    name = iface.get("name")
    if not name:
        raise IntendedError("%s: an interface without a name (id %s)" % (device, iface.get("id")))
    what = "%s %s" % (device, name)
    mode = _value(iface.get("mode"))
    if mode is not None and mode not in MODES:
        raise IntendedError("%s: unknown 802.1Q mode %r" % (what, mode))
    tagged = sorted(set(_vid(vlan, what) for vlan in iface.get("tagged_vlans") or []))
    return {
        "name": name,
        "type": _value(iface.get("type")),
        "enabled": bool(iface.get("enabled", True)),
        "description": _text(iface.get("description")),
        "mtu": _int(iface.get("mtu"), what + " mtu"),
        "mode": mode,
        "untagged_vlan": _vid(iface.get("untagged_vlan"), what),
        "tagged_vlans": tagged,
        "lag": _name(iface.get("lag")),
        "vrf": _name(iface.get("vrf")),
        "mgmt_only": bool(iface.get("mgmt_only")),
        "ipv4": [],
        "ipv6": [],
        "anycast": [],
        "tags": _tags(iface),
        "cable": cable(iface),
        "netbox": netbox_block(iface),
    }


SHARED_ROLES = ("anycast", "vip", "vrrp", "hsrp", "glbp", "carp")  # addresses several devices answer for


def _addresses(name, raw_addresses, interfaces, iface_names, problems):
    """The device's addresses, as a list: the same address may be in NetBox several times
    (in several VRFs, or shared by redundant peers), and each is its own object."""
    result = []
    for raw in raw_addresses:
        try:
            address = cidr(raw.get("address"), name)
        except IntendedError as exc:
            problems.append(problem("ip_address", raw.get("address"), str(exc), raw))
            continue
        assigned = raw.get("assigned_object") or {}
        iface_name = None
        if raw.get("assigned_object_type") in (None, INTERFACE_TYPE):
            iface_name = iface_names.get(raw.get("assigned_object_id")) or _name(assigned) or None
        entry = {
            "address": address,
            "interface": iface_name,
            "vrf": _name(raw.get("vrf")),
            "role": _value(raw.get("role")),
            "status": _value(raw.get("status")),
            "netbox": netbox_block(raw),
        }
        result.append(entry)
        if iface_name in interfaces:
            family = "ipv4" if ipaddress.ip_interface(address).version == 4 else "ipv6"
            interfaces[iface_name]["anycast" if entry["role"] in SHARED_ROLES else family].append(address)
    for iface in interfaces.values():
        for family in ("ipv4", "ipv6", "anycast"):
            iface[family] = _sort_cidrs(iface[family])
    return sorted(result, key=lambda e: (e["vrf"] or "", ipaddress.ip_interface(e["address"]).version,
                                         ipaddress.ip_interface(e["address"]), e["interface"] or ""))


# how narrowly a VLAN is scoped to the device: the narrowest wins where two share a VID
VLAN_SCOPES = ("rack", "location", "site", "group", "interface")
DEVICE_SCOPES = ("rack", "location")  # the device is expected to carry these


def reachable_vlans(name, site_vlans, device_vlans, used, problems):
    """``{"<vid>": {vid, name, scope, group, used, netbox}}``: every VLAN the device can
    reach in NetBox. ``scope``: ``rack`` or ``location`` for the VLANs of a VLAN group
    scoped to the device's rack or location (``device_vlans``, each raw VLAN with
    ``_scope``); ``site`` for the site's own VLANs and ``group`` for those
    of a group scoped to the site (``site_vlans``); ``interface`` for a VLAN known only
    because an interface of the device uses it. ``used``: an interface of the device
    uses it (a VLAN of another site an interface uses is known only by its brief nested
    object: scope ``interface``). A device is expected to carry the VLANs it uses and those scoped to it
    (``DEVICE_SCOPES``); the others are known, not expected (the comparison's policy
    ``vlan_scope`` decides). Where two VLANs share a VID, the one the interfaces use
    wins, then the narrowest scope, then the lowest id."""
    candidates = []
    for raw in device_vlans:
        candidates.append((raw, raw.get("_scope") or "rack"))
    for raw in site_vlans:
        candidates.append((raw, "site" if raw.get("site") else "group"))
    candidates.extend((raw, "interface") for raw in used.values())
    chosen = {}
    for raw, scope in candidates:
        try:
            vid = _vid(raw, name)
        except IntendedError as exc:
            problems.append(problem("vlan", raw.get("name"), str(exc), raw))
            continue
        group = raw.get("group")
        entry = {"vid": vid, "name": _text(raw.get("name")), "scope": scope, "used": raw.get("id") in used,
                 "group": group.get("slug") if isinstance(group, dict) else None, "netbox": netbox_block(raw)}
        rank = (0 if entry["used"] else 1, VLAN_SCOPES.index(scope), raw.get("id") or 0)
        key = str(vid)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, entry)
    return dict((key, entry) for key, (rank, entry) in sorted(chosen.items(), key=lambda kv: int(kv[0])))


def problem(kind, key, reason, raw=None):
    """NetBox data the model cannot read: the object is left out of the comparison."""
    return {"kind": kind, "key": None if key is None else str(key), "reason": reason,
            "netbox": netbox_block(raw) if isinstance(raw, dict) else None}


def _primary(device, field, name):
    ip = device.get(field)
    if not ip:
        return None
    address = ip.get("address") if isinstance(ip, dict) else None
    try:
        return cidr(address, "%s %s" % (name, field)) if address else None
    except IntendedError:
        return None


def _interfaces(name, raw_interfaces, problems):
    """``(interfaces, {id: name}, {VLAN id: brief VLAN})``; an interface NetBox holds in a
    shape the model cannot read is a problem, not a reason to drop the device."""
    interfaces, iface_names, used = {}, {}, {}
    for raw in raw_interfaces:
        try:
            entry = interface(raw, name)
        except IntendedError as exc:
            problems.append(problem("interface", raw.get("name"), str(exc), raw))
            continue
        if entry["name"] in interfaces:
            problems.append(problem("interface", entry["name"], "%s: interface %s is in NetBox twice" % (
                name, entry["name"]), raw))
            continue
        interfaces[entry["name"]] = entry
        iface_names[raw.get("id")] = entry["name"]
        for vlan in [raw.get("untagged_vlan")] + list(raw.get("tagged_vlans") or []):
            if isinstance(vlan, dict) and vlan.get("id") is not None:
                used[vlan["id"]] = vlan
    return interfaces, iface_names, used


def build(name, fetched, platform=None, options=None):
    """The intended model of device ``name`` from ``fetched`` (see netbox_fetch.fetch).
    ``platform``: the platform the collected device model uses, when known (it names
    the model's platform; NetBox's own slug stays in ``facts.platform``). Raises
    IntendedError only when the device is not in ``fetched``: NetBox data the model
    cannot read is listed in ``problems`` and left out, never a reason to drop a device."""
    opts = dict(DEFAULT_OPTIONS)
    opts.update(dict((k, v) for k, v in (options or {}).items() if v is not None))
    device = (fetched.get("devices") or {}).get(name)
    if not device:
        raise IntendedError("%s is not in NetBox" % name)
    device_type = device.get("device_type") or {}
    types = fetched.get("device_types") or {}
    full_type = types.get(str(_id(device_type))) or types.get(_id(device_type)) or {}
    nb_platform = _slug(device.get("platform"))
    custom = device.get("custom_fields") or {}
    os_version = custom.get(opts["os_version_field"]) if isinstance(custom, dict) else None
    site_slug = _slug(device.get("site"))
    problems = []
    interfaces, iface_names, used = _interfaces(name, fetched.get("interfaces", {}).get(name) or [], problems)
    vlans = reachable_vlans(name, (fetched.get("vlans") or {}).get(site_slug) or [],
                            (fetched.get("device_vlans") or {}).get(name) or [], used, problems)
    return {
        "device": name,
        "source": SOURCE,
        "platform": platform or nb_platform,
        "netbox": {
            "id": device.get("id"),
            "url": ui_url(device),
            "last_updated": device.get("last_updated"),
            "site": site_slug,
            "role": _slug(device.get("role") or device.get("device_role")),  # device_role: NetBox < 4.0
            "status": _value(device.get("status")),
            "tags": _tags(device),
        },
        "facts": {
            "serial": device.get("serial") or None,
            "model": full_type.get("model") or device_type.get("model") or None,
            "part_number": full_type.get("part_number") or device_type.get("part_number") or None,
            "platform": nb_platform,
            "os_version": None if os_version in (None, "") else str(os_version),
        },
        "interfaces": interfaces,
        "ip_addresses": _addresses(name, fetched.get("ip_addresses", {}).get(name) or [], interfaces,
                                   iface_names, problems),
        "vlans": vlans,
        "primary_ip4": _primary(device, "primary_ip4", name),
        "primary_ip6": _primary(device, "primary_ip6", name),
        "problems": problems,
    }


def build_all(fetched, platforms=None, options=None):
    """``{name: intended model}`` for every device of ``fetched``; ``platforms`` maps a
    name to the platform its device model uses."""
    platforms = platforms or {}
    return dict((name, build(name, fetched, platforms.get(name), options))
                for name in sorted(fetched.get("devices") or {}))
