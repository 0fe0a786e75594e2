# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the juniper_junos template tests share: the commands, the corpus fixtures,
parsing, and `curly_to_set`, which writes a curly-brace configuration the way
`show configuration | display set` prints it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import os

import corpus

PLATFORM = "juniper_junos"
CURLY = "show configuration"
SET = "show configuration | display set"
COMMANDS = (
    "show version", "show chassis hardware", SET, "show vlans",
    "show interfaces terse", "show lldp neighbors",
)
parse = functools.partial(corpus.parse, PLATFORM)
fixture = functools.partial(corpus.fixture, PLATFORM)


def curly_to_set(text):
    """`show configuration` -> `show configuration | display set`, the way Junos prints it:
    one `set` line per leaf, `[ a b ]` lists one line per value, an empty block as a
    bare `set` line, `inactive:` as a `deactivate` line after the statements it covers.
    Test helper, independent of the templates."""
    out, path, inactive, starts = [], [], [], []
    for raw in text.splitlines():
        line = raw.strip()
        if " ## " in line:
            line = line.split(" ## ")[0].rstrip()
        if not line or line.startswith(("#", "/*")):
            continue
        flag = line.startswith("inactive: ")
        if flag:
            line = line[len("inactive: "):]
        if line.endswith("{"):
            path.append(line[:-1].strip())
            inactive.append(flag)
            starts.append(len(out))
        elif line == "}":
            if starts.pop() == len(out):
                out.append("set " + " ".join(path))
            if inactive.pop():
                out.append("deactivate " + " ".join(path))
            path.pop()
        elif line.endswith(";"):
            stmt = line[:-1]
            if " [ " in stmt and stmt.endswith(" ]"):
                head, _sep, items = stmt[:-2].partition(" [ ")
                out.extend("set " + " ".join(path + [head, item]) for item in items.split())
            else:
                out.append("set " + " ".join(path + [stmt]))
            if flag:
                out.append("deactivate " + " ".join(path + [stmt]))
    return "\n".join(out) + "\n"


def both(curly_text):
    """Parse one configuration in both syntaxes; they must agree."""
    curly = corpus.runner().parse_command(PLATFORM, CURLY, curly_text)
    flat = corpus.runner().parse_command(PLATFORM, SET, curly_to_set(curly_text))
    assert curly == flat
    return curly


def config(name):
    """A hand-written curly-brace configuration from fixtures/junos_configs."""
    with open(os.path.join(corpus.FIXTURES, os.pardir, "junos_configs", name)) as handle:
        return handle.read()
