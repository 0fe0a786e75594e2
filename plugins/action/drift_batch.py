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

With ``netbox_read`` NetBox is read in a thread of its own while the devices are
collected (``netbox_intended``): NetBox's data then never becomes a task result that
Ansible would copy, template into the next task and keep in its main process, which at
a thousand devices (48,000 interfaces) cost more than the comparison itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import threading
import time

import yaml

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.action.drift_compare import load_rules
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, ttp_runner
from ansible_collections.truthloop.netbox_drift.plugins.modules.drift_batch import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import (
    collect_pool,
    collector,
    comparer,
    direct_cli,
    fast_collect,
    host_options,
    netbox_client,
    netbox_intended,
)

NETBOX_SOURCES = ("netbox", "netbox_var", "netbox_read")
NETBOX_KEPT = ("netbox_url", "api_version", "platforms", "missing", "invalid", "stats")


def _documentation():
    """The module documentation with NetBox's token marked no_log for the validation."""
    doc = yaml.safe_load(DOCUMENTATION)
    doc["options"]["netbox_read"]["suboptions"]["token"]["no_log"] = True
    return yaml.safe_dump(doc)


class NetboxReader(object):
    """``netbox_intended.read`` in a thread of its own; ``result()`` waits for it."""

    def __init__(self, args, hosts, platforms):
        self._found, self.seconds = None, None
        self._thread = threading.Thread(target=self._read, args=(args, hosts, platforms), name="netbox-read")
        self._thread.daemon = True
        self._thread.start()

    def _read(self, args, hosts, platforms):
        started = time.monotonic()
        try:
            self._found = netbox_intended.read(args, hosts, platforms, who="drift_batch")
        except Exception as exc:  # noqa: BLE001 - read() returns its failures; this is a last guard
            self._found = {"failed": True, "msg": netbox_client.redact("drift_batch: reading NetBox failed: %s: %s" % (
                type(exc).__name__, exc), args.get("token"))}
        self.seconds = time.monotonic() - started

    def result(self):
        self._thread.join()
        return self._found


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
        args = collector.validate(self._task.args, _documentation(), "drift_batch")
        given = [name for name in NETBOX_SOURCES if args.get(name) is not None]
        if len(given) != 1:
            raise AnsibleActionFail("drift_batch: give exactly one of netbox, netbox_var and netbox_read (given: %s)"
                                    % (", ".join(given) or "none"))
        collector.check_libraries()
        hosts = list(dict.fromkeys(args.get("hosts") or task_vars.get("ansible_play_hosts") or []))
        rules, today = load_rules("drift_batch", args)
        started = time.monotonic()
        if args.get("netbox_read") is not None:  # NetBox there and readable before any device is touched
            if not netbox_client.HAS_PYNETBOX:
                raise AnsibleActionFail(missing_required_lib("pynetbox"))
            failure = netbox_intended.probe(args["netbox_read"], hosts, "drift_batch")
            if failure:
                result.update(failure)
                return result
        # the collectors are forked before the NetBox read starts its thread
        pool = self._start_collect(hosts, task_vars, args) if args["transport"] == "fast" else None
        reader = self._start_read(args, hosts, task_vars)
        if pool is None:
            registered, outputs, warnings = self._registered(hosts, task_vars, args["state_var"]), {}, {}
        else:
            registered, outputs, warnings = self._finish_collect(hosts, *pool)
        collected = time.monotonic()
        netbox = self._netbox(args, task_vars, reader)
        if netbox.get("failed"):
            result.update(failed=True, msg=netbox.get("msg") or "drift_batch: NetBox could not be read")
            return result
        if netbox.get("warnings"):
            result["warnings"] = list(netbox["warnings"])
        comparing = time.monotonic()
        entries, causes = self._compare(hosts, registered, outputs, args, rules, today, netbox)
        stats = {"hosts": len(hosts), "workers": args["workers"], "processes": args["processes"],
                 "transport": args["transport"],
                 "collect_s": round(collected - started, 3), "compare_s": round(time.monotonic() - comparing, 3)}
        if reader:
            stats["netbox_read_s"] = round(reader.seconds, 3)
        result.update(changed=False, device_drift=entries, causes=causes,
                      host_policy={"fail_unverified": args["fail_unverified"], "fail_drift": args["fail_drift"]},
                      warnings_by_host=dict((h, w) for h, w in warnings.items() if w),
                      netbox=dict((k, netbox[k]) for k in NETBOX_KEPT if k in netbox), stats=stats)
        if args["keep_states"]:
            result["states"] = dict((host, seed_state(registered.get(host))) for host in hosts)
        return result

    @staticmethod
    def _start_read(args, hosts, task_vars):
        """With ``netbox_read``, NetBox read in a thread from now on (the hosts' platforms are
        worked out here: host vars are not for threads)."""
        if args.get("netbox_read") is None:
            return None
        hostvars = task_vars.get("hostvars") or {}
        platforms = dict((host, netbox_intended.platform_of(hostvars[host] if host in hostvars else {}))
                         for host in hosts)
        return NetboxReader(args["netbox_read"], hosts, platforms)

    @staticmethod
    def _netbox(args, task_vars, reader):
        """NetBox's result: read here, named by ``netbox_var`` (read as it is), or given."""
        if reader:
            return reader.result()
        if args.get("netbox_var") is not None:
            value = task_vars.get(args["netbox_var"])
            if not isinstance(value, dict) or not ("netbox_state" in value or value.get("failed")):
                raise AnsibleActionFail("drift_batch: netbox_var %s is not the registered result of netbox_state"
                                        % args["netbox_var"])
            return value
        return args["netbox"]

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

    def _start_collect(self, hosts, task_vars, args):
        """``(pool, {host: registered failure})``: each host's job prepared here (the templar
        is not for threads), then handed to the collectors (``collect_pool``)."""
        if not direct_cli.HAS_PYLIBSSH:
            raise AnsibleActionFail(missing_required_lib("ansible-pylibssh"))
        hostvars = task_vars.get("hostvars") or {}
        failed, jobs = {}, []
        for host in hosts:
            job, failure = self._prepare(host, hostvars.get(host) or {}, task_vars, args)
            if job is None:
                failed[host] = failure
            else:
                jobs.append((host, job))
        for network_os in set(job[3].get("network_os") or job[0] for host, job in jobs):
            direct_cli.DirectCli.preload(network_os)  # the plugin loader is not thread-safe
        for template in set(c["template"] for host, job in jobs for e in job[2] for c in e["candidates"]
                            if c.get("template")):
            ttp_runner.warm(commands.template_text(template))  # compiled once, before the fork
        collect_args = dict((k, args.get(k)) for k in ("snapshot_dir", "run_id", "commands"))
        one = functools.partial(self._collect_one, args=collect_args)
        return collect_pool.start(jobs, one, args["processes"], args["workers"]), failed

    @staticmethod
    def _finish_collect(hosts, pool, failed):
        """``({host: registered result}, {host: outputs}, {host: [warnings]})``."""
        registered, outputs, warnings = dict(failed), {}, dict((h, []) for h in hosts)
        for host, (found, warned) in pool.results().items():
            registered[host] = found
            outputs[host] = found.pop("outputs", None)
            warnings[host].extend(warned)
        return registered, outputs, warnings

    @staticmethod
    def _collect_one(host, job, warn, args):
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
    def _compare(hosts, registered, outputs, args, rules, today, netbox):
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
