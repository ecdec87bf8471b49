#!/bin/sh
# Makes a Chromium available to Playwright: its own download where that works, otherwise the
# system's (Debian's `chromium`, installed with apt-get when running as root).
set -eu
PYTHON=${PYTHON:-python3}

has_playwright_chromium() {
    "$PYTHON" - <<'PY'
import pathlib, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if pathlib.Path(p.chromium.executable_path).exists() else 1)
PY
}

has_system_chromium() {
    "$PYTHON" -c 'import sys; from simulator.testing.browser import system_chromium; sys.exit(0 if system_chromium() else 1)'
}

if has_playwright_chromium || has_system_chromium; then
    exit 0
fi
echo "ensure-browser: downloading Playwright's Chromium…"
if timeout 300 "$PYTHON" -m playwright install chromium >/tmp/playwright-install.log 2>&1; then
    exit 0
fi
echo "ensure-browser: Playwright's download failed (see /tmp/playwright-install.log); trying Debian's chromium"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    has_system_chromium && exit 0
fi
echo "ensure-browser: no Chromium. Install one (apt-get install chromium, or playwright install chromium)" >&2
echo "               or point SFERUM_SIM_CHROMIUM at its binary." >&2
exit 1
