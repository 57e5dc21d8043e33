#!/usr/bin/env bash
# Installs OpenSMTPD (Debian opensmtpd 6.8) idempotently WITHOUT installing the package: it
# conflicts with Postfix/Exim (all provide mail-transport-agent), so the .deb is unpacked with
# `dpkg -x` into /opt/smtpgauge/opensmtpd and run from there with an explicit configuration.
# Its shared-library dependencies are installed normally; what Debian's postinst would create is
# created here: the privilege-separation users opensmtpd/opensmtpq (Debian's build uses these
# names, not OpenBSD's _smtpd/_smtpq) and the chroot /var/lib/opensmtpd/empty. Two compiled-in
# paths are created empty, as mount points only: /var/spool/smtpd (each instance bind-mounts a
# private queue over it) and /usr/libexec/opensmtpd (each instance bind-mounts the helpers from
# /opt over it), inside its own mount namespace; see opensmtpd.ts.
set -euo pipefail

PREFIX=/opt/smtpgauge/opensmtpd
SMTPD="$PREFIX/usr/sbin/smtpd"

installed() {
  [[ -x "$SMTPD" ]] &&
    getent passwd opensmtpd >/dev/null &&
    getent passwd opensmtpq >/dev/null &&
    [[ -d /var/lib/opensmtpd/empty && -d /var/spool/smtpd && -d /usr/libexec/opensmtpd ]] &&
    ! ldd "$SMTPD" | grep -q 'not found' &&
    ! ldd "$PREFIX/usr/sbin/smtpctl" | grep -q 'not found' &&
    command -v unshare >/dev/null
}

if installed; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

# Library dependencies (from `apt-cache depends opensmtpd`), plus util-linux for `unshare`.
"${APT[@]}" install --no-install-recommends \
  libc6 libcrypt1 libdb5.3 libevent-2.1-7 libpam0g libssl3 zlib1g util-linux

if [[ ! -x "$SMTPD" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # apt drops to the _apt user for downloads; let it write here (avoids a sandbox warning).
  if getent passwd _apt >/dev/null; then chown _apt "$work"; fi
  (cd "$work" && apt-get -o DPkg::Lock::Timeout=600 -q download opensmtpd)
  rm -rf "$PREFIX.new"
  mkdir -p "$PREFIX.new"
  dpkg -x "$work"/opensmtpd_*.deb "$PREFIX.new"
  rm -rf "$PREFIX"
  mv "$PREFIX.new" "$PREFIX"
fi

# Privilege separation, as in Debian's opensmtpd.postinst.
for name in opensmtpd opensmtpq; do
  getent group "$name" >/dev/null || groupadd --system "$name"
  getent passwd "$name" >/dev/null ||
    useradd --system --gid "$name" --home-dir /var/lib/opensmtpd/empty --no-create-home \
      --shell /usr/sbin/nologin "$name"
done

# Chroot of the unprivileged processes: root-owned, not writable by others.
mkdir -p /var/lib/opensmtpd/empty
chown root:root /var/lib/opensmtpd/empty
chmod 755 /var/lib/opensmtpd/empty
# Compiled-in queue path; smtpd wants it root-owned, mode 0711.
mkdir -p /var/spool/smtpd
chown root:root /var/spool/smtpd
chmod 711 /var/spool/smtpd
mkdir -p /usr/libexec/opensmtpd

if ldd "$SMTPD" | grep 'not found'; then
  echo "install-opensmtpd: missing shared libraries for $SMTPD" >&2
  exit 1
fi
"$SMTPD" -h 2>&1 | head -n 1 || true
