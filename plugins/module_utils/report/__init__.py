# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report: the drift report (``docs/drift-report.md``) and its renderings.

``report`` assembles the per-device results into the report and says whether a
pipeline should stop; ``report_slices`` merges the slices of a run sliced across AWX
jobs into the report the run gives unsliced; ``report_diff`` gives a host's drift as
Ansible's ``--diff``; ``topology`` builds the run's links and nodes, which
``topology_draw`` lays out and ``topology_svg`` draws. The renderers read the
finished report only: ``report_format`` (what they share), ``report_markdown``,
``report_junit`` and ``report_html`` (Jinja2 templates in ``templates/report/``,
loaded by ``report_html_assets``, fed by ``report_html_context``).
"""
