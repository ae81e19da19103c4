#!/usr/bin/env bash
# pg_dump -Fc, then pg_restore into a fresh database: the same methodologies
# (a user's one loaded from a file; the bundled ones come back from CREATE
# EXTENSION, not from the dump), cycles, groups, observations, rejected rows,
# history, sequences, and the same results from every view of ideal and
# ideal_bi.  Results are compared row by row, as text.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
tmp=$(mktemp -d)
src=ideal_dump_src
dbs=("$src" ideal_dump_plain ideal_dump_replica ideal_dump_sql ideal_dump_parallel)
cleanup() {
	for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cleanup
mkdir -p "$tmp"
psql_at() {	# psql_at DB [psql args]
	local d=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@"
}

# --- the source database -------------------------------------------------
cat >"$tmp/dump-test.yaml" <<'YAML'
# A user's methodology, loaded from a file (not bundled): its catalog rows
# must travel in the dump.
methodology: dump-test-1
version: "1"
title: {en: Dump test, es: Prueba de volcado, pt: Teste de backup}
languages: [en, es, pt]
scales:
  rating:
    kind: ordinal
    levels:
      - {code: low, value: 1, labels: {en: Low, es: Bajo, pt: Baixo}}
      - {code: high, value: 3, labels: {en: High, es: Alto, pt: Elevado}}
    unknown: {labels: {en: Unknown, es: Desconocido, pt: Desconhecido}}
subject_kinds: [group, crime_area]
crime_areas:
  - {code: fraud, labels: {en: Fraud, es: Fraude, pt: Fraude}}
typologies:
  - {code: ring, labels: {en: Ring, es: Banda, pt: Quadrilha}}
indicators:
  - {code: reach, kind: group, scale: rating, weight: 2, required: true,
     labels: {en: Reach, es: Alcance, pt: Abrangência}}
  - {code: harm, kind: group, scale: rating, labels: {en: Harm, es: Daño, pt: Dano}}
  - {code: size, kind: crime_area, scale: rating, required: true,
     labels: {en: Size, es: Tamaño, pt: Tamanho}}
composites:
  - {code: threat, method: weighted_mean, of: [reach, harm],
     labels: {en: Threat, es: Amenaza, pt: Ameaça}}
  - {code: area, method: mean, of: [size], labels: {en: Area, es: Área, pt: Área}}
bands:
  - composite: threat
    levels: [{level: low, from: 0}, {level: high, from: 2}]
  - composite: area
    levels: [{level: low, from: 0}, {level: high, from: 2}]
members: [MX, CR]
YAML

setup() {
	createdb "$src" &&
	psql_at "$src" -c "CREATE EXTENSION ideal" &&
	psql_at "$src" -v file="$tmp/dump-test.yaml" <<'SQL' &&
\set yaml `cat :file`
SELECT ideal.load_methodology(:'yaml');
SQL
	bash "$root/test/client/load_sample.sh" "$src" &&
	psql_at "$src" <<'SQL'
SET search_path = ideal, public;
INSERT INTO ideal.cycle (code, methodology, title)
	VALUES ('DUMP/1', 'dump-test-1', 'Dump test cycle');
INSERT INTO ideal.subject (cycle, country, ref, name, typology, primary_area,
						   crime_areas, operates_in)
	VALUES ('DUMP/1', 'MX', 'MX-R1', 'Anillo de prueba', 'ring', 'fraud', '{}', '{MX,CR}'),
		   ('DUMP/1', 'CR', 'CR-R1', NULL, 'ring', 'fraud', '{}', '{CR}');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
	VALUES ('DUMP/1', 'MX', 'MX-R1', 'Alcance', 'alto', 'B2'),
		   ('DUMP/1', 'MX', 'MX-R1', 'harm', 'Bajo', NULL),
		   ('DUMP/1', 'MX', 'fraud', 'size', 'Elevado', 'A1'),
		   ('DUMP/1', 'CR', 'CR-R1', 'reach', 'desconocido', 'EU:B2:H1');
SET ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('DUMP/1', 'CR', 'CR-R1', 'harm', 'medium'),
		   ('DUMP/1', 'BR', 'BR-R1', 'harm', 'low');
RESET ideal.on_invalid;
-- a figure reported with the submission
INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('DUMP/1', 'dump-test-1', 'MX', 'Fraude', 'cases', 'Counts', 2022, '1.234', 'dump test');
-- changes in an open cycle: history, where the intake keeps it
UPDATE ideal.observation SET answer = 'high' WHERE cycle = 'DUMP/1' AND subject = 'MX-R1' AND indicator = 'harm';
DELETE FROM ideal.observation WHERE cycle = 'IDEAL-2.0/2022' AND country = 'MX' AND subject = 'MX-006' AND indicator = 'longevity';
SQL
}
setup >"$tmp/setup.out" 2>&1 || { diag "$(cat "$tmp/setup.out")"; bail "source database loaded"; }
ok 0 "source database: a user methodology from a file, $(psql_at "$src" -c "SELECT count(*) FROM ideal.cycle") cycles, $(psql_at "$src" -c "SELECT count(*) FROM ideal.observation") observations, $(psql_at "$src" -c "SELECT count(*) FROM ideal.rejected") rejected rows"

# --- comparison ----------------------------------------------------------
# Every registered table, as the dump filters it, row by row; the bundled
# methodologies by code and checksum (CREATE EXTENSION reloads them, with a
# new loaded_at); every sequence; every view of ideal and ideal_bi.
snapshot() {	# snapshot DB DIR
	local d=$1 out=$2 rel cond
	mkdir -p "$out"
	psql_at "$d" -F $'\t' -c "
		SELECT c.oid::regclass, coalesce(x.cond, '')
		  FROM pg_extension e,
			   unnest(e.extconfig, e.extcondition) AS x(oid, cond)
		  JOIN pg_class c ON c.oid = x.oid
		 WHERE e.extname = 'ideal' AND c.relkind = 'r' ORDER BY 1" |
	while IFS=$'\t' read -r rel cond; do
		psql_at "$d" -c "SELECT replace(t::text, E'\\n', '\\n') FROM ONLY $rel t $cond ORDER BY 1" >"$out/table $rel"
	done
	psql_at "$d" -c "SELECT code, version, sha256, bundled FROM ideal.methodology ORDER BY 1" >"$out/methodologies"
	psql_at "$d" -c "SELECT c.oid::regclass FROM pg_class c
		WHERE c.relkind = 'S' AND c.relnamespace = 'ideal'::regnamespace ORDER BY 1" |
	while read -r rel; do
		psql_at "$d" -c "SELECT last_value, is_called FROM $rel" >"$out/sequence $rel"
	done
	psql_at "$d" -c "SELECT c.oid::regclass FROM pg_class c
		WHERE c.relkind = 'v' AND c.relnamespace IN ('ideal'::regnamespace, 'ideal_bi'::regnamespace)
		ORDER BY 1" |
	while read -r rel; do
		# a bundled methodology's loaded_at is the time of CREATE EXTENSION;
		# whether stored scores are current is checked apart, below
		psql_at "$d" -c "SELECT (to_jsonb(v) - CASE '$rel'
				WHEN 'ideal_bi.methodology' THEN '{loaded_at}'::text[]
				WHEN 'ideal.score_snapshot_status' THEN '{current,note}'
				WHEN 'ideal_bi.stored_subject_score' THEN '{is_current}'
				ELSE '{}' END)::text FROM $rel v ORDER BY 1" >"$out/view $rel" 2>&1
	done
}

compare() {	# compare DIR-A DIR-B LABEL
	local a=$1 b=$2 label=$3 f name st bad=0 n=0
	for f in "$a"/*; do
		name=$(basename "$f")
		if cmp -s "$f" "$b/$name"; then st=0; else st=1; bad=1; fi
		case $name in
		view*)	# the views: one line for all of them, below
			n=$((n + 1))
			[ "$st" -eq 0 ] || diag "differs: $name" "$(diff "$f" "$b/$name" 2>&1 | head -n 4)"
			;;
		*)
			ok "$st" "$label: $name, $(wc -l <"$f") rows"
			[ "$st" -eq 0 ] || diag "$(diff "$f" "$b/$name" 2>&1 | head -n 6)"
			;;
		esac
	done
	ok "$bad" "$label: all $n views of ideal and ideal_bi give the same rows (scores included)"
}

restore() {	# restore DUMP DB [env...]: pg_restore into a fresh database
	local dump=$1 d=$2
	shift 2
	createdb "$d" || return 1
	env "$@" pg_restore -d "$d" "$dump" >"$tmp/restore-$d.err" 2>&1
}

# --- dump ----------------------------------------------------------------
psql_at "$src" >/dev/null <<'SQL'
UPDATE ideal.cycle SET status = 'closed' WHERE code IN ('DUMP/1', 'SLEIPNIR/T');
UPDATE ideal.cycle SET status = 'published' WHERE code = 'SLEIPNIR/T';
SELECT ideal.refresh_scores('SLEIPNIR/T');
SQL
ok $? "cycles DUMP/1 closed and SLEIPNIR/T published (its scores stored); IDEAL-2.0/2022 and gitoc-2023 open"
pg_dump -Fc -f "$tmp/src.dump" "$src" 2>"$tmp/dump.err"
ok $? "pg_dump -Fc of the source database"
[ -s "$tmp/dump.err" ] && diag "$(cat "$tmp/dump.err")"
toc=$(pg_restore -l "$tmp/src.dump" | grep -c 'TABLE DATA ideal ')
configured=$(psql_at "$src" -c "SELECT count(*) FROM pg_extension e, unnest(e.extconfig) c
	WHERE e.extname = 'ideal' AND (SELECT relkind FROM pg_class WHERE oid = c) = 'r'")
is "$toc" "$configured" "the dump holds the data of all $configured tables registered with pg_extension_config_dump"
snapshot "$src" "$tmp/src"

# --- a plain pg_restore, as DBAs run it ------------------------------------
# The extension's triggers are on while the data is restored (CREATE
# EXTENSION made them): they let the dumped rows through because each says
# checked = true and pg_restore runs as the superuser.
restore "$tmp/src.dump" ideal_dump_plain
st=$?
ok "$st" "plain pg_restore into a fresh database, no options"
[ "$st" -eq 0 ] || diag "$(grep -m 6 -E 'ERROR|DETAIL' "$tmp/restore-ideal_dump_plain.err")"
is "$(psql_at ideal_dump_plain -c "SELECT count(*) FROM ideal.methodology WHERE bundled")" \
	"$(psql_at "$src" -c "SELECT count(*) FROM ideal.methodology WHERE bundled")" \
	"bundled methodologies come from CREATE EXTENSION once, not also from the dump"
snapshot ideal_dump_plain "$tmp/plain"
compare "$tmp/src" "$tmp/plain" "restored"

# Stored scores: currency goes by the cycle's revision, which the dump keeps.
status_of() {
	psql_at "$1" -c "SELECT string_agg(cycle || ' ' || current, ', ' ORDER BY cycle)
		FROM ideal.score_snapshot_status"
}
is "$(status_of ideal_dump_plain)" "$(status_of "$src")" \
	"whether each cycle's stored scores are current is the same after the restore"
case $(status_of ideal_dump_plain) in *'SLEIPNIR/T true'*) st=0 ;; *) st=1 ;; esac
ok "$st" "the published cycle's stored scores are current after the restore"

# the restored database goes on
out=$(psql_at ideal_dump_plain -c "SET search_path = ideal, public;
	INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('IDEAL-2.0/2022', 'MX', 'MX-006', 'longevity', 'alto')
	RETURNING id > (SELECT max(id) FROM ideal.observation WHERE cycle <> 'IDEAL-2.0/2022' OR subject <> 'MX-006' OR indicator <> 'longevity')" 2>&1)
is "$out" t "a new answer in the open cycle is validated and gets a fresh id (sequence restored)"
out=$(psql_at ideal_dump_plain -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('IDEAL-2.0/2022', 'MX', 'MX-006', 'violence', 'enormous')" 2>&1)
case $out in *'not on the scale'*) st=0 ;; *) st=1 ;; esac
ok "$st" "and a bad one is still refused"
[ "$st" -eq 0 ] || diag "$out"
out=$(psql_at ideal_dump_plain -c "UPDATE ideal.observation SET answer = 'low' WHERE cycle = 'DUMP/1' AND indicator = 'reach' AND subject = 'MX-R1'" 2>&1)
case $out in *'cycle "DUMP/1" is closed'*) st=0 ;; *) st=1 ;; esac
ok "$st" "the closed cycle still refuses changes"
[ "$st" -eq 0 ] || diag "$out"
out=$(psql_at ideal_dump_plain -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('DUMP/1', 'MX', 'fraud', 'size', 'low')" 2>&1)
case $out in *'cycle "DUMP/1" is closed'*) st=0 ;; *) st=1 ;; esac
ok "$st" "and new answers"
out=$(psql_at ideal_dump_plain -v file="$tmp/dump-test.yaml" 2>/dev/null <<'SQL'
\set yaml `cat :file`
SELECT ideal.load_methodology(:'yaml');
SQL
)
is "$out" dump-test-1 "reloading the user's methodology file is a no-op (same checksum after restore)"

# --- a plain-text dump replayed with psql ------------------------------------
pg_dump -f "$tmp/src.sql" "$src" 2>"$tmp/dump-sql.err" &&
	createdb ideal_dump_sql &&
	psql -X -q -v ON_ERROR_STOP=1 -d ideal_dump_sql -f "$tmp/src.sql" >"$tmp/restore-sql.err" 2>&1
st=$?
ok "$st" "pg_dump in plain format, replayed with psql -f into a fresh database"
[ "$st" -eq 0 ] || diag "$(grep -m 6 -E 'ERROR|DETAIL' "$tmp/restore-sql.err")"
snapshot ideal_dump_sql "$tmp/sql"
st=0
diff -r "$tmp/plain" "$tmp/sql" >/dev/null || st=1
ok "$st" "replayed: every table, sequence and view as pg_restore gave them"

# --- the restore of 0.1.0's README: triggers off in the restoring session ----
restore "$tmp/src.dump" ideal_dump_replica PGOPTIONS="-c session_replication_role=replica"
ok $? "pg_restore with session_replication_role = replica still works"
snapshot ideal_dump_replica "$tmp/replica"
st=0
diff -r "$tmp/plain" "$tmp/replica" >/dev/null || st=1
ok "$st" "and gives the same database"

# --- a parallel restore: the foreign keys between the extension's tables
# exist before the data, so triggers are off as the README says -----------
createdb ideal_dump_parallel &&
	PGOPTIONS="-c session_replication_role=replica" pg_restore -j 3 \
		-d ideal_dump_parallel "$tmp/src.dump" >"$tmp/restore-ideal_dump_parallel.err" 2>&1
ok $? "pg_restore -j 3 with session_replication_role = replica"
[ -s "$tmp/restore-ideal_dump_parallel.err" ] && diag "$(head -n 6 "$tmp/restore-ideal_dump_parallel.err")"
snapshot ideal_dump_parallel "$tmp/parallel"
st=0
diff -r "$tmp/plain" "$tmp/parallel" >/dev/null || st=1
ok "$st" "and gives the same database"

done_testing
