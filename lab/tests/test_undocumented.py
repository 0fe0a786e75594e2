"""Undocumented devices for discovery (lab/undocumented.py, the discovery scenario, the relay):
seen by their neighbours on their own loopback addresses, with an exact ground truth."""

import json
import os
import socket
import sys
import threading

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from lab import dataset, relay, render, scenario, undocumented  # noqa: E402


@pytest.fixture(scope="module", name="views")
def fixture_views():
    chosen = scenario.load("discovery")
    nb_view, dev_view, expected = scenario.apply(dataset.generate(12), chosen)
    truth = undocumented.apply(nb_view, dev_view, chosen)
    return nb_view, dev_view, expected, truth


def outputs(view, name):
    device = next(d for d in view["devices"] + view["undocumented"] if d["name"] == name)
    return render.render(device, view, render.index(view))


def test_the_discovery_scenario_keeps_the_default_drift(views):
    _, _, expected, _ = views
    default = scenario.apply(dataset.generate(12), scenario.load("default"))[2]
    assert expected == default


def test_a_scenario_that_extends_itself_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.yml").write_text("name: a\nextends: b\n")
    (tmp_path / "b.yml").write_text("name: b\nextends: a\n")
    monkeypatch.setattr(scenario, "SCENARIO_DIR", tmp_path)
    with pytest.raises(scenario.ScenarioError, match="extends it back"):
        scenario.load("a")


def test_netbox_lacks_the_undocumented_devices_and_holds_the_gone_one(views):
    nb_view, dev_view, _, _ = views
    names = [d["name"] for d in nb_view["devices"]]
    assert not [n for n in names if "-ud-" in n] and names[-1] == "dc1-gone-01"
    gone = nb_view["devices"][-1]
    assert gone["platform"] == "cisco_ios" and gone["interfaces"][0]["name"] == "GigabitEthernet1/0/1"
    assert "dc1-gone-01" not in [d["name"] for d in dev_view["devices"]]
    assert [d["name"] for d in dev_view["undocumented"]] == ["dc1-ud-sw1", "dc1-ud-sw2", "dc1-ud-out", "dc1-ud-cdp"]


def test_neighbours_advertise_the_loopback_management_address(views):
    _, dev_view, _, _ = views
    lldp = outputs(dev_view, "dc1-ios-01")["show lldp neighbors detail"]
    block = lldp[lldp.index("Local Intf: Gi1/0/35"):].split("---", 1)[0]
    assert "System Name: dc1-ud-sw1" in block and "IP: 127.77.0.11" in block and "Port id: Ethernet1" in block
    nxos = outputs(dev_view, "dc1-nxos-02")
    assert "Management Address: 127.99.0.13" in nxos["show lldp neighbors detail"]
    assert "Device ID:dc1-ud-out.lab.example.net" in nxos["show cdp neighbors detail"]


def test_a_device_with_lldp_off_is_seen_over_cdp_only(views):
    _, dev_view, _, _ = views
    seed = outputs(dev_view, "dc1-ios-05")
    assert "dc1-ud-cdp" not in seed["show lldp neighbors detail"]
    assert "Device ID: dc1-ud-cdp.lab.example.net" in seed["show cdp neighbors detail"]
    assert "IP address: 127.77.0.14" in seed["show cdp neighbors detail"]
    own = outputs(dev_view, "dc1-ud-cdp")
    lldp = [command for command in own if command.startswith("show lldp")]
    assert len(lldp) == 2 and all(own[command] == "% LLDP is not enabled\n" for command in lldp)  # fallbacks too


def test_the_depth_two_device_is_seen_by_the_depth_one_device_only(views):
    _, dev_view, _, _ = views
    assert "dc1-ud-sw2" in outputs(dev_view, "dc1-ud-sw1")["show lldp neighbors detail"]
    seeds = [outputs(dev_view, d["name"]) for d in dev_view["devices"]]
    assert not any("dc1-ud-sw2" in text for out in seeds for text in out.values())
    config = outputs(dev_view, "dc1-ud-sw2")["show running-config"]
    assert " ip address 127.77.0.12 255.255.0.0" in config and "hostname dc1-ud-sw2" in config


def test_ground_truth(views):
    _, _, _, truth = views
    found = dict((d["name"], d) for d in truth["devices"])
    assert [(n, found[n]["class"], found[n].get("depth"), found[n].get("reached")) for n in sorted(found)] == [
        ("dc1-gone-01", "missing_on_device", None, None), ("dc1-ud-cdp", "missing_in_netbox", 1, True),
        ("dc1-ud-out", "missing_in_netbox", 1, False), ("dc1-ud-sw1", "missing_in_netbox", 1, True),
        ("dc1-ud-sw2", "missing_in_netbox", 2, True)]
    assert found["dc1-ud-sw1"]["seen_by"] == [["dc1-eos-03", "Ethernet35", "Ethernet2", "lldp"],
                                             ["dc1-ios-01", "GigabitEthernet1/0/35", "Ethernet1", "lldp"],
                                             ["dc1-ud-sw2", "GigabitEthernet1/0/1", "Ethernet3", "lldp"]]
    assert found["dc1-ud-cdp"]["seen_by"] == [["dc1-ios-05", "GigabitEthernet1/0/35", "GigabitEthernet1/0/1", "cdp"]]
    assert truth["never_connected"] == ["127.99.0.13"] and truth["allow"] == ["127.77.0.0/16"]


def test_depth_one_leaves_the_second_hop_unreached(views):
    chosen = dict(scenario.load("discovery"), discover={"allow": ["127.77.0.0/16"], "depth": 1})
    nb_view, dev_view, _ = scenario.apply(dataset.generate(12), chosen)
    found = dict((d["name"], d) for d in undocumented.apply(nb_view, dev_view, chosen)["devices"])
    assert (found["dc1-ud-sw2"]["depth"], found["dc1-ud-sw2"]["reached"]) == (2, False)


def test_the_credentials_match_what_the_neighbours_advertise(views):
    _, dev_view, _, _ = views
    creds = undocumented.credentials(dev_view, 2222, "pw")
    assert [(c["platform"], c["description"]) for c in creds] == [
        ("arista_eos", "Arista"), ("cisco_ios", "IOS|C9300"), ("cisco_nxos", "NX-OS|N9K")]
    assert all(c["username"] == "discovery" and c["port"] == 2222 for c in creds)


def _echo_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(conn.recv(100).upper())
    threading.Thread(target=serve, daemon=True).start()
    return server


def test_the_relay_forwards_and_records_every_attempt(tmp_path):
    server = _echo_server()
    port = relay_port = None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        relay_port = probe.getsockname()[1]
    port = server.getsockname()[1]
    routes = [{"device": "a", "address": "127.77.9.1", "port": relay_port, "target": port},
              {"device": "b", "address": "127.99.9.2", "port": relay_port, "target": port}]
    relay.start(str(tmp_path), routes)
    try:
        assert relay.attempts(str(tmp_path)) == []  # readiness is a file, never a probe
        with socket.create_connection(("127.77.9.1", relay_port), timeout=5) as conn:
            conn.sendall(b"hello")
            assert conn.recv(100) == b"HELLO"
        attempts = relay.attempts(str(tmp_path))
        assert [(a["device"], a["address"], a["port"]) for a in attempts] == [("a", "127.77.9.1", relay_port)]
        assert json.loads((tmp_path / "relay.json").read_text())["routes"] == routes
    finally:
        relay.stop(str(tmp_path))
        server.close()
    assert not (tmp_path / "relay.pid").exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.77.9.1", relay_port), timeout=2)
