"""Faults on the transport side, through the real `ansible-playbook truthloop.netbox_drift.check`
on the lab: SSH host keys, a wrong password, a stopped device, a run that matches no host,
and secrets in what a run keeps. Each asserts what the user sees: the exit code, the play
recap line of each host, the message naming the host and the cause, and the report's entry.

Host key checking runs with HOME in a temporary directory, so the known_hosts file is the
test's own (the fast path reads ``$HOME/.ssh/known_hosts``). The lab's FakeNOS devices
all present one fixed RSA key (lab/devices.py ``_quiet_probes``).
"""

import base64
import hashlib
import io
import json
import re
import shutil
import socket
import stat
import threading

import pytest
import yaml
from conftest import STATE, VENV_BIN, run

paramiko = pytest.importorskip("paramiko")

RECAP = re.compile(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)", re.M)


def lab_env():
    env = {}
    for line in (STATE / "env").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("NETBOX_API", "NETBOX_TOKEN"):
            env[name.strip()] = value.strip().strip("'\"")
    return env


def check(inventory, report_dir, *extra, **env):
    """The check playbook; its CompletedProcess, whatever its exit code."""
    return run([VENV_BIN / "ansible-playbook", "-i", inventory, "truthloop.netbox_drift.check",
                "-e", f"drift_check_report_dir={report_dir}", *extra], check=False, **dict(lab_env(), **env))


def recap(proc):
    """``{host: failed count}`` from the play recap."""
    return {host: int(failed) for host, failed in RECAP.findall(proc.stdout)}


def device(report_dir, name):
    report = json.loads((report_dir / "latest" / "drift.json").read_text())
    entry = next(d for d in report["devices"] if d["device"] == name)
    return entry, [u for u in report["unverified"] if u["device"] == name]


def port_of(name):
    return yaml.safe_load((STATE / "host_vars" / f"{name}.yml").read_text())["ansible_port"]


def inventory_copy(tmp_path, **host_vars):
    """The lab's inventory (NetBox source, group_vars, host_vars) with some host variables changed."""
    dst = tmp_path / "inventory"
    shutil.copytree(STATE / "group_vars", dst / "group_vars")
    shutil.copytree(STATE / "host_vars", dst / "host_vars")
    shutil.copy2(STATE / "inventory.yml", dst / "inventory.yml")
    for name, values in host_vars.items():
        path = dst / "host_vars" / f"{name}.yml"
        path.write_text(yaml.safe_dump(dict(yaml.safe_load(path.read_text()), **values)))
    return dst / "inventory.yml"


def lab_key():
    from fakenos.plugins.servers.ssh_server_paramiko import DEFAULT_SSH_KEY

    return paramiko.RSAKey(file_obj=io.StringIO(DEFAULT_SSH_KEY))


def sha1_fingerprint(key):
    """As libssh prints it: ``SHA1:`` and the base64 of the key blob's SHA-1, unpadded."""
    return "SHA1:" + base64.b64encode(hashlib.sha1(key.asbytes()).digest()).decode().rstrip("=")


def home_with_known_hosts(tmp_path, lines=""):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "known_hosts").write_text(lines)
    return home, home / ".ssh" / "known_hosts"


def entry(name, key):
    return f"[127.0.0.1]:{port_of(name)} {key.get_name()} {key.get_base64()}\n"


class Recorder(paramiko.ServerInterface):
    """An SSH server with the lab's key that records every authentication attempt."""

    def __init__(self):
        self.attempts = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.key = lab_key()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn = self.sock.accept()[0]
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.key)
            try:
                transport.start_server(server=self)
            except (paramiko.SSHException, EOFError, OSError):
                pass

    def get_allowed_auths(self, username):
        return "password"

    def check_auth_password(self, username, password):
        self.attempts.append((username, password))
        return paramiko.AUTH_FAILED

    def check_auth_none(self, username):
        self.attempts.append((username, None))
        return paramiko.AUTH_FAILED


def test_unknown_host_key_is_refused_before_anything_is_sent(lab, tmp_path):
    """Checking on and an empty known_hosts: the lab device and a recording server are both
    refused, the recorder gets no authentication attempt; a device whose key is known passes."""
    recorder = Recorder()
    try:
        known, refused, spy = "dc1-eos-03", "dc1-ios-05", "dc2-ios-03"
        home, known_hosts = home_with_known_hosts(tmp_path, entry(known, lab_key()))
        inventory = inventory_copy(tmp_path, **{spy: {"ansible_port": recorder.port}})
        proc = check(inventory, tmp_path / "reports", "--limit", f"{known},{refused},{spy}",
                     "-e", "ansible_host_key_checking=true", HOME=str(home))
    finally:
        recorder.sock.close()
    assert proc.returncode == 2, proc.stdout[-4000:]
    assert recap(proc) == {known: 0, refused: 1, spy: 1}
    assert recorder.attempts == []  # not even the user name: the key was refused first
    fingerprint = sha1_fingerprint(lab_key())
    for name, port in ((refused, port_of(refused)), (spy, recorder.port)):
        message = (f"{name}: not verified, nothing was compared: 127.0.0.1:{port}: host key verification failed: "
                   f"the host's ssh-rsa key {fingerprint} is not in {known_hosts} and host key checking is on")
        assert message in proc.stdout
        entry_, unverified = device(tmp_path / "reports", name)
        assert entry_["status"] == "unverified"
        assert unverified and all(fingerprint in u["reason"] and str(known_hosts) in u["reason"] for u in unverified)
    assert device(tmp_path / "reports", known)[0]["status"] in ("clean", "drift")
    assert known_hosts.read_text() == entry(known, lab_key())  # nothing added


def test_changed_host_key_is_refused_even_with_checking_off(lab, tmp_path):
    """The lab turns checking off; a known_hosts entry with another key still refuses."""
    name = "dc1-nxos-02"
    other = paramiko.RSAKey.generate(2048)
    home, known_hosts = home_with_known_hosts(tmp_path, entry(name, other))
    proc = check(STATE / "inventory.yml", tmp_path / "reports", "--limit", f"{name},dc2-eos-01", HOME=str(home))
    assert proc.returncode == 2, proc.stdout[-4000:]
    assert recap(proc) == {name: 1, "dc2-eos-01": 0}
    assert (f"{name}: not verified, nothing was compared: 127.0.0.1:{port_of(name)}: host key verification failed: "
            f"the host sent the ssh-rsa key {sha1_fingerprint(lab_key())}, which differs from the key {known_hosts} "
            f"holds for [127.0.0.1]:{port_of(name)}; refused, nothing was sent (host key checking off)") in proc.stdout
    entry_, unverified = device(tmp_path / "reports", name)
    assert entry_["status"] == "unverified" and all("differs from the key" in u["reason"] for u in unverified)


def test_wrong_password_fails_the_host_without_showing_it(lab, tmp_path):
    name, wrong = "dc1-junos-04", "Wr0ng-pa55word-for-the-lab"
    inventory = inventory_copy(tmp_path, **{name: {"ansible_password": wrong}})
    proc = check(inventory, tmp_path / "reports", "--limit", f"{name},dc1-ios-05")
    assert proc.returncode == 2, proc.stdout[-4000:]
    assert recap(proc) == {name: 1, "dc1-ios-05": 0}
    assert (f"{name}: not verified, nothing was compared: 127.0.0.1:{port_of(name)}: "
            f"authentication failed for user netops") in proc.stdout
    assert wrong not in proc.stdout + proc.stderr
    entry_, unverified = device(tmp_path / "reports", name)
    assert entry_["status"] == "unverified" and all("authentication failed" in u["reason"] for u in unverified)


def test_stopped_device_fails_only_its_host(lab, tmp_path):
    from lab import devices

    name, other = "dc2-nxos-04", "dc2-eos-01"
    devices.stop_devices(STATE, [name])
    try:
        failing = check(STATE / "inventory.yml", tmp_path / "a", "--limit", f"{name},{other}")
        allowed = check(STATE / "inventory.yml", tmp_path / "b", "--limit", f"{name},{other}",
                        "-e", "drift_check_fail_unverified=false")
        gated = check(STATE / "inventory.yml", tmp_path / "c", "--limit", f"{name},{other}",
                      "-e", "drift_check_fail_unverified=false", "-e", "drift_check_fail_on=severity:high")
    finally:
        devices.start_devices(STATE, [name])
    assert failing.returncode == 2 and recap(failing) == {name: 1, other: 0}, failing.stdout[-4000:]
    assert (f"{name}: not verified, nothing was compared: 127.0.0.1:{port_of(name)}: connection refused"
            in failing.stdout)
    for report_dir in ("a", "b", "c"):
        entry_, unverified = device(tmp_path / report_dir, name)
        assert entry_["status"] == "unverified" and all("connection refused" in u["reason"] for u in unverified)
    # the documented way out: the run passes, the device stays unverified in the report
    assert allowed.returncode == 0 and recap(allowed) == {name: 0, other: 0}, allowed.stdout[-4000:]
    # but a gate never passes on a device that could not be checked
    assert gated.returncode == 2, gated.stdout[-4000:]
    assert f"drift check failed (fail_on severity:high): 1 device(s) not verified: {name}" in gated.stdout


def test_a_run_that_matches_no_host_fails_and_says_so(lab, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    source = yaml.safe_load((STATE / "inventory.yml").read_text())
    source["device_query_filters"] = [{"name": "no-such-device"}]
    (empty / "inventory.yml").write_text(yaml.safe_dump(source))
    cases = {  # inventory, extra arguments, the message, the play recap
        "limit": (STATE / "inventory.yml", ["--limit", "no-such-host"],
                  "Specified inventory, host pattern and/or --limit leaves us with no hosts to target.", {}),
        "pattern": (STATE / "inventory.yml", ["-e", "drift_check_hosts=no-such-group"],
                    "no host to check: the inventory has no host matching no-such-group", {"localhost": 1}),
        "pattern and limit": (STATE / "inventory.yml", ["--limit", "dc1-ios-05", "-e", "drift_check_hosts=dc2-eos-01"],
                              "no host to check: the inventory and --limit leave no host matching dc2-eos-01", {}),
        "empty inventory": (empty / "inventory.yml", [],
                            "no host to check: the inventory has no host matching all", {"localhost": 1}),
    }
    for case, (inventory, extra, message, failed) in cases.items():
        proc = check(inventory, tmp_path / case, *extra)
        assert proc.returncode != 0, (case, proc.stdout[-3000:])
        assert message in proc.stdout + proc.stderr, (case, proc.stdout[-3000:], proc.stderr[-3000:])
        assert recap(proc) == failed and not (tmp_path / case).exists(), case  # nothing collected, no report


def _secrets_of_the_lab():
    """The device configurations' hashes (lab/templates), the device password, the NetBox token."""
    secrets = set()
    for template in (STATE.parent / "lab" / "templates").glob("*/*.j2"):
        secrets.update(t.strip('";') for t in re.findall(r"\S*\$[1-9]\$\S+", template.read_text()))
    secrets.add(yaml.safe_load((STATE / "group_vars" / "all.yml").read_text())["ansible_password"])
    token = lab_env()["NETBOX_TOKEN"]
    secrets.update([token, token.rsplit(".", 1)[-1]])
    return secrets


def test_snapshots_and_reports_hold_no_secret_and_snapshots_are_owner_only(lab, tmp_path):
    secrets = _secrets_of_the_lab()
    assert len(secrets) >= 6
    names = "dc1-ios-05,dc1-nxos-02,dc1-eos-03,dc1-junos-04"
    proc = check(STATE / "inventory.yml", tmp_path / "reports", "--limit", names)
    assert proc.returncode == 0 and recap(proc) == dict.fromkeys(names.split(","), 0), proc.stdout[-4000:]
    snapshots = tmp_path / "reports" / "snapshots"
    run_dir = (tmp_path / "reports" / "latest").resolve()
    files = [p for p in [*snapshots.rglob("*"), *run_dir.iterdir()] if p.is_file()]
    assert len([p for p in files if p.suffix == ".txt"]) >= 4 * 6
    for path in files:
        text = path.read_text()
        assert not [s for s in secrets if s in text], path
        if snapshots in path.parents:  # whole device outputs: their owner only
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in [snapshots, *[p for p in snapshots.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    assert not [s for s in secrets if s in proc.stdout + proc.stderr]
