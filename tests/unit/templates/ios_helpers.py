# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the cisco_ios template tests share: the commands, the corpus fixtures, parsing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

import corpus

PLATFORM = "cisco_ios"
COMMANDS = (
    "show running-config", "show version", "show inventory", "show lldp neighbors detail",
    "show cdp neighbors detail", "show interfaces status", "show vlan brief",
)
parse = functools.partial(corpus.parse, PLATFORM)
fixture = functools.partial(corpus.fixture, PLATFORM)
by_name = corpus.by_name
