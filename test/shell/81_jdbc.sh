#!/usr/bin/env bash
# JDBC client (pgJDBC, OpenJDK 17): the BI views as a BI tool sees them.
# Loads test/sample (and the GI-TOC 2023 Americas scores when shared data is
# present), writes what the views must return from the input files
# themselves, then runs test/client/BiClient.java, which prints the TAP.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
jar=/usr/share/java/postgresql.jar
db=ideal_jdbc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
psql=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db")

for cmd in javac java; do
	command -v "$cmd" >/dev/null || bail "$cmd is installed (openjdk-17-jdk-headless)"
done
[ -f "$jar" ] || bail "$jar is installed (libpostgresql-jdbc-java)"

javac -d "$tmp" -cp "$jar" "$root/test/client/BiClient.java" 2>"$tmp/javac.err" ||
	{ diag "$(cat "$tmp/javac.err")"; bail "BiClient.java compiles"; }

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" && psql -X -q -d "$db" -c "CREATE EXTENSION ideal" >/dev/null ||
	bail "database $db with the extension"
bash "$root/test/client/load_sample.sh" "$db" >"$tmp/load.out" 2>&1 ||
	{ diag "$(cat "$tmp/load.out")"; bail "sample data loads"; }

exp=$tmp/expected.tsv
sample=$root/test/sample
{
	# the views and how many rows each has, from the server's catalog
	"${psql[@]}" -F $'\t' -c "SELECT 'view', c.relname FROM pg_class c
		WHERE c.relnamespace = 'ideal_bi'::regnamespace AND c.relkind = 'v'"
	for v in $("${psql[@]}" -c "SELECT relname FROM pg_class
			WHERE relnamespace = 'ideal_bi'::regnamespace AND relkind = 'v'
			  AND relname NOT IN ('observation', 'criminal_group', 'rejected_row', 'threat_level')"); do
		printf 'rows\t%s\t%s\n' "$v" "$("${psql[@]}" -c "SELECT count(*) FROM ideal_bi.$v")"
	done

	# from the input files: rows sent less the one bad row (test/sample/README.md),
	# 19 Sleipnir answers, the GI-TOC indicator rows
	sent=0
	for f in "$sample"/observations_*.csv; do
		sent=$((sent + $(wc -l <"$f") - 1))
	done
	gitoc=0
	csv=${IDEAL_SHARED:+$IDEAL_SHARED/data/ocindex/ocindex_2023_americas.csv}
	if [ -n "$csv" ] && [ -f "$csv" ]; then
		"${psql[@]}" -c "CREATE TABLE oc_raw (edition text, iso3 text, name text,
			region text, indicator_group text, indicator text, score text)"
		"${psql[@]}" -c "\\copy oc_raw FROM '$csv' WITH (FORMAT csv, HEADER true)"
		gitoc=$("${psql[@]}" -c "SELECT count(*) FROM oc_raw WHERE indicator_group <> 'summary'")
	fi
	printf 'rows\tobservation\t%s\n' $((sent - 1 + 19 + gitoc))
	# the sample's groups and load_sample.sh's Sleipnir group
	printf 'rows\tcriminal_group\t%s\n' $(($(wc -l <"$sample/groups.csv") - 1 + 1))
	printf 'rows\trejected_row\t1\n'
	printf 'rows\tthreat_level\t5\n'

	q="SELECT count(*) FROM ideal_bi.observation WHERE cycle_code = 'IDEAL-2.0/2022'"
	printf 'check\ten\tsample answers loaded: rows sent less the bad row\t%s\t%s\n' $((sent - 1)) "$q"
	printf 'check\ten\tthe bad row of the sample is kept in rejected_row\t%s\t%s\n' \
		'EC EC-005 violence altísimo' \
		"SELECT concat_ws(' ', country_code, subject_code, indicator_code, answer) FROM ideal_bi.rejected_row"
	printf 'check\ten\tdrug trafficking tops the sample regional picture\t%s\t%s\n' \
		drug_trafficking "SELECT crime_area_code FROM ideal_bi.regional_picture WHERE cycle_code = 'IDEAL-2.0/2022' AND rank = 1"
	printf 'check\ten\tBrazil: environmental crime is its top crime area\t%s\t%s\n' \
		environmental_crime "SELECT subject_code FROM ideal_bi.subject_score WHERE cycle_code = 'IDEAL-2.0/2022' AND country_code = 'BR' AND subject_kind = 'crime_area' AND is_headline ORDER BY score DESC LIMIT 1"
	printf 'check\ten\tSleipnir: all High scores 4 x 190 = 760\t%s\t%s\n' \
		760.00 "SELECT round(score, 2)::text FROM ideal_bi.subject_score WHERE cycle_code = 'SLEIPNIR/T' AND is_headline"
	# crime area labels as the YAML file spells them
	for lang in en es pt; do
		label=$(grep -A1 'code: drug_trafficking' "$root/yaml/ideal-2.0.yaml" |
			sed -n "s/.*[{ ]$lang: \([^,}]*\)[,}].*/\1/p")
		printf 'check\t%s\tcrime area label from the YAML file\t%s\t%s\n' "$lang" "$label" \
			"SELECT crime_area_name FROM ideal_bi.regional_picture WHERE crime_area_code = 'drug_trafficking'"
	done
	# threat levels in the three languages (README: input words)
	printf 'check\ten\tlevel 4 in English\tvery high\tSELECT level_name FROM ideal_bi.threat_level WHERE level_ordinal = 4\n'
	printf 'check\tes\tlevel 4 in Spanish\tmuy alto\tSELECT level_name FROM ideal_bi.threat_level WHERE level_ordinal = 4\n'
	printf 'check\tpt\tlevel 4 in Portuguese\tmuito alto\tSELECT level_name FROM ideal_bi.threat_level WHERE level_ordinal = 4\n'
	printf 'check\tes\tlevel 1 in Spanish\tbajo\tSELECT level_name FROM ideal_bi.threat_level WHERE level_ordinal = 1\n'
	printf 'check\tpt\tlevel codes stay English\tvery high\tSELECT level_code FROM ideal_bi.threat_level WHERE level_ordinal = 4\n'
	printf 'check\tes\tgroup levels: name in Spanish, code in English, ordinal agree\t%s\t%s\n' 0 \
		"SELECT count(*) FROM ideal_bi.group_ranking g JOIN ideal_bi.threat_level l USING (level_ordinal) WHERE g.level_code <> l.level_code OR g.level_name <> l.level_name"
	printf 'check\tes\tcountry names in Spanish\tMéxico\tSELECT country_name FROM ideal_bi.member WHERE methodology_code = %s AND country_code = %s\n' "'ideal-2.0'" "'MX'"
	printf 'check\ten\tcountry names in English\tMexico\tSELECT country_name FROM ideal_bi.member WHERE methodology_code = %s AND country_code = %s\n' "'ideal-2.0'" "'MX'"

	# GI-TOC: the published criminality and resilience of every country
	if [ "$gitoc" -gt 0 ]; then
		"${psql[@]}" -F $'\t' -c "
			SELECT 'check', 'en',
				   format('GI-TOC 2023 published %s of %s', lower(indicator), iso3),
				   to_char(score::numeric, 'FM990.00'),
				   format('SELECT to_char(round(score, 2), ''FM990.00'') FROM ideal_bi.subject_score WHERE cycle_code = ''gitoc-2023'' AND country_alpha3 = %L AND composite_code = %L',
						  iso3, lower(indicator))
			  FROM oc_raw
			 WHERE indicator_group = 'summary' AND indicator IN ('Criminality', 'Resilience')
			 ORDER BY iso3, indicator"
		"${psql[@]}" -c "DROP TABLE oc_raw"
	fi
} >"$exp" 2>"$tmp/exp.err" || { diag "$(cat "$tmp/exp.err")"; bail "expectations written"; }

java -cp "$jar:$tmp" BiClient "$db" "$exp"
