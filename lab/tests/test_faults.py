"""lab/faults.py's shard side: injected outputs replace or remove a command in the
host's command table, and what is no longer injected gets its original back."""

from types import SimpleNamespace

import pytest

faults = pytest.importorskip("lab.faults")


def net(**tables):
    return SimpleNamespace(hosts=dict(
        (name, SimpleNamespace(nos_inventory={"configuration": {"commands": table}})) for name, table in tables.items()))


def test_inject_refuse_and_restore():
    lab = net(sw1={"show version": {"output": "v1"}, "show lldp neighbors detail": {"output": "l1"}},
              sw2={"show version": {"output": "v2"}})
    original = {"show version": {"output": "v1"}, "show lldp neighbors detail": {"output": "l1"}}
    saved = {}
    faults.apply(lab, {"sw1": {"show version": "cut", "show lldp neighbors detail": None, "new": "x"}}, saved)
    table = lab.hosts["sw1"].nos_inventory["configuration"]["commands"]
    assert table == {"show version": {"output": "cut"}, "new": {"output": "x"}}
    assert lab.hosts["sw2"].nos_inventory["configuration"]["commands"] == {"show version": {"output": "v2"}}
    faults.apply(lab, {"sw1": {"show version": "cut again"}}, saved)  # the others are undone
    assert table == {"show version": {"output": "cut again"}, "show lldp neighbors detail": {"output": "l1"}}
    faults.apply(lab, {}, saved)
    assert table == original and saved == {"sw1": {}, "sw2": {}}


def test_set_outputs_checks_what_it_is_given(tmp_path):
    with pytest.raises(ValueError):
        faults.set_outputs(tmp_path, "sw1", {"show version": 42})
