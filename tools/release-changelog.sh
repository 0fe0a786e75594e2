#!/usr/bin/env bash
# Cut a release's changelog (`make changelog`): antsibull-changelog release for the version
# in galaxy.yml, run on a clean copy of the checkout's files (it asks ansible-doc for the
# collection's plugins, so the copy sits in an ansible_collections tree; the checkout also
# holds .venv, .deps and .cache, which it must not walk), then CHANGELOG.rst,
# changelogs/changelog.yaml and the removal of the released fragments brought back.
# Arguments go to antsibull-changelog release (e.g. --date 2026-12-31).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/ansible_collections/truthloop/netbox_drift"
mkdir -p "$copy"
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' file; do
    [ -f "$file" ] && cp --parents "$file" "$copy/"   # files only: not a linked .venv or .deps
done
(cd "$copy" && env -u ANSIBLE_CONFIG PATH="$ROOT/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$tmp" \
    antsibull-changelog release "$@")
cp "$copy/CHANGELOG.rst" CHANGELOG.rst
cp "$copy/changelogs/changelog.yaml" changelogs/changelog.yaml
for fragment in changelogs/fragments/*.yml; do
    [ -e "$copy/$fragment" ] || rm -f "$fragment"
done
echo "release-changelog: CHANGELOG.rst and changelogs/changelog.yaml written, released fragments removed"
