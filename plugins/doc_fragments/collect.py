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
  commands:
    description:
      - Changes to the commands a platform runs, keyed by platform (C(cisco_ios),
        C(cisco_nxos), C(arista_eos), C(juniper_junos)); each value is a list of entries
        applied to that platform's own list (C(templates/ttp/<platform>.yml)). Only the
        entries of the device's platform are used.
      - An entry with C(replaces) runs C(command) instead of one of the platform's
        commands, for devices that refuse that command but allow another with the same
        output format (C(more system:running-config) for C(show running-config)). It
        feeds the same sections, is parsed with the same template unless C(template) is
        given, keeps the platform's fallbacks unless C(fallback) is given, and its output
        must pass the same completeness checks.
      - An entry without C(replaces) adds a command. Without C(sections) it is only kept
        in the snapshot (a plain string is short for that); with C(sections) (facts,
        interfaces, vlans, neighbors) it is parsed with C(template) (by default
        C(<platform>_<command>.ttp)) and feeds those sections; C(optional=true) makes
        its failure a warning instead of an unverified section.
      - C(fallback) is a list of commands (or C({command, template}) dicts) run one after
        the other, in the same session, only when the command before them fails or is
        refused; the device model records which command answered.
      - C(template) is the file name of a template shipped in this collection's
        C(templates/ttp/) or the absolute path of your own TTP template.
      - An entry that cannot be used (unknown key, a C(replaces) that names no command
        of the platform, a template that does not exist, a command listed twice) fails
        the task with a message naming the host, the platform and the entry.
    type: dict
    default: {}
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
