#!/usr/bin/env bash
# Debian packages the lab needs: PostgreSQL and Redis servers for NetBox, libpq-dev and
# gcc because the netbox package compiles psycopg-c; chromium for the HTML report's
# browser test and tools/screenshot-report.sh; graphviz (dot) for the topology pictures
# (Debian 12 ships 2.42; the tests need >= 2.40: clusters with newrank, SVG ids).
# Installs only what is missing.
set -euo pipefail
need=()
for pkg in postgresql redis-server libpq-dev gcc chromium graphviz; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
