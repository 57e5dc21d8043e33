#!/usr/bin/env bash
# Installs aiosmtpd (Debian python3-aiosmtpd, for Debian's /usr/bin/python3) idempotently.
# No conflict with any MTA package: it is a Python library plus `python3 -m aiosmtpd`.
set -euo pipefail

if /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
"${APT[@]}" install --no-install-recommends python3-aiosmtpd openssl

/usr/bin/python3 -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
