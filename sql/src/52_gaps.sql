--------------------------------------------------------------------------
-- Intelligence gaps: what is not known, per subject and per country
--
-- A subject exists when it has at least one observation in the cycle, or,
-- for a group, when it is declared in ideal.subject.  Its required
-- indicators are those of its kind marked required, or all of its kind
-- when the methodology marks none (the rule coverage uses).  Gaps:
--   missing       a required indicator never answered for the subject;
--   unknown       an answer "unknown" (scored or not);
--   weak_grading  a known answer whose grading's confidence is below 0.5
--                 (ideal.weak_grading).
--------------------------------------------------------------------------

CREATE VIEW ideal.intelligence_gap AS
WITH subj AS (
	-- each subject once, with the indicators answered for it
	SELECT o.cycle, o.country, o.subject_kind, o.subject,
		   array_agg(o.indicator) AS answered
	  FROM ideal.observation o
	 GROUP BY o.cycle, o.country, o.subject_kind, o.subject
	UNION ALL
	SELECT g.cycle, g.country, 'group', g.ref, '{}'::text[]
	  FROM ideal.subject g
	 WHERE NOT EXISTS (SELECT 1 FROM ideal.observation o
						WHERE o.cycle = g.cycle AND o.country = g.country
						  AND o.subject_kind = 'group' AND o.subject = g.ref)
), req AS (
	SELECT i.methodology, i.kind, i.code, i.labels, i.position
	  FROM ideal.indicator i
	 WHERE i.required
		OR NOT EXISTS (SELECT 1 FROM ideal.indicator r
						WHERE r.methodology = i.methodology
						  AND r.kind = i.kind AND r.required)
)
SELECT s.cycle, c.methodology, s.country, s.subject_kind, s.subject,
	   q.code AS indicator,
	   coalesce(q.labels ->> current_setting('ideal.language', true),
				q.labels ->> 'en') AS indicator_name,
	   true AS required, 'missing'::text AS gap, NULL::text AS answer,
	   NULL::text AS grading, NULL::float8 AS confidence
  FROM subj s
  JOIN ideal.cycle c ON c.code = s.cycle
  JOIN req q ON q.methodology = c.methodology AND q.kind = s.subject_kind
 WHERE NOT q.code = ANY (s.answered)
UNION ALL
SELECT o.cycle, c.methodology, o.country, o.subject_kind, o.subject,
	   o.indicator,
	   coalesce(i.labels ->> current_setting('ideal.language', true),
				i.labels ->> 'en'),
	   i.required,
	   CASE WHEN o.is_unknown THEN 'unknown' ELSE 'weak_grading' END,
	   o.answer, o.grading::text, ideal.confidence(o.grading)
  FROM ideal.observation o
  JOIN ideal.cycle c ON c.code = o.cycle
  JOIN ideal.indicator i ON i.methodology = c.methodology AND i.code = o.indicator
 WHERE o.is_unknown OR ideal.weak_grading(o.grading);
COMMENT ON VIEW ideal.intelligence_gap IS
	'Per subject: the gap register, one row per required answer missing, answer "unknown" or weakly graded answer (confidence below 0.5)';
COMMENT ON COLUMN ideal.intelligence_gap.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.intelligence_gap.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.intelligence_gap.country IS 'Reporting country';
COMMENT ON COLUMN ideal.intelligence_gap.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.intelligence_gap.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.intelligence_gap.indicator IS 'Indicator code';
COMMENT ON COLUMN ideal.intelligence_gap.indicator_name IS 'Indicator label in ideal.language';
COMMENT ON COLUMN ideal.intelligence_gap.required IS 'True for a required indicator';
COMMENT ON COLUMN ideal.intelligence_gap.gap IS 'missing, unknown or weak_grading';
COMMENT ON COLUMN ideal.intelligence_gap.answer IS 'The answer as submitted (NULL when missing)';
COMMENT ON COLUMN ideal.intelligence_gap.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal.intelligence_gap.confidence IS 'Confidence of the grading';

-- Aggregate: reads the base tables, not ideal.intelligence_gap (see the note
-- at the top of 50_scoring.sql).  missing is counted as required answers
-- expected minus required answers present, a second route to the number of
-- 'missing' rows of the register.
CREATE VIEW ideal.country_gaps AS
WITH subj AS (
	SELECT o.cycle, o.country, o.subject_kind, o.subject
	  FROM ideal.observation o
	UNION
	SELECT g.cycle, g.country, 'group', g.ref
	  FROM ideal.subject g
), req_ind AS (
	SELECT i.methodology, i.kind, i.code
	  FROM ideal.indicator i
	 WHERE i.required
		OR NOT EXISTS (SELECT 1 FROM ideal.indicator r
						WHERE r.methodology = i.methodology
						  AND r.kind = i.kind AND r.required)
), req AS (
	SELECT q.methodology, q.kind, count(*) AS n
	  FROM req_ind q
	 GROUP BY q.methodology, q.kind
), expected AS (
	SELECT s.cycle, s.country, count(*)::integer AS subjects,
		   coalesce(sum(q.n), 0)::integer AS required_answers
	  FROM subj s
	  JOIN ideal.cycle c ON c.code = s.cycle
	  LEFT JOIN req q ON q.methodology = c.methodology AND q.kind = s.subject_kind
	 GROUP BY s.cycle, s.country
), answers AS (
	SELECT o.cycle, o.country, count(*)::integer AS answers,
		   count(q.code)::integer AS required_present,
		   (count(*) FILTER (WHERE o.is_unknown))::integer AS unknowns,
		   (count(*) FILTER (WHERE o.grading IS NOT NULL))::integer AS graded,
		   (count(*) FILTER (WHERE NOT o.is_unknown
							   AND ideal.weak_grading(o.grading)))::integer AS weak_gradings,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(ideal.confidence(o.grading)::numeric)::float8 AS confidence
	  FROM ideal.observation o
	  JOIN ideal.cycle c ON c.code = o.cycle
	  LEFT JOIN req_ind q ON q.methodology = c.methodology AND q.code = o.indicator
	 GROUP BY o.cycle, o.country
), headline AS (
	SELECT e.cycle, e.country,
		   (count(*) FILTER (WHERE ideal.score_caveat(r.score, r.answered,
							   r.expected, r.coverage, r.confidence)
							   IS NOT NULL))::integer AS flagged_scores
	  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = e.subject_kind
	   AND h.composite = r.composite
	 GROUP BY e.cycle, e.country
)
SELECT x.cycle, c.methodology, x.country, x.subjects, x.required_answers,
	   x.required_answers - coalesce(a.required_present, 0) AS missing,
	   coalesce(a.unknowns, 0) AS unknowns,
	   coalesce(a.weak_gradings, 0) AS weak_gradings,
	   coalesce(a.answers, 0) AS answers,
	   coalesce(a.graded, 0) AS graded,
	   a.confidence,
	   CASE WHEN x.required_answers > 0 THEN
		   (x.required_answers - coalesce(a.required_present, 0))::float8
		   / x.required_answers
	   END AS missing_share,
	   coalesce(h.flagged_scores, 0) AS flagged_scores
  FROM expected x
  JOIN ideal.cycle c ON c.code = x.cycle
  LEFT JOIN answers a ON a.cycle = x.cycle AND a.country = x.country
  LEFT JOIN headline h ON h.cycle = x.cycle AND h.country = x.country;
COMMENT ON VIEW ideal.country_gaps IS
	'Aggregate, per cycle and reporting country: subjects, required answers missing, unknowns, weakly graded answers and flagged headline scores';
COMMENT ON COLUMN ideal.country_gaps.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.country_gaps.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.country_gaps.country IS 'Reporting country';
COMMENT ON COLUMN ideal.country_gaps.subjects IS
	'Subjects the country reports: with observations, or groups declared in ideal.subject';
COMMENT ON COLUMN ideal.country_gaps.required_answers IS 'Required answers expected for those subjects';
COMMENT ON COLUMN ideal.country_gaps.missing IS 'Required answers never given';
COMMENT ON COLUMN ideal.country_gaps.unknowns IS 'Answers "unknown"';
COMMENT ON COLUMN ideal.country_gaps.weak_gradings IS 'Known answers graded with confidence below 0.5';
COMMENT ON COLUMN ideal.country_gaps.answers IS 'Answers given';
COMMENT ON COLUMN ideal.country_gaps.graded IS 'Answers with a grading';
COMMENT ON COLUMN ideal.country_gaps.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.country_gaps.missing_share IS 'missing / required_answers';
COMMENT ON COLUMN ideal.country_gaps.flagged_scores IS
	'Subjects whose headline score ideal.score_caveat flags (no score, low coverage, few answers, weak grading)';
