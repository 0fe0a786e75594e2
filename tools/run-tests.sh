#!/usr/bin/env bash
# Every test of the project: `tools/run-tests.sh [sanity|lint|package|units|integration ...]`
# (no argument: all of them, in that order). Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export ANSIBLE_CONFIG="$ROOT/ansible.cfg"
export ANSIBLE_INVENTORY_UNPARSED_FAILED=True
export PATH="$ROOT/.venv/bin:$PATH"
# Staged outside this git tree: inside it, ansible-test would ask git for the files
# and git ignores .cache/, so every target would be skipped.
# One staging directory per checkout, so that two checkouts can run tests at once.
STAGE="${TMPDIR:-/tmp}/truthloop-netbox_drift-test-$(printf %s "$ROOT" | sha1sum | cut -c1-10)/ansible_collections"
COLL="$STAGE/truthloop/netbox_drift"
# ansible-test keeps its venvs and its get-pip cache under ~/.ansible/test: give it a
# home inside the checkout so nothing outside it changes.
AT_HOME="$ROOT/.cache/ansible-test-home"
PIP_VERSION=24.2

section() { printf '\n=== %s ===\n' "$*"; }

# The collection as it would be built (galaxy.yml build_ignore applied), with its
# dependency collections as siblings, which is where ansible-test wants them.
stage_collection() {
    rm -rf "$COLL"
    mkdir -p "$COLL"
    git ls-files -co --exclude-standard -z \
        | grep -zv -E '^(lab/|tools/|\.ci/|Makefile$|ansible\.cfg$|\.gitignore$)' \
        | xargs -0 -I{} cp --parents {} "$COLL/" 2>/dev/null || true
    local ns
    for ns in "$ROOT"/.deps/ansible_collections/*; do
        [ "$(basename "$ns")" = truthloop ] && continue
        ln -sfn "$ns" "$STAGE/$(basename "$ns")"
    done
}

# ansible-test bootstraps pip in its venvs with a get-pip script it downloads from a
# host this machine cannot reach; give it one that installs pip from PyPI's wheel.
offline_get_pip() {
    local cache="$AT_HOME/.ansible/test/cache"
    local script="$cache/get_pip_${PIP_VERSION//./_}.py"
    [ -f "$script" ] && return 0
    mkdir -p "$cache"
    pip download -q --disable-pip-version-check --no-deps -d "$cache" "pip==$PIP_VERSION"
    cat > "$script" <<EOF
"""Offline stand-in for get-pip.py: run pip from the wheel beside this file."""
import os, sys
WHEEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pip-$PIP_VERSION-py3-none-any.whl")
sys.path.insert(0, WHEEL)
from pip._internal.cli.main import main
# get-pip.py's own options, which pip install does not know
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--upgrade", "--force-reinstall", WHEEL] + args))
EOF
}

run_sanity() {
    section "ansible-test sanity"
    stage_collection
    offline_get_pip
    (cd "$COLL" && HOME="$AT_HOME" ansible-test sanity --venv --python 3.12 --color no)
}

run_lint() {
    section "ansible-lint (production profile) and antsibull-changelog lint"
    # its syntax checks run without an inventory: that must not count as a failed source
    env -u ANSIBLE_INVENTORY_UNPARSED_FAILED ansible-lint --profile production --offline -q
    antsibull-changelog lint
}

run_package() {
    section "the built collection and its execution environment (ansible-galaxy build, ansible-builder create)"
    python tools/check-package.py
}

run_units() {
    section "unit tests"
    python -m pytest -q -p no:cacheprovider tests/unit lab/tests
}

run_integration() {
    section "integration tests (real NetBox, emulated devices, ansible-playbook)"
    python -m pytest -q -p no:cacheprovider tests/integration
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(sanity lint package units integration)
for stage in "${stages[@]}"; do
    case "$stage" in
        sanity|lint|package|units|integration) "run_$stage" ;;
        *) echo "run-tests: unknown stage $stage (sanity, lint, package, units, integration)" >&2; exit 2 ;;
    esac
done
