"""drift_plan's file handling: the report read with a clear error, the three files written whole."""

import json
import os

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_plan
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan

LAB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "reports", "lab-drift.json")


def test_read_report_errors_name_the_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read the drift report .*nope.json: No such file"):
        drift_plan.read_report(str(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"x":', encoding="utf-8")
    with pytest.raises(ValueError, match="the drift report .*bad.json is not JSON"):
        drift_plan.read_report(str(bad))


def test_write_plan(tmp_path):
    built = plan.build(drift_plan.read_report(LAB))
    files = drift_plan.write_plan(built, str(tmp_path / "out"))
    assert sorted(os.listdir(str(tmp_path / "out"))) == ["plan.json", "plan.md", "plan.yml"]
    with open(files["json"], encoding="utf-8") as handle:
        assert json.load(handle) == built
    assert open(files["playbook"], encoding="utf-8").read() == plan.render_playbook(built)
