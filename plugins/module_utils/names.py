# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interface names: one comparison key for every way a device or NetBox spells one.

netutils does the alias tables (Gi/GigabitEthernet, Te, Eth, Po, Ma...); this module
adds what a comparison needs on top: case folding (netutils turns EOS
``Port-Channel1`` into ``Port-channel1`` and ``Vl10`` into ``VLAN10``) and Junos
unit 0, which is its parent interface (``ge-0/0/1.0`` is ``ge-0/0/1``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from netutils.interface import canonical_interface_name as _canonical
except ImportError:  # reported by the caller via missing_required_lib
    _canonical = None

HAS_NETUTILS = _canonical is not None
_JUNOS_UNIT_PARENTS = ("ge-", "xe-", "et-", "fe-", "mge-", "ae", "em", "me", "fxp", "lo", "irb", "vlan")
NEVER_EXPAND = ("juniper_junos",)  # Junos names are never abbreviated (lo0 is not Loopback0)


def _strip_unit_zero(name):
    if name.endswith(".0") and name.startswith(_JUNOS_UNIT_PARENTS):
        return name[:-2]
    return name


def long_name(name, platform=None):
    """The interface's long name, keeping the device's own spelling unless abbreviated.

    ``Gi1/0/1`` becomes ``GigabitEthernet1/0/1``; EOS ``Port-Channel1`` and NX-OS
    ``mgmt0`` stay as they are (netutils would give ``Port-channel1`` and
    ``Management0``); ``ge-0/0/1.0`` becomes ``ge-0/0/1``.
    """
    if not isinstance(name, str):
        return name
    name = _strip_unit_zero(name.strip())
    if not name or _canonical is None or platform in NEVER_EXPAND:
        return name
    try:
        canonical = _canonical(name)
    except Exception:  # netutils raises on names it cannot split; keep them as they are
        return name
    prefix = "".join(c for c in name if not c.isdigit()).split("/", 1)[0].lower()
    if canonical.lower() == name.lower() or not canonical.lower().startswith(prefix):
        return name  # already long, or a spelling of its own rather than an abbreviation
    return canonical


def key(name):
    """Comparison key: equal for every alias of one interface."""
    if not isinstance(name, str):
        return name
    name = _strip_unit_zero(name.strip())
    if _canonical is not None and name:
        try:
            name = _canonical(name)
        except Exception:
            pass
    return name.lower()


def same(left, right):
    return key(left) == key(right)
