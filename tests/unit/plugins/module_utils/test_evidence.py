"""Evidence: the device's own lines behind a drift record, found without vendor syntax."""

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import evidence

CONFIG = """\
interface GigabitEthernet1/0/2
 description desk 02
 switchport access vlan 20
!
interface GigabitEthernet1/0/20
 description desk 20
!
vlan 10
 name USERS
"""
SPEC = {"commands": [{"command": "show interfaces status", "sections": ["interfaces"], "optional": True},
                     {"command": "show running-config", "sections": ["interfaces", "vlans"]}]}


def test_block_under_the_matching_line_only():
    assert evidence.lines(CONFIG, ["GigabitEthernet1/0/2"]) == [
        "interface GigabitEthernet1/0/2", " description desk 02", " switchport access vlan 20"]
    assert evidence.lines(CONFIG, ["GigabitEthernet1/0/3"]) == []
    assert evidence.lines(CONFIG, ["10"], require="vlan") == ["vlan 10", " name USERS"]
    assert len(evidence.lines(CONFIG * 20, ["desk"], limit=5)) == 5


def test_collect_prefers_the_configuration_and_names_the_template():
    outputs = {"show running-config": {"output": CONFIG},
               "show interfaces status": {"output": "Gi1/0/2   desk 02   connected 20"}}
    rec = {"kind": "interface", "key": "Gi1/0/2", "field": "untagged_vlan", "device_value": 20}
    found = evidence.collect(rec, outputs, SPEC, "cisco_ios")
    assert found["command"] == "show running-config"
    assert found["template"] == "cisco_ios_show_running-config.ttp"
    assert " switchport access vlan 20" in found["device_lines"]
    missing = evidence.collect(dict(rec, key="Gi9/9/9"), outputs, SPEC, "cisco_ios")
    assert missing["device_lines"] == [] and missing["command"] == "show running-config"


def test_a_detail_record_with_blank_lines_stays_whole():
    text = ("Interface Ethernet43 detected 1 LLDP neighbors:\n\n  Neighbor 5254.0000.0001/\"Te1/1/3\"\n"
            "    - System Name: \"dc2-ios-03\"\n\nInterface Ethernet44 detected 1 LLDP neighbors:\n  x\n")
    assert evidence.lines(text, ["Ethernet43"]) == [
        "Interface Ethernet43 detected 1 LLDP neighbors:", "  Neighbor 5254.0000.0001/\"Te1/1/3\"",
        "    - System Name: \"dc2-ios-03\""]


def test_evidence_comes_from_the_command_that_answered():
    """The LLDP detail was refused and the brief table answered (a fallback): the evidence
    is the brief table's line, read by its own template."""
    brief = "Port       Neighbor Device ID   Neighbor Port ID   TTL\nEt43       dc2-ios-03           Te1/1/3            120\n"
    outputs = {"show lldp neighbors detail": {"error": "% Invalid input"},
               "show lldp neighbors": {"output": brief}}
    used = [{"command": "show lldp neighbors detail", "answered_by": "show lldp neighbors",
             "template": "arista_eos_show_lldp_neighbors.ttp", "sections": ["neighbors"], "optional": False,
             "error": None}]
    rec = {"kind": "cable", "key": "Ethernet43", "field": "peer", "device_value": {"device": "dc2-ios-03"}}
    found = evidence.collect(rec, outputs, {"commands": []}, "arista_eos", used=used)
    assert found == {"command": "show lldp neighbors", "template": "arista_eos_show_lldp_neighbors.ttp",
                     "device_lines": ["Et43       dc2-ios-03           Te1/1/3            120"]}
