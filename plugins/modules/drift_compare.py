#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_compare
short_description: Compare one device's collected state with what NetBox says about it
version_added: 0.2.0
description:
  - Compares the state a device state task collected with the intended state that
    M(truthloop.netbox_drift.netbox_state) read from NetBox, and returns the drift
    records of the host with their evidence, as described in C(docs/drift-report.md).
  - Compares device facts (serial, model, platform, OS version when NetBox records it),
    interfaces (existence, enabled, description, MTU, mode, access, native and tagged
    VLANs, LAG, VRF), IP addresses (interface, prefix length, VRF), the VLANs of the
    device's site and LLDP/CDP neighbours against cables.
  - A section of the device that was not collected or not parsed produces no drift, only
    an C(unverified) entry; an unreachable device is C(unverified), never clean.
  - Reports as changed when there is counted drift, and gives Ansible's diff (NetBox
    before, the device after) with C(--diff).
  - This is an action plugin. It runs on the controller and needs no connection.
author:
  - truthloop engineering (@truthloop)
options:
  device_state:
    description:
      - The registered result of M(truthloop.netbox_drift.device_state),
        M(truthloop.netbox_drift.device_state_fast) or
        M(truthloop.netbox_drift.device_state_offline) for this host, including a failed or
        unreachable result, or the device model alone.
    type: dict
    required: true
  intended:
    description:
      - This host's entry of the C(netbox_state) result of
        M(truthloop.netbox_drift.netbox_state). Null when NetBox has no such device.
    type: dict
  peers:
    description:
      - The devices of the run and their platforms, as C(name -> platform). A neighbour
        that is one of them is expected to match a cable; other neighbours are reported
        only with O(report_unknown_neighbors).
    type: dict
    default: {}
  report_unknown_neighbors:
    description: Report neighbours that are not devices of the run where NetBox has no cable.
    type: bool
    default: false
  policy:
    description:
      - What to check and how to judge it; see the role's C(drift_check_policy).
      - Keys C(kinds), C(fields), C(authority), C(severity), C(ignore), C(waivers) and C(ignore_tag).
    type: dict
    default: {}
  previous:
    description:
      - Say what changed on the device since its previous snapshot in O(snapshot_dir).
    type: bool
    default: true
  snapshot_dir:
    description: Where the device state task kept its snapshots.
    type: path
  today:
    description: The date waivers expire against, C(YYYY-MM-DD); today when not given.
    type: str
attributes:
  check_mode:
    support: full
    description: It only compares.
  diff_mode:
    support: full
    description: NetBox's values before and the device's after, one line per drift.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
requirements:
  - netutils
"""

EXAMPLES = r"""
- name: Compare each device with NetBox
  truthloop.netbox_drift.drift_compare:
    device_state: "{{ state }}"
    intended: "{{ netbox.netbox_state[inventory_hostname] | default(none) }}"
    peers: "{{ netbox.platforms }}"
    policy:
      authority:
        interface.description: device
      waivers:
        - device: dc1-ios-01
          kind: interface
          key: ^GigabitEthernet1/0/2$
          reason: change CHG-1234 in progress
          expires: "2026-12-31"
  register: drift
"""

RETURN = r"""
device_drift:
  description: The host's entry of the report, with its drift records.
  returned: always
  type: dict
  contains:
    status:
      description: C(clean), C(drift), C(partial), C(unverified) or C(skipped).
      type: str
      returned: always
    drift:
      description: Number of counted (not waived) drift records.
      type: int
      returned: always
    records:
      description: The drift records, see C(docs/drift-report.md).
      type: list
      elements: dict
      returned: always
    unverified:
      description: The sections that could not be verified, with the reason.
      type: list
      elements: dict
      returned: always
    neighbors:
      description:
        - What the device sees, as C([local port, remote system, remote port]) rows, or null when its
          neighbours were not verified. M(truthloop.netbox_drift.drift_report) checks the other hosts' cable
          records from this end of the link with it; it is not written to the report.
      type: list
      elements: list
      returned: always
      version_added: 0.3.0
"""
