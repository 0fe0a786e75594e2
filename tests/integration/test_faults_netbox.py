"""NetBox failing during the check: a 502 once, a NetBox that stops answering, a NetBox that
is not there. The real ansible-playbook check on the lab, NetBox reached through a reverse proxy
(tests/integration/netbox_proxy.py) while the inventory reads NetBox directly. Each asserts
the exit code, the message naming NetBox and the cause, and that no report says anything."""

import json
import socket
import time

from conftest import check_run, lab_env
from netbox_proxy import Proxy

HOSTS = "dc1-ios-01,dc1-eos-03"


def test_a_502_once_is_read_again_and_the_check_is_whole(lab, tmp_path):
    with Proxy(lab_env()["NETBOX_API"]) as proxy:
        proxy.fail_once = "/api/dcim/interfaces/"
        proc = check_run(tmp_path, "--limit", HOSTS, NETBOX_API=proxy.url)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proxy.fail_once is None  # the 502 was served, and the read tried again
    report = json.loads((tmp_path / "latest" / "drift.json").read_text())
    assert [d["status"] for d in report["devices"]] == ["drift", "drift"]
    want = sorted((r["device"], r["kind"], r["key"], r["field"]) for r in lab["expected"]
                  if r["device"] in HOSTS.split(","))
    assert sorted((r["device"], r["kind"], r["key"], r["field"]) for r in report["drift"]) == want


def test_a_netbox_that_stops_answering_fails_the_run_within_its_timeout(lab, tmp_path):
    with Proxy(lab_env()["NETBOX_API"]) as proxy:
        proxy.hang.set()
        started = time.monotonic()
        proc = check_run(tmp_path, "--limit", HOSTS, "-e", "drift_check_netbox_timeout=3", NETBOX_API=proxy.url)
        took = time.monotonic() - started
    assert proc.returncode != 0 and took < 120, (proc.returncode, took)
    assert "did not answer within 3s" in proc.stdout, proc.stdout[-3000:]
    assert "Collect the device state" not in proc.stdout  # no device is touched without NetBox's side
    assert not (tmp_path / "latest").exists()


def test_a_netbox_that_is_not_there_fails_the_run_saying_so(lab, tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = check_run(tmp_path, "--limit", HOSTS, NETBOX_API="http://127.0.0.1:%d" % port)
    assert proc.returncode != 0
    assert "Connection refused" in proc.stdout and "127.0.0.1:%d" % port in proc.stdout, proc.stdout[-3000:]
    assert lab_env()["NETBOX_TOKEN"] not in proc.stdout + proc.stderr
    assert not (tmp_path / "latest").exists()
