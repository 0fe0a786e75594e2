"""AWX job slicing, on the lab: four slices of the check run at once with ansible-runner,
the way AWX runs them, then the merge; the merged run equals the unsliced run.

Each slice gets what AWX gives a slice job: an inventory holding only its hosts (AWX
orders the hosts by name and gives slice n every 4th from the n-th, ``get_sliced_hosts``),
the extra variables ``awx_job_id`` (its own) and ``awx_workflow_job_id`` (the slice
workflow's, shared), and the job template's extra variables. The merge job gets, as a
workflow node after the sliced job, the slices' set_stats artefacts as extra variables,
and the whole inventory. Every job runs through ``ansible_runner`` with its own private
data directory, whose artefacts are read from disk as AWX reads them.
"""

import json
import pathlib

import pytest

from conftest import STATE, VENV_BIN, ansible_env, lab_env, run

ansible_runner = pytest.importorskip("ansible_runner")
# ansible-runner starts each job with pexpect (forkpty) from its own thread, as AWX's runner does
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")

SLICES = 4
WORKFLOW_JOB = 77
# the job template's own extra variables, the same for every job of the check: two kinds of
# drift NetBox should follow, so that the plan after the merge has changes to approve
TEMPLATE_VARS = {"drift_check_authority": {"interface.description": "device", "device.serial": "device"}}


def lab_hostvars():
    """The lab inventory as AWX holds it after syncing its source: every host with its vars."""
    proc = run([VENV_BIN / "ansible-inventory", "-i", STATE / "inventory.yml", "--list"])
    return json.loads(proc.stdout)["_meta"]["hostvars"]


def job_dir(base, name, hostvars, extravars, playbook):
    """An ansible-runner private data directory: inventory, extra vars, environment, project."""
    path = base / name
    (path / "inventory").mkdir(parents=True)
    (path / "env").mkdir()
    (path / "project").mkdir()
    (path / "inventory" / "hosts.json").write_text(json.dumps({"all": {"hosts": hostvars}}))
    (path / "env" / "extravars").write_text(json.dumps(extravars))
    env = ansible_env(**lab_env())
    (path / "env" / "envvars").write_text(json.dumps(dict((k, env[k]) for k in (
        "ANSIBLE_CONFIG", "PATH", "NETBOX_API", "NETBOX_TOKEN", "ANSIBLE_NOCOLOR", "ANSIBLE_LOCALHOST_WARNING"))))
    (path / "project" / "main.yml").write_text(
        "---\n- name: The collection's playbook\n  ansible.builtin.import_playbook: %s\n" % playbook)
    return path


def artefacts(runner):
    """The set_stats artefacts of a finished job, read from its artefacts directory on disk
    (the ``playbook_on_stats`` event, where AWX reads them)."""
    events = pathlib.Path(runner.config.artifact_dir) / "job_events"
    for path in sorted(events.glob("*.json")):
        event = json.loads(path.read_text())
        if event.get("event") == "playbook_on_stats":
            return event["event_data"].get("artifact_data") or {}
    raise AssertionError("no playbook_on_stats event in %s" % events)


def start(path):
    return ansible_runner.run_async(private_data_dir=str(path), playbook="main.yml", quiet=True,
                                    settings={"suppress_ansible_output": True})


def stdout(runner):
    return pathlib.Path(runner.config.artifact_dir, "stdout").read_text()[-6000:]


@pytest.fixture(scope="module")
def runs(lab, tmp_path_factory):
    base = tmp_path_factory.mktemp("slicing")
    hostvars = lab_hostvars()
    names = sorted(hostvars)
    sliced_reports, whole_reports = base / "reports-sliced", base / "reports-whole"
    jobs = {}
    for number in range(1, SLICES + 1):
        mine = dict((name, hostvars[name]) for name in names[number - 1::SLICES])
        extravars = dict(TEMPLATE_VARS, awx_job_id=500 + number, awx_workflow_job_id=WORKFLOW_JOB,
                         awx_job_launch_type="workflow", drift_check_slice="awx",
                         drift_check_report_dir=str(sliced_reports))
        jobs[number] = start(job_dir(base, "slice-%d" % number, mine, extravars, "truthloop.netbox_drift.check"))
    whole = start(job_dir(base, "whole", hostvars, dict(TEMPLATE_VARS, drift_check_report_dir=str(whole_reports)),
                          "truthloop.netbox_drift.check"))
    for thread, runner in list(jobs.values()) + [whole]:
        thread.join(timeout=900)
    slices = dict((number, runner) for number, (thread, runner) in jobs.items())
    for number, runner in list(slices.items()) + [("whole", whole[1])]:
        assert runner.status == "successful", (number, runner.rc, stdout(runner))
    passed_on = {}
    for number in sorted(slices):  # a workflow hands the next node its parents' artefacts
        passed_on.update(artefacts(slices[number]))
    merge_thread, merge = start(job_dir(base, "merge", hostvars, dict(passed_on, merge_slices=SLICES),
                                        "truthloop.netbox_drift.merge"))
    merge_thread.join(timeout=300)
    assert merge.status == "successful", (merge.rc, stdout(merge))
    return {"slices": slices, "whole": whole[1], "merge": merge, "passed_on": passed_on, "base": base,
            "names": names, "sliced": sliced_reports, "unsliced": whole_reports, "hostvars": hostvars}


def report(path):
    return json.loads((path / "latest" / "drift.json").read_text())


def comparable(doc):
    """A report without what differs between two runs: the run's own metadata and when each
    device was collected."""
    doc = json.loads(json.dumps(doc))
    doc.pop("run")
    for device in doc["devices"]:
        device.pop("collected", None)
    return doc


def test_the_merged_run_equals_the_unsliced_run(lab, runs):
    merged, whole = report(runs["sliced"]), report(runs["unsliced"])
    assert comparable(merged) == comparable(whole)
    assert merged["summary"]["drift"] == len(lab["expected"]) and merged["summary"]["devices"] == len(runs["names"])
    assert [s["slice"] for s in merged["run"]["slices"]] == ["job-%d" % (500 + n) for n in range(1, SLICES + 1)]
    assert merged["run"]["id"] == "awx-%010d" % WORKFLOW_JOB
    for name in ("drift.md", "drift.html", "junit.xml"):
        assert (runs["sliced"] / "latest" / name).stat().st_size > 0


def test_cables_between_slices_are_judged_in_the_merge(runs):
    slice_of = dict((name, index % SLICES) for index, name in enumerate(runs["names"]))
    merged = report(runs["sliced"])

    def other_slice(rec, end):  # a far end the run verified, in another slice (LLDP names may differ in case)
        name = str(end["device"]).lower().split(".", 1)[0]
        return end.get("sees") is not None and slice_of.get(name, -1) != slice_of[rec["device"]]

    across = [r for r in merged["drift"] if r["kind"] == "cable"
              and any(end and other_slice(r, end) for end in r["evidence"]["far_end"].values())]
    assert across, "the lab's scenario has cable drift whose far end is in another slice"
    # each slice alone could not judge them: its own file has them unjudged
    run_dir = runs["sliced"] / merged["run"]["id"]
    for rec in across:
        doc = json.loads((run_dir / "slices" / ("job-%d.json" % (501 + slice_of[rec["device"]]))).read_text())
        mine = next(r for r in doc["results"] if r["device"] == rec["device"])
        assert rec["id"] in [r["id"] for r in mine["records"]] and "one_sided" not in str(mine["records"])


def test_set_stats_artefacts_for_the_workflow_nodes(runs):
    run_id = "awx-%010d" % WORKFLOW_JOB
    for runner in runs["slices"].values():  # a slice hands on its run, not a report of its own
        assert artefacts(runner) == {"drift_check_run_id": run_id, "drift_check_report_dir": str(runs["sliced"])}
    merged = artefacts(runs["merge"])
    drift_json = str(runs["sliced"] / run_id / "drift.json")
    assert merged == {"drift_check_run_id": run_id, "drift_check_report_dir": str(runs["sliced"]),
                      "drift_check_report": drift_json, "reconcile_report": drift_json,
                      "drift_check_summary": report(runs["sliced"])["summary"]}
    whole = artefacts(runs["whole"])
    assert whole["drift_check_summary"] == merged["drift_check_summary"]
    assert whole["reconcile_report"] == str(runs["unsliced"] / whole["drift_check_run_id"] / "drift.json")


def test_a_slice_run_twice_is_refused_and_a_missing_slice_fails_the_merge(runs, tmp_path):
    hostvars, names = runs["hostvars"], runs["names"]
    again = job_dir(tmp_path, "again", dict((n, hostvars[n]) for n in names[0::SLICES]),
                    dict(runs["passed_on"], awx_job_id=501, awx_workflow_job_id=WORKFLOW_JOB, drift_check_slice="awx",
                         **TEMPLATE_VARS), "truthloop.netbox_drift.check")
    thread, runner = start(again)
    thread.join(timeout=300)
    assert runner.status == "failed" and "has a slice job-501 already, or was merged already" in stdout(runner)
    # the same run without its second slice: its hosts are unverified and the merge fails
    copy = tmp_path / "reports"
    run(["cp", "-a", str(runs["sliced"]), str(copy)])
    (copy / ("awx-%010d" % WORKFLOW_JOB) / "slices" / "job-502.json").unlink()
    merge_dir = job_dir(tmp_path, "merge", hostvars, dict(runs["passed_on"], drift_check_report_dir=str(copy)),
                        "truthloop.netbox_drift.merge")
    thread, runner = start(merge_dir)
    thread.join(timeout=300)
    assert runner.status == "failed"
    missing = names[1::SLICES]
    assert "%d host(s) in no slice of run awx-%010d: %s" % (len(missing), WORKFLOW_JOB, ", ".join(missing)) \
        in stdout(runner)
    doc = report(copy)
    assert sorted(d["device"] for d in doc["devices"] if d["status"] == "unverified") == missing


def test_the_workflow_hands_on_from_the_merge_to_the_plan_and_the_apply(runs, tmp_path):
    """The nodes after the merge, each given its parents' artefacts as AWX gives them:
    the plan reads the merged report, the apply (job type Check) the plan and its digest."""
    hostvars = runs["hostvars"]
    plan_dir = job_dir(tmp_path, "plan", hostvars, artefacts(runs["merge"]), "truthloop.netbox_drift.plan")
    thread, plan = start(plan_dir)
    thread.join(timeout=300)
    assert plan.status == "successful", stdout(plan)
    handed = dict(artefacts(runs["merge"]), **artefacts(plan))
    run_dir = runs["sliced"] / ("awx-%010d" % WORKFLOW_JOB)
    assert handed["reconcile_plan"] == str(run_dir / "plan.json")
    assert handed["reconcile_plan_digest"] == json.loads((run_dir / "plan.json").read_text())["digest"]
    approved = dict(handed, reconcile_approve=["all"], reconcile_approved_by="AWX approval, workflow 77")
    apply_dir = job_dir(tmp_path, "apply", hostvars, approved, "truthloop.netbox_drift.apply")
    thread, applied = ansible_runner.run_async(private_data_dir=str(apply_dir), playbook="main.yml", quiet=True,
                                               cmdline="--check", settings={"suppress_ansible_output": True})
    thread.join(timeout=300)
    assert applied.status == "successful", stdout(applied)
    changes = json.loads((run_dir / "plan.json").read_text())["changes"]
    assert sorted(c["field"] for c in changes) == ["description", "serial"]
    assert "2 change(s) would be applied (check mode)" in stdout(applied)
