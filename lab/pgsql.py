"""Back ends of the lab NetBox: a private PostgreSQL cluster, a private Redis,
and the process helpers lab/netbox_service.py uses.

The cluster lives in ``<state_dir>/pg`` (data) and ``<state_dir>/pgrun`` (socket,
log), listens on 127.0.0.1 only, on a port chosen by the caller.  PostgreSQL
refuses to run as root, so the server-side commands run as the ``postgres`` OS
user through ``runuser``; client tools (createdb, pg_dump, pg_restore) run as
the current user over TCP with a random password. When root runs the lab from a
directory the ``postgres`` user cannot enter (a checkout under ``/root``, mode 0700,
or under ``mktemp -d``), the two directories go to ``/var/tmp/truthloop-lab-<hash of
the state dir>/`` instead (``cluster_dirs``).

Every process the lab starts carries ``LAB_NETBOX_STATE=<state_dir>`` in its
environment, so ``our_processes`` finds them (and their children) in /proc.
"""

import contextlib
import glob
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time

MARKER = "LAB_NETBOX_STATE"
PG_USER = "postgres"
DB_NAME = "netbox"


class LabError(Exception):
    """An expected failure: the CLI prints the message and exits 1."""


def marked_env(state_dir, base=None, **extra):
    """Environment for a lab process: tagged with the state dir."""
    return dict(base if base is not None else os.environ, **{MARKER: state_dir}, **extra)


@contextlib.contextmanager
def step(label):
    """Print one progress line with the elapsed seconds of the step."""
    t0 = time.monotonic()
    yield
    print(f"  {label} ({time.monotonic() - t0:.1f} s)", flush=True)


def run(cmd, env=None, timeout=600, what=None, log=None):
    """Run a command; raise LabError with its output tail if it fails."""
    try:
        res = subprocess.run(cmd, env=env, timeout=timeout, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError as exc:
        raise LabError(f"{what or cmd[0]}: command not found ({exc.filename})") from None
    except subprocess.TimeoutExpired:
        raise LabError(f"{what or cmd[0]}: timed out after {timeout} s") from None
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(res.stdout)
    if res.returncode != 0:
        tail = "\n".join(res.stdout.strip().splitlines()[-15:])
        raise LabError(f"{what or cmd[0]} failed (exit {res.returncode}):\n{tail}")
    return res.stdout


def tail(path, lines=20):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_gone(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return not any(pid_alive(p) for p in pids)


def kill(pid, sig=signal.SIGTERM, group=False):
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise LabError(f"PostgreSQL tool {name!r} not found (apt-get install postgresql)")
    return path


def _as_postgres(cmd):
    if os.geteuid() != 0:
        return cmd  # not root: run as ourselves
    return ["runuser", "-u", PG_USER, "--"] + cmd


def _own(path):
    if os.geteuid() == 0:
        pw = pwd.getpwnam(PG_USER)
        os.chown(path, pw.pw_uid, pw.pw_gid)
    os.chmod(path, 0o700)


def _postgres_can_enter(path):
    """Whether the ``postgres`` user can reach ``path`` (every directory above it)."""
    try:
        return subprocess.run(["runuser", "-u", PG_USER, "--", "test", "-x", path], check=False,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def cluster_dirs(state_dir):
    """``(data, rundir)`` of the lab's cluster: under the state dir, or, when root runs the lab
    from a directory ``postgres`` cannot enter, under /var/tmp (see the module docstring)."""
    base = state_dir
    if os.geteuid() == 0 and not _postgres_can_enter(state_dir):
        digest = hashlib.sha1(os.path.abspath(state_dir).encode()).hexdigest()[:12]
        base = os.path.join("/var/tmp", f"truthloop-lab-{digest}")
        os.makedirs(base, mode=0o755, exist_ok=True)
    return os.path.join(base, "pg"), os.path.join(base, "pgrun")


def client_env(password):
    env = dict(os.environ, PGPASSWORD=password, PGUSER=PG_USER, PGHOST="127.0.0.1")
    env.pop("PGDATABASE", None)
    return env


def init_cluster(state_dir, port, password):
    """initdb a fresh cluster and start it; return the postmaster pid."""
    data, rundir = cluster_dirs(state_dir)
    if os.path.exists(data):
        shutil.rmtree(data)
    os.makedirs(rundir, exist_ok=True)
    os.makedirs(data)
    _own(data)
    _own(rundir)
    pwfile = os.path.join(rundir, "pwfile")
    with open(os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
        fh.write(password + "\n")
    _own(pwfile)
    env = marked_env(state_dir)
    try:
        run(_as_postgres([pg_bin("initdb"), "-D", data, "-U", PG_USER, "--pwfile", pwfile,
                          "--auth-local=trust", "--auth-host=scram-sha-256",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), env=env, what="initdb")
    finally:
        os.unlink(pwfile)
    opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={rundir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=50 -c shared_buffers=128MB")
    log = os.path.join(rundir, "postgres.log")
    run(_as_postgres([pg_bin("pg_ctl"), "-D", data, "-l", log, "-o", opts, "-w", "-t", "60",
                      "start"]), env=env, what=f"pg_ctl start (log: {log})")
    return postmaster_pid(data)


def postmaster_pid(data):
    try:
        with open(os.path.join(data, "postmaster.pid"), encoding="ascii") as fh:
            return int(fh.readline())
    except (OSError, ValueError):
        return None


def stop_cluster(state_dir, pid):
    """pg_ctl stop -m fast (pid: the postmaster, as checked by the caller)."""
    data = cluster_dirs(state_dir)[0]
    if not pid or not pid_alive(pid):
        return
    try:
        run(_as_postgres([pg_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", "30",
                          "stop"]), what="pg_ctl stop")
    except LabError:
        kill(pid, signal.SIGQUIT)  # immediate shutdown
    if not wait_gone([pid], 10):
        kill(pid, signal.SIGKILL)
        wait_gone([pid], 5)


def create_db(port, password):
    env = client_env(password)
    run([pg_bin("createdb"), "-p", str(port), DB_NAME], env=env, what="createdb")


def restore_db(port, password, dump):
    env = client_env(password)
    run([pg_bin("pg_restore"), "-p", str(port), "-d", DB_NAME, "--no-owner",
         "--exit-on-error", dump], env=env, what="pg_restore")


def dump_db(port, password, dump):
    """pg_dump the database to ``dump`` atomically (tmp file + rename)."""
    tmp = f"{dump}.tmp.{os.getpid()}"
    try:
        run([pg_bin("pg_dump"), "-p", str(port), "-Fc", "-f", tmp, DB_NAME],
            env=client_env(password), what="pg_dump")
        os.replace(tmp, dump)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def ready(port, password):
    res = subprocess.run([pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"],
                         env=client_env(password), check=False)
    return res.returncode == 0


def free_ports(count):
    """Distinct free TCP ports on 127.0.0.1 (sockets held open until all are picked)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def write_private(path, text):
    """Write a file readable by its owner only (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def start_redis(state_dir, port, password):
    """Start a private redis-server (no persistence); return its pid."""
    rdir = os.path.join(state_dir, "redis")
    os.makedirs(rdir, exist_ok=True)
    pidfile = os.path.join(rdir, "redis.pid")
    if os.path.exists(pidfile):
        os.unlink(pidfile)
    # The configuration goes in on stdin so that requirepass does not show in ps.
    conf = (f"bind 127.0.0.1\nport {port}\ndaemonize yes\ndir {rdir}\npidfile {pidfile}\n"
            f"logfile {rdir}/redis.log\nsave \"\"\nappendonly no\nrequirepass {password}\n")
    res = subprocess.run(["redis-server", "-"], input=conf, text=True, env=marked_env(state_dir),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    deadline = time.monotonic() + 10
    while res.returncode == 0 and time.monotonic() < deadline:
        if redis_ping(port, password) and os.path.exists(pidfile):
            with open(pidfile, encoding="ascii") as fh:
                return int(fh.read())
        time.sleep(0.1)
    raise LabError(f"redis did not answer on port {port}: {res.stdout.strip()}\n"
                   f"{tail(os.path.join(rdir, 'redis.log'))}")


def redis_ping(port, password):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(f"AUTH {password}\r\nPING\r\n".encode())
            data = b""
            while data.count(b"\r\n") < 2:
                chunk = s.recv(100)
                if not chunk:
                    break
                data += chunk
            return data.endswith(b"+PONG\r\n")
    except OSError:
        return False


def _ancestors():
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                pid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    return pids


def our_processes(state_dir):
    """Live pids of this lab's NetBox services: processes tagged with
    LAB_NETBOX_STATE=state_dir, PostgreSQL/Redis/gunicorn/netbox processes whose
    command line or working directory is in state_dir, and their descendants."""
    tag = f"{MARKER}={state_dir}".encode()
    marker, skip = state_dir.encode(), _ancestors()
    # state_dir itself or a path inside it, not a sibling such as <state_dir>-bench
    inside = re.compile(re.escape(marker) + rb"(?=/|\s|$)")
    programs = (b"postgres", b"redis", b"gunicorn", b"netbox", b"pg_")
    ours, parents = set(), {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in skip:
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                parents[pid] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
            with open(f"/proc/{pid}/environ", "rb") as fh:
                environ = fh.read().split(b"\0")
            cwd = os.readlink(f"/proc/{pid}/cwd").encode()
        except (OSError, IndexError, ValueError):
            continue
        # redis-server overwrites its environ and argv (proctitle): found by its cwd
        where = inside.search(b" ".join(argv)) or (cwd + b"/").startswith(marker + b"/")
        # argv[1]: the script run by python (gunicorn, netbox), not any python process
        named = where and any(os.path.basename(a).startswith(programs) for a in argv[:2])
        if tag in environ or named:
            ours.add(pid)
    while True:  # descendants: postgres backends, gunicorn workers
        more = {p for p, pp in parents.items() if pp in ours and p not in ours | skip}
        if not more:
            break
        ours |= more
    return sorted(p for p in ours if pid_alive(p))


def stop_pid(pid, group, timeout, sig=signal.SIGTERM):
    """Signal a pid (or its process group), SIGKILL it if it outlives timeout."""
    if not pid or not pid_alive(pid):
        return
    kill(pid, sig, group=group)
    if not wait_gone([pid], timeout):
        kill(pid, signal.SIGKILL, group=group)
        wait_gone([pid], 5)


def reap(state_dir, grace=5):
    """TERM then KILL whatever our_processes finds; return what survives."""
    pids = our_processes(state_dir)
    for pid in pids:
        kill(pid)
    if pids and not wait_gone(pids, grace):
        for pid in pids:
            kill(pid, signal.SIGKILL)
        wait_gone(pids, grace)
    return our_processes(state_dir)
