"""The project's benchmark: ``make bench BENCH_DEVICES=N`` (``python -m lab.bench``).

On a lab of N devices (started with scenario ``none`` unless one of that size is
up), it times the lab start and then collects every device three ways, each run
under a child subreaper so that the double-forked ``ansible-connection`` daemons
are counted:

* ``naive``: one ``*_command`` task per host over network_cli (collection only);
* ``device_state``: the collection's compatible path (network_cli, parsed);
* ``device_state_fast``: the fast path (one direct SSH session per host, parsed).

It checks that the three saw the same outputs, then prints one ``name: value``
line per figure, last.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
STATE = pathlib.Path(os.environ.get("LAB_STATE") or ROOT / ".lab").resolve()
BIN = ROOT / ".venv" / "bin"
PLAYS = ("naive", "device_state", "device_state_fast")


def _env(forks):
    env = dict(os.environ)
    env.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_FORKS=str(forks),
               ANSIBLE_NOCOLOR="1", PATH=f"{BIN}:{env.get('PATH', '')}")
    return env


def netbox_env(state=STATE):
    """NETBOX_API and NETBOX_TOKEN of the lab (``<state>/env``), for a playbook's environment."""
    from lab.netbox_load import read_env  # pylint: disable=import-outside-toplevel

    url, token = read_env(state / "env")
    return {"NETBOX_API": url, "NETBOX_TOKEN": token}


def ensure_lab(devices):
    """Start a lab of ``devices`` (scenario none) unless one of that size is up."""
    lab_file = STATE / "lab.json"
    if lab_file.exists() and json.loads(lab_file.read_text())["devices"] == devices:
        return {"reused": True}
    if lab_file.exists():
        subprocess.run([BIN / "python", "-m", "lab", "down"], cwd=ROOT, check=True)
    started = time.monotonic()
    subprocess.run([BIN / "python", "-m", "lab", "up", "--devices", str(devices), "--scenario", "none"],
                   cwd=ROOT, check=True)
    return {"reused": False, "lab_up_s": time.monotonic() - started}


def commands_by_network_os():
    """What the collectors run first on each platform (its commands and the companions its
    checks read, such as Junos `| count`), for the naive playbook to run the same."""
    sys.path.insert(0, str(ROOT / ".deps"))
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands  # noqa: E402

    found = {}
    for spec_file in (ROOT / "templates" / "ttp").glob("*.yml"):
        spec = yaml.safe_load(spec_file.read_text())
        found[spec["network_os"][0]] = commands.first_commands(commands.plan(spec))
    return found


def run_play(name, out, forks):
    """One playbook under the subreaper, in a process of its own."""
    playbook = ROOT / "lab" / "playbooks" / f"bench_{name}.yml"
    extra = out / "vars.json"
    report = out / f"{name}.cpu.json"
    cmd = [BIN / "python", "-m", "lab.cpuwrap", "--json", report, "--",
           BIN / "ansible-playbook", "-i", STATE / "inventory.yml", playbook, "-e", f"@{extra}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(forks), capture_output=True, text=True, check=False)
    result = json.loads(report.read_text())
    if result["rc"] != 0:
        raise SystemExit(f"bench: {name} failed (rc {result['rc']}):\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    return result


def compare(out, devices):
    """Devices whose three collections disagree on any output."""
    differ = []
    for name in devices:
        naive = json.loads((out / "naive" / f"{name}.json").read_text())
        for run_id in ("device_state", "device_state_fast"):
            snap = out / "snapshots" / run_id / name
            manifest = json.loads((snap / "manifest.json").read_text())
            for entry in manifest["commands"]:
                text = (snap / entry["file"]).read_text() if entry["ok"] else None
                if text is None or text.strip() != _redact(naive[entry["command"]]).strip():
                    differ.append((name, run_id, entry["command"]))
    return differ


def _redact(text):
    sys.path.insert(0, str(ROOT / ".deps"))
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import snapshot  # noqa: E402

    return snapshot.redact(text)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=int(os.environ.get("BENCH_DEVICES", 50)))
    parser.add_argument("--forks", type=int, default=50)
    args = parser.parse_args(argv)
    figures = {"devices": args.devices, "forks": args.forks}
    figures.update(ensure_lab(args.devices))
    names = list(json.loads((STATE / "lab.json").read_text())["ports"])
    with tempfile.TemporaryDirectory(prefix="truthloop-bench-") as tmp:
        out = pathlib.Path(tmp)
        (out / "naive").mkdir()
        (out / "vars.json").write_text(json.dumps({"bench_out": str(out),
                                                   "bench_commands": commands_by_network_os()}))
        for name in PLAYS:
            print(f"bench: {name} on {len(names)} devices", file=sys.stderr, flush=True)
            result = run_play(name, out, args.forks)
            figures[f"{name}_cpu_s_per_device"] = result["cpu_s"] / len(names)
            figures[f"{name}_wall_s"] = result["wall_s"]
            figures[f"{name}_peak_rss_mb"] = result["max_rss_mb"]
            figures[f"{name}_connection_daemons"] = result["orphans"]
        figures["results_differ"] = len(compare(out, names))
    figures["ratio_naive_to_fast"] = figures["naive_cpu_s_per_device"] / figures["device_state_fast_cpu_s_per_device"]
    figures["ratio_device_state_to_fast"] = (figures["device_state_cpu_s_per_device"]
                                             / figures["device_state_fast_cpu_s_per_device"])
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 1 if figures["results_differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
