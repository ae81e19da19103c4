#!/usr/bin/env bash
# Upgrades: one version number (ideal.control's default_version, which the
# Makefile reads) mirrored in META.json and CHANGELOG.md; an upgrade script
# sql/ideal--A--B.sql between every two consecutive versions; the oldest
# version installed and updated step by step with ALTER EXTENSION ... UPDATE
# gives the same schema (pg_dump --schema-only of the extension's objects),
# the same bundled catalog rows and the same registered tables as a fresh
# install of the newest.
#
# The suite walks whatever chain sql/ holds.  A second database carries
# data through the walk: groups, answers, rejected rows, history and stored
# scores of closed and published cycles must come out the same, still
# protected, and restorable with a plain pg_restore.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
cd "$root"
tmp=$(mktemp -d)
dbs=(ideal_upgrade_walk ideal_upgrade_fresh ideal_upgrade_data ideal_upgrade_restored)
cleanup() {
	for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cleanup
mkdir -p "$tmp"
psql_at() {
	local d=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@"
}

# --- one version number ----------------------------------------------------
version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" ideal.control)
ok "$([ -n "$version" ]; echo $?)" "ideal.control declares default_version ($version)"
make_version=$(printf 'print-extversion:\n\t@echo $(EXTVERSION)\n' |
	make -s --no-print-directory -f Makefile -f - print-extversion 2>/dev/null)
is "$make_version" "$version" "the Makefile takes EXTVERSION from ideal.control"
meta=$(perl -MJSON::PP -e '
	local $/; open my $f, "<", "META.json" or die; my $m = decode_json(<$f>);
	print join(" ", $m->{version}, $m->{provides}{ideal}{version}, $m->{provides}{ideal}{file}), "\n";' 2>&1)
is "$meta" "$version $version sql/ideal--$version.sql" "META.json: version, provides.ideal.version and file match"
ok "$(grep -q "^## $version\b" CHANGELOG.md; echo $?)" "CHANGELOG.md has a section for $version"

# --- the chain of versions -------------------------------------------------
# every version named by a script in sql/, oldest first
versions=$(ls sql/ | sed -n 's/^ideal--\(.*\)\.sql$/\1/p' | tr -s '-' '\n' | grep -v '^$' | sort -uV)
oldest=$(echo "$versions" | head -n1)
newest=$(echo "$versions" | tail -n1)
is "$newest" "$version" "the newest script in sql/ is the default version"
ok "$([ -f "sql/ideal--$oldest.sql" ]; echo $?)" "the oldest version ($oldest) has a full install script"
missing=
prev=
for v in $versions; do
	if [ -n "$prev" ] && [ ! -f "sql/ideal--$prev--$v.sql" ]; then
		missing="$missing sql/ideal--$prev--$v.sql"
	fi
	prev=$v
done
steps=$(($(echo "$versions" | wc -l) - 1))
ok "$([ -z "$missing" ]; echo $?)" "an upgrade script for each of the $steps steps from $oldest to $newest"
[ -z "$missing" ] || diag "missing:$missing"
[ "$steps" -eq 0 ] && note "only $version exists: the chain has no step until 0.2.0"
stray=$(ls sql/ | sed -n 's/^ideal--\(.*\)--\(.*\)\.sql$/\1 \2/p' | while read -r a b; do
	next=$(echo "$versions" | grep -A1 -Fx "$a" | tail -n1)
	[ "$b" == "$next" ] || echo "sql/ideal--$a--$b.sql"
done)
ok "$([ -z "$stray" ]; echo $?)" "no upgrade script skips a version"
[ -z "$stray" ] || diag "skipping:$stray"

createdb ideal_upgrade_walk && createdb ideal_upgrade_fresh || bail "databases created"
available=$(psql_at ideal_upgrade_walk -c "SELECT string_agg(version, ' ' ORDER BY version)
	FROM pg_available_extension_versions WHERE name = 'ideal'")
notinstalled=
for v in $versions; do
	case " $available " in *" $v "*) ;; *) notinstalled="$notinstalled $v" ;; esac
done
ok "$([ -z "$notinstalled" ]; echo $?)" "make install installs the scripts of every version ($available)"
[ -z "$notinstalled" ] || diag "not installed:$notinstalled (the Makefile's DATA must list every sql/ideal--*.sql)"

# --- install the oldest, walk the chain --------------------------------------
out=$(psql_at ideal_upgrade_walk -c "CREATE EXTENSION ideal VERSION '$oldest'" 2>&1)
ok $? "CREATE EXTENSION ideal VERSION '$oldest'"
[ -z "$out" ] || diag "$out"
walked=ok
for v in $(echo "$versions" | tail -n +2); do
	out=$(psql_at ideal_upgrade_walk -c "ALTER EXTENSION ideal UPDATE TO '$v'" 2>&1)
	st=$?
	got=$(psql_at ideal_upgrade_walk -c "SELECT extversion FROM pg_extension WHERE extname = 'ideal'")
	ok "$([ "$st" -eq 0 ] && [ "$got" == "$v" ]; echo $?)" "ALTER EXTENSION ideal UPDATE TO '$v'"
	[ "$st" -eq 0 ] || { diag "$out"; walked=; }
done
is "$(psql_at ideal_upgrade_walk -c "SELECT extversion FROM pg_extension WHERE extname = 'ideal'")" \
	"$version" "after $steps steps the extension is at $version"
psql_at ideal_upgrade_fresh -c "CREATE EXTENSION ideal" >/dev/null 2>&1
ok $? "CREATE EXTENSION ideal (fresh $version)"

# --- compare -----------------------------------------------------------------
members() {	# the extension's objects, by description
	psql_at "$1" -c "SELECT pg_describe_object(classid, objid, objsubid)
		FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
		AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ideal') ORDER BY 1"
}
members ideal_upgrade_walk >"$tmp/walk.members"
members ideal_upgrade_fresh >"$tmp/fresh.members"
cmp -s "$tmp/walk.members" "$tmp/fresh.members"
ok $? "the same $(wc -l <"$tmp/fresh.members") member objects"
[ $? -eq 0 ] || diag "$(diff "$tmp/walk.members" "$tmp/fresh.members" | head -n 20)"

config() {	# registered tables and their dump filters
	psql_at "$1" -c "SELECT c::regclass || ' ' || coalesce(f, '')
		FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, f)
		WHERE e.extname = 'ideal' ORDER BY 1"
}
is "$(config ideal_upgrade_walk)" "$(config ideal_upgrade_fresh)" \
	"the same tables registered with pg_extension_config_dump, with the same filters"

catalog() {	# the bundled rows of every registered table, without load times
	psql_at "$1" -F ' ' -c "SELECT c::regclass FROM pg_extension e, unnest(e.extconfig) c
		WHERE e.extname = 'ideal' AND (SELECT relkind FROM pg_class WHERE oid = c) = 'r' ORDER BY 1" |
	while read -r rel; do
		psql_at "$1" -c "SELECT '$rel', (to_jsonb(t) - 'loaded_at' - 'loaded_by')::text FROM $rel t ORDER BY 2"
	done
}
catalog ideal_upgrade_walk >"$tmp/walk.catalog"
catalog ideal_upgrade_fresh >"$tmp/fresh.catalog"
cmp -s "$tmp/walk.catalog" "$tmp/fresh.catalog"
ok $? "the same rows in the extension's tables ($(wc -l <"$tmp/fresh.catalog") bundled catalog rows)"
[ $? -eq 0 ] || diag "$(diff "$tmp/walk.catalog" "$tmp/fresh.catalog" | head -n 20)"

# pg_dump leaves an extension's objects out; detach them first, so that the
# schema dump shows every table, view, function, type, operator and grant
detach() {
	psql_at "$1" -c "SELECT format('ALTER EXTENSION ideal DROP %s %s;',
			CASE o.type WHEN 'composite type' THEN 'TYPE' ELSE upper(o.type) END,
			o.identity)
		FROM pg_depend d, pg_identify_object(d.classid, d.objid, d.objsubid) o
		WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ideal')" >"$tmp/detach-$1.sql" &&
	psql_at "$1" -f "$tmp/detach-$1.sql" >/dev/null
}
detach ideal_upgrade_walk && detach ideal_upgrade_fresh
ok $? "the extension's objects detached for pg_dump"
# (comments and the random \restrict key of recent pg_dump releases aside)
pg_dump --schema-only ideal_upgrade_walk | grep -Ev '^(--|\\(un)?restrict )' >"$tmp/walk.schema"
pg_dump --schema-only ideal_upgrade_fresh | grep -Ev '^(--|\\(un)?restrict )' >"$tmp/fresh.schema"
objects=$(grep -cE '^CREATE ' "$tmp/fresh.schema")
cmp -s "$tmp/walk.schema" "$tmp/fresh.schema"
st=$?
ok "$st" "pg_dump --schema-only: $oldest updated to $version equals a fresh $version ($objects CREATE statements)"
[ "$st" -eq 0 ] || diag "$(diff "$tmp/walk.schema" "$tmp/fresh.schema" | head -n 40)"
ok "$([ "$objects" -gt 100 ]; echo $?)" "the schema dump holds the extension's objects, not just CREATE EXTENSION"

# --- data through the walk -----------------------------------------------------
# What a user reads: every score view, the rejected rows, the history, and
# whether the stored scores are current; taken before and after the walk.
# Floats to 12 significant digits: 0.2.0 averages confidence and coverage
# in numeric, which can move the last of float8's 17 digits.
reading() {	# reading DB
	local v
	for v in ideal.subject_score ideal.regional_picture ideal.group_ranking \
		ideal.country_gaps ideal.intelligence_gap; do
		psql_at "$1" -c "SET extra_float_digits = -3" -c "SELECT '$v', v::text FROM $v v ORDER BY 2"
	done
	psql_at "$1" -c "SELECT id, target, reason, submitted - 'checked' FROM ideal.rejected ORDER BY id"
	psql_at "$1" -c "SELECT h.id, h.operation, h.answer FROM ideal.observation_history h ORDER BY 1, 2"
	psql_at "$1" -c "SELECT cycle, current, note FROM ideal.score_snapshot_status ORDER BY 1"
	psql_at "$1" -c "SELECT count(*) FROM ideal.observation_as_of('IDEAL-2.0/2022', now())"
}
setup_data() {
	createdb ideal_upgrade_data &&
	psql_at ideal_upgrade_data -c "CREATE EXTENSION ideal VERSION '$oldest'" &&
	bash "$root/test/client/load_sample.sh" ideal_upgrade_data &&
	psql_at ideal_upgrade_data <<'SQL'
UPDATE ideal.observation SET answer = 'low'
 WHERE cycle = 'IDEAL-2.0/2022' AND subject = 'MX-006' AND indicator = 'violence';
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'SLEIPNIR/T';
UPDATE ideal.cycle SET status = 'published' WHERE code = 'SLEIPNIR/T';
SELECT ideal.refresh_scores();
SQL
}
if [ "$steps" -eq 0 ]; then
	note "only $version exists: no data to carry through an update"
elif setup_data >"$tmp/data.out" 2>&1; then
	ok 0 "$oldest with data: sample groups and answers, a rejected row, history, a published cycle with stored scores"
	reading ideal_upgrade_data >"$tmp/data.before" 2>&1
	out=$(for v in $(echo "$versions" | tail -n +2); do
		psql_at ideal_upgrade_data -c "ALTER EXTENSION ideal UPDATE TO '$v'" 2>&1 || exit 1
	done)
	ok $? "the database with data walks the chain to $version"
	[ -z "$out" ] || diag "$out"
	reading ideal_upgrade_data >"$tmp/data.after" 2>&1
	cmp -s "$tmp/data.before" "$tmp/data.after"
	st=$?
	ok "$st" "every score view, rejected row, history row and snapshot status reads the same ($(wc -l <"$tmp/data.after") lines)"
	[ "$st" -eq 0 ] || diag "$(diff "$tmp/data.before" "$tmp/data.after" | head -n 12)"
	is "$(psql_at ideal_upgrade_data -c "SELECT current FROM ideal.score_snapshot_status WHERE cycle = 'SLEIPNIR/T'")" t \
		"the published cycle's stored scores are still current"
	out=$(psql_at ideal_upgrade_data -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
		VALUES ('SLEIPNIR/T', 'CA', 'CA-ALLHIGH', 'corruption', 'low')" 2>&1)
	case $out in *'cycle "SLEIPNIR/T" is published'*) st=0 ;; *) st=1 ;; esac
	ok "$st" "the published cycle still refuses answers"
	out=$(psql_at ideal_upgrade_data -c "INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
		VALUES ('IDEAL-2.0/2022', 'MX', 'MX-006', 'violence', 'enormous')" 2>&1)
	case $out in *'not on the scale'*) st=0 ;; *) st=1 ;; esac
	ok "$st" "the open cycle still checks answers"
	pg_dump -Fc -f "$tmp/data.dump" ideal_upgrade_data &&
		createdb ideal_upgrade_restored &&
		pg_restore -d ideal_upgrade_restored "$tmp/data.dump" >"$tmp/restore.err" 2>&1
	st=$?
	ok "$st" "the updated database restores with a plain pg_restore (its old rows count as checked)"
	[ "$st" -eq 0 ] || diag "$(grep -m 4 -E 'ERROR|DETAIL' "$tmp/restore.err")"
	reading ideal_upgrade_restored >"$tmp/data.restored" 2>&1
	cmp -s "$tmp/data.after" "$tmp/data.restored"
	ok $? "and reads the same after the restore"
else
	diag "$(tail -n 20 "$tmp/data.out")"
	bail "$oldest with data loaded"
fi

done_testing
