#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drift_report
short_description: Write the drift report of a run (JSON, Markdown, HTML, JUnit, topology) and gate on it
version_added: 0.2.0
description:
  - Gathers the M(truthloop.netbox_drift.drift_compare) result of every host of the run
    into one report, C(docs/drift-report.md), and writes it as C(drift.json),
    C(drift.md), a self-contained C(drift.html), C(junit.xml) and the topology
    (C(topology.html), C(topology.svg) and one C(topology-<site>.svg) per site) in
    C(<report_dir>/<run_id>/), then points C(<report_dir>/latest) at that directory unless it
    points at a run that started later (with two runs at once, C(latest) is the newest run).
  - The reports follow the user's umask, so that a web server or AWX can publish them; they hold
    only redacted evidence. The raw device outputs are in the snapshots, which are private.
  - A host without a comparison result (it failed before the comparison) is reported as
    unverified with the reason, never left out.
  - The topology pictures (NetBox's cabling and the links the devices report, per site and for
    the whole run) are laid out by Graphviz C(dot) through the Python package C(graphviz). When
    either is missing, every report is written all the same, with a note in place of the picture.
  - Checks every cable record from the far end of its link, with what the other hosts of
    the run see; a record seen from one end only is marked C(one_sided).
  - Adds the records of discovery (O(discovery_var)), when it ran, to the drift.
  - Fails the task when O(fail_on) is met, after writing the reports; the message says why
    (drift at the gate's level, the devices not verified).
  - Run it once per play (C(run_once)). This is an action plugin. It runs on the
    controller and needs no connection.
author:
  - truthloop engineering (@truthloop)
options:
  hosts:
    description:
      - The hosts of the run. Defaults to every host of the play.
      - An empty list makes a report of discovery alone (O(discovery_var)), with no device compared.
    type: list
    elements: str
  result_var:
    description: Name of the variable each host registered its M(truthloop.netbox_drift.drift_compare) result in.
    type: str
    default: drift_check_result
  results:
    description:
      - The hosts' entries, by host, as M(truthloop.netbox_drift.drift_batch) returns them
        (its C(device_drift)); then I(result_var) is not read. A host of I(hosts) without an
        entry is reported unverified.
    type: dict
    version_added: 0.4.0
  report_dir:
    description: Where the reports go; created if needed.
    type: path
    required: true
  run_id:
    description: The run's ID, the name of its report directory.
    type: str
    required: true
  started:
    description: When the run started (ISO 8601).
    type: str
  netbox_url:
    description: NetBox's address, shown in the reports. Never give a token here.
    type: str
  formats:
    description:
      - Which files to write besides C(drift.json), which is always written.
      - C(topology) writes C(topology.html), C(topology.svg) and C(topology-<site>.svg).
    type: list
    elements: str
    choices: [markdown, html, junit, topology]
    default: [markdown, html, junit, topology]
  fail_on:
    description:
      - C(never), C(any) drift, or C(severity:low), C(severity:medium), C(severity:high) for
        counted drift at or above that severity. Waived drift never counts.
      - Every value but C(never) also fails when a device is not fully verified (status
        C(unverified), or sections unverified beside drift or none), since a gate must not pass on
        devices that could not be checked.
    type: str
    default: never
  junit_threshold:
    description: A device's JUnit test case fails when it has more counted drift than this.
    type: int
    default: 0
  severity:
    description:
      - The policy's severity rules, as given to M(truthloop.netbox_drift.drift_compare).
        Only rule C(cable.one_sided) is used here (default C(low)) - the severity of a cable
        record that the far end of the link contradicts, found once every host is compared.
    type: dict
    default: {}
    version_added: 0.3.0
  topology_role_order:
    description:
      - NetBox device role slugs, top layer first, for the topology's layered drawing. Roles not
        listed follow, those whose devices have the most links first. Default C(core), C(spine),
        C(border), C(edge), C(wan), C(distribution), C(aggregation), C(leaf), C(access).
    type: list
    elements: str
    version_added: 0.4.0
  discovery_var:
    description:
      - Name of the variable holding the result of M(truthloop.netbox_drift.discover), registered
        with C(run_once). When it is defined, its records join the report's drift and its log
        is the report's C(discovery) section; when discovery failed, the report says so and every
        O(fail_on) but C(never) fails.
    type: str
    default: drift_check__discovery
    version_added: 0.4.0
  settings:
    description:
      - Settings the check used that later steps must follow, written in the report's
        C(run.settings), for example C(os_version_field), the NetBox custom field the OS
        version was read from (the plan writes that field). Never give a token here.
    type: dict
    default: {}
    version_added: 0.3.0
  slice:
    description:
      - The name of this slice when the run is made of slices (AWX job slicing, or several runs over parts of the
        inventory that share O(run_id)), made of letters, digits, C(.), C(_) and C(-).
      - A slice writes only C(<report_dir>/<run_id>/slices/<slice>.json), its hosts' results with what each device's
        neighbours are, for M(truthloop.netbox_drift.drift_merge), which writes the run's report, points C(latest)
        at it and applies O(fail_on). Slices of one run never overwrite each other.
      - The slice's RV(summary) covers its own hosts, with cables checked from the far end only within the slice.
    type: str
    version_added: 0.4.0
  peers:
    description:
      - With O(slice), the slice's hosts found in NetBox with their platforms, as given to
        M(truthloop.netbox_drift.drift_compare)'s O(truthloop.netbox_drift.drift_compare#module:peers); the merge judges
        the cable records that hang on other slices' devices against every slice's.
    type: dict
    default: {}
    version_added: 0.4.0
attributes:
  check_mode:
    support: full
    description: The reports are written in check mode too; they describe, they do not change anything.
  diff_mode:
    support: none
    description: Each host's diff comes from M(truthloop.netbox_drift.drift_compare).
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
"""

EXAMPLES = r"""
- name: Write the reports of the run
  truthloop.netbox_drift.drift_report:
    report_dir: /var/lib/netbox-drift
    run_id: "{{ run_id }}"
    fail_on: severity:high
  run_once: true
"""

RETURN = r"""
summary:
  description: The report's summary, see C(docs/drift-report.md).
  returned: always
  type: dict
report_dir:
  description: The directory of this run's reports.
  returned: always
  type: str
latest:
  description: Whether C(<report_dir>/latest) now points at this run (not when a run that started later wrote it).
  returned: success
  type: bool
  version_added: 0.4.0
files:
  description: Path of each written file by format (json, markdown, html, junit, topology, topology_svg); empty for a slice.
  returned: always
  type: dict
slice_file:
  description: The file a slice wrote (with O(slice) only).
  returned: success
  type: str
  version_added: 0.4.0
"""
