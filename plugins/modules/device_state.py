#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: device_state
short_description: Collect a network device's state over network_cli, in one model for every vendor
version_added: 0.1.0
description:
  - Runs the platform's show commands in the device's persistent
    C(ansible.netcommon.network_cli) session (one SSH session per device, with every
    setting you already use for network_cli, such as jump hosts, enable and timeouts).
  - Parses the outputs with the TTP templates shipped in this collection into one
    vendor-neutral model, the same for Cisco IOS/IOS-XE, NX-OS, Arista EOS and Juniper
    Junos; see RETURN.
  - Every section (facts, interfaces, vlans, neighbors) says whether it was collected
    and parsed; a section that failed is C(null), never an empty list.
  - A command the device rejects is reported with the device's error line. After a command
    times out, the commands left are not sent (each would wait the full command timeout);
    they are reported as not run, with the reason.
  - An output is trusted only once it proves it is whole (the running-config's C(end), a
    Junos configuration's line count, the entry count an LLDP table prints, the
    interfaces the status listing shows) and its template recognised what it holds;
    otherwise the sections it feeds fail with a reason naming the command and the cause.
    The rules are data in the collection's C(templates/ttp/<platform>.yml).
  - C(show version) must name the platform the device is collected as; a device that
    says it is another supported platform has every section failed.
  - A command that fails or is refused is followed, in the same session, by its
    fallbacks (C(show lldp neighbors) for C(show lldp neighbors detail)...); the model
    records which command answered.
  - This is an action plugin. It runs on the controller and starts no module process.
  - M(truthloop.netbox_drift.device_state_fast) gives the same result for much less
    controller CPU.
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
"""

EXAMPLES = r"""
- name: Collect every device's state
  truthloop.netbox_drift.device_state:
    snapshot_dir: "{{ playbook_dir }}/snapshots"
  register: state

- name: Interfaces that are administratively down
  ansible.builtin.debug:
    msg: "{{ state.device_state.interfaces | dict2items | selectattr('value.enabled', 'false') | map(attribute='key') }}"
"""

RETURN = r"""
device_state:
  description: The device as it is, in the vendor-neutral model.
  returned: always
  type: dict
  contains:
    device:
      description: Inventory name.
      type: str
    platform:
      description: Platform whose templates parsed the outputs.
      type: str
    sections:
      description: Per section (facts, interfaces, vlans, neighbors), C(status) (ok, failed or unsupported), the C(commands) that feed it and their C(errors).
      type: dict
    facts:
      description: Hostname, serial, model and os_version; null if the section failed.
      type: dict
    interfaces:
      description:
        - By long interface name. Each has enabled, description, mtu (null for the platform
          default), mode (access, trunk, routed or null), access_vlan, native_vlan,
          tagged_vlans (a sorted list or C(all)), voice_vlan, lag, vrf, ipv4 and ipv6 (CIDR lists)
          and oper_status. Null if the section failed.
      type: dict
    vlans:
      description: By VLAN ID (as a string), each with vid and name; null if the section failed.
      type: dict
    neighbors:
      description: LLDP and CDP neighbours (local_port, remote_system, remote_port, mgmt_address, protocol); null if the section failed.
      type: list
      elements: dict
    detected_platform:
      description:
        - The platform C(show version) names (C(cisco_ios), C(cisco_nxos), C(arista_eos),
          C(juniper_junos)), null when it names none or was not collected.
        - When it differs from I(platform), every section is failed.
      type: str
    commands:
      description:
        - One entry per command of the platform's plan, with C(command), C(answered_by)
          (the command that answered, a fallback, or null when none did), C(template),
          C(sections), C(optional) and C(error) (why its output was not trusted, or null).
      type: list
      elements: dict
    collected:
      description: run_id, start and end times (UTC) and transport.
      type: dict
  sample:
    device: dc1-ios-01
    platform: cisco_ios
    facts: {hostname: dc1-ios-01, serial: FOC1A2B3C4D, model: C9300-48P, os_version: 17.9.4a}
snapshot:
  description: Directory where the raw outputs were kept.
  returned: when I(snapshot_dir) is given
  type: str
collect_error:
  description: Why the device could not be talked to at all (the same connection error for the first two commands); every section is then unverified.
  returned: when the device did not answer at all
  type: str
"""
