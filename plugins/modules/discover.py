#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: discover
short_description: Find the devices on the network that NetBox does not know, from the inventory's LLDP/CDP neighbours
version_added: 0.4.0
description:
  - Starts from the device models the inventory's devices gave (registered by
    M(truthloop.netbox_drift.device_state_fast) or M(truthloop.netbox_drift.device_state) in
    O(state_var)), reads their LLDP/CDP neighbours (system name, chassis ID, management
    address, platform or description, capabilities) and follows, breadth first and up to
    O(depth) hops, the neighbours NetBox does not know, by logging into their management
    address and reading their neighbours in turn.
  - Connects only to an IP address inside O(allow) (a name is never resolved; an empty
    O(allow) connects to nothing), only with an entry of O(credentials) whose O(credentials[].prefixes)
    hold the address and whose O(credentials[].description) pattern, if given, matches
    what the neighbours advertise. Nothing else is ever tried, and each address is logged into
    at most once. The SSH host key is checked as network_cli with libssh does, unless the
    entry says otherwise.
  - A neighbour is known to NetBox when NetBox has a device of its name (without domain),
    its management address on one of its interfaces (or as its primary IP), its chassis MAC
    on one of its interfaces, or the serial it gave when logged into.
  - Each device seen and absent from NetBox becomes one drift record of kind C(device), class
    C(missing_in_netbox), however many switches see it (matched on chassis ID, then management
    address, then name); each inventory device NetBox has that could not be reached and that
    no neighbour reports becomes one of class C(missing_on_device). See C(docs/drift-report.md).
  - Meant to run once per play (C(run_once)). This is an action plugin. It runs on the
    controller and opens the sessions itself, as M(truthloop.netbox_drift.device_state_fast)
    does, the devices of one level up to O(workers) at a time.
author:
  - truthloop engineering (@truthloop)
options:
  hosts:
    description: The inventory devices to start from. Defaults to every host of the play.
    type: list
    elements: str
  state_var:
    description: Name of the variable each host registered its device state in.
    type: str
    default: drift_check__state
  states:
    description:
      - The device states of the hosts, by host, as M(truthloop.netbox_drift.drift_batch) returns them
        with O(truthloop.netbox_drift.drift_batch#module:keep_states); used instead of O(state_var).
    type: dict
  workers:
    description: How many discovered devices of one level are read at once.
    type: int
    default: 10
  allow:
    description:
      - The prefixes discovery may connect to, for example C([10.0.0.0/8, 192.168.10.0/24]).
      - Empty connects to nothing; the neighbours NetBox lacks are still reported from what
        their neighbours advertise.
    type: list
    elements: str
    required: true
  depth:
    description:
      - How many hops from the inventory's devices to follow; their neighbours are 1 hop away.
      - C(0) logs into nothing.
    type: int
    default: 2
  limit:
    description: At most this many logins in one run.
    type: int
    default: 50
  credentials:
    description:
      - The credentials to log into discovered devices with, tried only where they apply (the
        first entry that applies is used, and no other). Give the secrets from Ansible Vault or
        from variables of an inventory group, never in clear text.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: A name for the entry, shown in the results (never the secrets).
        type: str
      username:
        description: The user to log in as.
        type: str
        required: true
      password:
        description: Its password. Never shown.
        type: str
      private_key_file:
        description: A private key to log in with instead of a password.
        type: path
      platform:
        description:
          - The platform of the devices this entry applies to, which selects the commands and
            templates (C(cisco_ios), C(cisco_nxos), C(arista_eos), C(juniper_junos)) or an
            C(ansible_network_os) value (C(cisco.ios.ios)...).
        type: str
        required: true
      port:
        description: The SSH port.
        type: int
        default: 22
      prefixes:
        description: The addresses the entry applies to; all of O(allow) when not given.
        type: list
        elements: str
      description:
        description:
          - A regular expression that what a neighbour advertises about the device (LLDP system
            description or CDP platform) or its name must match for the entry to apply.
        type: str
      become:
        description: Enter privileged mode after login (enable).
        type: bool
        default: false
      become_password:
        description: The enable password. Never shown.
        type: str
      host_key_checking:
        description:
          - Check the device's SSH host key against C(~/.ssh/known_hosts).
          - Defaults to the setting network_cli with libssh would use (C(ANSIBLE_HOST_KEY_CHECKING),
            C(host_key_checking) in ansible.cfg, on by default).
        type: bool
      host_key_auto_add:
        description: Add an unknown host key to known_hosts instead of refusing it.
        type: bool
        default: false
  role:
    description:
      - The NetBox device role (slug or name) to propose discovered devices with. NetBox needs
        one, and the network does not say it; without it the plan lists the devices as not plannable.
    type: str
  connect_timeout:
    description: Seconds to wait for a discovered device to answer and log in.
    type: int
    default: 10
  command_timeout:
    description: Seconds to wait for each command's output.
    type: int
    default: 30
  url:
    description: URL of NetBox; when not given, E(NETBOX_API), else E(NETBOX_URL).
    type: str
  token:
    description: NetBox API token; when not given, E(NETBOX_TOKEN). Never shown.
    type: str
  validate_certs:
    description: Check NetBox's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for each answer from NetBox.
    type: int
    default: 30
  policy:
    description:
      - The policy of the records, as M(truthloop.netbox_drift.drift_compare) takes it
        (C(authority), C(severity), C(ignore), C(waivers), C(kinds), C(fields)).
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    description: It only reads from the devices and from NetBox.
  diff_mode:
    support: none
    description: Nothing is changed.
  platform:
    support: full
    platforms: [cisco_ios, cisco_nxos, arista_eos, juniper_junos]
    description: The platforms the templates know.
requirements:
  - ansible-pylibssh
  - pynetbox
  - ttp
  - netutils
"""

EXAMPLES = r"""
- name: Discover what NetBox does not know, two hops from the inventory
  truthloop.netbox_drift.discover:
    state_var: collected
    allow: [10.0.0.0/8]
    depth: 2
    role: access
    credentials:
      - name: campus-ios
        platform: cisco_ios
        prefixes: [10.20.0.0/16]
        username: discovery
        password: "{{ vault_discovery_password }}"
        become: true
        become_password: "{{ vault_discovery_enable }}"
  run_once: true
  register: discovered
"""

RETURN = r"""
netbox_url:
  description: NetBox's address as the report gives it (without C(/api)); never the token.
  returned: success
  type: str
discovery:
  description: The records and the log of the crawl; C(docs/drift-report.md), section C(discovery).
  returned: success
  type: dict
  contains:
    records:
      description: Drift records of kind C(device), with id, severity, authority and waiver.
      type: list
      elements: dict
    log:
      description:
        - C(allow), C(depth), C(limit), C(levels), C(seeds), C(neighbour_tables), C(unreached_seeds),
          C(candidates) (each device seen with the decision taken and why), C(attempts) (every
          login, with its address, port, credential name and result), C(seconds), C(netbox)
          (requests made).
      type: dict
"""
