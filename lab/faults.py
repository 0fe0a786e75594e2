"""Fault injection: replace what one emulated device prints for one command, while the lab runs.

    from lab import faults
    whole = faults.output(state_dir, "dc1-ios-01", "show running-config")
    faults.set_outputs(state_dir, "dc1-ios-01", {"show running-config": whole[: len(whole) // 2]})
    faults.set_outputs(state_dir, "dc1-eos-03", {"show lldp neighbors detail": None})  # refused
    faults.reset(state_dir)                     # every device prints its own outputs again

A text replaces the command's output; None removes the command, so the device answers
it with its platform's error for an unknown command (``_default_``: "% Invalid input
detected at '^' marker." on IOS), as a device that refuses it would. A change applies
to the sessions opened after ``set_outputs`` returns; nothing restarts.

How: the overrides ride in the shard's control file (``devices/shard-K.ctl``, key
``outputs``: ``{device: {command: text | null}}``, the whole wanted state), beside the
stopped devices; the shard applies them to the host's command table, which FakeNOS
copies into every new session, and remembers the originals to put them back. The
shard acknowledges as it does for stop/start (``shard-K.ack``).
"""

import fcntl
import os
import time

from lab import devices


def _index(state_dir):
    return devices._read_json(os.path.join(devices._devdir(state_dir), "index.json")) or {}  # pylint: disable=protected-access


def output(state_dir, name, command):
    """What ``name`` prints for ``command`` when nothing is injected (None: not a command of it)."""
    index = _index(state_dir)
    if name not in index:
        raise ValueError(f"unknown device: {name}")
    shard = devices._read_json(devices._shard_path(os.path.abspath(state_dir), index[name]["shard"], "json"))  # pylint: disable=protected-access
    host = next(h for h in shard["hosts"] if h["name"] == name)
    return host["outputs"].get(command)


def _change(state_dir, name, update, timeout):
    state_dir = os.path.abspath(state_dir)
    index = _index(state_dir)
    names = [name] if name else list(index)
    unknown = sorted(set(names) - set(index))
    if unknown:
        raise ValueError(f"unknown device(s): {', '.join(unknown)}")
    seqs = {}
    with open(os.path.join(devices._devdir(state_dir), "control.lock"), "w", encoding="utf-8") as lock:  # pylint: disable=protected-access
        fcntl.flock(lock, fcntl.LOCK_EX)
        for shard in sorted({index[n]["shard"] for n in names}):
            path = devices._shard_path(state_dir, shard, "ctl")  # pylint: disable=protected-access
            ctl = devices._read_json(path) or {"seq": 0, "stopped": []}  # pylint: disable=protected-access
            wanted = dict(ctl.get("outputs") or {})
            for host in [n for n in names if index[n]["shard"] == shard]:
                update(wanted, host)
            seqs[shard] = ctl["seq"] + 1
            devices._write_json(path, dict(ctl, seq=seqs[shard], outputs=wanted))  # pylint: disable=protected-access
        devices._wait_acks(state_dir, seqs, time.monotonic() + timeout)  # pylint: disable=protected-access


def set_outputs(state_dir, name, changes, timeout=30):
    """Make ``name`` print ``changes`` (``{command: text | None}``) from its next session on."""
    if not isinstance(changes, dict) or not all(isinstance(t, (str, type(None))) for t in changes.values()):
        raise ValueError("changes must be {command: text or None}")

    def update(wanted, host):
        wanted[host] = dict(wanted.get(host) or {}, **changes)
    _change(state_dir, name, update, timeout)


def reset(state_dir, name=None, timeout=30):
    """Every injected output of ``name`` (of every device by default) is undone."""
    _change(state_dir, name, lambda wanted, host: wanted.pop(host, None), timeout)


def apply(net, wanted, saved):
    """In the shard: make each host's command table match ``wanted``, originals kept in ``saved``."""
    for name, host in net.hosts.items():
        table = host.nos_inventory["configuration"]["commands"]
        mine, kept = wanted.get(name) or {}, saved.setdefault(name, {})
        for command in [c for c in kept if c not in mine]:  # no longer injected: put it back
            original = kept.pop(command)
            if original is None:
                table.pop(command, None)
            else:
                table[command] = original
        for command, text in mine.items():
            kept.setdefault(command, table.get(command))
            if text is None:
                table.pop(command, None)
            else:
                table[command] = {"output": text}
