"""Injected drift: apply a scenario to the lab dataset and derive its ground truth.

``apply(dataset, scenario)`` returns ``(netbox_view, device_view, expected)``: the
dataset to load into NetBox, the dataset the emulated devices render, and the drift
records the check must report (``.lab/expected-drift.json``). Changes that name a
device the lab does not have (a lab smaller than the scenario) are left out, and so
are their records: the ground truth always matches what was applied.
"""

import copy
import pathlib

import yaml

SCENARIO_DIR = pathlib.Path(__file__).parent / "scenarios"
BASELINE_DIR = pathlib.Path(__file__).parent / "fabrics"
RECORD_FIELDS = ("device", "kind", "key", "field", "class")


class ScenarioError(Exception):
    """A scenario that cannot be applied to the dataset."""


def load(name, _seen=()):
    """A scenario; one that ``extends`` another has that one's changes first, then its own."""
    path = SCENARIO_DIR / f"{name}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in SCENARIO_DIR.glob("*.yml"))
        raise ScenarioError(f"unknown scenario {name!r}; known: {', '.join(known)} or 'none'")
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    base = loaded.get("extends")
    if base:
        if base in _seen or base == name:
            raise ScenarioError(f"{name}: extends {base}, which extends it back")
        loaded["changes"] = load(base, _seen + (name,)).get("changes", []) + (loaded.get("changes") or [])
    return loaded


def baseline(fabric_name):
    """The real differences between a replayed fabric's intent and its captures: the records
    the check must report with no scenario (``lab/fabrics/<fabric>.yml``, each with ``why``)."""
    path = BASELINE_DIR / f"{fabric_name}.yml"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        records = (yaml.safe_load(handle) or {}).get("records") or []
    for record in records:
        missing = [f for f in RECORD_FIELDS + ("why",) if f not in record]
        if missing:
            raise ScenarioError(f"{path.name}: a record lacks {', '.join(missing)}: {record}")
    return records


def _device(view, name):
    for device in view["devices"]:
        if device["name"] == name:
            return device
    return None


def _interface(device, name, change_id):
    for iface in device["interfaces"]:
        if iface["name"] == name:
            return iface
    raise ScenarioError(f"{change_id}: {device['name']} has no interface {name!r}")


def _op_set(device, spec, change_id):
    target = _interface(device, spec["interface"], change_id) if spec.get("interface") else device
    for field, value in spec["values"].items():
        if field not in target:
            raise ScenarioError(f"{change_id}: unknown field {field!r}")
        target[field] = value


def _op_add_interface(device, spec, change_id):
    from lab.dataset import _iface  # the dataset's defaults for a new interface

    fields = dict(spec["interface"])
    if any(i["name"] == fields["name"] for i in device["interfaces"]):
        raise ScenarioError(f"{change_id}: {device['name']} already has {fields['name']}")
    device["interfaces"].append(_iface(fields.pop("name"), fields.pop("type", "1000base-t"), **fields))


def _op_remove_interface(device, spec, change_id):
    iface = _interface(device, spec["interface"], change_id)
    device["interfaces"].remove(iface)


def _op_move_ip(device, spec, change_id):
    address = spec["address"]
    family = "ipv6" if ":" in address else "ipv4"
    source = [i for i in device["interfaces"] if address in i[family]]
    if not source:
        raise ScenarioError(f"{change_id}: {device['name']} has no address {address}")
    source[0][family].remove(address)
    _interface(device, spec["to"], change_id)[family].append(address)


def _op_lldp(device, spec, change_id):
    _interface(device, spec["interface"], change_id)
    neighbor = spec.get("neighbor")  # null: the port sends and hears no LLDP/CDP
    device.setdefault("lldp_override", {})[spec["interface"]] = dict(neighbor) if neighbor else None


def _op_cable(device, spec, change_id, view):
    """The cable of one port: removed (``peer: null``) or joined to another far end."""
    _interface(device, spec["interface"], change_id)
    end = (device["name"], spec["interface"])
    kept = [c for c in view["cables"] if end not in ((c["a_device"], c["a_interface"]), (c["b_device"], c["b_interface"]))]
    if len(kept) == len(view["cables"]) and spec.get("peer") is None:
        raise ScenarioError(f"{change_id}: {device['name']} {spec['interface']} has no cable to remove")
    view["cables"][:] = kept
    if spec.get("peer"):
        view["cables"].append({"a_device": device["name"], "a_interface": spec["interface"],
                               "b_device": spec["peer"]["device"], "b_interface": spec["peer"]["port"]})


OPERATIONS = {
    "set": _op_set,
    "add_interface": _op_add_interface,
    "remove_interface": _op_remove_interface,
    "move_ip": _op_move_ip,
    "lldp": _op_lldp,
    "cable": _op_cable,  # NetBox's cabling (side netbox): the device side follows its cables already
}
NEEDS_VIEW = ("cable",)


def _operation(change):
    ops = [op for op in OPERATIONS if op in change]
    if len(ops) != 1:
        raise ScenarioError(f"{change.get('id')}: needs exactly one of {', '.join(OPERATIONS)}")
    return ops[0]


def _cable_peer(view, device, iface):
    for cable in view["cables"]:
        for near, far in (("a", "b"), ("b", "a")):
            if cable[f"{near}_device"] == device and cable[f"{near}_interface"] == iface:
                return {"device": cable[f"{far}_device"], "port": cable[f"{far}_interface"]}
    return None


def _value(view, record):
    """The value a record's field has in one view, for the ground-truth file."""
    device = _device(view, record["device"])
    kind, key, field = record["kind"], record["key"], record["field"]
    if field is None:
        return None
    if kind == "device":
        return device.get(field)
    if kind == "interface":
        iface = next((i for i in device["interfaces"] if i["name"] == key), None)
        return iface.get(field) if iface else None
    if kind == "ip_address":  # key: the address, then " vrf NAME" outside the global table
        address, _, vrf = key.partition(" vrf ")
        return next((i["name"] for i in device["interfaces"] if (i["vrf"] or "") == vrf
                     and address in i["ipv4"] + i["ipv6"] + i.get("anycast", [])), None)
    if kind == "cable":
        overrides = device.get("lldp_override", {})
        return overrides[key] if key in overrides else _cable_peer(view, record["device"], key)
    return None


def apply(dataset, scenario):
    """Apply ``scenario`` (a loaded scenario dict, or None) to ``dataset``."""
    views = {"netbox": copy.deepcopy(dataset), "device": copy.deepcopy(dataset)}
    applied = []
    for change in (scenario or {}).get("changes", []):
        side = change.get("side")
        if side not in views:
            raise ScenarioError(f"{change.get('id')}: side must be 'device' or 'netbox'")
        device = _device(views[side], change["device"])
        if device is None:
            continue
        op = _operation(change)
        extra = (views[side],) if op in NEEDS_VIEW else ()
        OPERATIONS[op](device, change[op], change["id"], *extra)
        applied.append(change)
    expected = []
    for change in applied:
        for spec in change["expect"]:
            record = {"device": change["device"], **spec}
            missing = [f for f in RECORD_FIELDS if f not in record]
            if missing:
                raise ScenarioError(f"{change['id']}: expect record lacks {', '.join(missing)}")
            record["netbox_value"] = _value(views["netbox"], record)
            record["device_value"] = _value(views["device"], record)
            record["scenario_change"] = change["id"]
            expected.append(record)
    return views["netbox"], views["device"], expected
