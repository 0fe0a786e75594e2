"""The normaliser with the collection's own platform templates on real outputs written
by others (tests/unit/fixtures/corpus, sources in its SOURCES.md files): Layer 2 from
switchport sub-commands, every neighbour of a shared segment, CDP entries without a port
ID, gateway (anycast) addresses, EUI-64 prefixes, dynamic and internal VLANs, and the
neighbour fields chassis_id, system_description and capabilities."""

import os
from textwrap import dedent

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, normalise

pytest.importorskip("ttp")

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "corpus")


def raw(*path):
    with open(os.path.join(FIXTURES, *path)) as handle:
        return handle.read()


CONFIG, LLDP, CDP = "show running-config", "show lldp neighbors detail", "show cdp neighbors detail"
IOS_LLDP = ("cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail1.raw")


def build(platform, outputs, excerpt=False):
    """The model from only the given outputs (the other sections fail: not collected).

    ``excerpt``: the configuration is a `show running-config interface` excerpt, not a
    whole running-config, so the checks that prove a whole one (NX-OS: its `line vty`;
    tests/unit/plugins/module_utils/test_integrity.py) are left out to read it.
    """
    plan = commands.plan(normalise.load_platform(platform))
    if excerpt:
        for item in [e for e in plan if e["command"] == CONFIG][0]["candidates"]:
            item["checks"] = dict((k, v) for k, v in item["checks"].items() if k not in ("ends_with", "contains"))
    return normalise.build("dut", platform, dict((cmd, {"output": text}) for cmd, text in outputs.items()), plan=plan)


def test_nxos_switchport_sub_commands_make_a_layer2_port():
    """genieparser golden1: port-channel5 has switchport sub-commands and no `switchport`
    line (NX-OS default routed); Ethernet1/1 says `no switchport`, which wins."""
    text = raw("cisco_nxos", "show_running-config", "genie_nxos_running_config_interface_golden1.txt")
    ifaces = build("cisco_nxos", {CONFIG: text}, excerpt=True)["interfaces"]
    po5 = ifaces["port-channel5"]
    assert (po5["mode"], po5["native_vlan"], po5["tagged_vlans"]) == ("trunk", 2253, [2253])
    assert (ifaces["Ethernet1/1"]["mode"], ifaces["Ethernet1/1"]["ipv4"]) == ("routed", ["10.1.1.1/30"])


def test_nxos_access_vlan_alone_is_layer2_and_anycast_gateway_addresses():
    """Platform-file rule on the two lines NX-OS prints for a port left at the Layer 2
    default (`switchport access vlan N`, no `switchport`) and for an EVPN gateway SVI."""
    text = dedent("""\
        interface Vlan100
          no shutdown
          vrf member OTUS
          ip address 192.168.1.1/24
          fabric forwarding mode anycast-gateway

        interface Ethernet1/2
          switchport access vlan 100
        """)
    ifaces = build("cisco_nxos", {CONFIG: text}, excerpt=True)["interfaces"]
    assert (ifaces["Ethernet1/2"]["mode"], ifaces["Ethernet1/2"]["access_vlan"]) == ("access", 100)
    assert ifaces["Ethernet1/2"]["enabled"] is True  # Layer 2 default, not the routed one
    assert (ifaces["Vlan100"]["ipv4"], ifaces["Vlan100"]["anycast"]) == ([], ["192.168.1.1/24"])


def test_eos_virtual_and_varp_addresses_are_anycast_not_own():
    pe11 = build("arista_eos", {CONFIG: raw("arista_eos", "fabrics", "DC1_PE11_show_running-config_sanitized.txt")})
    vlan110 = pe11["interfaces"]["Vlan110"]
    assert (vlan110["ipv4"], vlan110["anycast"]) == ([], ["10.1.10.1/24"])
    assert pe11["interfaces"]["Ethernet1"]["anycast"] == []
    leaf = build("arista_eos", {CONFIG: raw("arista_eos", "fabrics", "A-LEAF1A_show_running-config_sanitized.txt")})
    assert leaf["interfaces"]["Vlan10"]["anycast"] == ["10.10.10.1/24"]
    assert leaf["interfaces"]["Vlan50"]["anycast"] == ["50.50.50.1/24"]


def test_eos_dynamic_vlan_and_internal_vlan_range():
    model = build("arista_eos", {CONFIG: raw("arista_eos", "fabrics", "DC1_PE11_show_running-config_sanitized.txt"),
                                 "show vlan": raw("arista_eos", "fabrics", "DC1_PE11_show_vlan.txt")})
    assert model["vlans"]["1199"] == {"vid": 1199, "name": "VLAN1199", "dynamic": True}
    assert model["vlans"]["110"]["dynamic"] is False
    assert model["internal_vlans"] == [1006, 1199]


def test_ios_eui64_prefix_is_kept_apart_from_own_addresses():
    ifaces = build("cisco_ios", {CONFIG: raw("cisco_ios", "show_running-config", "ccp_sample_08.ios")})["interfaces"]
    fa00 = ifaces["FastEthernet0/0"]
    assert (fa00["ipv6"], fa00["ipv6_eui64"]) == (["fe80::1/64"], ["fd01:ab00::/64"])
    assert "ATM0/0.32" in ifaces


def test_every_neighbour_of_a_shared_port_is_kept():
    """ntc arista lldp detail: four neighbours on Ethernet33 (the normaliser kept one)."""
    text = raw("arista_eos", "show_lldp_neighbors_detail", "arista_eos_show_lldp_neighbors_detail.raw")
    neighbours = build("arista_eos", {LLDP: text})["neighbors"]
    on_33 = [(n["remote_system"], n["remote_port"]) for n in neighbours if n["local_port"] == "Ethernet33"]
    assert on_33 == [("cvx-client-2", "Management1"), ("cvx-client-2", "Ethernet1"),
                     ("aci-compute", "ens192"), ("aci-control", "ens192")]


def test_lldp_hosts_and_nameless_peers_with_chassis_description_capabilities():
    pe11 = build("arista_eos", {LLDP: raw("arista_eos", "fabrics", "DC1_PE11_show_lldp_neighbors_detail.txt")})
    eth3 = [n for n in pe11["neighbors"] if n["local_port"] == "Ethernet3"]
    assert eth3 == [{"local_port": "Ethernet3", "remote_system": "client1", "remote_port": "Interface 2859 as eth1",
                     "mgmt_address": None, "protocol": "lldp", "chassis_id": "aac1.ab74.1c72",
                     "system_description": "Linux client1 6.2.0-39-generic #40~22.04.1-Ubuntu SMP "
                                           "PREEMPT_DYNAMIC Thu Nov 16 10:53:04 UTC 2 x86_64",
                     "capabilities": None}]
    assert len([n for n in pe11["neighbors"] if n["local_port"] == "Management0"]) == 9
    leaf = build("arista_eos", {LLDP: raw("arista_eos", "fabrics", "avd_asym_irb_leaf1a_show_lldp_neighbors_detail.txt")})
    nameless = [n for n in leaf["neighbors"] if n["remote_system"] is None]
    assert len(nameless) == 5
    assert nameless[0]["chassis_id"] == "001c.73ad.1d08" and nameless[0]["capabilities"] == ["Bridge"]
    assert nameless[0]["remote_port"] == "Management0"


def test_cdp_entry_without_port_id_is_kept():
    """genieparser ios device_output_10: DIST-FAIL on Gi0/5 has an empty Port ID."""
    text = raw("cisco_ios", "show_cdp_neighbors_detail", "genie_ios_cdp_device_output_10.txt")
    model = build("cisco_ios", {CDP: text, LLDP: raw(*IOS_LLDP)})
    first = [n for n in model["neighbors"] if n["protocol"] == "cdp"][0]
    assert first == {"local_port": "GigabitEthernet0/5", "remote_system": "DIST-FAIL", "remote_port": None,
                     "mgmt_address": None, "protocol": "cdp", "chassis_id": None,
                     "system_description": "PS5-22V", "capabilities": ["Trans-Bridge"]}


def test_cdp_neighbours_sharing_one_port():
    text = dedent(raw("cisco_ios", "show_cdp_neighbors_detail", "genie_iosxe_cdp_device_output_1.txt"))
    model = build("cisco_ios", {CDP: text, LLDP: raw(*IOS_LLDP)})
    cdp = [n for n in model["neighbors"] if n["protocol"] == "cdp"]
    assert [n["remote_system"] for n in cdp] == ["R6", "R7", "R5.cisco.com"]
    assert cdp[0]["capabilities"] == ["Router", "Switch", "CVTA", "phone", "port"]
