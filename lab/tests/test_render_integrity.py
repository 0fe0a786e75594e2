"""The emulated devices' outputs pass the collection's completeness checks, name their
platform in show version, and answer the fallback commands with the same neighbours.

A lab output that failed a check would make a lab device unverified for no reason; the
fault-injection tests (tests/integration/test_faults_collect.py) rely on the whole
outputs being trusted and only the cut ones not.
"""

import pytest

dataset = pytest.importorskip("lab.dataset")  # the lab is not part of the built collection
render = pytest.importorskip("lab.render")
scenario = pytest.importorskip("lab.scenario")
pytest.importorskip("ttp")

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, normalise  # noqa: E402


@pytest.fixture(scope="module", name="lab")
def fixture_lab():
    _netbox, devices, _expected = scenario.apply(dataset.generate(12), scenario.load("default"))
    outputs = render.render_all(devices)
    return [(d, dict((c, {"output": t}) for c, t in outputs[d["name"]].items())) for d in devices["devices"]]


def test_every_lab_device_is_whole_and_its_own_platform(lab):
    for device, outputs in lab:
        spec = normalise.load_platform(device["platform"])
        missing = [c for c in commands.first_commands(commands.plan(spec)) if c not in outputs]
        assert missing == [], device["name"]
        state = normalise.build(device["name"], device["platform"], outputs, spec=spec)
        assert state["detected_platform"] == device["platform"]
        problems = dict((s, (i["errors"], i.get("warnings"))) for s, i in state["sections"].items()
                        if i["status"] != "ok" or i.get("warnings"))
        assert problems == {}, device["name"]


def test_the_brief_lldp_table_gives_the_neighbours_of_the_detail(lab):
    checked = 0
    for device, outputs in lab:
        if device["platform"] == "juniper_junos":
            continue  # Junos collects the brief table in the first place
        whole = normalise.build(device["name"], device["platform"], outputs)
        refused = dict(outputs, **{"show lldp neighbors detail": {"error": "% Invalid input"}})
        brief = normalise.build(device["name"], device["platform"], refused)
        assert brief["sections"]["neighbors"]["commands"][0] == "show lldp neighbors"

        def seen(state):
            return sorted((n["local_port"], n["remote_system"].split(".")[0], n["remote_port"])
                          for n in state["neighbors"] if n["protocol"] == "lldp")
        assert seen(brief) == seen(whole) and seen(whole), device["name"]
        checked += 1
    assert checked == 9


def test_junos_counts_are_the_lines_of_the_configuration(lab):
    for device, outputs in lab:
        if device["platform"] != "juniper_junos":
            continue
        for command in ("show configuration", "show configuration | display set"):
            lines = [line for line in outputs[command]["output"].splitlines() if line.strip()]
            assert outputs[command + " | count"]["output"] == "Count: %d lines" % len(lines)
