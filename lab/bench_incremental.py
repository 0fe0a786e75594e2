"""Benchmark: a repeat run's NetBox read, incremental against full (``python -m lab.bench_incremental``).

On the running lab (``LAB_STATE``, default ``.lab``) it fills a cache with one full read
(``netbox_cache.fetch``), then, ``--repeat`` times: changes ``--changes`` objects through
NetBox's API (a mix: interface descriptions and states, a device's serial, an interface
and an IP address made, an IP address deleted), reads the intended state of every lab
device incrementally from the cache and in full (``netbox_fetch.fetch``), each through
the counting proxy of ``lab.bench_fetch``, and checks that both give the same intended
state (``intended.build_all``). It prints ``name: value`` lines: requests, wall seconds,
NetBox CPU seconds (gunicorn and PostgreSQL) and bytes of each read (medians), and
what the incremental reads applied.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time

import pynetbox

from lab.bench_fetch import ROOT, STATE, CountingProxy, read_env, server_cpu

sys.path.insert(0, str(ROOT / ".deps"))

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_cache, netbox_fetch  # noqa: E402


def change(api, names, rng, count, round_number):
    """``count`` NetBox objects created, updated or deleted; what was done, by kind."""
    done = {"update": 0, "create": 0, "delete": 0}
    device = api.dcim.devices.get(name=rng.choice(names))
    loop = api.dcim.interfaces.create(device=device.id, name="Loopback%d" % (900 + round_number), type="virtual")
    api.ipam.ip_addresses.create(address="192.0.2.%d/32" % (100 + round_number),
                                 assigned_object_type="dcim.interface", assigned_object_id=loop.id)
    done["create"] += 2
    other = api.dcim.devices.get(name=rng.choice(names))
    addresses = [a for a in api.ipam.ip_addresses.filter(device_id=other.id)
                 if not other.primary_ip4 or a.id != other.primary_ip4.id]
    if addresses:
        rng.choice(addresses).delete()
        done["delete"] += 1
    other.serial = "BENCH%06d" % rng.randrange(10 ** 6)
    other.save()
    done["update"] += 1
    while sum(done.values()) < count:
        target = api.dcim.devices.get(name=rng.choice(names))
        iface = rng.choice(list(api.dcim.interfaces.filter(device_id=target.id, mgmt_only=False)))
        iface.description = "bench round %d %d" % (round_number, rng.randrange(10 ** 6))
        iface.enabled = not iface.enabled
        iface.save()
        done["update"] += 1
    return done


def measure(proxy, read):
    proxy.reset()
    wall, server = time.monotonic(), server_cpu()
    found = read()
    return found, {"requests": proxy.requests, "wall_s": time.monotonic() - wall, "netbox_cpu_s": server_cpu() - server,
                   "bytes": proxy.bytes}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench_incremental", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10, help="objects changed before each read (%(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per NetBox answer (%(default)s)")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args(argv)
    if not (STATE / "lab.json").exists():
        raise SystemExit(f"bench_incremental: no lab is up in {STATE} (python -m lab up)")
    names = sorted(json.loads((STATE / "lab.json").read_text())["ports"])
    url, token = read_env()
    api = pynetbox.api(url, token=token)
    rng = random.Random(args.seed)
    rounds = []
    with CountingProxy(url) as proxy, tempfile.TemporaryDirectory(prefix="truthloop-bench-incr-") as cache_dir:
        print(f"bench_incremental: first read of {len(names)} devices, to fill the cache", file=sys.stderr, flush=True)
        first, first_figures = measure(proxy, lambda: netbox_cache.fetch(proxy.url, token, names, cache_dir,
                                                                          timeout=args.timeout))
        for number in range(1, args.repeat + 1):
            done = change(api, names, rng, args.changes, number)
            print(f"bench_incremental: round {number}: {done}", file=sys.stderr, flush=True)
            cached, incr = measure(proxy, lambda: netbox_cache.fetch(proxy.url, token, names, cache_dir,
                                                                      timeout=args.timeout))
            full, whole = measure(proxy, lambda: netbox_fetch.fetch(proxy.url, token, names, timeout=args.timeout))
            if cached["stats"]["read"] != "incremental":
                raise SystemExit(f"bench_incremental: round {number} read in full: {cached['stats']['reason']}")
            if intended.build_all(cached) != intended.build_all(full):
                raise SystemExit(f"bench_incremental: round {number}: the incremental read differs from the full read")
            rounds.append({"incremental": incr, "full": whole, "changes": cached["stats"]["changes"],
                           "reread": cached["stats"]["reread"]})
    figures = {"devices": len(names), "interfaces": first["stats"]["interfaces"], "changed_objects": args.changes,
               "rounds": args.repeat, "first_read_requests": first_figures["requests"],
               "first_read_wall_s": first_figures["wall_s"]}
    for kind in ("full", "incremental"):
        for key in ("requests", "wall_s", "netbox_cpu_s", "bytes"):
            figures[f"{kind}_{key}"] = statistics.median(r[kind][key] for r in rounds)
    figures["changelog_entries"] = statistics.median(r["changes"] for r in rounds)
    figures["reread_last_round"] = json.dumps(rounds[-1]["reread"], sort_keys=True)
    figures["wall_ratio"] = figures["full_wall_s"] / figures["incremental_wall_s"]
    figures["requests_ratio"] = figures["full_requests"] / figures["incremental_requests"]
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
