"""drift.html without a browser: embedded data, escaping, CSP hashes, no external resources."""

import base64
import copy
import hashlib
import html.parser
import json
import os
import re

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_html, report_html_assets
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_html_context

ASSETS = ("report.css", "drift-table.js", "topology.js")

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "reports", "sample-report.json")
DATA_OPEN = '<script type="application/json" id="report-data">'
HOSTILE = "<img src=x onerror=alert(1)>\"'&</script><script>alert(2)</script>"


@pytest.fixture(name="report")
def fixture_report():
    with open(SAMPLE, encoding="utf-8") as handle:
        return json.load(handle)


class Page(html.parser.HTMLParser):
    """Tags, attributes and the text of every script and style element of a page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.styles, self.current = [], [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self.current = (tag, dict(attrs), [])

    def handle_endtag(self, tag):
        if self.current and tag == self.current[0]:
            target = self.scripts if tag == "script" else self.styles
            target.append((self.current[1], "".join(self.current[2])))
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.current[2].append(data)

    def find(self, tag, **attrs):
        return [found for name, found in self.tags if name == tag and all(found.get(k) == v for k, v in attrs.items())]


def embedded(page_text):
    start = page_text.index(DATA_OPEN) + len(DATA_OPEN)
    return page_text[start:page_text.index("</script>", start)]


def outside_data(page_text):
    start = page_text.index(DATA_OPEN)
    return page_text[:start] + page_text[page_text.index("</script>", start):]


def sha256_source(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def test_embedded_json_round_trips(report):
    text = report_html.render(report)
    data = embedded(text)
    assert json.loads(data) == report
    assert "<" not in data and ">" not in data and "&" not in data
    assert "\\u003c/script\\u003e\\u003cscript\\u003edocument.title='pwned'" in data


def test_line_and_paragraph_separators_are_escaped(report):
    report["drift"][0]["device_value"] = "a\u2028b\u2029c"
    text = report_html.render(report)
    assert "\u2028" not in embedded(text) and "\u2029" not in embedded(text)
    assert json.loads(embedded(text))["drift"][0]["device_value"] == "a\u2028b\u2029c"


def test_no_markup_from_the_data(report):
    text = report_html.render(report)
    page = Page(text)
    assert len(page.scripts) == 3 and text.count("<script") == 3 and text.count("</script>") == 3
    assert page.find("img") == [] and "<img" not in text
    assert "document.title='pwned'" not in "".join(body for attrs, body in page.scripts[1:])
    assert [attrs.get("type") for attrs, body in page.scripts] == ["application/json", None, None]


def test_python_rendered_text_is_escaped(report):
    hostile = copy.deepcopy(report)
    hostile["summary"]["line"] = HOSTILE
    hostile["run"]["id"] = HOSTILE
    hostile["devices"][0].update(device=HOSTILE, platform=HOSTILE, status=HOSTILE)
    hostile["drift"][0].update(device=HOSTILE, kind=HOSTILE, **{"class": HOSTILE})
    hostile["unverified"][0]["reason"] = HOSTILE
    hostile["summary"]["by_class"][HOSTILE] = 3
    text = report_html.render(hostile)
    page = Page(text)
    assert page.find("img") == [] and "<img" not in text
    assert text.count("<script") == 3 and len(page.scripts) == 3
    assert json.loads(embedded(text)) == hostile
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;&#39;&amp;&lt;/script&gt;" in text  # markupsafe's escapes
    options = [attrs.get("value") for attrs in page.find("option")]
    assert HOSTILE in options  # the attribute value, decoded: it stayed one attribute
    assert page.find("span", **{"class": "status status-other"})  # an unknown status gets a fixed class


def test_no_external_resources(report):
    text = report_html.render(report)
    page = Page(text)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset", "xlink:href", "poster", "data"):
            assert name not in attrs, (tag, attrs)
        if tag == "link":
            pytest.fail("a <link> element: %r" % attrs)
    assert re.search(r"(?i)\burl\(|@import", report_html_assets.read("report.css")) is None
    for name in ASSETS[1:]:
        assert re.search(r"\b(fetch|XMLHttpRequest|WebSocket|import|eval)\b", report_html_assets.read(name)) is None
    # the run's NetBox URL is shown as text, and object links are only inside the JSON data
    assert outside_data(text).count("https://") == 1
    assert "https://netbox.example.net/dcim/interfaces/101/" in embedded(text)


def test_csp_allows_exactly_the_inline_script_and_style(report):
    text = report_html.render(report)
    page = Page(text)
    metas = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    (json_attrs, data), (table_attrs, table_script), (topo_attrs, topo_script) = page.scripts
    ((style_attrs, style),) = page.styles
    assert table_script == report_html_assets.read("drift-table.js") and topo_script == report_html_assets.read("topology.js")
    assert style == report_html_assets.read("report.css")
    assert policy["script-src"] == sha256_source(table_script) + " " + sha256_source(topo_script)
    assert policy["style-src"] == sha256_source(style)
    assert policy["default-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in metas[0]["content"]
    assert text.index("Content-Security-Policy") < text.index("<style>") < text.index("<script")
    assert not [attrs for tag, attrs in page.tags if "style" in attrs or any(k.startswith("on") for k in attrs)]


@pytest.mark.parametrize("name", ASSETS)
def test_assets_hold_nothing_that_could_end_their_element(name):
    text = report_html_assets.read(name)
    assert "</" not in text and "<!--" not in text
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write", "new Function"):
        assert unsafe not in text


def test_table_filters_and_count_elements(report):
    page = Page(report_html.render(report))
    assert len(page.find("table", id="drift-table")) == 1
    assert [attrs["data-col"] for tag, attrs in page.tags if tag == "th" and "data-col" in attrs] == [
        "device", "kind", "key", "field", "class", "severity", "netbox_value", "device_value", "id"]
    assert page.find("span", id="visible-count") and page.find("input", id="filter-q")
    for name in ("class", "severity", "kind", "status", "device", "counted"):
        assert page.find("select", id="filter-" + name)
    values = [attrs["value"] for attrs in page.find("option")]
    for value in ("mismatch", "name_only", "high", "cable", "ip_address", "partial", "dc1-eos-01", "dc2-nxos-01"):
        assert value in values
    assert "dc1-ios-01" not in values  # no records: nothing to filter on


def test_device_table_is_colour_coded_by_status(report):
    text = report_html.render(report)
    for status in ("clean", "drift", "partial", "unverified", "skipped"):
        assert '<span class="status status-%s">%s</span>' % (status, status) in text
    assert "<td>neighbors</td>" in text and "1 since 20261120T101500Z-aa01" in text


def test_bar_chart_scales_to_the_largest_count(report):
    chart = report_html_context.bar_chart("by class", [("mismatch", 10), ("name_only", 1), ("none", 0)])
    assert [drawn["width"] for drawn in chart["bars"]] == [260, 26, 0]
    text = report_html.render(report)
    assert text.count("<svg") == 2 and '<rect class="bar sev-high"' in text


def test_header_shows_the_summary_and_the_run(report):
    text = report_html.render(report)
    assert '<span class="verdict verdict-failed">FAILED</span> ' + report["summary"]["line"] in text
    assert "<dt>run</dt><dd>20261121T101500Z-3f2a</dd>" in text and "<dd>41 s</dd>" in text


def test_an_empty_report_renders():
    text = report_html.render({})
    assert "No devices." in text and json.loads(embedded(text)) == {}
