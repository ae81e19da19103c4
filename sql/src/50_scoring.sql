--------------------------------------------------------------------------
-- Scoring: composites per subject, bands, views
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

CREATE AGGREGATE ideal.evaluate(cycle text, indicator text, value float8,
								is_unknown boolean, grading ideal.grading) (
	SFUNC = ideal.evaluate_trans, STYPE = internal,
	FINALFUNC = ideal.evaluate_final, COMBINEFUNC = ideal.evaluate_combine,
	SERIALFUNC = ideal.evaluate_serialize,
	DESERIALFUNC = ideal.evaluate_deserialize,
	PARALLEL = SAFE
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

CREATE VIEW ideal.subject_score AS
SELECT e.cycle, c.methodology, e.country, e.subject_kind, e.subject,
	   r.composite, r.score, r.normalised, r.confidence, r.answered,
	   r.expected, r.unknowns, r.coverage, r.level, r.exact,
	   (h.code IS NOT NULL) AS headline
  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS scores
		  FROM ideal.observation o
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
  JOIN ideal.cycle c ON c.code = e.cycle
 CROSS JOIN LATERAL unnest(e.scores) AS r
  LEFT JOIN LATERAL (SELECT k.code FROM ideal.composite k
					  WHERE k.methodology = c.methodology
						AND k.kind = e.subject_kind
					  ORDER BY EXISTS (SELECT 1 FROM ideal.band b
										WHERE b.methodology = k.methodology
										  AND b.composite = k.code) DESC,
							   k.position DESC
					  LIMIT 1) h
		 ON h.code = r.composite;
COMMENT ON VIEW ideal.subject_score IS
	'Every composite score of every subject, computed from the observations when queried';

CREATE VIEW ideal.regional_picture AS
SELECT a.cycle, a.methodology, a.crime_area, a.countries, a.score,
	   a.confidence,
	   ideal.band_level(a.methodology, a.composite, a.score) AS level,
	   rank() OVER (PARTITION BY a.cycle ORDER BY a.score DESC NULLS LAST) AS rank
  FROM (SELECT s.cycle, s.methodology, s.subject AS crime_area, s.composite,
			   count(DISTINCT s.country) AS countries,
			   ideal.score(ideal.summarize(s.score::float8, 1.0,
										   coalesce(s.confidence, 1.0))) AS score,
			   avg(s.confidence) AS confidence
		  FROM ideal.subject_score s
		 WHERE s.subject_kind = 'crime_area' AND s.headline
		 GROUP BY s.cycle, s.methodology, s.subject, s.composite) a;
COMMENT ON VIEW ideal.regional_picture IS
	'Per cycle and crime area: reporting countries, confidence-weighted headline score, its level and rank';

CREATE VIEW ideal.group_ranking AS
SELECT s.cycle, s.country, s.subject AS ref, g.name, g.typology,
	   g.primary_area, s.composite, s.score, s.normalised, s.confidence,
	   s.coverage, s.unknowns, s.level,
	   rank() OVER (PARTITION BY s.cycle ORDER BY s.score DESC NULLS LAST) AS rank
  FROM ideal.subject_score s
  LEFT JOIN ideal.subject g
		 ON g.cycle = s.cycle AND g.country = s.country AND g.ref = s.subject
 WHERE s.subject_kind = 'group' AND s.headline;
COMMENT ON VIEW ideal.group_ranking IS
	'Criminal groups of each cycle ranked by their headline composite';
