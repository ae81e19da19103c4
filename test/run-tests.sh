#!/usr/bin/env bash
# Every test, in a throwaway cluster: pg_regress, then the pgTAP suites.
# Ends with a line "N passed, N failed".
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_packages "${ideal_base_packages[@]}" "${ideal_test_packages[@]}"
build_and_install
export IDEAL_RESULT
IDEAL_RESULT=$(mktemp)
trap 'rm -f "$IDEAL_RESULT"' EXIT
rc=0
pg_virtualenv -t -v 15 -c "--port $(free_port)" bash "$ideal_root/test/tests-in-cluster.sh" || rc=$?
# the summary comes last, after pg_virtualenv has dropped its cluster
echo
if [ -s "$IDEAL_RESULT" ]; then
	cat "$IDEAL_RESULT"
else
	echo "0 passed, 1 failed"
	rc=1
fi
exit "$rc"
