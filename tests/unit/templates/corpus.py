# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field-level agreement of our TTP templates with the ntc-templates test corpus.

Shared by every platform. Stable interface (other tests and ``tools/corpus-agreement.py``
use exactly these names):

* ``platforms()``: the platforms that have a ``corpus_<platform>.yml`` mapping file here;
* ``load_mapping(platform)``: that mapping file as a dict;
* ``evaluate(platform)``: ``{ntc_folder: Agreement}``, one per mapped command;
* ``evaluate_all()``: ``{platform: {ntc_folder: Agreement}}``;
* ``Agreement``: ``platform``, ``folder``, ``command``, ``matched``, ``compared``,
  ``ratio`` (1.0 when nothing was compared), ``floor``, ``files`` and
  ``disagreements`` (list of ``Disagreement``: file, key, field, ours, theirs, why);
* ``TRANSFORMS``: name -> function, applied to both sides before comparison.

Fixtures: ``tests/unit/fixtures/corpus/<platform>/<ntc_folder>/*.raw`` with the ntc
expected parse beside each as ``*.yml`` (``parsed_sample:`` list of records, all strings).

Mapping file ``tests/unit/templates/corpus_<platform>.yml``::

    platform: cisco_ios
    commands:
      show_interfaces_status:          # ntc folder name under the platform's fixtures
        command: show interfaces status  # our command (template cisco_ios_show_interfaces_status.ttp)
        section: interfaces            # interfaces | neighbors | vlans | facts
        key: [name, port]              # our field <-> ntc field; omit for facts
        # key_transform: lower         # optional transform applied to both key values
        # pair: first                  # facts: pair our record with the first ntc record (default
        #                              # for facts); "all": with every ntc record
        # ntc_filter: {field: regex}   # optional: only ntc records whose field matches (re.search)
        # skip_files: [name.raw]       # optional: files left out (say why in a comment)
        floor: 1.0                     # test_corpus_agreement asserts ratio >= floor
        fields:
          oper_status: status          # our field: ntc field
          vid: {ntc: vlan_id, transform: int}
          ipv4: {ntc: "{ip_address} {netmask}", transform: first}   # format over ntc fields
          # transform may be a name or a list of names, applied in order to both sides;
          # ours_transform / ntc_transform apply to one side only (after transform).

Comparison rules: a field is compared when at least one side has a value (not None, not
"", not []); it matches when both sides are equal after the transforms. An ntc record
without a partner counts every non-empty mapped field as compared and unmatched (we
missed it); our record without a partner likewise (we invented it). Records with the
same key are paired in order of appearance. Our ``interfaces`` records with the same
name are merged first (the README contract: later records update earlier ones).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib.util
import os
import re
import string
import time
from textwrap import dedent

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "unit", "fixtures", "corpus")
RUNNER_PATH = os.path.join(ROOT, "plugins", "module_utils", "collect", "ttp_runner.py")

_runner = None


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def runner():
    """The collection's ttp_runner module, loaded from its file (no package import needed)."""
    global _runner
    if _runner is None:
        _runner = _load("_corpus_ttp_runner", RUNNER_PATH)
    return _runner


def parse(platform, command, text):
    """Parse a snippet as written indented in a test (dedented, leading newlines dropped)."""
    return runner().parse_command(platform, command, dedent(text).lstrip("\n"))


def fixture(platform, folder, name):
    """A corpus file: ``fixtures/corpus/<platform>/<folder>/<name>``."""
    with open(os.path.join(FIXTURES, platform, folder, name)) as handle:
        return handle.read()


def by_name(result):
    """A parse result's interface records by name."""
    return dict((r["name"], r) for r in result.get("interfaces", []))


NEIGHBOUR_EXTRAS = ("chassis_id", "system_description", "capabilities", "system_capabilities")


def contract(result):
    """A parse result without the neighbour fields added after the first contract
    (chassis_id, system_description, capabilities, system_capabilities): for the tests
    that pin the original fields; the added ones have tests of their own."""
    out = dict(result)
    if isinstance(out.get("neighbors"), list):
        out["neighbors"] = [dict((k, v) for k, v in r.items() if k not in NEIGHBOUR_EXTRAS)
                            for r in out["neighbors"]]
    return out


def platform_spec(platform):
    """The platform's command file (``templates/<platform>.yml``) as a dict."""
    with open(os.path.join(runner().TEMPLATE_DIR, platform + ".yml")) as handle:
        return yaml.safe_load(handle)


def check_platform_file(platform, commands):
    """The platform's command file lists exactly ``commands``, each with a template and
    known sections; returns the file as a dict for platform-specific checks."""
    spec = platform_spec(platform)
    assert spec["commands"] and set(c["command"] for c in spec["commands"]) == set(commands)
    for entry in spec["commands"]:
        assert os.path.exists(runner().template_path(platform, entry["command"]))
        assert set(entry["sections"]) <= {"facts", "interfaces", "vlans", "neighbors"}
    return spec


# loaded by path like this file (tools/corpus-agreement.py does not put this folder on sys.path)
_transforms = _load("_corpus_transforms", os.path.join(HERE, "corpus_transforms.py"))
TRANSFORMS, _apply, _empty = _transforms.TRANSFORMS, _transforms.apply, _transforms.empty


# --------------------------------------------------------------------------- data

class Disagreement(object):
    __slots__ = ("file", "key", "field", "ours", "theirs", "why")

    def __init__(self, file, key, field, ours, theirs, why="differs"):
        self.file = file
        self.key = key
        self.field = field
        self.ours = ours
        self.theirs = theirs
        self.why = why

    def as_dict(self):
        return dict((name, getattr(self, name)) for name in self.__slots__)

    def __repr__(self):
        return "%s [%s] %s: ours=%r ntc=%r (%s)" % (
            self.file, self.key, self.field, self.ours, self.theirs, self.why)


class Agreement(object):
    def __init__(self, platform, folder, command, floor):
        self.platform = platform
        self.folder = folder
        self.command = command
        self.floor = floor
        self.matched = 0
        self.compared = 0
        self.files = []
        self.disagreements = []

    @property
    def ratio(self):
        return float(self.matched) / self.compared if self.compared else 1.0

    def line(self):
        return "%s %s: %d/%d = %.1f%%" % (
            self.platform, self.command, self.matched, self.compared, 100.0 * self.ratio)

    def __repr__(self):
        return "<Agreement %s>" % self.line()


def platforms():
    """Platforms with a mapping file, sorted."""
    names = []
    for path in glob.glob(os.path.join(HERE, "corpus_*.yml")):
        names.append(os.path.basename(path)[len("corpus_"):-len(".yml")])
    return sorted(names)


def load_mapping(platform):
    with open(os.path.join(HERE, "corpus_%s.yml" % platform)) as handle:
        mapping = yaml.safe_load(handle) or {}
    mapping.setdefault("platform", platform)
    mapping.setdefault("commands", {})
    return mapping


def _ntc_value(record, spec):
    if "{" in spec:
        names = [field[1] for field in string.Formatter().parse(spec) if field[1]]
        if any(_empty(record.get(name)) for name in names):
            return None
        return spec.format(**dict((name, record.get(name)) for name in names))
    return record.get(spec)


def _field_specs(fields):
    specs = []
    for ours, spec in (fields or {}).items():
        if isinstance(spec, str):
            spec = {"ntc": spec}
        specs.append((ours, spec))
    return specs


def _merge_records(records, key):
    merged = {}
    order = []
    for record in records:
        name = record.get(key)
        if name is None:
            order.append(record)
            continue
        if name not in merged:
            merged[name] = dict(record)
            order.append(merged[name])
            continue
        target = merged[name]
        for field, value in record.items():
            if isinstance(value, list) and isinstance(target.get(field), list):
                target[field] = target[field] + value
            else:
                target[field] = value
    return order


def _our_records(result, section, key):
    value = result.get(section) if isinstance(result, dict) else None
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    records = [r for r in value if isinstance(r, dict)]
    if section == "interfaces" and key:
        records = _merge_records(records, key)
    return records


def _compare_pair(agreement, fname, label, ours, theirs, specs):
    for field, spec in specs:
        transform = spec.get("transform")
        a = ours.get(field) if ours is not None else None
        b = _ntc_value(theirs, spec["ntc"]) if theirs is not None else None
        if _empty(a) and _empty(b):
            continue
        agreement.compared += 1
        a_t = _apply(spec.get("ours_transform"), _apply(transform, a)) if not _empty(a) else None
        b_t = _apply(spec.get("ntc_transform"), _apply(transform, b)) if not _empty(b) else None
        if a_t == b_t and not _empty(a_t):
            agreement.matched += 1
            continue
        if ours is None:
            why = "record missing in ours"
        elif theirs is None:
            why = "record not in ntc"
        elif _empty(a):
            why = "field missing in ours"
        elif _empty(b):
            why = "field not in ntc"
        else:
            why = "differs"
        agreement.disagreements.append(Disagreement(fname, label, field, a, b, why))


def _key(value, transform):
    """Pairing key: a missing key (None or "") pairs with a missing key, in order."""
    return "" if _empty(value) else _apply(transform, value)


def evaluate_command(platform, folder, spec, fixtures=None):
    """Agreement for one ntc folder of one platform."""
    fixtures = fixtures or FIXTURES
    agreement = Agreement(platform, folder, spec["command"], float(spec.get("floor", 1.0)))
    section = spec["section"]
    key = spec.get("key")
    our_key, ntc_key = (key[0], key[1]) if key else (None, None)
    key_transform = spec.get("key_transform")
    pair_mode = spec.get("pair", "first" if section == "facts" else "key")
    filters = spec.get("ntc_filter") or {}
    skip = set(spec.get("skip_files") or [])
    specs = _field_specs(spec.get("fields"))
    folder_path = os.path.join(fixtures, platform, folder)
    for raw_path in sorted(glob.glob(os.path.join(folder_path, "*.raw"))):
        fname = os.path.basename(raw_path)
        if fname in skip:
            continue
        yml_path = raw_path[:-4] + ".yml"
        if not os.path.exists(yml_path):
            continue
        agreement.files.append(fname)
        with open(raw_path) as handle:
            text = handle.read()
        with open(yml_path) as handle:
            expected = (yaml.safe_load(handle) or {}).get("parsed_sample") or []
        expected = [
            r for r in expected
            if all(re.search(rx, str(r.get(f, ""))) for f, rx in filters.items())
        ]
        try:
            result = runner().parse_command(platform, spec["command"], text)
        except Exception as exc:  # a template crash is a total disagreement, not a test error
            agreement.disagreements.append(Disagreement(fname, "*", "*", None, None, "exception: %s" % exc))
            result = {}
        ours = _our_records(result, section, our_key)
        if section == "facts" or pair_mode in ("first", "all"):
            partner = ours[0] if ours else {}
            theirs = expected[:1] if pair_mode == "first" else expected
            for record in theirs:
                _compare_pair(agreement, fname, "facts", partner, record, specs)
            continue
        # pair by key, in order of appearance
        buckets = {}
        for record in ours:
            k = _key(record.get(our_key), key_transform)
            buckets.setdefault(k, []).append(record)
        used = set()
        for record in expected:
            k = _key(record.get(ntc_key), key_transform)
            label = "%s=%s" % (ntc_key, record.get(ntc_key))
            candidates = buckets.get(k) or []
            partner = candidates.pop(0) if candidates else None
            if partner is not None:
                used.add(id(partner))
            _compare_pair(agreement, fname, label, partner, record, specs)
        for record in ours:
            if id(record) not in used:
                label = "%s=%s" % (our_key, record.get(our_key))
                _compare_pair(agreement, fname, label, record, None, specs)
    return agreement


def evaluate(platform, fixtures=None):
    """``{ntc_folder: Agreement}`` for every command in ``corpus_<platform>.yml``."""
    mapping = load_mapping(platform)
    out = {}
    for folder, spec in mapping["commands"].items():
        out[folder] = evaluate_command(platform, folder, spec, fixtures)
    return out


def evaluate_all(fixtures=None):
    return dict((platform, evaluate(platform, fixtures)) for platform in platforms())


def check_garbage(platform, command, text, cpu_limit):
    """Hostile or garbage output: a dict (maybe empty), never an exception, and no
    catastrophic regex backtracking (CPU time, so other load does not count)."""
    start = time.process_time()
    result = runner().parse_command(platform, command, text)
    assert isinstance(result, dict)
    assert time.process_time() - start < cpu_limit


def check_truncation(platform, command, text):
    """A cut-off output parses to a part of what the whole output gives."""
    full = runner().parse_command(platform, command, text)
    assert full
    for cut in (len(text) // 3, len(text) // 2, len(text) - 7):
        part = runner().parse_command(platform, command, text[:cut])
        assert isinstance(part, dict)
        for section, records in part.items():
            assert section in full
            if isinstance(records, list):
                assert len(records) <= len(full[section])
