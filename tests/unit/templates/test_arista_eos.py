# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the arista_eos templates on small real-format snippets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

import pytest

import corpus

PLATFORM = "arista_eos"
COMMANDS = (
    "show version", "show inventory", "show running-config", "show vlan",
    "show interfaces status", "show lldp neighbors detail",
)
parse = functools.partial(corpus.parse, PLATFORM)
fixture = functools.partial(corpus.fixture, PLATFORM)
by_name = corpus.by_name


# --------------------------------------------------------------------------- running-config

TRUNKS = """
    ! Command: show running-config
    ! device: leaf-01 (DCS-7050SX3-48YC8, EOS-4.31.2F)
    !
    hostname leaf-01
    !
    interface Port-Channel10
       description peer-link | leaf-02 Po10
       mtu 9214
       switchport trunk native vlan 99
       switchport trunk allowed vlan 10,20,30-35
       switchport mode trunk
    !
    interface Ethernet1
       switchport trunk allowed vlan 1-5
       switchport trunk allowed vlan add 30
       switchport trunk allowed vlan remove 3
       switchport mode trunk
    !
    interface Ethernet2
       switchport trunk allowed vlan except 2-9
       switchport mode trunk
    !
    interface Ethernet3
       switchport trunk allowed vlan none
       switchport mode trunk
    !
    interface Ethernet4
       switchport trunk allowed vlan all
       switchport mode trunk
    !
    interface Ethernet5
       switchport mode trunk
    !
    interface Ethernet6
       switchport trunk native vlan tag
       switchport mode trunk
    !
    end
"""


def test_trunk_allowed_statements_raw_in_order():
    assert parse("show running-config", TRUNKS) == {
        "facts": {"hostname": "leaf-01"},
        "interfaces": [
            {"name": "Port-Channel10", "description": "peer-link | leaf-02 Po10", "mtu": 9214,
             "native_vlan": 99, "trunk_vlans": ["10,20,30-35"], "mode": "trunk"},
            {"name": "Ethernet1", "trunk_vlans": ["1-5", "add 30", "remove 3"], "mode": "trunk"},
            {"name": "Ethernet2", "trunk_vlans": ["except 2-9"], "mode": "trunk"},
            {"name": "Ethernet3", "trunk_vlans": ["none"], "mode": "trunk"},
            {"name": "Ethernet4", "trunk_vlans": ["all"], "mode": "trunk"},
            # no allowed line at all: no trunk_vlans key (the normaliser reads "all")
            {"name": "Ethernet5", "mode": "trunk"},
            # `native vlan tag` is not a VLAN number
            {"name": "Ethernet6", "mode": "trunk"},
        ],
    }


ROUTED = """
    hostname spine-01
    !
    vrf instance CUSTOMER-A
       description customer A
    !
    interface Ethernet1
       description p2p  to leaf-01   Ethernet49/1
       mtu 9100
       no switchport
       ip address 10.1.0.0/31
       ipv6 address 2001:db8:1::/127
       ipv6 address fe80::1/64 link-local
       ipv6 enable
    !
    interface Ethernet2
       shutdown
       no switchport
       vrf CUSTOMER-A
       ip address 100.64.0.1/31
       ip address 100.64.1.1/24 secondary
       ip address 100.64.2.1/24 secondary
    !
    interface Ethernet3
       no shutdown
       switchport access vlan 10
       switchport
    !
    interface Ethernet4
       description LAG member
       channel-group 10 mode active
    !
    interface Ethernet5
       channel-group 20 mode on
    !
    interface Loopback0
       ip address 10.0.0.1/32
    !
    interface Management1
       vrf forwarding MGMT
       ip address 10.250.0.10/16
    !
    interface Vlan10
       description users gateway
       ip address dhcp
       ip address virtual 172.16.0.1/24
    !
    management api http-commands
       no shutdown
       !
       vrf MGMT
          no shutdown
    !
    router bgp 65000
       vrf CUSTOMER-A
          rd 65000:100
    !
    end
"""


def test_routed_vrf_secondary_ipv6_shutdown_and_block_ends():
    result = parse("show running-config", ROUTED)
    assert result == {
        "facts": {"hostname": "spine-01"},
        "interfaces": [
            {"name": "Ethernet1", "description": "p2p  to leaf-01   Ethernet49/1", "mtu": 9100,
             "switchport": False, "ipv4": ["10.1.0.0/31"], "ipv6": ["2001:db8:1::/127"]},
            {"name": "Ethernet2", "shutdown": True, "switchport": False, "vrf": "CUSTOMER-A",
             "ipv4": ["100.64.0.1/31"], "ipv4_secondary": ["100.64.1.1/24", "100.64.2.1/24"]},
            {"name": "Ethernet3", "no_shutdown": True, "access_vlan": 10, "switchport": True},
            {"name": "Ethernet4", "description": "LAG member", "channel_group": 10},
            {"name": "Ethernet5", "channel_group": 20},
            {"name": "Loopback0", "ipv4": ["10.0.0.1/32"]},
            # EOS before 4.23 prints `vrf forwarding X`
            {"name": "Management1", "vrf": "MGMT", "ipv4": ["10.250.0.10/16"]},
            # `ip address dhcp` is no address; `ip address virtual` is a gateway address
            # shared with other devices (anycast), not the interface's own
            {"name": "Vlan10", "description": "users gateway", "anycast": ["172.16.0.1/24"]},
        ],
    }


def test_vlan_blocks_and_ranges():
    text = """
        vlan 10
           name USERS
        !
        vlan 20,30-32
        !
        vlan 99
           name native vlan
        !
        vlan 4094
           name MLAG
           trunk group mlag-peer
        !
        interface Ethernet1
        !
    """
    assert parse("show running-config", text)["vlans"] == [
        {"vid": 10, "name": "USERS"},
        {"vid": 20}, {"vid": 30}, {"vid": 31}, {"vid": 32},
        {"vid": 99, "name": "native vlan"},
        {"vid": 4094, "name": "MLAG"},
    ]


def test_corpus_config_leaf():
    result = parse("show running-config", fixture("show_running-config", "netutils_eos_full_sent.txt"))
    interfaces = by_name(result)
    assert result["facts"] == {"hostname": "nyc-leaf-01"}
    assert "vlans" not in result
    assert list(interfaces) == ["Ethernet%d" % n for n in range(1, 20)] + ["Loopback0", "Management1"]
    assert interfaces["Ethernet2"] == {"name": "Ethernet2", "switchport": False, "ipv4": ["10.11.11.14/30"]}
    assert interfaces["Ethernet3"] == {"name": "Ethernet3", "switchport": False, "ipv4": ["10.11.11.18/30"]}
    assert interfaces["Ethernet1"] == {"name": "Ethernet1"}
    assert interfaces["Loopback0"] == {"name": "Loopback0", "ipv4": ["10.0.20.6/32"]}
    # `management api http-commands` / `   no shutdown` belongs to no interface
    assert interfaces["Management1"] == {
        "name": "Management1", "description": "MANAGEMENT_DO_NOT_CHANGE", "ipv4": ["10.0.0.15/24"]}


def big_config(count):
    lines = ["hostname big", "!"]
    for vid in range(2, 400):
        lines += ["vlan %d" % vid, "   name V%d" % vid, "!"]
    for n in range(count):
        lines += [
            "interface Ethernet%d/%d" % (n // 48 + 1, n % 48 + 1),
            "   description port %d" % n,
            "   switchport trunk allowed vlan 1-5,7",
            "   switchport trunk allowed vlan add 30",
            "   switchport mode trunk",
            "   spanning-tree portfast",
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


# --------------------------------------------------------------------------- show version / inventory

@pytest.mark.parametrize("name,facts", [
    ("arista_eos_show_version.raw", {"model": "vEOS", "os_version": "4.14.7M"}),
    ("arista_eos_show_version2.raw", {"model": "CCS-720XP-24ZY4-F", "serial": "JPE11400249",
                                      "os_version": "4.27.6M"}),
    ("arista_eos_show_version_ceos.raw", {"model": "cEOSLab", "serial": "35BA12C16E793CAD48DE0EEC072CFD74",
                                          "os_version": "4.31.6M-39953990.4316M"}),
    ("arista_eos_show_version_clab.raw", {"model": "cEOSLab", "os_version": "4.32.1F-37265360.4321F"}),
])
def test_show_version(name, facts):
    assert parse("show version", fixture("show_version", name)) == {"facts": facts}


def test_show_inventory_squeezed_corpus_format():
    text = fixture("show_inventory", "arista_eos_show_inventory.raw")
    assert parse("show inventory", text) == {"facts": {"model": "DCS-7150S-52-CL", "serial": "JPE13120702"}}


def test_show_inventory_two_space_indent_and_module_serials_ignored():
    text = """
        System information
          Model                    Description
          ------------------------ ----------------------------------------------------
          DCS-7280CR3-32P4-F       32x100GbE QSFP & 4x400GbE OSFP Switch

          HW Version  Serial Number  Mfg Date   Epoch
          ----------- -------------- ---------- -----
          11.00       JPE12345678    2020-01-01 01.00

        System has 2 power supply slots
          Slot Model            Serial Number
          ---- ---------------- ----------------
          1    PWR-1011-AC-RED  ABC12345
          2    PWR-1011-AC-RED  ABC12346
    """
    assert parse("show inventory", text) == {"facts": {"model": "DCS-7280CR3-32P4-F", "serial": "JPE12345678"}}


# --------------------------------------------------------------------------- LLDP

def test_lldp_mac_port_id_description_and_several_neighbours_per_port():
    text = fixture("show_lldp_neighbors_detail", "arista_eos_show_lldp_neighbors_detail.raw")
    neighbours = corpus.contract(parse("show lldp neighbors detail", text))["neighbors"]
    assert len(neighbours) == 20
    on_33 = [n for n in neighbours if n["local_port"] == "Ethernet33"]
    assert on_33 == [
        {"local_port": "Ethernet33", "protocol": "lldp", "remote_system": "cvx-client-2",
         "remote_port": "Management1", "mgmt_address": "172.16.2.143"},
        {"local_port": "Ethernet33", "protocol": "lldp", "remote_system": "cvx-client-2",
         "remote_port": "Ethernet1", "mgmt_address": "172.16.2.143"},
        # Port ID given as a MAC: the description names the port; first address kept
        {"local_port": "Ethernet33", "protocol": "lldp", "remote_system": "aci-compute",
         "remote_port": "0050.56ac.4cd9", "remote_port_description": "ens192",
         "mgmt_address": "172.16.2.222"},
        {"local_port": "Ethernet33", "protocol": "lldp", "remote_system": "aci-control",
         "remote_port": "0050.56ac.4e29", "remote_port_description": "ens192",
         "mgmt_address": "172.16.2.221"},
    ]
    # locally assigned port ID, no management address
    assert [n for n in neighbours if n["local_port"] == "Ethernet23"] == [
        {"local_port": "Ethernet23", "protocol": "lldp", "remote_system": "MX", "remote_port": "527",
         "remote_port_description": "ge-1/1/1"}]
    # doubled quotes around a description; the LAG TLV's "Port ID : 1000010" is not the port
    assert [n for n in neighbours if n["local_port"] == "Ethernet51/1"] == [
        {"local_port": "Ethernet51/1", "protocol": "lldp", "remote_system": "R4-Arista-L3-SDNLAB-SW2",
         "remote_port": "Ethernet49/1", "remote_port_description": "Connected to DC1-AristaL2SW-R4",
         "mgmt_address": "172.16.1.3"}]


# --------------------------------------------------------------------------- status / vlan tables

def test_interfaces_status_status_words_in_names_and_squeezed_columns():
    text = """
        Port       Name                   Status       Vlan     Duplex Speed  Type         Flags Encapsulation
        Et1        link disabled 1 bad    connected    1        full   10G    10GBASE-SR
        Et2        connected to notconnect notconnect  trunk    auto   auto   10GBASE-T
        Et3                               errdisabled  10       auto   auto   10GBASE-T
        Et49 Core: drxx.yul01 notconnect in Po49 full 10G Not Present
        Po49 Core: dr01-dr02.y connected trunk full 20G N/A
        Ma1                               disabled     routed   a-full a-1G   10/100/1000
    """
    assert parse("show interfaces status", text) == {"interfaces": [
        {"name": "Et1", "oper_status": "connected"},
        {"name": "Et2", "oper_status": "notconnect"},
        {"name": "Et3", "oper_status": "errdisabled"},
        {"name": "Et49", "oper_status": "notconnect"},
        {"name": "Po49", "oper_status": "connected"},
        {"name": "Ma1", "oper_status": "disabled"},
    ]}


def test_vlan_table_ignores_port_continuation_lines():
    text = """
        VLAN  Name                             Status    Ports
        ----- -------------------------------- --------- -------------------------------
        1     default                          active    Et43, Et44
        10    USERS                            active    Cpu, Et3, Et6, Et9, Et12, Et15
                                                         Et18, Et21
        20    Test2                            suspended
        4094  MLAG PEER                        act/lshut Po10
    """
    assert parse("show vlan", text) == {"vlans": [
        {"vid": 1, "name": "default"}, {"vid": 10, "name": "USERS"},
        {"vid": 20, "name": "Test2"}, {"vid": 4094, "name": "MLAG PEER"}]}


# --------------------------------------------------------------------------- robustness

GARBAGE = [
    "",
    "\n\n\n",
    "% Invalid input\n",
    "show running-config\n% Authorization denied for command 'show running-config'\n",
    "\x00\x01\x02 binary \xff junk\n" * 5,
    "interface\n   description\n   ip address\nvlan\nInterface  detected  LLDP neighbors:\n",
    "System information\n System has\nChassis\nArista\nSoftware image version:\n",
    ("x " * 20000) + "\n",
    ("Et1 " + "a " * 5000 + "connected 1 auto auto\n"),
    ("  Neighbor " + "x, " * 5000 + "\n"),
    ("1 " + "a " * 5000 + "\n"),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(command, text):
    corpus.check_garbage(PLATFORM, command, text, cpu_limit=2.0)


def test_empty_and_error_outputs_give_nothing():
    for command in COMMANDS:
        assert corpus.runner().parse_command(PLATFORM, command, "") == {}
        assert corpus.runner().parse_command(PLATFORM, command, "% Invalid input\n") == {}


REAL = [
    ("show running-config", "show_running-config", "netutils_eos_full_sent.txt"),
    ("show version", "show_version", "arista_eos_show_version2.raw"),
    ("show inventory", "show_inventory", "arista_eos_show_inventory1.raw"),
    ("show lldp neighbors detail", "show_lldp_neighbors_detail", "arista_eos_show_lldp_neighbors_detail.raw"),
    ("show interfaces status", "show_interfaces_status", "arista_eos_show_interfaces_status.raw"),
    ("show vlan", "show_vlan", "arista_eos_show_vlan.raw"),
]


@pytest.mark.parametrize("command,folder,name", REAL, ids=[r[0] for r in REAL])
def test_truncated_output_gives_partial_result(command, folder, name):
    corpus.check_truncation(PLATFORM, command, fixture(folder, name))


def test_every_command_of_the_platform_file_has_a_template():
    spec = corpus.check_platform_file(PLATFORM, COMMANDS)
    assert spec["defaults"]["default_mtu"] == 1500
    assert spec["defaults"]["lag_name"].format(7) == "Port-Channel7"
    assert spec["defaults"]["switchport_default"] is True
