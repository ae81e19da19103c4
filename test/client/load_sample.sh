#!/usr/bin/env bash
# Loads the data the client and dump suites read into database "$1":
#   - test/sample (IDEAL 2.0 template, fictional): cycle IDEAL-2.0/2022,
#     24 groups, five countries' answers in reject mode (one bad row);
#   - a Sleipnir cycle with one group answering "high" everywhere;
#   - with $IDEAL_SHARED set: the GI-TOC 2023 Americas scores, cycle
#     gitoc-2023, the indicator rows only (the published summary rows are
#     what the scores are checked against).
# Needs PGHOST etc. set (pg_virtualenv) and the extension created.
set -euo pipefail
db=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sample=$root/test/sample
psql=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")

"${psql[@]}" <<SQL
INSERT INTO ideal.cycle (code, methodology, title)
	VALUES ('IDEAL-2.0/2022', 'ideal-2.0', 'Sample cycle (fictional data)');
\copy ideal.subject (cycle, country, ref, name, typology, primary_area, crime_areas, operates_in) FROM '$sample/groups.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ideal.cycle (code, methodology) VALUES ('SLEIPNIR/T', 'sleipnir');
INSERT INTO ideal.subject (cycle, country, ref, name)
	VALUES ('SLEIPNIR/T', 'CA', 'CA-ALLHIGH', 'Test group, all answers High');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'SLEIPNIR/T', 'CA', 'CA-ALLHIGH', i.code, 'high'
  FROM ideal.indicator i WHERE i.methodology = 'sleipnir';
SQL
for f in "$sample"/observations_*.csv; do
	"${psql[@]}" -c "SET ideal.on_invalid = 'reject'" \
		-c "\\copy ideal.observation (cycle, country, subject, indicator, answer, grading) FROM '$f' WITH (FORMAT csv, HEADER true)"
done

if [ -n "${IDEAL_SHARED:-}" ] && [ -f "$IDEAL_SHARED/data/ocindex/ocindex_2023_americas.csv" ]; then
	"${psql[@]}" <<SQL
INSERT INTO ideal.cycle (code, methodology) VALUES ('gitoc-2023', 'gitoc-2023');
CREATE TEMP TABLE oc_input (edition text, country_iso3 text, country_name text,
	region text, indicator_group text, indicator text, score text);
\copy oc_input FROM '$IDEAL_SHARED/data/ocindex/ocindex_2023_americas.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'gitoc-2023', country_iso3::ideal.country, country_iso3, indicator, score
  FROM oc_input WHERE indicator_group <> 'summary';
SQL
fi
