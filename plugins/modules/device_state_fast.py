#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: device_state_fast
short_description: Collect a network device's state over one direct SSH session, for a fraction of the controller CPU
version_added: 0.1.0
description:
  - Gives the same result as M(truthloop.netbox_drift.device_state) without starting an
    C(ansible-connection) process or a module process per host. The action opens one SSH
    session itself (ansible-pylibssh), runs the platform's show commands in it and parses
    them with the same templates.
  - Uses the host's network_cli settings, namely C(ansible_host), C(ansible_port),
    C(ansible_user), C(ansible_password), C(ansible_become) with C(ansible_become_password)
    for enable, C(ansible_network_os), C(ansible_connect_timeout) and
    C(ansible_command_timeout), and the platform's own Ansible terminal plugin for its
    prompts, error messages, login answers and terminal setup.
  - Checks the device's SSH host key against C(~/.ssh/known_hosts) (C($HOME) first) before
    anything is sent, as network_cli with libssh does, with the same settings -
    C(ansible_host_key_checking), C(ansible_ssh_host_key_checking),
    C(ansible_libssh_host_key_checking), the environment's C(ANSIBLE_HOST_KEY_CHECKING) and
    C(host_key_checking) in ansible.cfg (C([defaults]) or C([libssh_connection])), on by
    default; C(host_key_auto_add) of C([libssh_connection]) adds an unknown key. With checking
    on, a key that known_hosts does not hold is refused. A key that differs from the one known_hosts
    holds for the host is refused even with checking off (network_cli does not look then).
    A refusal names the host, the key's fingerprint and the known_hosts file; no password is sent.
  - After a command times out, the commands left in the session are not sent (each would wait
    the full C(ansible_command_timeout)); they are reported as not run, with the reason.
  - Fallback commands run in the same session, only for the commands that failed or were
    refused (none after a timeout, when nothing more is sent). The prompt that ended each
    output is recorded, and an output that ended at anything but the device's own prompt
    is not trusted.
  - On the lab it costs about a sixth of the controller CPU of one C(*_command) task per
    host over network_cli, and a thirtieth of a looped C(cli_command).
  - Use M(truthloop.netbox_drift.device_state) where network_cli features are needed that
    this session does not have, such as jump hosts or proxy commands, private key
    passphrases or paramiko.
author:
  - truthloop engineering (@truthloop)
extends_documentation_fragment:
  - truthloop.netbox_drift.collect
attributes:
  check_mode:
    support: full
    description: It only reads from the device.
  diff_mode:
    support: none
    description: Nothing is changed.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
notes:
  - Let Ansible's forks give the parallelism. The session holds Python's global lock while
    it waits on the network, so threads within one fork would not help.
requirements:
  - ansible-pylibssh
"""

EXAMPLES = r"""
- name: Collect every device's state on the fast path
  truthloop.netbox_drift.device_state_fast:
    snapshot_dir: "{{ playbook_dir }}/snapshots"
    run_id: "{{ run_id }}"
  register: state
"""

RETURN = r"""
device_state:
  description: The device as it is; see M(truthloop.netbox_drift.device_state).
  returned: always
  type: dict
snapshot:
  description: Directory where the raw outputs were kept.
  returned: when I(snapshot_dir) is given
  type: str
collect_error:
  description: Why the device could not be talked to at all (connection, login, host key); every section is then unverified.
  returned: when the session could not be opened
  type: str
  sample: "127.0.0.1:20001: authentication failed for user netops (...)"
"""
