-- The aggregates under every plan: NULL and empty partial states in every
-- combination that combine, serialize, deserialize and final can meet;
-- ideal.evaluate bit for bit the same serial, with parallel plans forced
-- (EXPLAIN shows its Partial Aggregate), and partition-wise over a table
-- partitioned by country; memory per group that does not grow with the
-- rows; the errors a caller can cause.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT plan(37);
SELECT setseed(0.43);

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	r text;
	t text := '';
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (COSTS OFF, VERBOSE) ' || q LOOP
		t := t || r || E'\n';
	END LOOP;
	RETURN t;
END $f$;
-- peak memory of the plan's top HashAggregate, from EXPLAIN ANALYZE
CREATE FUNCTION pg_temp.hash_memory(q text) RETURNS integer LANGUAGE plpgsql AS $f$
DECLARE
	j json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF) ' || q INTO j;
	IF j -> 0 -> 'Plan' ->> 'Strategy' <> 'Hashed' THEN
		RAISE EXCEPTION 'not a HashAggregate: %', j -> 0 -> 'Plan' ->> 'Node Type';
	END IF;
	RETURN (j -> 0 -> 'Plan' ->> 'Peak Memory Usage')::integer;
END $f$;
CREATE FUNCTION pg_temp.serial() RETURNS void LANGUAGE sql AS $f$
	SELECT set_config('max_parallel_workers_per_gather', '0', true),
		   set_config('enable_partitionwise_aggregate', 'off', true),
		   set_config('force_parallel_mode', 'off', true);
$f$;
CREATE FUNCTION pg_temp.parallel() RETURNS void LANGUAGE sql AS $f$
	SELECT set_config('max_parallel_workers_per_gather', '2', true),
		   set_config('parallel_setup_cost', '0', true),
		   set_config('parallel_tuple_cost', '0', true),
		   set_config('min_parallel_table_scan_size', '0', true),
		   set_config('force_parallel_mode', 'on', true);
$f$;

-- threat summaries: partial states in every NULL and empty combination ------
-- Partition-wise partial aggregation over three list partitions, combined
-- in partition order: choosing which partitions hold matching rows chooses
-- the combine calls: (NULL, NULL), (NULL, state), (state, NULL),
-- (state, state); partition 2 also holds empty summaries (n = 0).
CREATE TABLE agg_in (part int, v float8, w float8, g ideal.grading)
	PARTITION BY LIST (part);
CREATE TABLE agg_in_1 PARTITION OF agg_in FOR VALUES IN (1);
CREATE TABLE agg_in_2 PARTITION OF agg_in FOR VALUES IN (2);
CREATE TABLE agg_in_3 PARTITION OF agg_in FOR VALUES IN (3);
INSERT INTO agg_in
SELECT p, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 1000) / 13.0 END,
	   1 + i % 3, (ARRAY['A1', 'C3', NULL, 'F6'])[1 + i % 4]::ideal.grading
  FROM generate_series(1, 3) p, generate_series(1, 3000) i;
-- per-row summaries to merge; partition 2 also gets empty ones
CREATE TABLE sum_in (part int, k int, s ideal.threat_summary) PARTITION BY LIST (part);
CREATE TABLE sum_in_1 PARTITION OF sum_in FOR VALUES IN (1);
CREATE TABLE sum_in_2 PARTITION OF sum_in FOR VALUES IN (2);
CREATE TABLE sum_in_3 PARTITION OF sum_in FOR VALUES IN (3);
INSERT INTO sum_in
SELECT part, row_number() OVER (), ideal.summarize(v, w, g) FROM agg_in
 GROUP BY part, ctid;
INSERT INTO sum_in VALUES (2, 100000, 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'),
						  (2, 100001, 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'),
						  (2, 100002, NULL);
ANALYZE agg_in;
ANALYZE sum_in;

CREATE TEMP TABLE cases (label text, filter text);
INSERT INTO cases VALUES
	('no partition has rows', 'part + 0 = 0'),
	('only the middle partition', 'part + 0 = 2'),
	('first and last partitions', 'part + 0 <> 2'),
	('every partition', 'true'),
	('rows with NULL values only', 'v IS NULL'),
	('only empty summaries', 'k >= 100000 AND s IS NOT NULL'),
	('only NULL summaries', 'k = 100002'),
	('empty and NULL summaries beside others', 'k >= 100000 OR part + 0 <> 2');

-- serial results first
SELECT pg_temp.serial();
CREATE TEMP TABLE want (label text, what text, result text);
DO $$
DECLARE
	c record;
	r text;
BEGIN
	FOR c IN SELECT * FROM cases LOOP
		IF c.filter ~ '\m(k|s)\M' THEN
			EXECUTE 'SELECT ideal.merge(s)::text FROM sum_in WHERE ' || c.filter INTO r;
			INSERT INTO want VALUES (c.label, 'merge', r);
		ELSE
			EXECUTE 'SELECT ideal.summarize(v, w, g)::text FROM agg_in WHERE ' || c.filter INTO r;
			INSERT INTO want VALUES (c.label, 'summarize', r);
		END IF;
	END LOOP;
END $$;
SELECT results_eq($$SELECT label, result IS NULL FROM want ORDER BY label$$,
				  $$VALUES ('empty and NULL summaries beside others', false),
						   ('every partition', false),
						   ('first and last partitions', false),
						   ('no partition has rows', true),
						   ('only NULL summaries', true),
						   ('only empty summaries', false),
						   ('only the middle partition', false),
						   ('rows with NULL values only', false)$$,
				  'serial: no rows or only NULL summaries give NULL; empty summaries merge into the empty summary');
SELECT is((SELECT result FROM want WHERE label = 'only empty summaries'),
		  'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0',
		  'merging empty summaries gives the empty summary');
SELECT is((SELECT result FROM want WHERE label = 'rows with NULL values only'),
		  (SELECT format('n=0 unknown=%s graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0', count(*))
			 FROM agg_in WHERE v IS NULL),
		  'NULL values only: a summary of unknowns');

-- the same under partition-wise partial aggregation
SET enable_partitionwise_aggregate = on;
SELECT matches(pg_temp.plan_of('SELECT ideal.summarize(v, w, g) FROM agg_in WHERE part + 0 = 2'),
			   'Finalize Aggregate(.|\n)*Append(.|\n)*Partial Aggregate(.|\n)*Partial Aggregate',
			   'partition-wise: a Partial Aggregate per partition, combined by a Finalize Aggregate');
SELECT matches(pg_temp.plan_of('SELECT ideal.merge(s) FROM sum_in WHERE k >= 100000 OR part + 0 <> 2'),
			   'Finalize Aggregate(.|\n)*Partial Aggregate', 'also for ideal.merge');
CREATE TEMP TABLE got_pw (label text, result text);
DO $$
DECLARE
	c record;
	r text;
BEGIN
	FOR c IN SELECT * FROM cases LOOP
		IF c.filter ~ '\m(k|s)\M' THEN
			EXECUTE 'SELECT ideal.merge(s)::text FROM sum_in WHERE ' || c.filter INTO r;
		ELSE
			EXECUTE 'SELECT ideal.summarize(v, w, g)::text FROM agg_in WHERE ' || c.filter INTO r;
		END IF;
		INSERT INTO got_pw VALUES (c.label, r);
	END LOOP;
END $$;
SELECT is_empty($$SELECT w.label, w.result, g.result FROM want w JOIN got_pw g USING (label)
				   WHERE w.result IS DISTINCT FROM g.result$$,
				'partition-wise partial aggregation: every NULL and empty combination gives the serial result');

-- and under forced parallel plans, where states cross processes serialized
SELECT pg_temp.parallel();
SET enable_partitionwise_aggregate = off;
SELECT matches(pg_temp.plan_of('SELECT ideal.merge(s) FROM sum_in WHERE k >= 100000 OR part + 0 <> 2'),
			   'Gather(.|\n)*Partial Aggregate', 'parallel: Partial Aggregate under a Gather');
CREATE TEMP TABLE got_par (label text, result text);
DO $$
DECLARE
	c record;
	r text;
BEGIN
	FOR c IN SELECT * FROM cases LOOP
		IF c.filter ~ '\m(k|s)\M' THEN
			EXECUTE 'SELECT ideal.merge(s)::text FROM sum_in WHERE ' || c.filter INTO r;
		ELSE
			EXECUTE 'SELECT ideal.summarize(v, w, g)::text FROM agg_in WHERE ' || c.filter INTO r;
		END IF;
		INSERT INTO got_par VALUES (c.label, r);
	END LOOP;
END $$;
SELECT is_empty($$SELECT w.label, w.result, g.result FROM want w JOIN got_par g USING (label)
				   WHERE w.result IS DISTINCT FROM g.result$$,
				'forced parallel: every NULL and empty combination gives the serial result');
SELECT pg_temp.serial();

-- ideal.evaluate on generated submissions -------------------------------------
INSERT INTO ideal.cycle (code, methodology)
VALUES ('A/GI', 'gitoc-2023'), ('A/SL', 'sleipnir'), ('A/ID', 'ideal-2.0');
-- GI-TOC: each member assesses itself and two other members
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT 'A/GI', m.country, s.country::text, i.code,
	   (1 + 0.5 * floor(random() * 19))::text,
	   CASE WHEN random() < 0.5 THEN (ARRAY['A1', 'B3', 'E5'])[1 + floor(random() * 3)::int]::ideal.grading END
  FROM (SELECT country, row_number() OVER (ORDER BY country) AS n FROM ideal.member
		 WHERE methodology = 'gitoc-2023') m
  JOIN (SELECT country, row_number() OVER (ORDER BY country) AS n FROM ideal.member
		 WHERE methodology = 'gitoc-2023') s
	ON s.n IN (m.n, (m.n + 40) % 193 + 1, (m.n + 90) % 193 + 1)
 CROSS JOIN ideal.indicator i
 WHERE i.methodology = 'gitoc-2023' AND random() < 0.95;
-- Sleipnir: 15 groups per member, unknowns scored as Medium
INSERT INTO ideal.subject (cycle, country, ref)
SELECT 'A/SL', m.country, 'G' || g FROM ideal.member m, generate_series(1, 15) g
 WHERE m.methodology = 'sleipnir';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'A/SL', m.country, 'G' || g, i.code,
	   (ARRAY['H', 'M', 'L', 'N', 'U'])[1 + floor(random() * 5)::int]
  FROM ideal.member m, generate_series(1, 15) g, ideal.indicator i
 WHERE m.methodology = 'sleipnir' AND i.methodology = 'sleipnir' AND random() < 0.9;
-- IDEAL 2.0: 20 groups and every crime area per member, unknowns excluded
INSERT INTO ideal.subject (cycle, country, ref, primary_area)
SELECT 'A/ID', m.country, 'G' || g, 'drug_trafficking'
  FROM ideal.member m, generate_series(1, 20) g WHERE m.methodology = 'ideal-2.0';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT 'A/ID', m.country, s.subject, i.code,
	   CASE WHEN i.scale = 'trend'
			THEN (ARRAY['decrease', 'stable', 'increase', 'unknown'])[1 + floor(random() * 4)::int]
			ELSE (ARRAY['nil', 'low', 'moderate', 'high', 'very high', 'unknown'])[1 + floor(random() * 6)::int]
	   END,
	   (ARRAY['A1', 'B2', 'C3', 'D4', 'E5', 'F6'])[1 + floor(random() * 6)::int]::ideal.grading
  FROM ideal.member m
 CROSS JOIN LATERAL (SELECT 'G' || g AS subject, 'group' AS kind FROM generate_series(1, 20) g
					 UNION ALL
					 SELECT a.code, 'crime_area' FROM ideal.crime_area a
					  WHERE a.methodology = 'ideal-2.0') s
  JOIN ideal.indicator i ON i.methodology = 'ideal-2.0' AND i.kind = s.kind
 WHERE m.methodology = 'ideal-2.0' AND random() < 0.85;
ANALYZE ideal.observation;
SELECT cmp_ok((SELECT count(*)::int FROM ideal.observation WHERE cycle LIKE 'A/%'), '>', 25000,
			  'generated submissions for three methodologies');

CREATE TEMP TABLE ev_serial AS
SELECT o.cycle, o.country, o.subject_kind, o.subject,
	   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown, o.grading)::text AS scores
  FROM ideal.observation o WHERE o.cycle LIKE 'A/%'
 GROUP BY o.cycle, o.country, o.subject_kind, o.subject;
SELECT is((SELECT count(*)::int FROM ev_serial WHERE scores IS NULL), 0,
		  'every subject with answers has scores');

SELECT pg_temp.parallel();
SELECT matches(pg_temp.plan_of($$SELECT o.cycle, o.country, o.subject_kind, o.subject,
		   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown, o.grading)
	  FROM ideal.observation o GROUP BY o.cycle, o.country, o.subject_kind, o.subject$$),
			   'Finalize (Hash|Group)Aggregate(.|\n)*Gather(.|\n)*Partial (Hash|Group)Aggregate(.|\n)*PARTIAL evaluate\(',
			   'EXPLAIN: ideal.evaluate runs as a Partial Aggregate under a Gather');
SELECT set_eq($$SELECT o.cycle, o.country, o.subject_kind, o.subject,
					   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown, o.grading)::text
				  FROM ideal.observation o WHERE o.cycle LIKE 'A/%'
				 GROUP BY o.cycle, o.country, o.subject_kind, o.subject$$,
			  $$SELECT * FROM ev_serial$$,
			  'forced parallel: every subject''s scores bit-identical to the serial plan');
SELECT set_eq($$SELECT cycle, country, subject_kind, subject, score::text, normalised::text,
					   confidence::text, coverage::text, level::text
				  FROM ideal.subject_score WHERE cycle LIKE 'A/%'$$,
			  $$SELECT e.cycle, e.country, e.subject_kind, e.subject, r.score::text,
					   r.normalised::text, r.confidence::text, r.coverage::text, r.level::text
				  FROM ev_serial e, unnest(e.scores::ideal.composite_score[]) r$$,
			  'forced parallel: the subject_score view gives the serial numbers');
SELECT pg_temp.serial();

-- partition-wise, over a table partitioned by country
CREATE TABLE ev_part (cycle text, country ideal.country, subject_kind text, subject text,
					  indicator text, value float8, is_unknown boolean, grading ideal.grading)
	PARTITION BY HASH (country);
CREATE TABLE ev_part_0 PARTITION OF ev_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE ev_part_1 PARTITION OF ev_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE ev_part_2 PARTITION OF ev_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO ev_part
SELECT cycle, country, subject_kind, subject, indicator, value, is_unknown, grading
  FROM ideal.observation WHERE cycle LIKE 'A/%';
-- rows without an indicator are skipped, so a partition that holds only
-- such rows of a subject has a NULL partial state: CO gets them beside its
-- real answers, ZZ has nothing else
INSERT INTO ev_part
SELECT 'A/GI', c::ideal.country, 'country', s, NULL, 5, false, NULL
  FROM (VALUES ('AR'), ('BR'), ('CL'), ('MX'), ('UY'), ('PE'), ('EC'), ('BO')) a(c),
	   (VALUES ('ZZ'), ('CO')) b(s);
ANALYZE ev_part;
-- pooled per subject across reporting countries: a subject's rows sit in
-- one, two or three partitions, so combine meets NULL states on either side
CREATE TEMP TABLE pooled_serial AS
SELECT cycle, subject_kind, subject,
	   ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text AS scores
  FROM ev_part GROUP BY cycle, subject_kind, subject;
SET enable_partitionwise_aggregate = on;
SELECT matches(pg_temp.plan_of($$SELECT country, subject,
		   ideal.evaluate(cycle, indicator, value, is_unknown, grading)
	  FROM ev_part GROUP BY cycle, country, subject_kind, subject$$),
			   'Append(.|\n)*ev_part_0(.|\n)*ev_part_1(.|\n)*ev_part_2',
			   'partition-wise: each country partition aggregates its own subjects');
SELECT set_eq($$SELECT cycle, country, subject_kind, subject,
					   ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text
				  FROM ev_part GROUP BY cycle, country, subject_kind, subject
				HAVING count(indicator) > 0$$,
			  $$SELECT * FROM ev_serial$$,
			  'partition-wise per subject: bit-identical to the serial plan');
SELECT is((SELECT count(*)::int FROM (SELECT ideal.evaluate(cycle, indicator, value, is_unknown, grading) AS e
			 FROM ev_part GROUP BY cycle, country, subject_kind, subject
			HAVING count(indicator) = 0) x WHERE e IS NULL), 16,
		  'groups of skipped rows only give NULL');
SELECT matches(pg_temp.plan_of($$SELECT subject,
		   ideal.evaluate(cycle, indicator, value, is_unknown, grading)
	  FROM ev_part GROUP BY cycle, subject_kind, subject$$),
			   'Finalize (Hash|Group)Aggregate(.|\n)*Partial (Hash|Group)Aggregate(.|\n)*Partial (Hash|Group)Aggregate',
			   'pooled across countries: partial states per partition, combined');
SELECT set_eq($$SELECT cycle, subject_kind, subject,
					   ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text
				  FROM ev_part GROUP BY cycle, subject_kind, subject$$,
			  $$SELECT * FROM pooled_serial$$,
			  'pooled partial states combined: bit-identical to the serial plan');
SELECT is((SELECT scores FROM pooled_serial WHERE subject = 'ZZ'), NULL,
		  'pooled: NULL partial states in every partition combine to NULL');
SELECT is((SELECT ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text
			 FROM ev_part WHERE subject = 'CO' GROUP BY cycle, subject_kind, subject),
		  (SELECT ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text
			 FROM ideal.observation WHERE cycle = 'A/GI' AND subject = 'CO'),
		  'pooled: NULL partial states beside real ones change nothing');
SELECT pg_temp.parallel();
SELECT set_eq($$SELECT cycle, subject_kind, subject,
					   ideal.evaluate(cycle, indicator, value, is_unknown, grading)::text
				  FROM ev_part GROUP BY cycle, subject_kind, subject$$,
			  $$SELECT * FROM pooled_serial$$,
			  'partition-wise and parallel at once: bit-identical');
SELECT pg_temp.serial();
SET enable_partitionwise_aggregate = off;

-- NULLs, empty groups and mistakes -----------------------------------------------
SELECT is((SELECT ideal.evaluate(c, i, v, u, g)
			 FROM (VALUES (NULL::text, 'corruption'::text, 1::float8, false, NULL::ideal.grading),
						  ('A/SL', NULL, 1, false, NULL)) t(c, i, v, u, g)),
		  NULL, 'rows without a cycle or an indicator are skipped: NULL');
SELECT is((SELECT ideal.evaluate(cycle, indicator, value, is_unknown, grading)
			 FROM ideal.observation WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT (r).unknowns FROM (SELECT unnest(ideal.evaluate(c, i, v, u, NULL)) r
			 FROM (VALUES ('A/ID', 'violence', NULL::float8, false),
						  ('A/ID', 'corruption', 3, false)) t(c, i, v, u)) x
			WHERE (r).composite = 'group_threat'), 1,
		  'a NULL value counts as an unknown answer');
SELECT is((SELECT (r).score FROM (SELECT unnest(ideal.evaluate(c, i, v, u, NULL)) r
			 FROM (VALUES ('A/ID', 'violence', NULL::float8, true),
						  (NULL, 'corruption', 3, false),
						  ('A/ID', 'harm', NULL, true)) t(c, i, v, u)) x
			WHERE (r).composite = 'area_threat'), NULL::numeric,
		  'a subject with only unknown answers has a NULL score');
SELECT throws_ok($$SELECT ideal.evaluate(c, 'corruption', 1, false, NULL)
					 FROM (VALUES ('A/SL'), ('A/ID')) t(c)$$,
				 '22023', 'ideal.evaluate cannot combine methodologies "sleipnir" and "ideal-2.0"',
				 'rows of two methodologies in one group are refused');
SELECT throws_ok($$SELECT ideal.evaluate('no/such', 'x', 1, false, NULL)$$, '42704',
				 'cycle "no/such" does not exist', 'an unknown cycle is refused');
SELECT throws_ok($$SELECT ideal.evaluate('A/SL', 'nope', 1, false, NULL)$$, '42704',
				 'unknown indicator "nope" in methodology "sleipnir"', 'an unknown indicator is refused');
SELECT throws_ok($$SELECT ideal.evaluate('A/SL', 'corruption', 'infinity', false, NULL)$$, '22003',
				 'value Infinity is outside the scale of indicator "corruption"', 'a value that is not finite is refused');
SELECT lives_ok($$SELECT ideal.evaluate('A/SL', 'Corrupción', 4, false, 'B2')$$,
				'indicators are also found by their labels');
-- two cycles of one methodology pool their answers
INSERT INTO ideal.cycle (code, methodology) VALUES ('A/SL2', 'sleipnir');
SELECT is((SELECT (r).score FROM (SELECT unnest(ideal.evaluate(c, 'corruption', v, false, NULL)) r
			 FROM (VALUES ('A/SL', 4::float8), ('A/SL2', 2)) t(c, v)) x),
		  57::numeric, 'two cycles of one methodology pool: corruption (4 + 2) / 2 x 19 = 57');
-- the combine path refuses mixed methodologies too
SET enable_partitionwise_aggregate = on;
CREATE TABLE mix (p int, cycle text, indicator text) PARTITION BY LIST (p);
CREATE TABLE mix_1 PARTITION OF mix FOR VALUES IN (1);
CREATE TABLE mix_2 PARTITION OF mix FOR VALUES IN (2);
INSERT INTO mix SELECT 1, 'A/SL', 'corruption' FROM generate_series(1, 5000);
INSERT INTO mix SELECT 2, 'A/ID', 'corruption' FROM generate_series(1, 5000);
ANALYZE mix;
SELECT matches(pg_temp.plan_of('SELECT ideal.evaluate(cycle, indicator, 1, false, NULL) FROM mix'),
			   'Partial Aggregate', 'mixed methodologies in two partitions: partial states');
SELECT throws_ok($$SELECT ideal.evaluate(cycle, indicator, 1, false, NULL) FROM mix$$,
				 '22023', 'ideal.evaluate cannot combine methodologies "sleipnir" and "ideal-2.0"',
				 'combining partial states of two methodologies is refused');
SET enable_partitionwise_aggregate = off;

-- memory per group does not grow with the rows -------------------------------
-- The same subjects with every answer given once and twenty times: the
-- hash table holds one state per subject, so its peak memory is the same.
SET enable_sort = off;
SET work_mem = '64MB';
CREATE TABLE mem1 AS SELECT cycle, subject, indicator, value, is_unknown, grading
  FROM ideal.observation WHERE cycle = 'A/GI';
CREATE TABLE mem20 AS SELECT m.* FROM mem1 m, generate_series(1, 20);
ANALYZE mem1;
ANALYZE mem20;
CREATE TEMP TABLE mem AS
SELECT pg_temp.hash_memory('SELECT subject, ideal.evaluate(cycle, indicator, value, is_unknown, grading) FROM mem1 GROUP BY subject') AS m1,
	   pg_temp.hash_memory('SELECT subject, ideal.evaluate(cycle, indicator, value, is_unknown, grading) FROM mem20 GROUP BY subject') AS m20,
	   pg_temp.hash_memory('SELECT subject, ideal.summarize(value, 1, grading) FROM mem1 GROUP BY subject') AS s1,
	   pg_temp.hash_memory('SELECT subject, ideal.summarize(value, 1, grading) FROM mem20 GROUP BY subject') AS s20;
SELECT cmp_ok((SELECT count(*)::int FROM mem20), '=', 20 * (SELECT count(*)::int FROM mem1),
			  'twenty times the rows, the same subjects');
SELECT ok((SELECT m20 <= m1 * 1.1 + 64 FROM mem),
		  'ideal.evaluate: peak hash memory with 20x the rows per group within 10% (64 kB) of 1x');
SELECT ok((SELECT s20 <= s1 * 1.1 + 64 FROM mem),
		  'ideal.summarize: the same');
SELECT ok((SELECT m1 > 0 AND s1 > 0 FROM mem), 'the measurement sees the hash tables');
SELECT diag('peak hash memory (kB), evaluate 1x ' || m1 || ', 20x ' || m20 || '; summarize 1x ' || s1 || ', 20x ' || s20) FROM mem;
RESET enable_sort;
RESET work_mem;

SELECT * FROM finish();
ROLLBACK;
