#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: netbox_state
short_description: Read what NetBox says every device of the play should be, in bulk
version_added: 0.1.0
description:
  - Reads the intended state of many devices from NetBox at once, the device, its
    interfaces (modes, VLANs, LAG, VRF, cable peers), IP addresses and the VLANs of its
    site, and returns one intended model per host, in NetBox's vocabulary, for
    comparison with what M(truthloop.netbox_drift.device_state) collects.
  - The number of requests to NetBox grows with the object types and the pages of
    results, never with the number of devices; every request asks only for the fields
    it needs (NetBox 4.2 or newer).
  - Meant to run once per play (C(run_once=true)). This is an action plugin. It runs on
    the controller and needs no connection to the devices.
  - Hosts that NetBox does not know are listed in RV(missing) with a warning; they are
    not a failure of this task.
  - With O(cache_dir), a run reads only what changed in NetBox since the previous run read the same
    hosts - NetBox's change log (C(core/object-changes)) says which objects were created, updated or deleted,
    and those, with every object that holds one of them, are read again by id. The first run, and any run
    in doubt, reads in full - no cache for this NetBox, query and token, NetBox's version changed, the change log
    trimmed past the cache or not readable by the token, a change it cannot place (a custom field's
    definition, patch panels, circuits), or a cache older than O(cache_max_age). RV(stats) says which
    (C(read), C(reason)). The intended state is the same either way.
requirements:
  - pynetbox (on the controller)
author:
  - truthloop engineering (@truthloop)
options:
  url:
    description:
      - URL of NetBox, for example C(https://netbox.example.com), with or without C(/api).
      - When not given, the environment variable E(NETBOX_API), else E(NETBOX_URL).
    type: str
  token:
    description:
      - NetBox API token, a v2 token (NetBox 4.5 or newer, C(nbt_<key>.<secret>), sent as
        C(Bearer)) or a v1 token (40 hexadecimal characters, sent as C(Token)).
      - When not given, the environment variable E(NETBOX_TOKEN).
      - Never shown in any result or message.
    type: str
  validate_certs:
    description:
      - Check NetBox's TLS certificate.
    type: bool
    default: true
  hosts:
    description:
      - Inventory names of the devices to read (the NetBox device names).
      - When not given, every host of the play (C(ansible_play_hosts_all)).
    type: list
    elements: str
  timeout:
    description:
      - Seconds to wait for each answer from NetBox.
    type: int
    default: 30
  page_size:
    description:
      - Objects per page of results. NetBox caps it at its C(MAX_PAGE_SIZE) (1000 by
        default); the pages are followed whatever the cap.
    type: int
    default: 1000
  os_version_field:
    description:
      - Name of the device custom field that holds the intended software version.
    type: str
    default: software_version
  cache_dir:
    description:
      - Where to keep what was read, for the next run's incremental read, one file per NetBox URL, query and
        token (a hash names it; the token itself is never written). Readable by its owner only.
      - Not given, every run reads in full.
      - The token needs to read NetBox's change log (C(core.view_objectchange)) for incremental reads.
    type: path
    version_added: 0.4.0
  cache_max_age:
    description: Seconds after which a full read is made again whatever the change log says.
    type: int
    default: 86400
    version_added: 0.4.0
attributes:
  check_mode:
    support: full
    description: It only reads from NetBox.
  diff_mode:
    support: none
    description: Nothing is changed.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: Any device NetBox knows; the platform only names the model's vocabulary.
"""

EXAMPLES = r"""
- name: What NetBox says every device of the play should be
  truthloop.netbox_drift.netbox_state:
    url: https://netbox.example.com
    validate_certs: true
  run_once: true
  register: intended

- name: The intended access VLAN of one port
  ansible.builtin.debug:
    msg: "{{ intended.netbox_state['dc1-sw-01'].interfaces['GigabitEthernet1/0/1'].untagged_vlan }}"
"""

RETURN = r"""
platforms:
  description:
    - The platform of each host found in NetBox, by inventory name, for
      M(truthloop.netbox_drift.drift_compare)'s O(truthloop.netbox_drift.drift_compare#module:peers).
  returned: success
  type: dict
netbox_state:
  description: The intended model of each host found in NetBox, by inventory name.
  returned: success
  type: dict
  contains:
    device:
      description: Inventory name.
      type: str
    source:
      description: Always C(netbox).
      type: str
    platform:
      description:
        - The platform of the host's device model (from C(ansible_network_os)), else NetBox's
          platform slug, else null.
      type: str
    netbox:
      description: The device in NetBox, C(id), C(url) (its page), C(last_updated), C(site) (slug), C(status) and C(tags) (slugs).
      type: dict
    facts:
      description: serial, model and part_number (of the device type), platform (NetBox's slug) and os_version (the custom field).
      type: dict
    interfaces:
      description:
        - By interface name. Each has name, type, enabled, description, mtu (null when NetBox
          records none), mode (access, tagged, tagged-all, q-in-q or null), untagged_vlan (a
          VID), tagged_vlans (sorted VIDs), lag, vrf, mgmt_only, ipv4 and ipv6 (CIDR lists),
          tags, cable and netbox (id, url, last_updated).
        - C(cable) is null or has id, url, peer_device, peer_port and peer_type (for example
          C(dcim.interface) or C(circuits.circuittermination)).
      type: dict
    ip_addresses:
      description: By address (CIDR), each with address, interface, vrf, role, status and netbox.
      type: dict
    vlans:
      description:
        - The VLANs of the device's site by VID (a string), each with vid, name, scope (site or group),
          group (the VLAN group's slug, or null) and netbox.
      type: dict
    primary_ip4:
      description: The primary IPv4 address (CIDR) or null.
      type: str
    primary_ip6:
      description: The primary IPv6 address (CIDR) or null.
      type: str
  sample:
    dc1-ios-01:
      device: dc1-ios-01
      source: netbox
      platform: cisco_ios
      facts: {serial: FOC8471DA14, model: C9300-48P, part_number: null, platform: cisco_ios, os_version: 17.9.4a}
missing:
  description: Hosts that NetBox does not have (no device of that name).
  returned: success
  type: list
  elements: str
invalid:
  description: Hosts left out of RV(netbox_state) because their NetBox data does not fit the model, or because two devices have that name, with the reason.
  returned: success
  type: dict
stats:
  description:
    - C(requests) made to NetBox, C(seconds), C(bytes) received, requests C(by_endpoint), the C(pagination) used
      and object counts.
    - With O(cache_dir), also C(read) (C(full) or C(incremental)), C(reason) (why a full read), C(changes) (change
      log entries applied), C(reread) (objects read again, by kind), C(cache) (its file) and C(cache_error).
  returned: success
  type: dict
netbox_url:
  description: The NetBox base URL (of its web pages).
  returned: success
  type: str
api_version:
  description: NetBox's API version (its C(API-Version) header).
  returned: success
  type: str
"""
