#!/usr/bin/env bash
# Build libcloud and run the quickstart: a small cloud in DIR (a fresh temporary directory when omitted).
# Usage: scripts/quickstart.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec build/examples/quickstart/quickstart "$@"
