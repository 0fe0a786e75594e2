"""Faults on the collection path, on the lab: `ansible-playbook truthloop.netbox_drift.check`
against devices whose outputs are cut short, refused, or from another platform.

Each fault is injected into one running emulated device (lab/faults.py), the check runs
on that device, and the test reads what the user sees: the exit code, the device's
status and unverified reasons in drift.json, and the drift records, none of which may be
false (every record of the device must be drift the scenario really injected).
"""

import json

import pytest
from conftest import STATE, VENV_BIN, run

from lab import faults

IDENTITY = ("device", "kind", "key", "field", "class")
CONFIG_SECTIONS = {"facts", "interfaces", "vlans"}


def lab_env():
    env = {}
    for line in (STATE / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def check(report_dir, device, *extra):
    return run([VENV_BIN / "ansible-playbook", "-i", STATE / "inventory.yml", "truthloop.netbox_drift.check",
                "--limit", device, "-e", f"drift_check_report_dir={report_dir}", *extra], check=False, **lab_env())


def report_of(report_dir):
    return json.loads((report_dir / "latest" / "drift.json").read_text())


def device_of(lab, platform):
    return next(d["name"] for d in lab["device_view"]["devices"] if d["platform"] == platform)


def identity(rec):
    return tuple(rec[f] for f in IDENTITY)


def false_drift(lab, report, device):
    """Records of ``device`` that the scenario did not inject."""
    expected = set(identity(r) for r in lab["expected"] if r["device"] == device)
    return sorted(identity(r) for r in report["drift"] if r["device"] == device and identity(r) not in expected)


@pytest.fixture(name="inject")
def fixture_inject(lab):
    """``inject(device, {command: text | None})``; undone after the test, whatever happens."""
    touched = []

    def inject(device, changes):
        touched.append(device)
        faults.set_outputs(STATE, device, changes)
    yield inject
    for device in touched:
        faults.reset(STATE, device)


CUTS = [("cisco_ios", "show running-config", 55), ("cisco_nxos", "show running-config", 50),
        ("arista_eos", "show running-config", 30), ("juniper_junos", "show configuration | display set", 50)]


@pytest.mark.parametrize("platform,command,percent", CUTS, ids=[c[0] for c in CUTS])
def test_a_cut_configuration_is_unverified_never_drift(lab, inject, tmp_path, platform, command, percent):
    device = device_of(lab, platform)
    whole = faults.output(STATE, device, command)
    inject(device, {command: whole[: len(whole) * percent // 100]})
    proc = check(tmp_path, device)
    assert proc.returncode == 0, proc.stdout[-3000:]
    report = report_of(tmp_path)
    (entry,) = report["devices"]
    # the neighbours are still whole: their drift (the scenario's cables) is still found
    cables = sorted(identity(r) for r in lab["expected"] if r["device"] == device and r["kind"] == "cable")
    assert sorted(identity(r) for r in report["drift"] if r["device"] == device) == cables
    assert entry["device"] == device and entry["status"] == ("drift" if cables else "partial"), entry
    reasons = dict((u["section"], u["reason"]) for u in report["unverified"] if u["device"] == device)
    assert set(reasons) == CONFIG_SECTIONS, reasons
    for reason in reasons.values():
        assert reason.startswith(f"{command!r} is incomplete: "), reason
    assert false_drift(lab, report, device) == []


def test_an_eos_device_driven_as_ios_is_unverified_never_drift(lab, tmp_path):
    device = device_of(lab, "arista_eos")
    proc = check(tmp_path, device, "-e", "ansible_network_os=cisco.ios.ios")
    # the reports are written, then the unverified host fails the run, saying why
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert "'show version' says this device is arista_eos, but it was collected as cisco_ios" in proc.stdout
    report = report_of(tmp_path)
    (entry,) = report["devices"]
    assert entry["status"] == "unverified" and entry["drift"] == 0, entry
    reasons = dict((u["section"], u["reason"]) for u in report["unverified"] if u["device"] == device)
    assert set(reasons) == {"platform", "facts", "interfaces", "vlans", "neighbors"}
    # the three sources, named together
    assert reasons.pop("platform") == ("platforms disagree: NetBox says arista_eos, the connection drove it as cisco_ios "
                                       "(ansible_network_os), its show version says arista_eos; nothing was compared")
    for reason in reasons.values():
        assert "'show version' says this device is arista_eos, but it was collected as cisco_ios" in reason
    assert [r for r in report["drift"] if r["device"] == device] == []


@pytest.mark.parametrize("transport", ["fast", "network_cli"])
def test_a_refused_lldp_detail_falls_back_to_the_brief_table(lab, inject, tmp_path, transport):
    device = device_of(lab, "cisco_ios")
    inject(device, {"show lldp neighbors detail": None})  # the device's "% Invalid input" answers it
    proc = check(tmp_path, device, "-e", f"drift_check_transport={transport}")
    assert proc.returncode == 0, proc.stdout[-3000:]
    report = report_of(tmp_path)
    (entry,) = report["devices"]
    assert [u for u in report["unverified"] if u["device"] == device] == []
    expected = sorted(identity(r) for r in lab["expected"] if r["device"] == device)
    assert sorted(identity(r) for r in report["drift"] if r["device"] == device) == expected
    assert entry["status"] == ("drift" if expected else "clean")
    (manifest,) = (tmp_path / "snapshots").glob(f"*/{device}/manifest.json")
    ran = dict((c["command"], c) for c in json.loads(manifest.read_text())["commands"])
    assert not ran["show lldp neighbors detail"]["ok"] and "Invalid input" in ran["show lldp neighbors detail"]["error"]
    assert ran["show lldp neighbors"]["ok"]


def test_drift_check_commands_replaces_a_refused_command(lab, inject, tmp_path):
    device = device_of(lab, "cisco_ios")
    whole = faults.output(STATE, device, "show running-config")
    inject(device, {"show running-config": None, "more system:running-config": whole})
    commands = {"cisco_ios": [{"command": "more system:running-config", "replaces": "show running-config"}]}
    proc = check(tmp_path, device, "-e", json.dumps({"drift_check_commands": commands}))
    assert proc.returncode == 0, proc.stdout[-3000:]
    report = report_of(tmp_path)
    assert [u for u in report["unverified"] if u["device"] == device] == []
    expected = sorted(identity(r) for r in lab["expected"] if r["device"] == device)
    assert sorted(identity(r) for r in report["drift"] if r["device"] == device) == expected


def test_an_unusable_drift_check_commands_entry_stops_the_run_without_a_report(lab, tmp_path):
    device = device_of(lab, "cisco_ios")
    commands = {"cisco_ios": [{"command": "show run", "replaces": "show running"}]}
    proc = check(tmp_path, device, "-e", json.dumps({"drift_check_commands": commands}))
    assert proc.returncode != 0
    assert (f"{device}: commands: cisco_ios[0]: replaces 'show running', which is not a command of cisco_ios"
            in proc.stdout)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not (tmp_path / "latest").exists()
    bad_platform = {"cisco_iosxr": ["show ip route"]}
    proc = check(tmp_path, device, "-e", json.dumps({"drift_check_commands": bad_platform}))
    assert proc.returncode != 0 and "cisco_iosxr" in proc.stdout and not (tmp_path / "latest").exists()


def test_the_fault_hook_changes_one_device_and_reset_undoes_it(lab, inject):
    device = device_of(lab, "juniper_junos")
    whole = faults.output(STATE, device, "show version")
    inject(device, {"show version": "cut"})
    proc = run([VENV_BIN / "ansible", device, "-i", STATE / "inventory.yml", "-m", "ansible.netcommon.cli_command",
                "-a", "command='show version'"], check=False, **lab_env())
    assert '"stdout": "cut"' in proc.stdout, proc.stdout[-2000:]
    faults.reset(STATE, device)
    proc = run([VENV_BIN / "ansible", device, "-i", STATE / "inventory.yml", "-m", "ansible.netcommon.cli_command",
                "-a", "command='show version'"], check=False, **lab_env())
    assert whole.splitlines()[2] in proc.stdout
