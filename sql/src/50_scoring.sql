--------------------------------------------------------------------------
-- Scoring: composites per subject, bands, headline, reliability, views
--
-- Scores are computed from ideal.observation when a view is queried; no
-- stored score is ever needed for a correct answer (ideal.refresh_scores,
-- in 55_snapshot.sql, is an explicit option for large installations).
--
-- Two families of views, kept apart on purpose:
--   per-subject views (subject_score, country_area_score, group_ranking,
--   group_matrix, intelligence_gap, quadrant, cycle_trend) show one
--   subject's answers or scores; they may be made security_invoker so that
--   row-level security on ideal.observation applies to their readers;
--   aggregate views (regional_picture, country_gaps) read the base tables
--   directly, never a per-subject view: a view that reads a
--   security_invoker view is itself checked as its caller, so an aggregate
--   built on a per-subject view would silently shrink to the caller's rows.
--------------------------------------------------------------------------

CREATE TYPE ideal.composite_score AS (
	composite text,
	score numeric,
	normalised float8,
	confidence float8,
	answered integer,
	expected integer,
	unknowns integer,
	coverage float8,
	level ideal.threat_level,
	exact boolean
);
COMMENT ON TYPE ideal.composite_score IS
	'One composite''s result for one subject, as returned by ideal.evaluate';

CREATE FUNCTION ideal.evaluate_trans(internal, text, text, float8, boolean, ideal.grading)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_trans'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_combine'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_evaluate_serialize'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_deserialize'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_final(internal) RETURNS ideal.composite_score[]
	AS 'MODULE_PATHNAME', 'ideal_evaluate_final'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ideal.evaluate_trans(internal, text, text, float8, boolean, ideal.grading) IS
	'Transition function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_combine(internal, internal) IS
	'Combine function of ideal.evaluate (parallel and partial aggregation)';
COMMENT ON FUNCTION ideal.evaluate_serialize(internal) IS
	'Serialize function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_deserialize(bytea, internal) IS
	'Deserialize function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_final(internal) IS
	'Final function of ideal.evaluate: the composite scores';

-- SSPACE: a 272-byte header and one 136-byte summary per indicator of the
-- methodology, whatever the rows: GI-TOC 2023 and 2025, the largest bundled
-- methodologies (32 indicators), take 4,624 bytes.
CREATE AGGREGATE ideal.evaluate(cycle text, indicator text, value float8,
								is_unknown boolean, grading ideal.grading) (
	SFUNC = ideal.evaluate_trans, STYPE = internal,
	FINALFUNC = ideal.evaluate_final, COMBINEFUNC = ideal.evaluate_combine,
	SERIALFUNC = ideal.evaluate_serialize,
	DESERIALFUNC = ideal.evaluate_deserialize,
	SSPACE = 4624, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ideal.evaluate(text, text, float8, boolean, ideal.grading) IS
	'Composite scores of one subject from its observations, as its cycle''s methodology defines them';

CREATE FUNCTION ideal.band_level(methodology text, composite text, score float8)
	RETURNS ideal.threat_level
	LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT b.level FROM ideal.band b
	 WHERE b.methodology = $1 AND b.composite = $2 AND b.lower_bound <= $3
	 ORDER BY b.lower_bound DESC LIMIT 1
$$;
COMMENT ON FUNCTION ideal.band_level(text, text, float8) IS
	'Threat level of a score on a composite''s band, or NULL if it has none';

CREATE VIEW ideal.headline_composite AS
SELECT DISTINCT ON (k.methodology, k.kind)
	   k.methodology, k.kind AS subject_kind, k.code AS composite
  FROM ideal.composite k
 ORDER BY k.methodology, k.kind,
		  EXISTS (SELECT 1 FROM ideal.band b
				   WHERE b.methodology = k.methodology
					 AND b.composite = k.code) DESC,
		  k.position DESC;
COMMENT ON VIEW ideal.headline_composite IS
	'The headline composite of each methodology and subject kind: its last banded composite, or its last composite when none is banded';
COMMENT ON COLUMN ideal.headline_composite.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.headline_composite.composite IS 'Code of the headline composite';

-- The reliability rule, in one place.  A score is flagged when
--   it has no value (no known answer),
--   coverage (share of required indicators answered with a known value)
--     is below min_coverage (default 0.75),
--   fewer than min_answers (default 3) known answers stand behind it, or
--     fewer than all of them when the composite has fewer inputs,
--   the mean confidence of its graded answers is below min_confidence
--     (default 0.5; ungraded answers are not flagged).
CREATE FUNCTION ideal.score_caveat(score numeric, answered integer,
								   expected integer, coverage float8,
								   confidence float8,
								   min_coverage float8 DEFAULT 0.75,
								   min_confidence float8 DEFAULT 0.5,
								   min_answers integer DEFAULT 3)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT nullif(concat_ws('; ',
		CASE WHEN score IS NULL THEN 'no score: no known answer' END,
		CASE WHEN score IS NOT NULL AND coverage < min_coverage
			 THEN format('low coverage: %s%% of required answers',
						 round((coverage * 100)::numeric)) END,
		CASE WHEN score IS NOT NULL AND answered < least(expected, min_answers)
			 THEN format('few answers: %s of %s', answered, expected) END,
		CASE WHEN confidence < min_confidence
			 THEN format('weakly graded: confidence %s',
						 round(confidence::numeric, 2)) END), '')
$$;
COMMENT ON FUNCTION ideal.score_caveat(numeric, integer, integer, float8, float8, float8, float8, integer) IS
	'Why a score is not reliable (NULL when it is): no score, coverage below min_coverage, fewer than min_answers known answers, or confidence below min_confidence';

CREATE FUNCTION ideal.weak_grading(grading ideal.grading,
								   min_confidence float8 DEFAULT 0.5)
	RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT ideal.confidence(grading) < min_confidence
$$;
COMMENT ON FUNCTION ideal.weak_grading(ideal.grading, float8) IS
	'True when a grading''s confidence is below min_confidence (default 0.5, as in ideal.score_caveat)';

--------------------------------------------------------------------------
-- Per-subject: every composite of every subject
--------------------------------------------------------------------------

CREATE VIEW ideal.subject_score AS
SELECT e.cycle, c.methodology, e.country, e.subject_kind, e.subject,
	   r.composite, r.score, r.normalised, r.confidence, r.answered,
	   r.expected, r.unknowns, r.coverage, r.level, r.exact,
	   (h.composite IS NOT NULL) AS headline,
	   (q.caveat IS NULL) AS reliable, q.caveat
  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS scores
		  FROM ideal.observation o
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
  JOIN ideal.cycle c ON c.code = e.cycle
 CROSS JOIN LATERAL unnest(e.scores) AS r
 CROSS JOIN LATERAL (SELECT ideal.score_caveat(r.score, r.answered,
											   r.expected, r.coverage,
											   r.confidence) AS caveat) q
  LEFT JOIN ideal.headline_composite h
		 ON h.methodology = c.methodology AND h.subject_kind = e.subject_kind
		AND h.composite = r.composite;
COMMENT ON VIEW ideal.subject_score IS
	'Per subject: every composite score of every subject (group, crime area in a reporting country, or country), computed from the observations when queried';
COMMENT ON COLUMN ideal.subject_score.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.subject_score.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.subject_score.country IS 'Reporting country';
COMMENT ON COLUMN ideal.subject_score.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.subject_score.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.subject_score.composite IS 'Composite code';
COMMENT ON COLUMN ideal.subject_score.score IS
	'Score on the composite''s own scale (raw), exact to 15 decimals; NULL when no input has a value';
COMMENT ON COLUMN ideal.subject_score.normalised IS
	'Score between the lowest (0) and highest (1) the answered inputs allow; for a weighted sum relative to the full maximum';
COMMENT ON COLUMN ideal.subject_score.confidence IS
	'Mean confidence of the graded answers behind the score, weighted as the composite weighs its inputs; NULL when none was graded';
COMMENT ON COLUMN ideal.subject_score.answered IS 'Indicators under the composite answered with a known value';
COMMENT ON COLUMN ideal.subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal.subject_score.unknowns IS 'Indicators under the composite answered "unknown"';
COMMENT ON COLUMN ideal.subject_score.coverage IS
	'Share of the composite''s required indicators answered with a known value (of all its indicators when none is required)';
COMMENT ON COLUMN ideal.subject_score.level IS 'Threat level from the composite''s band; NULL when it has none';
COMMENT ON COLUMN ideal.subject_score.exact IS 'True when the score was computed in exact rational arithmetic';
COMMENT ON COLUMN ideal.subject_score.headline IS 'True for the headline composite of the subject''s kind';
COMMENT ON COLUMN ideal.subject_score.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.subject_score.caveat IS
	'Why the score is not reliable: no score, low coverage, few answers, weak grading (ideal.score_caveat)';

--------------------------------------------------------------------------
-- Aggregate: the regional picture per crime area
--------------------------------------------------------------------------

-- Reads ideal.observation directly (see the note at the top).  Each
-- reporting country's headline crime-area score weighs by its confidence;
-- a country whose answers carry no grading weighs 1, as ungraded rows do
-- in ideal.score.
CREATE VIEW ideal.regional_picture AS
WITH area AS (
	SELECT e.cycle, c.methodology, e.country, e.subject AS crime_area,
		   r.composite, r.score, r.confidence, r.coverage, r.unknowns,
		   ideal.score_caveat(r.score, r.answered, r.expected, r.coverage,
							  r.confidence) AS caveat
	  FROM (SELECT o.cycle, o.country, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 WHERE o.subject_kind = 'crime_area'
			 GROUP BY o.cycle, o.country, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = 'crime_area'
	   AND h.composite = r.composite
), region AS (
	SELECT a.cycle, a.methodology, a.crime_area, a.composite,
		   count(*)::integer AS countries,
		   (count(*) FILTER (WHERE a.score IS NOT NULL))::integer AS scored_countries,
		   ideal.summarize(a.score::float8, 1.0,
						   coalesce(a.confidence, 1.0)) AS summary,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(a.confidence::numeric)::float8 AS confidence,
		   avg(a.coverage::numeric)::float8 AS coverage,
		   sum(a.unknowns)::integer AS unknowns,
		   (count(*) FILTER (WHERE a.caveat IS NOT NULL))::integer AS weak_countries
	  FROM area a
	 GROUP BY a.cycle, a.methodology, a.crime_area, a.composite
), scored AS (
	SELECT g.*, ideal.score(g.summary) AS score
	  FROM region g
), flagged AS (
	SELECT s.*,
		   nullif(concat_ws('; ',
			   CASE WHEN s.scored_countries < 2
					THEN format('scored by %s country', s.scored_countries) END,
			   CASE WHEN s.weak_countries > 0
					THEN format('%s of %s country scores flagged',
								s.weak_countries, s.countries) END,
			   CASE WHEN s.confidence < 0.5
					THEN format('weakly graded: confidence %s',
								round(s.confidence::numeric, 2)) END), '')
			   AS caveat
	  FROM scored s
)
SELECT f.cycle, f.methodology, f.crime_area,
	   coalesce(ca.labels ->> current_setting('ideal.language', true),
				ca.labels ->> 'en') AS crime_area_name, f.composite,
	   f.countries, f.score, f.confidence,
	   ideal.band_level(f.methodology, f.composite, f.score) AS level,
	   rank() OVER (PARTITION BY f.cycle ORDER BY f.score DESC NULLS LAST) AS rank,
	   f.scored_countries,
	   ideal.min_value(f.summary) AS min_score,
	   ideal.max_value(f.summary) AS max_score,
	   f.coverage, f.unknowns, f.weak_countries,
	   (f.caveat IS NULL) AS reliable, f.caveat,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle AND g.primary_area = f.crime_area) AS groups_primary,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle
		   AND (g.primary_area = f.crime_area
				OR f.crime_area = ANY (g.crime_areas))) AS groups_involved
  FROM flagged f
  LEFT JOIN ideal.crime_area ca
		 ON ca.methodology = f.methodology AND ca.code = f.crime_area;
COMMENT ON VIEW ideal.regional_picture IS
	'Aggregate, per cycle and crime area: reporting countries, confidence-weighted headline score, its level and rank, with the spread, coverage, unknowns and a reliability flag';
COMMENT ON COLUMN ideal.regional_picture.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.regional_picture.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.regional_picture.crime_area IS 'Crime area code';
COMMENT ON COLUMN ideal.regional_picture.crime_area_name IS 'Crime area label in ideal.language';
COMMENT ON COLUMN ideal.regional_picture.composite IS 'The headline crime-area composite that is scored';
COMMENT ON COLUMN ideal.regional_picture.countries IS 'Countries that reported on the crime area';
COMMENT ON COLUMN ideal.regional_picture.score IS
	'Mean of the reporting countries'' headline scores, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal.regional_picture.confidence IS 'Mean confidence of the countries'' graded scores';
COMMENT ON COLUMN ideal.regional_picture.level IS 'Threat level of the regional score on the composite''s band';
COMMENT ON COLUMN ideal.regional_picture.rank IS 'Rank of the crime area in the cycle, 1 = highest score';
COMMENT ON COLUMN ideal.regional_picture.scored_countries IS 'Countries whose answers give a score';
COMMENT ON COLUMN ideal.regional_picture.min_score IS 'Lowest country score';
COMMENT ON COLUMN ideal.regional_picture.max_score IS 'Highest country score';
COMMENT ON COLUMN ideal.regional_picture.coverage IS 'Mean coverage of the country scores';
COMMENT ON COLUMN ideal.regional_picture.unknowns IS 'Indicators answered "unknown", summed over countries';
COMMENT ON COLUMN ideal.regional_picture.weak_countries IS 'Country scores that ideal.score_caveat flags';
COMMENT ON COLUMN ideal.regional_picture.reliable IS
	'False when fewer than two countries score the area, any country score is flagged, or the mean confidence is below 0.5';
COMMENT ON COLUMN ideal.regional_picture.caveat IS 'Why the regional score is not reliable';
COMMENT ON COLUMN ideal.regional_picture.groups_primary IS
	'Groups in ideal.subject with this crime area as their primary one';
COMMENT ON COLUMN ideal.regional_picture.groups_involved IS
	'Groups in ideal.subject active in this crime area, primary or not';
