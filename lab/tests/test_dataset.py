"""The lab dataset: shape, stability across sizes, and internal consistency."""

import ipaddress
from collections import Counter

import pytest

from lab import dataset


@pytest.fixture(scope="module")
def small():
    return dataset.generate(12)


def test_small_lab_shape(small):
    assert len(small["sites"]) == 2
    assert Counter(d["platform"] for d in small["devices"]) == {p: 3 for p in dataset.PLATFORMS}
    assert all(len(d["interfaces"]) == 48 for d in small["devices"])
    assert len(small["cables"]) == 6 * 5


def test_device_i_does_not_depend_on_size(small):
    assert dataset.generate(1000)["devices"][:12] == small["devices"]


def test_interfaces_cover_every_kind(small):
    ifaces = small["devices"][0]["interfaces"]
    modes = Counter(i["mode"] for i in ifaces)
    assert modes["access"] == 36 and modes["tagged"] == 3 and modes["tagged-all"] == 1
    assert sum(1 for i in ifaces if not i["enabled"]) == 5
    assert {i["lag"] for i in ifaces if i["lag"]} == {"Port-channel1"}
    assert {i["vrf"] for i in ifaces if i["vrf"]} == {"Mgmt-vrf", "CUSTOMER-A"}
    assert any(i["ipv6"] for i in ifaces) and any(i["mtu"] for i in ifaces)


def test_addresses_are_unique_and_valid():
    seen = Counter()
    for device in dataset.generate(1000)["devices"]:
        for iface in device["interfaces"]:
            for cidr in iface["ipv4"] + iface["ipv6"]:
                ipaddress.ip_interface(cidr)
                seen[(iface["vrf"], cidr)] += 1
    assert max(seen.values()) == 1


def test_vlans_resolve_within_each_site(small):
    for device in small["devices"]:
        group = f"{device['site']}-vlans"
        site_vids = {v["vid"] for v in small["vlans"]
                     if v["site"] == device["site"] or v["group"] == group}
        used = {i["untagged_vlan"] for i in device["interfaces"] if i["untagged_vlan"]}
        used |= {vid for i in device["interfaces"] for vid in i["tagged_vlans"]}
        assert used <= site_vids, device["name"]
    assert {bool(v["site"]) for v in small["vlans"]} == {True, False}  # both scopes


def test_cables_join_existing_interfaces_once(small):
    names = {(d["name"], i["name"]) for d in small["devices"] for i in d["interfaces"]}
    ends = [(c[f"{s}_device"], c[f"{s}_interface"]) for c in small["cables"] for s in "ab"]
    assert set(ends) <= names
    assert len(ends) == len(set(ends))


def test_primary_ip_is_on_the_management_interface(small):
    for device in small["devices"]:
        mgmt = [i for i in device["interfaces"] if i["mgmt_only"]]
        assert mgmt[0]["ipv4"] == [device["primary_ip4"]]
