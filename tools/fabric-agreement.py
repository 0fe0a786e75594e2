#!/usr/bin/env python3
"""Field agreement on the real fabrics of ../shared/corpus/fabrics.

For every captured device, what the collection makes of its configuration (the shipped
TTP templates and normaliser, on ``show running-config``, ``show version`` and the
rest, as the check reads them) is compared with two sources it never parses:

* the same device's operational outputs, read here by small independent readers:
  ``show interfaces switchport`` (mode, access, native and allowed VLANs; not for LAG
  members, whose own switchport settings do not apply), ``show ip interface`` and
  ``show ip virtual-router vrf all`` (description, addresses, anycast addresses, VRF) and
  the neighbour counts and system names of ``show lldp neighbors detail``;
* the fabric's AVD intent, through lab/avd.py (what the replay lab loads into NetBox),
  for the devices whose intent was deployed.

    .venv/bin/python tools/fabric-agreement.py [fabric ...]   # default: every fabric with captures

It prints ``name: value`` lines per fabric and source, then the disagreements.
"""

import argparse
import ipaddress
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, ".deps")]

from lab import avd, fabric  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names, vlans  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise  # noqa: E402

PLATFORM = "arista_eos"


def switchport(text):
    """``{interface: {mode, access_vlan, native_vlan, tagged_vlans}}`` of the switchports."""
    found = {}
    for block in re.split(r"\n(?=Name: )", text):
        name = re.search(r"^Name: (\S+)", block, re.M)
        if not name or "Switchport: Enabled" not in block:
            continue
        mode = re.search(r"^Operational Mode: (.+)$", block, re.M).group(1).strip()
        entry = {"mode": "trunk" if "trunk" in mode else "access"}
        access = re.search(r"^Access Mode VLAN: (\d+)", block, re.M)
        native = re.search(r"^Trunking Native Mode VLAN: (\d+)", block, re.M)
        if entry["mode"] == "access":
            entry["access_vlan"] = int(access.group(1))
        else:
            entry["native_vlan"] = int(native.group(1))
            entry["tagged_vlans"] = _allowed(block)
        found[names.key(name.group(1))] = entry
    return found


def _allowed(block):
    """The allowed VLANs: ``Trunking VLANs Enabled: X``, or, on a port EVPN multihoming
    blocks, ``... Enabled and Active: X`` plus the ``... Enabled but Blocked:`` lines."""
    plain = re.search(r"^Trunking VLANs Enabled: (.+)$", block, re.M)
    if plain:
        return vlans.parse_list(plain.group(1).strip().lower())
    active = re.search(r"^Trunking VLANs Enabled and Active: (.+)$", block, re.M).group(1).strip().lower()
    blocked = re.search(r"^Trunking VLANs Enabled but Blocked:\n((?:  .*\n?)*)", block, re.M)
    lists = [active] + [line.split(":", 1)[1].strip() for line in (blocked.group(1) if blocked else "").splitlines()]
    return vlans.union(*[vlans.parse_list(text) for text in lists])


def ip_interfaces(text):
    """``{interface: {description, ipv4, anycast, vrf, mtu, enabled}}``."""
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        head = re.match(r"^(\S+) is (administratively down|up|down)", block)
        if not head:
            continue
        desc = re.search(r"^  Description: (.*)$", block, re.M)
        vrf = re.search(r'^  VPN Routing/Forwarding "(.+)"', block, re.M)
        own = re.findall(r"^  (?:Internet address is|Secondary address is) (\d[\d./]+)", block, re.M)
        virtual = re.findall(r"^  Internet address is virtual (\S+)", block, re.M)
        mtu = re.search(r"^  IP MTU (\d+) bytes", block, re.M)
        found[names.key(head.group(1))] = {
            "description": desc.group(1).strip() if desc else "", "ipv4": sorted(own), "anycast": sorted(virtual),
            "vrf": vrf.group(1) if vrf else None, "mtu": int(mtu.group(1)) if mtu else None,
            "enabled": head.group(2) != "administratively down"}
    return found


def varp(text):
    """``{interface: [virtual-router addresses]}`` of ``show ip virtual-router vrf all``."""
    found = {}
    for line in text.splitlines():
        row = re.match(r"^(\S+)\s+\S+\s+(\d+\.\d+\.\d+\.\d+(?:/\d+)?)\s+\S+\s+\S+\s*$", line)
        if row:
            found.setdefault(names.key(row.group(1)), []).append(row.group(2))
    return found


def lldp(text):
    """``{port: sorted system names}`` (an unnamed neighbour counts as None)."""
    found = {}
    for block in re.split(r"\n(?=Interface )", text):
        head = re.match(r"Interface (\S+) detected (\d+) LLDP neighbors", block)
        if not head or head.group(2) == "0":
            continue
        systems = re.findall(r"^\s+Neighbor .*$((?:\n(?!\s+Neighbor ).*)*)", block, re.M)
        found[names.key(head.group(1))] = sorted(
            (re.search(r'System Name: "(.*)"', s).group(1) if "System Name:" in s else "") for s in systems)
    return found


class Tally(object):
    def __init__(self):
        self.agree, self.total, self.diffs = 0, 0, []

    def check(self, where, field, ours, theirs):
        self.total += 1
        if ours == theirs:
            self.agree += 1
        else:
            self.diffs.append("%s %s: ours %r, theirs %r" % (where, field, ours, theirs))

    def line(self):
        share = 100.0 * self.agree / self.total if self.total else 100.0
        return "%d/%d = %.1f %%" % (self.agree, self.total, share)


def model_of(folder):
    outputs = fabric.outputs(folder)
    spec = normalise.load_platform(PLATFORM)
    wanted = dict((e["command"], {"output": outputs[e["command"]]} if e["command"] in outputs else
                   {"error": "not captured"}) for e in spec["commands"])
    return normalise.build(folder.name, PLATFORM, wanted, spec=spec), outputs


def against_operational(model, outputs, tally, device):
    ifaces = dict((names.key(n), i) for n, i in (model["interfaces"] or {}).items())
    for key, want in switchport(outputs.get("show interfaces switchport", "")).items():
        have = ifaces.get(key)
        if have is None or have.get("lag"):  # not configured (not in the model), or a LAG member
            continue
        for field, theirs in want.items():
            ours = have.get(field)
            if field == "access_vlan" and ours is None:
                ours = 1
            tally.check("%s %s" % (device, have["name"]), field, ours, theirs)
    virtual = varp(outputs.get("show ip virtual-router vrf all", ""))
    for key, want in ip_interfaces(outputs.get("show ip interface", "")).items():
        have = ifaces.get(key)
        if have is None:
            continue
        want["anycast"] = sorted(want["anycast"] + virtual.get(key, []))
        where = "%s %s" % (device, have["name"])
        tally.check(where, "description", have["description"], want["description"])
        tally.check(where, "ipv4", sorted(have["ipv4"]), want["ipv4"])
        tally.check(where, "anycast", sorted(a for a in have.get("anycast") or [] if ":" not in a), want["anycast"])
        tally.check(where, "vrf", have["vrf"], want["vrf"])
        tally.check(where, "enabled", have["enabled"], want["enabled"])
    seen = {}
    for neighbor in model["neighbors"] or []:
        seen.setdefault(names.key(neighbor["local_port"]), []).append(neighbor.get("remote_system") or "")
    for key, systems in lldp(outputs.get("show lldp neighbors detail", "")).items():
        tally.check("%s %s" % (device, key), "lldp neighbours", sorted(seen.get(key, [])), systems)


def against_intent(model, intended, tally, device):
    ifaces = dict((names.key(n), i) for n, i in (model["interfaces"] or {}).items())
    for want in intended["interfaces"]:
        have = ifaces.get(names.key(want["name"]))
        where = "%s %s" % (device, want["name"])
        tally.check(where, "exists", have is not None, True)
        if have is None:
            continue
        mode = {"access": "access", "tagged": "trunk", "tagged-all": "trunk"}.get(want["mode"])
        tally.check(where, "description", have["description"], want["description"])
        tally.check(where, "enabled", have["enabled"], want["enabled"])
        tally.check(where, "mtu", have["mtu"], want["mtu"])
        tally.check(where, "vrf", have["vrf"], want["vrf"])
        tally.check(where, "lag", have["lag"], want["lag"])
        tally.check(where, "ipv4", sorted(have["ipv4"]), sorted(ipaddress.ip_interface(a).with_prefixlen
                                                                for a in want["ipv4"]))
        tally.check(where, "anycast", sorted(have.get("anycast") or []), sorted(want["anycast"]))
        if mode:
            tally.check(where, "mode", have["mode"], mode)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fabrics", nargs="*")
    args = parser.parse_args(argv)
    chosen = args.fabrics or sorted(p.name for p in fabric.fabrics_dir().iterdir() if (p / "devices").is_dir())
    for name in chosen:
        operational, intent = Tally(), Tally()
        captured = fabric.captures(name)
        dataset = avd.convert(name) if any((fabric.path(name) / "intent").glob("*.yml")) else {"devices": []}
        mapping = fabric.live_names([d["name"] for d in dataset["devices"] if d["platform"]], captured)
        by_live = dict((live, next(d for d in dataset["devices"] if d["name"] == nb)) for nb, live in mapping.items())
        for live, folder in captured.items():
            model, outputs = model_of(folder)
            against_operational(model, outputs, operational, live)
            deployed = (model.get("facts") or {}).get("hostname") == (by_live.get(live) or {}).get("name")
            if live in by_live and deployed:
                against_intent(model, by_live[live], intent, live)
        print("%s config vs operational outputs: %s" % (name, operational.line()))
        print("%s config vs intent (deployed devices): %s" % (name, intent.line()))
        for diff in operational.diffs + intent.diffs:
            print("    %s" % diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
