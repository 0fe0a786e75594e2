# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VLAN sets: the string ``"all"`` or a sorted list of VIDs, never 4,094 numbers for "all".

``evaluate()`` folds a trunk's allowed-VLAN statements, in the order the device printed
them, into one set; ``compress()`` prints a set as ranges (``1-5,7``). The list syntax
itself is netutils' (``netutils.vlan``: ``vlanconfig_to_list`` reads it,
``vlanlist_to_config`` writes it); this module adds what a comparison needs on top:
``all`` and ``none``, the bounds netutils does not check (VLAN 0, a range written
backwards), the add/remove/except statements and Junos VLAN names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from netutils.vlan import vlanconfig_to_list, vlanlist_to_config
except ImportError:  # reported by the caller via missing_required_lib (netutils is required)
    vlanconfig_to_list = vlanlist_to_config = None

ALL = "all"
MIN_VID, MAX_VID = 1, 4094
_DIGITS = re.compile(r"^[0-9]+$")  # ASCII digits only: str.isdigit() takes '²' too


class VlanError(ValueError):
    """A VLAN list that cannot be read."""


def parse_list(text):
    """``"1-5,7"`` -> ``[1, 2, 3, 4, 5, 7]``; ``"all"`` -> ``"all"``; ``"none"``/``""`` -> ``[]``."""
    text = str(text).strip().lower()
    if text == ALL:
        return ALL
    if text in ("", "none"):
        return []
    parts = [part for part in text.replace(" ", ",").split(",") if part]
    for part in parts:  # what netutils does not check: digits only, bounds, ranges written forwards
        low, sep, high = part.partition("-")
        if not (_DIGITS.match(low) and (_DIGITS.match(high) if sep else True)):
            raise VlanError("not a VLAN list: %r" % text)
        if not MIN_VID <= int(low) <= int(high or low) <= MAX_VID:
            raise VlanError("VLAN range out of bounds: %r" % part)
    if not parts:
        return []
    return sorted(set(vlanconfig_to_list(",".join(parts))))


def _full():
    return set(range(MIN_VID, MAX_VID + 1))


def _as_set(value):
    return _full() if value == ALL else set(value)


def _from_set(vids):
    return ALL if len(vids) == MAX_VID - MIN_VID + 1 else sorted(vids)


def evaluate(statements, resolve_name=None, additive=False):
    """Fold allowed-VLAN statements (``"10,20"``, ``"add 30"``, ``"remove 5"``,
    ``"except 2"``, ``"none"``, ``"all"``; Junos member names through ``resolve_name``)
    into a VLAN set. A bare list replaces the set (IOS, EOS, NX-OS) or, with
    ``additive`` (Junos ``vlan members``), adds to it. No statement at all means every
    VLAN, as on a trunk with no allowed line.
    """
    if not statements:
        return ALL
    current = set()
    for raw in statements:
        words = str(raw).strip().split(None, 1)
        if not words:
            continue
        verb = words[0].lower()
        rest = words[1] if len(words) > 1 else ""
        if verb == "add":
            current |= _as_set(parse_list(rest))
        elif verb == "remove":
            current -= _as_set(parse_list(rest))
        elif verb == "except":
            current = _full() - _as_set(parse_list(rest))
        else:
            value = _resolve(raw, resolve_name)
            value = _as_set(value) if not isinstance(value, set) else value
            current = current | value if additive else value
    return _from_set(current)


def _resolve(raw, resolve_name):
    """A whole-list statement; Junos may name VLANs instead of numbering them."""
    try:
        return parse_list(raw)
    except VlanError:
        if resolve_name is None:
            raise
    vids = set()
    for name in str(raw).replace(",", " ").split():
        vid = resolve_name(name)
        if vid is None:
            raise VlanError("unknown VLAN name %r" % name)
        vids.add(int(vid))
    return vids


def compress(value):
    """A VLAN set as text: ``"all"``, ``"none"`` or ``"1-5,7"``."""
    if value == ALL:
        return ALL
    vids = sorted(set(int(v) for v in value))
    if not vids:
        return "none"
    # one line (no IOS line splitting); two consecutive VIDs are a range too
    return vlanlist_to_config(vids, first_line_len=len(vids) * 6, min_grouping_size=2)[0]


def union(*values):
    result = set()
    for value in values:
        if value == ALL:
            return ALL
        result |= set(value or ())
    return _from_set(result)
