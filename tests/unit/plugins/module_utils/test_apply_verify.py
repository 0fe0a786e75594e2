"""After a write: what NetBox holds (read back) against what was planned, in the plan's
vocabulary; the diff a change shows (VLANs by VID); the time limit the modules run under."""

import os
import subprocess
import sys
import time

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply, apply_verify
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_apply

VLAN_10 = {"id": 101, "vid": 10, "name": "USERS"}
VLAN_30 = {"id": 103, "vid": 30, "name": "PRINTERS"}


def change(kind, field, before, after, action="update", data=None):
    return {"change_id": "c-abc", "drift_id": "abc", "device": "sw1", "kind": kind, "key": "Gi1", "field": field,
            "action": action, "module": "netbox.netbox.netbox_device_interface",
            "data": {"data": data or {}, "state": "present"}, "before": before, "after": after}


@pytest.mark.parametrize("field, after, held, current", [
    ("untagged_vlan", 30, 30, {"untagged_vlan": VLAN_30}),
    ("tagged_vlans", [10, 30], [10, 30], {"tagged_vlans": [VLAN_30, VLAN_10], "mode": {"value": "tagged"}}),
    ("mode", "access", "access", {"mode": {"value": "access", "label": "Access"}}),
    ("lag", "Po1", "Po1", {"lag": {"id": 5, "name": "Po1"}}),
    ("description", "new", "new", {"description": "new"}),
])
def test_an_update_netbox_took(field, after, held, current):
    missing, found = apply_verify.verify(change("interface", field, None, after), dict(current, id=1))
    assert missing == [] and found == held


def test_a_custom_field_netbox_dropped():
    planned = change("device", "os_version", "1.0", "2.0", data={"name": "sw1", "custom_fields": {"os_version": "2.0"}})
    current = {"id": 1, "custom_fields": {"software_version": "1.0"}}
    missing, held = apply_verify.verify(planned, current)
    assert missing == [("os_version", "2.0", None)] and held is None
    assert apply_verify.describe_missing(missing) == "NetBox did not take os_version: the plan wrote \"2.0\", NetBox holds (none)"
    current["custom_fields"]["os_version"] = "2.0"
    assert apply_verify.verify(planned, current) == ([], "2.0")


def test_a_create_is_checked_field_by_field():
    data = {"device": "sw1", "name": "ge-0/0/45", "type": "other", "description": "uplink", "mode": "access",
            "untagged_vlan": {"vid": 10, "site": "dc2"}}
    planned = change("interface", None, None, {"name": "ge-0/0/45"}, action="create", data=data)
    current = {"id": 9, "name": "ge-0/0/45", "type": {"value": "other", "label": "Other"}, "description": "uplink",
               "mode": {"value": "access", "label": "Access"}, "untagged_vlan": VLAN_10}
    missing, held = apply_verify.verify(planned, current)
    assert missing == [] and held == {"name": "ge-0/0/45", "type": "other", "description": "uplink",
                                      "mode": "access", "untagged_vlan": 10}
    current["untagged_vlan"] = None
    assert apply_verify.verify(planned, current)[0] == [("untagged_vlan", 10, None)]
    assert apply_verify.verify(planned, None)[0] == [("object", "present", "not in NetBox")]


def test_a_delete_is_checked_gone():
    planned = change("interface", None, {"name": "Gi1"}, None, action="delete")
    assert apply_verify.verify(planned, None) == ([], None)
    assert apply_verify.verify(planned, {"id": 4})[0] == [("object", "deleted", "still in NetBox (id 4)")]


def test_the_diff_shows_vids_and_the_plans_vocabulary():
    shown = apply.diff(change("interface", "tagged_vlans", [10, 20], [10, 20, 30]))
    assert shown == {"before_header": "c-abc: update interface Gi1 of sw1 (NetBox)", "before": "tagged_vlans: [10, 20]\n",
                     "after_header": "c-abc: update interface Gi1 of sw1 (planned)", "after": "tagged_vlans: [10, 20, 30]\n"}
    created = apply.diff(change("interface", None, None, {"name": "Gi1", "untagged_vlan": 10}, action="create"))
    assert created["before"] == "(absent)\n" and created["after"] == 'name: "Gi1"\nuntagged_vlan: 10\n'


@pytest.mark.parametrize("result, reason", [
    ({"msg": "Could not resolve id of untagged_vlan: 30"},
     "netbox.netbox.netbox_vlan failed: Could not resolve id of untagged_vlan: 30"),
    ({"exception": "CapturedErrorSummary(event=Event(msg=\"The request failed with code 503 Service Unavailable: "
                   "{'detail': 'down'}\", formatted_source_context=None))"},
     "netbox.netbox.netbox_vlan failed: The request failed with code 503 Service Unavailable: {'detail': 'down'} "
     "(HTTP 503)"),
    ({"exception": {"msg": "boom"}, "module_stderr": "Traceback ... boom"},
     "netbox.netbox.netbox_vlan failed: boom; Traceback ... boom"),
    ({}, "netbox.netbox.netbox_vlan failed: the module gave no reason"),
])
def test_failure_reason(result, reason):
    assert apply.failure_reason("netbox.netbox.netbox_vlan", dict(result, failed=True)) == reason


@pytest.mark.skipif(not os.path.exists("/usr/bin/timeout") and not os.path.exists("/bin/timeout"),
                    reason="needs coreutils timeout(1)")
def test_the_modules_interpreter_is_stopped_after_the_timeout():
    directory, script = netbox_apply.bounded_interpreter(sys.executable, 1)
    try:
        started = time.monotonic()
        done = subprocess.run([script, "-c", "import time; time.sleep(30)"], check=False, timeout=20)
        assert done.returncode in netbox_apply.KILLED and time.monotonic() - started < 10
        quick = subprocess.run([script, "-c", "print('ok')"], capture_output=True, text=True, check=False)
        assert quick.returncode == 0 and quick.stdout == "ok\n"
    finally:
        netbox_apply.shutil.rmtree(directory)
    assert not os.path.exists(directory)
