"""The comparison engine: every kind of drift, and every way it must not cry wolf."""

import copy

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m

DEFAULTS = {"mtu": 1500, "access_vlan": 1, "native_vlan": 1, "enabled": True, "default_vlans": [1, 1002]}
OPTIONS = {"known_devices": ["sw2"], "device_platforms": {"sw2": "cisco_ios"},
           "known_platforms": ["cisco_ios", "arista_eos"], "platform_defaults": DEFAULTS, "ignore_tag": "drift-ignore"}


def nb_iface(name, **kw):
    base = {"name": name, "type": "1000base-t", "enabled": True, "description": "", "mtu": None, "mode": None,
            "untagged_vlan": None, "tagged_vlans": [], "lag": None, "vrf": None, "mgmt_only": False,
            "ipv4": [], "ipv6": [], "tags": [], "cable": None,
            "netbox": {"id": 7, "url": "https://nb/dcim/interfaces/7/", "last_updated": "2026-01-01T00:00:00Z"}}
    base.update(kw)
    return base


def dev_iface(name, **kw):
    base = m.empty_interface(name)
    base.update(enabled=True, mode="routed")
    base.update(kw)
    return base


def intended(**interfaces):
    return {
        "device": "sw1", "source": "netbox", "platform": "cisco_ios",
        "netbox": {"id": 1, "url": "https://nb/dcim/devices/1/", "site": "dc1", "tags": []},
        "facts": {"serial": "FOC123", "model": "C9300-48P", "part_number": None, "platform": "cisco_ios",
                  "os_version": "17.9.4a"},
        "interfaces": dict((i["name"], i) for i in interfaces.values()),
        "ip_addresses": [], "vlans": {"10": {"vid": 10, "name": "USERS", "scope": "site", "used": True,
                                             "netbox": {"id": 3}}},
    }


def actual(**interfaces):
    state = m.new_device("sw1", "cisco_ios")
    for name in m.SECTIONS:
        state["sections"][name]["status"] = m.OK
    state.update(facts={"hostname": "sw1", "serial": "FOC123", "model": "c9300-48p", "os_version": "17.9.4a"},
                 interfaces=dict((i["name"], i) for i in interfaces.values()),
                 vlans={"1": {"vid": 1, "name": "default"}, "10": {"vid": 10, "name": "USERS"}},
                 neighbors=[], defaults={"mtu": 1500})
    return state


def drift(nb, dev, **options):
    return compare.compare(nb, dev, dict(OPTIONS, **options))


def fields(result):
    return sorted((r["kind"], r["key"], r["field"], r["class"]) for r in result["drift"])


def access_pair(**nb_kw):
    nb = intended(a=nb_iface("GigabitEthernet1/0/1", mode="access", untagged_vlan=10, **nb_kw))
    dev = actual(a=dev_iface("GigabitEthernet1/0/1", mode="access", access_vlan=10))
    return nb, dev


def test_identical_device_is_clean():
    nb, dev = access_pair()
    assert drift(nb, dev) == {"status": "clean", "drift": [], "unverified": [], "notes": {}}


@pytest.mark.parametrize("field, nb_value, dev_field, dev_value", [
    ("enabled", True, "enabled", False),
    ("description", "desk 1", "description", "desk one"),
    ("mtu", 9100, "mtu", None),
    ("untagged_vlan", 10, "access_vlan", 20),
    ("lag", "Port-channel1", "lag", None),
    ("vrf", "RED", "vrf", None),
])
def test_each_interface_field_mismatch(field, nb_value, dev_field, dev_value):
    nb, dev = access_pair()
    nb["interfaces"]["GigabitEthernet1/0/1"][field] = nb_value
    dev["interfaces"]["GigabitEthernet1/0/1"][dev_field] = dev_value
    result = drift(nb, dev)
    assert fields(result) == [("interface", "GigabitEthernet1/0/1", field, "mismatch")]
    rec = result["drift"][0]
    assert (rec["netbox_value"], rec["device_value"]) == (nb_value, dev_value)
    assert rec["netbox_object"]["url"] == "https://nb/dcim/interfaces/7/"


def test_alias_spelling_is_name_only():
    nb = intended(a=nb_iface("Gi1/0/1", mode="access", untagged_vlan=10))
    dev = actual(a=dev_iface("GigabitEthernet1/0/1", mode="access", access_vlan=10))
    assert fields(drift(nb, dev)) == [("interface", "Gi1/0/1", "name", "name_only")]


def test_missing_on_either_side():
    nb = intended(a=nb_iface("Ethernet1"), b=nb_iface("Ethernet2"))
    dev = actual(a=dev_iface("Ethernet1"), c=dev_iface("Ethernet3", description="new"))
    result = drift(nb, dev)
    assert fields(result) == [("interface", "Ethernet2", None, "missing_on_device"),
                              ("interface", "Ethernet3", None, "missing_in_netbox")]
    created = [r for r in result["drift"] if r["class"] == "missing_in_netbox"][0]["device_value"]
    assert created["description"] == "new" and created["mode"] is None


@pytest.mark.parametrize("nb_kw, dev_kw", [
    ({"mtu": None}, {"mtu": 1500}),                                    # NetBox null MTU is the default
    ({"mtu": 1500}, {"mtu": None}),
    ({"mode": "tagged-all", "untagged_vlan": 99}, {"mode": "trunk", "native_vlan": 99, "tagged_vlans": "all"}),
    ({"mode": "tagged", "untagged_vlan": 99, "tagged_vlans": [10, 20]},
     {"mode": "trunk", "native_vlan": 99, "tagged_vlans": [10, 20, 99]}),  # native in the allowed list
    ({"mode": "tagged", "untagged_vlan": None, "tagged_vlans": [20, 10]},
     {"mode": "trunk", "native_vlan": 1, "tagged_vlans": [10, 20]}),   # native not recorded: VLAN 1
    ({"mode": "access", "untagged_vlan": None}, {"mode": "access", "access_vlan": 1}),
    ({"mode": None}, {"mode": "access", "access_vlan": 1}),            # unset port left in VLAN 1
    ({"mode": None}, {"mode": "routed"}),
    ({"mode": "q-in-q"}, {"mode": "trunk", "tagged_vlans": [5]}),      # not modelled: not compared
    ({"description": " uplink "}, {"description": "uplink"}),
    ({"lag": "Po1"}, {"lag": "Port-channel1"}),
])
def test_no_false_drift(nb_kw, dev_kw):
    nb = intended(a=nb_iface("GigabitEthernet1/0/1", **nb_kw))
    dev = actual(a=dev_iface("GigabitEthernet1/0/1", **dev_kw))
    assert drift(nb, dev)["drift"] == []


def test_trunk_differences():
    nb = intended(a=nb_iface("Ethernet1", mode="tagged", untagged_vlan=99, tagged_vlans=[10, 20]))
    dev = actual(a=dev_iface("Ethernet1", mode="trunk", native_vlan=1, tagged_vlans="all"))
    result = drift(nb, dev)
    assert fields(result) == [("interface", "Ethernet1", "tagged_vlans", "mismatch"),
                              ("interface", "Ethernet1", "untagged_vlan", "mismatch")]
    assert [r["device_value"] for r in result["drift"] if r["field"] == "tagged_vlans"] == ["all"]


def test_mode_difference_skips_vlans():
    nb = intended(a=nb_iface("Ethernet1", mode="access", untagged_vlan=10))
    dev = actual(a=dev_iface("Ethernet1", mode="trunk", native_vlan=1, tagged_vlans=[10]))
    result = drift(nb, dev)
    assert fields(result) == [("interface", "Ethernet1", "mode", "mismatch")]
    assert result["drift"][0]["device_value"] == "tagged"


def test_interface_vrf_from_its_addresses():
    nb = intended(a=nb_iface("Ethernet1", vrf=None))
    nb["ip_addresses"] = [{"address": "10.9.0.1/24", "interface": "Ethernet1", "vrf": "RED"}]
    dev = actual(a=dev_iface("Ethernet1", vrf="RED", ipv4=["10.9.0.1/24"]))
    assert drift(nb, dev)["drift"] == []


def test_unconfigured_port_listed_by_the_device_is_not_missing():
    nb = intended(a=nb_iface("ge-0/0/5"), b=nb_iface("ge-0/0/6", description="printer"))
    dev = actual()
    dev["unconfigured"] = ["ge-0/0/5", "ge-0/0/6"]
    assert fields(drift(nb, dev)) == [("interface", "ge-0/0/6", "description", "mismatch")]


def test_implicit_interface_is_not_missing_in_netbox():
    dev = actual(a=dev_iface("Vlan1", enabled=False))
    assert drift(intended(), dev, platform_defaults=dict(DEFAULTS, implicit_interfaces=["Vlan1"]))["drift"] == []
    assert fields(drift(intended(), dev)) == [("interface", "Vlan1", None, "missing_in_netbox")]


def test_ignore_tag_on_an_interface():
    nb = intended(a=nb_iface("Ethernet1", description="x", tags=["drift-ignore"]))
    assert drift(nb, actual(a=dev_iface("Ethernet1")))["drift"] == []


def test_ip_addresses():
    nb = intended(a=nb_iface("Loopback0"), b=nb_iface("Vlan10"))
    nb["ip_addresses"] = [
        {"address": "10.0.0.5/32", "interface": "Vlan10", "vrf": None, "netbox": {"id": 4}},
        {"address": "10.0.0.6/32", "interface": "Loopback0", "vrf": None},
        {"address": "10.0.0.7/24", "interface": "Vlan10", "vrf": None},
        {"address": "10.0.0.254/24", "interface": "Vlan10", "role": "hsrp"},  # HSRP is not read: not missing
    ]
    dev = actual(a=dev_iface("Loopback0", ipv4=["10.0.0.5/32"], ipv6=["fe80::1/64", "2001:db8::1/128"]),
                 b=dev_iface("Vlan10", ipv4=["10.0.0.7/25"]))
    assert fields(drift(nb, dev)) == [
        ("ip_address", "10.0.0.5/32", "interface", "mismatch"),
        ("ip_address", "10.0.0.6/32", None, "missing_on_device"),
        ("ip_address", "10.0.0.7/24", "prefix_length", "mismatch"),
        ("ip_address", "2001:db8::1/128", None, "missing_in_netbox"),
    ]


def addr(address, interface, vrf=None, role=None):
    return {"address": address, "interface": interface, "vrf": vrf, "role": role, "netbox": {"id": 5}}


def test_the_same_address_in_several_vrfs_is_normal():
    """A-LEAF2A of the 11_evpn_vxlan fabric: 192.0.0.1/24 on Vlan4093 (global) and on Vlan4000 (VRF A)."""
    nb = intended(a=nb_iface("Vlan4093"), b=nb_iface("Vlan4000", vrf="A"))
    nb["ip_addresses"] = [addr("192.0.0.1/24", "Vlan4093"), addr("192.0.0.1/24", "Vlan4000", "A")]
    dev = actual(a=dev_iface("Vlan4093", ipv4=["192.0.0.1/24"]),
                 b=dev_iface("Vlan4000", vrf="A", ipv4=["192.0.0.1/24"]))
    assert drift(nb, dev)["drift"] == []
    dev["interfaces"]["Vlan4000"]["ipv4"] = []
    assert fields(drift(nb, dev)) == [("ip_address", "192.0.0.1/24 vrf A", None, "missing_on_device")]


def test_an_address_in_another_vrf_is_one_vrf_difference():
    nb = intended(a=nb_iface("Ethernet1", vrf="RED"))
    nb["ip_addresses"] = [addr("10.1.0.1/31", "Ethernet1", "RED")]
    dev = actual(a=dev_iface("Ethernet1", vrf="BLUE", ipv4=["10.1.0.1/31"]))
    found = drift(nb, dev)["drift"]
    assert ("ip_address", "10.1.0.1/31 vrf RED", "vrf", "mismatch") in fields({"drift": found})
    assert [r for r in found if r["class"] != "mismatch"] == []


def test_anycast_gateways():
    """EOS `ip address virtual` and VARP on every leaf: NetBox role anycast."""
    nb = intended(a=nb_iface("Vlan110", vrf="T"))
    nb["ip_addresses"] = [addr("10.1.10.1/24", "Vlan110", "T", "anycast")]
    dev = actual(a=dev_iface("Vlan110", vrf="T", anycast=["10.1.10.1/24"]))
    assert drift(nb, dev)["drift"] == []
    dev["interfaces"]["Vlan110"]["anycast"] = []
    assert fields(drift(nb, dev)) == [("ip_address", "10.1.10.1/24 vrf T", None, "missing_on_device")]
    dev["interfaces"]["Vlan110"]["ipv4"] = ["10.1.10.1/24"]  # held as the device's own address
    result = drift(nb, dev)
    assert fields(result) == [("ip_address", "10.1.10.1/24 vrf T", "role", "mismatch")]
    assert (result["drift"][0]["netbox_value"], result["drift"][0]["device_value"]) == ("anycast", None)
    nb["ip_addresses"] = []
    dev["interfaces"]["Vlan110"].update(ipv4=[], anycast=["10.1.10.1/24"])
    found = drift(nb, dev)["drift"]
    assert [(r["class"], r["device_value"]["role"]) for r in found] == [("missing_in_netbox", "anycast")]


def test_facts_compare_without_case_and_only_when_recorded():
    nb, dev = access_pair()
    nb["facts"].update(serial="FOC999", os_version=None, platform="arista_eos")
    assert fields(drift(nb, dev)) == [("device", "sw1", "platform", "mismatch"), ("device", "sw1", "serial", "mismatch")]
    nb["facts"].update(serial=None, platform="some-vendor-os", model="C9300-48P-E", part_number="C9300-48P")
    assert drift(nb, dev)["drift"] == []


def test_vlans_the_device_is_expected_to_carry():
    nb, dev = access_pair()
    nb["vlans"]["30"] = {"vid": 30, "name": "PRINTERS", "scope": "site", "used": False}   # on other switches
    nb["vlans"]["50"] = {"vid": 50, "name": "LOCAL", "scope": "location", "used": False}  # its room's group
    nb["vlans"]["60"] = {"vid": 60, "name": "RACK", "scope": "rack", "used": False}
    dev["vlans"]["40"] = {"vid": 40, "name": "LAB"}
    dev["vlans"]["10"]["name"] = "users"
    assert fields(drift(nb, dev)) == [("vlan", "10", "name", "mismatch"), ("vlan", "40", None, "missing_in_netbox"),
                                      ("vlan", "50", None, "missing_on_device"),
                                      ("vlan", "60", None, "missing_on_device")]
    assert ("vlan", "30", None, "missing_on_device") in fields(drift(nb, dev, vlan_scope="site"))
    dev["vlans"]["30"] = {"vid": 30, "name": "PRINTERS"}  # a site VLAN it carries although no port uses it
    assert ("vlan", "30", None, "missing_in_netbox") not in fields(drift(nb, dev))


def test_vlans_the_platform_makes_are_not_drift():
    """EOS `show vlan`: `1199* VLAN1199 ... * indicates a Dynamic VLAN`, internal range 1006-1199."""
    nb, dev = access_pair()
    dev["vlans"]["1199"] = {"vid": 1199, "name": "VLAN1199", "dynamic": True}
    dev["vlans"]["1100"] = {"vid": 1100, "name": "VLAN1100"}
    dev["internal_vlans"] = [1006, 1199]
    assert drift(nb, dev)["drift"] == []
    assert fields(drift(nb, dev, report_platform_vlans=True)) == [
        ("vlan", "1100", None, "missing_in_netbox"), ("vlan", "1199", None, "missing_in_netbox")]


@pytest.mark.parametrize("allowed, policy, same", [
    (list(range(2, 4095)), "range", True), (list(range(2, 4095)), "strict", False),
    ("all", "strict", True), ([1, 10], "defined", True), ([10], "defined", False), ([10], "range", False),
])
def test_tagged_all_against_an_allowed_list(allowed, policy, same):
    nb = intended(a=nb_iface("Ethernet1", mode="tagged-all"))
    dev = actual(a=dev_iface("Ethernet1", mode="trunk", native_vlan=1, tagged_vlans=allowed))
    assert (drift(nb, dev, tagged_all=policy)["drift"] == []) is same


def test_a_device_that_calls_itself_otherwise_is_one_record():
    """A pre-deploy capture: NetBox's DC1_LEAF1A runs the bootstrap config of leaf1a."""
    nb = intended(a=nb_iface("Ethernet1", description="P2P_LINK"), b=nb_iface("Loopback0"))
    dev = actual(a=dev_iface("Ethernet1"))
    dev["facts"]["hostname"] = "leaf1a"
    result = drift(nb, dev)
    assert fields(result) == [("device", "sw1", "hostname", "mismatch")]
    assert sorted(u["section"] for u in result["unverified"]) == ["interfaces", "neighbors", "vlans"]
    dev["facts"]["hostname"] = "SW1.example.net"
    assert ("device", "sw1", "hostname", "mismatch") not in fields(drift(nb, dev))
    dev["facts"]["hostname"] = "leaf1a"
    assert ("device", "sw1", "hostname", "mismatch") not in fields(drift(nb, dev, identity=False))


def test_ports_at_factory_settings_are_noted_not_reported():
    """cEOS lists every port (`interface Ethernet5` with nothing under it)."""
    nb, dev = access_pair()
    dev["interfaces"]["Ethernet5"] = dev_iface("Ethernet5", mode="access", access_vlan=1)
    dev["interfaces"]["Loopback9"] = dev_iface("Loopback9")
    result = drift(nb, dev, platform_defaults=dict(DEFAULTS, never_switchport=["Loopback"]))
    assert fields(result) == [("interface", "Loopback9", None, "missing_in_netbox")]
    assert result["notes"] == {"factory_ports": ["Ethernet5"]}
    assert ("interface", "Ethernet5", None, "missing_in_netbox") in fields(drift(nb, dev, report_unconfigured=True))


def test_hardware_models_compare_without_punctuation():
    nb, dev = access_pair()
    nb["facts"]["model"], dev["facts"]["model"] = "cEOS-LAB", "cEOSLab"
    assert drift(nb, dev)["drift"] == []


def cabled(peer_device="sw2", peer_port="GigabitEthernet1/0/48", **kw):
    cable = {"id": 9, "url": "https://nb/dcim/cables/9/", "peer_device": peer_device, "peer_port": peer_port,
             "peer_type": "dcim.interface"}
    return nb_iface("GigabitEthernet1/0/1", cable=cable, **kw)


def neighbor(system="sw2.example.net", port="Gi1/0/48", local="Gi1/0/1", protocol="lldp"):
    return {"local_port": local, "remote_system": system, "remote_port": port, "mgmt_address": None,
            "protocol": protocol}


def test_cables_against_neighbours():
    dev = actual(a=dev_iface("GigabitEthernet1/0/1"))
    dev["neighbors"] = [neighbor()]
    assert drift(intended(a=cabled()), dev)["drift"] == []                  # FQDN and alias are the same
    dev["neighbors"] = [neighbor(port="Gi1/0/47")]
    result = drift(intended(a=cabled()), dev)
    assert fields(result) == [("cable", "GigabitEthernet1/0/1", "peer", "mismatch")]
    assert result["drift"][0]["device_value"] == {"device": "sw2", "port": "GigabitEthernet1/0/47"}
    dev["neighbors"] = []
    assert fields(drift(intended(a=cabled()), dev)) == [("cable", "GigabitEthernet1/0/1", "peer", "missing_on_device")]
    assert drift(intended(a=cabled(enabled=False)), dev, kinds=["cable"])["drift"] == []  # shut: no LLDP
    assert drift(intended(a=cabled(peer_device="server9")), dev)["drift"] == []
    dev["neighbors"] = [neighbor()]
    assert fields(drift(intended(a=nb_iface("GigabitEthernet1/0/1")), dev)) == [
        ("cable", "GigabitEthernet1/0/1", "peer", "missing_in_netbox")]
    dev["neighbors"] = [neighbor(system="phone-17")]
    assert drift(intended(a=nb_iface("GigabitEthernet1/0/1")), dev)["drift"] == []


def test_shared_segments_and_nameless_neighbours_say_nothing_of_a_cable():
    """A spine's Management0 sees nine neighbours (the management network); a Linux host
    advertises only MACs (avd_sym_sa_multihoming DC1_PE11 Ethernet3)."""
    dev = actual(a=dev_iface("GigabitEthernet1/0/1"), b=dev_iface("GigabitEthernet1/0/2"))
    dev["neighbors"] = [neighbor(), neighbor(system="sw3", port="Gi1/0/1"),
                        dict(neighbor(local="Gi1/0/2"), remote_system=None, remote_port="aac1.ab74.1c72")]
    nb = intended(a=cabled(peer_device="sw9"), b=nb_iface("GigabitEthernet1/0/2", cable={
        "id": 3, "peer_device": "sw2", "peer_port": "Gi1/0/9", "peer_type": "dcim.interface"}))
    result = drift(nb, dev)
    assert result["drift"] == []
    assert result["notes"] == {"shared_segments": ["Gi1/0/1"], "unidentified": ["Gi1/0/2"]}


def test_a_failed_section_yields_unverified_never_missing():
    nb = intended(a=nb_iface("Ethernet1"), b=nb_iface("Ethernet2", cable={"peer_device": "sw2", "peer_port": "x"}))
    dev = actual(a=dev_iface("Ethernet1"))
    m.fail_section(dev, "interfaces", "'show running-config' failed: timeout")
    m.fail_section(dev, "neighbors", "'show lldp neighbors detail' failed: timeout")
    result = drift(nb, dev)
    assert result["status"] == "partial" and result["drift"] == []
    assert [u["section"] for u in result["unverified"]] == ["interfaces", "neighbors"]
    assert "timeout" in result["unverified"][0]["reason"]


def test_an_unreachable_device_is_unverified():
    dev = actual()
    for name in m.SECTIONS:
        m.fail_section(dev, name, "connection refused")
    result = drift(intended(a=nb_iface("Ethernet1")), dev)
    assert result["status"] == "unverified" and result["drift"] == [] and len(result["unverified"]) == 4


def test_device_not_in_netbox_and_bad_input():
    assert drift(None, actual())["status"] == "unverified"
    with pytest.raises(compare.CompareError):
        compare.compare(intended(), {"device": "x"})
    with pytest.raises(compare.CompareError):
        compare.compare(intended(), actual(), {"kinds": ["toaster"]})


def test_kinds_limit_what_is_compared():
    nb, dev = access_pair()
    nb["facts"]["serial"] = "OTHER"
    nb2 = copy.deepcopy(nb)
    assert drift(nb, dev, kinds=["interface"])["drift"] == []
    assert len(drift(nb2, dev)["drift"]) == 1


def test_an_eui64_address_is_not_missing():
    """IOS `ipv6 address 2001:db8:5::/64 eui-64`: the host part comes from the MAC."""
    nb = intended(a=nb_iface("Vlan10"))
    nb["ip_addresses"] = [{"address": "2001:db8:5::21c:73ff:fe00:1/64", "interface": "Vlan10", "vrf": None}]
    dev = actual(a=dev_iface("Vlan10", ipv6_eui64=["2001:db8:5::/64"]))
    assert drift(nb, dev)["drift"] == []
    dev["interfaces"]["Vlan10"]["ipv6_eui64"] = ["2001:db8:6::/64"]
    assert fields(drift(nb, dev)) == [("ip_address", "2001:db8:5::21c:73ff:fe00:1/64", None, "missing_on_device")]


def test_platforms_checked_three_ways():
    """An EOS switch driven as IOS: NetBox, the connection and show version are named together."""
    nb, dev = access_pair()
    nb["facts"]["platform"] = "arista_eos"
    dev["detected_platform"] = "arista_eos"
    result = drift(nb, dev)
    assert result["status"] == "unverified" and result["drift"] == []
    assert result["unverified"][0] == {"section": "platform", "reason": (
        "platforms disagree: NetBox says arista_eos, the connection drove it as cisco_ios (ansible_network_os), "
        "its show version says arista_eos; nothing was compared")}
    dev["detected_platform"] = "cisco_ios"  # connection and device agree: NetBox's platform is the drift
    assert fields(drift(nb, dev)) == [("device", "sw1", "platform", "mismatch")]
