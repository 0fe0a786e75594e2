"""Last: the lab goes down and leaves no process behind."""

from conftest import STATE, VENV_BIN, run


def test_lab_down_leaves_no_process(lab):
    from lab import pgsql

    run([VENV_BIN / "python", "-m", "lab", "down"], timeout=300)
    assert not (STATE / "lab.json").exists()
    assert pgsql.our_processes(str(STATE)) == []
