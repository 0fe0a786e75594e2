"""The collection's plan and apply playbooks on the shared lab, in check mode only: a person
at a terminal approves two changes when asked, and nothing reaches NetBox."""

import json
import os
import select
import shutil
import subprocess
import time

import pytest
from conftest import VENV_BIN, ansible_env, run
from test_drift_check import check, lab_env


def object_changes():
    env = lab_env()
    proc = subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + env["NETBOX_TOKEN"],
                           env["NETBOX_API"] + "/api/core/object-changes/?limit=1"],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(proc.stdout)["count"]


def answer_prompt(command, prompt, answer, timeout=300):
    """Run ``command`` on a terminal (script(1)); type ``answer`` once ``prompt`` shows
    (pause flushes what was typed before it asks). Returns everything it printed."""
    proc = subprocess.Popen(["script", "-qec", command, "/dev/null"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=ansible_env(ANSIBLE_NOCOLOR="1", **lab_env()))
    out, answered, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = select.select([proc.stdout], [], [], 1)[0]
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
        if not answered and prompt.encode() in out:
            time.sleep(0.5)
            proc.stdin.write(answer.encode())
            proc.stdin.flush()
            answered = True
    proc.kill()
    proc.wait()
    return out.decode(errors="replace")


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_prompted_approval_in_check_mode_writes_nothing(lab, tmp_path):
    check(tmp_path, "-e", '{"drift_check_authority": {"default": "device"}}')
    run([VENV_BIN / "ansible-playbook", "-i", "localhost,", "truthloop.netbox_drift.plan",
         "-e", f"reconcile_report={tmp_path}/latest/drift.json"], **lab_env())
    plan = json.loads((tmp_path / "latest" / "plan.json").read_text())
    chosen = [c["change_id"] for c in plan["changes"][:2]]
    before = object_changes()
    command = (f"{VENV_BIN}/ansible-playbook -i localhost, truthloop.netbox_drift.apply --check "
               f"-e reconcile_plan={tmp_path}/latest/plan.json")
    out = answer_prompt(command, "Approve which changes?", " ".join(chosen) + "\r")
    assert f"2 change(s) would be applied (check mode), 0 unchanged, 0 stale (refused), 0 failed, " \
           f"{len(plan['changes']) - 2} not approved" in out, out[-3000:]
    assert object_changes() == before
    assert lab_env()["NETBOX_TOKEN"].rsplit(".", 1)[-1] not in out
