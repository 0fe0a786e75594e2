"""A run in slices: each slice keeps its hosts' results, the merge makes the run's report.

The per-device results come from the real comparison path (compare, policy, far_end.table),
as in test_far_end; every way of cutting the run into slices must give the report of the
run unsliced, cables whose two ends fell into different slices included."""

import itertools
import json

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare, far_end, policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_slices as rs

DEVICES = ("sw1", "sw2", "sw3", "sw4")
# NetBox: sw1 Et1 - sw2 Et9, sw3 Et3 - sw4 Et4, sw1 Et2 - sw3 Et7, and sw2 Et10 to server1,
# a device NetBox has and the run does not check
NETBOX = {"sw1": {"Ethernet1": ("sw2", "Ethernet9"), "Ethernet2": ("sw3", "Ethernet7")},
          "sw2": {"Ethernet9": ("sw1", "Ethernet1"), "Ethernet10": ("server1", "eth0")},
          "sw3": {"Ethernet3": ("sw4", "Ethernet4"), "Ethernet7": ("sw1", "Ethernet2")},
          "sw4": {"Ethernet4": ("sw3", "Ethernet3")}}
# what the devices see: sw1 has LLDP off (one-sided records on sw1, corroborated by sw2 and
# sw3), sw4 sees sw2 instead of sw3 on Et4 (a mismatch that sw2 contradicts), sw3 sees sw2
# where NetBox has no cable (named the run's way: SW2.example.net Et5 is sw2 Ethernet5),
# sw4 sees a system outside the run where NetBox has no cable
SEEN = {"sw2": [("Ethernet9", "sw1.example.net", "Et1")],
        "sw3": [("Ethernet7", "SW1", "Ethernet2"), ("Ethernet3", "sw4", "Ethernet4"),
                ("Ethernet6", "SW2.example.net", "Et5")],
        "sw4": [("Ethernet4", "sw2", "Ethernet5"), ("Ethernet8", "outsider.example.net", "ge-0/0/1")]}
RUN = {"id": "r1", "started": "2026-12-06T10:00:00.000000Z", "netbox_url": "https://nb", "fail_on": "never",
       "threshold": 0, "settings": {"os_version_field": "software_version"}}
PEERS = dict((device, "arista_eos") for device in DEVICES)


def state(device, neighbors):
    model = m.new_device(device, "arista_eos")
    for name in ("facts", "interfaces", "vlans"):
        m.fail_section(model, name, "not in this test")
    model["sections"]["neighbors"]["status"] = m.OK
    model["neighbors"] = [{"local_port": local, "remote_system": system, "remote_port": port,
                           "mgmt_address": None, "protocol": "lldp"} for local, system, port in neighbors]
    return model


def intended(device, cables):
    interfaces = {}
    for index, (local, peer) in enumerate(sorted(cables.items())):
        interfaces[local] = {"name": local, "enabled": True, "tags": [],
                             "netbox": {"id": index + 1, "url": "https://nb/dcim/interfaces/%d/" % (index + 1)},
                             "cable": {"id": 100 + index, "url": "https://nb/dcim/cables/%d/" % (100 + index),
                                       "peer_device": peer[0], "peer_port": peer[1], "peer_type": "dcim.interface"}}
    return {"device": device, "netbox": {"id": 1, "url": "https://nb/dcim/devices/1/"}, "interfaces": interfaces,
            "ip_addresses": {}, "vlans": {}, "facts": {}}


def results(devices=DEVICES, slice_of_run=False, unknown=False, policy_rules=None):
    """The results of ``devices`` as drift_compare gives them (records before the far-end
    check): a slice knows only its own devices and defers the rest to the merge."""
    peers = dict((d, PEERS[d]) for d in devices)
    options = {"kinds": ["cable"], "known_devices": sorted(peers), "report_unknown_neighbors": unknown,
               "device_platforms": dict((k.lower(), v) for k, v in peers.items()), "defer_peers": slice_of_run}
    rules = policy.load(policy_rules or {})
    found = []
    for device in devices:
        model = state(device, SEEN.get(device, []))
        compared = compare.compare(intended(device, NETBOX.get(device, {})), model, options)
        records, ignored = policy.finish(compared["drift"], device, rules)
        extra = {"ignored": ignored, "neighbors": far_end.table(model)}
        if slice_of_run:
            extra["ignored_pending"] = rs.ignored_pending(device, compared["drift"], records)
        for rec in records:
            rec["evidence"] = {"netbox_object": rec.pop("netbox_object")}
        found.append(report.device_result(device, "arista_eos", compared, records, **extra))
    return json.loads(json.dumps(found))  # as a slice file holds them


def slices_of(assignment, run=None, **options):
    """Slice documents for ``assignment`` (one slice number per device, in DEVICES order),
    each compared as a slice: knowing its own devices only."""
    docs = []
    for number in sorted(set(assignment)):
        mine = [d for d, n in zip(DEVICES, assignment) if n == number]
        doc = rs.slice_doc(str(number), dict(run or RUN), results(mine, True, **options), {}, ["html"],
                           dict((d, PEERS[d]) for d in mine))
        docs.append(("slices/%d.json" % number, doc))
    return docs


def comparable(doc):
    return json.dumps(dict(doc, run=None), sort_keys=True)


@pytest.mark.parametrize("options", [
    {}, {"unknown": True},
    {"policy_rules": {"ignore": [{"device": "sw2", "kind": "cable", "key": "^Ethernet10$"},
                                 {"device": "sw3", "key": "^Ethernet6$"}],
                      "waivers": [{"device": "sw4", "key": "^Ethernet4$", "reason": "CHG-1", "expires": "2999-01-01"}],
                      "severity": {"cable.peer.missing_in_netbox": "high"}}},
])
def test_every_way_of_slicing_gives_the_report_of_the_run_unsliced(options):
    whole = report.assemble(results(**options), dict(RUN), "low")
    for assignment in itertools.product(range(4), repeat=len(DEVICES)):
        merged = rs.merge(slices_of(assignment, **options), "r1", hosts=DEVICES)
        assert merged["problems"] == [] and merged["missing"] == []
        doc = report.assemble(merged["results"], merged["run"], "low")
        assert comparable(doc) == comparable(whole), assignment
        assert [s["slice"] for s in doc["run"]["slices"]] == sorted(set(str(n) for n in assignment))


def test_what_the_run_holds_unsliced():
    whole = report.assemble(results(), dict(RUN), "low")
    found = dict(((r["device"], r["key"]), r) for r in whole["drift"])
    assert sorted(found) == [("sw1", "Ethernet1"), ("sw1", "Ethernet2"), ("sw3", "Ethernet6"), ("sw4", "Ethernet4")]
    assert [found[("sw1", k)]["one_sided"] for k in ("Ethernet1", "Ethernet2")] == [True, True]
    assert found[("sw3", "Ethernet6")]["device_value"] == {"device": "sw2", "port": "Ethernet5"}
    assert found[("sw4", "Ethernet4")]["one_sided"] is True
    unknown = dict(((r["device"], r["key"]), r) for r in report.assemble(results(unknown=True), dict(RUN))["drift"])
    assert unknown[("sw4", "Ethernet8")]["device_value"] == {"device": "outsider.example.net", "port": "ge-0/0/1"}
    ignored = report.assemble(results(policy_rules={"ignore": [{"device": "sw2", "key": "^Ethernet10$"}]}), RUN)
    assert sum(d["ignored"] for d in ignored["devices"]) == 0  # the cable to server1 is no record at all


def test_a_slice_alone_cannot_judge_a_cable_whose_far_end_is_in_another_slice():
    alone = report.assemble(results(("sw1",), True), dict(RUN), "low")  # sw1 without sw2 and sw3
    assert [(r["one_sided"], "peer_check" in r) for r in alone["drift"]] == [(None, True), (None, True)]
    sw2 = results(("sw2",), True)[0]  # is server1 a device of the run? not sw2's to say
    assert [(r["key"], r["peer_check"]) for r in sw2["records"]] == [
        ("Ethernet10", {"system": "server1", "required": True})]
    assert (sw2["status"], sw2["drift"]) == ("drift", 1)
    merged = rs.merge(slices_of((0, 1, 1, 1)), "r1")
    doc = report.assemble(merged["results"], merged["run"], "low")
    assert [r["one_sided"] for r in doc["drift"] if r["device"] == "sw1"] == [True, True]
    assert not [r for r in doc["drift"] if "peer_check" in r or r["key"] == "Ethernet10"]
    assert [(d["status"], d["drift"]) for d in doc["devices"]] == [("drift", 2), ("partial", 0), ("drift", 1),
                                                                   ("drift", 1)]


def test_slice_files_keep_the_neighbours_and_records_before_the_far_end_check():
    doc = rs.slice_doc("job-17", RUN, results()[:2], {"cable.one_sided": "medium"}, ["html", "junit"],
                       {"sw1": "arista_eos"})
    assert doc["hosts"] == ["sw1", "sw2"] and doc["results"][1]["neighbors"] == [["Ethernet9", "sw1.example.net", "Et1"]]
    assert all("one_sided" not in rec for r in doc["results"] for rec in r["records"])
    assert (doc["schema"], doc["version"], doc["severity"], doc["peers"]) == (
        rs.SCHEMA, 1, {"cable.one_sided": "medium"}, {"sw1": "arista_eos"})


def test_the_merged_run_starts_with_its_first_slice_and_keeps_the_settings():
    all_results = results(slice_of_run=True)
    early = dict(RUN, started="2026-12-06T09:59:00.000000Z", ended="2026-12-06T10:01:00.000000Z")
    docs = [("a", rs.slice_doc("a", RUN, all_results[:2])), ("b", rs.slice_doc("b", early, all_results[2:]))]
    run = rs.merge(docs, "r1")["run"]
    assert run["started"] == "2026-12-06T09:59:00.000000Z"
    assert (run["netbox_url"], run["fail_on"], run["threshold"], run["settings"]) == (
        "https://nb", "never", 0, {"os_version_field": "software_version"})
    assert run["slices"] == [{"slice": "a", "hosts": 2, "started": RUN["started"], "ended": None},
                             {"slice": "b", "hosts": 2, "started": early["started"], "ended": early["ended"]}]


def test_a_host_whose_slice_did_not_report_is_unverified_and_the_run_incomplete():
    merged = rs.merge(slices_of((0, 0, 1, 1))[:1], "r1", hosts=list(DEVICES), slices=2)
    assert merged["missing"] == ["sw3", "sw4"]
    assert merged["problems"] == ["2 host(s) in no slice of run r1: sw3, sw4", "run r1 has 1 slice(s) (0), 2 expected"]
    doc = report.assemble(merged["results"], merged["run"], "low")
    assert doc["summary"]["by_status"]["unverified"] == 2
    reasons = dict((u["device"], u["reason"]) for u in doc["unverified"] if u["section"] == "all")
    assert sorted(reasons) == ["sw3", "sw4"] and "in no slice of run r1 (slices found: 0)" in reasons["sw3"]
    assert report.fail_reasons(doc, "any")[-1] == "4 device(s) not verified: sw1, sw2, sw3, sw4"


@pytest.mark.parametrize("change, message", [
    (lambda docs: docs[1][1]["results"].append(dict(docs[0][1]["results"][0])),
     "host sw1 is in slices 0 and 1 of run r1"),
    (lambda docs: docs[1][1]["run"].update(fail_on="any"), "slices 0 and 1 of run r1 were run with different fail_on"),
    (lambda docs: docs[1][1]["run"].update(netbox_url="https://other"), "different netbox_url"),
    (lambda docs: docs[1][1].update(severity={"cable.one_sided": "high"}), "different severity"),
    (lambda docs: docs[1][1].update(formats=[]), "different formats"),
    (lambda docs: docs[1][1]["run"].update(id="r2"), "slices/1.json belongs to run 'r2', not 'r1'"),
    (lambda docs: docs[1][1].update(schema="something/else"), "slices/1.json is not a slice of a drift check run"),
    (lambda docs: docs[1][1].update(version=2), "has slice format version 2"),
    (lambda docs: docs[1][1].update(results=[{"device": "x"}]), "holds no per-device results"),
    (lambda docs: docs[1][1].update(slice="0"), "slice 0 of run r1 is there twice"),
    (lambda docs: docs[1][1].update(slice="../x"), "slice name '../x'"),
    (lambda docs: docs.clear(), "run r1 has no slices to merge"),
])
def test_slices_that_cannot_make_one_report_are_refused(change, message):
    docs = slices_of((0, 0, 1, 1))
    change(docs)
    with pytest.raises(rs.SliceError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        rs.merge(docs, "r1")


def test_slice_and_run_names_are_file_names():
    assert rs.check_name("job-1234") == "job-1234"
    for bad in ("", ".", "..", "a/b", "-x", "x" * 65, "a b"):
        with pytest.raises(rs.SliceError):
            rs.check_name(bad)
