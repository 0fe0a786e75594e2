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
    description:
      - The registered result of M(truthloop.netbox_drift.netbox_state) (its C(netbox_state), C(invalid) and C(platforms)).
      - Exactly one of I(netbox), I(netbox_var) and I(netbox_read) is given.
    type: dict
  netbox_var:
    description:
      - The name of the variable that holds the registered result of M(truthloop.netbox_drift.netbox_state),
        read as it is. At a thousand devices, handing the result over as I(netbox) costs Ansible
        a templated copy of every interface NetBox holds.
    type: str
  netbox_read:
    description:
      - Read NetBox in this task, in bulk, while the devices are collected (I(transport=fast)),
        as M(truthloop.netbox_drift.netbox_state) would with these options. The run then holds
        one copy of NetBox's data, in this task only; the result gives what the reports need of
        it as RV(netbox).
      - When NetBox cannot be read the task fails with the cause, whatever was collected.
    type: dict
    suboptions:
      url:
        description: NetBox's URL; by default C(NETBOX_API) or C(NETBOX_URL) from the environment.
        type: str
      token:
        description: A NetBox API token; by default C(NETBOX_TOKEN) from the environment.
        type: str
      validate_certs:
        description: Check NetBox's TLS certificate.
        type: bool
        default: true
      timeout:
        description: Seconds to wait for each NetBox answer.
        type: int
        default: 30
      page_size:
        description: Objects asked for per page.
        type: int
        default: 1000
      os_version_field:
        description: The device custom field that holds the intended software version.
        type: str
        default: software_version
      cache_dir:
        description: As M(truthloop.netbox_drift.netbox_state)'s I(cache_dir) (a repeat run reads what changed).
        type: path
      cache_max_age:
        description: As M(truthloop.netbox_drift.netbox_state)'s I(cache_max_age).
        type: int
        default: 86400
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
    description: Devices collected at once (threads, shared out over the I(processes)). Waiting on a device does not hold the others up.
    type: int
    default: 50
  processes:
    description:
      - Processes the devices are collected in (forked from this task; with C(1), none). ansible-pylibssh
        holds Python's lock while it logs in to a device, so one process logs in to one device at a
        time, and parses one output at a time; a few processes log in and parse side by side.
    type: int
    default: 1
  fail_unverified:
    description:
      - For the hosts' M(truthloop.netbox_drift.drift_host) task that reads this result with its
        O(truthloop.netbox_drift.drift_host#module:batch_var) and sets no O(truthloop.netbox_drift.drift_host#module:fail_unverified)
        of its own - fail each host whose device could not be verified at all. Set once here, it costs
        no templating per host.
    type: bool
    default: true
  fail_drift:
    description:
      - As O(fail_unverified), for O(truthloop.netbox_drift.drift_host#module:fail_drift) - fail each host
        with counted drift.
    type: bool
    default: false
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
- name: Read NetBox, collect every device and compare, in one controller process
  truthloop.netbox_drift.drift_batch:
    netbox_read:
      url: "{{ netbox_url }}"
      token: "{{ netbox_token }}"
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
host_policy:
  description: O(fail_unverified) and O(fail_drift), for the hosts' M(truthloop.netbox_drift.drift_host) task.
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
netbox:
  description:
    - What the reports need of NetBox's data (C(netbox_url), C(api_version), C(platforms) by host,
      C(missing), C(invalid) and the read's C(stats)), from I(netbox_read) or from the given result.
  returned: success
  type: dict
stats:
  description: Hosts, workers, and the seconds spent reading NetBox, collecting and comparing.
  returned: success
  type: dict
"""
