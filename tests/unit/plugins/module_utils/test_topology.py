"""The report's topology part: NetBox's cables and the links the devices see, one structure."""

import copy
import json

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report, topology


def rec(ident, device, kind, key, cls, netbox=None, seen=None, one_sided=None, counted=True, field="peer"):
    return {"id": ident, "device": device, "kind": kind, "key": key, "field": field if kind == "cable" else None,
            "class": cls, "severity": "low", "netbox_value": netbox, "device_value": seen, "one_sided": one_sided,
            "counted": counted, "evidence": {"netbox_object": {"type": "dcim.cable", "id": 77}} if netbox else {}}


def result(device, site, role, status="clean", cables=None, neighbors=None, records=None, notes=None):
    records = records or []
    return {"device": device, "platform": "cisco_ios", "site": site, "role": role, "status": status,
            "drift": sum(1 for r in records if r["counted"]), "waived": 0, "unverified": [], "records": records,
            "cables": cables, "neighbors": neighbors, "notes": notes or {}}


def port(device, name):
    return {"device": device, "port": name}


def run():
    """sw-a: a core switch cabled to sw-b twice and to sw-c; sw-c is not verified, sw-d is
    seen where NetBox says sw-c, a box absent from NetBox is seen on Gi1/0/5, and a cable
    goes to sw-x, which is not in the run."""
    a_records = [
        rec("r-mod", "sw-a", "cable", "GigabitEthernet1/0/2", "missing_on_device", netbox=port("sw-b", "Gi1/0/2"),
            one_sided=True),
        rec("r-mis", "sw-a", "cable", "GigabitEthernet1/0/3", "mismatch", netbox=port("sw-c", "Gi1/0/3"),
            seen=port("sw-d", "Gi1/0/7"), one_sided=False),
        rec("r-new", "sw-a", "cable", "GigabitEthernet1/0/5", "missing_in_netbox", seen=port("newbox", "eth0")),
        rec("r-dev", "sw-a", "device", "newbox", "missing_in_netbox"),
        rec("r-vlan", "sw-a", "vlan", "30", "missing_in_netbox"),
    ]
    return [
        result("sw-a", "s1", "core", "drift", records=a_records, notes={"shared_segments": ["Management0"]}, cables=[
            ["GigabitEthernet1/0/1", "sw-b", "GigabitEthernet1/0/1", 1],
            ["GigabitEthernet1/0/2", "sw-b", "GigabitEthernet1/0/2", 2],
            ["GigabitEthernet1/0/3", "SW-C", "GigabitEthernet1/0/3", 3],
            ["GigabitEthernet1/0/9", "sw-x", "Ethernet1", 9]],
            neighbors=[["Gi1/0/1", "sw-b.example.net", "Gi1/0/1"], ["Gi1/0/3", "sw-d", "Gi1/0/7"],
                       ["Gi1/0/5", "newbox", "eth0"], ["Management0", "oob-1", "Gi0/1"],
                       ["Management0", "oob-2", "Gi0/1"]]),
        result("sw-b", "s1", "access", cables=[["GigabitEthernet1/0/1", "sw-a", "GigabitEthernet1/0/1", 1],
                                               ["GigabitEthernet1/0/2", "sw-a", "GigabitEthernet1/0/2", 2]],
               neighbors=[["Gi1/0/1", "SW-A", "Gi1/0/1"], ["Gi1/0/2", "sw-a", "GigabitEthernet1/0/2"]]),
        result("sw-c", "s2", "access", "unverified", cables=[["GigabitEthernet1/0/3", "sw-a", "GigabitEthernet1/0/3", 3]]),
        result("sw-d", "s2", "access", neighbors=[["GigabitEthernet1/0/7", "sw-a", "Gi1/0/3"]], cables=[]),
    ]


def links_by_ends(topo):
    return dict((frozenset(("%s %s" % (lk["a"]["device"], lk["a"]["port"]), "%s %s" % (lk["b"]["device"], lk["b"]["port"]))),
                 lk) for lk in topo["links"])


def link(topo, one, other):
    return links_by_ends(topo)[frozenset((one, other))]


def test_nodes_of_the_run_discovered_and_outside():
    topo = topology.build(run())
    nodes = dict((n["device"], n) for n in topo["nodes"])
    assert [(n["id"], n["device"], n["kind"]) for n in topo["nodes"]] == [
        ("n1", "sw-a", "device"), ("n2", "sw-b", "device"), ("n3", "sw-c", "device"), ("n4", "sw-d", "device"),
        ("n5", "newbox", "discovered"), ("n6", "sw-x", "outside")]
    assert nodes["sw-a"]["records"] == ["r-mod", "r-mis", "r-new", "r-dev", "r-vlan"] and nodes["sw-a"]["drift"] == 5
    assert (nodes["sw-a"]["site"], nodes["sw-a"]["role"], nodes["sw-c"]["status"]) == ("s1", "core", "unverified")
    assert nodes["newbox"]["records"] == ["r-dev"] and nodes["newbox"]["site"] == "s1"  # drawn by its reporter
    assert nodes["newbox"]["status"] == "discovered" and nodes["sw-x"]["status"] == "outside"
    assert nodes["sw-x"]["site"] is None and nodes["sw-x"]["records"] == []
    assert topo["sites"] == ["s1", "s2"] and topo["summary"]["by_kind"] == {"device": 4, "discovered": 1, "outside": 1}


def test_each_link_has_its_class_cable_ends_and_records():
    topo = topology.build(run())
    confirmed = link(topo, "sw-a GigabitEthernet1/0/1", "sw-b GigabitEthernet1/0/1")
    assert (confirmed["class"], confirmed["cable"], confirmed["seen_from"], confirmed["records"]) == (
        "confirmed", 1, ["sw-a", "sw-b"], [])
    one_sided = link(topo, "sw-a GigabitEthernet1/0/2", "sw-b GigabitEthernet1/0/2")
    assert (one_sided["class"], one_sided["seen_from"], one_sided["records"]) == ("one_sided", ["sw-b"], ["r-mod"])
    cabled = link(topo, "sw-a GigabitEthernet1/0/3", "sw-c GigabitEthernet1/0/3")  # NetBox wrote SW-C
    seen = link(topo, "sw-a GigabitEthernet1/0/3", "sw-d Gi1/0/7")
    assert (cabled["class"], cabled["cable"], cabled["records"]) == ("wrong_peer", 3, ["r-mis"])
    assert (seen["class"], seen["cable"], seen["seen_from"], seen["records"]) == ("wrong_peer", None, ["sw-a", "sw-d"],
                                                                                  ["r-mis"])
    new = link(topo, "sw-a GigabitEthernet1/0/5", "newbox eth0")
    assert (new["class"], new["seen_from"], new["records"]) == ("missing_in_netbox", ["sw-a"], ["r-new"])
    outside = link(topo, "sw-a GigabitEthernet1/0/9", "sw-x Ethernet1")
    assert (outside["class"], outside["cable"], outside["seen_from"]) == ("unverified", 9, [])
    assert len(topo["links"]) == 6  # the shared management segment makes no link
    assert [lk["id"] for lk in topo["links"]] == ["l%d" % i for i in range(1, 7)]
    assert topo["summary"]["by_class"] == {"confirmed": 1, "wrong_peer": 2, "one_sided": 1, "missing_on_device": 0,
                                           "missing_in_netbox": 1, "unverified": 1}


def test_a_cable_nobody_sees_without_record_is_unverified_not_confirmed():
    results = run()
    results[1]["neighbors"] = None  # sw-b's neighbours not verified
    results[0]["neighbors"] = [n for n in results[0]["neighbors"] if n[0] != "Gi1/0/1"]
    topo = topology.build(results)
    assert link(topo, "sw-a GigabitEthernet1/0/1", "sw-b GigabitEthernet1/0/1")["class"] == "unverified"


def test_waived_records_make_a_waived_link():
    results = run()
    results[0]["records"][0]["counted"] = False
    topo = topology.build(results)
    assert link(topo, "sw-a GigabitEthernet1/0/2", "sw-b GigabitEthernet1/0/2")["waived"] is True
    assert link(topo, "sw-a GigabitEthernet1/0/3", "sw-c GigabitEthernet1/0/3")["waived"] is False


def test_roles_in_layers_top_first():
    topo = topology.build(run())
    assert topo["roles"] == ["core", "access"]
    assert topology.build(run(), ["access"])["roles"] == ["access", "core"]
    results = run()
    for res in results:
        res["role"] = {"sw-a": "hub", "sw-b": "edge-x", "sw-c": "edge-x", "sw-d": "edge-x"}[res["device"]]
    assert topology.build(results, [])["roles"] == ["hub", "edge-x"]  # the hub has the most links per device


def test_cables_of_the_intended_model():
    intended = {"interfaces": {
        "Gi1/0/1": {"cable": {"id": 5, "peer_device": "sw-b", "peer_port": "Gi1/0/9", "peer_type": "dcim.interface"}},
        "Gi1/0/2": {"cable": {"id": 6, "peer_device": None, "peer_port": None,
                              "peer_type": "circuits.circuittermination"}},
        "Gi1/0/3": {"cable": {"id": 7, "peer_device": "pp-1", "peer_port": "front1", "peer_type": "dcim.frontport"}},
        "Gi1/0/4": {"cable": None}}}
    assert topology.cables_of(intended) == [["Gi1/0/1", "sw-b", "Gi1/0/9", 5]]
    assert topology.cables_of(None) is None


def test_assemble_adds_the_topology_and_keeps_cables_out_of_the_devices():
    doc = report.assemble(copy.deepcopy(run()), {"id": "r1", "fail_on": "never"})
    assert [n["device"] for n in doc["topology"]["nodes"]][:4] == ["sw-a", "sw-b", "sw-c", "sw-d"]
    assert all("cables" not in d and "neighbors" not in d for d in doc["devices"])
    recorded = set(r["id"] for r in doc["drift"])
    assert all(set(lk["records"]) <= recorded for lk in doc["topology"]["links"])
    json.dumps(doc)


def test_a_report_without_devices_has_an_empty_topology():
    assert topology.build([]) == {"roles": [], "sites": [], "nodes": [], "links": [], "summary": {
        "nodes": 0, "links": 0, "by_kind": {"device": 0, "discovered": 0, "outside": 0},
        "by_class": dict((c, 0) for c in topology.LINK_CLASSES)}}


def test_drift_json_writes_each_node_and_link_on_one_line():
    doc = report.assemble(copy.deepcopy(run()), {"id": "r1", "fail_on": "never"})
    text = report.to_json(doc)
    assert json.loads(text) == json.loads(json.dumps(doc))
    lines = text.splitlines()
    assert sum(1 for line in lines if line.startswith('   {"a": {"device": ')) == len(doc["topology"]["links"])
    assert sum(1 for line in lines if line.startswith('   {"device": ')) == len(doc["topology"]["nodes"])
    without = dict(doc)
    del without["topology"]
    assert report.to_json(without) == json.dumps(without, indent=1, sort_keys=True) + "\n"
