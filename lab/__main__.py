"""The lab: ``python -m lab up|down|status``.

``up`` starts a private NetBox (loaded with the dataset as the scenario leaves it on
the NetBox side) and one emulated SSH device per dataset device (rendered as the
scenario leaves it on the device side). ``up --fabric NAME`` replays a real fabric
instead (``lab/fabric.py``): each captured device answers from its captures byte for
byte, NetBox holds the fabric's own intended state (``lab/avd.py``), and the scenario
(``lab/scenarios/fabric-NAME.yml``, NetBox side only) adds known drift on top of the
fabric's real differences (``lab/fabrics/NAME.yml``). Either way it writes into ``.lab/``:

* ``env``                 NETBOX_API and NETBOX_TOKEN, shell syntax
* ``inventory.yml``       the netbox.netbox.nb_inventory source (+ host_vars/, group_vars/)
* ``expected-drift.json`` the ground truth of the active scenario (``[]`` for none)
* ``expected-discovery.json``, ``discovery.yml``  with a scenario of undocumented devices
  (``lab/undocumented.py``): the ground truth of discovery, and its settings with the
  discovery credential (``-e @.lab/discovery.yml``); ``relay-attempts.jsonl`` every
  connection attempt to a discovered device's address (``lab/relay.py``)
* ``dataset-netbox.json``, ``dataset-device.json``  the two views, for tests
* ``lab.json``            what is running
"""

import argparse
import json
import os
import pathlib
import secrets
import socket
import sys
import threading
import time

from lab import avd, dataset, devices, fabric, inventory, netbox_service, pgsql, relay, render, scenario, undocumented

ROOT = pathlib.Path(__file__).resolve().parent.parent
STATE = pathlib.Path(os.environ.get("LAB_STATE") or ROOT / ".lab").resolve()  # one lab per state dir
USERNAME = "netops"


LabError = pgsql.LabError  # something the person running the lab must fix: no traceback


def free_ports(count, start=20000, stop=32000):
    """``count`` TCP ports free on 127.0.0.1, below the kernel's ephemeral range."""
    ports = []
    port = start + secrets.randbelow(2000)
    while len(ports) < count:
        if port >= stop:
            raise LabError(f"not enough free ports between {start} and {stop}")
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                ports.append(port)
            except OSError:
                pass
        port += 1
    return ports


def _step(label, started):
    print(f"lab: {label} ({time.monotonic() - started:.1f}s)", flush=True)


def _write_json(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")


def _start_devices(view, password, result, silent=(), discovery_password=None):
    """Every device of the view; the undocumented ones (discovery) behind the relay, on their
    own addresses and with their own login; ``silent``: inventory devices nothing emulates."""
    try:
        hidden = view.get("undocumented") or []
        ports = free_ports(len(view["devices"]) + len(hidden) + len(silent) + 1)
        idx = render.index(view)
        hosts = [{"name": d["name"], "platform": d["platform"], "port": port, "outputs": render.render(d, view, idx)}
                 for d, port in zip(view["devices"] + hidden, ports)]
        for host in hosts[len(view["devices"]):]:
            host.update(username=undocumented.USERNAME, password=discovery_password)
        devices.start(STATE, hosts, USERNAME, password)
        result["ports"] = {h["name"]: h["port"] for h in hosts[:len(view["devices"])]}
        result["ports"].update(zip(silent, ports[len(hosts):-1]))  # nothing listens there: refused at once
        if hidden:
            routes = [{"device": d["name"], "address": d["address"], "port": ports[-1], "target": h["port"]}
                      for d, h in zip(hidden, hosts[len(view["devices"]):])]
            relay.start(STATE, routes)
            result["discovery"] = {"port": ports[-1], "routes": routes,
                                   "attempts": relay.path(STATE, "attempts")}
    except Exception as exc:  # reported by the caller, after NetBox's own errors
        result["error"] = exc


def _start_replay(name, password, result):
    """The fabric's captured devices; ``result["ports"]`` maps each NetBox device to its port
    (a device of the intent that was never captured gets a port nothing listens on)."""
    try:
        captured = fabric.captures(name)
        ports = free_ports(len(captured))
        hosts = [{"name": live, "platform": fabric.PLATFORM, "port": port, "outputs": fabric.outputs(folder)}
                 for (live, folder), port in zip(captured.items(), ports)]
        devices.start(STATE, hosts, USERNAME, password)
        result["live_ports"] = {h["name"]: h["port"] for h in hosts}
    except Exception as exc:  # reported by the caller, after NetBox's own errors
        result["error"] = exc


def _fabric_views(name, scenario_name):
    """``(netbox view, expected records, baseline)`` of a fabric and its scenario."""
    data = avd.convert(name)
    chosen = None
    if scenario_name != "none":
        chosen = scenario.load(f"fabric-{name}" if scenario_name == "default" else scenario_name)
        if any(change.get("side") != "netbox" for change in chosen.get("changes", [])):
            raise scenario.ScenarioError("a fabric's devices are its captures: its scenario changes NetBox only")
    nb_view, _, expected = scenario.apply(data, chosen)
    return nb_view, expected, scenario.baseline(name)


def up(count, scenario_name, fabric_name=None):
    started = time.monotonic()
    STATE.mkdir(exist_ok=True)
    password, secret, truth = secrets.token_urlsafe(12), secrets.token_urlsafe(12), None
    if fabric_name:
        nb_view, expected, baseline = _fabric_views(fabric_name, scenario_name)
        device_view, start, what = None, (lambda pw, res: _start_replay(fabric_name, pw, res)), \
            f"fabric {fabric_name}"
    else:
        chosen = None if scenario_name == "none" else scenario.load(scenario_name)
        nb_view, device_view, expected = scenario.apply(dataset.generate(count), chosen)
        truth = undocumented.apply(nb_view, device_view, chosen)
        silent = [s["name"] for s in (chosen or {}).get("netbox_only") or []]
        start, what = (lambda pw, res: _start_devices(device_view, pw, res, silent, secret)), f"{count} devices"
        baseline = []
    _step(f"dataset: {what}, scenario {scenario_name}, {len(expected)} expected drift records", started)
    result = {}
    worker = threading.Thread(target=start, args=(password, result))
    worker.start()
    try:
        netbox_service.start(ROOT, STATE, ds=nb_view)
    finally:
        worker.join()
    if "error" in result:
        raise LabError(f"emulated devices did not start: {result['error']}")
    if fabric_name:
        result["ports"] = _replay_ports(fabric_name, nb_view, result["live_ports"])
    _step(f"NetBox with the dataset and {len(result['ports'])} emulated devices up", started)
    info = json.loads((STATE / "netbox.json").read_text())
    inventory.write(STATE, info["api_url"], info["token"], result["ports"], USERNAME, password)
    _write_json(STATE / "expected-drift.json", expected)
    _write_json(STATE / "baseline-drift.json", baseline)
    _write_json(STATE / "dataset-netbox.json", nb_view)
    _write_json(STATE / "dataset-device.json", device_view)
    if truth:
        _write_discovery(truth, device_view, result["discovery"]["port"], secret)
    count = len(result["ports"]) if fabric_name else len(device_view["devices"])  # the dataset's size
    _write_json(STATE / "lab.json", {"devices": count, "scenario": scenario_name,
                                     "fabric": fabric_name, "api_url": info["api_url"],
                                     "ports": result["ports"], "discovery": result.get("discovery")})
    _step(f"up: NetBox {info['api_url']}, inventory {STATE / 'inventory.yml'}", started)


def _write_discovery(truth, device_view, port, secret):
    """The ground truth of discovery, and its settings with the lab's discovery credentials (0600)."""
    _write_json(STATE / "expected-discovery.json", truth)
    settings = {"allow": truth["allow"], "depth": truth["depth"], "role": truth["role"],
                "credentials": undocumented.credentials(device_view, port, secret)}
    both = {f"{prefix}{name}": value for prefix in ("discover_", "drift_check_discover_")
            for name, value in settings.items()}
    _write_json(STATE / "discovery.yml", both, mode=0o600)  # JSON is YAML: -e @.lab/discovery.yml


def _replay_ports(name, nb_view, live_ports):
    """``{NetBox device: port}`` for every NetBox device the inventory will hold."""
    managed = [d["name"] for d in nb_view["devices"] if d["primary_ip4"]]
    mapping = fabric.live_names(managed, live_ports)
    silent = [n for n in managed if n not in mapping]
    spare = dict(zip(silent, free_ports(len(silent)))) if silent else {}
    return {n: live_ports[mapping[n]] if n in mapping else spare[n] for n in managed}


def down():
    started = time.monotonic()
    errors = []
    for stop in (lambda: relay.stop(STATE), lambda: devices.stop(STATE), lambda: netbox_service.stop(ROOT, STATE)):
        try:
            stop()
        except Exception as exc:  # stop everything we can, then report
            errors.append(str(exc))
    for name in ("lab.json", "inventory.yml", "env", "discovery.yml", "expected-discovery.json"):
        (STATE / name).unlink(missing_ok=True)
    if errors:
        raise LabError("; ".join(errors))
    _step("down", started)


def status():
    if not (STATE / "lab.json").exists():
        print("lab: down")
        return 1
    lab = json.loads((STATE / "lab.json").read_text())
    where = f"fabric {lab['fabric']}, " if lab.get("fabric") else ""
    print(f"lab: up, {where}{lab['devices']} devices, scenario {lab['scenario']}, NetBox {lab['api_url']}")
    netbox_service.status(ROOT, STATE)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("up", help="start NetBox and the emulated devices")
    start.add_argument("--devices", type=int, default=int(os.environ.get("LAB_DEVICES", 12)))
    start.add_argument("--scenario", default=os.environ.get("LAB_SCENARIO", "default"))
    start.add_argument("--fabric", default=os.environ.get("LAB_FABRIC") or None,
                       help="replay a fabric of ../shared/corpus/fabrics instead of the generated lab")
    sub.add_parser("down", help="stop everything the lab started")
    sub.add_parser("status", help="say what is running")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            if (STATE / "lab.json").exists():
                raise LabError("the lab is already up (.lab/lab.json): run `make lab-down` first")
            try:
                up(args.devices, args.scenario, args.fabric)
            except BaseException:
                print("lab: start failed, stopping what was started", file=sys.stderr)
                down()
                raise
        elif args.command == "down":
            down()
        else:
            return status()
    except (LabError, scenario.ScenarioError, fabric.FabricError, ValueError) as exc:
        print(f"lab: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
