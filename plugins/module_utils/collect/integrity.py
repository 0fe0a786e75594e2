# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Completeness before comparison: an output proves it is whole before it is trusted.

The rules are data, in each platform file's ``checks`` (per template, so per output
format) and ``signature``; this module only applies them (templates/ttp/README.md):

* before the parse, that the output is whole: ``ends_with`` (its last line is the end
  marker), ``contains`` (lines the whole output always has), ``balanced`` (as many
  opening as closing lines), ``count`` (as many lines as a companion command says);
  and, where the transport knows it, that the device's prompt came right after it;
* after the parse, that the template recognised what it read: ``total`` (the output
  says how many records it holds), ``markers`` (each marker line gives a record),
  ``per_record`` (lines every whole record has), ``min_records`` (what any such output
  has at least);
* across outputs, that they agree: a configuration that lacks interfaces the status
  listing shows is cut short (``config_lists_every_interface``), and so is an output
  that names every port but leaves out some the listing shows (``names_listed_ports``);
* from ``show version``, which platform the device really is (``signature``): a
  device that is another supported platform than the one it was collected as has
  every section unverified.

Each check returns None or a message naming the command and the cause; the caller
makes the sections unverified, never drift.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names

try:
    import yaml
except ImportError:  # PyYAML comes with ansible-core
    yaml = None

_SIGNATURES = {}


def _lines(text):
    return [line.rstrip() for line in text.splitlines()]


def _show(line, width=60):
    line = line.strip()
    return line if len(line) <= width else line[:width] + "..."


def _ends_with(command, text, rule, outputs):
    lines = [line for line in _lines(text) if line.strip()]
    last = lines[-1] if lines else ""
    if not re.search(rule, last.strip()):
        return "%r is incomplete: its last line is %r, not the end marker /%s/" % (command, _show(last), rule)
    return None


def _contains(command, text, rules, outputs):
    for rule in rules if isinstance(rules, list) else [rules]:
        if not re.search(rule, text, re.MULTILINE):
            return "%r is incomplete: no line matches /%s/, which the whole output always has" % (command, rule)
    return None


def _balanced(command, text, rule, outputs):
    opening, closing = re.compile(rule["open"]), re.compile(rule["close"])
    depth = 0
    for number, line in enumerate(_lines(text), 1):
        depth += 1 if opening.search(line) else 0
        depth -= 1 if closing.search(line) else 0
        if depth < 0:
            return "%r is doubtful: line %d closes a block that was never opened" % (command, number)
    if depth:
        return "%r is incomplete: %d block(s) opened and never closed (cut inside a block)" % (command, depth)
    return None


def _count(command, text, rule, outputs):
    counter = rule["command"].replace("{command}", command)
    result = outputs.get(counter) or {"error": "not collected"}
    if "error" in result:
        return "%r cannot be proved whole: %r failed: %s" % (command, counter, result["error"])
    match = re.search(rule["regex"], result.get("output") or "", re.MULTILINE)
    if not match:
        return "%r cannot be proved whole: %r did not say a line count" % (command, counter)
    ignore = re.compile(rule["ignore"]) if rule.get("ignore") else None
    seen = len([line for line in _lines(text) if line.strip() and not (ignore and ignore.search(line.strip()))])
    if seen != int(match.group(1)):
        return "%r is incomplete: it has %d lines, %r says %s" % (command, seen, counter, match.group(1))
    return None


WHOLE = (("ends_with", _ends_with), ("contains", _contains), ("balanced", _balanced), ("count", _count))


def says_none(candidate, text):
    """Whether an output that the template read nothing from says itself that it holds
    nothing: its ``total`` lines (``Total entries displayed: 0``, EOS's ``Interface X
    detected 0 LLDP neighbors:`` for every port) all say 0."""
    total = candidate["checks"].get("total")
    said = [int(n) for n in re.findall(total["regex"], text, re.MULTILINE)] if total else []
    return bool(said) and sum(said) == 0


def whole(candidate, text, outputs):
    """None if ``text`` (the output of ``candidate``) proves it is whole, else why not."""
    for name, check in WHOLE:
        rule = candidate["checks"].get(name)
        if rule:
            problem = check(candidate["command"], text, rule, outputs)
            if problem:
                return problem
    return None


def _records(value):
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _found(parsed, section):
    records = _records(parsed.get(section))
    if section == "interfaces":  # several records may describe one interface
        return len(set(str(r.get("name")) for r in records if r.get("name")))
    return len(records)


def recognised(candidate, text, parsed):
    """None if the template recognised what ``text`` holds, by the output's own figures."""
    command, checks = candidate["command"], candidate["checks"]
    total = checks.get("total")
    if total:
        said = [int(n) for n in re.findall(total["regex"], text, re.MULTILINE)]
        if not said:
            return "%r is incomplete: no line matches /%s/, where the output says how many it holds" % (
                command, total["regex"])
        if sum(said) != len(_records(parsed.get(total["section"]))):
            return "%r is doubtful: it says it holds %d %s, the template read %d" % (
                command, sum(said), total["section"], len(_records(parsed.get(total["section"]))))
    for section, rule in sorted((checks.get("markers") or {}).items()):
        expected = len(re.findall(rule, text, re.MULTILINE))
        if _found(parsed, section) < expected:
            return "%r is doubtful: %d lines match /%s/ but the template read %d %s" % (
                command, expected, rule, _found(parsed, section), section)
    for section, rules in sorted((checks.get("per_record") or {}).items()):
        read = len(_records(parsed.get(section)))
        for rule in rules if isinstance(rules, list) else [rules]:
            lines = len(re.findall(rule, text, re.MULTILINE))
            if lines < read:
                return "%r is incomplete: the template read %d %s but only %d lines match /%s/ (a record is cut short)" % (
                    command, read, section, lines, rule)
    for section, least in sorted((checks.get("min_records") or {}).items()):
        if _found(parsed, section) < int(least):
            return "%r is doubtful: the template read %d %s, any such output has at least %d" % (
                command, _found(parsed, section), section, int(least))
    return None


def session_prompt(outputs):
    """The prompt the device showed after most commands (None if the transport did not say)."""
    prompts = [r["prompt"] for r in outputs.values() if r.get("prompt") and "output" in r]
    return max(sorted(set(prompts)), key=prompts.count) if prompts else None


def prompt_problem(command, result, prompt):
    """Where the transport recorded the prompt that ended an output, it must be the device's."""
    if "prompt" not in result:
        return None
    if not result["prompt"]:
        return "%r is incomplete: no prompt came after it" % command
    if prompt and result["prompt"] != prompt:
        return ("%r is incomplete: it ended at %r, not at the device's prompt %r (a line of it looked "
                "like a prompt, so the rest may be missing)" % (command, _show(result["prompt"]), _show(prompt)))
    return None


def signatures(template_dir):
    """``{platform: signature}`` of every platform file in ``template_dir``."""
    if template_dir not in _SIGNATURES:
        found = {}
        for name in sorted(os.listdir(template_dir)):
            if name.endswith(".yml"):
                with open(os.path.join(template_dir, name)) as handle:
                    spec = yaml.safe_load(handle) or {}
                if spec.get("signature"):
                    found[spec.get("platform") or name[:-4]] = spec["signature"]
        _SIGNATURES[template_dir] = found
    return _SIGNATURES[template_dir]


def detect(spec, outputs, template_dir):
    """The platform whose ``signature`` the output of this platform's signature command
    matches; None when that output is missing, or matches none or several."""
    own = spec.get("signature") or {}
    result = outputs.get(own.get("command")) or {}
    text = result.get("output") if "error" not in result else None
    if not text:
        return None
    found = [platform for platform, signature in signatures(template_dir).items()
             if any(re.search(rule, text, re.MULTILINE) for rule in signature.get("any") or [])]
    return found[0] if len(found) == 1 else None


def plausible(result, spec):
    """A configuration that lacks interfaces the status listing shows is cut short, where
    the platform prints every interface in it (``config_lists_every_interface``)."""
    missing = result["unconfigured"]
    if not (spec.get("config_lists_every_interface") and missing and m.section_ok(result, "interfaces")):
        return
    used = [c for c in result["commands"] if "interfaces" in c["sections"] and not c["error"]]
    configs = [c for c in used if not c["optional"]]
    listing = ", ".join(repr(c["answered_by"]) for c in used if c["optional"])
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    for config in configs:
        error = "%r has no block for %d interface(s) that %s lists (%s): the configuration is incomplete" % (
            config["answered_by"], len(missing), listing, shown)
        for section in config["sections"]:
            m.fail_section(result, section, error)


def same_platform(result, spec):
    """A device whose ``show version`` says another supported platform: nothing is trusted."""
    detected, platform = result["detected_platform"], result["platform"]
    if detected and detected != platform:
        error = ("%r says this device is %s, but it was collected as %s: none of its outputs is trusted "
                 "(check ansible_network_os and the platform in NetBox)"
                 % (spec["signature"]["command"], detected, platform))
        for section in m.SECTIONS:
            m.fail_section(result, section, error)


def _listed(result):
    """The interfaces the status listing showed: oper_status comes from it alone."""
    shown = [name for name, iface in (result["interfaces"] or {}).items() if iface.get("oper_status")]
    return shown + list(result["unconfigured"])


def ports_named(result, entries, outputs):
    """An output that names every port (``names_listed_ports``: EOS LLDP detail prints
    `Interface X detected N LLDP neighbors:` for each) must name each port the listing shows."""
    for entry, record in zip(entries, result["commands"]):
        item = [c for c in entry["candidates"] if c["command"] == record["answered_by"]]
        rule = item[0]["checks"].get("names_listed_ports") if item else None
        if not rule or record["error"] or not all(m.section_ok(result, s) for s in entry["sections"]):
            continue
        text = outputs[record["answered_by"]]["output"]
        named = set(names.key(n) for n in re.findall(rule["regex"], text, re.MULTILINE))
        missing = [n for n in _listed(result) if re.search(rule["ports"], n) and names.key(n) not in named]
        if missing:
            error = "%r is incomplete: it names no entry for %d port(s) the status listing shows (%s)" % (
                record["answered_by"], len(missing), ", ".join(sorted(missing)[:5]) + (", ..." if len(missing) > 5 else ""))
            for section in entry["sections"]:
                m.fail_section(result, section, error)
