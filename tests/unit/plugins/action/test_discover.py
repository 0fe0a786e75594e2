"""The discover action with NetBox's reads and the SSH sessions replaced by recorders: it
connects only where the engine says (and checks the allow-list again), with the named
credential, parses what it reads, and no secret reaches its result."""

import os
from unittest import mock

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.action import discover
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import netbox as nb
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import direct_cli, fast_collect, netbox_discover

HERE = os.path.dirname(os.path.abspath(__file__))
FABRIC = os.path.join(HERE, "..", "..", "fixtures", "corpus", "arista_eos", "fabrics")
TOKEN = "0123456789abcdef0123456789abcdef01234567"
PASSWORD = "sekrit-discovery-pw"


def seed(name, neighbors):
    model = m.new_device(name, "cisco_ios")
    for section in m.SECTIONS:
        model["sections"][section]["status"] = m.OK
    model.update(facts={"hostname": name}, interfaces={}, vlans={}, neighbors=neighbors)
    return {"device_state": model, "changed": False}


def row(port, name, address, chassis):
    return {"local_port": port, "remote_system": name, "remote_port": "Ethernet1", "chassis_id": chassis,
            "mgmt_address": address, "protocol": "lldp", "system_description": "Arista Networks EOS",
            "capabilities": None}


class Sessions(object):
    """Stands for DirectCli: records every session opened; real Arista output for 10.9.0.11."""

    def __init__(self):
        self.opened = []

    def __call__(self, **options):
        self.opened.append(options)
        test = self

        class Session(object):
            warnings = []

            def __enter__(self):
                if options["host"] == "10.9.0.12":
                    raise direct_cli.DirectCliError("10.9.0.12:22: authentication failed for user discovery "
                                                    "(the device said: %s is wrong)" % options["password"])
                return self

            def __exit__(self, *exc):
                return False

            def run(self, commands):
                with open(os.path.join(FABRIC, "DC1_PE11_show_lldp_neighbors_detail.txt")) as handle:
                    lldp = handle.read()
                with open(os.path.join(FABRIC, "DC1_PE11_show_running-config_sanitized.txt")) as handle:
                    config = handle.read()
                test.commands = commands
                outputs = dict((c, {"error": "% Invalid input"}) for c in commands)
                outputs.update({"show lldp neighbors detail": {"output": lldp}, "show running-config": {"output": config}})
                return outputs
        return Session()


def make_action(args):
    task = mock.MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = False
    connection = mock.MagicMock()
    return discover.ActionModule(task=task, connection=connection, play_context=mock.MagicMock(), loader=None,
                                 templar=None, shared_loader_obj=None)


def run(allow, depth=2, prefixes=("10.9.0.0/16",)):
    args = {"state_var": "collected", "allow": allow, "depth": depth, "url": "http://nb", "token": TOKEN,
            "role": "leaf",
            "credentials": [{"name": "eos", "platform": "arista.eos.eos", "username": "discovery", "password": PASSWORD,
                             "prefixes": list(prefixes), "host_key_checking": False}]}
    task_vars = {"ansible_play_hosts_all": ["sw1", "sw9"], "hostvars": {
        "sw1": {"collected": seed("sw1", [row("Ethernet10", "new1", "10.9.0.11", "0011.2233.0011"),
                                          row("Ethernet11", "new2", "10.9.0.12", "0011.2233.0012"),
                                          row("Ethernet12", "far", "192.168.7.7", "0011.2233.0013")])},
        "sw9": {"collected": {"unreachable": True, "msg": "Failed to connect to the host via ssh"}}}}
    fetcher = mock.MagicMock()
    fetcher.ui_base = "http://nb/"
    fetcher.session.requests, fetcher.session.by_endpoint = 3, {"dcim/devices": 1}
    index = nb.Index([{"name": "sw1", "id": 1, "site": "dc1"}, {"name": "sw9", "id": 9, "site": "dc1"}],
                     roles=[{"slug": "leaf", "name": "Leaf"}], sites=[{"slug": "dc1", "name": "DC1"}])
    sessions = Sessions()
    with mock.patch.object(netbox_discover, "connect", return_value=fetcher), \
            mock.patch.object(netbox_discover, "read_index", return_value=index), \
            mock.patch.object(netbox_discover, "lookup", side_effect=lambda f, a, mm: (dict.fromkeys(a), dict.fromkeys(mm))), \
            mock.patch.object(fast_collect, "PromptCli", side_effect=sessions), \
            mock.patch.object(direct_cli, "HAS_PYLIBSSH", True):
        result = make_action(args).run(task_vars=task_vars)
    return result, sessions


def test_only_allowed_addresses_are_connected_with_the_named_credential():
    result, sessions = run(["10.9.0.0/16"])
    assert sorted((s["host"], s["username"], s["password"], s["network_os"], s["host_key_checking"])
                  for s in sessions.opened) == [("10.9.0.11", "discovery", PASSWORD, "arista_eos", False),
                                                ("10.9.0.12", "discovery", PASSWORD, "arista_eos", False)]
    records = dict((r["device"], r) for r in result["discovery"]["records"])
    first = ["far", "new1", "new2", "sw9"]
    assert sorted(n for n, r in records.items() if (r.get("discovered") or {}).get("depth", 1) == 1) == first
    assert sorted(r["discovered"]["not_followed"].split(" is ")[-1] for n, r in records.items() if n not in first) == \
        ["it advertises no management address"] * 6 + ["outside discover_allow (10.9.0.0/16)"] * 5  # what new1 sees
    # the real capture's Linux hosts send a chassis ID per port: two devices per name, told apart, not plannable
    assert sorted(n for n in records if n.startswith("client1")) == ["client1 (0242.ac64.6408)",
                                                                     "client1 (aac1.ab74.1c72)"]
    assert "a name of its own: 2 devices seen call themselves client1" in \
        records["client1 (0242.ac64.6408)"]["discovered"]["netbox"]["missing"]
    assert len(set(r["id"] for r in records.values())) == len(records)
    assert records["far"]["discovered"]["not_followed"].startswith("its management address 192.168.7.7 is outside")
    assert records["new1"]["discovered"]["source"] == "login"
    assert records["new1"]["discovered"]["neighbours_read"] is True  # the real capture was parsed
    assert records["new2"]["discovered"]["login"]["error"].startswith("10.9.0.12:22: authentication failed")
    assert records["sw9"]["class"] == "missing_on_device"
    assert all(r["id"] and r["severity"] and r["authority"] == "netbox" for r in records.values())
    assert result["netbox_url"] == "http://nb" and "failed" not in result


def test_the_real_capture_leads_one_hop_further():
    result, sessions = run(["10.9.0.0/16", "192.168.255.0/24"], depth=2, prefixes=())
    assert sorted(s["host"] for s in sessions.opened[:2]) == ["10.9.0.11", "10.9.0.12"]  # one level, in threads
    # DC1_PE11's neighbours, seen by new1, advertise 192.168.255.x: followed at depth 2, one login each
    assert sorted(s["host"] for s in sessions.opened[2:]) == ["192.168.255.%d" % n for n in (1, 2, 4, 5, 6)]
    assert len(set(s["host"] for s in sessions.opened)) == len(sessions.opened)


def test_no_secret_reaches_the_result():
    result = run(["10.9.0.0/16"])[0]
    text = repr(result)
    assert PASSWORD not in text and TOKEN not in text and "********" in text


def test_an_engine_that_strays_is_stopped_before_connecting():
    crawl = mock.MagicMock()
    crawl.networks = []
    with pytest.raises(discover.AnsibleActionFail, match="refusing to connect to 10.9.0.11, outside allow"):
        discover.ActionModule._logins(None, crawl, [{"address": "10.9.0.11"}], [], {})
