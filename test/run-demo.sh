#!/usr/bin/env bash
# The main job: a demo assessment in a throwaway cluster.
#   bash test/run-demo.sh            IDEAL 2.0 demo on the bundled sample data
#   bash test/run-demo.sh FILE.csv   score an Organized Crime Index CSV file
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

csv=
if [ $# -gt 0 ]; then
	csv=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	[ -r "$csv" ] || { echo "error: cannot read $1" >&2; exit 1; }
fi
ensure_packages "${ideal_base_packages[@]}"
build_and_install
pg_virtualenv -t -v 15 -c "--port $(free_port)" bash "$ideal_root/test/demo.sh" $csv
