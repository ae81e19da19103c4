#!/usr/bin/env bash
# Wide intake views across pg_dump and pg_restore.  A bundled methodology's
# views belong to the extension: CREATE EXTENSION makes them again and the
# dump leaves them out.  A methodology loaded from a file gets its views when
# it is loaded; they are ordinary views, so the dump holds them, and the
# restore creates them before it copies the methodology's row back, whose
# trigger then finds them and leaves them be (with ordinary triggers on) or
# does not fire (session_replication_role = replica).  Either way the restored
# view is there once, with its trigger, and loads answers.
# Runs inside pg_virtualenv (PGHOST etc. set); prints TAP.
set -uo pipefail
src=ideal_intake_dump
dbs=("$src" ideal_intake_restore_plain ideal_intake_restore_replica)
tmp=$(mktemp -d)
n=0
failed=0
export PGOPTIONS="-c search_path=ideal,public"
cleanup() {
	for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
	rm -rf "$tmp"
}
trap cleanup EXIT
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
is() { if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "# got '$1', want '$2'"; fi; }
q() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@"; }

echo "1..11"
for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
createdb "$src" && q "$src" <<'SQL' || { echo "Bail out! setup failed"; exit 1; }
CREATE EXTENSION ideal;
SELECT ideal.load_methodology($yaml$
methodology: restore-test-1
version: "1"
title: {en: Restore test}
languages: [en]
scales:
  lvl: {kind: ordinal, levels: [{code: low, value: 1, labels: {en: Low}},
                               {code: high, value: 3, labels: {en: High}}]}
subject_kinds: [group]
crime_areas: [{code: fraud, labels: {en: Fraud}}]
indicators:
  - {code: reach, kind: group, scale: lvl, labels: {en: Reach}}
  - {code: "harm.level", kind: group, scale: lvl, labels: {en: Harm}}
members: [MX]
$yaml$);
INSERT INTO ideal.cycle (code, methodology) VALUES ('D/1', 'restore-test-1');
INSERT INTO ideal.subject (cycle, country, ref, primary_area) VALUES ('D/1', 'MX', 'G1', 'fraud');
INSERT INTO ideal."restore-test-1_group_intake" (cycle, country, subject, reach, "harm.level")
	VALUES ('D/1', 'MX', 'G1', 'high', 'low');
SQL
views() {	# views DB: the wide views, one per line
	q "$1" -c "SELECT methodology || ' ' || subject_kind || ' ' || intake_view::text
		FROM ideal.intake_view ORDER BY 1"
}
members() {	# members DB: the wide views that belong to the extension
	q "$1" -c "SELECT count(*) FROM ideal.intake_view v JOIN pg_depend d
		ON d.classid = 'pg_class'::regclass AND d.objid = v.intake_view AND d.deptype = 'e'"
}
is "$(views "$src" | grep -c restore-test-1)" 1 "loading the methodology made its wide view"
bundled_views=$(q "$src" -c "SELECT sum(cardinality(subject_kinds)) FROM ideal.methodology WHERE bundled")
is "$(members "$src")" "$bundled_views" \
	"the $bundled_views wide views of the bundled methodologies belong to the extension"
is "$(q "$src" -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'D/1'")" 2 \
	"the wide view loads answers"

pg_dump -Fc -f "$tmp/src.dump" "$src" 2>"$tmp/dump.err"
ok $? "pg_dump -Fc"
is "$(pg_restore -l "$tmp/src.dump" | grep -c ' VIEW ideal .*_intake ')" 1 \
	"the dump holds the user methodology's view and none of the bundled ones"

# restore with ordinary triggers on: the view comes from the dump, and the
# methodology's row, copied back later, finds it there.  (The data of such a
# restore meets the triggers: observations copied before their groups are
# refused; that is why the README restores with triggers off.)
createdb ideal_intake_restore_plain
pg_restore -d ideal_intake_restore_plain "$tmp/src.dump" >"$tmp/plain.err" 2>&1
st=0
grep -qiE 'already exists|(VIEW|TRIGGER) .*intake' "$tmp/plain.err" && st=1
ok "$st" "restore with triggers on: no error about the intake views"
[ "$st" -eq 0 ] || sed 's/^/# /' "$tmp/plain.err" | head -n 10
[ "$st" -eq 0 ] && [ -s "$tmp/plain.err" ] &&
	echo "# (other errors of this restore, about data: $(grep -c '^pg_restore: error' "$tmp/plain.err"))"
is "$(views ideal_intake_restore_plain)" "$(views "$src")" \
	"restore with triggers on: the same wide views, each once"

# restore with ordinary triggers off, as the README advises for data
createdb ideal_intake_restore_replica
PGOPTIONS="$PGOPTIONS -c session_replication_role=replica" \
	pg_restore -d ideal_intake_restore_replica "$tmp/src.dump" >"$tmp/replica.err" 2>&1
ok $? "restore with session_replication_role = replica"
[ -s "$tmp/replica.err" ] && sed 's/^/# /' "$tmp/replica.err" | head -n 10
is "$(views ideal_intake_restore_replica)" "$(views "$src")" \
	"restore with triggers off: the same wide views, each once"
is "$(members ideal_intake_restore_replica)" "$bundled_views" \
	"the bundled methodologies' views come from CREATE EXTENSION, as members"
q ideal_intake_restore_replica <<'SQL' >/dev/null 2>"$tmp/use.err"
INSERT INTO ideal.subject (cycle, country, ref, primary_area) VALUES ('D/1', 'MX', 'G2', 'fraud');
INSERT INTO ideal."restore-test-1_group_intake" (cycle, country, subject, reach)
	VALUES ('D/1', 'MX', 'G2', 'High');
SQL
is "$(q ideal_intake_restore_replica -c "SELECT string_agg(subject || ':' || indicator || '=' || value, ' ' ORDER BY id) FROM ideal.observation WHERE cycle = 'D/1'")" \
	"G1:reach=3 G1:harm.level=1 G2:reach=3" \
	"the restored view loads answers, validated by the restored trigger"
[ -s "$tmp/use.err" ] && sed 's/^/# /' "$tmp/use.err"
[ "$failed" -eq 0 ]
