"""junit.xml: one testcase per device; failure, error, skipped by status and threshold."""

import copy
import json
import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_junit

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "reports", "sample-report.json")
HOSTILE_SCRIPT = "</script><script>document.title='pwned'</script>"


@pytest.fixture(name="report")
def fixture_report():
    with open(SAMPLE, encoding="utf-8") as handle:
        return json.load(handle)


def parse(report, threshold=None):
    text = report_junit.render(report, threshold=threshold)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    suites = root.findall("testsuite")
    assert root.tag == "testsuites" and len(suites) == 1
    return root, suites[0], dict((case.get("name"), case) for case in suites[0].findall("testcase"))


def totals(element):
    return dict((name, element.get(name)) for name in ("tests", "failures", "errors", "skipped", "time"))


def outcome(case):
    kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
    assert len(kinds) <= 1
    return kinds[0] if kinds else "passed"


def test_suite_attributes_and_properties(report):
    root, suite, cases = parse(report)
    expected = {"tests": "5", "failures": "2", "errors": "1", "skipped": "1", "time": "41.000"}
    assert suite.get("name") == "netbox_drift" and totals(suite) == expected and totals(root) == expected
    assert suite.get("timestamp") == "2026-11-21T10:15:00Z"
    properties = dict((item.get("name"), item.get("value")) for item in suite.find("properties"))
    assert properties["run_id"] == "20261121T101500Z-3f2a"
    assert properties["threshold"] == "0" and properties["fail_on"] == "severity:high"
    assert list(cases) == ["dc1-eos-01", "dc1-ios-01", "dc2-junos-01", "dc2-nxos-01", "lab-ios-99"]


def test_outcome_and_classname_per_device_status(report):
    cases = parse(report)[2]
    assert dict((name, outcome(case)) for name, case in cases.items()) == {
        "dc1-eos-01": "failure", "dc1-ios-01": "passed", "dc2-junos-01": "error",
        "dc2-nxos-01": "failure", "lab-ios-99": "skipped"}
    assert cases["dc1-eos-01"].get("classname") == "netbox_drift.dc1"
    assert cases["lab-ios-99"].get("classname") == "netbox_drift.cisco_ios"  # no site: the platform
    assert cases["dc2-nxos-01"].get("time") == "12.000"
    assert list(cases["dc1-ios-01"]) == []
    assert cases["lab-ios-99"].find("skipped").get("message") == "drift_check_ignore: lab device, not in production"


def test_failure_names_count_and_severities_and_lists_each_counted_record(report):
    failure = parse(report)[2]["dc1-eos-01"].find("failure")
    assert failure.get("message") == "14 counted drift (threshold 0): high 4, medium 5, low 5"
    lines = failure.text.split("\n")
    assert len(lines) == 14
    assert "interface Ethernet3 untagged_vlan: 10 -> 20, 04c255bbfe27" in lines
    assert "interface Port-Channel5: Port-Channel5 -> \u2014, ff53763a8121" in lines
    assert "cable Ethernet1 peer: dc1-spine-01:Ethernet3 -> dc1-spine-02:Ethernet3, 1a17f7400817" in lines
    assert "78f05a55a950" not in failure.text  # waived: not counted
    system_out = parse(report)[2]["dc1-eos-01"].find("system-out").text
    assert "waived: interface Ethernet7 mtu" in system_out and "CHG-4411, expires 2026-12-31" in system_out


def test_hostile_text_round_trips_through_the_xml(report):
    failure = parse(report)[2]["dc1-eos-01"].find("failure")
    assert "interface Ethernet1 description: to dc1-spine-01 Ethernet3 -> %s, 9b3e3fc48de0" % HOSTILE_SCRIPT \
        in failure.text.split("\n")
    assert "uplink | `core` <img src=x onerror=alert(1)>" in failure.text
    raw = report_junit.render(report)
    assert "<script>" not in raw and "<img" not in raw


def test_control_characters_do_not_break_the_document(report):
    hostile = copy.deepcopy(report)
    hostile["drift"][0]["device_value"] = "bell\x07 escape\x1b[0m nul\x00 ]]> &amp;"
    failure = parse(hostile)[2]["dc1-eos-01"].find("failure")
    assert "bell\ufffd escape\ufffd[0m nul\ufffd ]]> &amp;" in failure.text


def test_unverified_device_is_an_error_with_its_reasons(report):
    error = parse(report)[2]["dc2-junos-01"].find("error")
    assert error.get("message") == (
        "unverified: all: unreachable: ssh: connect to host 192.0.2.40 port 22: Connection timed out")
    assert error.get("type") == "unverified"


def test_partial_device_fails_on_drift_and_lists_unverified_sections(report):
    case = parse(report)[2]["dc2-nxos-01"]
    assert case.find("failure").get("message") == "2 counted drift (threshold 0): medium 1, low 1"
    assert case.find("system-out").text.split("\n") == [
        "unverified sections:", "  neighbors: 'show lldp neighbors detail' failed: % Invalid command at '^' marker."]


def test_partial_device_without_drift_passes(report):
    quiet = copy.deepcopy(report)
    quiet["drift"] = [record for record in quiet["drift"] if record["device"] != "dc2-nxos-01"]
    quiet["devices"][3]["drift"] = 0
    case = parse(quiet)[2]["dc2-nxos-01"]
    assert outcome(case) == "passed" and "neighbors" in case.find("system-out").text


@pytest.mark.parametrize("threshold, failed", [
    (0, {"dc1-eos-01", "dc2-nxos-01"}),
    (1, {"dc1-eos-01", "dc2-nxos-01"}),
    (2, {"dc1-eos-01"}),
    (13, {"dc1-eos-01"}),
    (14, set()),
    ("20", set()),
])
def test_a_device_fails_when_its_drift_is_greater_than_the_threshold(report, threshold, failed):
    root, suite, cases = parse(report, threshold=threshold)
    assert set(name for name, case in cases.items() if outcome(case) == "failure") == failed
    assert suite.get("failures") == root.get("failures") == str(len(failed))
    assert suite.get("errors") == "1" and suite.get("skipped") == "1"


def test_drift_within_the_threshold_is_shown_beside_the_pass(report):
    case = parse(report, threshold=2)[2]["dc2-nxos-01"]
    lines = case.find("system-out").text.split("\n")
    assert lines[:3] == ["counted drift within the threshold (2):",
                         "  interface Ethernet1/1 enabled: true -> false, 9dd06acb59f8",
                         "  vlan 200: \u2014 -> 200, 5c41726ddb14"]


def test_threshold_comes_from_the_run_when_not_given(report):
    report["run"]["threshold"] = 5
    cases = parse(report)[2]
    assert outcome(cases["dc1-eos-01"]) == "failure" and outcome(cases["dc2-nxos-01"]) == "passed"
    assert outcome(parse(report, threshold=0)[2]["dc2-nxos-01"]) == "failure"  # the argument wins
    del report["run"]["threshold"]
    assert outcome(parse(report)[2]["dc2-nxos-01"]) == "failure"  # default 0


def test_empty_report_is_an_empty_suite():
    root, suite, cases = parse({})
    assert cases == {} and totals(suite) == {"tests": "0", "failures": "0", "errors": "0", "skipped": "0",
                                             "time": "0.000"}
    assert root.get("tests") == "0"


def test_skipped_without_a_reason_says_policy(report):
    del report["devices"][4]["skipped"]
    assert parse(report)[2]["lab-ios-99"].find("skipped").get("message") == "excluded by policy"
