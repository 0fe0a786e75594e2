"""The topology pictures: Graphviz dot's layout, checked and annotated SVG, and a note
instead of a picture when Graphviz is missing (the reports are written all the same)."""

import copy
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET

import pytest
from test_topology import run

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_report
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report, topology, topology_draw, topology_svg

HAS_DOT = topology_draw.graphviz is not None and shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz (dot) or the graphviz package is not installed")
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>\"'&\\N"


def topo_of(results=None, role_order=None):
    return topology.build(results or run(), role_order)


def groups(svg, attribute):
    return dict((g.get(attribute), g) for g in ET.fromstring(svg).iter(SVG + "g") if g.get(attribute))


def lab_like(sites, per_site=6):
    """Devices in pairs, five cables a pair, as the lab's dataset has them."""
    results = []
    for s in range(sites):
        for i in range(per_site):
            name, peer = "dc%d-sw-%02d" % (s + 1, i + 1), "dc%d-sw-%02d" % (s + 1, (i ^ 1) + 1)
            cables = [["Ethernet%d" % p, peer, "Ethernet%d" % p, s * 1000 + i * 10 + p] for p in (37, 38, 41, 42, 43)]
            results.append({"device": name, "site": "dc%d" % (s + 1), "role": "core" if i < 2 else "access",
                            "status": "clean", "platform": "arista_eos", "drift": 0, "records": [], "cables": cables,
                            "neighbors": [[c[0], c[1], c[2]] for c in cables], "notes": {}})
    return results


@needs_dot
def test_whole_run_picture_has_every_device_link_and_site():
    topo = topo_of()
    records = dict((r["id"], r) for res in run() for r in res["records"])
    picture = topology_draw.draw(topo, records=records)
    nodes, edges, sites = (groups(picture["svg"], a) for a in ("data-node", "data-links", "data-site"))
    assert sorted(nodes) == sorted(n["id"] for n in topo["nodes"])
    assert sorted(l for e in edges for l in e.split()) == sorted(l["id"] for l in topo["links"])
    assert set(sites) == {"s1", "s2"}
    assert nodes["n1"].get("class") == "tnode status-drift kind-device"
    assert nodes["n5"].get("class") == "tnode status-discovered kind-discovered"
    assert nodes["n6"].get("class") == "tnode status-outside kind-outside"
    title = nodes["n1"].find(SVG + "title").text
    assert title.startswith("sw-a (s1, core, cisco_ios): drift\n5 drift records:") and "r-mis cable" in title
    classes = sorted(g.get("class") for g in edges.values())
    assert classes == ["tedge link-confirmed", "tedge link-missing_in_netbox", "tedge link-one_sided",
                       "tedge link-unverified", "tedge link-wrong_peer", "tedge link-wrong_peer"]
    assert all(len(g.findall(SVG + "path")) == 1 for g in edges.values())


@needs_dot
def test_nodes_keep_their_styles():
    svg = topology_draw.draw(topo_of())["svg"]
    nodes = groups(svg, "data-node")
    strokes = dict((i, g.find(SVG + "path").get("stroke") if g.find(SVG + "path") is not None
                    else g.find(SVG + "polygon").get("stroke")) for i, g in nodes.items())
    assert strokes["n1"] == topology_draw.NODE_STYLES["drift"][0]
    assert strokes["n3"] == topology_draw.NODE_STYLES["unverified"][0]
    assert strokes["n5"] == topology_draw.NODE_STYLES["discovered"][0]
    assert len(nodes["n5"].findall(SVG + "polygon")) == 2  # a double border: absent from NetBox
    assert nodes["n3"].find(SVG + "path").get("stroke-dasharray")  # unverified: dashed


@needs_dot
def test_a_site_picture_shows_its_devices_and_their_neighbours():
    topo = topo_of()
    picture = topology_draw.draw(topo, "s2")
    nodes = groups(picture["svg"], "data-node")
    assert sorted(nodes) == ["n1", "n3", "n4"]  # sw-c, sw-d and sw-a that both are linked to
    assert set(groups(picture["svg"], "data-site")) == {"s1", "s2"}


@needs_dot
def test_hostile_names_stay_text():
    results = run()
    results[1]["device"] = HOSTILE
    results[1]["site"] = "</svg><script>alert(2)</script>"
    topo = topo_of(results)
    svg = topology_draw.draw(topo)["svg"]
    root = ET.fromstring(svg)
    assert "<script" not in svg and "</svg><" not in svg.replace("</svg>", "", svg.count("</svg>") - 1)
    assert [e.tag for e in root.iter() if e.tag.replace(SVG, "") not in topology_svg.ELEMENTS] == []
    texts = [t.text for t in root.iter(SVG + "text")]
    assert HOSTILE in texts and "</svg><script>alert(2)</script>" in texts


def test_only_drawing_elements_and_attributes_come_through():
    raw = ('<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" onload="alert(1)" viewBox="0 0 10 10">'
           '<script>alert(2)</script><style>*{}</style><foreignObject><p>x</p></foreignObject>'
           '<g id="tn-n1" style="fill:red"><title>n1</title><a xlink:href="javascript:alert(3)">'
           '<polygon fill="url(https://evil/x)" stroke="black" points="0,0 1,1"/></a><text x="1">a&lt;b</text></g>'
           '<g id="graph0"><title>G</title><image xlink:href="x.png"/></g></svg>')
    topo = {"nodes": [{"id": "n1", "device": "sw<1>", "status": "drift", "kind": "device", "records": []}], "links": []}
    svg = topology_svg.annotate(raw, topo, {"tn-n1": "n1"}, {}, {})
    assert svg == ('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" viewBox="0 0 10 10">'
                   '<g class="tnode status-drift kind-device" data-node="n1"><title>sw&lt;1&gt;: drift</title>'
                   '<polygon stroke="black" points="0,0 1,1"/><text x="1">a&lt;b</text></g><g></g></svg>')
    with pytest.raises(topology_svg.SvgError):
        topology_svg.annotate("<svg><g>", topo, {}, {}, {})


def test_without_graphviz_a_note_replaces_the_picture(monkeypatch):
    monkeypatch.setattr(topology_draw, "graphviz", None)
    pictures = topology_draw.draw_all(topo_of())
    assert pictures["whole"] is None and pictures["sites"] == []
    assert "Python package graphviz is not installed" in pictures["note"] and "apt-get install graphviz" in pictures[
        "note"]


@pytest.mark.skipif(topology_draw.graphviz is None, reason="the graphviz package is not installed")
def test_without_dot_a_note_replaces_the_picture(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on it
    pictures = topology_draw.draw_all(topo_of())
    assert pictures["whole"] is None and "dot program is not installed" in pictures["note"]


def test_reports_are_written_without_graphviz(monkeypatch, tmp_path):
    monkeypatch.setattr(topology_draw, "graphviz", None)
    doc = report.assemble(copy.deepcopy(run()), {"id": "r1", "fail_on": "never"})
    files = drift_report.write_reports(doc, str(tmp_path), ["markdown", "html", "junit", "topology"], 0)
    assert sorted(os.path.basename(p) for p in files.values()) == [
        "drift.html", "drift.json", "drift.md", "junit.xml", "topology.html", "topology.svg"]
    for name in ("drift.html", "topology.html"):
        page = (tmp_path / name).read_text()
        assert '<p class="note" id="topology-note">No topology picture: the Python package graphviz' in page
    note = ET.fromstring((tmp_path / "topology.svg").read_text().split("\n", 1)[1])
    assert "No topology picture" in "".join(t.text for t in note.iter(SVG + "text"))
    assert json.loads((tmp_path / "drift.json").read_text())["topology"]["summary"]["nodes"] == 6


@needs_dot
def test_reports_with_graphviz_write_each_site(tmp_path):
    doc = report.assemble(copy.deepcopy(run()), {"id": "r1", "fail_on": "never"})
    drift_report.write_reports(doc, str(tmp_path), ["html", "topology"], 0)
    assert sorted(p.name for p in tmp_path.glob("topology*")) == [
        "topology-s1.svg", "topology-s2.svg", "topology.html", "topology.svg"]
    standalone = (tmp_path / "topology.svg").read_text()
    assert standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
    assert "seen from one end only" in standalone and "legend" in standalone
    page = (tmp_path / "drift.html").read_text()
    assert page.count('class="topo-view"') == 3 and 'data-picture="whole"' in page


@needs_dot
def test_two_hundred_devices_stay_readable_and_quick():
    topo = topology.build(lab_like(34))  # 204 devices, 510 links, as the lab's 200
    started = time.monotonic()
    pictures = topology_draw.draw_all(topo)
    seconds = time.monotonic() - started
    box = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', pictures["whole"]["svg"])
    width, height = float(box.group(1)), float(box.group(2))
    assert len(groups(pictures["whole"]["svg"], "data-node")) == 204 and len(pictures["sites"]) == 34
    assert width / height < 4  # sites in a grid, not one row 15,000 points wide
    assert seconds < 60, seconds
    edges = groups(pictures["whole"]["svg"], "data-links")
    assert len(edges) == 102 and all(len(e.split()) == 5 for e in edges)  # five cables a pair, one edge
