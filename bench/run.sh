#!/bin/sh
# Build libcloud for speed (buildtype=release, in build-bench/) and run the
# store benchmark. Data goes under $LC_BENCH_DIR, default ./bench-tmp of the
# current directory: put it on the disk you want measured, never on tmpfs.
#
#   bench/run.sh
#   LC_BENCH_SECONDS=5 LC_BENCH_DIR=/srv/scratch bench/run.sh
#   LC_BENCH_ONLY=token perf record -g build-bench/bench/bench-store   (profile one phase)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build="$src/build-bench"

# werror off: -O3 finds maybe-uninitialized false positives that -O2 builds do not;
# the warnings still print, and the debug builds keep werror.
opts="-Dbuildtype=release -Dwerror=false -Dtests=false -Dexamples=false"
if [ -f "$build/build.ninja" ]; then
	meson configure "$build" $opts >/dev/null
else
	meson setup "$build" "$src" $opts
fi
ninja -C "$build" bench/bench-store
exec "$build/bench/bench-store"
