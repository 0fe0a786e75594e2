# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The direct session's host key check against a real SSH server that records every
authentication attempt: a refused key means no password reached the server.

The server (paramiko, in a child process: pylibsshext keeps the GIL while it waits)
answers a password login with an IOS-like shell that echoes each line and prints
``rtr1#``, enough for the cisco.ios terminal plugin's login and terminal setup.
"""

import json
import os
import select
import socket
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("pylibsshext")
paramiko = pytest.importorskip("paramiko")

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.direct_cli import (  # noqa: E402
    DirectCli,
    DirectCliError,
)

USER, PASSWORD = "admin", "Hk-Pa55w0rd-xyz"
TIMEOUT = 60

_SERVER = textwrap.dedent("""
    import socket, sys, threading, paramiko
    key_file, auth_log, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = paramiko.RSAKey(filename=key_file)

    class Server(paramiko.ServerInterface):
        def get_allowed_auths(self, username):
            return "password"
        def check_auth_password(self, username, password):
            with open(auth_log, "a") as log:
                log.write("%s %s\\n" % (username, password))
            return paramiko.AUTH_SUCCESSFUL if password == sys.argv[4] else paramiko.AUTH_FAILED
        def check_channel_request(self, kind, chanid):
            return paramiko.OPEN_SUCCEEDED
        def check_channel_pty_request(self, *args):
            return True
        def check_channel_shell_request(self, channel):
            threading.Thread(target=shell, args=(channel,), daemon=True).start()
            return True

    def shell(chan):
        chan.sendall(b"\\r\\nrtr1#")
        line = b""
        while True:
            data = chan.recv(1024)
            if not data:
                return
            line += data
            while b"\\r" in line:
                cmd, line = line.split(b"\\r", 1)
                chan.sendall(cmd.strip(b"\\n") + b"\\r\\n" + (b"Version 1\\r\\n" if cmd.strip() == b"show version" else b"")
                             + b"rtr1#")

    def serve(conn):
        transport = paramiko.Transport(conn)
        transport.add_server_key(key)
        try:
            transport.start_server(server=Server())
        except Exception:
            return

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(8)
    print("READY", flush=True)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
""")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The recording server: ``{port, key, attempts()}``; stopped after the module."""
    work = tmp_path_factory.mktemp("ssh-server")
    key = paramiko.RSAKey.generate(2048)
    key.write_private_key_file(str(work / "host_key"))
    auth_log = work / "auth.log"
    auth_log.write_text("")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(work / "host_key"), str(auth_log), str(port),
                             PASSWORD], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        ready = select.select([proc.stdout], [], [], TIMEOUT)[0]
        assert ready and proc.stdout.readline().strip() == b"READY"
        yield {"port": port, "key": key, "attempts": lambda: auth_log.read_text().splitlines(),
               "clear": lambda: auth_log.write_text("")}
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


@pytest.fixture(autouse=True)
def _collections():
    from ansible.utils.collection_loader import AnsibleCollectionConfig

    if AnsibleCollectionConfig.collection_finder is None:
        from ansible.plugins.loader import init_plugin_loader

        init_plugin_loader([p for p in sys.path if os.path.isdir(os.path.join(p, "ansible_collections"))])


def _cli(server, known_hosts, **kwargs):
    server["clear"]()
    options = dict(connect_timeout=TIMEOUT, command_timeout=TIMEOUT, known_hosts_file=str(known_hosts))
    options.update(kwargs)
    return DirectCli("127.0.0.1", server["port"], USER, PASSWORD, "cisco.ios.ios", **options)


def _entry(server, key):
    return "[127.0.0.1]:%d %s %s\n" % (server["port"], key.get_name(), key.get_base64())


def _refused(server, known_hosts, **kwargs):
    with pytest.raises(DirectCliError) as err:
        _cli(server, known_hosts, **kwargs).open()
    assert server["attempts"]() == []  # no password, no authentication attempt at all
    message = str(err.value)
    assert "127.0.0.1:%d" % server["port"] in message and str(known_hosts) in message
    assert "SHA1:" in message and "ssh-rsa" in message and PASSWORD not in message
    return message


@pytest.mark.parametrize("exists", [True, False], ids=["empty-file", "no-file"])
def test_unknown_key_is_refused_when_checking_is_on(server, tmp_path, exists):
    known_hosts = tmp_path / "known_hosts"
    if exists:
        known_hosts.write_text("")
    message = _refused(server, known_hosts)  # checking is on by default
    assert "is not in %s" % known_hosts in message and "ansible_host_key_checking" in message


@pytest.mark.parametrize("checking", [True, False], ids=["checking-on", "checking-off"])
@pytest.mark.parametrize("kind", ["same-type", "other-type"])
def test_changed_key_is_always_refused(server, tmp_path, checking, kind):
    other = paramiko.RSAKey.generate(2048) if kind == "same-type" else paramiko.ECDSAKey.generate()
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(_entry(server, other))
    message = _refused(server, known_hosts, host_key_checking=checking)
    assert "differs from the key" in message and "ssh-keygen -R" in message
    assert known_hosts.read_text() == _entry(server, other)  # left as it was


def test_known_key_logs_in_and_runs_commands(server, tmp_path):
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(_entry(server, server["key"]))
    with _cli(server, known_hosts) as cli:
        results = cli.run(["show version"])
    assert results == {"show version": {"output": "Version 1"}}
    assert server["attempts"]() == ["%s %s" % (USER, PASSWORD)]


def test_unknown_key_with_checking_off_is_accepted_and_not_recorded(server, tmp_path):
    known_hosts = tmp_path / "known_hosts"
    with _cli(server, known_hosts, host_key_checking=False) as cli:
        assert cli.run(["show version"]) == {"show version": {"output": "Version 1"}}
    assert not known_hosts.exists()


def test_auto_add_records_an_unknown_key(server, tmp_path):
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text("")
    with _cli(server, known_hosts, host_key_auto_add=True) as cli:
        assert cli.run(["show version"]) == {"show version": {"output": "Version 1"}}
        warnings = list(cli.warnings)
    assert server["key"].get_base64() in known_hosts.read_text()
    assert len(warnings) == 1 and "added to %s" % known_hosts in warnings[0]
    with _cli(server, known_hosts) as cli:  # known now: checking on, no auto-add
        assert cli.run(["show version"]) == {"show version": {"output": "Version 1"}}


_SETTINGS = textwrap.dedent("""
    import json, os, sys
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([p for p in sys.path if os.path.isdir(os.path.join(p, "ansible_collections"))])
    from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import host_options
    print(json.dumps(host_options.host_key_settings(json.loads(sys.argv[1]))))
""")


@pytest.mark.parametrize("cfg, env, hostvars, expected", [
    ("", {}, {}, [True, False]),  # on by default
    ("[defaults]\nhost_key_checking = False\n", {}, {}, [False, False]),
    ("[libssh_connection]\nhost_key_checking = False\nhost_key_auto_add = True\n", {}, {}, [False, True]),
    ("[defaults]\nhost_key_checking = False\n", {"ANSIBLE_HOST_KEY_CHECKING": "True"}, {}, [True, False]),
    ("", {"ANSIBLE_HOST_KEY_CHECKING": "False"}, {}, [False, False]),
    ("", {"ANSIBLE_HOST_KEY_CHECKING": "False"}, {"ansible_host_key_checking": True}, [True, False]),
    ("", {}, {"ansible_ssh_host_key_checking": "no"}, [False, False]),
    ("[defaults]\nhost_key_checking = False\n", {}, {"ansible_libssh_host_key_checking": "yes"}, [True, False]),
])
def test_settings_are_network_cli_libssh_ones(tmp_path, cfg, env, hostvars, expected):
    """Resolved as network_cli's libssh connection does: host vars, then environment, then ansible.cfg."""
    (tmp_path / "ansible.cfg").write_text(cfg)
    clean = dict((k, v) for k, v in os.environ.items() if "HOST_KEY" not in k and k != "ANSIBLE_CONFIG")
    clean.update(env, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"), PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", _SETTINGS, json.dumps(hostvars)], env=clean, cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == expected
