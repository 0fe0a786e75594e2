"""Reconcile on a lab of its own (``.lab-reconcile``, so the shared lab is not touched):
the scenario's drift checked with the device as authority, planned with drift_plan,
approved in part and applied with drift_apply; NetBox read back through the API holds
exactly the approved changes, a new check shows only the unapproved drift, a second
apply changes nothing, an object edited after planning is refused as stale, check
mode writes nothing (NetBox's change log), and the token is in no file or output."""

import json
import re
import shutil

import pynetbox
import pytest
from conftest import ROOT, VENV_BIN, run

STATE = ROOT / ".lab-reconcile"  # PostgreSQL runs as its own user: not under pytest's private /tmp dir
PLAYBOOK = ROOT / "tests" / "integration" / "playbooks" / "apply.yml"
APPROVED = {("interface", "description"), ("interface", "mtu"), ("interface", "enabled"), ("ip_address", "interface")}
STALE_FIELD = ("device", "serial")
OUTPUTS = []  # every stdout and stderr, for the token check


def lab_env():
    env = {"LAB_STATE": str(STATE)}
    for line in (STATE / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def command(args, check=True, **extra):
    proc = run(args, check=check, **dict(lab_env(), **extra))
    OUTPUTS.extend([proc.stdout, proc.stderr])
    return proc


def lab_down():
    if (STATE / "lab.json").exists():
        run([VENV_BIN / "python", "-m", "lab", "down"], check=False, LAB_STATE=str(STATE))
    shutil.rmtree(STATE, ignore_errors=True)


@pytest.fixture(scope="module", name="recon")
def fixture_recon(tmp_path_factory):
    """A fresh lab (12 devices, scenario default), taken down afterwards."""
    lab_down()  # what a run that was stopped may have left
    run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "12", "--scenario", "default"], timeout=3000,
        LAB_STATE=str(STATE))
    try:
        env = lab_env()
        work = tmp_path_factory.mktemp("reconcile")
        dataset = json.loads((STATE / "dataset-netbox.json").read_text())
        sites = dict((device["name"], device["site"]) for device in dataset["devices"])
        # no token in here: pytest prints a fixture's value when a test fails
        yield {"work": work, "sites": sites, "nb": pynetbox.api(env["NETBOX_API"], token=env["NETBOX_TOKEN"])}
    finally:
        lab_down()


def drift_check(recon, name):
    report_dir = recon["work"] / name
    command([VENV_BIN / "ansible-playbook", "-i", STATE / "inventory.yml", "truthloop.netbox_drift.check",
             "-e", f"drift_check_report_dir={report_dir}", "-e", '{"drift_check_authority": {"default": "device"}}'])
    return json.loads((report_dir / "latest" / "drift.json").read_text())


def playbook_vars(recon):
    path = recon["work"] / "vars.json"
    path.write_text(json.dumps({"reconcile_report": str(recon["work"] / "baseline" / "latest" / "drift.json"),
                                "reconcile_plan_dir": str(recon["work"] / "plan"),
                                "reconcile_sites": recon["sites"]}))
    return path


def apply(recon, name, approvals, *extra):
    """drift_apply through the playbook with this approval file; its result."""
    approval_file = recon["work"] / f"{name}-approval.json"
    approval_file.write_text(json.dumps(approvals))
    out = recon["work"] / f"{name}-result.json"
    command([VENV_BIN / "ansible-playbook", "-i", "localhost,", PLAYBOOK, "--tags", "apply", "-e", f"@{playbook_vars(recon)}",
             "-e", f"reconcile_approval_file={approval_file}", "-e", f"reconcile_out={out}", *extra])
    return json.loads(out.read_text())


def counts(recon):
    """NetBox's change log and journal entries, counted."""
    nb = recon["nb"]
    return nb.core.object_changes.count(), nb.extras.journal_entries.count()


@pytest.fixture(scope="module", name="planned")
def fixture_planned(recon):
    report = drift_check(recon, "baseline")
    command([VENV_BIN / "ansible-playbook", "-i", "localhost,", PLAYBOOK, "--tags", "plan", "-e", f"@{playbook_vars(recon)}"])
    plan = json.loads((recon["work"] / "plan" / "plan.json").read_text())
    approved = [c for c in plan["changes"] if (c["kind"], c["field"]) in APPROVED]
    return {"report": report, "plan": plan, "approved": approved,
            "others": [c for c in plan["changes"] if c not in approved]}


def ids(entries):
    return sorted(e["change_id"] for e in entries)


def reviewed(changes):
    """The changes as plan.md shows them to the reviewer, each with its digest."""
    return sorted("%s@%s" % (c["change_id"], c["digest"][:12]) for c in changes)


def test_plan_holds_the_scenario_changes(planned):
    assert len(planned["approved"]) == len(APPROVED)
    assert STALE_FIELD in [(c["kind"], c["field"]) for c in planned["others"]]
    assert all(c["object"]["last_updated"] for c in planned["approved"])


def test_check_mode_writes_nothing(recon, planned):
    before = counts(recon)
    result = apply(recon, "check", {"approve": ["all"], "plan_digest": planned["plan"]["digest"], "approved_by": "tester"},
                   "--check", "--diff")
    assert counts(recon) == before
    assert result["check_mode"] is True and result["applied"]
    assert "would be applied (check mode)" in result["msg"]
    assert all("diff" in entry and "journal" not in entry for entry in result["applied"])
    assert set(ids(result["applied"])) >= set(ids(planned["approved"]))
    # every planned change resolves in NetBox, the interface create with its group-scoped VLAN too
    assert result["failed_changes"] == [] and ids(result["applied"]) == ids(planned["plan"]["changes"])


def test_plan_playbook_previews_every_change_in_check_mode(recon, planned):
    """plan.yml, the plan as netbox.netbox tasks, run as a reviewer would: --check --diff."""
    before = counts(recon)
    proc = command([VENV_BIN / "ansible-playbook", "-i", "localhost,", recon["work"] / "plan" / "plan.yml",
                    "--check", "--diff"])
    assert counts(recon) == before
    total = len(planned["plan"]["changes"])
    # the first tasks check that it runs with --check and that NetBox is the one the plan was made for
    assert re.search(r"localhost\s+: ok=%d\s+changed=%d\s+unreachable=0\s+failed=0" % (total + 2, total),
                     proc.stdout), proc.stdout[-3000:]
    for change in planned["plan"]["changes"]:
        assert "TASK [Change %s: " % change["change_id"] in proc.stdout
    assert proc.stdout.count("+++ after") >= len(planned["approved"])
    other = command([VENV_BIN / "ansible-playbook", "-i", "localhost,", recon["work"] / "plan" / "plan.yml",
                     "--check", "-e", "netbox_url=http://127.0.0.2:9/"], check=False)
    assert other.returncode == 2 and "This plan was made for NetBox at " in other.stdout
    assert "changed=0" in other.stdout and counts(recon) == before


def read_back(nb, change):
    obj = change["object"]
    if obj["type"] == "dcim.interface":
        return nb.dcim.interfaces.get(obj["id"])
    if obj["type"] == "ipam.ipaddress":
        return nb.ipam.ip_addresses.get(obj["id"])
    return nb.dcim.devices.get(obj["id"])


def holds_after(record, change):
    field, after = change["field"], change["after"]
    if change["kind"] == "ip_address":
        return record.assigned_object.name == after and record.assigned_object.device.name == change["device"]
    return getattr(record, field) == after


def test_apply_exactly_the_approved_changes(recon, planned):
    changes_before, journal_before = counts(recon)
    approvals = {"approve": reviewed(planned["approved"]), "approved_by": "tester"}
    result = apply(recon, "first", approvals)
    assert not result.get("failed"), result
    assert ids(result["applied"]) == ids(planned["approved"])
    assert ids(result["not_approved"]) == ids(planned["others"])
    assert result["stale"] == [] and result["unchanged"] == [] and result["failed_changes"] == []
    nb = recon["nb"]
    for change in planned["approved"]:
        assert holds_after(read_back(nb, change), change), change["change_id"]
        journal = list(nb.extras.journal_entries.filter(assigned_object_type=change["object"]["type"],
                                                        assigned_object_id=change["object"]["id"]))
        assert len(journal) == 1 and change["change_id"] in journal[0].comments
        assert "Approved by tester" in journal[0].comments and "truthloop.netbox_drift" in journal[0].comments
    for change in planned["others"]:
        if change["object"]:
            assert read_back(nb, change).last_updated == change["object"]["last_updated"], change["change_id"]
    changes_after, journal_after = counts(recon)
    assert journal_after - journal_before == len(APPROVED)
    assert changes_after - changes_before == 2 * len(APPROVED)  # each change and its journal entry


def test_second_apply_changes_nothing(recon, planned):
    before = counts(recon)
    result = apply(recon, "second", {"approve": reviewed(planned["approved"]), "approved_by": "tester"})
    assert result["changed"] is False and result["applied"] == []
    assert ids(result["unchanged"]) == ids(planned["approved"])
    assert counts(recon) == before


def test_new_check_shows_only_the_unapproved_drift(recon, planned):
    report = drift_check(recon, "after")
    approved = set(c["drift_id"] for c in planned["approved"])
    assert sorted(r["id"] for r in report["drift"]) == sorted(
        r["id"] for r in planned["report"]["drift"] if r["id"] not in approved)


def test_object_edited_after_planning_is_stale(recon, planned):
    change = next(c for c in planned["others"] if (c["kind"], c["field"]) == STALE_FIELD)
    device = recon["nb"].dcim.devices.get(change["object"]["id"])
    device.comments = "edited after planning"
    assert device.save()
    before = counts(recon)
    result = apply(recon, "stale", {"approve": reviewed([change]), "approved_by": "tester"})
    assert counts(recon) == before
    assert ids(result["stale"]) == [change["change_id"]] and result["applied"] == []
    reason = result["stale"][0]["reason"]
    edited = recon["nb"].dcim.devices.get(change["object"]["id"])
    assert change["object"]["last_updated"] in reason and edited.last_updated in reason
    assert edited.serial == change["before"]
    assert result["failed"] is True and "refused as stale" in result["warnings"][0]  # the task fails
    assert "1 stale (refused)" in result["msg"] and "plan again" in result["msg"]


def test_token_in_no_file_or_output(recon, planned):
    token = lab_env()["NETBOX_TOKEN"]
    secrets = [token, token.rsplit(".", 1)[-1]]  # a v2 token's secret part, or the whole v1 token
    texts = list(OUTPUTS) + [PLAYBOOK.read_text()]
    texts += [path.read_text() for path in recon["work"].rglob("*") if path.is_file() and path.suffix in
              (".json", ".yml", ".md", ".html", ".xml")]
    assert len(texts) > 10
    assert not [text[:200] for text in texts if any(secret in text for secret in secrets)]
