# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collect_pool forks real processes: every job comes back once, from more than one
process, with its warnings; a child that dies leaves its hosts failed with the cause
(never missing), and a child's AnsibleActionFail stops the run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import collect_pool

HOSTS = ["sw%02d" % i for i in range(10)]


def collect(host, job, warn):
    warn("%s: warned" % host)
    return {"host": host, "job": job, "pid": os.getpid(), "outputs": {"show version": "x" * 100000}}


def test_deal_gives_every_item_once_round_robin():
    assert collect_pool.deal(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert collect_pool.deal([1], 4) == [[1]]
    assert collect_pool.deal([], 4) == []


@pytest.mark.parametrize("processes", [1, 3])
def test_every_job_comes_back_once_with_its_warnings(processes):
    found = collect_pool.start([(h, "job-" + h) for h in HOSTS], collect, processes, 4).results()
    assert sorted(found) == HOSTS
    for host, (result, warnings) in found.items():
        assert result["job"] == "job-" + host and warnings == ["%s: warned" % host]
        assert len(result["outputs"]["show version"]) == 100000  # big answers cross the pipe whole
    pids = set(result["pid"] for result, warnings in found.values())
    assert (pids == {os.getpid()}) if processes == 1 else (len(pids) == 3 and os.getpid() not in pids)


def test_a_child_that_dies_leaves_its_hosts_failed_and_the_others_whole():
    def dying(host, job, warn):
        if host == "sw01":
            os._exit(3)  # killed mid-collection: no answer at all
        return collect(host, job, warn)

    found = collect_pool.start([(h, None) for h in HOSTS], dying, 2, 2).results()
    assert sorted(found) == HOSTS
    dead = HOSTS[1::2]  # sw01's share of two processes
    for host in dead:
        assert found[host][0] == {"msg": "%s: collecting failed: the collecting process ended without an answer "
                                         "(status 768)" % host}
    for host in HOSTS[0::2]:
        assert found[host][0]["host"] == host


def test_an_exception_in_a_child_names_it_for_each_of_its_hosts():
    def broken(host, job, warn):
        raise ValueError("bad state")

    found = collect_pool.start([(h, None) for h in HOSTS[:4]], broken, 2, 2).results()
    assert found["sw00"][0] == {"msg": "sw00: collecting failed: ValueError: bad state"}
    assert sorted(found) == HOSTS[:4]


def test_an_action_failure_in_a_child_stops_the_run():
    def unwritable(host, job, warn):
        if host == "sw03":
            raise AnsibleActionFail("cannot write snapshots to /nowhere")
        return collect(host, job, warn)

    with pytest.raises(AnsibleActionFail, match="cannot write snapshots to /nowhere"):
        collect_pool.start([(h, None) for h in HOSTS], unwritable, 3, 3).results()
