# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Template defects found on public golden parses, each pinned on a real output written
by others (fixtures/corpus/**/SOURCES.md): sub-interface suffixes, IPv6 address
suffixes, empty Junos units, tables read only below their header, empty CDP port IDs,
and the fields added to the contract (anycast, dynamic VLANs, internal VLANs,
neighbour chassis ID, description and capabilities)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus

parse = corpus.runner().parse_command


def raw(platform, folder, name):
    return corpus.fixture(platform, folder, name)


# --------------------------------------------------------------------------- IOS (2, 3)

def test_ios_eui64_prefix_link_local_and_point_to_point():
    """ciscoconfparse sample_08.ios: eui-64 gives its prefix apart from the own addresses,
    an explicit link-local is an own address (/64), the ATM sub-interface exists."""
    ifaces = corpus.by_name(parse("cisco_ios", "show running-config",
                                  raw("cisco_ios", "show_running-config", "ccp_sample_08.ios")))
    assert ifaces["FastEthernet0/0"]["ipv6_eui64"] == ["fd01:ab00::/64"]
    assert ifaces["FastEthernet0/0"]["ipv6"] == ["fe80::1/64"]
    assert ifaces["FastEthernet0/1"]["ipv6_eui64"] == ["fd01:ab01::/64"]
    assert ifaces["FastEthernet1/0"]["ipv6_eui64"] == ["fd01:ab10::/64"]
    assert ifaces["Loopback0"]["ipv6"] == ["fd01:dead:beef::1/128"]
    # `interface ATM0/0.32 point-to-point` was dropped: the suffix is no part of the name
    assert ifaces["ATM0/0.32"] == {"name": "ATM0/0.32"}
    assert ifaces["Dialer1"]["mtu"] == 1492  # the block after it is still its own


# --------------------------------------------------------------------------- Junos (4)

def test_junos_unit_with_an_empty_family_exists_in_both_syntaxes():
    """netutils nyc-rtr-01: `set interfaces ge-0/0/2 unit 0 family inet` (and 4-7) were dropped."""
    text = raw("juniper_junos", "show_configuration_pipe_display_set", "netutils_junos_full_sent.set")
    names = [r["name"] for r in parse("juniper_junos", "show configuration | display set", text)["interfaces"]]
    assert names == ["ge-0/0/0.0", "ge-0/0/1.0", "ge-0/0/2.0", "ge-0/0/3.0", "ge-0/0/4.0", "ge-0/0/5.0",
                     "ge-0/0/6.0", "ge-0/0/7.0", "fxp0.0", "lo0.0"]


# --------------------------------------------------------------------------- CDP (7) and neighbour fields (10)

def test_cdp_entry_with_empty_port_id_is_kept():
    """genieparser ios device_output_10: the golden parse keeps DIST-FAIL on Gi0/5 without a port."""
    text = raw("cisco_ios", "show_cdp_neighbors_detail", "genie_ios_cdp_device_output_10.txt")
    neighbours = parse("cisco_ios", "show cdp neighbors detail", text)["neighbors"]
    assert neighbours[0] == {"remote_system": "DIST-FAIL", "local_port": "GigabitEthernet0/5", "protocol": "cdp",
                             "system_description": "PS5-22V", "capabilities": "Trans-Bridge"}
    assert neighbours[1]["remote_port"] == "FastEthernet0/24"
    assert neighbours[1]["system_description"] == "cisco WS-C3560-24TS"


def test_cdp_several_neighbours_on_one_port_and_platform():
    """genieparser iosxe device_output_1: three neighbours on GigabitEthernet0/0."""
    text = dedent(raw("cisco_ios", "show_cdp_neighbors_detail", "genie_iosxe_cdp_device_output_1.txt"))
    neighbours = parse("cisco_ios", "show cdp neighbors detail", text)["neighbors"]
    assert [(n["local_port"], n["remote_system"], n["remote_port"]) for n in neighbours] == [
        ("GigabitEthernet0/0", "R6(9P57K4EJ8CA)", "mgmt0"), ("GigabitEthernet0/0", "R7(9QBDKB58F76)", "mgmt0"),
        ("GigabitEthernet0/0", "R5.cisco.com", "GigabitEthernet0/0")]
    assert neighbours[0]["system_description"] == "N9K-9000v"
    assert neighbours[2]["system_description"] == "Cisco"  # `Platform: Cisco ,  Capabilities: ...`
    assert neighbours[2]["capabilities"] == "Router Source-Route-Bridge"


def test_ios_lldp_chassis_description_and_capability_words():
    """ntc cisco_ios lldp detail 1: the golden parse's chassis_id, neighbor_description, capabilities."""
    text = raw("cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail1.raw")
    first, _second, aruba = parse("cisco_ios", "show lldp neighbors detail", text)["neighbors"]
    assert first["chassis_id"] == "7c25.86c9.aaaa"
    assert first["system_description"] == (
        "Juniper Networks, Inc. ex2200-24t-4g , version 12.3R9.4 Build date: 2015-02-12 11:25:30 UTC")
    assert first["capabilities"] == ["Bridge", "Router"]
    assert (aruba["capabilities"], aruba["system_capabilities"]) == (["WLAN Access Point"], ["Bridge", "WLAN Access Point"])


def test_nxos_lldp_keeps_the_chassis_id():
    text = raw("cisco_nxos", "show_lldp_neighbors_detail", "cisco_nxos_show_lldp_neighbors_detail2.raw")
    server = parse("cisco_nxos", "show lldp neighbors detail", text)["neighbors"][1]
    assert server["chassis_id"] == "24a9.3700.0001"
    assert server["system_description"] == "FlashArray FA-X20R3 pure-storage"
    assert server["capabilities"] == ["Bridge"]


def test_eos_lldp_neighbour_without_system_name_is_kept_with_its_chassis_id():
    """cEOS leaf1a: EOS peers with no hostname send no System Name, on a shared Management0."""
    text = raw("arista_eos", "fabrics", "avd_asym_irb_leaf1a_show_lldp_neighbors_detail.txt")
    on_mgmt = [n for n in parse("arista_eos", "show lldp neighbors detail", text)["neighbors"]
               if n["local_port"] == "Management0"]
    nameless = [n for n in on_mgmt if "remote_system" not in n]
    assert len(on_mgmt) == 9 and len(nameless) == 5
    assert nameless[0] == {
        "local_port": "Management0", "protocol": "lldp", "remote_port": "Management0",
        "chassis_id": "001c.73ad.1d08", "mgmt_address": "001c.73ad.1d08",
        "system_description": "Arista Networks EOS version 4.30.5M-35156751.4305M (engineering build) "
                              "running on an Arista cEOSLab",
        "system_capabilities": "Bridge, Router", "capabilities": "Bridge"}


def test_junos_lldp_chassis_id_column():
    text = raw("juniper_junos", "show_lldp_neighbors", "juniper_junos_show_lldp_neighbors.raw")
    assert [n["chassis_id"] for n in parse("juniper_junos", "show lldp neighbors", text)["neighbors"]] == [
        "2c:6b:f5:a1:c2:c0", "2c:6b:f5:a2:08:c0"]


# --------------------------------------------------------------------------- EOS fields (8, 9)

def test_eos_virtual_addresses_varp_and_internal_vlans():
    pe11 = parse("arista_eos", "show running-config",
                 raw("arista_eos", "fabrics", "DC1_PE11_show_running-config_sanitized.txt"))
    ifaces = corpus.by_name(pe11)
    assert ifaces["Vlan110"]["anycast"] == ["10.1.10.1/24"] and "ipv4" not in ifaces["Vlan110"]
    assert pe11["internal_vlans"] == {"low": 1006, "high": 1199}
    leaf = corpus.by_name(parse("arista_eos", "show running-config",
                                raw("arista_eos", "fabrics", "A-LEAF1A_show_running-config_sanitized.txt")))
    assert leaf["Vlan10"]["anycast_varp"] == ["10.10.10.1/24"]


def test_eos_dynamic_vlan_is_read_and_marked():
    """cEOS DC1_PE11 `show vlan`: `1199* VLAN1199 active` was dropped."""
    vlans = parse("arista_eos", "show vlan", raw("arista_eos", "fabrics", "DC1_PE11_show_vlan.txt"))["vlans"]
    assert vlans == [{"vid": 1, "name": "default"}, {"vid": 110, "name": "Tenant_A_OP_Zone_1"},
                     {"vid": 111, "name": "Tenant_A_OP_Zone_2"}, {"vid": 1199, "name": "VLAN1199", "dynamic": True}]


# --------------------------------------------------------------------------- unrecognised text (5)

def _outputs():
    """Every stored real output: (platform, ntc folder or 'config', text)."""
    found = []
    for path in sorted(glob.glob(os.path.join(corpus.FIXTURES, "*", "*", "*"))):
        if path.endswith((".yml", ".md")) or not os.path.isfile(path):
            continue
        platform, folder = path.split(os.sep)[-3:-1]
        with open(path, errors="replace") as handle:
            found.append((platform, folder, handle.read()))
    return found


OUTPUTS = _outputs()
# Tables that only `show vlans`, `show lldp neighbors`, `show interfaces terse` and `show
# chassis hardware` print: no other command's output (of any platform) may give records.
JUNOS_TABLES = {
    "show vlans": ("vlans", ("show_vlans",)),
    "show lldp neighbors": ("neighbors", ("show_lldp_neighbors",)),
    "show interfaces terse": ("interfaces", ()),
    "show chassis hardware": ("facts", ("show_chassis_hardware",)),
}


@pytest.mark.parametrize("command", sorted(JUNOS_TABLES))
def test_junos_tables_give_nothing_for_other_commands_outputs(command):
    key, own = JUNOS_TABLES[command]
    for platform, folder, text in OUTPUTS:
        if platform == "juniper_junos" and folder in own:
            continue
        result = parse("juniper_junos", command, text)
        assert not result.get(key), (platform, folder, result)


def test_ios_show_version_does_not_take_the_nxos_kernel_line_for_a_hostname():
    """ntc cisco_nxos show version: `Kernel uptime is ...` gave IOS hostname "Kernel"."""
    for name in ("cisco_nxos_show_version.raw", "cisco_nxos_show_version5.raw"):
        text = raw("cisco_nxos", "show_version", name)
        assert "hostname" not in parse("cisco_ios", "show version", text).get("facts", {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.sampled_from("abcXYZ019 -_./:*()"), max_size=40), min_size=1, max_size=12))
def test_junos_vlans_never_invented_from_random_lines(lines):
    """Random text (words, numbers, the lines a table row has) is no VLAN table."""
    assert not parse("juniper_junos", "show vlans", "\n".join(lines) + "\n").get("vlans")


@pytest.mark.parametrize("header", [
    "Routing instance        VLAN name             Tag          Interfaces",
    "Name           Tag     Interfaces",
])
def test_junos_vlans_rows_need_their_header(header):
    rows = "default-switch          v100-Control           100\n"
    assert not parse("juniper_junos", "show vlans", rows).get("vlans")
    legacy = "v100           100     ge-0/0/2.0*\n"
    table = header + "\n" + (rows if header.startswith("Routing") else legacy)
    assert parse("juniper_junos", "show vlans", table)["vlans"][0]["vid"] == 100
