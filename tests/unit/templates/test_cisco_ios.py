# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the cisco_ios (IOS, IOS-XE) templates on small real-format snippets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus

PLATFORM = "cisco_ios"
COMMANDS = (
    "show running-config", "show version", "show inventory", "show lldp neighbors detail",
    "show cdp neighbors detail", "show interfaces status", "show vlan brief",
)
FIXTURES = os.path.join(corpus.FIXTURES, PLATFORM)


def parse(command, text):
    return corpus.runner().parse_command(PLATFORM, command, dedent(text).lstrip("\n"))


def fixture(folder, name):
    with open(os.path.join(FIXTURES, folder, name)) as handle:
        return handle.read()


def by_name(result):
    return dict((r["name"], r) for r in result.get("interfaces", []))


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
         "ipv6": ["2001:DB8:10::1/64"], "no_shutdown": True},
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


# --------------------------------------------------------------------------- show version / inventory

def test_show_version_ios_xe():
    text = fixture("show_version", "cisco_ios_show_version4.raw")
    assert parse("show version", text) == {"facts": {
        "hostname": "AKBTESTW01", "os_version": "16.9.3", "model": "C9500-40X", "serial": "FCW2233FFG3"}}


def test_show_version_classic_ios_board_id_with_revision():
    text = fixture("show_version", "cisco_ios_show_version_01.raw")
    assert parse("show version", text) == {"facts": {
        "hostname": "stud-adsl", "os_version": "12.4(6)T2", "model": "1801", "serial": "FHK102KKKKK"}}


def test_show_version_old_ios_tm_line():
    text = """
        Cisco Internetwork Operating System Software
        IOS (tm) C2950 Software (C2950-I6Q4L2-M), Version 12.1(22)EA14, RELEASE SOFTWARE (fc1)
        ROM: Bootstrap program is C2950 boot loader
        sw-old uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes
        cisco WS-C2950G-48-EI (RC32300) processor (revision J0) with 20957K bytes of memory.
        Processor board ID FOC0849X0AB
        Model number: WS-C2950G-48-EI
        System serial number: FOC0849X0AB
    """
    assert parse("show version", text) == {"facts": {
        "hostname": "sw-old", "os_version": "12.1(22)EA14", "model": "WS-C2950G-48-EI", "serial": "FOC0849X0AB"}}


def test_show_inventory_first_entry_only():
    text = """
        NAME: "c93xx Stack", DESCR: "c93xx Stack"
        PID: C9300-48P         , VID: V02  , SN: FOC2233X0AB

        NAME: "Switch 1", DESCR: "C9300-48P"
        PID: C9300-48P         , VID: V02  , SN: FCW2233L0AB

        NAME: "Switch 1 - Power Supply A", DESCR: "Switch 1 - Power Supply A"
        PID: PWR-C1-715WAC     , VID: V02  , SN: DCB2231H0AB
    """
    assert parse("show inventory", text) == {"facts": {"model": "C9300-48P", "serial": "FOC2233X0AB"}}


def test_show_inventory_chassis_without_pid_does_not_borrow_a_module_pid():
    assert parse("show inventory", fixture("show_inventory", "cisco_ios_show_inventory.raw")) == {
        "facts": {"model": "", "serial": "FF1045C5"}}


# --------------------------------------------------------------------------- neighbours

def test_cdp_device_id_with_domain_and_serial():
    text = """
        -------------------------
        Device ID: dc1-nxos-02.lab.example.net(FDO1234ABCD)
        Entry address(es):
          IP address: 10.250.0.11
        Platform: N9K-C93180YC-EX,  Capabilities: Router Switch IGMP Filtering Supports-STP-Dispute
        Interface: TenGigabitEthernet1/1/1,  Port ID (outgoing port): Ethernet1/41
        Holdtime : 170 sec

        Version :
        Cisco Nexus Operating System (NX-OS) Software, Version 10.3(4a)

        advertisement version: 2
        Native VLAN: 99
        Duplex: full
        Management address(es):
          IP address: 10.250.0.12

        -------------------------
        Device ID: SEP001122334455
        Entry address(es):
          IP address: 172.16.0.50
        Platform: Cisco IP Phone 8845,  Capabilities: Host Phone Two-port Mac Relay
        Interface: GigabitEthernet1/0/7,  Port ID (outgoing port): Port 1
        Holdtime : 150 sec

        Management address(es):

        Total cdp entries displayed : 2
    """
    assert parse("show cdp neighbors detail", text) == {"neighbors": [
        {"remote_system": "dc1-nxos-02.lab.example.net(FDO1234ABCD)", "local_port": "TenGigabitEthernet1/1/1",
         "remote_port": "Ethernet1/41", "mgmt_address": "10.250.0.12", "protocol": "cdp"},
        {"remote_system": "SEP001122334455", "local_port": "GigabitEthernet1/0/7",
         "remote_port": "Port 1", "mgmt_address": "172.16.0.50", "protocol": "cdp"},
    ]}


def test_lldp_port_id_mac_or_name_and_missing_fields():
    text = fixture("show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail1.raw")
    assert parse("show lldp neighbors detail", text) == {"neighbors": [
        # System Name and Management Addresses not advertised: fields absent
        {"local_port": "Gi1/0/2", "remote_port": "502", "remote_port_description": "ge-0/0/0.0",
         "protocol": "lldp"},
        # Port id is a MAC: the description names the port
        {"local_port": "Gi1/0/1", "remote_port": "94f1.2879.5555", "remote_port_description": "13",
         "remote_system": "HpSwitch", "mgmt_address": "192.168.1.81", "protocol": "lldp"},
        {"local_port": "Gi1/0/9", "remote_port": "4448.c1c4.dddd", "remote_port_description": "eth0",
         "remote_system": "44:48:c1:c4:dd:dd", "mgmt_address": "192.168.1.40", "protocol": "lldp"},
    ]}


def test_lldp_single_record_without_separator():
    text = fixture("show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail3.raw")
    assert parse("show lldp neighbors detail", text) == {"neighbors": [
        {"local_port": "Gi0/1/7", "remote_port": "C8F9F9D61BC2:P1", "remote_port_description": "SW PORT",
         "remote_system": "SEPC8F9F9D61BC2", "mgmt_address": "10.10.0.1", "protocol": "lldp"},
    ]}


# --------------------------------------------------------------------------- status tables

def test_interfaces_status_keywords_in_names():
    text = fixture("show_interfaces_status", "cisco_ios_show_interfaces_status_with_keywords_in_name.raw")
    assert parse("show interfaces status", text) == {"interfaces": [
        {"name": "Fa0/1", "oper_status": "notconnect"},   # name "*** connected to U"
        {"name": "Fa0/2", "oper_status": "notconnect"},
        {"name": "Fa0/3", "oper_status": "notconnect"},
        {"name": "Fa0/4", "oper_status": "notconnect"},
        {"name": "Fa0/5", "oper_status": "notconnect"},
        {"name": "Fa0/6", "oper_status": "disabled"},     # name "suspended customer"
    ]}


def test_interfaces_status_pvlan_and_no_type_column():
    text = """
        Port         Name               Status       Vlan       Duplex  Speed Type
        Twe1/0/17    Device 5           connected    pvlan prom   full    10G SFP-10GBase-SR
        Gi1/0/22     addl status text   notconnect: TD 1         a-full  a-100 10/100/1000BaseTX
        Po1          ethchl             connected    trunk      a-full a-1000
    """
    assert parse("show interfaces status", text) == {"interfaces": [
        {"name": "Twe1/0/17", "oper_status": "connected"},
        {"name": "Gi1/0/22", "oper_status": "notconnect"},
        {"name": "Po1", "oper_status": "connected"},
    ]}


def test_vlan_brief_ignores_continuations_and_other_tables():
    assert parse("show vlan brief", fixture("show_vlan", "cisco_ios_show_vlan.raw")) == {"vlans": [
        {"vid": 1, "name": "default"}, {"vid": 10, "name": "Management"},
        {"vid": 50, "name": "VLan50"}, {"vid": 60, "name": "VLan60"},
        {"vid": 1002, "name": "fddi-default"}, {"vid": 1003, "name": "token-ring-default"},
        {"vid": 1004, "name": "fddinet-default"}, {"vid": 1005, "name": "trnet-default"},
    ]}


# --------------------------------------------------------------------------- robustness

GARBAGE = [
    "",
    "\n\n\n",
    "% Invalid input detected at '^' marker.\n",
    "                  ^\n% Invalid input detected at '^' marker.\n",
    "\x00\x01\x02 binary \xff junk\n" * 5,
    "interface\n description\n ip address\n vlan\n",
    "Device ID:\nInterface: ,  Port ID (outgoing port):\n",
    "PID: , VID: , SN:\n",
    ("x " * 20000) + "\n",
    "Local Intf: Gi1/0/1\nPort id:" + " " * 20000 + "\nSystem Name:" + " x" * 10000 + " \n",
    "Device ID:" + " " * 20000 + "\n",
    "interface Gi1/0/1\n switchport trunk allowed vlan" + " x" * 10000 + " \n description" + " " * 20000 + "\n",
    ("Gi1/0/1 " + "a " * 5000 + "connected 1 auto auto\n"),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(command, text):
    corpus.check_garbage(PLATFORM, command, text, cpu_limit=0.5)


REAL = [
    ("show running-config", "show_running-config", "netutils_ios_full_sent.txt"),
    ("show version", "show_version", "cisco_ios_show_version4.raw"),
    ("show inventory", "show_inventory", "cisco_ios_show_inventory.raw"),
    ("show lldp neighbors detail", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail4.raw"),
    ("show cdp neighbors detail", "show_cdp_neighbors_detail", "cisco_ios_show_cdp_neighbors_detail.raw"),
    ("show interfaces status", "show_interfaces_status", "cisco_ios_show_interfaces_status.raw"),
    ("show vlan brief", "show_vlan", "cisco_ios_show_vlan.raw"),
]


@pytest.mark.parametrize("command,folder,name", REAL, ids=[r[0] for r in REAL])
def test_truncated_output_gives_partial_result(command, folder, name):
    corpus.check_truncation(PLATFORM, command, fixture(folder, name))


def test_every_command_of_the_platform_file_has_a_template():
    import yaml

    runner = corpus.runner()
    with open(os.path.join(runner.TEMPLATE_DIR, PLATFORM + ".yml")) as handle:
        spec = yaml.safe_load(handle)
    assert [c["command"] for c in spec["commands"]] and set(c["command"] for c in spec["commands"]) == set(COMMANDS)
    for entry in spec["commands"]:
        assert os.path.exists(runner.template_path(PLATFORM, entry["command"]))
        assert set(entry["sections"]) <= {"facts", "interfaces", "vlans", "neighbors"}
    assert spec["defaults"]["default_mtu"] == 1500
    assert spec["defaults"]["lag_name"].format(7) == "Port-channel7"


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
    lines = ["hostname fuzz", "!"]
    expected = []
    for n, spec in enumerate(interfaces, 1):
        record = {"name": "GigabitEthernet1/0/%d" % n}
        lines.append("interface " + record["name"])
        if spec["description"]:
            lines.append(" description " + spec["description"])
            record["description"] = spec["description"]
        if spec["access_vlan"]:
            lines.append(" switchport access vlan %d" % spec["access_vlan"])
            record["access_vlan"] = spec["access_vlan"]
        for statement in spec["trunk_vlans"]:
            lines.append(" switchport trunk allowed vlan " + statement)
        if spec["trunk_vlans"]:
            record["trunk_vlans"] = spec["trunk_vlans"]
        if spec["shutdown"]:
            lines.append(" shutdown")
            record["shutdown"] = True
        lines.append("!")
        expected.append(record)
    result = corpus.runner().parse_command(PLATFORM, "show running-config", "\n".join(lines + ["end", ""]))
    assert result == {"facts": {"hostname": "fuzz"}, "interfaces": expected}
