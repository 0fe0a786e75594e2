"""The collector's command plan in a session: fallbacks only for what failed, in the same
session; the snapshot keeps what answered and the offline parse of it gives the same model.
The device here answers real outputs (ntc-templates and netutils fixtures) by command and
the IOS error text for anything else, as the lab's emulated devices do."""

import contextlib
import os

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.action import device_state as network_cli
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import fast_collect as fast
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise, snapshot
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector

# the action plugins are imported here, at collection, before another test module installs
# Ansible's collection loader (after which a first import of them would fail)

pytest.importorskip("ttp")

CORPUS = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "corpus"))
REFUSED = "% Invalid input detected at '^' marker."


def read(*parts):
    with open(os.path.join(CORPUS, *parts)) as handle:
        return handle.read()


class Device:
    """Real outputs by command; every session and every batch of commands is recorded."""

    def __init__(self, outputs):
        self.outputs, self.sessions, self.batches = outputs, 0, []

    @contextlib.contextmanager
    def session(self):
        self.sessions += 1
        yield self.run

    def run(self, commands):
        self.batches.append(list(commands))
        return dict((c, {"output": self.outputs[c]} if c in self.outputs else {"error": REFUSED}) for c in commands)


def ios_device():
    return Device({
        "show version": read("cisco_ios", "show_version", "cisco_ios_show_version4.raw"),
        "show running-config": read("cisco_ios", "show_running-config", "netutils_ios_full_sent.txt"),
        "show inventory": read("cisco_ios", "show_inventory", "cisco_ios_show_inventory.raw"),
        "show lldp neighbors detail": read("cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail5.raw"),
        "show lldp neighbors": read("cisco_ios", "show_lldp_neighbors", "cisco_ios_show_lldp_neighbors.raw"),
        "show cdp neighbors detail": read("cisco_ios", "show_cdp_neighbors_detail", "cisco_ios_show_cdp_neighbors_detail.raw"),
        "show vlan brief": read("cisco_ios", "show_vlan", "cisco_ios_show_vlan.raw"),  # same first table
    })  # no `show interfaces status`: a router (and one from another device would not agree with this config)


def spec():
    return collector.platform_specs()["cisco_ios"]


def test_no_fallback_runs_when_every_command_answers():
    device = ios_device()
    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    outputs = collector.run_plan(device.run, plan)
    assert device.batches == [[e["command"] for e in spec()["commands"]]]  # the refused status listing has no fallback
    assert "show lldp neighbors" not in outputs  # the brief form was not asked for


def test_fallbacks_run_once_in_the_same_session_for_refused_commands(tmp_path):
    device = ios_device()
    del device.outputs["show lldp neighbors detail"]
    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    result = collector.collect("sw1", "cisco_ios", spec(), device.session,
                               {"snapshot_dir": str(tmp_path), "run_id": "r1"}, "test", plan)
    assert device.sessions == 1
    assert device.batches[1:] == [["show lldp neighbors"]]
    state = result["device_state"]
    assert state["sections"]["neighbors"]["status"] == "ok"
    assert [c["answered_by"] for c in state["commands"] if c["command"] == "show lldp neighbors detail"] == [
        "show lldp neighbors"]
    # the snapshot keeps the refusal and the answer: the offline parse finds the same model
    outputs, manifest = snapshot.read_outputs(result["snapshot"])
    assert outputs["show lldp neighbors detail"] == {"error": REFUSED}
    again = normalise.build("sw1", "cisco_ios", outputs, spec=spec(), plan=plan)
    for key in ("sections", "facts", "interfaces", "vlans", "neighbors", "commands", "detected_platform"):
        assert again[key] == state[key], key


def test_a_device_that_cannot_be_reached_fails_every_section():
    class Unreachable:
        def __enter__(self):
            raise collector.CollectError("10.0.0.1:22: connection refused")

        def __exit__(self, *exc):
            return False

    session = Unreachable

    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    state = collector.collect("sw1", "cisco_ios", spec(), session, {}, "test", plan)["device_state"]
    for info in state["sections"].values():
        assert info["status"] == "failed" and "connection refused" in info["errors"][0]


def test_the_commands_option_is_applied_for_the_devices_platform_only():
    option = {"cisco_ios": [{"command": "more system:running-config", "replaces": "show running-config"}],
              "arista_eos": ["show ip interface brief"]}
    plan = collector.plan("sw1", "cisco_ios", spec(), {"commands": option})
    assert [e["command"] for e in plan][2] == "more system:running-config"
    assert "show ip interface brief" not in [e["command"] for e in plan]
    device = ios_device()
    device.outputs["more system:running-config"] = device.outputs.pop("show running-config")
    state = collector.collect("sw1", "cisco_ios", spec(), device.session, {}, "test", plan)["device_state"]
    assert state["sections"]["interfaces"]["status"] == "ok"
    assert state["sections"]["interfaces"]["commands"][0] == "more system:running-config"


@pytest.mark.parametrize("option,message", [
    (["show ip route"], "sw1: the commands option is a dict of command lists keyed by platform, not list"),
    ({"cisco_xr": ["show ip route"]},
     "sw1: commands: unknown platform(s) cisco_xr (known: arista_eos, cisco_ios, cisco_nxos, juniper_junos)"),
    ({"cisco_ios": [{"command": "show run", "replaces": "show run all"}]},
     "sw1: commands: cisco_ios[0]: replaces 'show run all', which is not a command of cisco_ios"),
])
def test_an_unusable_commands_option_names_the_host_and_the_entry(option, message):
    with pytest.raises(collector.InvalidCommands) as caught:
        collector.plan("sw1", "cisco_ios", spec(), {"commands": option})
    assert str(caught.value).startswith(message)
    result = collector.invalid({}, caught.value)
    assert result["failed"] and result["invalid_option"] == "commands" and result["msg"].startswith(message)


def test_the_fast_transport_keeps_prompts_and_stops_after_a_timeout():
    """device_state_fast's DirectCli: each output keeps the prompt that ended it; after a
    timeout DirectCli sends nothing more (its own rule) and no fallback batch follows."""
    from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.cli_receive import CommandTimeout

    device = ios_device()
    del device.outputs["show lldp neighbors detail"]  # refused: its fallback would be due
    cli = fast.PromptCli("10.0.0.1", 22, "netops", "secret", "cisco.ios.ios", host_key_checking=False)
    sent = []

    def send(command, *args, **kwargs):  # what DirectCli._send returns for the device
        command = command.decode()
        sent.append(command)
        if command == "show cdp neighbors detail":
            raise CommandTimeout()
        cli._matched_prompt = b"\njcy-bb-01#"
        result = device.run([command])[command]
        if "error" in result:
            from ansible.errors import AnsibleConnectionFailure
            raise AnsibleConnectionFailure(result["error"])
        return result["output"]

    cli._send, cli._chan = send, "open"  # a session as DirectCli.open leaves it
    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    outputs = collector.run_plan(fast.run_in(cli), plan)
    assert outputs["show version"]["prompt"] == outputs["show running-config"]["prompt"] == "jcy-bb-01#"
    assert outputs["show lldp neighbors detail"] == {"error": REFUSED}
    assert outputs["show cdp neighbors detail"]["halted"].endswith("the commands after it were not sent")
    assert sent == [e["command"] for e in spec()["commands"]]  # no `show lldp neighbors` after the timeout


class Connection:
    """network_cli's Connection.get: real outputs, the same refusal text for any other command."""

    def __init__(self, device):
        self.device = device

    def get(self, command):
        from ansible.module_utils.connection import ConnectionError as AnsibleConnectionError

        if command not in self.device.outputs:
            raise AnsibleConnectionError(REFUSED)
        return self.device.outputs[command]


def test_two_fallbacks_refused_alike_are_not_an_unreachable_device():
    device = ios_device()
    for command in ("show lldp neighbors detail", "show lldp neighbors", "show vlan brief"):
        del device.outputs[command]
    run = network_cli._run_over(Connection(device))
    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    outputs = collector.run_plan(run, plan)
    assert outputs["show vlan"]["error"] == outputs["show lldp neighbors"]["error"] == REFUSED
    assert "output" in outputs["show running-config"]
    with pytest.raises(collector.CollectError):  # refused twice before any answer in the first batch
        network_cli._run_over(Connection(Device({})))(["show version", "show inventory"])


class SlowConnection(Connection):
    def get(self, command):
        from ansible.module_utils.connection import ConnectionError as AnsibleConnectionError

        if command == "show interfaces status":
            raise AnsibleConnectionError("command timeout triggered, timeout value is 30 secs.")
        return super(SlowConnection, self).get(command)


def test_over_network_cli_nothing_more_is_sent_after_a_timeout():
    device = ios_device()
    del device.outputs["show lldp neighbors detail"]
    plan = collector.plan("sw1", "cisco_ios", spec(), {})
    outputs = collector.run_plan(network_cli._run_over(SlowConnection(device)), plan)
    assert outputs["show interfaces status"]["halted"]
    assert outputs["show lldp neighbors detail"]["error"].startswith("not run: the device did not answer")
    assert "show lldp neighbors" not in outputs
