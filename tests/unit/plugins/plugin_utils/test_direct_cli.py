# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DirectCli against real SSH: FakeNOS devices of the four platforms.

pylibsshext keeps the GIL while it waits on the network, so a FakeNOS served by a
thread of this process would never answer: each test starts its devices in a child
Python process (``_Devices``) and stops it before it ends. Timeouts are generous:
FakeNOS echoes one character per 10 ms and this runs on loaded 2-core machines.
"""

import json
import logging
import os
import select
import socket
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("pylibsshext")
pytest.importorskip("fakenos")

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import direct_cli  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.direct_cli import (  # noqa: E402
    DirectCli,
    DirectCliError,
)

USER = "admin"
PASSWORD = "Pa55-w0rd!xyz"
TIMEOUT = 90  # connect and command timeouts: generous on a loaded 2-core machine
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")

# What network_cli's terminal plugins send at login, and each platform's real answer to
# an unknown command (FakeNOS's stock "Unknown command" matches no terminal_stderr_re).
SESSION_COMMANDS = {
    "cisco_ios": {
        "show privilege": "Current privilege level is 15",
        "terminal length 0": "", "terminal width 512": "", "terminal width 0": "",
        "_default_": "                  ^\n% Invalid input detected at '^' marker.\n",
    },
    "cisco_nxos": {
        "show privilege": "User privilege level: 15\nFeature privilege: Disabled",
        "terminal length 0": "", "terminal width 511": "",
        "_default_": "                      ^\n% Invalid command at '^' marker.",
    },
    "arista_eos": {
        "terminal length 0": "Pagination disabled.", "terminal width 512": "Width set to 512 columns.",
        "_default_": "% Invalid input",
    },
    "juniper_junos": {
        "set cli timestamp disable": "", "set cli screen-length 0": "Screen length set to 0",
        "set cli screen-width 1024": "Screen width set to 1024",
        "_default_": "                  ^\nerror: unknown command.",
    },
}
REJECTED = {
    "cisco_ios": "% Invalid input detected at '^' marker.",
    "cisco_nxos": "% Invalid command at '^' marker.",
    "arista_eos": "% Invalid input",
    "juniper_junos": "error: unknown command.",
}


def _running_config(host, interfaces):
    lines = ["Building configuration...", "", "Current configuration : 4242 bytes", "!", "hostname %s" % host, "!"]
    for i in range(1, interfaces + 1):
        lines += ["interface GigabitEthernet1/0/%d" % i, " description uplink %d   " % i,
                  " switchport access vlan %d" % (10 + i % 7), " mtu 9000" if i % 2 else " shutdown", "!"]
    return "\n".join(lines + ["end"])


def _outputs(host):
    """Show commands and what the device prints for them (as the device prints them:
    leading blank lines, trailing blanks, a '#' that is not a prompt)."""
    return {
        "show version": "\nVersion 17.9.4a, RELEASE SOFTWARE (fc3)\n%s uptime is 3 weeks   \n"
                        "System Serial Number : FOC1234X0AB\n" % host,
        "show inventory": 'NAME: "Chassis", DESCR: "C9300-48P"\nPID: C9300-48P , VID: V02 , SN: FOC1234X0AB',
        "show interfaces status": "Port      Name   Status       Vlan\nGi1/0/1   a#b    connected    10\n"
                                  "Gi1/0/2          notconnect   1",
        # ~45 KB: read in chunks, prompt searched in the tail only
        "show running-config": _running_config(host, 800),
    }


def _inventory(platform, port, host):
    commands = {cmd: {"output": out, "help": cmd} for cmd, out in _outputs(host).items()}
    commands.update({cmd: {"output": out, "help": cmd} for cmd, out in SESSION_COMMANDS[platform].items()})
    return {"hosts": {host: {"username": USER, "password": PASSWORD, "port": port, "platform": platform,
                             "nos": {"plugin": platform, "configuration": {"commands": commands}}}}}


# FakeNOS binds in start() but listens from a thread: READY once the kernel lists every
# port as listening (a probe connection would make FakeNOS log a failed handshake).
_SERVER = textwrap.dedent("""
    import json, os, sys, logging, time
    logging.disable(logging.CRITICAL)
    from fakenos import FakeNOS
    inventory = json.load(open(sys.argv[1]))
    net = FakeNOS(inventory)
    net.start()
    ports = {"%04X" % h["port"] for h in inventory["hosts"].values()}
    deadline = time.monotonic() + 60
    while os.path.exists("/proc/net/tcp") and time.monotonic() < deadline:
        with open("/proc/net/tcp") as tcp:
            listening = {f[1].split(":")[1] for f in (l.split() for l in tcp.readlines()[1:]) if f[3] == "0A"}
        if ports <= listening:
            break
        time.sleep(0.05)
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        net.stop()
        os._exit(0)  # a session thread left by a failed login would keep the process up
""")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Devices:
    """FakeNOS devices served by a child Python process; stopped on exit, killed if slow."""

    def __init__(self, tmp_path, platform):
        self.platform = platform
        self.host = "lab-%s" % platform.replace("_", "-")
        self.port = _free_port()
        self._inventory = tmp_path / ("fakenos-%s.json" % platform)
        self._inventory.write_text(json.dumps(_inventory(platform, self.port, self.host)))
        self._log = tmp_path / ("fakenos-%s.log" % platform)
        self._known_hosts = str(tmp_path / "known_hosts")  # none: the devices' key is unknown
        self._proc = None

    def __enter__(self):
        with open(self._log, "wb") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _SERVER, str(self._inventory)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            )
        try:
            ready = select.select([self._proc.stdout], [], [], TIMEOUT)[0]
            line = self._proc.stdout.readline() if ready else b""
            if line.strip() != b"READY":
                raise RuntimeError("FakeNOS did not start: %s" % self._log.read_text()[-2000:])
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            proc.stdout.close()

    def cli(self, **kwargs):
        # host key checking off, as the lab has it (test_host_key.py checks it on)
        options = dict(connect_timeout=TIMEOUT, command_timeout=TIMEOUT, host_key_checking=False,
                       known_hosts_file=self._known_hosts)
        options.update(kwargs)
        password = options.pop("password", PASSWORD)
        return DirectCli("127.0.0.1", self.port, USER, password, self.platform, **options)


@pytest.fixture(scope="module", autouse=True)
def _collections():
    """Run from the checkout, the collection loader is not installed yet: install it
    over every sys.path entry that holds an ansible_collections tree (.deps)."""
    from ansible.utils.collection_loader import AnsibleCollectionConfig

    if AnsibleCollectionConfig.collection_finder is None:
        from ansible.plugins.loader import init_plugin_loader

        init_plugin_loader([p for p in sys.path if os.path.isdir(os.path.join(p, "ansible_collections"))])


def _needs_terminal(platform):
    from ansible.plugins.loader import terminal_loader

    if terminal_loader.find_plugin(direct_cli.NETWORK_OS_ALIASES[platform]) is None:
        pytest.skip("terminal plugin for %s is not installed" % platform)


@pytest.mark.parametrize("become", [False, True], ids=["user", "enable"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_outputs_and_rejected_command(tmp_path, platform, become):
    _needs_terminal(platform)
    with _Devices(tmp_path, platform) as dev:
        expected = _outputs(dev.host)
        commands = ["show version", "show no-such-thing", "show inventory", "show interfaces status",
                    "show running-config"]
        with dev.cli(become=become) as cli:
            results = cli.run(commands)
            again = cli.run(["show version"])  # the session is still usable after a run
    assert list(results) == commands
    for command, text in expected.items():
        # what network_cli/cli_command returns: echo and prompt lines dropped, stripped,
        # lines joined with "\n" (the device sends "\r\n")
        assert results[command] == {"output": text.strip()}, command
    # the device's error line, not the caret line above it nor the echo
    assert results["show no-such-thing"] == {"error": REJECTED[platform]}
    assert again == {"show version": {"output": expected["show version"].strip()}}


def test_refused_port_names_host_and_port():
    port = _free_port()  # nothing listens there
    cli = DirectCli("127.0.0.1", port, USER, PASSWORD, "cisco_ios", connect_timeout=TIMEOUT)
    with pytest.raises(DirectCliError) as err:
        cli.open()
    message = str(err.value)
    assert "127.0.0.1:%d" % port in message
    assert "refused" in message
    assert PASSWORD not in message
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.parametrize("platform", ["cisco_ios", "juniper_junos"])
def test_wrong_password(tmp_path, platform, caplog):
    _needs_terminal(platform)
    caplog.set_level(logging.DEBUG)
    wrong = "Wr0ng-" + PASSWORD
    with _Devices(tmp_path, platform) as dev:
        with pytest.raises(DirectCliError) as err:
            with dev.cli(password=wrong):
                pass
    message = str(err.value)
    assert "authentication failed" in message
    assert "127.0.0.1:%d" % dev.port in message
    for secret in (wrong, PASSWORD):
        assert secret not in message
        assert secret not in repr(err.value.args)
        assert secret not in caplog.text


def test_command_timeout_fails_the_rest_fast_and_session_recovers(tmp_path):
    _needs_terminal("arista_eos")
    slow = "show " + "x" * 150  # FakeNOS echoes 10 ms per character: > 1.5 s
    with _Devices(tmp_path, "arista_eos") as dev:
        with dev.cli() as cli:
            cli.command_timeout = 0.5
            started = time.monotonic()
            results = cli.run([slow, "show version", "show inventory"])
            elapsed = time.monotonic() - started
            cli.command_timeout = TIMEOUT
            after = cli.run(["show version"])
    assert "output" not in results[slow]
    assert "timeout" in results[slow]["error"] and slow in results[slow]["error"]
    for command in ("show version", "show inventory"):  # not sent: no second timeout to wait
        assert results[command]["error"].startswith("not run: 127.0.0.1:%d did not answer" % dev.port)
        assert slow in results[command]["error"]
    assert elapsed < 1.5, elapsed
    assert after == {"show version": {"output": _outputs(dev.host)["show version"].strip()}}


def test_unknown_network_os_is_a_clear_error():
    with pytest.raises(DirectCliError, match="no-such.os.here is not supported"):
        DirectCli("127.0.0.1", 22, USER, PASSWORD, "no-such.os.here").open()


class _ScriptedChannel:
    """A shell channel answering each line written with a scripted reply."""

    def __init__(self, banner, replies):
        self._pending = [banner]
        self._replies = replies
        self.written = []

    def poll(self, timeout=-1):
        if not self._pending:
            time.sleep(min(timeout, 50) / 1000.0)
        return sum(len(p) for p in self._pending)

    def read_nonblocking(self, size=1024):
        if not self._pending:
            return b""
        data, rest = self._pending[0][:size], self._pending[0][size:]
        self._pending[0:1] = [rest] if rest else []
        return data

    def write(self, data):
        self.written.append(data)
        self._pending.append(self._replies[data])
        return len(data)

    def close(self):
        pass


def _scripted_login(replies, enable_password):
    cli = DirectCli("192.0.2.10", 22, USER, PASSWORD, "cisco.ios.ios", become=True,
                    become_password=enable_password, connect_timeout=5, command_timeout=5)
    cli._load_terminal()
    cli._chan = _ScriptedChannel(b"\r\nrtr1>", replies)
    cli._login()
    return cli


def test_enable_with_password_answers_the_prompt():
    _needs_terminal("cisco_ios")
    enable = "En4ble-S3cret"
    cli = _scripted_login({
        b"enable\r": b"enable\r\nPassword: ",
        enable.encode() + b"\r": b"\r\nrtr1#",
        b"show privilege\r": b"show privilege\r\nCurrent privilege level is 15\r\nrtr1#",
        b"terminal length 0\r": b"terminal length 0\r\nrtr1#",
        b"terminal width 512\r": b"terminal width 512\r\nrtr1#",
        b"terminal width 0\r": b"terminal width 0\r\nrtr1#",
    }, enable)
    assert cli._chan.written[:2] == [b"enable\r", enable.encode() + b"\r"]
    assert cli._matched_prompt.strip() == b"rtr1#"


def test_wrong_enable_password_is_reported_without_the_password(caplog):
    _needs_terminal("cisco_ios")
    caplog.set_level(logging.DEBUG)
    enable = "Wr0ng-En4ble"
    with pytest.raises(DirectCliError) as err:
        _scripted_login({
            b"enable\r": b"enable\r\nPassword: ",
            enable.encode() + b"\r": b"\r\n% Bad secret\r\n\r\nrtr1>",
        }, enable)
    message = str(err.value)
    assert "192.0.2.10:22" in message and "enable" in message
    assert enable not in message and PASSWORD not in message
    assert enable not in caplog.text


def test_network_cli_terminal_options_are_honoured():
    """ansible_terminal_stderr_re (network_cli's option) replaces the platform's list."""
    _needs_terminal("cisco_ios")
    cli = DirectCli("192.0.2.10", 22, USER, PASSWORD, "cisco.ios.ios", connect_timeout=5, command_timeout=5,
                    options={"terminal_stderr_re": [{"pattern": "custom-fail", "flags": "re.I"}],
                             "terminal_errors": "warn"})
    cli._load_terminal()
    cli._chan = _ScriptedChannel(b"\r\nrtr1>", {
        b"terminal length 0\r": b"terminal length 0\r\nCUSTOM-FAIL\r\nrtr1>",
        b"screen-length 0\r": b"screen-length 0\r\nCUSTOM-FAIL\r\nrtr1>",
        b"show a\r": b"show a\r\n% Invalid input detected at '^' marker.\r\nrtr1>",
        b"show b\r": b"show b\r\nCustom-Fail: no\r\nrtr1>",
    })
    cli._login()  # terminal setup fails, terminal_errors=warn: a warning, no exception
    assert len(cli.warnings) == 1 and "terminal setup failed" in cli.warnings[0]
    results = cli.run(["show a", "show b"])
    assert results["show a"] == {"output": "% Invalid input detected at '^' marker."}
    assert results["show b"] == {"error": "Custom-Fail: no"}


def test_waiting_for_a_device_leaves_other_threads_running(tmp_path):
    """Waiting on the network releases Python's lock (select on the session's own socket),
    so one run collects many devices in threads: libssh's own poll would hold the lock for
    its whole timeout."""
    import threading

    _needs_terminal("arista_eos")
    with _Devices(tmp_path, "arista_eos") as dev:
        with dev.cli() as cli:
            assert cli._sock is not None  # the session runs on a socket of ours
            waiter = threading.Thread(target=cli._read, args=(1.5,))  # nothing will come
            started = time.monotonic()
            waiter.start()
            spins = 0
            while waiter.is_alive():
                spins += 1
            waited = time.monotonic() - started
            assert cli.run(["show version"])["show version"]["output"]  # the session is still good
    assert waited >= 1.4
    # measured: ~800,000 spins with the wait on select; ~7,000 when libssh's poll held the lock
    assert spins > 100000, spins
