-- Real input: the Global Organized Crime Index 2021, 2023 and 2025 files of
-- ../shared/data/ocindex, loaded through ideal.observation with COPY.  Every
-- published Criminal markets, Criminal actors, Criminality and Resilience
-- score (2,316 of them) must equal the computed score rounded to two
-- decimals half away from zero.  The published values are read from the
-- same files' summary rows, never typed in.  Skipped when ../shared is absent.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT :'shared' = '' AS no_shared \gset

\if :no_shared
SELECT plan(1);
SELECT skip('../shared/data/ocindex is absent: real-data comparison skipped', 1);
\else
CREATE TEMP TABLE oc (edition text, country_iso3 text, country_name text,
	region text, indicator_group text, indicator text, score numeric);
\set f2021 :shared '/data/ocindex/ocindex_2021_global.csv'
\set f2023 :shared '/data/ocindex/ocindex_2023_global.csv'
\set f2025 :shared '/data/ocindex/ocindex_2025_global.csv'
COPY oc FROM :'f2021' WITH (FORMAT csv, HEADER true);
COPY oc FROM :'f2023' WITH (FORMAT csv, HEADER true);
COPY oc FROM :'f2025' WITH (FORMAT csv, HEADER true);

SELECT plan(12);

INSERT INTO ideal.cycle (code, methodology)
	VALUES ('gitoc-2021', 'gitoc-2021'), ('gitoc-2023', 'gitoc-2023'),
		   ('gitoc-2025', 'gitoc-2025');

-- the observations go in by COPY, indicators named by their published label
CREATE TEMP TABLE oc_rows AS
SELECT 'gitoc-' || edition AS cycle, country_iso3 AS country,
	   country_iso3 AS subject, indicator, score::text AS answer
  FROM oc WHERE indicator_group <> 'summary';
\set rows_file '/tmp/ideal_gitoc_rows.csv'
COPY oc_rows TO :'rows_file' WITH (FORMAT csv);
COPY ideal.observation (cycle, country, subject, indicator, answer)
	FROM :'rows_file' WITH (FORMAT csv);

SELECT is((SELECT count(*) FROM ideal.observation)::int,
		  (SELECT count(*) FROM oc WHERE indicator_group <> 'summary')::int,
		  'every indicator row of the three editions is loaded');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'gitoc-2021')::int,
		  193 * 26, '2021: 193 countries x 26 indicators');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'gitoc-2023')::int,
		  193 * 32, '2023: 193 countries x 32 indicators');
SELECT is((SELECT count(*) FROM oc WHERE indicator_group = 'summary')::int, 2316,
		  'the files publish 2,316 summary scores');

CREATE TEMP TABLE cmp AS
SELECT p.edition, p.country_iso3, p.indicator, p.score AS published,
	   s.score AS computed
  FROM oc p
  LEFT JOIN (ideal.subject_score s
			 JOIN ideal.composite c
			   ON c.methodology = s.methodology AND c.code = s.composite)
	ON s.cycle = 'gitoc-' || p.edition
   AND ideal.country_alpha3(s.country) = p.country_iso3
   AND c.labels->>'en' = p.indicator
 WHERE p.indicator_group = 'summary';

SELECT is((SELECT count(*) FROM cmp WHERE computed IS NOT NULL)::int, 2316,
		  'a computed score exists for every published one');
SELECT is((SELECT count(*) FROM cmp
			WHERE round(computed, 2) = published)::int, 2316,
		  'all 2,316 computed scores, rounded half away from zero, equal the published ones');
SELECT is_empty($$SELECT edition, country_iso3, indicator, published, computed
					FROM cmp WHERE round(computed, 2) IS DISTINCT FROM published$$,
				'no score differs from the published value');
SELECT ok((SELECT bool_and(s.exact) FROM ideal.subject_score s
			WHERE s.cycle LIKE 'gitoc-%'),
		  'every GI-TOC composite is computed exactly (rational arithmetic)');

-- spot checks quoted in ../shared/data/ocindex/SOURCE.md, read from the file
SELECT is((SELECT round(computed, 2) FROM cmp WHERE edition = '2023'
			AND country_iso3 = 'COL' AND indicator = 'Criminality'),
		  (SELECT score FROM oc WHERE edition = '2023' AND country_iso3 = 'COL'
			AND indicator = 'Criminality'),
		  'Colombia 2023 criminality as published');
SELECT is((SELECT round(computed, 2) FROM cmp WHERE edition = '2025'
			AND country_iso3 = 'MEX' AND indicator = 'Criminal markets'),
		  (SELECT score FROM oc WHERE edition = '2025' AND country_iso3 = 'MEX'
			AND indicator = 'Criminal markets'),
		  'Mexico 2025 criminal markets as published');
-- a half-way case: an exact mean ending in 5 at the third decimal must round up
SELECT cmp_ok((SELECT count(*) FROM cmp
				WHERE computed * 1000 = trunc(computed * 1000)
				  AND mod(trunc(computed * 1000), 10) = 5)::int, '>', 0,
			  'the data hold exact half-way scores (x.xx5), and they round as published');
SELECT is((SELECT count(DISTINCT country) FROM ideal.observation)::int, 193,
		  '193 countries, stored as ideal.country');
\endif

SELECT * FROM finish();
ROLLBACK;
