#!/usr/bin/env bash
# The intake views under row-level security, with a policy of this test's
# own (the project's roles and policies are tested by their own suite): a
# contact point of Mexico, logged in as such, may not COPY into
# ideal.observation (PostgreSQL refuses COPY FROM under row-level security)
# but loads through the intake views; its insert is checked by the policy,
# so a row of another country fails with 42501 even in reject mode; a
# second answer does not show it the stored answer; its changes go to the
# history, written by the table's owner in its name.
# Runs inside pg_virtualenv (PGHOST etc. set); prints TAP.
set -uo pipefail
db=ideal_intake_rls
role=ideal_intake_rls_mx
tmp=$(mktemp -d)
n=0
failed=0
export PGOPTIONS="-c search_path=ideal,public"
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
like() {	# like GOT PATTERN DESCRIPTION
	case $1 in $2) ok 0 "$3" ;; *) ok 1 "$3"; echo "# got: $1" | head -n 5 ;; esac
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
as_pdc() { PGPASSWORD=x psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -U "$role" "$@" 2>&1; }

echo "1..10"
dropdb --if-exists "$db" >/dev/null 2>&1
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
createdb "$db" && q <<SQL || { echo "Bail out! setup failed"; exit 1; }
CREATE EXTENSION ideal;
CREATE ROLE $role LOGIN PASSWORD 'x';
GRANT USAGE ON SCHEMA ideal TO $role;
GRANT SELECT ON ideal.cycle, ideal.methodology TO $role;
GRANT SELECT, INSERT, UPDATE, DELETE ON ideal.observation TO $role;
GRANT SELECT, INSERT ON ideal.subject, ideal.rejected TO $role;
GRANT SELECT, INSERT ON ideal.observation_intake, ideal.subject_intake,
	ideal."ideal-2.0_group_intake" TO $role;
ALTER TABLE ideal.observation ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_rls_test ON ideal.observation TO $role
	USING (country OPERATOR(ideal.=) 'MX') WITH CHECK (country OPERATOR(ideal.=) 'MX');
INSERT INTO ideal.cycle (code, methodology) VALUES ('R/1', 'ideal-2.0');
INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('R/1', 'MX', 'MX-1', 'cybercrime'), ('R/1', 'BR', 'BR-1', 'cybercrime');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('R/1', 'BR', 'BR-1', 'violence', 'muy alto');
SQL

printf 'R/1,MX,MX-1,violence,alto,B2\nR/1,MX,MX-1,corruption,bajo,\n' >"$tmp/mx.csv"
out=$(as_pdc -c "\\copy ideal.observation (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mx.csv' WITH (FORMAT csv)")
like "$out" "*COPY FROM not supported with row-level security*" \
	"COPY into the table is refused to a user under row-level security"
out=$(as_pdc -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mx.csv' WITH (FORMAT csv)")
ok $? "COPY into ideal.observation_intake works for that user"
[ -n "$out" ] && echo "# $out"
like "$(q -c "SELECT string_agg(indicator || '=' || answer || ' by ' || loaded_by, ', ' ORDER BY id) FROM ideal.observation WHERE country::text = 'MX'")" \
	"violence=alto by $role, corruption=bajo by $role" \
	"its rows are stored, in its name"

printf 'R/1,BR,BR-1,corruption,alto,B2\n' >"$tmp/br.csv"
out=$(as_pdc -c "SET ideal.on_invalid = 'reject'" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/br.csv' WITH (FORMAT csv)")
like "$out" "*new row violates row-level security policy for table \"observation\"*" \
	"a row of another country fails on the policy (42501), even in reject mode"
like "$(q -c "SELECT count(*) FROM ideal.observation WHERE country::text = 'BR'")/$(q -c "SELECT count(*) FROM ideal.rejected")" \
	"1/0" "and nothing of it is stored or set aside"

printf 'R/1,MX,MX-1,violence,muy alto,B2\n' >"$tmp/again.csv"
out=$(as_pdc -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/again.csv' WITH (FORMAT csv)")
like "$out" '*indicator "violence" is already answered for subject "MX-1"*an answer is already stored.*' \
	"a second answer under row-level security does not quote the stored answer"
printf 'R/1,BR,BR-1,violence,bajo,B2\n' >"$tmp/br_again.csv"
out=$(as_pdc -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/br_again.csv' WITH (FORMAT csv)")
case $out in *"muy alto"*) st=1 ;; *"an answer is already stored"*) st=0 ;; *) st=1 ;; esac
ok "$st" "another country's stored answer is not quoted to it either"
[ "$st" -eq 0 ] || echo "# got: $out"

as_pdc -c "UPDATE ideal.observation SET answer = 'moderado' WHERE indicator = 'violence'" >/dev/null
like "$(q -c "SELECT operation || ' ' || changed_by || ' ' || answer FROM ideal.observation_history")" \
	"UPDATE $role alto" \
	"its update keeps the previous row in the history, in its name"
like "$(as_pdc -c "SELECT count(*) FROM ideal.observation_history" 2>&1)" \
	"*permission denied*" "though it has no right on the history table itself"

# a methodology loaded later: its wide views get the intake view's privileges
q -c "SELECT ideal.load_methodology(\$y\$
methodology: rls-test-1
version: \"1\"
title: {en: RLS test}
languages: [en]
scales: {yn: {kind: ordinal, levels: [{code: n, value: 0, labels: {en: N}}, {code: y, value: 1, labels: {en: Y}}]}}
subject_kinds: [country]
indicators: [{code: open, kind: country, scale: yn, labels: {en: Open}}]
members: [MX]
\$y\$)" >/dev/null
like "$(q -c "SELECT has_table_privilege('$role', 'ideal.\"rls-test-1_country_intake\"', 'INSERT')
	|| ' ' || has_table_privilege('$role', 'ideal.\"rls-test-1_country_intake\"', 'SELECT')
	|| ' ' || has_table_privilege('$role', 'ideal.\"rls-test-1_country_intake\"', 'DELETE')")" \
	"true true false" "a methodology's new wide view gets the privileges of ideal.observation_intake"
[ "$failed" -eq 0 ]
