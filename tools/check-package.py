#!/usr/bin/env python3
"""The built collection and its AWX execution environment (``tools/run-tests.sh package``).

1. Builds the collection from the checkout's files (``git ls-files``: tracked and new,
   not ignored) with ``ansible-galaxy collection build``, as a release is built, and
   checks the tarball: it holds what users run (plugins, roles, playbooks, templates,
   meta, docs, requirements.txt, bindep.txt) and none of our tests, the lab, its images,
   the tools or the development pins (``galaxy.yml`` build_ignore).
2. Runs ``ansible-builder create`` on ``docs/awx/execution-environment.yml`` with that
   tarball beside it, and checks the build context: the Containerfile, the collection in
   it, the pinned ansible-core and ansible-runner.
3. Installs the tarball and runs the build context's own introspection script on it, as
   the image build will: the collection's Python and system requirements
   (``meta/execution-environment.yml``) must come out.
4. Makes the release changelog of the collection's version with ``antsibull-changelog
   release`` in a copy of the checkout: ``CHANGELOG.rst`` must hold every change fragment.

Prints one line per check; exits non-zero on the first that fails. No container engine
is needed (``create`` only writes the build context).
"""

import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# what users run: each must be in the tarball
REQUIRED = ("MANIFEST.json", "FILES.json", "README.md", "LICENSE", "requirements.txt", "bindep.txt",
            "meta/runtime.yml", "meta/execution-environment.yml", "plugins/action/netbox_state.py",
            "plugins/modules/drift_merge.py", "plugins/module_utils/report/report.py", "roles/drift_check/tasks/main.yml",
            "roles/merge/tasks/main.yml", "playbooks/check.yml", "playbooks/merge.yml", "templates/ttp/cisco_ios.yml",
            "templates/redact.yml", "docs/awx.md", "docs/awx/netbox-credential-type.yml",
            "docs/awx/execution-environment.yml", "changelogs/changelog.yaml")
# what users do not run: no member may start with one of these
FORBIDDEN = ("tests/unit/", "tests/integration/", "tests/requirements-dev.", "tests/output/", "lab/", "tools/",
             "docs/images/", ".lab", ".venv/", ".deps/", ".cache/", ".ci/", ".git/", ".gitignore", ".ansible-lint",
             "ansible.cfg", "Makefile", ".pytest_cache/", ".hypothesis/", "changelogs/fragments/")


def fail(message):
    print("check-package: FAILED: %s" % message, file=sys.stderr)
    sys.exit(1)


def ok(message):
    print("check-package: ok: %s" % message)


def run(args, cwd=None, env=None):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        fail("%s exited %d\n%s\n%s" % (" ".join(map(str, args)), proc.returncode, proc.stdout[-3000:],
                                       proc.stderr[-3000:]))
    return proc


def build(work):
    """The tarball, built from a copy of the checkout's files."""
    src = work / "src"
    listed = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT).stdout.split("\0")
    for name in filter(None, listed):
        path = ROOT / name
        if path.is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    run([BIN / "ansible-galaxy", "collection", "build", "--output-path", work], cwd=src)
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    tarball = work / ("truthloop-netbox_drift-%s.tar.gz" % version)
    if not tarball.is_file():
        fail("ansible-galaxy collection build wrote no %s" % tarball.name)
    return tarball, version


def check_members(tarball):
    with tarfile.open(tarball) as handle:
        members = [m.name[2:] if m.name.startswith("./") else m.name for m in handle.getmembers()]
    missing = [name for name in REQUIRED if name not in members]
    if missing:
        fail("the built collection lacks %s" % ", ".join(missing))
    unwanted = sorted(m for m in members if m.startswith(FORBIDDEN))
    if unwanted:
        fail("the built collection holds what users do not run: %s" % ", ".join(unwanted[:20]))
    ok("%s: %d files, none of the tests, lab, tools or development pins" % (tarball.name, len(members)))


def check_ee(work, tarball, version):
    definition = yaml.safe_load((ROOT / "docs" / "awx" / "execution-environment.yml").read_text())
    wanted = "collections/%s" % tarball.name
    names = [c["name"] for c in definition["dependencies"]["galaxy"]["collections"]]
    if wanted not in names:
        fail("docs/awx/execution-environment.yml installs %s, not %s (galaxy.yml version %s)"
             % (names, wanted, version))
    ee_dir = work / "ee"
    ee_dir.mkdir()
    shutil.copy2(ROOT / "docs" / "awx" / "execution-environment.yml", ee_dir)
    shutil.copy2(tarball, ee_dir)
    context = work / "context"
    run([BIN / "ansible-builder", "create", "-f", ee_dir / "execution-environment.yml", "--context", context,
         "--output-filename", "Containerfile"])
    containerfile = (context / "Containerfile").read_text()
    for needle in ("ansible-core==2.19.14", "ansible-runner==2.4.3", "ansible-galaxy collection install"):
        if needle not in containerfile:
            fail("the Containerfile has no %r" % needle)
    copied = context / "_build" / "collections" / tarball.name
    if not copied.is_file() or hashlib.sha256(copied.read_bytes()).digest() != \
            hashlib.sha256(tarball.read_bytes()).digest():
        fail("the build context does not hold the collection tarball as %s" % copied)
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    if requirements != {"collections": [{"name": wanted, "type": "file"}]}:
        fail("the build context's requirements.yml is %r" % requirements)
    ok("ansible-builder create: build context in %s" % context)
    return context


def check_introspection(work, tarball, context):
    """What the image build's introspection finds in the installed collection."""
    installed = work / "installed"
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ANSIBLE_"))  # not the checkout's config
    run([BIN / "ansible-galaxy", "collection", "install", "--offline", "--no-deps", "-p", installed, tarball],
        cwd=work, env=env)
    out = run([BIN / "python", context / "_build" / "scripts" / "introspect.py", "introspect", installed,
               "--sanitize"], cwd=work, env=env).stdout
    found = yaml.safe_load(out)
    python = " ".join(line.split("#", 1)[0].strip() for line in found.get("python") or [])
    system = " ".join(line.split("#", 1)[0].strip() for line in found.get("system") or [])
    for package in ("pynetbox", "ttp", "netutils", "ansible-pylibssh", "pytz"):
        if not re.search(r"(^|\s)%s\b" % re.escape(package), python):
            fail("the execution environment would not get %s (introspection found: %s)" % (package, python))
    if "openssh-clients" not in system:
        fail("the execution environment would not get openssh-clients (introspection found: %s)" % system)
    ok("introspection of the installed collection: python %s; system %s" % (python, system))
    return found


def _words(text):
    return " ".join(str(text).replace("``", "").split())


def check_release_notes(work, version):
    """``antsibull-changelog release`` on a copy of the checkout, as a release is made."""
    copy = work / "release" / "ansible_collections" / "truthloop" / "netbox_drift"
    shutil.copytree(work / "src", copy)
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ANSIBLE_"))
    env.update(PATH="%s:%s" % (BIN, env.get("PATH", "")), ANSIBLE_COLLECTIONS_PATH=str(work / "release"))
    run([BIN / "antsibull-changelog", "release", "--version", version, "--date", "2000-01-01"], cwd=copy, env=env)
    notes = _words((copy / "CHANGELOG.rst").read_text())
    if "v%s" % version not in notes:
        fail("CHANGELOG.rst has no section for %s" % version)
    fragments = sorted((work / "src" / "changelogs" / "fragments").glob("*.yml"))
    checked = 0
    for path in fragments:
        for section, entries in (yaml.safe_load(path.read_text()) or {}).items():
            for entry in entries if section != "trivial" else ():
                if _words(entry)[:80] not in notes:
                    fail("CHANGELOG.rst lacks %s's %s entry %r" % (path.name, section, _words(entry)[:80]))
                checked += 1
    ok("antsibull-changelog release %s: CHANGELOG.rst holds the %d entries of %d fragments" % (
        version, checked, len(fragments)))


def main():
    work = pathlib.Path(tempfile.mkdtemp(prefix="truthloop-package-"))
    try:
        tarball, version = build(work)
        check_members(tarball)
        context = check_ee(work, tarball, version)
        check_introspection(work, tarball, context)
        check_release_notes(work, version)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
