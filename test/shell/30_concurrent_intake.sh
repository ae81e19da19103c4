#!/usr/bin/env bash
# Concurrent loads: the eleven IDEAL 2.0 members load their groups and their
# answers at the same time, each in its own psql session, through the intake
# views, in reject mode, with bad rows in every file.  All sessions succeed,
# no row is lost (stored + rejected = sent, per country), and no deadlock.
# Then two sessions load the same file at once: one stores it, the other's
# rows all wait for it and are set aside as second answers.
# Runs inside pg_virtualenv (PGHOST etc. set); prints TAP.
set -uo pipefail
db=ideal_concurrent_intake
tmp=$(mktemp -d)
members=(AR BO BR CL CR EC MX PA PE PY SV)
groups=40
n=0
failed=0
# the types' operators live in schema ideal
export PGOPTIONS="-c search_path=ideal,public"
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "# got '$1', want '$2'"; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

echo "1..15"
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" && q -c "CREATE EXTENSION ideal" ||
	{ echo "Bail out! could not create the database"; exit 1; }
q -c "INSERT INTO ideal.cycle (code, methodology) VALUES ('C/1', 'ideal-2.0')"

# files: per country, its groups and its answers, with bad rows among them
indicators=(violence corruption territorial_control legal_business_structures
	international_dimension countermeasures money_laundering_capability
	expertise_technology longevity adaptability)
areas=(drug_trafficking human_trafficking migrant_smuggling arms_trafficking
	cybercrime smuggling_of_goods environmental_crime property_crime
	money_laundering crimes_against_persons)
area_indicators=(prevalence harm groups_involved transnational_dimension
	violence_impact trend)
answers=(nil low moderate high very_high Alto Bajo "muy alto" médio desconocido)
for c in "${members[@]}"; do
	{
		echo "cycle,country,ref,name,typology,primary_area,crime_areas,operates_in"
		for g in $(seq 1 $groups); do
			echo "C/1,$c,$c-$g,Grupo $g,gang,drug_trafficking,\"arms_trafficking, cybercrime\",\"$c\""
		done
		echo "C/1,$c,$c-bad,Grupo malo,gang,piracy,,$c"
	} >"$tmp/groups_$c.csv"
	{
		echo "cycle,country,subject,indicator,answer,grading"
		k=0
		for g in $(seq 1 $groups); do
			for i in "${indicators[@]}"; do
				echo "C/1,$c,$c-$g,$i,${answers[$((k % 10))]},B2"
				k=$((k + 1))
				# a bad row every 97 rows: an answer on no scale
				[ $((k % 97)) -eq 0 ] && echo "C/1,$c,$c-$g,$i-x,alto,B2"
			done
		done
		for a in "${areas[@]}"; do
			for i in "${area_indicators[@]}"; do
				if [ "$i" = trend ]; then ans=Estable; else ans=${answers[$((k % 5))]}; fi
				echo "C/1,$c,$a,$i,$ans,A1"
				k=$((k + 1))
			done
		done
		echo "C/1,XX$c,$c-1,violence,alto,B2"
		echo "C/1,$c,$c-1,violence,bajo,Z9"
	} >"$tmp/obs_$c.csv"
done

# every session waits at the same gate (an advisory lock held for three
# seconds), then all load at once
start_gate() { q -c "SELECT pg_advisory_lock(4242), pg_sleep(3)" >/dev/null 2>&1 & gate=$!; sleep 1; }
open_gate() { wait "$gate"; }
load() {	# load COUNTRY: groups then answers, in one session, after the gate
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$tmp/out_$1" 2>&1 <<SQL
SELECT pg_advisory_lock_shared(4242);
SET ideal.on_invalid = 'reject';
\copy ideal.subject_intake (cycle, country, ref, name, typology, primary_area, crime_areas, operates_in) FROM '$tmp/groups_$1.csv' WITH (FORMAT csv, HEADER true)
\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/obs_$1.csv' WITH (FORMAT csv, HEADER true)
SQL
}

deadlocks_before=$(q -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
start_gate
pids=()
for c in "${members[@]}"; do
	load "$c" &
	pids+=($!)
done
open_gate
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
ok "$bad" "${#members[@]} sessions loading different countries at once all succeed"
[ "$bad" -eq 0 ] || for c in "${members[@]}"; do sed "s/^/# $c: /" "$tmp/out_$c"; done

sent_groups=$(( ${#members[@]} * (groups + 1) ))
is "$(q -c "SELECT count(*) FROM ideal.subject WHERE cycle = 'C/1'") + $(q -c "SELECT count(*) FROM ideal.rejected WHERE target = 'ideal.subject_intake'")" \
	"$(( ${#members[@]} * groups )) + ${#members[@]}" "groups: stored + rejected = $sent_groups sent"
lost=0
for c in "${members[@]}"; do
	sent=$(( $(wc -l <"$tmp/obs_$c.csv") - 1 ))
	got=$(q -c "SELECT (SELECT count(*) FROM ideal.observation WHERE cycle = 'C/1' AND country = '$c')
		+ (SELECT count(*) FROM ideal.rejected WHERE target = 'ideal.observation_intake'
			AND country IN ('$c', 'XX$c') AND subject LIKE '$c%')")
	[ "$got" -eq "$sent" ] || { lost=1; echo "# $c: sent $sent, stored + rejected $got"; }
done
ok "$lost" "answers: for every country, stored + rejected = sent"
is "$(q -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'C/1'")" \
	"$(( ${#members[@]} * (groups * 10 + 60) ))" "every good answer of every country is stored"
is "$(q -c "SELECT string_agg(DISTINCT sqlstate, ',' ORDER BY sqlstate) FROM ideal.rejected WHERE target = 'ideal.observation_intake'")" \
	"22023,22P02" "the bad rows are rejected for what they are (unknown indicator, country, grading)"
is "$(q -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")" \
	"$deadlocks_before" "no deadlock"

# the same file, twice at once: one session stores it, the other's rows are
# second answers, each refused only once the first session has committed
q -c "INSERT INTO ideal.cycle (code, methodology) VALUES ('C/2', 'ideal-2.0')"
q -c "INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	  SELECT 'C/2', country, ref, primary_area FROM ideal.subject WHERE cycle = 'C/1' AND country = 'MX'"
sed -e 's/^C\/1,/C\/2,/' "$tmp/obs_MX.csv" | grep -v -e ',violence-x,' -e '-x,' -e '^C/2,XX' -e ',Z9$' >"$tmp/same.csv"
same_rows=$(( $(wc -l <"$tmp/same.csv") - 1 ))
twice() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$tmp/out_twice_$1" 2>&1 <<SQL
SELECT pg_advisory_lock_shared(4242);
SET ideal.on_invalid = 'reject';
BEGIN;
\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$tmp/same.csv' WITH (FORMAT csv, HEADER true)
SELECT pg_sleep(0.5);
COMMIT;
SQL
}
start_gate
twice 1 & p1=$!
twice 2 & p2=$!
open_gate
bad=0
wait "$p1" || bad=1
wait "$p2" || bad=1
ok "$bad" "two sessions loading the same $same_rows rows at once both succeed"
[ "$bad" -eq 0 ] || sed 's/^/# /' "$tmp"/out_twice_*
is "$(q -c "SELECT count(*) FROM ideal.observation WHERE cycle = 'C/2'")" "$same_rows" \
	"the rows are stored once"
is "$(q -c "SELECT count(*) FROM ideal.rejected WHERE cycle = 'C/2' AND sqlstate = '23505'")" "$same_rows" \
	"the other session's rows are all rejected as second answers (23505)"
is "$(q -c "SELECT count(*) FROM ideal.rejected WHERE cycle = 'C/2' AND sqlstate <> '23505'")" 0 \
	"and for no other reason"
echo "# of which found by the trigger: $(q -c "SELECT count(*) FROM ideal.rejected
	WHERE cycle = 'C/2' AND detail NOT LIKE '%another session meanwhile%'"), by the insert's conflict check: $(q -c "SELECT count(*) FROM ideal.rejected
	WHERE cycle = 'C/2' AND detail LIKE '%another session meanwhile%'")"
is "$(q -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")" \
	"$deadlocks_before" "still no deadlock"
is "$(q -c "SELECT count(*) FROM ideal.observation_history")" 0 \
	"loading writes no history (only updates and deletes do)"

# the race the trigger's look-up cannot see: another session stores the same
# answer between this row's check and its insert (a test trigger sleeps in
# between); the intake still sets the row aside instead of failing the load
q -c "INSERT INTO ideal.cycle (code, methodology) VALUES ('C/3', 'ideal-2.0')"
q -c "INSERT INTO ideal.subject (cycle, country, ref, primary_area) VALUES ('C/3', 'MX', 'MX-1', 'cybercrime')"
q <<'SQL'
CREATE FUNCTION public.intake_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.note = 'pause' THEN PERFORM pg_sleep(2); END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER zz_intake_test_pause BEFORE INSERT ON ideal.observation
	FOR EACH ROW EXECUTE FUNCTION public.intake_test_pause();
SQL
q -c "SET ideal.on_invalid = 'reject'" \
	-c "INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer, note)
		VALUES ('C/3', 'MX', 'MX-1', 'violence', 'alto', 'pause')" >"$tmp/out_race" 2>&1 &
p1=$!
sleep 0.7
q -c "INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer)
	  VALUES ('C/3', 'MX', 'MX-1', 'Violencia', 'bajo')"
wait "$p1"
ok $? "a load that loses the race for a key goes on"
[ -s "$tmp/out_race" ] && sed 's/^/# /' "$tmp/out_race"
is "$(q -c "SELECT string_agg(answer, ',') FROM ideal.observation WHERE cycle = 'C/3'")" bajo \
	"the answer stored first stays"
is "$(q -c "SELECT sqlstate || ' ' || message || ' / ' || detail FROM ideal.rejected WHERE cycle = 'C/3'")" \
	'23505 indicator "violence" is already answered for subject "MX-1" / Row: cycle "C/3", country MX, subject "MX-1", indicator "violence". Answer "alto"; an answer was stored by another session meanwhile.' \
	"the other is rejected as a second answer, with the reason"
q -c "DROP TRIGGER zz_intake_test_pause ON ideal.observation" -c "DROP FUNCTION public.intake_test_pause()"
[ "$failed" -eq 0 ]
