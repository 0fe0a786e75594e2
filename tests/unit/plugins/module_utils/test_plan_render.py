"""The plan as a playbook (valid, lint-clean, one tagged task per change, device text
kept inert) and as Markdown for review."""

import json
import os
import shutil
import subprocess

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan, plan_render

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "..", "fixtures", "reports", "lab-drift.json")
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
HOSTILE = "{{ lookup('pipe', 'id') }} {% raw %} | <b>x</b> `y` \"q\" \\ \u0085\u0090 \u2028 \U0001F600 " + "z" * 120


@pytest.fixture(name="lab_plan")
def fixture_lab_plan():
    with open(LAB, encoding="utf-8") as handle:
        report = json.load(handle)
    for record in report["drift"]:
        record["authority"] = "device"
        if record["field"] == "description":
            record["device_value"] = HOSTILE
        if record["kind"] == "cable":
            record["one_sided"] = False  # as if the far end corroborated it (the fixture predates that check)
    sites = dict((entry["device"], entry["device"][:3]) for entry in report["devices"])
    return plan.build(report, {"sites": sites, "allow_delete": True, "primary_interfaces": {"dc2-nxos-04": None},
                               "created": "2026-11-21T14:00:00Z", "os_version_field": "software_version"})


def load(text):
    from ansible.parsing.yaml.loader import AnsibleLoader
    return AnsibleLoader(text).get_single_data()


def test_one_tagged_task_per_change(lab_plan):
    text = plan.render_playbook(lab_plan)
    play = load(text)[0]
    assert (play["hosts"], play["connection"], play["gather_facts"]) == ("localhost", "local", False)
    assert play["vars"].pop("plan_netbox_api").startswith("{{ netbox_url | default(")
    assert play["vars"] == {"plan_netbox_url": "http://127.0.0.1:52529",
                            "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    assert play["check_mode"] is True  # every task, whatever the command line says
    preview, guard = play["tasks"][:2]
    assert preview["tags"] == ["always"] and preview["ansible.builtin.assert"]["that"] == "ansible_check_mode"
    assert "truthloop.netbox_drift.apply" in preview["ansible.builtin.assert"]["fail_msg"]
    assert guard["tags"] == ["always"] and guard["ansible.builtin.assert"]["that"] == plan_render.SAME_NETBOX
    assert len(play["tasks"]) - 2 == len(lab_plan["changes"]) == 12
    for task, change in zip(play["tasks"][2:], lab_plan["changes"]):
        assert task["tags"] == [change["change_id"]]
        assert change["change_id"] in task["name"] and change["drift_id"] in task["name"]
        params = dict(task[change["module"]])
        assert params.pop("netbox_url") == "{{ plan_netbox_api }}"
        assert params.pop("netbox_token").startswith("{{ netbox_token | default(")
        assert params == change["data"]
    assert "check_mode: false" not in text and all(len(line) <= 160 for line in text.splitlines())


def test_device_text_is_never_templated(lab_plan, tmp_path):
    """Loaded as ansible-playbook loads a playbook (trusted as a template), the device's
    text stays text while the plan's own expressions are templated."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    path = tmp_path / "plan.yml"
    path.write_text(plan.render_playbook(lab_plan), encoding="utf-8")
    loader = DataLoader()
    play = loader.load_from_file(str(path), trusted_as_template=True)[0]
    task = [t for t in play["tasks"] if t["tags"] == ["c-eb85e9e0e04a"]][0]
    params = task["netbox.netbox.netbox_device_interface"]
    templar = Templar(loader=loader, variables=dict(play["vars"], netbox_url="http://nb.example/api/"))
    assert templar.template(params["data"]["description"]) == HOSTILE
    assert templar.template(params["netbox_url"]) == "http://nb.example/api/"
    guard = play["tasks"][1]["ansible.builtin.assert"]
    assert templar.evaluate_expression(guard["that"]) is False  # not the NetBox of the plan
    assert "made for NetBox at http://127.0.0.1:52529, not http://nb.example/api/" in templar.template(guard["fail_msg"])
    templar = Templar(loader=loader, variables=dict(play["vars"], netbox_url="http://127.0.0.1:52529/api/"))
    assert templar.evaluate_expression(guard["that"]) is True


@pytest.mark.parametrize("value, text", [
    (None, "null"), (True, "true"), (3, "3"), ([], "[]"), ({}, "{}"), ("a: b", '"a: b"'),
    ("{{ x }}", '!unsafe "{{ x }}"  # noqa: jinja'), ("\u2028", '"\\u2028"'), ("\x85", '"\\u0085"'),
])
def test_scalar(value, text):
    assert plan_render.scalar(value) == text


def test_long_strings_are_folded_without_losing_spaces():
    value = ("word " * 60).strip()
    text = "key: %s\n" % plan_render.scalar(value, "  ")
    assert max(len(line) for line in text.splitlines()) < 100
    assert load(text) == {"key": value}


def test_empty_plan_playbook(lab_plan):
    empty = dict(lab_plan, changes=[])
    play = load(plan.render_playbook(empty))[0]
    assert play["tasks"][-1]["ansible.builtin.debug"] == {"msg": "The plan holds no change."}


def _tool(name):
    path = os.path.join(ROOT, ".venv", "bin", name)
    return path if os.path.exists(path) else shutil.which(name)


def _env():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    env.pop("ANSIBLE_INVENTORY_UNPARSED_FAILED", None)
    return env


@pytest.mark.parametrize("empty", [False, True])
def test_playbook_syntax(lab_plan, tmp_path, empty):
    tool = _tool("ansible-playbook")
    if not tool or not os.path.exists(os.path.join(ROOT, "ansible.cfg")):
        pytest.skip("ansible-playbook and the checkout's ansible.cfg are needed")
    path = tmp_path / "plan.yml"
    path.write_text(plan.render_playbook(dict(lab_plan, changes=[]) if empty else lab_plan), encoding="utf-8")
    done = subprocess.run([tool, "--syntax-check", "-i", "localhost,", str(path)], env=_env(), cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_playbook_passes_ansible_lint_production(lab_plan, tmp_path):
    tool = _tool("ansible-lint")
    if not tool or not os.path.exists(os.path.join(ROOT, "ansible.cfg")):
        pytest.skip("ansible-lint and the checkout's ansible.cfg are needed")
    (tmp_path / "plan.yml").write_text(plan.render_playbook(lab_plan), encoding="utf-8")
    done = subprocess.run([tool, "--profile", "production", "--offline", "-q", "plan.yml"], env=_env(),
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_markdown(lab_plan):
    text = plan.render_markdown(lab_plan)
    rows = [line for line in text.splitlines() if line.startswith("| c-")]
    assert len(rows) == len(lab_plan["changes"])
    assert "<b>" not in text and "&lt;b&gt;" in text and "\\|" in text
    assert "12 change(s) (netbox_cable 2, netbox_device 2, netbox_device_interface 7, netbox_ip_address 1)" in text
    assert "### Not plannable (1)" in text and "cannot be cleared" in text
    assert "dcim.device 11 (2026-11-21T11:38:11.579416Z)" in text


def test_a_plan_without_netbox_stops_its_preview(lab_plan):
    play = load(plan.render_playbook(dict(lab_plan, netbox_url=None)))[0]
    preview, stop = play["tasks"][:2]
    assert preview["ansible.builtin.assert"]["that"] == "ansible_check_mode"
    assert stop["tags"] == ["always"] and "names no NetBox" in stop["ansible.builtin.fail"]["msg"]
    assert play["check_mode"] is True
