# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconcile: from a drift report to reviewed, approved NetBox changes, and their apply.

``plan`` makes the reviewable plan (``plan_changes`` plans the change for each drift
record, ``plan_new_device`` the changes that document a discovered device) and
``plan_render`` shows it as Markdown and as a check-mode playbook; ``plan_digest``
binds each change to what its reviewer saw and ``plan_approval`` picks the approved
changes; ``apply`` decides, against NetBox re-read just before, whether each approved
change is still to be written, and ``apply_verify`` checks after the write that NetBox
holds it. Nothing here talks to NetBox or holds its token: the controller
(``plugins/plugin_utils/netbox_apply``) does the writes.
"""
