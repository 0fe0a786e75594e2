#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: device_state_offline
short_description: Parse a network device's state from saved outputs, without connecting
version_added: 0.1.0
description:
  - The offline twin of M(truthloop.netbox_drift.device_state). It uses the same templates
    and gives the same model, from files instead of an SSH session, so that a config
    backup can be checked without reaching the device.
  - Reads a snapshot directory written by the collectors (it has a C(manifest.json)), or a
    folder of C(<command>.txt) files such as C(show running-config.txt) or
    C(show_running-config.txt).
  - A command whose file is missing marks the sections it feeds as failed, never as empty;
    the file of one of its fallbacks (C(show lldp neighbors.txt)) answers for it.
  - The outputs must prove they are whole, as collected ones do; a Junos configuration is
    counted, so keep the output of C(show configuration | display set | count) beside it
    (a snapshot has it).
  - This is an action plugin. It runs on the controller and needs no connection.
author:
  - truthloop engineering (@truthloop)
extends_documentation_fragment:
  - truthloop.netbox_drift.collect
options:
  source_dir:
    description:
      - Directory holding the saved outputs. When it has a sub-directory named after the
        inventory host, that sub-directory is used, so one folder can serve a whole play
        (C(<source_dir>/<inventory_hostname>/<command>.txt)).
    type: path
    required: true
attributes:
  check_mode:
    support: full
    description: It only reads files.
  diff_mode:
    support: none
    description: Nothing is changed.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
"""

EXAMPLES = r"""
- name: Check last night's config backups instead of the live devices
  truthloop.netbox_drift.device_state_offline:
    source_dir: /srv/backups/latest
  register: state

- name: Parse one saved snapshot of an EOS switch, whatever the inventory says
  truthloop.netbox_drift.device_state_offline:
    source_dir: snapshots/20261121T101500.123Z/dc1-eos-03
    platform: arista_eos
"""

RETURN = r"""
device_state:
  description: The device as the files show it; see M(truthloop.netbox_drift.device_state).
  returned: always
  type: dict
source:
  description: The directory that was read.
  returned: always
  type: str
snapshot:
  description: Directory where the outputs were kept again, when I(snapshot_dir) is given.
  returned: when I(snapshot_dir) is given
  type: str
"""
