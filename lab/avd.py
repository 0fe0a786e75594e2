"""A fabric's NetBox, from its own intended state: Arista AVD structured_config to the lab dataset.

``convert(name)`` reads ``<fabric>/intent/<device>.yml`` (AVD's structured_config, the
state AVD was asked to deploy) and AVD's ``topology.csv`` when the fabric has one, and
returns a dataset in the schema of ``lab/dataset.py`` that ``lab/netbox_load.py`` loads.
It never looks at the captures and never calls the collection's parsers: NetBox holds
what the fabric's designers intended, the devices show what ran, and the check compares
two independent sources.

How AVD's keys become NetBox objects (the choices a NetBox modeller of this fabric would
make; anything not listed is not modelled, e.g. BGP, MLAG settings, EVPN segments):

* one site per fabric; one Arista platform ``arista_eos``; the device type is AVD's
  ``metadata.platform`` (``cEOS-LAB``; ``DEFAULT_MODEL`` where an older AVD left it out); the role is AVD's node type (``topology.csv`` or the
  ``peer_type`` other devices give it), else ``switch``. No serial, no OS version: AVD
  does not state them.
* interfaces from ``management_interfaces`` (mgmt only; its address is the primary IP),
  ``ethernet_interfaces``, ``port_channel_interfaces`` (type lag), ``loopback_interfaces``,
  ``vlan_interfaces`` and ``vxlan_interface`` (virtual): name, enabled (``shutdown``),
  description, MTU, VRF, LAG (``channel_group``); 802.1Q mode from ``mode``/``vlans``/
  ``native_vlan`` (a trunk without ``vlans`` is tagged-all; ``type: routed`` and LAG
  members without a mode have none).
* addresses: ``ip_address``, ``ip_address_secondaries``, ``ipv6_address`` in the
  interface's VRF; the anycast gateway addresses ``ip_address_virtual`` and
  ``ip_virtual_router_addresses`` (VARP; without a prefix length it takes the one of the
  interface's own address) with NetBox role ``anycast``.
* VLANs: a VID that has one name on every device is one site VLAN; a VID whose name
  differs between devices (point-to-point VLANs of the MPLS fabrics) is a VLAN of a
  VLAN group of each device that defines it (NetBox cannot scope a group to a device:
  the group has no scope, and the device's interfaces that use the VLAN say where it is).
* cables: ``topology.csv`` rows, else the ``peer``/``peer_interface`` keys of the
  Ethernet interfaces. A peer that is not an intent device (a server) becomes a device of
  role ``server`` with just those interfaces and no primary IP (so it is in NetBox but
  not in the inventory).
"""

import csv
import ipaddress
import re

import yaml

from lab import fabric
from lab.dataset import NETWORK_OS

# AVD's hardware platform when a structured_config does not name it (older AVD releases
# leave out ``metadata``): every fabric of the corpus runs on cEOS-lab (its README).
DEFAULT_MODEL = "cEOS-LAB"
SECTIONS = (  # AVD key, NetBox interface type, management
    ("management_interfaces", "1000base-t", True),
    ("ethernet_interfaces", "1000base-t", False),
    ("port_channel_interfaces", "lag", False),
    ("loopback_interfaces", "virtual", False),
    ("vlan_interfaces", "virtual", False),
)


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def entries(value):
    """AVD lists (``[{name: ...}]``) and the older dicts (``{name: {...}}``) alike."""
    if isinstance(value, dict):
        return [dict(entry or {}, name=name) for name, entry in value.items()]
    return list(value or [])


def read_intent(name):
    """``{device: structured_config}`` of the fabric."""
    found = {}
    for entry in sorted((fabric.path(name) / "intent").glob("*.yml")):
        config = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        found[config.get("hostname") or entry.stem] = config
    return found


def _vids(text):
    """``"10,20-22"`` -> ``[10, 20, 21, 22]``; ``"all"``/None -> None."""
    text = str(text).strip().lower()
    if text in ("", "all", "none"):
        return None
    vids = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        vids.update(range(int(low), int(high or low) + 1))
    return sorted(vids)


def _l2(entry):
    """``(mode, untagged_vlan, tagged_vlans)`` of an AVD interface."""
    mode, kind = entry.get("mode"), entry.get("type")
    if kind == "routed" or entry.get("ip_address") or (kind == "port-channel-member" and not mode):
        return None, None, []
    native = entry.get("native_vlan")
    if mode == "access" or (kind == "switched" and not mode):
        vids = _vids(entry.get("vlans", ""))
        return "access", vids[0] if vids else None, []
    if mode == "trunk":
        vids = _vids(entry.get("vlans", "all"))
        if vids is None:
            return "tagged-all", native, []
        return "tagged", native, [v for v in vids if v != native]
    return None, None, []


def _addresses(entry):
    """``(ipv4, ipv6, anycast)`` of an AVD interface, as CIDR lists."""
    ipv4 = [a for a in [entry.get("ip_address")] + list(entry.get("ip_address_secondaries") or []) if a and "/" in str(a)]
    ipv6 = [a for a in [entry.get("ipv6_address")] if a and "/" in str(a)]
    anycast = [entry["ip_address_virtual"]] if entry.get("ip_address_virtual") else []
    anycast += list(entry.get("ip_address_virtual_secondaries") or [])
    if entry.get("ipv6_address_virtual"):
        anycast.append(entry["ipv6_address_virtual"])
    for address in entry.get("ip_virtual_router_addresses") or []:
        if "/" not in str(address):  # VARP without a length: the interface's own subnet
            own = [ipaddress.ip_interface(a) for a in ipv4]
            length = next((o.network.prefixlen for o in own if ipaddress.ip_address(address) in o.network), 32)
            address = f"{address}/{length}"
        anycast.append(str(address))
    return ipv4, ipv6, [ipaddress.ip_interface(a).with_prefixlen for a in anycast]


def _interface(entry, itype, mgmt):
    mode, untagged, tagged = _l2(entry)
    ipv4, ipv6, anycast = _addresses(entry)
    group = entry.get("channel_group") or {}
    return {
        "name": entry["name"], "type": itype, "enabled": not entry.get("shutdown", False),
        "description": str(entry.get("description") or ""), "mtu": entry.get("mtu"),
        "mode": mode, "untagged_vlan": untagged, "tagged_vlans": tagged,
        "lag": f"Port-Channel{group['id']}" if group.get("id") is not None else None,
        "vrf": entry.get("vrf"), "mgmt_only": mgmt, "ipv4": ipv4, "ipv6": ipv6, "anycast": anycast,
    }


def interfaces(config):
    """The NetBox interfaces of one device's structured_config."""
    found = []
    for key, itype, mgmt in SECTIONS:
        found.extend(_interface(entry, itype, mgmt) for entry in entries(config.get(key)))
    for name, vxlan in (config.get("vxlan_interface") or {}).items():
        found.append(_interface({"name": name, "description": (vxlan or {}).get("description")}, "virtual", False))
    return found


def _links(name, intents):
    """``[(node, port, peer, peer_port, node_type, peer_type)]``: topology.csv, else the peers."""
    csv_path = fabric.path(name) / "intent" / "topology.csv"
    rows = []
    if csv_path.is_file():
        with csv_path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append((row["Node"], row["Node Interface"], row["Peer Node"], row["Peer Interface"],
                             row["Node Type"], row["Peer Type"]))
        return rows
    for device, config in intents.items():
        for entry in entries(config.get("ethernet_interfaces")):
            if entry.get("peer") and entry.get("peer_interface"):
                rows.append((device, entry["name"], entry["peer"], entry["peer_interface"], None,
                             entry.get("peer_type")))
    return rows


def _roles(intents, links):
    """``{device: role slug}``: the node type a device has in its own rows, else what its
    peers call it (``peer_type``), else ``switch``."""
    own, given = {}, {}
    for node, _, peer, _, node_type, peer_type in links:
        if node_type:
            own.setdefault(node, node_type)
        if peer_type:
            given.setdefault(peer, peer_type)
    return dict((device, _slug(own.get(device) or given.get(device) or "switch"))
                for device in set(intents) | set(own) | set(given))


def _cables(links):
    seen, cables = set(), []
    for node, port, peer, peer_port, _, _ in links:
        ends = frozenset([(node, port), (peer, peer_port)])
        if ends not in seen:
            seen.add(ends)
            cables.append({"a_device": node, "a_interface": port, "b_device": peer, "b_interface": peer_port})
    return cables


def _vlans(site, intents):
    """Site VLANs, and device-scoped VLAN groups for VIDs whose name differs between devices."""
    names = {}
    for device, config in intents.items():
        found = config.get("vlans") or []
        if isinstance(found, dict):  # older AVD: {vid: {name: ...}}
            found = [dict(entry or {}, id=vid) for vid, entry in found.items()]
        for entry in found:
            vid = int(entry["id"])
            names.setdefault(vid, {})[device] = str(entry.get("name") or f"VLAN{vid:04d}")
    vlans, groups = [], []
    for vid, by_device in sorted(names.items()):
        if len(set(by_device.values())) == 1:
            vlans.append({"vid": vid, "name": next(iter(by_device.values())), "site": site, "group": None})
            continue
        for device, vname in sorted(by_device.items()):
            group = f"{_slug(device)}-local"
            if not any(g["slug"] == group for g in groups):
                groups.append({"name": f"{device} local VLANs", "slug": group, "site": site, "device": device})
            vlans.append({"vid": vid, "name": vname, "site": None, "group": group})
    return vlans, groups


def _server(name, ports):
    return {"name": name, "site": None, "role": "server", "platform": None, "device_type": "Server",
            "serial": "", "os_version": None, "primary_ip4": None,
            "interfaces": [_interface({"name": p}, "1000base-t", False) for p in sorted(ports)]}


def convert(name):
    """The dataset of fabric ``name`` (schema: lab/dataset.py, plus ``anycast`` addresses and
    device-scoped VLAN groups)."""
    intents = read_intent(name)
    site = _slug(name)
    links = _links(name, intents)
    roles = _roles(intents, links)
    devices = []
    for device, config in sorted(intents.items()):
        ifaces = interfaces(config)
        mgmt = next((i["ipv4"][0] for i in ifaces if i["mgmt_only"] and i["ipv4"]), None)
        model = (config.get("metadata") or {}).get("platform") or DEFAULT_MODEL
        devices.append({"name": device, "site": site, "role": roles[device], "platform": fabric.PLATFORM,
                        "device_type": model, "serial": "", "os_version": None, "primary_ip4": mgmt,
                        "interfaces": ifaces})
    servers = {}
    for node, port, peer, peer_port, _, _ in links:
        for dev, dev_port in ((node, port), (peer, peer_port)):
            if dev not in intents:
                servers.setdefault(dev, set()).add(dev_port)
    for server, ports in sorted(servers.items()):
        devices.append(dict(_server(server, ports), site=site))
    vlans, groups = _vlans(site, intents)
    vrfs = sorted({i["vrf"] for d in devices for i in d["interfaces"] if i["vrf"]})
    models = sorted({d["device_type"] for d in devices if d["platform"]})
    return {
        "custom_fields": [{"name": "software_version", "type": "text", "label": "Software version",
                           "object_types": ["dcim.device"]}],
        "manufacturers": [{"name": "Arista", "slug": "arista"}, {"name": "Generic", "slug": "generic"}],
        "platforms": [{"name": fabric.PLATFORM, "slug": fabric.PLATFORM, "manufacturer": "arista",
                       "network_os": NETWORK_OS[fabric.PLATFORM]}],
        "device_types": [{"model": m, "slug": _slug(m), "manufacturer": "arista", "platform": fabric.PLATFORM}
                         for m in models] + [{"model": "Server", "slug": "server", "manufacturer": "generic",
                                              "platform": None}],
        "roles": [{"name": r, "slug": r, "color": "9e9e9e"} for r in sorted(set(roles.values()) | {"server"})],
        "sites": [{"name": name, "slug": site}],
        "vlan_groups": groups,
        "vlans": vlans,
        # the fabrics reuse management addresses between devices: NetBox holds them as intended
        "vrfs": [{"name": v, "rd": None, "enforce_unique": False} for v in vrfs],
        "devices": devices,
        "cables": _cables(links),
    }
