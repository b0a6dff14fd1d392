#!/usr/bin/env bash
# Build the libFuzzer target over lc_api_handle() with clang (ASan + UBSan +
# libFuzzer coverage over the whole library) and run it for a bounded time
# from the seed corpus kept in the tree.
#   fuzz/run.sh [SECONDS]   (default 60; the build goes to $FUZZ_BUILD_DIR, default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
dir=${FUZZ_BUILD_DIR:-build-fuzz}
command -v clang >/dev/null || { echo "fuzz: clang is not installed (apt-get install clang)"; exit 77; }
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dtests=false -Dexamples=false -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link -Dwerror=true >/dev/null
fi
ninja -C "$dir" lib/libcloud_internal.a >/dev/null
# shellcheck disable=SC2046
clang -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Iinclude -I"$dir/include" fuzz/fuzz_api.c "$dir/lib/libcloud_internal.a" \
	$(pkg-config --libs lmdb libsodium yajl liburing libcurl libvirt libcrypto) -lpthread -o "$dir/fuzz_api"
work=$(mktemp -d "${TMPDIR:-/tmp}/lc-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
export TMPDIR=$work
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$dir/fuzz_api" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
	-print_final_stats=1 "$work/corpus" fuzz/corpus/api
