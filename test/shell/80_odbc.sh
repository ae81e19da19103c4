#!/usr/bin/env bash
# ODBC client (unixODBC isql, psqlODBC driver): the BI views as a BI tool
# sees them through ODBC: SQLTables, SQLColumns (isql's "help"), reading each
# view, values in the chosen language, and the extension's own types
# arriving as text.  The DSN lives in temporary odbcinst.ini / odbc.ini files
# pointing at the throwaway cluster; a DSN-less connection is tried as well.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
db=ideal_odbc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
psql=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db")

command -v isql >/dev/null || bail "isql is installed (unixodbc)"
driver=$(dpkg -L odbc-postgresql 2>/dev/null | grep '/psqlodbcw\.so$' | head -n1)
[ -n "$driver" ] && [ -f "$driver" ] || bail "the psqlODBC Unicode driver is installed (odbc-postgresql)"

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" && psql -X -q -d "$db" -c "CREATE EXTENSION ideal" >/dev/null ||
	bail "database $db with the extension"
bash "$root/test/client/load_sample.sh" "$db" >"$tmp/load.out" 2>&1 ||
	{ diag "$(cat "$tmp/load.out")"; bail "sample data loads"; }

# A private driver and DSN list, as an administrator would write them.
export ODBCSYSINI=$tmp ODBCINI=$tmp/odbc.ini
cat >"$tmp/odbcinst.ini" <<INI
[ideal-test-psqlodbc]
Description = psqlODBC, Unicode
Driver = $driver
INI
dsn() {	# dsn NAME LANGUAGE SEARCH_PATH
	cat <<INI
[$1]
Driver = ideal-test-psqlodbc
Servername = ${PGHOST:-localhost}
Port = ${PGPORT:-5432}
Database = $db
Username = ${PGUSER:-postgres}
Password = ${PGPASSWORD:-}
ConnSettings = SET ideal.language = '$2'; SET search_path = $3
INI
}
{
	dsn ideal_en en ideal_bi
	dsn ideal_es es ideal_bi
	dsn ideal_pt pt ideal
} >"$tmp/odbc.ini"

# isql in batch mode, '|' between columns, column names first
q() {	# q DSN-or-connection-string [-k] < statements
	isql "$@" -b -v -d'|' -c 2>&1 | tr -d '\r'
}

out=$(printf 'SELECT 1 AS one\n' | q ideal_en)
is "$out" $'one\n1' "connects through a DSN of odbc.ini (driver from odbcinst.ini)"
cs="Driver=$driver;Server=${PGHOST:-localhost};Port=${PGPORT:-5432};Database=$db;Uid=${PGUSER:-postgres};Pwd=${PGPASSWORD:-}"
out=$(printf 'SELECT current_database()\n' | q "$cs" -k)
is "$out" $'current_database\n'"$db" "connects DSN-less (SQLDriverConnect with Driver=path)"

# SQLTables: the views of ideal_bi
views=$("${psql[@]}" -c "SELECT relname FROM pg_class
	WHERE relnamespace = 'ideal_bi'::regnamespace AND relkind = 'v' ORDER BY 1")
listed=$(printf 'help null ideal_bi null VIEW\n' | q ideal_en | awk -F'|' 'NR > 1 { print $3 }' | sort)
is "$listed" "$views" "SQLTables lists the $(echo "$views" | wc -l) views of ideal_bi"

# SQLColumns and a full read of each view
for v in $views; do
	cols=$(printf 'help %s\n' "$v" | q ideal_en)
	names=$(echo "$cols" | awk -F'|' 'NR > 1 { print $4 }')
	expected=$("${psql[@]}" -c "SELECT attname FROM pg_attribute
		WHERE attrelid = 'ideal_bi.$v'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")
	bad=$(echo "$cols" | awk -F'|' 'NR > 1 && $6 !~ /^(text|int4|numeric|bool|timestamptz|date)$/ { print $4 ": " $6 " (SQL type " $5 ")" }')
	if [ "$names" == "$expected" ] && [ -z "$bad" ]; then
		ok 0 "SQLColumns on ideal_bi.$v: $(echo "$names" | wc -l) columns, standard types"
	else
		ok 1 "SQLColumns on ideal_bi.$v: columns with standard types"
		diag "$bad" "columns: $(echo $names)" "expected: $(echo $expected)"
	fi
	got=$(printf 'SELECT * FROM ideal_bi.%s\n' "$v" | q ideal_en | awk 'END { print NR - 1 }')
	is "$got" "$("${psql[@]}" -c "SELECT count(*) FROM ideal_bi.$v")" "SELECT * FROM ideal_bi.$v reads every row"
done

# psqlODBC leaves REMARKS empty; the descriptions come as rows instead
out=$(printf "SELECT count(*), count(column_description), count(DISTINCT view_name) FROM ideal_bi.data_dictionary\n" | q ideal_en | tail -n1)
want=$("${psql[@]}" -F'|' -c "SELECT count(*), count(*), count(DISTINCT attrelid) FROM pg_attribute
	WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'ideal_bi'::regnamespace AND relkind = 'v')
	  AND attnum > 0 AND NOT attisdropped")
is "$out" "$want" "ideal_bi.data_dictionary, read through the driver: every column of every view, each with its description"

# the driver options the README suggests for tools that will not group by
# long text: text as SQL_VARCHAR (12) of MaxVarcharSize
out=$(printf 'help regional_picture\n' |
	q "$cs;TextAsLongVarchar=0;MaxVarcharSize=1000;ConnSettings=SET search_path = ideal_bi" -k |
	awk -F'|' '$4 == "crime_area_name" { print $5 "|" $6 "|" $7 }')
is "$out" "12|text|1000" "with TextAsLongVarchar=0 text columns are SQL_VARCHAR(MaxVarcharSize)"

# values, through the driver, in the chosen language
label_es=$(grep -A1 'code: drug_trafficking' "$root/yaml/ideal-2.0.yaml" | sed -n 's/.* es: \([^,}]*\)[,}].*/\1/p')
out=$(printf "SELECT crime_area_code, crime_area_name FROM regional_picture WHERE cycle_code = 'IDEAL-2.0/2022' AND rank = 1\n" | q ideal_es | tail -n1)
is "$out" "drug_trafficking|$label_es" "Spanish labels arrive intact (UTF-8): the top crime area of the sample"
out=$(printf "SELECT level_ordinal, level_code, level_name FROM threat_level ORDER BY 1\n" | q ideal_es | tail -n +2 | sed -n '2p;5p' | paste -sd' ')
is "$out" "1|low|bajo 4|very high|muy alto" "threat levels as ordinal, English code and Spanish name"
out=$(printf "SELECT count(*) FROM ideal_bi.observation WHERE cycle_code = 'IDEAL-2.0/2022'\n" | q ideal_en | tail -n1)
sent=0
for f in "$root"/test/sample/observations_*.csv; do
	sent=$((sent + $(wc -l <"$f") - 1))
done
is "$out" $((sent - 1)) "the sample answers: rows sent less the one bad row"

csv=${IDEAL_SHARED:+$IDEAL_SHARED/data/ocindex/ocindex_2023_americas.csv}
if [ -n "$csv" ] && [ -f "$csv" ]; then
	published=$("${psql[@]}" <<SQL
CREATE TEMP TABLE oc_raw (edition text, iso3 text, name text, region text,
	indicator_group text, indicator text, score text);
\copy oc_raw FROM '$csv' WITH (FORMAT csv, HEADER true)
SELECT iso3 || '|' || to_char(score::numeric, 'FM990.00') FROM oc_raw
 WHERE indicator_group = 'summary' AND indicator = 'Criminality' ORDER BY 1;
SQL
)
	got=$(printf "SELECT country_alpha3, to_char(round(score, 2), 'FM990.00') FROM subject_score WHERE cycle_code = 'gitoc-2023' AND composite_code = 'criminality' ORDER BY 1\n" |
		q ideal_en | tail -n +2)
	is "$got" "$published" "GI-TOC 2023: the criminality of all $(echo "$published" | wc -l) countries of the Americas equals the published scores"
else
	echo "ok $((tap_n + 1)) # SKIP GI-TOC files absent (shared data not found)"
	tap_n=$((tap_n + 1))
fi

# the language as a setting of the BI tool's login role: no ConnSettings
role=ideal_odbc_pt
psql -X -q -d "$db" >/dev/null 2>&1 <<SQL
DROP ROLE IF EXISTS $role;
CREATE ROLE $role LOGIN PASSWORD 'odbc-test';
ALTER ROLE $role SET ideal.language = 'pt';
SQL
cs_role="Driver=$driver;Server=${PGHOST:-localhost};Port=${PGPORT:-5432};Database=$db;Uid=$role;Pwd=odbc-test"
out=$(printf 'SELECT level_name FROM ideal_bi.threat_level WHERE level_ordinal = 4\n' | q "$cs_role" -k | tail -n1)
is "$out" "muito alto" "ALTER ROLE ... SET ideal.language = 'pt' gives the role's sessions Portuguese names"
out=$(printf 'SELECT count(*) FROM ideal_bi.observation\n' | q "$cs_role" -k)
case $out in *"permission denied"*) st=0 ;; *) st=1 ;; esac
ok "$st" "a role granted nothing on the ideal tables reads no observation through ideal_bi"
[ "$st" -eq 0 ] || diag "$out"
psql -X -q -d "$db" -c "DROP OWNED BY $role; DROP ROLE $role" >/dev/null 2>&1

# the extension's own types, read directly: psqlODBC passes them as text
out=$(printf "SELECT 'MEX'::ideal.country AS c, 'muy alta'::ideal.threat_level AS l, 'eu:b2:h1'::ideal.grading AS g, (SELECT ideal.summarize(v) FROM (VALUES (1.5::float8), (3)) t(v)) AS s\n" |
	q ideal_pt | tail -n1)
case $out in
"MX|muito alto|EU:B2:H1|n=2 unknown=0 graded=0 w=2 wv=4.5 "*" min=1.5 max=3") ok 0 "custom types arrive as text: $out" ;;
*) ok 1 "custom types arrive as text"; diag "got: $out" ;;
esac
out=$(printf 'help member\n' | q ideal_pt | awk -F'|' '$4 == "country" { print $5 "|" $6 }')
is "$out" "12|country" "SQLColumns reports a custom-typed column as SQL_VARCHAR (12), under its own type name"

done_testing
