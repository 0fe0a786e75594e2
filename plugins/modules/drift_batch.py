#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_batch
short_description: Collect every device of the run and compare it with NetBox, in one controller process
version_added: 0.4.0
description:
  - Run once (C(run_once)) for all the hosts of the play. For each host it does what
    M(truthloop.netbox_drift.device_state_fast) and M(truthloop.netbox_drift.drift_compare)
    do for one host, in threads of one controller process, so that a run costs one Python
    process and one compiled set of templates instead of two tasks per host.
  - Each host is reached with its own variables, as network_cli would reach it, namely its
    C(ansible_host), C(ansible_port), C(ansible_user) and password variables, C(ansible_become)
    and the become password, C(ansible_network_os), C(ansible_connect_timeout),
    C(ansible_command_timeout), the host key settings of network_cli with libssh, the
    environment and ansible.cfg, and the command line's C(-u), C(--private-key) and
    C(--become). A password typed at the prompt (C(-k), C(-K)) is used for the hosts without a
    password variable when the host this task runs for has none either.
  - With I(transport=registered) nothing is collected; each host's device state is the one its
    own task registered before (network_cli, saved outputs), and only the comparison runs here.
  - A host that cannot be reached, or whose platform cannot be told, is unverified with the
    cause; the task itself fails only on bad arguments (an unusable I(commands) entry names the
    host, the platform and the entry) or when snapshots cannot be written.
  - This is an action plugin. It runs on the controller; the play's hosts appear each in the
    following M(truthloop.netbox_drift.drift_host) task, which gives them their result, diff and
    failure.
author:
  - truthloop engineering (@truthloop)
options:
  netbox:
    description: The registered result of M(truthloop.netbox_drift.netbox_state) (its C(netbox_state), C(invalid) and C(platforms)).
    type: dict
    required: true
  hosts:
    description: The hosts to check; by default the play's hosts (C(ansible_play_hosts)), so C(--limit) applies.
    type: list
    elements: str
  transport:
    description:
      - C(fast) collects each host over one direct SSH session, as M(truthloop.netbox_drift.device_state_fast).
      - C(registered) compares the device states the hosts registered in I(state_var).
    type: str
    choices: [fast, registered]
    default: fast
  state_var:
    description: With I(transport=registered), the host variable that holds each host's registered device state result.
    type: str
    default: drift_check__state
  workers:
    description: Devices collected at once (threads). Waiting on a device does not hold the others up.
    type: int
    default: 50
  snapshot_dir:
    description: Keep the raw outputs of each device in C(<snapshot_dir>/<run_id>/<host>/), as the collectors do.
    type: path
  run_id:
    description: The run's ID (the snapshot directory's name).
    type: str
  commands:
    description: Changes to the platforms' command lists, as the collectors' C(commands) option.
    type: dict
    default: {}
  policy:
    description: What to check and how to judge it, as M(truthloop.netbox_drift.drift_compare)'s C(policy).
    type: dict
    default: {}
  report_unknown_neighbors:
    description: Report neighbours that are not devices of the run where NetBox has no cable.
    type: bool
    default: false
  defer_peers:
    description:
      - For a slice of a run (its hosts are only the slice's), as M(truthloop.netbox_drift.drift_compare)'s
        O(truthloop.netbox_drift.drift_compare#module:defer_peers) - cable records whose far end is
        not a host of the slice are left to M(truthloop.netbox_drift.drift_merge).
    type: bool
    default: false
  previous:
    description: Say what changed on each device since its previous snapshot in I(snapshot_dir).
    type: bool
    default: true
  keep_states:
    description:
      - Also return each host's device state (its sections, facts and neighbours) in RV(states), for
        M(truthloop.netbox_drift.discover) to start from without collecting again.
    type: bool
    default: false
  today:
    description: The date waivers expire against, C(YYYY-MM-DD); today when not given.
    type: str
attributes:
  check_mode:
    support: full
    description: It only reads from the devices.
  diff_mode:
    support: none
    description: Each host's diff is given by M(truthloop.netbox_drift.drift_host).
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
requirements:
  - ansible-pylibssh
  - ttp
  - netutils
"""

EXAMPLES = r"""
- name: Collect every device and compare it with NetBox, in one controller process
  truthloop.netbox_drift.drift_batch:
    netbox: "{{ netbox }}"
    snapshot_dir: "{{ report_dir }}/snapshots"
    run_id: "{{ run_id }}"
  register: batch
  run_once: true

- name: Each host's result, diff and failure
  truthloop.netbox_drift.drift_host:
    result: "{{ batch.device_drift[inventory_hostname] }}"
"""

RETURN = r"""
device_drift:
  description: Each host's entry of the report (as M(truthloop.netbox_drift.drift_compare) returns it), by host.
  returned: success
  type: dict
warnings_by_host:
  description: What went wrong on each host that did not stop its check (a section not collected, a fallback used).
  returned: success
  type: dict
causes:
  description: For each host that could not be verified at all, why (for its failure in the play recap).
  returned: success
  type: dict
states:
  description:
    - Each host's device state, by host, reduced to what discovery reads (sections, facts, neighbours),
      with the collection's error when it could not be reached.
  returned: when O(keep_states) is true
  type: dict
stats:
  description: Hosts, workers, and the seconds spent collecting and comparing.
  returned: success
  type: dict
"""
