#!/usr/bin/env bash
# Installs the toolchain into the checkout, idempotently:
#   .venv/                         Python 3.12 venv, every package pinned (tests/requirements-dev.txt)
#   .deps/ansible_collections/     dependency collections unpacked from the pinned `ansible` wheel
#                                  (Ansible Galaxy is unreachable here) and truthloop/netbox_drift
#                                  linked to this checkout
# System packages for the lab (PostgreSQL, Redis) come from tools/system-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ANSIBLE_WHEEL_VERSION=12.3.0
ANSIBLE_WHEEL_SHA256=cd156f82fa87f7a899212b0efa9f7ca3a24d609212de9f78428a572eb01e5414
COLLECTIONS="ansible/netcommon ansible/utils netbox/netbox cisco/ios cisco/nxos arista/eos junipernetworks/junos"

log() { printf 'bootstrap: %s\n' "$*"; }

find_python312() {
    local cand
    for cand in "${PYTHON312:-}" python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
        [ -n "$cand" ] || continue
        if "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
            command -v "$cand" || echo "$cand"
            return 0
        fi
    done
    echo "bootstrap: no Python 3.12 found (set PYTHON312=/path/to/python3.12)" >&2
    return 1
}

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

ensure_venv() {
    local want
    want=$(sha256sum tests/requirements-dev.txt | cut -d' ' -f1)
    if stamp_ok .venv/.stamp "$want"; then return 0; fi
    local py
    py=$(find_python312)
    log "creating .venv with $py"
    rm -rf .venv
    "$py" -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements-dev.txt
    echo "$want" > .venv/.stamp
}

ensure_collections() {
    local want="$ANSIBLE_WHEEL_VERSION $ANSIBLE_WHEEL_SHA256 $COLLECTIONS"
    local wheel=".cache/wheels/ansible-${ANSIBLE_WHEEL_VERSION}-py3-none-any.whl"
    if ! stamp_ok .deps/.stamp "$want"; then
        if ! echo "$ANSIBLE_WHEEL_SHA256  $wheel" | sha256sum -c --status 2>/dev/null; then
            log "downloading ansible==$ANSIBLE_WHEEL_VERSION (only its collections are used)"
            mkdir -p .cache/wheels
            .venv/bin/pip download -q --disable-pip-version-check --no-deps -d .cache/wheels "ansible==$ANSIBLE_WHEEL_VERSION"
            echo "$ANSIBLE_WHEEL_SHA256  $wheel" | sha256sum -c --status || {
                echo "bootstrap: $wheel does not match its pinned sha256" >&2; exit 1; }
        fi
        rm -rf .deps
        mkdir -p .deps
        local patterns=()
        for c in $COLLECTIONS; do patterns+=("ansible_collections/$c/*"); done
        log "unpacking: $COLLECTIONS"
        unzip -q "$wheel" "${patterns[@]}" -d .deps
        echo "$want" > .deps/.stamp
    fi
    mkdir -p .deps/ansible_collections/truthloop
    ln -sfn ../../.. .deps/ansible_collections/truthloop/netbox_drift
}

ensure_venv
ensure_collections
log "ready: .venv (ansible-core $(.venv/bin/python -c "from ansible.release import __version__ as v; print(v)")), collections in .deps/ansible_collections"
