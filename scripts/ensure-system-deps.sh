#!/usr/bin/env bash
# Install what the tests need and a fresh Debian machine lacks: Debian's Chromium
# (Playwright cannot download its own here), a CJK font, exiftool, which the evidence
# tests run on every cleaned file to prove no metadata survives, and the PostgreSQL and
# Redis server binaries, which the outage tests start and stop as servers of their own,
# Node.js with npm, which install axe-core for the browser tests' accessibility check, and
# Pango, which WeasyPrint draws the annual report's PDF with (in the CJK font above).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep reads to the end (no -q): a reader that stops early fails the pipe under pipefail.
fc-list 2>/dev/null | grep -i "wenquanyi zen hei" >/dev/null || need+=(fonts-wqy-zenhei)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v npm >/dev/null || need+=(nodejs npm)
ldconfig -p 2>/dev/null | grep "libpango-1.0.so.0" >/dev/null || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep "libpangoft2-1.0.so.0" >/dev/null || need+=(libpangoft2-1.0-0)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 1
fi
echo "installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
