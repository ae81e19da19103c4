#!/usr/bin/env bash
# The demo assessment, run inside pg_virtualenv by test/run-demo.sh.
#   no argument: IDEAL 2.0 cycle on test/sample, regional picture, top groups
#   FILE.csv:    Organized Crime Index scores in long form, countries ranked
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=$root/test/sample
psql=(psql -X -q -v ON_ERROR_STOP=1 -d postgres)

"${psql[@]}" -c "CREATE EXTENSION ideal"

if [ $# -eq 0 ]; then
	echo "== IDEAL 2.0 demo: bundled sample submissions ($sample)"
	"${psql[@]}" <<SQL
SET search_path = ideal, public;
INSERT INTO ideal.cycle (code, methodology, title)
	VALUES ('IDEAL-2.0/2022', 'ideal-2.0', 'IDEAL 2.0 demo cycle (fictional data)');
\copy ideal.subject_intake (cycle, country, ref, name, typology, primary_area, crime_areas, operates_in) FROM '$sample/groups.csv' WITH (FORMAT csv, HEADER true)
SET ideal.on_invalid = 'reject';
SQL
	for f in "$sample"/observations_*.csv; do
		n=$(($(wc -l <"$f") - 1))
		printf '%-28s %4d rows sent\n' "$(basename "$f")" "$n"
		"${psql[@]}" -c "SET ideal.on_invalid = 'reject'" \
			-c "\\copy ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM '$f' WITH (FORMAT csv, HEADER true)"
	done
	"${psql[@]}" <<'SQL'
SET search_path = ideal, public;
\echo
\echo == Rows loaded and rejected
SELECT (SELECT count(*) FROM ideal.observation) AS loaded,
       (SELECT count(*) FROM ideal.rejected) AS rejected;
\echo
\echo == The rejected row and why (it stays in ideal.rejected until fixed and reloaded)
\x on
SELECT target, country, subject, indicator, answer, sqlstate, message, detail, hint
  FROM ideal.rejected;
\x off
\echo == Regional picture: crime areas ranked
SELECT rank, crime_area, countries, round(score::numeric, 2) AS score,
       level, round(confidence::numeric, 2) AS confidence
  FROM ideal.regional_picture
 WHERE cycle = 'IDEAL-2.0/2022'
 ORDER BY rank, crime_area;
\echo == Top ten criminal groups
SELECT rank, country, ref, name, typology, primary_area,
       round(score, 2) AS score, level, round(coverage::numeric, 2) AS coverage
  FROM ideal.group_ranking
 WHERE cycle = 'IDEAL-2.0/2022'
 ORDER BY rank, country, ref
 LIMIT 10;
SQL
	exit 0
fi

csv=$1
echo "== Organized Crime Index file: $csv"
"${psql[@]}" <<SQL
SET search_path = ideal, public;
CREATE TEMP TABLE oc_input (
	edition text, country_iso3 text, country_name text, region text,
	indicator_group text, indicator text, score text);
\copy oc_input FROM '$csv' WITH (FORMAT csv, HEADER true)
DO \$\$
DECLARE
	e text;
BEGIN
	FOR e IN SELECT DISTINCT edition FROM oc_input ORDER BY 1 LOOP
		IF NOT EXISTS (SELECT 1 FROM ideal.methodology WHERE code = 'gitoc-' || e) THEN
			RAISE EXCEPTION 'no methodology for edition "%"', e
				USING HINT = 'Bundled editions: 2021, 2023, 2025.';
		END IF;
		INSERT INTO ideal.cycle (code, methodology) VALUES ('gitoc-' || e, 'gitoc-' || e);
	END LOOP;
END \$\$;
SET ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'gitoc-' || edition, country_iso3::ideal.country, country_iso3,
       indicator, score
  FROM oc_input
 WHERE indicator_group <> 'summary' AND ideal.is_valid_country(country_iso3);
\echo
\echo == Observations loaded (published summary rows are not input)
SELECT cycle, count(*) AS observations, count(DISTINCT country) AS countries
  FROM ideal.observation GROUP BY cycle ORDER BY cycle;
\echo == Rows refused
SELECT 'not an ISO 3166-1 country code' AS reason, count(*) AS rows
  FROM oc_input
 WHERE indicator_group <> 'summary' AND NOT ideal.is_valid_country(country_iso3)
UNION ALL
SELECT message, count(*) FROM ideal.rejected GROUP BY message;
\echo == Countries ranked by criminality, top 20 per edition (bands: project presentation)
SELECT cycle, rank, iso3, country, criminality, resilience, level
  FROM (SELECT s.cycle,
               rank() OVER (PARTITION BY s.cycle ORDER BY s.score DESC) AS rank,
               ideal.country_alpha3(s.country) AS iso3,
               ideal.country_name(s.country, 'en') AS country,
               round(s.score, 2) AS criminality,
               round(r.score, 2) AS resilience, s.level
          FROM ideal.subject_score s
          LEFT JOIN ideal.subject_score r
            ON r.cycle = s.cycle AND r.subject = s.subject
           AND r.composite = 'resilience'
         WHERE s.composite = 'criminality') ranked
 WHERE rank <= 20
 ORDER BY cycle, rank, iso3;
SQL
