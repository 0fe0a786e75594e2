# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The breadth-first crawl: which neighbour to log into next, and why not the others.

The caller (the action) drives it::

    crawl = Crawl(allow=["10.0.0.0/8"], depth=2, credentials=[{name, platform, prefixes, port}])
    crawl.add_seed("sw1", state)                 # each inventory device's model
    while crawl.open():
        crawl.learn(*netbox_answers(crawl.lookups()))   # addresses and MACs NetBox must be asked
        for target in crawl.next_level():        # {number, address, port, platform, credential}
            crawl.reached(target["number"], model) or crawl.failed(target["number"], reason)
    crawl.result()                               # drift records and the log

Seeds are at depth 0 and what they see at depth 1. Each ``next_level`` decides every
candidate of the next depth, in order of depth then first sighting: a candidate NetBox
knows (``netbox.Index.match``) or that is an inventory device is not followed and gives
no record; one beyond ``depth``, without a management address inside the allowed
prefixes (``allow``), whose address was already logged into for another, with no
credential that applies to it, or past ``limit`` logins is not followed, with that
reason; the others are returned as targets, one login each. Only addresses inside the
allowed prefixes are ever returned (checked again here, whatever called it), and only
with a credential the user named: the first entry whose prefixes hold the address and
whose ``description`` pattern, if any, matches what the neighbours advertise. Nothing
is guessed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import allow, identity
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import netbox as nb
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.discovery import records

LOGIN = "login"


class CrawlError(Exception):
    """Settings the crawl cannot use, or calls out of order."""


def credentials_of(entries):
    """The credential entries without their secrets: ``[{name, platform, port, prefixes,
    description}]``; raises CrawlError naming a bad entry."""
    found = []
    for index, entry in enumerate(entries or []):
        where = "discover_credentials[%d]" % index
        if not isinstance(entry, dict) or not entry.get("platform"):
            raise CrawlError("%s needs a platform (the network OS its devices run)" % where)
        try:
            nets = allow.prefixes(entry.get("prefixes") or [], where + ".prefixes")
            pattern = re.compile(str(entry["description"])) if entry.get("description") else None
        except (allow.AllowError, re.error) as exc:
            raise CrawlError("%s: %s" % (where, exc))
        found.append({"name": str(entry.get("name") or "#%d" % index), "platform": str(entry["platform"]),
                      "port": int(entry.get("port") or 22), "prefixes": nets, "description": pattern})
    return found


class Crawl(object):
    """One discovery run (see the module docstring)."""

    def __init__(self, allow_list, depth, credentials=(), limit=50, role=None, index=None):
        try:
            self.networks = allow.prefixes(allow_list)
        except allow.AllowError as exc:
            raise CrawlError(str(exc))
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise CrawlError("discover_depth must be 0 or more, got %r" % (depth,))
        self.depth, self.limit, self.role = depth, int(limit), role
        self.credentials = credentials_of(credentials)
        self.index = index or nb.Index()
        self.registry = identity.Registry()
        self.seeds = {}      # inventory name -> {"state", "error", "names", "serial"}
        self.decided = {}    # number -> ("known", (kind, name, how)) | ("not followed", reason) | (LOGIN, None)
        self.logins = {}     # candidate number -> {"address", "port", "platform", "credential", "state"|"error"}
        self.tried = {}      # address -> candidate number logged into for it
        self.targets = {}    # candidate number -> the target next_level gave for it
        self.tables = 0      # neighbour tables read (seeds and logins)
        self.level = 0
        self.anonymous = 0   # neighbours that give nothing to tell them apart

    # -- input ----------------------------------------------------------------------
    def _see(self, seer, depth, neighbors):
        for neighbor in neighbors or []:
            item = identity.sighting(seer[1] if seer[0] == "seed" else self.name_of(seer[1]), depth, neighbor)
            item["seer"] = list(seer)
            if self.registry.add(item) is None:
                self.anonymous += 1
        self._carry_merges()

    def add_seed(self, name, state, error=None):
        """An inventory device and its device model (None when none was collected)."""
        state = state if isinstance(state, dict) else None
        facts = (state or {}).get("facts") or {}
        names = set(n for n in (identity.name_key(name), identity.name_key(facts.get("hostname"))) if n)
        verified = bool(state) and m.section_ok(state, "neighbors") and state.get("neighbors") is not None
        unreached = not state or not any(m.section_ok(state, s) for s in m.SECTIONS)
        self.seeds[name] = {"names": names, "serial": str(facts.get("serial") or "").strip().lower() or None,
                            "error": error or (self._why(state) if unreached else None), "reached": not unreached,
                            "neighbors": verified}
        if verified:
            self.tables += 1
            self._see(("seed", name), 1, state["neighbors"])

    @staticmethod
    def _why(state):
        if not state:
            return "no device state was collected"
        errors = m.errors(state)
        return errors[0] if errors else "nothing could be read"

    def _carry_merges(self):
        for gone, into in self.registry.merged.items():
            for table in (self.decided, self.logins, self.targets):
                if gone in table and into not in table:
                    table[into] = table.pop(gone)
                table.pop(gone, None)
            for address, number in self.tried.items():
                if number == gone:
                    self.tried[address] = into
        self.registry.merged.clear()

    # -- NetBox ---------------------------------------------------------------------
    def lookups(self):
        """``{"addresses": [...], "macs": [...]}`` NetBox must be asked about before ``next_level``."""
        addresses, chassis = set(), set()
        for candidate in self.registry.candidates:
            addresses |= candidate.addresses
            chassis |= candidate.chassis
        wanted, macs = self.index.pending(addresses, chassis)
        return {"addresses": wanted, "macs": macs}

    def learn(self, addresses=None, macs=None):
        self.index.learn(addresses, macs)

    def known(self, candidate):
        """``(kind, name, matched on)`` when the candidate is an inventory device (kind
        ``inventory``) or a NetBox device (``netbox``), else None."""
        for name, seed in sorted(self.seeds.items()):
            if candidate.names & seed["names"] or (seed["serial"] and seed["serial"] in self._serials(candidate)):
                return "inventory", name, "name" if candidate.names & seed["names"] else "serial"
        device, how = self.index.match(candidate.chassis, candidate.addresses, candidate.names, self._serials(candidate))
        if device is not None:
            return "netbox", device["name"], how
        return None

    def _serials(self, candidate):
        state = (self.logins.get(candidate.number) or {}).get("state") or {}
        serial = str((state.get("facts") or {}).get("serial") or "").strip().lower()
        return set([serial]) if serial else set()

    # -- the crawl ------------------------------------------------------------------
    def open(self):
        """Whether some candidate is still undecided."""
        return any(c.number not in self.decided for c in self.registry.candidates)

    def next_level(self):
        """Decide every candidate up to the next depth; the logins to make (see the module docstring)."""
        if any(self.lookups().values()):
            raise CrawlError("NetBox has not been asked about every address and MAC seen (lookups, then learn)")
        self.level += 1
        targets = []
        for candidate in sorted((c for c in self.registry.candidates if c.number not in self.decided),
                                key=lambda c: (c.depth, c.number)):
            if candidate.depth > self.level:
                continue
            known = self.known(candidate)
            if known:
                self.decided[candidate.number] = ("known", known)
                continue
            target, reason = self._target(candidate, len(targets))
            self.decided[candidate.number] = (LOGIN, None) if target else ("not followed", reason)
            if target:
                self.tried[target["address"]] = candidate.number
                self.targets[candidate.number] = target
                targets.append(target)
        return targets

    def _target(self, candidate, planned):
        if candidate.depth > self.depth:
            return None, "it is %d hops from the inventory's devices, beyond discover_depth %d" % (
                candidate.depth, self.depth)
        address, reason = self._address(candidate)
        if address is None:
            return None, reason
        if address in self.tried:
            return None, "%s was logged into already, for %s" % (address, self.name_of(self.tried[address]))
        chosen = self._credential(address, candidate)
        if chosen is None:
            return None, "no entry of discover_credentials applies to %s; nothing is tried without one" % address
        if len(self.logins) + planned >= self.limit:
            return None, "the limit of %d logins (discover_limit) was reached" % self.limit
        if not allow.contains(self.networks, address):  # never, whatever _address says
            raise CrawlError("refusing %s: outside discover_allow" % address)
        cred = self.credentials[chosen]
        return {"number": candidate.number, "name": self.name_of(candidate.number), "address": address,
                "port": cred["port"], "platform": cred["platform"], "credential": chosen,
                "depth": candidate.depth}, None

    def _address(self, candidate):
        """``(address to log into, None)`` or ``(None, why not)``."""
        inside = sorted((a for a in candidate.addresses if allow.contains(self.networks, a)),
                        key=lambda a: (allow.address(a).version, allow.address(a)))
        if inside:
            return inside[0], None
        raws = [s["address"] for s in candidate.sightings if s.get("address")]
        return None, allow.decide(raws[0] if raws else None, self.networks)[1]

    def _credential(self, address, candidate):
        texts = [s.get("description") or "" for s in candidate.sightings] + [s.get("name") or "" for s in candidate.sightings]
        for index, cred in enumerate(self.credentials):
            if cred["prefixes"] and not allow.contains(cred["prefixes"], address):
                continue
            if cred["description"] and not any(cred["description"].search(text) for text in texts):
                continue
            return index
        return None

    def _candidate(self, number):
        for candidate in self.registry.candidates:
            if candidate.number == number:
                return candidate
        raise CrawlError("no candidate %r" % (number,))

    def reached(self, number, state):
        """A login's device model: its hostname and serial join the candidate, its neighbours are
        seen one hop further."""
        candidate = self._candidate(number)
        login = self._login(number)
        login["state"] = state
        facts = state.get("facts") or {}
        candidate.add_name(facts.get("hostname"))
        known = self.known(candidate)
        if known:
            self.decided[number] = ("known", known)
        if m.section_ok(state, "neighbors") and state.get("neighbors") is not None:
            self.tables += 1
            self._see(("candidate", number), candidate.depth + 1, state["neighbors"])

    def failed(self, number, reason):
        """A login that did not work: the candidate is reported with what its neighbours advertise."""
        self._candidate(number)
        self._login(number)["error"] = str(reason)

    def _login(self, number):
        if self.decided.get(number, (None,))[0] != LOGIN or number in self.logins:
            raise CrawlError("candidate %r was not a target of this crawl, or was logged into already" % (number,))
        target = self.targets[number]
        self.logins[number] = {"address": target["address"], "port": target["port"], "platform": target["platform"],
                               "credential": self.credentials[target["credential"]]["name"]}
        return self.logins[number]

    def name_of(self, number):
        return records.best_name(self._candidate(number), self.logins.get(number))

    # -- output ---------------------------------------------------------------------
    def result(self):
        """``{"records": [raw drift records], "log": {...}}``; see ``records``."""
        return records.build(self)
