# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots: the raw outputs of one run on one device, kept on disk.

Layout: ``<base>/<run_id>/<device>/<command slug>.txt`` plus ``manifest.json``
(device, platform, run, commands with timestamps, success and error per command);
directories 0700, files 0600, readable by their owner only.
Secrets are removed from every output (rules in ``templates/redact.yml``) before it is
kept, parsed or shown. ``read_outputs`` reads a snapshot back, or a plain folder of
``<command>.txt`` files (a config backup), for the offline parse.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import re

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import ttp_runner

try:
    import yaml
except ImportError:  # PyYAML comes with ansible-core
    yaml = None

MANIFEST = "manifest.json"
REMOVED = "<removed>"  # what the redaction rules put in place of a secret
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600  # snapshots hold device outputs: their owner only
REDACT_FILE = os.path.join(os.path.dirname(ttp_runner.TEMPLATE_DIR), "redact.yml")
_REDACT = []


class SnapshotError(Exception):
    """A snapshot that cannot be written or read."""


def _rules():
    if not _REDACT:
        with open(REDACT_FILE) as handle:
            for rule in yaml.safe_load(handle):
                _REDACT.append((re.compile(rule["regex"], re.MULTILINE), rule["replace"]))
    return _REDACT


def redact(text):
    """``text`` without the secrets the redaction rules know. Redacting a redacted text
    changes nothing: a match whose secret is already followed by ``<removed>`` took an
    optional word (``password 7 <removed>``: the ``7``) for the secret, and is left."""
    for pattern, replace in _rules():
        text = pattern.sub(lambda match, text=text, replace=replace: (
            match.group(0) if text.startswith(" " + REMOVED, match.end()) else match.expand(replace)), text)
    return text


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_run_id():
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%f")
    return stamp[:-3] + "Z"


def slug(command):
    """File name (without ``.txt``) for a command: ``show running-config`` ->
    ``show_running-config``; ``|`` becomes ``pipe``."""
    return re.sub(r"_+", "_", command.strip().replace("|", "pipe").replace(" ", "_").replace("/", "-"))


def _safe_name(name):
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise SnapshotError("not usable as a directory name: %r" % name)
    return name


def private_dirs(base_dir, *names):
    """``base_dir/names...``, each directory created (and an existing one under
    ``base_dir`` set) readable by its owner only, 0700; ``base_dir`` itself only when
    this creates it. Returns the path."""
    if not os.path.isdir(base_dir):
        try:
            os.makedirs(base_dir, mode=PRIVATE_DIR)
            os.chmod(base_dir, PRIVATE_DIR)
        except FileExistsError:  # another host's process made it first (forks run at once)
            pass
    path = base_dir
    for name in names:
        path = os.path.join(path, name)
        try:
            os.mkdir(path, PRIVATE_DIR)
        except FileExistsError:
            pass
        os.chmod(path, PRIVATE_DIR)
    return path


def write_private(path, text):
    """Write ``text`` to ``path`` (replaced in one step), readable by its owner only (0600):
    device outputs and what is made of them never become readable by other users."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(handle.fileno(), PRIVATE_FILE)  # a .tmp left by a crash keeps its old mode
        handle.write(text)
    os.replace(tmp, path)


def write(base_dir, run_id, device, platform, results):
    """Keep ``results`` (``{command: {output|error, started, ended}}``); return the path.
    Directories are 0700 and files 0600 (``private_dirs``, ``write_private``)."""
    path = os.path.join(base_dir, _safe_name(run_id), _safe_name(device))
    try:
        private_dirs(base_dir, _safe_name(run_id), _safe_name(device))
        entries = []
        for command, result in results.items():
            entry = {"command": command, "ok": "error" not in result,
                     "started": result.get("started"), "ended": result.get("ended")}
            if entry["ok"]:
                entry["file"] = slug(command) + ".txt"
                entry["bytes"] = len(result.get("output") or "")
                write_private(os.path.join(path, entry["file"]), result.get("output") or "")
            else:
                entry["error"] = result["error"]
            entries.append(entry)
        manifest = {"device": device, "platform": platform, "run_id": run_id,
                    "written": now(), "commands": entries}
        write_private(os.path.join(path, MANIFEST), json.dumps(manifest, indent=1, sort_keys=True))
    except (IOError, OSError) as exc:
        raise SnapshotError("cannot write snapshot %s: %s" % (path, exc))
    return path


def read_manifest(path):
    """The ``manifest.json`` of a snapshot directory, or None for a plain folder."""
    if not os.path.isdir(path):
        raise SnapshotError("no such directory: %s" % path)
    manifest_path = os.path.join(path, MANIFEST)
    if not os.path.isfile(manifest_path):
        return None
    try:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise SnapshotError("cannot read %s: %s" % (manifest_path, exc))
    if not isinstance(manifest, dict):
        raise SnapshotError("%s is not a snapshot manifest" % manifest_path)
    return manifest


def read_outputs(path, commands=None):
    """``(outputs, manifest)`` from a snapshot directory or a folder of ``<command>.txt``.

    ``outputs`` is ``{command: {"output": text} | {"error": msg}}``. For a plain folder,
    ``commands`` (the platform's command list) says which files to look for; a file may
    be named by the command itself or by its slug.
    """
    manifest = read_manifest(path)
    if manifest is not None:
        outputs = {}
        for entry in manifest.get("commands", []):
            if entry.get("ok"):
                outputs[entry["command"]] = {"output": _read(os.path.join(path, entry["file"]))}
            else:
                outputs[entry["command"]] = {"error": entry.get("error") or "failed"}
        return outputs, manifest
    outputs = {}
    for command in commands or []:
        for candidate in (command, slug(command)):
            file_path = os.path.join(path, candidate + ".txt")
            if os.path.isfile(file_path):
                outputs[command] = {"output": redact(_read(file_path))}
                break
    if not outputs:
        raise SnapshotError("%s holds neither a manifest.json nor any of the files %s" % (
            path, ", ".join(slug(c) + ".txt" for c in commands or [])))
    return outputs, None


def _read(file_path):
    try:
        with open(file_path) as handle:
            return handle.read()
    except (IOError, OSError) as exc:
        raise SnapshotError("cannot read %s: %s" % (file_path, exc))


def previous(base_dir, device, run_id):
    """Path of ``device``'s latest snapshot before ``run_id``, or None."""
    try:
        runs = sorted(r for r in os.listdir(base_dir) if r < run_id)
    except OSError:
        return None
    for run in reversed(runs):
        candidate = os.path.join(base_dir, run, device)
        if os.path.isfile(os.path.join(candidate, MANIFEST)):
            return candidate
    return None
