# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor-neutral device model: what one device shows, as plain JSON-able data.

::

    device:    inventory name
    platform:  cisco_ios | cisco_nxos | arista_eos | juniper_junos
    sections:  {facts|interfaces|vlans|neighbors:
                  {status: ok|failed|unsupported, commands: [...], errors: [...]}}
    facts:     {hostname, serial, model, os_version}                 or None if failed
    interfaces: {long name: {name, enabled, description, mtu, mode, access_vlan,
                 native_vlan, tagged_vlans, voice_vlan, lag, vrf, ipv4, ipv6,
                 oper_status, anycast, ipv6_eui64}}                   or None if failed
    vlans:     {"<vid>": {vid, name, dynamic}}                        or None if failed
    internal_vlans: [low, high]  the platform's internal VLAN range when the config
                               states it (EOS `vlan internal order ascending range 1006
                               1199`), else None
    neighbors: [{local_port, remote_system, remote_port, mgmt_address, protocol,
                 chassis_id, system_description, capabilities}]      or None if failed
    unconfigured: [long name]  interfaces a status listing shows but the config does not
                               configure (Junos lists only configured ones)
    defaults:  {mtu}  what the platform assumes where the config is silent
    detected_platform: the platform ``show version`` names (None if unknown or not
               collected); differs from ``platform`` when the device was driven as
               another platform, and then every section is failed
    commands:  [{command, answered_by, template, sections, optional, error}] one per
               command of the plan: which command answered (a fallback, or None when
               none did), the template that read it, and why it was not trusted

``mode`` is ``access``, ``trunk``, ``routed`` or None (LAG members, unknown);
``tagged_vlans`` is ``"all"`` or a sorted list of VIDs (None unless a trunk); ``mtu``
is the configured value or None for the platform default; addresses are CIDR
strings.

``ipv4``/``ipv6`` hold only the interface's own addresses. ``anycast`` is a sorted list
of the CIDR addresses the interface answers for together with other devices (gateway
addresses): EOS `ip address virtual`, `ipv6 address virtual` and VARP `ip virtual-router
address` (without a length: the length of the interface's own subnet that holds it,
else /32 or /128), IOS `ipv6 address X/L anycast`, and every address of an NX-OS SVI
with `fabric forwarding mode anycast-gateway`; empty when none. ``ipv6_eui64`` is a
sorted list of the prefixes (network address/length, e.g. ``2001:db8:1::/64``) of IOS
`ipv6 address P/64 eui-64` statements: the device derives the host part from its MAC,
so the configuration does not say the address; the prefix is kept apart from ``ipv6``
so that a comparison can check that NetBox has an address in that prefix instead of
reporting a wrong one. An explicit link-local address (`ipv6 address fe80::1
link-local`) is an own address: ``fe80::1/64`` in ``ipv6``.

VLAN ``dynamic`` is true for a VLAN the platform created itself (EOS marks them ``*``
in `show vlan`, e.g. EVPN VRF VLANs); they are never configured. Neighbours:
every distinct neighbour of a port is kept (a shared segment shows several);
``remote_system`` is None when the neighbour sends no system name (then
``chassis_id`` names it), ``remote_port`` None when it sends no port ID;
``system_description`` is the LLDP System Description or the CDP Platform;
``capabilities`` a list of words (``["Bridge", "Router"]``: enabled capabilities when
shown, else the system capabilities); any of these is None when not shown.

A section that could not be collected or parsed is ``None``, never empty:
"we do not know" must not read as "there is nothing".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SECTIONS = ("facts", "interfaces", "vlans", "neighbors")
OK, FAILED, UNSUPPORTED = "ok", "failed", "unsupported"
INTERFACE_FIELDS = (
    "name", "enabled", "description", "mtu", "mode", "access_vlan", "native_vlan",
    "tagged_vlans", "voice_vlan", "lag", "vrf", "ipv4", "ipv6", "oper_status",
    "anycast", "ipv6_eui64",
)
FACT_FIELDS = ("hostname", "serial", "model", "os_version")


class ModelError(Exception):
    """Data that does not fit the model."""


def empty_interface(name):
    record = dict.fromkeys(INTERFACE_FIELDS)
    record.update(name=name, description="", ipv4=[], ipv6=[], anycast=[], ipv6_eui64=[])
    return record


def new_device(device, platform):
    """A device model with every section unsupported until something fills it."""
    return {
        "device": device,
        "platform": platform,
        "sections": dict(
            (name, {"status": UNSUPPORTED, "commands": [], "errors": []}) for name in SECTIONS
        ),
        "facts": None,
        "interfaces": None,
        "vlans": None,
        "neighbors": None,
        "internal_vlans": None,
        "unconfigured": [],
        "defaults": {},
        "detected_platform": None,
        "commands": [],
    }


def section_ok(model, section):
    return model["sections"][section]["status"] == OK


def fail_section(model, section, error):
    """Mark ``section`` failed with ``error`` and drop whatever partial data it had."""
    entry = model["sections"][section]
    entry["status"] = FAILED
    if error not in entry["errors"]:
        entry["errors"].append(error)
    model[section] = None


def errors(model):
    """Every error of every section, as ``section: message`` lines."""
    return [
        "%s: %s" % (name, message)
        for name in SECTIONS
        for message in model["sections"][name]["errors"]
    ]
