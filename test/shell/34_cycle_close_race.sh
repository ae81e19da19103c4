#!/usr/bin/env bash
# Closing a cycle while a load is in flight: the close waits for the load
# (the triggers share-lock the cycle row), a load that comes after the
# close is refused, and under REPEATABLE READ a load whose snapshot is
# older than the close fails instead of storing into the closed cycle.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
db=ideal_cycle_close_race
tmp=$(mktemp -d)
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
cleanup
mkdir -p "$tmp"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
createdb "$db" && q -c "CREATE EXTENSION ideal" &&
	q -c "INSERT INTO ideal.cycle (code, methodology) VALUES ('RACE/1', 'ideal-2.0'), ('RACE/2', 'ideal-2.0')" ||
	bail "database created"

# a load that takes three seconds, its first row before the close begins
q >"$tmp/load.out" 2>&1 <<'SQL' &
BEGIN;
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('RACE/1', 'MX', 'drug_trafficking', 'harm', 'high');
SELECT pg_sleep(3);
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('RACE/1', 'MX', 'drug_trafficking', 'prevalence', 'high');
SELECT clock_timestamp();
COMMIT;
SQL
load=$!
sleep 1
q -c "UPDATE ideal.cycle SET status = 'closed' WHERE code = 'RACE/1'" -c "SELECT clock_timestamp()" >"$tmp/close.out" 2>&1
st=$?
wait $load
ok $? "the load in flight commits both its rows"
ok "$st" "the close succeeds"
loaded_at=$(grep -E '^[0-9]{4}-' "$tmp/load.out" | tail -n1)
closed_at=$(grep -E '^[0-9]{4}-' "$tmp/close.out" | tail -n1)
ok "$(q -c "SELECT '$closed_at'::timestamptz > '$loaded_at'::timestamptz" | grep -qx t; echo $?)" \
	"the close waited for the load to commit ($closed_at after $loaded_at)"
is "$(q -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'RACE/1'")" 2 "both rows are in the cycle"
out=$(q -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('RACE/1', 'MX', 'drug_trafficking', 'trend', 'stable')" 2>&1)
case $out in *'cycle "RACE/1" is closed'*) st=0 ;; *) st=1 ;; esac
ok "$st" "a load after the close is refused"
[ "$st" -eq 0 ] || diag "$out"

# a close that commits while a REPEATABLE READ load has its snapshot
q >"$tmp/rr.out" 2>&1 <<'SQL' &
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM ideal.cycle;
SELECT pg_sleep(2);
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('RACE/2', 'MX', 'drug_trafficking', 'harm', 'high');
COMMIT;
SQL
rr=$!
sleep 0.7
q -c "UPDATE ideal.cycle SET status = 'closed' WHERE code = 'RACE/2'"
wait $rr
st=$?
ok "$([ "$st" -ne 0 ]; echo $?)" "a REPEATABLE READ load whose snapshot predates the close fails"
case $(cat "$tmp/rr.out") in *'could not serialize access'*) st=0 ;; *) st=1 ;; esac
ok "$st" "with a serialization failure (40001), to be retried"
[ "$st" -eq 0 ] || diag "$(cat "$tmp/rr.out")"
is "$(q -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'RACE/2'")" 0 "nothing stored in the closed cycle"

# a close that has not committed yet: the load waits for it, then is refused
q >"$tmp/close2.out" 2>&1 <<'SQL' &
INSERT INTO ideal.cycle (code, methodology) VALUES ('RACE/3', 'ideal-2.0');
BEGIN;
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'RACE/3';
SELECT pg_sleep(2);
COMMIT;
SQL
closer=$!
sleep 0.7
out=$(q -c "SET ideal.on_invalid = 'reject'" -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('RACE/3', 'MX', 'drug_trafficking', 'harm', 'high')" 2>&1)
st=$?
wait $closer
ok "$st" "a load meeting a close in progress waits for it"
is "$(q -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'RACE/3'") $(q -c "SELECT count(*) FROM ideal.rejected WHERE cycle = 'RACE/3' AND message = 'cycle \"RACE/3\" is closed'")" \
	"0 1" "and finds the cycle closed: its row is set aside in reject mode"

done_testing
