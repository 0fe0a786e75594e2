"""One controller, the whole check: ``make bench-check BENCH_DEVICES=N`` (``python -m lab.bench_check``).

On a lab of N devices (started with scenario ``none`` unless one of that size is up),
runs two drift checks, each under the child subreaper of ``lab.cpuwrap`` (so the
double-forked ``ansible-connection`` daemons are counted):

* ``ours``: ``ansible-playbook truthloop.netbox_drift.check`` with the role's defaults
  (fast transport), on the lab's inventory; its ``drift.json`` is read and counted;
* ``naive``: ``lab/playbooks/bench_check_naive.yml``, what a user would write with the
  tools they have: nb_inventory with ``interfaces: true``, one network_cli ``*_command``
  task per platform, ``ansible.utils.cli_parse`` with the collection's TTP templates on
  every output, ``ansible.utils.fact_diff`` of the interfaces against the host vars.

Both run with the same forks (50 unless told). Every host must get through both (the
play recap, and for the naive play a file per host), else it fails loudly. Prints one
``name: value`` line per figure, last. ``peak_rss_mb`` is the largest single process's
``ru_maxrss`` (as ``wait4`` reports it), not the sum over the process tree.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

from lab.bench import BIN, ROOT, STATE, _env, ensure_lab, netbox_env
from lab.bench_fetch import emulator_cpu, server_cpu

NAIVE_PLAY = ROOT / "lab" / "playbooks" / "bench_check_naive.yml"
RECAP = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")


def write_nb_inventory(directory, state=STATE):
    """The lab's nb_inventory source with ``interfaces: true``, written to ``directory`` with
    the lab's ``host_vars``/``group_vars`` beside it. The file holds neither the token nor the
    URL: nb_inventory reads them from NETBOX_TOKEN and NETBOX_API, as a user's would."""
    source = yaml.safe_load((state / "inventory.yml").read_text())
    source.pop("token", None)
    source.pop("api_endpoint", None)
    source["interfaces"] = True
    directory = pathlib.Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / "nb_inventory.yml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("---\n")
        yaml.safe_dump(source, handle, sort_keys=False, default_flow_style=False)
    for name in ("host_vars", "group_vars"):
        (directory / name).symlink_to(state / name, target_is_directory=True)
    return path


def parse_recap(stdout):
    """``{host: {ok, changed, unreachable, failed, ...}}`` from a play recap."""
    hosts, in_recap = {}, False
    for line in stdout.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap = True
            continue
        match = RECAP.match(line.strip()) if in_recap else None
        if match:
            hosts[match.group(1)] = {k: int(v) for k, v in (p.split("=") for p in match.group(2).split())}
    return hosts


def hosts_ok(recap, names):
    """The hosts of ``names`` that the recap shows with tasks run and none failed or unreachable."""
    return sorted(n for n in names if n in recap and recap[n].get("ok", 0) > 0
                  and recap[n].get("failed", 0) == 0 and recap[n].get("unreachable", 0) == 0)


def scrub(text, secrets):
    """``text`` with every non-empty secret replaced, for an error message."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<hidden>")
    return text


def naive_vars():
    """Commands, templates and the interfaces' command of each platform, from its platform file."""
    sys.path.insert(0, str(ROOT / ".deps"))
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands  # noqa: E402

    found = {"bench_commands": {}, "bench_parse": {}, "bench_config": {}}
    for spec_file in (ROOT / "templates" / "ttp").glob("*.yml"):
        spec = yaml.safe_load(spec_file.read_text())
        nos, entries = spec["network_os"][0], commands.plan(spec)
        found["bench_commands"][nos] = commands.first_commands(entries)
        found["bench_parse"][nos] = [
            {"command": e["command"], "template": str(ROOT / "templates" / "ttp" / os.path.basename(
                e["candidates"][0]["template"]))} for e in entries if e["candidates"][0]["template"]]
        found["bench_config"][nos] = next(e["command"] for e in entries if "interfaces" in e["sections"])
    return found


def run_measured(name, out, cmd, env, secrets):
    """``cmd`` under the subreaper; its cpuwrap figures plus ``stdout``. Fails loudly on rc != 0."""
    report = out / f"{name}.cpu.json"
    wrapped = [BIN / "python", "-m", "lab.cpuwrap", "--json", report, "--", *cmd]
    print(f"bench_check: {name}", file=sys.stderr, flush=True)
    netbox, emulator = server_cpu(), emulator_cpu()
    proc = subprocess.run(wrapped, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    result = json.loads(report.read_text())
    result.update(netbox_cpu_s=server_cpu() - netbox, emulator_cpu_s=emulator_cpu() - emulator)
    if result["rc"] != 0:
        causes = [line for line in proc.stdout.splitlines() if line.startswith(("fatal:", "failed:"))][:20]
        raise SystemExit(f"bench_check: {name} failed (rc {result['rc']}), {json.dumps(result)}:\n"
                         + scrub("\n".join(causes) + "\n" + proc.stdout[-3000:] + proc.stderr[-2000:], secrets))
    result["stdout"] = proc.stdout
    return result


def run_ours(out, env, secrets):
    cmd = [BIN / "ansible-playbook", "-i", STATE / "inventory.yml", "truthloop.netbox_drift.check",
           "-e", f"drift_check_report_dir={out / 'reports'}"]
    result = run_measured("ours", out, cmd, env, secrets)
    report = json.loads((out / "reports" / "latest" / "drift.json").read_text())
    result["report"] = report["summary"]
    return result


def run_naive(out, env, secrets):
    (out / "naive").mkdir()
    (out / "naive-vars.json").write_text(json.dumps(dict(naive_vars(), bench_out=str(out))))
    inventory = write_nb_inventory(out / "naive-inventory")
    cmd = [BIN / "ansible-playbook", "-i", inventory, NAIVE_PLAY, "-e", f"@{out / 'naive-vars.json'}"]
    result = run_measured("naive", out, cmd, env, secrets)
    found = {p.stem: json.loads(p.read_text()) for p in (out / "naive").glob("*.json")}
    result["written"] = sorted(found)
    result["hosts_with_diff"] = sum(1 for host in found.values() if host["changed"])
    return result


def figures_of(name, result, names):
    """The figures of one run; fails loudly when a host did not get through."""
    ok = hosts_ok(parse_recap(result["stdout"]), names)
    missing = sorted((set(names) - set(ok)) | (set(names) - set(result.get("written", names))))
    if missing:
        raise SystemExit(f"bench_check: {name}: {len(missing)} of {len(names)} hosts did not get through: "
                         f"{', '.join(missing[:20])}")
    return {f"{name}_wall_s": result["wall_s"], f"{name}_cpu_s": result["cpu_s"],
            f"{name}_cpu_s_per_device": result["cpu_s"] / len(names),
            f"{name}_peak_rss_mb_largest_process": result["max_rss_mb"],
            f"{name}_connection_daemons": result["orphans"], f"{name}_hosts_ok": len(ok),
            f"{name}_netbox_cpu_s": result["netbox_cpu_s"], f"{name}_emulator_cpu_s": result["emulator_cpu_s"]}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench_check", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=int(os.environ.get("BENCH_DEVICES", 50)))
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--no-naive", action="store_true", default=os.environ.get("BENCH_NAIVE") == "0",
                        help="run ours only (BENCH_NAIVE=0): the naive play costs about 9 CPU-s per device")
    args = parser.parse_args(argv)
    figures = {"devices": args.devices, "forks": args.forks}
    figures.update(ensure_lab(args.devices))
    names = list(json.loads((STATE / "lab.json").read_text())["ports"])
    netbox = netbox_env()
    env = dict(_env(args.forks), ANSIBLE_INVENTORY_UNPARSED_FAILED="True", **netbox)
    secrets = [netbox.get("NETBOX_TOKEN")]
    with tempfile.TemporaryDirectory(prefix="truthloop-bench-check-") as tmp:
        out = pathlib.Path(tmp)
        ours = run_ours(out, env, secrets)
        figures.update(figures_of("ours", ours, names))
        figures["ours_report_devices"] = ours["report"]["devices"]
        figures.update({f"ours_report_{k}": v for k, v in ours["report"]["by_status"].items()})
        if not args.no_naive:
            naive = run_naive(out, env, secrets)
            figures.update(figures_of("naive", naive, names))
            figures["naive_hosts_with_interface_diff"] = naive["hosts_with_diff"]
    if not args.no_naive:
        figures["ratio_naive_to_ours_wall"] = figures["naive_wall_s"] / figures["ours_wall_s"]
        figures["ratio_naive_to_ours_cpu"] = figures["naive_cpu_s"] / figures["ours_cpu_s"]
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0 if figures["ours_report_devices"] == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
