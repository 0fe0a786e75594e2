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

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import compare_ports
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.records import netbox_ref, record

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


def compare_facts(intended, actual, options=None):
    facts, want = actual["facts"], intended.get("facts") or {}
    ref = netbox_ref(intended, "dcim.device")
    name, found = intended["device"], []
    platform_name, known = actual.get("platform"), (options or {}).get("known_platforms") or ()
    serial = _norm(want.get("serial"))
    if serial and _norm(facts.get("serial")) and serial != _norm(facts.get("serial")):
        found.append(record("device", name, "serial", "mismatch", want["serial"], facts["serial"],
                            "serial number differs", ref))
    models = set(_norm(want.get(f)) for f in ("model", "part_number")) - set([None])
    if models and _norm(facts.get("model")) and _norm(facts.get("model")) not in models:
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


def compare_vlans(intended, actual, defaults):
    """VLANs of the device's site in NetBox against the device's VLAN database.

    Only for a device that NetBox gives at least one Layer 2 port: a router has no
    VLAN database, and its site's VLANs are not missing from it.
    """
    if not any(i.get("mode") for i in (intended.get("interfaces") or {}).values()):
        return []
    want = dict((int(v["vid"]), v) for v in (intended.get("vlans") or {}).values())
    have = dict((int(v["vid"]), v) for v in (actual.get("vlans") or {}).values())
    implicit = set(int(v) for v in defaults.get("default_vlans") or ())
    found = []
    for vid in sorted(set(want) | set(have)):
        ref = netbox_ref(want.get(vid), "ipam.vlan")
        if vid not in have:
            found.append(record("vlan", str(vid), None, "missing_on_device", want[vid].get("name"), None,
                                "VLAN %d is in NetBox but not on the device" % vid, ref))
        elif vid not in want:
            if vid not in implicit:
                found.append(record("vlan", str(vid), None, "missing_in_netbox", None, have[vid].get("name"),
                                    "VLAN %d is on the device but not in NetBox for its site" % vid))
        elif have[vid].get("name") and want[vid].get("name") and have[vid]["name"] != want[vid]["name"]:
            found.append(record("vlan", str(vid), "name", "mismatch", want[vid]["name"], have[vid]["name"],
                                "VLAN %d name differs" % vid, ref))
    return found


def compare(intended, actual, options=None):
    """Raw drift of one device. ``intended`` None: the device is not in NetBox."""
    options = options or {}
    kinds = options.get("kinds") or KINDS
    if not isinstance(actual, dict) or "sections" not in actual:
        raise CompareError("the device state is not a device model")
    unverified = unverified_sections(actual)
    if intended is None:
        return {"status": UNVERIFIED, "drift": [],
                "unverified": [{"section": "netbox", "reason": "the device is not in NetBox"}]}
    bad = set(entry["section"] for entry in unverified)
    defaults = dict(actual.get("defaults") or {})
    defaults.update(options.get("platform_defaults") or {})
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
    return {"status": status, "drift": drift, "unverified": unverified}


def _compare_kind(kind, intended, actual, defaults, options):
    if kind == "device":
        return compare_facts(intended, actual, options)
    if kind == "vlan":
        return compare_vlans(intended, actual, defaults)
    if kind == "interface":
        return compare_ports.interfaces(intended, actual, defaults, options)
    if kind == "ip_address":
        return compare_ports.addresses(intended, actual, options)
    return compare_ports.cables(intended, actual, options)
