"""The integration tests run the real ansible-playbook and ansible-inventory against
the lab: a real NetBox and emulated devices (``make lab-up``). A lab that is already
up is used as it is; otherwise the tests start one (12 devices, scenario ``default``)
and ``test_zz_lab_down.py`` stops it last, checking that no process is left."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATE = pathlib.Path(os.environ.get("LAB_STATE") or ROOT / ".lab").resolve()
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / ".deps"))


def ansible_env(**extra):
    env = dict(os.environ)
    env.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_INVENTORY_UNPARSED_FAILED="True",
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCALHOST_WARNING="False",
               PATH=f"{VENV_BIN}:{env.get('PATH', '')}")
    env.update(extra)
    return env


def run(args, timeout=900, check=True, **env):
    """Run a command from the checkout; its output is kept for the assertion message."""
    proc = subprocess.run(args, cwd=ROOT, env=ansible_env(**env), capture_output=True, text=True,
                          timeout=timeout, check=False)
    if check and proc.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {proc.returncode}\n"
                    f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def playbook(path, *extra, **env):
    return run([VENV_BIN / "ansible-playbook", "-i", STATE / "inventory.yml", path, *extra], **env)


@pytest.fixture(scope="session")
def lab():
    """What the running lab says about itself (``.lab/lab.json``) plus its files."""
    if not (STATE / "lab.json").exists():
        run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "12", "--scenario", "default"],
            timeout=3000)
    info = json.loads((STATE / "lab.json").read_text())
    info["netbox_view"] = json.loads((STATE / "dataset-netbox.json").read_text())
    info["device_view"] = json.loads((STATE / "dataset-device.json").read_text())
    info["expected"] = json.loads((STATE / "expected-drift.json").read_text())
    return info


def lab_env(state=STATE):
    """NETBOX_API and NETBOX_TOKEN of a lab (``<state>/env``), as a playbook's environment."""
    from lab.bench import netbox_env  # pylint: disable=import-outside-toplevel

    return netbox_env(state)


def check_run(report_dir, *extra, state=STATE, **env):
    """``ansible-playbook truthloop.netbox_drift.check`` on a lab; its CompletedProcess, whatever
    its exit code."""
    return run([VENV_BIN / "ansible-playbook", "-i", state / "inventory.yml", "truthloop.netbox_drift.check",
                "-e", f"drift_check_report_dir={report_dir}", *extra], check=False, **dict(lab_env(state), **env))
