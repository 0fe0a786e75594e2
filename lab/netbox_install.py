"""The NetBox package of the lab and its cached databases.

The venv (``<root>/.cache/lab/netbox-<version>``) holds the official ``netbox``
package from PyPI and gunicorn, on Python 3.12.  Database dumps sit beside it, named
by the NetBox version and a hash of the installed migrations, so a dump is only
restored into the NetBox that wrote it: ``...-migrated.dump`` (an empty migrated
database) and ``...-<N>dev-<dataset key>.dump`` (one holding a lab dataset).
"""

import glob
import hashlib
import os
import shutil
import subprocess

from lab import pgsql
from lab.pgsql import LabError, run, step

NETBOX_VERSION = "4.7.3"


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


def loaded_dump_path(root, venv, ds):
    """Cached dump of a NetBox holding dataset ``ds`` (keyed by its content, so a
    scenario's NetBox-side changes get a dump of their own)."""
    from lab import netbox_load  # pylint: disable=import-outside-toplevel
    key = netbox_load.dataset_key(ds)
    return os.path.join(root, ".cache", "lab", f"netbox-{NETBOX_VERSION}-"
                        f"{migrations_hash(venv)}-{len(ds['devices'])}dev-{key}.dump")


def cache_dump(root, st, dump):
    """pg_dump the lab database to ``dump``; remove the dumps made for another
    NetBox package (their names do not start with netbox-<version>-<migrations>-)."""
    with step(f"database cached in {os.path.relpath(dump, root)}"):
        pgsql.dump_db(st["pg_port"], st["pg_password"], dump)
    current = "-".join(os.path.basename(dump).split("-")[:3]) + "-"
    for old in glob.glob(os.path.join(os.path.dirname(dump), "netbox-*.dump")):
        if not os.path.basename(old).startswith(current):
            os.unlink(old)
