#!/usr/bin/env bash
# Installs Debian packages for the check scripts: `install-debian-packages.sh CALLER PACKAGE...`. Needs root (as in
# CI); otherwise prints what to install, prefixed by CALLER, and exits 1.
set -euo pipefail
caller=$1
shift
if [ "$(id -u)" -ne 0 ]; then
  echo "$caller: missing $*; install it (apt-get install $*) or run as root" >&2
  exit 1
fi
echo "$caller: installing Debian packages: $*"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
