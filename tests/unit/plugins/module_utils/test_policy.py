"""Policy: stable IDs, severity and authority rules, ignore rules and waivers that expire."""

import datetime

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy

TODAY = datetime.date(2026, 11, 21)


def raw(kind="interface", key="GigabitEthernet1/0/2", field="untagged_vlan", cls="mismatch"):
    return {"kind": kind, "key": key, "field": field, "class": cls, "netbox_value": 10, "device_value": 20,
            "message": "", "netbox_object": None}


def finish(records, rules=None, device="sw1"):
    return policy.finish(records, device, policy.load(rules), TODAY)


def test_id_is_stable_across_spellings_and_values():
    first = policy.drift_id("sw1", "interface", "Gi1/0/2", "untagged_vlan")
    assert first == policy.drift_id("sw1", "interface", "GigabitEthernet1/0/2", "untagged_vlan")
    assert first != policy.drift_id("sw2", "interface", "Gi1/0/2", "untagged_vlan")
    assert first != policy.drift_id("sw1", "interface", "Gi1/0/2", "description")
    recs, ignored = finish([raw()])
    other = dict(raw(), device_value=30)
    assert recs[0]["id"] == finish([other])[0][0]["id"] and len(recs[0]["id"]) == 12 and ignored == 0


def test_default_severity_and_authority():
    recs, _ignored = finish([raw(), raw(field="description"), raw(field="name", cls="name_only"),
                             raw(kind="cable", key="Ethernet1", field="peer")])
    by_field = dict((r["field"], r) for r in recs)
    assert by_field["untagged_vlan"]["severity"] == "high"
    assert by_field["description"]["severity"] == "low"
    assert by_field["name"]["severity"] == "low"
    assert by_field["peer"]["severity"] == "high"
    assert set(r["authority"] for r in recs) == {"netbox"}


def test_rules_from_most_to_least_specific():
    rules = {"authority": {"interface": "device", "interface.description": "report"},
             "severity": {"interface.untagged_vlan.mismatch": "low"}}
    recs, _ignored = finish([raw(), raw(field="description"), raw(kind="device", key="sw1", field="serial")], rules)
    by_field = dict((r["field"], r) for r in recs)
    assert by_field["untagged_vlan"]["authority"] == "device" and by_field["untagged_vlan"]["severity"] == "low"
    assert by_field["description"]["authority"] == "report"
    assert by_field["serial"]["authority"] == "netbox"


def test_ignore_rules_kinds_and_fields():
    rules = {"ignore": [{"device": "sw*", "kind": "interface", "key": "^GigabitEthernet1/0/[0-9]$"}]}
    assert finish([raw(), raw(key="GigabitEthernet1/0/12")], rules)[1] == 1
    assert finish([raw(), raw(kind="vlan", key="10", field=None)], {"kinds": ["vlan"]})[1] == 1
    recs, ignored = finish([raw(), raw(field="description"), raw(field=None, cls="missing_on_device")],
                           {"fields": {"interface": ["description"]}})
    assert [r["field"] for r in recs] == [None, "description"] and ignored == 1


def test_waivers_until_their_expiry():
    target = policy.drift_id("sw1", "interface", "GigabitEthernet1/0/2", "untagged_vlan")
    live = {"waivers": [{"id": target, "reason": "CHG-1", "expires": "2026-12-01"}]}
    recs, _ignored = finish([raw()], live)
    assert recs[0]["counted"] is False and recs[0]["waiver"] == {
        "reason": "CHG-1", "expires": "2026-12-01", "by": None, "expired": False}
    expired = {"waivers": [{"device": "sw1", "kind": "interface", "reason": "CHG-0", "expires": "2026-11-20"}]}
    recs, _ignored = finish([raw()], expired)
    assert recs[0]["counted"] is True and recs[0]["waiver"]["expired"] is True


@pytest.mark.parametrize("rules, message", [
    ({"waivers": [{"id": "abc", "expires": "2026-12-01"}]}, "needs reason"),
    ({"waivers": [{"id": "abc", "reason": "x", "expires": "soon"}]}, "YYYY-MM-DD"),
    ({"waivers": [{"reason": "x", "expires": "2026-12-01"}]}, "needs an id or a device"),
    ({"ignore": [{"key": "("}]}, "regular expression"),
    ({"ignore": [{"devcie": "x"}]}, "unknown key"),
    ({"authority": {"default": "boss"}}, "authority"),
    ({"severity": {"interface": "urgent"}}, "severity"),
    ({"fields": ["enabled"]}, "fields"),
])
def test_bad_policy_is_named(rules, message):
    with pytest.raises(policy.PolicyError, match=message):
        policy.load(rules)


def test_device_skipped_by_tag_or_rule():
    rules = policy.load({"ignore": [{"device": "lab-*", "reason": "lab gear"}]})
    assert policy.device_skipped("sw1", ["drift-ignore"], rules) == "NetBox tag drift-ignore"
    assert policy.device_skipped("lab-7", [], rules) == "lab gear"
    assert policy.device_skipped("sw1", [], rules) is None


def test_counts_at_threshold():
    recs, _ignored = finish([raw(), raw(field="description")])
    assert [policy.counts_at(r, "high") for r in recs] == [False, True]
    assert all(policy.counts_at(r, None) for r in recs)


def test_a_users_severity_beats_every_built_in_rule():
    """Built-in cable.mismatch (high) and interface.description (low) are more specific than
    the user's cable and interface rules; the user's rules win all the same."""
    cable = raw(kind="cable", key="Ethernet1", field="peer")
    recs, _ignored = finish([cable, raw(field="description"), raw()],
                            {"severity": {"cable": "low", "interface": "medium"}})
    assert [(r["kind"], r["field"], r["severity"]) for r in recs] == [
        ("cable", "peer", "low"), ("interface", "description", "medium"), ("interface", "untagged_vlan", "medium")]
    recs, _ignored = finish([cable], {"severity": {"cable": "high"}})
    assert recs[0]["severity"] == "high"
    # among the user's own rules the most specific still wins; unnamed records keep the built-in one
    recs, _ignored = finish([raw(field="description"), raw(), raw(kind="device", key="sw1", field="model")],
                            {"severity": {"interface": "high", "interface.description": "low"}})
    assert [r["severity"] for r in recs] == ["high", "low", "high"]
    assert policy.severity_of({}, "device", "os_version", "mismatch") == "low"


def test_one_sided_severity_user_first():
    assert policy.one_sided_severity(None) == "low"
    assert policy.one_sided_severity({"cable.mismatch": "high"}) == "low"  # not a rule for one-sided records
    assert policy.one_sided_severity({"cable": "medium"}) == "medium"
    assert policy.one_sided_severity({"cable": "medium", "cable.one_sided": "high"}) == "high"
