"""What each emulated device prints, rendered from the lab dataset (``lab/dataset.py``).

``render(device, dataset)`` returns ``{command: output_text}`` for one device of
``dataset["devices"]``: the show commands the drift check reads, formatted as the
real platform prints them (layouts copied from real outputs in the shared corpus),
plus what network_cli's terminal plugins send on login and ``_default_``, the
platform's error text for an unknown command (FakeNOS answers it to anything else).

Templates live in ``lab/templates/<platform>/<file>.j2``; ``<file>`` is the command
with ``|`` written ``pipe`` and spaces as ``_``::

    show version                 -> show_version.j2
    show version | json          -> show_version_pipe_json.j2

Three kinds of output are not templates: the session commands and ``_default_``
(``STATIC`` below), Junos ``show configuration | display set``, which
``junos_set()`` derives from the rendered curly configuration so both always agree,
and Junos ``<command> | count`` (``COUNTED``), the line count of a configuration.
Templates are compiled once per process; a template sees ``d`` (the device view
built by ``render_view.device_view``) and nothing else. ``render_all(dataset)`` renders every
device with one ``index(dataset)`` (1,000 devices: ~3.5 s on this 2-core machine).

The device agrees with the dataset: names, descriptions, enabled state, MTU (no
line when it is the default), switchport modes and VLANs, LAG membership, VRFs,
addresses, the site's VLANs, serial/model/version. LLDP shows the cable peer (or
``device["lldp_override"]``; a None value there hides the neighbour) with the
peer's hostname and long port name, only when both ends are enabled. CDP shows the
same neighbours when the peer is a Cisco platform; its device IDs carry the domain
(NX-OS peers also their serial). Choices where the dataset is silent: every
enabled port is up, the lab domain is ``lab.example.net``, the local user is
``admin`` at privilege 15, Junos VLAN members are VLAN names, a trunk's allowed list
is exactly its tagged VLANs (the native VLAN is not added). Platform habits kept: IOS
prints IPv6 in upper case and short local names in LLDP (``Gi1/0/37``), NX-OS writes
``no shutdown`` on Ethernet ports and SVIs, EOS and NX-OS omit defaults. Only the dataset's
interfaces exist (no Vlan1 SVI or unconfigured extra ports), but VLAN 1 ``default``
(and IOS 1002-1005) appear in VLAN tables as on any real switch. Management VRFs are
the platform's own (dataset.MGMT_VRF): Junos writes ``system management-instance``
for mgmt_junos instead of a routing instance. NX-OS runs ``no system default
switchport`` (N9K): Layer 2 ports say ``switchport``, an unconfigured port is routed.
"""

import json
import os
import re

import jinja2

from lab.render_view import DOMAIN, device_view, index, short_name, vlan_ranges  # noqa: F401 - DOMAIN, short_name: the lab's API

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

COMMANDS = {
    "cisco_ios": ["show version", "show running-config", "show inventory",
                  "show lldp neighbors detail", "show lldp neighbors", "show cdp neighbors detail",
                  "show interfaces status", "show vlan brief"],
    "cisco_nxos": ["show version", "show running-config", "show inventory",
                   "show lldp neighbors detail", "show lldp neighbors", "show cdp neighbors detail",
                   "show interface status", "show vlan brief"],
    "arista_eos": ["show version", "show running-config", "show inventory",
                   "show lldp neighbors detail", "show lldp neighbors", "show interfaces status", "show vlan",
                   "show version | json", "show hostname | json"],
    "juniper_junos": ["show version", "show configuration", "show chassis hardware",
                      "show lldp neighbors", "show interfaces terse", "show vlans"],
}
DERIVED = {"juniper_junos": {"show configuration | display set": "show configuration"}}
# Junos `<command> | count`: "Count: N lines", N the lines of the command's output
COUNTED = {"juniper_junos": ("show configuration", "show configuration | display set")}

STATIC = {
    "cisco_ios": {
        "show privilege": "Current privilege level is 15",
        "terminal length 0": "", "terminal width 512": "", "terminal width 0": "",
        "_default_": "                  ^\n% Invalid input detected at '^' marker.\n",
    },
    "cisco_nxos": {
        "show privilege": "User privilege level: 15\nFeature privilege: Disabled",
        "terminal length 0": "", "terminal width 511": "",
        "_default_": "                      ^\n% Invalid command at '^' marker.",
    },
    "arista_eos": {
        "terminal length 0": "Pagination disabled.",
        "terminal width 512": "Width set to 512 columns.",
        "_default_": "% Invalid input",
    },
    "juniper_junos": {
        "set cli timestamp disable": "", "set cli screen-length 0": "Screen length set to 0",
        "set cli screen-width 1024": "Screen width set to 1024",
        "_default_": "                  ^\nunknown command.",
    },
}


# what a device with LLDP turned off answers to every LLDP command (render(): device "lldp": false)
LLDP_OFF = {
    "cisco_ios": "% LLDP is not enabled\n",
    "cisco_nxos": STATIC["cisco_nxos"]["_default_"],  # feature lldp is off: the command does not exist
    "arista_eos": "% LLDP is not enabled\n",
    "juniper_junos": "error: the lldp subsystem is not running\n",
}


def junos_set(curly):
    """``show configuration | display set`` from the curly ``show configuration`` text."""
    out, path = [], []
    for raw in curly.splitlines():
        line = raw.split(" ## ")[0].strip()
        if not line or line.startswith("##"):
            continue
        if line.endswith("{"):
            path.append(line[:-1].strip())
        elif line == "}":
            path.pop()
        elif line.endswith(";"):
            stmt = line[:-1]
            prefix = " ".join(path + [stmt.split(" [")[0]]) if " [ " in stmt else None
            if prefix:
                items = stmt[stmt.index("[") + 1:stmt.rindex("]")].split()
                out.extend(f"set {prefix} {item}" for item in items)
            else:
                out.append("set " + " ".join(path + [stmt]))
    return "\n".join(out) + "\n"


def _q(text):
    """Junos quoting: a value with spaces or specials is written in double quotes."""
    text = str(text)
    return f'"{text}"' if re.search(r"[\s;{}\[\]#\"]", text) or not text else text


def _pad(value, width):
    return str(value).ljust(width)


def _rpad(value, width):
    return str(value).rjust(width)


_ENV = None


def environment():
    """The Jinja2 environment (built once per process; templates compile on first use)."""
    global _ENV  # pylint: disable=global-statement
    if _ENV is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=True,
                                 undefined=jinja2.StrictUndefined, autoescape=False, cache_size=-1)
        env.filters.update(pad=_pad, rpad=_rpad, q=_q, ranges=vlan_ranges,
                           json4=lambda v: json.dumps(v, indent=4))
        env.filters["rstrip"] = lambda value: str(value).rstrip()
        env.tests["startingwith"] = lambda value, prefix: str(value).startswith(prefix)
        _ENV = env
    return _ENV


def template_name(platform, command):
    return f"{platform}/{command.replace('|', 'pipe').replace(' ', '_')}.j2"


def _finish(platform, command, text):
    if platform == "cisco_ios" and command == "show running-config":
        body = text[text.index("\n!\n") + 1:]
        text = text.replace("@@BYTES@@", str(len(body.encode())), 1)
    return text


def render(device, dataset, idx=None):
    """``{command: output}`` for ``device`` (one of ``dataset["devices"]``); ``idx``: index(dataset)."""
    platform = device["platform"]
    env, view = environment(), device_view(device, dataset, idx or index(dataset))
    outputs = {}
    for command in COMMANDS[platform]:
        text = env.get_template(template_name(platform, command)).render(d=view)
        outputs[command] = _finish(platform, command, text)
    for command, source in DERIVED.get(platform, {}).items():
        outputs[command] = junos_set(outputs[source])
    for command in COUNTED.get(platform, ()):
        lines = [line for line in outputs[command].splitlines() if line.strip()]
        outputs[f"{command} | count"] = f"Count: {len(lines)} lines"
    outputs.update(STATIC[platform])
    if device.get("lldp") is False:
        outputs.update((command, LLDP_OFF[platform]) for command in COMMANDS[platform] if command.startswith("show lldp"))
    if platform == "arista_eos":
        outputs["bash timeout 5 cat /mnt/flash/boot-config"] = (
            f"SWI=flash:/EOS-{view['version']}.swi\nCONSOLESPEED=9600\nMGMTIP=\n")
    return outputs


def render_all(dataset):
    """``{device name: render(device, dataset)}`` for every device of the dataset."""
    idx = index(dataset)
    return {d["name"]: render(d, dataset, idx) for d in dataset["devices"]}
