"""The plan for addresses outside the global table: the record key carries the VRF
(``10.1.0.1/31 vrf RED``); the plan writes the address, and finds the object by
address and VRF where the same address may be in several VRFs."""

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare.compare_addresses import key_of, split_key


def rec(cls, key, field=None, nb=None, dev=None):
    ref = None if cls == "missing_in_netbox" else {"type": "ipam.ipaddress", "id": 7, "url": "http://nb/x/7/",
                                                   "last_updated": "2026-11-21T09:00:00Z"}
    return {"id": policy.drift_id("sw1", "ip_address", key, field), "device": "sw1", "kind": "ip_address",
            "key": key, "field": field, "class": cls, "severity": "high", "netbox_value": nb,
            "device_value": dev, "authority": "device", "message": "m", "counted": True, "waiver": None,
            "evidence": {"netbox_object": ref, "netbox_url": None}}


def changes(record, **options):
    report = {"schema": "truthloop.netbox_drift/drift-report", "version": 1,
              "run": {"id": "run-1", "netbox_url": "http://nb"},
              "devices": [{"device": "sw1", "status": "drift", "unverified": []}],  # fully verified: deletions may be planned
              "drift": [record], "unverified": []}
    return plan.build(report, dict({"sites": {"sw1": "a"}}, **options))["changes"]


def test_keys_round_trip():
    assert split_key(key_of("10.1.0.1/31", "RED")) == ("10.1.0.1/31", "RED")
    assert split_key(key_of("2001:db8::1/64", None)) == ("2001:db8::1/64", None)


def test_moving_an_address_of_a_vrf_finds_it_by_address_and_vrf():
    change, = changes(rec("mismatch", "10.1.0.1/31 vrf RED", "interface", "Ethernet1", "Ethernet2"))
    assert change["data"]["data"] == {"address": "10.1.0.1/31", "vrf": "RED",
                                      "assigned_object": {"device": "sw1", "name": "Ethernet2"}}
    assert change["data"]["query_params"] == ["address", "vrf"]


def test_creating_and_deleting_an_address_of_a_vrf():
    view = {"address": "10.1.0.1/31", "interface": "Ethernet1", "vrf": "RED", "role": None}
    created, = changes(rec("missing_in_netbox", "10.1.0.1/31 vrf RED", dev=view))
    assert created["data"]["data"]["address"] == "10.1.0.1/31" and created["data"]["data"]["vrf"] == "RED"
    deleted, = changes(rec("missing_on_device", "10.1.0.1/31 vrf RED", nb="Ethernet1"), allow_delete=True,
                       primary_interfaces={"sw1": ["Management1"]}, mgmt_interfaces={"sw1": []})
    assert deleted["data"]["data"] == {"address": "10.1.0.1/31", "vrf": "RED",
                                       "assigned_object": {"device": "sw1", "name": "Ethernet1"}}
