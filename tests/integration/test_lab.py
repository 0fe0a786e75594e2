"""Lab self-test: NetBox answers with the dataset, the inventory lists every device from
NetBox with what network_cli needs, and every device answers its commands."""

import json

import yaml

from conftest import ROOT, STATE, VENV_BIN, playbook, run


def test_netbox_holds_the_dataset(lab):
    from lab import netbox_load

    env = dict(line.split("=", 1) for line in (STATE / "env").read_text().split())
    assert env["NETBOX_API"] == lab["api_url"]
    assert netbox_load.verify(env["NETBOX_API"], env["NETBOX_TOKEN"], lab["netbox_view"]) == {}


def plain(value):
    """ansible-inventory marks values from the source as ``{"__ansible_unsafe": v}``."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def test_inventory_lists_every_device_with_network_cli_vars(lab):
    out = run([VENV_BIN / "ansible-inventory", "-i", STATE / "inventory.yml", "--list"]).stdout
    hostvars = plain(json.loads(out)["_meta"]["hostvars"])
    devices = {d["name"]: d for d in lab["netbox_view"]["devices"]}
    assert set(hostvars) == set(devices)
    network_os = {"cisco_ios": "cisco.ios.ios", "cisco_nxos": "cisco.nxos.nxos",
                  "arista_eos": "arista.eos.eos", "juniper_junos": "junipernetworks.junos.junos"}
    for name, host in hostvars.items():
        device = devices[name]
        assert host["ansible_network_os"] == network_os[device["platform"]]
        assert host["serial"] == device["serial"]
        assert host["primary_ip4"] == device["primary_ip4"].split("/")[0]
        assert host["ansible_port"] == lab["ports"][name]
        assert host["ansible_connection"] == "ansible.netcommon.network_cli"
    token = dict(line.split("=", 1) for line in (STATE / "env").read_text().split())["NETBOX_TOKEN"]
    assert token not in out


def test_every_device_answers_every_command_over_network_cli(lab, tmp_path):
    from lab import render

    commands = {}
    for spec_file in (ROOT / "templates" / "ttp").glob("*.yml"):
        spec = yaml.safe_load(spec_file.read_text())
        commands[spec["network_os"][0]] = [c["command"] for c in spec["commands"]]
    extra = tmp_path / "vars.json"
    extra.write_text(json.dumps({"lab_commands": commands, "lab_commands_out": str(tmp_path)}))
    playbook(ROOT / "tests" / "integration" / "playbooks" / "lab_commands.yml", "-e", f"@{extra}")
    for device in lab["device_view"]["devices"]:
        answered = json.loads((tmp_path / f"{device['name']}.json").read_text())
        rendered = render.render(device, lab["device_view"])
        assert set(answered) == set(commands[network_os_of(device)])
        for command, output in answered.items():
            assert output.strip() == rendered[command].strip(), (device["name"], command)


def network_os_of(device):
    return {"cisco_ios": "cisco.ios.ios", "cisco_nxos": "cisco.nxos.nxos",
            "arista_eos": "arista.eos.eos", "juniper_junos": "junipernetworks.junos.junos"}[device["platform"]]


def test_expected_drift_is_the_scenario_ground_truth(lab):
    from lab import dataset, scenario

    expected = scenario.apply(dataset.generate(lab["devices"]), scenario.load(lab["scenario"]))[2]
    assert lab["expected"] == expected
    assert {"device", "kind", "key", "field", "class"} <= set(lab["expected"][0])
