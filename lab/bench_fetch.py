"""Benchmark: NetBox's intended state of every lab device (``python -m lab.bench_fetch``).

On the running lab (``LAB_STATE``, default ``.lab``) it reads every device's NetBox
data two ways, each through a counting reverse proxy on 127.0.0.1 in front of NetBox
(so the requests are counted the same way for both clients):

* ``fetch``: this collection's ``netbox_fetch.fetch()`` (raw dicts, ``fields=``,
  cursor paging on NetBox 4.6+, 4 requests at once), then ``intended.build_all()``;
  and its variants without ``fields=`` (``fetch_nofields``), with pynetbox Record
  objects (``fetch_records``), with offset paging (``fetch_offset``) and one request
  at a time (``fetch_serial``);
* ``nb_inventory``: ``ansible-inventory --list`` over a copy of the lab's
  netbox.netbox.nb_inventory source with ``interfaces: true``.

Each is run ``--repeat`` times (default 3); wall and CPU seconds are the medians. It
prints one ``name: value`` line per figure: requests, wall seconds, client CPU
seconds and bytes received.
"""

import argparse
import http.client
import statistics
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import yaml

from lab import pgsql

ROOT = pathlib.Path(__file__).resolve().parent.parent
STATE = pathlib.Path(os.environ.get("LAB_STATE") or ROOT / ".lab").resolve()
BIN = ROOT / ".venv" / "bin"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
              "trailer", "content-length"}


class CountingProxy:
    """A reverse proxy on 127.0.0.1 that forwards to NetBox and counts requests and
    response bytes per endpoint. The Host header is passed on, so NetBox's ``next``
    links point at the proxy and every page goes through it."""

    def __init__(self, upstream):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port or 80)
        self.lock = threading.Lock()
        self.reset()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                proxy.forward(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self):
        with self.lock:
            self.requests, self.bytes, self.by_endpoint = 0, 0, {}

    def forward(self, handler):
        conn = http.client.HTTPConnection(*self.upstream, timeout=600)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request("GET", handler.path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        endpoint = urlsplit(handler.path).path.removeprefix("/api/").strip("/") or "(root)"
        with self.lock:
            self.requests += 1
            self.bytes += len(body)
            self.by_endpoint[endpoint] = self.by_endpoint.get(endpoint, 0) + 1
        handler.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP:
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); its error says so

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _proc_cpu(pid, children_too=False):
    """utime + stime (+ cutime + cstime: children that have ended) of ``pid``, in seconds."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children_too:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid):
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def server_cpu():
    """CPU seconds used so far by the lab's NetBox: gunicorn's workers and PostgreSQL."""
    total = 0.0
    for pidfile in (STATE / "gunicorn.pid", pathlib.Path(pgsql.cluster_dirs(str(STATE))[0]) / "postmaster.pid"):
        try:
            master = int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        total += _proc_cpu(master, children_too=True)
        total += sum(_proc_cpu(child) for child in _children(master))
    return total


def emulator_cpu(state=STATE):
    """CPU seconds used so far by the lab's emulated devices (every shard process)."""
    total = 0.0
    for pidfile in state.glob("shard-*.pid"):
        try:
            total += _proc_cpu(int(pidfile.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            continue
    return total


def read_env():
    env = {}
    for line in (STATE / "env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value.strip()
    return env["NETBOX_API"], env["NETBOX_TOKEN"]


def run_fetch(url, token, names, proxy, **options):
    """One fetch and build_all; its figures, with the proxy's count beside ours."""
    sys.path.insert(0, str(ROOT / ".deps"))
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended
    from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_fetch

    proxy.reset()
    wall, cpu, server = time.monotonic(), time.process_time(), server_cpu()
    fetched = netbox_fetch.fetch(url, token, names, **options)
    fetch_wall, fetch_cpu = time.monotonic() - wall, time.process_time() - cpu
    netbox_cpu = server_cpu() - server
    cpu = time.process_time()
    models = intended.build_all(fetched)
    build_cpu = time.process_time() - cpu
    stats = fetched["stats"]
    if stats["requests"] != proxy.requests:
        raise SystemExit(f"bench_fetch: fetch counted {stats['requests']} requests, the proxy {proxy.requests}")
    return {
        "requests": proxy.requests, "wall_s": fetch_wall, "cpu_s": fetch_cpu, "netbox_cpu_s": netbox_cpu,
        "bytes": proxy.bytes,
        "build_cpu_s": build_cpu, "devices": len(models), "interfaces": stats["interfaces"],
        "pagination": stats["pagination"], "by_endpoint": json.dumps(proxy.by_endpoint, sort_keys=True),
    }


def run_inventory(token, proxy, tmp, interfaces):
    """``ansible-inventory --list`` on a copy of the lab's nb_inventory source."""
    source = yaml.safe_load((STATE / "inventory.yml").read_text())
    source.update(api_endpoint=proxy.url, token=token, interfaces=interfaces)
    path = pathlib.Path(tmp) / f"bench_{'interfaces' if interfaces else 'plain'}.netbox.yml"
    path.write_text(yaml.safe_dump(source))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               PATH=f"{BIN}:{os.environ.get('PATH', '')}")
    proxy.reset()
    started, server = time.monotonic(), server_cpu()
    proc = subprocess.run([BIN / "ansible-inventory", "-i", path, "--list"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    wall, netbox_cpu = time.monotonic() - started, server_cpu() - server
    if proc.returncode != 0:
        raise SystemExit(f"bench_fetch: ansible-inventory failed:\n{proc.stderr[-3000:]}")
    hosts = len(json.loads(proc.stdout)["_meta"]["hostvars"])
    return {"requests": proxy.requests, "wall_s": wall, "netbox_cpu_s": netbox_cpu, "bytes": proxy.bytes,
            "hosts": hosts,
            "by_endpoint": json.dumps(proxy.by_endpoint, sort_keys=True)}


VARIANTS = {
    "fetch": {},
    "fetch_nofields": {"fields": False},
    "fetch_records": {"raw": False},
    "fetch_offset": {"pagination": "offset"},
    "fetch_serial": {"workers": 1},
}


def repeated(times, func, *args, **kwargs):
    """``func``'s figures over ``times`` runs: medians of the seconds, the rest of the last run."""
    runs = [func(*args, **kwargs) for count in range(times)]
    figures = dict(runs[-1])
    for key in figures:
        if key.endswith("_s"):
            figures[key] = statistics.median(run[key] for run in runs)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab.bench_fetch", description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="fetch variants to run (default: %(default)s)")
    parser.add_argument("--no-inventory", action="store_true", help="skip ansible-inventory")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=300,
                        help="seconds per NetBox answer (default: %(default)s; a loaded 2-core lab "
                             "can take more than fetch()'s 30 for a page of 1,000 interfaces)")
    args = parser.parse_args(argv)
    if not (STATE / "lab.json").exists():
        raise SystemExit(f"bench_fetch: no lab is up in {STATE} (python -m lab up)")
    lab = json.loads((STATE / "lab.json").read_text())
    names = list(lab["ports"])
    url, token = read_env()
    figures = {"devices": len(names), "netbox": lab["api_url"], "repeat": args.repeat}
    with CountingProxy(url) as proxy:
        for variant in args.variants.split(","):
            print(f"bench_fetch: {variant} for {len(names)} devices", file=sys.stderr, flush=True)
            options = dict(VARIANTS[variant], timeout=args.timeout)
            for key, value in repeated(args.repeat, run_fetch, proxy.url, token, names, proxy,
                                       **options).items():
                figures[f"{variant}_{key}"] = value
        if not args.no_inventory:
            for interfaces in (True, False):
                name = "nb_inventory_interfaces" if interfaces else "nb_inventory_plain"
                print(f"bench_fetch: {name}", file=sys.stderr, flush=True)
                with tempfile.TemporaryDirectory(prefix="truthloop-bench-fetch-") as tmp:
                    for key, value in repeated(args.repeat, run_inventory, token, proxy, tmp,
                                               interfaces).items():
                        figures[f"{name}_{key}"] = value
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
