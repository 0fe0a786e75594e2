# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a person reads when a device rejects a command or stops answering, on the
network_cli path (``device_state``): the device's error line, not a caret or a Python
``b'...'`` repr, and no full timeout per command once the device has timed out."""

import os
import sys

import pytest
from ansible.module_utils.connection import ConnectionError as AnsibleConnectionError

# imported before the collection loader is installed (the fixture below), as Ansible would
from ansible_collections.truthloop.netbox_drift.plugins.action import device_state
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import cli_receive, collector

# network_cli's messages for an unknown command, as `ansible -m cli_command` printed them
# on the lab (the task's "msg"): the raw response's repr, echo, caret, error and prompt.
IOS_REJECTED = "b\"show nonsense\\r\\n                  ^\\r\\n% Invalid input detected at '^' marker.\\r\\ndc1-ios-05#\""
JUNOS_REJECTED = "b'show nonsense\\r\\n                  ^\\r\\nunknown command.\\r\\nnetops@dc2-junos-02> '"
# network_cli's _handle_command_timeout
TIMEOUT = ("command timeout triggered, timeout value is 30 secs.\nSee the timeout setting options in the "
           "Network Debug and Troubleshooting Guide.")


@pytest.fixture(scope="module", autouse=True)
def _collections():
    from ansible.utils.collection_loader import AnsibleCollectionConfig

    if AnsibleCollectionConfig.collection_finder is None:
        from ansible.plugins.loader import init_plugin_loader

        init_plugin_loader([p for p in sys.path if os.path.isdir(os.path.join(p, "ansible_collections"))])


@pytest.mark.parametrize("network_os, message, expected", [
    ("cisco.ios.ios", IOS_REJECTED, "% Invalid input detected at '^' marker."),
    ("junipernetworks.junos.junos", JUNOS_REJECTED, "unknown command."),
])
def test_network_cli_repr_becomes_the_error_line(network_os, message, expected):
    stderr_re = device_state._stderr_re(network_os)
    assert stderr_re, network_os
    assert cli_receive.connection_error_text(message, "show nonsense", stderr_re) == expected
    # without the platform's patterns: every line but the echo, the caret and the prompt
    assert cli_receive.connection_error_text(message, "show nonsense") == expected


def test_other_connection_errors_are_one_line_as_they_are():
    assert cli_receive.connection_error_text(TIMEOUT) == (
        "command timeout triggered, timeout value is 30 secs. See the timeout setting options in the "
        "Network Debug and Troubleshooting Guide.")
    assert cli_receive.connection_error_text("b'not closed") == "b'not closed"


def test_error_line_prefers_the_lines_the_platform_calls_errors():
    stderr_re = device_state._stderr_re("junipernetworks.junos.junos")
    lines = [b"                  ^", b"error: syntax error, expecting <command>: nonsense", b"{master:0}"]
    assert cli_receive.error_line(lines, stderr_re) == "error: syntax error, expecting <command>: nonsense"
    assert cli_receive.error_line([b"   ^", b"% Bad thing"]) == "% Bad thing"


class _Connection:
    """The persistent connection's ``get``: each command's answer, or the error it raises."""

    def __init__(self, answers):
        self.answers = answers
        self.sent = []

    def get(self, command):
        self.sent.append(command)
        answer = self.answers[command]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_after_a_timeout_the_commands_left_are_not_sent():
    conn = _Connection({"show version": "Version 1", "show running-config": AnsibleConnectionError(TIMEOUT),
                        "show vlan brief": "VLAN", "show lldp neighbors detail": "none"})
    run = device_state._run_over(conn, ())
    outputs = run(list(conn.answers))
    assert conn.sent == ["show version", "show running-config"]
    assert outputs["show version"]["output"] == "Version 1"
    assert outputs["show running-config"]["error"].startswith("command timeout triggered")
    for command in ("show vlan brief", "show lldp neighbors detail"):
        assert outputs[command]["error"] == (
            "not run: the device did not answer 'show running-config' within the command timeout; "
            "the commands after it were not sent")
        assert outputs[command]["started"] and outputs[command]["ended"]


def test_a_rejected_command_is_one_line_and_the_run_goes_on():
    stderr_re = device_state._stderr_re("cisco.ios.ios")
    conn = _Connection({"show version": "Version 1", "show nonsense": AnsibleConnectionError(IOS_REJECTED),
                        "show vlan brief": "VLAN"})
    outputs = device_state._run_over(conn, stderr_re)(list(conn.answers))
    assert outputs["show nonsense"]["error"] == "% Invalid input detected at '^' marker."
    assert outputs["show vlan brief"]["output"] == "VLAN"


def test_the_same_error_twice_first_is_the_device():
    refused = AnsibleConnectionError("ssh connection failed: ssh connect failed: Connection refused")
    conn = _Connection({"show version": refused, "show inventory": refused, "show vlan brief": "VLAN"})
    with pytest.raises(collector.CollectError, match="Connection refused"):
        device_state._run_over(conn, ())(list(conn.answers))
    assert conn.sent == ["show version", "show inventory"]
