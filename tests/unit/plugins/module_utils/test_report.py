"""The report: device status, summary, fail_on, Ansible's diff, and changes between runs."""

import copy

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import changes
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report, report_diff
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m


def rec(device, severity="high", counted=True, field="enabled", cls="mismatch"):
    return {"id": device[:3] + str(field), "device": device, "kind": "interface", "key": "Ethernet1", "field": field,
            "class": cls, "severity": severity, "netbox_value": True, "device_value": False, "counted": counted,
            "waiver": None if counted else {"reason": "x"}}


def results():
    return [
        report.device_result("b", "arista_eos", {"status": "drift", "unverified": []},
                             [rec("b"), rec("b", "low", field="description"), rec("b", counted=False, field="mtu")]),
        report.device_result("a", "cisco_ios", {"status": "clean", "unverified": []}, []),
        report.device_result("c", "cisco_ios", {"status": "unverified", "unverified": [
            {"section": s, "reason": "refused"} for s in m.SECTIONS]}, []),
        report.device_result("d", "cisco_ios", {"status": "drift", "unverified": []},
                             [rec("d", counted=False)]),
        report.skipped_result("e", "cisco_ios", "NetBox tag drift-ignore"),
    ]


def test_assemble_summary():
    doc = report.assemble(results(), {"id": "r1", "fail_on": "never"})
    summary = doc["summary"]
    assert [d["device"] for d in doc["devices"]] == ["a", "b", "c", "d", "e"]
    assert summary["by_status"] == {"clean": 2, "drift": 1, "partial": 0, "unverified": 1, "skipped": 1}
    assert (summary["drift"], summary["waived"]) == (2, 2)
    assert summary["by_severity"] == {"low": 1, "medium": 0, "high": 1}
    assert summary["by_class"]["mismatch"] == 2
    assert summary["line"].startswith("5 devices: 1 with drift, 2 clean, 0 partial, 1 unverified, 1 skipped; 2 drift")
    assert [u["device"] for u in doc["unverified"]] == ["c"] * 4
    assert "records" not in doc["devices"][0] and len(doc["drift"]) == 4


@pytest.mark.parametrize("fail_on, failed", [
    ("never", False), ("any", True), ("severity:high", True), ("severity:medium", True)])
def test_fail_on(fail_on, failed):
    assert report.assemble(results(), {"id": "r1", "fail_on": fail_on})["summary"]["failed"] is failed


def _only(*statuses):
    """One device per status, no drift: clean, unverified, partial or skipped."""
    found = []
    for index, status in enumerate(statuses):
        name = "%s-%d" % (status, index)
        if status == "skipped":
            found.append(report.skipped_result(name, "cisco_ios", "NetBox tag drift-ignore"))
            continue
        sections = {"clean": [], "partial": ["neighbors"]}.get(status, m.SECTIONS)
        unverified = [{"section": s, "reason": "connection refused"} for s in sections]
        found.append(report.device_result(name, "cisco_ios", {"status": status, "unverified": unverified}, []))
    return found


@pytest.mark.parametrize("statuses, fail_on, reasons", [
    (("unverified",), "any", ["1 device(s) not verified: unverified-0"]),
    (("clean", "unverified", "unverified"), "severity:high", ["2 device(s) not verified: unverified-1, unverified-2"]),
    (("clean", "partial"), "severity:low", ["1 device(s) not verified: partial-1"]),
    (("unverified",), "never", []),
    (("clean", "skipped"), "any", []),
])
def test_a_gate_fails_on_devices_not_verified(statuses, fail_on, reasons):
    """Every device unreachable used to pass fail_on=any: nothing had drift."""
    doc = report.assemble(_only(*statuses), {"id": "r1", "fail_on": fail_on})
    assert report.fail_reasons(doc, fail_on) == reasons
    assert doc["summary"]["failed"] is bool(reasons)


def test_a_gate_fails_on_unverified_sections_beside_drift():
    """Low drift and an unparsed section: high drift may hide in that section."""
    low = report.device_result("f", "cisco_ios", {"status": "partial", "unverified": [
        {"section": "interfaces", "reason": "'show running-config' could not be parsed"}]}, [rec("f", "low")])
    doc = report.assemble([low], {"id": "r1", "fail_on": "severity:high"})
    assert doc["devices"][0]["status"] == "drift"
    assert report.fail_reasons(doc, "severity:high") == ["1 device(s) not verified: f"]


def test_fail_reasons_count_drift_at_the_level():
    doc = report.assemble(results(), {"id": "r1", "fail_on": "severity:high"})
    assert report.fail_reasons(doc, "severity:high") == [
        "1 drift record(s) at or above high", "1 device(s) not verified: c"]
    assert report.fail_reasons(doc, "any")[0] == "2 drift record(s)"


def test_fail_on_ignores_waived_and_lower_severity():
    only_low = [report.device_result("b", "x", {"status": "drift", "unverified": []},
                                     [rec("b", "low"), rec("b", "high", counted=False, field="mtu")])]
    assert report.assemble(only_low, {"fail_on": "severity:medium"})["summary"]["failed"] is False
    with pytest.raises(report.ReportError):
        report.check_fail_on("severity:critical")


def test_host_diff_lists_counted_drift():
    records = [rec("b"), rec("b", counted=False, field="mtu"),
               dict(rec("b", field=None, cls="missing_on_device"), netbox_value={"name": "Ethernet1"})]
    diff = report_diff.host_diff("b", records)
    assert diff["before"] == "interface Ethernet1 enabled: True\ninterface Ethernet1: name=Ethernet1\n"
    assert diff["after"] == "interface Ethernet1 enabled: False\ninterface Ethernet1: (absent)\n"
    assert diff["before_header"] == "NetBox: b"


def model_with(**interfaces):
    state = m.new_device("sw1", "cisco_ios")
    for name in m.SECTIONS:
        state["sections"][name]["status"] = m.OK
    state.update(facts={"serial": "A"}, interfaces=interfaces, vlans={}, neighbors=[])
    return state


def test_changes_between_runs():
    before = model_with(Ethernet1={"name": "Ethernet1", "enabled": True, "oper_status": "up"})
    after = copy.deepcopy(before)
    after["interfaces"]["Ethernet1"].update(enabled=False, oper_status="down")
    after["interfaces"]["Ethernet2"] = {"name": "Ethernet2", "enabled": True}
    assert changes.diff(before, after) == [
        {"kind": "interface", "key": "Ethernet1", "field": "enabled", "before": True, "after": False},
        {"kind": "interface", "key": "Ethernet2", "field": None, "before": None, "after": {"name": "Ethernet2", "enabled": True}},
    ]
    m.fail_section(after, "interfaces", "timeout")
    assert changes.diff(before, after) == []
    assert changes.diff(None, after) == []
