"""What the device model of a lab device must hold, from the dataset's device view.

The lab renders each device from the dataset, so after the scenario's device-side
changes the collected model must say exactly what the device view says, field by
field, in the model's vocabulary (trunk for tagged, "all" for tagged-all...).
"""

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

MODE = {"access": "access", "tagged": "trunk", "tagged-all": "trunk"}


def expected_interface(iface):
    want = {"enabled": iface["enabled"], "description": iface["description"],
            "mtu": iface["mtu"], "lag": names.key(iface["lag"]) if iface["lag"] else None,
            "vrf": iface["vrf"], "ipv4": sorted(iface["ipv4"]), "ipv6": sorted(iface["ipv6"])}
    mode = MODE.get(iface["mode"])
    want["mode"] = mode
    if mode == "access":
        want["access_vlan"] = iface["untagged_vlan"]
    if mode == "trunk":
        want["native_vlan"] = iface["untagged_vlan"]
        want["tagged_vlans"] = "all" if iface["mode"] == "tagged-all" else sorted(iface["tagged_vlans"])
    return want


def observed_interface(found, want):
    got = {field: found.get(field) for field in want}
    got["lag"] = names.key(found["lag"]) if found.get("lag") else None
    got["ipv4"], got["ipv6"] = sorted(found["ipv4"]), sorted(found["ipv6"])
    if want["mode"] is None and found["mode"] in ("routed", None):
        got["mode"] = None  # NetBox has no mode for routed, virtual and LAG member ports
    if want["mtu"] is None and found["mtu"] is not None:
        got["mtu"] = None if found["mtu"] == found.get("_default_mtu") else found["mtu"]
    return got


def differences(device, state, dataset):
    """Every field where the collected model and the device view disagree."""
    problems = []
    if any(s["status"] != "ok" for s in state["sections"].values()):
        problems.append(("sections", state["sections"]))
        return problems
    facts = state["facts"]
    for field in ("serial", "os_version"):
        if facts[field] != device[field]:
            problems.append(("facts", field, facts[field], device[field]))
    if (facts["model"] or "").lower() != device["device_type"].lower():
        problems.append(("facts", "model", facts["model"], device["device_type"]))
    found = {names.key(n): i for n, i in state["interfaces"].items()}
    wanted = {names.key(i["name"]): i for i in device["interfaces"]}
    if set(found) != set(wanted):
        problems.append(("interfaces", sorted(set(found) - set(wanted)), sorted(set(wanted) - set(found))))
    for ikey in set(found) & set(wanted):
        want = expected_interface(wanted[ikey])
        found[ikey]["_default_mtu"] = state["defaults"]["mtu"]
        got = observed_interface(found[ikey], want)
        if got != want:
            problems.append((wanted[ikey]["name"], {k: (got[k], want[k]) for k in want if got[k] != want[k]}))
    problems += _vlan_differences(device, state, dataset)
    problems += _neighbor_differences(device, state, dataset)
    return problems


def _vlan_differences(device, state, dataset):
    group = device["site"] + "-vlans"
    site = {v["vid"]: v["name"] for v in dataset["vlans"] if v["site"] == device["site"] or v["group"] == group}
    got = {int(vid): v["name"] for vid, v in state["vlans"].items()}
    return [("vlan", vid, got.get(vid), name) for vid, name in site.items() if got.get(vid) != name]


def _neighbor_differences(device, state, dataset):
    want = {}
    silent = {d["name"] for d in dataset.get("undocumented") or [] if d.get("lldp") is False}  # LLDP off
    for cable in dataset["cables"]:
        for near, far in (("a", "b"), ("b", "a")):
            if cable[near + "_device"] == device["name"] and cable[far + "_device"] not in silent:
                want[names.key(cable[near + "_interface"])] = (cable[far + "_device"], names.key(cable[far + "_interface"]))
    for port, peer in device.get("lldp_override", {}).items():
        if peer is None:  # the port sends and hears no LLDP/CDP
            want.pop(names.key(port), None)
        else:
            want[names.key(port)] = (peer["device"], names.key(peer["port"]))
    got = {}
    for entry in state["neighbors"]:
        if entry["protocol"] == "lldp":
            system = (entry["remote_system"] or "").split(".")[0]
            got[names.key(entry["local_port"])] = (system, names.key(entry["remote_port"]))
    return [("lldp", port, got.get(port), want.get(port)) for port in sorted(set(want) | set(got))
            if got.get(port) != want.get(port)]
