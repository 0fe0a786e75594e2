# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evidence: the raw device lines a drift record comes from, and the template that read them.

Nothing here knows a vendor's syntax. A record names words to look for (interface
names in every spelling, an address, a serial); the lines that hold them are kept with
the lines indented under them, which is how every supported CLI nests a block
(``interface X`` and its sub-commands, a curly Junos stanza, a detail record).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import ttp_runner

try:
    from netutils.interface import abbreviated_interface_name as _abbreviate
except ImportError:
    _abbreviate = None

MAX_LINES = 20
SECTION_OF = {"device": "facts", "interface": "interfaces", "ip_address": "interfaces",
              "vlan": "vlans", "cable": "neighbors"}


def _spellings(name):
    spellings = set([name, names.long_name(name)])
    if _abbreviate is not None:
        try:
            spellings.add(_abbreviate(name))
        except Exception:  # netutils raises on names it cannot split
            pass
    return [s for s in spellings if s]


def _pattern(words):
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(r"(?<![\w/.:-])(?:%s)(?![\w/:]|\.\d)" % alternatives, re.IGNORECASE)


def _indent(line):
    return len(line) - len(line.lstrip())


def lines(text, words, require=None, limit=MAX_LINES):
    """Lines of ``text`` holding one of ``words``, each with the lines indented under it."""
    if not words or not text:
        return []
    pattern, found, taken = _pattern(words), [], set()
    rows = text.splitlines()
    for index, line in enumerate(rows):
        if index in taken or not pattern.search(line):
            continue
        if require and require not in line.lower():
            continue
        found.append(line.rstrip())
        taken.add(index)
        depth = _indent(line)
        for follow in range(index + 1, len(rows)):
            nxt = rows[follow]
            if not nxt.strip():
                continue  # a blank line inside a block (detail records have them)
            if _indent(nxt) <= depth or len(found) >= limit:
                break
            found.append(nxt.rstrip())
            taken.add(follow)
        if len(found) >= limit:
            break
    return found[:limit]


def _words(rec, device_name):
    kind, key = rec["kind"], str(rec["key"])
    if kind in ("interface", "cable"):
        words = _spellings(key) + _spellings(device_name or key)
        peer = rec.get("device_value") if kind == "cable" else None
        if isinstance(peer, dict) and peer.get("device"):
            words.append(str(peer["device"]))
        return words, None
    if kind == "ip_address":
        return [key.split("/", 1)[0]], None
    if kind == "vlan":
        return [key], "vlan"
    value = rec.get("device_value")
    return ([str(value)] if value not in (None, "") else []), None


def _sources(section, spec, platform, used):
    """``[(command, template)]`` that fed ``section``, required ones first: what the device
    model says answered (``used``: its ``commands``, a fallback or a user's command
    included), else the platform file's own list."""
    if used:
        entries = [(e.get("optional"), e["answered_by"], e.get("template")) for e in used
                   if section in (e.get("sections") or ()) and e.get("answered_by") and not e.get("error")]
    else:
        entries = [(e.get("optional"), e["command"], ttp_runner.template_name(platform, e["command"]))
                   for e in spec.get("commands", []) if section in e.get("sections", [])]
    return [(command, template) for optional, command, template in sorted(entries, key=lambda e: bool(e[0]))]


def collect(rec, outputs, spec, platform, device_name=None, used=None):
    """``{command, template, device_lines}`` for one record, from the device's outputs;
    ``used``: the device model's ``commands`` (which command answered, read by which template)."""
    sources = _sources(SECTION_OF.get(rec["kind"]), spec or {}, platform, used)
    words, require = _words(rec, device_name)
    for command, template in sources:
        text = (outputs.get(command) or {}).get("output")
        found = lines(text, words, require)
        if found:
            return {"command": command, "template": template, "device_lines": found}
    first = sources[0] if sources else (None, None)
    return {"command": first[0], "template": first[1], "device_lines": []}
