# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host's comparison with NetBox, as the per-host action (``drift_compare``) and the
batch of a whole run (``drift_batch``) both make it: the device model against the
intended model, policy, evidence, changes since the previous snapshot.

``compare_host(host, registered, intended, args, rules, today, outputs)`` returns the
host's entry of the report (``report.device_result``); ``CompareFailed`` names the host
and the cause when the inputs cannot be compared. ``args`` are drift_compare's
arguments (peers, netbox_error, report_unknown_neighbors, snapshot_dir, previous,
commands); ``outputs`` the raw outputs when the caller has them in memory, else they
are read back from the registered result's snapshot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise, snapshot
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import (
    changes,
    compare,
    evidence,
    far_end,
    policy,
)
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import (
    report,
    report_diff,
    report_slices,
    topology,
)
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collector


class CompareFailed(Exception):
    """Inputs that cannot be compared (the message names the host)."""


def state_of(host, registered):
    """The device model from a registered collector result, or an all-unverified one."""
    if "sections" in registered and "device" in registered:
        return registered
    state = registered.get("device_state")
    if isinstance(state, dict) and "sections" in state:
        return state
    reason = registered.get("msg") or "the device state task gave no result"
    if registered.get("unreachable"):
        reason = "unreachable: %s" % reason
    if registered.get("skipped"):
        reason = "the device state task was skipped"
    failed = model.new_device(host, None)
    for name in model.SECTIONS:
        model.fail_section(failed, name, str(reason))
    return failed


def _spec(platform):
    return collector.platform_specs().get(platform) if platform else None


def outputs_of(registered):
    path = registered.get("snapshot") or registered.get("source")
    if not path:
        return {}
    try:
        return snapshot.read_outputs(path)[0]
    except snapshot.SnapshotError:
        return {}


def _previous(host, state, args, spec):
    run_id = (state.get("collected") or {}).get("run_id")
    if not (args["previous"] and args.get("snapshot_dir") and run_id and spec):
        return None
    path = snapshot.previous(args["snapshot_dir"], host, run_id)
    if path is None:
        return None
    try:
        outputs, manifest = snapshot.read_outputs(path)
    except snapshot.SnapshotError:
        return None
    try:  # the previous run read with the same commands as this one (fallbacks, a user's list)
        entries = collector.plan(host, state["platform"], spec, args)
        before = normalise.build(host, state["platform"], outputs, spec=spec, plan=entries)
    except (collector.InvalidCommands, normalise.PlatformError) as exc:
        return {"previous_run": (manifest or {}).get("run_id"), "changes": None,
                "error": "the previous run could not be read again: %s" % exc}
    return {"previous_run": (manifest or {}).get("run_id"), "changes": changes.diff(before, state)}


def add_evidence(records, intended, state, outputs, spec):
    device_names = dict((k.lower(), k) for k in (state.get("interfaces") or {}))
    for rec in records:
        obj = rec.pop("netbox_object", None)
        found = {"command": None, "template": None, "device_lines": []}
        if spec and outputs:
            found = evidence.collect(rec, outputs, spec, state["platform"], device_names.get(str(rec["key"]).lower()),
                                     used=state.get("commands"))
        found["netbox_object"] = obj
        found["netbox_url"] = (obj or {}).get("url") or ((intended or {}).get("netbox") or {}).get("url")
        rec["evidence"] = found


def netbox_facts(intended):
    """What reconciliation needs to know of the device in NetBox: site, primary IP and
    management interfaces (never deleted); and its role, for the report's topology."""
    if not intended:
        return {"site": None, "role": None, "primary_interfaces": [], "mgmt_interfaces": [], "vlan_groups": {}}
    wanted = set(a for a in (intended.get("primary_ip4"), intended.get("primary_ip6")) if a)
    primary = [entry.get("interface") for entry in intended.get("ip_addresses") or ()
               if entry.get("address") in wanted and entry.get("interface")]
    mgmt = [name for name, iface in (intended.get("interfaces") or {}).items() if iface.get("mgmt_only")]
    groups = dict((vid, v["group"]) for vid, v in (intended.get("vlans") or {}).items() if v.get("group"))
    return {"site": (intended.get("netbox") or {}).get("site"), "role": (intended.get("netbox") or {}).get("role"),
            "primary_interfaces": sorted(set(primary)),
            "mgmt_interfaces": sorted(mgmt), "vlan_groups": groups}


def compare_host(host, registered, intended, args, rules, today=None, outputs=None):
    """The host's entry of the report (see the module docstring)."""
    state = state_of(host, registered)
    extra = {"netbox_url": ((intended or {}).get("netbox") or {}).get("url"),
             "collected": state.get("collected")}
    # neighbors and cables feed the far-end check and the topology; the report keeps neither per device
    extra.update(netbox_facts(intended), neighbors=far_end.table(state), cables=topology.cables_of(intended))
    skipped = policy.device_skipped(host, ((intended or {}).get("netbox") or {}).get("tags"), rules)
    if skipped:
        return report.skipped_result(host, state.get("platform"), skipped, **extra)
    spec = _spec(state.get("platform"))
    options = dict((key, rules[key]) for key in policy.COMPARE_OPTIONS)
    options.update({
        "netbox_error": args.get("netbox_error"),
        "kinds": rules["kinds"],
        "ignore_tag": rules["ignore_tag"],
        "known_devices": sorted(args["peers"]),
        "device_platforms": dict((k.lower(), v) for k, v in args["peers"].items()),
        "report_unknown_neighbors": args["report_unknown_neighbors"],
        "defer_peers": bool(args.get("defer_peers")),
        "known_platforms": sorted(collector.platform_specs()),
        "platform_defaults": dict((spec or {}).get("defaults") or {}),
    })
    try:
        compared = compare.compare(intended, state, options)
        records, ignored = policy.finish(compared["drift"], host, rules, today)
    except (compare.CompareError, policy.PolicyError, ValueError, KeyError, TypeError) as exc:
        raise CompareFailed("%s: cannot compare with NetBox: %s" % (host, exc))
    add_evidence(records, intended, state, outputs_of(registered) if outputs is None else outputs, spec)
    extra["ignored"] = ignored
    if args.get("defer_peers"):  # deferred records the policy ignored: the merge may find they never were
        extra["ignored_pending"] = report_slices.ignored_pending(host, compared["drift"], records)
    extra["notes"] = compared.get("notes") or {}
    extra["changes_since_previous"] = _previous(host, state, args, spec)
    return report.device_result(host, state.get("platform"), compared, records, **extra)


def outcome(host, entry, diff=False):
    """What a host's task returns for its entry: changed, the one-line message, the diff."""
    result = {"device_drift": entry, "changed": entry["drift"] > 0,
              "msg": "%s: %s, %d drift, %d waived" % (host, entry.get("label") or entry["status"], entry["drift"],
                                                      entry["waived"])}
    if entry["drift"] and diff:
        result["diff"] = report_diff.host_diff(host, entry["records"])
    return result
