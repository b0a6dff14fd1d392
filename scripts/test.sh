#!/usr/bin/env bash
# Build libcloud and run the whole test suite: once as built, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh python3-openstackclient python3-tempest clang qemu-utils

summary() { # build dir -> "passed failed"
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
        ok += 1
    else:
        bad += 1
print(ok, bad)
PY
}

status=0
passed=0
failed=0
for variant in plain asan; do
	dir=build
	opts=()
	if [ "$variant" = asan ]; then
		dir=build-asan
		opts=(-Db_sanitize=address,undefined -Db_lundef=false)
	fi
	[ -f "$dir/build.ninja" ] || meson setup "$dir" "${opts[@]}" >/dev/null
	ninja -C "$dir"
	echo "== test suite ($variant)"
	# The acceptance suites (real openstack CLI against lc-httpd) run once, in
	# the plain build: under the sanitizers they would only repeat the
	# handler tests at ten times the cost.
	suites=()
	[ "$variant" = asan ] && suites=(--no-suite acceptance)
	meson test -C "$dir" --print-errorlogs --num-processes 2 "${suites[@]}" || status=1
	read -r p f < <(summary "$dir")
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "tests: $passed passed, $failed failed"
exit $status
