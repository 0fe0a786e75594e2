"""The main job, `ansible-playbook truthloop.netbox_drift.check`, on the lab.

The lab's scenario injected known drift on both sides; the report must hold exactly
that drift (precision and recall 1.0), stopped devices must be unverified without
changing anything else, and bad input must fail clearly without a report of "no drift".
"""

import json
import math
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import ROOT, STATE, VENV_BIN, check_run, run
from netbox_proxy import Proxy

IDENTITY = ("device", "kind", "key", "field", "class")


def lab_env(state=STATE):
    """NETBOX_API and NETBOX_TOKEN of a lab (``.lab/env``), as the playbook's environment."""
    env = {}
    for line in (state / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def check(report_dir, *extra, state=STATE, check_rc=True, env=None):
    return run([VENV_BIN / "ansible-playbook", "-i", state / "inventory.yml", "truthloop.netbox_drift.check",
                "-e", f"drift_check_report_dir={report_dir}", *extra], check=check_rc, **(env or lab_env(state)))


def identity(rec):
    return tuple(rec[f] for f in IDENTITY)


def load_report(report_dir):
    return json.loads((report_dir / "latest" / "drift.json").read_text())


@pytest.fixture(scope="module")
def baseline(lab, tmp_path_factory):
    report_dir = tmp_path_factory.mktemp("reports")
    proc = check(report_dir)
    return {"dir": report_dir, "report": load_report(report_dir), "stdout": proc.stdout}


def test_report_holds_exactly_the_scenario(lab, baseline):
    expected = dict((identity(r), r) for r in lab["expected"])
    found = dict((identity(r), r) for r in baseline["report"]["drift"] if r["counted"])
    true_positive = set(found) & set(expected)
    precision = len(true_positive) / len(found) if found else 0.0
    recall = len(true_positive) / len(expected) if expected else 1.0
    assert (precision, recall) == (1.0, 1.0), {
        "false drift": sorted(set(found) - set(expected), key=str),
        "missed": sorted(set(expected) - set(found), key=str)}
    for ident, want in expected.items():
        got = found[ident]
        if "one_sided" in want:  # the cable seen from the far end of the link
            assert got["one_sided"] is want["one_sided"], (ident, got["evidence"].get("far_end"))
        if want["field"] is None:
            continue
        assert (got["netbox_value"], got["device_value"]) == (want["netbox_value"], want["device_value"]), ident


def test_every_record_carries_its_evidence(baseline):
    report = baseline["report"]
    assert report["schema"] == "truthloop.netbox_drift/drift-report" and report["version"] == 1
    for rec in report["drift"]:
        assert len(rec["id"]) == 12 and rec["severity"] in ("low", "medium", "high")
        evidence = rec["evidence"]
        assert evidence["netbox_url"].startswith("http"), rec
        if rec["class"] != "missing_on_device":
            assert evidence["device_lines"] and evidence["template"].endswith(".ttp"), rec
    by_change = dict((r["key"], r) for r in report["drift"])
    assert any("switchport access vlan 20" in line
               for line in by_change["GigabitEthernet1/0/2"]["evidence"]["device_lines"])


def test_summary_and_files(lab, baseline):
    report, run_dir = baseline["report"], baseline["dir"] / "latest"
    devices_with_drift = set(r["device"] for r in lab["expected"])
    summary = report["summary"]
    assert summary["drift"] == len(lab["expected"])
    assert summary["by_status"]["drift"] == len(devices_with_drift)
    assert summary["by_status"]["clean"] == lab["devices"] - len(devices_with_drift)
    assert summary["line"] in baseline["stdout"]
    for name in ("drift.md", "drift.html", "junit.xml"):
        assert (run_dir / name).stat().st_size > 0
    suite = ET.parse(run_dir / "junit.xml").getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    failing = set(case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None)
    assert failing == devices_with_drift
    assert str(lab["expected"][0]["device"]) in (run_dir / "drift.md").read_text()
    token = lab_env()["NETBOX_TOKEN"]
    secrets = [token.rsplit(".", 1)[-1],  # a v2 token's secret part, or the whole v1 token
               yaml.safe_load((STATE / "group_vars" / "all.yml").read_text())["ansible_password"]]
    for path in [p for p in [*run_dir.iterdir(), *(baseline["dir"] / "snapshots").rglob("*")] if p.is_file()]:
        text = path.read_text()
        assert not [s for s in secrets if s in text], path
    assert not [s for s in secrets if s in baseline["stdout"]]


def test_same_drift_same_id_and_changes_since_previous(lab, baseline, tmp_path):
    first = baseline["report"]
    check(baseline["dir"], "--limit", "dc1-ios-01")
    second = load_report(baseline["dir"])
    ids = dict((identity(r), r["id"]) for r in first["drift"] if r["device"] == "dc1-ios-01")
    assert ids and ids == dict((identity(r), r["id"]) for r in second["drift"])
    device = second["devices"][0]
    assert device["changes_since_previous"]["previous_run"] == first["run"]["id"]
    assert device["changes_since_previous"]["changes"] == []


def test_a_repeat_run_with_the_netbox_cache_reads_what_changed_and_reports_the_same(baseline, tmp_path):
    """drift_check_netbox_cache_dir through the role's fast path (drift_batch reading NetBox
    while it collects): the first run reads every interface, the repeat run none (nothing
    changed in NetBox), and both report exactly what the baseline run reported."""
    cache = "drift_check_netbox_cache_dir=%s" % (tmp_path / "cache")
    with Proxy(lab_env()["NETBOX_API"]) as proxy:
        first = check_run(tmp_path / "first", "-e", cache, NETBOX_API=proxy.url)
        first_seen, proxy.seen[:] = list(proxy.seen), []
        repeat = check_run(tmp_path / "repeat", "-e", cache, NETBOX_API=proxy.url)
    assert first.returncode == repeat.returncode == 0, (first.stdout[-2000:], repeat.stdout[-2000:])
    assert any(path.startswith("/api/dcim/interfaces/") for method, path in first_seen)
    assert proxy.seen and not any(path.startswith("/api/dcim/interfaces/") for method, path in proxy.seen), \
        proxy.seen
    want = sorted(identity(r) for r in baseline["report"]["drift"])
    for run_dir in ("first", "repeat"):
        assert sorted(identity(r) for r in load_report(tmp_path / run_dir)["drift"]) == want


def test_diff_shows_netbox_before_and_device_after(lab, tmp_path):
    want = next(r for r in lab["expected"] if r["device"] == "dc1-ios-01")
    proc = check(tmp_path, "--diff", "--limit", "dc1-ios-01")
    assert "before: NetBox: dc1-ios-01" in proc.stdout and "after: device: dc1-ios-01" in proc.stdout
    line = f"interface {want['key']} {want['field']}: "
    assert f"-{line}{want['netbox_value']}\n" in proc.stdout
    assert f"+{line}{want['device_value']}\n" in proc.stdout


def test_fail_on_gates_the_run_after_writing_reports(lab, tmp_path):
    proc = check(tmp_path, "-e", "drift_check_fail_on=severity:high", check_rc=False)
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert "drift check failed (fail_on severity:high)" in proc.stdout
    assert load_report(tmp_path)["summary"]["failed"] is True


def test_waiver_until_a_date(lab, baseline, tmp_path):
    target = next(r for r in baseline["report"]["drift"] if r["key"] == "GigabitEthernet1/0/2")
    for expires, counted in (("2999-01-01", False), ("2020-01-01", True)):
        waiver = json.dumps({"drift_check_waivers": [
            {"id": target["id"], "reason": "CHG-42 in progress", "expires": expires}]})
        check(tmp_path, "--limit", "dc1-ios-01", "-e", waiver)
        rec = next(r for r in load_report(tmp_path)["drift"] if r["id"] == target["id"])
        assert rec["counted"] is counted and rec["waiver"]["reason"] == "CHG-42 in progress"
        assert rec["waiver"]["expired"] is counted


def test_stopped_devices_are_unverified_and_the_rest_unchanged(lab, baseline, tmp_path):
    from lab import devices  # the lab's own controls, from the checkout

    names = sorted(d["name"] for d in lab["netbox_view"]["devices"])
    count = math.ceil(len(names) / 10)  # 10 % of the lab, at least one device
    stopped = names[:: len(names) // count][:count]
    devices.stop_devices(STATE, stopped)
    try:
        proc = check(tmp_path, check_rc=False)
    finally:
        devices.start_devices(STATE, stopped)
    # the reports are written, then exactly the stopped hosts fail (drift_check_fail_unverified)
    assert proc.returncode == 2, proc.stdout[-3000:]
    failed = set(re.findall(r"^(\S+)\s+: ok=\d+ .* failed=1 ", proc.stdout, re.M))
    assert failed == set(stopped), proc.stdout[-3000:]
    report = load_report(tmp_path)
    by_device = dict((d["device"], d) for d in report["devices"])
    for name in stopped:
        assert by_device[name]["status"] == "unverified", by_device[name]
        assert not [r for r in report["drift"] if r["device"] == name]
    before = sorted(identity(r) for r in baseline["report"]["drift"] if r["device"] not in stopped)
    assert sorted(identity(r) for r in report["drift"]) == before
    assert set(e["device"] for e in report["unverified"]) == set(stopped)


def test_bad_token_fails_clearly_without_a_report(lab, tmp_path):
    env = dict(lab_env(), NETBOX_TOKEN="nbt_notarealkey.0123456789abcdef0123456789abcdef01234567")
    proc = check(tmp_path, check_rc=False, env=env)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "0123456789abcdef0123456789abcdef01234567" not in proc.stdout + proc.stderr
    assert "NetBox" in proc.stdout
    assert not (tmp_path / "latest").exists()


@pytest.fixture(scope="module")
def clean_lab(lab):
    """A second lab with no scenario: NetBox and the devices agree."""
    state = ROOT / ".lab-none"  # PostgreSQL runs as its own user: not under pytest's private /tmp dir
    env = {"LAB_STATE": str(state)}
    run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "12", "--scenario", "none"], timeout=3000, **env)
    yield state
    run([VENV_BIN / "python", "-m", "lab", "down"], **env)
    shutil.rmtree(state, ignore_errors=True)


def test_no_scenario_no_drift(clean_lab, tmp_path):
    check(tmp_path, state=clean_lab, env=dict(lab_env(clean_lab), LAB_STATE=str(clean_lab)))
    report = load_report(tmp_path)
    assert report["drift"] == [], [identity(r) for r in report["drift"]]
    assert report["summary"]["by_status"]["clean"] == 12


def test_make_demo_runs_the_check_on_the_lab(lab):
    if STATE != ROOT / ".lab":
        pytest.skip("make demo runs on the lab in .lab/, not on LAB_STATE")
    proc = run(["make", "demo"])
    latest = STATE / "reports" / "latest"
    assert f"demo: HTML report {latest}/drift.html" in proc.stdout
    report = json.loads((latest / "drift.json").read_text())
    assert report["summary"]["line"] in proc.stdout
    assert report["summary"]["drift"] == len(lab["expected"])
