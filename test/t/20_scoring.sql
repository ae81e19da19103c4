-- Scoring aggregates: hand-computed results, and the same bits whatever the
-- plan (serial, parallel, partition-wise) or the merge order.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT plan(24);

-- hand-computed: values 2, 4, 9 with weights 1, 1, 2 -> (2 + 4 + 18) / 4 = 6
SELECT is(ideal.raw_score(ideal.summarize(v, w)), 6::float8, 'weighted mean')
  FROM (VALUES (2::float8, 1::float8), (4, 1), (9, 2)) t(v, w);
SELECT is(ideal.total(ideal.summarize(v, w)), 24::float8, 'weighted sum')
  FROM (VALUES (2::float8, 1::float8), (4, 1), (9, 2)) t(v, w);
-- confidence: A1 = 1.0, E5 = 0.2 * 0.2 = 0.04 (README defaults)
SELECT is(ideal.confidence('A1'::ideal.grading), 1::float8, 'A1 is fully confident');
SELECT is(round(ideal.confidence('E5'::ideal.grading)::numeric, 6), 0.04,
		  'E5 weighs 0.2 x 0.2');
-- score weighted by confidence: (1*10 + 0.04*0) / 1.04
SELECT is(round(ideal.score(ideal.summarize(v, 1, g))::numeric, 9),
		  round(10 / 1.04, 9), 'score weighs each value by its grading')
  FROM (VALUES (10::float8, 'A1'::ideal.grading), (0, 'E5')) t(v, g);
SELECT is(round(ideal.confidence(ideal.summarize(v, 1, g))::numeric, 6), 0.52,
		  'summary confidence is the mean confidence of graded rows')
  FROM (VALUES (10::float8, 'A1'::ideal.grading), (0, 'E5')) t(v, g);
-- unknowns and NULLs
SELECT is(ideal.unknowns(ideal.summarize(v)), 2::bigint, 'NULL values count as unknowns')
  FROM (VALUES (1::float8), (NULL), (3), (NULL)) t(v);
SELECT is(ideal.n(ideal.summarize(v)), 2::bigint, 'and not as values')
  FROM (VALUES (1::float8), (NULL), (3), (NULL)) t(v);
SELECT ok((SELECT ideal.summarize(v) FROM (SELECT 1::float8 WHERE false) t(v)) IS NULL,
		  'no rows give NULL');
SELECT throws_ok($$SELECT ideal.summarize(1, -1)$$, '22023',
				 'weight must not be negative', 'a negative weight is refused');

-- Sleipnir: hand-computed group totals (weights 19..1; H 4, M 2, L 1, N 0, unknown 2)
INSERT INTO ideal.cycle (code, methodology) VALUES ('S/T', 'sleipnir');
INSERT INTO ideal.subject (cycle, country, ref)
VALUES ('S/T', 'CA', 'all-high'), ('S/T', 'CA', 'all-unknown'), ('S/T', 'CA', 'mixed');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'S/T', 'CA', 'all-high', code, 'high' FROM ideal.indicator WHERE methodology = 'sleipnir';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'S/T', 'CA', 'all-unknown', code, 'unknown' FROM ideal.indicator WHERE methodology = 'sleipnir';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'S/T', 'CA', 'mixed', code,
	   CASE code WHEN 'corruption' THEN 'H' WHEN 'violence' THEN 'M'
				 WHEN 'infiltration' THEN 'L' ELSE 'N' END
  FROM ideal.indicator WHERE methodology = 'sleipnir';
SELECT is((SELECT score FROM ideal.subject_score WHERE cycle = 'S/T'
			AND subject = 'all-high' AND composite = 'sleipnir_total'), 760::numeric,
		  'Sleipnir: all High = 4 x 190 = 760');
SELECT is((SELECT score FROM ideal.subject_score WHERE cycle = 'S/T'
			AND subject = 'all-unknown' AND composite = 'sleipnir_total'), 380::numeric,
		  'Sleipnir: all Unknown scores as Medium = 2 x 190 = 380');
SELECT is((SELECT score FROM ideal.subject_score WHERE cycle = 'S/T'
			AND subject = 'mixed' AND composite = 'sleipnir_total'), 129::numeric,
		  'Sleipnir: H corruption 76 + M violence 36 + L infiltration 17 = 129');
SELECT is((SELECT unknowns FROM ideal.subject_score WHERE cycle = 'S/T'
			AND subject = 'all-unknown' AND composite = 'sleipnir_total'), 19,
		  'Sleipnir: the 19 unknowns are reported');
SELECT is((SELECT round(normalised::numeric, 4) FROM ideal.subject_score WHERE cycle = 'S/T'
			AND subject = 'mixed' AND composite = 'sleipnir_total'), round(129 / 760.0, 4),
		  'Sleipnir: normalised score is total / 760');

-- plan independence on 200,000 generated rows
CREATE TABLE scoring_data (country ideal.country, v float8, w float8, g ideal.grading);
INSERT INTO scoring_data
SELECT (ARRAY['MX','BR','AR','CL','PE','EC','CR','PA','PY','BO','SV'])[1 + i % 11]::ideal.country,
	   ((i * 7919) % 1000) / 37.0, 1 + (i % 5) * 0.25,
	   (ARRAY['A1','B2','C3','D4','E5','F6','EU:X3','UK3:2C','UK5:B2'])[1 + i % 9]::ideal.grading
  FROM generate_series(1, 200000) i;
ANALYZE scoring_data;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_result AS
SELECT ideal.summarize(v, w, g)::text AS s FROM scoring_data;
CREATE TEMP TABLE serial_by_country AS
SELECT country, ideal.summarize(v, w, g) AS s FROM scoring_data GROUP BY country;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET force_parallel_mode = on;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	r text;
	t text := '';
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		t := t || r || E'\n';
	END LOOP;
	RETURN t;
END $f$;
SELECT matches(pg_temp.plan_of('SELECT ideal.summarize(v, w, g) FROM scoring_data'),
			   'Partial Aggregate', 'the forced parallel plan has a Partial Aggregate');
SELECT is((SELECT ideal.summarize(v, w, g)::text FROM scoring_data),
		  (SELECT s FROM serial_result),
		  'parallel summary is bit-identical to the serial one');
SELECT is((SELECT ideal.merge(s)::text FROM serial_by_country),
		  (SELECT s FROM serial_result),
		  'merging per-country summaries gives the single summary');
SELECT is((SELECT ideal.merge(s)::text FROM (SELECT s FROM serial_by_country ORDER BY country DESC) x),
		  (SELECT s FROM serial_result),
		  'in any order');
SELECT is((SELECT ideal.merge(s)::text FROM
			(SELECT country, ideal.summarize(v, w, g) AS s FROM scoring_data GROUP BY country) x),
		  (SELECT s FROM serial_result),
		  'and when the per-country summaries are computed in parallel');

-- partition-wise aggregation over a table partitioned by country
CREATE TABLE scoring_part (country ideal.country, v float8, w float8, g ideal.grading)
	PARTITION BY HASH (country);
CREATE TABLE scoring_part_0 PARTITION OF scoring_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE scoring_part_1 PARTITION OF scoring_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE scoring_part_2 PARTITION OF scoring_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO scoring_part SELECT * FROM scoring_data;
ANALYZE scoring_part;
SET enable_partitionwise_aggregate = on;
SELECT matches(pg_temp.plan_of('SELECT country, ideal.summarize(v, w, g) FROM scoring_part GROUP BY country'),
			   'Append', 'partition-wise plan aggregates per partition');
SELECT set_eq($$SELECT country, ideal.summarize(v, w, g)::text FROM scoring_part GROUP BY country$$,
			  $$SELECT country, s::text FROM serial_by_country$$,
			  'partition-wise per-country summaries equal the serial ones');
SELECT is((SELECT ideal.summarize(v, w, g)::text FROM scoring_part),
		  (SELECT s FROM serial_result),
		  'whole-table summary over partitions equals the serial one');

-- empty partial states under parallel plans
SELECT ok((SELECT ideal.summarize(v, w, g) FROM scoring_data WHERE v < -1) IS NULL,
		  'no matching rows under a parallel plan gives NULL');

SELECT * FROM finish();
ROLLBACK;
