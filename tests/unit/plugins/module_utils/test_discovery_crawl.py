"""The discovery crawl (module_utils/discovery/crawl.py, records.py, netbox.py): order,
depth, allow-list, credentials, NetBox knowledge, the records and the log."""

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import crawl as c
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import netbox as nb

CREDS = [{"name": "lab-ios", "platform": "cisco_ios", "prefixes": ["10.9.0.0/16"], "port": 2222}]


def row(port, name=None, chassis=None, address=None, remote="Ethernet1", protocol="lldp", description=None):
    return {"local_port": port, "remote_system": name, "remote_port": remote, "chassis_id": chassis,
            "mgmt_address": address, "protocol": protocol, "system_description": description,
            "capabilities": ["Bridge", "Router"]}


def state(name, neighbors, platform="cisco_ios", facts=None, interfaces=None, lldp=True):
    """A device model with facts, interfaces and neighbours verified (neighbours failed when not lldp)."""
    model = m.new_device(name, platform)
    for section in m.SECTIONS:
        model["sections"][section]["status"] = m.OK
    model["facts"] = dict({"hostname": name, "serial": None, "model": None, "os_version": None}, **(facts or {}))
    model["interfaces"] = interfaces or {}
    model["vlans"] = {}
    model["neighbors"] = neighbors
    if not lldp:
        m.fail_section(model, "neighbors", "'show lldp neighbors detail' output was not recognised")
    return model


def unreachable(name):
    model = m.new_device(name, "cisco_ios")
    for section in m.SECTIONS:
        m.fail_section(model, section, "127.0.0.1:22: connection refused")
    return model


def index():
    devices = [{"name": n, "id": i + 1, "url": "https://nb/dcim/devices/%d/" % (i + 1), "site": "dc1",
                "serial": "S%d" % i, "primary_ip4": "10.250.0.%d/16" % (i + 10), "status": "active",
                "last_updated": "2026-01-01T00:00:00Z"}
               for i, n in enumerate(["sw1", "sw2", "sw3", "old"])]
    devices[3]["site"] = "dc2"
    return nb.Index(devices, device_types=[{"slug": "c9300-48p", "model": "C9300-48P", "part_number": None}],
                    platforms=[{"slug": "cisco_ios", "name": "cisco_ios"}], roles=[{"slug": "access", "name": "Access"}],
                    sites=[{"slug": "dc1", "name": "DC1"}, {"slug": "dc2", "name": "DC2"}], vrfs=["MGMT"])


def seeds(crawl):
    crawl.add_seed("sw1", state("sw1", [
        row("GigabitEthernet1/0/49", "sw2", "aaaa.0000.0002", "10.250.0.11", remote="GigabitEthernet1/0/49"),
        row("GigabitEthernet1/0/35", "new1.lab.example.net", "0011.2233.0011", "10.9.0.11", remote="Gi1/0/1",
            description="Cisco IOS Software, C9300"),
        row("GigabitEthernet1/0/34", "out", "0011.2233.0013", "172.16.0.13"),
        row("GigabitEthernet1/0/10", "phone-7", None, None, remote="Port 1")]))
    crawl.add_seed("sw2", state("sw2", [
        row("GigabitEthernet1/0/49", "sw1", "aaaa.0000.0001", "10.250.0.10", remote="GigabitEthernet1/0/49"),
        row("GigabitEthernet1/0/35", "new1.lab.example.net", None, "10.9.0.11", remote="GigabitEthernet1/0/2",
            protocol="cdp", description="cisco C9300-48P")]))
    crawl.add_seed("sw3", unreachable("sw3"), error="127.0.0.1:22: connection refused")


def new1():
    interfaces = {
        "GigabitEthernet1/0/1": {"name": "GigabitEthernet1/0/1", "enabled": True, "description": "to sw1", "ipv4": [], "ipv6": []},
        "GigabitEthernet1/0/2": {"name": "GigabitEthernet1/0/2", "enabled": True, "description": "", "ipv4": [], "ipv6": []},
        "GigabitEthernet0/0": {"name": "GigabitEthernet0/0", "enabled": True, "description": "oob", "vrf": "MGMT",
                               "ipv4": ["10.9.0.11/24"], "ipv6": []}}
    return state("new1", [
        row("GigabitEthernet1/0/1", "sw1", "aaaa.0000.0001", "10.250.0.10", remote="GigabitEthernet1/0/35"),
        row("GigabitEthernet1/0/5", "deep", "0011.2233.0012", "10.9.0.12"),
        row("GigabitEthernet1/0/6", "server-9", "0011.2233.0050", "10.250.0.13")],
        facts={"model": "C9300-48P", "serial": "FOC123", "os_version": "17.9.4a"}, interfaces=interfaces)


def learn_all(crawl, macs=None):
    wanted = crawl.lookups()
    crawl.learn(dict((a, None) for a in wanted["addresses"]), dict((mac, (macs or {}).get(mac)) for mac in wanted["macs"]))


def run(crawl, logins):
    """Drive the crawl as the action does; ``logins``: {address: model or error text}; the
    addresses connected to, in order."""
    connected = []
    while crawl.open():
        learn_all(crawl)
        for target in crawl.next_level():
            connected.append((target["address"], target["port"], target["platform"]))
            outcome = logins.get(target["address"], "connection timed out")
            if isinstance(outcome, dict):
                crawl.reached(target["number"], outcome)
            else:
                crawl.failed(target["number"], outcome)
    return connected


def by_name(result):
    return dict((r["key"], r) for r in result["records"])


def test_breadth_first_within_the_allow_list_and_depth():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, role="access", index=index())
    seeds(crawl)
    connected = run(crawl, {"10.9.0.11": new1(), "10.9.0.12": "authentication failed for user discover"})
    assert connected == [("10.9.0.11", 2222, "cisco_ios"), ("10.9.0.12", 2222, "cisco_ios")]
    result = crawl.result()
    records = by_name(result)
    assert sorted(records) == ["deep", "new1", "out", "phone-7", "sw3"]
    assert records["sw3"]["class"] == "missing_on_device"
    assert all(r["class"] == "missing_in_netbox" and r["kind"] == "device" and r["field"] is None
               for k, r in records.items() if k != "sw3")
    assert [a["address"] for a in result["log"]["attempts"]] == ["10.9.0.11", "10.9.0.12"]
    assert [(e["name"], e.get("known_as"), e.get("matched_on")) for e in result["log"]["candidates"]
            if e["decision"] == "known"] == [("sw2", "inventory device sw2", "name"), ("sw1", "inventory device sw1", "name"),
                                             ("server-9", "NetBox device old", "management address")]


def test_a_device_seen_by_two_switches_is_one_record_with_both_links_and_its_login():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, role="access", index=index())
    seeds(crawl)
    run(crawl, {"10.9.0.11": new1()})
    rec = by_name(crawl.result())["new1"]
    value = rec["discovered"]
    assert rec["device"] == "new1" and value["source"] == "login" and value["depth"] == 1
    assert value["links"] == [
        {"device": "sw1", "port": "GigabitEthernet1/0/35", "remote_port": "GigabitEthernet1/0/1", "protocols": ["lldp"],
         "known": True},
        {"device": "sw2", "port": "GigabitEthernet1/0/35", "remote_port": "GigabitEthernet1/0/2", "protocols": ["cdp"],
         "known": True}]
    assert (value["model"], value["serial"], value["os_version"], value["platform"]) == \
        ("C9300-48P", "FOC123", "17.9.4a", "cisco_ios")
    assert value["mgmt"] == {"address": "10.9.0.11/24", "interface": "GigabitEthernet0/0", "vrf": "MGMT"}
    assert value["netbox"] == {"site": "dc1", "device_type": "c9300-48p", "role": "access", "platform": "cisco_ios",
                               "management": value["mgmt"], "missing": [], "left_out": []}
    assert [i["name"] for i in value["interfaces"]] == ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2",
                                                        "GigabitEthernet0/0"]
    assert value["login"] == {"address": "10.9.0.11", "port": 2222, "credential": "lab-ios", "error": None}
    assert rec["device_value"] == {"name": "new1", "source": "login", "platform": "cisco_ios", "model": "C9300-48P",
                                   "serial": "FOC123", "os_version": "17.9.4a", "mgmt_address": "10.9.0.11",
                                   "chassis_id": "0011.2233.0011", "description": "Cisco IOS Software, C9300",
                                   "site": "dc1", "interfaces": 3}
    assert [(s["seen_by"], s["protocol"]) for s in rec["evidence"]["seen_by"]] == [("sw1", "lldp"), ("sw2", "cdp")]
    assert rec["evidence"]["chassis_id"] == "0011.2233.0011" and rec["evidence"]["mgmt_address"] == "10.9.0.11"
    assert "seen by sw1 GigabitEthernet1/0/35, sw2 GigabitEthernet1/0/35; logged in at 10.9.0.11" in rec["message"]


def test_what_cannot_be_followed_says_why_and_is_never_connected():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, role="access", index=index())
    seeds(crawl)
    connected = run(crawl, {"10.9.0.11": new1(), "10.9.0.12": "authentication failed for user discover"})
    records = by_name(crawl.result())
    assert "172.16.0.13" not in [a for a, _p, _x in connected]
    assert records["out"]["discovered"]["not_followed"] == \
        "its management address 172.16.0.13 is outside discover_allow (10.9.0.0/16)"
    assert records["out"]["discovered"]["source"] == "neighbours" and records["out"]["discovered"]["login"] is None
    assert records["phone-7"]["discovered"]["not_followed"] == "it advertises no management address"
    deep = records["deep"]["discovered"]
    assert deep["login"]["error"] == "authentication failed for user discover" and deep["depth"] == 2
    assert deep["netbox"]["site"] == "dc1"  # from new1, the discovered device that sees it
    assert deep["netbox"]["missing"] == ["a device type: its model is not known (it was not logged into)"]
    assert deep["links"] == [{"device": "new1", "port": "GigabitEthernet1/0/5", "remote_port": "Ethernet1",
                              "protocols": ["lldp"], "known": False}]


def test_depth_bounds_the_logins():
    crawl = c.Crawl(["10.9.0.0/16"], 1, CREDS, index=index())
    seeds(crawl)
    connected = run(crawl, {"10.9.0.11": new1()})
    assert connected == [("10.9.0.11", 2222, "cisco_ios")]
    deep = by_name(crawl.result())["deep"]["discovered"]
    assert deep["not_followed"] == "it is 2 hops from the inventory's devices, beyond discover_depth 1"
    crawl = c.Crawl(["10.9.0.0/16"], 0, CREDS, index=index())
    seeds(crawl)
    assert run(crawl, {"10.9.0.11": new1()}) == []
    assert sorted(by_name(crawl.result())) == ["new1", "out", "phone-7", "sw3"]


def test_an_empty_allow_list_follows_nothing_and_still_reports_what_is_seen():
    crawl = c.Crawl([], 3, CREDS, index=index())
    seeds(crawl)
    assert run(crawl, {"10.9.0.11": new1()}) == []
    new = by_name(crawl.result())["new1"]["discovered"]
    assert new["not_followed"] == "discover_allow is empty: discovery connects to nothing"
    assert new["source"] == "neighbours" and new["mgmt_address"] == "10.9.0.11"
    assert new["description"] == "Cisco IOS Software, C9300" and new["chassis_id"] == "0011.2233.0011"


def test_no_credential_no_login_and_descriptions_pick_the_credential():
    crawl = c.Crawl(["10.9.0.0/16"], 2, [], index=index())
    seeds(crawl)
    assert run(crawl, {}) == []
    assert "no entry of discover_credentials applies to 10.9.0.11" in \
        by_name(crawl.result())["new1"]["discovered"]["not_followed"]
    creds = [{"name": "eos", "platform": "arista_eos", "description": "Arista"},
             {"name": "ios", "platform": "cisco_ios", "description": "(?i)cisco", "prefixes": ["10.9.0.0/24"]}]
    crawl = c.Crawl(["10.9.0.0/16"], 1, creds, index=index())
    seeds(crawl)
    assert run(crawl, {"10.9.0.11": new1()}) == [("10.9.0.11", 22, "cisco_ios")]


def test_the_login_limit_and_one_login_per_address():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, limit=1, index=index())
    seeds(crawl)
    assert run(crawl, {"10.9.0.11": new1()}) == [("10.9.0.11", 2222, "cisco_ios")]
    assert by_name(crawl.result())["deep"]["discovered"]["not_followed"] == \
        "the limit of 1 logins (discover_limit) was reached"


def test_netbox_knows_a_neighbour_by_its_mac_or_its_address():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, index=index())
    seeds(crawl)
    wanted = crawl.lookups()
    assert "10.9.0.11" in wanted["addresses"] and "00:11:22:33:00:11" in wanted["macs"]
    with pytest.raises(c.CrawlError, match="NetBox has not been asked"):
        crawl.next_level()
    crawl.learn({"10.9.0.11": "old"}, {"00:11:22:33:00:13": "old"})
    learn_all(crawl)
    assert crawl.next_level() == []
    log = dict((e["name"], e) for e in crawl.result()["log"]["candidates"])
    assert (log["new1"]["known_as"], log["new1"]["matched_on"]) == ("NetBox device old", "management address")
    assert (log["out"]["known_as"], log["out"]["matched_on"]) == ("NetBox device old", "chassis ID")


def test_a_login_can_show_the_device_is_in_netbox_after_all():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, index=index())
    seeds(crawl)
    renamed = new1()
    renamed["facts"]["serial"] = "S3"  # NetBox's "old" holds this serial
    run(crawl, {"10.9.0.11": renamed})
    records = by_name(crawl.result())
    assert "new1" not in records and "deep" in records


def test_an_unreachable_netbox_device_that_a_neighbour_reports_is_not_flagged():
    crawl = c.Crawl(["10.9.0.0/16"], 0, CREDS, index=index())
    crawl.add_seed("sw1", state("sw1", [row("Gi1/0/3", "sw3.lab.example.net", "aaaa.0000.0003", "10.250.0.12")]))
    crawl.add_seed("sw3", unreachable("sw3"), error="refused")
    run(crawl, {})
    assert crawl.result()["records"] == []


def test_nothing_is_flagged_when_no_neighbour_table_could_be_read():
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, index=index())
    crawl.add_seed("sw1", state("sw1", [], lldp=False))
    crawl.add_seed("sw3", unreachable("sw3"), error="refused")
    run(crawl, {})
    result = crawl.result()
    assert result["records"] == [] and result["log"]["unseen_judged"] is False


def test_the_unseen_record_names_netbox_and_the_cause():
    crawl = c.Crawl(["10.9.0.0/16"], 0, CREDS, index=index())
    seeds(crawl)
    run(crawl, {})
    rec = by_name(crawl.result())["sw3"]
    assert rec["netbox_value"] == {"name": "sw3", "site": "dc1", "primary_ip4": "10.250.0.12/16", "status": "active"}
    assert rec["evidence"]["netbox_object"]["id"] == 3
    assert rec["message"] == ("NetBox has sw3, but it could not be reached (127.0.0.1:22: connection refused) and none "
                              "of the 2 neighbour tables read reports it")


def test_what_netbox_lacks_is_listed_not_invented():
    idx = index()
    idx.device_types, idx.roles, idx.vrfs = [], [], []
    crawl = c.Crawl(["10.9.0.0/16"], 1, CREDS, role="leaf", index=idx)
    seeds(crawl)
    run(crawl, {"10.9.0.11": new1()})
    netbox = by_name(crawl.result())["new1"]["discovered"]["netbox"]
    assert netbox["missing"] == ["a device type for model C9300-48P", "a role: role leaf is not in NetBox"]
    assert netbox["left_out"] == ["its management address: VRF MGMT is not in NetBox"]
    assert netbox["management"] is None


@pytest.mark.parametrize("allow_list, depth, creds, message", [
    (["10.0.0.0/33"], 1, [], r"discover_allow\[0\] is not an IP prefix"),
    ([], -1, [], "discover_depth must be 0 or more"),
    ([], 1, [{"name": "x"}], r"discover_credentials\[0\] needs a platform"),
    ([], 1, [{"platform": "cisco_ios", "description": "("}], r"discover_credentials\[0\]: missing \)"),
])
def test_bad_settings_are_named(allow_list, depth, creds, message):
    with pytest.raises(c.CrawlError, match=message):
        c.Crawl(allow_list, depth, creds)
