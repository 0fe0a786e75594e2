# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SSH host key check of the direct session (:mod:`.direct_cli`).

ansible-pylibssh checks the server's key against a known_hosts file inside
``Session.connect()``, after the key exchange and before any authentication, and
asks a policy object (``missing_host_key``) what to do with a key the file does not
hold; an exception raised there ends the connection. So no password (nor any
authentication request) ever reaches a host whose key is refused here.

The rules are those of network_cli with libssh (``ansible.netcommon.libssh``: its
``host_key_checking`` and ``host_key_auto_add`` settings, resolved by the action),
with one rule made stricter:

* checking on: a key that known_hosts does not hold is refused, unless
  ``host_key_auto_add`` is set, then it is added to the file (as libssh does);
* a key that differs from the one known_hosts holds for the host (same type, or only
  keys of another type known) is refused whether checking is on or off. network_cli
  with checking off does not look; OpenSSH refuses password authentication then, and
  so do we: a changed key on a device is what a man-in-the-middle looks like;
* checking off: a key that known_hosts does not hold is accepted and not recorded.

Every refusal names the host, the key's type and fingerprint (SHA1, as libssh gives
it) and the known_hosts file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

# the start of libssh's message (pylibsshext KNOW_HOST_MSG_MAP) for a key the file lacks
_UNKNOWN = "Host is unknown"


class HostKeyRefused(Exception):
    """The server's host key was refused: nothing was sent to it."""


def default_known_hosts():
    """The user's known_hosts file, ``~/.ssh/known_hosts`` (``$HOME`` first)."""
    return os.path.expanduser(os.path.join("~", ".ssh", "known_hosts"))


def known_host_name(host, port):
    """How known_hosts spells the host: ``host``, or ``[host]:port`` off port 22."""
    return host if int(port) == 22 else "[%s]:%s" % (host, port)


class HostKeyPolicy:
    """What pylibsshext's ``Session.set_missing_host_key_policy`` takes (see above)."""

    def __init__(self, target, host, port, known_hosts, checking=True, auto_add=False):
        self.target = target
        self.name = known_host_name(host, port)
        self.known_hosts = known_hosts
        self.checking = bool(checking)
        self.auto_add = bool(auto_add)
        self.added = None  # the fingerprint of a key added to known_hosts

    def missing_host_key(self, session, hostname, username, key_type, fingerprint, message):
        key = "%s key %s" % (key_type or "host", fingerprint or "(no fingerprint)")
        if not str(message or "").startswith(_UNKNOWN):
            raise HostKeyRefused(
                "%s: host key verification failed: the host sent the %s, which differs from the key "
                "%s holds for %s; refused, nothing was sent (host key checking %s). If the device's key "
                "really changed, remove the old entry (ssh-keygen -R '%s' -f %s) and add the new one"
                % (self.target, key, self.known_hosts, self.name, "on" if self.checking else "off",
                   self.name, self.known_hosts))
        if not self.checking:
            return
        if self.auto_add:
            session.hostkey_auto_add(username)
            self.added = fingerprint
            return
        raise HostKeyRefused(
            "%s: host key verification failed: the host's %s is not in %s and host key checking is on; "
            "refused, nothing was sent. Check the key and add it to %s for %s, or turn checking off "
            "for this host (ansible_host_key_checking: false)"
            % (self.target, key, self.known_hosts, self.known_hosts, self.name))
