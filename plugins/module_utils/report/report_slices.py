# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A run in slices (AWX job slicing, or several ``ansible-playbook`` runs over parts of
one inventory) and the merge that makes the run's one report from them.

Each slice writes ``slice_doc(...)``: its hosts' per-device results exactly as the
comparison gave them, before the far-end check (so each keeps its ``neighbors`` rows),
with the run's settings and the slice's devices found in NetBox (``peers``). A cable
whose two ends fell into different slices can only be judged once every slice is in:
each slice compared its cables with ``defer_peers`` (``compare_cables``), and
``merge(docs, run_id, hosts, slices)`` validates the slices (same run, same settings, no
host in two slices), judges the deferred cable records against every slice's devices,
adds an unverified result for every expected host that no slice holds, and returns what
``report.assemble`` takes, which then checks every cable from its far end. The report of
a merged run is made by the same code, from the same per-device results, as the report
of the run unsliced.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import compare_cables
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy as p

SCHEMA = "truthloop.netbox_drift/drift-slice"
VERSION = 1
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# what every slice of one run must agree on: the report's settings and the gate
AGREE_RUN = ("netbox_url", "fail_on", "threshold", "settings")
AGREE_DOC = ("severity", "formats")
RESULT_KEYS = ("device", "status", "records")


class SliceError(Exception):
    """Slices that cannot make one report."""


def check_name(name, what="slice name"):
    """A slice or run name usable as a file name: letters, digits, ``.``, ``_`` and ``-``."""
    name = str(name or "")
    if not NAME.match(name) or name in (".", ".."):
        raise SliceError("%s %r: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
                         % (what, name))
    return name


def slice_doc(name, run, results, severity=None, formats=None, peers=None):
    """What one slice writes: its per-device results (with ``neighbors``, before the
    far-end check), the run's metadata and settings, and ``peers``, the slice's hosts
    found in NetBox with their platforms (drift_compare's ``peers``)."""
    check_name(name)
    return {"schema": SCHEMA, "version": VERSION, "slice": name, "run": dict(run),
            "severity": dict(severity or {}), "formats": list(formats or []), "peers": dict(peers or {}),
            "hosts": sorted(r["device"] for r in results), "results": list(results)}


def ignored_pending(host, raw_records, kept):
    """The ``peer_check`` of each deferred record of ``host`` that the policy left out of
    ``kept`` (ignored): the merge takes from the ``ignored`` count those the run never had."""
    ids = set(rec["id"] for rec in kept)
    return [raw["peer_check"] for raw in raw_records if raw.get("peer_check")
            and p.drift_id(host, raw["kind"], raw["key"], raw["field"]) not in ids]


def resolve(result, peers):
    """One device's result with its deferred cable records judged against ``peers`` (every
    slice's hosts found in NetBox, with their platforms), its counts and status made again
    the way ``report.device_result`` makes them."""
    pending = result.get("ignored_pending")
    if pending is None and not any("peer_check" in rec for rec in result.get("records") or ()):
        return result
    records, never = compare_cables.resolve_peers([dict(rec) for rec in result["records"]], sorted(peers),
                                                  peers, pending)
    extra = dict((k, v) for k, v in result.items() if k not in (
        "device", "platform", "status", "label", "drift", "waived", "unverified", "records", "ignored_pending"))
    if "ignored" in extra:
        extra["ignored"] -= never
    return report.device_result(result["device"], result["platform"],
                                {"status": result["status"], "unverified": result.get("unverified") or []},
                                records, **extra)


def missing_result(host, reason):
    """The result of a host the run should hold and no slice does: unverified, with why."""
    return {"device": host, "platform": None, "status": "unverified", "label": "unverified", "drift": 0,
            "waived": 0, "unverified": [{"section": "all", "reason": reason}], "records": []}


def _check(doc, where, run_id):
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise SliceError("%s is not a slice of a drift check run (schema %s)" % (where, SCHEMA))
    if doc.get("version") != VERSION:
        raise SliceError("%s has slice format version %r; this collection reads version %d"
                         % (where, doc.get("version"), VERSION))
    run = doc.get("run")
    if not isinstance(run, dict) or str(run.get("id")) != str(run_id):
        raise SliceError("%s belongs to run %r, not %r" % (where, (run or {}).get("id"), run_id))
    check_name(doc.get("slice"))
    results = doc.get("results")
    if not isinstance(results, list) or not all(
            isinstance(r, dict) and all(k in r for k in RESULT_KEYS) for r in results):
        raise SliceError("%s holds no per-device results (each needs %s)" % (where, ", ".join(RESULT_KEYS)))


def _agree(docs):
    """The settings every slice shares; SliceError naming the first that differs."""
    first = docs[0]
    for doc in docs[1:]:
        for key in AGREE_RUN:
            if first["run"].get(key) != doc["run"].get(key):
                raise SliceError("slices %s and %s of run %s were run with different %s (%r, %r): merge slices "
                                 "of one run only" % (first["slice"], doc["slice"], first["run"]["id"], key,
                                                      first["run"].get(key), doc["run"].get(key)))
        for key in AGREE_DOC:
            if first.get(key) != doc.get(key):
                raise SliceError("slices %s and %s of run %s were run with different %s" % (
                    first["slice"], doc["slice"], first["run"]["id"], key))


def merge(docs, run_id, hosts=None, slices=None):
    """One run from its slices: ``docs`` is ``[(where, slice document)]``.

    Returns ``{results, run, severity, formats, missing, problems}``: ``results`` every
    slice's per-device results plus an unverified one for each of ``hosts`` (the hosts
    the run should hold; None: no check) that no slice holds; ``problems`` what makes
    the run incomplete (hosts in no slice, fewer slices than ``slices``). Raises
    SliceError for slices that cannot be merged: none, unreadable, of another run, run
    with other settings, a slice twice, a host in two slices."""
    if not docs:
        raise SliceError("run %s has no slices to merge" % run_id)
    names, owner, results, peers = {}, {}, [], {}
    for where, doc in docs:
        _check(doc, where, run_id)
        if doc["slice"] in names:
            raise SliceError("slice %s of run %s is there twice (%s, %s)" % (doc["slice"], run_id, names[doc["slice"]],
                                                                             where))
        names[doc["slice"]] = where
        peers.update(doc.get("peers") or {})
        for result in doc["results"]:
            host = str(result["device"])
            if host in owner:
                raise SliceError("host %s is in slices %s and %s of run %s: each host belongs to one slice"
                                 % (host, owner[host], doc["slice"], run_id))
            owner[host] = doc["slice"]
            results.append(result)
    ordered = sorted((pair[1] for pair in docs), key=lambda d: d["slice"])
    _agree(ordered)
    results = [resolve(result, peers) for result in results]
    problems, missing = [], []
    found = ", ".join(d["slice"] for d in ordered)
    for host in sorted(set(str(h) for h in hosts or ()) - set(owner)):
        missing.append(host)
        results.append(missing_result(host, "in no slice of run %s (slices found: %s): its slice did not "
                                            "report" % (run_id, found)))
    if missing:
        problems.append("%d host(s) in no slice of run %s: %s" % (
            len(missing), run_id, ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")))
    if slices and len(ordered) != int(slices):
        problems.append("run %s has %d slice(s) (%s), %d expected" % (run_id, len(ordered), found, int(slices)))
    first = ordered[0]
    run = dict((key, first["run"].get(key)) for key in AGREE_RUN)
    starts = [d["run"].get("started") for d in ordered if d["run"].get("started")]
    run.update(id=first["run"]["id"], started=min(starts) if starts else None, slices=[
        {"slice": d["slice"], "hosts": len(d["results"]), "started": d["run"].get("started"),
         "ended": d["run"].get("ended")} for d in ordered])
    return {"results": results, "run": run, "severity": first.get("severity") or {},
            "formats": first.get("formats") or [], "missing": missing, "problems": problems}
