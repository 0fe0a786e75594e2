# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact results of the juniper_junos templates on small real-format snippets, and the
property that `show configuration` and `show configuration | display set` of one
configuration give the same result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus

PLATFORM = "juniper_junos"
CURLY = "show configuration"
SET = "show configuration | display set"
COMMANDS = (
    "show version", "show chassis hardware", SET, "show vlans",
    "show interfaces terse", "show lldp neighbors",
)
FIXTURES = os.path.join(corpus.FIXTURES, PLATFORM)


def parse(command, text):
    return corpus.runner().parse_command(PLATFORM, command, dedent(text).lstrip("\n"))


def fixture(folder, name):
    with open(os.path.join(FIXTURES, folder, name)) as handle:
        return handle.read()


def by_name(result):
    return dict((r["name"], r) for r in result.get("interfaces", []))


def curly_to_set(text):
    """`show configuration` -> `show configuration | display set`, the way Junos prints it:
    one `set` line per leaf, `[ a b ]` lists one line per value, an empty block as a
    bare `set` line, `inactive:` as a `deactivate` line after the statements it covers.
    Test helper, independent of the templates."""
    out, path, inactive, starts = [], [], [], []
    for raw in text.splitlines():
        line = raw.strip()
        if " ## " in line:
            line = line.split(" ## ")[0].rstrip()
        if not line or line.startswith(("#", "/*")):
            continue
        flag = line.startswith("inactive: ")
        if flag:
            line = line[len("inactive: "):]
        if line.endswith("{"):
            path.append(line[:-1].strip())
            inactive.append(flag)
            starts.append(len(out))
        elif line == "}":
            if starts.pop() == len(out):
                out.append("set " + " ".join(path))
            if inactive.pop():
                out.append("deactivate " + " ".join(path))
            path.pop()
        elif line.endswith(";"):
            stmt = line[:-1]
            if " [ " in stmt and stmt.endswith(" ]"):
                head, _sep, items = stmt[:-2].partition(" [ ")
                out.extend("set " + " ".join(path + [head, item]) for item in items.split())
            else:
                out.append("set " + " ".join(path + [stmt]))
            if flag:
                out.append("deactivate " + " ".join(path + [stmt]))
    return "\n".join(out) + "\n"


def both(curly_text):
    """Parse one configuration in both syntaxes; they must agree."""
    curly = corpus.runner().parse_command(PLATFORM, CURLY, curly_text)
    flat = corpus.runner().parse_command(PLATFORM, SET, curly_to_set(curly_text))
    assert curly == flat
    return curly


# --------------------------------------------------------------------------- configuration

ELS = """
    ## Last commit: 2026-01-06 09:12:44 UTC by admin
    version 22.4R3-S2.11;
    system {
        host-name dc1-junos-04;
        login {
            message "interfaces { are not here }";
        }
    }
    interfaces {
        ge-0/0/0 {
            description "desk 01 | room  2";
            unit 0 {
                family ethernet-switching {
                    interface-mode access;
                    vlan {
                        members USERS;
                    }
                }
            }
        }
        ge-0/0/1 {
            description unused;
            disable;
            unit 0 {
                family ethernet-switching;
            }
        }
        interface-range ACCESS {
            member ge-0/0/20;
            description "range description";
            unit 0 {
                description "range unit";
            }
        }
        ge-0/0/36 {
            description "lag member";
            ether-options {
                802.3ad ae0;
            }
        }
        ge-0/0/37 {
            gigether-options {
                802.3ad ae0;
            }
        }
        ge-0/0/38 {
            native-vlan-id 99;
            unit 0 {
                family ethernet-switching {
                    interface-mode trunk;
                    vlan {
                        members [ 10 VOICE 30-40 ];
                    }
                }
            }
        }
        xe-0/2/0 {
            mtu 9100;
            unit 0 {
                description "p2p unit";
                family inet {
                    address 10.1.0.1/31;
                    address 10.1.0.9/31 {
                        primary;
                        preferred;
                    }
                }
                family inet6 {
                    address 2001:db8:1::1/127;
                }
                family iso {
                    address 49.0001.0100.0000.0001.00;
                }
            }
            inactive: unit 1 {
                description "inactive unit";
                family inet {
                    address 192.0.2.1/24;
                }
            }
            unit 2 {
                disable;
                family inet {
                    address 198.51.100.1/24;
                }
            }
        }
        xe-0/2/2 {
            unit 0 {
                family ethernet-switching {
                    interface-mode trunk;
                    vlan {
                        members all;
                    }
                }
            }
        }
        inactive: xe-0/2/3 {
            description gone;
            unit 0 {
                family inet {
                    address 203.0.113.1/24;
                }
            }
        }
        ae0 {
            description "lag to core";
            mtu 9100;
            aggregated-ether-options {
                lacp {
                    active;
                }
            }
            unit 0 {
                family ethernet-switching {
                    interface-mode trunk;
                    vlan {
                        members [ USERS VOICE ];
                    }
                }
            }
        }
        irb {
            unit 10 {
                description "users gateway";
                family inet {
                    address 172.16.0.1/24;
                }
            }
        }
        lo0 {
            unit 0 {
                family inet {
                    address 10.0.0.4/32;
                }
            }
        }
    }
    protocols {
        lldp {
            interface all;
        }
    }
    routing-instances {
        CUSTOMER-A {
            instance-type vrf;
            interface xe-0/2/0.2;
            interface ge-0/0/9.0;
        }
        EVPN-1 {
            instance-type mac-vrf;
            interface ge-0/0/38.0;
        }
    }
    vlans {
        USERS {
            vlan-id 10;
            l3-interface irb.10;
        }
        VOICE {
            description "no l3";
            vlan-id 20;
        }
        NOTAG {
            description "vlan without an id";
        }
    }
"""

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
# order and indentation); test_netutils_curly_translation_is_exact checks, with
# curly_to_set, that it is exactly the corpus file.
NETUTILS_CURLY = """
version 18.2R1.9;
system {
    login {
        class super-user-local {
            idle-timeout 3600;
            permissions all;
        }
        user ntc {
            uid 2000;
            class super-user-local;
            authentication {
                encrypted-password "$6$SMc6x4tb$Tc5YB7j/aFopl83C/a8w0ULBphIwSz8ckMgANOC8.2p9qJWKwKat1VKRWKTYihtYEu9W1aRN0PN35aOTYLmph."; ## SECRET-DATA
            }
        }
    }
    root-authentication {
        encrypted-password "$6$Z5pgyCKJ$XFMRbBTMD.RjKlOtzCyUjcumTSnXDv6iX2HvhYr9dF3fJXsJeTP5Vms0lN7BzaQHyh8.nwUmsF.OBgBm/G.Dz1"; ## SECRET-DATA
    }
    host-name nyc-rtr-01;
    domain-name ntc.com;
    services {
        ssh;
        netconf {
            ssh;
            rfc-compliant;
        }
    }
    syslog {
        inactive: user * {
            any emergency;
        }
        file messages {
            any notice;
            authorization info;
        }
        file interactive-commands {
            interactive-commands any;
        }
    }
}
chassis {
    fpc 0 {
        pic 0 {
            number-of-ports 20;
        }
        lite-mode;
    }
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.10.0.21/30;
            }
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 10.10.0.25/30;
            }
        }
    }
    ge-0/0/2 {
        unit 0 {
            family inet;
        }
    }
    ge-0/0/3 {
        unit 0 {
            family inet {
                address 10.11.11.5/30;
            }
        }
    }
    ge-0/0/4 {
        unit 0 {
            family inet;
        }
    }
    ge-0/0/5 {
        unit 0 {
            family inet;
        }
    }
    ge-0/0/6 {
        unit 0 {
            family inet;
        }
    }
    ge-0/0/7 {
        unit 0 {
            family inet;
        }
    }
    fxp0 {
        unit 0 {
            description MANAGEMENT_INTEFACE__DO_NOT_CHANGE;
            family inet {
                address 10.0.0.15/24;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                address 10.0.20.1/32;
            }
        }
    }
}
snmp {
    view system-include {
        oid .1 include;
    }
    community networktocode {
        view system-include;
        authorization read-only;
    }
    community secure {
        view system-include;
        authorization read-write;
    }
}
protocols {
    bgp {
        local-as 65252;
        group p2p {
            export send-direct;
            neighbor 10.10.0.22 {
                peer-as 65252;
            }
            neighbor 10.10.0.26 {
                peer-as 65252;
            }
            neighbor 10.11.11.6 {
                peer-as 65253;
            }
        }
    }
    lldp {
        transmit-delay 5;
        port-id-subtype interface-name;
        interface all;
        interface fxp0;
    }
}
policy-options {
    policy-statement send-direct {
        term 1 {
            from protocol direct;
            then accept;
        }
    }
}
routing-instances {
    mgmt_junos {
        description "Management VRF";
    }
}
"""

NETUTILS_RESULT = {
    "facts": {"hostname": "nyc-rtr-01"},
    "interfaces": [
        {"name": "ge-0/0/0.0", "ipv4": ["10.10.0.21/30"]},
        {"name": "ge-0/0/1.0", "ipv4": ["10.10.0.25/30"]},
        {"name": "ge-0/0/3.0", "ipv4": ["10.11.11.5/30"]},
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


# --------------------------------------------------------------------------- property: both syntaxes

NAMES = st.sampled_from(["ge-0/0/0", "ge-0/0/1", "ge-0/0/47", "xe-0/2/0", "xe-1/0/3", "et-0/0/48",
                         "ae0", "ae12", "irb", "lo0", "me0", "em0", "fxp0", "reth1"])
TEXT = st.text(st.sampled_from("abcXYZ019 -_./|:#@()+,"), min_size=1, max_size=24).map(
    lambda s: re.sub(" +", " ", s).strip()).filter(bool)
VLAN = st.one_of(st.sampled_from(["USERS", "VOICE", "v100-Control", "all", "default"]),
                 st.integers(1, 4094).map(str),
                 st.tuples(st.integers(1, 2000), st.integers(0, 99)).map(lambda t: "%d-%d" % (t[0], t[0] + t[1])))
V4 = st.tuples(st.integers(1, 223), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254),
               st.integers(8, 32)).map(lambda t: "%d.%d.%d.%d/%d" % t)
V6 = st.tuples(st.integers(0, 0xffff), st.integers(1, 0xffff), st.integers(1, 128)).map(
    lambda t: "2001:db8:%x::%x/%d" % t)


@st.composite
def units(draw):
    unit = {"description": draw(st.none() | TEXT), "disable": draw(st.booleans()),
            "inactive": draw(st.integers(0, 9)) == 0}
    family = draw(st.sampled_from(["none", "eth", "inet"]))
    if family == "eth":
        unit["eth"] = {
            "legacy": draw(st.booleans()),
            "mode": draw(st.sampled_from([None, "access", "trunk"])),
            "members": draw(st.lists(VLAN, max_size=4, unique=True)),
            "native": draw(st.none() | st.integers(1, 4094)),
        }
    elif family == "inet":
        unit["v4"] = draw(st.lists(V4, max_size=3, unique=True))
        unit["v6"] = draw(st.lists(V6, max_size=2, unique=True))
    return unit


@st.composite
def configs(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    ifds = []
    for name in names:
        ifds.append({
            "name": name,
            "description": draw(st.none() | TEXT),
            "disable": draw(st.booleans()),
            "mtu": draw(st.none() | st.integers(256, 9216)),
            "lag": draw(st.none() | st.sampled_from(["ae0", "ae1"])) if name[:3] in ("ge-", "xe-", "et-") else None,
            "lag_style": draw(st.sampled_from(["ether-options", "gigether-options"])),
            "native": draw(st.none() | st.integers(1, 4094)),
            "units": draw(st.dictionaries(st.integers(0, 4094), units(), max_size=3)),
            "inactive": draw(st.integers(0, 9)) == 0,
        })
    vrf = draw(st.none() | st.sampled_from(["CUSTOMER-A", "MGMT"]))
    return {"ifds": ifds, "vrf": vrf, "range": draw(st.booleans()),
            "hostname": draw(st.sampled_from(["sw1", "dc1-junos-04", "r.example"]))}


def _q(text):
    return '"%s"' % text if re.search(r"[\s;{}\[\]#\"]", text) else text


def render_curly(config):
    """A configuration as `show configuration` prints it (four spaces per level)."""
    out = ["system {", "    host-name %s;" % config["hostname"], "}", "interfaces {"]
    if config["range"]:  # Junos lists interface ranges first; their statements are not read
        out += ["    interface-range ACCESS {", "        member ge-0/0/40;", '        description "range";',
                "        unit 0 {", "            description range0;", "            family ethernet-switching {",
                "                interface-mode access;", "            }", "        }", "    }"]
    for ifd in config["ifds"]:
        start = len(out)
        out.append("    %s%s {" % ("inactive: " if ifd["inactive"] else "", ifd["name"]))
        if ifd["description"]:
            out.append("        description %s;" % _q(ifd["description"]))
        if ifd["disable"]:
            out.append("        disable;")
        if ifd["mtu"]:
            out.append("        mtu %d;" % ifd["mtu"])
        if ifd["native"]:
            out.append("        native-vlan-id %d;" % ifd["native"])
        if ifd["lag"]:
            out += ["        %s {" % ifd["lag_style"], "            802.3ad %s;" % ifd["lag"], "        }"]
        for number in sorted(ifd["units"]):
            unit = ifd["units"][number]
            unit_start = len(out)
            out.append("        %sunit %d {" % ("inactive: " if unit["inactive"] else "", number))
            if unit["description"]:
                out.append("            description %s;" % _q(unit["description"]))
            if unit["disable"]:
                out.append("            disable;")
            eth = unit.get("eth")
            if eth is not None:
                body = []
                if eth["mode"]:
                    body.append("                %s %s;" % ("port-mode" if eth["legacy"] else "interface-mode", eth["mode"]))
                if eth["members"]:
                    members = eth["members"]
                    value = members[0] if len(members) == 1 else "[ %s ]" % " ".join(members)
                    body += ["                vlan {", "                    members %s;" % value, "                }"]
                if eth["legacy"] and eth["native"]:
                    body.append("                native-vlan-id %d;" % eth["native"])
                out += (["            family ethernet-switching {"] + body + ["            }"]
                        if body else ["            family ethernet-switching;"])
            if unit.get("v4"):
                out += ["            family inet {"] + ["                address %s;" % a for a in unit["v4"]] + ["            }"]
            if unit.get("v6"):
                out += ["            family inet6 {"] + ["                address %s;" % a for a in unit["v6"]] + ["            }"]
            if len(out) == unit_start + 1:
                out[unit_start] = out[unit_start][:-2] + ";"
            else:
                out.append("        }")
        if len(out) == start + 1:  # Junos prints an empty block as `name;`
            out[start] = out[start][:-2] + ";"
        else:
            out.append("    }")
    out.append("}")
    if config["vrf"]:
        out += ["routing-instances {", "    %s {" % config["vrf"], "        instance-type vrf;"]
        out += ["        interface %s.0;" % ifd["name"] for ifd in config["ifds"]]
        out += ["    }", "}"]
    return "\n".join(out) + "\n"


def expected(config):
    """What the templates must return for ``config``."""
    records = []
    for ifd in config["ifds"]:
        if ifd["inactive"]:
            continue
        record = {"name": ifd["name"]}
        if ifd["description"]:
            record["description"] = ifd["description"]
        if ifd["disable"]:
            record["shutdown"] = True
        if ifd["mtu"]:
            record["mtu"] = ifd["mtu"]
        if ifd["native"]:
            record["native_vlan"] = ifd["native"]
        if ifd["lag"]:
            record["lag"] = ifd["lag"]
        if len(record) > 1:
            records.append(record)
        for number in sorted(ifd["units"]):
            unit = ifd["units"][number]
            if unit["inactive"]:
                continue
            record = {"name": "%s.%d" % (ifd["name"], number)}
            if unit["description"]:
                record["description"] = unit["description"]
            if unit["disable"]:
                record["shutdown"] = True
            eth = unit.get("eth")
            if eth is not None:
                record["switchport"] = True
                if eth["mode"]:
                    record["mode"] = eth["mode"]
                if eth["members"]:
                    record["trunk_vlans"] = list(eth["members"])
                if eth["legacy"] and eth["native"] and (eth["mode"] or eth["members"] or eth["native"]):
                    record["native_vlan"] = eth["native"]
            if unit.get("v4"):
                record["ipv4"] = list(unit["v4"])
            if unit.get("v6"):
                record["ipv6"] = list(unit["v6"])
            if number == 0 and config["vrf"]:
                record["vrf"] = config["vrf"]
            if len(record) > 1:
                records.append(record)
        if config["vrf"] and 0 not in ifd["units"]:
            records.append({"name": "%s.0" % ifd["name"], "vrf": config["vrf"]})
    # vrf-only records of inactive interfaces are dropped with them
    return {"facts": {"hostname": config["hostname"]}, "interfaces": records} if records else {
        "facts": {"hostname": config["hostname"]}}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_property_both_syntaxes_same_result_and_the_configured_values(config):
    text = render_curly(config)
    result = both(text)
    want = expected(config)
    assert result.get("facts") == want["facts"]
    # order: as configured, except that a routing-instance record of a unit that is
    # not configured comes after its interface's units
    assert sorted(result.get("interfaces", []), key=lambda r: r["name"]) == sorted(
        want.get("interfaces", []), key=lambda r: r["name"])


# --------------------------------------------------------------------------- performance

def big_curly(count):
    lines = ["system {", "    host-name big;", "}", "interfaces {"]
    for n in range(count):
        lines += [
            "    ge-%d/0/%d {" % (n // 48, n % 48),
            '        description "port %d";' % n,
            "        unit 0 {",
            "            family ethernet-switching {",
            "                interface-mode trunk;",
            "                vlan {",
            "                    members [ USERS 20 30-40 ];",
            "                }",
            "            }",
            "        }",
            "    }",
        ]
    lines += ["}", "vlans {"]
    for vid in range(2, 400):
        lines += ["    V%d {" % vid, "        vlan-id %d;" % vid, "    }"]
    return "\n".join(lines + ["}", ""])


@pytest.mark.parametrize("command", [CURLY, SET])
def test_5000_interfaces_parse(command):
    text = big_curly(5000)
    if command == SET:
        text = curly_to_set(text)
    runner = corpus.runner()
    result = runner.parse_command(PLATFORM, command, text)
    assert len(result["interfaces"]) == 10000  # ge-X/0/Y and ge-X/0/Y.0
    assert len(result["vlans"]) == 398
    assert result["interfaces"][-1] == {"name": "ge-104/0/7.0", "switchport": True, "mode": "trunk",
                                        "trunk_vlans": ["USERS", "20", "30-40"]}


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
    assert parse("show lldp neighbors", text) == {"neighbors": [
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
    assert parse("show lldp neighbors", text) == {"neighbors": [
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
    import yaml

    runner = corpus.runner()
    with open(os.path.join(runner.TEMPLATE_DIR, PLATFORM + ".yml")) as handle:
        spec = yaml.safe_load(handle)
    assert set(c["command"] for c in spec["commands"]) == set(COMMANDS)
    for command in ALL_COMMANDS:
        assert os.path.exists(runner.template_path(PLATFORM, command))
    for entry in spec["commands"]:
        assert set(entry["sections"]) <= {"facts", "interfaces", "vlans", "neighbors"}
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
