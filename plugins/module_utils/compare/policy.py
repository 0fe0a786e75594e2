# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to check, who is right, what to ignore and what is waived.

``load(raw)`` checks a policy (role variables, plain data) and raises ``PolicyError``
naming the bad entry; ``finish(records, device, policy, today)`` turns raw drift
records into report records: stable ID, severity, authority, ignore rules, waivers.

Rules are looked up from the most to the least specific name, e.g. for an interface's
description: ``interface.description.mismatch``, ``interface.description``,
``interface.mismatch``, ``interface``, then ``default``. For severity the user's rules
are looked up first, all of them, and the built-in ones (``SEVERITY``) only when no user
rule matches: a user's ``cable: high`` beats the built-in ``cable.mismatch``, whatever
the specificity (``severity_of``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import fnmatch
import hashlib
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

SEVERITIES = ("low", "medium", "high")
AUTHORITIES = ("netbox", "device", "report")
SEVERITY = {
    "default": "medium",
    "name_only": "low",
    "device.model": "high", "device.platform": "high", "device.os_version": "low", "device.hostname": "high",
    # discovery: a device on the network NetBox lacks; a NetBox device nobody sees and nobody reaches
    "device.missing_in_netbox": "medium", "device.missing_on_device": "high",
    "interface.missing_on_device": "high", "interface.missing_in_netbox": "medium",
    "interface.enabled": "high", "interface.mode": "high", "interface.untagged_vlan": "high",
    "interface.tagged_vlans": "high", "interface.lag": "high", "interface.vrf": "high",
    "interface.description": "low", "interface.name": "low",
    "ip_address": "high", "ip_address.prefix_length": "medium", "ip_address.role": "low",
    "vlan.name": "low",
    "cable.mismatch": "high", "cable.missing_on_device": "medium", "cable.missing_in_netbox": "medium",
    "cable.one_sided": "low",  # seen from one end of the link only (far_end.py)
}
# how the comparison judges what real networks do (compare.py): see load()
COMPARE_OPTIONS = ("vlan_scope", "tagged_all", "identity", "report_unconfigured", "report_platform_vlans")
CHOICES = {"vlan_scope": ("device", "site"), "tagged_all": ("strict", "range", "defined")}
DEFAULT_POLICY = {
    "vlan_scope": "device",
    "tagged_all": "range",
    "identity": True,
    "report_unconfigured": False,
    "report_platform_vlans": False,
    "kinds": ["device", "interface", "ip_address", "vlan", "cable"],
    "fields": {},
    "authority": {"default": "netbox"},
    "severity": {},
    "ignore": [],
    "waivers": [],
    "ignore_tag": "drift-ignore",
}


class PolicyError(Exception):
    """A policy that cannot be applied."""


def drift_id(device, kind, key, field):
    """Stable across runs: the same difference on the same object has the same ID."""
    canonical = names.key(key) if kind in ("interface", "cable") else str(key).lower()
    text = "|".join([device, kind, canonical, field or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _date(value, where):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise PolicyError("%s: expires must be a date YYYY-MM-DD, got %r" % (where, value))


def _check_rules(entries, what, required):
    if not isinstance(entries, list):
        raise PolicyError("%s must be a list" % what)
    for index, entry in enumerate(entries):
        where = "%s[%d]" % (what, index)
        if not isinstance(entry, dict):
            raise PolicyError("%s must be a mapping" % where)
        unknown = set(entry) - set(["id", "device", "kind", "key", "field", "reason", "expires", "by"])
        if unknown:
            raise PolicyError("%s: unknown key(s) %s" % (where, ", ".join(sorted(unknown))))
        for name in required:
            if not entry.get(name):
                raise PolicyError("%s needs %s" % (where, name))
        if entry.get("key"):
            try:
                re.compile(str(entry["key"]))
            except re.error as exc:
                raise PolicyError("%s: key is not a regular expression: %s" % (where, exc))
        if "expires" in entry:
            entry["expires"] = _date(entry["expires"], where)


def load(raw=None):
    """The policy with its defaults, checked."""
    policy = dict(DEFAULT_POLICY)
    policy.update(dict((k, v) for k, v in (raw or {}).items() if v is not None))
    for name, allowed in (("severity", SEVERITIES), ("authority", AUTHORITIES)):
        for rule, value in (policy[name] or {}).items():
            if value not in allowed:
                raise PolicyError("%s[%s] must be one of %s, got %r" % (name, rule, ", ".join(allowed), value))
    for name, allowed in CHOICES.items():
        if policy[name] not in allowed:
            raise PolicyError("%s must be one of %s, got %r" % (name, ", ".join(allowed), policy[name]))
    for name in ("identity", "report_unconfigured", "report_platform_vlans"):
        if not isinstance(policy[name], bool):
            raise PolicyError("%s must be true or false, got %r" % (name, policy[name]))
    policy["authority"] = dict(DEFAULT_POLICY["authority"], **(policy["authority"] or {}))
    policy["ignore"] = [dict(r) for r in policy["ignore"] or []]
    policy["waivers"] = [dict(r) for r in policy["waivers"] or []]
    _check_rules(policy["ignore"], "ignore", ())
    _check_rules(policy["waivers"], "waivers", ("reason", "expires"))
    for index, waiver in enumerate(policy["waivers"]):
        if not (waiver.get("id") or waiver.get("device")):
            raise PolicyError("waivers[%d] needs an id or a device to match" % index)
    if not isinstance(policy["fields"], dict):
        raise PolicyError("fields must map a kind to the list of its fields to check")
    return policy


def _lookup(table, kind, field, cls):
    candidates = ["%s.%s.%s" % (kind, field, cls), "%s.%s" % (kind, field)] if field else []
    candidates += ["%s.%s" % (kind, cls), kind, cls, "default"]
    for name in candidates:
        if name in table:
            return table[name]
    return None


def matches(rule, device, rec):
    """Whether an ignore rule or a waiver applies to ``rec`` of ``device``."""
    if rule.get("id"):
        return rule["id"] == rec["id"]
    if rule.get("device") and not fnmatch.fnmatch(device, str(rule["device"])):
        return False
    if rule.get("kind") and rule["kind"] != rec["kind"]:
        return False
    if rule.get("field") and rule["field"] != rec["field"]:
        return False
    if rule.get("key") and not re.search(str(rule["key"]), str(rec["key"])):
        return False
    return True


def device_skipped(device, tags, policy):
    """Why the whole device is left out, or None."""
    if policy.get("ignore_tag") and policy["ignore_tag"] in (tags or []):
        return "NetBox tag %s" % policy["ignore_tag"]
    for rule in policy["ignore"]:
        if rule.get("device") and not any(rule.get(k) for k in ("kind", "key", "field", "id")) \
                and fnmatch.fnmatch(device, str(rule["device"])):
            return rule.get("reason") or "ignored by policy (device %s)" % rule["device"]
    return None


def _wanted(rec, policy):
    if rec["kind"] not in policy["kinds"]:
        return False
    fields = policy["fields"].get(rec["kind"])
    return fields is None or rec["field"] is None or rec["field"] in fields


def finish(records, device, policy, today=None):
    """``(kept, ignored_count)``: records completed with id, severity, authority, waiver."""
    today = today or datetime.date.today()
    kept, ignored = [], 0
    for raw in records:
        rec = dict(raw, device=device)
        rec["id"] = drift_id(device, rec["kind"], rec["key"], rec["field"])
        if not _wanted(rec, policy) or any(matches(r, device, rec) for r in policy["ignore"]):
            ignored += 1
            continue
        rec["severity"] = severity_of(policy["severity"], rec["kind"], rec["field"], rec["class"])
        rec["authority"] = _lookup(policy["authority"], rec["kind"], rec["field"], rec["class"])
        rec["counted"], rec["waiver"] = True, None
        for waiver in policy["waivers"]:
            if matches(waiver, device, rec):
                info = {"reason": waiver["reason"], "expires": waiver["expires"].isoformat(),
                        "by": waiver.get("by"), "expired": waiver["expires"] < today}
                rec["waiver"], rec["counted"] = info, info["expired"]
                break
        kept.append(rec)
    kept.sort(key=lambda r: (r["kind"], str(r["key"]), r["field"] or ""))
    return kept, ignored


def severity_of(user, kind, field, cls):
    """The severity of a record: the user's most specific matching rule, else the built-in one."""
    return _lookup(user or {}, kind, field, cls) or _lookup(SEVERITY, kind, field, cls) or "medium"


def one_sided_severity(overrides=None):
    """The severity of a cable record seen from one end only: rule ``cable.one_sided``, the
    user's rules for cables first (``cable.one_sided``, ``cable``, ``one_sided``, ``default``)."""
    return severity_of(overrides, "cable", None, "one_sided")


def counts_at(rec, threshold):
    """Whether a counted record is at or above severity ``threshold`` (None: any)."""
    if not rec.get("counted"):
        return False
    return threshold is None or SEVERITIES.index(rec["severity"]) >= SEVERITIES.index(threshold)
