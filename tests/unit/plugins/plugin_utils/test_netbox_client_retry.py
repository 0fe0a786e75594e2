# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netbox_client against a real HTTP server on loopback that fails on purpose: a
transient error (502, 503, 504, a reset connection, a read timeout) is tried again a
bounded number of times, then fails closed naming the URL path and the cause, never
the token; a write is never sent twice; netbox_read uses the same retries."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("pynetbox")

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_client, netbox_read  # noqa: E402

TOKEN = "nbt_k3y1d0000000.s3cr3tv4lu3abcdef0123456789abcdef0123"
ROW = {"id": 7, "name": "Gi1", "last_updated": "2026-11-21T09:00:00Z"}


class Flaky(object):
    """Answers ``script`` in turn (then 200 with ROW): an int is that status, ``reset``
    closes the connection with a RST, ``slow`` answers after 2 s."""

    def __init__(self, script):
        self.script, self.seen = list(script), []
        flaky = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                flaky.seen.append((self.command, self.path, self.headers.get("Authorization")))
                what = flaky.script.pop(0) if flaky.script else 200
                if what == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    return
                if what == "slow":
                    time.sleep(2)
                    what = 200
                body = json.dumps({"count": 1, "next": None, "previous": None, "results": [ROW]} if what == 200
                                  else {"detail": "upstream says %s" % what}).encode()
                self.send_response(what)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def read(flaky, **kwargs):
    kwargs.setdefault("backoff", 0.01)
    fetcher = netbox_client.Fetcher(flaky.url, TOKEN, workers=1, **kwargs)
    return fetcher, fetcher.list("dcim/interfaces", {"id": [7]}, None)


@pytest.mark.parametrize("failure", [502, 503, 504, "reset"])
def test_a_transient_error_is_tried_again(failure):
    with Flaky([failure]) as flaky:
        fetcher, rows = read(flaky)
    assert rows == [ROW] and len(flaky.seen) == 2 and fetcher.session.retried == 1


def test_a_read_timeout_is_tried_again():
    with Flaky(["slow"]) as flaky:
        fetcher, rows = read(flaky, timeout=0.5)
    assert rows == [ROW] and fetcher.session.retried == 1


@pytest.mark.parametrize("failure, cause", [
    (503, "answered 503 Service Unavailable while reading /api/dcim/interfaces/: upstream says 503 (3 tries)"),
    ("reset", "while reading /api/dcim/interfaces/: "),
])
def test_it_gives_up_after_the_retries_and_names_path_and_cause(failure, cause):
    with Flaky([failure] * 5) as flaky:
        with pytest.raises(netbox_client.NetboxFetchError) as info:
            read(flaky)
    message = str(info.value)
    assert cause in message and "(3 tries)" in message and len(flaky.seen) == 3
    assert TOKEN not in message and TOKEN.rsplit(".", maxsplit=1)[-1] not in message


def test_the_pause_doubles():
    with Flaky([502, 502]) as flaky:
        started = time.monotonic()
        read(flaky, backoff=0.2)
    assert time.monotonic() - started >= 0.6  # 0.2 then 0.4


def test_other_errors_are_not_tried_again():
    with Flaky([500, 500]) as flaky:
        with pytest.raises(netbox_client.NetboxFetchError, match="answered 500"):
            read(flaky)
    assert len(flaky.seen) == 1


def test_a_write_is_never_sent_twice():
    with Flaky([502]) as flaky:
        session = netbox_client.CountingSession(flaky.url + "/api", timeout=5, retries=2, backoff=0.01)
        response = session.request("POST", flaky.url + "/api/extras/journal-entries/", json={})
    assert response.status_code == 502 and len(flaky.seen) == 1 and session.retried == 0


def test_read_objects_retries_and_fails_closed():
    with Flaky([502]) as flaky:
        found = netbox_read.read_objects(flaky.url, TOKEN, [("dcim.interface", 7)])
    assert found == {("dcim.interface", 7): ROW}
    with Flaky([504] * 3) as flaky:
        with pytest.raises(netbox_read.NetboxFetchError, match=r"504 Gateway Timeout while reading "
                                                               r"/api/dcim/interfaces/.*\(3 tries\)"):
            netbox_read.read_objects(flaky.url, TOKEN, [("dcim.interface", 7)])
