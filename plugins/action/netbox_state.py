# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended state of every host of the play, read from NetBox in bulk."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml
from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended
from ansible_collections.truthloop.netbox_drift.plugins.modules.netbox_state import DOCUMENTATION
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import (
    collector,
    netbox_cache,
    netbox_client,
    netbox_fetch,
)


def _documentation():
    """The module documentation with the token marked no_log for the validation
    (module documentation has no no_log key)."""
    doc = yaml.safe_load(DOCUMENTATION)
    doc["options"]["token"]["no_log"] = True
    return yaml.safe_dump(doc)


def platform_of(hostvars):
    """The collection's platform name for a host's ``ansible_network_os``, or None."""
    network_os = (hostvars or {}).get("ansible_network_os")
    if not network_os:
        return None
    try:
        specs = collector.platform_specs()
    except Exception:  # the platform files are optional here: NetBox's slug is used instead
        return None
    for platform, spec in specs.items():
        if network_os == platform or network_os in spec.get("network_os", []):
            return platform
    return None


class ActionModule(ActionBase):
    """NetBox's view of many devices, in a number of requests that does not grow with them."""

    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = collector.validate(self._task.args, _documentation(), "netbox_state")
        if not netbox_client.HAS_PYNETBOX:
            raise AnsibleActionFail(missing_required_lib("pynetbox"))
        url = args.get("url") or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
        token = args.get("token") or os.environ.get("NETBOX_TOKEN")
        if not url:
            raise AnsibleActionFail("netbox_state: no NetBox URL: set url, or NETBOX_API or NETBOX_URL")
        if not token:
            raise AnsibleActionFail("netbox_state: no NetBox token: set token, or NETBOX_TOKEN")
        hosts = args.get("hosts")
        if hosts is None:
            hosts = task_vars.get("ansible_play_hosts_all") or []
        hosts = list(dict.fromkeys(str(h) for h in hosts))
        try:
            if args.get("cache_dir"):
                fetched = netbox_cache.fetch(url, token, hosts, args["cache_dir"], max_age=args["cache_max_age"],
                                             validate_certs=args["validate_certs"], timeout=args["timeout"],
                                             page_size=args["page_size"])
            else:
                fetched = netbox_fetch.fetch(url, token, hosts, validate_certs=args["validate_certs"],
                                             timeout=args["timeout"], page_size=args["page_size"])
        except netbox_client.NetboxFetchError as exc:
            result.update(failed=True, msg="netbox_state: %s" % exc)
            return result
        except Exception as exc:  # anything unforeseen: a message, not a traceback
            message = netbox_client.redact("reading NetBox at %s failed: %s: %s" % (
                url, type(exc).__name__, exc), token)
            result.update(failed=True, msg="netbox_state: %s" % message)
            return result

        all_hostvars = task_vars.get("hostvars") or {}
        options = {"os_version_field": args["os_version_field"]}
        models, invalid = {}, {}
        for name, ids in sorted(fetched["duplicates"].items()):
            invalid[name] = "%d devices have this name in NetBox (ids %s)" % (
                len(ids), ", ".join(str(i) for i in ids))
        for name in sorted(fetched["devices"]):
            try:
                hostvars = all_hostvars[name] if name in all_hostvars else {}
                models[name] = intended.build(name, fetched, platform_of(hostvars), options)
            except intended.IntendedError as exc:
                invalid[name] = str(exc)
        warnings = []
        if fetched["missing"]:
            warnings.append("%d host(s) not in NetBox at %s: %s" % (
                len(fetched["missing"]), fetched["netbox_url"], ", ".join(fetched["missing"])))
        for name, reason in sorted(invalid.items()):
            warnings.append("%s: left out: %s" % (name, reason))
        if fetched["stats"].get("cache_error"):
            warnings.append("the NetBox cache was not kept, the next run reads in full: %s"
                            % netbox_client.redact(fetched["stats"]["cache_error"], token))
        if warnings:
            result["warnings"] = warnings
        platforms = dict((name, entry.get("platform")) for name, entry in models.items())
        result.update(changed=False, netbox_state=models, platforms=platforms, missing=fetched["missing"], invalid=invalid,
                      stats=fetched["stats"], netbox_url=fetched["netbox_url"],
                      api_version=fetched["api_version"])
        return result
