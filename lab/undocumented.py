"""Devices NetBox does not know, for discovery: a scenario's ``undocumented`` and ``netbox_only``.

``apply(netbox_view, device_view, scenario)`` adds to the device view an emulated device
per ``undocumented`` entry (``device_view["undocumented"]``, rendered like the others) and
its links as cables (device side only, so that its neighbours see it over LLDP, and over
CDP between Cisco devices); its management address, which its neighbours advertise, is
its own loopback address, served by the lab's relay (``lab/relay.py``). Each
``netbox_only`` entry is a device NetBox holds (and so the inventory) that nothing
emulates. It returns the ground truth of discovery, worked out from the lab's own graph,
never from the collection's code: which devices discovery must find, at which depth,
seen by whom on which port, which it can log into (inside the allowed prefixes, within
the depth), and which NetBox devices nobody sees.
"""

import ipaddress

from lab import dataset

SITE = "dc1"
PORTS = 8
CISCO = ("cisco_ios", "cisco_nxos")
# what the lab's discovery credentials match in what neighbours advertise (LLDP system
# description, CDP platform): one credential per platform, as a network team would keep them
DESCRIPTIONS = {"arista_eos": "Arista", "cisco_ios": "IOS|C9300", "cisco_nxos": "NX-OS|N9K",
                "juniper_junos": "Juniper|JUNOS"}
USERNAME = "discovery"


def _device(spec, links):
    platform, name, address = spec["platform"], spec["name"], spec["address"]
    _vendor, model, version, prefix = dataset.MODELS[platform]
    mgmt = dataset.LOGICAL[platform][3]
    peers = {link["port"]: link for link in links}
    ports = [dataset._iface(dataset.port_name(platform, n), "1000base-t", mode="access", untagged_vlan=10,
                            description=f"to {peers[dataset.port_name(platform, n)]['device']}"
                            if dataset.port_name(platform, n) in peers else "")
             for n in range(1, PORTS + 1)]
    ports.append(dataset._iface(mgmt, "1000base-t", mgmt_only=True, vrf=dataset.MGMT_VRF[platform],
                                description="oob management", ipv4=[f"{address}/16"]))
    return {"name": name, "site": SITE, "role": "access", "platform": platform, "device_type": model,
            "serial": dataset._serial(name, prefix), "os_version": version, "primary_ip4": f"{address}/16",
            "interfaces": ports, "lldp": spec.get("lldp", True), "address": address}


def _links(specs, present):
    """Every link of the undocumented devices whose both ends the lab has, once, as
    ``(device, port, peer, peer port)`` from the undocumented side."""
    found = []
    for spec in specs:
        for link in spec.get("links") or []:
            if link["device"] in present:
                found.append((spec["name"], link["port"], link["device"], link["peer_port"]))
    return found


def _netbox_only(spec, number):
    """A NetBox device built as the dataset builds its devices, renamed (its addresses are
    those of a device the lab would have only at 1,000+ devices)."""
    device = dataset._device(992 + 4 * number + dataset.PLATFORMS.index(spec["platform"]))
    device.update(name=spec["name"], site=SITE, platform=spec["platform"])
    return device


def apply(netbox_view, device_view, chosen):
    """Add the scenario's devices to the views; the ground truth, or None without any."""
    chosen = chosen or {}
    specs, gone = chosen.get("undocumented") or [], chosen.get("netbox_only") or []
    if not specs and not gone:
        return None
    present = {d["name"] for d in device_view["devices"]} | {s["name"] for s in specs}
    links = _links(specs, present)
    device_view["undocumented"] = [_device(s, [{"port": port, "device": peer} for me, port, peer, _pp in links
                                               if me == s["name"]] +
                                            [{"port": pp, "device": me} for me, _p, peer, pp in links
                                             if peer == s["name"]]) for s in specs]
    device_view["cables"] = device_view["cables"] + [
        {"a_device": me, "a_interface": port, "b_device": peer, "b_interface": peer_port}
        for me, port, peer, peer_port in links]
    for number, spec in enumerate(gone):
        netbox_view["devices"].append(_netbox_only(spec, number))
    return truth(device_view, links, gone, chosen.get("discover") or {})


def _visible(seer, seen):
    """The protocols ``seer`` sees ``seen`` with: LLDP unless it is off, CDP between Cisco devices."""
    found = ["lldp"] if seen.get("lldp", True) and seer.get("lldp", True) else []
    if seer["platform"] in CISCO and seen["platform"] in CISCO:
        found.append("cdp")
    return found


def truth(device_view, links, gone, settings):
    """The ground truth of discovery (see the module docstring)."""
    allowed = [ipaddress.ip_network(p) for p in settings.get("allow") or []]
    depth_max = int(settings.get("depth", 2))
    by_name = {d["name"]: d for d in device_view["devices"] + device_view["undocumented"]}
    hidden = {d["name"] for d in device_view["undocumented"]}
    seen_by = {}
    for me, port, peer, peer_port in links:
        for near, near_port, far, far_port in ((me, port, peer, peer_port), (peer, peer_port, me, port)):
            if far in hidden:
                for protocol in _visible(by_name[near], by_name[far]):
                    seen_by.setdefault(far, []).append([near, near_port, far_port, protocol])
    seeds = {d["name"] for d in device_view["devices"]}
    found, frontier, depth, readers = {}, seeds, 0, set(seeds)
    while frontier:
        depth += 1
        reached = set()
        for name in sorted(hidden - set(found)):
            sightings = [s for s in seen_by.get(name, []) if s[0] in frontier]
            if not sightings:
                continue
            device = by_name[name]
            inside = any(ipaddress.ip_address(device["address"]) in net for net in allowed)
            found[name] = {"name": name, "class": "missing_in_netbox", "depth": depth,
                           "reached": inside and depth <= depth_max, "address": device["address"],
                           "outside": not inside, "seen_by": sorted(seen_by[name]), "platform": device["platform"],
                           "model": device["device_type"], "serial": device["serial"],
                           "os_version": device["os_version"], "site": SITE, "lldp": device["lldp"],
                           "interfaces": [i["name"] for i in device["interfaces"]]}
            if found[name]["reached"]:
                reached.add(name)
        frontier = reached
        readers |= reached
    for entry in found.values():  # the neighbour tables discovery reads: the inventory's and the reached devices'
        entry["seen_by"] = [s for s in entry["seen_by"] if s[0] in readers]
    unseen = [{"name": spec["name"], "class": "missing_on_device"} for spec in gone]
    return {"allow": [str(n) for n in allowed], "depth": depth_max, "role": settings.get("role"),
            "devices": [found[n] for n in sorted(found)] + unseen,
            "never_connected": sorted(d["address"] for d in device_view["undocumented"]
                                      if not any(ipaddress.ip_address(d["address"]) in n for n in allowed))}


def credentials(device_view, port, password):
    """The discovery credentials of the lab: one per platform of its undocumented devices."""
    platforms = sorted({d["platform"] for d in device_view.get("undocumented") or []})
    return [{"name": f"lab-{p}", "platform": p, "port": port, "username": USERNAME, "password": password,
             "description": DESCRIPTIONS[p], "host_key_checking": False} for p in platforms]
