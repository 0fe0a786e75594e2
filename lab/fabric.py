"""Replay of a real fabric: live captures served over SSH, NetBox loaded from the fabric's
own intended state.

A fabric is a folder of ``../shared/corpus/fabrics/`` (``LAB_FABRICS_DIR`` overrides it;
see its README): ``devices/<hostname>/<command>.txt`` holds sections of each device's
``show tech-support``, byte for byte, and ``intent/`` the Arista AVD structured_config of
each device (plus AVD's fabric CSVs). This module reads the capture side:

* ``outputs(device_dir)``: ``{command: text}`` a replayed device answers. Each capture file
  answers its own command (``show_lldp_neighbors_detail.txt`` -> ``show lldp neighbors
  detail``) and two commands are answered from a capture of a command that prints the same
  thing: ``show running-config`` from ``show running-config sanitized`` (secrets already
  replaced by EOS) and ``show version`` from ``show version detail`` (the same header lines,
  then the package list), since tech-support bundles hold neither plain command. Anything
  else gets EOS's own ``% Invalid input`` (``_default_``), the session commands network_cli
  sends answer as on EOS.
* ``live_names(intent_names, live)``: which capture is which NetBox device. Deployed devices
  carry their AVD hostname; a pre-deploy capture carries the containerlab node name
  (``leaf1a`` for ``DC1_LEAF1A``), matched by name without the ``DC<n>_`` prefix, case and
  punctuation.

The NetBox side is ``lab/avd.py``; ``lab/__main__.py up --fabric`` starts both.
"""

import os
import pathlib
import re

from lab.render import STATIC

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLATFORM = "arista_eos"  # every fabric of the corpus is Arista cEOS
ALIASES = {
    "show running-config": "show running-config sanitized",
    "show version": "show version detail",
}


class FabricError(Exception):
    """A fabric that is not there or cannot be replayed."""


def fabrics_dir():
    return pathlib.Path(os.environ.get("LAB_FABRICS_DIR") or ROOT.parent / "shared" / "corpus" / "fabrics")


def path(name):
    """The fabric's folder; FabricError naming the fabrics that exist."""
    base = fabrics_dir()
    folder = base / name
    if not name or "/" in name or not (folder / "devices").is_dir():
        known = sorted(p.name for p in base.iterdir() if (p / "devices").is_dir()) if base.is_dir() else []
        raise FabricError(f"no fabric {name!r} in {base}" + (f"; known: {', '.join(known)}" if known
                                                            else " (is ../shared/corpus beside the checkout?)"))
    return folder


def command_of(file_name):
    """``show_ip_virtual-router_vrf_all.txt`` -> ``show ip virtual-router vrf all``."""
    return file_name[:-len(".txt")].replace("_", " ")


def outputs(device_dir):
    """``{command: text}`` for one captured device (see the module docstring)."""
    found = {}
    for entry in sorted(pathlib.Path(device_dir).glob("*.txt")):
        found[command_of(entry.name)] = entry.read_bytes().decode("utf-8")
    for command, source in ALIASES.items():
        if command not in found and source in found:
            found[command] = found[source]
    found.update(STATIC[PLATFORM])
    return found


def captures(name):
    """``{live hostname: device folder}`` of the fabric."""
    return {p.name: p for p in sorted((path(name) / "devices").iterdir()) if p.is_dir()}


def _norm(name):
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^dc\d+_", "", name.lower()))


def live_names(intent_names, live):
    """``{intent device: live capture name}`` for the intent devices that were captured."""
    live = list(live)
    mapping = {}
    for name in intent_names:
        if name in live:
            mapping[name] = name
            continue
        matches = [other for other in live if _norm(other) == _norm(name)]
        if len(matches) == 1:
            mapping[name] = matches[0]
    return mapping


def predeploy(name):
    """Whether no capture of the fabric carries an intent device's hostname."""
    intent = {p.stem for p in (path(name) / "intent").glob("*.yml")}
    return not intent & set(captures(name))
