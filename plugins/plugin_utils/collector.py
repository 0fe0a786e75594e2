# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the device state actions share: arguments, platform choice, command plan,
snapshot, parse.

Each action brings its own transport: ``session()``, a context manager that opens
the device's session and gives a callable ``run(commands)`` returning
``{command: {"output": text[, "prompt": text]} | {"error": message}}``, or raises
``CollectError`` when the device cannot be reached at all. ``run`` may be called
again in the same session: fallbacks run there, only for the commands that failed
or were refused.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

import yaml
from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib

from ansible_collections.ansible.utils.plugins.module_utils.common.argspec_validate import check_argspec
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model, names
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import (
    commands as command_plan,
    normalise,
    snapshot,
    ttp_runner,
)

_SPECS = {}


class CollectError(Exception):
    """The device could not be reached or talked to at all."""


class InvalidCommands(Exception):
    """The ``commands`` option cannot be used (the message names the host and the entry)."""


def with_fragments(documentation):
    """The documentation with the options of this collection's doc fragments merged in
    (ansible.utils' check_argspec does not read extends_documentation_fragment)."""
    doc = yaml.safe_load(documentation)
    options = {}
    for fragment in doc.get("extends_documentation_fragment") or []:
        namespace, collection, name = fragment.split(".", 2)
        module = importlib.import_module(
            "ansible_collections.%s.%s.plugins.doc_fragments.%s" % (namespace, collection, name))
        options.update(yaml.safe_load(module.ModuleDocFragment.DOCUMENTATION).get("options") or {})
    options.update(doc.get("options") or {})
    doc["options"] = options
    return yaml.safe_dump(doc)


def validate(task_args, documentation, name):
    """Task arguments checked against the module documentation (its argument spec)."""
    valid, result, args = check_argspec(with_fragments(documentation), name, **dict(task_args))
    if not valid:
        raise AnsibleActionFail("%s: %s" % (result["msg"], "; ".join(result.get("errors", []))))
    return args


def check_libraries():
    if not ttp_runner.HAS_TTP:
        raise AnsibleActionFail(missing_required_lib("ttp"))
    if not names.HAS_NETUTILS:
        raise AnsibleActionFail(missing_required_lib("netutils"))


def platform_specs():
    """Every platform file, loaded once per process: ``{platform: spec}``."""
    if not _SPECS:
        for entry in sorted(os.listdir(ttp_runner.TEMPLATE_DIR)):
            if entry.endswith(".yml"):
                platform = entry[:-4]
                _SPECS[platform] = normalise.load_platform(platform)
    return _SPECS


def choose_platform(requested, task_vars, host):
    """``(platform, spec)`` from the ``platform`` option or ``ansible_network_os``."""
    specs = platform_specs()
    if requested:
        return requested, specs[requested]
    network_os = task_vars.get("ansible_network_os")
    for platform, spec in specs.items():
        if network_os == platform or network_os in spec.get("network_os", []):
            return platform, spec
    raise AnsibleActionFail(
        "%s: cannot tell the platform from ansible_network_os=%r; set the platform option "
        "to one of %s" % (host, network_os, ", ".join(sorted(specs)))
    )


def plan(host, platform, spec, args):
    """The commands this host runs: its platform's, with the ``commands`` option's
    entries for that platform applied (``module_utils/collect/commands.py``)."""
    overrides = args.get("commands") or {}
    if not isinstance(overrides, dict):
        raise InvalidCommands("%s: the commands option is a dict of command lists keyed by platform, not %s"
                              % (host, type(overrides).__name__))
    unknown = sorted(set(overrides) - set(platform_specs()))
    if unknown:
        raise InvalidCommands("%s: commands: unknown platform(s) %s (known: %s)"
                              % (host, ", ".join(unknown), ", ".join(sorted(platform_specs()))))
    try:
        return command_plan.plan(spec, overrides.get(platform))
    except command_plan.CommandsError as exc:
        raise InvalidCommands("%s: commands: %s" % (host, exc))


def invalid(result, exc):
    """The task result for an unusable ``commands`` option: failed, whatever the role tolerates."""
    result.update(failed=True, msg=str(exc), invalid_option="commands")
    return result


def run_plan(run, entries):
    """Run the plan's commands, then the fallbacks of those that failed, in the same session.

    No fallback runs once the transport stopped sending (a result marked ``halted``: a
    command timed out, or the session could not be reopened): each would cost a timeout.
    """
    outputs = dict(run(command_plan.first_commands(entries)))
    due = command_plan.next_commands(entries, outputs)
    while due and not any(result.get("halted") for result in outputs.values()):
        outputs.update(run(due))
        if not set(due) & set(outputs):
            break  # the transport answered none of them: nothing more to learn
        due = command_plan.next_commands(entries, outputs)
    return outputs


def collect(host, platform, spec, session, args, transport, entries, keep_outputs=False):
    """Run the plan through ``session``, keep and parse the outputs; a task result (with
    the redacted ``outputs`` too when ``keep_outputs``: a caller that uses them in the same
    process need not read the snapshot back)."""
    run_id = args.get("run_id") or snapshot.new_run_id()
    started = snapshot.now()
    error = None
    try:
        with session() as run:
            outputs = run_plan(run, entries)
    except CollectError as exc:
        error = str(exc)
        outputs = dict((command, {"error": error}) for command in command_plan.first_commands(entries))
    for result in outputs.values():
        if "output" in result:
            result["output"] = snapshot.redact(result["output"])
    result = finish(host, platform, spec, outputs, args, run_id, started, transport, error, entries)
    if keep_outputs:
        result["outputs"] = outputs
    return result


def finish(host, platform, spec, outputs, args, run_id, started, transport, error=None, entries=None):
    """Snapshot (if asked), parse, and shape the task result. ``error``: why the device
    could not be talked to at all (then one warning says so, not one per section);
    ``entries``: the command plan (by default the platform file's)."""
    result = {"changed": False}
    if error:
        result["collect_error"] = error
    if args.get("snapshot_dir"):
        try:
            result["snapshot"] = snapshot.write(args["snapshot_dir"], run_id, host, platform, outputs)
        except snapshot.SnapshotError as exc:
            raise AnsibleActionFail("%s: %s" % (host, exc))
    state = normalise.build(host, platform, outputs, spec=spec, plan=entries)
    state["collected"] = {"run_id": run_id, "started": started, "ended": snapshot.now(),
                          "transport": transport}
    result["device_state"] = state
    errors = model.errors(state)
    if errors:
        result["warnings"] = (["%s: not collected: %s" % (host, error)] if error else
                              ["%s: %s" % (host, message) for message in errors])
        if args.get("strict"):
            result["failed"] = True
            result["msg"] = "%s: %d section(s) not collected: %s" % (host, len(errors), "; ".join(errors))
    return result
