#!/usr/bin/env bash
# Two sessions load the same new methodology file at the same moment (two
# points of contact running the same setup script): one stores it, the
# other waits for it and finds it loaded, with the usual notice, instead
# of the primary key's bare error.  A different file under the same code,
# loaded meanwhile, gets the usual refusal.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
db=ideal_concurrent_methodology
tmp=$(mktemp -d)
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
cleanup
mkdir -p "$tmp"
createdb "$db" && psql -X -q -d "$db" -c "CREATE EXTENSION ideal" ||
	bail "database created"

cat >"$tmp/m.yaml" <<'YAML'
methodology: race-1
version: "1"
title: {en: Concurrent load}
languages: [en]
scales:
  r:
    kind: ordinal
    levels:
      - {code: low, value: 1, labels: {en: Low}}
      - {code: high, value: 3, labels: {en: High}}
subject_kinds: [crime_area]
crime_areas:
  - {code: fraud, labels: {en: Fraud}}
indicators:
  - {code: size, kind: crime_area, scale: r, labels: {en: Size}}
composites:
  - {code: area, method: mean, of: [size], labels: {en: Area}}
members: [MX]
YAML
sed 's/value: 3/value: 4/' "$tmp/m.yaml" >"$tmp/m2.yaml"

# the first session holds its load open for two seconds
first() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -v file="$tmp/m.yaml" <<'SQL'
\set y `cat :file`
BEGIN;
SELECT ideal.load_methodology(:'y');
SELECT pg_sleep(2);
COMMIT;
SQL
}
second() {	# second FILE
	sleep 0.7
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -v file="$1" <<'SQL'
\set y `cat :file`
SELECT ideal.load_methodology(:'y');
SQL
}

first >"$tmp/first.out" 2>&1 &
second "$tmp/m.yaml" >"$tmp/second.out" 2>&1
st=$?
wait $!
ok $? "the first session loads the file"
ok "$st" "the second session, loading the same file meanwhile, succeeds"
[ "$st" -eq 0 ] || diag "$(cat "$tmp/second.out")"
case $(cat "$tmp/second.out") in
*'methodology "race-1" is already loaded with identical content'*) st=0 ;;
*) st=1 ;;
esac
ok "$st" "after waiting for the first, with the notice that it is already loaded"
is "$(psql -X -At -d "$db" -c "SELECT count(*) FROM ideal.methodology WHERE code = 'race-1'")" 1 \
	"one methodology row"

psql -X -q -d "$db" -c "SELECT ideal.drop_methodology('race-1')" >/dev/null 2>&1
first >"$tmp/first.out" 2>&1 &
second "$tmp/m2.yaml" >"$tmp/second.out" 2>&1
wait $!
case $(cat "$tmp/second.out") in
*'methodology "race-1" is already loaded with different content'*) st=0 ;;
*) st=1 ;;
esac
ok "$st" "a different file under the same code, loaded meanwhile, is refused as usual (42710)"
[ "$st" -eq 0 ] || diag "$(cat "$tmp/second.out")"

done_testing
