"""Reconcile under faults, on a lab of its own (``.lab-faults``): the real playbooks (check,
plan, apply) against the lab's real NetBox, with a plan edited after review, the preview
playbook run without --check, a value NetBox does not take, a read-only v1 token, a NetBox
that answers 502 once or stops answering (a small reverse proxy in this file), unknown
approve_devices and a check-mode diff. Each asserts the exit code, a message naming the
change and the cause, and that NetBox's change log (/api/core/object-changes/) holds
exactly what was approved."""

import json
import shutil
import time

import pynetbox
import pytest
from conftest import ROOT, VENV_BIN, run
from netbox_proxy import Proxy

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_digest

STATE = ROOT / ".lab-faults"  # PostgreSQL runs as its own user: not under pytest's private /tmp dir


def lab_env():
    env = {"LAB_STATE": str(STATE)}
    for line in (STATE / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def lab_down():
    if (STATE / "lab.json").exists():
        run([VENV_BIN / "python", "-m", "lab", "down"], check=False, LAB_STATE=str(STATE))
    shutil.rmtree(STATE, ignore_errors=True)


def playbook(*args, check=True, **env):
    return run([VENV_BIN / "ansible-playbook", "-i", "localhost,", *args], check=check, **dict(lab_env(), **env))


@pytest.fixture(scope="module", name="lab")
def fixture_lab(tmp_path_factory):
    """A fresh lab checked (device authority) and planned; taken down afterwards."""
    lab_down()
    run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "12", "--scenario", "default"], timeout=3000,
        LAB_STATE=str(STATE))
    try:
        env = lab_env()
        work = tmp_path_factory.mktemp("faults")
        run([VENV_BIN / "ansible-playbook", "-i", STATE / "inventory.yml", "truthloop.netbox_drift.check",
             "-e", f"drift_check_report_dir={work}/reports", "-e", '{"drift_check_authority": {"default": "device"}}'],
            **env)
        report = work / "reports" / "latest" / "drift.json"
        playbook("truthloop.netbox_drift.plan", "-e", f"reconcile_report={report}", "-e", f"reconcile_plan_dir={work}/plan")
        nb = pynetbox.api(env["NETBOX_API"], token=env["NETBOX_TOKEN"])
        yield {"work": work, "report": report, "nb": nb, "plan": json.loads((work / "plan" / "plan.json").read_text())}
    finally:
        lab_down()


def change_of(plan, field):
    return next(c for c in plan["changes"] if c["field"] == field)


def reviewed(change):
    """The change as plan.md shows it to the reviewer: ID and digest."""
    return "%s@%s" % (change["change_id"], change["digest"][:12])


def log_mark(lab):
    """The newest entry of NetBox's change log."""
    newest = list(lab["nb"].core.object_changes.filter(ordering="-id", limit=1))
    return newest[0].id if newest else 0


def logged_since(lab, mark):
    """``[(action, object type, object id)]`` NetBox logged after ``mark``, oldest first."""
    rows = lab["nb"].core.object_changes.filter(id__gt=mark, ordering="id")
    return [(getattr(row.action, "value", row.action), row.changed_object_type, row.changed_object_id) for row in rows]


def apply(lab, plan_json, approvals, *extra, check=False, **env):
    path = lab["work"] / ("approval-%d.json" % time.monotonic_ns())
    path.write_text(json.dumps(dict({"approved_by": "tester"}, **approvals)))
    return playbook("truthloop.netbox_drift.apply", "-e", f"reconcile_plan={plan_json}",
                    "-e", f"reconcile_approval_file={path}", *extra, check=check, **env)


def test_a_plan_edited_after_review_is_refused(lab):
    change = change_of(lab["plan"], "description")
    edited_dir = lab["work"] / "edited"
    shutil.copytree(lab["work"] / "plan", edited_dir)
    edited = json.loads((edited_dir / "plan.json").read_text())
    data = change_of(edited, "description")["data"]["data"]
    data.update(description="TAMPERED", mtu=1234)
    (edited_dir / "plan.json").write_text(json.dumps(edited))
    mark = log_mark(lab)
    proc = apply(lab, edited_dir / "plan.json", {"approve": [reviewed(change)]})
    assert proc.returncode == 2
    assert f"{change['change_id']} (digest {change['digest'][:12]}" in proc.stdout
    assert "no longer matches the digest planned for it" in proc.stdout
    plan_digest.seal(edited)  # whoever edited it recomputed the digests as well
    (edited_dir / "plan.json").write_text(json.dumps(edited))
    proc = apply(lab, edited_dir / "plan.json", {"approve": [reviewed(change)]})
    assert proc.returncode == 2
    assert f"{change['change_id']} was approved at digest {change['digest'][:12]}" in proc.stdout
    assert "edited after it was reviewed" in proc.stdout
    assert logged_since(lab, mark) == []
    assert lab["nb"].dcim.interfaces.get(change["object"]["id"]).description == change["before"]


def test_the_preview_playbook_cannot_write(lab):
    preview = lab["work"] / "plan" / "plan.yml"
    mark = log_mark(lab)
    proc = playbook(preview, check=False)
    assert proc.returncode == 2 and "plan.yml only previews the plan" in proc.stdout
    assert "truthloop.netbox_drift.apply" in proc.stdout
    # even with its guards skipped, every task runs in check mode
    proc = playbook(preview, "--skip-tags", "always", check=False)
    assert proc.returncode == 0 and "changed=%d" % len(lab["plan"]["changes"]) in proc.stdout
    assert logged_since(lab, mark) == []


def plan_from(lab, name, edit):
    """A plan from a copy of the run's report changed by ``edit(report)``: what the check
    would have reported of a device in that state."""
    report = json.loads(lab["report"].read_text())
    edit(report)
    folder = lab["work"] / name
    folder.mkdir()
    (folder / "drift.json").write_text(json.dumps(report))
    playbook("truthloop.netbox_drift.plan", "-e", f"reconcile_report={folder}/drift.json")
    return folder / "plan.json", json.loads((folder / "plan.json").read_text())


def test_a_value_netbox_does_not_take_is_failed_and_not_journaled_as_applied(lab):
    """A device description with trailing blanks (IOS keeps them): NetBox trims what it is
    given and answers 200, and the module reports a change."""
    def trailing_blanks(report):
        record = next(r for r in report["drift"] if r["field"] == "description")
        record["device_value"] += "  "

    plan_json, planned = plan_from(lab, "trailing-blanks", trailing_blanks)
    change = change_of(planned, "description")
    mark = log_mark(lab)
    proc = apply(lab, plan_json, {"approve": [reviewed(change)]})
    assert proc.returncode == 2, proc.stdout[-3000:]
    held = change["after"].rstrip()
    assert f"Failed: {change['change_id']}: NetBox did not take description: the plan wrote " \
           f"{json.dumps(change['after'])}, NetBox holds {json.dumps(held)}" in proc.stdout
    assert "0 change(s) applied" in proc.stdout
    journal = list(lab["nb"].extras.journal_entries.filter(assigned_object_id=change["object"]["id"],
                                                           assigned_object_type="dcim.interface"))
    assert len(journal) == 1 and journal[0].kind.value == "warning"
    assert "NOT applied as planned" in journal[0].comments and f"-> {json.dumps(held)}" in journal[0].comments
    assert logged_since(lab, mark) == [("update", "dcim.interface", change["object"]["id"]),
                                       ("create", "extras.journalentry", journal[0].id)]


def test_a_custom_field_netbox_does_not_have_shows_the_cause(lab):
    """The custom field the check read is renamed in NetBox before the apply: NetBox 4.7
    refuses the write (400), and the cause reaches the output."""
    change = change_of(lab["plan"], "os_version")
    field = lab["nb"].extras.custom_fields.get(name="software_version")
    field.name = "sw_version_renamed"
    assert field.save()
    try:
        mark = log_mark(lab)
        proc = apply(lab, lab["work"] / "plan" / "plan.json", {"approve": [reviewed(change)]})
        logged = logged_since(lab, mark)
    finally:
        field.name = "software_version"
        field.save()
    assert proc.returncode == 2 and logged == []
    assert f"{change['change_id']}: netbox.netbox.netbox_device failed: The request failed with code 400 Bad " \
           "Request: {'custom_fields': {'software_version': \"Custom field 'software_version' does not exist" in proc.stdout
    assert "(HTTP 400)" in proc.stdout


def test_a_read_only_token_shows_the_403(lab):
    from lab import netbox_service  # the checkout is on sys.path (conftest)
    token = netbox_service.add_v1_token(str(STATE))
    change = change_of(lab["plan"], "mtu")
    mark = log_mark(lab)
    proc = apply(lab, lab["work"] / "plan" / "plan.json", {"approve": [reviewed(change)]}, NETBOX_TOKEN=token)
    assert proc.returncode == 2
    assert f"{change['change_id']}: netbox.netbox.netbox_device_interface failed: The request failed with code " \
           "403 Forbidden" in proc.stdout
    assert "(HTTP 403: the token may not make this change)" in proc.stdout
    assert token not in proc.stdout + proc.stderr
    assert logged_since(lab, mark) == []


def test_unknown_approve_devices_are_refused(lab):
    mark = log_mark(lab)
    proc = apply(lab, lab["work"] / "plan" / "plan.json",
                 {"approve_devices": ["dc1-eos-03", "no-such-switch", "dc9-ios-99"], "plan_digest": lab["plan"]["digest"]})
    assert proc.returncode == 2
    assert "approve_devices names device(s) with no change in this plan: dc9-ios-99, no-such-switch" in proc.stdout
    assert logged_since(lab, mark) == []


def test_check_mode_shows_each_change_as_a_diff_with_vids(lab):
    changes = [change_of(lab["plan"], "untagged_vlan"), change_of(lab["plan"], "tagged_vlans")]
    mark = log_mark(lab)
    proc = apply(lab, lab["work"] / "plan" / "plan.json", {"approve": [reviewed(c) for c in changes]},
                 "--check", "--diff")
    assert proc.returncode == 0
    for change in changes:
        assert f"--- before: {change['change_id']}: update interface {change['key']} of {change['device']} " \
               "(NetBox)" in proc.stdout
        assert f"-{change['field']}: {json.dumps(change['before'])}" in proc.stdout
        assert f"+{change['field']}: {json.dumps(change['after'])}" in proc.stdout
    assert "2 change(s) would be applied (check mode)" in proc.stdout
    assert logged_since(lab, mark) == []


def plan_through(lab, proxy, name):
    """A plan made for the NetBox behind ``proxy`` (its report names that address)."""
    return plan_from(lab, name, lambda report: report["run"].update(netbox_url=proxy.url))


def test_a_502_once_is_tried_again_and_the_change_is_applied(lab):
    with Proxy(lab_env()["NETBOX_API"]) as proxy:
        plan_json, planned = plan_through(lab, proxy, "via-proxy-502")
        change = change_of(planned, "enabled")
        proxy.fail_once = "/api/dcim/interfaces/?"  # the re-read before the write
        mark = log_mark(lab)
        proc = apply(lab, plan_json, {"approve": [reviewed(change)]}, NETBOX_API=proxy.url)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proxy.fail_once is None and "1 change(s) applied, 0 unchanged, 0 stale (refused), 0 failed" in proc.stdout
    journal = list(lab["nb"].extras.journal_entries.filter(assigned_object_id=change["object"]["id"],
                                                           assigned_object_type="dcim.interface"))
    assert len(journal) == 1 and change["change_id"] in journal[0].comments
    assert "true -> false (read back from NetBox after the write)" in journal[0].comments
    assert logged_since(lab, mark) == [("update", "dcim.interface", change["object"]["id"]),
                                       ("create", "extras.journalentry", journal[0].id)]


def test_a_netbox_that_stops_answering_fails_the_change_within_the_timeout(lab):
    with Proxy(lab_env()["NETBOX_API"]) as proxy:
        plan_json, planned = plan_through(lab, proxy, "via-proxy-hang")
        create = next(c for c in planned["changes"] if c["action"] == "create")
        update = change_of(planned, "serial")
        proxy.hang.set()
        mark = log_mark(lab)
        started = time.monotonic()
        proc = apply(lab, plan_json, {"approve": [reviewed(create), reviewed(update)]},
                     "-e", "reconcile_timeout=4", NETBOX_API=proxy.url)
        took = time.monotonic() - started
    assert proc.returncode == 2
    assert took < 90, took
    assert f"{create['change_id']}: netbox.netbox.netbox_device_interface did not finish within 4s: NetBox did " \
           "not answer in time" in proc.stdout
    assert f"{update['change_id']}: re-reading the objects failed, nothing written: NetBox at {proxy.url} did not " \
           "answer within 4s while reading /api/dcim/devices/ (3 tries)" in proc.stdout
    assert logged_since(lab, mark) == []
