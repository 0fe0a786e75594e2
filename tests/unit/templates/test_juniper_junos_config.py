# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the juniper_junos configuration templates on real-format
configurations, in both syntaxes (`show configuration` and `| display set`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from textwrap import dedent

from junos_helpers import CURLY, SET, both, config, curly_to_set, fixture, parse


# --------------------------------------------------------------------------- configuration

ELS = config("els_switch.conf")

ELS_RESULT = {
    "facts": {"hostname": "dc1-junos-04"},
    "interfaces": [
        {"name": "ge-0/0/0", "description": "desk 01 | room  2"},
        {"name": "ge-0/0/0.0", "switchport": True, "mode": "access", "trunk_vlans": ["USERS"]},
        {"name": "ge-0/0/1", "description": "unused", "shutdown": True},
        {"name": "ge-0/0/1.0", "switchport": True},
        {"name": "ge-0/0/36", "description": "lag member", "lag": "ae0"},
        {"name": "ge-0/0/37", "lag": "ae0"},
        {"name": "ge-0/0/38", "native_vlan": 99},
        {"name": "ge-0/0/38.0", "switchport": True, "mode": "trunk", "trunk_vlans": ["10", "VOICE", "30-40"]},
        {"name": "xe-0/2/0", "mtu": 9100},
        {"name": "xe-0/2/0.0", "description": "p2p unit", "ipv4": ["10.1.0.1/31", "10.1.0.9/31"],
         "ipv6": ["2001:db8:1::1/127"]},
        {"name": "xe-0/2/0.2", "shutdown": True, "ipv4": ["198.51.100.1/24"], "vrf": "CUSTOMER-A"},
        {"name": "xe-0/2/2.0", "switchport": True, "mode": "trunk", "trunk_vlans": ["all"]},
        {"name": "ae0", "description": "lag to core", "mtu": 9100},
        {"name": "ae0.0", "switchport": True, "mode": "trunk", "trunk_vlans": ["USERS", "VOICE"]},
        {"name": "irb.10", "description": "users gateway", "ipv4": ["172.16.0.1/24"]},
        {"name": "lo0.0", "ipv4": ["10.0.0.4/32"]},
        # in a routing instance but not configured under interfaces; ge-0/0/38.0 in
        # mac-vrf EVPN-1 gets no vrf (a Layer 2 instance is not a VRF)
        {"name": "ge-0/0/9.0", "vrf": "CUSTOMER-A"},
    ],
    "vlans": [
        {"name": "USERS", "vid": 10, "l3_interface": "irb.10"},
        {"name": "VOICE", "vid": 20},
    ],
}


def test_els_switch_curly_braces():
    assert parse(CURLY, ELS) == ELS_RESULT


def test_els_switch_display_set_gives_the_same_result():
    flat = curly_to_set(dedent(ELS).lstrip("\n"))
    assert "deactivate interfaces xe-0/2/3" in flat.splitlines()
    assert "deactivate interfaces xe-0/2/0 unit 1" in flat.splitlines()
    assert "set interfaces ge-0/0/38 unit 0 family ethernet-switching vlan members VOICE" in flat.splitlines()
    assert parse(SET, flat) == ELS_RESULT


def test_display_set_address_with_options_and_ordering():
    text = """
        set system host-name r1
        set interfaces ge-0/0/2 unit 0 family inet address 10.0.0.1/24 vrrp-group 1 virtual-address 10.0.0.254
        set interfaces ge-0/0/2 unit 0 family inet address 10.0.0.1/24 vrrp-group 1 priority 200
        set interfaces ge-0/0/2 unit 0 family inet6 address 2001:db8::1/64 primary
        set interfaces ge-0/0/2 description "set after the unit"
        set interfaces ge-0/0/3 unit 0 family ethernet-switching storm-control default
        set interfaces interface-range ACCESS member ge-0/0/4
        set interfaces interface-range ACCESS unit 0 family ethernet-switching vlan members USERS
        set vlans default vlan-id 1
    """
    assert parse(SET, text) == {
        "facts": {"hostname": "r1"},
        "interfaces": [
            {"name": "ge-0/0/2", "description": "set after the unit"},
            {"name": "ge-0/0/2.0", "ipv4": ["10.0.0.1/24"], "ipv6": ["2001:db8::1/64"]},
            {"name": "ge-0/0/3.0", "switchport": True},
        ],
        "vlans": [{"name": "default", "vid": 1}],
    }


def test_management_instance_puts_the_management_port_in_mgmt_junos():
    text = """
        system {
            host-name mx1;
            management-instance;
        }
        interfaces {
            ge-0/0/0 {
                unit 0 {
                    family inet {
                        address 10.1.0.0/31;
                    }
                }
            }
            fxp0 {
                description oob;
                unit 0 {
                    family inet {
                        address 10.250.0.1/24;
                    }
                }
            }
        }
        routing-instances {
            mgmt_junos {
                description "Management VRF";
            }
        }
    """
    assert both(dedent(text).lstrip("\n")) == {
        "facts": {"hostname": "mx1"},
        "interfaces": [
            {"name": "ge-0/0/0.0", "ipv4": ["10.1.0.0/31"]},
            {"name": "fxp0", "description": "oob"},
            {"name": "fxp0.0", "ipv4": ["10.250.0.1/24"], "vrf": "mgmt_junos"},
        ],
    }


def test_legacy_ex_port_mode_corpus_config():
    text = fixture("show_configuration", "ccp_sample_01.junos")
    assert both(text) == {
        "facts": {"hostname": "TEST01_EX"},
        "interfaces": [
            {"name": "ge-0/0/0.0", "switchport": True, "mode": "access", "trunk_vlans": ["VLAN_FOO"]},
            # pre-ELS: native-vlan-id inside family ethernet-switching
            {"name": "ge-0/0/1.0", "switchport": True, "mode": "trunk", "trunk_vlans": ["all"], "native_vlan": 1},
            {"name": "vlan.0", "ipv4": ["172.16.15.5/22"]},
        ],
        "vlans": [
            {"name": "Management", "vid": 1},
            {"name": "VLAN_FOO", "vid": 5},
            {"name": "vlan1", "vid": 1, "l3_interface": "vlan.1"},
            {"name": "vlan800", "vid": 800},
        ],
    }


# The netutils `display set` corpus file, written out in curly braces by hand (Junos
# order and indentation, fixtures/junos_configs/netutils_router.conf);
# test_netutils_curly_translation_is_exact checks, with curly_to_set, that it is
# exactly the corpus file.
NETUTILS_CURLY = config("netutils_router.conf")

NETUTILS_RESULT = {
    "facts": {"hostname": "nyc-rtr-01"},
    "interfaces": [
        {"name": "ge-0/0/0.0", "ipv4": ["10.10.0.21/30"]},
        {"name": "ge-0/0/1.0", "ipv4": ["10.10.0.25/30"]},
        # `set interfaces ge-0/0/2 unit 0 family inet` (no address yet): the unit exists
        {"name": "ge-0/0/2.0"},
        {"name": "ge-0/0/3.0", "ipv4": ["10.11.11.5/30"]},
        {"name": "ge-0/0/4.0"}, {"name": "ge-0/0/5.0"}, {"name": "ge-0/0/6.0"}, {"name": "ge-0/0/7.0"},
        {"name": "fxp0.0", "description": "MANAGEMENT_INTEFACE__DO_NOT_CHANGE", "ipv4": ["10.0.0.15/24"]},
        {"name": "lo0.0", "ipv4": ["10.0.20.1/32"]},
    ],
}


def test_netutils_curly_translation_is_exact():
    assert curly_to_set(NETUTILS_CURLY.lstrip("\n")) == fixture(
        "show_configuration_pipe_display_set", "netutils_junos_full_sent.set") + "\n"


def test_router_corpus_config_display_set():
    text = fixture("show_configuration_pipe_display_set", "netutils_junos_full_sent.set")
    assert parse(SET, text) == NETUTILS_RESULT


def test_router_corpus_config_curly_gives_the_same_result():
    assert both(NETUTILS_CURLY.lstrip("\n")) == NETUTILS_RESULT
