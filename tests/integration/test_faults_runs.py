"""Faults around a run rather than a device: a run ID used twice, and a lab started from a
directory the ``postgres`` user cannot enter (a checkout under /root). Real ansible-playbook,
real lab."""

import json
import os
import pathlib
import tempfile

import pytest
from conftest import VENV_BIN, check_run, run


def test_a_run_id_used_twice_is_refused_before_anything_is_collected(lab, tmp_path):
    first = check_run(tmp_path, "-e", "drift_check_run_id=nightly-1", "--limit", "dc1-ios-01")
    assert first.returncode == 0, first.stdout[-3000:]
    report = tmp_path / "nightly-1" / "drift.json"
    before = report.read_bytes()
    snapshot = next((tmp_path / "snapshots" / "nightly-1").rglob("manifest.json"))
    snapshot_before = snapshot.read_bytes()
    second = check_run(tmp_path, "-e", "drift_check_run_id=nightly-1", "--limit", "dc1-ios-01")
    assert second.returncode != 0
    assert "run ID nightly-1 was used by an earlier run" in second.stdout
    assert "Collect the device state" not in second.stdout  # refused before any device was touched
    assert report.read_bytes() == before and snapshot.read_bytes() == snapshot_before


def test_latest_is_the_newest_run_and_default_run_ids_do_not_collide(lab, tmp_path):
    runs = [check_run(tmp_path, "--limit", "dc1-ios-01"), check_run(tmp_path, "--limit", "dc1-ios-01")]
    assert [p.returncode for p in runs] == [0, 0]
    ids = sorted(p.name for p in tmp_path.iterdir() if not p.is_symlink() and (p / "drift.json").is_file())
    assert len(ids) == 2  # two runs in quick succession: two run directories
    latest = json.loads((tmp_path / "latest" / "drift.json").read_text())
    assert latest["run"]["id"] == ids[-1]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root's lab runs PostgreSQL as another user")
def test_a_lab_in_a_directory_postgres_cannot_enter():
    """`make demo` cloned into /root (mode 0700) used to fail in initdb: Permission denied."""
    home = pathlib.Path(tempfile.mkdtemp(prefix="truthloop-root-like-"))  # 0700, as /root is
    assert oct(home.stat().st_mode & 0o777) == "0o700"
    state = home / "lab"
    env = {"LAB_STATE": str(state)}
    try:
        up = run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "2", "--scenario", "none"],
                 timeout=1800, check=False, **env)
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
        data = json.loads((state / "netbox.json").read_text())["pg_data"]
        assert data.startswith("/var/tmp/truthloop-lab-")  # where postgres can reach it
        proc = check_run(home / "reports", state=state)
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert json.loads((home / "reports" / "latest" / "drift.json").read_text())["summary"]["devices"] == 2
    finally:
        run([VENV_BIN / "python", "-m", "lab", "down"], check=False, **env)
    assert not os.path.exists(data)
