"""Cost of verification inside an existing play: ``make bench-verify`` (``python -m lab.bench_verify``).

On the lab that is up, runs ``lab/playbooks/backup_verify.yml`` (a configuration backup over
network_cli) without and with the role's ``verify`` entry point as a post-task, each under
the child subreaper of ``lab.cpuwrap`` (so the ``ansible-connection`` daemons are counted),
and prints the added wall and controller CPU per host, and the connection daemons of each
run (the same number: verification logs into no device again). Prints ``name: value`` lines.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

from lab.bench import BIN, ROOT, STATE, _env, netbox_env

PLAY = ROOT / "lab" / "playbooks" / "backup_verify.yml"


def run(out, verify, forks):
    report = out / ("with.cpu.json" if verify else "without.cpu.json")
    cmd = [BIN / "python", "-m", "lab.cpuwrap", "--json", report, "--", BIN / "ansible-playbook",
           "-i", STATE / "inventory.yml", PLAY, "-e", f"lab_backup_dir={out}", "-e", f"lab_verify={verify}",
           "-e", f"drift_check_report_dir={out / 'reports'}", "-e", f"drift_check_snapshot_dir={out / 'snapshots'}"]
    env = dict(_env(forks), **netbox_env())
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    result = json.loads(report.read_text())
    if result["rc"] != 0:
        raise SystemExit(f"bench_verify: the play failed (rc {result['rc']}):\n{proc.stdout[-3000:]}")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench_verify", description=__doc__.splitlines()[0])
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each play; the lowest figures are kept")
    args = parser.parse_args(argv)
    if not (STATE / "lab.json").exists():
        raise SystemExit("bench_verify: no lab is up; start one with `make lab-up`")
    hosts = len(json.loads((STATE / "lab.json").read_text())["ports"])
    best = {}
    with tempfile.TemporaryDirectory(prefix="truthloop-bench-verify-") as tmp:
        for round_no in range(args.rounds):
            for verify in (False, True):
                out = pathlib.Path(tmp) / f"{round_no}-{verify}"
                out.mkdir()
                result = run(out, verify, args.forks)
                name = "with" if verify else "without"
                for key in ("wall_s", "cpu_s"):
                    best[f"{name}_{key}"] = min(best.get(f"{name}_{key}", result[key]), result[key])
                best[f"{name}_connection_daemons"] = result["orphans"]
    figures = {"hosts": hosts, "forks": args.forks, "rounds": args.rounds}
    figures.update(best)
    figures["added_wall_s"] = best["with_wall_s"] - best["without_wall_s"]
    figures["added_cpu_s_per_host"] = (best["with_cpu_s"] - best["without_cpu_s"]) / hosts
    figures["second_logins"] = best["with_connection_daemons"] - best["without_connection_daemons"]
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 1 if figures["second_logins"] else 0


if __name__ == "__main__":
    sys.exit(main())
