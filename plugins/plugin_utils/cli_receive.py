# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send a command on an open CLI channel and read up to the device's prompt.

The send/receive half of :class:`~.direct_cli.DirectCli`, kept apart from the session
set-up. It mirrors network_cli's ``send``/``receive_libssh``/``_find_prompt``/
``_find_error``/``_handle_prompt``/``_sanitize`` so outputs are byte-identical to what
``ansible.netcommon.cli_command`` returns, with the two cost fixes the direct_cli
docstring describes (drain reads, prompts searched in the buffer's tail only).

:class:`TerminalShim` is what the platform's terminal plugin sees as its connection;
``error_line`` and ``connection_error_text`` turn a rejected command's response (ours,
or network_cli's error) into the device's error line.

The class using :class:`PromptReader` provides ``_chan`` (a pylibsshext channel),
``_stdout_re``/``_stderr_re``/``_ansi_re`` (compiled byte regexes from the terminal
plugin), ``command_timeout`` and ``buffer_read_timeout``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import json
import logging
import re
import select
import time
from types import SimpleNamespace

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.text.converters import to_bytes, to_text

try:
    from pylibsshext.errors import LibsshChannelException, LibsshSessionException
except ImportError:  # direct_cli reports the missing library before any read
    LibsshSessionException = LibsshChannelException = Exception

PROMPT_TAIL = 4096  # bytes of the buffer's end searched for a prompt (prompts end it)
_SSH_EOF = -127  # libssh SSH_EOF, returned by ssh_channel_poll_timeout
LOG = logging.getLogger(__name__)
_BYTES_REPR = re.compile(r"^b(['\"]).*\1$", re.S)


class CommandTimeout(Exception):
    """No prompt came back within the timeout."""


class SessionLost(Exception):
    """The channel failed or the device closed it."""


class PromptReader:
    """network_cli.send / receive_libssh, lean (see the module docstring)."""

    _matched_prompt = None
    _matched_cmd_prompt = None

    def _write(self, data):
        try:
            self._chan.write(data)
        except Exception as exc:  # noqa: BLE001
            raise SessionLost("write failed: %s" % exc) from None

    def _send(self, command, prompt=None, answer=None, newline=True,
              prompt_retry_check=False, check_all=False):
        if check_all and len(_to_list(prompt)) != len(_to_list(answer)):
            raise AnsibleConnectionFailure("Number of prompts (%s) is not same as that of answers (%s)"
                                           % (len(_to_list(prompt)), len(_to_list(answer))))
        self._write(command + b"\r")
        response = self._receive(command, prompt, answer, newline, prompt_retry_check, check_all,
                                 timeout=self.command_timeout)
        return to_text(response, errors="surrogate_then_replace")

    def _wait(self, timeout):
        """Wait up to ``timeout`` s for the channel to hold data; its poll's answer.

        libssh's poll holds Python's lock for as long as it waits, so with the session on a
        socket of ours (``_sock``) the wait is ``select`` on it, which releases the lock, and
        libssh is asked only what arrived (``poll(0)``, which does not wait)."""
        chan, sock = self._chan, getattr(self, "_sock", None)
        if sock is None:
            return chan.poll(timeout=max(int(timeout * 1000), 0))
        deadline = time.monotonic() + timeout
        while True:
            ready = chan.poll(timeout=0)
            left = deadline - time.monotonic()
            if ready or left <= 0:
                return ready
            select.select([sock], [], [], left)

    def _read(self, timeout):
        """Wait up to ``timeout`` s for data, then drain all that is there (ANSI-stripped)."""
        chan = self._chan
        try:
            ready = self._wait(timeout)
            if ready == _SSH_EOF:
                raise SessionLost("the device closed the session")
            if ready == 0:
                return b""
            chunks = []
            while True:
                data = chan.read_nonblocking(size=1024)
                if data is None:
                    if chunks:
                        break
                    raise SessionLost("the device closed the session")
                if not data:
                    break
                chunks.append(data)
        except (LibsshChannelException, LibsshSessionException, OSError) as exc:
            raise SessionLost(to_text(exc)) from None
        data = b"".join(chunks)
        for regex in self._ansi_re:
            data = regex.sub(b"", data)
        return data

    @staticmethod
    def _tail(resp):
        """The end of the buffer, starting on a line boundary, where a prompt can be."""
        if len(resp) <= PROMPT_TAIL:
            return bytes(resp)
        tail = bytes(resp[-PROMPT_TAIL:])
        cut = tail.find(b"\n")
        return tail[cut:] if cut >= 0 else tail

    def _receive(self, command=None, prompts=None, answer=None, newline=True,
                 prompt_retry_check=False, check_all=False, timeout=None):
        self._matched_prompt = None
        self._matched_cmd_prompt = None
        deadline = time.monotonic() + (timeout or self.command_timeout)
        resp = bytearray()
        handled = False
        answered_at = None  # buffer length when a prompt was answered
        response = None
        prompts_re = self._compile_prompts(prompts) if prompts else None
        answers = _to_list(answer)

        while True:
            if response is not None:
                # network_cli's buffer_read_timeout: the prompt really ended the output
                # only if nothing more arrives in the next moment
                data = self._read(self.buffer_read_timeout)
                if not data:
                    return response
                response = None
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CommandTimeout()
                data = self._read(min(remaining, 5.0))
                if not data:
                    continue
            resp += data
            tail = self._tail(resp)

            if prompts_re and not handled:
                handled = self._handle_prompt(tail, prompts_re, answers, newline, check_all)
                if handled:
                    answered_at = len(resp)
            elif prompts_re and handled and prompt_retry_check and answered_at is not None:
                # the same prompt again after the answer: the answer was wrong
                since = bytes(resp[max(answered_at, len(resp) - PROMPT_TAIL):])
                if any(regex.search(since) for regex in prompts_re):
                    raise AnsibleConnectionFailure(
                        "For matched prompt '%s', answer is not valid"
                        % to_text(self._matched_cmd_prompt, errors="surrogate_then_replace"))

            if self._find_prompt(tail):
                resp_b = bytes(resp)
                if self._find_error(resp_b):
                    raise AnsibleConnectionFailure(self._error_text(resp_b, command))
                response = self._sanitize(resp_b, command)

    def _compile_prompts(self, prompts):
        try:
            return [re.compile(to_bytes(p), re.I) for p in _to_list(prompts)]
        except re.error as exc:
            raise AnsibleConnectionFailure("Failed to compile one or more terminal prompt regexes: %s"
                                           % to_text(exc))

    def _handle_prompt(self, tail, prompts_re, answers, newline, check_all):
        for index, regex in enumerate(prompts_re):
            match = regex.search(tail)
            if match:
                self._matched_cmd_prompt = match.group()
                reply = answers[index] if len(answers) > index else (answers[0] if answers else "")
                reply = to_bytes(reply if reply is not None else "")
                self._write(reply + b"\r" if newline else reply)
                if check_all and len(prompts_re) > 1:
                    prompts_re.pop(0)
                    if answers:
                        answers.pop(0)
                    return False
                return True
        return False

    def _find_prompt(self, tail):
        for regex in self._stdout_re:
            match = regex.search(tail)
            if match:
                self._matched_prompt = match.group()
                return True
        return False

    def _find_error(self, resp):
        return any(regex.search(resp) for regex in self._stderr_re)

    def _sanitize(self, resp, command=None):
        """network_cli._sanitize: drop the echoed command and every line holding the prompt."""
        return b"\n".join(self._clean_lines(resp, command)).strip()

    def _clean_lines(self, resp, command):
        prompts = [p.strip() for p in self._matched_prompt.strip().splitlines()]
        b_command = command.strip() if command else None
        cleaned = []
        for line in resp.splitlines():
            if b_command and line.strip() == b_command:
                continue
            if any(p in line for p in prompts):
                continue
            cleaned.append(line)
        return cleaned

    def _error_text(self, resp, command):
        """The device's complaint, one line (``error_line``), from the response without
        the echo and the prompt."""
        return error_line(self._clean_lines(resp, command), self._stderr_re) or to_text(
            resp.strip(), errors="surrogate_then_replace")


class TerminalShim:
    """What a terminal plugin calls on its ``_connection`` (network_cli's surface)."""

    def __init__(self, cli):
        self._cli = cli
        self._play_context = SimpleNamespace(
            remote_addr=cli.host,
            remote_user=cli.username,
            port=cli.port,
            become=cli.become,
            become_method="enable" if cli.become else None,
            network_os=cli.network_os,
        )

    def exec_command(self, cmd, in_data=None, sudoable=True):
        """network_cli.exec_command: a JSON object with prompt/answer... or a plain command."""
        try:
            data = json.loads(to_text(cmd, errors="surrogate_or_strict"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return self._cli._send(to_bytes(cmd, errors="surrogate_or_strict"))
        kwargs = {"command": to_bytes(data["command"], errors="surrogate_or_strict")}
        for key in ("prompt", "answer", "newline", "prompt_retry_check", "check_all"):
            if data.get(key) is not None:
                kwargs[key] = data[key]
        if data.get("sendonly"):
            self._cli._write(kwargs["command"] + b"\r")
            return None
        return self._cli._send(**kwargs)

    def get_prompt(self):
        return self._cli._matched_prompt

    def get_option(self, name):
        return None

    def queue_message(self, level, message):
        LOG.debug("%s", self._cli._scrub(message))


def error_line(lines, stderr_re=()):
    """One line for a command the device rejected: the lines that match one of the
    platform's error patterns (``terminal_stderr_re``), else every line that holds more
    than a caret marker (IOS prints ``^`` under the bad word, then the message).
    ``lines``: the response's lines (bytes or text) without the echo and the prompt."""
    texts = [to_text(line, errors="surrogate_then_replace").strip() for line in lines]
    texts = [text for text in texts if text]
    # each line searched as it stands in the response, after a line break (some patterns need it)
    matched = [text for text in texts if any(regex.search(b"\n" + to_bytes(text, errors="surrogate_or_strict"))
                                             for regex in stderr_re)]
    return " ".join(matched or [text for text in texts if text.strip("^ \t")])


def connection_error_text(message, command=None, stderr_re=()):
    """network_cli's error for a rejected command as a person reads it.

    network_cli raises with the raw response, bytes, so the message arrives as their
    Python repr (``b'show x\\r\\n  ^\\r\\n% Invalid input...\\r\\nrtr#'``): decoded here, the
    echoed command and the prompt (the last line) dropped, then ``error_line``. Any
    other message (a timeout, a closed session) comes back as it is, stripped."""
    text = to_text(message, errors="surrogate_then_replace").strip()
    if not _BYTES_REPR.match(text):
        return " ".join(line.strip() for line in text.splitlines() if line.strip())
    try:
        raw = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    lines = [line for line in raw.splitlines() if line.strip()]
    if command and lines and to_bytes(command).strip() in lines[0]:
        lines.pop(0)
    if len(lines) > 1:
        lines.pop()  # the prompt network_cli found after the error
    return error_line(lines, stderr_re) or to_text(raw.strip(), errors="surrogate_then_replace")


def _to_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]
