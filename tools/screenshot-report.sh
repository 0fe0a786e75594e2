#!/usr/bin/env bash
# PNGs of the report pages as headless Chromium draws them (after their scripts ran).
#
#   tools/screenshot-report.sh <page.html> <out.png> [fragment]
#       one page, e.g. tools/screenshot-report.sh out/drift.html drift.png 'sort=severity:desc&open=6c1e0b9a52d4'
#       drift.html's fragment is its table's state (sort, q, class, severity, kind, status, device,
#       counted, open); the topology reads site=<site>, node=<device> and link=<link id>.
#   tools/screenshot-report.sh --docs <run dir> <label> [topology fragment]
#       the pictures of the README, into docs/images/: report-<label>.png (drift.html's first
#       screen), topology-<label>.png (topology.html, the whole run) and, with a fragment,
#       topology-<label>-zoom.png (topology.html at that fragment, e.g. 'site=dc1&node=dc1-eos-03').
#
# Chromium: `chromium` on PATH (tools/system-deps.sh installs it) or $CHROMIUM. The window is
# $SCREENSHOT_SIZE pixels wide and high (default 1400,1000). PNGs are reduced to 256 colours
# by pngquant when it is installed (apt-get install pngquant), else kept as Chromium wrote them.
set -euo pipefail
usage() {
    echo "usage: $0 <page.html> <out.png> [fragment] | $0 --docs <run dir> <label> [topology fragment]" >&2
    exit 2
}
browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
    for name in chromium chromium-browser google-chrome; do
        command -v "$name" >/dev/null 2>&1 && { browser=$(command -v "$name"); break; }
    done
fi

shoot() {  # <page.html> <out.png> [fragment]
    [ -f "$1" ] || { echo "screenshot-report: no such file: $1" >&2; exit 2; }
    [ -n "$browser" ] || { echo "screenshot-report: no chromium found (apt-get install chromium)" >&2; exit 1; }
    local url out profile
    url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1")
    [ -n "${3:-}" ] && url="$url#${3#\#}"
    out=$(python3 -c 'import os, sys; print(os.path.abspath(sys.argv[1]))' "$2")
    mkdir -p "$(dirname "$out")"
    profile=$(mktemp -d)
    # --virtual-time-budget lets the page's scripts run (zoom, selection) before the shot
    if ! timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
            --user-data-dir="$profile" --window-size="${SCREENSHOT_SIZE:-1400,1000}" --virtual-time-budget=3000 \
            --screenshot="$out" "$url" >/dev/null 2>&1; then
        rm -rf "$profile"
        echo "screenshot-report: chromium failed on $url" >&2
        exit 1
    fi
    rm -rf "$profile"
    [ -s "$out" ] || { echo "screenshot-report: no screenshot written to $out" >&2; exit 1; }
    if command -v pngquant >/dev/null 2>&1; then  # a palette of 256 colours: a third of the size
        pngquant --force --skip-if-larger --quality 70-95 --output "$out" "$out" || true
    fi
    echo "$out"
}

if [ "${1:-}" = "--docs" ]; then
    [ $# -ge 3 ] && [ $# -le 4 ] || usage
    run="$2" label="$3"
    images="$(cd "$(dirname "$0")/.." && pwd)/docs/images"
    mkdir -p "$images"
    shoot "$run/drift.html" "$images/report-$label.png"
    shoot "$run/topology.html" "$images/topology-$label.png"
    if [ -n "${4:-}" ]; then
        shoot "$run/topology.html" "$images/topology-$label-zoom.png" "$4"
    fi
    exit 0
fi
[ $# -ge 2 ] && [ $# -le 3 ] || usage
shoot "$1" "$2" "${3:-}"
