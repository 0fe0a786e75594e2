"""Completeness before comparison, on real device outputs.

Every real configuration of the fixtures, cut at every 5 % (of its characters and of
its lines): each section it feeds is either complete and equal to the parse of the
whole configuration, or unverified with a reason naming the command. Never a smaller
model that looks fine.
"""

import glob
import os
import re

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, integrity, normalise

pytest.importorskip("ttp")

FIX = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures"))
CORPUS = os.path.join(FIX, "corpus")
CONFIG_SECTIONS = ("facts", "interfaces", "vlans")
VERSION = {  # a real show version (and NX-OS inventory) so that facts can be whole
    "cisco_ios": "cisco_ios/show_version/cisco_ios_show_version4.raw",
    "cisco_nxos": "cisco_nxos/show_version/cisco_nxos_show_version5.raw",
    "arista_eos": "arista_eos/show_version/arista_eos_show_version2.raw",
    "juniper_junos": "juniper_junos/show_version/juniper_junos_show_version_ex.raw",
}
CURLY = "show configuration"


def read(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def count_output(text):
    return "Count: %d lines" % len([line for line in text.splitlines() if line.strip()])


def configs():
    """(platform, command, path) of every real configuration in the fixtures."""
    found = [("cisco_ios", "show running-config", p)
             for p in sorted(glob.glob(os.path.join(CORPUS, "cisco_ios", "show_running-config", "*")))]
    found += [("cisco_nxos", "show running-config", p)  # not the `show running-config interface` excerpts
              for p in sorted(glob.glob(os.path.join(CORPUS, "cisco_nxos", "show_running-config", "*")))
              if "running_config_interface" not in p]
    found += [("arista_eos", "show running-config", p)
              for p in sorted(glob.glob(os.path.join(CORPUS, "arista_eos", "show_running-config", "*")))]
    found += [("arista_eos", "show running-config", p)
              for p in sorted(glob.glob(os.path.join(FIX, "fabrics", "*", "*", "show_running-config_sanitized.txt")))]
    found += [("juniper_junos", "show configuration | display set", p)
              for p in sorted(glob.glob(os.path.join(CORPUS, "juniper_junos", "show_configuration_pipe_display_set", "*")))]
    found += [("juniper_junos", CURLY, p)
              for p in sorted(glob.glob(os.path.join(CORPUS, "juniper_junos", "show_configuration", "*")))]
    return found


def plan_for(platform, command):
    spec = normalise.load_platform(platform)
    if command == CURLY:  # the curly form, as a user would collect it instead of `| display set`
        return spec, commands.plan(spec, [{"command": CURLY, "replaces": "show configuration | display set",
                                           "template": "juniper_junos_show_configuration.ttp"}])
    return spec, commands.plan(spec)


def outputs(platform, command, text, whole):
    found = {"show version": {"output": read(CORPUS, VERSION[platform])}, command: {"output": text}}
    if platform == "cisco_nxos":
        found["show inventory"] = {"output": read(CORPUS, "cisco_nxos", "show_inventory", "cisco_nxos_show_inventory.raw")}
    if platform == "juniper_junos":  # what the device says of the whole configuration
        found[command + " | count"] = {"output": count_output(whole)}
    return found


def cuts(text):
    """Every 5 % of the characters, and every 5 % of the lines (a cut between two lines)."""
    lines = text.splitlines(True)
    for step in range(5, 100, 5):
        yield "%d%% of characters" % step, text[: len(text) * step // 100]
        yield "%d%% of lines" % step, "".join(lines[: len(lines) * step // 100])


@pytest.mark.parametrize("platform,command,path", configs(),
                         ids=["/".join(c[2].split(os.sep)[-3:]) for c in configs()])
def test_a_cut_configuration_is_whole_and_equal_or_unverified(platform, command, path):
    whole = read(path)
    spec, plan = plan_for(platform, command)
    full = normalise.build("dev", platform, outputs(platform, command, whole, whole), spec=spec, plan=plan)
    assert [s for s in CONFIG_SECTIONS if full["sections"][s]["status"] != "ok"] == [], full["sections"]
    for where, text in cuts(whole):
        got = normalise.build("dev", platform, outputs(platform, command, text, whole), spec=spec, plan=plan)
        for section in CONFIG_SECTIONS:
            info = got["sections"][section]
            if info["status"] == "ok":
                assert got[section] == full[section], (where, section)
            else:
                assert got[section] is None and info["errors"], (where, section)
                assert any(repr(command) in error for error in info["errors"]), (where, info["errors"])


def test_without_the_checks_cuts_give_smaller_models_that_look_fine():
    """The property above is the checks' doing: without them the same cuts mislead."""
    misleading = 0
    for platform, command, path in configs():
        whole = read(path)
        spec, plan = plan_for(platform, command)
        for entry in plan:
            for item in entry["candidates"]:
                item["checks"] = {}
        spec = dict(spec, config_lists_every_interface=False)
        full = normalise.build("dev", platform, outputs(platform, command, whole, whole), spec=spec, plan=plan)
        for _where, text in cuts(whole):
            got = normalise.build("dev", platform, outputs(platform, command, text, whole), spec=spec, plan=plan)
            misleading += sum(1 for s in CONFIG_SECTIONS
                              if got["sections"][s]["status"] == "ok" and got[s] != full[s])
    assert misleading > 500


def build(platform, found, plan=None):
    spec = normalise.load_platform(platform)
    return normalise.build("dev", platform, found, spec=spec, plan=plan)


def ios_outputs(config):
    return {"show version": {"output": read(CORPUS, VERSION["cisco_ios"])}, "show running-config": {"output": config}}


def test_ios_cut_names_the_command_and_its_last_line():
    whole = read(CORPUS, "cisco_ios", "show_running-config", "netutils_ios_full_sent.txt")
    text = whole[: len(whole) * 55 // 100]
    got = build("cisco_ios", ios_outputs(text))
    last = [line for line in text.splitlines() if line.strip()][-1].strip()
    error = "'show running-config' is incomplete: its last line is %r, not the end marker /^end$/" % last
    for section in CONFIG_SECTIONS:
        assert got["sections"][section] == {"status": "failed", "commands": got["sections"][section]["commands"],
                                            "errors": [error]} or error in got["sections"][section]["errors"]
        assert got[section] is None
    assert got["commands"][2]["command"] == "show running-config" and got["commands"][2]["error"] == error


def test_a_configuration_with_no_interface_is_doubtful():
    whole = read(CORPUS, "cisco_ios", "show_running-config", "netutils_ios_full_sent.txt")
    kept, skip = [], False
    for line in whole.splitlines():
        if line.startswith("interface "):
            skip = True
        elif not line.startswith(" "):
            skip = False
        if not skip:
            kept.append(line)
    got = build("cisco_ios", ios_outputs("\n".join(kept)))
    assert got["sections"]["interfaces"]["errors"] == [
        "'show running-config' is doubtful: the template read 0 interfaces, any such output has at least 1"]


def drop_one(parsed, section):
    records = normalise._records(parsed[section])
    return dict(parsed, **{section: records[1:]})


def test_interface_lines_the_template_did_not_read_are_doubtful():
    """A template that reads fewer interfaces than the output has `interface` lines (a
    release whose syntax it does not know) is doubtful: the real config, its parse less one."""
    text = read(CORPUS, "cisco_ios", "show_running-config", "ccp_sample_04.ios")
    item = commands.plan(normalise.load_platform("cisco_ios"))[2]["candidates"][0]
    parsed = normalise.ttp_runner.parse_command("cisco_ios", "show running-config", text)
    assert integrity.recognised(item, text, parsed) is None
    assert integrity.recognised(item, text, drop_one(parsed, "interfaces")) == (
        "'show running-config' is doubtful: 38 lines match /^interface \\S/ but the template read 37 interfaces")


FABRICS = sorted(glob.glob(os.path.join(FIX, "fabrics", "*", "*")))


@pytest.mark.parametrize("device", FABRICS, ids=[os.path.relpath(d, FIX) for d in FABRICS])
def test_every_interface_the_listing_shows_is_in_the_whole_configuration(device):
    config, listing = read(device, "show_running-config_sanitized.txt"), read(device, "show_interfaces_all_status.txt")
    found = {"show version": {"output": read(CORPUS, VERSION["arista_eos"])},
             "show running-config": {"output": config}, "show interfaces status": {"output": listing}}
    whole = build("arista_eos", found)
    assert whole["sections"]["interfaces"]["status"] == "ok" and whole["unconfigured"] == []
    # the same configuration without the block of an interface the listing shows, `end` kept
    listed = set(names.key(r["name"]) for r in normalise._records(
        normalise.ttp_runner.parse_command("arista_eos", "show interfaces status", listing)["interfaces"]))
    blocks = [m for m in re.finditer(r"(?m)^interface (\S+)\n(?:[ !].*\n)*", config) if names.key(m.group(1)) in listed]
    gone = blocks[-1]
    found["show running-config"] = {"output": config[: gone.start()] + config[gone.end():]}
    got = build("arista_eos", found)
    error = ("'show running-config' has no block for 1 interface(s) that 'show interfaces status' lists (%s): "
             "the configuration is incomplete" % gone.group(1))
    for section in CONFIG_SECTIONS:
        assert got[section] is None and got["sections"][section]["errors"] == [error], section


def test_an_optional_listing_that_is_doubtful_only_warns_and_is_not_used():
    device = os.path.join(FIX, "fabrics", "11_evpn_vxlan", "A-LEAF1A")
    listing = read(device, "show_interfaces_all_status.txt").rstrip()
    found = {"show version": {"output": read(CORPUS, VERSION["arista_eos"])},
             "show running-config": {"output": read(device, "show_running-config_sanitized.txt")},
             "show interfaces status": {"output": listing[: listing.rindex("\n") + 30]}}  # last row cut mid-way
    got = build("arista_eos", found)
    assert got["sections"]["interfaces"]["status"] == "ok"
    assert got["sections"]["interfaces"]["warnings"] == [
        "'show interfaces status' is doubtful: 5 lines match /^\\S*\\d\\S*\\s/ but the template read 4 interfaces"]
    assert all(iface["oper_status"] is None for iface in got["interfaces"].values())


LLDP_TOTALS = [  # (platform, fixture) of real LLDP outputs that say how many neighbours they hold
    ("cisco_ios", os.path.join(CORPUS, "cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail5.raw")),
    ("cisco_nxos", os.path.join(CORPUS, "cisco_nxos", "show_lldp_neighbors_detail", "cisco_nxos_show_lldp_neighbors_detail.raw")),
    ("arista_eos", os.path.join(CORPUS, "arista_eos", "show_lldp_neighbors_detail", "arista_eos_show_lldp_neighbors_detail.raw")),
] + [("arista_eos", p) for p in sorted(glob.glob(os.path.join(FIX, "fabrics", "*", "*", "show_lldp_neighbors_detail.txt")))]


def lldp_state(platform, text):
    item = [e for e in commands.plan(normalise.load_platform(platform))
            if e["command"] == "show lldp neighbors detail"][0]["candidates"][0]
    parsed = normalise.ttp_runner.parse_command(platform, item["command"], text)
    return item, parsed


@pytest.mark.parametrize("platform,path", LLDP_TOTALS, ids=[os.path.relpath(case[1], FIX) for case in LLDP_TOTALS])
def test_lldp_detail_agrees_with_its_own_count(platform, path):
    text = read(path)
    item, parsed = lldp_state(platform, text)
    assert integrity.recognised(item, text, parsed) is None


@pytest.mark.parametrize("platform,path", LLDP_TOTALS[:2], ids=["ios", "nxos"])
def test_cisco_lldp_detail_cut_short_has_lost_its_total(platform, path):
    for where, cut in cuts(read(path)):
        item, parsed = lldp_state(platform, cut)
        assert integrity.recognised(item, cut, parsed or {}).startswith(
            "'show lldp neighbors detail' is incomplete: no line matches /^Total entries displayed: (\\d+)/"), where


EOS_LLDP = [os.path.dirname(case[1]) for case in LLDP_TOTALS[3:]]


@pytest.mark.parametrize("device", EOS_LLDP, ids=[os.path.relpath(d, FIX) for d in EOS_LLDP])
def test_eos_lldp_detail_cut_is_unverified_or_equal(device):
    """EOS prints no entry count: the per-port counts, the ports the listing shows and each
    neighbour's mandatory TLVs (up to its TTL line) prove the rest. A cut among the last
    neighbour's optional TLVs (after its TTL line) cannot be seen in the output: there,
    what the mandatory TLVs give is still whole (the prompt check covers the rest on the
    fast path)."""
    found = {"show version": {"output": read(CORPUS, VERSION["arista_eos"])},
             "show running-config": {"output": read(device, "show_running-config_sanitized.txt")},
             "show interfaces status": {"output": read(device, "show_interfaces_all_status.txt")}}
    whole = read(device, "show_lldp_neighbors_detail.txt")
    last_ttl = whole.index("\n", [m.end() for m in re.finditer(r"(?m)^\s*- Time To Live: \d+", whole)][-1])
    full = build("arista_eos", dict(found, **{"show lldp neighbors detail": {"output": whole}}))
    assert full["sections"]["neighbors"]["status"] == "ok" and full["neighbors"]
    for where, cut in cuts(whole):
        got = build("arista_eos", dict(found, **{"show lldp neighbors detail": {"output": cut}}))
        if got["sections"]["neighbors"]["status"] != "ok":
            assert got["sections"]["neighbors"]["errors"][0].startswith("'show lldp neighbors detail' is "), where
        elif len(cut) < last_ttl:
            assert got["neighbors"] == full["neighbors"], where
        else:
            def mandatory(state):
                return [(n["local_port"], n["chassis_id"]) for n in state["neighbors"]]
            assert mandatory(got) == mandatory(full), where


def test_ios_lldp_detail_with_a_record_the_template_missed_is_doubtful():
    text = read(CORPUS, "cisco_ios", "show_lldp_neighbors_detail", "cisco_ios_show_lldp_neighbors_detail5.raw")
    item, parsed = lldp_state("cisco_ios", text)
    assert integrity.recognised(item, text, drop_one(parsed, "neighbors")) == (
        "'show lldp neighbors detail' is doubtful: it says it holds 4 neighbors, the template read 3")


JUNOS_SET = os.path.join(CORPUS, "juniper_junos", "show_configuration_pipe_display_set", "netutils_junos_full_sent.set")


def junos(text, count):
    found = {"show version": {"output": read(CORPUS, VERSION["juniper_junos"])},
             "show configuration | display set": {"output": text}}
    if count is not None:
        found["show configuration | display set | count"] = count
    return build("juniper_junos", found)


def test_junos_set_form_is_counted():
    whole = read(JUNOS_SET)
    assert junos(whole, {"output": count_output(whole)})["sections"]["interfaces"]["status"] == "ok"
    # a Virtual Chassis member prints {master:0} before its prompt: not an output line
    assert junos(whole + "\n{master:0}\n", {"output": count_output(whole)})["sections"]["interfaces"]["status"] == "ok"
    cut = "\n".join(whole.splitlines()[:-3])
    got = junos(cut, {"output": count_output(whole)})
    assert got["sections"]["interfaces"]["errors"] == [
        "'show configuration | display set' is incomplete: it has 44 lines, "
        "'show configuration | display set | count' says 47"]
    refused = junos(whole, {"error": "unknown command."})
    assert refused["sections"]["facts"]["errors"] == [
        "'show configuration | display set' cannot be proved whole: "
        "'show configuration | display set | count' failed: unknown command."]
    assert junos(whole, None)["sections"]["vlans"]["errors"][0].endswith("failed: not collected")


def test_junos_curly_braces_must_balance():
    whole = read(CORPUS, "juniper_junos", "show_configuration", "ccp_sample_01.junos")
    spec, plan = plan_for("juniper_junos", CURLY)
    item = plan[2]["candidates"][0]
    assert item["command"] == CURLY and item["companions"] == ["show configuration | count"]
    assert integrity.whole(item, whole, {"show configuration | count": {"output": count_output(whole)}}) is None
    cut = "\n".join(whole.splitlines()[:40])
    assert integrity.whole(item, cut, {}).startswith("'show configuration' is incomplete: ")
    assert "block(s) opened and never closed" in integrity.whole(item, cut, {})


def test_a_prompt_that_is_not_the_devices_means_the_output_was_cut():
    whole = read(CORPUS, "cisco_ios", "show_running-config", "netutils_ios_full_sent.txt")
    found = ios_outputs(whole)
    found["show inventory"] = {"output": read(CORPUS, "cisco_ios", "show_inventory", "cisco_ios_show_inventory.raw")}
    for command in found:
        found[command]["prompt"] = "jcy-bb-01#"
    assert build("cisco_ios", found)["sections"]["interfaces"]["status"] == "ok"
    found["show running-config"]["prompt"] = "banner-line#"
    assert build("cisco_ios", found)["sections"]["interfaces"]["errors"] == [
        "'show running-config' is incomplete: it ended at 'banner-line#', not at the device's prompt "
        "'jcy-bb-01#' (a line of it looked like a prompt, so the rest may be missing)"]
    found["show running-config"]["prompt"] = ""
    assert "no prompt came after it" in build("cisco_ios", found)["sections"]["vlans"]["errors"][0]


VERSIONS = sorted((platform, path) for platform in VERSION
                  for path in glob.glob(os.path.join(CORPUS, platform, "show_version", "*.raw")))


@pytest.mark.parametrize("platform,path", VERSIONS, ids=[os.path.basename(case[1]) for case in VERSIONS])
def test_show_version_names_its_platform_and_no_other(platform, path):
    text = read(path)
    for driven in VERSION:  # whatever platform the device was collected as
        spec = normalise.load_platform(driven)
        assert integrity.detect(spec, {"show version": {"output": text}}, normalise.ttp_runner.TEMPLATE_DIR) == platform


def test_unknown_or_missing_show_version_detects_nothing():
    spec = normalise.load_platform("cisco_ios")
    here = normalise.ttp_runner.TEMPLATE_DIR
    assert integrity.detect(spec, {"show version": {"output": "FortiGate-100F v7.2.5,build1517"}}, here) is None
    assert integrity.detect(spec, {"show version": {"error": "% Invalid input"}}, here) is None
    assert integrity.detect(spec, {}, here) is None


def test_an_eos_device_collected_as_ios_is_unverified_in_every_section():
    device = os.path.join(FIX, "fabrics", "11_evpn_vxlan", "A-LEAF1A")
    eos = {"show version": {"output": read(CORPUS, VERSION["arista_eos"])},
           "show running-config": {"output": read(device, "show_running-config_sanitized.txt")},
           "show interfaces status": {"output": read(device, "show_interfaces_all_status.txt")},
           "show lldp neighbors detail": {"output": read(device, "show_lldp_neighbors_detail.txt")},
           "show vlan brief": {"error": "% Invalid input"}, "show cdp neighbors detail": {"error": "% Invalid input"}}
    got = build("cisco_ios", eos)
    assert got["platform"] == "cisco_ios" and got["detected_platform"] == "arista_eos"
    message = ("'show version' says this device is arista_eos, but it was collected as cisco_ios: none of its "
               "outputs is trusted (check ansible_network_os and the platform in NetBox)")
    for section, info in got["sections"].items():
        assert info["status"] == "failed" and message in info["errors"], section
        assert got[section] is None
    right = build("arista_eos", eos)
    assert right["detected_platform"] == "arista_eos" and right["sections"]["interfaces"]["status"] == "ok"
