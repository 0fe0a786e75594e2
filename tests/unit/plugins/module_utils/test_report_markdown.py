"""drift.md: summary, counts, devices, drift table with truncation, hostile text kept inert."""

import copy
import json
import os
import re

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_format, report_html, report_markdown

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "reports", "sample-report.json")
HOSTILE_SCRIPT = "</script><script>document.title='pwned'</script>"


@pytest.fixture(name="report")
def fixture_report():
    with open(SAMPLE, encoding="utf-8") as handle:
        return json.load(handle)


def cells(line):
    """The cells of a table row, split on the pipes that are not escaped."""
    assert line.startswith("| ") and line.endswith(" |"), line
    return [part.strip() for part in re.split(r"(?<!\\)\|", line[1:-1])]


def section(text, title):
    """The lines of one ``### title`` section."""
    lines = text.split("\n")
    start = lines.index("### " + title) + 1
    rest = lines[start:]
    end = next((index for index, line in enumerate(rest) if line.startswith("### ")), len(rest))
    return [line for line in rest[:end] if line]


def table_rows(text, title):
    return [cells(line) for line in section(text, title) if line.startswith("| ")][1:]  # without the header


def test_summary_line_and_verdict(report):
    text = report_markdown.render(report)
    assert "**FAILED**: " + report["summary"]["line"] in text
    assert "20261121T101500Z-3f2a" in text


def test_counts_by_class_and_severity(report):
    rows = table_rows(report_markdown.render(report), "Counted drift")
    by_class = dict((row[0], int(row[1])) for row in rows)
    by_severity = dict((row[2], int(row[3])) for row in rows if row[2])
    assert by_class == report["summary"]["by_class"]
    assert by_severity == {"high": 4, "medium": 6, "low": 6}


def test_one_row_per_device_with_status_counts_and_unverified_sections(report):
    rows = table_rows(report_markdown.render(report), "Devices")
    assert [row[:4] for row in rows] == [
        ["dc1-eos-01", "drift", "14", "1"], ["dc1-ios-01", "clean", "0", "0"],
        ["dc2-junos-01", "unverified", "0", "0"], ["dc2-nxos-01", "partial", "2", "0"],
        ["lab-ios-99", "skipped", "0", "0"]]
    assert [row[4] for row in rows] == ["", "", "all", "neighbors", ""]


def test_vlan_lists_print_as_ranges(report):
    """A trunk allowing 2-4094 is one short cell, never 4,093 numbers."""
    report = copy.deepcopy(report)
    record = next(r for r in report["drift"] if r["id"] == "4c5ead9d4d60")
    record["netbox_value"], record["device_value"] = "all", list(range(2, 4095))
    rows = table_rows(report_markdown.render(report), "Drift")
    assert next(row for row in rows if row[8] == "4c5ead9d4d60")[6:8] == ["all", "2-4094"]


def test_drift_table_lists_counted_records_only(report):
    rows = table_rows(report_markdown.render(report), "Drift")
    counted = [record["id"] for record in report["drift"] if record["counted"]]
    assert [row[8] for row in rows] == counted
    assert len(rows) == 16 and all(len(row) == 9 for row in rows)
    vlan = next(row for row in rows if row[8] == "4c5ead9d4d60")
    assert vlan[2:8] == ["Ethernet4", "tagged_vlans", "mismatch", "medium", "10,20", "10,20,30"]
    cable = next(row for row in rows if row[1] == "cable")
    assert cable[6:8] == ["dc1-spine-01:Ethernet3", "dc1-spine-02:Ethernet3"]
    missing = next(row for row in rows if row[2] == "Port-Channel5")
    assert missing[3] == "\u2014" and missing[7] == "\u2014"


@pytest.mark.parametrize("max_rows, shown", [(5, 5), (15, 15), (16, 16), (200, 16), (0, 0)])
def test_truncation_says_how_many_were_left_out(report, max_rows, shown):
    text = report_markdown.render(report, max_rows=max_rows)
    assert len(table_rows(text, "Drift")) == shown
    left_out = 16 - shown
    notes = [line for line in section(text, "Drift") if "not shown" in line]
    if left_out:
        assert notes == ["%d more drift record%s not shown (of 16); the full list is in drift.json." % (
            left_out, "" if left_out == 1 else "s")]
    else:
        assert notes == []


def test_hostile_text_cannot_break_the_table_or_inject_markup(report):
    text = report_markdown.render(report)
    assert "<script" not in text and "</script" not in text and "<img" not in text
    rows = {row[8]: row for row in table_rows(text, "Drift")}
    assert rows["9b3e3fc48de0"][7] == "&lt;/script&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;"
    assert rows["6358094ad9f4"][7] == "uplink \\| \\`core\\` &lt;img src=x onerror=alert(1)&gt;"
    assert "`" not in text.replace("\\`", "")


def test_newlines_and_markdown_syntax_stay_inside_one_cell(report):
    hostile = copy.deepcopy(report)
    record = hostile["drift"][0]
    record["device_value"] = "line one\nline two | [link](javascript:alert(1)) **bold** _em_ ~~x~~ \r\n<b>"
    text = report_markdown.render(hostile)
    row = next(line for line in text.split("\n") if record["id"] in line)
    assert len(cells(row)) == 9
    assert cells(row)[7] == ("line one<br>line two \\| \\[link\\](javascript:alert(1)) \\*\\*bold\\*\\* \\_em\\_ "
                             "\\~\\~x\\~\\~ <br>&lt;b&gt;")


def test_cell_escaping():
    assert report_markdown.cell("missing_in_netbox") == "missing_in_netbox"
    assert report_markdown.cell("_x_") == "\\_x\\_"
    assert report_markdown.cell("a\\b") == "a\\\\b"
    assert report_markdown.cell("a & <b>") == "a &amp; &lt;b&gt;"
    assert report_markdown.cell(None) == "\u2014"
    assert report_markdown.cell(True) == "true"
    assert report_markdown.cell("tab\there\x00") == "tab here"


def test_waived_records_have_their_own_section(report):
    rows = table_rows(report_markdown.render(report), "Waived")
    assert rows == [["dc1-eos-01", "interface", "Ethernet7", "mtu",
                     "jumbo frames on the storage ports, CHG-4411", "2026-12-31", "78f05a55a950"]]


def test_unverified_list(report):
    lines = section(report_markdown.render(report), "Unverified")
    assert lines == [
        "- dc2-junos-01, all: unreachable: ssh: connect to host 192.0.2.40 port 22: Connection timed out",
        "- dc2-nxos-01, neighbors: 'show lldp neighbors detail' failed: % Invalid command at '^' marker."]


def test_a_clean_run_and_an_empty_report():
    clean = {"summary": {"line": "1 devices: 0 with drift, 1 clean", "failed": False},
             "devices": [{"device": "r1", "status": "clean", "drift": 0, "waived": 0, "unverified": []}],
             "drift": [], "unverified": []}
    text = report_markdown.render(clean)
    assert "**clean**: 1 devices" in text and "No counted drift." in text
    assert "### Waived" not in text and "### Unverified" not in text
    assert "No devices." in report_markdown.render({})


@pytest.mark.parametrize("summary, label", [
    ({"failed": True, "drift": 3}, "FAILED"),
    ({"failed": False, "drift": 3, "by_status": {"drift": 2}}, "drift found"),  # fail_on never: drift is still drift
    ({"failed": False, "drift": 0, "by_status": {"clean": 1, "unverified": 1}}, "not all verified"),
    ({"failed": False, "drift": 0, "by_status": {"clean": 1, "partial": 1}}, "not all verified"),
    ({"failed": False, "drift": 0, "by_status": {"clean": 2, "skipped": 1}}, "clean"),
])
def test_the_verdict_says_what_was_found_not_only_the_gate(summary, label):
    name, text = report_format.verdict(summary)
    assert text == label
    assert ("**%s**: " % label) in report_markdown.render({"summary": dict(summary, line="x")})
    page = report_html.render({"summary": dict(summary, line="x"), "run": {}})
    assert '<span class="verdict verdict-%s">%s</span> x' % (name, label) in page
