"""Discovery's figures on the running lab: ``make bench-discovery`` (``python -m lab.bench_discovery``).

The lab must run scenario ``discovery`` (``make lab-up LAB_SCENARIO=discovery LAB_DEVICES=N``).
Runs ``ansible-playbook truthloop.netbox_drift.discover`` on the whole inventory under a
child subreaper (``lab/cpuwrap.py``: the controller's CPU, every child counted), checks
the report against the lab's ground truth, and prints one ``name: value`` line per figure:
the whole run (reading every inventory device's neighbours, then the crawl) and the crawl
alone (NetBox reads and logins, timed by the action).
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

from lab.bench import BIN, ROOT, STATE, _env, netbox_env


def run(forks):
    lab = json.loads((STATE / "lab.json").read_text())
    if lab.get("scenario") != "discovery":
        raise SystemExit("bench-discovery: the lab must run scenario discovery (make lab-up LAB_SCENARIO=discovery)")
    truth = json.loads((STATE / "expected-discovery.json").read_text())
    with tempfile.TemporaryDirectory(prefix="bench-discovery-") as tmp:
        out = pathlib.Path(tmp)
        cmd = [BIN / "python", "-m", "lab.cpuwrap", "--json", out / "cpu.json", "--",
               BIN / "ansible-playbook", "-i", STATE / "inventory.yml", "truthloop.netbox_drift.discover",
               "-e", f"@{STATE / 'discovery.yml'}", "-e", f"discover_report_dir={out / 'reports'}"]
        proc = subprocess.run(cmd, cwd=ROOT, env=dict(_env(forks), **netbox_env()), capture_output=True, text=True, check=False)
        cpu = json.loads((out / "cpu.json").read_text())
        if cpu["rc"] != 0:
            raise SystemExit(f"bench-discovery: the playbook failed (rc {cpu['rc']}):\n{proc.stdout[-3000:]}")
        report = json.loads((out / "reports" / "latest" / "drift.json").read_text())
    found = sorted((r["device"], r["class"]) for r in report["drift"])
    want = sorted((d["name"], d["class"]) for d in truth["devices"])
    log = report["discovery"]
    return {
        "inventory_devices": log["seeds"], "forks": forks,
        "found_as_ground_truth": found == want,
        "records": len(found), "logins": len(log["attempts"]), "neighbour_tables": log["neighbour_tables"],
        "discover_wall_s": round(cpu["wall_s"], 1), "discover_controller_cpu_s": round(cpu["cpu_s"], 1),
        "discover_cpu_per_device_s": round(cpu["cpu_s"] / log["seeds"], 3),
        "crawl_s": log["seconds"], "crawl_netbox_s": log["timing"]["netbox_s"],
        "crawl_seeds_s": log["timing"]["seeds_s"], "crawl_logins_s": log["timing"]["logins_s"],
        "crawl_netbox_requests": log["netbox"]["requests"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench_discovery", description=__doc__.splitlines()[0])
    parser.add_argument("--forks", type=int, default=50)
    args = parser.parse_args(argv)
    for name, value in run(args.forks).items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
