"""Last: the lab goes down and leaves no process behind."""

import os
import re

from conftest import STATE, VENV_BIN, run


def lab_processes(state_dir):
    """Every process whose command line or working directory is inside ``state_dir``:
    NetBox, PostgreSQL, Redis and the device emulator shards alike."""
    inside = re.compile(re.escape(str(state_dir)) + r"(?=/|\s|$)")
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(f"/proc/{entry}/cwd")
        except OSError:
            continue
        if inside.search(argv) or inside.search(cwd):
            found.append((int(entry), argv[:120]))
    return found


def test_lab_down_leaves_no_process(lab):
    assert lab_processes(STATE), "the lab should be running before this test"
    run([VENV_BIN / "python", "-m", "lab", "down"], timeout=300)
    assert not (STATE / "lab.json").exists()
    assert lab_processes(STATE) == []
