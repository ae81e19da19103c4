-- Trends against independent numbers: the Global Organized Crime Index
-- 2021, 2023 and 2025 (../shared/data/ocindex), loaded as three cycles.
-- For every country and composite the trend gives a before and an after
-- that, rounded to two decimals half away from zero, equal the published
-- value of its edition, and a change equal to their difference, also from
-- 2021 (10 markets, 4 actor types) to 2023 (15 markets, 5 actor types),
-- where the trend names the indicators the two editions share.  Published
-- values and indicator names are read from the files, never typed in.
-- Skipped when ../shared is absent.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT :'shared' = '' AS no_shared \gset

\if :no_shared
SELECT plan(1);
SELECT skip('../shared/data/ocindex is absent: GI-TOC trend comparison skipped', 1);
\else
SELECT plan(21);
CREATE TEMP TABLE oc (edition text, country_iso3 text, country_name text,
	region text, indicator_group text, indicator text, score numeric);
\set f2021 :shared '/data/ocindex/ocindex_2021_global.csv'
\set f2023 :shared '/data/ocindex/ocindex_2023_global.csv'
\set f2025 :shared '/data/ocindex/ocindex_2025_global.csv'
COPY oc FROM :'f2021' WITH (FORMAT csv, HEADER true);
COPY oc FROM :'f2023' WITH (FORMAT csv, HEADER true);
COPY oc FROM :'f2025' WITH (FORMAT csv, HEADER true);

-- opened in edition order, as the consecutive-cycle view expects
INSERT INTO ideal.cycle (code, methodology) VALUES ('gitoc-2021', 'gitoc-2021');
INSERT INTO ideal.cycle (code, methodology) VALUES ('gitoc-2023', 'gitoc-2023');
INSERT INTO ideal.cycle (code, methodology) VALUES ('gitoc-2025', 'gitoc-2025');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'gitoc-' || edition, country_iso3::ideal.country, country_iso3, indicator,
	   score::text
  FROM oc WHERE indicator_group <> 'summary';

-- published summary scores, keyed by composite code through the
-- methodology's English label (the publisher's name)
CREATE TEMP TABLE pub AS
SELECT 'gitoc-' || p.edition AS cycle, p.country_iso3, k.code AS composite,
	   p.score AS published
  FROM oc p
  JOIN ideal.composite k
	ON k.methodology = 'gitoc-' || p.edition AND k.labels ->> 'en' = p.indicator
 WHERE p.indicator_group = 'summary';
SELECT is((SELECT count(*)::int FROM pub), 3 * 193 * 4,
		  'four published summary scores per country and edition');

CREATE TEMP TABLE tr AS
SELECT t.*, ideal.country_alpha3(t.country) AS iso3 FROM ideal.cycle_trend t;
CREATE TEMP TABLE tr2125 AS
SELECT t.*, ideal.country_alpha3(t.country) AS iso3
  FROM ideal.trend('gitoc-2021', 'gitoc-2025') t;

SELECT set_eq($$SELECT DISTINCT cycle_before, cycle_after FROM tr$$,
			  $$VALUES ('gitoc-2021', 'gitoc-2023'), ('gitoc-2023', 'gitoc-2025')$$,
			  'the consecutive-cycle view pairs 2021 with 2023 and 2023 with 2025');
SELECT is((SELECT count(*)::int FROM tr), 2 * 193 * 4,
		  'one trend row per country and composite for each pair');
SELECT is((SELECT count(*)::int FROM tr2125), 193 * 4,
		  'ideal.trend(2021, 2025): one row per country and composite');

-- every before and after is its edition's published value, rounded as published
CREATE TEMP TABLE cmp AS
SELECT t.cycle_before, t.cycle_after, t.iso3, t.composite, t.before, t.after,
	   t.change, t.change_rounded, b.published AS pub_before, a.published AS pub_after
  FROM (SELECT * FROM tr UNION ALL SELECT * FROM tr2125) t
  LEFT JOIN pub b ON b.cycle = t.cycle_before AND b.country_iso3 = t.iso3
				 AND b.composite = t.composite
  LEFT JOIN pub a ON a.cycle = t.cycle_after AND a.country_iso3 = t.iso3
				 AND a.composite = t.composite;
SELECT is((SELECT count(*)::int FROM cmp WHERE pub_before IS NOT NULL AND pub_after IS NOT NULL),
		  3 * 193 * 4, 'every trend row has a published before and after');
SELECT is_empty($$SELECT cycle_before, iso3, composite, before, pub_before FROM cmp
				   WHERE round(before, 2) IS DISTINCT FROM pub_before$$,
				'every before equals the published value of its edition (2,316 rows)');
SELECT is_empty($$SELECT cycle_after, iso3, composite, after, pub_after FROM cmp
				   WHERE round(after, 2) IS DISTINCT FROM pub_after$$,
				'every after equals the published value of its edition');
SELECT is_empty($$SELECT iso3, composite FROM cmp WHERE change IS DISTINCT FROM after - before$$,
				'change = after - before, exactly');
SELECT is_empty($$SELECT cycle_before, cycle_after, iso3, composite, change_rounded,
						pub_after - pub_before FROM cmp
				   WHERE change_rounded IS DISTINCT FROM pub_after - pub_before$$,
				'the rounded change equals the difference of the published values');
SELECT cmp_ok((SELECT count(*)::int FROM cmp
				WHERE round(change, 2) <> pub_after - pub_before), '>', 0,
			  'and that needs care: rounding the exact change would differ for some rows');

-- the indicators the editions share, named from the files
CREATE TEMP TABLE names AS
SELECT DISTINCT edition, indicator_group, indicator FROM oc WHERE indicator_group <> 'summary';
SELECT results_eq(
	$$SELECT composite, indicators_before, indicators_after, shared_indicators, same_indicators
		FROM tr WHERE cycle_before = 'gitoc-2021' AND iso3 = 'COL' ORDER BY composite$$,
	$$SELECT k, nb, na, ns, nb = ns AND na = ns
		FROM (SELECT 'criminal_actors' AS k,
					 (SELECT count(*)::int FROM names WHERE edition = '2021' AND indicator_group = 'criminal_actor') nb,
					 (SELECT count(*)::int FROM names WHERE edition = '2023' AND indicator_group = 'criminal_actor') na,
					 (SELECT count(*)::int FROM names a JOIN names b USING (indicator_group, indicator)
					   WHERE a.edition = '2021' AND b.edition = '2023' AND indicator_group = 'criminal_actor') ns
			  UNION ALL
			  SELECT 'criminal_markets',
					 (SELECT count(*)::int FROM names WHERE edition = '2021' AND indicator_group = 'criminal_market'),
					 (SELECT count(*)::int FROM names WHERE edition = '2023' AND indicator_group = 'criminal_market'),
					 (SELECT count(*)::int FROM names a JOIN names b USING (indicator_group, indicator)
					   WHERE a.edition = '2021' AND b.edition = '2023' AND indicator_group = 'criminal_market')
			  UNION ALL
			  SELECT 'criminality',
					 (SELECT count(*)::int FROM names WHERE edition = '2021' AND indicator_group <> 'resilience'),
					 (SELECT count(*)::int FROM names WHERE edition = '2023' AND indicator_group <> 'resilience'),
					 (SELECT count(*)::int FROM names a JOIN names b USING (indicator_group, indicator)
					   WHERE a.edition = '2021' AND b.edition = '2023' AND indicator_group <> 'resilience')
			  UNION ALL
			  SELECT 'resilience',
					 (SELECT count(*)::int FROM names WHERE edition = '2021' AND indicator_group = 'resilience'),
					 (SELECT count(*)::int FROM names WHERE edition = '2023' AND indicator_group = 'resilience'),
					 (SELECT count(*)::int FROM names a JOIN names b USING (indicator_group, indicator)
					   WHERE a.edition = '2021' AND b.edition = '2023' AND indicator_group = 'resilience')) x
	   ORDER BY k$$,
	'2021 to 2023: indicators per composite on each side and shared, as the files list them');
SELECT is((SELECT markets FROM (SELECT DISTINCT composite, shared_indicators AS markets FROM tr
								 WHERE cycle_before = 'gitoc-2021' AND composite = 'criminal_markets') x),
		  10, 'the 2021 and 2023 criminal markets share 10 indicators');
SELECT set_eq($$SELECT DISTINCT (k.labels ->> 'en') FROM tr
				 CROSS JOIN LATERAL unnest(tr.only_after) u(code)
				 JOIN ideal.indicator k ON k.methodology = 'gitoc-2023' AND k.code = u.code
				WHERE tr.cycle_before = 'gitoc-2021' AND tr.composite = 'criminality'$$,
			  $$SELECT indicator FROM names WHERE edition = '2023' AND indicator_group <> 'resilience'
				EXCEPT SELECT indicator FROM names WHERE edition = '2021'$$,
			  'the trend names the markets and actor type added in 2023, as the files show them');
SELECT is_empty($$SELECT 1 FROM tr WHERE cycle_before = 'gitoc-2021'
				   AND cardinality(only_before) > 0$$,
				'no 2021 indicator was dropped in 2023');
SELECT ok((SELECT bool_and(same_indicators) FROM tr WHERE cycle_before = 'gitoc-2023'),
		  '2023 and 2025 have the same indicators under every composite');
SELECT ok((SELECT bool_and(same_indicators) FROM tr WHERE composite = 'resilience'),
		  'resilience keeps its 12 indicators in every edition');

-- like for like: both sides over the shared indicators, from the files
SELECT is_empty($$SELECT iso3 FROM tr WHERE cycle_before = 'gitoc-2021'
				   AND composite = 'criminal_markets' AND before_shared IS DISTINCT FROM before$$,
				'2021 markets over the shared indicators are all 2021 markets');
SELECT is_empty($$SELECT t.iso3, t.after_shared, x.m
					FROM tr t
					JOIN (SELECT a.country_iso3, round(avg(a.score), 15) AS m
							FROM oc a
						   WHERE a.edition = '2023' AND a.indicator_group = 'criminal_market'
							 AND a.indicator IN (SELECT indicator FROM names
												  WHERE edition = '2021'
													AND indicator_group = 'criminal_market')
						   GROUP BY a.country_iso3) x ON x.country_iso3 = t.iso3
				   WHERE t.cycle_before = 'gitoc-2021' AND t.composite = 'criminal_markets'
					 AND t.after_shared IS DISTINCT FROM x.m$$,
				'2023 markets over the 10 shared markets: the mean of those 10 published scores');
SELECT is_empty($$SELECT iso3 FROM tr WHERE change_shared IS DISTINCT FROM after_shared - before_shared$$,
				'change_shared = after_shared - before_shared');

-- level changes follow the bands of each edition
SELECT is_empty($$SELECT iso3 FROM tr WHERE composite = 'criminality'
				   AND (level_before IS NULL OR level_after IS NULL
						OR level_change <> level_after::int - level_before::int)$$,
				'criminality is banded in every edition and its level change is the difference of levels');
SELECT is((SELECT count(*)::int FROM tr WHERE composite = 'resilience' AND level_before IS NULL),
		  2 * 193, 'resilience has no band: no level');
\endif

SELECT * FROM finish();
ROLLBACK;
