#!/usr/bin/env bash
# Every test, in a throwaway cluster: pg_regress, then the pgTAP suites.
# Ends with a line "N passed, N failed".
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_packages "${ideal_base_packages[@]}" postgresql-15-pgtap \
	libtap-parser-sourcehandler-pgtap-perl
build_and_install
pg_virtualenv -v 15 bash "$ideal_root/test/tests-in-cluster.sh"
