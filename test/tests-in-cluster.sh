#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER set): the pg_regress
# suites, then every pgTAP suite in test/t.  Prints "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ideal_root"
out=$(mktemp -d /tmp/ideal-tests.XXXXXX)
trap 'rm -rf "$out"' EXIT

passed=0
failed=0

echo "== install script assembled from sql/src"
if awk 'FNR == 1 && NR > 1 { print "" } { print }' sql/src/*.sql |
	cmp -s - "sql/ideal--$(sed -n "s/^default_version = '\(.*\)'/\1/p" ideal.control).sql"; then
	echo "ok: the committed install script matches sql/src/*.sql"
	passed=$((passed + 1))
else
	echo "not ok: the install script differs from sql/src/*.sql; run make and commit it"
	failed=$((failed + 1))
fi

echo "== pg_regress"
make -s installcheck >"$out/regress.out" 2>&1
regress_rc=$?
cat "$out/regress.out"
ok=$(grep -cE '\.\.\. ok|^ok [0-9]' "$out/regress.out")
bad=$(grep -cE '\.\.\. FAILED|^not ok [0-9]' "$out/regress.out")
if [ "$regress_rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
	bad=1
fi
[ -f regression.diffs ] && [ "$bad" -gt 0 ] && cat regression.diffs
passed=$((passed + ok))
failed=$((failed + bad))

echo "== pgTAP"
shared=$(cd "$ideal_root/.." && pwd)/shared
if [ ! -d "$shared/data" ]; then
	echo "note: $shared/data is absent; the real-data suites skip themselves"
	shared=
fi
dropdb --if-exists ideal_test >/dev/null 2>&1
createdb ideal_test
psql -X -q -d ideal_test -c "CREATE EXTENSION ideal; CREATE EXTENSION pgtap;" >/dev/null
pg_prove -d ideal_test --set "shared=$shared" --set "root=$ideal_root" \
	test/t/*.sql 2>&1 | tee "$out/tap.out"
tap_rc=${PIPESTATUS[0]}
tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$out/tap.out")
tests=${tests:-0}
tap_failed=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$out/tap.out" |
	awk '{ s += $1 } END { print s + 0 }')
if [ "$tap_rc" -ne 0 ] && [ "$tap_failed" -eq 0 ]; then
	tap_failed=1
fi
passed=$((passed + tests - tap_failed))
failed=$((failed + tap_failed))

# shell suites (concurrency, clients, dump and restore): TAP from test/shell
if compgen -G "test/shell/*.sh" >/dev/null; then
	echo "== shell suites"
	IDEAL_SHARED=$shared prove test/shell/*.sh 2>&1 | tee "$out/shell.out"
	sh_rc=${PIPESTATUS[0]}
	sh_tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$out/shell.out")
	sh_tests=${sh_tests:-0}
	sh_failed=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$out/shell.out" |
		awk '{ s += $1 } END { print s + 0 }')
	if [ "$sh_rc" -ne 0 ] && [ "$sh_failed" -eq 0 ]; then
		sh_failed=1
	fi
	passed=$((passed + sh_tests - sh_failed))
	failed=$((failed + sh_failed))
fi

echo "$passed passed, $failed failed" >"${IDEAL_RESULT:-/dev/stdout}"
[ "$failed" -eq 0 ]
