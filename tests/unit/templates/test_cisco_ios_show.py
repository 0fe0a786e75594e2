# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the cisco_ios (IOS, IOS-XE) show-command templates on small
real-format snippets; robustness to garbage and truncation; the round-trip property."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus
from ios_helpers import COMMANDS, PLATFORM, fixture, parse


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
    assert corpus.contract(parse("show cdp neighbors detail", text)) == {"neighbors": [
        {"remote_system": "dc1-nxos-02.lab.example.net(FDO1234ABCD)", "local_port": "TenGigabitEthernet1/1/1",
         "remote_port": "Ethernet1/41", "mgmt_address": "10.250.0.12", "protocol": "cdp"},
        {"remote_system": "SEP001122334455", "local_port": "GigabitEthernet1/0/7",
         "remote_port": "Port 1", "mgmt_address": "172.16.0.50", "protocol": "cdp"},
    ]}


def test_lldp_port_id_mac_or_name_and_missing_fields():
    text = fixture("show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail1.raw")
    assert corpus.contract(parse("show lldp neighbors detail", text)) == {"neighbors": [
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
    assert corpus.contract(parse("show lldp neighbors detail", text)) == {"neighbors": [
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
    spec = corpus.check_platform_file(PLATFORM, COMMANDS)
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
