"""What is written is what was reviewed: each change's digest, the plan digest, approvals
bound to them, an edited plan refused; destructive changes only with corroboration and
clearing only with allow_clear; the check's settings taken from the report."""

import copy

import pytest

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.compare import policy
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan, plan_digest

SITES = {"sw1": "site-a"}


def rec(kind, cls, key, field=None, nb=None, dev=None, obj_type="dcim.interface", **extra):
    ref = None if cls == "missing_in_netbox" else {"type": obj_type, "id": 7, "url": "http://nb/x/7/",
                                                   "last_updated": "2026-11-21T09:00:00Z"}
    return dict({"id": policy.drift_id("sw1", kind, key, field), "device": "sw1", "kind": kind, "key": key,
                 "field": field, "class": cls, "severity": "high", "netbox_value": nb, "device_value": dev,
                 "authority": "device", "message": "m", "counted": True, "waiver": None,
                 "evidence": {"netbox_object": ref}}, **extra)


def report(*records, status="drift", settings=None):
    return {"schema": "truthloop.netbox_drift/drift-report", "version": 1,
            "run": {"id": "run-1", "netbox_url": "http://nb", "settings": settings or {}},
            "devices": [{"device": "sw1", "status": status, "unverified": []}],
            "drift": list(records), "unverified": []}


@pytest.fixture(name="made")
def fixture_made():
    return plan.build(report(rec("interface", "mismatch", "Gi1", "description", "old", "new"),
                             rec("interface", "mismatch", "Gi2", "mtu", 1500, 9000)), {"sites": SITES})


def ref(change):
    return "%s@%s" % (change["change_id"], change["digest"][:12])


def approve(made, approve=(), **more):
    return plan.approved(made, dict({"approve": list(approve), "approved_by": "ann"}, **more))


# --- digests ------------------------------------------------------------------------


def test_every_change_and_the_plan_carry_a_digest(made):
    plan_digest.check(made)
    for change in made["changes"]:
        assert change["digest"] == plan_digest.change_digest(change) and len(change["digest"]) == 64
    assert made["digest"] == plan_digest.plan_digest(made)
    assert len(set(c["digest"] for c in made["changes"])) == 2
    text = plan.render_markdown(made)
    assert "Plan digest: `%s`" % made["digest"] in text
    assert all("| %s |" % ref(c) in text for c in made["changes"])


@pytest.mark.parametrize("edit", [
    lambda c: c["data"]["data"].update(description="TAMPERED"),
    lambda c: c["data"]["data"].update(mtu=1234),
    lambda c: c.update(module="netbox.netbox.netbox_device"),
    lambda c: c["object"].update(id=8),
    lambda c: c.update(after="TAMPERED"),
])
def test_an_edited_change_is_refused_whole(made, edit):
    edited = copy.deepcopy(made)
    edit(edited["changes"][0])
    with pytest.raises(plan.PlanError, match="no longer matches the digest planned for it.*%s"
                       % edited["changes"][0]["change_id"]):
        approve(edited, ["all"], plan_digest=made["digest"])


def test_recomputed_digests_do_not_pass_an_approval_of_the_reviewed_ones(made):
    reviewed = [ref(c) for c in made["changes"]]
    edited = copy.deepcopy(made)
    edited["changes"][0]["data"]["data"]["description"] = "TAMPERED"
    plan_digest.seal(edited)  # whoever edited the plan recomputed its digests too
    with pytest.raises(plan.PlanError, match="was approved at digest .* the change was edited after it was reviewed"):
        approve(edited, reviewed)
    with pytest.raises(plan.PlanError, match="the approval names plan digest .* the plan changed after it was"):
        approve(edited, ["all"], plan_digest=made["digest"])
    with pytest.raises(plan.PlanError, match="changed after it was reviewed"):
        approve(edited, ["all@" + made["digest"][:12]])
    chosen, skipped = approve(edited, [reviewed[1]])  # the change that was not edited still goes
    assert [c["change_id"] for c in chosen] == [made["changes"][1]["change_id"]] and len(skipped) == 1


def test_an_approval_must_name_a_digest(made):
    with pytest.raises(plan.PlanError, match="names no digest"):
        approve(made, ["all"])
    with pytest.raises(plan.PlanError, match="names no digest"):
        approve(made, [made["changes"][0]["change_id"]])
    with pytest.raises(plan.PlanError, match="names no digest"):
        approve(made, approve_devices=["sw1"])
    assert len(approve(made, ["all@" + made["digest"]])[0]) == 2
    assert len(approve(made, approve_devices=["sw1"], plan_digest=made["digest"][:12])[0]) == 2
    assert len(approve(made, [ref(made["changes"][0])])[0]) == 1


@pytest.mark.parametrize("entry, message", [
    ("c-x@12", "12 to 64 hex digits"),
    ("c-x@zzzzzzzzzzzz", "12 to 64 hex digits"),
])
def test_malformed_digests(made, entry, message):
    with pytest.raises(plan.PlanError, match=message):
        approve(made, [entry])


def test_unknown_devices_are_refused_with_their_names(made):
    with pytest.raises(plan.PlanError, match="approve_devices names device.s. with no change in this plan: sw7, sw9"):
        approve(made, approve_devices=["sw1", "sw9", "sw7"], plan_digest=made["digest"])


def test_a_plan_without_digests_is_refused(made):
    old = copy.deepcopy(made)
    for change in old["changes"]:
        del change["digest"]
    with pytest.raises(plan.PlanError, match="digest missing"):
        approve(old, ["all"], plan_digest=made["digest"])


# --- destructive changes ------------------------------------------------------------------


@pytest.mark.parametrize("field, nb", [("description", "old"), ("tagged_vlans", [10])])
def test_clearing_needs_allow_clear(field, nb):
    record = rec("interface", "mismatch", "Gi1", field, nb, "" if field == "description" else [])
    built = plan.build(report(record), {"sites": SITES})
    assert built["changes"] == [] and "clearing a value in NetBox is off (allow_clear)" in built["skipped"][0]["reason"]
    built = plan.build(report(record), {"sites": SITES, "allow_clear": True})
    assert len(built["changes"]) == 1 and built["allow_clear"] is True


@pytest.mark.parametrize("status", ["partial", "unverified", None])
def test_no_delete_or_clear_on_a_device_not_fully_verified(status):
    delete = rec("interface", "missing_on_device", "Gi1", nb={})
    clear = rec("interface", "mismatch", "Gi2", "description", "old", "")
    update = rec("interface", "mismatch", "Gi3", "mtu", 1500, 9000)
    built = plan.build(report(delete, clear, update, status=status),
                       {"allow_delete": True, "allow_clear": True, "primary_interfaces": {"sw1": None}})
    assert [c["key"] for c in built["changes"]] == ["Gi3"]
    assert [e["key"] for e in built["unplannable"]] == ["Gi1", "Gi2"]
    assert all("needs every section of sw1 verified" in e["reason"] for e in built["unplannable"])


def test_no_delete_on_a_device_with_drift_and_an_unverified_section():
    """A device whose drift wins its status may still have sections that were not verified."""
    built = report(rec("interface", "missing_on_device", "Gi1", nb={}), rec("interface", "mismatch", "Gi3", "mtu", 1500, 9000))
    built["devices"][0]["unverified"] = [{"section": "neighbors", "reason": "not compared: the device calls itself sw9"}]
    made = plan.build(built, {"allow_delete": True, "primary_interfaces": {"sw1": None}})
    assert [c["key"] for c in made["changes"]] == ["Gi3"]
    assert made["unplannable"][0]["reason"] == "deleting or clearing needs every section of sw1 verified, and " \
                                               "neighbors was not"


@pytest.mark.parametrize("one_sided, planned", [(False, True), (None, False), (True, False)])
def test_a_cable_is_removed_only_when_the_far_end_corroborates(one_sided, planned):
    record = rec("cable", "mismatch", "Gi4", "peer", {"device": "a", "port": "b"}, {"device": "c", "port": "d"},
                 obj_type="dcim.cable", one_sided=one_sided)
    built = plan.build(report(record), {"allow_delete": True, "primary_interfaces": {"sw1": None}})
    assert bool(built["changes"]) is planned
    if not planned:
        assert "one end" in built["unplannable"][0]["reason"] or "far end" in built["unplannable"][0]["reason"]


# --- the check's settings ------------------------------------------------------------------


def test_os_version_field_comes_from_the_check():
    record = rec("device", "mismatch", "sw1", "os_version", "1.0", "2.0", obj_type="dcim.device")
    built = plan.build(report(record, settings={"os_version_field": "os_version"}))
    assert built["changes"][0]["data"]["data"]["custom_fields"] == {"os_version": "2.0"}
    assert built["settings"] == {"os_version_field": "os_version"}
    with pytest.raises(plan.PlanError, match="the check read the OS version from custom field os_version"):
        plan.build(report(record, settings={"os_version_field": "os_version"}), {"os_version_field": "sw_version"})
    unknown = plan.build(report(record))
    assert unknown["changes"] == [] and "run.settings.os_version_field" in unknown["unplannable"][0]["reason"]
    given = plan.build(report(record), {"os_version_field": "sw_version"})
    assert given["changes"][0]["data"]["data"]["custom_fields"] == {"sw_version": "2.0"}
