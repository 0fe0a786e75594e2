"""The device view a lab template renders: one device of the dataset, seen as the device.

``device_view(device, dataset, index(dataset))`` turns the dataset's record of a device
into what its templates read as ``d``: interfaces sorted in config order with their
platform names, kinds, VLAN columns, MACs and link-local addresses; the site's VLAN
table; VRFs; LAGs; the LLDP/CDP neighbours its cables (or ``lldp_override``) give.
``lab/render.py`` holds the commands and templates and documents the choices made.
"""

import hashlib
import ipaddress
import re

DOMAIN = "lab.example.net"
SHORT = {
    "cisco_ios": (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"),
                  ("TwentyFiveGigE", "Twe"), ("FortyGigabitEthernet", "Fo"), ("HundredGigE", "Hu"),
                  ("Port-channel", "Po"), ("Loopback", "Lo"), ("Vlan", "Vl")),
    "cisco_nxos": (("Ethernet", "Eth"), ("port-channel", "Po"), ("loopback", "Lo")),
    "arista_eos": (("Ethernet", "Et"), ("Port-Channel", "Po"), ("Management", "Ma"),
                   ("Loopback", "Lo"), ("Vlan", "Vl")),
    "juniper_junos": (),
}
# config order of interface kinds (ties broken by the numbers in the name)
RANK = {
    "cisco_ios": {"loopback": 0, "lag": 1, "mgmt": 2, "physical": 2, "svi": 3},
    "cisco_nxos": {"svi": 0, "lag": 1, "physical": 2, "mgmt": 3, "loopback": 4},
    "arista_eos": {"lag": 0, "physical": 1, "loopback": 2, "mgmt": 3, "svi": 4},
    "juniper_junos": {"physical": 0, "lag": 1, "svi": 2, "loopback": 3, "mgmt": 4},
}
# is an unconfigured Ethernet port a switchport? (the lab's N9K runs `no system default switchport`)
L2_DEFAULT = {"cisco_ios": True, "cisco_nxos": False, "arista_eos": True, "juniper_junos": False}
DEFAULT_MTU = {"cisco_ios": 1500, "cisco_nxos": 1500, "arista_eos": 1500, "juniper_junos": None}
OUI = {"cisco_ios": "7035.09", "cisco_nxos": "00de.fb", "arista_eos": "001c.73", "juniper_junos": "2c6b.f5"}
CISCO = ("cisco_ios", "cisco_nxos")


class View(dict):
    """A dict whose keys templates read as attributes (Jinja tries getattr first: no
    AttributeError detour per lookup, which halves rendering time)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _sysdesc(platform, version, model):
    """LLDP system description lines a device of ``platform`` advertises."""
    if platform == "cisco_ios":
        return [f"Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), "
                f"Version {version}, RELEASE SOFTWARE (fc3)",
                "Technical Support: http://www.cisco.com/techsupport",
                "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
                "Compiled Fri 20-Oct-23 10:44 by mcpre"]
    if platform == "cisco_nxos":
        return [f"Cisco Nexus Operating System (NX-OS) Software {version}",
                "TAC support: http://www.cisco.com/tac",
                "Copyright (c) 2002-2023, Cisco Systems, Inc. All rights reserved."]
    if platform == "arista_eos":
        return [f"Arista Networks EOS version {version} running on an Arista Networks {model}"]
    if platform == "juniper_junos":
        return [f"Juniper Networks, Inc. {model.lower()} Ethernet Switch, kernel JUNOS {version}, "
                "Build date: 2023-10-13 08:53:22 UTC Copyright (c) 1996-2023 Juniper Networks, Inc."]
    return []


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _mac(platform, name, salt=""):
    raw = OUI.get(platform, "0050.56").replace(".", "") + _digest(name + salt)[:6]
    return View(dot=f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}",
                colon=":".join(raw[i:i + 2] for i in range(0, 12, 2)), raw=raw)


def short_name(platform, name):
    """The platform's abbreviation of an interface name (Gi1/0/1, Eth1/1, Et1, Po1)."""
    for long, short in SHORT.get(platform, ()):
        if name.startswith(long):
            return short + name[len(long):]
    return name


def _kind(iface):
    if iface["type"] == "lag":
        return "lag"
    if iface.get("mgmt_only"):
        return "mgmt"
    if iface["type"] == "virtual":
        return "loopback" if iface["name"].lower().startswith(("lo", "loopback")) else "svi"
    return "physical"


def _numbers(name):
    return tuple(int(n) for n in re.findall(r"\d+", name))


def vlan_ranges(vids):
    """``[10, 11, 12, 20]`` -> ``"10-12,20"`` (Cisco and EOS allowed-VLAN lists)."""
    vids, parts = sorted(set(vids)), []
    for vid in vids:
        if parts and vid == parts[-1][1] + 1:
            parts[-1][1] = vid
        else:
            parts.append([vid, vid])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in parts)


def _addresses(iface, platform):
    v4 = []
    for cidr in iface.get("ipv4") or []:
        ip = ipaddress.ip_interface(cidr)
        v4.append(View(cidr=cidr, addr=str(ip.ip), plen=ip.network.prefixlen, mask=str(ip.netmask)))
    v6 = [c.upper() if platform == "cisco_ios" else c for c in iface.get("ipv6") or []]
    return v4, v6


def _iface_view(iface, platform, vlan_names):
    """One interface with what the templates need precomputed."""
    kind = _kind(iface)
    v4, v6 = _addresses(iface, platform)
    mode = iface.get("mode")
    tagged = sorted(iface.get("tagged_vlans") or [])
    mtu = iface.get("mtu")
    view = View(iface)
    view.update(
        kind=kind, short=short_name(platform, iface["name"]), v4=v4, v6=v6,
        description=iface.get("description") or "", enabled=iface.get("enabled", True),
        mtu=None if mtu in (None, DEFAULT_MTU[platform]) else mtu,
        access=mode == "access", trunk=mode in ("tagged", "tagged-all"),
        all_vlans=mode == "tagged-all", tagged=tagged, allowed=vlan_ranges(tagged),
        native=iface.get("untagged_vlan") if mode in ("tagged", "tagged-all") else None,
        access_vlan=(iface.get("untagged_vlan") or 1) if mode == "access" else None,
        member=bool(iface.get("lag")), lag_id=int((_numbers(iface["lag"]) or (1,))[-1]) if iface.get("lag") else None,
        speed="1g" if iface["type"] == "1000base-t" else "10g",
    )
    # NetBox gives no L2 mode to routed ports: a physical port without one (the spare
    # uplink) is configured routed (`no switchport` where ports switch by default).
    view["routed"] = not view["member"] and mode is None and bool(v4 or v6 or iface.get("vrf")
                                                                  or kind == "physical")
    view["bare"] = kind == "physical" and not view["member"] and mode is None and not view["routed"]
    view["l2_default"] = L2_DEFAULT[platform]
    view["unit"] = "0" if kind != "svi" else iface["name"].split(".")[-1]
    view["members_junos"] = (["all"] if view["all_vlans"] else
                             [vlan_names.get(v, str(v)) for v in tagged])
    view["access_name"] = vlan_names.get(view["access_vlan"], str(view["access_vlan"]))
    return view


def index(dataset):
    """What rendering looks up across the dataset: devices by name, cable ends by device,
    VLANs by site (a group-scoped VLAN belongs to the group's site). render_all() builds
    it once; render() without one builds what the device needs."""
    group_site = {g[k]: g["site"] for g in dataset.get("vlan_groups", []) for k in ("name", "slug")}
    vlans = {}
    for vlan in dataset.get("vlans", []):
        group = vlan.get("group")
        site = vlan.get("site") or group_site.get(group) or (group[:-len("-vlans")] if group else None)
        vlans.setdefault(site, []).append(vlan)
    links = {}
    for cable in dataset.get("cables", []):
        links.setdefault(cable["a_device"], {})[cable["a_interface"]] = (cable["b_device"], cable["b_interface"])
        links.setdefault(cable["b_device"], {})[cable["b_interface"]] = (cable["a_device"], cable["a_interface"])
    devices = dataset.get("devices", []) + dataset.get("undocumented", [])  # undocumented: neighbours NetBox lacks
    return {"by_name": {d["name"]: d for d in devices}, "vlans": vlans, "links": links}


def _carries(i, vid):
    """Does interface view ``i`` forward VLAN ``vid`` (as a VLAN table lists it)?"""
    if i["member"] or i["routed"] or i["kind"] not in ("physical", "lag"):
        return False
    if i["access"]:
        return i["access_vlan"] == vid
    if i["trunk"]:
        return i["all_vlans"] or vid in i["tagged"]
    return vid == 1 and i["l2_default"]  # an unconfigured switchport sits in VLAN 1


def _vlan_ports(platform, ifaces, vid):
    if platform == "cisco_ios":  # IOS lists access ports only, never trunks
        return [i["short"] for i in ifaces
                if _carries(i, vid) and not i["trunk"] and i["kind"] == "physical"]
    ports = [i for i in ifaces if _carries(i, vid)]
    if platform == "juniper_junos":
        return sorted(f"{i['name']}.0" + ("*" if i["enabled"] else "") for i in ports if not i["bare"])
    lags = [i["short"] for i in ports if i["kind"] == "lag"]
    phys = [i["short"] for i in ports if i["kind"] == "physical"]
    if platform == "cisco_nxos":
        return lags + phys
    svi = any(i["kind"] == "svi" and _numbers(i["name"]) == (vid,) for i in ifaces)
    return (["Cpu"] if svi else []) + phys + lags


def wrap(items, width=32):
    """Comma-separated ``items`` split into lines of at most ``width`` characters."""
    lines, line = [], ""
    for item in items:
        candidate = f"{line}, {item}" if line else item
        if line and len(candidate) > width:
            lines.append(line)
            candidate = item
        line = candidate
    return lines + [line] if line else [""]


def _vlans_view(vlans, platform, ifaces):
    table = [View(vid=1, name="default")] + [View(vid=v["vid"], name=v["name"]) for v in vlans if v["vid"] != 1]
    for vlan in table:
        vlan["ports"] = _vlan_ports(platform, ifaces, vlan["vid"])
        vlan["lines"] = wrap(vlan["ports"], 31 if platform == "arista_eos" else 32)
        vlan["svi"] = next((i["name"] for i in ifaces
                            if i["kind"] == "svi" and _numbers(i["name"]) == (vlan["vid"],)), None)
    return table


def _peer_view(peer_name, peer_port, by_name):
    """What a neighbour advertises about itself and its port."""
    peer = by_name.get(peer_name)
    if peer is None:  # a scenario may name a device the lab does not have
        return View(name=peer_name, port=peer_port, platform=None, port_desc=peer_port,
                    port_id=peer_port, sys_name=peer_name,
                    mac=_mac(None, peer_name), ip=None, model="", version="", serial="", sysdesc=[],
                    native=None, enabled=True, lag=None)
    port = next((i for i in peer["interfaces"] if i["name"] == peer_port), None) or {}
    lag = next((i for i in peer["interfaces"] if i["name"] == port.get("lag")), None) or {}
    l2 = lag or port
    native = l2.get("untagged_vlan") if l2.get("mode") in ("tagged", "tagged-all", "access") else None
    platform, version, model = peer["platform"], peer["os_version"], peer["device_type"]
    nxos = platform == "cisco_nxos"
    return View({"name": peer_name, "port": peer_port, "platform": platform,
            "cdp_platform": model if nxos else f"cisco {model}",
            "cdp_caps": "Router Switch IGMP Filtering Supports-STP-Dispute" if nxos else "Router Switch IGMP",
            "cdp_version": ([f"Cisco Nexus Operating System (NX-OS) Software, Version {version}"] if nxos
                            else _sysdesc(platform, version, model)),
            "port_desc": port.get("description") or peer_port,
            # what the peer advertises: IOS abbreviates its Port ID, Cisco sends its FQDN
            "port_id": short_name(platform, peer_port) if platform == "cisco_ios" else peer_port,
            "sys_name": f"{peer_name}.{DOMAIN}" if platform in CISCO else peer_name,
            "mac": _mac(peer["platform"], peer_name), "ip": peer["primary_ip4"].split("/")[0],
            "model": model, "version": version, "serial": peer["serial"],
            "sysdesc": _sysdesc(platform, version, model),
            "native": native, "enabled": port.get("enabled", True), "lag": port.get("lag")})


def _links(device, idx):
    """``{local interface: (peer device, peer port, overridden)}`` from cables and overrides."""
    links = {local: peer + (False,) for local, peer in idx["links"].get(device["name"], {}).items()}
    for local, peer in (device.get("lldp_override") or {}).items():
        links[local] = (peer["device"], peer["port"], True) if peer else None
    return links


def _neighbours(device, idx, platform, ifaces):
    by_iface = {i["name"]: i for i in ifaces}
    result = []
    for local, link in _links(device, idx).items():
        if link is None:
            continue
        peer = _peer_view(link[0], link[1], idx["by_name"])
        mine = by_iface.get(local) or {"name": local, "short": short_name(platform, local),
                                       "enabled": True, "lag": None}
        if not link[2] and not (mine["enabled"] and peer["enabled"]):
            continue  # a shut end sends and hears nothing
        peer.update(local=local, local_short=mine["short"], parent=mine.get("lag") or "-",
                    cdp=peer["platform"] in CISCO and platform in CISCO,
                    lldp=(idx["by_name"].get(link[0]) or {}).get("lldp", True),
                    cdp_id=f"{peer['name']}.{DOMAIN}" + (f"({peer['serial']})"
                                                        if peer["platform"] == "cisco_nxos" else ""))
        result.append(peer)
    order = {i["name"]: n for n, i in enumerate(ifaces)}
    return sorted(result, key=lambda n: (order.get(n["local"], len(order)), _numbers(n["local"])))


def _host_view(device):
    name, platform, version = device["name"], device["platform"], device["os_version"]
    h = int(_digest(name)[:8], 16)
    nums = [int(p) for p in re.findall(r"\d+", version)] + [0, 0, 0]
    return View({
        "name": name, "fqdn": f"{name}.{DOMAIN}", "domain": DOMAIN, "platform": platform,
        "model": device["device_type"], "serial": device["serial"], "version": version,
        "version_train": f"{nums[0]}.{nums[1]}",
        "version_padded": f"{nums[0]}.{nums[1]:02d}.{nums[2]:02d}" + re.sub(r"^[\d.]+", "", version),
        "version_dotted": version.replace("(", ".").replace(")", ""),
        "mac": _mac(platform, name), "mgmt_ip": device["primary_ip4"].split("/")[0],
        "weeks": h % 40 + 1, "days": h % 7, "hours": h % 24, "minutes": h % 60, "seconds": h % 59,
        "uptime_s": ((h % 40 + 1) * 7 + h % 7) * 86400 + (h % 24) * 3600 + (h % 60) * 60,
        "part_serial": lambda tag: device["serial"][:3] + _digest(name + tag)[:8].upper(),
        "build": str(int(_digest(version)[:8], 16) % 10**8), "uuid": _uuid(name),
    })


def _link_local(mac):
    """EUI-64 link-local address of a 48-bit MAC."""
    b = (mac ^ (0x02 << 40)).to_bytes(6, "big")
    eui = b[:3] + b"\xff\xfe" + b[3:]
    return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + eui))


def _uuid(name):
    d = _digest("uuid" + name)
    return f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:32]}"


def device_view(device, dataset, idx):
    platform = device["platform"]
    vlans = sorted(idx["vlans"].get(device["site"], []), key=lambda v: v["vid"])
    names = {v["vid"]: v["name"] for v in vlans}
    rank = RANK[platform]
    ifaces = [_iface_view(i, platform, names) for i in device["interfaces"]]
    ifaces.sort(key=lambda i: (rank[i["kind"]], _numbers(i["name"]), i["name"]))
    for i in ifaces:
        i["vlan_col"] = (str(i["access_vlan"]) if i["access"] else "trunk" if i["trunk"]
                         else "1" if i["bare"] and i["l2_default"] else "routed")
    base = int(_mac(platform, device["name"])["raw"], 16)
    for n, i in enumerate(ifaces):
        i["ll6"] = _link_local(base + n)
    lag_cols = {i["name"]: i["vlan_col"] for i in ifaces if i["kind"] == "lag"}
    for i in ifaces:
        if i["member"]:
            i["vlan_col"] = lag_cols.get(i["lag"], "1")
    table = _vlans_view(vlans, platform, ifaces)
    rds = {v["name"]: v.get("rd") for v in dataset.get("vrfs", [])}
    used = sorted({i["vrf"] for i in ifaces if i.get("vrf")})
    view = _host_view(device)
    neighbours = _neighbours(device, idx, platform, ifaces)
    view.update(
        interfaces=ifaces, vlans=vlans, vlan_table=table,
        vrfs=[View(name=v, rd=rds.get(v), interfaces=[i for i in ifaces if i.get("vrf") == v]) for v in used],
        lags=[i for i in ifaces if i["kind"] == "lag"],
        # a neighbour with LLDP off (lldp: false) is seen over CDP only; CDP runs between Cisco devices
        neighbours=[n for n in neighbours if n["lldp"]], cdp_neighbours=[n for n in neighbours if n["cdp"]],
        sysdesc=_sysdesc(platform, device["os_version"], device["device_type"]),
    )
    view["loopback_ip"] = next((i["v4"][0]["addr"] for i in ifaces
                                if i["kind"] == "loopback" and i["v4"]), view["mgmt_ip"])
    return view
