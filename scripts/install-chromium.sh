#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the HTML report's browser tests
# (test/report/html-browser.test.ts drives it headless with playwright-core; Playwright's own
# browser download is never used). Idempotent: exits at once when /usr/bin/chromium is there.
# Runs as root, non-interactively (CI=true or not).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium.sh: must run as root (apt-get install chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

"${APT[@]}" update
"${APT[@]}" install chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium.sh: $CHROMIUM still missing after apt-get install chromium" >&2
  exit 1
fi
# The Debian launcher prints a harmless shell warning on some machines; keep only the version.
"$CHROMIUM" --version 2>/dev/null
