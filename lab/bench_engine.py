"""Throughput of the comparison engine alone: ``python -m lab.bench_engine --devices 1000``.

Both sides are built from the lab dataset after the default scenario (NetBox's view
as the intended model, the devices' view as the device model), so the engine sees
the lab's real shapes and its injected drift, without NetBox, SSH or Ansible. Prints
``name: value`` lines.
"""

import argparse
import copy
import os
import sys
import time

from lab import dataset, scenario

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".deps"))

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare, policy  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m  # noqa: E402

DEFAULTS = {"mtu": 1500, "access_vlan": 1, "native_vlan": 1, "enabled": True, "default_vlans": [1]}


def _peers(view):
    peers = {}
    for cable in view["cables"]:
        for near, far in (("a", "b"), ("b", "a")):
            peers[(cable[near + "_device"], cable[near + "_interface"])] = {
                "id": 1, "peer_device": cable[far + "_device"], "peer_port": cable[far + "_interface"],
                "peer_type": "dcim.interface"}
    return peers


def intended_model(device, peers, vlans):
    interfaces, addresses = {}, {}
    for index, iface in enumerate(device["interfaces"]):
        entry = dict(iface, tags=[], cable=peers.get((device["name"], iface["name"])),
                     netbox={"id": index + 1, "url": "https://nb/dcim/interfaces/%d/" % (index + 1)})
        interfaces[iface["name"]] = entry
        for cidr in iface["ipv4"] + iface["ipv6"]:
            addresses[cidr] = {"address": cidr, "interface": iface["name"], "vrf": iface["vrf"]}
    return {"device": device["name"], "platform": device["platform"], "netbox": {"id": 1, "tags": []},
            "facts": {"serial": device["serial"], "model": device["device_type"], "platform": device["platform"],
                      "os_version": device["os_version"]},
            "interfaces": interfaces, "ip_addresses": addresses, "vlans": vlans}


def device_model(device, peers, vlans):
    state = m.new_device(device["name"], device["platform"])
    for name in m.SECTIONS:
        state["sections"][name]["status"] = m.OK
    interfaces = {}
    for iface in device["interfaces"]:
        entry = m.empty_interface(iface["name"])
        mode = {"access": "access", "tagged": "trunk", "tagged-all": "trunk"}.get(iface["mode"], "routed")
        entry.update(enabled=iface["enabled"], description=iface["description"], mtu=iface["mtu"], mode=mode,
                     lag=iface["lag"], vrf=iface["vrf"], ipv4=list(iface["ipv4"]), ipv6=list(iface["ipv6"]))
        if mode == "access":
            entry["access_vlan"] = iface["untagged_vlan"]
        elif mode == "trunk":
            entry["native_vlan"] = iface["untagged_vlan"]
            entry["tagged_vlans"] = "all" if iface["mode"] == "tagged-all" else sorted(iface["tagged_vlans"])
        interfaces[iface["name"]] = entry
    neighbors = []
    for name in interfaces:
        overrides = device.get("lldp_override", {})
        peer = overrides[name] if name in overrides else peers.get((device["name"], name))
        if peer:
            neighbors.append({"local_port": name, "remote_system": peer.get("device") or peer["peer_device"],
                              "remote_port": peer.get("port") or peer["peer_port"], "protocol": "lldp"})
    state.update(facts={"serial": device["serial"], "model": device["device_type"], "os_version": device["os_version"]},
                 interfaces=interfaces, neighbors=neighbors, defaults={"mtu": None},
                 vlans=dict((k, {"vid": v["vid"], "name": v["name"]}) for k, v in vlans.items()))
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = dataset.generate(args.devices)
    nb_view, dev_view, expected = scenario.apply(data, scenario.load("default"))
    vlans = dict((str(vid), {"vid": vid, "name": name}) for vid, name in dataset.VLAN_NAMES.items())
    nb_peers, dev_peers = _peers(nb_view), _peers(dev_view)
    pairs = [(intended_model(a, nb_peers, vlans), device_model(b, dev_peers, copy.deepcopy(vlans)))
             for a, b in zip(nb_view["devices"], dev_view["devices"])]
    names = [d["name"] for d in nb_view["devices"]]
    options = {"known_devices": names, "device_platforms": dict((d["name"], d["platform"]) for d in nb_view["devices"]),
               "platform_defaults": DEFAULTS}
    rules = policy.load({})
    interfaces = sum(len(nb["interfaces"]) for nb, _dev in pairs)
    best, found = None, 0
    for _round in range(args.repeat):
        started = time.process_time()
        found = 0
        for nb, dev in pairs:
            result = compare.compare(nb, dev, options)
            found += len(policy.finish(result["drift"], nb["device"], rules)[0])
        elapsed = time.process_time() - started
        best = elapsed if best is None else min(best, elapsed)
    print("devices: %d" % len(pairs))
    print("interfaces: %d" % interfaces)
    print("drift_found: %d" % found)
    print("drift_expected: %d" % len(expected))
    print("engine_cpu_seconds: %.3f" % best)
    print("interfaces_per_second: %.0f" % (interfaces / best))
    print("ms_per_device: %.2f" % (1000 * best / len(pairs)))


if __name__ == "__main__":
    main()
