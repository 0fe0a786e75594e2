# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Redaction (templates/redact.yml through snapshot.redact): no secret of a real
configuration survives, the configuration still parses to the same model, and device
outputs without secrets are left exactly as they were."""

import glob
import os
import re

import pytest
import yaml

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import commands, normalise, snapshot, ttp_runner

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")
CASES = yaml.safe_load(open(os.path.join(FIXTURES, "redact", "cases.yml")))
COMMANDS = {"show_running-config": "show running-config", "show_configuration": "show configuration",
            "show_configuration_pipe_display_set": "show configuration | display set"}

# Every secret of the real configurations in the template tests' corpus (fixtures/corpus,
# sources in its SOURCES.md), read off the files by hand: passwords, hashes, keys, SNMP
# communities (a community is a password).
CORPUS_SECRETS = {
    "cisco_ios/show_running-config/ccp_sample_02.ios": [
        "$1$G1T6q4FE27/vKE46WINpy.", "075C727A6E0A180B03", "publicstrang", "privatestrang",
        "123A0D05431818090A38", "05280E1D705F5A043916"],
    "cisco_ios/show_running-config/ccp_sample_04.ios": [
        "$1$Pz80u.C2cxVUWWS2J5v0", "0357083D260C20425A", "public1", "private1", "public2", "private2", "RADiUs",
        "14341A195D173E26043B", "062507331D5D1D142504"],
    "cisco_ios/show_running-config/netutils_ios_full_sent.txt": [
        "ntc123", "ntc-public", "ntc-private", "networktocode", "secure"],
    "cisco_nxos/show_running-config/netutils_nxos_full_sent.txt": [
        "0xe15d7e7768418903040d565987788402", "0x3c0c5d5139941831378b36418799e1cc", "networktocode", "secure"],
    "arista_eos/show_running-config/netutils_eos_full_sent.txt": [
        "networktocode", "secure",
        "$6$I96u7PN2rdf8y1xH$1Iq523MXOQlfsZDiFPmZiSOvpfFsCpH.EuSblMyQvokhVfCqreJLHbzFlG6SPHzbL1mIElnDIm8Px6Jw55IN1/"],
    "juniper_junos/show_configuration/ccp_sample_01.junos": ["$1$y7ArHxKU$zUbdeLfBirgkCsKiOJ5Qa0"],
    "juniper_junos/show_configuration_pipe_display_set/netutils_junos_full_sent.set": [
        "$6$SMc6x4tb$Tc5YB7j/aFopl83C/a8w0ULBphIwSz8ckMgANOC8.2p9qJWKwKat1VKRWKTYihtYEu9W1aRN0PN35aOTYLmph.",
        "$6$Z5pgyCKJ$XFMRbBTMD.RjKlOtzCyUjcumTSnXDv6iX2HvhYr9dF3fJXsJeTP5Vms0lN7BzaQHyh8.nwUmsF.OBgBm/G.Dz1",
        "networktocode", "secure"],
}


def tokens(text):
    """The words of a configuration, quotes and statement ends left off."""
    return set(re.split(r"[\s\";{}]+", text))


def configs():
    """``(path, platform, command)`` of every full configuration the tests hold."""
    found = []
    for folder, command in COMMANDS.items():
        for path in sorted(glob.glob(os.path.join(FIXTURES, "corpus", "*", folder, "*"))):
            if not path.endswith(".md"):
                found.append((path, path.split(os.sep)[-3], command))
    for path in sorted(glob.glob(os.path.join(FIXTURES, "redact", "fabrics", "*.txt"))):
        found.append((path, "arista_eos", "show running-config"))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_form_of_secret_is_removed_and_the_rest_kept(case):
    redacted = snapshot.redact(case["text"])
    assert not tokens(redacted) & set(case["secrets"])
    assert redacted == case["redacted"]
    assert snapshot.redact(redacted) == redacted  # applying it again changes nothing


@pytest.mark.parametrize("name", sorted(CORPUS_SECRETS))
def test_no_secret_of_a_real_configuration_survives(name):
    raw = open(os.path.join(FIXTURES, "corpus", name)).read()
    secrets = set(CORPUS_SECRETS[name])
    assert secrets <= tokens(raw), "the list names a token the file does not hold"
    assert not tokens(snapshot.redact(raw)) & secrets


@pytest.mark.parametrize("path, platform, command", configs(), ids=lambda v: os.path.basename(str(v)))
def test_redacted_configuration_parses_to_the_same_model(path, platform, command):
    raw = open(path).read()
    redacted = snapshot.redact(raw)
    parsed = ttp_runner.parse_command(platform, command, raw)
    assert parsed.get("interfaces"), "the configuration gives interfaces"
    assert ttp_runner.parse_command(platform, command, redacted) == parsed
    if command not in [entry["command"] for entry in normalise.load_platform(platform)["commands"]]:
        return  # Junos curly braces: a template, not a command the platform collects
    before = normalise.build("dev", platform, proved(platform, command, raw), plan=plan_for(platform, path))
    assert before["interfaces"]
    after = normalise.build("dev", platform, proved(platform, command, redacted), plan=plan_for(platform, path))
    assert after == before


def proved(platform, command, text):
    """The configuration with what proves it whole where the platform asks for more (a
    Junos configuration's `| count`; test_integrity.py tests those checks)."""
    found = {command: {"output": text}}
    for item in [e for e in commands.plan(normalise.load_platform(platform)) if e["command"] == command][0]["candidates"]:
        for companion in item["companions"]:
            found[companion] = {"output": "Count: %d lines" % len([ln for ln in text.splitlines() if ln.strip()])}
    return found


def plan_for(platform, path):
    """A `show running-config interface` excerpt is not a whole running-config: read it
    without the checks that prove a whole one (NX-OS: its `line vty`)."""
    plan = commands.plan(normalise.load_platform(platform))
    if "running_config_interface" in os.path.basename(path):
        for entry in plan:
            for item in entry["candidates"]:
                item["checks"] = dict((k, v) for k, v in item["checks"].items() if k not in ("ends_with", "contains"))
    return plan


def test_outputs_without_secrets_are_unchanged():
    """Every ntc sample (show version, interfaces, neighbours...) comes back byte for byte."""
    raws = glob.glob(os.path.join(FIXTURES, "corpus", "*", "*", "*.raw"))
    assert len(raws) > 50
    changed = [path for path in raws if snapshot.redact(open(path).read()) != open(path).read()]
    assert changed == []
