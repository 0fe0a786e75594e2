# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the cisco_ios (IOS, IOS-XE) running-config template on small
real-format snippets and corpus configurations."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import corpus
from ios_helpers import PLATFORM, by_name, fixture, parse


# --------------------------------------------------------------------------- running-config

TRUNKS = """
    hostname acc-01
    !
    interface GigabitEthernet1/0/1
     description uplink | core-01 Te1/1/1
     switchport trunk native vlan 99
     switchport trunk allowed vlan 10,20,30-35
     switchport trunk allowed vlan add 40
     switchport trunk allowed vlan remove 33
     switchport mode trunk
    !
    interface GigabitEthernet1/0/2
     switchport trunk allowed vlan except 2-9
     switchport mode trunk
    !
    interface GigabitEthernet1/0/3
     switchport trunk allowed vlan none
     switchport mode trunk
    !
    interface GigabitEthernet1/0/4
     switchport trunk allowed vlan all
     switchport mode trunk
    !
    interface GigabitEthernet1/0/5
     switchport mode trunk
    !
    interface GigabitEthernet1/0/6
     switchport mode dynamic desirable
    !
    end
"""


def test_trunk_allowed_statements_raw_in_order():
    result = parse("show running-config", TRUNKS)
    assert result == {
        "facts": {"hostname": "acc-01"},
        "interfaces": [
            {"name": "GigabitEthernet1/0/1", "description": "uplink | core-01 Te1/1/1",
             "native_vlan": 99, "mode": "trunk",
             "trunk_vlans": ["10,20,30-35", "add 40", "remove 33"]},
            {"name": "GigabitEthernet1/0/2", "mode": "trunk", "trunk_vlans": ["except 2-9"]},
            {"name": "GigabitEthernet1/0/3", "mode": "trunk", "trunk_vlans": ["none"]},
            {"name": "GigabitEthernet1/0/4", "mode": "trunk", "trunk_vlans": ["all"]},
            {"name": "GigabitEthernet1/0/5", "mode": "trunk"},  # no allowed line at all
            {"name": "GigabitEthernet1/0/6", "mode": "dynamic"},
        ],
    }


ROUTED = """
    interface Loopback0
     ip address 10.0.0.1 255.255.255.255
     ipv6 address 2001:DB8::1/128
    !
    interface Vlan10
     description users gateway
     vrf forwarding CUSTOMER-A
     ip address 172.16.0.1 255.255.255.0
     ip address 172.16.1.1 255.255.255.0 secondary
     ip address 172.16.2.1 255.255.255.0 secondary
     ipv6 address FE80::1 link-local
     ipv6 address 2001:DB8:10::1/64
     ipv6 address autoconfig
     no shutdown
    !
    interface GigabitEthernet0/0/1
     ip vrf forwarding LEGACY
     ip address dhcp
     mtu 9100
     shutdown
    !
    interface GigabitEthernet0/0/2
     no switchport
     no ip address
     vrrp 1 address-family ipv4
      address 10.9.9.9 primary
      description not the interface description
    !
    vrf definition CUSTOMER-A
     description not an interface description either
     rd 65000:100
    !
    end
"""


def test_routed_interfaces_vrf_secondary_ipv6_and_block_ends():
    result = parse("show running-config", ROUTED)
    assert result == {"interfaces": [
        {"name": "Loopback0", "ipv4": ["10.0.0.1 255.255.255.255"], "ipv6": ["2001:DB8::1/128"]},
        {"name": "Vlan10", "description": "users gateway", "vrf": "CUSTOMER-A",
         "ipv4": ["172.16.0.1 255.255.255.0"],
         "ipv4_secondary": ["172.16.1.1 255.255.255.0", "172.16.2.1 255.255.255.0"],
         # an explicit link-local address is an own address (its prefix is /64)
         "ipv6": ["FE80::1/64", "2001:DB8:10::1/64"], "no_shutdown": True},
        {"name": "GigabitEthernet0/0/1", "vrf": "LEGACY", "mtu": 9100, "shutdown": True},
        {"name": "GigabitEthernet0/0/2", "switchport": False},
    ]}


ACCESS = """
    interface Port-channel1
     description lag to dist-02
     switchport trunk native vlan 99
     switchport trunk allowed vlan 10,20,30
     switchport mode trunk
     mtu 9100
    !
    interface GigabitEthernet1/0/37
     description dist-02 lag member
     switchport trunk native vlan 99
     switchport mode trunk
     channel-group 1 mode active
    !
    interface GigabitEthernet1/0/38
     channel-group 12 mode on
    !
    interface GigabitEthernet1/0/7
     description desk 07 phone+pc
     switchport access vlan 10
     switchport mode access
     switchport voice vlan 20
     spanning-tree portfast
    !
    interface GigabitEthernet1/0/8
     switchport
     switchport access vlan 30
     switchport voice vlan dot1p
     shutdown
    !
"""


def test_access_voice_channel_group():
    assert by_name(parse("show running-config", ACCESS)) == {
        "Port-channel1": {"name": "Port-channel1", "description": "lag to dist-02", "native_vlan": 99,
                          "trunk_vlans": ["10,20,30"], "mode": "trunk", "mtu": 9100},
        "GigabitEthernet1/0/37": {"name": "GigabitEthernet1/0/37", "description": "dist-02 lag member",
                                  "native_vlan": 99, "mode": "trunk", "channel_group": 1},
        "GigabitEthernet1/0/38": {"name": "GigabitEthernet1/0/38", "channel_group": 12},
        "GigabitEthernet1/0/7": {"name": "GigabitEthernet1/0/7", "description": "desk 07 phone+pc",
                                 "access_vlan": 10, "mode": "access", "voice_vlan": 20},
        "GigabitEthernet1/0/8": {"name": "GigabitEthernet1/0/8", "switchport": True, "access_vlan": 30,
                                 "shutdown": True},  # `voice vlan dot1p` is not a VLAN id
    }


VLANS = """
    vlan 10
     name USERS
    !
    vlan 20
     name VOICE
    !
    vlan 30-32,40
    !
    vlan internal allocation policy ascending
    vlan configuration 10
     member evpn-instance 10 vni 10010
    !
"""


def test_vlan_blocks_and_ranges():
    assert parse("show running-config", VLANS) == {"vlans": [
        {"vid": 10, "name": "USERS"}, {"vid": 20, "name": "VOICE"},
        {"vid": 30}, {"vid": 31}, {"vid": 32}, {"vid": 40},
    ]}


def test_corpus_config_ios_xe_router():
    result = parse("show running-config", fixture("show_running-config", "netutils_ios_full_sent.txt"))
    assert result["facts"] == {"hostname": "jcy-bb-01"}
    assert "vlans" not in result
    ifaces = by_name(result)
    assert list(ifaces) == ["Loopback0"] + ["GigabitEthernet%d" % n for n in range(1, 10)]
    assert ifaces["GigabitEthernet1"] == {"name": "GigabitEthernet1", "description": "MANAGEMENT_DO_NOT_CHANGE",
                                          "ipv4": ["10.0.0.15 255.255.255.0"]}
    assert ifaces["GigabitEthernet5"] == {"name": "GigabitEthernet5"}
    assert [n for n, i in ifaces.items() if i.get("shutdown")] == ["GigabitEthernet%d" % n for n in range(6, 10)]


def test_corpus_config_catalyst_6500():
    result = parse("show running-config", fixture("show_running-config", "ccp_sample_04.ios"))
    assert result["facts"] == {"hostname": "Foo"}
    ifaces = by_name(result)
    assert ifaces["Loopback0"] == {"name": "Loopback0"}
    assert ifaces["GigabitEthernet1/2"] == {"name": "GigabitEthernet1/2", "shutdown": True}
    assert ifaces["GigabitEthernet3/3"] == {"name": "GigabitEthernet3/3", "shutdown": True, "switchport": True,
                                            "access_vlan": 100}
    assert sum(1 for i in ifaces.values() if i.get("switchport")) == sum(
        1 for line in fixture("show_running-config", "ccp_sample_04.ios").splitlines() if line == " switchport")


def test_corpus_config_mis_indented_interface_line():
    """ciscoconfparse sample_02 has ` interface FastEthernet0/6` (indentation bug): still
    a block of its own, so its settings do not leak into FastEthernet0/5."""
    result = parse("show running-config", fixture("show_running-config", "ccp_sample_02.ios"))
    ifaces = by_name(result)
    assert ifaces["FastEthernet0/5"]["access_vlan"] == 300
    assert ifaces["FastEthernet0/6"] == {"name": "FastEthernet0/6", "access_vlan": 24}
    assert ifaces["GigabitEthernet0/1"] == {"name": "GigabitEthernet0/1", "mode": "trunk"}
    assert ifaces["VLAN24"]["ipv4"] == ["172.24.24.101 255.255.254.0"]
    assert ifaces["VLAN1"]["shutdown"] is True
    assert "description" not in ifaces["FastEthernet0/1"]  # bare ` description` line


def big_config(count):
    lines = ["hostname big", "!"]
    for vid in range(2, 400):
        lines += ["vlan %d" % vid, " name V%d" % vid, "!"]
    for n in range(count):
        lines += [
            "interface GigabitEthernet%d/0/%d" % (n // 48 + 1, n % 48 + 1),
            " description port %d to somewhere | patch %d" % (n, n),
            " switchport trunk native vlan 99",
            " switchport trunk allowed vlan 1-5,7",
            " switchport trunk allowed vlan add 30",
            " switchport mode trunk",
            " channel-group 10 mode active",
            " ip address 10.0.0.1 255.255.255.0",
            " ip address 10.0.1.1 255.255.255.0 secondary",
            " ipv6 address 2001:DB8::1/64",
            " shutdown",
            " spanning-tree portfast",
            "!",
        ]
    return "\n".join(lines + ["end", ""])


def test_5000_interfaces_parse():
    text = big_config(5000)
    runner = corpus.runner()
    result = runner.parse_command(PLATFORM, "show running-config", text)
    assert len(result["interfaces"]) == 5000
    assert len(result["vlans"]) == 398
    assert result["interfaces"][-1]["trunk_vlans"] == ["1-5,7", "add 30"]
