"""netbox_state on the lab: the intended model of every device equals what the lab
loaded into NetBox (.lab/dataset-netbox.json, after the scenario's NetBox-side
changes), read through the real ansible-playbook in a number of requests that does
not depend on how many devices are asked for."""

import ipaddress
import json

import pytest

from conftest import ROOT, STATE, playbook

IFACE_FIELDS = ("type", "enabled", "description", "mtu", "mode", "untagged_vlan", "tagged_vlans",
                "lag", "vrf", "mgmt_only")
BAD_TOKEN = "nbt_notakey000000.notthesecretnotthesecretnotthesecret0"


def lab_env():
    env = {}
    for line in (STATE / "env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value.strip()
    return env


@pytest.fixture(scope="module")
def results(lab, tmp_path_factory):
    out = tmp_path_factory.mktemp("netbox_state")
    sites = {}
    for device in lab["netbox_view"]["devices"]:
        sites.setdefault(device["site"], device["name"])
    pair = [sites[site] for site in sorted(sites)][:2]
    env = lab_env()
    playbook(ROOT / "tests" / "integration" / "playbooks" / "netbox_state.yml",
             "-e", json.dumps({"netbox_state_out": str(out), "netbox_state_pair": pair,
                               "netbox_state_bad_token": BAD_TOKEN}),
             NETBOX_API=env["NETBOX_API"], NETBOX_TOKEN=env["NETBOX_TOKEN"])
    text = (out / "netbox_state.json").read_text()
    # no token in here: pytest prints a fixture's value when a test fails
    return {"data": json.loads(text), "text": text, "pair": pair}


def cidrs(values):
    return sorted(values, key=lambda a: (ipaddress.ip_interface(a).version, ipaddress.ip_interface(a)))


def expected_model(device, view):
    """The intended model's comparable part, from the dataset's NetBox view."""
    peers = {}
    for cable in view["cables"]:
        for near, far in (("a", "b"), ("b", "a")):
            if cable[near + "_device"] == device["name"]:
                peers[cable[near + "_interface"]] = {"peer_device": cable[far + "_device"],
                                                     "peer_port": cable[far + "_interface"],
                                                     "peer_type": "dcim.interface"}
    interfaces, addresses = {}, {}
    for iface in device["interfaces"]:
        want = dict((field, iface[field]) for field in IFACE_FIELDS)
        want.update(name=iface["name"], tagged_vlans=sorted(iface["tagged_vlans"]),
                    ipv4=cidrs(iface["ipv4"]), ipv6=cidrs(iface["ipv6"]), anycast=[], tags=[],
                    cable=peers.get(iface["name"]))
        interfaces[iface["name"]] = want
        for address in iface["ipv4"] + iface["ipv6"]:
            addresses[(iface["vrf"], address)] = {"address": address, "interface": iface["name"],
                                                  "vrf": iface["vrf"], "role": None, "status": "active"}
    group = {g["slug"]: g["site"] for g in view["vlan_groups"]}
    used = set(v for i in device["interfaces"] for v in [i["untagged_vlan"]] + i["tagged_vlans"] if v)
    vlans = dict((str(v["vid"]), {"vid": v["vid"], "name": v["name"], "scope": "site" if v["site"] else "group",
                                  "group": v["group"], "used": v["vid"] in used})
                 for v in view["vlans"] if (v["site"] or group.get(v["group"])) == device["site"])
    return {
        "device": device["name"], "source": "netbox", "platform": device["platform"],
        "site": device["site"], "status": "active",
        "facts": {"serial": device["serial"], "model": device["device_type"], "part_number": None,
                  "platform": device["platform"], "os_version": device["os_version"]},
        "interfaces": interfaces, "ip_addresses": addresses, "vlans": vlans,
        "primary_ip4": device.get("primary_ip4"), "primary_ip6": None, "problems": [],
    }


def comparable(model, api_url):
    """The model without NetBox ids and URLs, after checking that those are well formed."""
    def refs_ok(block, kind):
        assert isinstance(block["id"], int) and block["id"] > 0, block
        assert block["url"] == "%s/%s/%d/" % (api_url, kind, block["id"]), block

    refs_ok(model["netbox"], "dcim/devices")
    interfaces, addresses, vlans = {}, {}, {}
    for name, iface in model["interfaces"].items():
        refs_ok(iface["netbox"], "dcim/interfaces")
        assert iface["netbox"]["last_updated"]
        iface = dict((k, v) for k, v in iface.items() if k != "netbox")
        if iface["cable"]:
            refs_ok(iface["cable"], "dcim/cables")
            iface["cable"] = dict((k, v) for k, v in iface["cable"].items() if k not in ("id", "url"))
        interfaces[name] = iface
    for entry in model["ip_addresses"]:
        refs_ok(entry["netbox"], "ipam/ip-addresses")
        addresses[(entry["vrf"], entry["address"])] = dict((k, v) for k, v in entry.items() if k != "netbox")
    for vid, entry in model["vlans"].items():
        refs_ok(entry["netbox"], "ipam/vlans")
        vlans[vid] = dict((k, v) for k, v in entry.items() if k != "netbox")
    return {
        "device": model["device"], "source": model["source"], "platform": model["platform"],
        "site": model["netbox"]["site"], "status": model["netbox"]["status"], "facts": model["facts"],
        "interfaces": interfaces, "ip_addresses": addresses, "vlans": vlans,
        "primary_ip4": model["primary_ip4"], "primary_ip6": model["primary_ip6"], "problems": model["problems"],
    }


def test_every_device_equals_the_dataset(lab, results):
    result = results["data"]["all"]
    assert not result.get("failed"), result.get("msg")
    assert result["missing"] == [] and result["invalid"] == {}
    assert result["netbox_url"] == lab["api_url"]
    models = result["netbox_state"]
    view = lab["netbox_view"]
    assert sorted(models) == sorted(d["name"] for d in view["devices"])
    problems = {}
    for device in view["devices"]:
        got = comparable(models[device["name"]], lab["api_url"])
        want = expected_model(device, view)
        if got != want:
            problems[device["name"]] = dict((k, (got[k], want[k])) for k in want if got[k] != want[k])
    assert problems == {}


def test_requests_do_not_grow_with_devices(lab, results):
    every, pair = results["data"]["all"]["stats"], results["data"]["pair"]["stats"]
    assert len(results["data"]["all"]["netbox_state"]) == lab["devices"]
    assert len(results["data"]["pair"]["netbox_state"]) == 2
    # the lab's 12 devices fit one page of each type: the same requests for 2 or 12
    assert pair["by_endpoint"] == every["by_endpoint"]
    assert every["requests"] == pair["requests"] == 7


def test_a_host_not_in_netbox_is_a_warning(results):
    pair = results["data"]["pair"]
    assert not pair.get("failed") and pair["missing"] == ["not-in-netbox"]
    assert sorted(pair["netbox_state"]) == sorted(results["pair"])
    assert any("not-in-netbox" in w and "not in NetBox" in w for w in pair["warnings"])


def test_a_refused_token_fails_clearly_without_the_token(lab, results):
    refused = results["data"]["refused"]
    assert refused["failed"] is True
    assert "NetBox refused the token (403)" in refused["msg"]
    assert "Traceback" not in results["text"]
    assert BAD_TOKEN not in results["text"] and BAD_TOKEN.split(".")[1] not in results["text"]
    token = lab_env()["NETBOX_TOKEN"]
    assert token not in results["text"]
    assert token.split(".")[-1] not in results["text"]


def test_a_read_only_v1_token_reads_the_same_state(lab, results, tmp_path):
    """NetBox's legacy token kind (40 hex characters, sent as ``Authorization: Token``),
    read only: reading the intended state needs no write permission. The token stays in
    this function: pytest prints fixture values when a test fails."""
    from lab import netbox_service

    env, token = lab_env(), netbox_service.add_v1_token(STATE)
    assert len(token) == 40 and not token.startswith("nbt_")
    proc = playbook(ROOT / "tests" / "integration" / "playbooks" / "netbox_state.yml",
                    "-e", json.dumps({"netbox_state_out": str(tmp_path), "netbox_state_pair": results["pair"],
                                      "netbox_state_bad_token": BAD_TOKEN}),
                    NETBOX_API=env["NETBOX_API"], NETBOX_TOKEN=token)
    text = (tmp_path / "netbox_state.json").read_text()
    leaked = token in text + proc.stdout + proc.stderr
    assert not leaked
    with_v1 = json.loads(text)["all"]
    assert not with_v1.get("failed"), with_v1.get("msg")
    assert with_v1["netbox_state"] == results["data"]["all"]["netbox_state"]
    assert with_v1["stats"]["requests"] == results["data"]["all"]["stats"]["requests"]
    assert "Traceback" not in text
