#!/usr/bin/env bash
# Stored scores across sessions: while one session refreshes
# ideal.subject_score_snapshot, readers are not blocked and still see the
# previous snapshot; a second refresh waits for the first and then stores
# the same rows once; a role without the EXECUTE grant cannot refresh, and
# the live views never need a refresh.  Runs in its own database.
set -u
db=ideal_t40_$$
psql=(psql -X -q -v ON_ERROR_STOP=1 -At -d "$db")
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
cleanup() {
	[ -n "${pid_a:-}" ] && wait "$pid_a" 2>/dev/null
	[ -n "${pid_c:-}" ] && wait "$pid_c" 2>/dev/null
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS ideal_t40_reader" >/dev/null 2>&1
}
trap cleanup EXIT
echo "1..8"

createdb "$db" || exit 1
"${psql[@]}" >/dev/null <<'SQL'
CREATE EXTENSION ideal;
INSERT INTO ideal.cycle (code, methodology) VALUES ('S/40', 'sleipnir');
INSERT INTO ideal.subject (cycle, country, ref) SELECT 'S/40', 'CA', 'G' || g FROM generate_series(1, 50) g;
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'S/40', 'CA', 'G' || g, i.code, (ARRAY['H', 'M', 'L', 'N', 'U'])[1 + (g + i.position) % 5]
  FROM generate_series(1, 50) g, ideal.indicator i WHERE i.methodology = 'sleipnir';
CREATE ROLE ideal_t40_reader;
GRANT USAGE ON SCHEMA ideal TO ideal_t40_reader;
SQL
ok $? "a Sleipnir cycle of 50 groups"

# session A refreshes and keeps its transaction open
psql -X -q -At -d "$db" -c "BEGIN; SELECT ideal.refresh_scores(); SELECT pg_sleep(4); COMMIT;" \
	>/dev/null 2>&1 &
pid_a=$!
for _ in $(seq 1 50); do
	busy=$("${psql[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%refresh_scores%pg_sleep%' AND wait_event = 'PgSleep'")
	[ "$busy" = 1 ] && break
	sleep 0.1
done
[ "$busy" = 1 ]
ok $? "session A has refreshed and holds its transaction open"

# session B reads at once and sees the previous (empty) snapshot
start=$(date +%s%N)
seen=$("${psql[@]}" -c "SELECT count(*) FROM ideal.subject_score_snapshot")
took=$((($(date +%s%N) - start) / 1000000))
[ "$seen" = 0 ] && [ "$took" -lt 2000 ]
ok $? "a reader is not blocked and sees the previous snapshot (rows $seen, ${took} ms)"

# session C refreshes too: it waits for A, then stores the same rows once
psql -X -q -At -d "$db" -c "SELECT ideal.refresh_scores()" >/tmp/ideal_t40_c.$$ 2>&1 &
pid_c=$!
waiting=0
for _ in $(seq 1 50); do
	waiting=$("${psql[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT ideal.refresh_scores()' AND wait_event_type = 'Lock'")
	[ "$waiting" = 1 ] && break
	sleep 0.1
done
[ "$waiting" = 1 ]
ok $? "a second refresh waits for the first"
wait "$pid_a"
wait "$pid_c"
rc_c=$?
pid_a=
pid_c=
[ "$rc_c" = 0 ] && [ "$(cat /tmp/ideal_t40_c.$$)" = 50 ]
ok $? "then stores the 50 groups' scores ($(cat /tmp/ideal_t40_c.$$))"
rm -f /tmp/ideal_t40_c.$$
same=$("${psql[@]}" -c "SELECT count(*) FROM (SELECT cycle, country, subject, composite, score FROM ideal.subject_score
	EXCEPT SELECT cycle, country, subject, composite, score FROM ideal.subject_score_snapshot) x")
total=$("${psql[@]}" -c "SELECT count(*) FROM ideal.subject_score_snapshot")
[ "$same" = 0 ] && [ "$total" = 50 ]
ok $? "the snapshot holds each score once and equals the live view"

# no EXECUTE grant, no refresh
out=$("${psql[@]}" -c "SET ROLE ideal_t40_reader; SELECT ideal.refresh_scores()" 2>&1)
grep -q "permission denied for function refresh_scores" <<<"$out"
ok $? "a role without the grant cannot refresh"

# the live view follows a new answer at once
"${psql[@]}" -c "UPDATE ideal.observation SET answer = 'H' WHERE subject = 'G1' AND indicator = 'corruption'" >/dev/null 2>&1
live=$("${psql[@]}" -c "SELECT score FROM ideal.subject_score WHERE subject = 'G1'")
stored=$("${psql[@]}" -c "SELECT score FROM ideal.subject_score_snapshot WHERE subject = 'G1'")
want=$("${psql[@]}" -c "SELECT sum(i.weight * CASE o.answer WHEN 'H' THEN 4 WHEN 'M' THEN 2 WHEN 'L' THEN 1 WHEN 'N' THEN 0 ELSE 2 END)
	FROM ideal.observation o JOIN ideal.indicator i ON i.methodology = 'sleipnir' AND i.code = o.indicator
	WHERE o.subject = 'G1'")
[ -n "$live" ] && [ "$live" = "$want" ]
ok $? "after an update the live score is the new weighted sum ($live = $want; stored $stored)"

exit "$failed"
