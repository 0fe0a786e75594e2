# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many devices collected in a few forked processes, each with threads (controller side).

libssh (ansible-pylibssh) holds Python's lock while it connects, authenticates and opens
the shell: in one process, every other thread waits for each login, so a thousand logins
queue one behind the other. TTP's parse is one at a time per process as well. Here the
jobs are dealt round-robin to ``processes`` forked children; each runs ``collect_one`` in
``workers`` threads and sends back, through a pipe, ``{host: (result, [warnings])}``.

``start(jobs, collect_one, processes, workers)`` forks and returns a ``Pool`` whose
``results()`` waits for them all. Fork before starting any thread of your own (a child
gets only the forking thread, and a lock another thread held stays held in it).

Failing closed: a child that ends without a whole answer (killed, out of memory) leaves
each of its hosts with a result naming the cause, so they are unverified, never skipped;
an ``AnsibleActionFail`` in a child (snapshots cannot be written) is raised again here.
With one process (or one job) nothing is forked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os
import pickle
import select
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible.errors import AnsibleActionFail

FATAL = "fatal"


def deal(items, count):
    """``items`` dealt round-robin into ``count`` non-empty groups (fewer when short)."""
    groups = [items[index::count] for index in range(max(1, count))]
    return [group for group in groups if group]


def run_threads(jobs, collect_one, workers):
    """``{host: (result, [warnings])}`` of ``jobs`` (``[(host, job)]``) in ``workers`` threads."""
    found = {}
    if not jobs:
        return found
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        futures = {}
        for host, job in jobs:
            warnings = []
            futures[pool.submit(collect_one, host, job, warnings.append)] = (host, warnings)
        for future in as_completed(futures):
            host, warnings = futures[future]
            found[host] = (future.result(), warnings)
    return found


class Pool(object):
    """The forked collectors of ``start``; ``results()`` gathers them."""

    def __init__(self, jobs, collect_one, processes, workers):
        self._inline = None
        self._children = []  # (pid, read fd, [hosts])
        groups = deal(list(jobs), processes)
        if len(groups) <= 1:
            self._inline = (list(jobs), collect_one, workers)
            return
        share = max(1, -(-workers // len(groups)))  # the threads, shared out
        # what the task process holds (every host's variables) is left out of the children's
        # garbage collection: scanning it would cost each child CPU and copies of its pages
        gc.collect()
        gc.freeze()
        try:
            for group in groups:
                self._fork(group, collect_one, share)
        finally:
            gc.unfreeze()

    def _fork(self, group, collect_one, workers):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: collect, answer, leave without Ansible's exit handlers
            os.close(read_fd)
            code = 0
            try:
                try:
                    answer = ("ok", run_threads(group, collect_one, workers))
                except AnsibleActionFail as exc:
                    answer = (FATAL, str(exc))
                except BaseException as exc:  # noqa: BLE001 - the parent names it for each host
                    answer = ("error", "%s: %s" % (type(exc).__name__, exc))
                payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write_fd, view):]
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self._children.append((pid, read_fd, [host for host, job in group]))

    def results(self):
        """``{host: (result, [warnings])}`` of every job; raises ``AnsibleActionFail`` when a
        child could not write what it must (snapshots)."""
        if self._inline is not None:
            return run_threads(*self._inline)
        payloads = _drain(dict((fd, []) for pid, fd, hosts in self._children))
        found, fatal = {}, None
        for pid, fd, hosts in self._children:
            status = os.waitpid(pid, 0)[1]
            answer = _load(b"".join(payloads[fd]))
            if answer is None or answer[0] == "error":
                cause = answer[1] if answer else "the collecting process ended without an answer (status %d)" % status
                for host in hosts:
                    found[host] = ({"msg": "%s: collecting failed: %s" % (host, cause)}, [])
            elif answer[0] == FATAL:
                fatal = fatal or answer[1]
            else:
                found.update(answer[1])
        if fatal:
            raise AnsibleActionFail(fatal)
        return found


def _drain(chunks):
    """Read every pipe of ``chunks`` (``{fd: []}``) to its end, all at once (a child blocks
    on a full pipe until it is read)."""
    open_fds = set(chunks)
    while open_fds:
        ready = select.select(list(open_fds), [], [])[0]
        for fd in ready:
            data = os.read(fd, 1 << 20)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.discard(fd)
                os.close(fd)
    return chunks


def _load(payload):
    try:
        answer = pickle.loads(payload) if payload else None
    except Exception:  # noqa: BLE001 - a cut answer: the child's hosts are failed
        return None
    return answer if isinstance(answer, tuple) and len(answer) == 2 else None


def start(jobs, collect_one, processes, workers):
    """Fork the collectors of ``jobs`` (``[(host, job)]``); see the module docstring."""
    return Pool(jobs, collect_one, processes, workers)
