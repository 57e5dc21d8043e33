#!/usr/bin/env bash
# Installs Postfix 3.7 (Debian `postfix`) with its smtp-sink/smtp-source tools, plus the Cyrus
# SASL sasldb pieces (libsasl2-modules-db, sasl2-bin for saslpasswd2) used for AUTH by the
# interop tier. Idempotent: exits at once when everything is there. Never leaves a system
# Postfix running: the package is preseeded to "No configuration", and if the install itself
# started the default instance anyway (no policy-rc.d on this machine), it is stopped again.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

installed() {
  command -v postfix >/dev/null 2>&1 &&
    command -v smtp-sink >/dev/null 2>&1 &&
    command -v smtp-source >/dev/null 2>&1 &&
    command -v saslpasswd2 >/dev/null 2>&1 &&
    [ -e /usr/lib/postfix/sbin/master ] &&
    compgen -G '/usr/lib/*/sasl2/libsasldb.so*' >/dev/null
}

if installed; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-postfix.sh: must run as root" >&2
  exit 1
fi

# PID of a default-config Postfix master, if one runs (its pid file lives in the default queue).
default_master_pid() {
  local pidfile=/var/spool/postfix/pid/master.pid
  if [ -r "$pidfile" ]; then
    local pid
    pid=$(tr -dc '0-9' <"$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
      return
    fi
  fi
  echo ""
}

before=$(default_master_pid)

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string mx.example.test" | debconf-set-selections

"${APT[@]}" install --no-install-recommends postfix libsasl2-modules libsasl2-modules-db sasl2-bin

after=$(default_master_pid)
if [ -n "$after" ] && [ "$after" != "$before" ]; then
  echo "install-postfix.sh: the package started a system Postfix (master PID $after); stopping it"
  postfix stop || kill "$after" || true
  for _ in $(seq 1 50); do
    kill -0 "$after" 2>/dev/null || break
    sleep 0.1
  done
fi

# sasl2-bin ships saslauthd; make sure the package did not leave one running either (we never
# use it: AUTH goes through the sasldb auxprop plugin, no daemon).
if [ -r /var/run/saslauthd/saslauthd.pid ]; then
  pid=$(tr -dc '0-9' </var/run/saslauthd/saslauthd.pid)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/saslauthd ]; then
    kill "$pid" || true
  fi
fi

installed || {
  echo "install-postfix.sh: postfix tools still missing after install" >&2
  exit 1
}
postconf -d mail_version
