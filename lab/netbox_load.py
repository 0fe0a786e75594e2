"""Load the lab dataset (lab/dataset.py) into NetBox through its REST API, in bulk.

Every object type is created with list POSTs of ``chunk`` objects (one request
per chunk, never one per object); ids come from the bulk responses, in request
order.  NetBox must be empty (a freshly started lab).

NetBox 4.7 still saves the objects of a bulk request one by one (validation,
change log, search cache): ~35 ms of CPU per interface on this machine, so the
interfaces, IP addresses and cables go ``parallel`` requests at a time, in chunks
that never split a device (see Loader).  1,000 devices take ~20 min on 2 cores:
``python -m lab.netbox_service start --devices N`` caches the loaded database.

    .venv/bin/python -m lab.netbox_load --devices 12      # reads .lab/env

``load()`` returns the number of objects created per type; ``verify()`` compares
NetBox's counts with the dataset and returns the mismatches.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pynetbox
import requests

from lab import dataset as lab_dataset
from lab.pgsql import LabError

CHUNK = 250     # objects per POST
PARALLEL = 3    # POSTs in flight, for types whose chunks can be split by device
RETRIES = 3
IFACE = "dcim.interface"


def connect(api_url, token):
    api = pynetbox.api(api_url, token=token)  # nbt_... tokens are sent as "Bearer"
    api.http_session.headers["Connection"] = "keep-alive"
    return api


def _send(call, endpoint, part, what):
    """One bulk request. NetBox runs a bulk request in one transaction, so a
    request that lost a deadlock was rolled back entirely and can be sent again."""
    for attempt in range(RETRIES + 1):
        try:
            return call(part)
        except pynetbox.RequestError as exc:
            error = str(exc.error)
            if "deadlock detected" not in error or attempt == RETRIES:
                raise LabError(f"bulk {what} on {endpoint.url} failed: {error[:1500]}") from None
            time.sleep(0.5 * (attempt + 1))
        except requests.RequestException as exc:
            raise LabError(f"bulk {what} on {endpoint.url}: no answer ({exc})") from None
    raise AssertionError("unreachable")


def _post(endpoint, part):
    created = _send(endpoint.create, endpoint, part, "create")
    if not isinstance(created, list) or len(created) != len(part):
        raise LabError(f"{endpoint.url}: expected {len(part)} objects back")
    return [rec.id for rec in created]


def _patch(endpoint, part):
    _send(endpoint.update, endpoint, part, "update")
    return [obj["id"] for obj in part]


def _chunks(objects, size, groups):
    """Split objects in chunks of about ``size``, never splitting a group."""
    parts, start = [], 0
    for i in range(1, len(objects) + 1):
        full = i - start >= size and (groups is None or i == len(objects)
                                      or groups[i] != groups[i - 1])
        if full or i == len(objects):
            parts.append(objects[start:i])
            start = i
    return parts


class Loader:
    """Bulk writes (``chunk`` objects per request), the name -> id maps built from
    the responses, and per-type counts and times.

    Each bulk request is one transaction in NetBox, and saving an object updates
    counters on the objects it belongs to (device types, devices...): requests run
    ``parallel`` at a time only when their chunks hold disjoint groups of objects
    (``groups``: one key per object, e.g. the device), else one at a time."""

    def __init__(self, api, chunk=CHUNK, parallel=PARALLEL):
        self.api, self.chunk, self.parallel = api, chunk, parallel
        self.ids, self.counts, self.seconds = {}, {}, {}

    def _bulk(self, func, endpoint, objects, groups):
        parts = _chunks(objects, self.chunk, groups)
        workers = 1 if groups is None else max(1, min(self.parallel, len(parts)))
        with ThreadPoolExecutor(workers) as pool:
            return [oid for ids in pool.map(lambda p: func(endpoint, p), parts) for oid in ids]

    def create(self, endpoint, objects, key=None, groups=None):
        """POST objects; return their ids in order or, with ``key``, {key(obj): id}."""
        ids = self._bulk(_post, endpoint, objects, groups)
        return ids if key is None else {key(obj): oid for obj, oid in zip(objects, ids)}

    def update(self, endpoint, objects, groups=None):
        return self._bulk(_patch, endpoint, objects, groups)

    def timed(self, name, func, *args, **kwargs):
        t0 = time.monotonic()
        result = func(*args, **kwargs)
        elapsed = time.monotonic() - t0
        self.counts[name], self.seconds[name] = len(result), round(elapsed, 2)
        rate = f", {len(result) / elapsed:.0f}/s" if elapsed > 0.5 else ""
        print(f"  {name:15s} {len(result):6d} in {elapsed:6.1f} s{rate}", flush=True)
        return result


def _scope_key(group):
    """Where a VLAN group's VLANs resolve: its device (``device:<name>``), else its site."""
    return f"device:{group['device']}" if group.get("device") else group["site"]


def _vlan_index(vlans, groups, ids):
    """(scope, vid) -> VLAN id; scope is the site slug, or ``device:<name>`` for a VLAN of a
    group scoped to one device."""
    scope = {g["slug"]: _scope_key(g) for g in groups}
    index = {}
    for vlan, vid in zip(vlans, ids):
        index[(vlan["site"] or scope[vlan["group"]], vlan["vid"])] = vid
    return index


def _vlans(ld, ds):
    """The VLAN groups and their VLANs, and the site VLANs. A group with ``device`` holds
    the VLANs of that one device (NetBox cannot scope a group to a device: it has none)."""
    api, m = ld.api, ld.ids
    scope = lambda g: ({} if g.get("device")  # noqa: E731
                       else {"scope_type": "dcim.site", "scope_id": m["site"][g["site"]]})
    m["vlan_group"] = ld.timed("vlan_groups", ld.create, api.ipam.vlan_groups, [
        {"name": g["name"], "slug": g["slug"], **scope(g)} for g in ds["vlan_groups"]], lambda o: o["slug"])
    where = lambda x: ({"site": m["site"][x["site"]]} if x["site"]  # noqa: E731
                       else {"group": m["vlan_group"][x["group"]]})
    ids = ld.timed("vlans", ld.create, api.ipam.vlans, [
        {"vid": x["vid"], "name": x["name"], "status": "active", **where(x)} for x in ds["vlans"]])
    m["vlan"] = _vlan_index(ds["vlans"], ds["vlan_groups"], ids)


def _organisation(ld, ds):
    """Custom fields, manufacturers ... VRFs; fill the name -> id maps."""
    api, m, slug = ld.api, ld.ids, (lambda o: o["slug"])
    ld.timed("custom_fields", ld.create, api.extras.custom_fields, [
        {"name": cf["name"], "type": cf["type"], "label": cf.get("label", ""),
         "object_types": cf["object_types"]} for cf in ds["custom_fields"]])
    m["manufacturer"] = ld.timed("manufacturers", ld.create, api.dcim.manufacturers, [
        {"name": x["name"], "slug": x["slug"]} for x in ds["manufacturers"]], slug)
    # NetBox platforms have no network_os field: it goes in the description.
    maker = lambda x: m["manufacturer"][x["manufacturer"]]  # noqa: E731
    m["platform"] = ld.timed("platforms", ld.create, api.dcim.platforms, [
        {"name": x["name"], "slug": x["slug"], "manufacturer": maker(x),
         "description": f"ansible_network_os={x['network_os']}"} for x in ds["platforms"]], slug)
    m["device_type"] = ld.timed("device_types", ld.create, api.dcim.device_types, [
        {"model": x["model"], "slug": x["slug"], "manufacturer": maker(x),
         **({"default_platform": m["platform"][x["platform"]]} if x["platform"] else {})}
        for x in ds["device_types"]], lambda o: o["model"])
    m["role"] = ld.timed("device_roles", ld.create, api.dcim.device_roles, [
        {"name": x["name"], "slug": x["slug"], "color": x["color"]} for x in ds["roles"]], slug)
    m["site"] = ld.timed("sites", ld.create, api.dcim.sites, [
        {"name": x["name"], "slug": x["slug"], "status": "active"} for x in ds["sites"]], slug)
    _vlans(ld, ds)
    m["vrf"] = ld.timed("vrfs", ld.create, api.ipam.vrfs, [
        {"name": x["name"], "rd": x["rd"], "enforce_unique": x.get("enforce_unique", True)}
        for x in ds["vrfs"]], lambda o: o["name"])


def _device_payload(dev, m):
    payload = {"name": dev["name"], "site": m["site"][dev["site"]], "role": m["role"][dev["role"]],
               "device_type": m["device_type"][dev["device_type"]], "serial": dev["serial"],
               "status": "active", "custom_fields": {"software_version": dev["os_version"]}}
    if dev["platform"]:
        payload["platform"] = m["platform"][dev["platform"]]
    return payload


def _iface_payload(dev, iface, m, iface_ids):
    vlan = lambda vid: m["vlan"].get((f"device:{dev['name']}", vid)) or m["vlan"][(dev["site"], vid)]  # noqa: E731
    obj = {"device": m["device"][dev["name"]], "name": iface["name"], "type": iface["type"],
           "enabled": iface["enabled"], "description": iface["description"],
           "mtu": iface["mtu"], "mgmt_only": iface["mgmt_only"], "mode": iface["mode"] or ""}
    if iface["untagged_vlan"] is not None:
        obj["untagged_vlan"] = vlan(iface["untagged_vlan"])
    if iface["tagged_vlans"]:
        obj["tagged_vlans"] = [vlan(v) for v in iface["tagged_vlans"]]
    if iface["vrf"]:
        obj["vrf"] = m["vrf"][iface["vrf"]]
    if iface["lag"]:
        obj["lag"] = iface_ids[(dev["name"], iface["lag"])]
    return obj


def _interfaces(ld, ds):
    """LAG parents and standalone interfaces first, then LAG members."""
    ids = {}
    for members in (False, True):
        todo = [(dev, iface) for dev in ds["devices"] for iface in dev["interfaces"]
                if bool(iface["lag"]) == members]
        payload = [_iface_payload(dev, iface, ld.ids, ids) for dev, iface in todo]
        ids.update(zip([(d["name"], i["name"]) for d, i in todo],
                       ld.create(ld.api.dcim.interfaces, payload,
                                 groups=[obj["device"] for obj in payload])))
    return ids


def _ip_addresses(ld, ds):
    todo, payload, m = [], [], ld.ids
    for dev in ds["devices"]:
        for iface in dev["interfaces"]:
            roles = [(a, None) for a in iface["ipv4"] + iface["ipv6"]]
            roles += [(a, "anycast") for a in iface.get("anycast", [])]
            for address, role in roles:
                todo.append((dev["name"], address))
                obj = {"address": address, "status": "active",
                       "assigned_object_type": IFACE,
                       "assigned_object_id": m["interface"][(dev["name"], iface["name"])]}
                if iface["vrf"]:
                    obj["vrf"] = m["vrf"][iface["vrf"]]
                if role:
                    obj["role"] = role
                payload.append(obj)
    return dict(zip(todo, ld.create(ld.api.ipam.ip_addresses, payload,
                                    groups=[dev for dev, _ in todo])))


def _cables(ld, ds):
    term = lambda dev, name: [{"object_type": IFACE,  # noqa: E731
                               "object_id": ld.ids["interface"][(dev, name)]}]
    return ld.create(ld.api.dcim.cables, [
        {"a_terminations": term(c["a_device"], c["a_interface"]),
         "b_terminations": term(c["b_device"], c["b_interface"]), "status": "connected"}
        for c in ds["cables"]], groups=[(c["a_device"], c["b_device"]) for c in ds["cables"]])


def load(api_url, token, dataset, chunk=CHUNK, parallel=PARALLEL):
    """Create the whole dataset in NetBox; return {type: count}."""
    api = connect(api_url, token)
    try:
        existing = api.dcim.devices.count()
    except (pynetbox.RequestError, requests.RequestException) as exc:
        raise LabError(f"cannot reach NetBox at {api_url}: {exc}") from None
    if existing:
        raise LabError(f"NetBox at {api_url} already has {existing} devices: restart the lab first")
    ld, t0 = Loader(api, chunk, parallel), time.monotonic()
    _organisation(ld, dataset)
    m = ld.ids
    m["device"] = ld.timed("devices", ld.create, api.dcim.devices,
                           [_device_payload(d, m) for d in dataset["devices"]], lambda o: o["name"])
    m["interface"] = ld.timed("interfaces", _interfaces, ld, dataset)
    ips = ld.timed("ip_addresses", _ip_addresses, ld, dataset)
    primary = [d for d in dataset["devices"] if d.get("primary_ip4")]
    ld.timed("primary_ip4", ld.update, api.dcim.devices, [
        {"id": m["device"][d["name"]], "primary_ip4": ips[(d["name"], d["primary_ip4"])]}
        for d in primary], [d["name"] for d in primary])
    ld.timed("cables", _cables, ld, dataset)
    print(f"  loaded in {time.monotonic() - t0:.1f} s ({chunk} objects per request, "
          f"up to {parallel} in flight)", flush=True)
    return ld.counts


def dataset_key(dataset):
    """Hash of the dataset and of this loader: names a cached dump of a loaded NetBox."""
    digest = hashlib.sha256(json.dumps(dataset, sort_keys=True).encode())
    with open(__file__, "rb") as fh:
        digest.update(fh.read())
    return digest.hexdigest()[:12]


def expected_counts(ds):
    ifaces = [i for d in ds["devices"] for i in d["interfaces"]]
    return {
        "custom_fields": len(ds["custom_fields"]), "manufacturers": len(ds["manufacturers"]),
        "platforms": len(ds["platforms"]), "device_types": len(ds["device_types"]),
        "device_roles": len(ds["roles"]), "sites": len(ds["sites"]),
        "vlan_groups": len(ds["vlan_groups"]), "vlans": len(ds["vlans"]), "vrfs": len(ds["vrfs"]),
        "devices": len(ds["devices"]), "interfaces": len(ifaces),
        "ip_addresses": sum(len(i["ipv4"]) + len(i["ipv6"]) + len(i.get("anycast", ())) for i in ifaces),
        "primary_ip4": sum(1 for d in ds["devices"] if d.get("primary_ip4")),
        "cables": len(ds["cables"]),
    }


def verify(api_url, token, dataset):
    """Compare NetBox's object counts with the dataset; return {type: (expected, found)}."""
    api = connect(api_url, token)
    endpoints = {
        "custom_fields": api.extras.custom_fields, "manufacturers": api.dcim.manufacturers,
        "platforms": api.dcim.platforms, "device_types": api.dcim.device_types,
        "device_roles": api.dcim.device_roles, "sites": api.dcim.sites,
        "vlan_groups": api.ipam.vlan_groups, "vlans": api.ipam.vlans, "vrfs": api.ipam.vrfs,
        "devices": api.dcim.devices, "interfaces": api.dcim.interfaces,
        "ip_addresses": api.ipam.ip_addresses, "cables": api.dcim.cables,
    }
    try:
        found = {name: ep.count() for name, ep in endpoints.items()}
        found["primary_ip4"] = api.dcim.devices.count(has_primary_ip=True)
    except (pynetbox.RequestError, requests.RequestException) as exc:
        raise LabError(f"cannot count objects in NetBox at {api_url}: {exc}") from None
    return {name: (want, found[name]) for name, want in expected_counts(dataset).items()
            if found[name] != want}


def read_env(path):
    env = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                name, sep, value = line.strip().partition("=")
                if sep:
                    env[name] = value
    except OSError as exc:
        raise LabError(f"cannot read {path} ({exc.strerror}): start the lab first "
                       "(python -m lab.netbox_service start)") from None
    if not env.get("NETBOX_API") or not env.get("NETBOX_TOKEN"):
        raise LabError(f"{path} lacks NETBOX_API or NETBOX_TOKEN")
    return env["NETBOX_API"], env["NETBOX_TOKEN"]


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(prog="python -m lab.netbox_load",
                                     description="Load the lab dataset into the lab NetBox.")
    parser.add_argument("--devices", type=int, default=12, help="devices (default: %(default)s)")
    parser.add_argument("--env", default=os.path.join(root, ".lab", "env"),
                        help="file with NETBOX_API and NETBOX_TOKEN (default: %(default)s)")
    parser.add_argument("--chunk", type=int, default=CHUNK,
                        help="objects per request (default: %(default)s)")
    parser.add_argument("--parallel", type=int, default=PARALLEL,
                        help="requests in flight (default: %(default)s)")
    parser.add_argument("--verify-only", action="store_true", help="only compare counts")
    args = parser.parse_args(argv)
    try:
        api_url, token = read_env(args.env)
        ds = lab_dataset.generate(args.devices)
        if not args.verify_only:
            load(api_url, token, ds, args.chunk, args.parallel)
        bad = verify(api_url, token, ds)
    except (LabError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, (want, got) in sorted(bad.items()):
        print(f"  MISMATCH {name}: dataset {want}, NetBox {got}")
    print("verify: counts match" if not bad else f"verify: {len(bad)} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
