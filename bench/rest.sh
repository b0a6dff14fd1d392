#!/usr/bin/env bash
# The REST figures of issue 3, as ratios measured in one run with wrk on
# 127.0.0.1 (keep-alive, 16 connections, bounded runs):
#   floor     bench/httpd-floor: lc-httpd's libmicrohttpd setup answering a fixed 200
#   token     lc-httpd: GET /v3/auth/tokens with X-Auth-Token and X-Subject-Token
#   projects  lc-httpd: GET /v3/projects (the bootstrapped cloud: one project, admin;
#             Keystone's sqlite answers project creation with "database is locked"
#             under uWSGI, so both list what bootstrap made)
#   the same two requests against Debian's Keystone (uWSGI, sqlite), set up here
#   under a temporary directory and bound to 127.0.0.1.
# Targets: token >= 0.5x the floor; lc-httpd >= 500x Keystone.
# Each figure comes as requests per second and as the server's CPU time per
# request (user + system, from /proc, all its threads or processes): on a
# shared machine the rates swing with the neighbours' load, the CPU cost much
# less, so both ratios are printed.
#
# Builds for speed (buildtype=release, in build-bench/ like bench/run.sh).
# Installs what only the benchmark needs (wrk, Keystone's code, uWSGI) with
# apt-get when missing: never on the test path. Every process it starts is
# stopped at exit, and its files are removed.
#
#   bench/rest.sh
#   LC_BENCH_SECONDS=5 LC_BENCH_ROUNDS=1 bench/rest.sh       (quicker)
#   LC_BENCH_KEYSTONE=0 bench/rest.sh                        (no Keystone)
#
# Environment: LC_BENCH_SECONDS (each lc-httpd/floor run, default 10),
# LC_BENCH_ROUNDS (rounds of floor/token/projects, median taken, default 3),
# LC_BENCH_KEYSTONE_SECONDS (each Keystone run, default 30),
# LC_BENCH_THREADS (server threads of lc-httpd and the floor, default 4 as
# lc-httpd's default), LC_BENCH_KEYSTONE_PROCESSES (uWSGI processes, default
# the number of CPUs; Debian's keystone-uwsgi.ini says 8, which only slows a
# small machine), LC_BENCH_BUILD (build directory, default build-bench),
# LC_BENCH_DIR (temporary files, default $TMPDIR or /tmp).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${LC_BENCH_BUILD:-$src/build-bench}
secs=${LC_BENCH_SECONDS:-10}
rounds=${LC_BENCH_ROUNDS:-3}
ks_secs=${LC_BENCH_KEYSTONE_SECONDS:-30}
threads=${LC_BENCH_THREADS:-4}
with_keystone=${LC_BENCH_KEYSTONE:-1}
ks_procs=${LC_BENCH_KEYSTONE_PROCESSES:-$(nproc)}
conns=16
wrk_threads=2

# ---- bench-only packages ----
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ "$with_keystone" = 1 ]; then
	# Keystone's code (keystone-manage, keystone-wsgi-public) is python3-keystone;
	# the package "keystone" only adds a system service on port 5000, not wanted here
	[ -x /usr/bin/keystone-manage ] && [ -x /usr/bin/keystone-wsgi-public ] || need+=(python3-keystone)
	command -v uwsgi >/dev/null 2>&1 || need+=(uwsgi-core)
	[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || need+=(uwsgi-plugin-python3)
fi
if [ ${#need[@]} -gt 0 ]; then
	echo "# installing ${need[*]}"
	if [ "$(id -u)" != 0 ]; then
		echo "rest.sh: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
fi

# ---- build ----
# werror off: -O3 finds maybe-uninitialized false positives that -O2 builds do not (see run.sh)
opts=(-Dbuildtype=release -Dwerror=false -Dtests=false -Dexamples=true)
if [ -f "$build/build.ninja" ]; then
	meson configure "$build" "${opts[@]}" >/dev/null
else
	meson setup "$build" "$src" "${opts[@]}" >/dev/null
fi
ninja -C "$build" examples/httpd/lc-httpd bench/httpd-floor >/dev/null

# ---- processes and cleanup ----
tmp=$(mktemp -d "${LC_BENCH_DIR:-${TMPDIR:-/tmp}}/lc-bench-rest-XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		for _ in $(seq 1 100); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL SECONDS: until the URL answers at all
wait_http() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		curl -s -o /dev/null --max-time 5 "$1" && return 0
		sleep 0.1
	done
	echo "rest.sh: $1 did not answer within $2 s" >&2
	return 1
}

# token URL USER PASSWORD: a project-scoped password token (X-Subject-Token)
token() {
	curl -s -i --max-time 120 -X POST "$1/v3/auth/tokens" -H 'Content-Type: application/json' \
		-d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"'"$2"'","domain":{"name":"Default"},"password":"'"$3"'"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}' |
		awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'
}

# expect_200 URL TOKEN [SUBJECT]: the request wrk will repeat answers 200
expect_200() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$1" -H "X-Auth-Token: $2" ${3:+-H "X-Subject-Token: $3"})
	if [ "$code" != 200 ]; then
		echo "rest.sh: $1 answered $code, not 200" >&2
		exit 1
	fi
}

# cpu_ticks PID...: user + system CPU of these processes so far, in clock ticks
cpu_ticks() {
	local p t=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
	done
	echo "$t"
}

# rate SECONDS PIDS URL TOKEN [SUBJECT]: "REQ/S CPU-US/REQ" of one wrk run against the server
# made of PIDS (quoted list), its CPU time per request from /proc; refuses any non-2xx answer
rate() {
	local out t0 t1 n
	# shellcheck disable=SC2086
	t0=$(cpu_ticks $2)
	out=$(wrk -t"$wrk_threads" -c"$conns" -d"$1s" --timeout 30s -H "X-Auth-Token: $4" ${5:+-H "X-Subject-Token: $5"} "$3")
	# shellcheck disable=SC2086
	t1=$(cpu_ticks $2)
	echo "$out" >>"$tmp/wrk.log"
	if grep -q "Non-2xx" <<<"$out"; then
		echo "rest.sh: non-2xx answers from $3:" >&2
		echo "$out" >&2
		exit 1
	fi
	n=$(awk '/ requests in / {print $1}' <<<"$out")
	awk -v r="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" -v n="$n" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%s %.1f\n", r, (n > 0 ? t / hz * 1e6 / n : 0) }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---- the floor and lc-httpd ----
floor_port=$(free_port)
"$build/bench/httpd-floor" --listen "127.0.0.1:$floor_port" --threads "$threads" >"$tmp/floor.out" 2>"$tmp/floor.err" &
floor_pid=$!
pids+=("$floor_pid")
lc_port=$(free_port)
LC_ADMIN_PASSWORD=bench-admin-pw "$build/examples/httpd/lc-httpd" --listen "127.0.0.1:$lc_port" \
	--data "$tmp/cloud" --threads "$threads" --quiet >"$tmp/lc.out" 2>"$tmp/lc.err" &
lc_pid=$!
pids+=("$lc_pid")
floor=http://127.0.0.1:$floor_port
lc=http://127.0.0.1:$lc_port
wait_http "$floor/" 30
wait_http "$lc/v3" 60
lc_tok=$(token "$lc" admin bench-admin-pw)
[ -n "$lc_tok" ] || { echo "rest.sh: no token from lc-httpd" >&2; cat "$tmp/lc.err" >&2; exit 1; }
expect_200 "$floor/" "$lc_tok"
expect_200 "$lc/v3/auth/tokens" "$lc_tok" "$lc_tok"
expect_200 "$lc/v3/projects" "$lc_tok"

# ---- Keystone: sqlite, fernet tokens, uWSGI on 127.0.0.1 ----
ks=
if [ "$with_keystone" = 1 ]; then
	kd=$tmp/keystone
	mkdir -p "$kd/fernet-keys" "$kd/credential-keys"
	ks_port=$(free_port)
	ks=http://127.0.0.1:$ks_port
	cat >"$kd/keystone.conf" <<-EOF
	[DEFAULT]
	use_stderr = false
	log_file = $kd/keystone.log
	[database]
	connection = sqlite:///$kd/keystone.db
	[fernet_tokens]
	key_repository = $kd/fernet-keys
	[fernet_receipts]
	key_repository = $kd/fernet-keys
	[credential]
	key_repository = $kd/credential-keys
	[oslo_policy]
	policy_dirs = /etc/keystone/policy.d
	EOF
	# Debian's keystone-uwsgi.ini, bound to 127.0.0.1, without its system user, AppArmor and log file
	cat >"$kd/uwsgi.ini" <<-EOF
	[uwsgi]
	http-socket = 127.0.0.1:$ks_port
	http-keepalive = 1
	buffer-size = 65535
	master = true
	thunder-lock = true
	plugins = python3
	lazy-apps = true
	no-orphans = true
	die-on-term = true
	enable-threads = true
	processes = $ks_procs
	threads = 32
	listen = 100
	chdir = $kd
	wsgi-file = /usr/bin/keystone-wsgi-public
	env = OS_KEYSTONE_CONFIG_DIR=$kd
	env = OS_KEYSTONE_CONFIG_FILES=keystone.conf
	logto = $kd/uwsgi.log
	disable-logging = true
	EOF
	echo "# setting Keystone up in $kd (db_sync, fernet_setup, bootstrap: minutes on a small machine)"
	km() { keystone-manage --config-file "$kd/keystone.conf" "$@" >>"$kd/manage.log" 2>&1; }
	km db_sync
	km fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
	km credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
	km bootstrap --bootstrap-password bench-admin-pw --bootstrap-region-id RegionOne \
		--bootstrap-admin-url "$ks/v3" --bootstrap-internal-url "$ks/v3" --bootstrap-public-url "$ks/v3"
	uwsgi --ini "$kd/uwsgi.ini" >/dev/null 2>&1 &
	ks_pid=$!
	pids+=("$ks_pid")
	wait_http "$ks/v3" 600
	ks_tok=$(token "$ks" admin bench-admin-pw)
	[ -n "$ks_tok" ] || { echo "rest.sh: no token from Keystone" >&2; tail -20 "$kd/keystone.log" >&2; exit 1; }
	expect_200 "$ks/v3/auth/tokens" "$ks_tok" "$ks_tok"
	expect_200 "$ks/v3/projects" "$ks_tok"
	# the uWSGI master and its workers (their CPU time is Keystone's)
	ks_pids="$ks_pid $(ps -o pid= --ppid "$ks_pid" | tr '\n' ' ')"
fi

# ---- measure ----
echo "# wrk -t$wrk_threads -c$conns --timeout 30s, keep-alive; lc-httpd and the floor with $threads threads;"
echo "# $rounds rounds of ${secs}s, each: floor, token, projects; medians. CPU: the server's user+system time per request"
fl=() tk=() pj=()
for r in $(seq 1 "$rounds"); do
	fl+=("$(rate "$secs" "$floor_pid" "$floor/" "$lc_tok")")
	tk+=("$(rate "$secs" "$lc_pid" "$lc/v3/auth/tokens" "$lc_tok" "$lc_tok")")
	pj+=("$(rate "$secs" "$lc_pid" "$lc/v3/projects" "$lc_tok")")
	echo "# round $r (req/s, CPU us/req): floor ${fl[-1]}  token ${tk[-1]}  projects ${pj[-1]}"
done
col() { local i=$1; shift; printf '%s\n' "$@" | awk -v i="$i" '{print $i}'; }
# shellcheck disable=SC2046
{
	f=$(median $(col 1 "${fl[@]}")) fc=$(median $(col 2 "${fl[@]}"))
	t=$(median $(col 1 "${tk[@]}")) tc=$(median $(col 2 "${tk[@]}"))
	p=$(median $(col 1 "${pj[@]}")) pc=$(median $(col 2 "${pj[@]}"))
}
if [ -n "$ks" ]; then
	echo "# Keystone: $ks_procs uWSGI processes x 32 threads, one run of ${ks_secs}s per request"
	read -r kt ktc < <(rate "$ks_secs" "$ks_pids" "$ks/v3/auth/tokens" "$ks_tok" "$ks_tok")
	read -r kp kpc < <(rate "$ks_secs" "$ks_pids" "$ks/v3/projects" "$ks_tok")
fi

row() { printf '%-32s %11.1f %11.1f   %s\n' "$@"; }
printf '\n%-32s %11s %11s   %s\n' "request" "req/s" "CPU us/req" "ratios (by req/s; by CPU per request)"
row "floor: fixed 200" "$f" "$fc" "1.00x floor"
row "lc-httpd GET /v3/auth/tokens" "$t" "$tc" "$(ratio "$t" "$f")x floor; $(ratio "$fc" "$tc")x (target >= 0.5)"
row "lc-httpd GET /v3/projects" "$p" "$pc" "$(ratio "$p" "$f")x floor; $(ratio "$fc" "$pc")x"
if [ -n "$ks" ]; then
	row "Keystone GET /v3/auth/tokens" "$kt" "$ktc" "lc-httpd $(ratio "$t" "$kt")x Keystone; $(ratio "$ktc" "$tc")x (goal >= 500)"
	row "Keystone GET /v3/projects" "$kp" "$kpc" "lc-httpd $(ratio "$p" "$kp")x Keystone; $(ratio "$kpc" "$pc")x (goal >= 500)"
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
