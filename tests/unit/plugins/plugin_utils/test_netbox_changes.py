# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What NetBox's change log means for the rows of a read (netbox_changes), and the cache
file and change log reading of netbox_cache. Rows are real NetBox 4.4.10 answers
(/work/shared/netbox/responses-4.4.10, copied into tests/unit/fixtures/netbox/); the
incremental read itself is tested against a real NetBox on the lab
(tests/integration/test_incremental.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import pathlib
import stat

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_cache, netbox_changes
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.netbox_changes import Doubt

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "netbox"


def results(name):
    return json.loads((FIXTURES / name).read_text())["results"]


@pytest.fixture
def rows():
    """Rows as a read keeps them: devices, interfaces (with cables and peers), addresses."""
    return {"devices": results("devices.json"), "types": [], "interfaces": results("interfaces-cabled.json"),
            "addresses": results("ip-addresses.json"), "site_vlans": results("vlans.json"), "groups": [],
            "group_vlans": []}


def entry(ident, model, object_id, action="update", before=None, after=None):
    return {"id": ident, "time": "2026-12-06T10:00:00.000000Z", "action": {"value": action, "label": action},
            "changed_object_type": model, "changed_object_id": object_id,
            "prechange_data": before if action != "create" else None,
            "postchange_data": after if action != "delete" else None}


@pytest.mark.parametrize("url, model", [
    ("http://nb/api/dcim/interfaces/5/", ("dcim.interface", 5)),
    ("https://nb.example.net/netbox/api/ipam/ip-addresses/12/", ("ipam.ipaddress", 12)),
    ("http://nb/api/ipam/prefixes/3/", ("ipam.prefix", 3)),
    ("http://nb/api/dcim/virtual-chassis/2/", ("dcim.virtualchassis", 2)),
    ("http://nb/api/ipam/vlan-groups/7/", ("ipam.vlangroup", 7)),
    ("http://nb/api/wireless/wireless-lan-groups/1/", ("wireless.wirelesslangroup", 1)),
    ("http://nb/api/vpn/ike-policies/1/", ("vpn.ikepolicy", 1)),
    ("http://nb/dcim/interfaces/5/", None), ("http://nb/api/dcim/interfaces/", None), (None, None),
])
def test_model_of_an_api_url(url, model):
    assert netbox_changes.model_of(url) == model


def test_model_of_every_list_endpoint_of_netbox_is_its_schema_name():
    """Each list endpoint of NetBox's OpenAPI schema answers ``Paginated<Model>List``: the
    model name the change log uses is that name in lower case (devices and virtual
    machines answer ``...WithConfigContext``, their serializer's name)."""
    schema = json.loads((FIXTURES / "openapi-paths.json").read_text())
    checked = 0
    for path, name in schema.items():
        app = path.strip("/").split("/")[1]
        name = name.replace("WithConfigContext", "")
        got = netbox_changes.model_of("http://nb%s1/" % path)
        assert got == ("%s.%s" % (app, name.lower()), 1), (path, name)
        checked += 1
    assert checked > 100


def test_references_walk_every_nested_object(rows):
    index = netbox_changes.references(rows)
    cable = rows["interfaces"][0]["cable"]["id"]
    assert ("interfaces", rows["interfaces"][0]["id"]) in index[("dcim.cable", cable)]
    provider = rows["interfaces"][0]["link_peers"][0]["circuit"]["provider"]["id"]
    assert ("interfaces", rows["interfaces"][0]["id"]) in index[("circuits.provider", provider)]
    device = rows["devices"][0]
    assert ("devices", device["id"]) in index[("dcim.site", device["site"]["id"])]
    assert ("devices", device["id"]) not in index.get(("dcim.device", device["id"]), set())  # not the row itself


def test_changed_rows_are_read_again_and_deleted_ones_dropped(rows):
    iface, address = rows["interfaces"][1], rows["addresses"][0]
    todo = netbox_changes.plan([
        entry(1, "dcim.interface", iface["id"], before={"description": ""}, after={"description": "x"}),
        entry(2, "dcim.interface", 99999, "create", after={"name": "Loopback9"}),
        entry(3, "ipam.ipaddress", address["id"], "delete", before={"address": address["address"]}),
        entry(4, "dcim.interface", 88888, "create", after={}), entry(5, "dcim.interface", 88888, "delete", before={}),
    ], rows)
    assert todo["reread"]["interfaces"] == {iface["id"], 99999}
    assert todo["deleted"] == {"devices": set(), "types": set(), "interfaces": {88888}, "addresses": {address["id"]}}
    assert todo["vlans"] is False


def test_a_change_of_what_a_nested_object_shows_reads_its_holders_again(rows):
    device = rows["devices"][0]
    site = device["site"]["id"]
    holders = set(r["id"] for r in rows["devices"] if r["site"]["id"] == site)
    renamed = netbox_changes.plan([entry(1, "dcim.site", site, before={"name": "A", "comments": ""},
                                         after={"name": "B", "comments": ""})], rows)
    assert renamed["reread"]["devices"] == holders
    assert [r for r in rows["site_vlans"] if (r.get("site") or {}).get("id") == site] and renamed["vlans"] is True
    quiet = netbox_changes.plan([entry(1, "dcim.site", site, before={"name": "A", "comments": ""},
                                       after={"name": "A", "comments": "moved racks"})], rows)
    assert quiet["reread"]["devices"] == set() and quiet["vlans"] is False
    unknown = netbox_changes.plan([entry(1, "dcim.site", site, before=None, after={"name": "A"})], rows)
    assert unknown["reread"]["devices"] == holders  # no data to tell: read again


def test_a_deleted_object_reads_again_every_row_that_nests_it(rows):
    iface = rows["interfaces"][0]
    cable = iface["cable"]["id"]
    todo = netbox_changes.plan([entry(1, "dcim.cable", cable, "delete", before={"label": ""})], rows)
    assert iface["id"] in todo["reread"]["interfaces"]
    assert set(todo["reread"]["interfaces"]) == set(
        r["id"] for r in rows["interfaces"] if cable in [c["id"] for c in netbox_changes._nested(r, [])
                                                         if "/dcim/cables/" in c["url"]])


@pytest.mark.parametrize("model", sorted(netbox_changes.DOUBT))
def test_changes_the_change_log_cannot_place_are_a_doubt(rows, model):
    with pytest.raises(Doubt, match=r"\(change 7\)"):
        netbox_changes.plan([entry(7, model, 1)], rows)


def test_an_entry_that_is_no_create_update_or_delete_is_a_doubt(rows):
    with pytest.raises(Doubt, match="change 3 of the change log"):
        netbox_changes.plan([dict(entry(3, "dcim.interface", 1), action={"value": "merged"})], rows)


def test_vlans_and_vlan_groups_read_the_vlan_part_again(rows):
    for model in netbox_changes.VLAN_TYPES:
        assert netbox_changes.plan([entry(1, model, 424242, "create", after={})], rows)["vlans"] is True


def test_replace_and_owned():
    rows = [{"id": 1, "v": "old"}, {"id": 2, "v": "old"}, {"id": 3, "v": "old"}]
    fresh = [{"id": 2, "v": "new"}, {"id": 9, "v": "not asked"}]
    assert netbox_changes.replace(rows, fresh, {2, 3}, {1}) == [{"id": 2, "v": "new"}]
    found = netbox_changes.owned({
        "types": [{"id": 1}, {"id": 2}],
        "interfaces": [{"id": 10, "device": {"id": 5}}, {"id": 11, "device": {"id": 6}}],
        "addresses": [{"id": 20, "assigned_object_type": "dcim.interface", "assigned_object_id": 10},
                      {"id": 21, "assigned_object_type": "dcim.interface", "assigned_object_id": 11},
                      {"id": 22, "assigned_object_type": "dcim.interface", "assigned_object_id": 12,
                       "assigned_object": {"device": {"id": 5}}},
                      {"id": 23, "assigned_object_type": "virtualization.vminterface", "assigned_object_id": 10}],
        "site_vlans": [{"id": 1}]}, {5}, {2})
    assert [t["id"] for t in found["types"]] == [2] and [i["id"] for i in found["interfaces"]] == [10]
    assert [a["id"] for a in found["addresses"]] == [20, 22] and found["site_vlans"] == [{"id": 1}]


# -- the cache file and the change log (netbox_cache) ----------------------------------

def test_cache_key_names_netbox_the_query_and_the_token_without_holding_them():
    key = netbox_cache.cache_key("https://nb", "nbt_abc.secret0123456789", ["b", "a"])
    assert key == netbox_cache.cache_key("https://nb", "nbt_abc.secret0123456789", ["a", "b", "a"][:2][::-1])
    others = [netbox_cache.cache_key("https://nb2", "nbt_abc.secret0123456789", ["a", "b"]),
              netbox_cache.cache_key("https://nb", "nbt_abc.other0123456789", ["a", "b"]),
              netbox_cache.cache_key("https://nb", "nbt_abc.secret0123456789", ["a"])]
    assert key not in others and len(set(others)) == 3
    assert "secret" not in key and len(key) == 32


def test_the_cache_is_private_and_written_in_one_step(tmp_path):
    path = tmp_path / "cache" / "k.json"
    cache = {"schema": netbox_cache.SCHEMA, "version": netbox_cache.VERSION, "key": "k", "rows": {"devices": []}}
    netbox_cache.save(str(path), cache)
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert netbox_cache.load(str(path), "k") == (cache, None)
    assert list(path.parent.iterdir()) == [path]
    assert "another format or query" in netbox_cache.load(str(path), "other")[1]
    path.write_text("{garbled")
    assert netbox_cache.load(str(path), "k") == (None, "the cache %s cannot be read" % path)
    assert netbox_cache.load(str(tmp_path / "none.json"), "k")[1].startswith("no cache of an earlier read")


class Log(object):
    """NetBox's change log as ``Fetcher.iterate`` reads it: entries from ``time_after`` on."""

    def __init__(self, entries):
        self.entries = entries

    def iterate(self, path, filters, fields, cap):
        assert path == "core/object-changes"
        since = filters.get("time_after")
        found = [e for e in self.entries if since is None or netbox_cache._time(e["time"]) >= netbox_cache._time(since)]
        return sorted(found, key=lambda e: e["id"])[:cap + 1]


def at(ident, second):
    return {"id": ident, "time": "2026-12-06T10:%02d:%02d.000000Z" % divmod(second, 60), "action": "update",
            "changed_object_type": "dcim.interface", "changed_object_id": ident}


def test_the_change_log_after_the_marker_and_late_commits_before_it():
    log = Log([at(1, 0), at(2, 100), at(4, 150), at(5, 200)])
    first, marker = netbox_cache.read_changes(log, None)
    assert [e["id"] for e in first] == [1, 2, 4, 5] and marker == {"id": 5, "time": at(5, 200)["time"], "seen": [4, 5]}
    log.entries += [at(3, 190), at(6, 300)]  # 3 was committed late, with an id below the newest seen
    later, marker = netbox_cache.read_changes(log, marker)
    assert [e["id"] for e in later] == [3, 6] and marker["id"] == 6 and marker["seen"] == [6]
    again, same = netbox_cache.read_changes(log, marker)
    assert again == [] and same["id"] == 6


def test_a_change_log_trimmed_past_the_marker_or_too_long_is_a_doubt(monkeypatch):
    log = Log([at(7, 10), at(8, 20)])
    with pytest.raises(Doubt, match="no longer holds change 5"):
        netbox_cache.read_changes(log, {"id": 5, "time": at(5, 15)["time"], "seen": [5]})
    monkeypatch.setattr(netbox_cache, "MAX_CHANGES", 1)
    with pytest.raises(Doubt, match="more than 1 changes"):
        netbox_cache.read_changes(log, None)


def test_the_window_is_the_minute_up_to_the_newest_entry():
    entries = [at(1, 0), at(2, 59), at(3, 60), at(4, 120)]
    assert netbox_cache._window(entries, entries[-1]) == [3, 4]
