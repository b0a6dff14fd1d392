#!/usr/bin/env bash
# Install the Debian packages libcloud needs, only those missing.
# Usage: scripts/deps.sh [extra-package ...]
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc python3
      liblmdb-dev libsodium-dev libyajl-dev liburing-dev libcurl4-openssl-dev libvirt-dev
      libmicrohttpd-dev libcriterion-dev libssl-dev genisoimage "$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
