"""The apply step's decisions: unchanged when NetBox already holds the planned value,
stale when the object moved or is gone, apply otherwise; journal target and text."""

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply

PLANNED = "2026-11-21T09:00:00.123456Z"
LATER = "2026-11-21T10:00:00.000000Z"


def change(kind, field, before, after, data=None, action="update", obj_type="dcim.interface", key="Gi1"):
    obj = None if action == "create" else {"type": obj_type, "id": 7, "url": "http://nb/x/7/",
                                           "last_updated": PLANNED}
    return {"change_id": "c-abc", "drift_id": "abc", "device": "sw1", "kind": kind, "key": key,
            "field": field, "action": action, "module": "netbox.netbox.netbox_device_interface",
            "data": {"data": dict(data or {}), "state": "absent" if action == "delete" else "present"},
            "object": obj, "before": before, "after": after}


def iface(**fields):
    base = {"id": 7, "name": "Gi1", "last_updated": PLANNED, "description": "old", "enabled": True, "mtu": 1500,
            "mode": {"value": "access", "label": "Access"}, "untagged_vlan": {"id": 1, "vid": 10, "name": "v10"},
            "tagged_vlans": [], "lag": None, "vrf": None, "device": {"id": 3, "name": "sw1"}}
    base.update(fields)
    return base


# (field, before, after, planned data, NetBox object when applied, NetBox object before)
INTERFACE_CASES = [
    ("description", "old", "new", {"description": "new"}, {"description": "new"}, {}),
    ("description", "old", "", {"description": ""}, {"description": ""}, {}),
    ("description", "old", "", {"description": ""}, {"description": None}, {}),
    ("enabled", True, False, {"enabled": False}, {"enabled": False}, {}),
    ("mtu", 1500, 9000, {"mtu": 9000}, {"mtu": 9000}, {}),
    ("mode", "access", "tagged", {"mode": "tagged"}, {"mode": {"value": "tagged", "label": "Tagged"}}, {}),
    ("untagged_vlan", 10, 20, {"untagged_vlan": {"vid": 20, "site": "s"}},
     {"untagged_vlan": {"id": 2, "vid": 20}}, {}),
    ("tagged_vlans", [10], [10, 20], {"tagged_vlans": [{"vid": 10}, {"vid": 20}]},
     {"tagged_vlans": [{"vid": 20}, {"vid": 10}]}, {"tagged_vlans": [{"vid": 10}]}),
    ("tagged_vlans", "all", [10], {"tagged_vlans": [{"vid": 10}], "mode": "tagged"},
     {"tagged_vlans": [{"vid": 10}], "mode": {"value": "tagged"}},
     {"tagged_vlans": [{"vid": 10}], "mode": {"value": "tagged-all"}}),
    ("tagged_vlans", [10], "all", {"mode": "tagged-all"}, {"mode": {"value": "tagged-all"}},
     {"mode": {"value": "tagged"}}),
    ("lag", "Port-channel1", "Port-channel2", {"lag": {"name": "Port-channel2"}},
     {"lag": {"id": 9, "name": "port-channel2"}}, {"lag": {"id": 8, "name": "Port-channel1"}}),
    ("vrf", None, "blue", {"vrf": "blue"}, {"vrf": {"id": 1, "name": "blue"}}, {}),
]


@pytest.mark.parametrize("field, before, after, data, done, start", INTERFACE_CASES)
def test_interface_update(field, before, after, data, done, start):
    planned = change("interface", field, before, after, dict(data, device="sw1", name="Gi1"))
    assert apply.decide(planned, iface(**done)) == (apply.UNCHANGED, "NetBox already holds the planned value")
    assert apply.decide(planned, iface(**start)) == (apply.APPLY, None)
    verdict, reason = apply.decide(planned, iface(last_updated=LATER, **start))
    assert verdict == apply.STALE
    assert PLANNED in reason and LATER in reason and "dcim.interface 7" in reason
    # our own first apply moved last_updated: still unchanged, not stale
    assert apply.decide(planned, iface(last_updated=LATER, **done))[0] == apply.UNCHANGED


def test_untagged_vlan_same_vid_in_other_vlan_is_unchanged():
    planned = change("interface", "untagged_vlan", 10, 20, {"untagged_vlan": {"vid": 20, "site": "s"}})
    assert apply.decide(planned, iface(untagged_vlan={"id": 99, "vid": 20}))[0] == apply.UNCHANGED
    assert apply.decide(planned, iface(untagged_vlan=None))[0] == apply.APPLY


def test_timestamps_compare_as_instants():
    planned = change("interface", "mtu", 1500, 9000, {"mtu": 9000})
    assert apply.decide(planned, iface(last_updated="2026-11-21T09:00:00.123456+00:00"))[0] == apply.APPLY


def test_update_of_a_gone_object_is_stale():
    verdict, reason = apply.decide(change("interface", "mtu", 1500, 9000, {"mtu": 9000}), None)
    assert verdict == apply.STALE and "not in NetBox any more" in reason


@pytest.mark.parametrize("field, after, data, done, start", [
    ("interface", "Loopback0", {"address": "10.0.0.5/32", "assigned_object": {"device": "sw1", "name": "Loopback0"}},
     {"assigned_object_type": "dcim.interface", "assigned_object": {"name": "Loopback0", "device": {"name": "sw1"}}},
     {"assigned_object_type": "dcim.interface", "assigned_object": {"name": "Vlan10", "device": {"name": "sw1"}}}),
    ("vrf", "blue", {"address": "10.0.0.5/32", "vrf": "blue"}, {"vrf": {"name": "blue"}}, {"vrf": None}),
])
def test_ip_address_update(field, after, data, done, start):
    planned = change("ip_address", field, "x", after, data, obj_type="ipam.ipaddress", key="10.0.0.5/32")
    done = dict(done, id=7, last_updated=LATER)
    start = dict(start, id=7, last_updated=PLANNED)
    assert apply.decide(planned, done)[0] == apply.UNCHANGED
    assert apply.decide(planned, start)[0] == apply.APPLY
    assert apply.decide(planned, dict(start, last_updated=LATER))[0] == apply.STALE


def test_ip_moved_to_same_name_on_another_device_is_not_unchanged():
    planned = change("ip_address", "interface", "Vlan10", "Loopback0", {}, obj_type="ipam.ipaddress")
    other = {"id": 7, "last_updated": PLANNED, "assigned_object_type": "dcim.interface",
             "assigned_object": {"name": "Loopback0", "device": {"name": "sw2"}}}
    assert apply.decide(planned, other)[0] == apply.APPLY


@pytest.mark.parametrize("field, after, data, done, start", [
    ("serial", "NEW1", {"name": "sw1", "serial": "NEW1"}, {"serial": "NEW1"}, {"serial": "OLD"}),
    ("platform", "cisco_ios", {"name": "sw1", "platform": "cisco-ios"},
     {"platform": {"slug": "cisco-ios", "name": "Cisco IOS"}}, {"platform": {"slug": "eos", "name": "EOS"}}),
    ("os_version", "17.9", {"name": "sw1", "custom_fields": {"software_version": "17.9"}},
     {"custom_fields": {"software_version": "17.9", "other": 1}}, {"custom_fields": {"software_version": "17.3"}}),
])
def test_device_update(field, after, data, done, start):
    planned = change("device", field, "x", after, data, obj_type="dcim.device", key="sw1")
    assert apply.decide(planned, dict(done, id=7, last_updated=LATER))[0] == apply.UNCHANGED
    assert apply.decide(planned, dict(start, id=7, last_updated=PLANNED))[0] == apply.APPLY
    assert apply.decide(planned, dict(start, id=7, last_updated=LATER))[0] == apply.STALE


def test_unknown_field_is_never_unchanged():
    planned = change("interface", "speed", 1, 2, {"speed": 2})
    assert apply.decide(planned, iface(speed=2))[0] == apply.APPLY


def test_create_is_not_checked():
    planned = change("interface", None, None, {"name": "Gi9"}, {"name": "Gi9"}, action="create")
    assert apply.decide(planned, None) == (apply.APPLY, None)


def test_delete():
    planned = change("interface", None, {"name": "Gi1"}, None, {"device": "sw1", "name": "Gi1"}, action="delete")
    assert apply.decide(planned, iface())[0] == apply.APPLY
    assert apply.decide(planned, iface(last_updated=LATER))[0] == apply.STALE
    verdict, reason = apply.decide(planned, None)
    assert verdict == apply.UNCHANGED and "nothing to delete" in reason


def cable(a, b, last_updated=LATER):
    def term(end):
        return {"object_type": "dcim.interface", "object": {"name": end[1], "device": {"id": 3, "name": end[0]}}}
    return {"id": 7, "last_updated": last_updated, "a_terminations": [term(a)], "b_terminations": [term(b)]}


def test_cable_delete_without_timestamp_checks_the_ends():
    planned = change("cable", "peer", {"device": "sw2", "port": "Eth1"}, None, {}, action="delete",
                     obj_type="dcim.cable", key="Gi1")
    planned["object"]["last_updated"] = None
    assert apply.decide(planned, cable(("sw1", "Gi1"), ("sw2", "Eth1")))[0] == apply.APPLY
    assert apply.decide(planned, cable(("sw2", "Eth1"), ("sw1", "gi1")))[0] == apply.APPLY
    verdict, reason = apply.decide(planned, cable(("sw1", "Gi1"), ("sw3", "Eth1")))
    assert verdict == apply.STALE and "no longer joins sw1 Gi1" in reason
    assert apply.decide(planned, None)[0] == apply.UNCHANGED


def test_journal_target():
    update = change("interface", "mtu", 1500, 9000, {"mtu": 9000})
    assert apply.journal_target(update, iface(), {"changed": True}) == ("dcim.interface", 7)
    create = change("interface", None, None, {}, {}, action="create")
    assert apply.journal_target(create, None, {"interface": {"id": 42}}) == ("dcim.interface", 42)
    assert apply.journal_target(create, None, {"changed": True}) is None
    address = dict(create, module="netbox.netbox.netbox_ip_address")
    assert apply.journal_target(address, None, {"ip_address": {"id": 5}}) == ("ipam.ipaddress", 5)
    delete = change("interface", None, {}, None, {}, action="delete")
    assert apply.journal_target(delete, iface(), {"changed": True}) == ("dcim.device", 3)
    gone_ip = {"assigned_object": {"device": {"id": 4}}}
    assert apply.journal_target(delete, gone_ip, {}) == ("dcim.device", 4)
    assert apply.journal_target(delete, cable(("sw1", "Gi1"), ("sw2", "Eth1")), {}) == ("dcim.device", 3)
    assert apply.journal_target(delete, None, {}) is None


def test_journal_text():
    planned = dict(change("interface", "mtu", 1500, 9000), digest="0123456789abcdef" * 4)
    text = apply.journal_text(planned, "alice", "2026-11-21T12:00:00Z", 9000)
    assert text.splitlines() == [
        "truthloop.netbox_drift update change c-abc (drift abc, digest 0123456789ab): interface Gi1 of sw1, field mtu.",
        "1500 -> 9000 (read back from NetBox after the write)",
        "Approved by alice; applied 2026-11-21T12:00:00Z (UTC) by truthloop.netbox_drift.",
    ]
    # what NetBox holds is journaled, not what the plan says
    assert apply.journal_text(planned, "alice", "T", 1500).splitlines()[1].startswith("1500 -> 1500")
    created = apply.journal_text(change("vlan", None, None, "users", action="create", key="30"), "bob", "T",
                                 {"name": "users", "vid": 30})
    assert created.splitlines()[:2] == [
        "truthloop.netbox_drift create change c-abc (drift abc, digest none): vlan 30 of sw1.",
        '(none) -> {"name": "users", "vid": 30} (read back from NetBox after the write)']


def test_entry_and_summary():
    planned = change("interface", "mtu", 1500, 9000)
    assert apply.entry(planned) == {"change_id": "c-abc", "drift_id": "abc", "device": "sw1"}
    assert apply.entry(planned, "why", diff={"a": 1})["reason"] == "why"
    result = {"applied": [1, 2], "unchanged": [1], "stale": [], "failed_changes": [1], "not_approved": [1, 2, 3]}
    assert apply.summary(result) == "2 change(s) applied, 1 unchanged, 0 stale (refused), 1 failed, 3 not approved"
    assert "would be applied (check mode)" in apply.summary(result, check_mode=True)
