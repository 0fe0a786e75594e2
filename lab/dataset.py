"""The lab's network, as plain data: one source for NetBox and for the emulated devices.

``generate(n)`` returns a JSON-serialisable dict. Device ``i`` is the same whatever
``n`` is, so a scenario written for the 12-device lab also applies to 1,000 devices.

Schema::

    custom_fields: [{name, type, object_types, label}]
    manufacturers: [{name, slug}]
    platforms:     [{name, slug, manufacturer, network_os}]   # slug is the driver name
    device_types:  [{model, slug, manufacturer, platform}]
    roles:         [{name, slug, color}]
    sites:         [{name, slug}]
    vlan_groups:   [{name, slug, site}]                       # scoped to that site
    vlans:         [{vid, name, site, group}]                 # exactly one of site/group set
    vrfs:          [{name, rd}]
    devices:       [{name, site, role, platform, device_type, serial, os_version,
                     primary_ip4, interfaces: [...]}]
    cables:        [{a_device, a_interface, b_device, b_interface}]

An interface::

    {name, type, enabled, description, mtu, mode, untagged_vlan, tagged_vlans,
     lag, vrf, mgmt_only, ipv4: [cidr], ipv6: [cidr]}

``mode`` is ``access``, ``tagged``, ``tagged-all`` or None (routed, LAG member,
virtual); VLANs are given by VID and resolve within the device's site; ``mtu``
None means the platform default. Interface names are the platform's own long
names, as NetBox stores them.

Each device may also carry ``lldp_override`` (added by scenarios only):
``{local interface: {device, port}}`` which the emulator shows instead of the
neighbour the cable implies.
"""

import hashlib
import ipaddress

PER_SITE = 6
PORTS = 44  # physical ports; with Po1, Loopback0, Vlan10 and mgmt: 48 interfaces
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")
SHORT = {"cisco_ios": "ios", "cisco_nxos": "nxos", "arista_eos": "eos", "juniper_junos": "junos"}
NETWORK_OS = {
    "cisco_ios": "cisco.ios.ios",
    "cisco_nxos": "cisco.nxos.nxos",
    "arista_eos": "arista.eos.eos",
    "juniper_junos": "junipernetworks.junos.junos",
}
MODELS = {
    "cisco_ios": ("Cisco", "C9300-48P", "17.9.4a", "FOC"),
    "cisco_nxos": ("Cisco", "N9K-C93180YC-EX", "10.3(4a)", "FDO"),
    "arista_eos": ("Arista", "DCS-7050SX3-48YC8", "4.31.2F", "JPE"),
    "juniper_junos": ("Juniper", "EX4300-48T", "22.4R3-S2.11", "PE"),
}
# Each platform's own management VRF: NX-OS always puts mgmt0 in "management", IOS-XE
# Catalyst its GigabitEthernet0/0 in "Mgmt-vrf", Junos uses "mgmt_junos".
MGMT_VRF = {"cisco_ios": "Mgmt-vrf", "cisco_nxos": "management", "arista_eos": "MGMT",
            "juniper_junos": "mgmt_junos"}
USER_VLANS = (10, 20, 30)
NATIVE_VLAN = 99
VLAN_NAMES = {10: "USERS", 20: "VOICE", 30: "PRINTERS", 99: "NATIVE"}
MTU_JUMBO = 9100
MGMT_NET = ipaddress.ip_network("10.250.0.0/16")
LOOPBACK_NET = ipaddress.ip_network("10.0.0.0/16")
P2P_NET = ipaddress.ip_network("10.1.0.0/16")
VRF_P2P_NET = ipaddress.ip_network("100.64.0.0/16")
SVI_NET = ipaddress.ip_network("172.16.0.0/12")
V6_LOOPBACK = ipaddress.ip_network("2001:db8:0::/64")
V6_P2P = ipaddress.ip_network("2001:db8:1::/48")


def port_name(platform, n):
    """Long name of physical port ``n`` (1-based) on ``platform``."""
    if platform == "cisco_ios":
        return f"GigabitEthernet1/0/{n}" if n <= 40 else f"TenGigabitEthernet1/1/{n - 40}"
    if platform == "cisco_nxos":
        return f"Ethernet1/{n}"
    if platform == "arista_eos":
        return f"Ethernet{n}"
    return f"ge-0/0/{n - 1}" if n <= 40 else f"xe-0/2/{n - 41}"


LOGICAL = {
    # platform: (lag, loopback, svi template, management)
    "cisco_ios": ("Port-channel1", "Loopback0", "Vlan{vid}", "GigabitEthernet0/0"),
    "cisco_nxos": ("port-channel1", "loopback0", "Vlan{vid}", "mgmt0"),
    "arista_eos": ("Port-Channel1", "Loopback0", "Vlan{vid}", "Management1"),
    "juniper_junos": ("ae0", "lo0", "irb.{vid}", "me0"),
}


def site_slug(index):
    return f"dc{index + 1}"


def device_name(i):
    platform = PLATFORMS[i % len(PLATFORMS)]
    return f"{site_slug(i // PER_SITE)}-{SHORT[platform]}-{i % PER_SITE + 1:02d}"


def _serial(name, prefix):
    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    return prefix + digest[: 11 - len(prefix)]


def _iface(name, itype, **kw):
    base = {
        "name": name, "type": itype, "enabled": True, "description": "", "mtu": None,
        "mode": None, "untagged_vlan": None, "tagged_vlans": [], "lag": None,
        "vrf": None, "mgmt_only": False, "ipv4": [], "ipv6": [],
    }
    base.update(kw)
    return base


def _access_port(platform, n, name):
    iface = _iface(port_name(platform, n), "1000base-t", mode="access",
                   untagged_vlan=USER_VLANS[n % len(USER_VLANS)],
                   description=f"{name} desk {n:02d}" if n % 3 else "")
    if n % 9 == 0:
        iface.update(enabled=False, description="unused", untagged_vlan=USER_VLANS[0])
    return iface


def _pair_offset(i):
    """Index of the pair (two devices cabled together) and side (0 = a, 1 = b)."""
    return i // 2, i % 2


def _p2p_v4(net, pair, side):
    first = int(net.network_address) + pair * 2
    return f"{ipaddress.ip_address(first + side)}/31"


def _interfaces(platform, i, name):
    lag, loop, svi, mgmt = LOGICAL[platform]
    pair, side = _pair_offset(i)
    ifaces = [_access_port(platform, n, name) for n in range(1, 37)]
    peer = device_name(i + 1 - 2 * side)
    for n in (37, 38):
        ifaces.append(_iface(port_name(platform, n), "10gbase-x-sfpp", lag=lag,
                             description=f"{peer} lag member"))
    for n in (39, 40):
        ifaces.append(_iface(port_name(platform, n), "10gbase-x-sfpp", mode="tagged",
                             untagged_vlan=NATIVE_VLAN, tagged_vlans=[10, 20],
                             description=f"ap trunk {n}"))
    ifaces.append(_iface(port_name(platform, 41), "10gbase-x-sfpp", mtu=MTU_JUMBO,
                         description=f"p2p to {peer}",
                         ipv4=[_p2p_v4(P2P_NET, pair, side)],
                         ipv6=[f"{ipaddress.ip_address(int(V6_P2P.network_address) + pair * 2 + side)}/127"]))
    ifaces.append(_iface(port_name(platform, 42), "10gbase-x-sfpp", vrf="CUSTOMER-A",
                         description="customer A handoff",
                         ipv4=[_p2p_v4(VRF_P2P_NET, pair, side)]))
    ifaces.append(_iface(port_name(platform, 43), "10gbase-x-sfpp", mode="tagged-all",
                         untagged_vlan=NATIVE_VLAN, description=f"trunk to {peer}"))
    ifaces.append(_iface(port_name(platform, 44), "10gbase-x-sfpp", enabled=False,
                         description="spare uplink"))
    ifaces.append(_iface(lag, "lag", mode="tagged", untagged_vlan=NATIVE_VLAN,
                         tagged_vlans=[10, 20, 30], description=f"lag to {peer}"))
    ifaces.append(_iface(loop, "virtual", description="router id",
                         ipv4=[f"{LOOPBACK_NET.network_address + i + 1}/32"],
                         ipv6=[f"{V6_LOOPBACK.network_address + i + 1}/128"]))
    ifaces.append(_iface(svi.format(vid=10), "virtual", description="users gateway",
                         ipv4=[f"{SVI_NET.network_address + i * 256 + 1}/24"]))
    ifaces.append(_iface(mgmt, "1000base-t", mgmt_only=True, vrf=MGMT_VRF[platform],
                         description="oob management",
                         ipv4=[f"{MGMT_NET.network_address + i + 10}/16"]))
    return ifaces


def _device(i):
    platform = PLATFORMS[i % len(PLATFORMS)]
    name = device_name(i)
    vendor, model, version, prefix = MODELS[platform]
    ifaces = _interfaces(platform, i, name)
    return {
        "name": name,
        "site": site_slug(i // PER_SITE),
        "role": "core" if i % PER_SITE < 2 else "access",
        "platform": platform,
        "device_type": model,
        "serial": _serial(name, prefix),
        "os_version": version,
        "primary_ip4": ifaces[-1]["ipv4"][0],
        "interfaces": ifaces,
    }


def _cables(devices):
    """Devices 2k and 2k+1 are a pair: LAG members, p2p, VRF handoff and trunk cabled."""
    cables = []
    for a, b in zip(devices[0::2], devices[1::2]):
        for n in (37, 38, 41, 42, 43):
            cables.append({
                "a_device": a["name"], "a_interface": port_name(a["platform"], n),
                "b_device": b["name"], "b_interface": port_name(b["platform"], n),
            })
    return cables


def _vlans(nsites):
    vlans, groups = [], []
    for s in range(nsites):
        slug = site_slug(s)
        scoped_by_group = s % 2 == 1
        if scoped_by_group:
            groups.append({"name": f"{slug}-vlans", "slug": f"{slug}-vlans", "site": slug})
        for vid, vname in VLAN_NAMES.items():
            vlans.append({"vid": vid, "name": vname,
                          "site": None if scoped_by_group else slug,
                          "group": f"{slug}-vlans" if scoped_by_group else None})
    return vlans, groups


def generate(n=12):
    """The lab dataset for ``n`` devices."""
    if n < 2:
        raise ValueError("the lab needs at least 2 devices")
    devices = [_device(i) for i in range(n)]
    nsites = (n + PER_SITE - 1) // PER_SITE
    vlans, groups = _vlans(nsites)
    makers = sorted({m[0] for m in MODELS.values()})
    return {
        "custom_fields": [{"name": "software_version", "type": "text", "label": "Software version",
                           "object_types": ["dcim.device"]}],
        "manufacturers": [{"name": m, "slug": m.lower()} for m in makers],
        "platforms": [{"name": p, "slug": p, "manufacturer": MODELS[p][0].lower(),
                       "network_os": NETWORK_OS[p]} for p in PLATFORMS],
        "device_types": [{"model": MODELS[p][1], "slug": MODELS[p][1].lower().replace("(", "").replace(")", ""),
                          "manufacturer": MODELS[p][0].lower(), "platform": p} for p in PLATFORMS],
        "roles": [{"name": "Core", "slug": "core", "color": "2196f3"},
                  {"name": "Access", "slug": "access", "color": "4caf50"}],
        "sites": [{"name": site_slug(s).upper(), "slug": site_slug(s)} for s in range(nsites)],
        "vlan_groups": groups,
        "vlans": vlans,
        "vrfs": [{"name": name, "rd": None} for name in sorted(set(MGMT_VRF.values()))]
        + [{"name": "CUSTOMER-A", "rd": "65000:100"}],
        "devices": devices,
        "cables": _cables(devices),
    }
