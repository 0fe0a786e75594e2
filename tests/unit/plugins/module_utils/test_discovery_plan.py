"""Discovered devices through the path of a run: crawl, policy, report, plan, preview
playbook, and the apply step's decisions and read-back for a new device."""

import copy
import os
import subprocess

import pytest
import yaml

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import apply, apply_verify, plan, plan_render
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import crawl as c

from test_discovery_crawl import CREDS, index, new1, run, seeds  # noqa: I100 - the crawl's own fixtures
from test_plan_render import ROOT, _env, _tool  # noqa: I100 - the same tools as the other previews

AUTHORITY = {"device.missing_in_netbox": "device"}


def discovery(role="access", authority=None):
    crawl = c.Crawl(["10.9.0.0/16"], 2, CREDS, role=role, index=index())
    seeds(crawl)
    run(crawl, {"10.9.0.11": new1(), "10.9.0.12": "authentication failed"})
    found = crawl.result()
    rules = policy.load({"authority": authority if authority is not None else AUTHORITY})
    records = [r for rec in found["records"] for r in policy.finish([rec], rec["device"], rules)[0]]
    return {"records": records, "log": found["log"]}


def the_report(**kwargs):
    return report.assemble([], {"id": "r1", "fail_on": "any", "netbox_url": "https://nb",
                                "settings": {"os_version_field": "software_version"}}, None, discovery=discovery(**kwargs))


def test_the_report_holds_the_discovered_devices_and_says_so():
    doc = the_report()
    assert doc["summary"]["discovery"] == {"not_in_netbox": 4, "unseen": 1}
    assert doc["summary"]["line"].endswith("; discovery: 4 device(s) not in NetBox, 1 NetBox device(s) nobody sees")
    assert doc["summary"]["by_class"]["missing_in_netbox"] == 4 and doc["summary"]["drift"] == 5
    assert doc["summary"]["failed"] is True
    assert [(r["device"], r["class"], r["severity"]) for r in doc["drift"]] == [
        ("deep", "missing_in_netbox", "medium"), ("new1", "missing_in_netbox", "medium"),
        ("out", "missing_in_netbox", "medium"), ("phone-7", "missing_in_netbox", "medium"),
        ("sw3", "missing_on_device", "high")]
    assert doc["discovery"]["attempts"][0]["address"] == "10.9.0.11" and doc["devices"] == []
    assert len(set(r["id"] for r in doc["drift"])) == 5


def test_a_discovery_that_failed_fails_every_gate_but_never():
    doc = report.assemble([], {"id": "r1", "fail_on": "severity:high"}, None, discovery={"error": "NetBox answered 503"})
    assert doc["discovery"] == {"error": "NetBox answered 503"} and doc["summary"]["failed"] is True
    assert report.fail_reasons(doc, "severity:high") == ["discovery did not complete: NetBox answered 503"]
    assert doc["summary"]["line"].endswith("; discovery failed: NetBox answered 503")
    assert report.fail_reasons(doc, "never") == []


def test_the_plan_proposes_the_device_its_interfaces_address_and_cables_as_one_group():
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    mine = [ch for ch in made["changes"] if ch["device"] == "new1"]
    group = set(ch["group"] for ch in mine)
    assert len(group) == 1 and all(ch["action"] == "create" for ch in mine)
    steps = [(ch["kind"], ch["key"], ch["field"], ch["module"].rsplit(".", 1)[-1]) for ch in mine]
    assert steps == [
        ("device", "new1", None, "netbox_device"),
        ("interface", "GigabitEthernet0/0", None, "netbox_device_interface"),
        ("interface", "GigabitEthernet1/0/1", None, "netbox_device_interface"),
        ("interface", "GigabitEthernet1/0/2", None, "netbox_device_interface"),
        ("ip_address", "10.9.0.11/24", None, "netbox_ip_address"),
        ("device", "new1", "primary_ip4", "netbox_device"),
        ("cable", "GigabitEthernet1/0/1", "peer", "netbox_cable"),
        ("cable", "GigabitEthernet1/0/2", "peer", "netbox_cable")]
    assert mine[0]["data"]["data"] == {"name": "new1", "device_type": "c9300-48p", "device_role": "access", "site": "dc1",
                                       "status": "active", "platform": "cisco_ios", "serial": "FOC123",
                                       "custom_fields": {"software_version": "17.9.4a"}}
    assert mine[1]["data"]["data"] == {"device": "new1", "name": "GigabitEthernet0/0", "type": "other",
                                       "enabled": True, "description": "oob"}  # not named like a management port
    assert mine[4]["data"]["data"] == {"address": "10.9.0.11/24", "status": "active", "vrf": "MGMT",
                                       "assigned_object": {"device": "new1", "name": "GigabitEthernet0/0"}}
    assert mine[5]["data"]["data"] == {"name": "new1", "primary_ip4": "10.9.0.11/24"}
    assert mine[6]["data"]["data"]["termination_a"] == {"device": "sw1", "name": "GigabitEthernet1/0/35"}
    assert mine[7]["data"]["data"]["termination_b"] == {"device": "new1", "name": "GigabitEthernet1/0/2"}
    assert all(ch["object"] is None and ch["digest"] for ch in mine)


def test_what_netbox_lacks_makes_the_device_unplannable_and_a_netbox_device_is_never_removed():
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    reasons = dict((e["device"], e["reason"]) for e in made["unplannable"])
    assert sorted(reasons) == ["deep", "out", "phone-7"]
    assert reasons["out"].startswith("NetBox lacks what the device needs, and it is not invented: "
                                     "a device type: its model is not known (it was not logged into)")
    assert [e["device"] for e in made["remediation"]] == ["sw3"]  # authority netbox by default
    made = plan.build(the_report(authority={"device": "device"}), {"created": "2026-12-01T00:00:00Z"})
    assert "is not removed on that evidence" in dict((e["device"], e["reason"]) for e in made["unplannable"])["sw3"]
    without_role = plan.build(the_report(role=None), {"created": "2026-12-01T00:00:00Z"})
    assert [ch for ch in without_role["changes"] if ch["device"] == "new1"] == []
    assert "a role: no role is given for discovered devices (discover_role)" in \
        dict((e["device"], e["reason"]) for e in without_role["unplannable"])["new1"]


def test_with_netbox_authority_the_device_needs_remediation_not_a_plan():
    made = plan.build(the_report(authority={}), {"created": "2026-12-01T00:00:00Z"})
    assert made["changes"] == [] and "new1" in [e["device"] for e in made["remediation"]]


def test_the_preview_skips_what_needs_the_new_device_and_stays_yaml():
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    text = plan_render.render_playbook(made)
    tasks = yaml.safe_load(text)[0]["tasks"]
    mine = [t for t in tasks if "new1" in t["name"]]
    assert "when" not in mine[0] and all(t.get("when") == "not ansible_check_mode" for t in mine[1:])
    assert text.count("# needs device new1, which an earlier step creates") == len(mine) - 1


def test_a_new_device_netbox_has_meanwhile_is_stale_not_overwritten():
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    device = [ch for ch in made["changes"] if ch["device"] == "new1"][0]
    assert apply.decide(device, None) == (apply.APPLY, None)
    verdict, reason = apply.decide(device, {"id": 42, "name": "new1"})
    assert verdict == apply.STALE and "NetBox has a device named new1 now (id 42)" in reason


def test_the_read_back_of_a_new_device_compares_references_by_slug_or_name():
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    device, primary = [ch for ch in made["changes"] if ch["device"] == "new1" and ch["kind"] == "device"]
    held = {"id": 7, "name": "new1", "serial": "FOC123", "status": {"value": "active", "label": "Active"},
            "device_type": {"id": 1, "model": "C9300-48P", "slug": "c9300-48p"},
            "role": {"id": 2, "name": "Access", "slug": "access"},
            "platform": {"id": 3, "name": "cisco_ios", "slug": "cisco_ios"},
            "site": {"id": 4, "slug": "dc1"}, "custom_fields": {"software_version": "17.9.4a"},
            "primary_ip4": {"id": 9, "address": "10.9.0.11/24"}}
    assert apply_verify.verify(device, held)[0] == []
    assert apply_verify.verify(primary, held)[0] == []
    other = copy.deepcopy(held)
    other["role"] = {"id": 5, "name": "Core", "slug": "core"}
    other["primary_ip4"] = None
    assert apply_verify.verify(device, other)[0] == [("device_role", "access", "Core")]
    assert apply_verify.verify(primary, other)[0] == [("primary_ip4", "10.9.0.11/24", None)]


def test_the_preview_with_new_devices_passes_ansible_lint_production(tmp_path):
    tool = _tool("ansible-lint")
    if not tool or not os.path.exists(os.path.join(ROOT, "ansible.cfg")):
        pytest.skip("ansible-lint and the checkout's ansible.cfg are needed")
    made = plan.build(the_report(), {"created": "2026-12-01T00:00:00Z"})
    (tmp_path / "plan.yml").write_text(plan_render.render_playbook(made), encoding="utf-8")
    done = subprocess.run([tool, "--profile", "production", "--offline", "-q", "plan.yml"], env=_env(),
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
