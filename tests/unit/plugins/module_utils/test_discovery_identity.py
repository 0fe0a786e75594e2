"""Discovery's allow-list and de-duplication (module_utils/discovery/allow.py, identity.py),
on hand-made rows and on a real Arista LLDP capture."""

import os

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import allow, identity

HERE = os.path.dirname(os.path.abspath(__file__))
FABRIC = os.path.join(HERE, "..", "..", "fixtures", "corpus", "arista_eos", "fabrics")


def row(port, name=None, chassis=None, address=None, protocol="lldp", remote="Ethernet1"):
    return {"local_port": port, "remote_system": name, "remote_port": remote, "chassis_id": chassis,
            "mgmt_address": address, "protocol": protocol, "system_description": None, "capabilities": None}


def test_prefixes_are_read_and_bad_ones_named():
    nets = allow.prefixes(["10.0.0.0/8", " 2001:db8::/32", "192.168.1.7/24"])
    assert [str(n) for n in nets] == ["10.0.0.0/8", "2001:db8::/32", "192.168.1.0/24"]
    with pytest.raises(allow.AllowError, match=r"discover_allow\[1\] is not an IP prefix: 'mgmt-net'"):
        allow.prefixes(["10.0.0.0/8", "mgmt-net"])
    with pytest.raises(allow.AllowError, match="must be a list"):
        allow.prefixes("10.0.0.0/8")
    assert allow.prefixes(None) == []


@pytest.mark.parametrize("address, networks, allowed, reason", [
    ("10.1.2.3", ["10.0.0.0/8"], True, None),
    ("10.1.2.3", ["10.1.2.3/32"], True, None),
    ("11.1.2.3", ["10.0.0.0/8"], False, "outside discover_allow (10.0.0.0/8)"),
    ("10.1.2.3", [], False, "discover_allow is empty"),
    ("2001:db8::1", ["10.0.0.0/8"], False, "outside discover_allow"),
    ("2001:db8::1", ["2001:db8::/32"], True, None),
    ("sw1.example.net", ["0.0.0.0/0"], False, "names are never resolved"),
    ("001c.7364.f2ec", ["0.0.0.0/0"], False, "is not an IP address"),
    (None, ["0.0.0.0/0"], False, "advertises no management address"),
])
def test_only_literal_addresses_inside_the_prefixes_are_allowed(address, networks, allowed, reason):
    found, why = allow.decide(address, allow.prefixes(networks))
    assert found is allowed
    assert (why is None) if reason is None else (reason in why)


def test_identifiers_compare_whatever_their_spelling():
    assert identity.chassis_key("001c.7364.F2EC") == identity.chassis_key("00:1c:73:64:f2:ec") == "001c7364f2ec"
    assert identity.mac_text("001c.7364.f2ec") == "00:1C:73:64:F2:EC"
    assert identity.chassis_key("Switch-Chassis 7") == "switch-chassis 7" and not identity.is_mac("Switch-Chassis 7")
    assert identity.short_name("dc1-ud-sw2.lab.example.net") == "dc1-ud-sw2"
    assert identity.short_name("N9K-A(FDO21010A0E)") == "N9K-A"
    assert identity.short_name("10.1.1.2") == "10.1.1.2"
    assert identity.name_key("SW1.Example.NET") == "sw1"
    assert identity.address_key("10.001.1.2") is None and identity.address_key("2001:DB8::1") == "2001:db8::1"


def test_one_device_seen_over_lldp_and_cdp_by_two_switches_is_one_candidate():
    registry = identity.Registry()
    registry.add(identity.sighting("sw1", 1, row("Gi1/0/1", "new.example.net", "0011.2233.4455", "10.9.0.1")))
    registry.add(identity.sighting("sw1", 1, row("Gi1/0/1", "new", None, "10.9.0.1", protocol="cdp")))
    registry.add(identity.sighting("sw2", 1, row("Ethernet7", "NEW", "00:11:22:33:44:55", None)))
    assert len(registry.candidates) == 1
    only = registry.candidates[0]
    assert (only.chassis, only.addresses, only.names) == ({"001122334455"}, {"10.9.0.1"}, {"new"})
    assert len(only.sightings) == 3 and only.depth == 1


def test_a_shared_factory_name_with_different_chassis_ids_is_two_devices():
    registry = identity.Registry()
    registry.add(identity.sighting("sw1", 1, row("Gi1/0/1", "Switch", "0011.2233.4455", "10.9.0.1")))
    registry.add(identity.sighting("sw2", 1, row("Gi1/0/2", "Switch", "0011.2233.9999", "10.9.0.1")))
    assert len(registry.candidates) == 2  # the chassis ID decides before the address and the name


def test_a_sighting_that_bridges_two_candidates_joins_them():
    registry = identity.Registry()
    registry.add(identity.sighting("sw1", 1, row("Gi1/0/1", "new", "0011.2233.4455", None)))   # name + chassis
    registry.add(identity.sighting("sw2", 2, row("Gi1/0/2", None, None, "10.9.0.1", protocol="cdp")))  # address only
    assert len(registry.candidates) == 2
    registry.add(identity.sighting("sw3", 1, row("Et1", "new", "0011.2233.4455", "10.9.0.1")))
    assert len(registry.candidates) == 1 and registry.merged == {2: 1}
    assert registry.candidates[0].depth == 1 and len(registry.candidates[0].sightings) == 3


def test_a_neighbour_with_nothing_to_tell_it_apart_is_no_candidate():
    registry = identity.Registry()
    assert registry.add(identity.sighting("sw1", 1, row("Gi1/0/1"))) is None
    assert registry.candidates == []


def test_real_lldp_capture_de_duplicates_what_two_ports_see():
    """DC1_PE11 (a deployed EVPN fabric, ../shared/corpus/fabrics) sees DC1_SPINE1 on
    Ethernet1 and again on its management segment: one candidate each; the Linux
    clients send a different chassis ID on each of their ports, so by the chassis-first
    rule client1 on Ethernet3 and client1 on Management0 stay two devices."""
    with open(os.path.join(FABRIC, "DC1_PE11_show_lldp_neighbors_detail.txt")) as handle:
        text = handle.read()
    state = normalise.build("DC1_PE11", "arista_eos", {"show lldp neighbors detail": {"output": text}})
    registry = identity.Registry()
    for neighbor in state["neighbors"]:
        registry.add(identity.sighting("DC1_PE11", 1, neighbor))
    by_name = {}
    for candidate in registry.candidates:
        for name in candidate.names:
            by_name.setdefault(name, []).append(candidate)
    assert len(state["neighbors"]) == 13
    assert [len(c.sightings) for c in by_name["dc1_spine1"]] == [2]
    assert by_name["dc1_spine1"][0].addresses == {"192.168.255.1"}
    assert [len(c.sightings) for c in by_name["client1"]] == [1, 1]
    assert sorted(by_name) == ["client1", "client2", "client3", "client4", "dc1_pe12", "dc1_pe21", "dc1_pe22",
                               "dc1_spine1", "dc1_spine2"]
    assert len(registry.candidates) == 11
