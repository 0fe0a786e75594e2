# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netbox_fetch against a small fake NetBox (http.server in a thread): request counts,
chunking, paging, fields, authentication headers, error messages and token redaction.
What real NetBox answers is tested on the lab (tests/integration/test_netbox_state.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytest.importorskip("pynetbox")

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_client, netbox_fetch  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.netbox_client import NetboxFetchError  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.netbox_fetch import fetch  # noqa: E402

V2_TOKEN = "nbt_k3y1d0000000.s3cr3tv4lu3abcdef0123456789abcdef0123"
V1_TOKEN = "0123456789abcdef0123456789abcdef01234567"
GUNICORN_LIMIT = 4094
PER_DEVICE = 48
IPS_PER_DEVICE = 7


def device_name(i, long_names=False):
    name = "dc%d-sw-%03d" % (i // 6 + 1, i)
    return name + "-" + "x" * 50 if long_names else name


class FakeNetBox(object):
    """Just enough of NetBox's REST API: the filters fetch() uses, offset and cursor
    paging (``next`` links), ``fields=``, the API-Version header, token checks, and
    gunicorn's request-line limit."""

    def __init__(self, devices=12, api_version="4.7", token=V2_TOKEN, long_names=False, max_page=1000):
        self.api_version, self.token, self.max_page = api_version, token, max_page
        self.log, self.fail = [], None
        self.objects = {"dcim/devices": [], "dcim/device-types": [], "dcim/interfaces": [],
                        "ipam/ip-addresses": [], "ipam/vlan-groups": [], "ipam/vlans": []}
        self.objects["dcim/device-types"].append({"id": 1, "model": "C9300-48P", "part_number": "PN-1"})
        sites = devices // 6 + 1
        for s in range(sites):
            if s % 2:
                self.objects["ipam/vlan-groups"].append(
                    {"id": s + 1, "name": "g%d" % s, "slug": "g%d" % s, "scope_type": "dcim.site", "scope_id": s + 1})
            for vid in (10, 20):
                self.objects["ipam/vlans"].append({
                    "id": len(self.objects["ipam/vlans"]) + 1, "vid": vid, "name": "v%d" % vid,
                    "site": None if s % 2 else {"id": s + 1, "slug": "dc%d" % (s + 1)},
                    "group": {"id": s + 1} if s % 2 else None})
        for i in range(devices):
            dev_id = i + 1
            self.objects["dcim/devices"].append({
                "id": dev_id, "name": device_name(i, long_names), "serial": "S%d" % i,
                "site": {"id": i // 6 + 1, "slug": "dc%d" % (i // 6 + 1)},
                "device_type": {"id": 1, "model": "C9300-48P"}, "config_context": {"big": "x" * 100}})
            for n in range(PER_DEVICE):
                self.objects["dcim/interfaces"].append({
                    "id": i * PER_DEVICE + n + 1, "name": "Gi1/0/%d" % (n + 1),
                    "device": {"id": dev_id, "name": device_name(i, long_names)}, "mtu": None})
            for n in range(IPS_PER_DEVICE):
                self.objects["ipam/ip-addresses"].append({
                    "id": i * IPS_PER_DEVICE + n + 1, "address": "10.%d.%d.1/24" % (i % 250, n),
                    "assigned_object_type": "dcim.interface", "assigned_object_id": i * PER_DEVICE + n + 1,
                    "assigned_object": {"id": i * PER_DEVICE + n + 1, "name": "Gi1/0/%d" % (n + 1),
                                        "device": {"id": dev_id}}})

    # -- the HTTP side ------------------------------------------------------------
    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                try:
                    fake.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def reply(self, handler, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        if self.api_version:
            handler.send_header("API-Version", self.api_version)
        handler.end_headers()
        handler.wfile.write(data)

    def handle(self, handler):
        parts = urlsplit(handler.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        auth = handler.headers.get("Authorization")
        self.log.append({"path": parts.path, "params": params, "auth": auth, "line": len(handler.requestline)})
        if len(handler.requestline) > GUNICORN_LIMIT:
            return self.reply(handler, 400, b"Bad Request\nRequest Line is too large", "text/plain")
        if self.fail == "slow":
            time.sleep(3)
        elif self.fail == "500":
            return self.reply(handler, 500, b"<html><h1>Server Error (500)</h1></html>", "text/html")
        elif self.fail == "html":
            return self.reply(handler, 200, b"<html>a login page</html>", "text/html")
        expected = ("Bearer " if self.token.startswith("nbt_") else "Token ") + self.token
        if auth != expected:
            # real NetBox says "Invalid v2 token"; this one repeats what it got, to test redaction
            return self.reply(handler, 403, {"detail": "Invalid token: %s" % auth})
        endpoint = parts.path[len("/api/"):].strip("/")
        if endpoint not in self.objects:
            return self.reply(handler, 404, {"detail": "Not found."})
        if self.fail == "400":
            return self.reply(handler, 400, {"device_id": ["\u201cabc\u201d is not a valid value."]})
        rows = list(filter(self.matcher(endpoint, params), self.objects[endpoint]))
        self.page(handler, parts.path, params, rows)

    @staticmethod
    def matcher(endpoint, params):
        """A test for the rows ``params`` select (the id sets are built once)."""
        sets = dict((key, set(int(v) for v in values)) for key, values in params.items()
                    if key.endswith("id") and key != "fields")
        if endpoint == "dcim/devices" and "name" in params:
            wanted = set(params["name"])
            return lambda row: row["name"] in wanted
        if endpoint == "dcim/interfaces" and "device_id" in sets:
            return lambda row: row["device"]["id"] in sets["device_id"]
        if endpoint == "ipam/ip-addresses" and "device_id" in sets:
            return lambda row: row["assigned_object"]["device"]["id"] in sets["device_id"]
        if endpoint == "ipam/vlan-groups":
            return lambda row: (row["scope_type"] in params.get("scope_type", [row["scope_type"]])
                                and ("scope_id" not in sets or row["scope_id"] in sets["scope_id"]))
        if endpoint == "ipam/vlans" and "site_id" in sets:
            return lambda row: bool(row["site"]) and row["site"]["id"] in sets["site_id"]
        if endpoint == "ipam/vlans" and "group_id" in sets:
            return lambda row: bool(row["group"]) and row["group"]["id"] in sets["group_id"]
        if "id" in sets:
            return lambda row: row["id"] in sets["id"]
        return lambda row: True

    def page(self, handler, path, params, rows):
        limit = min(int(params.get("limit", ["50"])[0]) or self.max_page, self.max_page)
        keep = dict((k, v) for k, v in params.items() if k not in ("offset", "start", "limit"))
        base = "%s%s?" % (self.url, path)
        if "start" in params:  # cursor paging (NetBox 4.6+): ids from start, no count
            start = int(params["start"][0])
            rows = sorted((r for r in rows if r["id"] >= start), key=lambda r: r["id"])
            chunk, count, more = rows[:limit], None, len(rows) > limit
            nxt = base + urlencode(dict(keep, limit=limit, start=chunk[-1]["id"] + 1), doseq=True) if more else None
        else:
            offset = int(params.get("offset", ["0"])[0])
            chunk, count = rows[offset:offset + limit], len(rows)
            more = offset + limit < count
            nxt = base + urlencode(dict(keep, limit=limit, offset=offset + limit), doseq=True) if more else None
        if "fields" in params:
            wanted = params["fields"][0].split(",")
            chunk = [dict((k, v) for k, v in r.items() if k in wanted) for r in chunk]
        self.reply(handler, 200, {"count": count, "next": nxt, "previous": None, "results": chunk})

    def by_path(self):
        counts = {}
        for entry in self.log:
            counts[entry["path"]] = counts.get(entry["path"], 0) + 1
        return counts


def names(count, long_names=False):
    return [device_name(i, long_names) for i in range(count)]


# --- request counts, chunking, paging ---------------------------------------------

def test_reads_everything_in_seven_requests():
    with FakeNetBox(devices=12) as nb:
        result = fetch(nb.url, V2_TOKEN, names(12) + ["not-there"])
    assert result["stats"]["requests"] == len(nb.log) == 7
    assert result["stats"]["by_endpoint"] == {
        "dcim/devices": 1, "dcim/device-types": 1, "dcim/interfaces": 1, "ipam/ip-addresses": 1,
        "ipam/vlans": 2, "ipam/vlan-groups": 1}
    assert result["missing"] == ["not-there"] and result["duplicates"] == {}
    assert sorted(result["devices"]) == names(12)
    assert all(len(result["interfaces"][n]) == PER_DEVICE for n in names(12))
    assert all(len(result["ip_addresses"][n]) == IPS_PER_DEVICE for n in names(12))
    assert sorted(result["vlans"]) == ["dc1", "dc2"]
    assert [v["vid"] for v in result["vlans"]["dc2"]] == [10, 20]  # through dc2's VLAN group
    assert result["device_types"] == {"1": {"id": 1, "model": "C9300-48P", "part_number": "PN-1"}}
    assert result["api_version"] == "4.7" and result["netbox_url"] == nb.url
    assert result["stats"]["bytes"] > 0 and result["stats"]["seconds"] >= 0


def test_vlan_groups_scoped_to_a_rack():
    with FakeNetBox(devices=12) as nb:
        nb.objects["dcim/devices"][2]["rack"] = {"id": 4, "name": "R4"}
        nb.objects["ipam/vlan-groups"].append({"id": 90, "name": "r4", "slug": "r4",
                                               "scope_type": "dcim.rack", "scope_id": 4})
        nb.objects["ipam/vlans"].append({"id": 900, "vid": 11, "name": "P2P", "site": None, "group": {"id": 90}})
        result = fetch(nb.url, V2_TOKEN, names(12))
    owner = [n for n, d in result["devices"].items() if d["id"] == 3][0]
    assert [(v["vid"], v["_scope"]) for v in result["device_vlans"][owner]] == [(11, "rack")]
    assert all(result["device_vlans"][n] == [] for n in names(12) if n != owner)
    assert 11 not in [v["vid"] for found in result["vlans"].values() for v in found]
    assert result["stats"]["by_endpoint"]["ipam/vlan-groups"] == 2  # the sites' groups, the racks' groups


def test_request_count_does_not_grow_with_devices():
    counts = {}
    for wanted in (names(12)[:1] + names(12)[6:7], names(12)):  # two sites either way
        with FakeNetBox(devices=12) as nb:
            counts[len(wanted)] = fetch(nb.url, V2_TOKEN, wanted)["stats"]["by_endpoint"]
    assert counts[2] == counts[12]


@pytest.mark.parametrize("api_version, pagination, mark", [
    ("4.7", "auto", "start"),
    ("4.7", "offset", "offset"),
    ("4.4", "auto", "offset"),  # no cursor paging before NetBox 4.6
    ("4.4", "cursor", "offset"),
])
def test_pages_are_followed(api_version, pagination, mark):
    with FakeNetBox(devices=12, api_version=api_version) as nb:
        result = fetch(nb.url, V2_TOKEN, names(12), page_size=50, pagination=pagination)
    interface_calls = [e for e in nb.log if e["path"] == "/api/dcim/interfaces/"]
    assert len(interface_calls) == math.ceil(12 * PER_DEVICE / 50.0)
    assert all(mark in e["params"] for e in interface_calls[1:])
    assert all(e["params"]["limit"] == ["50"] for e in interface_calls)
    assert sum(len(v) for v in result["interfaces"].values()) == 12 * PER_DEVICE
    assert result["stats"]["pagination"] == ("cursor" if mark == "start" else "offset")


def test_pages_capped_by_netbox_are_still_followed():
    with FakeNetBox(devices=12, max_page=100) as nb:
        result = fetch(nb.url, V2_TOKEN, names(12), page_size=1000)
    assert sum(len(v) for v in result["interfaces"].values()) == 12 * PER_DEVICE
    assert nb.by_path()["/api/dcim/interfaces/"] == math.ceil(12 * PER_DEVICE / 100.0)


def test_chunks_of_chunk_size():
    with FakeNetBox(devices=30) as nb:
        result = fetch(nb.url, V2_TOKEN, names(30), chunk_size=8)
    device_calls = [e for e in nb.log if e["path"] == "/api/dcim/devices/"]
    assert sorted(len(e["params"]["name"]) for e in device_calls) == [6, 8, 8, 8]
    iface_calls = [e for e in nb.log if e["path"] == "/api/dcim/interfaces/"]
    assert sorted(len(e["params"]["device_id"]) for e in iface_calls) == [6, 8, 8, 8]
    assert len(result["devices"]) == 30
    # 4 chunks x (devices, interfaces, IPs) + types, site groups, 2 VLAN calls
    assert result["stats"]["requests"] == len(nb.log) == 4 * 3 + 1 + 3


def test_request_lines_stay_under_gunicorns_limit():
    with FakeNetBox(devices=400, long_names=True) as nb:
        result = fetch(nb.url, V2_TOKEN, names(400, long_names=True))
    assert len(result["devices"]) == 400 and not result["missing"]
    assert max(e["line"] for e in nb.log) < GUNICORN_LIMIT
    # 200 names of 62 characters do not fit one line: the chunks are cut by size too
    assert nb.by_path()["/api/dcim/devices/"] > 2
    assert nb.by_path()["/api/dcim/interfaces/"] == 2 * math.ceil(200 * PER_DEVICE / 1000.0)


def test_chunks_helper():
    parts = netbox_client.chunks(["a" * 100] * 100, "name", 200, 100)
    assert sum(len(p) for p in parts) == 100
    assert all(100 + sum(len("name=" + "a" * 100) + 1 for v in p) <= netbox_client.REQUEST_LINE_BUDGET for p in parts)
    assert netbox_client.chunks([1, 2, 3], "id", 2, 0) == [[1, 2], [3]]
    assert netbox_client.chunks([], "id", 2, 0) == []


def test_fields_are_asked_for_and_can_be_left_out():
    with FakeNetBox(devices=2) as nb:
        lean = fetch(nb.url, V2_TOKEN, names(2))
        fields = dict((e["path"], e["params"].get("fields", [""])[0].split(",")) for e in nb.log)
        del nb.log[:]
        full = fetch(nb.url, V2_TOKEN, names(2), fields=False)
        assert not any("fields" in e["params"] for e in nb.log)
    assert fields["/api/dcim/devices/"] == list(netbox_fetch.DEVICE_FIELDS)
    assert fields["/api/dcim/interfaces/"] == list(netbox_fetch.INTERFACE_FIELDS)
    assert "config_context" not in lean["devices"][names(2)[0]]
    assert "config_context" in full["devices"][names(2)[0]]
    assert lean["stats"]["bytes"] < full["stats"]["bytes"]


def test_one_worker_or_several_read_the_same():
    with FakeNetBox(devices=30) as nb:
        serial = fetch(nb.url, V2_TOKEN, names(30), chunk_size=4, page_size=25, workers=1)
        parallel = fetch(nb.url, V2_TOKEN, names(30), chunk_size=4, page_size=25, workers=4)
    for key in ("devices", "device_types", "interfaces", "ip_addresses", "vlans", "missing"):
        assert serial[key] == parallel[key], key
    assert serial["stats"]["by_endpoint"] == parallel["stats"]["by_endpoint"]
    assert serial["stats"]["requests"] == parallel["stats"]["requests"] == len(nb.log) // 2


def test_records_give_the_same_data():
    with FakeNetBox(devices=6) as nb:
        raw = fetch(nb.url, V2_TOKEN, names(6))
        records = fetch(nb.url, V2_TOKEN, names(6), raw=False)
    for key in ("devices", "device_types", "interfaces", "ip_addresses", "vlans", "missing"):
        assert records[key] == raw[key], key


def test_duplicate_names_are_reported_not_guessed():
    with FakeNetBox(devices=3) as nb:
        twin = dict(nb.objects["dcim/devices"][0], id=99)
        nb.objects["dcim/devices"].append(twin)
        result = fetch(nb.url, V2_TOKEN, names(3))
    assert result["duplicates"] == {names(3)[0]: [1, 99]}
    assert names(3)[0] not in result["devices"] and names(3)[0] not in result["missing"]


def test_no_devices_no_requests():
    with FakeNetBox(devices=2) as nb:
        result = fetch(nb.url, V2_TOKEN, [])
        assert result["devices"] == {} and result["missing"] == []
        assert nb.log == [] and result["stats"]["requests"] == 0


# --- authentication --------------------------------------------------------------

@pytest.mark.parametrize("token, scheme", [(V2_TOKEN, "Bearer"), (V1_TOKEN, "Token")])
def test_both_token_kinds(token, scheme):
    with FakeNetBox(devices=2, token=token) as nb:
        result = fetch(nb.url + "/api/", token, names(2))
    assert len(result["devices"]) == 2
    assert set(e["auth"] for e in nb.log) == {"%s %s" % (scheme, token)}


# --- errors ------------------------------------------------------------------------

def fetch_error(nb_or_url, token=V2_TOKEN, **kwargs):
    url = getattr(nb_or_url, "url", nb_or_url)
    with pytest.raises(NetboxFetchError) as info:
        fetch(url, token, names(2), **kwargs)
    exc = info.value
    for text in (str(exc), repr(exc), repr(exc.args), str(exc.__cause__), str(exc.__context__)
                 if not exc.__suppress_context__ else ""):
        assert token not in text
        assert token.split(".")[-1] not in text
    return str(exc)


def test_refused_token():
    with FakeNetBox(devices=2) as nb:
        message = fetch_error(nb, token="nbt_wrongkey00000.wrongsecretwrongsecretwrongsecret12")
    assert message.startswith("NetBox refused the token (403) while reading /api/dcim/devices/")
    assert "<redacted>" in message  # the fake echoed the token back; it is not repeated


def test_refused_v1_token():
    with FakeNetBox(devices=2) as nb:
        message = fetch_error(nb, token=V1_TOKEN)
    assert "NetBox refused the token (403)" in message


def test_server_error_names_status_and_text():
    with FakeNetBox(devices=2) as nb:
        nb.fail = "500"
        message = fetch_error(nb)
    assert message.startswith("NetBox at %s answered 500 Internal Server Error while reading /api/dcim/devices/" % nb.url)
    assert "Server Error (500)" in message


def test_bad_request_names_netbox_error_text():
    with FakeNetBox(devices=2) as nb:
        nb.fail = "400"
        message = fetch_error(nb)
    assert "answered 400" in message and "is not a valid value" in message


def test_not_json():
    with FakeNetBox(devices=2) as nb:
        nb.fail = "html"
        message = fetch_error(nb)
    assert "did not answer with JSON" in message


def test_wrong_path_is_404():
    with FakeNetBox(devices=2) as nb:
        message = fetch_error(nb.url + "/netbox")
    assert "answered 404" in message


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = fetch_error("http://127.0.0.1:%d" % port)
    assert message.startswith("cannot connect to NetBox at http://127.0.0.1:%d" % port)
    assert "Connection refused" in message


def test_timeout():
    with FakeNetBox(devices=2) as nb:
        nb.fail = "slow"
        message = fetch_error(nb, timeout=0.5)
    assert "did not answer within 0.5s" in message


def test_tls_error():
    with FakeNetBox(devices=2) as nb:
        message = fetch_error(nb.url.replace("http://", "https://"))
    assert message.startswith("TLS error talking to NetBox at https://")


@pytest.mark.parametrize("url, text", [("", "no NetBox URL"), ("netbox.example.com", "is not a NetBox URL")])
def test_bad_url(url, text):
    assert text in fetch_error(url)


def test_no_token():
    with pytest.raises(NetboxFetchError, match="no NetBox token"):
        fetch("http://127.0.0.1:9", "", names(2))


def test_redact():
    assert netbox_client.redact("a %s b" % V2_TOKEN, V2_TOKEN) == "a <redacted> b"
    assert V2_TOKEN.split(".")[1] not in netbox_client.redact("secret %s" % V2_TOKEN.split(".")[1], V2_TOKEN)


def test_auth_header():
    assert netbox_client.auth_header(V2_TOKEN) == "Bearer " + V2_TOKEN
    assert netbox_client.auth_header(V1_TOKEN) == "Token " + V1_TOKEN
