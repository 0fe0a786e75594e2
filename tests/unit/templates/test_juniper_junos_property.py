# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The property that `show configuration` and `show configuration | display set` of
one generated configuration give the same result, and the configured values; and
the parse time of 5,000 interfaces."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus
from junos_helpers import CURLY, PLATFORM, SET, both, curly_to_set


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
        # an empty interface exists unless it has units (active or not; the routing
        # instance's `interface NAME.0` names one)
        if len(record) > 1 or not (ifd["units"] or config["vrf"]):
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
            records.append(record)  # a unit exists even with nothing in it
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
