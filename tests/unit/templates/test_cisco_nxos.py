# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the cisco_nxos templates on small real-format snippets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus

PLATFORM = "cisco_nxos"
COMMANDS = (
    "show running-config", "show version", "show inventory", "show lldp neighbors detail",
    "show cdp neighbors detail", "show interface status", "show vlan brief",
)
parse = functools.partial(corpus.parse, PLATFORM)
fixture = functools.partial(corpus.fixture, PLATFORM)
by_name = corpus.by_name


# --------------------------------------------------------------------------- running-config

CONFIG = """
    !Command: show running-config
    version 10.3(4a) Bios:version 07.69
    hostname leaf-01
    vdc leaf-01 id 1
      limit-resource vlan minimum 16 maximum 4094

    feature lacp
    vlan 1,10,20,30-32
    vlan 10
      name USERS
    vlan 20
      name VOICE

    vrf context CUSTOMER-A
      description not an interface description
    vrf context management

    interface Vlan10
      description users gateway
      no shutdown
      ip address 172.16.0.1/24
      ip address 172.16.1.1/24 secondary
      ip address 172.16.2.1/24 secondary tag 7

    interface port-channel1
      description lag to leaf-02
      switchport
      switchport mode trunk
      switchport trunk native vlan 99
      switchport trunk allowed vlan 10,20
      switchport trunk allowed vlan add 30-32
      mtu 9216

    interface Ethernet1/1
      description desk 01
      switchport
      switchport access vlan 10
      switchport voice vlan 20
      no shutdown

    interface Ethernet1/2
      switchport
      switchport mode trunk
      switchport trunk allowed vlan except 2-9
      shutdown

    interface Ethernet1/3
      switchport
      switchport mode trunk
      switchport trunk allowed vlan none

    interface Ethernet1/4
      switchport
      switchport mode trunk

    interface Ethernet1/37
      description lag member
      switchport
      switchport mode trunk
      channel-group 1 force mode active
      no shutdown

    interface Ethernet1/38
      channel-group 1 mode active

    interface Ethernet1/41
      description p2p
      no switchport
      mtu 9100
      vrf member CUSTOMER-A
      ip address 10.1.0.0/31
      ipv6 address 2001:db8:1::/127
      ipv6 address use-link-local-only
      no shutdown

    interface Ethernet1/44

    interface mgmt0
      description oob management
      vrf member management
      ip address 10.250.0.11/16

    interface loopback0
      ip address 10.0.0.2/32
    line console
    line vty
    router bgp 65000
      neighbor 10.1.0.1
        description not an interface either
"""


def test_running_config():
    result = parse("show running-config", CONFIG)
    assert result["facts"] == {"hostname": "leaf-01"}
    assert result["vlans"] == [
        {"vid": 1}, {"vid": 10, "name": "USERS"}, {"vid": 20, "name": "VOICE"},
        {"vid": 30}, {"vid": 31}, {"vid": 32},
    ]
    assert result["interfaces"] == [
        {"name": "Vlan10", "description": "users gateway", "no_shutdown": True,
         "ipv4": ["172.16.0.1/24"], "ipv4_secondary": ["172.16.1.1/24", "172.16.2.1/24"]},
        {"name": "port-channel1", "description": "lag to leaf-02", "switchport": True, "mode": "trunk",
         "native_vlan": 99, "trunk_vlans": ["10,20", "add 30-32"], "mtu": 9216},
        {"name": "Ethernet1/1", "description": "desk 01", "switchport": True, "access_vlan": 10,
         "voice_vlan": 20, "no_shutdown": True},
        {"name": "Ethernet1/2", "switchport": True, "mode": "trunk", "trunk_vlans": ["except 2-9"],
         "shutdown": True},
        {"name": "Ethernet1/3", "switchport": True, "mode": "trunk", "trunk_vlans": ["none"]},
        {"name": "Ethernet1/4", "switchport": True, "mode": "trunk"},
        {"name": "Ethernet1/37", "description": "lag member", "switchport": True, "mode": "trunk",
         "channel_group": 1, "no_shutdown": True},
        {"name": "Ethernet1/38", "channel_group": 1},
        {"name": "Ethernet1/41", "description": "p2p", "switchport": False, "mtu": 9100, "vrf": "CUSTOMER-A",
         "ipv4": ["10.1.0.0/31"], "ipv6": ["2001:db8:1::/127"], "no_shutdown": True},
        {"name": "Ethernet1/44"},
        {"name": "mgmt0", "description": "oob management", "vrf": "management", "ipv4": ["10.250.0.11/16"]},
        {"name": "loopback0", "ipv4": ["10.0.0.2/32"]},
    ]


def test_ios_style_one_space_indent_is_not_nxos():
    """NX-OS indents by two spaces: a one-space line is not an interface setting."""
    assert parse("show running-config", "interface Ethernet1/1\n description x\n") == {
        "interfaces": [{"name": "Ethernet1/1"}]}


def test_corpus_config_spine():
    result = parse("show running-config", fixture("show_running-config", "netutils_nxos_full_sent.txt"))
    assert result["facts"] == {"hostname": "jcy-spine-01"}
    assert result["vlans"] == [{"vid": 1}, {"vid": 248, "name": "vlan248"}]
    ifaces = by_name(result)
    assert len(ifaces) == 1 + 64 + 2
    assert ifaces["Ethernet1/1"] == {"name": "Ethernet1/1", "switchport": False, "ipv4": ["10.10.10.5/30"],
                                     "no_shutdown": True}
    assert ifaces["Ethernet1/6"] == {"name": "Ethernet1/6"}
    assert ifaces["Vlan1"] == {"name": "Vlan1"}
    assert ifaces["mgmt0"] == {"name": "mgmt0", "description": "MANAGEMENT_DO_NOT_CHANGE", "vrf": "management",
                               "ipv4": ["10.0.0.15/24"]}
    assert ifaces["loopback0"] == {"name": "loopback0", "ipv4": ["10.0.10.4/32"]}


def test_5000_interfaces_parse():
    lines = ["hostname big", "vlan 1-399"]
    for n in range(5000):
        lines += [
            "", "interface Ethernet%d/%d" % (n // 48 + 1, n % 48 + 1),
            "  description port %d to somewhere | patch %d" % (n, n),
            "  switchport",
            "  switchport mode trunk",
            "  switchport trunk native vlan 99",
            "  switchport trunk allowed vlan 1-5,7",
            "  switchport trunk allowed vlan add 30",
            "  channel-group 10 mode active",
            "  ip address 10.0.0.1/24",
            "  ip address 10.0.1.1/24 secondary",
            "  ipv6 address 2001:db8::1/64",
            "  no shutdown",
        ]
    text = "\n".join(lines + ["line console", ""])
    runner = corpus.runner()
    result = runner.parse_command(PLATFORM, "show running-config", text)
    assert len(result["interfaces"]) == 5000
    assert len(result["vlans"]) == 399


# --------------------------------------------------------------------------- show version / inventory

@pytest.mark.parametrize("name,facts", [
    ("cisco_nxos_show_version5.raw",   # NXOS: version 10.4(5) [Maintenance Release]; System version 9.3(15) is the old one
     {"hostname": "N9K-LAB-15", "os_version": "10.4(5)", "model": "C93180YC-FX3", "serial": "FLM27400B3D"}),
    ("cisco_nxos_show_version2.raw",   # N5K: kickstart/system images
     {"hostname": "IEDP02-N5K-SW01", "os_version": "7.1(4)N1(1)", "model": "5596", "serial": "FOC17153X08"}),
    ("cisco_nxos_show_version7.raw",   # one-space indentation
     {"hostname": "N3K-LAB-19", "os_version": "9.3(15)", "model": "C3232C", "serial": "FOC21261DQD"}),
])
def test_show_version(name, facts):
    assert parse("show version", fixture("show_version", name)) == {"facts": facts}


def test_show_inventory_chassis_entry():
    assert parse("show inventory", fixture("show_inventory", "cisco_nxos_show_inventory2.raw")) == {
        "facts": {"model": "N9K-C93180YC-EX", "serial": "FDO223607FK"}}


def test_show_inventory_empty_vid():
    assert parse("show inventory", fixture("show_inventory", "cisco_nxos_show_inventory3.raw")) == {
        "facts": {"model": "N9K-C9300v", "serial": "9UGOPLT5M69"}}


# --------------------------------------------------------------------------- neighbours

def test_cdp_device_id_serial_in_parentheses_and_mgmt_section():
    text = fixture("show_cdp_neighbors_detail", "cisco_nxos_show_cdp_neighbors_detail.raw")
    neighbors = corpus.contract(parse("show cdp neighbors detail", text))["neighbors"]
    assert neighbors[0] == {"remote_system": "PERIMETER", "local_port": "mgmt0",
                            "remote_port": "FastEthernet1/0/32", "mgmt_address": "10.1.100.1", "protocol": "cdp"}
    # Interface address 10.1.1.1, Mgmt address 10.1.100.222: the management one
    assert neighbors[3] == {"remote_system": "dc-sp01(SAL19069XXX)", "local_port": "Ethernet1/49",
                            "remote_port": "Ethernet1/52", "mgmt_address": "10.1.100.222", "protocol": "cdp"}


def test_cdp_without_addresses():
    text = fixture("show_cdp_neighbors_detail", "cisco_nxos_show_cdp_neighbors_detail2.raw")
    assert corpus.contract(parse("show cdp neighbors detail", text)) == {"neighbors": [
        {"remote_system": "MKT1", "local_port": "Ethernet1/1", "remote_port": "ether1", "protocol": "cdp"}]}


def test_lldp_port_id_as_mac_and_not_advertised():
    text = fixture("show_lldp_neighbors_detail", "cisco_nxos_show_lldp_neighbors_detail2.raw")
    assert corpus.contract(parse("show lldp neighbors detail", text)) == {"neighbors": [
        {"local_port": "Eth1/52", "remote_port": "Ethernet1/52", "remote_port_description": "SW-NEXUS-UPLINK",
         "remote_system": "SW-NEXUS", "mgmt_address": "192.168.1.2", "protocol": "lldp"},
        # server: Port id is a MAC, the description names the port; no management address
        {"local_port": "Eth101/1/10", "remote_port": "1a51.4800.0001", "remote_port_description": "eth0",
         "remote_system": "pure-storage", "protocol": "lldp"},
    ]}


# --------------------------------------------------------------------------- status tables

def test_interface_status_overflowing_name_and_tunnel_table():
    text = """
        --------------------------------------------------------------------------------
        Port          Name               Status    Vlan      Duplex  Speed   Type
        --------------------------------------------------------------------------------
        mgmt0         --                 connected routed    full    1000    --
        Eth1/1        upk peerLink_XXXX connected trunk     full    10G     10Gbase-SR
        Eth1/3        --                 xcvrAbsen 1         auto    auto
        Eth1/9        --                 channelDo 1         full    10G     Fabric Exte
        Vlan146       my vlan 146        down      routed    auto    auto
        fc2/5 is down (SFP not present)

        -------------------------------------------------------------------------------
        Interface     Name               Status    Reason            Reason description
        -------------------------------------------------------------------------------
        Tunnel40      Test Tun40         down      admin down         Administratively down
    """
    assert parse("show interface status", text) == {"interfaces": [
        {"name": "mgmt0", "oper_status": "connected"},
        {"name": "Eth1/1", "oper_status": "connected"},
        {"name": "Eth1/3", "oper_status": "xcvrAbsen"},
        {"name": "Eth1/9", "oper_status": "channelDo"},
        {"name": "Vlan146", "oper_status": "down"},
        {"name": "fc2/5", "oper_status": "down"},
        {"name": "Tunnel40", "oper_status": "down"},
    ]}


def test_vlan_brief():
    assert parse("show vlan brief", fixture("show_vlan", "cisco_nxos_show_vlan.raw")) == {"vlans": [
        {"vid": 1, "name": "default"}, {"vid": 10, "name": "WEB"}, {"vid": 20, "name": "VLAN0020"},
        {"vid": 30, "name": "VLAN0030"}, {"vid": 40, "name": "VLAN0040"}, {"vid": 50, "name": "VLAN0050"},
    ]}


# --------------------------------------------------------------------------- robustness

GARBAGE = [
    "",
    "\n\n\n",
    "                      ^\n% Invalid command at '^' marker.",
    "\x00\x01\x02 binary \xff junk\n" * 5,
    "interface\n  description\n  ip address\nvlan\n",
    "Chassis id:\nPort id:\nLocal Port id:\n",
    "Device ID:\nInterface: , Port ID (outgoing port):\n",
    "PID: , VID: , SN:\n",
    ("x " * 20000) + "\n",
    "Chassis id:" + " " * 20000 + "\nPort id:" + " x" * 10000 + " \n",
    "Device ID:" + " " * 20000 + "\n",
    "interface Ethernet1/1\n  switchport trunk allowed vlan" + " x" * 10000 + " \n  description" + " " * 20000 + "\n",
    ("Eth1/1 " + "a " * 5000 + "connected 1 auto auto\n"),
    ("cisco " + "Nexus " * 3000 + "\n"),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(command, text):
    corpus.check_garbage(PLATFORM, command, text, cpu_limit=0.5)


REAL = [
    ("show running-config", "show_running-config", "netutils_nxos_full_sent.txt"),
    ("show version", "show_version", "cisco_nxos_show_version.raw"),
    ("show inventory", "show_inventory", "cisco_nxos_show_inventory.raw"),
    ("show lldp neighbors detail", "show_lldp_neighbors_detail", "cisco_nxos_show_lldp_neighbors_detail.raw"),
    ("show cdp neighbors detail", "show_cdp_neighbors_detail", "cisco_nxos_show_cdp_neighbors_detail1.raw"),
    ("show interface status", "show_interface_status", "cisco_nxos_show_interface_status.raw"),
    ("show vlan brief", "show_vlan", "cisco_nxos_show_vlan.raw"),
]


@pytest.mark.parametrize("command,folder,name", REAL, ids=[r[0] for r in REAL])
def test_truncated_output_gives_partial_result(command, folder, name):
    corpus.check_truncation(PLATFORM, command, fixture(folder, name))


def test_every_command_of_the_platform_file_has_a_template():
    spec = corpus.check_platform_file(PLATFORM, COMMANDS)
    assert spec["defaults"]["default_mtu"] == 1500
    assert spec["defaults"]["lag_name"].format(7) == "port-channel7"


# --------------------------------------------------------------------------- property: round trip


TEXT = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12)
DESCRIPTION = st.lists(TEXT, min_size=1, max_size=6).map(" ".join)
STATEMENT = st.one_of(
    st.just("none"), st.just("all"),
    st.tuples(st.sampled_from(["", "add ", "remove ", "except "]),
              st.lists(st.integers(1, 4094), min_size=1, max_size=5)).map(
        lambda t: t[0] + ",".join(str(v) for v in t[1])),
)
INTERFACE = st.fixed_dictionaries({
    "description": st.one_of(st.none(), DESCRIPTION),
    "trunk_vlans": st.lists(STATEMENT, max_size=4),
    "shutdown": st.booleans(),
    "access_vlan": st.one_of(st.none(), st.integers(1, 4094)),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(INTERFACE, min_size=1, max_size=8))
def test_round_trip(interfaces):
    lines = ["hostname fuzz"]
    expected = []
    for n, spec in enumerate(interfaces, 1):
        record = {"name": "Ethernet1/%d" % n}
        lines.append("interface " + record["name"])
        if spec["description"]:
            lines.append("  description " + spec["description"])
            record["description"] = spec["description"]
        if spec["access_vlan"]:
            lines.append("  switchport access vlan %d" % spec["access_vlan"])
            record["access_vlan"] = spec["access_vlan"]
        for statement in spec["trunk_vlans"]:
            lines.append("  switchport trunk allowed vlan " + statement)
        if spec["trunk_vlans"]:
            record["trunk_vlans"] = spec["trunk_vlans"]
        if spec["shutdown"]:
            lines.append("  shutdown")
            record["shutdown"] = True
        lines.append("")
        expected.append(record)
    result = corpus.runner().parse_command(PLATFORM, "show running-config", "\n".join(lines + ["line console", ""]))
    assert result == {"facts": {"hostname": "fuzz"}, "interfaces": expected}
