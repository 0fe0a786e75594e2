# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netbox_intended: the read netbox_state and drift_batch share, and the probe drift_batch
makes before it touches a device; against the small fake NetBox of test_netbox_fetch.
Failures are results naming the cause, never exceptions, and never hold the token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest

pytest.importorskip("pynetbox")

from test_netbox_fetch import V2_TOKEN, FakeNetBox, names  # noqa: E402

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_intended  # noqa: E402


def args(url, token=V2_TOKEN, **more):
    return dict({"url": url, "token": token, "validate_certs": True, "timeout": 5}, **more)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_read_builds_every_device_and_names_the_missing():
    with FakeNetBox(devices=6) as nb:
        found = netbox_intended.read(args(nb.url), names(6) + ["gone"], {}, who="drift_batch")
    assert not found.get("failed"), found
    assert sorted(found["netbox_state"]) == names(6) and found["missing"] == ["gone"]
    assert found["platforms"] == dict((n, found["netbox_state"][n].get("platform")) for n in names(6))
    assert found["warnings"] == ["1 host(s) not in NetBox at %s: gone" % nb.url.rstrip("/")]
    assert found["netbox_url"] == nb.url.rstrip("/") and found["stats"]["requests"] == len(nb.log)


def test_probe_is_one_request_and_passes_a_readable_netbox():
    with FakeNetBox(devices=2) as nb:
        assert netbox_intended.probe(args(nb.url), names(2), "drift_batch") is None
    assert [entry["path"] for entry in nb.log] == ["/api/dcim/devices/"]


@pytest.mark.parametrize("case", ["token", "down", "no_url"])
def test_probe_and_read_fail_with_the_cause_and_without_the_token(case, monkeypatch):
    monkeypatch.delenv("NETBOX_API", raising=False)
    monkeypatch.delenv("NETBOX_URL", raising=False)
    bad = "nbt_wrongkey00000.wrongsecretwrongsecretwrongsecret12"
    with FakeNetBox(devices=2) as nb:
        url = {"token": nb.url, "down": "http://127.0.0.1:%d/" % free_port(), "no_url": ""}[case]
        token = bad if case == "token" else V2_TOKEN
        probed = netbox_intended.probe(args(url, token), names(2), "drift_batch")
        read = netbox_intended.read(args(url, token), names(2), {}, who="drift_batch")
    want = {"token": "drift_batch: NetBox refused the token (403)", "down": "drift_batch: cannot connect to NetBox",
            "no_url": "drift_batch: no NetBox URL: set url, or NETBOX_API or NETBOX_URL"}[case]
    for found in (probed, read):
        assert found["failed"] is True and found["msg"].startswith(want), found
        assert token not in found["msg"] and token.rsplit(".", maxsplit=1)[-1] not in found["msg"]
