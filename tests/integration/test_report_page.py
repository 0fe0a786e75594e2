"""The report pages of a real check on the lab, in headless Chromium.

`ansible-playbook truthloop.netbox_drift.check` runs on the lab after one NetBox
interface description is made hostile (a `<script>` and an `<img onerror>`); then
drift.html and topology.html are opened: the scenario's drift is on the first screen,
the topology shows every device and the scenario's cable drift, a click shows a
device's records, the page with scripts blocked still shows the picture, and the
injected markup stays text.
"""

import json
import pathlib
import sys

import pynetbox
import pytest
from conftest import ROOT, check_run, lab_env

sys.path.insert(0, str(ROOT / "tests" / "unit" / "plugins" / "module_utils"))
from chromium import BROWSER, DevTools, dump_dom  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium binary found (apt-get install chromium)")
HOSTILE = "</script><script>document.title='pwned'</script><img src=x onerror=alert(1)>"
TARGET = ("dc2-ios-03", "GigabitEthernet1/0/5")  # a clean device of the default scenario


@pytest.fixture(scope="module", name="run")
def fixture_run(lab, tmp_path_factory):  # pylint: disable=unused-argument
    env = lab_env()
    nb = pynetbox.api(env["NETBOX_API"], token=env["NETBOX_TOKEN"])
    iface = nb.dcim.interfaces.get(device=TARGET[0], name=TARGET[1])
    before = iface.description
    report_dir = tmp_path_factory.mktemp("reports")
    try:
        iface.update({"description": HOSTILE})
        proc = check_run(report_dir)
    finally:
        iface.update({"description": before})
    latest = report_dir / "latest"
    assert (latest / "drift.json").exists(), proc.stdout[-4000:]
    return {"dir": latest, "report": json.loads((latest / "drift.json").read_text()), "lab": lab}


def counted(report):
    return [rec for rec in report["drift"] if rec["counted"]]


def test_reports_and_topology_files_are_written(run):
    names = set(path.name for path in pathlib.Path(run["dir"]).iterdir())
    assert {"drift.json", "drift.html", "drift.md", "junit.xml", "topology.html", "topology.svg"} <= names
    assert {"topology-dc1.svg", "topology-dc2.svg"} <= names
    topo = run["report"]["topology"]
    assert len(topo["nodes"]) == len(run["report"]["devices"]) and topo["sites"] == ["dc1", "dc2"]
    assert all(node["role"] in ("core", "access") for node in topo["nodes"]) and topo["roles"] == ["core", "access"]
    hostile = [rec for rec in run["report"]["drift"] if rec["device"] == TARGET[0] and rec["key"] == TARGET[1]]
    assert [rec["netbox_value"] for rec in hostile] == [HOSTILE]


def test_cable_drift_of_the_scenario_is_on_the_links(run):
    cable_records = dict((rec["id"], rec) for rec in run["report"]["drift"] if rec["kind"] == "cable")
    links = run["report"]["topology"]["links"]
    assert cable_records
    for ident, rec in cable_records.items():
        carriers = [link for link in links if ident in link["records"]]
        assert carriers, rec
        assert all(link["class"] == ("one_sided" if rec["one_sided"] else "wrong_peer") or
                   link["class"] == rec["class"] for link in carriers), (rec, carriers)
    assert sum(1 for link in links if link["class"] == "confirmed") >= len(links) - 2 * len(cable_records)


def test_first_screen_shows_the_scenario_drift(run, tmp_path):
    tools = DevTools(tmp_path, (run["dir"] / "drift.html").as_uri())
    try:
        tools.attach()
        tools.viewport(1400, 1000)
        tools.wait_ready()
        tools.wait_ready("data-topology-ready")
        shown = json.loads(tools.js("""JSON.stringify(Array.from(document.querySelectorAll(
            "#attention-devices tr.rec")).map(function (tr) { var box = tr.getBoundingClientRect();
            return [tr.getAttribute("data-id"), box.bottom <= window.innerHeight, box.height > 0]; }))"""))
        assert tools.js("document.title").startswith("NetBox drift report")
        assert tools.js("window.innerHeight") == 1000
    finally:
        tools.close()
    expected = set(rec["id"] for rec in counted(run["report"]))
    assert set(ident for ident, on_screen, drawn in shown) == expected
    assert all(on_screen and drawn for ident, on_screen, drawn in shown), shown


def test_click_on_a_device_lists_its_records(run, tmp_path):
    report = run["report"]
    device = next(rec["device"] for rec in counted(report) if rec["kind"] == "cable")
    node = next(n for n in report["topology"]["nodes"] if n["device"] == device)
    tools = DevTools(tmp_path, (run["dir"] / "topology.html").as_uri())
    try:
        tools.attach()
        tools.wait_ready("data-topology-ready")
        tools.js('document.querySelector(\'.topo-view[data-picture="whole"] g.tnode[data-node="%s"]\')'
                 '.dispatchEvent(new MouseEvent("click", {bubbles: true}))' % node["id"])
        panel = tools.js('document.getElementById("topo-panel").textContent')
        selected = tools.js('document.querySelectorAll(".topo-view g.tnode.selected").length')
    finally:
        tools.close()
    assert panel.startswith(device) and selected >= 1
    for ident in node["records"]:
        assert ident in panel


@pytest.mark.parametrize("page", ["drift.html", "topology.html"])
def test_scripts_blocked_the_picture_is_there(run, tmp_path, page):
    dom = dump_dom(tmp_path, (run["dir"] / page).as_uri(), scripts=False)[0]
    assert not dom.find("html", **{"data-topology-ready": "true"})  # the scripts did not run
    (view,) = dom.find("div", **{"class": "topo-view", "data-picture": "whole"})
    groups = [g for g in view.find("g") if "data-node" in g.attrs]
    assert len(groups) == len(run["report"]["topology"]["nodes"])
    titles = " ".join(g.find("title")[0].text() for g in groups)
    for rec in counted(run["report"]):
        assert rec["id"] in titles  # hovering a device shows its records, without scripts
    cable_edges = [g for g in view.find("g") if "data-links" in g.attrs and "link-confirmed" not in g.attrs["class"]]
    assert cable_edges


@pytest.mark.parametrize("page", ["drift.html", "topology.html"])
def test_injected_script_stays_text(run, tmp_path, page):
    dom = dump_dom(tmp_path, (run["dir"] / page).as_uri())[0]
    assert dom.find("title")[0].text() != "pwned" and dom.find("img") == []
    assert len(dom.find("script")) == (3 if page == "drift.html" else 2)
    if page == "drift.html":
        (attention,) = dom.find("table", id="attention-devices")
        assert HOSTILE[:59] in attention.text()  # cut to 60 characters there, escaped
        rows = [tr for tr in dom.find("table", id="drift-table")[0].find("tr") if "data-id" in tr.attrs]
        assert any(HOSTILE in tr.text() for tr in rows)
