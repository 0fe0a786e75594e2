"""Real fabrics we did not build: each deployed fabric of ../shared/corpus/fabrics replayed
(its captures served over SSH byte for byte, NetBox loaded from its own AVD intent, a
scenario of NetBox edits on top), checked with the real ansible-playbook.

For each fabric: every captured device is verified (nothing dropped, no section unverified
while its command was captured); the report holds exactly the fabric's real differences
(``lab/fabrics/<fabric>.yml``, each with why it is real) and the scenario's records, so the
injected drift is found with precision and recall 1.0. A pre-deploy fabric reads as one
verdict per device. The replay runs in its own state directory, one fabric at a time, and
stops before the next starts.
"""

import json
import re

import pytest

from conftest import ROOT, VENV_BIN, run

FABRICS_STATE = ROOT / ".lab-fabric"
DEPLOYED = ("11_evpn_vxlan", "avd_sym_sa_multihoming", "mpls_evpn_irb", "mpls_ldp_l2evpn")
IDENT = ("device", "kind", "key", "field", "class")


def lab(*args, check=True):
    return run([VENV_BIN / "python", "-m", "lab", *args], timeout=1800, check=check, LAB_STATE=str(FABRICS_STATE))


def check_fabric(report_dir, *extra):
    env = dict(line.split("=", 1) for line in (FABRICS_STATE / "env").read_text().split())
    return run([VENV_BIN / "ansible-playbook", "-i", FABRICS_STATE / "inventory.yml", "truthloop.netbox_drift.check",
                "-e", f"drift_check_report_dir={report_dir}", *extra], check=False, **env)


def _replay(name, tmp_path_factory):
    """One fabric up with its scenario, checked once; the lab is stopped afterwards."""
    lab("down", check=False)
    lab("up", "--fabric", name, "--scenario", "default" if name in DEPLOYED else "none")
    try:
        reports = tmp_path_factory.mktemp(name)
        proc = check_fabric(reports)
        info = json.loads((FABRICS_STATE / "lab.json").read_text())
        yield {"name": name, "proc": proc, "lab": info,
               "report": json.loads((reports / "latest" / "drift.json").read_text()),
               "expected": json.loads((FABRICS_STATE / "expected-drift.json").read_text()),
               "baseline": json.loads((FABRICS_STATE / "baseline-drift.json").read_text())}
    finally:
        lab("down", check=False)


@pytest.fixture(scope="module", params=DEPLOYED)
def replay(request, tmp_path_factory):
    """A deployed fabric with its scenario."""
    yield from _replay(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def predeploy(tmp_path_factory):
    """avd_asym_irb: every device still runs its containerlab bootstrap configuration."""
    yield from _replay("avd_asym_irb", tmp_path_factory)


def ident(record):
    return tuple(record.get(k) for k in IDENT)


def captured_devices(replay):
    from lab import fabric  # the test reads the corpus the lab replays
    live = fabric.captures(replay["name"])
    return set(fabric.live_names(replay["lab"]["ports"], live))


def test_every_captured_device_is_verified(replay):
    report, captured = replay["report"], captured_devices(replay)
    devices = dict((d["device"], d) for d in report["devices"])
    assert captured and captured <= set(devices), replay["proc"].stdout[-3000:]
    for name in captured:
        assert devices[name]["status"] in ("clean", "drift"), (name, devices[name])
        assert devices[name]["unverified"] == [], (name, devices[name]["unverified"])
    silent = set(devices) - captured
    for name in silent:  # in the intent, never deployed: nothing answers
        assert devices[name]["status"] == "unverified"
        assert "refused" in json.dumps(devices[name]["unverified"])
    failed = set(re.findall(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=[1-9]",
                            replay["proc"].stdout, re.M))
    assert failed == silent  # exactly the devices that could not be verified fail in the recap
    assert replay["proc"].returncode == (2 if silent else 0), replay["proc"].stdout[-3000:]


def test_the_report_holds_the_real_differences_and_the_scenario_exactly(replay):
    found = dict((ident(r), r) for r in replay["report"]["drift"])
    injected = dict((ident(r), r) for r in replay["expected"])
    real = dict((ident(r), r) for r in replay["baseline"])
    unexpected = sorted(set(found) - set(injected) - set(real), key=str)
    missed = sorted((set(injected) | set(real)) - set(found), key=str)
    assert (unexpected, missed) == ([], []), "unexpected %s, missed %s" % (unexpected, missed)
    hits = set(found) & set(injected)
    precision = len(hits) / float(len(set(found) - set(real)))
    recall = len(hits) / float(len(injected))
    assert (precision, recall) == (1.0, 1.0)
    for key, want in injected.items():
        if "one_sided" in want:
            assert found[key]["one_sided"] is want["one_sided"], (key, found[key].get("evidence"))


def test_a_pre_deploy_fabric_is_one_verdict_per_device(predeploy):
    """A device that runs something else than NetBox says reads as one record, not a flood."""
    report = predeploy["report"]
    captured = captured_devices(predeploy)
    assert len(captured) == len(report["devices"]) == 6
    for entry in report["devices"]:
        records = [r for r in report["drift"] if r["device"] == entry["device"]]
        assert [(r["kind"], r["field"], r["severity"]) for r in records] == [("device", "hostname", "high")]
        assert records[0]["device_value"] != entry["device"]
        assert entry["label"] == "drift, 3 sections unverified"
    assert report["summary"]["drift"] == 6


def test_no_secret_of_the_intent_or_the_captures_reaches_the_report(replay):
    """The intent holds BGP passwords and local users' hashes; NetBox never receives them and
    the report shows none."""
    text = json.dumps(replay["report"])
    from lab import avd
    for config in avd.read_intent(replay["name"]).values():
        for user in avd.entries(config.get("local_users")):
            assert not user.get("sha512_password") or user["sha512_password"] not in text
        for group in avd.entries((config.get("router_bgp") or {}).get("peer_groups")):
            assert not group.get("password") or group["password"] not in text
