"""The emulated devices' outputs (lab/render.py) agree with the lab dataset.

No network: renders the 12-device dataset and reads the text back with plain
string checks (the TTP templates are tested elsewhere against real outputs).
"""

import importlib
import os
import re
import sys

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

dataset = pytest.importorskip("lab.dataset")  # the lab is not part of the built collection
render = pytest.importorskip("lab.render")

PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")
CONFIG = {"cisco_ios": "show running-config", "cisco_nxos": "show running-config",
          "arista_eos": "show running-config", "juniper_junos": "show configuration | display set"}
LLDP = {"cisco_ios": "show lldp neighbors detail", "cisco_nxos": "show lldp neighbors detail",
        "arista_eos": "show lldp neighbors detail", "juniper_junos": "show lldp neighbors"}
VLANS = {"cisco_ios": "show vlan brief", "cisco_nxos": "show vlan brief",
         "arista_eos": "show vlan", "juniper_junos": "show vlans"}
TERMINAL = {"cisco_ios": "cisco.ios.plugins.terminal.ios", "cisco_nxos": "cisco.nxos.plugins.terminal.nxos",
            "arista_eos": "arista.eos.plugins.terminal.eos",
            "juniper_junos": "junipernetworks.junos.plugins.terminal.junos"}


@pytest.fixture(scope="module", name="lab")
def fixture_lab():
    data = dataset.generate(12)
    return data, render.render_all(data)


def first(data, platform):
    return next(d for d in data["devices"] if d["platform"] == platform)


def cisco_blocks(config):
    """``{interface name: [config lines]}`` of a Cisco/EOS running-config."""
    blocks, current = {}, None
    for line in config.splitlines():
        if line.startswith("interface "):
            current = blocks.setdefault(line.split(" ", 1)[1], [])
        elif line.startswith(" ") and current is not None:
            current.append(line.strip())
        else:
            current = None
    return blocks


def junos_blocks(config):
    """``{interface name: [set statements below it]}`` from ``display set``."""
    blocks = {}
    for line in config.splitlines():
        words = line.split(" ", 3)
        if line.startswith("set interfaces irb unit "):
            unit = line.split()[4]
            blocks.setdefault(f"irb.{unit}", []).append(" ".join(line.split()[5:]))
        elif line.startswith("set interfaces ") and len(words) > 3:
            blocks.setdefault(words[2], []).append(words[3])
    return blocks


def blocks_of(platform, outputs):
    text = outputs[CONFIG[platform]]
    return junos_blocks(text) if platform == "juniper_junos" else cisco_blocks(text)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_command_is_rendered(lab, platform):
    data, outputs = lab
    out = outputs[first(data, platform)["name"]]
    for command in render.COMMANDS[platform]:
        assert out[command].strip(), command
    assert set(render.STATIC[platform]) <= set(out)
    assert "_default_" in out


@pytest.mark.parametrize("platform", PLATFORMS)
def test_interfaces_agree_with_the_dataset(lab, platform):
    data, outputs = lab
    device = first(data, platform)
    blocks = blocks_of(platform, outputs[device["name"]])
    junos = platform == "juniper_junos"
    for iface in device["interfaces"]:
        lines = blocks[iface["name"]]
        text = "\n".join(lines)
        if iface["description"]:
            assert iface["description"] in text, iface["name"]
        shut = "disable" if junos else "shutdown"
        assert (shut in lines) == (not iface["enabled"]), iface["name"]
        if iface["mtu"]:
            assert f"mtu {iface['mtu']}" in lines, iface["name"]
        else:
            assert not any(line.startswith("mtu") for line in lines), iface["name"]
        for cidr in iface["ipv4"] + iface["ipv6"]:
            address = cidr.split("/")[0].upper() if platform == "cisco_ios" and ":" in cidr else cidr.split("/")[0]
            assert address in text, (iface["name"], cidr)
        if iface["vrf"]:
            assert iface["vrf"] in text or junos, iface["name"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_switchports_and_lags(lab, platform):
    data, outputs = lab
    device = first(data, platform)
    names = {v["vid"]: v["name"] for v in data["vlans"] if v["site"] == device["site"]}
    blocks = blocks_of(platform, outputs[device["name"]])
    for iface in device["interfaces"]:
        text = "\n".join(blocks[iface["name"]])
        if iface["lag"]:
            assert ("802.3ad " + iface["lag"] if platform == "juniper_junos"
                    else "channel-group 1 mode active") in text
            assert "switchport" not in text and "vlan" not in text, iface["name"]
        elif iface["mode"] == "access":
            assert (f"members {names[iface['untagged_vlan']]}" if platform == "juniper_junos"
                    else f"switchport access vlan {iface['untagged_vlan']}") in text
        elif iface["mode"] in ("tagged", "tagged-all"):
            assert f"native{'-vlan-id' if platform == 'juniper_junos' else ' vlan'} {iface['untagged_vlan']}" in text
            allowed = [line for line in text.splitlines() if "allowed vlan" in line or "members" in line]
            if iface["mode"] == "tagged-all":
                assert allowed == (["unit 0 family ethernet-switching vlan members all"]
                                   if platform == "juniper_junos" else [])
            elif platform == "juniper_junos":
                assert {line.rsplit(" ", 1)[1] for line in allowed} == {names[v] for v in iface["tagged_vlans"]}
            else:
                assert allowed == ["switchport trunk allowed vlan " + ",".join(map(str, iface["tagged_vlans"]))]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_site_vlans_and_identity(lab, platform):
    data, outputs = lab
    device = first(data, platform)
    out = outputs[device["name"]]
    for vlan in (v for v in data["vlans"] if v["site"] == device["site"]):
        assert re.search(rf"^(default-switch +)?{vlan['vid']} +{vlan['name']}\b|{vlan['name']} +{vlan['vid']}\b",
                         out[VLANS[platform]], re.M), vlan
    version = out["show version"]
    assert device["os_version"] in version
    # NX-OS prints the chassis without its "N9K-" prefix there (the PID is in show inventory)
    assert device["device_type"].replace("N9K-", "").lower() in version.lower()
    inventory = out["show chassis hardware" if platform == "juniper_junos" else "show inventory"]
    assert device["serial"] in inventory and device["device_type"] in inventory
    if platform != "juniper_junos":
        assert device["serial"] in version


LLDP_FIELDS = {  # (record starts, local port, peer port, peer name) as regexes per platform
    "cisco_ios": (r"^-{20,}$", r"^Local Intf: (\S+)", r"^Port id: (\S+)", r"^System Name: (\S+)"),
    "cisco_nxos": (r"^Chassis id:", r"^Local Port id: (\S+)", r"^Port id: (\S+)", r"^System Name: (\S+)"),
    "arista_eos": (r"^  Neighbor ", None, r'^    Port ID +: "(.+)"', r'^  - System Name: "(.+)"'),
}


def lldp_records(platform, text):
    """``{(local port, peer name, peer port)}`` read back from an LLDP output."""
    if platform == "juniper_junos":
        return {(row.split()[0], row.split()[4], row.split()[3]) for row in text.splitlines()[1:] if row.strip()}
    start, local_re, port_re, name_re = LLDP_FIELDS[platform]
    records, current, interface = [], None, None
    for line in text.splitlines():
        heading = re.match(r"^Interface (\S+) detected", line)
        interface = heading.group(1) if heading else interface
        if re.match(start, line):
            current = {"local": interface}
            records.append(current)
        for key, regex in (("local", local_re), ("port", port_re), ("name", name_re)):
            found = regex and current is not None and re.match(regex, line)
            if found:
                current[key] = found.group(1)
    return {(r["local"], r["name"], r["port"]) for r in records if "name" in r}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lldp_names_the_cable_peer(lab, platform):
    data, outputs = lab
    device = first(data, platform)
    expected = set()
    for cable in data["cables"]:
        for side, peer in (("a", "b"), ("b", "a")):
            if cable[f"{side}_device"] == device["name"]:
                local = cable[f"{side}_interface"]
                local = local if platform in ("arista_eos", "juniper_junos") else render.short_name(platform, local)
                other = next(d for d in data["devices"] if d["name"] == cable[f"{peer}_device"])
                cisco = other["platform"] in ("cisco_ios", "cisco_nxos")  # they advertise FQDN
                port = cable[f"{peer}_interface"]  # IOS advertises its short name as Port ID
                expected.add((local, other["name"] + (f".{render.DOMAIN}" if cisco else ""),
                              render.short_name(other["platform"], port) if other["platform"] == "cisco_ios" else port))
    assert len(expected) == 5
    assert lldp_records(platform, outputs[device["name"]][LLDP[platform]]) == expected


def test_cdp_shows_cisco_peers_only(lab):
    data, outputs = lab
    for device in data["devices"]:
        if device["platform"] in ("cisco_ios", "cisco_nxos"):
            text = outputs[device["name"]]["show cdp neighbors detail"]
            assert f".{render.DOMAIN}" in text  # the peer of a Cisco device is Cisco in this lab
        else:
            assert "show cdp neighbors detail" not in outputs[device["name"]]


def test_lldp_override_and_shut_ports():
    data = dataset.generate(12)
    device = first(data, "arista_eos")
    device["lldp_override"] = {"Ethernet41": {"device": "rogue-01", "port": "eth9"}, "Ethernet42": None}
    next(i for i in device["interfaces"] if i["name"] == "Ethernet43")["enabled"] = False
    text = render.render(device, data)["show lldp neighbors detail"]
    assert 'System Name: "rogue-01"' in text and '"eth9"' in text  # a device the lab does not have
    assert "Interface Ethernet42 detected 0 LLDP neighbors" in text
    assert "Interface Ethernet43 detected 0 LLDP neighbors" in text
    assert "Interface Ethernet37 detected 1 LLDP neighbors" in text


def test_rendering_is_deterministic_and_independent_of_lab_size():
    small, large = dataset.generate(12), dataset.generate(40)
    for n in range(12):
        assert render.render(small["devices"][n], small) == render.render(large["devices"][n], large)
    assert render.render_all(small) == render.render_all(dataset.generate(12))


def test_junos_set_agrees_with_curly(lab):
    data, outputs = lab
    out = outputs[first(data, "juniper_junos")["name"]]
    assert out["show configuration | display set"] == render.junos_set(out["show configuration"])
    curly = out["show configuration"]
    for line in out["show configuration | display set"].splitlines():
        assert line.rsplit(" ", 1)[-1] in curly, line


@pytest.mark.parametrize("platform", PLATFORMS)
def test_outputs_do_not_trip_the_terminal_plugins(lab, platform):
    """network_cli must not take a line of output for an error or a prompt; it must for _default_."""
    module = pytest.importorskip("ansible_collections." + TERMINAL[platform])
    data, outputs = lab
    out = outputs[first(data, platform)["name"]]
    terminal = module.TerminalModule
    for command, text in out.items():
        raw = ("\r\n" + text.replace("\n", "\r\n")).encode()
        found = any(regex.search(raw) for regex in terminal.terminal_stderr_re)
        assert found == (command == "_default_"), command
        for line in raw.split(b"\r\n")[1:]:
            assert not any(regex.search(b"\r\n" + line) for regex in terminal.terminal_stdout_re), (command, line)


def test_template_names():
    assert render.template_name("arista_eos", "show version | json") == "arista_eos/show_version_pipe_json.j2"
    for platform, commands in render.COMMANDS.items():
        for command in commands:
            assert os.path.isfile(os.path.join(render.TEMPLATES, render.template_name(platform, command)))
    assert importlib.import_module("lab.render") is render
