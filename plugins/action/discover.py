# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery: the crawl of ``module_utils/discovery`` driven with real connections.

The engine decides every step (order, de-duplication, NetBox knowledge, the allow-list,
the credential); this opens the sessions it is told to, to addresses that are not
inventory hosts, as the fast path does (``fast_collect``: one ``DirectCli`` session, the
platform's command plan with its fallbacks, parsed), the logins of one level in threads
(waiting on a device releases the GIL), and reads NetBox. Before each connection the
address is checked against the allow-list once more. The engine is told what came of
each login in this thread, in the order it gave the targets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time
from concurrent.futures import ThreadPoolExecutor

import yaml
from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import allow
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import crawl as engine
from ansible_collections.truthloop.netbox_drift.plugins.modules.discover import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector, direct_cli, fast_collect, host_key
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import host_options, netbox_client, netbox_discover

SECRETS = ("password", "become_password")


def _documentation():
    """The documentation with the token and the credentials' secrets marked no_log."""
    doc = yaml.safe_load(DOCUMENTATION)
    doc["options"]["token"]["no_log"] = True
    for name in SECRETS:
        doc["options"]["credentials"]["suboptions"][name]["no_log"] = True
    return yaml.safe_dump(doc)


def seed_of(registered):
    """``(device model or None, why it could not be collected or None)`` of a registered
    device state task result."""
    if not isinstance(registered, dict):
        return None, "the device state task gave no result"
    state = registered.get("device_state")
    error = registered.get("collect_error")
    if registered.get("unreachable"):
        error = "unreachable: %s" % (registered.get("msg") or "")
    elif not isinstance(state, dict) and not error:
        error = registered.get("msg") or "the device state task gave no result"
    return (state if isinstance(state, dict) and "sections" in state else None), error


def platform_of(value):
    """The collection's platform for a credential's ``platform`` (a platform or a network OS)."""
    for platform, spec in collector.platform_specs().items():
        if value == platform or value in spec.get("network_os", []):
            return platform
    return None


def scrub(value, secrets):
    """``value`` with every secret replaced in every string."""
    if isinstance(value, dict):
        return dict((k, scrub(v, secrets)) for k, v in value.items())
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "********")
    return value


class ActionModule(ActionBase):
    """Crawl, connect where the engine says, read NetBox, finish the records with the policy."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = collector.validate(self._task.args, _documentation(), "discover")
        secrets = [s for s in [args.get("token") or os.environ.get("NETBOX_TOKEN")]
                   + [c.get(k) for c in args["credentials"] for k in SECRETS] if s and len(s) >= 4]
        try:
            result.update(self._discover(args, task_vars))
        except (engine.CrawlError, policy.PolicyError, netbox_client.NetboxFetchError) as exc:
            result.update(failed=True, changed=False, msg="discover: %s" % exc)
        return scrub(result, secrets)

    def _check(self, args):
        collector.check_libraries()
        if not direct_cli.HAS_PYLIBSSH:
            raise AnsibleActionFail(missing_required_lib("ansible-pylibssh"))
        if not netbox_client.HAS_PYNETBOX:
            raise AnsibleActionFail(missing_required_lib("pynetbox"))
        for index, cred in enumerate(args["credentials"]):
            if platform_of(cred["platform"]) is None:
                raise AnsibleActionFail("discover: credentials[%d]: unknown platform %r (supported: %s)" % (
                    index, cred["platform"], ", ".join(sorted(collector.platform_specs()))))
            if not (cred.get("password") or cred.get("private_key_file")):
                raise AnsibleActionFail("discover: credentials[%d] has neither a password nor a private_key_file"
                                        % index)

    def _discover(self, args, task_vars):
        self._check(args)
        started = time.monotonic()
        url = args.get("url") or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
        token = args.get("token") or os.environ.get("NETBOX_TOKEN")
        if not url or not token:
            raise AnsibleActionFail("discover: no NetBox URL or token: set url and token, or NETBOX_API and NETBOX_TOKEN")
        rules = policy.load(args["policy"])
        fetcher = netbox_discover.connect(url, token, args["validate_certs"], args["timeout"])
        creds = [dict(c, platform=platform_of(c["platform"])) for c in args["credentials"]]
        crawl = engine.Crawl(args["allow"], args["depth"], creds, limit=args["limit"], role=args.get("role"),
                             index=netbox_discover.read_index(fetcher))
        timing = {"netbox_s": time.monotonic() - started}
        hostvars = task_vars.get("hostvars") or {}
        hosts = args.get("hosts") if args.get("hosts") is not None else task_vars.get("ansible_play_hosts_all") or []
        given = args.get("states")
        for host in hosts:
            registered = given.get(host) if given is not None else (hostvars.get(host) or {}).get(args["state_var"])
            state, error = seed_of(registered)
            crawl.add_seed(host, state, error)
        for cred in creds:
            direct_cli.DirectCli.preload(cred["platform"])  # the plugin loader is not thread-safe
        timing["seeds_s"] = time.monotonic() - started - timing["netbox_s"]
        timing["logins_s"] = 0.0
        while crawl.open():
            mark = time.monotonic()
            wanted = crawl.lookups()
            crawl.learn(*netbox_discover.lookup(fetcher, wanted["addresses"], wanted["macs"]))
            timing["netbox_s"] += time.monotonic() - mark
            targets = crawl.next_level()
            mark = time.monotonic()
            for target, (state, error) in zip(targets, self._logins(crawl, targets, creds, args)):
                if state is None:
                    crawl.failed(target["number"], error)
                else:
                    crawl.reached(target["number"], state)
            timing["logins_s"] += time.monotonic() - mark
        found = crawl.result()
        records = []
        for rec in found["records"]:
            records.extend(policy.finish([rec], rec["device"], rules)[0])
        log = dict(found["log"], seconds=round(time.monotonic() - started, 3),
                   timing=dict((k, round(v, 3)) for k, v in timing.items()),
                   netbox={"requests": fetcher.session.requests, "by_endpoint": dict(fetcher.session.by_endpoint)})
        missing = [r for r in records if r["class"] == "missing_in_netbox"]
        reached = [a for a in log["attempts"] if a["result"] == "ok"]
        msg = ("%d device(s) seen that NetBox does not know (%d logged into), %d NetBox device(s) nobody sees; "
               "%d login(s), all inside discover_allow, in %.1fs" % (
                   len(missing), len(reached), len(records) - len(missing), len(log["attempts"]), log["seconds"]))
        return {"changed": False, "discovery": {"records": records, "log": log}, "msg": msg,
                "netbox_url": fetcher.ui_base.rstrip("/")}

    def _logins(self, crawl, targets, creds, args):
        """``[(device model, None) | (None, why)]`` of one level's targets, in their order."""
        for target in targets:  # the engine said so; checked again anyway, before any connection
            if not allow.contains(crawl.networks, target["address"]):
                raise AnsibleActionFail("discover: refusing to connect to %s, outside allow" % target["address"])
        jobs = [(target, self._options(target, creds[target["credential"]], args)) for target in targets]
        if not jobs:
            return []
        with ThreadPoolExecutor(max_workers=max(1, min(args["workers"], len(jobs)))) as pool:
            return list(pool.map(lambda job: self._login(*job), jobs))

    @staticmethod
    def _options(target, cred, args):
        """DirectCli's options for a target, with the credential the engine chose."""
        checking, auto_add = cred.get("host_key_checking"), cred["host_key_auto_add"]
        if checking is None:  # as network_cli with libssh would decide (environment, ansible.cfg)
            checking, default_add = host_options.host_key_settings({})
            auto_add = auto_add or default_add
        return {"host": target["address"], "port": target["port"], "username": cred["username"],
                "password": cred.get("password"), "network_os": target["platform"], "become": cred["become"],
                "become_password": cred.get("become_password"), "connect_timeout": args["connect_timeout"],
                "command_timeout": args["command_timeout"], "host_key_checking": checking,
                "host_key_auto_add": auto_add, "known_hosts_file": host_key.default_known_hosts(),
                "private_key_file": cred.get("private_key_file")}

    @staticmethod
    def _login(target, options):
        """One discovered device read over one direct session, as the fast path reads a host."""
        spec = collector.platform_specs()[target["platform"]]
        try:
            entries = collector.plan(target["name"], target["platform"], spec, {})
            found = fast_collect.collect_host(target["name"], target["platform"], spec, entries, options, {},
                                              lambda message: None)
        except Exception as exc:  # one device's surprise: that device not read, the others go on
            return None, "%s: reading it failed: %s: %s" % (target["address"], type(exc).__name__, exc)
        if found.get("collect_error"):
            return None, found["collect_error"]
        return found["device_state"], None
