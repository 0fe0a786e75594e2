"""Run a command and count the CPU of it and of ALL its descendants.

``ansible-connection`` daemons double-fork away from ansible-playbook, so
``/usr/bin/time`` misses them. As a child subreaper we inherit every orphan, reap
everything until nothing is left, and sum what ``wait4`` reports.

    python -m lab.cpuwrap [--json FILE] -- command args...
"""

import ctypes
import json
import os
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def measure(argv, **popen):
    """Run ``argv``; ``{rc, cpu_s, orphans, wall_s, max_rss_mb}`` of it and its descendants.

    Run it in a process of its own (``python -m lab.cpuwrap``): becoming a subreaper
    makes the calling process adopt every orphan for the rest of its life.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    started = time.monotonic()
    child = subprocess.Popen(argv, **popen)  # pylint: disable=consider-using-with
    report = {"rc": None, "cpu_s": 0.0, "orphans": 0, "max_rss_mb": 0.0}
    while True:
        try:
            pid, status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        report["cpu_s"] += usage.ru_utime + usage.ru_stime
        report["max_rss_mb"] = max(report["max_rss_mb"], usage.ru_maxrss / 1024.0)
        if pid == child.pid:
            report["rc"] = os.waitstatus_to_exitcode(status)
            report["wall_s"] = time.monotonic() - started
            child.returncode = report["rc"]
        else:
            report["orphans"] += 1
    report["wall_all_s"] = time.monotonic() - started
    return report


def main(argv):
    out = None
    if argv[:1] == ["--json"]:
        out, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    report = measure(argv)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(report, handle)
    else:
        print(json.dumps(report), file=sys.stderr)
    return report["rc"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
