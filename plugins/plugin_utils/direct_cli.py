# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One SSH CLI session to a network device, opened from the controller process itself.

The fast path of the collection: instead of ``ansible.netcommon.network_cli`` (one
persistent ``ansible-connection`` process per host plus a module process per task),
an action plugin with ``_requires_connection = False`` opens ONE ansible-pylibssh
session per device here and runs every show command in an interactive shell.

Everything platform-specific comes from the platform's own Ansible terminal plugin
(``terminal_loader.get(network_os, shim)``): prompt regexes (``terminal_stdout_re``),
error regexes (``terminal_stderr_re``), the login prompts and answers
(``terminal_initial_prompt``/``terminal_initial_answer``), ``on_become()`` (enable)
and ``on_open_shell()`` (terminal length 0...). The read/prompt/error/sanitise logic
(``cli_receive.PromptReader``) mirrors network_cli's ``send``/``receive_libssh``/
``_find_prompt``/``_find_error``/``_handle_prompt``/``_sanitize`` so outputs are byte-identical to what
``ansible.netcommon.cli_command`` returns, with two cost fixes:

* reads drain everything the channel holds at once (``poll`` blocks without
  spinning), instead of network_cli's 5 x 1 KiB ``read_bulk_response`` busy loop;
* prompts are searched only in the tail of the buffer (they are anchored at its
  end) and error regexes once per prompt match, instead of re-scanning the whole
  buffer after every read (quadratic on large outputs).

Usage::

    with DirectCli("10.0.0.1", 22, "admin", pw, "cisco.ios.ios", become=True) as cli:
        results = cli.run(["show version", "show running-config"])
    # {"show version": {"output": "..."}, "show running-config": {"error": "..."}}

Connection failures raise :class:`DirectCliError` naming ``host:port`` and the cause;
command failures (rejected, timed out) become ``{"error": message}`` entries: the
device's error line for a rejected command; after a timeout the commands left fail at
once (``run``). No message or log line ever contains the password or the enable password.

The server's host key is checked against known_hosts before any authentication, as
network_cli with libssh does, except that a changed key is refused even with checking
off (``host_key.py``).

Note: pylibsshext keeps the GIL while it waits on the network, so the device must not
be served by a thread of the same Python process (run an emulator in another process).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging
import os
import re
import socket

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.text.converters import to_bytes, to_text

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.cli_receive import (
    CommandTimeout,
    PromptReader,
    SessionLost,
    TerminalShim,
)
from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.host_key import (
    HostKeyPolicy,
    HostKeyRefused,
    default_known_hosts,
)

try:
    from pylibsshext.session import Session

    HAS_PYLIBSSH = True
except ImportError:  # reported by the caller (missing_required_lib("ansible-pylibssh"))
    Session = None
    HAS_PYLIBSSH = False

# libssh routes its own messages ("Failed to open ~/.ssh/config"...) to this logger;
# without a handler Python's last-resort handler would print them on stderr.
logging.getLogger("ansible-pylibssh").addHandler(logging.NullHandler())

# FakeNOS/netmiko-style platform names -> Ansible network_os
NETWORK_OS_ALIASES = {
    "cisco_ios": "cisco.ios.ios",
    "cisco_xe": "cisco.ios.ios",
    "cisco_nxos": "cisco.nxos.nxos",
    "arista_eos": "arista.eos.eos",
    "juniper_junos": "junipernetworks.junos.junos",
}

# network_cli options DirectCli honours when given in ``options`` (same names, same
# meaning; an action plugin can pass ``{name: network_cli.get_option(name)}``)
NETWORK_CLI_OPTIONS = (
    "terminal_stdout_re", "terminal_stderr_re", "terminal_initial_prompt", "terminal_initial_answer",
    "terminal_initial_prompt_checkall", "terminal_inital_prompt_newline", "become_errors", "terminal_errors",
)
_MASK = "********"


class DirectCliError(Exception):
    """Opening the session failed (connect, authenticate, login, enable, terminal)."""


class DirectCli(PromptReader):
    """One interactive CLI session over ansible-pylibssh (see the module docstring)."""

    def __init__(self, host, port, username, password, network_os, become=False,
                 become_password=None, connect_timeout=30, command_timeout=30,
                 buffer_read_timeout=0.1, host_key_checking=True, host_key_auto_add=False, known_hosts_file=None,
                 private_key_file=None, options=None):
        self.host = host
        self.port = int(port or 22)
        self.username = username
        self._password = password
        self.network_os = NETWORK_OS_ALIASES.get(network_os, network_os)
        self.become = bool(become)
        self._become_password = become_password
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self.buffer_read_timeout = buffer_read_timeout
        self.host_key_checking = bool(host_key_checking)
        self.host_key_auto_add = bool(host_key_auto_add)
        self.known_hosts_file = known_hosts_file or default_known_hosts()
        self.private_key_file = private_key_file
        unknown = set(options or ()) - set(NETWORK_CLI_OPTIONS)
        if unknown:
            raise ValueError("unknown DirectCli options: %s" % ", ".join(sorted(unknown)))
        self.options = dict(options or {})
        self.warnings = []  # become_errors/terminal_errors "warn" land here
        self.target = "[%s]:%s" % (host, self.port) if ":" in str(host) else "%s:%s" % (host, self.port)

        self._session = None
        self._chan = None
        self._sock = None  # the TCP socket libssh runs on: ours, so that waits can release the GIL
        self._terminal = None
        self._stdout_re = self._stderr_re = self._ansi_re = None
        self._matched_prompt = None
        self._matched_cmd_prompt = None

    # -- public API ---------------------------------------------------------------------

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return "DirectCli(%s, user=%s, network_os=%s)" % (self.target, self.username, self.network_os)

    def open(self):
        """Connect, authenticate, wait for the first prompt, enable, set the terminal."""
        if self._chan is not None:
            return self
        if not HAS_PYLIBSSH:
            raise DirectCliError("%s: ansible-pylibssh (pylibsshext) is not installed" % self.target)
        self._load_terminal()
        try:
            self._connect()
            self._login()
        except DirectCliError:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - a terminal plugin's surprise: no traceback
            self.close()
            raise DirectCliError(self._scrub("%s: opening the session failed: %s: %s"
                                             % (self.target, type(exc).__name__, exc))) from None
        return self

    def run(self, commands):
        """Run each command once, in order: ``{command: {"output": text} | {"error": msg}}``.

        A command the device rejects (terminal_stderr_re) gives an error entry with the
        device's error line, and the run goes on. A command that times out gives an error
        entry naming it and the timeout, and every command after it in this call gets
        ``{"error": "not run: ..."}`` at once: a device that slow would otherwise cost a
        full timeout per command, and the session's state is unknown. A lost session is
        reopened once for the next command; if that fails, the commands left are not
        run either. The session is closed after a timeout or a loss, so the next call
        opens a new one. Opening the session in the first place raises
        :class:`DirectCliError`.
        """
        if isinstance(commands, (str, bytes)):
            commands = [commands]
        if self._chan is None:
            self.open()
        results = {}
        lost = None
        for command in commands:
            command = to_text(command, errors="surrogate_or_strict")
            if command in results:
                continue
            if not lost and self._chan is None:
                try:
                    self.open()
                except DirectCliError as exc:
                    lost = to_text(exc)
            if lost:
                results[command] = {"error": "not run: %s" % lost}
                continue
            results[command], lost = self._run_one(command)
        return results

    def _run_one(self, command):
        """``(result, why the commands after it are not run or None)``."""
        try:
            return {"output": self._send(to_bytes(command, errors="surrogate_or_strict"))}, None
        except AnsibleConnectionFailure as exc:
            return {"error": self._scrub(exc.message)}, None
        except CommandTimeout:
            self.close()
            message = self._scrub("%s: no prompt within the command timeout (%ss) after command: %s"
                                  % (self.target, self.command_timeout, command))
            return {"error": message}, ("%s did not answer %r within %ss; the commands after it were not sent"
                                        % (self.target, command, self.command_timeout))
        except SessionLost as exc:
            self.close()  # the next command gets a fresh session
            return {"error": self._scrub("%s: session lost while running command: %s (%s)"
                                         % (self.target, command, exc))}, None

    def close(self):
        if self._terminal is not None and self._chan is not None:
            try:
                self._terminal.on_close_shell()
            except Exception:  # noqa: BLE001 - best effort, the session is going away
                pass
        chan, self._chan = self._chan, None
        session, self._session = self._session, None
        if chan is not None:
            try:
                chan.close()
            except Exception:  # noqa: BLE001
                pass
        if session is not None:
            try:
                session.close()
            except Exception:  # noqa: BLE001
                pass
        self._close_socket()

    # -- setup --------------------------------------------------------------------------

    def _scrub(self, message):
        text = to_text(message, errors="surrogate_then_replace")
        for secret in (self._password, self._become_password):
            # a secret is never put in a message; this masks one a device might echo.
            # 1-3 characters would mangle ordinary words and protect nothing.
            if secret and len(secret) >= 4:
                text = text.replace(to_text(secret, errors="surrogate_then_replace"), _MASK)
        return text

    @staticmethod
    def preload(network_os):
        """Load the terminal plugin of ``network_os`` once, in the calling thread: Ansible's
        plugin loader is not safe to enter from several threads at once (a second thread may
        get the plugin's module half-imported), so a caller that opens sessions in threads
        loads each platform's plugin first."""
        from ansible.plugins.loader import terminal_loader  # controller only

        return terminal_loader.get(NETWORK_OS_ALIASES.get(network_os, network_os), class_only=True) is not None

    def _load_terminal(self):
        if self._terminal is not None:
            return
        if not self.network_os:
            raise DirectCliError("%s: network_os is not set (ansible_network_os)" % self.target)
        from ansible.plugins.loader import terminal_loader  # controller only

        terminal = terminal_loader.get(self.network_os, TerminalShim(self))
        if terminal is None:
            raise DirectCliError("%s: network os %s is not supported (no terminal plugin)"
                                 % (self.target, self.network_os))
        self._terminal = terminal
        self._stdout_re = self._option_re("terminal_stdout_re") or list(terminal.terminal_stdout_re)
        self._stderr_re = self._option_re("terminal_stderr_re") or list(terminal.terminal_stderr_re)
        self._ansi_re = list(terminal.ansi_re)

    def _option_re(self, name):
        """network_cli._get_terminal_std_re: [{pattern, flags: "re.I"}] from the options."""
        compiled = []
        for item in self.options.get(name) or ():
            if not isinstance(item, dict) or "pattern" not in item:
                raise DirectCliError("%s: 'pattern' is a required key for option '%s'" % (self.target, name))
            flags = item.get("flags") or 0
            try:
                if flags:
                    flags = getattr(re, str(flags).rsplit(".", maxsplit=1)[-1])
                compiled.append(re.compile(to_bytes(item["pattern"]), flags))
            except (AttributeError, re.error) as exc:
                raise DirectCliError("%s: invalid %s %r: %s" % (self.target, name, item, exc)) from None
        return compiled

    def _connect(self):
        session = Session()
        # libssh logs every packet at TRACE through a Python callback: costly, and noisy
        session.set_log_level(logging.CRITICAL * 2)  # ANSIBLE_PYLIBSSH_NOLOG
        policy = HostKeyPolicy(self.target, self.host, self.port, self.known_hosts_file,
                               self.host_key_checking, self.host_key_auto_add)
        session.set_missing_host_key_policy(policy)
        kwargs = dict(
            host=self.host, port=self.port, user=self.username,
            timeout=int(self.connect_timeout),
            timeout_usec=int((self.connect_timeout - int(self.connect_timeout)) * 1000000),
            # always compared with known_hosts, before any authentication: the policy
            # decides (host_key.py); with checking off only a changed key is refused
            host_key_checking=True, knownhosts=self.known_hosts_file,
            # network_cli keeps look_for_keys off when a password and no key file is given
            look_for_keys=not (self._password and not self.private_key_file),
        )
        if self._password:
            kwargs["password"] = self._password
        if self.private_key_file:
            try:
                with open(os.path.expanduser(self.private_key_file), "rb") as handle:
                    kwargs["private_key"] = handle.read()
            except OSError as exc:
                raise DirectCliError("%s: cannot read private key file %s: %s"
                                     % (self.target, self.private_key_file, exc.strerror)) from None
        try:
            self._sock = self._open_socket()
            session.connect(fd=self._sock.fileno(), **kwargs)
        except HostKeyRefused as exc:
            session.close()
            self._close_socket()
            raise DirectCliError(self._scrub(exc)) from None
        except Exception as exc:  # noqa: BLE001 - LibsshSessionException, OSError and friends
            session.close()
            self._close_socket()
            raise DirectCliError(self._connect_message(exc)) from None
        self._session = session
        if policy.added:
            self.warnings.append("%s: host key %s added to %s (host_key_auto_add)"
                                 % (self.target, policy.added, self.known_hosts_file))
        try:
            self._chan = session.invoke_shell()
        except Exception as exc:  # noqa: BLE001
            raise DirectCliError(self._scrub("%s: could not open a shell: %s" % (self.target, exc))) from None

    def _open_socket(self):
        """The TCP connection, made here rather than by libssh: the session then runs on a
        socket whose descriptor ``_read`` can wait on with ``select``, which releases
        Python's lock (libssh's own poll holds it: threads collecting other devices would
        wait for this one)."""
        sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        sock.settimeout(None)  # libssh drives it; its own timeout option bounds the handshake
        return sock

    def _close_socket(self):
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def _connect_message(self, exc):
        cause = to_text(exc, errors="surrogate_then_replace")
        low = cause.lower()
        if "authenticat" in low or "access denied" in low:
            what = "authentication failed for user %s" % self.username
        elif "refused" in low:
            what = "connection refused"
        elif "timeout" in low or "timed out" in low:
            what = "connection timed out after %ss" % self.connect_timeout
        elif "resolve" in low:
            what = "cannot resolve host name"
        elif "host key" in low or "know host" in low or "known host" in low or "host file" in low:
            what = "host key verification failed (known_hosts file %s)" % self.known_hosts_file
        else:
            what = "connection failed"
        return self._scrub("%s: %s (%s)" % (self.target, what, cause))

    def _login(self):
        terminal = self._terminal
        opts = self.options
        newline = opts.get("terminal_inital_prompt_newline")
        try:
            self._receive(prompts=opts.get("terminal_initial_prompt") or terminal.terminal_initial_prompt,
                          answer=opts.get("terminal_initial_answer") or terminal.terminal_initial_answer,
                          newline=(newline if newline is not None else True) or terminal.terminal_inital_prompt_newline,
                          check_all=bool(opts.get("terminal_initial_prompt_checkall")),
                          timeout=self.connect_timeout)
        except CommandTimeout:
            raise DirectCliError("%s: no CLI prompt within %ss after login"
                                 % (self.target, self.connect_timeout)) from None
        except (SessionLost, AnsibleConnectionFailure) as exc:
            raise DirectCliError(self._scrub("%s: login failed: %s" % (self.target, exc))) from None
        steps = [("enable (become)", self._become, "become_errors")] if self.become else []
        steps.append(("terminal setup", terminal.on_open_shell, "terminal_errors"))
        for event, call, policy in steps:
            try:
                call()
            except CommandTimeout:
                raise DirectCliError("%s: %s: command timeout (%ss)"
                                     % (self.target, event, self.command_timeout)) from None
            except SessionLost as exc:
                raise DirectCliError(self._scrub("%s: %s failed: %s" % (self.target, event, exc))) from None
            except AnsibleConnectionFailure as exc:
                # network_cli's become_errors / terminal_errors: fail (default), warn, ignore
                message = self._scrub("%s: %s failed: %s" % (self.target, event, exc.message))
                action = self.options.get(policy) or "fail"
                if action == "fail":
                    raise DirectCliError(message) from None
                if action == "warn":
                    self.warnings.append(message)

    def _become(self):
        self._terminal.on_become(passwd=self._become_password)
