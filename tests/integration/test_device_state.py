"""Device state on the lab: the model of every device equals what the dataset says
(after the scenario's device-side changes), through network_cli, the fast path and
the offline parse of a snapshot."""

import json

import pytest

from conftest import ROOT, STATE, playbook
from lab_expect import differences


@pytest.fixture(scope="module")
def collected(lab, tmp_path_factory):
    out = tmp_path_factory.mktemp("collect")
    playbook(ROOT / "tests" / "integration" / "playbooks" / "collect.yml", "-e", f"collect_out={out}")
    return out, {d["name"]: json.loads((out / f"{d['name']}.json").read_text())
                 for d in lab["device_view"]["devices"]}


@pytest.mark.parametrize("path", ["network_cli", "fast", "offline"])
def test_model_equals_the_dataset(lab, collected, path):
    models = collected[1]
    problems = {}
    for device in lab["device_view"]["devices"]:
        found = differences(device, models[device["name"]][path], lab["device_view"])
        if found:
            problems[device["name"]] = found
    assert problems == {}


def test_both_paths_give_the_same_model(lab, collected):
    models = collected[1]
    for name, model in models.items():
        for key in ("facts", "interfaces", "vlans", "neighbors", "sections"):
            assert model["network_cli"][key] == model["fast"][key] == model["offline"][key], (name, key)


def test_snapshot_has_a_manifest_and_no_secret(lab, collected):
    out = collected[0]
    device = lab["device_view"]["devices"][0]["name"]
    manifest = json.loads((out / "snapshots" / "fast" / device / "manifest.json").read_text())
    assert manifest["device"] == device and all(c["ok"] for c in manifest["commands"])
    password = (STATE / "group_vars" / "all.yml").read_text().split("ansible_password:")[1].split()[0]
    for path in (out / "snapshots").rglob("*.txt"):
        assert password not in path.read_text()
