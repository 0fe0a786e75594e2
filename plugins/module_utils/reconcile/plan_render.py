# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan (``plan.py``) as a playbook of ``netbox.netbox`` tasks and as Markdown.

``render_playbook(plan)``: a preview, never a way to write. One play on localhost
forced into check mode (``check_mode: true``), one task per change, named and tagged
with its change ID, so ``--tags`` picks changes and ``--check --diff`` previews them;
first tasks (tagged ``always``) stop the play when it is run without ``--check``
(changes are written only by ``truthloop.netbox_drift.apply``, with an approval) and
when NetBox is not the one the plan was made for (or the plan names none).
NetBox's address and token come from the variables ``netbox_url`` and
``netbox_token``, else the environment (``NETBOX_API``, ``NETBOX_TOKEN``); the token is
never written. The YAML is written here, not by a library: block style, every string
double-quoted, and device text that holds Jinja delimiters tagged ``!unsafe`` so that
running the playbook never evaluates it.

``render_markdown(plan)``: the changes with before and after, then what was left out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan_digest, plan_new_device
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report.report_markdown import cell

URL = "{{ netbox_url | default(lookup('ansible.builtin.env', 'NETBOX_API'), true) | default(plan_netbox_url, true) }}"
# the NetBox in use must be the one the plan was made for: its object ids mean nothing elsewhere
SAME_NETBOX = "plan_netbox_api | regex_replace('/+$', '') | regex_replace('/api$', '') | lower == plan_netbox_url | lower"
GUARD_MESSAGE = ("This plan was made for NetBox at {{ plan_netbox_url }}, not {{ plan_netbox_api }}: "
                 "check and plan again against this NetBox.")
PREVIEW_MESSAGE = ("plan.yml only previews the plan: run it with --check --diff. NetBox is written only by "
                   "truthloop.netbox_drift.apply, with an approval naming the change IDs and digests of plan.md.")
TOKEN = "{{ netbox_token | default(lookup('ansible.builtin.env', 'NETBOX_TOKEN'), true) }}"
LONG, CHUNK = 100, 80  # a string longer than LONG goes on lines of CHUNK characters (yamllint allows 160)
# what YAML cannot hold, or would read as a line break, unescaped in a double-quoted scalar
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _quoted(text):
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    return _UNPRINTABLE.sub(lambda m: "\\u%04x" % ord(m.group(0)), body)


def _unsafe(text, body):
    """Device text that Jinja would evaluate is marked ``!unsafe``: running the playbook keeps it as text.
    The comment ends the line, so the scalar must be the last thing on it."""
    if any(mark in text for mark in ("{{", "{%", "{#")):
        return "!unsafe %s  # noqa: jinja" % body  # ansible-lint would read it as a template
    return body


def scalar(value, pad="", jinja=False):
    """One YAML scalar; a long string is continued on lines of ``pad`` with escaped breaks."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, dict)):
        return "[]" if isinstance(value, list) else "{}"
    text = str(value)
    if jinja:
        return '"%s"' % _quoted(text)
    if len(text) <= LONG:
        return _unsafe(text, '"%s"' % _quoted(text))
    pieces = [_quoted(text[i:i + CHUNK]) for i in range(0, len(text), CHUNK)]
    pieces = [pieces[0]] + [("\\x20" + p[1:]) if p.startswith(" ") else p for p in pieces[1:]]
    body = '"%s"' % ("\\\n%s" % pad).join(pieces)
    return _unsafe(text, body)


def _emit(key, value, pad, lines):
    if isinstance(value, dict) and value:
        lines.append("%s%s:" % (pad, key))
        for sub, item in value.items():
            _emit(sub, item, pad + "  ", lines)
    elif isinstance(value, list) and value:
        lines.append("%s%s:" % (pad, key))
        for item in value:
            _item(item, pad + "  ", lines)
    else:
        lines.append("%s%s: %s" % (pad, key, scalar(value, pad + "  ")))


def _item(item, pad, lines):
    if isinstance(item, dict) and item:
        block = []
        for sub, value in item.items():
            _emit(sub, value, pad + "  ", block)
        block[0] = pad + "- " + block[0][len(pad) + 2:]
        lines.extend(block)
    else:
        lines.append("%s- %s" % (pad, scalar(item, pad + "  ")))


def task_name(change):
    what = "%s %s" % (change["kind"].replace("_", " "), change["key"])
    if change["kind"] != "device":
        what = "%s on %s" % (what, change["device"])
    if change.get("field"):
        what = "%s of %s" % (change["field"], what)
    text = "Change %s: %s %s (drift %s)" % (change["change_id"], change["action"], what, change["drift_id"])
    return re.sub(r"[{}%#]", "", text)


def _guards(plan):
    lines = ["    - name: Refuse to run without --check (this playbook only previews)",
             "      ansible.builtin.assert:",
             "        that: ansible_check_mode",
             "        fail_msg: %s" % scalar(PREVIEW_MESSAGE, "          "),
             "        quiet: true",
             "      tags:",
             "        - always"]
    if plan.get("netbox_url"):
        return lines + ["    - name: Check that this is the NetBox the plan was made for",
                        "      ansible.builtin.assert:",
                        "        that: %s" % scalar(SAME_NETBOX, jinja=True),
                        "        fail_msg: %s" % scalar(GUARD_MESSAGE, jinja=True),
                        "        quiet: true",
                        "      tags:",
                        "        - always"]
    return lines + ["    - name: Stop, the plan names no NetBox",
                    "      ansible.builtin.fail:",
                    "        msg: %s" % scalar("The plan names no NetBox (netbox_url): check and plan again."),
                    "      tags:",
                    "        - always"]


def render_playbook(plan):
    """The plan as a preview playbook (text)."""
    lines = [
        "---",
        "# NetBox changes planned by truthloop.netbox_drift from drift run %s (%s)." % (
            re.sub(r"\s", " ", str(plan.get("report_run"))), re.sub(r"\s", " ", str(plan.get("created")))),
        "# A preview only: every task runs in check mode, and the play stops without --check.",
        "# Review plan.md. Preview: ansible-playbook plan.yml --check --diff; one change: --tags <change_id>.",
        "# Apply approved changes with truthloop.netbox_drift.apply, never with this playbook.",
        "# NetBox: -e netbox_url=... -e netbox_token=..., or NETBOX_API and NETBOX_TOKEN in the environment.",
        "- name: Bring NetBox in line with the devices",
        "  hosts: localhost",
        "  connection: local",
        "  gather_facts: false",
        "  check_mode: true",
        "  vars:",
        "    # the netbox.netbox modules need pynetbox, which the controller's Python has",
        "    ansible_python_interpreter: \"{{ ansible_playbook_python }}\"",
        "    plan_netbox_url: %s" % scalar((plan.get("netbox_url") or "").rstrip("/"), "      "),
        "    plan_netbox_api: %s" % scalar(URL, jinja=True),
        "  tasks:",
    ] + _guards(plan)
    if not plan.get("changes"):
        lines += ["    - name: Nothing to change", "      ansible.builtin.debug:",
                  "        msg: The plan holds no change."]
    groups = plan_new_device.new_device_groups(plan.get("changes") or [])
    for change in plan.get("changes") or []:
        needs = plan_new_device.needs_new_device(change, groups)
        if needs:
            lines.append("    # needs device %s, which an earlier step creates: --check cannot preview it (skipped)"
                         % re.sub(r"\s", " ", str(needs)))
        lines.append("    - name: %s" % scalar(task_name(change), "        "))
        lines.append("      %s:" % change["module"])
        lines.append("        netbox_url: \"{{ plan_netbox_api }}\"")
        lines.append("        netbox_token: %s" % scalar(TOKEN, jinja=True))
        for key, value in change["data"].items():
            _emit(key, value, "        ", lines)
        if needs:
            lines.append("      when: not ansible_check_mode")
        lines += ["      tags:", "        - %s" % scalar(change["change_id"])]
    return "\n".join(lines) + "\n"


def _table(header, rows):
    lines = ["| %s |" % " | ".join(header), "|%s|" % "|".join("---" for name in header)]
    for row in rows:
        lines.append("| %s |" % " | ".join(cell(value) for value in row))
    return lines


def _object(change):
    obj = change.get("object") or {}
    if not obj:
        return "new"
    return "%s %s (%s)" % (obj.get("type"), obj.get("id"), obj.get("last_updated") or "no last_updated")


def _left_out(title, entries, with_reason):
    if not entries:
        return []
    header = ["drift", "device", "kind", "key", "field", "NetBox value", "device value"]
    rows = [[e["drift_id"], e["device"], e["kind"], e["key"], e.get("field"), e.get("netbox_value"),
             e.get("device_value")] + ([e.get("reason")] if with_reason else [e.get("message")]) for e in entries]
    header.append("reason" if with_reason else "message")
    return ["", "### %s (%d)" % (title, len(entries)), ""] + _table(header, rows)


def approval_ref(change):
    """``c-<id>@<short digest>``: what an approval names for this change as reviewed."""
    return "%s@%s" % (change["change_id"], plan_digest.short(change.get("digest")))


def render_markdown(plan):
    """The plan for review: summary, changes, then remediation, report only, skipped, unplannable."""
    counts = plan.get("summary") or {}
    modules = ", ".join("%s %d" % (name.rsplit(".", 1)[-1], count)
                        for name, count in sorted((counts.get("by_module") or {}).items()))
    lines = ["## NetBox plan for drift run %s" % cell(str(plan.get("report_run"))), "",
             cell("Created %s for %s. %d change(s)%s; %d need device remediation, %d report only, %d skipped, "
                  "%d not plannable. Deletions %s, clearing values %s." % (
                      plan.get("created"), plan.get("netbox_url"), len(plan["changes"]),
                      " (%s)" % modules if modules else "", len(plan["remediation"]), len(plan["report_only"]),
                      len(plan["skipped"]), len(plan["unplannable"]), "on" if plan.get("allow_delete") else "off",
                      "on" if plan.get("allow_clear") else "off")),
             "", "Plan digest: `%s`" % cell(str(plan.get("digest"))), "",
             "Approve with a file naming each change as shown, with its digest: `approve: [<change>@<digest>, ...]`, "
             "`approved_by: <name>`; or `approve: [all]` / `approve_devices: [<device>]` with "
             "`plan_digest: <plan digest>`. A change edited after this review no longer matches its digest and "
             "is refused.", "", "### Changes (%d)" % len(plan["changes"]), ""]
    if plan["changes"]:
        rows = [[approval_ref(c), c["device"], c["action"], "%s %s" % (c["kind"], c["key"]), c.get("field"),
                 c.get("before"), c.get("after"), c["module"].rsplit(".", 1)[-1], _object(c), c["drift_id"]]
                for c in plan["changes"]]
        lines += _table(["change@digest", "device", "action", "object", "field", "before (NetBox)",
                         "after (device)", "module", "NetBox object", "drift"], rows)
    else:
        lines.append("No change.")
    lines += _left_out("Device needs remediation", plan["remediation"], False)
    lines += _left_out("Report only", plan["report_only"], False)
    lines += _left_out("Skipped", plan["skipped"], True)
    lines += _left_out("Not plannable", plan["unplannable"], True)
    return "\n".join(lines) + "\n"
