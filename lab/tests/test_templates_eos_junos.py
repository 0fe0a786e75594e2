"""The arista_eos and juniper_junos TTP templates read what the lab renders for every
EOS and Junos device of the dataset: interfaces (description, enabled state, mode and
VLANs, LAG, VRF, addresses, MTU), VLANs, facts, LLDP neighbours, oper status; and the
two Junos configuration syntaxes give the same result.

The last tests pin two points where an earlier renderer departed from the real
Junos format (the corpus under tests/unit/fixtures/corpus and Junos documentation).
"""

import importlib.util
import ipaddress
import os

import pytest
from netutils.interface import canonical_interface_name

from lab import dataset, render

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PLATFORMS = ("arista_eos", "juniper_junos")
CONFIG = {"arista_eos": "show running-config", "juniper_junos": "show configuration | display set"}


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ttp_runner = _load("_lab_eos_junos_ttp_runner", "plugins/module_utils/collect/ttp_runner.py")
vlans = _load("_lab_eos_junos_vlans", "plugins/module_utils/vlans.py")

DATA = dataset.generate(12)
DEVICES = [d for d in DATA["devices"] if d["platform"] in PLATFORMS]
EOS = [d for d in DEVICES if d["platform"] == "arista_eos"]
JUNOS = [d for d in DEVICES if d["platform"] == "juniper_junos"]
BY_NAME = {d["name"]: d for d in DATA["devices"]}
_CACHE = {}


def outputs(device):
    if device["name"] not in _CACHE:
        _CACHE[device["name"]] = {"text": render.render(device, DATA), "parsed": {}}
    return _CACHE[device["name"]]["text"]


def parsed(device, command):
    """One command's output for a lab device, rendered and parsed once."""
    outputs(device)
    cache = _CACHE[device["name"]]["parsed"]
    if command not in cache:
        cache[command] = ttp_runner.parse_command(device["platform"], command, outputs(device)[command])
    return cache[command]


def key(name, platform):
    if platform == "juniper_junos":
        return name[:-2] if name.endswith(".0") else name
    return canonical_interface_name(name).lower()


def config_interfaces(device):
    """Records of the configuration, merged per interface (Junos unit 0 is its
    interface), the way the README contract says records of one interface merge."""
    merged = {}
    for record in parsed(device, CONFIG[device["platform"]]).get("interfaces", []):
        target = merged.setdefault(key(record["name"], device["platform"]), {})
        for field, value in record.items():
            if isinstance(value, list):
                target[field] = target.get(field, []) + value
            elif field != "name":
                target[field] = value
    return merged


def cidr(text):
    return str(ipaddress.ip_interface(text))


def ids(devices):
    return [d["name"] for d in devices]


def site_vlans(device):
    return dict((v["vid"], v["name"]) for v in DATA["vlans"]
                if v.get("site") == device["site"] or v.get("group") == "%s-vlans" % device["site"])


@pytest.fixture(params=DEVICES, ids=ids(DEVICES))
def device(request):
    return request.param


def test_lab_has_eos_and_junos_devices():
    assert {d["platform"] for d in DEVICES} == set(PLATFORMS)


def test_every_command_parses(device):
    for command in render.COMMANDS[device["platform"]] + list(render.DERIVED.get(device["platform"], {})):
        if "| json" in command:
            continue  # not read by the collection (no template)
        assert parsed(device, command), "%s %s: nothing parsed" % (device["name"], command)


def test_facts(device):
    config = parsed(device, CONFIG[device["platform"]])["facts"]
    assert config == {"hostname": device["name"]}
    version = parsed(device, "show version")["facts"]
    assert version["os_version"] == device["os_version"]
    if device["platform"] == "arista_eos":
        assert version == {"model": device["device_type"], "serial": device["serial"],
                           "os_version": device["os_version"]}
        assert parsed(device, "show inventory")["facts"] == {
            "model": device["device_type"], "serial": device["serial"]}
    else:
        assert version["hostname"] == device["name"]
        assert version["model"] == device["device_type"].lower()  # Junos prints it lower-case
        assert parsed(device, "show chassis hardware")["facts"] == {
            "model": device["device_type"], "serial": device["serial"]}


def _members(got, names):
    """Junos `vlan members` (names, ids, `all`) -> "all" or sorted VIDs."""
    return vlans.evaluate(got.get("trunk_vlans") or [], names.get, additive=True)


def test_every_interface_found_with_its_settings(device):
    platform = device["platform"]
    found = config_interfaces(device)
    names = dict((v["name"], v["vid"]) for v in parsed(device, CONFIG[platform]).get("vlans", []))
    for iface in device["interfaces"]:
        name = iface["name"]
        assert key(name, platform) in found, "%s: %s not in the configuration" % (device["name"], name)
        got = found[key(name, platform)]
        assert got.get("description", "") == iface["description"], name
        assert bool(got.get("shutdown")) is (not iface["enabled"]), name
        # LAG membership
        if iface["lag"] and platform == "arista_eos":
            assert got.get("channel_group") == int(iface["lag"].replace("Port-Channel", "")), name
        elif iface["lag"]:
            assert got.get("lag") == iface["lag"], name
        else:
            assert "channel_group" not in got and "lag" not in got, name
        # L2 mode and VLANs
        mode = iface["mode"]
        if mode == "access" and platform == "arista_eos":
            assert got.get("access_vlan") == iface["untagged_vlan"], name
            assert got.get("mode", "access") == "access", name
        elif mode == "access":
            assert got.get("switchport") is True and got.get("mode") == "access", name
            assert _members(got, names) == [iface["untagged_vlan"]], name
        elif mode in ("tagged", "tagged-all"):
            assert got.get("mode") == "trunk", name
            assert got.get("native_vlan") == iface["untagged_vlan"], name
            if platform == "arista_eos":
                allowed = vlans.evaluate(got.get("trunk_vlans") or [])
            else:
                allowed = _members(got, names)
            assert allowed == ("all" if mode == "tagged-all" else sorted(iface["tagged_vlans"])), name
        else:
            for field in ("access_vlan", "native_vlan", "trunk_vlans", "mode"):
                assert field not in got, (name, field)
        # VRF, addresses, MTU
        assert got.get("vrf") == iface["vrf"], name
        v4 = [cidr(a) for a in got.get("ipv4", []) + got.get("ipv4_secondary", [])]
        assert v4 == [cidr(a) for a in iface["ipv4"]], name
        assert [a.lower() for a in got.get("ipv6", [])] == [a.lower() for a in iface["ipv6"]], name
        assert got.get("mtu") == iface["mtu"], name
    assert len(found) == len(device["interfaces"])  # nothing invented


def test_vlans(device):
    expected = site_vlans(device)
    config = parsed(device, CONFIG[device["platform"]])["vlans"]
    assert dict((v["vid"], v["name"]) for v in config) == expected
    if device["platform"] == "arista_eos":
        table = parsed(device, "show vlan")["vlans"]
        assert dict((v["vid"], v["name"]) for v in table) == dict(list(expected.items()) + [(1, "default")])
    else:
        table = parsed(device, "show vlans")["vlans"]
        assert dict((v["vid"], v["name"]) for v in table if v["vid"] != 1) == expected
        # the SVI of VLAN 10 is irb.10
        assert [v["l3_interface"] for v in config if "l3_interface" in v] == ["irb.10"]


# Junos ELS `show vlans` always lists VLAN `default` (tag 1) in default-switch (an
# earlier renderer left it out).
@pytest.mark.parametrize("device", JUNOS, ids=ids(JUNOS))
def test_junos_show_vlans_lists_default_vlan(device):
    table = parsed(device, "show vlans")["vlans"]
    assert {"name": "default", "vid": 1} in table


def _expected_neighbours(device):
    """{local port: (peer, peer port)} for cabled ports with both ends enabled."""
    mine = dict((i["name"], i) for i in device["interfaces"])
    links = {}
    for cable in DATA["cables"]:
        for a, b in (("a", "b"), ("b", "a")):
            if cable["%s_device" % a] != device["name"]:
                continue
            peer = BY_NAME[cable["%s_device" % b]]
            peer_port = cable["%s_interface" % b]
            theirs = dict((i["name"], i) for i in peer["interfaces"])[peer_port]
            if mine[cable["%s_interface" % a]]["enabled"] and theirs["enabled"]:
                links[cable["%s_interface" % a]] = (peer["name"], peer_port, peer["platform"])
    return links


def _port(name, platform):
    return name if platform == "juniper_junos" else canonical_interface_name(name)


def test_lldp_neighbours(device):
    command = "show lldp neighbors detail" if device["platform"] == "arista_eos" else "show lldp neighbors"
    got = parsed(device, command)["neighbors"]
    expected = _expected_neighbours(device)
    assert expected  # every lab device has cabled neighbours
    assert sorted(n["local_port"] for n in got) == sorted(expected)
    for record in got:
        peer, peer_port, peer_platform = expected[record["local_port"]]
        assert record["protocol"] == "lldp"
        assert record["remote_system"] == peer
        assert _port(record["remote_port"], peer_platform) == _port(peer_port, peer_platform)
        if device["platform"] == "arista_eos":
            assert record["mgmt_address"] == BY_NAME[peer]["primary_ip4"].split("/")[0]
            peer_iface = dict((i["name"], i) for i in BY_NAME[peer]["interfaces"])[peer_port]
            assert record.get("remote_port_description", "") == (peer_iface["description"] or peer_port)


def test_oper_status(device):
    platform = device["platform"]
    if platform == "arista_eos":
        rows = dict((key(r["name"], platform), r["oper_status"])
                    for r in parsed(device, "show interfaces status")["interfaces"])
        for iface in device["interfaces"]:
            if iface["type"] == "virtual":
                continue  # Loopback and Vlan interfaces have no status row
            assert rows[key(iface["name"], platform)] == ("connected" if iface["enabled"] else "disabled"), iface["name"]
    else:
        rows = dict((r["name"], r["oper_status"]) for r in parsed(device, "show interfaces terse")["interfaces"])
        for iface in device["interfaces"]:
            assert rows[iface["name"]] == ("up" if iface["enabled"] else "down"), iface["name"]


@pytest.mark.parametrize("device", JUNOS, ids=ids(JUNOS))
def test_junos_both_configuration_syntaxes_give_the_same_result(device):
    curly = parsed(device, "show configuration")
    flat = parsed(device, "show configuration | display set")
    assert curly == flat
    assert len(curly["interfaces"]) > len(device["interfaces"])  # interfaces and their units


# Junos puts its management port in VRF mgmt_junos with `system management-instance`;
# the routing instance carries no `instance-type vrf` nor `interface me0.0` (an earlier
# renderer wrote those; the templates read both forms).
@pytest.mark.parametrize("device", JUNOS, ids=ids(JUNOS))
def test_junos_management_vrf_is_system_management_instance(device):
    lines = outputs(device)["show configuration | display set"].splitlines()
    assert "set system management-instance" in lines
    assert not [line for line in lines if line.startswith("set routing-instances mgmt_junos interface ")]
