# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who is who among the neighbours seen: one device seen by several switches, over LLDP
on one and CDP on another, is one candidate.

A sighting is one row of a neighbour table (``sighting()``); its identifiers are the
chassis ID (a MAC in any spelling, or the text the device sends), the management
address and the system name (lower case, without its domain or the serial CDP adds).
A sighting belongs to a candidate when, in this order of precedence, both have a
chassis ID and it is one of the candidate's; else both have a management address and
it is one of the candidate's; else both have a name and it is one of the candidate's.
So two devices that share a factory name but send different chassis IDs stay two, and
a CDP sighting (no chassis ID) joins the LLDP sightings of the same management address.
A sighting that matches two candidates joins them when they do not contradict each
other by the same rule.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import allow

_MAC_SEPARATORS = re.compile(r"[.:\-\s]")
_HEX = re.compile(r"^[0-9a-f]{12}$")


def chassis_key(value):
    """A chassis ID for comparison: a MAC as 12 lower-case hex digits whatever its spelling
    (``001c.7300.0001``, ``00:1C:73:00:00:01``), other text lower case; None when empty."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    bare = _MAC_SEPARATORS.sub("", text)
    return bare if _HEX.match(bare) else text


def is_mac(value):
    """Whether a chassis ID is a MAC address."""
    return bool(_HEX.match(chassis_key(value) or ""))


def mac_text(value):
    """A MAC chassis ID as NetBox writes MACs (``00:1C:73:00:00:01``), else None."""
    bare = chassis_key(value)
    if not bare or not _HEX.match(bare):
        return None
    return ":".join(bare[i:i + 2] for i in range(0, 12, 2)).upper()


def short_name(value):
    """A system name as the device gives it, without the serial CDP may add in
    parentheses and without its domain (``sw1.example.net(FOC1)`` -> ``sw1``); an IP
    address stays whole. None when empty."""
    text = str(value or "").strip()
    if text.endswith(")") and "(" in text:
        text = text[: text.index("(")].strip()
    if not text:
        return None
    if allow.address(text) is not None:
        return text
    return text.split(".", 1)[0] or None


def name_key(value):
    """A system name for comparison: ``short_name`` in lower case."""
    name = short_name(value)
    return name.lower() if name else None


def address_key(value):
    """A management address for comparison: the address in its canonical spelling, None
    when it is not an IP address."""
    found = allow.address(value)
    return str(found) if found is not None else None


def sighting(seen_by, depth, neighbor):
    """One row of ``seen_by``'s neighbour table (a device model neighbour) as a sighting of
    a device at ``depth`` (one more than the depth of ``seen_by``)."""
    return {
        "seen_by": seen_by, "depth": depth,
        "local_port": neighbor.get("local_port"), "remote_port": neighbor.get("remote_port"),
        "protocol": neighbor.get("protocol") or "lldp",
        "name": neighbor.get("remote_system"), "chassis_id": neighbor.get("chassis_id"),
        "address": neighbor.get("mgmt_address"), "description": neighbor.get("system_description"),
        "capabilities": neighbor.get("capabilities"),
    }


def keys(item):
    """``(chassis, address, name)`` comparison keys of a sighting."""
    return chassis_key(item.get("chassis_id")), address_key(item.get("address")), name_key(item.get("name"))


class Candidate(object):
    """One device seen: its sightings and every identifier they carry."""

    def __init__(self, number):
        self.number = number  # order of first sighting: ties are broken by it
        self.sightings = []
        self.chassis, self.addresses, self.names = set(), set(), set()
        self.depth = None

    def add(self, item):
        self.sightings.append(item)
        chassis, address, name = keys(item)
        for value, into in ((chassis, self.chassis), (address, self.addresses), (name, self.names)):
            if value:
                into.add(value)
        self.depth = item["depth"] if self.depth is None else min(self.depth, item["depth"])

    def absorb(self, other):
        for item in other.sightings:
            self.add(item)

    def add_name(self, name):
        """A name learnt by logging in (the device's hostname)."""
        if name_key(name):
            self.names.add(name_key(name))


def same(chassis, addresses, names, other):
    """Whether identifiers ``chassis``/``addresses``/``names`` (sets) are ``other``'s
    device, by the precedence of the module docstring."""
    for mine, theirs in ((chassis, other.chassis), (addresses, other.addresses), (names, other.names)):
        if mine and theirs:
            return bool(mine & theirs)
    return False


def contradict(one, other):
    """Whether two candidates are told apart by the first kind of identifier both have."""
    for mine, theirs in ((one.chassis, other.chassis), (one.addresses, other.addresses), (one.names, other.names)):
        if mine and theirs:
            return not (mine & theirs)
    return False


class Registry(object):
    """Every candidate seen so far, de-duplicated as sightings arrive."""

    def __init__(self):
        self.candidates = []
        self.merged = {}  # number of a candidate joined into another -> that other's number
        self._count = 0

    def add(self, item):
        """Add a sighting; the candidate it now belongs to."""
        chassis, address, name = keys(item)
        if not (chassis or address or name):
            return None  # nothing names it: it cannot be told apart from anything
        mine = (set([chassis]) - set([None]), set([address]) - set([None]), set([name]) - set([None]))
        found = [c for c in self.candidates if same(mine[0], mine[1], mine[2], c)]
        if not found:
            self._count += 1
            candidate = Candidate(self._count)
            self.candidates.append(candidate)
        else:
            candidate = found[0]
            for other in found[1:]:
                if not contradict(candidate, other):
                    candidate.absorb(other)
                    self.candidates.remove(other)
                    self.merged[other.number] = candidate.number
        candidate.add(item)
        return candidate
