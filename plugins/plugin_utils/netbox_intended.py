# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intended state of many hosts from NetBox (controller side), for
``netbox_state`` and for ``drift_batch``, which reads it while it collects.

``read(args, hosts, platforms)`` reads NetBox in bulk (``netbox_fetch``, or
``netbox_cache`` with ``cache_dir``) and builds each device's intended model; it never
raises: a failure is ``{"failed": True, "msg": ...}`` with the token redacted. It
touches no Ansible object (no templar, no host vars: ``platforms`` is worked out by the
caller), so it can run in a thread of its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.intent import intended
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import (
    collector,
    netbox_cache,
    netbox_client,
    netbox_fetch,
)


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


def credentials(args, who):
    """``(url, token)`` from ``args`` or the environment nb_inventory reads; a failure
    result when one is missing."""
    url = args.get("url") or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
    token = args.get("token") or os.environ.get("NETBOX_TOKEN")
    if not url:
        return None, None, {"failed": True, "msg": "%s: no NetBox URL: set url, or NETBOX_API or NETBOX_URL" % who}
    if not token:
        return None, None, {"failed": True, "msg": "%s: no NetBox token: set token, or NETBOX_TOKEN" % who}
    return url, token, None


def probe(args, hosts, who):
    """``None`` when NetBox answers one read of the first of ``hosts`` with this token (one
    request, retried as every read is), else a failure result: a caller that reads the rest
    while it collects knows before touching a device that NetBox is there and readable."""
    url, token, failure = credentials(args, who)
    if failure:
        return failure
    try:
        fetcher = netbox_client.Fetcher(url, token, validate_certs=args.get("validate_certs", True),
                                        timeout=args.get("timeout") or 30, workers=1)
        fetcher.first("dcim/devices", {"name": hosts[0]} if hosts else {}, ("id", "name"))
    except Exception as exc:  # noqa: BLE001 - every failure is a result naming its cause
        return _failure(who, url, token, exc)
    return None


def read(args, hosts, platforms, who="netbox_state"):
    """``{netbox_state, platforms, missing, invalid, stats, netbox_url, api_version[, warnings]}``
    of ``hosts``, or ``{failed, msg}``. ``args``: url, token, validate_certs, timeout,
    page_size, os_version_field, cache_dir, cache_max_age; ``platforms``: ``{host:
    platform or None}`` from the hosts' ``ansible_network_os``."""
    url, token, failure = credentials(args, who)
    if failure:
        return failure
    try:
        fetched = _fetch(url, token, hosts, args)
    except Exception as exc:  # noqa: BLE001 - every failure is a result naming its cause
        return _failure(who, url, token, exc)
    models, invalid = build(fetched, platforms, {"os_version_field": args.get("os_version_field") or
                                                 "software_version"})
    result = {"netbox_state": models, "platforms": dict((name, entry.get("platform")) for name, entry in models.items()),
              "missing": fetched["missing"], "invalid": invalid, "stats": fetched["stats"],
              "netbox_url": fetched["netbox_url"], "api_version": fetched["api_version"]}
    warnings = _warnings(fetched, invalid, token)
    if warnings:
        result["warnings"] = warnings
    return result


def _failure(who, url, token, exc):
    """The failure result of ``exc``: a NetboxFetchError's own message (it names NetBox, the
    path and the cause, token redacted), else anything unforeseen as a message, not a traceback."""
    if isinstance(exc, netbox_client.NetboxFetchError):
        return {"failed": True, "msg": "%s: %s" % (who, exc)}
    return {"failed": True, "msg": "%s: %s" % (who, netbox_client.redact(
        "reading NetBox at %s failed: %s: %s" % (url, type(exc).__name__, exc), token))}


def _fetch(url, token, hosts, args):
    common = dict(validate_certs=args.get("validate_certs", True), timeout=args.get("timeout") or 30,
                  page_size=args.get("page_size") or 1000)
    if args.get("cache_dir"):
        return netbox_cache.fetch(url, token, hosts, args["cache_dir"], max_age=args.get("cache_max_age", 86400),
                                  **common)
    return netbox_fetch.fetch(url, token, hosts, **common)


def build(fetched, platforms, options):
    """``({name: intended model}, {name: why it was left out})``."""
    models, invalid = {}, {}
    for name, ids in sorted(fetched["duplicates"].items()):
        invalid[name] = "%d devices have this name in NetBox (ids %s)" % (len(ids), ", ".join(str(i) for i in ids))
    for name in sorted(fetched["devices"]):
        try:
            models[name] = intended.build(name, fetched, platforms.get(name), options)
        except intended.IntendedError as exc:
            invalid[name] = str(exc)
    return models, invalid


def _warnings(fetched, invalid, token):
    warnings = []
    if fetched["missing"]:
        warnings.append("%d host(s) not in NetBox at %s: %s" % (
            len(fetched["missing"]), fetched["netbox_url"], ", ".join(fetched["missing"])))
    for name, reason in sorted(invalid.items()):
        warnings.append("%s: left out: %s" % (name, reason))
    if fetched["stats"].get("cache_error"):
        warnings.append("the NetBox cache was not kept, the next run reads in full: %s"
                        % netbox_client.redact(fetched["stats"]["cache_error"], token))
    return warnings
