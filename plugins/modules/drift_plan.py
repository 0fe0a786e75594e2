#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_plan
short_description: Plan the NetBox changes that would make NetBox follow the devices, for review
version_added: 0.3.0
description:
  - Reads a drift report (C(drift.json), see C(docs/drift-report.md)) and, for every
    counted drift record whose authority is C(device), plans the NetBox change that would
    resolve it, as the parameters of the C(netbox.netbox) module that would make it.
  - Writes three files in O(plan_dir) in one step each. C(plan.json) holds the plan, one
    entry per change with its change ID (C(c-) and the drift ID), the drift ID, the
    object with its C(last_updated) at planning time, before and after values, and the
    module parameters, and the digest (SHA-256) of what the change writes; the plan has
    a digest over all of them. C(plan.yml) previews the plan as C(netbox.netbox) tasks,
    one per change, tagged with its change ID; it runs only with C(--check) and every
    task is forced into check mode, so it never writes; changes are written only by
    M(truthloop.netbox_drift.drift_apply). C(plan.md) is the plan for review, with each
    change ID and its digest (C(c-<id>@<digest>)) and the plan digest, which approvals name.
  - Records where NetBox is right (authority C(netbox)) are listed as needing device
    remediation, C(report) ones as report only, waived ones as skipped; a record that
    cannot be planned is listed with the reason.
  - Writes nothing to NetBox and never needs or writes the NetBox token.
  - Deletions are planned only with O(allow_delete), clearing a value (an empty
    description, no tagged VLANs left) only with O(allow_clear); neither for a device
    whose check was not complete (status other than C(clean) or C(drift)), nor for a
    cable that the far end of the link does not corroborate. Nothing is planned for a
    section of the device that was not verified. Deletions are never planned on the
    management interface or on the interface of the primary IP, which
    O(primary_interfaces) must name.
  - This is an action plugin. It runs on the controller and needs no connection.
author:
  - truthloop engineering (@truthloop)
options:
  report:
    description: The drift report to plan from, C(drift.json).
    type: path
    required: true
  plan_dir:
    description: Where C(plan.json), C(plan.yml) and C(plan.md) are written; created if needed. Defaults to the report's directory.
    type: path
  allow_delete:
    description:
      - Plan deletions for what NetBox has and the device does not (interfaces, IP
        addresses) and the removal of a wrong cable before the right one is made.
    type: bool
    default: false
  allow_clear:
    description:
      - Plan updates that clear a value in NetBox because the device has none (an empty
        description, an empty list of tagged VLANs).
    type: bool
    default: false
  sites:
    description:
      - The options O(sites), O(primary_interfaces), O(mgmt_interfaces) and O(vlan_groups)
        default to what the drift report records of each device in NetBox; given here, they win.
      - The NetBox site of each device, C(device -> site name or slug). A VLAN to create,
        and a VLAN an interface refers to, are looked up in the device's site; without it
        such records cannot be planned.
    type: dict
    default: {}
  primary_interfaces:
    description:
      - The interface (or list of interfaces) of each device's primary IP addresses,
        C(device -> name); null for a device without one. A deletion on a device that is
        not listed is not planned.
    type: dict
    default: {}
  mgmt_interfaces:
    description:
      - Further management interfaces per device, C(device -> name or list). Interfaces
        NetBox marks management-only and names like C(mgmt0), C(Management1), C(fxp0),
        C(em0) or C(me0) are management interfaces already.
    type: dict
    default: {}
  vlan_groups:
    description:
      - The VLAN group of each VLAN of a device's site that NetBox scopes by a group rather
        than by the site, C(device -> {VID -> group slug}); such VLANs are referred to by
        their group.
    type: dict
    default: {}
  os_version_field:
    description:
      - The NetBox custom field of the device that holds its OS version. Defaults to the
        field the check read (C(run.settings.os_version_field) of the report); a
        different value than the check's is refused. Without either, OS version records
        are not plannable.
    type: str
  interface_type:
    description:
      - NetBox interface type of an interface to create whose name does not say it is a
        LAG or a virtual interface.
    type: str
    default: other
attributes:
  check_mode:
    support: full
    description: The plan files are written in check mode too; planning changes nothing in NetBox.
  diff_mode:
    support: none
    description: The plan itself is the diff; its playbook gives Ansible's diff with C(--diff).
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms of the drift report.
"""

EXAMPLES = r"""
- name: Plan the NetBox changes of the latest drift report
  truthloop.netbox_drift.drift_plan:
    report: reports/latest/drift.json
    sites:
      dc1-ios-01: dc1
    primary_interfaces:
      dc1-ios-01: Vlan99
  register: plan

- name: Say what was planned
  ansible.builtin.debug:
    msg: "{{ plan.msg }}; review {{ plan.files.markdown }}"
"""

RETURN = r"""
summary:
  description: Counts of the plan.
  returned: success
  type: dict
  contains:
    changes:
      description: Number of planned changes.
      type: int
      returned: success
    by_module:
      description: Planned changes by C(netbox.netbox) module.
      type: dict
      returned: success
    by_action:
      description: Planned changes by action, C(create), C(update) or C(delete).
      type: dict
      returned: success
    remediation:
      description: Number of records where the device needs remediation.
      type: int
      returned: success
    report_only:
      description: Number of report-only records.
      type: int
      returned: success
    skipped:
      description: Number of records left out on purpose (waived, deletions off, safety rules).
      type: int
      returned: success
    unplannable:
      description: Number of records that could not be planned.
      type: int
      returned: success
files:
  description: The files written, C(json), C(playbook) and C(markdown).
  returned: success
  type: dict
  sample: {"json": "reports/20261121T130045Z/plan.json", "playbook": "reports/20261121T130045Z/plan.yml"}
digest:
  description: The plan digest (SHA-256, hex), also in C(plan.md); an approval of C(all) or of devices names it.
  returned: success
  type: str
plan_dir:
  description: The directory the plan was written in.
  returned: success
  type: str
"""
