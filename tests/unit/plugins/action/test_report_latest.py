"""``latest`` follows the newest run, not the last to end."""

import json
import os

from ansible_collections.truthloop.netbox_drift.plugins.action.drift_report import point_latest


def run(tmp_path, name, started):
    path = tmp_path / name
    path.mkdir()
    (path / "drift.json").write_text(json.dumps({"run": {"id": name, "started": started}}))
    return str(path)


def test_a_run_that_ends_after_a_newer_one_leaves_latest_alone(tmp_path):
    older = run(tmp_path, "run-a", "2026-12-06T10:00:00.000001Z")
    newer = run(tmp_path, "run-b", "2026-12-06T10:00:05Z")
    assert point_latest(str(tmp_path), newer, "2026-12-06T10:00:05Z") is True
    assert point_latest(str(tmp_path), older, "2026-12-06T10:00:00.000001Z") is False  # ended later
    assert os.readlink(tmp_path / "latest") == "run-b"
    third = run(tmp_path, "run-c", "2026-12-06T10:01:00Z")
    assert point_latest(str(tmp_path), third, "2026-12-06T10:01:00Z") is True
    assert os.readlink(tmp_path / "latest") == "run-c"


def test_latest_pointing_at_an_unreadable_run_is_replaced(tmp_path):
    (tmp_path / "broken").mkdir()
    os.symlink("broken", tmp_path / "latest")
    fresh = run(tmp_path, "run-d", "2026-12-06T10:00:00Z")
    assert point_latest(str(tmp_path), fresh, "2026-12-06T10:00:00Z") is True
    assert os.readlink(tmp_path / "latest") == "run-d"
