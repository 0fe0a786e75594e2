# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery: the devices on the network that NetBox does not know.

Starting from the inventory's devices, their LLDP/CDP neighbours are read; a neighbour
NetBox does not know is followed, breadth first and up to a depth, by logging into its
management address, but only when that address is inside the allowed prefixes and the
user named a credential for it. This package holds the decisions, as plain Python with
no Ansible and no network: ``allow`` (which addresses may be connected to),
``identity`` (who is who: one device seen by several switches is one candidate,
matched on chassis ID, then management address, then name), ``crawl`` (the
breadth-first order, the depth, the limit and what is known to NetBox) and
``records`` (one drift record per device NetBox lacks, and per NetBox device nobody
sees). The action ``truthloop.netbox_drift.discover`` opens the connections it is told to.
"""
