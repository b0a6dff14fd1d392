# Shared by the acceptance scripts (sourced): start lc-httpd on 127.0.0.1 with
# a fresh cloud, point the openstack CLI at it as the bootstrapped admin, and
# count checks. Globals: dir (scratch, removed at exit), pid, port, out (the
# output of the last command), passed, failed, skipped.

# acc_need NAME TOOL...: exit 77 (skipped) unless every tool is installed.
acc_need() {
	local name=$1 tool; shift
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "$name: $tool is not installed: skipped"
			exit 77
		fi
	done
}

acc_cleanup() {
	if [ -n "${pid:-}" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$dir"
}

# acc_start NAME HTTPD [lc-httpd options...]: a scratch dir, lc-httpd on a free port, the admin's OS_* variables.
acc_start() {
	local name=$1 httpd=$2; shift 2
	dir=$(mktemp -d "${TMPDIR:-/tmp}/lc-$name-XXXXXX")
	pid=
	trap acc_cleanup EXIT
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	export LC_ADMIN_PASSWORD=accept-admin-pw
	"$httpd" --listen "127.0.0.1:$port" --data "$dir/cloud" "$@" >"$dir/env" 2>"$dir/log" &
	pid=$!
	for _ in $(seq 1 100); do
		grep -q OS_AUTH_URL "$dir/env" 2>/dev/null && break
		sleep 0.1
	done
	if ! grep -q "export OS_AUTH_URL=http://127.0.0.1:$port/v3" "$dir/env"; then
		echo "$name: lc-httpd did not start"; cat "$dir/log"; exit 1
	fi
	# shellcheck disable=SC1091
	. "$dir/env"
	export OS_PASSWORD=$LC_ADMIN_PASSWORD
	unset OS_CLOUD OS_TOKEN
}

passed=0
failed=0
skipped=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "skip $*"; }
# expect NAME COMMAND...: the command succeeds (its output in $out)
expect() {
	local name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else bad "$name"; echo "$out" | tail -5; fi
}
# refuse NAME COMMAND...: the command fails
refuse() {
	local name=$1; shift
	if out=$("$@" 2>&1); then bad "$name (succeeded)"; echo "$out" | tail -5; else ok "$name"; fi
}
# contains / lacks NAME TEXT: the last output has / has not TEXT
contains() {
	if grep -q -- "$2" <<<"$out"; then ok "$1"; else bad "$1"; echo "$out" | tail -5; fi
}
lacks() {
	if grep -q -- "$2" <<<"$out"; then bad "$1"; echo "$out" | tail -5; else ok "$1"; fi
}
# as USER PROJECT COMMAND...: run as a project member whose password is USER-pw
as() {
	local user=$1 project=$2; shift 2
	OS_USERNAME=$user OS_PASSWORD=$user-pw OS_PROJECT_NAME=$project "$@"
}

# acc_finish NAME: print the counts; the exit status says whether every check passed.
acc_finish() {
	echo "$1: $passed passed, $failed failed, $skipped skipped"
	if [ "$failed" -ne 0 ]; then
		echo "--- lc-httpd log (tail)"; tail -20 "$dir/log"
		return 1
	fi
	return 0
}
