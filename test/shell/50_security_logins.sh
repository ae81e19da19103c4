#!/usr/bin/env bash
# Real logins over loopback, with passwords made for this run: each job
# connects as a user would, reads and writes with psql and \copy, and meets
# row-level security; pg_dump keeps policies, grants and contact points;
# the loader refuses invalid UTF-8 (in a SQL_ASCII database, where text can
# hold it) and a 100 MB file within bounded memory.  Prints TAP.
# Runs inside the test cluster (PGHOST, PGPORT, PGUSER: a superuser).
set -uo pipefail

db=ideal_sec_logins
restored=ideal_sec_restored
ascii=ideal_sec_ascii
users=(sec_login_mx sec_login_ar sec_login_analyst sec_login_reader sec_login_owner)
tmp=$(mktemp -d)
n=0
failed=0

su_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# roles that create_roles() makes and that existed before this run stay
pre_existing=$(su_psql -d postgres -At -c \
	"SELECT string_agg(rolname, ' ') FROM pg_roles WHERE rolname LIKE 'ideal\_%'")

cleanup() {
	local d u
	for d in "$db" "$restored" "$ascii"; do
		dropdb --if-exists "$d" >/dev/null 2>&1
	done
	for u in "${users[@]}"; do
		su_psql -d postgres -c "DROP ROLE IF EXISTS $u" >/dev/null 2>&1
	done
	for u in ideal_owner ideal_contact ideal_analyst ideal_reader; do
		case " $pre_existing " in
			*" $u "*) ;;
			*) su_psql -d postgres -c "DROP ROLE IF EXISTS $u" >/dev/null 2>&1 ;;
		esac
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
cleanup_first() {
	local d u
	for d in "$db" "$restored" "$ascii"; do
		dropdb --if-exists "$d" >/dev/null 2>&1
	done
	for u in "${users[@]}"; do
		su_psql -d postgres -c "DROP ROLE IF EXISTS $u" >/dev/null 2>&1
	done
}
cleanup_first

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}
# is "have" "want" "description"
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3" "have: $1
want: $2"
	fi
}
# like "text" "regex" "description"
like() {
	if grep -qE -- "$2" <<<"$1"; then
		ok 0 "$3"
	else
		ok 1 "$3" "have: $1
want (regex): $2"
	fi
}

echo "1..32"

# a password per user, made now
declare -A pw
for u in "${users[@]}"; do
	pw[$u]=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
done

# as a user: over TCP to 127.0.0.1 with the user's password
as() {
	local u=$1 d=$2
	shift 2
	PGPASSWORD=${pw[$u]} psql -X -q -h 127.0.0.1 -p "$PGPORT" -U "$u" -d "$d" \
		-v VERBOSITY=verbose "$@" 2>&1
}

createdb "$db"
su_psql -d "$db" >/dev/null <<SQL
CREATE EXTENSION ideal;
SELECT count(*) FROM ideal.create_roles();
CREATE ROLE sec_login_mx LOGIN PASSWORD '${pw[sec_login_mx]}' IN ROLE ideal_contact;
CREATE ROLE sec_login_ar LOGIN PASSWORD '${pw[sec_login_ar]}' IN ROLE ideal_contact;
CREATE ROLE sec_login_analyst LOGIN PASSWORD '${pw[sec_login_analyst]}' IN ROLE ideal_analyst;
CREATE ROLE sec_login_reader LOGIN PASSWORD '${pw[sec_login_reader]}' IN ROLE ideal_reader;
CREATE ROLE sec_login_owner LOGIN PASSWORD '${pw[sec_login_owner]}' IN ROLE ideal_owner;
SQL
ok $? "a superuser creates the roles and the logins"

# the methodology owner maps contact points and opens the cycles
out=$(as sec_login_owner "$db" -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO ideal.contact_point (role, country)
VALUES ('sec_login_mx', 'MX'), ('sec_login_ar', 'AR');
INSERT INTO ideal.cycle (code, methodology)
VALUES ('L/OPEN', 'ideal-2.0'), ('L/PUB', 'ideal-2.0');
SQL
)
ok $? "the methodology owner logs in, maps contact points, opens cycles" "$out"

# Argentina's contact point loads its submission, marked H2
cat >"$tmp/ar.csv" <<'CSV'
cycle,country,subject,indicator,answer,grading
L/OPEN,AR,drug_trafficking,prevalence,very high,EU:B2:H2
L/OPEN,AR,drug_trafficking,harm,very high,EU:B2:H2
L/PUB,AR,drug_trafficking,prevalence,very high,EU:B2:H2
L/PUB,AR,drug_trafficking,harm,very high,EU:B2:H2
CSV
out=$(as sec_login_ar "$db" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/ar.csv' WITH (FORMAT csv, HEADER true)")
is "$out" "" "Argentina's contact point loads its restricted answers with \\copy into the intake view"

# Mexico's contact point: COPY into the table is refused outright
cat >"$tmp/mx.csv" <<'CSV'
cycle,country,subject,indicator,answer,grading
L/OPEN,MX,drug_trafficking,prevalence,high,B2
L/OPEN,MX,drug_trafficking,harm,moderate,B2
L/PUB,MX,drug_trafficking,prevalence,high,B2
L/PUB,MX,drug_trafficking,harm,moderate,B2
CSV
out=$(as sec_login_mx "$db" -c "\\copy ideal.observation (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mx.csv' WITH (FORMAT csv, HEADER true)")
like "$out" "0A000: COPY FROM not supported with row-level security" \
	"COPY into ideal.observation is refused for a contact point (0A000)"

# a file with one row of Argentina among Mexico's: all refused, 42501
{ cat "$tmp/mx.csv"; echo "L/OPEN,AR,drug_trafficking,trend,stable,B2"; } >"$tmp/mixed.csv"
out=$(as sec_login_mx "$db" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mixed.csv' WITH (FORMAT csv, HEADER true)")
like "$out" '42501: new row violates row-level security policy for table "observation"' \
	"a file with another country's row fails with 42501" "$out"
like "$out" 'DETAIL:  The row is of country AR; role "sec_login_mx" writes the rows of MX only.' \
	"and the detail names the country" "$out"
like "$out" 'line 6' "and COPY names the line" "$out"
is "$(su_psql -d "$db" -At -c "SELECT count(*) FROM ideal.observation WHERE country::text = 'MX'")" "0" \
	"nothing of that file is loaded"
out=$(as sec_login_mx "$db" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mx.csv' WITH (FORMAT csv, HEADER true)")
is "$out" "" "Mexico's own file loads through the intake view"
printf 'cycle,country,subject,prevalence,harm\nL/OPEN,ARG,arms_trafficking,low,low\n' >"$tmp/wide.csv"
out=$(as sec_login_mx "$db" -c "\\copy ideal.\"ideal-2.0_crime_area_intake\" (cycle, country, subject, prevalence, harm) FROM '$tmp/wide.csv' WITH (FORMAT csv, HEADER true)")
like "$out" 'row is of country AR' "the wide intake view refuses another country's row too"
printf 'cycle,country,ref,typology,primary_area\nL/OPEN,AR,AR-9,gang,drug_trafficking\n' >"$tmp/group.csv"
out=$(as sec_login_mx "$db" -c "\\copy ideal.subject_intake (cycle, country, ref, typology, primary_area) FROM '$tmp/group.csv' WITH (FORMAT csv, HEADER true)")
like "$out" '42501: new row violates row-level security policy for table "subject"' \
	"and so does the group intake view"

# pg_dump keeps policies, grants and contact points (taken while every
# cycle is open: the restore of closed cycles' rows is the loader's matter)
pol=$(su_psql -d "$db" -At -c "SELECT count(*) FROM pg_policy")
pg_dump -d "$db" >"$tmp/dump.sql" 2>"$tmp/dump.err"
createdb "$restored"
out=$(su_psql -d "$restored" -f "$tmp/dump.sql" 2>&1 >/dev/null)
ok $? "the dump restores without an error" "$out"
is "$(su_psql -d "$restored" -At -c "SELECT count(*) FROM pg_policy")" "$pol" "with every policy"
out=$(as sec_login_mx "$restored" -At -c "SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation")
is "$out" "MX" "its grants and contact points: Mexico still reads Mexico's answers only"
printf 'cycle,country,subject,indicator,answer\nL/OPEN,AR,drug_trafficking,trend,stable\n' >"$tmp/ar1.csv"
out=$(as sec_login_mx "$restored" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer) FROM '$tmp/ar1.csv' WITH (FORMAT csv, HEADER true)")
like "$out" 'row is of country AR' "and still cannot write Argentina's"

# reading: own rows only, whatever the way
out=$(as sec_login_mx "$db" -At -c "SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation")
is "$out" "MX" "Mexico's contact point reads Mexico's answers only"
out=$(as sec_login_mx "$db" -c "\\copy ideal.observation (country, subject, indicator) TO STDOUT" | cut -f1 | sort -u | tr '\n' ' ')
is "$out" "MX " "COPY ... TO of the table gives its rows only"
out=$(as sec_login_mx "$db" -At -c "SELECT string_agg(DISTINCT country_code, ',') FROM ideal_bi.observation")
is "$out" "MX" "so does the BI view"
out=$(as sec_login_mx "$db" -At -c "SELECT string_agg(DISTINCT country, ',') FROM ideal.\"ideal-2.0_crime_area_intake\"")
is "$out" "MX" "and the wide intake view"
out=$(as sec_login_mx "$db" -At -c "UPDATE ideal.observation SET answer = 'nil' WHERE country::text = 'AR'")
is "$out" "" "an UPDATE of Argentina's rows finds none"
is "$(su_psql -d "$db" -At -c "SELECT count(*) FROM ideal.observation WHERE country::text = 'AR' AND answer = 'very high'")" "4" \
	"Argentina's answers are untouched"
out=$(as sec_login_ar "$db" -At -c "SELECT count(*) FROM ideal.observation WHERE ideal.restricted(grading, handling)")
is "$out" "4" "Argentina's contact point reads its own restricted answers"

# the owner closes and publishes; the reader sees the published aggregate,
# Argentina's restricted answers counted: (0.64 x 2.5 + 0.6 x 4) / 1.24
out=$(as sec_login_owner "$db" -v ON_ERROR_STOP=1 -c "UPDATE ideal.cycle SET status = 'closed' WHERE code = 'L/PUB'" \
	-c "UPDATE ideal.cycle SET status = 'published' WHERE code = 'L/PUB'")
ok $? "the owner closes and publishes a cycle" "$out"
out=$(as sec_login_reader "$db" -At -c "SELECT cycle || ' ' || countries || ' ' || round(score::numeric, 6) FROM ideal.published_picture")
is "$out" "L/PUB 2 3.225806" "the reader reads the published picture, restricted answers counted"
out=$(as sec_login_reader "$db" -c "\\copy ideal.observation TO STDOUT")
like "$out" "42501: permission denied for table observation" "the reader reads no answer"
out=$(as sec_login_reader "$db" -At -c "SELECT count(*) FROM ideal_bi.observation")
like "$out" "42501: permission denied for table observation" "not through the BI views either"

# the analyst reads everything and writes nothing
out=$(as sec_login_analyst "$db" -At -c "SELECT string_agg(DISTINCT country::text, ',' ORDER BY country::text) FROM ideal.observation")
is "$out" "AR,MX" "the analyst reads every country's answers"
out=$(as sec_login_analyst "$db" -c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/mx.csv' WITH (FORMAT csv, HEADER true)")
like "$out" "42501: permission denied for view observation_intake" "and loads nothing"
out=$(as sec_login_owner "$db" -At -c "SELECT count(*) FROM ideal.observation")
like "$out" "42501: permission denied for table observation" "the owner reads no answer"

out=$(PGPASSWORD=wrong psql -X -h 127.0.0.1 -p "$PGPORT" -U sec_login_mx -d "$db" -c "SELECT 1" 2>&1)
like "$out" "password authentication failed" "a wrong password is refused (the logins are real)"

# invalid UTF-8: only a SQL_ASCII database lets such text reach the loader
createdb -E SQL_ASCII -T template0 --locale=C "$ascii"
su_psql -d "$ascii" -c "CREATE EXTENSION ideal" >/dev/null 2>&1
out=$(psql -X -d "$ascii" -At -v VERBOSITY=verbose \
	-c "SELECT ideal.load_methodology(E'methodology: caf\\xe9\\nversion: \"1\"\\n')" 2>&1)
like "$out" "F0000: invalid methodology file" "invalid UTF-8 is refused by the loader (F0000)" "$out"

# memory: the peak resident size of the backend that refuses a 100 MB file
pid_out=$(mktemp)
out=$(psql -X -d "$db" -At -v ON_ERROR_STOP=0 <<SQL 2>&1
SET statement_timeout = '60s';
SELECT pg_backend_pid() AS pid \gset
\setenv IDEAL_PID :pid
\! grep VmHWM /proc/\$IDEAL_PID/status >'$pid_out.before'
SELECT ideal.load_methodology(repeat('a', 100 * 1024 * 1024));
\! grep VmHWM /proc/\$IDEAL_PID/status >'$pid_out.after'
SQL
)
before=$(awk '{ print $2 }' "$pid_out.before" 2>/dev/null)
after=$(awk '{ print $2 }' "$pid_out.after" 2>/dev/null)
if [ -n "$before" ] && [ -n "$after" ]; then
	grown=$(((after - before) / 1024))
	echo "# peak resident memory of the backend grew by $grown MB for a 100 MB file"
	[ "$grown" -lt 400 ]
	ok $? "a 100 MB file is refused within bounded memory ($grown MB over the peak before, limit 400 MB)" "$out"
else
	echo "ok $((n + 1)) # SKIP /proc/<pid>/status of the server is not readable here"
	n=$((n + 1))
fi
rm -f "$pid_out" "$pid_out.before" "$pid_out.after"

[ "$n" -eq 32 ] || echo "# ran $n tests, planned 32"
[ "$failed" -eq 0 ]
