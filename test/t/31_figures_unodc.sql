-- Real input for ideal.figure: UNODC's drug seizures 2018-2022 and GLOTIP
-- 2025 files for the Americas (../shared/data/unodc, see its SOURCE.md),
-- staged as text and loaded through ideal.figure_intake in reject mode.
-- Nothing is lost: rows stored + rows rejected = rows sent; what SOURCE.md
-- describes (repeated keys, "<5", broken characters, the corrupt cell) is
-- stored and flagged.  The expected counts are SOURCE.md's, and those of an
-- independent count of the files (Python's csv module), noted beside them.
-- Skipped when ../shared is absent.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT :'shared' = '' AS no_shared \gset

\if :no_shared
SELECT plan(1);
SELECT skip('../shared/data/unodc is absent: real-data figures skipped', 1);
\else
SELECT plan(19);
\set seizures :shared '/data/unodc/unodc_drug_seizures_2018_2022_americas.csv'
\set glotip :shared '/data/unodc/unodc_glotip_2025_americas.csv'

-- the text staging path: the file as it is, every column text, line numbers
CREATE TEMP TABLE seizures_stage (line bigserial, region text, subregion text,
	country_name text, country_iso3 text, drug_group text, drug_subgroup text,
	drug_name text, year text, kilograms text);
COPY seizures_stage (region, subregion, country_name, country_iso3, drug_group,
					 drug_subgroup, drug_name, year, kilograms)
	FROM :'seizures' WITH (FORMAT csv, HEADER true);
CREATE TEMP TABLE glotip_stage (line bigserial, country_iso3 text,
	country_name text, region text, subregion text, indicator text,
	dimension text, category text, sex text, age text, year text, unit text,
	value_text text, value_count text, check_vs_2023_release text,
	value_text_2023_release text);
COPY glotip_stage (country_iso3, country_name, region, subregion, indicator,
				   dimension, category, sex, age, year, unit, value_text,
				   value_count, check_vs_2023_release, value_text_2023_release)
	FROM :'glotip' WITH (FORMAT csv, HEADER true);
SELECT is((SELECT count(*) FROM seizures_stage), 1984::bigint,
		  'drug seizures: 1,984 rows sent (SOURCE.md)');
SELECT is((SELECT count(*) FROM glotip_stage), 10915::bigint,
		  'GLOTIP: 10,915 rows sent (SOURCE.md)');

SET ideal.on_invalid = 'reject';
INSERT INTO ideal.figure_intake (methodology, country, crime_area, quantity, unit,
								 year, value, item, breakdown, source, source_ref)
SELECT 'ideal-2.0', country_iso3, 'drug_trafficking', 'seizures', 'kg', year,
	   kilograms, drug_name,
	   json_build_object('drug_group', drug_group, 'drug_subgroup', drug_subgroup)::text,
	   'UNODC World Drug Report, table 7.1', 'seizures:' || (line + 1)
  FROM seizures_stage ORDER BY line;
INSERT INTO ideal.figure_intake (methodology, country, crime_area, quantity, unit,
								 year, value, value_check, item, breakdown, source,
								 source_ref)
SELECT 'ideal-2.0', country_iso3, 'human_trafficking', indicator, unit, year,
	   value_text, coalesce(value_count, ''), category,
	   json_build_object('dimension', dimension, 'sex', sex, 'age', age)::text,
	   'UNODC GLOTIP 14/04/2025', 'glotip:' || (line + 1)
  FROM glotip_stage ORDER BY line;
RESET ideal.on_invalid;

CREATE TEMP VIEW seiz AS
SELECT * FROM ideal.figure WHERE source = 'UNODC World Drug Report, table 7.1';
CREATE TEMP VIEW tip AS
SELECT * FROM ideal.figure WHERE source = 'UNODC GLOTIP 14/04/2025';

-- drug seizures
SELECT is((SELECT count(*) FROM seiz)
		  + (SELECT count(*) FROM ideal.rejected WHERE target = 'ideal.figure_intake'
			  AND indicator = 'seizures'),
		  1984::bigint, 'drug seizures: rows stored + rows rejected = rows sent');
SELECT is((SELECT count(*) FROM seiz), 1984::bigint,
		  'drug seizures: every row is stored (every country code and number reads)');
SELECT is_empty($$SELECT s.line FROM seizures_stage s
				  LEFT JOIN seiz f ON f.source_ref = 'seizures:' || (s.line + 1)
				 WHERE f.value IS DISTINCT FROM s.kilograms::numeric
					OR f.value_text IS DISTINCT FROM s.kilograms$$,
				'drug seizures: each value is kept as written and read as the same number PostgreSQL reads (3.41e-05 included)');
SELECT is((SELECT sum(rows) FROM ideal.figure_repeats
			WHERE source = 'UNODC World Drug Report, table 7.1'), 1044::numeric,
		  'drug seizures: 1,044 rows share their key with another (SOURCE.md; 376 keys)');
SELECT is((SELECT count(*) FROM seiz WHERE 'repeated_key' = ANY (flags)), 1044::bigint - 376,
		  'drug seizures: every row after the first of a repeated key is flagged');
SELECT results_eq(
	$$SELECT values FROM ideal.figure_repeats
	   WHERE source = 'UNODC World Drug Report, table 7.1' AND country = 'HN'
		 AND year = 2021 AND item = 'Cocaine hydrochloride'$$,
	$$VALUES ('{17545,2.1007}'::text[])$$,
	'drug seizures: Honduras 2021 cocaine, twice (17,545 and 2.1 kg), both kept, not summed');
SELECT is((SELECT value FROM seiz WHERE country = 'CO' AND year = 2021
			AND item = 'Cocaine hydrochloride'), 669340.0479,
		  'drug seizures: Colombia 2021 cocaine hydrochloride, 669,340 kg (SOURCE.md)');

-- trafficking in persons
SELECT is((SELECT count(*) FROM tip)
		  + (SELECT count(*) FROM ideal.rejected WHERE target = 'ideal.figure_intake'
			  AND subject = 'human_trafficking'),
		  10915::bigint, 'GLOTIP: rows stored + rows rejected = rows sent');
SELECT is((SELECT count(*) FROM tip), 10915::bigint, 'GLOTIP: every row is stored');
SELECT results_eq(
	$$SELECT count(*), count(value) FROM tip WHERE value_text = '<5'$$,
	$$VALUES (5188::bigint, 0::bigint)$$,
	'GLOTIP: the 5,188 "<5" values are kept as written, with no number (SOURCE.md)');
SELECT is((SELECT count(*) FROM tip WHERE 'suppressed' = ANY (flags)), 5188::bigint,
		  'GLOTIP: and flagged suppressed');
SELECT is((SELECT count(*) FROM tip WHERE 'replacement_character' = ANY (flags)), 92::bigint,
		  'GLOTIP: the 92 rows with a broken character are kept and flagged (SOURCE.md)');
SELECT results_eq(
	$$SELECT country::text, year, value_text, value, flags FROM tip
	   WHERE 'source_disagrees' = ANY (flags)$$,
	$$VALUES ('SV', 2021, '6,112,019', NULL::numeric,
			  '{replacement_character,source_disagrees}'::text[])$$,
	'GLOTIP: the corrupt cell (El Salvador 2021, 6,112,019) is kept as written, flagged, with no number');
SELECT is_empty($$SELECT s.line FROM glotip_stage s
				  JOIN tip f ON f.source_ref = 'glotip:' || (s.line + 1)
				 WHERE s.value_count IS NOT NULL
				   AND f.value IS DISTINCT FROM s.value_count::numeric$$,
				'GLOTIP: every value UNODC reads as a number (1,590 and the like included) is read the same');
SELECT is((SELECT count(*) FROM tip WHERE value_text LIKE '%,%' AND value IS NOT NULL),
		  162::bigint,
		  'GLOTIP: 162 values with thousands separators read (163 written so, less the corrupt one)');
SELECT is((SELECT sum(rows) FROM ideal.figure_repeats
			WHERE source = 'UNODC GLOTIP 14/04/2025'), 407::numeric,
		  'GLOTIP: 407 rows share their key (SOURCE.md: duplicate_key_in_2025_release)');
SELECT results_eq(
	$$SELECT quantity, count(*) FROM tip GROUP BY 1 ORDER BY 1$$,
	$$VALUES ('detected_trafficking_victims', 7492::bigint),
			 ('offences_of_trafficking_in_persons', 271),
			 ('persons_brought_into_formal_contact', 808),
			 ('persons_convicted', 1501), ('persons_prosecuted', 843)$$,
	'GLOTIP: the five indicators as quantities, with SOURCE.md''s row counts');
\endif

SELECT * FROM finish();
ROLLBACK;
