"""The lab's relay: discovered devices answer on their own management addresses, and every
connection attempt to any of them is recorded.

Each route listens on ``address:port`` (a loopback address such as 127.77.0.11, which
Linux answers for the whole of 127.0.0.0/8) and forwards the connection to the device's
emulator on 127.0.0.1. Before forwarding, it appends one JSON line to the attempts file
(``{time, device, address, port, peer}``): a test can then assert that nothing ever
connected to an address outside the allowed prefixes. Readiness is a file the relay
writes once every route listens, never a probe connection (it would be recorded).

    relay.start(state_dir, [{"device", "address", "port", "target"}])   # returns once listening
    relay.attempts(state_dir)                                            # [{device, address, ...}]
    relay.stop(state_dir)
"""

import argparse
import contextlib
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = {"spec": "relay.json", "pid": "relay.pid", "ready": "relay.ready", "log": "relay.log",
         "attempts": "relay-attempts.jsonl"}


def path(state_dir, name):
    return os.path.join(os.path.abspath(state_dir), FILES[name])


def _pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _forward(client, target):
    try:
        upstream = socket.create_connection(("127.0.0.1", target), timeout=10)
        upstream.settimeout(None)
    except OSError:
        client.close()
        return
    threads = [threading.Thread(target=_pump, args=pair, daemon=True) for pair in ((client, upstream), (upstream, client))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    upstream.close()


def _serve_route(listener, route, record):
    while True:
        client, peer = listener.accept()
        record(route, peer)
        threading.Thread(target=_forward, args=(client, route["target"]), daemon=True).start()


def serve(state_dir):
    """Run the relay of ``state_dir`` until SIGTERM (``python -m lab.relay serve``)."""
    with open(path(state_dir, "spec"), encoding="utf-8") as handle:
        routes = json.load(handle)["routes"]
    lock = threading.Lock()
    log = open(path(state_dir, "attempts"), "a", encoding="utf-8")  # pylint: disable=consider-using-with

    def record(route, peer):
        line = {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "device": route["device"],
                "address": route["address"], "port": route["port"], "peer": "%s:%s" % peer[:2]}
        with lock:
            log.write(json.dumps(line) + "\n")
            log.flush()

    listeners = []
    for route in routes:
        sock = socket.socket(socket.AF_INET6 if ":" in route["address"] else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((route["address"], route["port"]))
        sock.listen(64)
        listeners.append((sock, route))
    for sock, route in listeners:
        threading.Thread(target=_serve_route, args=(sock, route, record), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(path(state_dir, "ready"), "w", encoding="utf-8") as handle:
        handle.write("%d\n" % os.getpid())
    while True:
        time.sleep(3600)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    return True


def start(state_dir, routes, timeout=15):
    """Start the relay for ``routes`` (``[{device, address, port, target}]``), with an empty
    attempts file; return once every route listens. RuntimeError when it does not."""
    stop(state_dir)
    for name in ("ready", "attempts"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path(state_dir, name))
    open(path(state_dir, "attempts"), "w", encoding="utf-8").close()  # pylint: disable=consider-using-with
    with open(path(state_dir, "spec"), "w", encoding="utf-8") as handle:
        json.dump({"routes": routes}, handle)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    with open(path(state_dir, "log"), "w", encoding="utf-8") as logfile:
        proc = subprocess.Popen([sys.executable, "-m", "lab.relay", "serve", os.path.abspath(state_dir)],  # pylint: disable=consider-using-with
                                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
                                start_new_session=True)
    with open(path(state_dir, "pid"), "w", encoding="utf-8") as handle:
        handle.write("%d\n" % proc.pid)
    deadline = time.monotonic() + timeout
    while not os.path.exists(path(state_dir, "ready")):
        if proc.poll() is not None or time.monotonic() > deadline:
            with open(path(state_dir, "log"), encoding="utf-8") as handle:
                tail = handle.read()[-1500:]
            stop(state_dir)
            raise RuntimeError("the relay did not start: %s" % (tail or "no output"))
        time.sleep(0.05)
    return proc.pid


def stop(state_dir, timeout=10):
    """Stop the relay of ``state_dir`` if it runs; RuntimeError if it does not stop."""
    try:
        with open(path(state_dir, "pid"), encoding="utf-8") as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        end = time.monotonic() + wait
        while _alive(pid) and time.monotonic() < end:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.05)
        if not _alive(pid):
            break
    if _alive(pid):
        raise RuntimeError(f"the relay (pid {pid}) is still running")
    for name in ("pid", "ready"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path(state_dir, name))


def attempts(state_dir):
    """Every connection attempt recorded since the relay started."""
    try:
        with open(path(state_dir, "attempts"), encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []


def main(argv=None):
    parser = argparse.ArgumentParser(description="The lab's relay to discovered devices.")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("serve").add_argument("state_dir")
    sub.add_parser("stop").add_argument("state_dir")
    args = parser.parse_args(argv)
    if args.action == "serve":
        serve(args.state_dir)
    else:
        stop(args.state_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
