-- Hostile methodology files: the loader's limits (src/method.h) refuse deep
-- nesting, alias expansion, huge files and scalars, floods of nodes, with
-- a clear error and without building anything; labels, codes and names
-- carrying quotes, semicolons and SQL are stored as data and never run.
-- (Invalid UTF-8 and the memory a 100 MB file costs:
-- test/shell/50_security_logins.sh.)
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = ideal, public;
-- a bound, not a speed target: each refusal below takes milliseconds
SET LOCAL statement_timeout = '60s';
SELECT plan(27);

-- SQLSTATE, message and detail of an error, or 'ok'
CREATE FUNCTION pg_temp.err(stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	msg text;
	det text;
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ' ' || msg || ' | ' || det;
END $$;

-- a valid file to start from
CREATE TEMP TABLE base (y text);
INSERT INTO base VALUES ($y$methodology: hostile-base
version: "1"
title: {en: Base}
languages: [en]
scales:
  yn: {kind: ordinal, levels: [{code: no, value: 0, labels: {en: No}}, {code: yes, value: 1, labels: {en: Yes}}]}
subject_kinds: [country]
indicators:
  - {code: armed, kind: country, scale: yn, labels: {en: Armed}}
members: [MX]
$y$);
SELECT is(pg_temp.err($$SELECT ideal.load_methodology((SELECT y FROM base))$$), 'ok',
		  'the base file loads');

-------------------------------------------------------------------------
-- limits
-------------------------------------------------------------------------
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(repeat('a', 100 * 1024 * 1024))$$),
	'F0000 invalid methodology file | File of 104857600 bytes exceeds the limit of 4194304 bytes.',
	'a 100 MB file is refused by its size, before it is parsed');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			'methodology: "' || repeat('x', 100 * 1024 * 1024) || '"')$$),
	'F0000 invalid methodology file | File of 104857615 bytes exceeds the limit of 4194304 bytes.',
	'so is a 100 MB scalar');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			replace((SELECT y FROM base), 'title: {en: Base}',
					'title: {en: ' || repeat('x', 5000) || '}'))$$),
	'F0000 invalid methodology file | Line 3, column 13: scalar of 5000 bytes exceeds the limit of 4096 bytes.',
	'a scalar over 4096 bytes in a small file is refused');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(repeat('[', 1000000))$$),
	'F0000 invalid methodology file | Line 1, column 17: nesting deeper than 16 levels.',
	'a million nested sequences stop at the 17th level');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			(SELECT y FROM base) || 'note: ' || repeat('{a: ', 17) || '1' || repeat('}', 17))$$),
	'F0000 invalid methodology file | Line 11, column 67: nesting deeper than 16 levels.',
	'so do 16 maps nested in the file''s own (the 17th level, column 6 + 15 x 4 + 1)');
-- the classic billion laughs: nine levels of ten aliases each
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]' || E'\n' ||
			(SELECT string_agg(format('%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]',
									  chr(97 + i), chr(97 + i), chr(96 + i), chr(96 + i),
									  chr(96 + i), chr(96 + i), chr(96 + i), chr(96 + i),
									  chr(96 + i), chr(96 + i), chr(96 + i)), E'\n')
			   FROM generate_series(1, 8) i))$$),
	'F0000 invalid methodology file | Line 1, column 4: anchors are not allowed in a methodology file.',
	'a billion-laughs file is refused at its first anchor: nothing is expanded');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology('a: *x')$$),
	'F0000 invalid methodology file | Line 1, column 4: aliases are not allowed in a methodology file.',
	'an alias alone is refused too');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology('a: [' || repeat('0,', 200000) || '0]')$$),
	'F0000 invalid methodology file | Line 1, column 399999: more than 200000 nodes.',
	'a flood of nodes is refused at the 200,001st (item 199,998, column 2 x 199,998 + 3)');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology((SELECT y FROM base) || E'---\nmethodology: x\n')$$),
	'F0000 invalid methodology file | Line 11, column 1: expected one YAML document, found a second.',
	'a second document is refused');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(E'methodology: [unclosed\n')$$),
	'F0000 invalid methodology file | Line 2, column 1: did not find expected '',' || ''' or '']'' while parsing a flow sequence.',
	'malformed YAML names the line and column');
SELECT is(pg_temp.err($$SELECT convert_from('\x6d6574686f646f6c6f67793a20ff'::bytea, 'UTF8')$$),
	'22021 invalid byte sequence for encoding "UTF8": 0xff | ',
	'invalid UTF-8 never reaches the loader in a UTF8 database: text refuses it');
SELECT is((SELECT count(*) FROM ideal.methodology WHERE NOT bundled)::int, 1,
		  'nothing of the refused files was loaded');

-------------------------------------------------------------------------
-- quotes, semicolons and SQL are data
-------------------------------------------------------------------------
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			replace((SELECT y FROM base), 'code: armed', 'code: "armed''; DROP TABLE ideal.observation; --"'))$$),
	'F0000 invalid methodology file | Line 9, column 12: expected an indicator code: a lower-case letter followed by at most 62 lower-case letters, digits, "_", "-" or ".", found "armed''; DROP TABLE ideal.observation; --".',
	'a code with a quote and SQL is refused');
SELECT is(pg_temp.err($$SELECT ideal.load_methodology(
			replace((SELECT y FROM base), 'code: armed', 'code: "Armed"'))$$),
	'F0000 invalid methodology file | Line 9, column 12: expected an indicator code: a lower-case letter followed by at most 62 lower-case letters, digits, "_", "-" or ".", found "Armed".',
	'so is an upper-case one');

CREATE TEMP TABLE evil_labels (k text, label text);
INSERT INTO evil_labels VALUES
	('title', $l$x'); DROP TABLE ideal.observation; --$l$),
	('ind', $l$Robert"); DROP SCHEMA ideal CASCADE; --$l$),
	('yes', $l$sí'; DELETE FROM ideal.cycle; SELECT '$l$),
	('no', $l$$$ || pg_sleep(10) || $$ "no" \ ; $l$),
	('area', $l$a;b'c"d$l$);
-- the file quotes each label as YAML wants (double quotes, \ and " escaped)
CREATE FUNCTION pg_temp.q(key text) RETURNS text LANGUAGE sql AS $$
	SELECT '"' || replace(replace(label, '\', '\\'), '"', '\"') || '"'
	  FROM evil_labels WHERE k = key
$$;
CREATE TEMP TABLE sqlfile AS
SELECT format($y$methodology: sql.in-labels_1
version: "1; DROP TABLE ideal.cycle"
title: {en: %s}
languages: [en]
scales:
  yn: {kind: ordinal, levels: [{code: "n-o", value: 0, labels: {en: %s}}, {code: y.es, value: 1, labels: {en: %s}}]}
subject_kinds: [crime_area]
crime_areas:
  - {code: "area-1.x", labels: {en: %s}}
indicators:
  - {code: "select-1.from", kind: crime_area, scale: yn, labels: {en: %s}}
members: [MX]
$y$, pg_temp.q('title'), pg_temp.q('no'), pg_temp.q('yes'), pg_temp.q('area'),
	pg_temp.q('ind')) AS y;
SELECT is(pg_temp.err($$SELECT ideal.load_methodology((SELECT y FROM sqlfile))$$), 'ok',
		  'a methodology whose labels carry quotes, semicolons and SQL loads');
SELECT is((SELECT title ->> 'en' FROM ideal.methodology WHERE code = 'sql.in-labels_1'),
		  (SELECT label FROM evil_labels WHERE k = 'title'), 'its title is stored as written');
SELECT is((SELECT version FROM ideal.methodology WHERE code = 'sql.in-labels_1'),
		  '1; DROP TABLE ideal.cycle', 'and its version');
SELECT is((SELECT labels ->> 'en' FROM ideal.indicator WHERE methodology = 'sql.in-labels_1'),
		  (SELECT label FROM evil_labels WHERE k = 'ind'), 'an indicator label');
SELECT is((SELECT string_agg(labels ->> 'en', '|' ORDER BY position) FROM ideal.scale_level
			WHERE methodology = 'sql.in-labels_1'),
		  (SELECT string_agg(label, '|' ORDER BY k) FROM evil_labels WHERE k IN ('no', 'yes')),
		  'level labels');
SELECT ok(to_regclass('ideal.observation') IS NOT NULL AND to_regclass('ideal.cycle') IS NOT NULL
		  AND (SELECT count(*) FROM ideal.cycle) = 0,
		  'nothing in them ran: the tables are there, no cycle was deleted');
-- the wide intake view names its column after the code, quoted
SELECT is((SELECT string_agg(a.attname, ',' ORDER BY a.attnum)
			 FROM pg_catalog.pg_attribute a
			WHERE a.attrelid = 'ideal."sql.in-labels_1_crime_area_intake"'::regclass
			  AND a.attnum > 0),
		  'cycle,country,subject,grading,handling,note,select-1.from',
		  'the wide intake view has a column named by the code, with its dots and dashes');
SELECT is(col_description('ideal."sql.in-labels_1_crime_area_intake"'::regclass, 7),
		  (SELECT label FROM evil_labels WHERE k = 'ind'),
		  'its comment is the label, as data');
INSERT INTO ideal.cycle (code, methodology)
VALUES ($c$Q'; DROP TABLE ideal.subject; --$c$, 'sql.in-labels_1');
INSERT INTO ideal."sql.in-labels_1_crime_area_intake" (cycle, country, subject, "select-1.from")
VALUES ($c$Q'; DROP TABLE ideal.subject; --$c$, 'MX', 'area-1.x',
		(SELECT label FROM evil_labels WHERE k = 'yes'));
SELECT is((SELECT cycle || ' ' || indicator || ' ' || value FROM ideal.observation
			WHERE cycle LIKE 'Q%'),
		  $c$Q'; DROP TABLE ideal.subject; -- select-1.from 1$c$,
		  'an answer given by a label full of SQL, in a cycle named with SQL, is stored as its level');
SET LOCAL ideal.on_invalid = 'reject';
INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer)
VALUES ($c$Q'; DROP TABLE ideal.subject; --$c$, 'MX', $s$'); DELETE FROM ideal.methodology; --$s$,
		'select-1.from', $a$1'); DROP TABLE ideal.rejected; --$a$);
SELECT is((SELECT subject || ' / ' || answer FROM ideal.rejected WHERE cycle LIKE 'Q%'),
		  $x$'); DELETE FROM ideal.methodology; -- / 1'); DROP TABLE ideal.rejected; --$x$,
		  'a refused row full of SQL is kept as data');
SELECT is((SELECT reloaded + rejected_again FROM ideal.load_rejected()), 1::bigint,
		  'and loading it again runs none of it');
SELECT ok(to_regclass('ideal.subject') IS NOT NULL AND to_regclass('ideal.rejected') IS NOT NULL
		  AND (SELECT count(*) FROM ideal.methodology) = 7,
		  'every table and methodology is still there');

SELECT * FROM finish();
ROLLBACK;
