# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every host of the run collected and compared in one controller process (run once).

Per host, a task costs Ansible a worker process, the templating of its arguments and the
transfer of its result, and our action its imports and template compilation; at a
thousand devices that is most of a run's CPU. Here the hosts' connection options are
resolved first (``host_options``, in this thread: the templar is not thread-safe), then
the devices are collected in threads (``fast_collect``: waiting on a device releases the
GIL) and compared in this thread as each one completes (``comparer``). The hosts then
get their own result, diff and failure from one light task each (``drift_host``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.action.drift_compare import load_rules
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_batch import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import (
    collector,
    comparer,
    direct_cli,
    fast_collect,
    host_options,
)


def cause_of(registered, entry):
    """Why a host could not be verified at all, for its failure in the play recap."""
    if registered.get("collect_error"):
        return registered["collect_error"]
    if registered.get("unreachable") and registered.get("msg"):
        return registered["msg"]
    reasons = []
    for item in entry.get("unverified") or []:
        if item.get("reason") and item["reason"] not in reasons:
            reasons.append(item["reason"])
    return "; ".join(reasons) or "nothing could be verified"


def seed_state(registered):
    """What discovery reads of a host's collection: its model's sections, facts and neighbours,
    and why it could not be collected."""
    registered = registered if isinstance(registered, dict) else {}
    found = dict((k, registered[k]) for k in ("collect_error", "unreachable", "msg") if registered.get(k))
    state = registered.get("device_state")
    if isinstance(state, dict) and "sections" in state:
        found["device_state"] = dict((k, state.get(k)) for k in ("device", "platform", "sections", "facts", "neighbors"))
    return found


class ActionModule(ActionBase):
    """Collect (fast path) and compare many hosts in one process; see the module docstring."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = collector.validate(self._task.args, DOCUMENTATION, "drift_batch")
        collector.check_libraries()
        hosts = list(dict.fromkeys(args.get("hosts") or task_vars.get("ansible_play_hosts") or []))
        rules, today = load_rules("drift_batch", args)
        started = time.monotonic()
        if args["transport"] == "registered":
            registered, outputs, warnings = self._registered(hosts, task_vars, args["state_var"]), {}, {}
        else:
            registered, outputs, warnings = self._collect(hosts, task_vars, args)
        collected = time.monotonic()
        entries, causes = self._compare(hosts, registered, outputs, args, rules, today)
        result.update(changed=False, device_drift=entries, causes=causes,
                      warnings_by_host=dict((h, w) for h, w in warnings.items() if w),
                      stats={"hosts": len(hosts), "workers": args["workers"], "transport": args["transport"],
                             "collect_s": round(collected - started, 3),
                             "compare_s": round(time.monotonic() - collected, 3)})
        if args["keep_states"]:
            result["states"] = dict((host, seed_state(registered.get(host))) for host in hosts)
        return result

    @staticmethod
    def _registered(hosts, task_vars, state_var):
        hostvars = task_vars.get("hostvars") or {}
        found = {}
        for host in hosts:
            value = (hostvars.get(host) or {}).get(state_var)
            found[host] = value if isinstance(value, dict) else {"msg": "the device state task gave no result"}
        return found

    def _prepare(self, host, host_vars, task_vars, args):
        """``(job, None)`` to collect ``host``, or ``(None, registered failure)``."""
        try:
            platform, spec = collector.choose_platform(None, {"ansible_network_os": host_vars.get("ansible_network_os")},
                                                       host)
        except AnsibleActionFail as exc:
            return None, {"msg": str(exc)}
        try:
            entries = collector.plan(host, platform, spec, args)
        except collector.InvalidCommands as exc:
            raise AnsibleActionFail(str(exc))  # a bad entry fails the run before any report, as per host
        options = host_options.connection_options(host, host_vars, self._play_context, self._templar, own=False,
                                                  batch_vars=task_vars)
        return (platform, spec, entries, options), None

    def _collect(self, hosts, task_vars, args):
        """``({host: registered result}, {host: outputs}, {host: [warnings]})``."""
        if not direct_cli.HAS_PYLIBSSH:
            raise AnsibleActionFail(missing_required_lib("ansible-pylibssh"))
        hostvars = task_vars.get("hostvars") or {}
        registered, outputs, warnings, jobs = {}, {}, dict((h, []) for h in hosts), {}
        for host in hosts:
            job, failure = self._prepare(host, hostvars.get(host) or {}, task_vars, args)
            if job is None:
                registered[host] = failure
            else:
                jobs[host] = job
        for network_os in set(job[3].get("network_os") or job[0] for job in jobs.values()):
            direct_cli.DirectCli.preload(network_os)  # the plugin loader is not thread-safe
        collect_args = dict((k, args.get(k)) for k in ("snapshot_dir", "run_id", "commands"))
        with ThreadPoolExecutor(max_workers=max(1, min(args["workers"], len(jobs) or 1))) as pool:
            futures = dict((pool.submit(self._collect_one, host, job, collect_args, warnings[host].append), host)
                           for host, job in jobs.items())
            for future in as_completed(futures):
                host = futures[future]
                registered[host] = future.result()
                outputs[host] = registered[host].pop("outputs", None)
        return registered, outputs, warnings

    @staticmethod
    def _collect_one(host, job, args, warn):
        platform, spec, entries, options = job
        try:
            found = fast_collect.collect_host(host, platform, spec, entries, options, args, warn, keep_outputs=True)
        except AnsibleActionFail:
            raise  # snapshots cannot be written: the run stops, saying why
        except Exception as exc:  # one device's surprise: that device unverified, the others go on
            return {"msg": "%s: collecting failed: %s: %s" % (host, type(exc).__name__, exc)}
        for message in found.get("warnings") or []:
            warn(message)
        return found

    @staticmethod
    def _compare(hosts, registered, outputs, args, rules, today):
        netbox = args["netbox"] or {}
        intended, invalid = netbox.get("netbox_state") or {}, netbox.get("invalid") or {}
        entries, causes = {}, {}
        for host in hosts:
            host_args = dict(args, peers=netbox.get("platforms") or {}, netbox_error=invalid.get(host))
            try:
                entry = comparer.compare_host(host, registered.get(host) or {}, intended.get(host), host_args, rules,
                                              today, outputs.get(host))
            except comparer.CompareFailed as exc:
                raise AnsibleActionFail(str(exc))
            entries[host] = entry
            if entry["status"] == "unverified":
                causes[host] = cause_of(registered.get(host) or {}, entry)
        return entries, causes
