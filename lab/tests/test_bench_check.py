"""lab/bench_check.py's pure helpers: the play recap it counts hosts from, the naive
inventory it writes (no token in it) and the naive play's variables from the platform files."""

import os
import pathlib
import stat

import pytest
import yaml

bench_check = pytest.importorskip("lab.bench_check")

# a real recap (ansible-core 2.19, default callback) of a naive run that failed on some hosts,
# with the trailing blanks and the warnings that follow it
RECAP = """\
TASK [Keep what each host found] ***********************************************
ok: [dc1-eos-03 -> localhost]

PLAY RECAP *********************************************************************
dc1-eos-03                 : ok=7    changed=1    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0   \n\
dc1-ios-01                 : ok=3    changed=0    unreachable=0    failed=1    skipped=3    rescued=0    ignored=0   \n\
dc1-junos-04               : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n\
localhost                  : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\

[WARNING]: Found variable using reserved name 'serial'.
Origin: <unknown>
"""


def test_recap_counts_only_hosts_that_got_through():
    recap = bench_check.parse_recap(RECAP)
    assert recap["dc1-eos-03"] == {"ok": 7, "changed": 1, "unreachable": 0, "failed": 0, "skipped": 3,
                                   "rescued": 0, "ignored": 0}
    assert set(recap) == {"dc1-eos-03", "dc1-ios-01", "dc1-junos-04", "localhost"}
    names = ["dc1-eos-03", "dc1-ios-01", "dc1-junos-04", "dc2-nxos-02"]  # the last is not in the recap
    assert bench_check.hosts_ok(recap, names) == ["dc1-eos-03"]


def test_recap_absent_counts_nothing():
    assert bench_check.parse_recap("ok: [dc1-eos-03]\nERROR! the playbook could not be found\n") == {}


def test_naive_inventory_holds_no_token(tmp_path):
    token = "nbt_abcdef0123456789.0123456789abcdef0123456789abcdef01234567"
    state = tmp_path / "state"
    for sub in ("host_vars", "group_vars"):
        (state / sub).mkdir(parents=True)
    (state / "host_vars" / "sw1.yml").write_text("ansible_port: 20001\n")
    (state / "inventory.yml").write_text(yaml.safe_dump({
        "plugin": "netbox.netbox.nb_inventory", "api_endpoint": "http://127.0.0.1:1", "token": token,
        "interfaces": False, "group_by": ["site", "platform"]}))
    path = bench_check.write_nb_inventory(tmp_path / "naive", state=state)
    text = path.read_text()
    assert token not in text and "127.0.0.1:1" not in text
    assert yaml.safe_load(text) == {"plugin": "netbox.netbox.nb_inventory", "interfaces": True,
                                    "group_by": ["site", "platform"]}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert (path.parent / "host_vars" / "sw1.yml").read_text() == "ansible_port: 20001\n"
    with pytest.raises(FileExistsError):  # never writes over a file it did not make
        bench_check.write_nb_inventory(tmp_path / "naive", state=state)


def test_scrub_hides_every_secret():
    assert bench_check.scrub("Authorization: Bearer s3cr3t; again s3cr3t", ["s3cr3t", None, ""]) == \
        "Authorization: Bearer <hidden>; again <hidden>"


def test_naive_vars_from_the_platform_files():
    found = bench_check.naive_vars()
    assert set(found["bench_commands"]) == {"cisco.ios.ios", "cisco.nxos.nxos", "arista.eos.eos",
                                            "junipernetworks.junos.junos"}
    assert found["bench_config"]["junipernetworks.junos.junos"] == "show configuration | display set"
    assert found["bench_config"]["cisco.ios.ios"] == "show running-config"
    for nos, parse in found["bench_parse"].items():
        assert found["bench_config"][nos] in [item["command"] for item in parse]
        for item in parse:
            assert item["command"] in found["bench_commands"][nos]
            assert pathlib.Path(item["template"]).is_file(), item
    # a companion (Junos `| count`) is run but has no template of its own
    assert "show configuration | display set | count" in found["bench_commands"]["junipernetworks.junos.junos"]
