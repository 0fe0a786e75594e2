# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended model from NetBox data: real NetBox 4.4 responses (tests/unit/fixtures/netbox)
and hand-made records for what that data set lacks (modes, VLANs, tags, peers)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent.intended import IntendedError

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "netbox")
BASE = "http://nb.example/api"
ROUTER = "dmi01-akron-rtr01"


def results(name):
    with open(os.path.join(FIXTURES, name + ".json")) as handle:
        return json.load(handle)["results"]


def recorded():
    """A fetch result made of the recorded 4.4.10 responses, grouped the way fetch() does."""
    devices = dict((d["name"], d) for d in results("devices"))
    interfaces = dict((name, []) for name in devices)
    seen = set()
    for source in ("interfaces-router", "interfaces-lag", "interfaces-cabled"):
        for iface in results(source):
            owner = iface["device"]["name"]
            if owner in interfaces and iface["id"] not in seen:
                seen.add(iface["id"])
                interfaces[owner].append(iface)
    vlans = {}
    for vlan in results("vlans"):
        if vlan["site"]:
            vlans.setdefault(vlan["site"]["slug"], []).append(vlan)
    return {"netbox_url": "http://127.0.0.1:8000", "api_version": "4.4", "devices": devices,
            "device_types": {}, "interfaces": interfaces,
            "ip_addresses": dict((name, []) for name in devices), "vlans": vlans, "missing": []}


def ref(kind, oid, **extra):
    obj = {"id": oid, "url": "%s/%s/%d/" % (BASE, kind, oid), "display": str(oid)}
    obj.update(extra)
    return obj


def vlan(oid, vid, name, site=None, group=None):
    return ref("ipam/vlans", oid, vid=vid, name=name, site=site, group=group,
               last_updated="2026-01-01T00:00:00Z")


def iface(oid, name, **fields):
    base = {
        "id": oid, "url": "%s/dcim/interfaces/%d/" % (BASE, oid), "name": name,
        "device": ref("dcim/devices", 1, name="sw1"), "type": {"value": "1000base-t", "label": "1000BASE-T"},
        "enabled": True, "description": "", "mtu": None, "mode": None, "untagged_vlan": None,
        "tagged_vlans": [], "lag": None, "vrf": None, "mgmt_only": False, "tags": [], "cable": None,
        "link_peers": [], "link_peers_type": None, "connected_endpoints": None,
        "connected_endpoints_type": None, "last_updated": "2026-01-02T00:00:00Z",
    }
    base.update(fields)
    return base


def address(oid, cidr, iface_id, iface_name, **fields):
    base = {"id": oid, "url": "%s/ipam/ip-addresses/%d/" % (BASE, oid), "address": cidr,
            "vrf": None, "status": {"value": "active", "label": "Active"}, "role": None,
            "assigned_object_type": "dcim.interface", "assigned_object_id": iface_id,
            "assigned_object": ref("dcim/interfaces", iface_id, name=iface_name),
            "last_updated": "2026-01-03T00:00:00Z"}
    base.update(fields)
    return base


SITE = ref("dcim/sites", 5, name="Site 1", slug="site1")
USERS, VOICE, NATIVE = vlan(10, 10, "USERS", site=SITE), vlan(20, 20, "VOICE", site=SITE), vlan(99, 99, "NATIVE", site=SITE)
GROUPED = vlan(30, 30, "PRINTERS", group=ref("ipam/vlan-groups", 3, name="site1-vlans"))


def handmade():
    device = ref("dcim/devices", 1, name="sw1", display_url="http://nb.example/dcim/devices/1/",
                 site=SITE, status={"value": "active", "label": "Active"},
                 tags=[{"id": 1, "name": "Core", "slug": "core"}, {"id": 2, "name": "Audit", "slug": "audit"}],
                 serial="FOC123", device_type=ref("dcim/device-types", 7, model="C9300-48P"),
                 platform=ref("dcim/platforms", 2, name="Cisco IOS", slug="cisco-ios"),
                 custom_fields={"software_version": "17.9.4a", "other": 1},
                 primary_ip4={"id": 100, "address": "10.250.0.10/16"},
                 primary_ip6={"id": 101, "address": "2001:DB8::A/64"},
                 last_updated="2026-01-04T00:00:00Z")
    interfaces = [
        iface(1, "Gi1/0/1", mode={"value": "access", "label": "Access"}, untagged_vlan=USERS,
              description="desk", tags=[{"slug": "user-port", "name": "User port"}]),
        iface(2, "Gi1/0/2", mode={"value": "tagged", "label": "Tagged"}, untagged_vlan=NATIVE,
              tagged_vlans=[VOICE, USERS, GROUPED]),
        iface(3, "Gi1/0/3", mode={"value": "tagged-all", "label": "Tagged (All)"}, untagged_vlan=NATIVE),
        iface(4, "Gi1/0/4", mode={"value": "q-in-q", "label": "Q-in-Q (802.1ad)"}),
        iface(5, "Po1", type={"value": "lag", "label": "LAG"}, mode="tagged", tagged_vlans=[USERS]),
        iface(6, "Gi1/0/5", lag=ref("dcim/interfaces", 5, name="Po1"), mode=None,
              cable=ref("dcim/cables", 40, label=""), link_peers_type="dcim.interface",
              link_peers=[ref("dcim/interfaces", 60, name="Eth1/5", device=ref("dcim/devices", 2, name="sw2"))],
              connected_endpoints_type="dcim.interface",
              connected_endpoints=[ref("dcim/interfaces", 60, name="Eth1/5", device=ref("dcim/devices", 2, name="sw2"))]),
        # through a patch panel: the cable ends on a front port, the path on sw3's interface
        iface(7, "Gi1/0/6", cable=ref("dcim/cables", 41), link_peers_type="dcim.frontport",
              link_peers=[ref("dcim/front-ports", 9, name="1", device=ref("dcim/devices", 8, name="pp1"))],
              connected_endpoints_type="dcim.interface",
              connected_endpoints=[ref("dcim/interfaces", 70, name="Eth1/1", device=ref("dcim/devices", 3, name="sw3"))]),
        iface(8, "Gi1/0/7", cable=ref("dcim/cables", 42), link_peers_type="circuits.circuittermination",
              link_peers=[ref("circuits/circuit-terminations", 4, display="CID1: Termination A")],
              connected_endpoints_type="circuits.providernetwork",
              connected_endpoints=[ref("circuits/provider-networks", 1, name="MPLS")]),
        iface(9, "Vlan10", type={"value": "virtual", "label": "Virtual"}, mtu=9000,
              vrf={"id": 4, "name": "CUSTOMER-A", "rd": "65000:1"}),
        iface(10, "mgmt0", mgmt_only=True, enabled=False, description=None,
              vrf={"id": 5, "name": "management"}),
    ]
    addresses = [
        address(1, "172.16.0.1/24", 9, "Vlan10", vrf={"id": 4, "name": "CUSTOMER-A"},
                role={"value": "anycast", "label": "Anycast"}),
        address(2, "2001:DB8:0:0::1/64", 9, "Vlan10", status={"value": "reserved", "label": "Reserved"}),
        address(3, "10.250.0.10/16", 10, "mgmt0", vrf={"id": 5, "name": "management"}),
        address(4, "10.0.0.9/24", 9, "Vlan10"),
    ]
    return {"netbox_url": "http://nb.example", "api_version": "4.7",
            "devices": {"sw1": device},
            "device_types": {"7": {"id": 7, "model": "C9300-48P", "part_number": "C9300-48P-A"}},
            "interfaces": {"sw1": interfaces}, "ip_addresses": {"sw1": addresses},
            "vlans": {"site1": [USERS, VOICE, NATIVE, GROUPED]}, "missing": []}


# --- the recorded NetBox 4.4 data -------------------------------------------------

def test_recorded_device_facts_and_netbox_block():
    model = intended.build(ROUTER, recorded())
    assert model["device"] == ROUTER and model["source"] == "netbox"
    assert model["platform"] == "cisco-ios"
    assert model["facts"] == {"serial": None, "model": "ISR 1111-8P", "part_number": None,
                              "platform": "cisco-ios", "os_version": None}
    assert model["netbox"] == {"id": 1, "url": "http://127.0.0.1:8000/dcim/devices/1/",
                               "last_updated": "2020-12-20T02:51:03.257000Z", "site": "dm-akron",
                               "role": "router", "status": "active", "tags": []}
    assert model["primary_ip4"] is None and model["primary_ip6"] is None


def test_recorded_interfaces_lag_and_no_mode():
    model = intended.build(ROUTER, recorded())
    names = sorted(model["interfaces"])
    assert names == ["GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/1/0",
                     "GigabitEthernet0/1/1", "GigabitEthernet0/1/2", "GigabitEthernet0/1/3", "Po1"]
    member = model["interfaces"]["GigabitEthernet0/1/0"]
    assert member["lag"] == "Po1" and member["mode"] is None and member["type"] == "1000base-t"
    assert member["untagged_vlan"] is None and member["tagged_vlans"] == []
    assert member["netbox"]["url"].endswith("/dcim/interfaces/%d/" % member["netbox"]["id"])
    assert model["interfaces"]["Po1"]["type"] == "lag"
    assert all(i["mtu"] is None and i["vrf"] is None for i in model["interfaces"].values())


def test_recorded_cables_interface_peer_and_circuit():
    cables = dict((n, i["cable"]) for n, i in intended.build(ROUTER, recorded())["interfaces"].items())
    assert cables["GigabitEthernet0/1/0"] == {
        "id": 35, "url": "http://127.0.0.1:8000/dcim/cables/35/", "peer_device": "dmi01-akron-sw01",
        "peer_port": "GigabitEthernet1/0/1", "peer_type": "dcim.interface"}
    # the path ends on a provider network: the cable's own peer, a circuit termination
    assert cables["GigabitEthernet0/0/0"] == {
        "id": 7, "url": "http://127.0.0.1:8000/dcim/cables/7/", "peer_device": None,
        "peer_port": "KKDG4923: Termination Z", "peer_type": "circuits.circuittermination"}
    assert cables["GigabitEthernet0/1/2"] is None


def test_recorded_site_vlans():
    vlans = intended.build(ROUTER, recorded())["vlans"]
    assert sorted(vlans) == ["100", "200", "300"]
    assert vlans["100"] == {"vid": 100, "name": "Data", "scope": "site", "group": None, "used": False,
                            "netbox": {"id": 1, "url": "http://127.0.0.1:8000/ipam/vlans/1/",
                                       "last_updated": "2021-03-10T20:55:36.697000Z"}}


def test_recorded_unassigned_addresses_are_kept_without_interface():
    fetched = recorded()
    fetched["ip_addresses"][ROUTER] = results("ip-addresses")
    model = intended.build(ROUTER, fetched)
    assert [a for a in model["ip_addresses"] if a["address"] == "172.16.0.1/24"] == [{
        "address": "172.16.0.1/24", "interface": None, "vrf": "Alpha", "role": None,
        "status": "active", "netbox": {"id": 31, "url": "http://127.0.0.1:8000/ipam/ip-addresses/31/",
                                       "last_updated": "2022-04-08T00:25:21.668000Z"}}]
    assert all(not i["ipv4"] for i in model["interfaces"].values())


def test_recorded_build_all_is_json_clean():
    fetched = recorded()
    models = intended.build_all(fetched, platforms={ROUTER: "cisco_ios"})
    assert sorted(models) == sorted(fetched["devices"])
    assert models[ROUTER]["platform"] == "cisco_ios"
    assert models[ROUTER]["facts"]["platform"] == "cisco-ios"
    assert json.loads(json.dumps(models)) == models


# --- hand-made records --------------------------------------------------------------

def test_modes_and_vlans():
    ifaces = intended.build("sw1", handmade())["interfaces"]
    assert (ifaces["Gi1/0/1"]["mode"], ifaces["Gi1/0/1"]["untagged_vlan"], ifaces["Gi1/0/1"]["tagged_vlans"]) == ("access", 10, [])
    assert (ifaces["Gi1/0/2"]["mode"], ifaces["Gi1/0/2"]["untagged_vlan"], ifaces["Gi1/0/2"]["tagged_vlans"]) == ("tagged", 99, [10, 20, 30])
    assert (ifaces["Gi1/0/3"]["mode"], ifaces["Gi1/0/3"]["untagged_vlan"], ifaces["Gi1/0/3"]["tagged_vlans"]) == ("tagged-all", 99, [])
    assert ifaces["Gi1/0/4"]["mode"] == "q-in-q"
    assert ifaces["Po1"]["mode"] == "tagged"  # a plain string value is read too
    assert ifaces["Gi1/0/5"]["mode"] is None and ifaces["Gi1/0/5"]["lag"] == "Po1"


def test_interface_fields():
    ifaces = intended.build("sw1", handmade())["interfaces"]
    assert ifaces["Gi1/0/1"] == {
        "name": "Gi1/0/1", "type": "1000base-t", "enabled": True, "description": "desk", "mtu": None,
        "mode": "access", "untagged_vlan": 10, "tagged_vlans": [], "lag": None, "vrf": None,
        "mgmt_only": False, "ipv4": [], "ipv6": [], "anycast": [], "tags": ["user-port"], "cable": None,
        "netbox": {"id": 1, "url": "http://nb.example/dcim/interfaces/1/", "last_updated": "2026-01-02T00:00:00Z"}}
    assert ifaces["Vlan10"]["mtu"] == 9000 and ifaces["Vlan10"]["vrf"] == "CUSTOMER-A"
    assert ifaces["mgmt0"]["mgmt_only"] is True and ifaces["mgmt0"]["enabled"] is False
    assert ifaces["mgmt0"]["description"] == ""


def test_cable_peers():
    ifaces = intended.build("sw1", handmade())["interfaces"]
    assert ifaces["Gi1/0/5"]["cable"] == {"id": 40, "url": "http://nb.example/dcim/cables/40/",
                                          "peer_device": "sw2", "peer_port": "Eth1/5", "peer_type": "dcim.interface"}
    # connected_endpoints is preferred when it is an interface (the far end of a patch panel)
    assert ifaces["Gi1/0/6"]["cable"]["peer_device"] == "sw3"
    assert ifaces["Gi1/0/6"]["cable"]["peer_port"] == "Eth1/1"
    assert ifaces["Gi1/0/6"]["cable"]["id"] == 41
    assert ifaces["Gi1/0/7"]["cable"] == {"id": 42, "url": "http://nb.example/dcim/cables/42/", "peer_device": None,
                                          "peer_port": "CID1: Termination A", "peer_type": "circuits.circuittermination"}


def test_addresses_and_interface_lists():
    model = intended.build("sw1", handmade())
    assert model["interfaces"]["Vlan10"]["ipv4"] == ["10.0.0.9/24"]
    assert model["interfaces"]["Vlan10"]["anycast"] == ["172.16.0.1/24"]  # role anycast: shared, not its own
    assert model["interfaces"]["Vlan10"]["ipv6"] == ["2001:db8::1/64"]
    assert model["interfaces"]["mgmt0"]["ipv4"] == ["10.250.0.10/16"]
    by_address = dict((a["address"], a) for a in model["ip_addresses"])
    assert by_address["172.16.0.1/24"] == {
        "address": "172.16.0.1/24", "interface": "Vlan10", "vrf": "CUSTOMER-A", "role": "anycast",
        "status": "active", "netbox": {"id": 1, "url": "http://nb.example/ipam/ip-addresses/1/",
                                       "last_updated": "2026-01-03T00:00:00Z"}}
    assert by_address["2001:db8::1/64"]["status"] == "reserved"
    assert [a["address"] for a in model["ip_addresses"]] == [  # global first, then by VRF
        "10.0.0.9/24", "2001:db8::1/64", "172.16.0.1/24", "10.250.0.10/16"]
    assert model["primary_ip4"] == "10.250.0.10/16" and model["primary_ip6"] == "2001:db8::a/64"


def test_device_block_facts_and_vlans():
    model = intended.build("sw1", handmade())
    assert model["platform"] == "cisco-ios"
    assert model["netbox"] == {"id": 1, "url": "http://nb.example/dcim/devices/1/",
                               "last_updated": "2026-01-04T00:00:00Z", "site": "site1", "role": None,
                               "status": "active", "tags": ["audit", "core"]}
    assert model["facts"] == {"serial": "FOC123", "model": "C9300-48P", "part_number": "C9300-48P-A",
                              "platform": "cisco-ios", "os_version": "17.9.4a"}
    assert list(model["vlans"]) == ["10", "20", "30", "99"]
    assert model["vlans"]["30"]["scope"] == "group" and model["vlans"]["10"]["scope"] == "site"
    assert model["vlans"]["10"]["netbox"]["url"] == "http://nb.example/ipam/vlans/10/"


def test_custom_field_missing_or_renamed():
    fetched = handmade()
    assert intended.build("sw1", fetched, options={"os_version_field": "sw"})["facts"]["os_version"] is None
    fetched["devices"]["sw1"]["custom_fields"] = {"sw": "4.31.2F"}
    assert intended.build("sw1", fetched, options={"os_version_field": "sw"})["facts"]["os_version"] == "4.31.2F"
    fetched["devices"]["sw1"]["custom_fields"] = None
    assert intended.build("sw1", fetched)["facts"]["os_version"] is None


def test_sparse_device_and_brief_nested_objects():
    fetched = handmade()
    device = fetched["devices"]["sw1"]
    for field in ("platform", "primary_ip4", "primary_ip6", "serial", "tags", "status"):
        device[field] = None
    device["site"] = {"id": 5, "name": "Site 1", "slug": "site1"}  # brief, no url
    fetched["device_types"] = {}
    model = intended.build("sw1", fetched, platform="cisco_ios")
    assert model["platform"] == "cisco_ios" and model["facts"]["platform"] is None
    assert model["facts"]["serial"] is None and model["facts"]["part_number"] is None
    assert model["facts"]["model"] == "C9300-48P"
    assert model["netbox"]["tags"] == [] and model["netbox"]["status"] is None


def test_vlan_shared_vid_prefers_the_one_in_use():
    fetched = handmade()
    other = vlan(11, 10, "USERS-OLD", group=ref("ipam/vlan-groups", 3, name="site1-vlans"))
    fetched["vlans"]["site1"].insert(0, other)
    assert intended.build("sw1", fetched)["vlans"]["10"]["name"] == "USERS"
    fetched["interfaces"]["sw1"][0]["untagged_vlan"] = other
    fetched["interfaces"]["sw1"][4]["tagged_vlans"] = []
    fetched["interfaces"]["sw1"][1]["tagged_vlans"] = []
    assert intended.build("sw1", fetched)["vlans"]["10"]["name"] == "USERS-OLD"


def test_json_round_trip_of_the_fetch_result():
    fetched = json.loads(json.dumps(handmade()))
    assert intended.build("sw1", fetched) == intended.build("sw1", handmade())


def test_a_device_missing_from_the_fetch_is_the_only_error():
    fetched = handmade()
    fetched["devices"].pop("sw1")
    with pytest.raises(IntendedError, match="sw1 is not in NetBox"):
        intended.build("sw1", fetched)


@pytest.mark.parametrize("change, kind, key, message", [
    (lambda f: f["interfaces"]["sw1"][0].update(mode={"value": "dot1q"}), "interface", "Gi1/0/1",
     "unknown 802.1Q mode 'dot1q'"),
    (lambda f: f["interfaces"]["sw1"][0].update(untagged_vlan={"id": 10, "name": "USERS"}), "interface", "Gi1/0/1",
     "has no VID"),
    (lambda f: f["interfaces"]["sw1"][0].update(mtu="jumbo"), "interface", "Gi1/0/1", "'jumbo' is not a number"),
    (lambda f: f["interfaces"]["sw1"][0].update(name=""), "interface", "", "an interface without a name"),
    (lambda f: f["interfaces"]["sw1"].append(iface(99, "Gi1/0/1")), "interface", "Gi1/0/1",
     "interface Gi1/0/1 is in NetBox twice"),
    (lambda f: f["ip_addresses"]["sw1"][0].update(address="not-an-ip"), "ip_address", "not-an-ip",
     "is not an IP address"),
    (lambda f: f["vlans"]["site1"].append({"id": 77, "name": "NOVID"}), "vlan", "NOVID", "has no VID"),
])
def test_data_that_does_not_fit_is_a_problem_of_its_object_not_of_the_device(change, kind, key, message):
    fetched = handmade()
    change(fetched)
    model = intended.build("sw1", fetched)
    assert [(p["kind"], p["key"]) for p in model["problems"]] == [(kind, key)]
    assert message in model["problems"][0]["reason"]
    assert "Gi1/0/2" in model["interfaces"] and model["ip_addresses"]  # the rest of the device is there


def test_the_same_address_twice_is_kept_twice():
    """NetBox holds an address once per VRF (and an anycast address on each device)."""
    fetched = handmade()
    fetched["ip_addresses"]["sw1"].append(address(9, "172.16.0.1/24", 10, "mgmt0"))
    model = intended.build("sw1", fetched)
    assert model["problems"] == []
    assert sorted((a["interface"], a["vrf"]) for a in model["ip_addresses"] if a["address"] == "172.16.0.1/24") == [
        ("Vlan10", "CUSTOMER-A"), ("mgmt0", None)]


def test_vlans_scoped_to_the_rack_or_location():
    fetched = handmade()
    local = dict(vlan(50, 50, "LOCAL", group=ref("ipam/vlan-groups", 8, name="room-1")), _scope="location")
    rack = dict(vlan(51, 60, "RACK", group=ref("ipam/vlan-groups", 9, name="r1")), _scope="rack")
    fetched["device_vlans"] = {"sw1": [local, rack]}
    fetched["vlans"]["site1"].append(vlan(52, 70, "UNUSED", site=SITE))
    vlans = intended.build("sw1", fetched)["vlans"]
    assert [(k, v["scope"], v["used"]) for k, v in vlans.items()] == [
        ("10", "site", True), ("20", "site", True), ("30", "group", True), ("50", "location", False),
        ("60", "rack", False), ("70", "site", False), ("99", "site", True)]


def test_a_vlan_known_only_through_an_interface():
    fetched = handmade()
    elsewhere = vlan(80, 800, "OTHER-SITE", site=ref("dcim/sites", 6, name="Site 2", slug="site2"))
    fetched["interfaces"]["sw1"][2]["tagged_vlans"] = [elsewhere]
    fetched["interfaces"]["sw1"][2]["mode"] = {"value": "tagged"}
    vlans = intended.build("sw1", fetched)["vlans"]
    assert (vlans["800"]["scope"], vlans["800"]["used"], vlans["800"]["name"]) == ("interface", True, "OTHER-SITE")


def test_build_does_not_change_its_input():
    fetched = handmade()
    before = copy.deepcopy(fetched)
    intended.build_all(fetched)
    assert fetched == before


def test_pure_python():
    with open(intended.__file__) as handle:
        imports = [line.split()[1] for line in handle if line.startswith(("import ", "from "))]
    assert not [name for name in imports if name.split(".")[0] in ("ansible", "ansible_collections", "pynetbox", "requests")]
