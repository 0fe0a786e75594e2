"""A private NetBox instance for the lab (PostgreSQL + Redis + gunicorn on 127.0.0.1).

Everything lives in the checkout: the NetBox venv and the database dumps under
``<root>/.cache/lab``, the running state under ``<state_dir>`` (``<root>/.lab``).
Ports are picked free at each start, so the lab coexists with another PostgreSQL,
Redis or web server on the machine.

    .venv/bin/python -m lab.netbox_service install
    .venv/bin/python -m lab.netbox_service start [--workers 3] [--devices N]
    .venv/bin/python -m lab.netbox_service status
    .venv/bin/python -m lab.netbox_service stop

``start`` restores a cached migrated database (the first start migrates, ~5-7
min, and writes the dump); with ``--devices N`` it restores a cached NetBox that
holds the N-device dataset, or loads it through the API (lab.netbox_load) and
caches it.  It writes ``<state_dir>/env`` (``NETBOX_API=...``, ``NETBOX_TOKEN=...``)
and ``<state_dir>/netbox.json``, both mode 0600.

Token kind: a v2 token (``nbt_<key>.<secret>``, sent as ``Authorization: Bearer``);
``add_v1_token`` adds a read-only token of the legacy kind for the tests.
v1 tokens are deprecated in NetBox 4.7 (removal planned for 5.0); pynetbox >= 7.5
detects the ``nbt_`` prefix and sends ``Bearer`` (verified with pynetbox 7.9.0), and
netbox.netbox's nb_inventory works with both kinds (LAB-FACTS).  NetBox 4.7 does not
let API clients choose a token's value, so the token is created in ``netbox shell``
from a key and secret generated here and passed through the environment.
"""

import argparse
import contextlib
import glob
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from lab import pgsql
from lab.pgsql import LabError, pid_alive, run, step, tail, write_private

NETBOX_VERSION = "4.7.3"
DEFAULT_WORKERS = 3
READY_TIMEOUT = 180

_TOKEN_SCRIPT = """
import os
from users.models import Token, User
user = User.objects.filter(username='admin').first()
if user is None:
    user = User.objects.create_superuser('admin', 'admin@lab.invalid', os.environ['LAB_ADMIN_PASSWORD'])
Token.objects.filter(user=user).delete()
token = Token(user=user, version=2, key=os.environ['LAB_TOKEN_KEY'],
              token=os.environ['LAB_TOKEN_SECRET'], write_enabled=True, description='lab')
token.full_clean()
token.save()
print('token created')
"""

# a second token of NetBox's legacy kind (40 hex characters, "Authorization: Token"), read only
_V1_TOKEN_SCRIPT = """
import os
from users.models import Token, User
token = Token(user=User.objects.get(username='admin'), version=1, token=os.environ['LAB_TOKEN_SECRET'],
              write_enabled=False, description='lab v1, read only')
token.full_clean()
token.save()
"""


def venv_dir(root):
    return os.path.join(root, ".cache", "lab", f"netbox-{NETBOX_VERSION}")


def find_python312():
    candidates = [shutil.which("python3.12")] + sorted(
        glob.glob("/root/.pyenv/versions/3.12*/bin/python3.12"), reverse=True)
    for cand in filter(None, candidates):
        res = subprocess.run([cand, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=False)
        if res.returncode == 0 and res.stdout.strip() == "(3, 12)":
            return cand
    raise LabError("no working Python 3.12 interpreter (tried python3.12 on PATH and "
                   "/root/.pyenv/versions/3.12*/bin/python3.12); NetBox 4.7 needs >= 3.12")


def _venv_ok(venv):
    py, code = os.path.join(venv, "bin", "python"), (
        "import importlib.metadata as m; print(m.version('netbox'), m.version('gunicorn'))")
    res = os.path.exists(py) and subprocess.run([py, "-c", code], capture_output=True,
                                                 text=True, check=False)
    return bool(res) and res.returncode == 0 and res.stdout.split()[0] == NETBOX_VERSION


def install(root):
    """Ensure the NetBox venv exists (idempotent); return its path."""
    venv = venv_dir(root)
    with step(f"netbox {NETBOX_VERSION} venv at {os.path.relpath(venv, root)}"):
        if _venv_ok(venv):
            return venv
        py = find_python312()
        shutil.rmtree(venv, ignore_errors=True)
        os.makedirs(os.path.dirname(venv), exist_ok=True)
        run([py, "-m", "venv", venv], what="python3.12 -m venv")
        run([os.path.join(venv, "bin", "pip"), "install", "--quiet",
             f"netbox=={NETBOX_VERSION}", "gunicorn"], timeout=1800, what="pip install netbox")
        if not _venv_ok(venv):
            raise LabError(f"{venv}: netbox {NETBOX_VERSION} or gunicorn missing after pip install")
    return venv


def migrations_hash(venv):
    """Hash of every installed migration file (path + RECORD digest)."""
    lines = []
    for record in glob.glob(f"{venv}/lib/python3*/site-packages/*.dist-info/RECORD"):
        with open(record, encoding="utf-8") as fh:
            lines += [ln.strip() for ln in fh if "/migrations/" in ln and ".py," in ln]
    if not lines:
        raise LabError(f"{venv}: no migration files found in the installed packages")
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:12]


def dump_path(root, venv):
    return os.path.join(root, ".cache", "lab",
                        f"netbox-{NETBOX_VERSION}-{migrations_hash(venv)}-migrated.dump")


def nb_env(venv, state_dir, **extra):
    env = pgsql.marked_env(
        state_dir, NETBOX_ROOT=os.path.join(state_dir, "netbox"),
        DJANGO_SETTINGS_MODULE="netbox.settings", PYTHONUNBUFFERED="1",
        PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", ""),
        VIRTUAL_ENV=venv, **extra)
    env.pop("NETBOX_CONFIGURATION", None)
    return env


def write_config(state_dir, st):
    """Generate <state_dir>/netbox/conf/configuration.py (NETBOX_ROOT layout)."""
    conf = os.path.join(state_dir, "netbox", "conf")
    os.makedirs(conf, exist_ok=True)
    redis = {"HOST": "127.0.0.1", "PORT": st["redis_port"], "PASSWORD": st["redis_password"],
             "SSL": False}
    cfg = {
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "DATABASE": {"NAME": pgsql.DB_NAME, "USER": pgsql.PG_USER, "HOST": "127.0.0.1",
                     "PASSWORD": st["pg_password"], "PORT": st["pg_port"], "CONN_MAX_AGE": 300},
        "REDIS": {"tasks": dict(redis, DATABASE=0), "caching": dict(redis, DATABASE=1)},
        "SECRET_KEY": secrets.token_urlsafe(48),
        "API_TOKEN_PEPPERS": {1: secrets.token_urlsafe(48)},  # needed for v2 tokens
        "CENSUS_REPORTING_ENABLED": False, "ISOLATED_DEPLOYMENT": True,  # no internet here
        "RELEASE_CHECK_URL": None, "TIME_ZONE": "UTC",
    }
    text = "# Generated by lab/netbox_service.py; rewritten at each start.\n"
    text += "".join(f"{key} = {value!r}\n" for key, value in cfg.items())
    write_private(os.path.join(conf, "configuration.py"), text)


def save_state(state_dir, st):
    write_private(os.path.join(state_dir, "netbox.json"), json.dumps(st, indent=2) + "\n")


def load_state(state_dir):
    try:
        with open(os.path.join(state_dir, "netbox.json"), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def loaded_dump_path(root, venv, ds):
    """Cached dump of a NetBox holding dataset ``ds`` (keyed by its content, so a
    scenario's NetBox-side changes get a dump of their own)."""
    from lab import netbox_load  # pylint: disable=import-outside-toplevel
    key = netbox_load.dataset_key(ds)
    return os.path.join(root, ".cache", "lab", f"netbox-{NETBOX_VERSION}-"
                        f"{migrations_hash(venv)}-{len(ds['devices'])}dev-{key}.dump")


def prepare_db(root, state_dir, venv, st, ds=None):
    """createdb + pg_restore from a cached dump (the loaded dataset if asked for
    and cached, else the migrated database), or migrate and write the dump."""
    dump = dump_path(root, venv)
    if ds:
        loaded = loaded_dump_path(root, venv, ds)
        st["dataset_cached"] = os.path.exists(loaded)
        dump = loaded if st["dataset_cached"] else dump
    pgsql.create_db(st["pg_port"], st["pg_password"])
    if os.path.exists(dump):
        with step(f"database restored from {os.path.relpath(dump, root)}"):
            pgsql.restore_db(st["pg_port"], st["pg_password"], dump)
        return
    log = os.path.join(state_dir, "migrate.log")
    print(f"  no cached database: running migrations (~6-7 min, log {log})", flush=True)
    with step("netbox migrate"):
        run([os.path.join(venv, "bin", "netbox"), "migrate", "--no-input"],
            env=nb_env(venv, state_dir), timeout=3600, what="netbox migrate", log=log)
    cache_dump(root, st, dump)


def cache_dump(root, st, dump):
    """pg_dump the lab database to ``dump``; remove the dumps made for another
    NetBox package (their names do not start with netbox-<version>-<migrations>-)."""
    with step(f"database cached in {os.path.relpath(dump, root)}"):
        pgsql.dump_db(st["pg_port"], st["pg_password"], dump)
    current = "-".join(os.path.basename(dump).split("-")[:3]) + "-"
    for old in glob.glob(os.path.join(os.path.dirname(dump), "netbox-*.dump")):
        if not os.path.basename(old).startswith(current):
            os.unlink(old)


def create_token(venv, state_dir):
    """Create the superuser 'admin' and a v2 write token; return the token value."""
    key, secret = secrets.token_hex(6), secrets.token_hex(20)  # 12 and 40 characters
    env = nb_env(venv, state_dir, LAB_TOKEN_KEY=key, LAB_TOKEN_SECRET=secret,
                 LAB_ADMIN_PASSWORD=secrets.token_urlsafe(16))
    run([os.path.join(venv, "bin", "netbox"), "shell", "--no-imports", "-c", _TOKEN_SCRIPT],
        env=env, what="netbox shell (create admin + token)", timeout=300)
    return f"nbt_{key}.{secret}"


def add_v1_token(state_dir):
    """Add a read-only v1 token to the running lab's admin (the v2 token stays); return it."""
    st = load_state(os.path.abspath(state_dir))
    if not st:
        raise LabError(f"no lab running in {state_dir}")
    secret = secrets.token_hex(20)
    run([os.path.join(st["venv"], "bin", "netbox"), "shell", "--no-imports", "-c", _V1_TOKEN_SCRIPT],
        env=nb_env(st["venv"], os.path.abspath(state_dir), LAB_TOKEN_SECRET=secret),
        what="netbox shell (add a v1 token)", timeout=300)
    return secret


def start_gunicorn(venv, state_dir, st, workers):
    tmp = os.path.join(state_dir, "netbox", "tmp")
    os.makedirs(tmp, exist_ok=True)
    cmd = [os.path.join(venv, "bin", "gunicorn"), "netbox.wsgi",
           "--bind", f"127.0.0.1:{st['http_port']}", "--workers", str(workers),
           "--timeout", "900", "--graceful-timeout", "10", "--preload",
           "--no-control-socket", "--worker-tmp-dir", tmp,
           "--pid", os.path.join(state_dir, "gunicorn.pid"),
           "--access-logfile", "-", "--error-logfile", "-"]
    with open(os.path.join(state_dir, "netbox.log"), "wb") as log:  # one log per start
        proc = subprocess.Popen(cmd, env=nb_env(venv, state_dir, TMPDIR=tmp), cwd=state_dir,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return proc.pid


def api_get(url, token, path="/api/status/", timeout=15):
    req = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}",
                                                      "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.load(resp)


def wait_ready(state_dir, st, timeout=READY_TIMEOUT):
    deadline, last = time.monotonic() + timeout, "no answer"
    while time.monotonic() < deadline:
        if not pid_alive(st["netbox_pid"]):
            last = "the server exited"
            break
        try:
            return api_get(st["api_url"], st["token"])
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            last = str(exc)
        time.sleep(0.5)
    raise LabError(f"NetBox not ready at {st['api_url']}/api/status/ ({last}); "
                   f"tail of {state_dir}/netbox.log:\n{tail(os.path.join(state_dir, 'netbox.log'))}")


def start(root, state_dir, workers=DEFAULT_WORKERS, ds=None):
    """Start PostgreSQL, Redis and NetBox; write netbox.json and env. With a dataset
    ``ds``, NetBox also holds it (restored from a cached dump, or loaded through the
    API and then cached)."""
    t0, state_dir = time.monotonic(), os.path.abspath(state_dir)
    if workers < 1:
        raise LabError("start needs --workers >= 1")
    if load_state(state_dir) or pgsql.our_processes(state_dir):
        print("  previous lab state found: stopping it first", flush=True)
        stop(root, state_dir)
    os.makedirs(state_dir, exist_ok=True)
    venv = install(root)
    pg_port, redis_port, http_port = pgsql.free_ports(3)
    st = {"netbox_version": NETBOX_VERSION, "state_dir": state_dir, "venv": venv,
          "pg_port": pg_port, "redis_port": redis_port, "http_port": http_port,
          "api_url": f"http://127.0.0.1:{http_port}", "pg_data": os.path.join(state_dir, "pg"),
          "pg_password": secrets.token_urlsafe(24), "redis_password": secrets.token_urlsafe(24),
          "netbox_root": os.path.join(state_dir, "netbox"), "workers": workers,
          "devices": len(ds["devices"]) if ds else None}
    try:
        _start_services(root, state_dir, venv, st, ds)
    except BaseException:
        print("  start failed: stopping what was started", flush=True)
        with contextlib.suppress(LabError):
            stop(root, state_dir, quiet=True)
        raise
    print(f"NetBox {NETBOX_VERSION} ready at {st['api_url']} "
          f"(total {time.monotonic() - t0:.1f} s; credentials in {state_dir}/env)", flush=True)
    return st


def _start_services(root, state_dir, venv, st, ds):
    with step(f"postgresql on 127.0.0.1:{st['pg_port']}"):
        st["pg_pid"] = pgsql.init_cluster(state_dir, st["pg_port"], st["pg_password"])
        save_state(state_dir, st)
    with step(f"redis on 127.0.0.1:{st['redis_port']}"):
        st["redis_pid"] = pgsql.start_redis(state_dir, st["redis_port"], st["redis_password"])
        save_state(state_dir, st)
    write_config(state_dir, st)
    prepare_db(root, state_dir, venv, st, ds)
    with step("superuser admin + v2 API token"):
        st["token"] = create_token(venv, state_dir)
    with step(f"netbox (gunicorn, {st['workers']} workers) on {st['api_url']}"):
        st["netbox_pid"] = start_gunicorn(venv, state_dir, st, st["workers"])
        save_state(state_dir, st)
        wait_ready(state_dir, st)
    if ds:
        load_dataset(root, st, ds)
    write_private(os.path.join(state_dir, "env"),
                  f"NETBOX_API={st['api_url']}\nNETBOX_TOKEN={st['token']}\n")
    save_state(state_dir, st)


def load_dataset(root, st, ds):
    """Load the dataset through the API and cache the database, unless restored."""
    from lab import netbox_load  # pylint: disable=import-outside-toplevel
    if not st["dataset_cached"]:
        print(f"  loading the {st['devices']}-device dataset through the API", flush=True)
        netbox_load.load(st["api_url"], st["token"], ds)
    with step(f"dataset of {st['devices']} devices verified"):
        bad = netbox_load.verify(st["api_url"], st["token"], ds)
        if bad:
            raise LabError(f"NetBox does not hold the dataset (expected, found): {bad}")
    if not st["dataset_cached"]:
        dump = loaded_dump_path(root, st["venv"], ds)
        cache_dump(root, st, dump)


def stop(root, state_dir, quiet=False):
    """Stop NetBox, Redis and PostgreSQL; remove the pg data dir. Idempotent."""
    del root  # the lab's files under root (venv, dump cache) are kept
    state_dir = os.path.abspath(state_dir)
    st, owned = load_state(state_dir), set(pgsql.our_processes(state_dir))
    with step("netbox stopped"):  # only pids that /proc confirms are ours
        # SIGQUIT is gunicorn's quick shutdown; its workers then spend ~5 s of CPU
        # tearing down their heaps, so SIGKILL them after 2 s (state is in PostgreSQL).
        pid = st.get("netbox_pid")
        pgsql.stop_pid(pid if pid in owned else None, True, 2, signal.SIGQUIT)
    with step("redis stopped"):
        pid = st.get("redis_pid")
        pgsql.stop_pid(pid if pid in owned else None, False, 10)
    with step("postgresql stopped"):
        pid = pgsql.postmaster_pid(os.path.join(state_dir, "pg")) or st.get("pg_pid")
        pgsql.stop_cluster(state_dir, pid if pid in owned else None)
    left = pgsql.reap(state_dir)
    if left:
        raise LabError(f"processes of the lab still running after SIGKILL: {left}")
    shutil.rmtree(os.path.join(state_dir, "pg"), ignore_errors=True)
    for name in ("env", "netbox.json", "gunicorn.pid"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(state_dir, name))
    if not quiet:
        print(f"lab stopped: no process references {state_dir}", flush=True)


def status(root, state_dir):
    """Print whether each service answers; return True if all do."""
    del root
    st = load_state(os.path.abspath(state_dir))
    if not st:
        print(f"not started (no {state_dir}/netbox.json)")
        return False
    checks = {
        "postgresql": lambda: pgsql.ready(st["pg_port"], st["pg_password"])
        and f"127.0.0.1:{st['pg_port']}",
        "redis": lambda: pgsql.redis_ping(st["redis_port"], st["redis_password"])
        and f"127.0.0.1:{st['redis_port']}",
        "netbox": lambda: "NetBox {} at {}".format(
            api_get(st["api_url"], st["token"])["netbox-version"], st["api_url"]),
    }
    ok = True
    for name, check in checks.items():
        try:
            answer = check()
            up, answer = bool(answer), answer or "no answer"
        except (KeyError, OSError, ValueError) as exc:
            up, answer = False, f"no answer ({exc})"
        print(f"{name:10s} {'up' if up else 'DOWN'}: {answer}")
        ok = ok and up
    return ok


def main(argv=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(prog="python -m lab.netbox_service",
                                     description="Private NetBox instance for the lab.")
    parser.add_argument("command", choices=["install", "start", "stop", "status"])
    parser.add_argument("--root", default=here, help="checkout root (default: %(default)s)")
    parser.add_argument("--state-dir", help="state directory (default: <root>/.lab)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="gunicorn workers (default: %(default)s)")
    parser.add_argument("--devices", type=int,
                        help="start: also hold the N-device dataset (cached after the first load)")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    state_dir = os.path.abspath(args.state_dir or os.path.join(root, ".lab"))
    try:
        if args.command == "install":
            install(root)
        elif args.command == "start":
            from lab import dataset  # pylint: disable=import-outside-toplevel
            try:
                ds = dataset.generate(args.devices) if args.devices else None
            except ValueError as exc:
                raise LabError(f"--devices {args.devices}: {exc}") from None
            start(root, state_dir, args.workers, ds)
        elif args.command == "stop":
            stop(root, state_dir)
        else:
            return 0 if status(root, state_dir) else 1
    except LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
