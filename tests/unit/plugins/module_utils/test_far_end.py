"""Cable records seen from the far end of the link: one-sided or confirmed, through the
same path as a run (compare, policy, report.assemble), then into the plan."""

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare, far_end, policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m

DEVICES = ("sw1", "sw2", "sw3")


def state(device, neighbors, verified=True):
    """A device model whose only verified section is its neighbours (or none)."""
    model = m.new_device(device, "arista_eos")
    for name in ("facts", "interfaces", "vlans"):
        m.fail_section(model, name, "not in this test")
    if verified:
        model["sections"]["neighbors"]["status"] = m.OK
        model["neighbors"] = [{"local_port": local, "remote_system": system, "remote_port": port,
                               "mgmt_address": None, "protocol": "lldp"} for local, system, port in neighbors]
    else:
        m.fail_section(model, "neighbors", "timed out")
    return model


def intended(device, cables):
    """NetBox's view: ``{local port: (peer device, peer port)}``."""
    interfaces = {}
    for index, (local, peer) in enumerate(sorted(cables.items())):
        interfaces[local] = {"name": local, "enabled": True, "tags": [],
                             "netbox": {"id": index + 1, "url": "https://nb/dcim/interfaces/%d/" % (index + 1)},
                             "cable": {"id": 100 + index, "url": "https://nb/dcim/cables/%d/" % (100 + index),
                                       "peer_device": peer[0], "peer_port": peer[1], "peer_type": "dcim.interface"}}
    return {"device": device, "netbox": {"id": 1, "url": "https://nb/dcim/devices/1/"}, "interfaces": interfaces,
            "ip_addresses": {}, "vlans": {}, "facts": {}}


def run(netbox, seen, unverified=(), severity=None):
    """The report of one run: ``netbox`` and ``seen`` map a device to its cables and neighbours."""
    options = {"kinds": ["cable"], "known_devices": list(DEVICES), "device_platforms": {}}
    rules = policy.load({"severity": severity or {}})
    results = []
    for device in DEVICES:
        model = state(device, seen.get(device, []), verified=device not in unverified)
        compared = compare.compare(intended(device, netbox.get(device, {})), model, options)
        records = policy.finish(compared["drift"], device, rules)[0]
        for rec in records:
            rec["evidence"] = {"netbox_object": rec.pop("netbox_object")}
        results.append(report.device_result(device, "arista_eos", compared, records,
                                            neighbors=far_end.table(model)))
    return report.assemble(results, {"id": "r1", "fail_on": "never"}, rules["severity"])


def one(doc, device):
    found = [r for r in doc["drift"] if r["device"] == device]
    assert len(found) == 1, found
    return found[0]


CABLE = {"sw1": {"Ethernet1": ("sw2", "Ethernet9")}, "sw2": {"Ethernet9": ("sw1", "Ethernet1")}}


def test_both_ends_agree_with_netbox_no_drift():
    doc = run(CABLE, {"sw1": [("Ethernet1", "sw2", "Ethernet9")], "sw2": [("Ethernet9", "sw1.example.net", "Et1")]})
    assert doc["drift"] == []
    assert "neighbors" not in doc["devices"][0]


def test_lldp_off_on_one_end_is_one_sided_and_low():
    doc = run(CABLE, {"sw2": [("Ethernet9", "SW1.example.net", "Eth1"), ("Ethernet9", "SW1.example.net", "Eth1")]})
    rec = one(doc, "sw1")
    assert (rec["class"], rec["one_sided"], rec["severity"]) == ("missing_on_device", True, "low")
    assert "sw2 Ethernet9, the cable's far end in NetBox, sees this port" in rec["message"]
    assert "LLDP/CDP is off or filtered on this end" in rec["message"]
    end = rec["evidence"]["far_end"]["netbox_peer"]
    assert end["sees_this_port"] is True and end["sees"] == [{"device": "SW1.example.net", "port": "Eth1"}]
    assert doc["summary"]["by_severity"]["low"] == 1


def test_link_gone_from_both_ends_keeps_its_severity():
    doc = run(CABLE, {})
    for device in ("sw1", "sw2"):
        rec = one(doc, device)
        assert (rec["class"], rec["one_sided"], rec["severity"]) == ("missing_on_device", False, "medium")
        assert rec["evidence"]["far_end"]["netbox_peer"]["sees"] == []


def test_far_end_not_verified_is_unknown_not_one_sided():
    doc = run(CABLE, {}, unverified=("sw2",))
    rec = one(doc, "sw1")
    assert rec["one_sided"] is None and rec["severity"] == "medium"
    assert rec["evidence"]["far_end"]["netbox_peer"]["sees"] is None


def test_recabled_link_seen_from_both_new_ends_is_not_one_sided():
    """sw1 Ethernet1 moved from sw2 Ethernet9 to sw3 Ethernet5; sw3 sees it back, sw2 sees nothing."""
    doc = run(CABLE, {"sw1": [("Ethernet1", "sw3", "Ethernet5")], "sw3": [("Ethernet5", "sw1", "Ethernet1")]})
    rec = one(doc, "sw1")
    assert (rec["class"], rec["one_sided"], rec["severity"]) == ("mismatch", False, "high")
    assert rec["evidence"]["far_end"]["seen_peer"]["sees_this_port"] is True
    assert rec["evidence"]["far_end"]["netbox_peer"]["sees_this_port"] is False
    assert one(doc, "sw3")["class"] == "missing_in_netbox" and one(doc, "sw3")["one_sided"] is False


def test_a_claim_the_far_ends_contradict_is_one_sided():
    """sw1 says sw3, but NetBox's far end sw2 still sees sw1 Ethernet1 and sw3 sees someone else."""
    doc = run(CABLE, {"sw1": [("Ethernet1", "sw3", "Ethernet5")], "sw2": [("Ethernet9", "sw1", "Ethernet1")],
                      "sw3": [("Ethernet5", "other", "eth0")]}, severity={"cable.one_sided": "medium"})
    rec = one(doc, "sw1")
    assert (rec["class"], rec["one_sided"], rec["severity"]) == ("mismatch", True, "medium")
    assert "sw2 Ethernet9, the cable's far end in NetBox, sees this port" in rec["message"]
    assert len(doc["drift"]) == 1  # sw2 agrees with NetBox; sw3's neighbour "other" is no device of the run


def test_neighbour_that_does_not_see_back_is_one_sided():
    doc = run({}, {"sw1": [("Ethernet1", "sw3", "Ethernet5")], "sw3": [("Ethernet5", "sw2", "Ethernet2")]})
    rec = [r for r in doc["drift"] if r["device"] == "sw1"][0]
    assert (rec["class"], rec["one_sided"]) == ("missing_in_netbox", True)
    assert "the neighbour sw3 Ethernet5 does not see this port" in rec["message"]


def test_plan_refuses_a_one_sided_cable_change():
    doc = run({}, {"sw1": [("Ethernet1", "sw3", "Ethernet5")], "sw3": [("Ethernet5", "sw2", "Ethernet2")]},
              severity=None)
    for rec in doc["drift"]:
        rec["authority"] = "device"
    built = plan.build(doc, {"sites": dict((d, "dc1") for d in DEVICES)})
    refused = dict((e["device"], e["reason"]) for e in built["unplannable"])
    assert "seen from one end only" in refused["sw1"]
    assert all(c["device"] != "sw1" for c in built["changes"])


def test_table_is_none_unless_the_neighbours_were_verified():
    assert far_end.table(state("sw1", [], verified=False)) is None
    assert far_end.table(state("sw1", [("Ethernet1", "sw2", "Ethernet9")])) == [["Ethernet1", "sw2", "Ethernet9"]]


@pytest.mark.parametrize("peer", [None, {}, {"device": "sw2"}, "sw2:Ethernet9"])
def test_far_end_of_an_unknown_peer_is_none(peer):
    assert far_end.far_end({}, peer, "sw1", "Ethernet1") is None


def test_shared_segment_several_neighbours_on_one_port():
    """A hub or an unmanaged switch: sw1 Ethernet1 sees a nameless host and sw2 on one port.
    The cable check finds its far end among them, and the far end of sw2 sees sw1 back."""
    seen = {"sw1": [("Ethernet1", None, "0242.ac64.6409"), ("Ethernet1", "sw2", "Ethernet9")],
            "sw2": [("Ethernet9", "sw1", "Ethernet1"), ("Ethernet9", "client1", "eth0")]}
    assert run(CABLE, seen)["drift"] == []
    index = far_end.index([{"device": d, "neighbors": [list(n) for n in rows]} for d, rows in seen.items()])
    assert index["sw1"]["ethernet1"] == [
        {"device": None, "port": "0242.ac64.6409"}, {"device": "sw2", "port": "Ethernet9"}]
    end = far_end.far_end(index, {"device": "sw2", "port": "Ethernet9"}, "sw1", "Ethernet1")
    assert end["sees_this_port"] is True and len(end["sees"]) == 2
