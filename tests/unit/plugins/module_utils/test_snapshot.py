"""Snapshots: written with a manifest, read back, plain folders, bad input named."""

import json
import os
import pathlib

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import snapshot

RESULTS = {
    "show version": {"output": "Version 1\n", "started": "t0", "ended": "t1"},
    "show configuration | display set": {"output": "set system host-name r1\n"},
    "show vlan brief": {"error": "% Invalid input"},
}


def test_round_trip_keeps_outputs_errors_and_manifest(tmp_path):
    path = snapshot.write(str(tmp_path), "run1", "r1", "cisco_ios", RESULTS)
    manifest = snapshot.read_manifest(path)
    assert (manifest["device"], manifest["platform"], manifest["run_id"]) == ("r1", "cisco_ios", "run1")
    outputs, read_back = snapshot.read_outputs(path)
    assert read_back == manifest
    assert outputs["show version"] == {"output": "Version 1\n"}
    assert outputs["show configuration | display set"]["output"] == "set system host-name r1\n"
    assert outputs["show vlan brief"] == {"error": "% Invalid input"}
    assert (tmp_path / "run1" / "r1" / "show_configuration_pipe_display_set.txt").is_file()


def test_plain_folder_by_command_or_slug_is_redacted(tmp_path):
    (tmp_path / "show running-config.txt").write_text("hostname r1\nenable secret 9 $9$abc\n")
    (tmp_path / "show_version.txt").write_text("Version 1\n")
    outputs, manifest = snapshot.read_outputs(str(tmp_path), ["show running-config", "show version", "show vlan"])
    assert manifest is None and set(outputs) == {"show running-config", "show version"}
    assert "$9$abc" not in outputs["show running-config"]["output"]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_corrupt_manifest_is_a_snapshot_error(tmp_path, content):
    (tmp_path / "manifest.json").write_text(content)
    with pytest.raises(snapshot.SnapshotError, match="manifest"):
        snapshot.read_outputs(str(tmp_path))


def test_empty_folder_names_the_files_it_looked_for(tmp_path):
    with pytest.raises(snapshot.SnapshotError, match="show_version.txt"):
        snapshot.read_outputs(str(tmp_path), ["show version"])
    with pytest.raises(snapshot.SnapshotError, match="no such directory"):
        snapshot.read_outputs(str(tmp_path / "missing"))


def test_previous_snapshot_of_a_device(tmp_path):
    for run in ("20260101T000000.000Z", "20260102T000000.000Z"):
        snapshot.write(str(tmp_path), run, "r1", "cisco_ios", RESULTS)
    found = snapshot.previous(str(tmp_path), "r1", "20260103T000000.000Z")
    assert found.endswith("20260102T000000.000Z/r1")
    assert snapshot.previous(str(tmp_path), "r1", "20260101T000000.000Z") is None
    assert json.loads((tmp_path / "20260101T000000.000Z" / "r1" / "manifest.json").read_text())["device"] == "r1"


@pytest.mark.parametrize("name", ["", "..", "a/b"])
def test_unsafe_names_are_refused(tmp_path, name):
    with pytest.raises(snapshot.SnapshotError, match="directory name"):
        snapshot.write(str(tmp_path), "run1", name, "cisco_ios", RESULTS)


def _mode(path):
    return path.stat().st_mode & 0o777


def test_snapshot_is_readable_by_its_owner_only(tmp_path):
    old_umask = os.umask(0o022)  # the usual umask would leave 0755 directories and 0644 files
    try:
        base = tmp_path / "snapshots"  # created here: 0700 too
        path = pathlib.Path(snapshot.write(str(base), "run1", "r1", "cisco_ios", RESULTS))
        again = pathlib.Path(snapshot.write(str(base), "run1", "r1", "cisco_ios", RESULTS))  # rewritten
    finally:
        os.umask(old_umask)
    assert path == again
    assert [_mode(d) for d in (base, base / "run1", path)] == [0o700] * 3
    files = sorted(path.iterdir())
    assert [f.name for f in files] == ["manifest.json", "show_configuration_pipe_display_set.txt", "show_version.txt"]
    assert set(_mode(f) for f in files) == {0o600}


def test_existing_base_directory_keeps_its_mode(tmp_path):
    tmp_path.chmod(0o755)
    path = pathlib.Path(snapshot.write(str(tmp_path), "run1", "r1", "cisco_ios", RESULTS))
    assert _mode(tmp_path) == 0o755 and _mode(path.parent) == 0o700 and _mode(path) == 0o700
