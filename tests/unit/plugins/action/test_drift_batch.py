# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""drift_batch's three ways to NetBox's side (given, named by netbox_var, read here while
collecting) give the same comparison; NetBox's data is never part of the result; a NetBox
that cannot be read fails the task before any device is touched, with the cause."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
from unittest import mock

import pytest

pytest.importorskip("pynetbox")

from ansible.errors import AnsibleActionFail  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugin_utils"))
from test_netbox_fetch import V2_TOKEN, FakeNetBox, names  # noqa: E402

from ansible_collections.truthloop.netbox_drift.plugins.action import drift_batch  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import netbox_intended  # noqa: E402

HOSTS = names(3)


def run(args, task_vars=None):
    task = mock.MagicMock()
    task.args = dict({"transport": "registered", "run_id": "r1"}, **args)
    task.async_val = 0
    task.check_mode = False
    task.diff = False
    action = drift_batch.ActionModule(task=task, connection=mock.MagicMock(), play_context=mock.MagicMock(),
                                      loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars=dict({"ansible_play_hosts": HOSTS, "hostvars": {}}, **(task_vars or {})))


def read_args(url, token=V2_TOKEN):
    return {"url": url, "token": token, "timeout": 5}


def test_given_named_and_read_here_give_the_same_comparison():
    with FakeNetBox(devices=3) as nb:
        here = run({"netbox_read": read_args(nb.url)})
        registered = netbox_intended.read(read_args(nb.url), HOSTS, {})
    named = run({"netbox_var": "nb"}, {"nb": registered})
    given = run({"netbox": registered})
    assert here["device_drift"] == named["device_drift"] == given["device_drift"]
    assert sorted(here["device_drift"]) == HOSTS and here["causes"] == named["causes"]
    for result in (here, named, given):
        assert not result.get("failed") and "netbox_state" not in result["netbox"]
        assert result["netbox"]["platforms"] == registered["platforms"]
    assert here["stats"]["netbox_read_s"] >= 0


@pytest.mark.parametrize("sources", [{}, {"netbox": {}, "netbox_var": "nb"}])
def test_exactly_one_way_to_netbox(sources):
    with pytest.raises(AnsibleActionFail, match="give exactly one of netbox, netbox_var and netbox_read"):
        run(sources, {"nb": {}})


def test_a_netbox_var_that_is_not_netbox_states_result_is_refused():
    with pytest.raises(AnsibleActionFail, match="netbox_var nb is not the registered result of netbox_state"):
        run({"netbox_var": "nb"}, {"nb": {"stdout": "x"}})


def test_a_refused_token_fails_before_any_device_is_touched():
    token = "nbt_wrongkey00000.wrongsecretwrongsecretwrongsecret12"
    with FakeNetBox(devices=3) as nb:
        with mock.patch.object(drift_batch.ActionModule, "_start_collect", side_effect=AssertionError("collected")):
            result = run({"netbox_read": read_args(nb.url, token), "transport": "fast"})
    assert result["failed"] is True and result["msg"].startswith("drift_batch: NetBox refused the token (403)")
    assert token.rsplit(".", maxsplit=1)[-1] not in str(result) and "device_drift" not in result


def test_a_read_that_fails_after_the_probe_fails_the_task_with_its_cause():
    with FakeNetBox(devices=3) as nb:
        with mock.patch.object(netbox_intended, "_fetch", side_effect=RuntimeError("boom " + V2_TOKEN)):
            result = run({"netbox_read": read_args(nb.url)})
    assert result["failed"] is True and "device_drift" not in result
    assert result["msg"].startswith("drift_batch: reading NetBox at %s failed: RuntimeError: boom" % nb.url)
    assert V2_TOKEN.rsplit(".", maxsplit=1)[-1] not in result["msg"]
