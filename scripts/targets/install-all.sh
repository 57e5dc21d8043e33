#!/usr/bin/env bash
# Installs every real server of the interop tier (idempotent; each script exits early when done).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
for name in postfix exim opensmtpd aiosmtpd haraka; do
  echo "== install $name"
  bash "$here/install-$name.sh"
done
