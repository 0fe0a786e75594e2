# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the cisco_ios template tests share: the commands, the corpus fixtures, parsing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from textwrap import dedent

import corpus

PLATFORM = "cisco_ios"
COMMANDS = (
    "show running-config", "show version", "show inventory", "show lldp neighbors detail",
    "show cdp neighbors detail", "show interfaces status", "show vlan brief",
)
FIXTURES = os.path.join(corpus.FIXTURES, PLATFORM)


def parse(command, text):
    return corpus.runner().parse_command(PLATFORM, command, dedent(text).lstrip("\n"))


def fixture(folder, name):
    with open(os.path.join(FIXTURES, folder, name)) as handle:
        return handle.read()


def by_name(result):
    return dict((r["name"], r) for r in result.get("interfaces", []))
