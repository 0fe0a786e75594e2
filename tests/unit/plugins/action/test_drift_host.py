"""drift_host gives each host its part of the batch: read from the registered batch result
by name (what the role does) or given as options, with the same outcome either way."""

from unittest import mock

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_host


def record(key, counted=True):
    return {"device": "sw1", "kind": "interface", "key": key, "field": "description", "class": "mismatch",
            "netbox_value": "uplink", "device_value": "old", "counted": counted, "severity": "low"}


def entry(status, records=()):
    counted = [r for r in records if r["counted"]]
    return {"device": "sw1", "status": status, "drift": len(counted), "waived": len(records) - len(counted),
            "records": list(records)}


BATCH = {"device_drift": {"sw1": entry("drift", [record("Ethernet1"), record("Ethernet2", counted=False)]),
                          "sw2": entry("unverified")},
         "causes": {"sw2": "unreachable: connection refused"},
         "warnings_by_host": {"sw1": ["LLDP detail refused, brief table read"]}}


def run(args, host, diff=False):
    task = mock.MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = False
    task.diff = diff
    action = drift_host.ActionModule(task=task, connection=mock.MagicMock(), play_context=mock.MagicMock(),
                                     loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": host, "batch": BATCH})


def test_batch_var_and_the_options_give_the_same_result():
    by_name = run({"batch_var": "batch"}, "sw1", diff=True)
    given = run({"result": BATCH["device_drift"]["sw1"], "warnings": BATCH["warnings_by_host"]["sw1"]}, "sw1",
                diff=True)
    assert by_name == given
    assert by_name["changed"] is True and not by_name.get("failed")
    assert by_name["warnings"] == ["LLDP detail refused, brief table read"]
    assert "Ethernet1" in str(by_name["diff"]) and "Ethernet2" not in str(by_name["diff"])


def test_an_unverified_host_fails_with_its_cause_from_the_batch():
    result = run({"batch_var": "batch"}, "sw2")
    assert result["failed"] is True
    assert result["msg"] == "sw2: not verified, nothing was compared: unreachable: connection refused"


def test_fail_drift_names_the_counted_records_only():
    result = run({"batch_var": "batch", "fail_drift": True}, "sw1")
    assert result["failed"] is True
    assert result["msg"] == "sw1: 1 drift between NetBox and the device (fail_drift): interface Ethernet1 description"


def test_a_host_the_batch_did_not_see_fails_saying_so():
    result = run({"batch_var": "batch"}, "sw9")
    assert result["failed"] is True and "the batch gave this host no result" in result["msg"]


@pytest.mark.parametrize("args", [{"batch_var": "nothing"}, {"batch_var": "batch", "result": entry("ok")}])
def test_a_wrong_batch_var_or_both_ways_at_once_is_refused(args):
    with pytest.raises(AnsibleActionFail, match="sw1: batch_var"):
        run(args, "sw1")


def test_the_batch_sets_the_failure_policy_unless_the_task_sets_its_own():
    BATCH["host_policy"] = {"fail_unverified": False, "fail_drift": True}
    try:
        from_batch = run({"batch_var": "batch"}, "sw1"), run({"batch_var": "batch"}, "sw2")
        own = run({"batch_var": "batch", "fail_drift": False}, "sw1"), run(
            {"batch_var": "batch", "fail_unverified": True}, "sw2")
    finally:
        del BATCH["host_policy"]
    assert from_batch[0]["failed"] is True and "(fail_drift)" in from_batch[0]["msg"]
    assert not from_batch[1].get("failed")
    assert not own[0].get("failed") and own[1]["failed"] is True
