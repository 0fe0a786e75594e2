# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The commands one device's collection runs: its plan.

``plan(spec, overrides)`` turns the platform file's ``commands`` (and a user's
``drift_check_commands`` entries for that platform) into entries::

    {"command", "sections", "optional", "source": "platform"|"user",
     "candidates": [{"command", "template", "checks", "companions"}, ...]}

The first candidate is the command itself; the others are its fallbacks, run only
when the ones before them failed or were refused. A candidate's ``template`` is the
TTP template that reads it (a file of the collection's templates or a path), its
``checks`` the rules the platform file gives for that template's output
(``integrity.py``), and ``companions`` the other commands those rules read (a Junos
``| count``). Nothing here knows a vendor: it is all from the platform files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import ttp_runner

ENTRY_KEYS = ("command", "replaces", "template", "sections", "optional", "fallback")
_TEMPLATES = {}


class CommandsError(Exception):
    """A command list (platform file or user override) that cannot be used."""


def _text(value, where, what):
    if not isinstance(value, str) or not value.strip():
        raise CommandsError("%s: %s must be a non-empty string, not %r" % (where, what, value))
    return " ".join(value.split())


def _template(platform, command, template, template_dir, where):
    """A template's path: a shipped template's file name, or a path to one's own."""
    name = template or ttp_runner.template_name(platform, command)
    path = name if os.path.isabs(name) else os.path.join(template_dir or ttp_runner.TEMPLATE_DIR, name)
    if not os.path.isfile(path):
        hint = "" if template else " (name one with template)"
        raise CommandsError("%s: no TTP template %s for %r%s" % (where, name, command, hint))
    return path


def template_text(path):
    """A candidate's template, read once per process."""
    if path not in _TEMPLATES:
        try:
            with open(path) as handle:
                _TEMPLATES[path] = handle.read()
        except (IOError, OSError) as exc:
            raise ttp_runner.TemplateError("cannot read template %s: %s" % (path, exc))
    return _TEMPLATES[path]


def candidate(spec, command, template=None, template_dir=None, where="platform file"):
    """One command that can answer, with the template and checks for its output."""
    path = _template(spec["platform"], command, template, template_dir, where)
    checks = dict((spec.get("checks") or {}).get(os.path.basename(path)) or {})
    companions = []
    count = checks.get("count")
    if count:
        companions.append(count["command"].replace("{command}", command))
    return {"command": command, "template": path, "checks": checks, "companions": companions}


def _fallbacks(spec, raw, template_dir, where):
    items = raw if isinstance(raw, list) else [raw]
    found = []
    for index, item in enumerate(items):
        here = "%s.fallback[%d]" % (where, index)
        if isinstance(item, dict):
            unknown = sorted(set(item) - set(("command", "template")))
            if unknown:
                raise CommandsError("%s: unknown key(s) %s (known: command, template)" % (here, ", ".join(unknown)))
            command, template = _text(item.get("command"), here, "command"), item.get("template")
        else:
            command, template = _text(item, here, "a fallback"), None
        found.append(candidate(spec, command, template, template_dir, here))
    return found


def _sections(raw, where):
    if not isinstance(raw, list) or any(s not in m.SECTIONS for s in raw):
        raise CommandsError("%s: sections must be a list of %s, not %r" % (where, ", ".join(m.SECTIONS), raw))
    return list(raw)


def _platform_entry(spec, raw, template_dir):
    where = "%s.yml: %r" % (spec["platform"], raw.get("command"))
    first = candidate(spec, raw["command"], raw.get("template"), template_dir, where)
    return {"command": raw["command"], "sections": _sections(raw.get("sections", []), where),
            "optional": bool(raw.get("optional")), "source": "platform",
            "candidates": [first] + _fallbacks(spec, raw.get("fallback") or [], template_dir, where)}


def plan(spec, overrides=None, template_dir=None):
    """The plan of ``spec`` (a platform file) with ``overrides`` (a user's list) applied."""
    entries = [_platform_entry(spec, raw, template_dir) for raw in spec["commands"]]
    if overrides is None:
        return entries
    if not isinstance(overrides, list):
        raise CommandsError("%s: the commands must be a list of entries, not %s"
                            % (spec["platform"], type(overrides).__name__))
    for index, raw in enumerate(overrides):
        _override(spec, entries, raw, template_dir, "%s[%d]" % (spec["platform"], index))
    _no_duplicates(entries, spec["platform"])
    return entries


def _override(spec, entries, raw, template_dir, where):
    """Apply one user entry: replace a platform command, or add one."""
    if isinstance(raw, str):
        raw = {"command": raw}
    if not isinstance(raw, dict):
        raise CommandsError("%s: an entry is a command or a dict with %s, not %r" % (where, ", ".join(ENTRY_KEYS), raw))
    unknown = sorted(set(raw) - set(ENTRY_KEYS))
    if unknown:
        raise CommandsError("%s: unknown key(s) %s (known: %s)" % (where, ", ".join(unknown), ", ".join(ENTRY_KEYS)))
    command = _text(raw.get("command"), where, "command")
    if raw.get("replaces") is not None:
        _replace(spec, entries, raw, command, template_dir, where)
        return
    if raw.get("optional") is not None and not isinstance(raw["optional"], bool):
        raise CommandsError("%s: optional must be true or false, not %r" % (where, raw["optional"]))
    sections = _sections(raw.get("sections", []), where)
    if sections or raw.get("template"):
        first = candidate(spec, command, raw.get("template"), template_dir, where)
    else:  # kept in the snapshot, read by no template
        first = {"command": command, "template": None, "checks": {}, "companions": []}
    entries.append({"command": command, "sections": sections, "optional": bool(raw.get("optional")),
                    "source": "user",
                    "candidates": [first] + _fallbacks(spec, raw.get("fallback") or [], template_dir, where)})


def _replace(spec, entries, raw, command, template_dir, where):
    replaced = _text(raw["replaces"], where, "replaces")
    target = [e for e in entries if e["command"] == replaced and e["source"] == "platform"]
    if not target:
        known = ", ".join(e["command"] for e in entries if e["source"] == "platform")
        raise CommandsError("%s: replaces %r, which is not a command of %s (%s)"
                            % (where, replaced, spec["platform"], known))
    if raw.get("sections") is not None:
        raise CommandsError("%s: a replacement feeds the sections of %r; leave sections out" % (where, replaced))
    entry = target[0]
    # same output format: parsed by the replaced command's template unless told otherwise
    template = raw.get("template") or entry["candidates"][0]["template"]
    first = candidate(spec, command, template, template_dir, where)
    fallbacks = entry["candidates"][1:]
    if raw.get("fallback") is not None:
        fallbacks = _fallbacks(spec, raw["fallback"], template_dir, where)
    entry.update(command=command, source="user", replaced=replaced, candidates=[first] + fallbacks)
    if raw.get("optional") is not None:
        if not isinstance(raw["optional"], bool):
            raise CommandsError("%s: optional must be true or false, not %r" % (where, raw["optional"]))
        entry["optional"] = raw["optional"]


def _no_duplicates(entries, platform):
    seen = set()
    for entry in entries:
        for item in entry["candidates"]:
            if item["command"] in seen:
                raise CommandsError("%s: %r is listed twice (as a command or a fallback)" % (platform, item["command"]))
            seen.add(item["command"])


def first_commands(entries):
    """What to run first: every entry's own command and the commands its checks read."""
    return _unique(c for entry in entries for c in [entry["candidates"][0]["command"]]
                   + entry["candidates"][0]["companions"])


def next_commands(entries, outputs):
    """The fallbacks due now: for each entry whose last candidate run failed, the next one."""
    due = []
    for entry in entries:
        for item in entry["candidates"]:
            result = outputs.get(item["command"])
            if result is None:
                due.extend([item["command"]] + item["companions"])
                break
            if "error" not in result:
                break
    return _unique(c for c in due if c not in outputs)


def answer(entry, outputs):
    """``(candidate, result, failed)``: the first candidate that answered (None when
    none did), its result, and ``[(command, error)]`` of those that failed before it
    (error None: not collected)."""
    failed = []
    for item in entry["candidates"]:
        result = outputs.get(item["command"])
        if result is None:  # not run, or no file of it in a folder of saved outputs
            failed.append((item["command"], None))
        elif "error" not in result:
            return item, result, failed
        else:
            failed.append((item["command"], result["error"]))
    return None, outputs.get(entry["candidates"][0]["command"]), failed


def _unique(items):
    seen, found = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            found.append(item)
    return found


def all_commands(entries):
    """Every command a plan may have run: own commands, fallbacks and companions."""
    return _unique(c for entry in entries for item in entry["candidates"]
                   for c in [item["command"]] + item["companions"])
