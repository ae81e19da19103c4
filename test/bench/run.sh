#!/usr/bin/env bash
# Every benchmark of ideal in a throwaway cluster; prints each ratio with
# its inputs.  Not part of the test command.  See test/bench/README.md.
#
#   bash test/bench/run.sh               full sizes (about 12 minutes on 2 idle cores)
#   bash test/bench/run.sh --quick       sizes divided by 20, to try the harness
#   bash test/bench/run.sh --installed   use the ideal installed in the server
#   BENCH_ONLY="load types" bash test/bench/run.sh   a subset
#   bash test/bench/run.sh --perf=load:c,scoring:summarize
#                                        profile those variants' first round
#                                        with perf (reports in /tmp/ideal-bench-perf)
#
# By default the extension is built from this checkout and installed into a
# private directory that only the throwaway cluster reads (Debian's
# extension_destdir), so the installed extension is left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

private=1
for a in "$@"; do
	case $a in
	--quick)
		export BENCH_LOAD_ROWS=${BENCH_LOAD_ROWS:-50000}
		export BENCH_SCORE_ROWS=${BENCH_SCORE_ROWS:-500000}
		export BENCH_TYPE_ROWS=${BENCH_TYPE_ROWS:-500000}
		export BENCH_GROUPS=${BENCH_GROUPS:-5000 50000}
		export BENCH_E2E_GROUPS=${BENCH_E2E_GROUPS:-100}
		;;
	--installed) private=0 ;;
	--perf=*) export BENCH_PERF=${a#--perf=} ;;
	*)
		echo "usage: bash test/bench/run.sh [--quick] [--installed] [--perf=SECTION:VARIANT,...]" >&2
		exit 2
		;;
	esac
done

ensure_packages "${ideal_base_packages[@]}"

opts=()
if [ "$private" = 1 ]; then
	dest=$(mktemp -d /tmp/ideal-bench-install.XXXXXX)
	trap 'rm -rf "$dest"' EXIT
	make -C "$ideal_root" -s
	make -C "$ideal_root" -s install DESTDIR="$dest" >/dev/null
	chmod -R a+rX "$dest"
	libdir=$(pg_config --pkglibdir)
	opts+=(-o "extension_destdir=$dest" -o "dynamic_library_path=$dest$libdir:$libdir")
	echo "ideal built from $ideal_root, installed privately in $dest"
else
	echo "ideal as installed in $(pg_config --pkglibdir)"
fi

# As root, pg_virtualenv uses the one cluster name 15/regress, which other
# runs may hold: -t makes a private cluster, on a free port of its own.
port=$(free_port)

# A server set up for bulk work and steady timings: the data of a benchmark
# stays in shared buffers, and no checkpoint starts in the middle of a
# timed statement (each load is preceded by an untimed CHECKPOINT).
pg_virtualenv -t -v 15 -c "--port $port" "${opts[@]}" \
	-o shared_buffers=2GB -o max_wal_size=20GB -o min_wal_size=1GB \
	-o checkpoint_timeout=1h \
	bash "$here/bench.sh"
