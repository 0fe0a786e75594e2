# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What NetBox holds, in the words discovery needs: which devices it knows (by name,
serial, primary IP, and the IP and MAC addresses looked up for the neighbours seen) and
which device types, platforms, roles, sites and VRFs exist, so that a plan names only
objects NetBox has. The action reads NetBox; this only answers questions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import identity


def model_key(value):
    """Hardware models compare without case and punctuation (``cEOS-LAB`` is ``ceoslab``)."""
    return re.sub(r"[^a-z0-9]", "", str(value or "").lower()) or None


def _slug_or_name(rows, value):
    """The slug of the row of ``rows`` whose slug or name is ``value`` (case and ``-``/``_``
    aside), else None."""
    wanted = str(value or "").strip().lower().replace("_", "-")
    if not wanted:
        return None
    for row in rows:
        for field in ("slug", "name"):
            if str(row.get(field) or "").strip().lower().replace("_", "-") == wanted:
                return row.get("slug") or row.get("name")
    return None


class Index(object):
    """NetBox's devices and reference objects (see the module docstring).

    ``devices``: ``[{name, id, url, last_updated, site, serial, primary_ip4, primary_ip6,
    status}]`` with ``site`` a slug; ``device_types``: ``[{slug, model, part_number}]``;
    ``platforms``, ``roles``, ``sites``: ``[{slug, name}]``; ``vrfs``: ``[name]``.
    """

    def __init__(self, devices=(), device_types=(), platforms=(), roles=(), sites=(), vrfs=()):
        self.devices = list(devices)
        self.by_name, self.by_serial, self.by_address, self.by_mac = {}, {}, {}, {}
        for device in self.devices:
            if identity.name_key(device.get("name")):
                self.by_name.setdefault(identity.name_key(device["name"]), device)
            if str(device.get("serial") or "").strip():
                self.by_serial.setdefault(str(device["serial"]).strip().lower(), device)
            for field in ("primary_ip4", "primary_ip6"):
                address = identity.address_key(str(device.get(field) or "").split("/", maxsplit=1)[0])
                if address:
                    self.by_address.setdefault(address, device)
        self.device_types, self.platforms = list(device_types), list(platforms)
        self.roles, self.sites, self.vrfs = list(roles), list(sites), [str(v) for v in vrfs]
        self.asked_addresses, self.asked_macs = set(), set()

    def device(self, name):
        return self.by_name.get(identity.name_key(name))

    def pending(self, addresses, chassis):
        """``(addresses, macs)`` not asked of NetBox yet, sorted; MACs in NetBox's spelling."""
        wanted = sorted(set(a for a in addresses if a and a not in self.asked_addresses and a not in self.by_address))
        macs = sorted(set(identity.mac_text(c) for c in chassis if identity.is_mac(c)) - self.asked_macs - set([None]))
        return wanted, macs

    def learn(self, addresses=None, macs=None):
        """NetBox's answers: ``{address: device name or None}``, ``{MAC: device name or None}``
        (None: NetBox has the address or MAC on no device, or not at all)."""
        for address, name in (addresses or {}).items():
            self.asked_addresses.add(address)
            if name and self.device(name):
                self.by_address.setdefault(address, self.device(name))
        for mac, name in (macs or {}).items():
            self.asked_macs.add(mac)
            if name and self.device(name):
                self.by_mac.setdefault(identity.chassis_key(mac), self.device(name))

    def match(self, chassis=(), addresses=(), names=(), serials=()):
        """``(NetBox device, how)`` of the first identifier NetBox knows, in the order chassis
        ID (a MAC NetBox holds), management address, name, serial; ``(None, None)``."""
        for how, table, values in (("chassis ID", self.by_mac, chassis), ("management address", self.by_address, addresses),
                                   ("name", self.by_name, names), ("serial", self.by_serial, serials)):
            for value in sorted(v for v in values if v):
                if value in table:
                    return table[value], how
        return None, None

    def device_type(self, model):
        """The slug of the device type whose model or part number is ``model``, else None."""
        wanted = model_key(model)
        if not wanted:
            return None
        for row in self.device_types:
            if wanted in (model_key(row.get("model")), model_key(row.get("part_number")), model_key(row.get("slug"))):
                return row.get("slug")
        return None

    def platform(self, value):
        return _slug_or_name(self.platforms, value)

    def role(self, value):
        return _slug_or_name(self.roles, value)

    def site(self, value):
        return _slug_or_name(self.sites, value)

    def vrf(self, value):
        return value if value in self.vrfs else None
