#!/usr/bin/env bash
# Installs Exim 4.96 (Debian `exim4-daemon-light`) privately under /opt/smtpgauge/exim, without
# installing it as the system's mail transport agent (it conflicts with Postfix and OpenSMTPD):
# the .deb is fetched with `apt-get download` and unpacked with `dpkg -x`; only its library
# dependencies are installed normally. The binary is run as root with `-C CONF` (see exim.ts),
# so exim4-base/exim4-config are not needed. Exim resolves its compiled-in user
# (EXIM_USER=ref:Debian-exim) at start-up, before reading any configuration, so the system user
# and group `Debian-exim` are created the way exim4-base's postinst does.
# Idempotent: exits at once when everything is there.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
PREFIX=/opt/smtpgauge/exim
EXIM="$PREFIX/usr/sbin/exim4"

installed() {
  local version
  [ -x "$EXIM" ] && getent passwd Debian-exim >/dev/null || return 1
  # -bV exits non-zero here (no system configuration file); only the version line matters.
  version=$("$EXIM" -bV 2>&1 || true)
  [[ "$version" == *"Exim version 4."* ]]
}

if installed; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-exim.sh: must run as root" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download fetches as the unprivileged _apt user when it can write the folder.
if getent passwd _apt >/dev/null; then chown _apt "$work"; fi
cd "$work"
"${APT[@]}" download exim4-daemon-light
deb=$(ls exim4-daemon-light_*.deb)

# Library dependencies only (lib*), from the package's own Depends field; never an MTA package.
mapfile -t libs < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\(.*\)//; s/\|.*//' |
  awk '{print $1}' | grep -E '^lib' | sort -u)
if [ "${#libs[@]}" -gt 0 ]; then
  "${APT[@]}" install --no-install-recommends "${libs[@]}"
fi

rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
dpkg -x "$deb" "$PREFIX.new"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"

if ! getent group Debian-exim >/dev/null; then
  groupadd --system Debian-exim
fi
if ! getent passwd Debian-exim >/dev/null; then
  useradd --system --gid Debian-exim --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin --comment 'Exim (smtpgauge interop)' Debian-exim
fi

if ldd "$EXIM" | grep 'not found'; then
  echo "install-exim.sh: unresolved libraries for $EXIM" >&2
  exit 1
fi
installed || {
  echo "install-exim.sh: $EXIM does not run" >&2
  "$EXIM" -bV >&2 || true
  exit 1
}
"$EXIM" -bV 2>&1 | grep -m1 '^Exim version' || true
