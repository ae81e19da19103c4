#!/usr/bin/env bash
# Every benchmark of ideal, run by test/bench/run.sh inside a throwaway
# cluster (PGHOST, PGPORT, PGUSER set by pg_virtualenv).  Each benchmark
# times its variants side by side in the same rounds and prints the ratios
# with their inputs; see test/bench/README.md.
#
# Sizes (environment; run.sh --quick divides them by 20):
#   BENCH_ROUNDS       rounds per benchmark (3)
#   BENCH_PLPGSQL_ROUNDS  rounds of the PL/pgSQL load (2)
#   BENCH_LOAD_ROWS    observations in the load file (1000000)
#   BENCH_SCORE_ROWS   rows scored (10000000)
#   BENCH_TYPE_ROWS    strings cast per type (10000000)
#   BENCH_GROUPS       grouped scoring, small and large (100000 1000000)
#   BENCH_E2E_GROUPS   groups per country in the end-to-end job (2000)
#   BENCH_ONLY         a subset of: load scoring grouped types e2e
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

rounds=${BENCH_ROUNDS:-3}
load_rows=${BENCH_LOAD_ROWS:-1000000}
score_rows=${BENCH_SCORE_ROWS:-10000000}
type_rows=${BENCH_TYPE_ROWS:-10000000}
read -r groups_small groups_large <<<"${BENCH_GROUPS:-100000 1000000}"
e2e_groups=${BENCH_E2E_GROUPS:-2000}
plpgsql_rounds=${BENCH_PLPGSQL_ROUNDS:-2}
only=${BENCH_ONLY:-load scoring grouped types e2e}

# Files that the server reads and writes: a directory it can use.
dir=$(mktemp -d /tmp/ideal-bench.XXXXXX)
chmod 755 "$dir"
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
	chown postgres "$dir"
fi
trap 'rm -rf "$dir"' EXIT

psql_=(psql -X -q -v ON_ERROR_STOP=1)
sql() { "${psql_[@]}" -c "$1"; }
val() { "${psql_[@]}" -At -c "$1"; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# measure SECTION VARIANT ROUND [PREP...] -- STMT...: each PREP statement
# runs untimed, then the STMTs are timed, each in its own transaction as
# psql would send them (bench.measure).
measure() {
	local sec=$1 var=$2 round=$3 prep=() stmts=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do prep+=("$1"); shift; done
	shift
	stmts=("$@")
	quoted() { local x out=; for x in "$@"; do out+="${out:+, }\$s\$$x\$s\$"; done; echo "$out"; }
	call() { echo "CALL bench.measure('$sec', '$var', $1, ARRAY[$(quoted "${stmts[@]}")]::text[], ARRAY[$(quoted "${prep[@]}")]::text[])"; }
	# a profiled run is an extra round 0, left out of every figure
	if [[ ",${BENCH_PERF:-}," == *",$sec:$var,"* ]] && [ "$round" = 1 ]; then
		profiled "$sec-$var" "$(call 0)"
	fi
	sql "$(call "$round")"
}

# profiled NAME SQL: run SQL with perf sampling its backend; the report
# goes to $BENCH_PERF_DIR/NAME.txt.
profiled() {
	local out=${BENCH_PERF_DIR:-/tmp/ideal-bench-perf}
	mkdir -p "$out"
	"${psql_[@]}" <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
\! perf record -e cpu-clock -F 2000 ${BENCH_PERF_CALLGRAPH:+--call-graph $BENCH_PERF_CALLGRAPH} -p \$BENCH_PID -o $out/$1.data >/dev/null 2>&1 & echo \$! > $out/$1.pid; sleep 1
$2;
\! kill -INT \$(cat $out/$1.pid); sleep 2
SQL
	perf report -i "$out/$1.data" --no-children --percent-limit 0.5 --stdio \
		${BENCH_PERF_CALLGRAPH:+-g caller} 2>/dev/null >"$out/$1.txt" || true
	echo "   perf profile of $1: $out/$1.txt"
}

# ratio SECTION A B [cpu|wall]: median over rounds of time(B)/time(A), the
# speed of A relative to B, with each round's ratio.  CPU time of the
# backend by default (steady on a busy machine); the wall clock for
# parallel plans.
ratio() { val "SELECT to_char(median, 'FM990.00') || ' (rounds: ' || rounds || ')' FROM bench.ratio('$1', '$2', '$3', '${4:-cpu}')"; }
# both SECTION A B: the CPU-time ratio, then the wall-clock one
both() { echo "$(ratio "$1" "$2" "$3" cpu) by CPU time; $(ratio "$1" "$2" "$3" wall) by the wall clock"; }
median() { val "SELECT to_char(bench.median('$1', '$2', '${3:-cpu}'), 'FM99990.000')"; }
times() { val "SELECT bench.times('$1', '$2', '${3:-cpu}')"; }
# show SECTION VARIANT [ROWS]: a variant's median times (and throughput)
show() {
	local c w
	c=$(median "$1" "$2" cpu); w=$(median "$1" "$2" wall)
	printf '   %-14s CPU %8s s, wall %8s s%s  (CPU: %s; wall: %s)\n' "$2" "$c" "$w" \
		"${3:+$(awk -v n="$3" -v t="$c" 'BEGIN { printf ", %.0f rows/CPU-s", n / t }')}" \
		"$(times "$1" "$2" cpu)" "$(times "$1" "$2" wall)"
}
# verdict VALUE OP TARGET
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print (ok ? "met" : "MISSED") }'; }
first() { cut -d' ' -f1 <<<"$1"; }

summary=()
note() { summary+=("$1"); }

heading() {
	echo
	echo "== $1"
	echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------- setup
echo "ideal benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1),"\
	"$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); kernel $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"${psql_[@]}" -f "$here/sql/00_setup.sql" >/dev/null
"${psql_[@]}" -f "$here/sql/plpgsql_trigger.sql" >/dev/null
echo "server: $(val 'SELECT version()')"
echo "settings: $(val "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'hash_mem_multiplier', 'max_wal_size', 'jit', 'max_parallel_workers_per_gather', 'synchronous_commit', 'lc_collate')")"
echo "rounds: $rounds; a ratio is the median over rounds of the ratio within each round, by the"
echo "backend's CPU time (Linux schedstat) unless it says otherwise, with the wall-clock ratio beside it"

want() { [[ " $only " == *" $1 "* ]]; }

# groups_csv SOURCE CYCLE FILE: the groups of a generated submission, as
# contact points describe them before their answers (ideal.subject).
groups_csv() {
	sql "SELECT setseed(0.5);
		 COPY (SELECT '$2' AS cycle, member AS country, ref, 'Group ' || ref AS name,
					  (ARRAY['cartel', 'gang', 'clan', 'network', 'band', 'mafia_style'])[1 + floor(random() * 6)::int] AS typology,
					  area AS primary_area,
					  CASE WHEN area = 'money_laundering' THEN '{}' ELSE '{money_laundering}' END AS crime_areas,
					  '{' || member || '}' AS operates_in
				 FROM (SELECT member, ref, (ARRAY['drug_trafficking', 'human_trafficking', 'migrant_smuggling',
						'arms_trafficking', 'cybercrime', 'smuggling_of_goods', 'environmental_crime',
						'property_crime', 'money_laundering', 'crimes_against_persons'])[1 + floor(random() * 10)::int] AS area
						 FROM (SELECT DISTINCT member, ref FROM $1 WHERE kind = 'group' ORDER BY 1, 2) d) g)
		   TO '$3' WITH (FORMAT csv, HEADER true)" >/dev/null
}
gcols="(cycle, country, ref, name, typology, primary_area, crime_areas, operates_in)"
ocols="(cycle, country, subject, indicator, answer, grading)"
# Emptying ideal.observation between rounds, without its history trigger.
empty_obs=("SET session_replication_role = replica" "TRUNCATE ideal.observation"
	"RESET session_replication_role")

# ---------------------------------------------------------------- load
if want load; then
	groups=$(((load_rows / 11 - 60 + 9) / 10 + 1))
	heading "Load: COPY of generated observations into ideal.observation"
	"${psql_[@]}" -v tab=bench.obs_src -v cycle=BENCH/2025 -v groups="$groups" \
		-v seed=0.42 -f "$here/sql/gen_observations.sql" >/dev/null
	sql "COPY (SELECT cycle, country, subject, indicator, answer, grading
			 FROM bench.obs_src ORDER BY ord)
		 TO '$dir/obs.csv' WITH (FORMAT csv, HEADER true)"
	groups_csv bench.obs_src BENCH/2025 "$dir/groups.csv"
	n=$(val "SELECT count(*) FROM bench.obs_src")
	echo "   file: $n observations ($(du -m "$dir/obs.csv" | cut -f1) MB): 11 members x $groups groups x 10 group indicators + 11 x 10 crime areas x 6 indicators"
	echo "   $(val "SELECT format('spelling: %s%% of indicators by a label, %s%% of answers unknown, %s%% of countries not as alpha-2, %s%% ungraded',
		round(100.0 * count(*) FILTER (WHERE indicator !~ '^[a-z_]+\$') / count(*)),
		round(100.0 * count(*) FILTER (WHERE lower(answer) IN ('unknown', 'desconocido', 'desconhecido', '?', 'ns/nc', 'ns/nr', 'desconocida', 'desconhecida')) / count(*)),
		round(100.0 * count(*) FILTER (WHERE country !~ '^[A-Z]{2}\$') / count(*)),
		round(100.0 * count(*) FILTER (WHERE grading IS NULL) / count(*))) FROM bench.obs_src")"
	sql "DROP TABLE bench.obs_src;
		 INSERT INTO ideal.cycle (code, methodology) VALUES ('BENCH/2025', 'ideal-2.0');
		 CREATE TABLE bench.obs_plain (LIKE ideal.observation INCLUDING ALL);
		 CREATE TABLE bench.obs_noop (LIKE ideal.observation INCLUDING ALL);
		 CREATE TABLE bench.obs_plpgsql (LIKE ideal.observation INCLUDING ALL);
		 CREATE EXTENSION lo;
		 CREATE TRIGGER noop BEFORE INSERT ON bench.obs_noop
			FOR EACH ROW EXECUTE FUNCTION lo_manage(note);
		 CREATE TRIGGER observation_check BEFORE INSERT OR UPDATE ON bench.obs_plpgsql
			FOR EACH ROW EXECUTE FUNCTION bench.observation_check_plpgsql();"
	# the groups are described first, as the triggers require (untimed)
	measure load_setup groups 1 -- "COPY ideal.subject $gcols FROM '$dir/groups.csv' WITH (FORMAT csv, HEADER true)"
	echo "   groups: $(val "SELECT count(*) FROM ideal.subject WHERE cycle = 'BENCH/2025'") loaded into ideal.subject first (untimed here: $(median load_setup groups) s)"
	variants="plain noop c plpgsql"
	intake=$(val "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ideal' AND table_name = 'observation_intake' AND column_name IN ('cycle', 'country', 'subject', 'indicator', 'answer', 'grading')")
	if [ "$intake" = 6 ]; then
		variants="$variants intake"
	else
		echo "   intake view ideal.observation_intake: not present, its path is not measured"
	fi
	for r in $(seq "$rounds"); do
		for v in $variants; do
			# PL/pgSQL takes a minute and a half a round: fewer rounds
			[ "$v" = plpgsql ] && [ "$r" -gt "$plpgsql_rounds" ] && continue
			case $v in
			plain) t=bench.obs_plain ;;
			noop) t=bench.obs_noop ;;
			plpgsql) t=bench.obs_plpgsql ;;
			c) t=ideal.observation ;;
			intake) t=ideal.observation_intake ;;
			esac
			if [ "$v" = c ] || [ "$v" = intake ]; then
				prep=("${empty_obs[@]}")
			else
				prep=("TRUNCATE $t")
			fi
			measure load "$v" "$r" "${prep[@]}" CHECKPOINT -- \
				"COPY $t $ocols FROM '$dir/obs.csv' WITH (FORMAT csv, HEADER true)"
		done
		echo "   round $r: $(val "SELECT string_agg(variant || ' ' || to_char(cpu, 'FM9990.00') || '/' || to_char(seconds, 'FM9990.00') || ' s', ', ' ORDER BY at) FROM bench.timing WHERE section = 'load' AND round = $r"); load $(load1)"
	done
	# both triggers must have stored the same rows
	c9="cycle, country, subject_kind, subject, indicator, answer, value, is_unknown, grading, handling, checked"
	diff=$(val "SELECT count(*) FROM (
		(SELECT $c9 FROM ideal.observation EXCEPT ALL SELECT $c9 FROM bench.obs_plpgsql)
		UNION ALL
		(SELECT $c9 FROM bench.obs_plpgsql EXCEPT ALL SELECT $c9 FROM ideal.observation)) d")
	stored=$(val "SELECT count(*) FROM ideal.observation")
	echo "   check: C trigger stored $stored rows, PL/pgSQL trigger $(val 'SELECT count(*) FROM bench.obs_plpgsql'); rows that differ: $diff"
	[ "$diff" = 0 ] && [ "$stored" = "$n" ] || echo "   WARNING: the two triggers did not store the same rows"
	echo "   medians (round lines above: CPU/wall seconds):"
	for v in $variants; do show load "$v" "$n"; done
	rc=$(ratio load c plain)
	rp=$(ratio load c plpgsql)
	tp=$(median load plain); tn=$(median load noop); tc=$(median load c); tq=$(median load plpgsql)
	per() { awk -v a="$1" -v b="$2" -v n="$n" 'BEGIN { printf "%.2f", (a - b) * 1e6 / n }'; }
	echo "   per-row cost over plain COPY (median CPU times): C trigger $(per "$tc" "$tp") us, PL/pgSQL trigger $(per "$tq" "$tp") us;"
	echo "     of the C trigger's: $(per "$tn" "$tp") us any BEFORE row trigger costs (no-op C trigger: no batched multi-insert), $(per "$tc" "$tn") us the validation"
	echo "   throughput C trigger / plain COPY: $(both load c plain)"
	echo "     target >= 0.8: $(verdict "$(first "$rc")" '>=' 0.8)"
	echo "   throughput no-op trigger / plain COPY: $(both load noop plain)   (the ceiling of any row trigger)"
	echo "   whole load PL/pgSQL / C trigger: $(both load c plpgsql)"
	echo "     target >= 3: $(verdict "$(first "$rp")" '>=' 3)"
	note "2a load  C trigger / plain COPY throughput   $(first "$rc")  (target >= 0.8: $(verdict "$(first "$rc")" '>=' 0.8))"
	note "2b load  PL/pgSQL time / C trigger time      $(first "$rp")  (target >= 3: $(verdict "$(first "$rp")" '>=' 3))"
	if [[ " $variants " == *" intake "* ]]; then
		ri=$(ratio load intake plain)
		ti=$(median load intake)
		echo "   throughput intake view / plain COPY: $(both load intake plain)"
		echo "   throughput intake view / C trigger on the table: $(both load intake c); per-row cost over plain COPY $(per "$ti" "$tp") us"
		note "2c load  intake view / plain COPY throughput $(first "$ri")  (intake view / table: $(first "$(ratio load intake c)"))"
	fi
	sql "DROP TABLE bench.obs_plain, bench.obs_noop, bench.obs_plpgsql"
	sql "SET session_replication_role = replica; TRUNCATE ideal.observation"
	rm -f "$dir/obs.csv" "$dir/groups.csv"
fi

# ---------------------------------------------------------------- scoring
if want scoring || want grouped; then
	heading "Scoring data: $score_rows rows (value, weight, grading)"
	sql "SET max_parallel_workers_per_gather = 0;
		 SELECT setseed(0.17);
		 CREATE TABLE bench.scores AS
		 SELECT id, (id % $groups_large)::int AS g_large, (id % $groups_small)::int AS g_small,
				CASE WHEN rv < 0.04 THEN NULL
					 WHEN rv < 0.52 THEN floor(random() * 5)
					 ELSE 1 + floor(random() * 19) / 2 END::float8 AS value,
				(1 + floor(random() * 3))::float8 AS weight,
				(CASE WHEN rg < 0.55 THEN substr('ABCDEF', 1 + floor(random() * 6)::int, 1) || (1 + floor(random() * 6)::int)
					  WHEN rg < 0.70 THEN 'EU:' || substr('ABCX', 1 + floor(random() * 4)::int, 1) || (1 + floor(random() * 4)::int)
					  WHEN rg < 0.75 THEN 'UK3:' || (1 + floor(random() * 3)::int) || substr('ABCDE', 1 + floor(random() * 5)::int, 1)
					  WHEN rg < 0.80 THEN 'UK5:' || substr('ABCDE', 1 + floor(random() * 5)::int, 1) || (1 + floor(random() * 5)::int)
				 END)::ideal.grading AS grading
		   FROM (SELECT id, random() AS rv, random() AS rg
				   FROM generate_series(1, $score_rows) id) x" >/dev/null
	sql "VACUUM (FREEZE, ANALYZE) bench.scores"
	echo "   table: $(val "SELECT pg_size_pretty(pg_table_size('bench.scores'))"); values: 4% unknown (NULL), 48% levels 0-4, 48% 1-10 in steps of 0.5; weights 1-3; gradings: 55% Admiralty, 15% Europol, 5% UK 3x5x2, 5% UK 5x5x5, 20% none"
fi

# The careful SQL author's summary: the same sums as ideal.summarize, in
# float8 with built-in aggregates, the confidence from the grading's text.
careful_sql="SELECT count(value) AS n, count(*) - count(value) AS unknowns,
	   count(value) FILTER (WHERE c IS NOT NULL) AS graded,
	   sum(w) FILTER (WHERE value IS NOT NULL) AS w, sum(w * value) AS wv,
	   sum(coalesce(c, 1.0) * w) FILTER (WHERE value IS NOT NULL) AS cw,
	   sum(coalesce(c, 1.0) * w * value) AS cwv,
	   sum(w) FILTER (WHERE value IS NOT NULL AND c IS NOT NULL) AS gw,
	   sum(c * w) FILTER (WHERE value IS NOT NULL) AS gcw,
	   min(value) AS min, max(value) AS max,
	   sum(coalesce(c, 1.0) * w * value) / sum(coalesce(c, 1.0) * w) FILTER (WHERE value IS NOT NULL) AS score,
	   sum(w * value) / sum(w) FILTER (WHERE value IS NOT NULL) AS raw_score,
	   sum(c * w) FILTER (WHERE value IS NOT NULL) / sum(w) FILTER (WHERE value IS NOT NULL AND c IS NOT NULL) AS confidence
  FROM (SELECT value, coalesce(weight, 1.0) AS w,
			   CASE WHEN g IS NULL THEN NULL
					WHEN g LIKE 'EU:%' THEN
						(CASE substr(g, 4, 1) WHEN 'A' THEN 1.0::float8 WHEN 'B' THEN 0.75::float8
							 WHEN 'C' THEN 0.25::float8 WHEN 'X' THEN 0.5::float8 END) *
						(CASE substr(g, 5, 1) WHEN '1' THEN 1.0::float8 WHEN '2' THEN 0.8::float8
							 WHEN '3' THEN 0.6::float8 WHEN '4' THEN 0.4::float8 END)
					WHEN g LIKE 'UK3:%' THEN
						(CASE substr(g, 5, 1) WHEN '1' THEN 1.0::float8 WHEN '2' THEN 0.5::float8
							 WHEN '3' THEN 0.25::float8 END) *
						(CASE substr(g, 6, 1) WHEN 'A' THEN 1.0::float8 WHEN 'B' THEN 0.8::float8
							 WHEN 'C' THEN 0.6::float8 WHEN 'D' THEN 0.4::float8 WHEN 'E' THEN 0.1::float8 END)
					WHEN g LIKE 'UK5:%' THEN
						(CASE substr(g, 5, 1) WHEN 'A' THEN 1.0::float8 WHEN 'B' THEN 0.8::float8
							 WHEN 'C' THEN 0.6::float8 WHEN 'D' THEN 0.3::float8 WHEN 'E' THEN 0.5::float8 END) *
						(CASE substr(g, 6, 1) WHEN '1' THEN 1.0::float8 WHEN '2' THEN 0.8::float8
							 WHEN '3' THEN 0.6::float8 WHEN '4' THEN 0.5::float8 WHEN '5' THEN 0.1::float8 END)
					ELSE
						(CASE substr(g, 1, 1) WHEN 'A' THEN 1.0::float8 WHEN 'B' THEN 0.8::float8
							 WHEN 'C' THEN 0.6::float8 WHEN 'D' THEN 0.4::float8 WHEN 'E' THEN 0.2::float8
							 WHEN 'F' THEN 0.5::float8 END) *
						(CASE substr(g, 2, 1) WHEN '1' THEN 1.0::float8 WHEN '2' THEN 0.8::float8
							 WHEN '3' THEN 0.6::float8 WHEN '4' THEN 0.4::float8 WHEN '5' THEN 0.2::float8
							 WHEN '6' THEN 0.5::float8 END)
			   END AS c
		  FROM (SELECT value, weight, grading::text AS g FROM bench.scores) t) x"
ideal_sql="SELECT s, ideal.score(s), ideal.raw_score(s), ideal.confidence(s)
  FROM (SELECT ideal.summarize(value, weight, grading) AS s FROM bench.scores) x"

if want scoring; then
	heading "Scoring: one summary of $score_rows rows"
	# the two computations must agree
	echo "   check: $(val "SELECT format('ideal score %s raw %s confidence %s n %s; SQL score %s raw %s confidence %s n %s',
		ideal.score(i.s), ideal.raw_score(i.s), ideal.confidence(i.s), ideal.n(i.s), q.score, q.raw_score, q.confidence, q.n)
		FROM ($ideal_sql) i(s), ($careful_sql) q")"
	echo "   plans with two workers: summarize $(val "SET max_parallel_workers_per_gather = 2; EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF) SELECT ideal.summarize(value, weight, grading) FROM bench.scores" | grep -o '"Workers Launched": [0-9]*' | head -1), avg $(val "SET max_parallel_workers_per_gather = 2; EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF) SELECT avg(value) FROM bench.scores" | grep -o '"Workers Launched": [0-9]*' | head -1)"
	jit() { # the JIT part of a serial plan: functions, inlining, optimization
		val "SET max_parallel_workers_per_gather = 0; EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF) $1" |
			python3 -c 'import json, sys; j = json.load(sys.stdin)[0].get("JIT"); print("none" if not j else "%d functions, inlining %s, optimization %s" % (j["Functions"], j["Options"]["Inlining"], j["Options"]["Optimization"]))' 2>/dev/null || echo "?"
	}
	echo "   JIT in the serial plans: avg $(jit "SELECT avg(value) FROM bench.scores"); summarize $(jit "SELECT ideal.summarize(value, weight, grading) FROM bench.scores")"
	serial="SET max_parallel_workers_per_gather = 0"
	par="SET max_parallel_workers_per_gather = 2"
	sql "SELECT avg(value) FROM bench.scores" >/dev/null	# warm the cache
	for r in $(seq "$rounds"); do
		measure scoring avg "$r" "$serial" -- "SELECT avg(value) FROM bench.scores"
		measure scoring summarize "$r" "$serial" -- "$ideal_sql"
		measure scoring sql "$r" "$serial" -- "$careful_sql"
		measure scoring avg_par "$r" "$par" -- "SELECT avg(value) FROM bench.scores"
		measure scoring summarize_par "$r" "$par" -- "$ideal_sql"
		echo "   round $r: $(val "SELECT string_agg(variant || ' ' || to_char(cpu, 'FM9990.000') || '/' || to_char(seconds, 'FM9990.000') || ' s', ', ' ORDER BY at) FROM bench.timing WHERE section = 'scoring' AND round = $r"); load $(load1)"
	done
	echo "   medians (the CPU time of a parallel plan is the leader's only):"
	for v in avg summarize sql avg_par summarize_par; do show scoring "$v"; done
	ra=$(ratio scoring summarize avg)
	rs=$(ratio scoring summarize sql)
	rpar=$(ratio scoring summarize_par summarize wall)
	echo "   speed summarize / avg(float8): $(both scoring summarize avg)"
	echo "     target >= 0.7: $(verdict "$(first "$ra")" '>=' 0.7)"
	echo "   speed summarize / careful SQL: $(both scoring summarize sql)"
	echo "     target >= 3: $(verdict "$(first "$rs")" '>=' 3)"
	echo "   speed summarize two workers / serial, wall clock: $rpar"
	echo "     target >= 1.6: $(verdict "$(first "$rpar")" '>=' 1.6); the server's own, avg(float8): $(ratio scoring avg_par avg wall)"
	note "3a score summarize / avg(float8) speed       $(first "$ra")  (target >= 0.7: $(verdict "$(first "$ra")" '>=' 0.7))"
	note "3b score summarize / careful SQL speed       $(first "$rs")  (target >= 3: $(verdict "$(first "$rs")" '>=' 3))"
	note "3c score summarize 2 workers / serial        $(first "$rpar")  (target >= 1.6: $(verdict "$(first "$rpar")" '>=' 1.6))"
fi

# ---------------------------------------------------------------- grouped
# hashagg NGROUPS AGG WORK_MEM: the hash aggregate's memory, batches and
# disk use, from EXPLAIN (ANALYZE, BUFFERS).
hashagg() {
	local col=g_small
	[ "$1" = "$groups_large" ] && col=g_large
	val "SET max_parallel_workers_per_gather = 0; SET enable_sort = off; SET work_mem = '$3';
		 CREATE TEMP TABLE IF NOT EXISTS plan (j json);
		 TRUNCATE plan;
		 DO \$\$ DECLARE j json; BEGIN
			EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT $col, $2 FROM bench.scores GROUP BY $col' INTO j;
			INSERT INTO plan VALUES (j);
		 END \$\$;
		 SELECT format('%s kB peak, %s bytes per group, batches %s, disk %s kB, planned partitions %s',
			   p->>'Peak Memory Usage',
			   round((p->>'Peak Memory Usage')::numeric * 1024 / $1),
			   p->>'HashAgg Batches', coalesce(p->>'Disk Usage', '0'), p->>'Planned Partitions')
		   FROM plan, LATERAL jsonb_path_query(j::jsonb, 'strict \$.**? (@.\"Node Type\" == \"Aggregate\")') p
		  LIMIT 1"
}

if want grouped; then
	heading "Grouped scoring: $score_rows rows into $groups_small and $groups_large groups (hash aggregation)"
	defwm=$(val "SELECT setting || unit FROM pg_settings WHERE name = 'work_mem'")
	hmm=$(val "SHOW hash_mem_multiplier")
	echo "   state: ideal.summarize runs on a 128-byte state in memory (IdealSummaryAcc, src/summary.h) and returns a $(val "SELECT pg_column_size(ideal.summarize(1.0::float8, 1.0::float8, 'A1'::ideal.grading))")-byte threat_summary (serialized for parallel plans: 4-byte header + that); SSPACE declared $(val "SELECT aggtransspace FROM pg_aggregate WHERE aggfnoid = 'ideal.summarize(float8, float8, ideal.grading)'::regprocedure") bytes"
	for ng in "$groups_small" "$groups_large"; do
		echo "   $ng groups, work_mem $defwm x hash_mem_multiplier $hmm (defaults):"
		echo "     summarize: $(hashagg "$ng" 'ideal.summarize(value, weight, grading)' "$defwm")"
		echo "     avg:       $(hashagg "$ng" 'avg(value)' "$defwm")"
		echo "     count(*):  $(hashagg "$ng" 'count(*)' "$defwm")"
		echo "   $ng groups, work_mem 2GB (no spill: memory per group):"
		echo "     summarize: $(hashagg "$ng" 'ideal.summarize(value, weight, grading)' 2GB)"
		echo "     avg:       $(hashagg "$ng" 'avg(value)' 2GB)"
		echo "     count(*):  $(hashagg "$ng" 'count(*)' 2GB)"
	done
	s_small=$(hashagg "$groups_small" 'ideal.summarize(value, weight, grading)' "$defwm")
	b_small=$(sed -n 's/.*batches \([0-9]*\).*/\1/p' <<<"$s_small")
	note "4  group summarize, $groups_small groups at default work_mem: batches $b_small (target: 1, no spill: $([ "$b_small" = 1 ] && echo met || echo MISSED))"
	pre=("SET max_parallel_workers_per_gather = 0" "SET enable_sort = off"
		"SET work_mem = '2GB'")
	for r in $(seq "$rounds"); do
		measure grouped avg "$r" "${pre[@]}" -- "SELECT sum(a) FROM (SELECT g_large, avg(value) AS a FROM bench.scores GROUP BY g_large) x"
		measure grouped summarize "$r" "${pre[@]}" -- "SELECT sum(ideal.n(s)) FROM (SELECT g_large, ideal.summarize(value, weight, grading) AS s FROM bench.scores GROUP BY g_large) x"
	done
	echo "   time with $groups_large groups (work_mem 2GB), CPU: avg $(median grouped avg) s, summarize $(median grouped summarize) s"
	echo "   speed summarize / avg(float8), grouped: $(both grouped summarize avg)"
fi
if want scoring || want grouped; then
	sql "DROP TABLE bench.scores"
fi

# ---------------------------------------------------------------- types
if want types; then
	heading "Type input: $type_rows strings cast to each type, against int4"
	sql "SET max_parallel_workers_per_gather = 0;
		 SELECT setseed(0.23);
		 CREATE TEMP TABLE forms AS
		 SELECT array_agg(f) AS countries FROM (
			SELECT CASE WHEN k < 6 THEN m.country::text WHEN k < 8 THEN ideal.country_alpha3(m.country)
						WHEN k < 9 THEN lower(m.country::text) ELSE lpad(ideal.country_numeric(m.country)::text, 3, '0') END AS f
			  FROM ideal.member m, generate_series(0, 9) k WHERE m.methodology = 'gitoc-2023') x;
		 CREATE TABLE bench.s_country AS
		 SELECT countries[1 + floor(random() * cardinality(countries))::int] AS s
		   FROM forms, generate_series(1, $type_rows);
		 CREATE TABLE bench.s_level AS
		 SELECT (ARRAY['nil', 'low', 'moderate', 'high', 'very high', 'Low', 'High', 'Very High',
					   'bajo', 'Bajo', 'moderado', 'Moderada', 'medio', 'alto', 'Alta', 'ALTO', 'muy alto', 'Muy Alta',
					   'nulo', 'baixo', 'Baixa', 'médio', 'Média', 'MÉDIO', 'muito alto', 'Muito Alta'])
				[1 + floor(random() * 26)::int] AS s
		   FROM generate_series(1, $type_rows);
		 CREATE TABLE bench.s_grading AS
		 SELECT CASE WHEN r < 0.55 THEN substr('ABCDEF', 1 + floor(random() * 6)::int, 1) || (1 + floor(random() * 6)::int)
					 WHEN r < 0.60 THEN substr('abcdef', 1 + floor(random() * 6)::int, 1) || (1 + floor(random() * 6)::int)
					 WHEN r < 0.75 THEN 'EU:' || substr('ABCX', 1 + floor(random() * 4)::int, 1) || (1 + floor(random() * 4)::int)
					 WHEN r < 0.80 THEN 'EU:' || substr('ABCX', 1 + floor(random() * 4)::int, 1) || (1 + floor(random() * 4)::int) || ':H' || floor(random() * 4)::int
					 WHEN r < 0.85 THEN 'X' || (1 + floor(random() * 4)::int)
					 WHEN r < 0.90 THEN 'UK3:' || (1 + floor(random() * 3)::int) || substr('ABCDE', 1 + floor(random() * 5)::int, 1) || ':P'
					 ELSE 'UK5:' || substr('ABCDE', 1 + floor(random() * 5)::int, 1) || (1 + floor(random() * 5)::int)
				END AS s
		   FROM (SELECT random() AS r FROM generate_series(1, $type_rows)) x;
		 CREATE TABLE bench.s_int4 AS
		 SELECT floor(random() * 1000000)::int::text AS s FROM generate_series(1, $type_rows)" >/dev/null
	sql "VACUUM (FREEZE, ANALYZE) bench.s_country, bench.s_level, bench.s_grading, bench.s_int4"
	echo "   strings: $(val "SELECT string_agg(format('%s avg %s bytes', t, a), ', ') FROM (SELECT 's_country' t, round(avg(length(s)), 1) a FROM (SELECT s FROM bench.s_country LIMIT 100000) x UNION ALL SELECT 's_level', round(avg(length(s)), 1) FROM (SELECT s FROM bench.s_level LIMIT 100000) x UNION ALL SELECT 's_grading', round(avg(length(s)), 1) FROM (SELECT s FROM bench.s_grading LIMIT 100000) x UNION ALL SELECT 's_int4', round(avg(length(s)), 1) FROM (SELECT s FROM bench.s_int4 LIMIT 100000) x) y")"
	pre="SET max_parallel_workers_per_gather = 0"
	for t in country level grading int4; do sql "SELECT count(s) FROM bench.s_$t" >/dev/null; done
	for r in $(seq "$rounds"); do
		measure types int4 "$r" "$pre" -- "SELECT count(s::int4) FROM bench.s_int4"
		measure types country "$r" "$pre" -- "SELECT count(s::ideal.country) FROM bench.s_country"
		measure types threat_level "$r" "$pre" -- "SELECT count(s::ideal.threat_level) FROM bench.s_level"
		measure types grading "$r" "$pre" -- "SELECT count(s::ideal.grading) FROM bench.s_grading"
		for t in country level grading int4; do
			measure types "scan_$t" "$r" "$pre" -- "SELECT count(s) FROM bench.s_$t"
		done
		echo "   round $r: $(val "SELECT string_agg(variant || ' ' || to_char(cpu, 'FM9990.000') || '/' || to_char(seconds, 'FM9990.000') || ' s', ', ' ORDER BY at) FROM bench.timing WHERE section = 'types' AND round = $r"); load $(load1)"
	done
	echo "   medians:"
	for v in int4 country threat_level grading scan_int4 scan_country scan_level scan_grading; do show types "$v"; done
	tint=$(median types int4); sint=$(median types scan_int4)
	for v in country threat_level grading; do
		t=$(median types "$v")
		case $v in threat_level) s=$(median types scan_level) ;; *) s=$(median types "scan_$v") ;; esac
		rt=$(ratio types "$v" int4)
		net=$(awk -v t="$t" -v s="$s" -v ti="$tint" -v si="$sint" -v n="$type_rows" 'BEGIN { printf "%.1f ns per string (int4 %.1f ns)", (t - s) * 1e9 / n, (ti - si) * 1e9 / n }')
		echo "   $v: speed / int4 $(both types "$v" int4)"
		echo "     target >= 0.8: $(verdict "$(first "$rt")" '>=' 0.8); cast alone (CPU, minus the scan) $net"
		note "5  type   ${v} cast / int4 cast speed $(printf '%*s' $((14 - ${#v})) '')$(first "$rt")  (target >= 0.8: $(verdict "$(first "$rt")" '>=' 0.8))"
	done
	sql "DROP TABLE bench.s_country, bench.s_level, bench.s_grading, bench.s_int4"
fi

# ---------------------------------------------------------------- e2e
if want e2e; then
	heading "End to end: 11 countries x $e2e_groups groups x IDEAL 2.0, CSV files to the regional picture"
	"${psql_[@]}" -v tab=bench.e2e_src -v cycle=E2E/2025 -v groups="$e2e_groups" \
		-v seed=0.31 -f "$here/sql/gen_observations.sql" >/dev/null
	for cc in $(val "SELECT DISTINCT member FROM bench.e2e_src ORDER BY 1"); do
		sql "COPY (SELECT cycle, country, subject, indicator, answer, grading FROM bench.e2e_src
				  WHERE member = '$cc' ORDER BY ord)
			 TO '$dir/observations_$cc.csv' WITH (FORMAT csv, HEADER true)"
	done
	groups_csv bench.e2e_src E2E/2025 "$dir/groups.csv"
	n=$(val "SELECT count(*) FROM bench.e2e_src")
	ng=$(($(wc -l <"$dir/groups.csv") - 1))
	sql "DROP TABLE bench.e2e_src;
		 INSERT INTO ideal.cycle (code, methodology) VALUES ('E2E/2025', 'ideal-2.0');
		 CREATE TABLE bench.e2e_subject (LIKE ideal.subject INCLUDING ALL);
		 CREATE TABLE bench.e2e_obs (LIKE ideal.observation INCLUDING ALL)"
	echo "   files: groups.csv ($ng groups) and 11 observations_CC.csv ($n observations, $(du -cm "$dir"/observations_*.csv | tail -1 | cut -f1) MB)"
	# copies TABLE_SUBJECT TABLE_OBS: the COPY statements of the job
	copies() {
		copy=("COPY $1 $gcols FROM '$dir/groups.csv' WITH (FORMAT csv, HEADER true)")
		for f in "$dir"/observations_*.csv; do
			copy+=("COPY $2 $ocols FROM '$f' WITH (FORMAT csv, HEADER true)")
		done
	}
	picture=("SELECT * FROM ideal.regional_picture WHERE cycle = 'E2E/2025' ORDER BY rank, crime_area"
		"SELECT * FROM ideal.group_ranking WHERE cycle = 'E2E/2025' AND rank <= 10 ORDER BY rank, country, ref")
	for r in $(seq "$rounds"); do
		copies bench.e2e_subject bench.e2e_obs
		measure e2e bare "$r" "TRUNCATE bench.e2e_subject, bench.e2e_obs" CHECKPOINT -- "${copy[@]}"
		copies ideal.subject ideal.observation
		measure e2e ideal_load "$r" "${empty_obs[@]}" "TRUNCATE ideal.subject" CHECKPOINT -- "${copy[@]}" \
			"ANALYZE ideal.subject, ideal.observation"
		measure e2e ideal_picture "$r" -- "${picture[@]}"
		sql "INSERT INTO bench.timing (section, variant, round, seconds, cpu)
			 SELECT 'e2e', 'ideal', $r, sum(seconds), sum(cpu) FROM bench.timing
			  WHERE section = 'e2e' AND round = $r AND variant IN ('ideal_load', 'ideal_picture')"
		echo "   round $r: $(val "SELECT string_agg(variant || ' ' || to_char(cpu, 'FM9990.000') || '/' || to_char(seconds, 'FM9990.000') || ' s', ', ' ORDER BY at) FROM bench.timing WHERE section = 'e2e' AND round = $r"); load $(load1)"
	done
	echo "   check: $(val "SELECT count(*) FROM ideal.observation") observations loaded; regional picture:"
	"${psql_[@]}" -c "SELECT rank, crime_area, countries, round(score::numeric, 3) AS score, level FROM ideal.regional_picture WHERE cycle = 'E2E/2025' ORDER BY rank, crime_area" | sed 's/^/     /'
	re=$(ratio e2e bare ideal)
	for v in bare ideal_load ideal_picture ideal; do show e2e "$v" "$n"; done
	echo "   time ideal (load + picture) / bare COPY: $(both e2e bare ideal)"
	note "6  e2e    ideal (load + picture) / bare COPY $(first "$re")  (wall $(median e2e ideal wall) s against $(median e2e bare wall) s)"
	sql "DROP TABLE bench.e2e_subject, bench.e2e_obs;
		 SET session_replication_role = replica; TRUNCATE ideal.subject, ideal.observation"
fi

echo
echo "== Summary (medians of per-round ratios; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
for s in "${summary[@]}"; do echo "   $s"; done
