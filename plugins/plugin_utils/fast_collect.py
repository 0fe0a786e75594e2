# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One device collected over one direct SSH session (``direct_cli``): what
``device_state_fast`` does for its host, and ``drift_batch`` for each host of a run.

``collect_host(host, platform, spec, entries, options, args, warn)`` opens the session
with ``options`` (``host_options.connection_options``), runs the command plan with its
fallbacks in that session (``collector.run_plan``), keeps and parses the outputs
(``collector.finish``) and returns the task result; ``warn`` receives the session's
own warnings (a host key added, a prompt not recognised).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, direct_cli


class PromptCli(direct_cli.DirectCli):
    """DirectCli that also keeps, with each output, the prompt that ended it
    (integrity.py checks it is the device's prompt, not a line of the output), and marks
    the command after which it stopped sending (``halted``: a timeout), so that the
    collector runs no fallback after it. DirectCli.run's own rules are unchanged."""

    def _run_one(self, command):
        result, stop = super(PromptCli, self)._run_one(command)
        if "output" in result and self._matched_prompt is not None:
            result["prompt"] = to_text(self._matched_prompt, errors="surrogate_then_replace").strip()
        if stop:
            result["halted"] = stop
        return result, stop


def run_in(cli):
    """The transport: a batch of commands in the open session (fallbacks are a later batch)."""

    def run(commands):
        try:
            return cli.run(commands)
        except direct_cli.DirectCliError as exc:  # the session closed and could not be reopened
            return dict((command, {"error": "not run: %s" % exc, "halted": str(exc)}) for command in commands)

    return run


def collect_host(host, platform, spec, entries, options, args, warn, keep_outputs=False):
    """The task result of one device (see the module docstring)."""
    options = dict(options, network_os=options.get("network_os") or platform)

    @contextlib.contextmanager
    def session():
        try:
            with PromptCli(**options) as cli:
                yield run_in(cli)
                for warning in cli.warnings:
                    warn("%s: %s" % (host, warning))
        except direct_cli.DirectCliError as exc:
            raise collector.CollectError(str(exc))

    return collector.collect(host, platform, spec, session, args, "direct", entries, keep_outputs)
