#!/bin/sh
# Makes a Chromium available to Playwright: its own download where that works, otherwise the
# system's (Debian's `chromium`, installed with apt-get when running as root, and beside it Debian's
# `chromium-headless-shell`, which the plugin runs for headless tests: it starts and renders faster). Also what the rest of
# the harness needs beside it: ffmpeg for `--video on` (Playwright's own, or Debian's linked where
# Playwright looks for it), Xvfb for `sferum-sim replay` and `record` on a machine without a screen, and
# poppler-utils (pdftoppm, pdftotext), with which the tests read the printed guides' pages.
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

has_system_shell() {
    "$PYTHON" -c 'import sys; from simulator.testing.browser import system_chromium as c; sys.exit(0 if c(kind="shell") else 1)'
}

can_apt() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}

APT_UPDATED=
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$APT_UPDATED" ]; then
        apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Where Playwright looks for its ffmpeg: `<browsers dir>/ffmpeg-<revision>/ffmpeg-linux`, no setting to
# name another. The revision comes with the installed Playwright, so it is asked, not written here.
playwright_ffmpeg() {
    location=$(timeout 60 "$PYTHON" -m playwright install --dry-run ffmpeg 2>/dev/null | sed -n 's/^ *Install location: *//p' | head -n 1)
    [ -n "$location" ] && echo "$location/ffmpeg-linux"
}

ensure_chromium() {
    if has_playwright_chromium; then
        return 0
    fi
    if has_system_chromium; then
        ensure_shell
        return 0
    fi
    echo "ensure-browser: downloading Playwright's Chromium…"
    if timeout 300 "$PYTHON" -m playwright install chromium >/tmp/playwright-install.log 2>&1; then
        return 0
    fi
    echo "ensure-browser: Playwright's download failed (see /tmp/playwright-install.log); installing Debian's chromium"
    if can_apt; then
        apt_install chromium fonts-dejavu-core
        ensure_shell
        has_system_chromium && return 0
    fi
    echo "ensure-browser: no Chromium. Install one (apt-get install chromium, or playwright install chromium)" >&2
    echo "               or point SFERUM_SIM_CHROMIUM at its binary." >&2
    return 1
}

# The headless shell beside Debian's chromium (same version, same source package); without it headless
# runs use full Chromium.
ensure_shell() {
    has_system_shell && return 0
    if can_apt && dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
        echo "ensure-browser: installing Debian's chromium-headless-shell (headless runs)"
        apt_install chromium-headless-shell || echo "ensure-browser: no chromium-headless-shell: headless runs use chromium" >&2
    fi
}

ensure_ffmpeg() {
    target=$(playwright_ffmpeg) || return 0
    [ -x "$target" ] && return 0
    if ! command -v ffmpeg >/dev/null && can_apt; then
        echo "ensure-browser: installing Debian's ffmpeg (videos of scenarios, --video on)"
        apt_install ffmpeg
    fi
    if command -v ffmpeg >/dev/null; then
        mkdir -p "$(dirname "$target")"
        ln -sf "$(command -v ffmpeg)" "$target"
    else
        echo "ensure-browser: no ffmpeg: --video will not work (apt-get install ffmpeg, or playwright install ffmpeg)" >&2
    fi
}

ensure_xvfb() {
    if ! command -v Xvfb >/dev/null && can_apt; then
        echo "ensure-browser: installing Xvfb (sferum-sim replay without a screen)"
        apt_install xvfb xauth
    fi
}

ensure_pdf_tools() {
    if ! command -v pdftoppm >/dev/null && can_apt; then
        echo "ensure-browser: installing poppler-utils (the tests render the printed guides' pages)"
        apt_install poppler-utils
    fi
}

ensure_chromium
ensure_ffmpeg
ensure_xvfb
ensure_pdf_tools
