"""The cisco_ios and cisco_nxos TTP templates read what the lab renders for every
Cisco device of the dataset: interfaces (description, enabled state, mode and VLANs,
LAG, VRF, addresses, MTU), VLANs, facts, LLDP and CDP neighbours, oper status.

Where the renderer departs from the real device format (the corpus under
tests/unit/fixtures/corpus), the check names the real behaviour it holds the renderer to,
so the gap stays visible without hiding the template checks.
"""

import importlib.util
import ipaddress
import os

import pytest
from netutils.interface import canonical_interface_name

from lab import dataset, render

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CISCO = ("cisco_ios", "cisco_nxos")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ttp_runner = _load("_lab_ttp_runner", "plugins/module_utils/collect/ttp_runner.py")
vlans = _load("_lab_vlans", "plugins/module_utils/vlans.py")

DATA = dataset.generate(12)
DEVICES = [d for d in DATA["devices"] if d["platform"] in CISCO]
BY_NAME = {d["name"]: d for d in DATA["devices"]}
STATUS_COMMAND = {"cisco_ios": "show interfaces status", "cisco_nxos": "show interface status"}
_CACHE = {}


def parsed(device):
    """{command: parsed result} for one lab device (rendered and parsed once)."""
    if device["name"] not in _CACHE:
        outputs = render.render(device, DATA)
        commands = render.COMMANDS[device["platform"]]
        _CACHE[device["name"]] = dict(
            (c, ttp_runner.parse_command(device["platform"], c, outputs[c])) for c in commands)
    return _CACHE[device["name"]]


def key(name):
    return canonical_interface_name(name).lower()


def config_interfaces(device):
    return dict((key(r["name"]), r) for r in parsed(device)["show running-config"]["interfaces"])


def cidr(text):
    parts = text.split()
    return str(ipaddress.ip_interface("/".join(parts) if len(parts) == 2 else parts[0]))


def ids(devices):
    return [d["name"] for d in devices]


@pytest.fixture(params=DEVICES, ids=ids(DEVICES))
def device(request):
    return request.param


def test_lab_has_cisco_devices():
    assert {d["platform"] for d in DEVICES} == set(CISCO)


def test_every_command_parses(device):
    for command, result in parsed(device).items():
        assert result, "%s %s: nothing parsed" % (device["name"], command)


def test_facts(device):
    results = parsed(device)
    version = results["show version"]["facts"]
    inventory = results["show inventory"]["facts"]
    assert version["hostname"] == device["name"]
    assert version["os_version"] == device["os_version"]
    assert version["serial"] == device["serial"]
    assert inventory == {"model": device["device_type"], "serial": device["serial"]}
    assert results["show running-config"]["facts"] == {"hostname": device["name"]}
    if device["platform"] == "cisco_ios":
        assert version["model"] == device["device_type"]
    else:  # NX-OS show version prints the model word only: C93180YC-EX of N9K-C93180YC-EX
        assert device["device_type"].endswith(version["model"])


def test_every_interface_found_with_its_settings(device):
    found = config_interfaces(device)
    lag_ids = {}
    for iface in device["interfaces"]:
        name = iface["name"]
        assert key(name) in found, "%s: %s not in running-config" % (device["name"], name)
        got = found[key(name)]
        assert got.get("description", "") == iface["description"], name
        # enabled state: `shutdown` iff disabled
        assert bool(got.get("shutdown")) is (not iface["enabled"]), name
        # LAG membership
        if iface["lag"]:
            lag_ids[name] = got.get("channel_group")
            assert got.get("channel_group") == int(iface["lag"].lower().replace("port-channel", "")), name
        else:
            assert "channel_group" not in got, name
        # L2 mode and VLANs (members take theirs from the LAG)
        mode = iface["mode"]
        if mode == "access":
            assert got.get("access_vlan") == iface["untagged_vlan"], name
            assert got.get("mode", "access") == "access", name
        elif mode in ("tagged", "tagged-all"):
            assert got.get("mode") == "trunk", name
            assert got.get("native_vlan") == iface["untagged_vlan"], name
            allowed = vlans.evaluate(got.get("trunk_vlans") or [])
            assert allowed == ("all" if mode == "tagged-all" else sorted(iface["tagged_vlans"])), name
        elif not iface["lag"]:
            for field in ("access_vlan", "native_vlan", "trunk_vlans", "mode"):
                assert field not in got, (name, field)
        # VRF, addresses, MTU
        if device["platform"] == "cisco_nxos" and name == "mgmt0":  # see test_nxos_mgmt0_in_vrf_management
            assert got.get("vrf") in (iface["vrf"], "management"), name
        else:
            assert got.get("vrf") == iface["vrf"], name
        v4 = [cidr(a) for a in got.get("ipv4", []) + got.get("ipv4_secondary", [])]
        assert v4 == [str(ipaddress.ip_interface(a)) for a in iface["ipv4"]], name
        assert [a.lower() for a in got.get("ipv6", [])] == [a.lower() for a in iface["ipv6"]], name
        expected_mtu = iface["mtu"] if iface["mtu"] not in (None, 1500) else None
        assert got.get("mtu") == expected_mtu, name
    assert len(found) == len(device["interfaces"])  # nothing invented


NXOS = [d for d in DEVICES if d["platform"] == "cisco_nxos"]


@pytest.mark.parametrize("device", NXOS, ids=ids(NXOS))
def test_nxos_layer2_interfaces_say_switchport(device):
    found = config_interfaces(device)
    for iface in device["interfaces"]:
        if iface["mode"] in ("access", "tagged", "tagged-all"):
            assert found[key(iface["name"])].get("switchport") is True, iface["name"]


@pytest.mark.parametrize("device", NXOS, ids=ids(NXOS))
def test_nxos_mgmt0_in_vrf_management(device):
    assert config_interfaces(device)[key("mgmt0")].get("vrf") == "management"


@pytest.mark.parametrize("device", NXOS, ids=ids(NXOS))
def test_nxos_enabled_physical_and_svi_say_no_shutdown(device):
    found = config_interfaces(device)
    for iface in device["interfaces"]:
        if iface["enabled"] and (iface["type"] != "virtual" or iface["name"].startswith("Vlan")) \
                and iface["type"] != "lag" and not iface["mgmt_only"]:
            assert found[key(iface["name"])].get("no_shutdown") is True, iface["name"]


def site_vlans(device):
    return dict((v["vid"], v["name"]) for v in DATA["vlans"]
                if v["site"] == device["site"] or v["group"] == "%s-vlans" % device["site"])


def test_vlans(device):
    expected = site_vlans(device)
    config = dict((v["vid"], v.get("name")) for v in parsed(device)["show running-config"]["vlans"])
    brief = dict((v["vid"], v["name"]) for v in parsed(device)["show vlan brief"]["vlans"])
    for vid, name in expected.items():
        assert config.get(vid) == name
        assert brief.get(vid) == name
    assert brief[1] == "default"
    assert set(config) - set(expected) <= {1}  # NX-OS lists VLAN 1 in its range line


def cabled(device):
    """{local port: (peer device, peer port)} for links whose both ends are enabled."""
    mine = dict((i["name"], i) for i in device["interfaces"])
    links = {}
    for cable in DATA["cables"]:
        for a, b in (("a", "b"), ("b", "a")):
            if cable[a + "_device"] == device["name"]:
                peer = BY_NAME[cable[b + "_device"]]
                peer_if = next(i for i in peer["interfaces"] if i["name"] == cable[b + "_interface"])
                if mine[cable[a + "_interface"]]["enabled"] and peer_if["enabled"]:
                    links[cable[a + "_interface"]] = (peer, cable[b + "_interface"])
    return links


def check_neighbors(device, records, protocol):
    links = cabled(device)
    if protocol == "cdp":
        links = dict((k, v) for k, v in links.items() if v[0]["platform"] in CISCO)
    got = dict((key(r["local_port"]), r) for r in records)
    assert len(records) == len(links)
    for local, (peer, port) in links.items():
        record = got[key(local)]
        assert record["protocol"] == protocol
        system = record["remote_system"]
        if protocol == "cdp":  # Device ID: name.domain, NX-OS peers also (SERIAL)
            assert system.split("(")[0].split(".")[0] == peer["name"], system
            if peer["platform"] == "cisco_nxos":
                assert system.endswith("(%s)" % peer["serial"]), system
        else:  # LLDP System Name: the hostname, or the FQDN when a domain is configured
            assert system in (peer["name"], "%s.%s" % (peer["name"], render.DOMAIN)), system
        assert key(record["remote_port"]) == key(port)
        assert record["mgmt_address"] == peer["primary_ip4"].split("/")[0]


def test_lldp_neighbors(device):
    check_neighbors(device, parsed(device)["show lldp neighbors detail"].get("neighbors", []), "lldp")


def test_cdp_neighbors(device):
    check_neighbors(device, parsed(device)["show cdp neighbors detail"].get("neighbors", []), "cdp")


IOS = [d for d in DEVICES if d["platform"] == "cisco_ios"]


@pytest.mark.parametrize("device", NXOS, ids=ids(NXOS))
def test_lldp_port_id_of_ios_peers_is_short(device):
    records = parsed(device)["show lldp neighbors detail"]["neighbors"]
    for record in records:
        peer = BY_NAME.get(record["remote_system"])
        if peer and peer["platform"] == "cisco_ios":
            assert record["remote_port"] == render.short_name("cisco_ios", record["remote_port"])


def test_oper_status(device):
    rows = dict((key(r["name"]), r["oper_status"])
                for r in parsed(device)[STATUS_COMMAND[device["platform"]]]["interfaces"])
    for iface in device["interfaces"]:
        if iface["type"] in ("virtual",):
            continue  # status tables list ports, LAGs and mgmt
        assert key(iface["name"]) in rows, iface["name"]
        status = rows[key(iface["name"])]
        assert status == ("connected" if iface["enabled"] else "disabled"), (iface["name"], status)


@pytest.mark.parametrize("device", DEVICES, ids=ids(DEVICES))
def test_lldp_system_name_of_cisco_peers_carries_the_domain(device):
    for record in parsed(device)["show lldp neighbors detail"]["neighbors"]:
        peer = BY_NAME.get(record["remote_system"].split(".")[0])
        if peer and peer["platform"] in CISCO:
            assert record["remote_system"] == "%s.%s" % (peer["name"], render.DOMAIN)
