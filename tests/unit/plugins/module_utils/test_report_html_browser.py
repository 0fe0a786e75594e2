"""drift.html in a real browser: headless Chromium runs the page's script, then the DOM
is checked (``--dump-dom``): rows, sorting and filtering from the URL fragment, the
hostile description shown as text only. One test drives the page over the DevTools
pipe to click a header, type a filter and open a row.

Skipped only when no Chromium binary is found (``apt-get install chromium``; or set
``CHROMIUM`` to a binary)."""

import json
import os

import pytest
from chromium import BROWSER, DevTools, dump_dom

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_format, report_html

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "reports", "sample-report.json")
HOSTILE_SCRIPT = "</script><script>document.title='pwned'</script>"
HOSTILE_IMG = "uplink | `core` <img src=x onerror=alert(1)>"
COLUMNS = ("device", "kind", "key", "field", "class", "severity", "netbox_value", "device_value", "id")
RANK = {"high": 3, "medium": 2, "low": 1}
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium binary found (apt-get install chromium)")


def render(tmp_path, report):
    path = tmp_path / "drift.html"
    path.write_text(report_html.render(report), encoding="utf-8")
    return path


def dump(tmp_path, report, fragment=""):
    url = render(tmp_path, report).as_uri() + ("#" + fragment if fragment else "")
    dom, stderr = dump_dom(tmp_path, url)
    assert dom.find("html", **{"data-ready": "true"}), "the page's script did not finish:\n" + stderr[-2000:]
    return dom


def rows(dom):
    """``(id, visible, cells)`` of every data row, in page order."""
    (table,) = dom.find("table", id="drift-table")
    found = []
    for row in table.find("tr"):
        if "data-id" in row.attrs:
            cells = [cell.text() for cell in row.find("td")]
            found.append((row.attrs["data-id"], "hidden" not in row.attrs, cells))
    return found


def visible(dom):
    return [row for row in rows(dom) if row[1]]


def count(dom):
    return int(dom.find("span", id="visible-count")[0].text())


@pytest.fixture(name="report")
def fixture_report():
    with open(SAMPLE, encoding="utf-8") as handle:
        return json.load(handle)


def expected_ids(report, query="", **filters):
    """What the page should show, worked out here with report_format.value_text."""
    status = dict((entry["device"], entry["status"]) for entry in report["devices"])
    ids = []
    for record in report["drift"]:
        text = "\n".join(report_format.value_text(record.get(col)) for col in COLUMNS).lower()
        values = {"class": record["class"], "severity": record["severity"], "kind": record["kind"],
                  "device": record["device"], "status": status[record["device"]],
                  "counted": "yes" if record["counted"] else "no"}
        if query.lower() in text and all(values[name] == value for name, value in filters.items()):
            ids.append(record["id"])
    return ids


def test_vlan_lists_print_as_ranges_in_the_page(tmp_path, report):
    report = json.loads(json.dumps(report))
    record = next(r for r in report["drift"] if r["id"] == "4c5ead9d4d60")
    record["netbox_value"], record["device_value"] = [10, 20, 21, 22, 99], list(range(2, 4095))
    by_id = dict((row[0], row[2]) for row in rows(dump(tmp_path, report)))
    assert by_id["4c5ead9d4d60"][6:8] == ["10,20-22,99", "2-4094"]


def test_all_rows_in_report_order_without_a_fragment(tmp_path, report):
    dom = dump(tmp_path, report)
    found = rows(dom)
    assert [row[0] for row in found] == [record["id"] for record in report["drift"]]
    assert all(row[1] for row in found) and count(dom) == len(found) == 17
    by_id = dict((row[0], row[2]) for row in found)
    assert by_id["4c5ead9d4d60"][6:8] == ["10,20", "10,20,30"]
    assert by_id["1a17f7400817"][6:8] == ["dc1-spine-01:Ethernet3", "dc1-spine-02:Ethernet3"]
    assert by_id["78f05a55a950"][8] == "78f05a55a950waived"
    assert [th.attrs["aria-sort"] for th in dom.find("th") if "data-col" in th.attrs] == ["none"] * 9


@pytest.mark.parametrize("direction", ["desc", "asc"])
def test_sort_by_severity_from_the_fragment(tmp_path, report, direction):
    dom = dump(tmp_path, report, "sort=severity:" + direction)
    severities = [row[2][5] for row in visible(dom)]
    ranks = [RANK[severity] for severity in severities]
    assert ranks == sorted(ranks, reverse=direction == "desc") and len(ranks) == 17
    assert severities[0] == ("high" if direction == "desc" else "low")
    (th,) = [th for th in dom.find("th") if th.attrs.get("data-col") == "severity"]
    assert th.attrs["aria-sort"] == ("descending" if direction == "desc" else "ascending")


def test_sort_by_key_is_natural_and_desc_reverses_it(tmp_path, report):
    keys = [row[2][2] for row in visible(dump(tmp_path, report, "sort=key:asc"))]
    ethernet = [key for key in keys if key.startswith("Ethernet") and "/" not in key]
    assert ethernet == ["Ethernet1", "Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4", "Ethernet5", "Ethernet7",
                        "Ethernet48"]
    keys_desc = [row[2][2] for row in visible(dump(tmp_path, report, "sort=key:desc"))]
    assert keys_desc[0] == keys[-1] and keys_desc[-1] == keys[0]


@pytest.mark.parametrize("fragment, query, filters", [
    ("q=ethernet&class=mismatch", "ethernet", {"class": "mismatch"}),
    ("q=ETHERNET4", "ethernet4", {}),
    ("class=missing_in_netbox", "", {"class": "missing_in_netbox"}),
    ("severity=high&kind=interface", "", {"severity": "high", "kind": "interface"}),
    ("status=partial", "", {"status": "partial"}),
    ("counted=no", "", {"counted": "no"}),
    ("q=spine&device=dc1-eos-01&sort=id:asc", "spine", {"device": "dc1-eos-01"}),
    ("q=no-such-text", "no-such-text", {}),
])
def test_filters_from_the_fragment(tmp_path, report, fragment, query, filters):
    dom = dump(tmp_path, report, fragment)
    shown = [row[0] for row in visible(dom)]
    expected = expected_ids(report, query, **filters)
    if "sort=id" in fragment:
        expected = sorted(expected)
    assert shown == expected and count(dom) == len(expected)
    assert len(rows(dom)) == 17  # filtered rows are hidden, not removed
    assert ("hidden" not in dom.find("p", id="no-rows")[0].attrs) == (not expected)


def test_an_unknown_filter_value_is_ignored(tmp_path, report):
    dom = dump(tmp_path, report, "class=%3Cb%3E&sort=bogus:desc")
    assert count(dom) == 17 and [row[0] for row in visible(dom)] == [record["id"] for record in report["drift"]]


def test_hostile_description_is_text_only(tmp_path, report):
    dom = dump(tmp_path, report, "open=9b3e3fc48de0")
    assert dom.find("title")[0].text() == "NetBox drift report 20261121T101500Z-3f2a"
    assert dom.find("img") == []
    assert len(dom.find("script")) == 3  # the data, the table's script, the topology's
    cells = dict((row[0], row[2]) for row in rows(dom))
    assert cells["9b3e3fc48de0"][7] == HOSTILE_SCRIPT
    assert cells["6358094ad9f4"][7] == HOSTILE_IMG
    (attention,) = dom.find("table", id="attention-devices")  # written by the template, escaped
    shown = dict((tr.attrs["data-id"], [td.text() for td in tr.find("td")]) for tr in attention.find("tr")
                 if "data-id" in tr.attrs)
    assert shown["9b3e3fc48de0"][6] == HOSTILE_SCRIPT and shown["6358094ad9f4"][6] == HOSTILE_IMG


def test_open_rows_show_their_evidence(tmp_path, report):
    dom = dump(tmp_path, report, "open=9b3e3fc48de0,78f05a55a950")
    details = [row for row in dom.find("tr", **{"class": "detail"}) if "hidden" not in row.attrs]
    assert len(details) == 2
    text = details[0].text()
    assert "show running-config" in text and "arista_eos_show_running-config.ttp" in text
    assert details[0].find("pre")[0].text() == "interface Ethernet1\n   description " + HOSTILE_SCRIPT
    (link,) = details[0].find("a")
    assert link.attrs["href"] == "https://netbox.example.net/dcim/interfaces/101/"
    assert link.attrs["rel"] == "noopener noreferrer"
    assert "jumbo frames on the storage ports, CHG-4411 (expires 2026-12-31)" in details[1].text()


def test_a_cable_shows_what_its_far_ends_see(tmp_path, report):
    rec = next(r for r in report["drift"] if r["id"] == "1a17f7400817")
    rec["one_sided"] = True
    rec["evidence"]["far_end"] = {
        "netbox_peer": {"device": "dc1-spine-01", "port": "Ethernet3", "sees_this_port": True,
                        "sees": [{"device": rec["device"], "port": HOSTILE_IMG}]},
        "seen_peer": {"device": "dc1-spine-02", "port": "Ethernet3", "sees": None, "sees_this_port": None}}
    dom = dump(tmp_path, report, "open=1a17f7400817")
    (detail,) = [row for row in dom.find("tr", **{"class": "detail"}) if "hidden" not in row.attrs]
    text = detail.text()
    assert "far end in NetBoxdc1-spine-01 Ethernet3 sees %s %s (this port)" % (rec["device"], HOSTILE_IMG) in text
    assert "neighbour seendc1-spine-02 Ethernet3: its neighbours were not verified in this run" in text
    assert "one-sidedtrue" in text and dom.find("img") == []


def test_a_non_http_netbox_link_is_not_a_link(tmp_path, report):
    report["drift"][0]["evidence"]["netbox_url"] = "javascript:alert(1)"
    dom = dump(tmp_path, report, "open=" + report["drift"][0]["id"])
    (detail,) = [row for row in dom.find("tr", **{"class": "detail"}) if "hidden" not in row.attrs]
    assert detail.find("a") == [] and "dcim.cable 501" in detail.text()


STATE = """JSON.stringify({hash: location.hash, count: document.getElementById("visible-count").textContent,
  rows: Array.from(document.querySelectorAll("#drift-table tr[data-id]")).filter(function (tr) { return !tr.hidden; })
    .map(function (tr) { return [tr.getAttribute("data-id"), tr.children[5].textContent]; }),
  open: Array.from(document.querySelectorAll("#drift-table tr.detail"))
    .filter(function (tr) { return !tr.hidden; }).length})"""


def test_clicks_and_typing_update_the_table_and_the_fragment(tmp_path, report):
    tools = DevTools(tmp_path, render(tmp_path, report).as_uri())
    try:
        tools.attach()
        tools.wait_ready()
        click = 'document.querySelector(\'#drift-table th[data-col="severity"] button\').click()'
        tools.js(click)
        state = json.loads(tools.js(STATE))
        assert state["hash"] == "#sort=severity:asc" and state["rows"][0][1] == "low"
        tools.js(click)
        state = json.loads(tools.js(STATE))
        assert state["hash"] == "#sort=severity:desc" and state["rows"][0][1] == "high"
        tools.js('var q = document.getElementById("filter-q"); q.value = "Vlan";'
                 'q.dispatchEvent(new Event("input"))')
        state = json.loads(tools.js(STATE))
        assert state["hash"] == "#sort=severity:desc&q=Vlan"
        severity = dict((record["id"], RANK[record["severity"]]) for record in report["drift"])
        expected = sorted(expected_ids(report, "vlan"), key=lambda ident: -severity[ident])  # stable, as the page
        assert [row[0] for row in state["rows"]] == expected and len(expected) == 6
        tools.js('document.querySelector(\'#drift-table tr[data-id="%s"]\').click()' % expected[-1])
        state = json.loads(tools.js(STATE))
        assert state["open"] == 1 and state["hash"] == "#sort=severity:desc&q=Vlan&open=" + expected[-1]
        tools.js('new Promise(function (resolve) {'  # resolves after the page's own hashchange listener ran
                 '  window.addEventListener("hashchange", function () { setTimeout(resolve, 0); }, {once: true});'
                 '  location.hash = "#class=missing_on_device"; })')
        state = json.loads(tools.js(STATE))
        assert state["count"] == "2" and state["open"] == 0
        assert tools.js('document.getElementById("filter-q").value') == ""
    finally:
        tools.close()
