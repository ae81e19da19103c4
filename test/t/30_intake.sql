-- Intake of a contact point's submission through the intake views, with the
-- fictional files of test/data: groups with their lists, a file with bad
-- rows scattered through it (rows stored + rows rejected = rows sent; fixing
-- the rejected rows completes the submission), files as national systems and
-- spreadsheets write them (byte-order mark, CRLF, Windows-1252, semicolons
-- and decimal commas, another column order), the wide intake views, and
-- figures in a Spanish spreadsheet's number format.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT plan(51);

\set data :root '/test/data/'
\set groups :data 'intake_groups.csv'
\set scattered :data 'intake_scattered.csv'
\set fixes :data 'intake_scattered_fixes.csv'
\set complete :data 'intake_complete.csv'
\set bom :data 'intake_bom.csv'
\set bom_noheader :data 'intake_bom_noheader.csv'
\set crlf :data 'intake_crlf.csv'
\set win1252 :data 'intake_win1252.csv'
\set reordered :data 'intake_reordered.csv'
\set semicolon :data 'intake_semicolon.csv'
\set wide :data 'intake_wide.csv'
\set figures :data 'figures_semicolon.csv'

INSERT INTO ideal.cycle (code, methodology)
VALUES ('T/INTAKE', 'ideal-2.0'), ('T/GITOC', 'gitoc-2023'), ('T/WIDE', 'ideal-2.0');

-- what a file holds, read as plain text: "rows sent"
CREATE TEMP TABLE sent (cycle text, country text, subject text,
						indicator text, answer text, grading text);

------------------------------------------------------------------------
-- groups, loaded through ideal.subject_intake
------------------------------------------------------------------------
COPY ideal.subject_intake (cycle, country, ref, name, aliases, typology,
						   primary_area, crime_areas, operates_in)
	FROM :'groups' WITH (FORMAT csv, HEADER true);
SELECT results_eq(
	$$SELECT ref, typology, primary_area, crime_areas, operates_in::text, aliases
		FROM ideal.subject WHERE cycle = 'T/INTAKE' ORDER BY ref$$,
	$$VALUES ('MX-101', 'network', 'drug_trafficking',
			  '{arms_trafficking,money_laundering}'::text[], '{MX,GT,US}',
			  '{"Los Unos","La Red"}'::text[]),
			 ('MX-102', 'gang', 'crimes_against_persons', '{property_crime}', '{MX}', '{}'),
			 ('MX-103', 'clan', 'environmental_crime', '{}', '{MX,GT}', '{"Los Tres"}')$$,
	'groups: typologies and crime areas given by label are stored as codes, lists of any form are parsed');

------------------------------------------------------------------------
-- a file with bad rows scattered through it
------------------------------------------------------------------------
COPY sent FROM :'scattered' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM sent), 43::bigint, 'the scattered file sends 43 rows');

-- error mode: the first bad row (line 3, a country that is not one) stops
-- the load and nothing of the file stays
SELECT throws_ok(format($$COPY ideal.observation_intake (cycle, country, subject,
		indicator, answer, grading) FROM %L WITH (FORMAT csv, HEADER true)$$, :'scattered'),
	'22P02', 'invalid input syntax for type ideal.country: "MXX"',
	'error mode: a country that does not parse stops the load with 22P02');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/INTAKE'), 0::bigint,
		  'error mode: nothing of the file is stored');

SET ideal.on_invalid = 'reject';
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'scattered' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/INTAKE')
		  + (SELECT count(*) FROM ideal.rejected WHERE cycle = 'T/INTAKE'),
		  (SELECT count(*) FROM sent),
		  'reject mode: rows stored + rows rejected = rows sent');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/INTAKE'), 36::bigint,
		  'reject mode: the 36 good rows are stored');
SELECT results_eq(
	$$SELECT sqlstate, target FROM ideal.rejected WHERE cycle = 'T/INTAKE' ORDER BY id$$,
	$$VALUES ('22P02', 'ideal.observation_intake'), ('22P02', 'ideal.observation_intake'),
			 ('22023', 'ideal.observation_intake'), ('22023', 'ideal.observation_intake'),
			 ('23503', 'ideal.observation_intake'), ('22023', 'ideal.observation_intake'),
			 ('23505', 'ideal.observation_intake')$$,
	'the seven bad rows are rejected in file order, each with its SQLSTATE');
SELECT results_eq(
	$$SELECT message FROM ideal.rejected WHERE cycle = 'T/INTAKE' ORDER BY id$$,
	$$VALUES ('invalid input syntax for type ideal.country: "MXX"'),
			 ('invalid input syntax for type ideal.grading: "B9"'),
			 ('answer "altisimo" is not on the scale of indicator "legal_business_structures"'),
			 ('unknown indicator "violencia extrema" in methodology "ideal-2.0"'),
			 ('group "MX-1O3" is not a subject of country MX in cycle "T/INTAKE"'),
			 ('unknown crime area "Tráfico de armaz" in methodology "ideal-2.0"'),
			 ('indicator "countermeasures" is already answered for subject "MX-101"')$$,
	'each rejected row says what is wrong with it');
SELECT is_empty(
	$$SELECT (jsonb_populate_record(NULL::sent, submitted)).* FROM ideal.rejected
	   WHERE cycle = 'T/INTAKE'
	  EXCEPT ALL SELECT * FROM sent$$,
	'each rejected row is kept whole, exactly as sent');
SELECT ok((SELECT bool_and(detail LIKE 'Row: cycle "T/INTAKE", country %, subject %, indicator %'
						   AND hint IS NOT NULL AND rejected_by = current_user
						   AND rejected_at IS NOT NULL)
			 FROM ideal.rejected WHERE cycle = 'T/INTAKE'),
		  'each rejected row names the row in its detail and has a hint, a role and a time');

-- fixing: three rows corrected where they are kept, then loaded again
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{country}', '"MX"')
 WHERE cycle = 'T/INTAKE' AND submitted->>'country' = 'MXX';
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{grading}', '"C3"')
 WHERE cycle = 'T/INTAKE' AND submitted->>'grading' = 'B9';
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{answer}', '"muy alto"')
 WHERE cycle = 'T/INTAKE' AND submitted->>'answer' = 'altisimo';
SELECT results_eq(
	$$SELECT * FROM ideal.load_rejected(ARRAY(
		SELECT id FROM ideal.rejected WHERE cycle = 'T/INTAKE' AND sqlstate = '22P02'
		   OR message LIKE 'answer "altisimo"%'))$$,
	$$VALUES (3::bigint, 0::bigint)$$,
	'ideal.load_rejected loads the three corrected rows');
-- three more corrected in a file and loaded; their rejects cleared
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'fixes' WITH (FORMAT csv, HEADER true);
DELETE FROM ideal.rejected WHERE cycle = 'T/INTAKE' AND sqlstate IN ('22023', '23503');
-- the repeated answer stays refused when loaded again, and is dropped
SELECT results_eq(
	$$SELECT * FROM ideal.load_rejected(ARRAY(
		SELECT id FROM ideal.rejected WHERE cycle = 'T/INTAKE'))$$,
	$$VALUES (0::bigint, 1::bigint)$$,
	'a second answer is rejected again when reloaded');
DELETE FROM ideal.rejected WHERE cycle = 'T/INTAKE' AND sqlstate = '23505';

TRUNCATE sent;
COPY sent FROM :'complete' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/INTAKE'), 42::bigint,
		  'after the fixes the 42 answers of the submission are stored');
SELECT is_empty(
	$$SELECT s.ref, i.code FROM ideal.subject s
		JOIN ideal.indicator i ON i.methodology = 'ideal-2.0' AND i.kind = 'group'
	   WHERE s.cycle = 'T/INTAKE'
	  UNION ALL
	  SELECT a, i.code FROM unnest(ARRAY['drug_trafficking', 'arms_trafficking']) a
		JOIN ideal.indicator i ON i.methodology = 'ideal-2.0' AND i.kind = 'crime_area'
	  EXCEPT ALL
	  SELECT subject, indicator FROM ideal.observation WHERE cycle = 'T/INTAKE'$$,
	'every question of the submission is answered');
SELECT results_eq(
	$$SELECT answer, grading::text FROM ideal.observation WHERE cycle = 'T/INTAKE' ORDER BY 1, 2$$,
	$$SELECT answer, nullif(grading, '')::ideal.grading::text FROM sent ORDER BY 1, 2$$,
	'the answers stored are those of the correct file');
SELECT is((SELECT count(*) FROM ideal.rejected WHERE cycle = 'T/INTAKE'), 0::bigint,
		  'nothing is left in ideal.rejected');

------------------------------------------------------------------------
-- files as they come: byte-order mark, CRLF, Windows-1252, semicolons and
-- decimal commas, another column order
------------------------------------------------------------------------
DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject_kind = 'crime_area';
RESET ideal.on_invalid;

COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'bom' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM ideal.observation
			WHERE cycle = 'T/INTAKE' AND subject = 'drug_trafficking'), 6::bigint,
		  'UTF-8 byte-order mark before the header: HEADER true skips it with the header');
DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject_kind = 'crime_area';
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'bom_noheader' WITH (FORMAT csv);
SELECT results_eq(
	$$SELECT cycle, indicator FROM ideal.observation
	   WHERE cycle = 'T/INTAKE' AND subject = 'drug_trafficking' ORDER BY id$$,
	$$VALUES ('T/INTAKE', 'prevalence'), ('T/INTAKE', 'harm')$$,
	'byte-order mark before data: the intake view drops it from the first field');
SET ideal.on_invalid = 'reject';
COPY ideal.observation (cycle, country, subject, indicator, answer, grading)
	FROM :'bom_noheader' WITH (FORMAT csv);
RESET ideal.on_invalid;
SELECT results_eq(
	$$SELECT sqlstate, cycle = E'\uFEFFT/INTAKE' FROM ideal.rejected
	   WHERE target = 'ideal.observation' ORDER BY id$$,
	$$VALUES ('23503', true), ('23505', false)$$,
	'straight into the table the mark stays in the cycle, which then does not exist');
DELETE FROM ideal.rejected WHERE target = 'ideal.observation';

DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject_kind = 'crime_area';
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'crlf' WITH (FORMAT csv, HEADER true);
SELECT results_eq(
	$$SELECT count(*), bool_and(answer !~ E'[\r\n]' AND grading::text !~ E'[\r\n]')
		FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject = 'arms_trafficking'$$,
	$$VALUES (6::bigint, true)$$,
	'CRLF line ends: six rows, no carriage return left in any value');

SELECT throws_ok(format($$COPY ideal.observation_intake (cycle, country, subject,
		indicator, answer, grading) FROM %L WITH (FORMAT csv, HEADER true, DELIMITER ';')$$,
		:'win1252'),
	'22021', NULL,
	'Windows-1252 read as UTF-8 is refused (invalid byte sequence)');
DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject = 'MX-102';
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'win1252' WITH (FORMAT csv, HEADER true, DELIMITER ';', ENCODING 'WIN1252');
SELECT results_eq(
	$$SELECT indicator, answer, value FROM ideal.observation
	   WHERE cycle = 'T/INTAKE' AND subject = 'MX-102' ORDER BY id$$,
	$$VALUES ('violence', 'médio', 2::float8), ('corruption', 'Bajo', 1),
			 ('international_dimension', 'muy alto', 4),
			 ('countermeasures', 'desconocido', NULL)$$,
	'Windows-1252 with ENCODING ''WIN1252'': accented labels and answers read right');
DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject = 'MX-102';
SET client_encoding = 'WIN1252';
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading)
	FROM :'win1252' WITH (FORMAT csv, HEADER true, DELIMITER ';');
RESET client_encoding;
SELECT is((SELECT string_agg(answer, ',' ORDER BY id) FROM ideal.observation
			WHERE cycle = 'T/INTAKE' AND subject = 'MX-102'),
		  'médio,Bajo,muy alto,desconocido',
		  'Windows-1252 with client_encoding = WIN1252: the same');

DELETE FROM ideal.observation WHERE cycle = 'T/INTAKE' AND subject = 'MX-103';
SELECT throws_ok(format($$COPY ideal.observation_intake (cycle, country, subject,
		indicator, answer, grading) FROM %L WITH (FORMAT csv, HEADER match)$$, :'reordered'),
	'22P04', NULL,
	'HEADER match refuses a file whose header is in another order than the column list');
COPY ideal.observation_intake (answer, indicator, subject, grading, country, cycle)
	FROM :'reordered' WITH (FORMAT csv, HEADER match);
SELECT results_eq(
	$$SELECT indicator, answer, grading::text FROM ideal.observation
	   WHERE cycle = 'T/INTAKE' AND subject = 'MX-103' ORDER BY id$$,
	$$VALUES ('violence', 'alto', 'B2'), ('longevity', 'Bajo', NULL)$$,
	'another column order: the column list in the header''s order, checked by HEADER match');

COPY ideal.observation_intake (cycle, country, subject, indicator, answer)
	FROM :'semicolon' WITH (FORMAT csv, HEADER true, DELIMITER ';');
SELECT results_eq(
	$$SELECT subject, indicator, answer, value FROM ideal.observation
	   WHERE cycle = 'T/GITOC' ORDER BY id$$,
	$$VALUES ('MX', 'cocaine_trade', '9,5', 9.5::float8), ('MX', 'arms_trafficking', '7,0', 7),
			 ('MX', 'cannabis_trade', '6', 6), ('MX', 'mafia_style_groups', '8,5', 8.5)$$,
	'semicolons and decimal commas: DELIMITER '';'' and the trigger reads the comma');

------------------------------------------------------------------------
-- wide intake: one row per group, one column per indicator
------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT v.methodology, v.subject_kind, v.intake_view FROM ideal.intake_view v
		JOIN ideal.methodology m ON m.code = v.methodology AND m.bundled ORDER BY 1, 2$$,
	$$VALUES ('gitoc-2021', 'country', 'ideal."gitoc-2021_country_intake"'::regclass),
			 ('gitoc-2023', 'country', 'ideal."gitoc-2023_country_intake"'),
			 ('gitoc-2025', 'country', 'ideal."gitoc-2025_country_intake"'),
			 ('ideal-2.0', 'crime_area', 'ideal."ideal-2.0_crime_area_intake"'),
			 ('ideal-2.0', 'group', 'ideal."ideal-2.0_group_intake"'),
			 ('sleipnir', 'group', 'ideal.sleipnir_group_intake')$$,
	'every bundled methodology has a wide intake view per subject kind');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
			WHERE attrelid = 'ideal."ideal-2.0_group_intake"'::regclass AND attnum > 0),
		  ARRAY['cycle', 'country', 'subject', 'grading', 'handling', 'note']
		  || ARRAY(SELECT code FROM ideal.indicator
					WHERE methodology = 'ideal-2.0' AND kind = 'group' ORDER BY position),
		  'its columns: the row''s own, then one per indicator code, in the methodology''s order');

INSERT INTO ideal.subject (cycle, country, ref, primary_area)
VALUES ('T/WIDE', 'MX', 'MX-201', 'drug_trafficking'), ('T/WIDE', 'MX', 'MX-202', 'cybercrime'),
	   ('T/WIDE', 'MX', 'MX-203', 'arms_trafficking');
SET ideal.on_invalid = 'reject';
COPY ideal."ideal-2.0_group_intake" (cycle, country, subject, grading, violence,
									 corruption, territorial_control, longevity)
	FROM :'wide' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/WIDE'), 9::bigint,
		  'wide: the 9 good answers of 11 are stored');
SELECT results_eq(
	$$SELECT target, subject, indicator, answer, sqlstate, submitted->>'country'
		FROM ideal.rejected WHERE cycle = 'T/WIDE' ORDER BY id$$,
	$$VALUES ('ideal."ideal-2.0_group_intake"', 'MX-203', 'corruption', 'extremo', '22023', 'MEX'),
			 ('ideal."ideal-2.0_group_intake"', 'MX-201', 'longevity', 'alto', '22P02', 'XX')$$,
	'wide: a bad cell and the cell of a row with a bad country are rejected, each with its whole row');
SELECT results_eq(
	$$SELECT subject, grading, violence, corruption, territorial_control, longevity
		FROM ideal."ideal-2.0_group_intake" WHERE cycle = 'T/WIDE' ORDER BY subject$$,
	$$VALUES ('MX-201', 'B2', 'alto', 'muy alto', 'Moderado', NULL),
			 ('MX-202', 'A1', 'bajo', NULL, 'nulo', 'desconocido'),
			 ('MX-203', 'EU:B2', '3', NULL, '2', '1')$$,
	'wide: reading the view shows the answers stored, one row per group');
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{corruption}', '"alto"')
 WHERE cycle = 'T/WIDE' AND indicator = 'corruption';
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{country}', '"MX"')
 WHERE cycle = 'T/WIDE' AND submitted->>'country' = 'XX';
SELECT results_eq(
	$$SELECT * FROM ideal.load_rejected(ARRAY(SELECT id FROM ideal.rejected WHERE cycle = 'T/WIDE'))$$,
	$$VALUES (2::bigint, 0::bigint)$$,
	'wide: corrected cells load again, in long form');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'T/WIDE'), 11::bigint,
		  'wide: all 11 answers sent are stored');
RESET ideal.on_invalid;

-- a methodology's wide views come and go with it
SELECT ideal.load_methodology($yaml$
methodology: intake-test-1
version: "1"
title: {en: Intake test}
languages: [en, es]
scales:
  yn: {kind: ordinal, levels: [{code: "no", value: 0, labels: {en: "No", es: "No"}},
                              {code: "yes", value: 1, labels: {en: "Yes", es: "Sí"}}]}
subject_kinds: [group, country]
indicators:
  - {code: has-weapons, kind: group, scale: yn, labels: {en: Has weapons, es: Tiene armas}}
  - {code: reach, kind: group, scale: yn, labels: {en: Reach, es: Alcance}}
  - {code: open_border, kind: country, scale: yn, labels: {en: Open border, es: Frontera abierta}}
members: [MX]
$yaml$) AS loaded \gset
SELECT results_eq(
	$$SELECT subject_kind, intake_view FROM ideal.intake_view
	   WHERE methodology = 'intake-test-1' ORDER BY 1$$,
	$$VALUES ('country', 'ideal."intake-test-1_country_intake"'::regclass),
			 ('group', 'ideal."intake-test-1_group_intake"')$$,
	'loading a methodology creates its wide views');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
			WHERE attrelid = 'ideal."intake-test-1_group_intake"'::regclass AND attnum > 5),
		  ARRAY['note', 'has-weapons', 'reach'],
		  'indicator codes name the columns (quoted identifiers where needed)');
SELECT is(col_description('ideal."intake-test-1_group_intake"'::regclass, 7), 'Has weapons',
		  'each indicator column carries the indicator''s English label');
INSERT INTO ideal.cycle (code, methodology) VALUES ('T/TEST1', 'intake-test-1');
INSERT INTO ideal.subject (cycle, country, ref) VALUES ('T/TEST1', 'MX', 'G-1');
INSERT INTO ideal."intake-test-1_group_intake" (cycle, country, subject, "has-weapons", reach)
VALUES ('T/TEST1', 'MX', 'G-1', 'Sí', 'no');
SELECT results_eq(
	$$SELECT subject_kind, indicator, value FROM ideal.observation WHERE cycle = 'T/TEST1' ORDER BY id$$,
	$$VALUES ('group', 'has-weapons', 1::float8), ('group', 'reach', 0)$$,
	'INSERT into a wide view writes the long form');
SELECT throws_ok(
	$$INSERT INTO ideal."intake-test-1_group_intake" (cycle, country, subject, reach)
	  VALUES ('T/WIDE', 'MX', 'MX-201', 'yes')$$,
	'22023', 'cycle "T/WIDE" does not use methodology "intake-test-1"',
	'a wide view refuses rows of a cycle of another methodology');
SELECT is(ideal.create_intake_views('intake-test-1'),
		  ARRAY['ideal."intake-test-1_group_intake"', 'ideal."intake-test-1_country_intake"'],
		  'create_intake_views leaves existing views as they are and names them');
DELETE FROM ideal.observation WHERE cycle = 'T/TEST1';
DELETE FROM ideal.subject WHERE cycle = 'T/TEST1';
DELETE FROM ideal.cycle WHERE code = 'T/TEST1';
SELECT ideal.drop_methodology('intake-test-1') AS dropped \gset
SELECT ok(to_regclass('ideal."intake-test-1_group_intake"') IS NULL
		  AND to_regclass('ideal."intake-test-1_country_intake"') IS NULL
		  AND NOT EXISTS (SELECT 1 FROM ideal.intake_view WHERE methodology = 'intake-test-1'),
		  'dropping the methodology drops its wide views');

------------------------------------------------------------------------
-- history of changes in the open cycle
------------------------------------------------------------------------
UPDATE ideal.observation SET answer = 'nulo'
 WHERE cycle = 'T/WIDE' AND subject = 'MX-201' AND indicator = 'violence';
DELETE FROM ideal.observation
 WHERE cycle = 'T/WIDE' AND subject = 'MX-202' AND indicator = 'violence';
SELECT results_eq(
	$$SELECT operation, changed_by::text, subject, indicator, answer, changed_at = now()
		FROM ideal.observation_history WHERE cycle = 'T/WIDE' ORDER BY history_id$$,
	$$VALUES ('UPDATE', current_user::text, 'MX-201', 'violence', 'alto', true),
			 ('DELETE', current_user::text, 'MX-202', 'violence', 'bajo', true)$$,
	'an update and a delete keep the previous row, the role and the time');
SELECT is((SELECT value FROM ideal.observation
			WHERE cycle = 'T/WIDE' AND subject = 'MX-201' AND indicator = 'violence'),
		  0::float8, 'the update was validated and normalised');

------------------------------------------------------------------------
-- subjects: what the trigger refuses
------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area)
				   VALUES ('T/WIDE', 'MX', 'MX-9', 'banda armada', 'drug_trafficking')$$,
				 '22023', 'unknown typology "banda armada" in methodology "ideal-2.0"',
				 'a typology the methodology does not know is refused');
SELECT throws_ok($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
				   VALUES ('T/WIDE', 'MX', 'MX-9', 'drug_trafficking; arms_trafficking')$$,
				 '22023', 'group "MX-9" has more than one primary crime area',
				 'two primary crime areas are refused');
SELECT throws_ok($$INSERT INTO ideal.subject (cycle, country, ref) VALUES ('T/WIDE', 'MX', 'MX-9')$$,
				 '23502', 'group "MX-9" has no primary crime area',
				 'no primary crime area is refused');
SELECT throws_ok($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
				   VALUES ('T/WIDE', 'MX', ' MX-201 ', 'cybercrime')$$,
				 '23505', 'group "MX-201" is already described for country MX in cycle "T/WIDE"',
				 'a reference is unique per country and cycle (blanks trimmed)');
SELECT throws_ok($$DELETE FROM ideal.subject WHERE cycle = 'T/WIDE' AND ref = 'MX-201'$$,
				 '2BP01', 'group "MX-201" has observations',
				 'a group with observations cannot be deleted');

------------------------------------------------------------------------
-- figures in a Spanish spreadsheet's number format
------------------------------------------------------------------------
CREATE TEMP TABLE fig_stage (line bigserial, country text, year text, quantity text,
							 unit text, item text, value text);
COPY fig_stage (country, year, quantity, unit, item, value)
	FROM :'figures' WITH (FORMAT csv, HEADER true, DELIMITER ';');
SET ideal.on_invalid = 'reject';
INSERT INTO ideal.figure_intake (cycle, country, crime_area, quantity, unit, year,
								 value, decimal_separator, item, source, source_ref)
SELECT 'T/WIDE', country,
	   CASE quantity WHEN 'seizures' THEN 'drug_trafficking' ELSE 'human_trafficking' END,
	   quantity, unit, year, value, ',', item, 'Informe nacional (ficticio)',
	   'figures_semicolon.csv:' || (line + 1)
  FROM fig_stage ORDER BY line;
RESET ideal.on_invalid;
SELECT results_eq(
	$$SELECT item, value_text, value, flags FROM ideal.figure WHERE cycle = 'T/WIDE' ORDER BY id$$,
	$$VALUES ('Cocaína', '1.234,5', 1234.5, '{}'::text[]), ('Cannabis', '18.250', 18250, '{}'),
			 ('Explotación sexual', '<5', NULL, '{suppressed}'),
			 ('Trabajo forzoso', '12', 12, '{}')$$,
	'figures with decimal_separator '','': thousands dots, a decimal comma, a suppressed value');
SELECT results_eq(
	$$SELECT sqlstate, message, answer FROM ideal.rejected WHERE target = 'ideal.figure_intake'$$,
	$$VALUES ('22P02', 'figure value "mil" is not a number', 'mil')$$,
	'a value that is no number is rejected with the reason');
SELECT is((SELECT count(*) FROM ideal.figure WHERE cycle = 'T/WIDE')
		  + (SELECT count(*) FROM ideal.rejected WHERE target = 'ideal.figure_intake'),
		  (SELECT count(*) FROM fig_stage), 'figures stored + rejected = sent');
INSERT INTO ideal.figure_intake (cycle, country, crime_area, quantity, unit, year, value, source)
VALUES ('T/WIDE', 'MX', 'drug_trafficking', 'seizures', 'kg', '2021', '1.234,5', 'test'),
	   ('T/WIDE', 'MX', 'drug_trafficking', 'seizures', 'kg', '2021', '18.250', 'test');
SELECT results_eq(
	$$SELECT value, flags FROM ideal.figure WHERE source = 'test' ORDER BY id$$,
	$$VALUES (1234.5, '{separator_guessed}'::text[]), (18.25, '{repeated_key}')$$,
	'without decimal_separator the point is decimal; a value only the comma can read is flagged, and a repeated key too');

SELECT * FROM finish();
ROLLBACK;
