#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_host
short_description: One host's part of a batched drift check, as its own task result
version_added: 0.4.0
description:
  - Gives a host the result M(truthloop.netbox_drift.drift_batch) made for it, as a task of its
    own, so that every host of a batched run still appears in the play recap, in AWX's per-host
    events, in C(--diff) and under C(--limit).
  - Reports as changed when the host has counted drift, with Ansible's diff (NetBox before,
    the device after) under C(--diff).
  - Fails the host when it has counted drift and I(fail_drift) is true.
  - Fails the host when its device could not be verified at all (unreachable, login or host
    key refused, nothing parsed, not in NetBox), naming the cause, unless I(fail_unverified) is
    false. Run it after the reports are written, so that a failed host is in them.
  - This is an action plugin. It runs on the controller and needs no connection.
author:
  - truthloop engineering (@truthloop)
options:
  batch_var:
    description:
      - Name of the variable that registered M(truthloop.netbox_drift.drift_batch) (with C(run_once)).
        The host's entry, cause and warnings are read from it directly, which costs each host less
        than templating them into O(result), O(cause) and O(warnings) (the role does this).
      - Mutually exclusive with O(result).
    type: str
  result:
    description: This host's entry of the batch's C(device_drift).
    type: dict
  cause:
    description: Why this host could not be verified, from the batch's C(causes).
    type: str
  warnings:
    description: This host's warnings from the batch's C(warnings_by_host).
    type: list
    elements: str
    default: []
  fail_unverified:
    description:
      - Fail the host when its device could not be verified at all.
      - When not set, the batch's own O(truthloop.netbox_drift.drift_batch#module:fail_unverified)
        with O(batch_var) (the role sets it there, once for the run), else V(true).
    type: bool
  fail_drift:
    description:
      - Fail the host when it has counted drift, naming how many records; for verification after
        a change (the role's C(verify) entry point), where drift left by a push should stop the host.
      - Waived records and notes do not count.
      - When not set, the batch's own O(truthloop.netbox_drift.drift_batch#module:fail_drift) with
        O(batch_var), else V(false).
    type: bool
attributes:
  check_mode:
    support: full
    description: It only reports.
  diff_mode:
    support: full
    description: NetBox's values before and the device's after, one line per drift.
  platform:
    support: full
    platforms: all
    description: Any host of the batch.
"""

EXAMPLES = r"""
- name: Each host's result, diff and failure, read from the batch's registered result
  truthloop.netbox_drift.drift_host:
    batch_var: batch
  register: drift

- name: Each host's result, diff and failure
  truthloop.netbox_drift.drift_host:
    result: "{{ batch.device_drift[inventory_hostname] | default(none) }}"
    cause: "{{ batch.causes[inventory_hostname] | default(omit) }}"
    warnings: "{{ batch.warnings_by_host[inventory_hostname] | default([]) }}"
  register: drift
"""

RETURN = r"""
device_drift:
  description: The host's entry of the report, as M(truthloop.netbox_drift.drift_compare) returns it.
  returned: always
  type: dict
"""
