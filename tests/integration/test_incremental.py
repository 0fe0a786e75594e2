"""Incremental NetBox reads on a lab of their own: after creates, updates and deletes
made through NetBox's API, the intended state a run reads from its cache and the change
log equals a full read; any doubt (the change log trimmed past the cache, NetBox's
version changed, a custom field redefined, no cache) is a full read that says why.

The changes go to a second lab (``.lab-incremental``, 6 devices, no scenario) so that
the shared lab stays as the other tests expect it. Each read runs the real
``netbox_state`` action through ``ansible-playbook``, once with ``cache_dir`` and once
without, on the same hosts: those of the lab plus one NetBox does not have yet."""

import json
import os
import random
import shutil
import stat

import pytest

from conftest import ROOT, VENV_BIN, lab_env, run

pynetbox = pytest.importorskip("pynetbox")

NEW_DEVICE = "incr-new-01"


@pytest.fixture(scope="module")
def nblab():
    state = ROOT / ".lab-incremental"  # PostgreSQL runs as its own user: not under pytest's private /tmp dir
    env = {"LAB_STATE": str(state)}
    run([VENV_BIN / "python", "-m", "lab", "up", "--devices", "6", "--scenario", "none"], timeout=3000, **env)
    info = lab_env(state)
    api = pynetbox.api(info["NETBOX_API"], token=info["NETBOX_TOKEN"])
    hosts = sorted(d.name for d in api.dcim.devices.all()) + [NEW_DEVICE]
    yield {"state": state, "env": info, "api": api, "hosts": hosts}
    run([VENV_BIN / "python", "-m", "lab", "down"], **env)
    shutil.rmtree(state, ignore_errors=True)


def read(nblab, tmp_path, cache_dir):
    """Both reads of one playbook run: ``(cached, full)`` results of netbox_state."""
    out = tmp_path / "netbox_state.json"
    run([VENV_BIN / "ansible-playbook", "-i", nblab["state"] / "inventory.yml",
         ROOT / "tests" / "integration" / "playbooks" / "netbox_state_cache.yml",
         "-e", json.dumps({"netbox_state_out": str(out), "netbox_cache_dir": str(cache_dir),
                           "netbox_state_hosts": nblab["hosts"]})], **nblab["env"])
    found = json.loads(out.read_text())
    return found["cached"], found["full"]


def assert_same(cached, full):
    for key in ("netbox_state", "platforms", "missing", "invalid"):
        assert cached[key] == full[key], key


def interfaces(api, device, **filters):
    return list(api.dcim.interfaces.filter(device=device, **filters))


def first_round(api, rng):
    """Updates, creates and deletes of every kind the intended state is made of, and
    changes of objects the rows only nest (a VRF renamed, a VLAN deleted under a port)."""
    devices = sorted(api.dcim.devices.all(), key=lambda d: d.name)
    device = rng.choice(devices)
    free = [i for i in interfaces(api, device.name, cabled=False) if i.mgmt_only is False and i.type.value != "virtual"]
    for iface in rng.sample(free, 3):  # updates
        iface.description = "changed %d" % rng.randrange(1000)
        iface.mtu = 9100
        iface.save()
    other = rng.choice([d for d in devices if d.id != device.id])
    other.serial = "INCR%06d" % rng.randrange(10 ** 6)
    other.save()
    dtype = api.dcim.device_types.get(device.device_type.id)
    dtype.part_number = "PN-INCR-%d" % rng.randrange(1000)
    dtype.save()
    loop = api.dcim.interfaces.create(device=device.id, name="Loopback901", type="virtual")  # creates
    api.ipam.ip_addresses.create(address="192.0.2.77/32", assigned_object_type="dcim.interface",
                                 assigned_object_id=loop.id)
    vlan = api.ipam.vlans.create(vid=777, name="INCR-777", site=device.site.id)
    trunk = free[-1]
    trunk.mode = "tagged"
    trunk.tagged_vlans = [vlan.id]
    trunk.save()
    tag = api.extras.tags.create(name="incr", slug="incr")
    tagged = free[-2]
    tagged.tags = [tag.id]
    tagged.save()
    new = api.dcim.devices.create(name=NEW_DEVICE, device_type=device.device_type.id, role=device.role.id,
                                  site=device.site.id, platform=device.platform.id if device.platform else None)
    eth = api.dcim.interfaces.create(device=new.id, name="Ethernet1", type="1000base-t", description="new device")
    api.ipam.ip_addresses.create(address="198.51.100.9/24", assigned_object_type="dcim.interface",
                                 assigned_object_id=eth.id)
    addresses = [a for a in api.ipam.ip_addresses.filter(device_id=other.id)
                 if not other.primary_ip4 or a.id != other.primary_ip4.id]
    rng.choice(addresses).delete()  # deletes
    rng.choice([i for i in free[:-2] if not list(api.ipam.ip_addresses.filter(interface_id=i.id))]).delete()
    cable = rng.choice(list(api.dcim.cables.all()))
    cable.delete()
    vrf = rng.choice([v for v in api.ipam.vrfs.all() if list(api.ipam.ip_addresses.filter(vrf_id=v.id))])
    vrf.name = vrf.name + "-renamed"  # nested in interfaces and addresses, which are not logged as changed
    vrf.save()
    used = [v for v in api.ipam.vlans.filter(site_id=device.site.id)
            if v.id != vlan.id and list(api.dcim.interfaces.filter(vlan_id=v.id))]
    rng.choice(used).delete()  # ports lose their untagged VLAN without a change of their own


def second_round(api, rng):
    """A cable made, a device type renamed, a site renamed, an address made anycast, and
    the new device deleted with its interface and address."""
    devices = sorted(api.dcim.devices.filter(name__n=NEW_DEVICE), key=lambda d: d.name)
    a, b = rng.sample(devices, 2)
    ends = [rng.choice([i for i in interfaces(api, d.name, cabled=False) if i.type.value not in ("virtual", "lag")
                        and not i.mgmt_only]) for d in (a, b)]
    api.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": ends[0].id}],
                           b_terminations=[{"object_type": "dcim.interface", "object_id": ends[1].id}])
    dtype = api.dcim.device_types.get(a.device_type.id)
    dtype.model = dtype.model + "-R"
    dtype.save()
    site = api.dcim.sites.get(a.site.id)
    site.name = site.name + " renamed"
    site.save()
    address = rng.choice(list(api.ipam.ip_addresses.filter(device_id=b.id)))
    address.role = "anycast"
    address.save()
    api.dcim.devices.get(name=NEW_DEVICE).delete()


def test_incremental_reads_equal_full_reads_after_creates_updates_and_deletes(nblab, tmp_path):
    cache_dir = tmp_path / "netbox-cache"
    cached, full = read(nblab, tmp_path, cache_dir)
    assert cached["stats"]["read"] == "full" and cached["stats"]["reason"].startswith("no cache")
    assert_same(cached, full)
    assert cached["missing"] == [NEW_DEVICE]
    files = list(cache_dir.iterdir())
    assert len(files) == 1 and stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert nblab["env"]["NETBOX_TOKEN"].rsplit(".", 1)[-1] not in files[0].read_text()

    rng = random.Random(20261206)
    for number, changes in enumerate((first_round, second_round), 1):
        changes(nblab["api"], rng)
        cached, full = read(nblab, tmp_path, cache_dir)
        stats = cached["stats"]
        assert stats["read"] == "incremental", (number, stats["reason"])
        assert_same(cached, full)
        assert stats["changes"] >= 5 and stats["reread"]["interfaces"] < full["stats"]["interfaces"] / 2, (number, stats)
        if number == 1:
            assert cached["missing"] == [] and cached["netbox_state"][NEW_DEVICE]["interfaces"]["Ethernet1"]["ipv4"] \
                == ["198.51.100.9/24"]
            assert stats["reread"]["vlans"] is True and stats["reread"]["interfaces"] > 3
        else:
            assert cached["missing"] == [NEW_DEVICE]

    cached, full = read(nblab, tmp_path, cache_dir)  # nothing changed: the status and the change log
    assert (cached["stats"]["read"], cached["stats"]["changes"], cached["stats"]["requests"]) == ("incremental", 0, 2)
    assert_same(cached, full)


def tamper(cache_dir, **changes):
    path = next(cache_dir.iterdir())
    cache = json.loads(path.read_text())
    for key, value in changes.items():
        if key == "marker_id":
            cache["marker"]["id"] = value
        else:
            cache[key] = value
    path.write_text(json.dumps(cache))


@pytest.mark.parametrize("doubt, reason", [
    ("trimmed", "NetBox's change log no longer holds change"),
    ("version", "NetBox's version changed (4.6.0, now "),
    ("custom field", "a custom field's definition changed"),
    ("no cache", "no cache of an earlier read"),
    ("garbled", "cannot be read"),
])
def test_any_doubt_is_a_full_read_that_says_why(nblab, tmp_path, doubt, reason):
    cache_dir = tmp_path / "netbox-cache"
    assert read(nblab, tmp_path, cache_dir)[0]["stats"]["read"] == "full"
    api = nblab["api"]
    iface = interfaces(api, nblab["hosts"][0])[5]
    iface.description = "before the doubt %s" % doubt  # a change the full read must see
    iface.save()
    if doubt == "trimmed":
        tamper(cache_dir, marker_id=10 ** 9)
    elif doubt == "version":
        tamper(cache_dir, netbox_version="4.6.0")
    elif doubt == "custom field":
        field = next(iter(api.extras.custom_fields.all()))
        field.description = "redefined"
        field.save()
    elif doubt == "no cache":
        shutil.rmtree(cache_dir)
    else:
        next(cache_dir.iterdir()).write_text("{not json")
    cached, full = read(nblab, tmp_path, cache_dir)
    assert cached["stats"]["read"] == "full" and reason in cached["stats"]["reason"], cached["stats"]
    assert_same(cached, full)
    assert cached["netbox_state"][nblab["hosts"][0]]["interfaces"][iface.name]["description"] == \
        "before the doubt %s" % doubt
