# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare what NetBox says (``intended.py``) with what the device runs (``model.py``).

``compare(intended, actual, options)`` returns ``{"status", "drift", "unverified"}``:
raw drift records (``docs/drift-report.md``) before policy, evidence and IDs are
added. It never cries wolf:

* a section of the device model that was not collected or parsed yields one
  ``unverified`` entry and no drift at all for what depends on it;
* interface names are compared by canonical key; a spelling-only difference is
  ``name_only``;
* NetBox's "not recorded" (null MTU, no untagged VLAN...) equals the platform default;
* VLAN sets are compared as sets, ``tagged-all`` equals "all", and a trunk's native
  VLAN in its allowed list is not a difference.

Values in records use NetBox's vocabulary (``tagged``/``tagged-all``, field
``untagged_vlan``...), whatever the device calls them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare_addresses, compare_cables, compare_ports
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended as intended_model
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare.records import netbox_ref, record

KINDS = ("device", "interface", "ip_address", "vlan", "cable")
# which device-model sections each kind of comparison reads
DEPENDS = {
    "device": ("facts",),
    "interface": ("interfaces",),
    "ip_address": ("interfaces",),
    "vlan": ("vlans",),
    "cable": ("neighbors",),
}
CLEAN, DRIFT, PARTIAL, UNVERIFIED, SKIPPED = "clean", "drift", "partial", "unverified", "skipped"


class CompareError(Exception):
    """Input the engine cannot compare."""


def unverified_sections(actual):
    """``[{section, reason}]`` for every section of the device model that is not ok."""
    entries = []
    for name in m.SECTIONS:
        info = (actual.get("sections") or {}).get(name) or {}
        if info.get("status") == m.OK and actual.get(name) is not None:
            continue
        reason = "; ".join(info.get("errors") or []) or "not collected"
        if info.get("status") == m.UNSUPPORTED:
            reason = "the platform's templates do not collect it"
        entries.append({"section": name, "reason": reason})
    return entries


def _norm(value):
    return str(value or "").strip().lower() or None


def _model_key(value):
    """Hardware models compare without case and punctuation: NetBox's ``cEOS-LAB`` or
    ``DCS-7050SX3-48YC8`` is the device's ``cEOSLab`` or ``DCS-7050SX3-48YC8``."""
    return re.sub(r"[^a-z0-9]", "", str(value or "").lower()) or None


def identity(intended, actual, options=None):
    """A record when the device calls itself by another name than NetBox's (the connection
    reached another device, or the device runs another configuration than NetBox's, e.g.
    before deployment), else None. Names compare without case and domain."""
    if (options or {}).get("identity") is False:
        return None
    hostname = (actual.get("facts") or {}).get("hostname")
    name = intended["device"]
    if not hostname or compare_cables.system(hostname) == compare_cables.system(name):
        return None
    return record("device", name, "hostname", "mismatch", name, hostname,
                  "the device calls itself %s, not %s: it runs another configuration than NetBox's, or "
                  "the connection reached another device; its other sections are not compared" % (hostname, name),
                  netbox_ref(intended, "dcim.device"))


def platforms_disagree(intended, actual):
    """The three views of the device's platform, when the connection's and ``show version``'s
    disagree: NetBox's platform, the one the device was collected as (ansible_network_os)
    and the one its ``show version`` names. None when they agree (or one is unknown); a
    NetBox platform alone that differs is a ``platform`` drift record instead."""
    detected, driven = actual.get("detected_platform"), actual.get("platform")
    if not detected or not driven or detected == driven:
        return None
    netbox = (intended.get("facts") or {}).get("platform") or "no platform"
    return ("platforms disagree: NetBox says %s, the connection drove it as %s (ansible_network_os), its show "
            "version says %s; nothing was compared" % (netbox, driven, detected))


def compare_facts(intended, actual, options=None):
    facts, want = actual["facts"], intended.get("facts") or {}
    ref = netbox_ref(intended, "dcim.device")
    name, found = intended["device"], []
    platform_name, known = actual.get("platform"), (options or {}).get("known_platforms") or ()
    serial = _norm(want.get("serial"))
    if serial and _norm(facts.get("serial")) and serial != _norm(facts.get("serial")):
        found.append(record("device", name, "serial", "mismatch", want["serial"], facts["serial"],
                            "serial number differs", ref))
    models = set(_model_key(want.get(f)) for f in ("model", "part_number")) - set([None])
    if models and _model_key(facts.get("model")) and _model_key(facts.get("model")) not in models:
        found.append(record("device", name, "model", "mismatch", want.get("model"), facts["model"],
                            "hardware model differs", ref))
    version = _norm(want.get("os_version"))
    if version and _norm(facts.get("os_version")) and version != _norm(facts.get("os_version")):
        found.append(record("device", name, "os_version", "mismatch", want["os_version"],
                            facts["os_version"], "OS version differs", ref))
    platform = _norm(want.get("platform"))
    if platform and platform_name and platform.replace("-", "_") != platform_name:
        if platform.replace("-", "_") in known:
            found.append(record("device", name, "platform", "mismatch", want["platform"], platform_name,
                                "platform differs", ref))
    return found


def _platform_vlans(have, defaults):
    """VIDs the platform creates by itself: dynamic VLANs (EOS marks them ``*``) and the
    internal range the configuration states."""
    found = set(vid for vid, v in have.items() if v.get("dynamic"))
    internal = defaults.get("internal_vlans")
    if isinstance(internal, (list, tuple)) and len(internal) == 2:
        found |= set(vid for vid in have if int(internal[0]) <= vid <= int(internal[1]))
    return found


def compare_vlans(intended, actual, defaults, options=None):
    """NetBox's VLANs against the device's VLAN database.

    The device is expected to carry the VLANs its NetBox interfaces use and those of
    VLAN groups scoped to its rack or its location (``vlan_scope: device``, the
    default), or every VLAN of its site (``vlan_scope: site``). A device VLAN is missing
    in NetBox when NetBox knows no VLAN of that VID within the device's reach. VLANs the
    platform makes by itself (dynamic, internal range) and the default VLANs are not
    compared unless ``report_platform_vlans``.
    """
    options = options or {}
    every = options.get("vlan_scope") == "site"
    known = dict((int(v["vid"]), v) for v in (intended.get("vlans") or {}).values())
    want = dict((vid, v) for vid, v in known.items()
                if every or v.get("used") or v.get("scope") in intended_model.DEVICE_SCOPES)
    have = dict((int(v["vid"]), v) for v in (actual.get("vlans") or {}).values())
    implicit = set(int(v) for v in defaults.get("default_vlans") or ())
    if not options.get("report_platform_vlans"):
        implicit |= _platform_vlans(have, dict(defaults, internal_vlans=actual.get("internal_vlans")))
    found = []
    for vid in sorted(set(want) | set(have)):
        ref = netbox_ref(known.get(vid), "ipam.vlan")
        if vid not in have:
            found.append(record("vlan", str(vid), None, "missing_on_device", want[vid].get("name"), None,
                                "VLAN %d is in NetBox for this device but not on it" % vid, ref))
        elif vid not in known:
            if vid not in implicit:
                found.append(record("vlan", str(vid), None, "missing_in_netbox", None, have[vid].get("name"),
                                    "VLAN %d is on the device but NetBox has no VLAN %d within its reach" % (vid, vid)))
        elif have[vid].get("name") and known[vid].get("name") and have[vid]["name"] != known[vid]["name"] \
                and vid not in implicit:
            found.append(record("vlan", str(vid), "name", "mismatch", known[vid]["name"], have[vid]["name"],
                                "VLAN %d name differs" % vid, ref))
    return found


def compare(intended, actual, options=None):
    """Raw drift of one device. ``intended`` None: the device is not in NetBox (or
    ``options["netbox_error"]`` says why NetBox's record could not be used)."""
    options = options or {}
    kinds = options.get("kinds") or KINDS
    if not isinstance(actual, dict) or "sections" not in actual:
        raise CompareError("the device state is not a device model")
    unverified = unverified_sections(actual)
    if intended is None:
        reason = options.get("netbox_error") or "the device is not in NetBox"
        return {"status": UNVERIFIED, "drift": [], "unverified": [{"section": "netbox", "reason": reason}],
                "notes": {}}
    mixed = platforms_disagree(intended, actual)
    if mixed:
        return {"status": UNVERIFIED, "drift": [], "unverified": [{"section": "platform", "reason": mixed}] + unverified,
                "notes": {}}
    bad = set(entry["section"] for entry in unverified)
    defaults = dict(actual.get("defaults") or {})
    defaults.update(options.get("platform_defaults") or {})
    if "facts" not in bad:
        other = identity(intended, actual, options)
        if other is not None:
            skipped = [{"section": n, "reason": "not compared: the device calls itself %s" % other["device_value"]}
                       for n in m.SECTIONS if n != "facts" and n not in bad]
            return {"status": DRIFT, "drift": [other], "unverified": unverified + skipped, "notes": {}}
    drift = []
    for kind in kinds:
        if kind not in KINDS:
            raise CompareError("unknown kind %r (known: %s)" % (kind, ", ".join(KINDS)))
        if bad.intersection(DEPENDS[kind]):
            continue
        drift.extend(_compare_kind(kind, intended, actual, defaults, options))
    if len(bad) == len(m.SECTIONS):
        status = UNVERIFIED
    elif bad:
        status = PARTIAL
    else:
        status = DRIFT if drift else CLEAN
    return {"status": status, "drift": drift, "unverified": unverified, "notes": notes(intended, actual, defaults,
                                                                                       options, bad)}


def notes(intended, actual, defaults, options, bad):
    """What was seen but deliberately not judged, and NetBox data that could not be read."""
    found = {}
    if intended.get("problems"):
        found["netbox_problems"] = list(intended["problems"])
    if "interfaces" not in bad and not options.get("report_unconfigured"):
        ports = compare_ports.factory_ports(intended, actual, defaults)
        if ports:
            found["factory_ports"] = ports
    if "neighbors" not in bad:
        found.update(dict((k, v) for k, v in compare_cables.not_judged(actual).items() if v))
    return found


def _compare_kind(kind, intended, actual, defaults, options):
    if kind == "device":
        return compare_facts(intended, actual, options)
    if kind == "vlan":
        return compare_vlans(intended, actual, defaults, options)
    if kind == "interface":
        return compare_ports.interfaces(intended, actual, defaults, options)
    if kind == "ip_address":
        return compare_addresses.addresses(intended, actual, options)
    return compare_cables.cables(intended, actual, options)
