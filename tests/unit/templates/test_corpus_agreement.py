# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each mapped ntc-templates command agrees with our template at least as well as the
floor recorded in ``corpus_<platform>.yml`` (see ``corpus.py`` for the rules)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

import corpus

CASES = [
    (platform, folder)
    for platform in corpus.platforms()
    for folder in corpus.load_mapping(platform)["commands"]
]

_cache = {}


def _result(platform):
    if platform not in _cache:
        _cache[platform] = corpus.evaluate(platform)
    return _cache[platform]


@pytest.mark.parametrize("platform,folder", CASES, ids=["%s/%s" % case for case in CASES])
def test_agreement_floor(platform, folder):
    agreement = _result(platform)[folder]
    assert agreement.files, "no fixtures under %s" % os.path.join(corpus.FIXTURES, platform, folder)
    assert agreement.compared > 0, "nothing compared for %s %s" % (platform, folder)
    details = "\n".join(repr(d) for d in agreement.disagreements)
    assert agreement.ratio >= agreement.floor, "%s below floor %.3f:\n%s" % (
        agreement.line(), agreement.floor, details)


@pytest.mark.parametrize("platform", corpus.platforms())
def test_mapping_commands_have_templates(platform):
    mapping = corpus.load_mapping(platform)
    runner = corpus.runner()
    for folder, spec in mapping["commands"].items():
        assert spec["section"] in ("interfaces", "neighbors", "vlans", "facts"), folder
        assert 0.0 <= float(spec.get("floor", 1.0)) <= 1.0, folder
        assert os.path.exists(runner.template_path(platform, spec["command"])), spec["command"]
        for field, fspec in (spec.get("fields") or {}).items():
            names = fspec.get("transform", []) if isinstance(fspec, dict) else []
            for name in [names] if isinstance(names, str) else names:
                assert name in corpus.TRANSFORMS, "%s: unknown transform %s" % (folder, name)
