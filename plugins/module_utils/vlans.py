# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VLAN sets: the string ``"all"`` or a sorted list of VIDs, never 4,094 numbers for "all".

``evaluate()`` folds a trunk's allowed-VLAN statements, in the order the device printed
them, into one set; ``compress()`` prints a set the way IOS does (``1-5,7``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

ALL = "all"
MIN_VID, MAX_VID = 1, 4094


class VlanError(ValueError):
    """A VLAN list that cannot be read."""


def parse_list(text):
    """``"1-5,7"`` -> ``[1, 2, 3, 4, 5, 7]``; ``"all"`` -> ``"all"``; ``"none"``/``""`` -> ``[]``."""
    text = str(text).strip().lower()
    if text == ALL:
        return ALL
    if text in ("", "none"):
        return []
    vids = set()
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        low, sep, high = part.partition("-")
        try:
            first, last = int(low), int(high) if sep else int(low)
        except ValueError:
            raise VlanError("not a VLAN list: %r" % text)
        if not MIN_VID <= first <= last <= MAX_VID:
            raise VlanError("VLAN range out of bounds: %r" % part)
        vids.update(range(first, last + 1))
    return sorted(vids)


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
    vids = sorted(set(value))
    if not vids:
        return "none"
    parts, start, prev = [], vids[0], vids[0]
    for vid in vids[1:] + [None]:
        if vid is not None and vid == prev + 1:
            prev = vid
            continue
        parts.append(str(start) if start == prev else "%d-%d" % (start, prev))
        if vid is not None:
            start = prev = vid
    return ",".join(parts)


def union(*values):
    result = set()
    for value in values:
        if value == ALL:
            return ALL
        result |= set(value or ())
    return _from_set(result)
