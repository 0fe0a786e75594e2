"""drift_apply with the netbox.netbox modules and NetBox's re-read replaced by a small
in-memory NetBox (``Calls`` writes into ``NETBOX``, the re-read reads from it): the
sources of approvals, unapproved changes skipped and listed, stale and unchanged
changes not written, one failing change not stopping the others, check mode without
journal entries, diff mode, and the token in no output."""

import copy
import json
from unittest import mock

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_apply
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_digest
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


PLAN = {"schema": "truthloop.netbox_drift/plan", "version": 1, "netbox_url": "http://nb", "changes": [
    change("c-new", "sw1", None, None, "other", action="create"),
    change("c-mtu", "sw1", "mtu", 1500, 9000, obj_id=1),
    change("c-desc", "sw1", "description", "a", "b", obj_id=2),
    change("c-stale", "sw2", "mtu", 1500, 9000, obj_id=3),
    change("c-done", "sw2", "enabled", True, False, obj_id=4),
    change("c-fail", "sw2", "mtu", 1500, 1400, obj_id=5),
]}
plan_digest.seal(PLAN)
NETBOX = {
    ("dcim.interface", 1): {"id": 1, "mtu": 1500, "last_updated": PLANNED, "device": {"id": 10}},
    ("dcim.interface", 2): {"id": 2, "description": "a", "last_updated": PLANNED, "device": {"id": 10}},
    ("dcim.interface", 3): {"id": 3, "mtu": 1500, "last_updated": "2026-11-22T00:00:00Z", "device": {"id": 11}},
    ("dcim.interface", 4): {"id": 4, "enabled": False, "last_updated": "2026-11-22T00:00:00Z", "device": {"id": 11}},
    ("dcim.interface", 5): {"id": 5, "mtu": 1500, "last_updated": PLANNED, "device": {"id": 11}},
}


IDS = dict(((c["device"], c["data"]["data"]["name"]), (c["object"] or {}).get("id", 77)) for c in PLAN["changes"])


class Calls(object):
    """A stand-in for ActionBase._execute_module: records calls, answers like the modules
    and writes into ``store`` (a copy of NETBOX) what a real module would write, except
    the fields in ``drop`` (NetBox ignores them) and nothing in check mode."""

    def __init__(self, token=TOKEN, changed=True, drop=(), check_mode=False):
        self.calls, self.store = [], copy.deepcopy(NETBOX)
        self.token, self.changed, self.drop, self.check_mode = token, changed, drop, check_mode
        self.interpreters = []

    def __call__(self, module_name=None, module_args=None, task_vars=None):
        self.calls.append((module_name, module_args))
        self.interpreters.append((task_vars or {}).get("ansible_python_interpreter"))
        if module_name.endswith("netbox_journal_entry"):
            return {"changed": True, "journal_entry": {"id": 900 + len(self.calls)}}
        data = module_args["data"]
        if data.get("mtu") == 1400:
            return {"failed": True, "msg": "Request failed for token %s: 400 mtu too small" % self.token}
        key = ("dcim.interface", IDS[(data["device"], data["name"])])
        if self.changed and not self.check_mode:
            held = self.store.setdefault(key, {"id": key[1], "device": {"id": 10}})
            held.update((k, v) for k, v in data.items() if k not in ("device",) + tuple(self.drop))
            if "type" in data:
                held["type"] = {"value": data["type"], "label": data["type"].title()}
            held["last_updated"] = "2026-11-23T00:00:00Z"
        result = {"changed": self.changed, "diff": {"before": {"x": 1}, "after": {"x": 2}}}
        if module_name.endswith("netbox_device_interface"):
            result["interface"] = {"id": key[1]}
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
    calls = calls or Calls(check_mode=check_mode)
    if "approval_file" not in args and "plan_digest" not in args:
        args = dict(args, plan_digest=PLAN["digest"])  # as reviewed in plan.md
    action = make_action(dict({"url": "http://nb", "token": TOKEN}, **args), check_mode, diff)
    action._execute_module = calls
    if objects is not None:
        getattr(calls, "store", {}).clear()
        getattr(calls, "store", {}).update(objects)

    def reread(url, token, refs, validate_certs=True, timeout=30):
        if reread_error:
            raise netbox_read.NetboxFetchError(reread_error % token)
        source = getattr(calls, "store", NETBOX)
        return dict((ref, copy.deepcopy(source[ref])) for ref in refs if ref in source)

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
    assert result["msg"].startswith("3 change(s) applied, 1 unchanged, 1 stale (refused), 1 failed, 0 not approved; "
                                    "the stale changes were edited in NetBox after the plan: check them and plan "
                                    "again. Failed: c-fail: ")
    assert result["warnings"][0].startswith("1 change(s) refused as stale")
    modules = [name.rsplit(".", 1)[-1] for name, args in calls.calls]
    assert modules == ["netbox_device_interface", "netbox_journal_entry"] * 3 + ["netbox_device_interface"]
    assert len(set(calls.interpreters)) == 1 and calls.interpreters[0].endswith("/python")  # timeout(1) wrapper
    module_args = calls.calls[2][1]
    assert module_args["netbox_url"] == "http://nb" and module_args["netbox_token"] == TOKEN
    assert module_args["data"] == {"device": "sw1", "name": "Gimtu", "mtu": 9000}
    assert module_args["validate_certs"] is True
    journal = calls.calls[1][1]["data"]
    assert journal["assigned_object_type"] == "dcim.interface" and journal["assigned_object_id"] == 77
    assert journal["kind"] == "info" and "c-new" in journal["comments"] and "alice" in journal["comments"]
    assert calls.calls[3][1]["data"]["assigned_object_id"] == 1
    assert [e["journal"] for e in result["applied"]] == [902, 904, 906]
    assert "1500 -> 9000 (read back from NetBox" in calls.calls[3][1]["data"]["comments"]
    assert "diff" not in result["applied"][0] and "diff" not in result
    assert "Failed: c-fail: netbox.netbox.netbox_device_interface failed: Request failed" in result["msg"]


@pytest.mark.parametrize("planned, ok", [
    ("http://nb", True), ("http://NB/api/", True),
    ("http://nb:8080", False), ("https://nb", False), ("http://nb/netbox", False), ("not a url", False),
])
def test_a_plan_is_applied_only_to_the_netbox_it_was_made_for(tmp_path, planned, ok):
    path = tmp_path / "plan.json"
    made = plan_digest.seal(copy.deepcopy(dict(PLAN, netbox_url=planned)))
    path.write_text(json.dumps(made), encoding="utf-8")
    result, calls = run({"plan": str(path), "approve": ["all"], "approved_by": "alice", "plan_digest": made["digest"]})
    if ok:
        assert ids(result["applied"]) == ["c-new", "c-mtu", "c-desc"]
        return
    assert result["failed"] is True and calls.calls == []
    assert result["msg"].startswith("drift_apply: the plan was made for NetBox at %s, not http://nb" % planned)


@pytest.mark.parametrize("planned", [None, ""])
def test_a_plan_that_names_no_netbox_is_refused(tmp_path, planned):
    path = tmp_path / "plan.json"
    made = plan_digest.seal(copy.deepcopy(dict(PLAN, netbox_url=planned)))
    path.write_text(json.dumps(made), encoding="utf-8")
    result, calls = run({"plan": str(path), "approve": ["all"], "approved_by": "alice", "plan_digest": made["digest"]})
    assert result["failed"] is True and calls.calls == []
    assert "the plan names no NetBox (netbox_url)" in result["msg"]


def test_approval_file_and_not_approved(plan_file, tmp_path):
    approvals = tmp_path / "approval.yml"
    approvals.write_text("approve: [c-mtu@%s]\napprove_devices: []\napproved_by: bob\n" % PLAN["changes"][1]["digest"][:12],
                         encoding="utf-8")
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
    assert len(calls.calls) == 1
    assert result["applied"][0]["diff"] == result["diff"][0] == {
        "before_header": "c-mtu: update interface Gimtu of sw1 (NetBox)", "before": "mtu: 1500\n",
        "after_header": "c-mtu: update interface Gimtu of sw1 (planned)", "after": "mtu: 9000\n"}


def test_module_unchanged_is_unchanged(plan_file):
    calls = Calls(changed=False)
    calls.store[("dcim.interface", 77)] = {"id": 77, "name": "Ginew", "type": {"value": "other", "label": "Other"}}
    result, calls = run({"plan": plan_file, "approve": ["c-new"], "approved_by": "a"}, calls=calls)
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
    explode.store = calls.store

    result, calls_made = run({"plan": plan_file, "approve": ["c-desc", "c-mtu"], "approved_by": "a"}, calls=explode)
    assert ids(result["applied"]) == ["c-mtu"] and ids(result["failed_changes"]) == ["c-desc"]
    assert "RuntimeError: boom with <redacted>" in result["failed_changes"][0]["reason"]
    assert TOKEN not in json.dumps(result)


def test_reread_failure_fails_the_updates_only(plan_file):
    result, calls = run({"plan": plan_file, "approve": ["all"], "approved_by": "a"},
                        reread_error="cannot connect with %s")
    # the create is written (creates are not re-read first), but cannot be read back: failed, not journaled
    assert result["applied"] == [] and ids(result["failed_changes"]) == ids(PLAN["changes"])
    reasons = dict((e["change_id"], e["reason"]) for e in result["failed_changes"])
    assert reasons.pop("c-new").startswith("written, but reading it back failed: cannot connect with <redacted>")
    assert all(reason.startswith("re-reading the objects failed, nothing written: cannot connect with <redacted>")
               for reason in reasons.values())
    assert not [name for name, args in calls.calls if name.endswith("netbox_journal_entry")]


@pytest.mark.parametrize("token", [TOKEN, V2_TOKEN])
def test_token_in_no_output(plan_file, token, monkeypatch):
    monkeypatch.setenv("NETBOX_TOKEN", token)
    monkeypatch.setenv("NETBOX_API", "http://nb")
    calls = Calls(token=token)
    action = make_action({"plan": plan_file, "approve": ["all"], "approved_by": "a"})
    action._execute_module = calls
    with mock.patch.object(netbox_read, "read_objects", side_effect=lambda *a, **k: NETBOX):
        action._task.args["plan_digest"] = PLAN["digest"]
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


def test_a_field_netbox_did_not_take_is_a_failed_change_and_not_journaled_as_applied(plan_file):
    """NetBox drops what it does not know and the module still says changed: the read-back tells,
    and the journal warns that the object changed, not as planned."""
    result, calls = run({"plan": plan_file, "approve": ["c-mtu", "c-desc"], "approved_by": "a"},
                        calls=Calls(drop=("mtu",)))
    assert ids(result["applied"]) == ["c-desc"] and ids(result["failed_changes"]) == ["c-mtu"]
    failed = result["failed_changes"][0]
    assert failed["reason"] == "NetBox did not take mtu: the plan wrote 9000, NetBox holds 1500"
    assert failed["held"] == 1500 and result["failed"] is True
    journals = [args["data"] for name, args in calls.calls if name.endswith("netbox_journal_entry")]
    assert [(j["kind"], j["assigned_object_id"]) for j in journals] == [("warning", 1), ("info", 2)]
    assert "c-mtu" in journals[0]["comments"] and "1500 -> 1500 (read back" in journals[0]["comments"]
    assert "NOT applied as planned: NetBox did not take mtu" in journals[0]["comments"]
    assert "NOT applied" not in journals[1]["comments"] and failed["journal"] == 902
    assert "Failed: c-mtu: NetBox did not take mtu" in result["msg"]


def test_the_cause_of_a_failure_is_kept(plan_file):
    """ansible-core 2.19 puts a failed module's reason in an exception object, without msg."""

    class Event(object):
        msg, chain = "The request failed with code 403 Forbidden: {'detail': 'no permission'}", None

    class Summary(object):
        event = Event()

    def refused(module_name=None, module_args=None, task_vars=None):
        return {"failed": True, "exception": Summary()}

    result, _calls = run({"plan": plan_file, "approve": ["c-mtu"], "approved_by": "a"}, calls=refused)
    assert result["failed_changes"][0]["reason"] == (
        "netbox.netbox.netbox_device_interface failed: The request failed with code 403 Forbidden: "
        "{'detail': 'no permission'} (HTTP 403: the token may not make this change)")


def test_a_module_killed_at_the_timeout_says_so(plan_file):
    def killed(module_name=None, module_args=None, task_vars=None):
        return {"failed": True, "rc": 137, "msg": "MODULE FAILURE", "module_stdout": "", "module_stderr": ""}

    result, _calls = run({"plan": plan_file, "approve": ["c-mtu"], "approved_by": "a", "timeout": 1}, calls=killed)
    assert result["failed_changes"][0]["reason"].startswith(
        "netbox.netbox.netbox_device_interface did not finish within 1s: NetBox did not answer in time")


@pytest.mark.parametrize("args, message", [
    ({"approve": ["c-mtu"], "plan_digest": None}, "names no digest"),
    ({"approve_devices": ["sw1", "sw9"]}, "approve_devices names device(s) with no change in this plan: sw9"),
    ({"approve": ["c-mtu@000000000000"], "plan_digest": None}, "was approved at digest 000000000000"),
])
def test_unbound_or_unknown_approvals_write_nothing(plan_file, args, message):
    result, calls = run(dict({"plan": plan_file, "approved_by": "a"}, **args))
    assert result["failed"] is True and message in result["msg"] and calls.calls == []


def test_an_edited_plan_writes_nothing(tmp_path):
    edited = copy.deepcopy(PLAN)
    edited["changes"][1]["data"]["data"]["mtu"] = 1234
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    result, calls = run({"plan": str(path), "approve": ["c-mtu@" + PLAN["changes"][1]["digest"][:12]],
                         "approved_by": "a"})
    assert result["failed"] is True and calls.calls == []
    assert "no longer matches the digest planned for it" in result["msg"] and "c-mtu" in result["msg"]
