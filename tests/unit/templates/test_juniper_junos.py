# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the juniper_junos show-command templates on small real-format
snippets and corpus outputs, and their robustness to garbage and truncation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

import corpus
from junos_helpers import COMMANDS, CURLY, PLATFORM, SET, fixture, parse


# --------------------------------------------------------------------------- show version / chassis

@pytest.mark.parametrize("name,facts", [
    ("juniper_junos_show_version.raw", {"hostname": "lab", "model": "mx240", "os_version": "13.3R1.4"}),
    # no `Junos:` line: the first package line with a release
    ("juniper_junos_show_version_ex.raw", {"hostname": "lab", "model": "ex4550-32f", "os_version": "13.2X51-D35.3"}),
    ("juniper_junos_show_version_qfx5100.raw", {"hostname": "asxx.xx.xx", "model": "qfx5100-48t-6q",
                                                "os_version": "21.4R3-S3.4"}),
    # cluster: node0 first
    ("juniper_junos_show_version_srx_cluster.raw", {"hostname": "lab", "model": "srx1500", "os_version": "19.4R3-S1.3"}),
    # build stamps (20220419.9889e6f_builder_stable_11) are not releases
    ("juniper_junos_show_version_vmhost.raw", {"hostname": "MyRouter", "model": "nfx250_att_s1_10_t",
                                               "os_version": "21.1X3.3"}),
])
def test_show_version(name, facts):
    assert parse("show version", fixture("show_version", name)) == {"facts": facts}


@pytest.mark.parametrize("name,facts", [
    ("juniper_junos_show_chassis_hardware4.raw", {"serial": "JN1111111", "model": "MX480"}),
    ("juniper_junos_show_chassis_hardware3.raw", {"serial": "A0000", "model": "JNP204 [MX204]"}),
    ("juniper_junos_show_chassis_hardware_dac_no_revision.raw", {"serial": "XH3123120000", "model": "Virtual Chassis"}),
])
def test_show_chassis_hardware_chassis_row_only(name, facts):
    assert parse("show chassis hardware", fixture("show_chassis_hardware", name)) == {"facts": facts}


# --------------------------------------------------------------------------- LLDP / terse / vlans

def test_lldp_neighbors_parent_lag_and_port_info_with_spaces():
    text = """
        Local Interface    Parent Interface    Chassis Id          Port info          System Name
        xe-0/1/1           ae7                 00:1c:73:ee:c0:46   Ethernet3/29/1     core01.sjc01
        ge-0/0/1           -                   2c:6b:f5:a1:c2:c0   to core 1          vmx2
        ge-0/0/2           -                   2c:6b:f5:a1:c2:c1   00:50:56:ac:4c:d9  linux-host

        {master:0}
    """
    assert corpus.contract(parse("show lldp neighbors", text)) == {"neighbors": [
        {"local_port": "xe-0/1/1", "remote_port": "Ethernet3/29/1", "remote_system": "core01.sjc01", "protocol": "lldp"},
        {"local_port": "ge-0/0/1", "remote_port": "to core 1", "remote_system": "vmx2", "protocol": "lldp"},
        # a MAC as Port info: kept as printed, the normaliser decides
        {"local_port": "ge-0/0/2", "remote_port": "00:50:56:ac:4c:d9", "remote_system": "linux-host",
         "protocol": "lldp"},
    ]}


def test_lldp_neighbors_without_parent_column():
    text = """
        Local Interface    Chassis Id          Port info          System Name
        ge-0/0/1           2c:6b:f5:a1:c2:c0   ge-0/0/1           vmx2
    """
    assert corpus.contract(parse("show lldp neighbors", text)) == {"neighbors": [
        {"local_port": "ge-0/0/1", "remote_port": "ge-0/0/1", "remote_system": "vmx2", "protocol": "lldp"}]}


def test_interfaces_terse_units_and_continuation_lines():
    text = """
        Interface               Admin Link Proto    Local                 Remote
        ge-0/0/0                up    up
        ge-0/0/0.0              up    up   eth-switch
        ge-0/0/8                down  down
        ge-0/0/8.0              up    down eth-switch
        xe-0/2/0.0              up    up   inet     10.1.0.3/31
                                           inet6    2001:db8:1::3/127
                                                    fe80::2e6b:f5ff:fe6d:280c
        irb.10                  up    up   inet     172.16.3.1/24
        lo0.0                   up    up   inet     10.0.0.4              --> 0/0

        {master:0}
    """
    assert parse("show interfaces terse", text) == {"interfaces": [
        {"name": "ge-0/0/0", "oper_status": "up"},
        {"name": "ge-0/0/0.0", "oper_status": "up"},
        {"name": "ge-0/0/8", "oper_status": "down"},
        {"name": "ge-0/0/8.0", "oper_status": "down"},
        {"name": "xe-0/2/0.0", "oper_status": "up"},
        {"name": "irb.10", "oper_status": "up"},
        {"name": "lo0.0", "oper_status": "up"},
    ]}


def test_vlans_els_and_legacy_formats():
    assert parse("show vlans", fixture("show_vlans", "juniper_junos_show_vlans.raw")) == {"vlans": [
        {"name": "v100-Control", "vid": 100}, {"name": "v1005-HelpDesk", "vid": 1005},
        {"name": "v109-TEMP-Project-Data", "vid": 109}]}
    legacy = """
        Name           Tag     Interfaces
        default
                               ge-0/0/0.0*, ge-0/0/1.0
        v100           100     ge-0/0/2.0*
        mgmt
                               me0.0*
        v200           200
    """
    assert parse("show vlans", legacy) == {"vlans": [{"name": "v100", "vid": 100}, {"name": "v200", "vid": 200}]}


# --------------------------------------------------------------------------- robustness

GARBAGE = [
    "",
    "\n\n\n",
    "                  ^\nunknown command.\n",
    "error: syntax error, expecting <command>: configuration\n",
    "\x00\x01\x02 binary \xff junk\n" * 5,
    "interfaces {\n    {\n        unit {\n    }\n}\nset interfaces\nset interfaces  unit  description\n",
    "Chassis\nHostname:\nJUNOS [\nJunos:\n",
    ("x " * 20000) + "\n",
    ("ge-0/0/0 - " + "a " * 5000 + "\n"),
    ("set interfaces ge-0/0/0 unit 0 description " + "a " * 5000 + "\n"),
    ("interfaces {\n    ge-0/0/0 {\n        description " + "a " * 5000 + ";\n    }\n}\n"),
    ("JUNOS " + "a " * 5000 + "[1.2R3\n"),
]

ALL_COMMANDS = COMMANDS + (CURLY,)


@pytest.mark.parametrize("command", ALL_COMMANDS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(command, text):
    corpus.check_garbage(PLATFORM, command, text, cpu_limit=2.0)


def test_empty_and_error_outputs_give_nothing():
    for command in ALL_COMMANDS:
        assert corpus.runner().parse_command(PLATFORM, command, "") == {}
        assert corpus.runner().parse_command(PLATFORM, command, "\nunknown command.\n") == {}


REAL = [
    (CURLY, "show_configuration", "ccp_sample_01.junos"),
    (SET, "show_configuration_pipe_display_set", "netutils_junos_full_sent.set"),
    ("show version", "show_version", "juniper_junos_show_version_srx_cluster.raw"),
    ("show chassis hardware", "show_chassis_hardware", "juniper_junos_show_chassis_hardware4.raw"),
    ("show lldp neighbors", "show_lldp_neighbors", "juniper_junos_show_lldp_neighbors_ae7.raw"),
    ("show vlans", "show_vlans", "juniper_junos_show_vlans.raw"),
]


@pytest.mark.parametrize("command,folder,name", REAL, ids=[r[0] for r in REAL])
def test_truncated_output_gives_partial_result(command, folder, name):
    corpus.check_truncation(PLATFORM, command, fixture(folder, name))


def test_every_command_of_the_platform_file_has_a_template():
    spec = corpus.check_platform_file(PLATFORM, COMMANDS)
    # `show configuration` (curly braces) is not collected but has a template too
    assert os.path.exists(corpus.runner().template_path(PLATFORM, CURLY))
    assert spec["defaults"]["default_mtu"] == 1514
    assert spec["defaults"]["switchport_default"] is False
    assert spec["defaults"]["vlan_members_additive"] is True


def test_the_two_configuration_templates_share_one_merge_macro():
    runner = corpus.runner()

    def macro(command):
        with open(runner.template_path(PLATFORM, command)) as handle:
            text = handle.read()
        return text[text.index("<macro>"):text.index("</macro>")]

    assert macro(CURLY) == macro(SET)
