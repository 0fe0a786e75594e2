#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_apply
short_description: Apply the approved changes of a drift plan to NetBox
version_added: 0.3.0
description:
  - Reads a plan written by M(truthloop.netbox_drift.drift_plan) (C(plan.json)) and the
    approvals, and makes the approved changes, in plan order, through the
    C(netbox.netbox) module each change names. Nothing that is not approved is written;
    unapproved changes are listed in RV(not_approved).
  - Before changing an object the action re-reads it from NetBox. When NetBox already
    holds the planned value the change is C(unchanged), so applying the same plan twice
    changes nothing the second time. When the object changed since the plan (its
    C(last_updated) moved) or is gone, the change is refused as C(stale) and nothing is
    written for it. An object to delete that is gone already is C(unchanged). Creates
    are not re-read; the C(netbox.netbox) modules find an existing object themselves.
  - A change NetBox refuses is listed in RV(failed_changes) with NetBox's message, and the
    other changes are still made; the task fails at the end if any change failed or was
    refused as stale (the stale ones are also listed in a warning).
  - Each applied change gets a NetBox journal entry (kind C(info)) on the object changed
    or created, or for a deletion on the device the object was on, naming the change
    ID, drift ID, field, before and after values, who approved and when (UTC). The
    change log records the change as usual.
  - This is an action plugin that runs on the controller and runs the
    C(netbox.netbox) modules there; run it on C(localhost) with the C(local) connection,
    with C(pynetbox) installed for the Python that runs the modules (V(ansible_python_interpreter);
    the implicit localhost uses the controller's Python, C({{ ansible_playbook_python }})).
  - The token is never written in the result, the messages or the journal.
author:
  - truthloop engineering (@truthloop)
options:
  plan:
    description: The plan to apply, C(plan.json) from M(truthloop.netbox_drift.drift_plan).
    type: path
    required: true
  approval_file:
    description:
      - A YAML or JSON file with the approvals, C(approve) (change IDs or group IDs),
        C(approve_devices) (device names, every change of the device) and C(approved_by)
        (who approved). Mutually exclusive with O(approve) and O(approve_devices).
    type: path
  approve:
    description:
      - Change IDs or group IDs to apply, or the single word C(all) for every change of
        the plan. Needs O(approved_by).
    type: list
    elements: str
  approve_devices:
    description: Devices whose changes are all approved. Needs O(approved_by).
    type: list
    elements: str
  approved_by:
    description: Who approved O(approve) and O(approve_devices); written in the journal entries.
    type: str
  url:
    description:
      - NetBox URL, with or without C(/api). Defaults to the environment variable
        E(NETBOX_API), else E(NETBOX_URL).
    type: str
  token:
    description:
      - NetBox API token with write permission, v1 (40 hex characters) or v2
        (C(nbt_<key>.<secret>)). Defaults to the environment variable E(NETBOX_TOKEN).
    type: str
  validate_certs:
    description: Whether to check NetBox's TLS certificate.
    type: bool
    default: true
  journal:
    description: Write a NetBox journal entry for each applied change.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description:
      - The objects are re-read and the C(netbox.netbox) modules run in check mode; what
        would be applied is listed in RV(applied). No journal entries are written.
  diff_mode:
    support: full
    description: Each applied change carries the module's diff.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms of the plan's devices; the action talks to NetBox only.
notes:
  - Exactly one source of approvals is needed, O(approval_file) or O(approve) and
    O(approve_devices); with nothing approved nothing is written.
  - A cable fix (a group of two steps) is approved by its group ID or by both steps.
requirements:
  - pynetbox
  - the netbox.netbox collection
"""

EXAMPLES = r"""
- name: Apply the approved changes of a plan
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Apply what the approval file approves
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approval_file: reports/20261121T130045Z/approval.yml
      register: applied

    - name: Apply two changes and every change of one device
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approve: [c-3f1a9e0b2c4d, c-14b2de783cf9]
        approve_devices: [dc1-ios-01]
        approved_by: alice

    - name: Preview everything, writing nothing
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approve: [all]
        approved_by: alice
      check_mode: true
      diff: true
"""

RETURN = r"""
applied:
  description:
    - The changes made (in check mode, the changes that would be made). With diff mode
      each has the module's C(diff); C(journal) is the id of its journal entry.
  returned: always
  type: list
  elements: dict
  sample: [{"change_id": "c-3f1a9e0b2c4d", "drift_id": "3f1a9e0b2c4d", "device": "dc1-ios-01"}]
unchanged:
  description: Approved changes NetBox already held, with the reason.
  returned: always
  type: list
  elements: dict
stale:
  description: Approved changes refused because the object changed since the plan, with the reason naming both timestamps.
  returned: always
  type: list
  elements: dict
failed_changes:
  description:
    - Approved changes that failed, with NetBox's message (the task's C(failed) is true
      when this is not empty).
  returned: always
  type: list
  elements: dict
not_approved:
  description: The plan's changes that were not approved, with the reason.
  returned: always
  type: list
  elements: dict
check_mode:
  description: Whether this was a check-mode run.
  returned: always
  type: bool
msg:
  description: One line with the counts.
  returned: always
  type: str
  sample: "2 change(s) applied, 1 unchanged, 0 stale (refused), 0 failed, 5 not approved"
"""
