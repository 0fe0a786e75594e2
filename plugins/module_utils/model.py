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
                 oper_status}}                                        or None if failed
    vlans:     {"<vid>": {vid, name}}                                 or None if failed
    neighbors: [{local_port, remote_system, remote_port, mgmt_address, protocol}]
                                                                       or None if failed
    unconfigured: [long name]  interfaces a status listing shows but the config does not
                               configure (Junos lists only configured ones)
    defaults:  {mtu}  what the platform assumes where the config is silent

``mode`` is ``access``, ``trunk``, ``routed`` or None (LAG members, unknown);
``tagged_vlans`` is ``"all"`` or a sorted list of VIDs (None unless a trunk); ``mtu``
is the configured value or None for the platform default; addresses are CIDR
strings. A section that could not be collected or parsed is ``None``, never empty:
"we do not know" must not read as "there is nothing".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SECTIONS = ("facts", "interfaces", "vlans", "neighbors")
OK, FAILED, UNSUPPORTED = "ok", "failed", "unsupported"
INTERFACE_FIELDS = (
    "name", "enabled", "description", "mtu", "mode", "access_vlan", "native_vlan",
    "tagged_vlans", "voice_vlan", "lag", "vrf", "ipv4", "ipv6", "oper_status",
)
FACT_FIELDS = ("hostname", "serial", "model", "os_version")


class ModelError(Exception):
    """Data that does not fit the model."""


def empty_interface(name):
    record = dict.fromkeys(INTERFACE_FIELDS)
    record.update(name=name, description="", ipv4=[], ipv6=[])
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
        "unconfigured": [],
        "defaults": {},
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
