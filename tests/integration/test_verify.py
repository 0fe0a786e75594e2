"""Verification at the moment of connection: an existing play (a configuration backup over
network_cli) includes the check role's ``verify`` entry point as a post-task. It reuses
each host's open session (no second login: the same number of connection daemons as the
play without it), reads NetBox for the play's hosts, writes the usual reports, and fails
exactly the hosts the lab left with drift when drift_check_fail_hosts_with_drift is on."""

import json
import re

from conftest import ROOT, STATE, VENV_BIN, lab_env, run

PLAY = ROOT / "lab" / "playbooks" / "backup_verify.yml"


def backup_play(out, verify, *extra):
    """The play under the child subreaper of lab.cpuwrap: (CompletedProcess, cpuwrap's figures)."""
    figures = out / "cpu.json"
    proc = run([VENV_BIN / "python", "-m", "lab.cpuwrap", "--json", figures, "--",
                VENV_BIN / "ansible-playbook", "-i", STATE / "inventory.yml", PLAY,
                "-e", f"lab_backup_dir={out}", "-e", f"lab_verify={verify}",
                "-e", f"drift_check_report_dir={out / 'reports'}",
                "-e", f"drift_check_snapshot_dir={out / 'snapshots'}", *extra],
               check=False, ANSIBLE_FORKS="12", **lab_env())
    return proc, json.loads(figures.read_text())


def recap(stdout):
    """``{host: {ok, changed, failed, ...}}`` of the play recap."""
    found = {}
    for host, counts in re.findall(r"^(\S+)\s+:\s+(ok=.*)$", stdout, re.M):
        found[host] = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", counts))
    return found


def test_verify_after_a_backup_fails_the_hosts_left_with_drift_without_a_second_login(lab, tmp_path):
    hosts = sorted(lab["ports"])
    plain, verified = tmp_path / "plain", tmp_path / "verified"
    plain.mkdir()
    verified.mkdir()
    proc, without = backup_play(plain, False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    proc, with_verify = backup_play(verified, True, "-e", "drift_check_fail_hosts_with_drift=true")
    output = proc.stdout + proc.stderr

    # the backup ran on every host in both plays
    for out in (plain, verified):
        assert sorted(p.stem for p in out.glob("*.cfg")) == hosts
    # the reports of the run, every host in them, collected over network_cli
    doc = json.loads((verified / "reports" / "latest" / "drift.json").read_text())
    assert sorted(d["device"] for d in doc["devices"]) == hosts
    assert {(d.get("collected") or {}).get("transport") for d in doc["devices"]} == {"network_cli"}
    with_drift = sorted(d["device"] for d in doc["devices"] if d["drift"] > 0)
    assert with_drift == sorted(set(r["device"] for r in lab["expected"]))
    # exactly those hosts fail, each naming its drift; the others pass
    counts = recap(proc.stdout)
    assert sorted(counts) == hosts
    assert sorted(h for h, c in counts.items() if c["failed"]) == with_drift
    for host in with_drift:
        assert re.search(r"%s: \d+ drift between NetBox and the device \(fail_drift\)" % re.escape(host), output)
    assert proc.returncode == 2
    # no second login: as many connection daemons as the play without verification
    assert with_verify["orphans"] == without["orphans"] > 0
    assert lab_env()["NETBOX_TOKEN"].rsplit(".", 1)[-1] not in output


def test_verify_without_fail_hosts_with_drift_reports_and_passes(lab, tmp_path):
    proc = backup_play(tmp_path, True, "--limit", "dc1-*")[0]
    assert proc.returncode == 0, proc.stdout[-3000:]
    doc = json.loads((tmp_path / "reports" / "latest" / "drift.json").read_text())
    # NetBox read for the play's hosts only
    assert sorted(d["device"] for d in doc["devices"]) == sorted(h for h in lab["ports"] if h.startswith("dc1-"))
    assert doc["summary"]["drift"] > 0
