"""The lab's emulated devices: FakeNOS SSH servers on 127.0.0.1, one port per device.

    from lab import devices, render
    hosts = [{"name": d["name"], "platform": d["platform"], "port": 20000 + n,
              "outputs": render.render(d, data)} for n, d in enumerate(data["devices"])]
    devices.start(state_dir, hosts, "admin", "secret")   # returns once every port accepts
    devices.stop_devices(state_dir, ["dc1-ios-01"])        # the others keep running
    devices.start_devices(state_dir, ["dc1-ios-01"])
    devices.stop(state_dir)                                # every shard gone, or RuntimeError

Hosts are split over shard processes (``python -m lab.devices serve <shard-file>``,
detached, each with its own GIL) so 1,000 devices start in seconds on two cores.
Files: ``<state_dir>/devices/index.json`` (name -> shard, port),
``devices/shard-K.json`` (what shard K serves), ``devices/shard-K.ctl`` (the devices
shard K must keep stopped, with a sequence number; the shard polls it) and
``devices/shard-K.ack`` (what the shard applied), ``shard-K.pid`` and ``shard-K.log``.
The control file also carries the outputs injected by ``lab/faults.py`` (one device's
output for one command replaced or refused while the lab runs).

A device answers exactly the commands of its ``outputs`` (``_default_`` for anything
else) at any prompt; ``enable``/``disable`` switch between ``#`` and ``>``. Cisco and
Arista sessions start at ``host#`` (a privilege-15 user), Junos at ``user@host> ``.
The stock FakeNOS platform files are not loaded (their canned outputs would disagree
with the dataset): each process builds one small ``Nos`` per platform, shared by its
hosts, and parses the SSH host key once (FakeNOS parses it per server: 35 ms each).
"""

import argparse
import contextlib
import fcntl
import io
import json
import logging
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PER_SHARD = 250
PROMPTS = {"cisco_ios": "{base_prompt}#", "cisco_nxos": "{base_prompt}#",
           "arista_eos": "{base_prompt}#", "juniper_junos": "{base_prompt}> "}
# what a session prints before the first prompt; NX-OS's terminal plugin needs a newline before it
INTROS = {"cisco_ios": "", "arista_eos": "Last login: Mon Jan  6 09:10:02 2025 from 10.250.255.1",
          "cisco_nxos": "Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n"
                        "Copyright (C) 2002-2023, Cisco and/or its affiliates.\nAll rights reserved.",
          "juniper_junos": "Last login: Mon Jan  6 09:10:02 2025 from 10.250.255.1\n\n--- JUNOS {version} built "
                           "2023-10-26 10:05:12 UTC"}
MODES = {"enable": {"output": None, "new_prompt": "{base_prompt}#"},
         "disable": {"output": None, "new_prompt": "{base_prompt}>"}}
log = logging.getLogger("lab.devices")


def _devdir(state_dir):
    return os.path.join(os.path.abspath(state_dir), "devices")


def _shard_path(state_dir, shard, suffix):
    base = _devdir(state_dir) if suffix in ("json", "ctl", "ack") else os.path.abspath(state_dir)
    return os.path.join(base, f"shard-{shard}.{suffix}")


def _write_json(path, data):
    tmp = f"{path}.tmp{os.getpid()}"  # 0600: shard files carry the devices' password
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


def _read_json(path, default=None):
    with contextlib.suppress(OSError, ValueError), open(path, encoding="utf-8") as handle:
        return json.load(handle)
    return default


# ---------------------------------------------------------------- the shard process

def _fakenos(spec):
    """A FakeNOS object for the shard's hosts (not started)."""
    from fakenos import FakeNOS  # pylint: disable=import-outside-toplevel
    from fakenos.core.nos import Nos  # pylint: disable=import-outside-toplevel
    platforms = sorted({h["platform"] for h in spec["hosts"]})
    plugins = [Nos(name=f"lab_{p}", initial_prompt=PROMPTS[p],
                   commands=dict(MODES) if p != "juniper_junos" else {}) for p in platforms]
    hosts = {}
    for host in spec["hosts"]:
        junos = host["platform"] == "juniper_junos"
        hosts[host["name"]] = {
            "port": host["port"],
            "nos": {"plugin": f"lab_{host['platform']}",
                    "configuration": {"commands": {c: {"output": o} for c, o in host["outputs"].items()}}},
            "shell": {"plugin": "CMDShell", "configuration": {
                "base_prompt": f"{spec['username']}@{host['name']}" if junos else host["name"],
                "intro": INTROS[host["platform"]].format(version=" ".join(
                    re.findall(r"^Junos: (\S+)", host["outputs"].get("show version", ""), re.M)))}},
        }
        for key in ("username", "password"):  # a host's own login (discovery's devices), else the shard's
            if host.get(key):
                hosts[host["name"]][key] = host[key]
    inventory = {"default": {"username": spec["username"], "password": spec["password"],
                             "server": {"plugin": "ParamikoSshServer",
                                        "configuration": {"address": "127.0.0.1", "timeout": 1}}},
                 "hosts": hosts}
    return FakeNOS(inventory=inventory, plugins=plugins)


class _SharedKey:  # pylint: disable=too-few-public-methods
    """Stands for the ``paramiko`` module in FakeNOS's server: RSAKey() returns one parsed key."""
    def __init__(self, module, key):
        self._module, self._key = module, key

    def __getattr__(self, name):
        if name == "RSAKey":
            return lambda *args, **kwargs: self._key
        return getattr(self._module, name)


def _waiting_tap(tap_io):
    """FakeNOS's TapIO, whose readline waits to be told of a line instead of looking for one
    every 10 ms: a thousand idle sessions polling cost the emulator more CPU than answering.
    What the device sends is unchanged; a line is passed on as soon as it is written instead
    of up to 10 ms later."""

    class WaitingTapIO(tap_io):
        def __init__(self, *args, **kwargs):
            self._ready = threading.Condition()
            super().__init__(*args, **kwargs)

        def readline(self):
            with self._ready:
                while self.run_srv.is_set():
                    if self.lines:
                        return self.lines.pop(-1)
                    self._ready.wait(0.25)  # a stopped server is noticed within 0.25 s
            return None

        def write(self, value):
            with self._ready:
                self.lines.insert(0, value)
                self._ready.notify()

    return WaitingTapIO


def _channel_to_shell_tap(channel_stdio, shell_stdin, shell_replied_event, run_srv):
    """FakeNOS's channel_to_shell_tap, taking what the client sent as it comes instead of
    one byte per read, one SSH packet per echoed byte and 10 ms per byte. A device echoes a
    command the client sent in one write as one piece, as here. Unchanged: each line goes
    to the shell after the shell answered the line before, NUL bytes are echoed but not
    passed on, and a line ends at either CR or LF (each echoed as CR LF)."""
    channel, pending = channel_stdio.channel, b""
    while run_srv.is_set():
        try:
            data = channel.recv(4096)
        except socket.timeout:
            continue
        except (OSError, EOFError):
            return
        if not data:
            return
        for part in re.split(rb"([\r\n])", data):
            if not part:
                continue
            shell_replied_event.wait(10)
            if not channel.active:
                return
            try:
                channel_stdio.write(b"\r\n" if part in (b"\r", b"\n") else part)
            except (OSError, EOFError):
                return
            pending += part.replace(b"\x00", b"")
            if part in (b"\r", b"\n"):
                shell_stdin.write(pending.decode("utf-8"))
                pending = b""
                shell_replied_event.clear()


def _quiet_probes():
    """Parse the host key once; keep port probes (connect, close) out of the log."""
    import paramiko  # pylint: disable=import-outside-toplevel
    from fakenos.plugins.servers import ssh_server_paramiko as server  # pylint: disable=import-outside-toplevel
    server.paramiko = _SharedKey(paramiko, paramiko.RSAKey(file_obj=io.StringIO(server.DEFAULT_SSH_KEY)))
    server.TapIO = _waiting_tap(server.TapIO)
    server.channel_to_shell_tap = _channel_to_shell_tap
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    logging.getLogger("fakenos").setLevel(logging.ERROR)  # not a warning per closed session

    def hook(args):
        if not isinstance(args.exc_value, (paramiko.SSHException, EOFError, OSError)):
            sys.__excepthook__(args.exc_type, args.exc_value, args.exc_traceback)
    threading.excepthook = hook


def _apply(net, stopped, wanted):
    """Stop the hosts in ``wanted`` and start the others that are stopped, in parallel."""
    errors = {}

    def change(name):
        try:
            host = net.hosts[name]
            host.stop() if name in wanted else host.start()  # pylint: disable=expression-not-assigned
            (stopped.add if name in wanted else stopped.discard)(name)
        except Exception as exc:  # pylint: disable=broad-except
            errors[name] = f"{type(exc).__name__}: {exc}"
    todo = [n for n in net.hosts if (n in wanted) != (n in stopped)]
    with ThreadPoolExecutor(max_workers=min(64, len(todo) or 1)) as pool:
        list(pool.map(change, todo))
    return errors


def _control_loop(net, spec, stopped, errors):
    from lab import faults  # pylint: disable=import-outside-toplevel  # it imports this module
    ctl, ack = (_shard_path(spec["state_dir"], spec["shard"], suffix) for suffix in ("ctl", "ack"))
    seq, saved = -1, {}
    _write_json(ack, {"seq": 0, "stopped": sorted(stopped), "errors": errors, "pid": os.getpid()})
    while True:
        wanted = _read_json(ctl)
        if wanted and wanted["seq"] != seq:
            seq = wanted["seq"]
            errors = _apply(net, stopped, set(wanted["stopped"]))
            faults.apply(net, wanted.get("outputs") or {}, saved)  # injected outputs (lab/faults.py)
            _write_json(ack, {"seq": seq, "stopped": sorted(stopped), "errors": errors, "pid": os.getpid()})
        time.sleep(0.1)


def serve(shard_file, foreground=False):
    """Run one shard: start its hosts, then follow its control file until SIGTERM."""
    spec = _read_json(shard_file)
    pid_file = _shard_path(spec["state_dir"], spec["shard"], "pid")
    child = 0 if foreground else os.fork()
    if child or foreground:  # the caller reaps this parent; the shard is reparented, never its zombie
        with open(pid_file, "w", encoding="utf-8") as handle:
            handle.write(f"{child or os.getpid()}\n")
        if child:
            os._exit(0)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    status = 0
    try:
        _quiet_probes()
        net, errors = _fakenos(spec), {}
        for name, host in net.hosts.items():
            try:
                host.start()
            except Exception as exc:  # pylint: disable=broad-except
                errors[name] = f"{type(exc).__name__}: {exc}"
        log.warning("shard %s: %d hosts started, %d failed", spec["shard"], len(net.hosts) - len(errors), len(errors))
        _control_loop(net, spec, set(errors), errors)
    except SystemExit:
        pass
    except BaseException:  # pylint: disable=broad-except
        traceback.print_exc()
        status = 1
    finally:  # FakeNOS threads are not daemons: leave without waiting for them
        with contextlib.suppress(OSError):
            os.unlink(pid_file)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)  # pylint: disable=protected-access


# ---------------------------------------------------------------- the caller's side

def _alive(pid):
    """True if ``pid`` runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _shard_pids(state_dir):
    """Pids of this lab's shard processes: pid files, and /proc for any whose pid file is gone."""
    pids = set()
    for name in os.listdir(os.path.abspath(state_dir)) if os.path.isdir(state_dir) else []:
        if name.startswith("shard-") and name.endswith(".pid"):
            with contextlib.suppress(OSError, ValueError):
                pids.add(int(open(os.path.join(state_dir, name), encoding="utf-8").read()))
    marker = f"lab.devices\0serve\0{_devdir(state_dir)}/shard-".encode()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if marker in open(f"/proc/{entry}/cmdline", "rb").read():
                    pids.add(int(entry))
    return {pid for pid in pids if _alive(pid)}


def _accepts(port, timeout=0.5):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=timeout):
        return True
    return False


def _wait_ports(hosts, want_open, deadline, what):
    """Wait until every host's port accepts (or refuses) a TCP connection."""
    pending = list(hosts)
    while pending:
        with ThreadPoolExecutor(max_workers=32) as pool:
            states = list(pool.map(lambda h: _accepts(h["port"]), pending))
        pending = [h for h, state in zip(pending, states) if state != want_open]
        if pending and time.monotonic() > deadline:
            names = ", ".join(f"{h['name']} (port {h['port']})" for h in pending[:5])
            raise TimeoutError(f"{what}: {len(pending)} device(s) still {'closed' if want_open else 'open'}: {names}")
        if pending:
            time.sleep(0.2)


def _log_tail(state_dir, shard, lines=15):
    with contextlib.suppress(OSError), open(_shard_path(state_dir, shard, "log"), encoding="utf-8") as handle:
        return "".join(handle.readlines()[-lines:])
    return ""


def _shard_alive(state_dir, shard):
    with contextlib.suppress(OSError, ValueError), open(_shard_path(state_dir, shard, "pid"), encoding="utf-8") as fh:
        return _alive(int(fh.read()))
    return False


def _wait_acks(state_dir, seqs, deadline):
    """Wait until each shard acknowledges its control sequence ``seqs[shard]``."""
    for shard, seq in sorted(seqs.items()):
        while True:
            ack = _read_json(_shard_path(state_dir, shard, "ack")) or {}
            if ack.get("seq", -1) >= seq:
                break
            if not _shard_alive(state_dir, shard):
                raise RuntimeError(f"shard {shard} is not running; its log ends:\n{_log_tail(state_dir, shard)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"shard {shard} did not answer in time; log:\n{_log_tail(state_dir, shard)}")
            time.sleep(0.1)
        if ack.get("errors"):
            failed = "; ".join(f"{n}: {e}" for n, e in sorted(ack["errors"].items())[:5])
            raise RuntimeError(f"shard {shard}: {len(ack['errors'])} device(s) failed: {failed}")


def _check_hosts(hosts):
    names, ports = [h["name"] for h in hosts], [h["port"] for h in hosts]
    if not hosts or len(set(names)) != len(names) or len(set(ports)) != len(ports):
        raise ValueError("hosts must be a non-empty list with unique names and ports")
    unknown = sorted({h["platform"] for h in hosts} - set(PROMPTS))
    if unknown:
        raise ValueError(f"unsupported platform(s): {', '.join(unknown)}")


def _spawn(state_dir, shard):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    with open(_shard_path(state_dir, shard, "log"), "w", encoding="utf-8") as logfile:
        return subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "lab.devices", "serve", _shard_path(state_dir, shard, "json")],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
            start_new_session=True)


def start(state_dir, hosts, username, password, shards=None, timeout=None):
    """Start every host (``{name, platform, port, outputs}``, optionally its own ``username``
    and ``password``); return once all ports accept."""
    state_dir, began = os.path.abspath(state_dir), time.monotonic()
    _check_hosts(hosts)
    os.makedirs(_devdir(state_dir), exist_ok=True)
    if _shard_pids(state_dir):
        raise RuntimeError(f"devices already run from {state_dir}: stop() them first")
    with ThreadPoolExecutor(max_workers=32) as pool:  # FakeNOS binds with SO_REUSEPORT: it would share
        busy = [h["name"] for h, used in zip(hosts, pool.map(lambda h: _accepts(h["port"], 0.2), hosts)) if used]
    if busy:
        raise RuntimeError(f"{len(busy)} port(s) already accept connections, e.g. for {', '.join(busy[:5])}")
    for name in os.listdir(_devdir(state_dir)):
        os.unlink(os.path.join(_devdir(state_dir), name))
    # one process per 250 hosts, no more than cores: 1,000 hosts start in ~2 s on 2 cores; more
    # processes only cost memory (~60 MB each) and start CPU
    count = max(1, min(len(hosts), shards or min(os.cpu_count() or 1, math.ceil(len(hosts) / PER_SHARD))))
    index = {}
    for shard in range(count):
        group = hosts[shard::count]  # round robin: every shard gets every platform
        _write_json(_shard_path(state_dir, shard, "json"), {
            "shard": shard, "state_dir": state_dir, "username": username, "password": password,
            "hosts": [{k: h[k] for k in ("name", "platform", "port", "outputs", "username", "password") if k in h}
                      for h in group]})
        index.update({h["name"]: {"shard": shard, "port": h["port"], "platform": h["platform"]} for h in group})
    _write_json(os.path.join(_devdir(state_dir), "index.json"), index)
    deadline = began + (timeout or 60 + 0.05 * len(hosts))
    try:
        for proc in [_spawn(state_dir, shard) for shard in range(count)]:
            proc.wait(timeout=30)
        _wait_acks(state_dir, {shard: 0 for shard in range(count)}, deadline)
        _wait_ports(hosts, True, deadline, "start")
    except BaseException:
        with contextlib.suppress(Exception):
            stop(state_dir)
        raise
    return {"shards": count, "pids": sorted(_shard_pids(state_dir)), "seconds": round(time.monotonic() - began, 2)}


def _control(state_dir, names, stopped, timeout):
    state_dir = os.path.abspath(state_dir)
    index = _read_json(os.path.join(_devdir(state_dir), "index.json")) or {}
    unknown = sorted(set(names) - set(index))
    if unknown:
        raise ValueError(f"unknown device(s): {', '.join(unknown[:10])}")
    deadline, seqs = time.monotonic() + timeout, {}
    with open(os.path.join(_devdir(state_dir), "control.lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for shard in sorted({index[n]["shard"] for n in names}):
            path = _shard_path(state_dir, shard, "ctl")
            ctl = _read_json(path) or {"seq": 0, "stopped": []}
            mine = {n for n in names if index[n]["shard"] == shard}
            wanted = set(ctl["stopped"]) | mine if stopped else set(ctl["stopped"]) - mine
            seqs[shard] = ctl["seq"] + 1
            _write_json(path, dict(ctl, seq=seqs[shard], stopped=sorted(wanted)))  # outputs kept
        _wait_acks(state_dir, seqs, deadline)
    hosts = [{"name": n, "port": index[n]["port"]} for n in names]
    _wait_ports(hosts, not stopped, deadline, "stop_devices" if stopped else "start_devices")


def stop_devices(state_dir, names, timeout=60):
    """Stop the named devices (their ports refuse connections); the others keep running."""
    _control(state_dir, list(names), True, timeout)


def start_devices(state_dir, names, timeout=60):
    """Start again devices stopped by stop_devices(); return once their ports accept."""
    _control(state_dir, list(names), False, timeout)


def stop(state_dir, timeout=15):
    """Stop every shard of ``state_dir``; RuntimeError if a process is left. Returns the pids."""
    state_dir = os.path.abspath(state_dir)
    pids = _shard_pids(state_dir)
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        end = time.monotonic() + wait
        while any(_alive(pid) for pid in pids) and time.monotonic() < end:
            time.sleep(0.05)
        if not any(_alive(pid) for pid in pids):
            break
    left = sorted(pid for pid in pids | _shard_pids(state_dir) if _alive(pid))
    if left:
        raise RuntimeError(f"device shard process(es) still running: {left}")
    for name in os.listdir(state_dir) if os.path.isdir(state_dir) else []:
        if name.startswith("shard-") and name.endswith(".pid"):
            os.unlink(os.path.join(state_dir, name))
    index = _read_json(os.path.join(_devdir(state_dir), "index.json")) or {}
    _wait_ports([{"name": n, **v} for n, v in index.items()], False, time.monotonic() + 10, "stop")
    return sorted(pids)


def main(argv=None):
    parser = argparse.ArgumentParser(description="The lab's emulated devices (FakeNOS).")
    sub = parser.add_subparsers(dest="action", required=True)
    serve_p = sub.add_parser("serve", help="run one shard (started by start())")
    serve_p.add_argument("shard_file")
    serve_p.add_argument("--foreground", action="store_true")
    stop_p = sub.add_parser("stop", help="stop every device of a state directory")
    stop_p.add_argument("state_dir")
    args = parser.parse_args(argv)
    if args.action == "serve":
        serve(args.shard_file, args.foreground)
    else:
        print(json.dumps({"stopped_pids": stop(args.state_dir)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
