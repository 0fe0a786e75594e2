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
  - Compares device facts (hostname, serial, model, platform, OS version when NetBox records
    it), interfaces (existence, enabled, description, MTU, mode, access, native and tagged
    VLANs, LAG, VRF), IP addresses by VRF and address (interface, prefix length, VRF,
    anycast role), the VLANs NetBox scopes to the device and LLDP/CDP neighbours against
    cables.
  - A device that calls itself by another name than NetBox's gets one C(hostname) record
    and nothing else is compared (policy C(identity)).
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
  netbox_error:
    description:
      - Why NetBox's record of this host could not be used (this host's entry of the
        C(invalid) result of M(truthloop.netbox_drift.netbox_state), for example two devices
        of that name). The host is then unverified with this reason, not "not in NetBox".
    type: str
    version_added: 0.4.0
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
  defer_peers:
    description:
      - For a slice of a run, whose O(peers) are only the slice's own hosts. A cable record that hangs on whether its
        far end is a device of the run (a cabled port with no neighbour, a neighbour where NetBox has no cable, the
        name of a neighbour) and whose far end is not in O(peers) is kept, marked C(peer_check), for
        M(truthloop.netbox_drift.drift_merge) to judge once every slice's hosts are known.
    type: bool
    default: false
    version_added: 0.4.0
  policy:
    description:
      - What to check and how to judge it; see the role's variables.
      - Keys C(kinds), C(fields), C(authority), C(severity), C(ignore), C(waivers), C(ignore_tag),
        C(vlan_scope), C(tagged_all), C(identity), C(report_unconfigured) and C(report_platform_vlans).
    type: dict
    default: {}
  commands:
    description:
      - The C(commands) option the device state task had (the role's C(drift_check_commands)), so
        that the previous snapshot is read with the same commands as this run.
    type: dict
    default: {}
    version_added: 0.4.0
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
      description:
        - C(drift) (counted drift found), C(clean) (every section verified, no drift), C(partial)
          (no drift in the sections that could be verified, some could not), C(unverified)
          (nothing could be verified) or C(skipped).
      type: str
      returned: always
    label:
      description: The status for a person, with the unverified sections, e.g. C(drift, 2 sections unverified).
      type: str
      returned: always
      version_added: 0.4.0
    notes:
      description:
        - What was seen but deliberately not judged, and NetBox data that could not be read, e.g.
          C(factory_ports), C(shared_segments), C(unidentified), C(netbox_problems).
      type: dict
      returned: always
      version_added: 0.4.0
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
