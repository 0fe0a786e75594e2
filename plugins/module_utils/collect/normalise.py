# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From raw command outputs to the device model (``model.py``).

``build(device, platform, outputs)`` takes each command of the platform's plan
(``commands.py``: its own commands, fallbacks, a user's overrides), checks that the
output that answered is whole (``integrity.py``), parses it with its TTP template,
merges the records, and applies the platform's defaults from its ``<platform>.yml``.
Vendor knowledge lives in those data files; nothing here matches device text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names, vlans
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, integrity, ttp_runner

try:
    import yaml
except ImportError:  # PyYAML comes with ansible-core
    yaml = None

LIST_FIELDS = ("ipv4", "ipv4_secondary", "ipv6", "trunk_vlans", "ipv6_eui64", "anycast", "anycast_varp")


def _records(value):
    """TTP gives a dict for one match and a list for several: always a list of dicts."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


class PlatformError(Exception):
    """A platform the collection has no templates for."""


def load_platform(platform, template_dir=None):
    """The platform file ``<platform>.yml``: commands and defaults."""
    path = os.path.join(template_dir or ttp_runner.TEMPLATE_DIR, "%s.yml" % platform)
    if not os.path.isfile(path):
        known = sorted(
            f[:-4] for f in os.listdir(template_dir or ttp_runner.TEMPLATE_DIR) if f.endswith(".yml")
        )
        raise PlatformError("unsupported platform %r (supported: %s)" % (platform, ", ".join(known)))
    with open(path) as handle:
        spec = yaml.safe_load(handle)
    spec.setdefault("defaults", {})
    return spec


def _causes(failed):
    return "; ".join("%r failed: %s" % (name, error) if error else "%r was not collected" % name
                     for name, error in failed)


def _parse_one(entry, outputs, prompt=None):
    """``(parsed, error, candidate)`` for one entry of the plan (``commands.py``).

    The first of the entry's commands that answered is read, after its output proved
    it is whole (``integrity.py``); after the parse, the template must have recognised
    what the output holds. Any doubt is an error naming the command and the cause.
    """
    item, result, failed = commands.answer(entry, outputs)
    if item is None:
        errors = [(name, error) for name, error in failed if error]
        return None, _causes(errors) if errors else "%r was not collected" % entry["command"], None
    command, text = item["command"], result.get("output") or ""
    if failed:  # a fallback answered: say for what, and why
        item = dict(item, instead="%r answered instead (%s)" % (command, _causes(failed)))
    if not text.strip():
        return None, "%r returned nothing" % command, item
    problem = integrity.prompt_problem(command, result, prompt) or integrity.whole(item, text, outputs)
    if problem:
        return None, problem, item
    if item["template"] is None:  # a command kept in the snapshot only
        return {}, None, item
    try:
        parsed = ttp_runner.parse(commands.template_text(item["template"]), text)
    except ttp_runner.TemplateError as exc:
        return None, "%r could not be parsed: %s" % (command, exc), item
    if not parsed and integrity.says_none(item, text):
        return {}, None, item  # an output that itself says it holds nothing (no neighbour at all)
    if not parsed:
        first = text.strip().splitlines()[0][:80]
        return None, "%r output was not recognised (starts %r)" % (command, first), item
    return parsed, integrity.recognised(item, text, parsed), item


def build(device, platform, outputs, template_dir=None, spec=None, plan=None):
    """The device model from ``outputs``: ``{command: {"output": text} | {"error": msg}}``.

    ``plan`` is the command plan (``commands.plan``: the platform file's commands with a
    user's overrides); by default the platform file's own.
    """
    spec = spec or load_platform(platform, template_dir)
    entries = plan if plan is not None else commands.plan(spec, template_dir=template_dir)
    result = m.new_device(device, platform)
    result["defaults"] = {"mtu": spec["defaults"].get("default_mtu")}
    result["detected_platform"] = integrity.detect(spec, outputs, template_dir or ttp_runner.TEMPLATE_DIR)
    feeds = dict((name, []) for name in m.SECTIONS)
    prompt = integrity.session_prompt(outputs)
    for entry in entries:
        parsed, error, item = _parse_one(entry, outputs, prompt)
        result["commands"].append({
            "command": entry["command"], "answered_by": item["command"] if item else None,
            "template": os.path.basename(item["template"]) if item and item["template"] else None,
            "sections": list(entry["sections"]), "optional": entry["optional"], "error": error})
        for section in entry["sections"]:
            _feed(result, feeds, section, entry, (parsed, error, item))
    _assemble(result, feeds, spec["defaults"], platform)
    integrity.plausible(result, spec)
    integrity.ports_named(result, entries, outputs)
    integrity.same_platform(result, spec)
    return result


def _feed(result, feeds, section, entry, outcome):
    parsed, error, item = outcome
    info = result["sections"][section]
    info["commands"].append(item["command"] if item else entry["command"])
    if info["status"] == m.UNSUPPORTED:
        info["status"] = m.OK
    if error and entry["optional"]:
        info.setdefault("warnings", []).append(error)
    elif error:
        m.fail_section(result, section, error)
    else:
        feeds[section].append((parsed, entry["optional"]))
        if item.get("instead"):
            info.setdefault("warnings", []).append(item["instead"])


def _assemble(result, feeds, defaults, platform):
    if m.section_ok(result, "vlans"):
        result["vlans"] = _vlans(feeds["vlans"])
        result["internal_vlans"] = _internal_vlans(feeds["vlans"])
    vlan_ids = dict((v["name"], v["vid"]) for v in (result["vlans"] or {}).values() if v.get("name"))
    if m.section_ok(result, "facts"):
        result["facts"] = _facts(feeds["facts"])
    if m.section_ok(result, "interfaces"):
        try:
            result["interfaces"], result["unconfigured"] = _interfaces(feeds["interfaces"], defaults, vlan_ids, platform)
        except (vlans.VlanError, ValueError) as exc:
            m.fail_section(result, "interfaces", "interfaces could not be read: %s" % exc)
    if m.section_ok(result, "neighbors"):
        result["neighbors"] = _neighbors(feeds["neighbors"], platform)


def _facts(feeds):
    facts = dict.fromkeys(m.FACT_FIELDS)
    for parsed, _optional in feeds:
        merged = {}
        for record in _records(parsed.get("facts")):
            merged.update(record)
        for field, value in merged.items():
            if field in facts and facts[field] is None and value not in (None, ""):
                facts[field] = str(value).strip()
    return facts


def _vlans(feeds):
    """``{"<vid>": {vid, name, dynamic}}``; dynamic when any source marks it so (EOS
    `show vlan` prints VLANs the platform created itself with a ``*``)."""
    found = {}
    for parsed, _optional in feeds:
        for record in _records(parsed.get("vlans")):
            try:
                vid = int(record["vid"])
            except (KeyError, TypeError, ValueError):
                continue
            entry = found.setdefault(str(vid), {"vid": vid, "name": None, "dynamic": False})
            if record.get("name"):
                entry["name"] = str(record["name"]).strip()
            if record.get("dynamic") is True:
                entry["dynamic"] = True
    return found


def _internal_vlans(feeds):
    """``[low, high]`` of the platform's internal VLAN range when a source states it, else None."""
    for parsed, _optional in feeds:
        for record in _records(parsed.get("internal_vlans")):
            try:
                low, high = int(record["low"]), int(record["high"])
            except (KeyError, TypeError, ValueError):
                continue
            if 1 <= low <= high <= 4094:
                return [low, high]
    return None


def _merge(records):
    """Merge the raw records of one interface: lists extend, flags add up, values replace."""
    merged = {}
    for record in records:
        for field, value in record.items():
            if field in LIST_FIELDS:
                values = value if isinstance(value, list) else [value]
                merged.setdefault(field, []).extend(str(v) for v in values if v not in (None, ""))
            elif value not in (None, ""):
                merged[field] = value
    return merged


def _interfaces(feeds, defaults, vlan_ids, platform):
    grouped, order, configured = {}, [], {}
    for parsed, optional in feeds:
        for record in _records(parsed.get("interfaces")):
            if not record.get("name"):
                continue
            ikey = names.key(record["name"])
            if ikey not in grouped:
                grouped[ikey] = []
                order.append(ikey)
            grouped[ikey].append(record)
            if not optional:
                configured.setdefault(ikey, record["name"])  # the config's spelling names it
    result, listed = {}, []
    for ikey in order:
        if ikey not in configured:  # seen only in a status listing: present, not configured
            listed.append(names.long_name(str(grouped[ikey][0]["name"]), platform))
            continue
        raw = _merge(grouped[ikey])
        raw["name"] = configured[ikey]
        iface = _interface(raw, defaults, vlan_ids, platform)
        result[iface["name"]] = iface
    return result, sorted(listed)


def _mode(raw, defaults, name):
    mode = str(raw.get("mode") or "").lower() or None
    switchport = raw.get("switchport")
    if mode == "routed" or switchport is False or str(switchport).lower() == "false":
        return "routed"
    if mode in ("access", "trunk"):
        return mode
    if mode == "dynamic" or switchport is True or str(switchport).lower() == "true":
        return defaults.get("switchport_mode", "access")
    if raw.get("channel_group") is not None or raw.get("lag"):
        return None  # a LAG member's L2 settings live on its LAG
    if mode or any(raw.get(field) not in (None, "", []) for field in defaults.get("switchport_fields", ())):
        # `switchport access vlan 10` (or another switchport sub-command) with no `switchport`
        # line: a Layer 2 port whatever the platform default (NX-OS prints no `switchport`
        # where the platform default is Layer 2); the platform file names those fields
        return defaults.get("switchport_mode", "access")
    if raw.get("ipv4") or raw.get("ipv6"):
        return "routed"
    if name.lower().startswith(tuple(p.lower() for p in defaults.get("never_switchport", ()))):
        return None
    return defaults.get("switchport_mode", "access") if defaults.get("switchport_default") else "routed"


def _enabled(raw, defaults, name, mode):
    """Admin state: the config's word, else the platform default for this interface.

    NX-OS leaves routed Ethernet and SVIs shut unless told otherwise and says so only
    with ``no shutdown``: its platform file gives defaults by name prefix.
    """
    if raw.get("shutdown"):
        return False
    if raw.get("no_shutdown"):
        return True
    if mode in ("access", "trunk") and "enabled_layer2" in defaults:
        return bool(defaults["enabled_layer2"])
    by_prefix = defaults.get("enabled_by_prefix") or {}
    matches = [p for p in by_prefix if name.lower().startswith(p.lower())]
    if matches:
        return bool(by_prefix[max(matches, key=len)])
    return bool(defaults.get("enabled", True))


def _interface(raw, defaults, vlan_ids, platform):
    name = names.long_name(raw["name"], platform)
    iface = m.empty_interface(name)
    iface["mode"] = _mode(raw, defaults, name)
    iface["enabled"] = _enabled(raw, defaults, name, iface["mode"])
    iface["description"] = str(raw.get("description") or "").strip()
    iface["mtu"] = int(raw["mtu"]) if raw.get("mtu") not in (None, "") else None
    _vlan_fields(iface, raw, defaults, vlan_ids)
    if raw.get("channel_group") not in (None, ""):
        iface["lag"] = names.long_name(defaults.get("lag_name", "Port-channel{}").format(int(raw["channel_group"])), platform)
    elif raw.get("lag"):
        iface["lag"] = names.long_name(str(raw["lag"]), platform)
    iface["vrf"] = raw.get("vrf") or None
    _addresses(iface, raw)
    if raw.get("oper_status"):
        iface["oper_status"] = str(raw["oper_status"]).lower()
    return iface


def _vlan_fields(iface, raw, defaults, vlan_ids):
    additive = bool(defaults.get("vlan_members_additive"))
    resolve = vlan_ids.get if additive else None  # only Junos names VLANs in member lists
    if iface["mode"] == "access":
        vid = raw.get("access_vlan")
        if vid in (None, "") and raw.get("access_vlan_name"):
            vid = vlan_ids.get(str(raw["access_vlan_name"]))
        if vid in (None, "") and raw.get("trunk_vlans"):
            members = vlans.evaluate(raw["trunk_vlans"], vlan_ids.get, additive=True)
            vid = members[0] if isinstance(members, list) and len(members) == 1 else None
        iface["access_vlan"] = int(vid) if vid not in (None, "") else defaults.get("access_vlan", 1)
    elif iface["mode"] == "trunk":
        native = raw.get("native_vlan")
        iface["native_vlan"] = int(native) if native not in (None, "") else defaults.get("native_vlan", 1)
        statements = raw.get("trunk_vlans") or []
        if not statements and additive:
            iface["tagged_vlans"] = []  # Junos: a trunk with no members carries none
        else:
            iface["tagged_vlans"] = vlans.evaluate(statements, resolve, additive=additive)
    if raw.get("voice_vlan") not in (None, ""):
        iface["voice_vlan"] = int(raw["voice_vlan"])


def _addresses(iface, raw):
    """ipv4/ipv6: the interface's own addresses; anycast: the gateway addresses it shares
    with other devices; ipv6_eui64: prefixes whose host part the device derives itself."""
    ipv4 = [_cidr(a) for a in raw.get("ipv4", []) + raw.get("ipv4_secondary", [])]
    ipv6 = [_cidr(a) for a in raw.get("ipv6", [])]
    anycast = [_cidr(a) for a in raw.get("anycast", [])]
    if raw.get("anycast_gateway"):  # NX-OS `fabric forwarding mode anycast-gateway`: all shared
        anycast, ipv4, ipv6 = anycast + ipv4 + ipv6, [], []
    anycast += [_varp(a, ipv4) for a in raw.get("anycast_varp", [])]
    iface["ipv4"], iface["ipv6"] = ipv4, ipv6
    iface["anycast"] = sorted(set(anycast), key=_address_order)
    iface["ipv6_eui64"] = sorted(set(ipaddress.ip_interface(a).network.with_prefixlen
                                     for a in raw.get("ipv6_eui64", [])), key=_address_order)


def _address_order(cidr):
    address = ipaddress.ip_interface(cidr)
    return (address.version, address.ip, address.network.prefixlen)


def _varp(text, own):
    """EOS `ip virtual-router address A[/L]`: without /L, the prefix length of the
    interface's own address whose subnet holds A; none: a host route."""
    if "/" in str(text):
        return _cidr(text)
    address = ipaddress.ip_address(str(text).strip())
    for cidr in own:
        if address in ipaddress.ip_interface(cidr).network:
            return "%s/%d" % (address, ipaddress.ip_interface(cidr).network.prefixlen)
    return "%s/%d" % (address, address.max_prefixlen)


def _cidr(text):
    """``"10.0.0.1 255.255.255.0"`` or ``"10.0.0.1/24"`` -> ``"10.0.0.1/24"``."""
    parts = str(text).split()
    value = "%s/%s" % (parts[0], parts[1]) if len(parts) == 2 else parts[0]
    return ipaddress.ip_interface(value).with_prefixlen


def _neighbors(feeds, platform):
    """Every distinct neighbour of every local port (a shared segment shows several);
    one record per (local port, protocol, system, port, chassis ID)."""
    found, seen = [], set()
    for parsed, _optional in feeds:
        for record in _records(parsed.get("neighbors")):
            if not record.get("local_port"):
                continue
            entry = {
                "local_port": names.long_name(str(record["local_port"]), platform),
                "remote_system": _system_name(record.get("remote_system")),
                "remote_port": _port_id(record),
                "mgmt_address": _text(record.get("mgmt_address")),
                "protocol": record.get("protocol") or "lldp",
                "chassis_id": _text(record.get("chassis_id")),
                "system_description": _text(record.get("system_description")),
                "capabilities": _capabilities(record),
            }
            ident = (names.key(entry["local_port"]), entry["protocol"], entry["remote_system"],
                     names.key(entry["remote_port"] or ""), entry["chassis_id"])
            if ident not in seen:
                seen.add(ident)
                found.append(entry)
    return found


def _text(value):
    value = str(value).strip() if value is not None else ""
    return value or None


def _capabilities(record):
    """Enabled capabilities when shown, else the system capabilities, as a list of words
    (the templates spell single-letter codes out): comma-separated when the device
    prints commas (`Bridge, Router`), else space-separated (CDP `Router Switch IGMP`);
    None when neither is shown."""
    for field in ("capabilities", "system_capabilities"):
        value = record.get(field)
        text = str(value or "")
        words = value if isinstance(value, list) else text.split(",") if "," in text else text.split()
        words = [str(w).strip() for w in words if str(w).strip()]
        if words:
            return words
    return None


def _system_name(value):
    """CDP device IDs may carry the serial in parentheses: ``sw1.example.net(FOC123)``."""
    value = str(value or "").strip()
    if value.endswith(")") and "(" in value:
        value = value[: value.index("(")].strip()
    return value or None


def _port_id(record):
    """LLDP port IDs may be a MAC; the port description then names the port."""
    port = str(record.get("remote_port") or "").strip()
    description = str(record.get("remote_port_description") or "").strip()
    hexdigits = port.replace(":", "").replace(".", "").replace("-", "")
    is_mac = len(hexdigits) == 12 and all(c in "0123456789abcdefABCDEF" for c in hexdigits)
    if (is_mac or not port) and description:
        return description
    return port or None
