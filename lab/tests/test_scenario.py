"""Scenarios: applied to the right side, with an exact ground truth."""

import pytest

from lab import dataset, scenario


@pytest.fixture(scope="module")
def applied():
    return scenario.apply(dataset.generate(12), scenario.load("default"))


def _iface(view, device, name):
    dev = next(d for d in view["devices"] if d["name"] == device)
    return next((i for i in dev["interfaces"] if i["name"] == name), None)


def test_default_scenario_covers_every_required_drift(applied):
    _, _, expected = applied
    changes = {r["scenario_change"] for r in expected}
    assert changes == {
        "access-vlan-changed", "trunk-vlan-added", "interface-shut-down", "description-changed",
        "mtu-changed", "ip-moved", "interface-only-on-device", "interface-missing-from-device",
        "lag-member-removed", "wrong-serial", "os-version-differs", "lldp-contradicts-cable",
        "lldp-off-on-one-end",
    }
    assert {r["kind"] for r in expected} == {"interface", "ip_address", "device", "cable"}
    assert {r["class"] for r in expected} == {"mismatch", "missing_in_netbox", "missing_on_device"}


def test_a_hidden_neighbour_has_no_device_value(applied):
    _, dev_view, expected = applied
    rec = next(r for r in expected if r["scenario_change"] == "lldp-off-on-one-end")
    assert rec["netbox_value"] == {"device": "dc2-junos-02", "port": "xe-0/2/1"}
    assert rec["device_value"] is None and rec["one_sided"] is True
    device = next(d for d in dev_view["devices"] if d["name"] == "dc2-eos-01")
    assert device["lldp_override"] == {"Ethernet42": None}


def test_device_side_change_leaves_netbox_alone(applied):
    nb_view, dev_view, _ = applied
    assert _iface(dev_view, "dc1-eos-03", "Ethernet5")["enabled"] is False
    assert _iface(nb_view, "dc1-eos-03", "Ethernet5")["enabled"] is True
    assert _iface(dev_view, "dc2-nxos-04", "Ethernet1/30") is None
    assert _iface(nb_view, "dc2-nxos-04", "Ethernet1/30") is not None


def test_netbox_side_change_leaves_device_alone(applied):
    nb_view, dev_view, _ = applied
    assert "10.0.0.5/32" in _iface(nb_view, "dc1-ios-05", "Vlan10")["ipv4"]
    assert "10.0.0.5/32" in _iface(dev_view, "dc1-ios-05", "Loopback0")["ipv4"]


def test_records_carry_both_values(applied):
    records = {r["scenario_change"]: r for r in applied[2]}
    assert (records["mtu-changed"]["netbox_value"], records["mtu-changed"]["device_value"]) == (9100, 9000)
    cable = records["lldp-contradicts-cable"]
    assert cable["netbox_value"] == {"device": "dc1-junos-04", "port": "xe-0/2/2"}
    assert cable["device_value"]["device"] == "dc2-ios-03"


def test_no_scenario_means_identical_views():
    data = dataset.generate(12)
    nb_view, dev_view, expected = scenario.apply(data, None)
    assert nb_view == dev_view == data and expected == []


def test_smaller_lab_drops_changes_it_cannot_hold():
    _, _, expected = scenario.apply(dataset.generate(4), scenario.load("default"))
    assert {r["device"] for r in expected} <= {dataset.device_name(i) for i in range(4)}
    assert len(expected) == 5


@pytest.mark.parametrize("change, message", [
    ({"id": "x", "side": "device", "device": "dc1-ios-01", "set": {"interface": "Gi9", "values": {}},
      "expect": []}, "has no interface"),
    ({"id": "x", "side": "both", "device": "dc1-ios-01", "expect": []}, "side must be"),
    ({"id": "x", "side": "device", "device": "dc1-ios-01", "expect": []}, "needs exactly one"),
])
def test_bad_changes_are_named(change, message):
    with pytest.raises(scenario.ScenarioError, match=message):
        scenario.apply(dataset.generate(2), {"changes": [change]})


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(scenario.ScenarioError, match="known: default"):
        scenario.load("nope")
