# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is written is what was reviewed: digests that bind a plan's changes to their
approval.

Each planned change carries ``digest``, the SHA-256 of exactly what it will write and
what it was planned against (``CONTENT``: its IDs, object, module, module parameters,
before and after), in canonical JSON. The plan carries ``digest`` too, over the
NetBox it is for, its run and every change's ID and digest. ``plan.md`` shows the
first ``SHORT`` hex digits next to each change ID (``c-<drift id>@<digest>``) and the
plan digest in full.

``check(plan)`` recomputes them all: a plan whose content no longer matches its
digests (edited after it was made) raises ``DigestError`` naming the changes, and
the apply step writes nothing. Someone who edits ``plan.json`` can recompute the
digests as well, so an approval must also name the digest its reviewer saw: each
approved change ID with its digest (``c-6c1e0b9a52d4@3f9a0c1b2d4e``), or the plan
digest for the whole approval (``all``, devices, bare IDs). ``bound(entry)`` splits
an approval entry; ``matches(given, digest)`` compares a shown prefix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

CONTENT = ("change_id", "drift_id", "group", "device", "kind", "key", "field", "action", "module", "data",
           "object", "before", "after")
SHORT = 12  # hex digits shown in plan.md; an approval may give 12 to 64
_HEX = re.compile(r"^[0-9a-f]{%d,64}$" % SHORT)


class DigestError(Exception):
    """A plan or an approval whose digests do not match the plan's content."""


def _sha(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def change_digest(change):
    """SHA-256 (hex) of what ``change`` writes and was planned against."""
    return _sha(dict((name, change.get(name)) for name in CONTENT))


def plan_digest(plan):
    """SHA-256 (hex) of the plan's NetBox, run and every change's ID and digest, in order."""
    return _sha({"netbox_url": plan.get("netbox_url"), "report_run": plan.get("report_run"),
                 "changes": [[c.get("change_id"), change_digest(c)] for c in plan.get("changes") or []]})


def seal(plan):
    """Give every change and the plan their digest (in place); the plan."""
    for change in plan["changes"]:
        change["digest"] = change_digest(change)
    plan["digest"] = plan_digest(plan)
    return plan


def short(digest):
    return str(digest or "")[:SHORT]


def check(plan):
    """Raise ``DigestError`` unless every change and the plan match their digests."""
    edited = []
    for change in plan.get("changes") or []:
        if not isinstance(change, dict):
            raise DigestError("the plan holds a change that is not a mapping")
        now = change_digest(change)
        if change.get("digest") != now:
            edited.append("%s (digest %s, its content gives %s)" % (
                change.get("change_id"), short(change.get("digest")) or "missing", short(now)))
    if edited:
        raise DigestError("the content of %d change(s) no longer matches the digest planned for it, so the plan "
                          "was changed after it was made: %s; plan again and review the new plan"
                          % (len(edited), "; ".join(edited)))
    if plan.get("digest") != plan_digest(plan):
        raise DigestError("the plan's digest does not match its changes (%s planned, %s now): the plan was "
                          "changed after it was made; plan again and review the new plan"
                          % (short(plan.get("digest")) or "none", short(plan_digest(plan))))


def bound(entry):
    """``(change or group ID, digest or None)`` of an approval entry ``c-...@<hex>``."""
    name, sep, digest = str(entry).partition("@")
    if not sep:
        return name, None
    digest = digest.strip().lower()
    if not _HEX.match(digest):
        raise DigestError("approval %r: the digest after @ must be %d to 64 hex digits as plan.md shows it"
                          % (entry, SHORT))
    return name.strip(), digest


def matches(given, digest):
    """Whether the digest ``given`` (a prefix of at least SHORT hex digits) is ``digest``."""
    given = str(given or "").strip().lower()
    return bool(_HEX.match(given)) and str(digest or "").startswith(given)
