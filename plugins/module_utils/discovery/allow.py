# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which management addresses discovery may connect to.

Only an IP address literal inside one of the allowed prefixes is ever connected to: a
name is never resolved (DNS could send the connection anywhere), and an empty list of
prefixes allows nothing, so discovery then only reports what the neighbours advertise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress


class AllowError(Exception):
    """A prefix that cannot be read."""


def prefixes(values, what="discover_allow"):
    """The networks of ``values`` (``["10.0.0.0/8", "2001:db8::/32"]``); raises AllowError
    naming the entry that is not a prefix. Host bits are cleared (``10.1.1.1/8`` is
    ``10.0.0.0/8``)."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise AllowError("%s must be a list of prefixes such as 10.0.0.0/8, got %r" % (what, values))
    found = []
    for index, value in enumerate(values):
        try:
            found.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise AllowError("%s[%d] is not an IP prefix: %r" % (what, index, value))
    return found


def address(value):
    """``value`` as an IP address, or None when it is not an IP address literal (a name,
    a MAC, empty)."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def contains(networks, value):
    """Whether the address ``value`` is inside one of ``networks``."""
    found = address(value)
    return found is not None and any(found.version == net.version and found in net for net in networks)


def decide(value, networks):
    """``(allowed, reason)`` for connecting to the management address ``value``: reason
    says why not, None when allowed."""
    if value in (None, ""):
        return False, "it advertises no management address"
    if address(value) is None:
        return False, "its management address %r is not an IP address (names are never resolved)" % (value,)
    if not networks:
        return False, "discover_allow is empty: discovery connects to nothing"
    if not contains(networks, value):
        return False, "its management address %s is outside discover_allow (%s)" % (
            value, ", ".join(str(net) for net in networks))
    return True, None
