"""Discovery on the lab (scenario ``discovery``): the real ``ansible-playbook
truthloop.netbox_drift.discover`` and the check's ``drift_check_discover`` find exactly
the undocumented devices of the scenario's ground truth (precision and recall 1.0), never
connect outside the allowed prefixes (the lab's relay records every connection attempt
to a discovered device's address), and the plan proposes them for approval; an approved
one is written to NetBox through the netbox.netbox modules and is no longer reported.

The lab is the running one when it runs scenario ``discovery``, else one of its own
(``.lab-discovery``), taken down afterwards."""

import json
import shutil

import pynetbox
import pytest
from conftest import ROOT, STATE, VENV_BIN, run

OWN = ROOT / ".lab-discovery"  # PostgreSQL runs as its own user: not under pytest's private /tmp dir
IDENTITY = ("device", "class")


def lab_env(state):
    env = {"LAB_STATE": str(state)}
    for line in (state / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def lab_down(state):
    if (state / "lab.json").exists():
        run([VENV_BIN / "python", "-m", "lab", "down"], check=False, LAB_STATE=str(state))
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module", name="dlab")
def fixture_dlab():
    shared = STATE / "lab.json"
    if shared.exists() and json.loads(shared.read_text()).get("scenario") == "discovery":
        state, own = STATE, False
    else:
        state, own = OWN, True
        lab_down(state)  # what a run that was stopped may have left
        run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "12", "--scenario", "discovery"], timeout=3000,
            LAB_STATE=str(state))
    try:
        env = lab_env(state)
        info = json.loads((state / "lab.json").read_text())
        # no token or password in here: pytest prints a fixture's value when a test fails
        yield {"state": state, "truth": json.loads((state / "expected-discovery.json").read_text()),
               "relay": info["discovery"], "api": env["NETBOX_API"]}
    finally:
        if own:
            lab_down(state)


def attempts(dlab):
    path = dlab["state"] / "relay-attempts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def playbook(dlab, name, *extra, check=True, **env):
    state = dlab["state"]
    return run([VENV_BIN / "ansible-playbook", "-i", state / "inventory.yml", name, "-e",
                f"@{state / 'discovery.yml'}", *extra], check=check, **dict(lab_env(state), **env))


def discover(dlab, report_dir, *extra, check=True):
    """One discovery run: ``(report, the connection attempts it made, its process)``."""
    before = len(attempts(dlab))
    proc = playbook(dlab, "truthloop.netbox_drift.discover", "-e", f"discover_report_dir={report_dir}", *extra,
                    check=check)
    path = report_dir / "latest" / "drift.json"
    report = json.loads(path.read_text()) if path.exists() else None
    return report, attempts(dlab)[before:], proc


@pytest.fixture(scope="module", name="found")
def fixture_found(dlab, tmp_path_factory):
    report_dir = tmp_path_factory.mktemp("discover")
    report, made, proc = discover(dlab, report_dir)
    return {"dir": report_dir, "report": report, "attempts": made, "stdout": proc.stdout}


def precision_recall(found, expected):
    hits = set(found) & set(expected)
    return (len(hits) / len(found) if found else 0.0, len(hits) / len(expected) if expected else 1.0)


def test_discovery_finds_exactly_the_undocumented_devices(dlab, found):
    truth = dict((d["name"], d) for d in dlab["truth"]["devices"])
    records = dict((r["device"], r) for r in found["report"]["drift"])
    got = set((r["device"], r["class"]) for r in records.values())
    want = set((d["name"], d["class"]) for d in truth.values())
    assert precision_recall(got, want) == (1.0, 1.0), {"false": sorted(got - want), "missed": sorted(want - got)}
    assert len(found["report"]["drift"]) == len(want)  # one record per device, however many switches see it
    for name, want in truth.items():
        if want["class"] != "missing_in_netbox":
            continue
        rec, learnt = records[name], records[name]["discovered"]
        assert (rec["kind"], rec["key"], rec["field"]) == ("device", name, None)
        assert learnt["depth"] == want["depth"] and learnt["mgmt_address"] == want["address"], name
        links = sorted((link["device"], link["port"], link["remote_port"], protocol)
                       for link in learnt["links"] for protocol in link["protocols"])
        assert links == sorted(tuple(s) for s in want["seen_by"]), name
        assert learnt["site"] == want["site"]
        if want["reached"]:
            assert learnt["source"] == "login" and learnt["login"]["error"] is None, learnt["login"]
            assert (learnt["platform"], learnt["model"], learnt["serial"], learnt["os_version"]) == \
                (want["platform"], want["model"], want["serial"], want["os_version"]), name
            assert sorted(i["name"] for i in learnt["interfaces"]) == sorted(want["interfaces"])
        else:
            assert learnt["source"] == "neighbours" and learnt["login"] is None
            assert "outside discover_allow" in learnt["not_followed"]
        assert rec["evidence"]["mgmt_address"] == want["address"]
        assert set(s["seen_by"] for s in rec["evidence"]["seen_by"]) == set(s[0] for s in want["seen_by"])


def test_discovery_never_connects_outside_the_allow_list(dlab, found):
    truth = dlab["truth"]
    outside = set(truth["never_connected"])
    assert outside and not [a for a in found["attempts"] if a["address"] in outside]
    reached = sorted(d["address"] for d in truth["devices"] if d.get("reached"))
    assert sorted(a["address"] for a in found["attempts"]) == reached  # one login each, nothing else
    logins = found["report"]["discovery"]["attempts"]
    assert sorted(a["address"] for a in logins) == reached and all(a["result"] == "ok" for a in logins)
    assert all(a["address"].startswith("127.77.") for a in attempts(dlab))


def test_an_empty_allow_list_connects_to_nothing(dlab, tmp_path):
    report, made = discover(dlab, tmp_path, "-e", '{"discover_allow": []}')[:2]
    assert made == []
    records = dict((r["device"], r) for r in report["drift"])
    truth = dict((d["name"], d) for d in dlab["truth"]["devices"])
    first = sorted(n for n, d in truth.items() if d.get("depth") == 1)
    assert sorted(n for n, r in records.items() if r["class"] == "missing_in_netbox") == first
    for name in first:
        assert records[name]["discovered"]["not_followed"] == "discover_allow is empty: discovery connects to nothing"


def test_a_discovery_that_cannot_read_netbox_fails_and_says_so(dlab, tmp_path):
    report, made, proc = discover(dlab, tmp_path, "--limit", "dc1-ios-01", "-e",
                                  "discover_netbox_url=http://127.0.0.1:9", check=False)
    assert proc.returncode != 0 and made == []
    assert report["discovery"]["error"].startswith("discover: cannot connect to NetBox at http://127.0.0.1:9")
    assert report["drift"] == [] and "discovery failed: discover: cannot connect" in report["summary"]["line"]
    assert "discovery failed" in proc.stdout


def test_the_plan_proposes_them_and_an_approved_one_is_written(dlab, found, tmp_path):
    env = lab_env(dlab["state"])
    run([VENV_BIN / "ansible-playbook", "-i", "localhost,", "truthloop.netbox_drift.plan", "-e",
         f"reconcile_report={found['dir'] / 'latest' / 'drift.json'}"], **env)
    plan = json.loads((found["dir"] / "latest" / "plan.json").read_text())
    truth = dict((d["name"], d) for d in dlab["truth"]["devices"])
    proposed = sorted(set(c["device"] for c in plan["changes"]))
    assert proposed == sorted(n for n, d in truth.items() if d.get("reached"))
    unplannable = dict((e["device"], e["reason"]) for e in plan["unplannable"])
    assert "a device type: its model is not known (it was not logged into)" in unplannable["dc1-ud-out"]
    assert [e["device"] for e in plan["remediation"]] == ["dc1-gone-01"]  # NetBox is right by default
    mine = [c for c in plan["changes"] if c["device"] == "dc1-ud-sw1"]
    assert [c["module"].rsplit(".", 1)[-1] for c in mine].count("netbox_cable") == 2
    assert all(c["group"] == mine[0]["group"] and c["digest"] for c in mine)
    nb = pynetbox.api(env["NETBOX_API"], token=env["NETBOX_TOKEN"])
    try:
        applied = run([VENV_BIN / "ansible-playbook", "-i", "localhost,", "truthloop.netbox_drift.apply",
                       "-e", f"reconcile_plan={found['dir'] / 'latest' / 'plan.json'}",
                       "-e", '{"reconcile_approve_devices": ["dc1-ud-sw1"]}', "-e", "reconcile_approved_by=pytest",
                       "-e", f"reconcile_plan_digest={plan['digest']}"], **env)
        assert f"{len(mine)} change(s) applied, 0 unchanged, 0 stale (refused), 0 failed" in applied.stdout
        device = nb.dcim.devices.get(name="dc1-ud-sw1")
        want = truth["dc1-ud-sw1"]
        assert (device.site.slug, device.role.slug, device.serial) == ("dc1", "access", want["serial"])
        assert device.device_type.model == want["model"] and str(device.primary_ip4) == want["address"] + "/16"
        ends = sorted((c.a_terminations[0].device.name, c.a_terminations[0].name) for c in
                      nb.dcim.cables.filter(device_id=device.id))
        assert ends == [("dc1-eos-03", "Ethernet35"), ("dc1-ios-01", "GigabitEthernet1/0/35")]
        again, made = discover(dlab, tmp_path / "again")[:2]
        assert "dc1-ud-sw1" not in [r["device"] for r in again["drift"] if r["class"] == "missing_in_netbox"]
        assert not [a for a in made if a["address"] in dlab["truth"]["never_connected"]]
    finally:
        device = nb.dcim.devices.get(name="dc1-ud-sw1")
        if device:
            for cable in nb.dcim.cables.filter(device_id=device.id):
                cable.delete()
            device.delete()


def test_the_check_reports_the_scenario_and_the_discovered_devices(dlab, tmp_path):
    """The check's own records are test_drift_check's business (exact there); here: every one of
    them is still reported beside discovery, and discovery's records are exactly the truth."""
    state = dlab["state"]
    proc = playbook(dlab, "truthloop.netbox_drift.check", "-e", "drift_check_discover=true", "-e",
                    f"drift_check_report_dir={tmp_path}", check=False)
    assert proc.returncode == 2 and "dc1-gone-01: not verified" in proc.stdout  # the gone device fails on its own
    report = json.loads((tmp_path / "latest" / "drift.json").read_text())
    expected = json.loads((state / "expected-drift.json").read_text())
    checked = set((r["device"], r["kind"], r["key"], r["field"], r["class"]) for r in expected)
    got = set((r["device"], r["kind"], r["key"], r["field"], r["class"]) for r in report["drift"] if r["counted"])
    assert not checked - got, sorted(checked - got, key=str)
    found = set((r["device"], r["class"]) for r in report["drift"] if r["kind"] == "device" and r["field"] is None)
    want = set((d["name"], d["class"]) for d in dlab["truth"]["devices"])
    assert precision_recall(found, want) == (1.0, 1.0), {"false": sorted(found - want), "missed": sorted(want - found)}
    assert report["summary"]["discovery"] == {"not_in_netbox": 4, "unseen": 1}
    assert report["discovery"]["allow"] == dlab["truth"]["allow"]
    outside = set(dlab["truth"]["never_connected"])
    assert not [a for a in attempts(dlab) if a["address"] in outside]
