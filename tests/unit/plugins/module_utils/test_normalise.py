"""The normaliser on a small made-up platform: merging, defaults, failures."""

import textwrap

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise

pytest.importorskip("ttp")

PLATFORM = """
platform: testos
network_os: [test.os.testos]
commands:
  - {command: show config, sections: [facts, interfaces, vlans]}
  - {command: show status, sections: [interfaces], optional: true}
  - {command: show lldp, sections: [neighbors]}
defaults:
  default_mtu: 1500
  enabled: true
  lag_name: "Port-channel{}"
  switchport_default: true
  switchport_mode: access
  access_vlan: 1
  native_vlan: 1
  never_switchport: [Loopback, Vlan, Port-channel]
"""
CONFIG_TEMPLATE = """
<group name="facts">
hostname {{ hostname }}
</group>
<group name="interfaces">
interface {{ name }}
 description {{ description | re(".+") }}
 shutdown {{ shutdown | set(True) }}
 no shutdown {{ no_shutdown | set(True) }}
 mtu {{ mtu | to_int }}
 no switchport {{ switchport | set(False) }}
 switchport mode {{ mode }}
 switchport access vlan {{ access_vlan | to_int }}
 switchport trunk native vlan {{ native_vlan | to_int }}
 switchport trunk allowed vlan {{ trunk_vlans | re(".+") | to_list | joinmatches }}
 channel-group {{ channel_group | to_int }} mode active
 ip address {{ ipv4 | to_list | joinmatches }}
 ip address {{ ipv4 | PHRASE | exclude("secondary") | to_list | joinmatches }}
 ip address {{ ipv4_secondary | PHRASE | to_list | joinmatches }} secondary
</group>
<group name="vlans">
vlan {{ vid | to_int }}
 name {{ name }}
</group>
"""
STATUS_TEMPLATE = """
<group name="interfaces">
{{ name }} {{ oper_status }}
</group>
"""
LLDP_TEMPLATE = """
<group name="neighbors">
{{ local_port }} {{ remote_system }} {{ remote_port }} {{ remote_port_description }}
</group>
"""
CONFIG = textwrap.dedent("""\
    hostname sw1
    vlan 10
     name USERS
    vlan 20
     name VOICE
    interface GigabitEthernet1/0/1
     description desk 1
     switchport mode access
     switchport access vlan 10
    interface GigabitEthernet1/0/2
     shutdown
    interface GigabitEthernet1/0/3
     switchport mode trunk
     switchport trunk allowed vlan 10,20
     switchport trunk allowed vlan add 30-31
    interface GigabitEthernet1/0/4
     switchport mode trunk
     switchport trunk native vlan 99
    interface GigabitEthernet1/0/5
     description member
     channel-group 1 mode active
    interface GigabitEthernet1/0/6
     no switchport
     mtu 9100
     ip address 10.0.0.1 255.255.255.254
     ip address 10.9.9.1 255.255.255.0 secondary
    interface Port-channel1
     switchport mode trunk
     switchport trunk allowed vlan none
    interface Loopback0
     ip address 10.255.0.1/32
""")


@pytest.fixture()
def template_dir(tmp_path):
    (tmp_path / "testos.yml").write_text(PLATFORM)
    (tmp_path / "testos_show_config.ttp").write_text(CONFIG_TEMPLATE)
    (tmp_path / "testos_show_status.ttp").write_text(STATUS_TEMPLATE)
    (tmp_path / "testos_show_lldp.ttp").write_text(LLDP_TEMPLATE)
    return str(tmp_path)


def build(template_dir, **outputs):
    defaults = {
        "show config": {"output": CONFIG},
        "show status": {"output": "Gi1/0/1 connected\nGi1/0/2 disabled\nGi1/0/9 notconnect\n"},
        "show lldp": {"output": "Gi1/0/3 sw2.example.net(FOC123) 00:11:22:33:44:55 Ethernet1\n"},
    }
    defaults.update(outputs)
    return normalise.build("sw1", "testos", defaults, template_dir=template_dir)


def test_interfaces_with_platform_defaults(template_dir):
    ifaces = build(template_dir)["interfaces"]
    assert ifaces["GigabitEthernet1/0/1"]["mode"] == "access"
    assert ifaces["GigabitEthernet1/0/1"]["access_vlan"] == 10
    assert ifaces["GigabitEthernet1/0/1"]["oper_status"] == "connected"
    assert ifaces["GigabitEthernet1/0/2"]["enabled"] is False
    assert ifaces["GigabitEthernet1/0/2"]["access_vlan"] == 1  # silent access port: VLAN 1
    assert ifaces["GigabitEthernet1/0/3"]["tagged_vlans"] == [10, 20, 30, 31]
    assert ifaces["GigabitEthernet1/0/4"]["tagged_vlans"] == "all"
    assert ifaces["GigabitEthernet1/0/4"]["native_vlan"] == 99
    assert ifaces["Port-channel1"]["tagged_vlans"] == []


def test_lag_member_routed_port_and_addresses(template_dir):
    ifaces = build(template_dir)["interfaces"]
    member = ifaces["GigabitEthernet1/0/5"]
    assert (member["lag"], member["mode"]) == ("Port-channel1", None)
    routed = ifaces["GigabitEthernet1/0/6"]
    assert (routed["mode"], routed["mtu"]) == ("routed", 9100)
    assert routed["ipv4"] == ["10.0.0.1/31", "10.9.9.1/24"]
    assert ifaces["Loopback0"]["mode"] == "routed"


def test_status_only_interfaces_are_not_configured_interfaces(template_dir):
    assert "GigabitEthernet1/0/9" not in build(template_dir)["interfaces"]


def test_facts_vlans_and_neighbors(template_dir):
    state = build(template_dir)
    assert state["facts"]["hostname"] == "sw1"
    assert state["vlans"]["10"] == {"vid": 10, "name": "USERS", "dynamic": False}
    assert state["neighbors"] == [{
        "local_port": "GigabitEthernet1/0/3", "remote_system": "sw2.example.net",
        "remote_port": "Ethernet1", "mgmt_address": None, "protocol": "lldp",
        "chassis_id": None, "system_description": None, "capabilities": None,
    }]
    assert all(s["status"] == "ok" for s in state["sections"].values())


@pytest.mark.parametrize("result, message", [
    ({"output": "% Invalid input detected at '^' marker.\n"}, "not recognised"),
    ({"output": "   \n"}, "returned nothing"),
    ({"error": "command timeout triggered"}, "command timeout triggered"),
])
def test_failed_config_fails_its_sections_and_leaves_them_null(template_dir, result, message):
    state = build(template_dir, **{"show config": result})
    for section in ("facts", "interfaces", "vlans"):
        assert state["sections"][section]["status"] == "failed"
        assert state[section] is None
        assert message in state["sections"][section]["errors"][0]
    assert state["sections"]["neighbors"]["status"] == "ok"


def test_optional_command_failure_is_only_a_warning(template_dir):
    state = build(template_dir, **{"show status": {"error": "rejected"}})
    assert state["sections"]["interfaces"]["status"] == "ok"
    assert "rejected" in state["sections"]["interfaces"]["warnings"][0]
    assert state["interfaces"]["GigabitEthernet1/0/1"]["oper_status"] is None


def test_bad_vlan_list_fails_the_section_with_its_reason(template_dir):
    broken = CONFIG.replace("allowed vlan 10,20", "allowed vlan 10,BAD")
    state = build(template_dir, **{"show config": {"output": broken}})
    assert state["interfaces"] is None
    assert "not a VLAN list" in state["sections"]["interfaces"]["errors"][0]


def test_unknown_platform_names_the_supported_ones(template_dir):
    with pytest.raises(normalise.PlatformError, match="testos"):
        normalise.build("sw1", "nope", {}, template_dir=template_dir)


def test_a_device_with_no_neighbour_at_all_is_verified_with_none():
    """EOS prints `Interface X detected 0 LLDP neighbors:` for every port, IOS and NX-OS
    `Total entries displayed: 0`: an empty neighbour table, not an unrecognised output."""
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands as plan_of
    for platform, command, text in (
            ("arista_eos", "show lldp neighbors detail",
             "Interface Ethernet1 detected 0 LLDP neighbors:\n\nInterface Management1 detected 0 LLDP neighbors:\n\n"),
            ("cisco_ios", "show lldp neighbors detail", "\nTotal entries displayed: 0\n\n"),
            ("cisco_nxos", "show lldp neighbors detail", "\nTotal entries displayed: 0\n")):
        spec = normalise.load_platform(platform)
        entry = [e for e in plan_of.plan(spec) if e["command"] == command]
        state = normalise.build("sw1", platform, {command: {"output": text}}, spec=spec, plan=entry)
        assert state["sections"]["neighbors"]["status"] == "ok", (platform, state["sections"]["neighbors"])
        assert state["neighbors"] == []
    spec = normalise.load_platform("arista_eos")
    entry = [e for e in plan_of.plan(spec) if e["command"] == "show lldp neighbors detail"]
    garbage = normalise.build("sw1", "arista_eos", {"show lldp neighbors detail": {"output": "% Invalid input\n"}},
                              spec=spec, plan=entry)
    assert garbage["sections"]["neighbors"]["status"] == "failed"
