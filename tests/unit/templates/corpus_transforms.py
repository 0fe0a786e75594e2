# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transforms of the corpus agreement (``corpus.py``): name -> function, applied to
both sides of a compared field before comparison (a mapping file names them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def empty(value):
    return value is None or value == "" or value == [] or value == {}


def _t_int(value):
    if isinstance(value, list):
        return [_t_int(v) for v in value]
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def _t_lower(value):
    if isinstance(value, list):
        return [_t_lower(v) for v in value]
    return value.lower() if isinstance(value, str) else value


def _t_strip(value):
    if isinstance(value, list):
        return [_t_strip(v) for v in value]
    return value.strip() if isinstance(value, str) else value


def _t_first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _t_first_word(value):
    """ "10.4(5) [Maintenance Release]" -> "10.4(5)" (lists: each item)."""
    if isinstance(value, list):
        return [_t_first_word(v) for v in value]
    return value.split()[0] if isinstance(value, str) and value.split() else value


def _t_list(value):
    """A scalar becomes a one-element list; lists stay; order kept."""
    if empty(value):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _t_sorted(value):
    return sorted(_t_list(value), key=str)


def _t_vlan_list(value):
    """VLAN list text ("1-3,7", ["1-3", "7"], "none", "all") -> sorted list of ints / keyword."""
    items = _t_list(value)
    out = set()
    for item in items:
        for part in str(item).replace(" ", "").split(","):
            if not part:
                continue
            low = part.lower()
            if low in ("all", "none"):
                return low
            if "-" in part:
                lo, _sep, hi = part.partition("-")
                try:
                    out.update(range(int(lo), int(hi) + 1))
                except ValueError:
                    return value
            else:
                try:
                    out.add(int(part))
                except ValueError:
                    return value
    return sorted(out)


_STATUS = {
    "up": "up", "connected": "up", "connect": "up",
    "down": "down", "notconnect": "down", "notconnec": "down", "notconnected": "down",
    "disabled": "down", "err-disabled": "down", "errdisabled": "down", "sfpabsent": "down",
    "xcvrabsen": "down", "xcvrabsent": "down", "noopermem": "down", "suspended": "down",
    "suspnd": "down", "inactive": "down", "monitoring": "up", "linkflapE": "down",
    "administratively down": "down", "adminstratively down": "down",
}


def _t_status(value):
    """Interface status words -> up/down (unknown words kept lower-cased)."""
    if isinstance(value, str):
        low = value.strip().lower().rstrip(":")
        return _STATUS.get(low, low)
    return value


def _t_interface(value):
    """Interface name canonicalised with netutils (Gi1/0/1 -> GigabitEthernet1/0/1)."""
    if not isinstance(value, str) or not value:
        return value
    try:
        from netutils.interface import canonical_interface_name
    except ImportError:  # pragma: no cover - netutils is a test dependency
        return value
    return canonical_interface_name(value.strip())


def _t_hostname(value):
    """Device name without a domain or a "(SERIAL)" suffix, lower-cased."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    value = re.sub(r"\([^)]*\)$", "", value)
    return value.split(".")[0].lower() if not re.match(r"^\d+\.\d+\.\d+\.\d+$", value) else value


TRANSFORMS = {
    "int": _t_int,
    "lower": _t_lower,
    "strip": _t_strip,
    "first": _t_first,
    "first_word": _t_first_word,
    "list": _t_list,
    "sorted": _t_sorted,
    "vlan_list": _t_vlan_list,
    "status": _t_status,
    "interface": _t_interface,
    "hostname": _t_hostname,
}


def apply(names, value):
    if not names:
        return value
    if isinstance(names, str):
        names = [names]
    for name in names:
        value = TRANSFORMS[name](value)
    return value
