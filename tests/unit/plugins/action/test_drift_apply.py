"""drift_apply with the netbox.netbox modules and NetBox's re-read mocked: the sources of
approvals, unapproved changes skipped and listed, stale and unchanged changes not
written, one failing change not stopping the others, check mode without journal
entries, diff mode, and the token in no output."""

import json
from unittest import mock

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_apply
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_read

TOKEN = "0123456789abcdef0123456789abcdef01234567"
V2_TOKEN = "nbt_abcdef123456.secretsecretsecret0123456789"
PLANNED = "2026-11-21T09:00:00.000000Z"


def change(cid, device, field, before, after, obj_id=None, action="update", module="netbox_device_interface"):
    obj = None if action == "create" else {"type": "dcim.interface", "id": obj_id, "url": "u",
                                           "last_updated": PLANNED}
    return {"change_id": cid, "drift_id": cid[2:], "device": device, "kind": "interface", "key": "Gi%s" % cid[2:],
            "field": field, "action": action, "module": "netbox.netbox." + module,
            "data": {"data": {"device": device, "name": "Gi" + cid[2:], field or "type": after}, "state": "present"},
            "object": obj, "before": before, "after": after}


PLAN = {"schema": "truthloop.netbox_drift/plan", "version": 1, "changes": [
    change("c-new", "sw1", None, None, "other", action="create"),
    change("c-mtu", "sw1", "mtu", 1500, 9000, obj_id=1),
    change("c-desc", "sw1", "description", "a", "b", obj_id=2),
    change("c-stale", "sw2", "mtu", 1500, 9000, obj_id=3),
    change("c-done", "sw2", "enabled", True, False, obj_id=4),
    change("c-fail", "sw2", "mtu", 1500, 1400, obj_id=5),
]}
NETBOX = {
    ("dcim.interface", 1): {"id": 1, "mtu": 1500, "last_updated": PLANNED, "device": {"id": 10}},
    ("dcim.interface", 2): {"id": 2, "description": "a", "last_updated": PLANNED, "device": {"id": 10}},
    ("dcim.interface", 3): {"id": 3, "mtu": 1500, "last_updated": "2026-11-22T00:00:00Z", "device": {"id": 11}},
    ("dcim.interface", 4): {"id": 4, "enabled": False, "last_updated": "2026-11-22T00:00:00Z", "device": {"id": 11}},
    ("dcim.interface", 5): {"id": 5, "mtu": 1500, "last_updated": PLANNED, "device": {"id": 11}},
}


class Calls(object):
    """A stand-in for ActionBase._execute_module: records calls, answers like the modules."""

    def __init__(self, token=TOKEN, changed=True):
        self.calls = []
        self.token, self.changed = token, changed

    def __call__(self, module_name=None, module_args=None, task_vars=None):
        self.calls.append((module_name, module_args))
        if module_name.endswith("netbox_journal_entry"):
            return {"changed": True, "journal_entry": {"id": 900 + len(self.calls)}}
        if module_args["data"].get("mtu") == 1400:
            return {"failed": True, "msg": "Request failed for token %s: 400 mtu too small" % self.token}
        result = {"changed": self.changed, "diff": {"before": {"x": 1}, "after": {"x": 2}}}
        if module_name.endswith("netbox_device_interface"):
            result["interface"] = {"id": 77}
        return result


def make_action(args, check_mode=False, diff=False):
    task = mock.MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.diff = diff
    play_context = mock.MagicMock()
    play_context.check_mode = check_mode
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    return drift_apply.ActionModule(task=task, connection=connection, play_context=play_context,
                                    loader=None, templar=None, shared_loader_obj=None)


@pytest.fixture(name="plan_file")
def fixture_plan_file(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN), encoding="utf-8")
    return str(path)


def run(args, calls=None, objects=None, check_mode=False, diff=False, reread_error=None):
    calls = calls or Calls()
    action = make_action(dict({"url": "http://nb", "token": TOKEN}, **args), check_mode, diff)
    action._execute_module = calls

    def reread(url, token, refs, validate_certs=True):
        if reread_error:
            raise netbox_read.NetboxFetchError(reread_error % token)
        source = NETBOX if objects is None else objects
        return dict((ref, source[ref]) for ref in refs if ref in source)

    with mock.patch.object(netbox_read, "read_objects", side_effect=reread):
        result = action.run(task_vars={})
    return result, calls


def ids(entries):
    return [e["change_id"] for e in entries]


def test_all_approved_outcomes_and_journal(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["all"], "approved_by": "alice"})
    assert ids(result["applied"]) == ["c-new", "c-mtu", "c-desc"]
    assert ids(result["unchanged"]) == ["c-done"]
    assert ids(result["stale"]) == ["c-stale"]
    assert PLANNED in result["stale"][0]["reason"] and "2026-11-22T00:00:00Z" in result["stale"][0]["reason"]
    assert ids(result["failed_changes"]) == ["c-fail"]
    assert result["failed"] is True and result["changed"] is True
    assert "400 mtu too small" in result["failed_changes"][0]["reason"]
    assert result["msg"] == ("3 change(s) applied, 1 unchanged, 1 stale (refused), 1 failed, 0 not approved; the stale "
                             "changes were edited in NetBox after the plan: check them and plan again")
    assert result["warnings"][0].startswith("1 change(s) refused as stale")
    modules = [name.rsplit(".", 1)[-1] for name, args in calls.calls]
    assert modules == ["netbox_device_interface", "netbox_journal_entry"] * 3 + ["netbox_device_interface"]
    module_args = calls.calls[2][1]
    assert module_args["netbox_url"] == "http://nb" and module_args["netbox_token"] == TOKEN
    assert module_args["data"] == {"device": "sw1", "name": "Gimtu", "mtu": 9000}
    assert module_args["validate_certs"] is True
    journal = calls.calls[1][1]["data"]
    assert journal["assigned_object_type"] == "dcim.interface" and journal["assigned_object_id"] == 77
    assert journal["kind"] == "info" and "c-new" in journal["comments"] and "alice" in journal["comments"]
    assert calls.calls[3][1]["data"]["assigned_object_id"] == 1
    assert [e["journal"] for e in result["applied"]] == [902, 904, 906]
    assert "diff" not in result["applied"][0]


@pytest.mark.parametrize("planned, ok", [
    ("http://nb", True), ("http://NB/api/", True), (None, True),
    ("http://nb:8080", False), ("https://nb", False), ("http://nb/netbox", False), ("not a url", False),
])
def test_a_plan_is_applied_only_to_the_netbox_it_was_made_for(tmp_path, planned, ok):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(dict(PLAN, netbox_url=planned)), encoding="utf-8")
    result, calls = run({"plan": str(path), "approve": ["all"], "approved_by": "alice"})
    if ok:
        assert ids(result["applied"]) == ["c-new", "c-mtu", "c-desc"]
        return
    assert result["failed"] is True and calls.calls == []
    assert result["msg"].startswith("drift_apply: the plan was made for NetBox at %s, not http://nb" % planned)


def test_approval_file_and_not_approved(plan_file, tmp_path):
    approvals = tmp_path / "approval.yml"
    approvals.write_text("approve: [c-mtu]\napprove_devices: []\napproved_by: bob\n", encoding="utf-8")
    result, calls = run({"plan": plan_file, "approval_file": str(approvals)})
    assert ids(result["applied"]) == ["c-mtu"]
    assert ids(result["not_approved"]) == ["c-new", "c-desc", "c-stale", "c-done", "c-fail"]
    assert result["not_approved"][0]["reason"] == "not approved"
    assert "bob" in calls.calls[1][1]["data"]["comments"]
    assert "failed" not in result


def test_approve_devices(plan_file):
    result, calls = run({"plan": plan_file, "approve_devices": ["sw1"], "approved_by": "carol"})
    assert ids(result["applied"]) == ["c-new", "c-mtu", "c-desc"]
    assert len(result["not_approved"]) == 3 and "warnings" not in result


@pytest.mark.parametrize("args, message", [
    ({}, "nothing approved: give approval_file"),
    ({"approve": ["c-mtu"]}, "approved_by is required"),
    ({"approve": ["c-mtu"], "approved_by": "  "}, "approved_by is required"),
    ({"approve": ["c-mtu"], "approved_by": "x", "approval_file": "/nope"}, "either in approval_file or"),
    ({"approve": ["c-nope"], "approved_by": "x"}, "not in this plan: c-nope"),
    ({"approval_file": "/nope/approval.yml"}, "cannot read the approval file /nope/approval.yml"),
])
def test_approval_errors_write_nothing(plan_file, args, message):
    result, calls = run(dict(args, plan=plan_file))
    assert result["failed"] is True and message in result["msg"] and calls.calls == []


def test_empty_approval_writes_nothing(plan_file):
    result, calls = run({"plan": plan_file, "approve": [], "approved_by": "x"})
    assert calls.calls == [] and result["changed"] is False
    assert result["msg"].startswith("nothing approved, nothing written")
    assert len(result["not_approved"]) == 6


def test_unreadable_plan(tmp_path):
    result, calls = run({"plan": str(tmp_path / "none.json"), "approve": ["all"], "approved_by": "x"})
    assert result["failed"] is True and "cannot read the plan" in result["msg"] and calls.calls == []


def test_check_mode_writes_no_journal(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["all"], "approved_by": "alice"}, check_mode=True)
    assert ids(result["applied"]) == ["c-new", "c-mtu", "c-desc"] and result["check_mode"] is True
    assert not [name for name, args in calls.calls if name.endswith("netbox_journal_entry")]
    assert "would be applied (check mode)" in result["msg"]
    assert "journal" not in result["applied"][0]


def test_journal_off_and_diff(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["c-mtu"], "approved_by": "a", "journal": False}, diff=True)
    assert len(calls.calls) == 1 and result["applied"][0]["diff"] == {"before": {"x": 1}, "after": {"x": 2}}


def test_module_unchanged_is_unchanged(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["c-new"], "approved_by": "a"}, calls=Calls(changed=False))
    assert ids(result["unchanged"]) == ["c-new"] and result["changed"] is False and len(calls.calls) == 1


def test_gone_object_is_stale(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["c-mtu"], "approved_by": "a"}, objects={})
    assert ids(result["stale"]) == ["c-mtu"] and calls.calls == []
    # a refusal fails the task: the job must not end green with an approved change unwritten
    assert result["failed"] is True and "1 stale (refused)" in result["msg"] and "plan again" in result["msg"]


def test_module_exception_is_a_failure_and_the_others_go_on(plan_file):
    calls = Calls()

    def explode(module_name=None, module_args=None, task_vars=None):
        if module_args.get("data", {}).get("description") == "b":
            raise RuntimeError("boom with %s" % TOKEN)
        return calls(module_name, module_args, task_vars)

    result, calls_made = run({"plan": plan_file, "approve": ["c-desc", "c-mtu"], "approved_by": "a"}, calls=explode)
    assert ids(result["applied"]) == ["c-mtu"] and ids(result["failed_changes"]) == ["c-desc"]
    assert "RuntimeError: boom with <redacted>" in result["failed_changes"][0]["reason"]
    assert TOKEN not in json.dumps(result)


def test_reread_failure_fails_the_updates_only(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["all"], "approved_by": "a"},
                        reread_error="cannot connect with %s")
    assert ids(result["applied"]) == ["c-new"]
    assert len(result["failed_changes"]) == 5 and "re-reading the objects failed" in result["msg"] + \
        result["failed_changes"][0]["reason"]


@pytest.mark.parametrize("token", [TOKEN, V2_TOKEN])
def test_token_in_no_output(plan_file, token, monkeypatch):
    monkeypatch.setenv("NETBOX_TOKEN", token)
    monkeypatch.setenv("NETBOX_API", "http://nb")
    calls = Calls(token=token)
    action = make_action({"plan": plan_file, "approve": ["all"], "approved_by": "a"})
    action._execute_module = calls
    with mock.patch.object(netbox_read, "read_objects", side_effect=lambda *a, **k: NETBOX):
        result = action.run(task_vars={})
    assert calls.calls[0][1]["netbox_token"] == token  # the modules get it
    assert result["failed"] is True
    text = json.dumps(result)
    assert token not in text and "secretsecretsecret" not in text and "<redacted>" in text


def test_no_url_or_token(plan_file, monkeypatch):
    for name in ("NETBOX_API", "NETBOX_URL", "NETBOX_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    action = make_action({"plan": plan_file, "approve": ["all"], "approved_by": "a"})
    assert "no NetBox URL" in action.run(task_vars={})["msg"]
    action = make_action({"plan": plan_file, "approve": ["all"], "approved_by": "a", "url": "http://nb"})
    assert "no NetBox token" in action.run(task_vars={})["msg"]


def test_read_objects_batches_per_type(monkeypatch):
    asked = []

    class FakeFetcher(object):
        def __init__(self, url, token, **kwargs):
            assert token == TOKEN and kwargs["validate_certs"] is False

        def list_in(self, path, key, values, fields):
            asked.append((path, key, values, fields))
            return [{"id": value, "path": path} for value in values if value != 404]

    monkeypatch.setattr(netbox_read.netbox_client, "Fetcher", FakeFetcher)
    refs = [("dcim.interface", 2), ("dcim.interface", 1), ("dcim.interface", 404), ("ipam.ipaddress", 3),
            ("dcim.interface", 2)]
    found = netbox_read.read_objects("http://nb", TOKEN, refs, validate_certs=False)
    assert asked == [("dcim/interfaces", "id", [1, 2, 404], None), ("ipam/ip-addresses", "id", [3], None)]
    assert sorted(found) == [("dcim.interface", 1), ("dcim.interface", 2), ("ipam.ipaddress", 3)]
    assert netbox_read.read_objects("http://nb", TOKEN, []) == {}
    with pytest.raises(netbox_read.NetboxFetchError, match="type dcim.rack"):
        netbox_read.read_objects("http://nb", TOKEN, [("dcim.rack", 1)])
