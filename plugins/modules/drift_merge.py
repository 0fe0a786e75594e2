#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_merge
short_description: Write the one drift report of a run made in slices, and gate on it
version_added: 0.4.0
description:
  - A run made in slices (AWX job slicing, or several runs over parts of the inventory sharing one run ID) has
    each slice write its hosts' results in C(<report_dir>/<run_id>/slices/<slice>.json)
    (M(truthloop.netbox_drift.drift_report) with its C(slice) option). This reads them all and writes the run's
    report, C(drift.json), C(drift.md), C(drift.html) and C(junit.xml), in C(<report_dir>/<run_id>/), as
    M(truthloop.netbox_drift.drift_report) writes an unsliced run's, then points C(<report_dir>/latest) at it
    unless it points at a run that started later.
  - The report is made from the union of the slices' per-device results by the same code as an unsliced run's,
    so it is the same report; cable records whose two ends fell into different slices are checked from the far
    end here, with every slice's neighbours.
  - Refuses, writing nothing, slices that cannot make one report, naming the file or slice - an unreadable
    slice file, a slice of another run, slices run with different settings (NetBox, C(fail_on), JUnit
    threshold, report settings, severity rules, formats), a host in two slices, a run without slices.
  - Each host of O(hosts) that no slice holds is reported unverified (its slice did not report) and fails the
    task after the reports are written; so do fewer slices than O(slices).
  - Fails the task when O(fail_on) is met, after writing the reports.
  - Run it once, on the controller (this is an action plugin; it needs no connection).
author:
  - truthloop engineering (@truthloop)
options:
  report_dir:
    description: The reports directory the slices wrote into.
    type: path
    required: true
  run_id:
    description: The run's ID, the name of its directory under O(report_dir); every slice of the run used it.
    type: str
    required: true
  hosts:
    description:
      - The hosts the run must hold (the check's inventory, its C(drift_check_hosts) pattern). Each one that no
        slice holds is unverified and fails the merge. Not given, the hosts are the slices' own.
    type: list
    elements: str
  slices:
    description: How many slices the run must have (an AWX job template's C(job_slice_count)); C(0) - any.
    type: int
    default: 0
  fail_on:
    description:
      - The gate, as M(truthloop.netbox_drift.drift_report)'s O(truthloop.netbox_drift.drift_report#module:fail_on).
        Not given, the slices' own (they agree on it).
    type: str
  formats:
    description: Which files to write besides C(drift.json). Not given, the slices' own.
    type: list
    elements: str
    choices: [markdown, html, junit]
attributes:
  check_mode:
    support: full
    description: The reports are written in check mode too; they describe, they do not change anything.
  diff_mode:
    support: none
    description: Each host's diff is shown by its slice.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
"""

EXAMPLES = r"""
- name: Write the report of a run made in four AWX slices
  truthloop.netbox_drift.drift_merge:
    report_dir: /var/lib/netbox-drift
    run_id: "{{ drift_check_run_id }}"
    hosts: "{{ query('ansible.builtin.inventory_hostnames', 'all') }}"
    slices: 4
  run_once: true
"""

RETURN = r"""
summary:
  description: The report's summary, see C(docs/drift-report.md).
  returned: success
  type: dict
report_dir:
  description: The directory of the run's reports.
  returned: success
  type: str
files:
  description: Path of each written file by format (json, markdown, html, junit).
  returned: success
  type: dict
latest:
  description: Whether C(<report_dir>/latest) now points at this run.
  returned: success
  type: bool
slices:
  description: The names of the slices merged.
  returned: success
  type: list
  elements: str
run_id:
  description: The run's ID.
  returned: success
  type: str
incomplete:
  description: Why the run is incomplete (hosts in no slice, fewer slices than O(slices)); empty when it is whole.
  returned: success
  type: list
  elements: str
"""
