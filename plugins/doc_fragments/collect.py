# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Options shared by the device state collectors."""

    DOCUMENTATION = r"""
options:
  platform:
    description:
      - The device's platform, which selects the commands and the TTP templates.
      - Derived from C(ansible_network_os) when not given (C(cisco.ios.ios) or C(ios) is
        C(cisco_ios), and so on).
    type: str
    choices: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
  snapshot_dir:
    description:
      - Keep the raw outputs (secrets removed) in C(<snapshot_dir>/<run_id>/<inventory_hostname>/)
        with a C(manifest.json), so that a later run can say what changed on the device.
      - The run's and the host's directories are readable by their owner only (0700) and
        every file is 0600; a I(snapshot_dir) that already exists keeps its own mode.
      - Nothing is kept when not given.
    type: path
  run_id:
    description:
      - Name of this run's snapshot directory; give every host of a run the same one.
      - Defaults to the UTC time at which the task started on the host.
    type: str
  strict:
    description:
      - Fail the task when any section could not be collected or parsed.
      - By default the task succeeds, marks those sections C(failed) in the model and
        warns, so that the drift check reports the device as unverified rather than
        dropping it.
    type: bool
    default: false
requirements:
  - ttp
  - netutils
notes:
  - Secrets (passwords, keys, SNMP communities) are removed from every output before it
    is kept or parsed; the rules are in C(templates/redact.yml) of this collection.
"""
