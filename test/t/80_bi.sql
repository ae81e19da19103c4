-- The BI schema ideal_bi: only standard types, a comment on every view and
-- column, plain lower-case names, security_invoker views readable by every
-- role but never showing more than the ideal objects allow, one row per
-- fact (as many rows as the ideal view or table each one reads), the same
-- numbers as the ideal views, and names in the language of ideal.language.
-- The structural checks run over every view of the schema, so a new view is
-- held to them without a change here.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SET ideal.language = 'en';
SELECT plan(62);

-- --- structure ------------------------------------------------------------
SELECT has_schema('ideal_bi');
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_depend d
			WHERE d.classid = 'pg_catalog.pg_namespace'::regclass
			  AND d.objid = 'ideal_bi'::regnamespace AND d.deptype = 'e'
			  AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension
								 WHERE extname = 'ideal')),
		  1, 'the schema belongs to the extension (dropped with it, not dumped)');
SELECT cmp_ok((SELECT count(*)::int FROM pg_catalog.pg_class
				WHERE relnamespace = 'ideal_bi'::regnamespace AND relkind = 'v'),
			  '>=', 24, 'the schema has its views');
SELECT is_empty($$SELECT c.relname::text FROM pg_catalog.pg_class c
				  WHERE c.relnamespace = 'ideal_bi'::regnamespace AND c.relkind <> 'v'
				  UNION ALL
				  SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
				  WHERE p.pronamespace = 'ideal_bi'::regnamespace
				  UNION ALL
				  SELECT t.typname::text FROM pg_catalog.pg_type t
				  WHERE t.typnamespace = 'ideal_bi'::regnamespace AND t.typrelid = 0
					 AND t.typelem = 0$$,
				'the schema holds views only (no table, function or type for a BI tool to trip on)');
SELECT is_empty($$SELECT c.relname || '.' || a.attname || ': ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
				  FROM pg_catalog.pg_class c
				  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND a.atttypid NOT IN ('text'::regtype, 'integer'::regtype,
										  'numeric'::regtype, 'boolean'::regtype,
										  'date'::regtype, 'timestamptz'::regtype)$$,
				'every column is text, integer, numeric, boolean, date or timestamptz');
SELECT is_empty($$SELECT c.relname::text FROM pg_catalog.pg_class c
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND pg_catalog.obj_description(c.oid, 'pg_class') IS NULL$$,
				'every view has a comment');
SELECT is_empty($$SELECT c.relname || '.' || a.attname FROM pg_catalog.pg_class c
				  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND coalesce(pg_catalog.col_description(c.oid, a.attnum), '') = ''$$,
				'every column has a comment');
SELECT is_empty($$SELECT c.relname || '.' || a.attname FROM pg_catalog.pg_class c
				  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND (a.attname !~ '^[a-z][a-z0-9_]*$' OR c.relname !~ '^[a-z][a-z0-9_]*$')$$,
				'view and column names are plain lower case, never quoted');
SELECT is_empty($$SELECT c.relname::text FROM pg_catalog.pg_class c
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND NOT coalesce(c.reloptions @> '{security_invoker=true}', false)$$,
				'every view is security_invoker: it reads with the privileges of its reader');
SELECT is_empty($$SELECT c.relname::text FROM pg_catalog.pg_class c
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND NOT pg_catalog.has_table_privilege('public', c.oid, 'SELECT')$$,
				'every view is granted to PUBLIC');
-- level columns come in threes: ordinal, English code, name
SELECT is_empty($$SELECT c.relname || '.' || a.attname FROM pg_catalog.pg_class c
				  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				 WHERE c.relnamespace = 'ideal_bi'::regnamespace
				   AND a.attname LIKE 'level\_ordinal%'
				   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute b
								   WHERE b.attrelid = c.oid
									 AND b.attname = replace(a.attname, 'ordinal', 'code'))
				   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute b
								   WHERE b.attrelid = c.oid
									 AND b.attname = replace(a.attname, 'ordinal', 'name'))$$,
				'every level_ordinal column has its level_code and level_name');

-- --- data, hand-made ------------------------------------------------------
-- Sleipnir: CA-1 answers High everywhere (4 x 190 = 760), CA-2 Unknown
-- everywhere (scored as 2: 380); IDEAL 2.0: two groups and a crime area.
INSERT INTO ideal.cycle (code, methodology) VALUES ('BI/S', 'sleipnir'), ('BI/I', 'ideal-2.0');
INSERT INTO ideal.subject (cycle, country, ref, name, typology, primary_area, crime_areas, operates_in)
VALUES ('BI/S', 'CA', 'CA-1', 'Uno', NULL, NULL, '{}', '{CA,US,CA}'),
	   ('BI/S', 'CA', 'CA-2', 'Dos', NULL, NULL, '{}', '{}'),
	   ('BI/I', 'MX', 'MX-1', 'Alfa', 'cartel', 'drug_trafficking',
		'{arms_trafficking,drug_trafficking}', '{MX,GT,MX}'),
	   ('BI/I', 'BR', 'BR-1', 'Delta', 'clan', 'arms_trafficking', '{}', '{BR}');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'BI/S', 'CA', s, code, a
  FROM ideal.indicator, (VALUES ('CA-1', 'high'), ('CA-2', 'unknown')) v(s, a)
 WHERE methodology = 'sleipnir';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('BI/I', 'MX', 'MX-1', 'violence', 'muy alto', 'A1'),
	   ('BI/I', 'MX', 'MX-1', 'corruption', 'alta', 'EU:B2:H1'),
	   ('BI/I', 'MX', 'MX-1', 'territorial_control', 'moderate', NULL),
	   ('BI/I', 'BR', 'BR-1', 'violence', 'baixo', 'C3'),
	   ('BI/I', 'MX', 'drug_trafficking', 'prevalence', 'very high', 'A1'),
	   ('BI/I', 'BR', 'drug_trafficking', 'prevalence', 'high', 'B2');
SET ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('BI/I', 'MX', 'MX-1', 'longevity', 'eterno');
RESET ideal.on_invalid;
UPDATE ideal.observation SET answer = 'high'
 WHERE cycle = 'BI/I' AND subject = 'MX-1' AND indicator = 'territorial_control';
-- GI-TOC: two editions, two countries, three indicators each (a trend and
-- quadrants); the 2021 cycle opened first
INSERT INTO ideal.cycle (code, methodology, opened_at)
VALUES ('BI/G21', 'gitoc-2021', now() - interval '1 day'), ('BI/G23', 'gitoc-2023', now());
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT c, k::ideal.country, k, i, s
  FROM (VALUES ('BI/G21'), ('BI/G23')) AS e(c),
	   (VALUES ('MX', 'human_trafficking', '7'), ('MX', 'arms_trafficking', '8.5'),
			   ('MX', 'judicial_system_and_detention', '3'),
			   ('UY', 'human_trafficking', '3'), ('UY', 'arms_trafficking', '4'),
			   ('UY', 'judicial_system_and_detention', '6.5')) AS v(k, i, s);
\o /dev/null
SELECT ideal.refresh_scores('BI/S');
\o

-- --- one row per fact -----------------------------------------------------
CREATE FUNCTION pg_temp.rows(rel text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
	n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM ' || rel INTO n;
	RETURN n;
END $f$;
SELECT is(pg_temp.rows('ideal_bi.' || b), pg_temp.rows('ideal.' || s),
		  format('ideal_bi.%s has a row for each row of ideal.%s', b, s))
  FROM (VALUES ('methodology', 'methodology'), ('cycle', 'cycle'),
			   ('member', 'member'), ('crime_area', 'crime_area'),
			   ('indicator', 'indicator'), ('composite', 'composite'),
			   ('criminal_group', 'subject'), ('observation', 'observation'),
			   ('observation_history', 'observation_history'),
			   ('figure', 'figure'), ('rejected_row', 'rejected'),
			   ('subject_score', 'subject_score'),
			   ('country_area_score', 'country_area_score'),
			   ('regional_picture', 'regional_picture'),
			   ('group_ranking', 'group_ranking'),
			   ('group_attribute', 'group_matrix'),
			   ('intelligence_gap', 'intelligence_gap'),
			   ('country_gap', 'country_gaps'), ('trend', 'cycle_trend'),
			   ('quadrant', 'quadrant'),
			   ('stored_subject_score', 'subject_score_snapshot')) AS m(b, s)
 ORDER BY b;
SELECT cmp_ok(pg_temp.rows('ideal_bi.' || v), '>', 0::bigint, format('the test data reach ideal_bi.%s', v))
  FROM (VALUES ('trend'), ('quadrant'), ('observation_history'), ('rejected_row'),
			   ('intelligence_gap'), ('stored_subject_score')) AS t(v);

-- --- the same numbers -------------------------------------------------------
SELECT set_eq($$SELECT cycle_code, country_code, subject_kind, subject_code, composite_code,
					   score, level_ordinal, is_headline FROM ideal_bi.subject_score$$,
			  $$SELECT cycle, country::text, subject_kind, subject, composite,
					   score, level::integer, headline FROM ideal.subject_score$$,
			  'subject_score: the scores and levels of ideal.subject_score');
SELECT set_eq($$SELECT cycle_code, crime_area_code, score, rank, level_ordinal, reporting_countries
				  FROM ideal_bi.regional_picture$$,
			  $$SELECT cycle, crime_area, score::numeric, rank::integer, level::integer, countries::integer
				  FROM ideal.regional_picture$$,
			  'regional_picture: the scores, ranks and levels of ideal.regional_picture');
SELECT set_eq($$SELECT cycle_code_after, country_code, composite_code, change, level_change FROM ideal_bi.trend$$,
			  $$SELECT cycle_after, country::text, composite, change, level_change FROM ideal.cycle_trend$$,
			  'trend: the changes of ideal.cycle_trend');
SELECT is((SELECT score FROM ideal_bi.subject_score WHERE cycle_code = 'BI/S' AND subject_code = 'CA-1' AND is_headline),
		  760::numeric, 'Sleipnir all High: 760');
SELECT is((SELECT score FROM ideal_bi.subject_score WHERE cycle_code = 'BI/S' AND subject_code = 'CA-2' AND is_headline),
		  380::numeric, 'Sleipnir all Unknown: 380');
SELECT is((SELECT score FROM ideal_bi.stored_subject_score WHERE cycle_code = 'BI/S' AND subject_code = 'CA-1' AND is_headline),
		  760::numeric, 'the stored score reads the same');
-- MX-1: violence very high (4) weight 3, corruption high (3) weight 3,
-- territorial_control high (3, after the update) weight 3: 30 / 9
SELECT is((SELECT round(score, 12) FROM ideal_bi.group_ranking WHERE cycle_code = 'BI/I' AND group_ref = 'MX-1'),
		  round(30 / 9.0, 12), 'group score by hand: (4 x 3 + 3 x 3 + 3 x 3) / 9');
SELECT is((SELECT (level_ordinal, level_code) FROM ideal_bi.group_ranking WHERE cycle_code = 'BI/I' AND group_ref = 'MX-1'),
		  ROW(4, 'very high'::text), '3.33 is very high on the IDEAL 2.0 bands (very high from 3.25)');

-- --- values as BI tools read them ---------------------------------------------
SELECT is((SELECT (grading, grading_system, confidence) FROM ideal_bi.observation
			WHERE cycle_code = 'BI/I' AND subject_code = 'MX-1' AND indicator_code = 'corruption'),
		  ROW('EU:B2:H1'::text, 'europol'::text, 0.6::numeric),
		  'grading as canonical text, its system, confidence 0.75 x 0.8 = 0.6 (README table)');
SELECT is((SELECT (value, answer, is_unknown) FROM ideal_bi.observation
			WHERE cycle_code = 'BI/I' AND subject_code = 'MX-1' AND indicator_code = 'violence'),
		  ROW(4::numeric, 'muy alto'::text, false), 'the answer as sent and its value on the scale');
SELECT is((SELECT (answer, operation) FROM ideal_bi.observation_history
			WHERE cycle_code = 'BI/I' AND subject_code = 'MX-1'),
		  ROW('moderate'::text, 'UPDATE'::text), 'the replaced version is in observation_history');
SELECT is((SELECT (answer, sqlstate) FROM ideal_bi.rejected_row), ROW('eterno'::text, '22023'::text),
		  'the refused row is in rejected_row');
SELECT set_eq($$SELECT crime_area_code, is_primary FROM ideal_bi.group_crime_area
				 WHERE cycle_code = 'BI/I' AND group_ref = 'MX-1'$$,
			  $$VALUES ('drug_trafficking', true), ('arms_trafficking', false)$$,
			  'group_crime_area: the primary area once, flagged, and the others');
SELECT set_eq($$SELECT operates_in_code FROM ideal_bi.group_country
				 WHERE cycle_code = 'BI/I' AND group_ref = 'MX-1'$$,
			  $$VALUES ('MX'), ('GT')$$, 'group_country: each country of operation once');
SELECT is((SELECT operating_countries FROM ideal_bi.criminal_group WHERE cycle_code = 'BI/I' AND group_ref = 'MX-1'),
		  2, 'criminal_group counts the countries of operation that group_country lists');

-- --- the chosen language ---------------------------------------------------------
SELECT is((SELECT (country_name, crime_area_name, level_name) FROM ideal_bi.country_area_score
			WHERE cycle_code = 'BI/I' AND country_code = 'MX' AND is_headline),
		  ROW('Mexico'::text, 'Drug trafficking'::text, 'very high'::text), 'English by default');
SET ideal.language = 'es';
SELECT is((SELECT (country_name, crime_area_name, level_name, level_code) FROM ideal_bi.country_area_score
			WHERE cycle_code = 'BI/I' AND country_code = 'MX' AND is_headline),
		  ROW('México'::text, 'Tráfico de drogas'::text, 'muy alto'::text, 'very high'::text),
		  'Spanish names; the level code stays English');
SELECT is((SELECT composite_name FROM ideal_bi.trend WHERE country_code = 'MX' AND composite_code = 'criminality'),
		  (SELECT labels ->> 'es' FROM ideal.composite WHERE methodology = 'gitoc-2023' AND code = 'criminality'),
		  'composite names in Spanish, as the methodology file labels them');
SET ideal.language = 'pt';
SELECT is((SELECT array_agg(level_name ORDER BY level_ordinal) FROM ideal_bi.threat_level),
		  (SELECT array_agg(ideal.threat_level_name(l::ideal.threat_level, 'pt') ORDER BY l)
			 FROM generate_series(0, 4) l),
		  'threat_level lists the five levels in Portuguese');
SELECT is((SELECT typology_name FROM ideal_bi.criminal_group WHERE cycle_code = 'BI/I' AND group_ref = 'BR-1'),
		  'Clã familiar', 'typology names in Portuguese');
RESET ideal.language;
SELECT is(ideal.label_text('{"en": "Only English"}', 'es'), 'Only English',
		  'a label missing in the chosen language falls back on English');

-- --- privileges and row-level security go through -------------------------
CREATE ROLE ideal_bi_t_nobody;
CREATE ROLE ideal_bi_t_mx;
GRANT USAGE ON SCHEMA ideal TO ideal_bi_t_nobody, ideal_bi_t_mx;
GRANT SELECT ON ideal.observation, ideal.cycle, ideal.indicator, ideal.subject,
	  ideal.crime_area TO ideal_bi_t_mx;
ALTER TABLE ideal.observation ENABLE ROW LEVEL SECURITY;
CREATE POLICY ideal_bi_t_mx_only ON ideal.observation FOR SELECT TO ideal_bi_t_mx
	USING (country OPERATOR(ideal.=) 'MX');
SET ROLE ideal_bi_t_nobody;
SELECT is((SELECT count(*)::int FROM ideal_bi.threat_level), 5,
		  'a role without rights reads the views that read no table');
SELECT throws_ok('SELECT count(*) FROM ideal_bi.observation', '42501', NULL,
				 'but not observations through ideal_bi.observation');
RESET ROLE;
SET ROLE ideal_bi_t_mx;
SELECT is((SELECT array_agg(DISTINCT country_code) FROM ideal_bi.observation),
		  ARRAY['MX'], 'row-level security on ideal.observation applies through the view');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
