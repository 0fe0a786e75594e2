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
    unapproved changes are listed in RV(not_approved). This is the only way the
    collection writes NetBox; the plan's C(plan.yml) only previews.
  - What is written is what was reviewed. Every change of the plan carries the digest
    (SHA-256) of what it writes, and the plan a digest over them all. A plan whose
    content no longer matches its digests, or that names no NetBox (C(netbox_url)), is
    refused whole before anything is read or written. Each approved change must be
    bound to a digest the reviewer saw in C(plan.md) - its own, as C(c-<id>@<digest>),
    or the plan digest (O(plan_digest), or C(plan_digest) in the approval file) - so a
    change edited after review is refused even when its digest was recomputed. Names
    that are not in the plan (change IDs, O(approve_devices)) refuse the approval.
  - Before changing an object the action re-reads it from NetBox. When NetBox already
    holds the planned value the change is C(unchanged), so applying the same plan twice
    changes nothing the second time. When the object changed since the plan (its
    C(last_updated) moved) or is gone, the change is refused as C(stale) and nothing is
    written for it. An object to delete that is gone already is C(unchanged). Creates
    are not re-read; the C(netbox.netbox) modules find an existing object themselves.
  - After each write the object is read back. A value NetBox did not take (it drops a
    custom field it does not have, for one) makes the change failed, with what NetBox
    holds, and it gets no journal entry.
  - A change NetBox refuses is listed in RV(failed_changes) with the cause (the
    module's message, the message of its exception, the HTTP status), and the other
    changes are still made; the task fails at the end if any change failed or was
    refused as stale (the stale ones are also listed in a warning), and its C(msg)
    names each failed change and its cause.
  - NetBox reads give up after O(timeout) seconds and are tried again twice on a
    transient error (502, 503, 504, a reset connection, a read timeout). The
    C(netbox.netbox) modules take no timeout, so each (a change or a journal entry)
    runs under C(timeout(1)) and is stopped after O(timeout) seconds.
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
      - A YAML or JSON file with the approvals, C(approve) (change IDs or group IDs, each
        change ID best with its digest, C(c-<id>@<digest>)), C(approve_devices) (device
        names, every change of the device), C(plan_digest) (the plan digest reviewed,
        needed for entries without their own digest) and C(approved_by) (who approved).
        Mutually exclusive with O(approve) and O(approve_devices).
    type: path
  approve:
    description:
      - Change IDs or group IDs to apply, or the single word C(all) for every change of
        the plan. Needs O(approved_by).
      - A change ID may carry the digest shown beside it in C(plan.md),
        C(c-<id>@<digest>) (12 to 64 hex digits); an entry without one needs O(plan_digest).
    type: list
    elements: str
  approve_devices:
    description: Devices whose changes are all approved. Needs O(approved_by).
    type: list
    elements: str
  approved_by:
    description: Who approved O(approve) and O(approve_devices); written in the journal entries.
    type: str
  plan_digest:
    description:
      - The plan digest the reviewer saw (in C(plan.md), in the plan task's output), 12 to
        64 hex digits. Binds approvals without their own digest (C(all), devices, bare
        change IDs) to the plan as reviewed. Completes an O(approval_file) that has none.
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
  timeout:
    description:
      - Seconds to wait for NetBox, for each request of the re-reads and for each
        C(netbox.netbox) module run (a change or a journal entry), which is stopped after it.
    type: int
    default: 30
attributes:
  check_mode:
    support: full
    description:
      - The objects are re-read and the C(netbox.netbox) modules run in check mode; what
        would be applied is listed in RV(applied). No journal entries are written.
  diff_mode:
    support: full
    description:
      - Each applied (in check mode, each would-be applied) change is shown as a diff,
        NetBox's value before and the planned value after, VLANs by VID.
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

    - name: Apply two changes, each with the digest plan.md shows beside it
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approve: [c-3f1a9e0b2c4d@9c2e41d07b3a, c-14b2de783cf9@51aa0e7c6f12]
        approved_by: alice

    - name: Apply every change of one device, as the plan digest in plan.md was reviewed
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approve_devices: [dc1-ios-01]
        plan_digest: 0b6e1f3d52a7c9e8
        approved_by: alice

    - name: Preview everything, writing nothing
      truthloop.netbox_drift.drift_apply:
        plan: reports/20261121T130045Z/plan.json
        approve: [all]
        plan_digest: 0b6e1f3d52a7c9e8
        approved_by: alice
      check_mode: true
      diff: true
"""

RETURN = r"""
applied:
  description:
    - The changes made (in check mode, the changes that would be made). With diff mode
      each has its C(diff) (before and after, as the task's diff shows them); C(journal)
      is the id of its journal entry.
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
    - Approved changes that failed, with the cause (the task's C(failed) is true when
      this is not empty); a change whose value NetBox did not take has C(held), what
      NetBox holds.
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
