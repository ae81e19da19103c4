-- An independent computation: for every bundled methodology, generated
-- submissions (members x subjects x indicators, random valid answers on each
-- scale, unknowns where allowed, about one answer in ten left out, random
-- gradings) of more than 100,000 observations in all are scored by
-- ideal.subject_score, and again here in plain SQL, without ideal.evaluate:
-- leaves from ideal.observation, then each composite, in methodology order,
-- with avg-style sums, sum and max over a join with ideal.composite_input.
-- Scores must be equal (the reference in numeric to 40 decimals, rounded
-- once to 15 half away from zero); normalised and confidence, which
-- ideal.evaluate computes in float8, equal to 1e-9; answered, expected,
-- unknowns, coverage and level exactly.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SELECT plan(12);
SELECT setseed(0.20251204);

INSERT INTO ideal.cycle (code, methodology)
SELECT 'REF/' || code, code FROM ideal.methodology WHERE bundled;
SELECT is((SELECT count(*)::int FROM ideal.cycle WHERE code LIKE 'REF/%'), 5,
		  'one cycle for each of the five bundled methodologies');

-- subjects ------------------------------------------------------------------
CREATE TEMP TABLE gen_subject (cycle text, methodology text, country ideal.country,
							   kind text, subject text);
-- countries: each member assesses itself and five other members
INSERT INTO gen_subject
SELECT 'REF/' || m.methodology, m.methodology, m.country, 'country',
	   (SELECT x.country::text FROM ideal.member x
		 WHERE x.methodology = m.methodology
		 ORDER BY x.country OFFSET (m.i + j * 31) % m.n LIMIT 1)
  FROM (SELECT methodology, country,
			   row_number() OVER (PARTITION BY methodology ORDER BY country) - 1 AS i,
			   count(*) OVER (PARTITION BY methodology) AS n
		  FROM ideal.member) m
  JOIN ideal.methodology d ON d.code = m.methodology AND 'country' = ANY (d.subject_kinds)
 CROSS JOIN generate_series(0, 5) j;
-- groups: 40 per Sleipnir member, 60 per IDEAL 2.0 member
INSERT INTO gen_subject
SELECT 'REF/' || m.methodology, m.methodology, m.country, 'group',
	   m.country::text || '-G' || lpad(g::text, 3, '0')
  FROM ideal.member m
  JOIN ideal.methodology d ON d.code = m.methodology AND 'group' = ANY (d.subject_kinds)
 CROSS JOIN LATERAL generate_series(1, CASE m.methodology WHEN 'sleipnir' THEN 40 ELSE 60 END) g;
-- crime areas: every area for every member
INSERT INTO gen_subject
SELECT 'REF/' || m.methodology, m.methodology, m.country, 'crime_area', a.code
  FROM ideal.member m
  JOIN ideal.crime_area a ON a.methodology = m.methodology
  JOIN ideal.methodology d ON d.code = m.methodology AND 'crime_area' = ANY (d.subject_kinds);
-- groups are declared before their answers
INSERT INTO ideal.subject (cycle, country, ref, primary_area)
SELECT s.cycle, s.country, s.subject,
	   (SELECT a.code FROM ideal.crime_area a WHERE a.methodology = s.methodology
		 ORDER BY a.position OFFSET (abs(hashtext(s.subject)) % 10) LIMIT 1)
  FROM gen_subject s WHERE s.kind = 'group';

-- answers ---------------------------------------------------------------------
CREATE TEMP TABLE gen_scale AS
SELECT s.methodology, s.code AS scale, s.kind, s.min, s.max, s.step,
	   s.unknown_allowed, s.unknown_labels ->> 'en' AS unknown_word,
	   ARRAY(SELECT l.code FROM ideal.scale_level l
			  WHERE l.methodology = s.methodology AND l.scale = s.code
			  ORDER BY l.position) AS codes
  FROM ideal.scale s;
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT s.cycle, s.country, s.subject, i.code,
	   CASE WHEN sc.unknown_allowed AND i.allow_unknown AND random() < 0.12
				THEN sc.unknown_word
			WHEN sc.kind = 'ordinal'
				THEN sc.codes[1 + floor(random() * cardinality(sc.codes))::int]
			WHEN sc.step IS NOT NULL
				THEN (sc.min + sc.step * floor(random() * ((sc.max - sc.min) / sc.step + 1)))::text
			ELSE round((sc.min + random() * (sc.max - sc.min))::numeric, 2)::text
	   END,
	   CASE WHEN random() < 0.2 THEN NULL
			ELSE ((ARRAY['A1', 'A2', 'B2', 'B3', 'C3', 'D4', 'E5', 'F6'])
				  [1 + floor(random() * 8)::int])::ideal.grading
	   END
  FROM gen_subject s
  JOIN ideal.indicator i ON i.methodology = s.methodology AND i.kind = s.kind
  JOIN gen_scale sc ON sc.methodology = i.methodology AND sc.scale = i.scale
 WHERE random() < 0.9;
SELECT cmp_ok((SELECT count(*)::int FROM ideal.observation WHERE cycle LIKE 'REF/%'), '>=', 100000,
			  'more than 100,000 generated observations, validated by the intake trigger');
SELECT is((SELECT count(DISTINCT cycle)::int FROM ideal.observation WHERE cycle LIKE 'REF/%'), 5,
		  'every bundled methodology has data');
SELECT cmp_ok((SELECT count(*)::int FROM ideal.observation WHERE cycle LIKE 'REF/%' AND is_unknown),
			  '>', 1000, 'with unknown answers, scored (Sleipnir) and unscored (IDEAL 2.0)');
ANALYZE ideal.observation;

-- the reference -----------------------------------------------------------------
-- one row per subject and node (indicator or composite): has a value, the
-- value, the lowest and highest the node allows, and the confidence sums
CREATE TEMP TABLE ref_node (cycle text, methodology text, country ideal.country, kind text,
							subject text, node text, has boolean, score numeric,
							lo numeric, hi numeric, cw numeric, ccw numeric);
CREATE TEMP TABLE ref_subject AS
SELECT DISTINCT o.cycle, c.methodology, o.country, o.subject_kind AS kind, o.subject
  FROM ideal.observation o JOIN ideal.cycle c ON c.code = o.cycle
 WHERE o.cycle LIKE 'REF/%';
INSERT INTO ref_node
SELECT s.cycle, s.methodology, s.country, s.kind, s.subject, i.code,
	   o.value IS NOT NULL, o.value::numeric,
	   least(sc.min, coalesce(sc.unknown_value, sc.min))::numeric,
	   greatest(sc.max, coalesce(sc.unknown_value, sc.max))::numeric,
	   CASE WHEN o.value IS NOT NULL AND o.grading IS NOT NULL THEN 1 ELSE 0 END,
	   CASE WHEN o.value IS NOT NULL AND o.grading IS NOT NULL
			THEN ideal.confidence(o.grading)::numeric ELSE 0 END
  FROM ref_subject s
  JOIN ideal.indicator i ON i.methodology = s.methodology AND i.kind = s.kind
  JOIN ideal.scale sc ON sc.methodology = i.methodology AND sc.code = i.scale
  LEFT JOIN ideal.observation o
		 ON o.cycle = s.cycle AND o.country = s.country AND o.subject_kind = s.kind
		AND o.subject = s.subject AND o.indicator = i.code;
CREATE INDEX ON ref_node (methodology, node);
ANALYZE ref_node;

DO $ref$
DECLARE
	k record;
BEGIN
	FOR k IN SELECT * FROM ideal.composite
			  WHERE methodology IN (SELECT code FROM ideal.methodology WHERE bundled)
			  ORDER BY methodology, position
	LOOP
		INSERT INTO ref_node
		SELECT a.cycle, a.methodology, a.country, a.kind, a.subject, k.code,
			   a.n > 0,
			   CASE WHEN a.n = 0 THEN NULL
					WHEN k.method IN ('mean', 'weighted_mean')
						THEN a.sws::numeric(80, 40) / a.sw
					WHEN k.method = 'weighted_sum' THEN a.sws
					ELSE a.mx END,
			   CASE WHEN a.n = 0 OR k.method = 'weighted_sum' THEN a.lo_all
					WHEN k.method = 'max' THEN a.lo_max
					ELSE a.lo_sum::numeric(80, 40) / a.sw END,
			   CASE WHEN a.n = 0 OR k.method = 'weighted_sum' THEN a.hi_all
					WHEN k.method = 'max' THEN a.hi_max
					ELSE a.hi_sum::numeric(80, 40) / a.sw END,
			   CASE WHEN a.n = 0 THEN 0 ELSE a.cw::numeric(80, 40) / a.sw END,
			   CASE WHEN a.n = 0 THEN 0 ELSE a.ccw::numeric(80, 40) / a.sw END
		  FROM (SELECT n.cycle, n.methodology, n.country, n.kind, n.subject,
					   count(*) FILTER (WHERE n.has) AS n,
					   sum(x.w * n.score) FILTER (WHERE n.has) AS sws,
					   sum(x.w) FILTER (WHERE n.has) AS sw,
					   max(n.score) FILTER (WHERE n.has) AS mx,
					   sum(x.w * n.lo) AS lo_all,
					   sum(x.w * n.hi) AS hi_all,
					   sum(x.w * n.lo) FILTER (WHERE n.has) AS lo_sum,
					   sum(x.w * n.hi) FILTER (WHERE n.has) AS hi_sum,
					   max(n.lo) FILTER (WHERE n.has) AS lo_max,
					   max(n.hi) FILTER (WHERE n.has) AS hi_max,
					   sum(x.w * n.cw) FILTER (WHERE n.has) AS cw,
					   sum(x.w * n.ccw) FILTER (WHERE n.has) AS ccw
				  FROM (SELECT ci.input,
							   CASE WHEN k.method IN ('mean', 'max') THEN 1
									ELSE ci.weight::numeric END AS w
						  FROM ideal.composite_input ci
						 WHERE ci.methodology = k.methodology
						   AND ci.composite = k.code) x
				  JOIN ref_node n ON n.methodology = k.methodology AND n.node = x.input
				 WHERE n.kind = k.kind
				 GROUP BY n.cycle, n.methodology, n.country, n.kind, n.subject) a;
	END LOOP;
END $ref$;

-- answered, unknowns, coverage: from each composite's leaves, found by
-- walking composite_input here, not through the extension's views
CREATE TEMP TABLE ref_leaf AS
WITH RECURSIVE w (methodology, composite, input, is_comp) AS (
	SELECT methodology, composite, input, input_is_composite FROM ideal.composite_input
	UNION
	SELECT w.methodology, w.composite, ci.input, ci.input_is_composite
	  FROM w JOIN ideal.composite_input ci
		ON ci.methodology = w.methodology AND ci.composite = w.input
	 WHERE w.is_comp
)
SELECT methodology, composite, input AS indicator FROM w WHERE NOT is_comp;
CREATE TEMP TABLE ref_result AS
SELECT n.cycle, n.country, n.kind, n.subject, n.node AS composite,
	   round(n.score, 15) AS score,
	   CASE WHEN NOT n.has THEN NULL
			WHEN n.hi > n.lo THEN (n.score - n.lo) / (n.hi - n.lo) ELSE 0 END AS normalised,
	   CASE WHEN n.has AND n.cw > 0 THEN n.ccw / n.cw END AS confidence,
	   l.answered, l.expected, l.unknowns,
	   CASE WHEN l.required > 0 THEN l.required_answered::numeric / l.required
			ELSE l.answered::numeric / l.expected END AS coverage,
	   (SELECT b.level FROM ideal.band b
		 WHERE b.methodology = n.methodology AND b.composite = n.node
		   AND b.lower_bound::numeric <= n.score
		 ORDER BY b.lower_bound DESC LIMIT 1) AS level
  FROM ref_node n
  JOIN ideal.composite k ON k.methodology = n.methodology AND k.code = n.node
  JOIN LATERAL (
	SELECT count(*)::int AS expected,
		   (count(*) FILTER (WHERE o.id IS NOT NULL AND NOT o.is_unknown))::int AS answered,
		   (count(*) FILTER (WHERE o.is_unknown))::int AS unknowns,
		   (count(*) FILTER (WHERE i.required))::int AS required,
		   (count(*) FILTER (WHERE i.required AND o.id IS NOT NULL
							   AND NOT o.is_unknown))::int AS required_answered
	  FROM ref_leaf f
	  JOIN ideal.indicator i ON i.methodology = f.methodology AND i.code = f.indicator
	  LEFT JOIN ideal.observation o
			 ON o.cycle = n.cycle AND o.country = n.country AND o.subject_kind = n.kind
			AND o.subject = n.subject AND o.indicator = f.indicator
	 WHERE f.methodology = n.methodology AND f.composite = n.node) l ON true;

-- the comparison -------------------------------------------------------------
CREATE TEMP TABLE ext AS
SELECT cycle, country, subject_kind AS kind, subject, composite, score, normalised,
	   confidence, answered, expected, unknowns, coverage, level, exact
  FROM ideal.subject_score WHERE cycle LIKE 'REF/%';
SELECT is((SELECT count(*)::int FROM ext), (SELECT count(*)::int FROM ref_result),
		  'as many scores as the reference');
SELECT cmp_ok((SELECT count(*)::int FROM ref_result), '>', 10000, 'over 10,000 subject scores compared');
SELECT is_empty($$SELECT cycle, country, kind, subject, composite FROM ref_result
				  EXCEPT SELECT cycle, country, kind, subject, composite FROM ext$$,
				'the same subjects and composites');
SELECT is_empty($$SELECT r.cycle, r.subject, r.composite, r.score, e.score
					FROM ref_result r JOIN ext e USING (cycle, country, kind, subject, composite)
				   WHERE r.score IS DISTINCT FROM e.score$$,
				'every score equals the reference, for every methodology');
SELECT is_empty($$SELECT r.cycle, r.subject, r.composite, r.normalised, e.normalised,
						 r.confidence, e.confidence
					FROM ref_result r JOIN ext e USING (cycle, country, kind, subject, composite)
				   WHERE (r.normalised IS NULL) <> (e.normalised IS NULL)
					  OR abs(r.normalised - e.normalised::numeric) > 1e-9
					  OR (r.confidence IS NULL) <> (e.confidence IS NULL)
					  OR abs(r.confidence - e.confidence::numeric) > 1e-9$$,
				'normalised scores and confidences equal the reference');
SELECT is_empty($$SELECT r.cycle, r.subject, r.composite
					FROM ref_result r JOIN ext e USING (cycle, country, kind, subject, composite)
				   WHERE (r.answered, r.expected, r.unknowns, r.level)
						 IS DISTINCT FROM (e.answered, e.expected, e.unknowns, e.level)
					  OR abs(r.coverage - e.coverage::numeric) > 1e-12$$,
				'answered, expected, unknowns, coverage and level equal the reference');
SELECT set_eq($$SELECT DISTINCT split_part(cycle, '/', 2) FROM ref_result WHERE score IS NOT NULL$$,
			  $$SELECT code FROM ideal.methodology WHERE bundled$$,
			  'scores were compared for all five methodologies');
SELECT ok((SELECT bool_and(exact) FROM ext), 'every score computed exactly');
SELECT * FROM finish();
ROLLBACK;
