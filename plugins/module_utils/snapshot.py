# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots: the raw outputs of one run on one device, kept on disk.

Layout: ``<base>/<run_id>/<device>/<command slug>.txt`` plus ``manifest.json``
(device, platform, run, commands with timestamps, success and error per command).
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

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import ttp_runner

try:
    import yaml
except ImportError:  # PyYAML comes with ansible-core
    yaml = None

MANIFEST = "manifest.json"
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
    """``text`` without the secrets the redaction rules know."""
    for pattern, replace in _rules():
        text = pattern.sub(replace, text)
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


def write(base_dir, run_id, device, platform, results):
    """Keep ``results`` (``{command: {output|error, started, ended}}``); return the path."""
    path = os.path.join(base_dir, _safe_name(run_id), _safe_name(device))
    try:
        os.makedirs(path, exist_ok=True)
        entries = []
        for command, result in results.items():
            entry = {"command": command, "ok": "error" not in result,
                     "started": result.get("started"), "ended": result.get("ended")}
            if entry["ok"]:
                entry["file"] = slug(command) + ".txt"
                entry["bytes"] = len(result.get("output") or "")
                with open(os.path.join(path, entry["file"]), "w") as handle:
                    handle.write(result.get("output") or "")
            else:
                entry["error"] = result["error"]
            entries.append(entry)
        manifest = {"device": device, "platform": platform, "run_id": run_id,
                    "written": now(), "commands": entries}
        with open(os.path.join(path, MANIFEST), "w") as handle:
            json.dump(manifest, handle, indent=1, sort_keys=True)
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
