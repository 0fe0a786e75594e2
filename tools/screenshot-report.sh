#!/usr/bin/env bash
# A PNG of a drift report page as headless Chromium draws it (after its script ran):
#   tools/screenshot-report.sh <drift.html> <out.png> [fragment]
# e.g. tools/screenshot-report.sh out/drift.html drift.png 'sort=severity:desc&open=6c1e0b9a52d4'
# The fragment is the page's own state (sort, q, class, severity, kind, status, device,
# counted, open). Chromium: `chromium` on PATH (tools/system-deps.sh installs it) or $CHROMIUM.
# The window is $SCREENSHOT_SIZE pixels wide and high (default 1400,1000).
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 <drift.html> <out.png> [fragment]" >&2
    exit 2
fi
[ -f "$1" ] || { echo "screenshot-report: no such file: $1" >&2; exit 2; }
browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
    for name in chromium chromium-browser google-chrome; do
        command -v "$name" >/dev/null 2>&1 && { browser=$(command -v "$name"); break; }
    done
fi
[ -n "$browser" ] || { echo "screenshot-report: no chromium found (apt-get install chromium)" >&2; exit 1; }
url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1")
[ $# -eq 3 ] && [ -n "$3" ] && url="$url#${3#\#}"
out=$(python3 -c 'import os, sys; print(os.path.abspath(sys.argv[1]))' "$2")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size="${SCREENSHOT_SIZE:-1400,1000}" --screenshot="$out" "$url" >/dev/null 2>&1 \
    || { echo "screenshot-report: chromium failed on $url" >&2; exit 1; }
[ -s "$out" ] || { echo "screenshot-report: no screenshot written to $out" >&2; exit 1; }
echo "$out"
