#!/bin/sh
# Installs a pinned Haraka into /opt/smtpgauge/haraka (outside the project's package.json).
# Idempotent: exits 0 at once when that exact version is already installed there.
set -eu

HARAKA_VERSION=3.3.4
PREFIX=/opt/smtpgauge/haraka
BIN="$PREFIX/node_modules/.bin/haraka"
PKG="$PREFIX/node_modules/Haraka/package.json"

installed_version() {
  [ -x "$BIN" ] && [ -f "$PKG" ] || return 1
  node -p "require('$PKG').version" 2>/dev/null
}

if [ "$(installed_version || true)" = "$HARAKA_VERSION" ]; then
  echo "Haraka $HARAKA_VERSION already installed in $PREFIX"
  exit 0
fi

command -v node >/dev/null 2>&1 || { echo "install-haraka.sh: node (>= 20) is required" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "install-haraka.sh: npm is required" >&2; exit 1; }

mkdir -p "$PREFIX"
# A private package.json so npm installs here and never walks up into another project.
[ -f "$PREFIX/package.json" ] || printf '{ "name": "smtpgauge-haraka", "private": true }\n' >"$PREFIX/package.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --no-save "Haraka@$HARAKA_VERSION"

if [ "$(installed_version || true)" != "$HARAKA_VERSION" ]; then
  echo "install-haraka.sh: Haraka $HARAKA_VERSION not found in $PREFIX after npm install" >&2
  exit 1
fi
echo "Haraka $HARAKA_VERSION installed in $PREFIX"
