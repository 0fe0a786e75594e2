"""The command plan: platform commands, fallbacks, companions and a user's overrides,
and the model built from real outputs when a fallback answers."""

import os

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, normalise, ttp_runner

pytest.importorskip("ttp")

CORPUS = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "corpus"))


def read(*parts):
    with open(os.path.join(CORPUS, *parts)) as handle:
        return handle.read()


def spec(platform):
    return normalise.load_platform(platform)


def by_command(plan):
    return dict((entry["command"], entry) for entry in plan)


def test_the_platform_plan_is_the_platform_file_with_fallbacks_and_companions():
    for platform in ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"):
        plan = commands.plan(spec(platform))
        assert [e["command"] for e in plan] == [c["command"] for c in spec(platform)["commands"]]
        for entry in plan:
            for item in entry["candidates"]:
                assert os.path.isfile(item["template"]), item
    ios = by_command(commands.plan(spec("cisco_ios")))
    assert [c["command"] for c in ios["show lldp neighbors detail"]["candidates"]] == [
        "show lldp neighbors detail", "show lldp neighbors"]
    assert ios["show running-config"]["candidates"][0]["checks"]["ends_with"] == "^end$"
    eos = by_command(commands.plan(spec("arista_eos")))
    status = eos["show interfaces status"]["candidates"][1]
    assert status["command"] == "show interfaces all status"
    assert os.path.basename(status["template"]) == "arista_eos_show_interfaces_status.ttp"
    junos = commands.plan(spec("juniper_junos"))
    assert "show configuration | display set | count" in commands.first_commands(junos)
    assert "show lldp neighbors" not in commands.first_commands(commands.plan(spec("cisco_ios")))


def test_fallbacks_are_due_only_for_commands_that_failed():
    plan = commands.plan(spec("cisco_ios"))
    answered = dict((c, {"output": "x"}) for c in commands.first_commands(plan))
    assert commands.next_commands(plan, answered) == []
    refused = dict(answered, **{"show lldp neighbors detail": {"error": "% Invalid input detected at '^' marker."},
                                "show vlan brief": {"error": "% Invalid input detected at '^' marker."}})
    assert commands.next_commands(plan, refused) == ["show vlan", "show lldp neighbors"]
    refused["show lldp neighbors"] = {"error": "% Invalid input detected at '^' marker."}
    refused["show vlan"] = {"output": "x"}
    assert commands.next_commands(plan, refused) == []  # nothing left to try


def user_plan(platform, entries):
    return by_command(commands.plan(spec(platform), entries))


def test_a_replacement_takes_the_place_format_and_checks_of_the_command():
    plan = user_plan("cisco_ios", [{"command": "more system:running-config", "replaces": "show running-config"}])
    assert "show running-config" not in plan
    entry = plan["more system:running-config"]
    assert entry["sections"] == ["facts", "interfaces", "vlans"] and entry["replaced"] == "show running-config"
    item = entry["candidates"][0]
    assert os.path.basename(item["template"]) == "cisco_ios_show_running-config.ttp"
    assert item["checks"]["ends_with"] == "^end$"


def test_a_replaced_junos_configuration_is_counted_by_its_own_command():
    plan = user_plan("juniper_junos", [{"command": "show configuration | display set | except SECRET",
                                        "replaces": "show configuration | display set"}])
    assert plan["show configuration | display set | except SECRET"]["candidates"][0]["companions"] == [
        "show configuration | display set | except SECRET | count"]


def test_extra_commands_are_kept_or_parsed():
    plan = user_plan("arista_eos", ["show ip interface brief",
                                    {"command": "show running-config all", "sections": ["interfaces"], "optional": True,
                                     "template": "arista_eos_show_running-config.ttp"}])
    kept = plan["show ip interface brief"]
    assert kept["sections"] == [] and kept["candidates"][0]["template"] is None
    extra = plan["show running-config all"]["candidates"][0]
    assert plan["show running-config all"]["optional"] and extra["checks"]["ends_with"] == "^end$"


def test_a_fallback_of_ones_own_with_a_named_template():
    plan = user_plan("cisco_ios", [{"command": "show running-config", "replaces": "show running-config",
                                    "fallback": [{"command": "more system:running-config",
                                                  "template": "cisco_ios_show_running-config.ttp"}]}])
    assert [c["command"] for c in plan["show running-config"]["candidates"]] == [
        "show running-config", "more system:running-config"]


@pytest.mark.parametrize("entries,message", [
    ("show version", "cisco_ios: the commands must be a list of entries, not str"),
    ([{"command": "show run", "replace": "show running-config"}],
     "cisco_ios[0]: unknown key(s) replace (known: command, replaces, template, sections, optional, fallback)"),
    ([{"command": "show run", "replaces": "show config"}],
     "cisco_ios[0]: replaces 'show config', which is not a command of cisco_ios (show version, show inventory, "
     "show running-config, show vlan brief, show interfaces status, show lldp neighbors detail, "
     "show cdp neighbors detail)"),
    ([{"command": "show ip ospf", "sections": ["interfaces"]}],
     "cisco_ios[0]: no TTP template cisco_ios_show_ip_ospf.ttp for 'show ip ospf' (name one with template)"),
    ([{"command": "show x", "sections": ["routes"]}],
     "cisco_ios[0]: sections must be a list of facts, interfaces, vlans, neighbors, not ['routes']"),
    (["show ip route", {"command": ""}], "cisco_ios[1]: command must be a non-empty string, not ''"),
    ([{"command": "show lldp neighbors"}], "cisco_ios: 'show lldp neighbors' is listed twice (as a command or a fallback)"),
    ([{"command": "show run", "replaces": "show running-config", "sections": ["facts"]}],
     "cisco_ios[0]: a replacement feeds the sections of 'show running-config'; leave sections out"),
    ([{"command": "show run", "replaces": "show running-config", "template": "/nowhere/mine.ttp"}],
     "cisco_ios[0]: no TTP template /nowhere/mine.ttp for 'show run'"),
    ([{"command": "show run", "fallback": [{"command": "show x", "parser": "y"}], "sections": ["facts"],
       "template": "cisco_ios_show_version.ttp"}],
     "cisco_ios[0].fallback[0]: unknown key(s) parser (known: command, template)"),
    ([42], "cisco_ios[0]: an entry is a command or a dict with command, replaces, template, sections, optional, "
           "fallback, not 42"),
    ([{"command": "show x", "optional": "yes"}], "cisco_ios[0]: optional must be true or false, not 'yes'"),
])
def test_unusable_overrides_say_which_entry_and_why(entries, message):
    with pytest.raises(commands.CommandsError) as caught:
        commands.plan(spec("cisco_ios"), entries)
    assert str(caught.value) == message


def test_ones_own_template_by_path(tmp_path):
    mine = tmp_path / "mine.ttp"
    mine.write_text("<group name=\"facts\">\nhostname {{ hostname }}\n</group>\n")
    plan = user_plan("cisco_ios", [{"command": "show run | include hostname", "sections": ["facts"],
                                    "template": str(mine)}])
    item = plan["show run | include hostname"]["candidates"][0]
    assert item["template"] == str(mine) and item["checks"] == {}


def ios_outputs():
    return {
        "show version": {"output": read("cisco_ios", "show_version", "cisco_ios_show_version4.raw")},
        "show running-config": {"output": read("cisco_ios", "show_running-config", "netutils_ios_full_sent.txt")},
        "show lldp neighbors detail": {"error": "% Invalid input detected at '^' marker."},
        "show lldp neighbors": {"output": read("cisco_ios", "show_lldp_neighbors", "cisco_ios_show_lldp_neighbors.raw")},
    }


def test_the_brief_form_answers_when_the_detail_form_is_refused():
    got = normalise.build("sw", "cisco_ios", ios_outputs())
    neighbors = got["sections"]["neighbors"]
    assert neighbors["status"] == "ok" and neighbors["commands"][0] == "show lldp neighbors"
    assert neighbors["warnings"][0] == ("'show lldp neighbors' answered instead ('show lldp neighbors detail' "
                                        "failed: % Invalid input detected at '^' marker.)")
    record = [c for c in got["commands"] if c["command"] == "show lldp neighbors detail"][0]
    assert record["answered_by"] == "show lldp neighbors" and record["template"] == "cisco_ios_show_lldp_neighbors.ttp"
    expected = [(r["local_port"], r["remote_system"], r["remote_port"]) for r in normalise._records(
        ttp_runner.parse_command("cisco_ios", "show lldp neighbors", ios_outputs()["show lldp neighbors"]["output"])[
            "neighbors"])]
    assert len(expected) == 5
    assert [(n["remote_system"], n["remote_port"]) for n in got["neighbors"]] == [(e[1], e[2]) for e in expected]
    assert got["neighbors"][0]["local_port"] == "FastEthernet0/13"


def test_when_every_command_of_an_entry_fails_both_causes_are_named():
    found = ios_outputs()
    found["show lldp neighbors"] = {"error": "% LLDP is not enabled"}
    got = normalise.build("sw", "cisco_ios", found)
    assert got["neighbors"] is None
    assert got["sections"]["neighbors"]["errors"] == [
        "'show lldp neighbors detail' failed: % Invalid input detected at '^' marker.; "
        "'show lldp neighbors' failed: % LLDP is not enabled"]


def test_a_fallback_output_is_checked_like_any_other():
    found = ios_outputs()
    text = found["show lldp neighbors"]["output"]
    found["show lldp neighbors"] = {"output": text[: text.index("Total entries")]}
    got = normalise.build("sw", "cisco_ios", found)
    assert got["sections"]["neighbors"]["errors"] == [
        "'show lldp neighbors' is incomplete: no line matches /^Total entries displayed: (\\d+)/, where the "
        "output says how many it holds"]


def test_an_empty_brief_table_is_recognised():
    found = ios_outputs()
    found["show lldp neighbors"] = {"output": "Capability codes:\n    (R) Router, (B) Bridge\n\n"
                                              "Device ID           Local Intf     Hold-time  Capability      Port ID\n\n"
                                              "Total entries displayed: 0\n"}
    got = normalise.build("sw", "cisco_ios", found)
    assert got["sections"]["neighbors"]["status"] == "ok" and got["neighbors"] == []


def test_in_a_folder_of_saved_outputs_the_fallback_file_answers():
    found = ios_outputs()
    del found["show lldp neighbors detail"]  # a backup folder with only the brief table in it
    got = normalise.build("sw", "cisco_ios", found)
    assert got["sections"]["neighbors"]["status"] == "ok"
    assert got["sections"]["neighbors"]["warnings"][0] == (
        "'show lldp neighbors' answered instead ('show lldp neighbors detail' was not collected)")
