--------------------------------------------------------------------------
-- Per-subject views: crime areas per country, groups ranked, the group x
-- attribute matrix.  All read ideal.subject_score or ideal.observation and
-- show single subjects (see the note at the top of 50_scoring.sql).
--------------------------------------------------------------------------

CREATE VIEW ideal.country_area_score AS
SELECT s.cycle, s.methodology, s.country, s.subject AS crime_area,
	   coalesce(ca.labels ->> current_setting('ideal.language', true),
				ca.labels ->> 'en') AS crime_area_name, s.composite,
	   s.score, s.normalised, s.level, s.confidence, s.answered, s.expected,
	   s.unknowns, s.coverage, s.reliable, s.caveat, s.headline,
	   CASE WHEN s.headline THEN
		   rank() OVER (PARTITION BY s.cycle, s.country, s.headline
						ORDER BY s.score DESC NULLS LAST)
	   END AS rank_in_country,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = s.cycle AND g.country = s.country
		   AND g.primary_area = s.subject) AS groups_primary,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = s.cycle AND g.country = s.country
		   AND (g.primary_area = s.subject
				OR s.subject = ANY (g.crime_areas))) AS groups_involved
  FROM ideal.subject_score s
  LEFT JOIN ideal.crime_area ca
		 ON ca.methodology = s.methodology AND ca.code = s.subject
 WHERE s.subject_kind = 'crime_area';
COMMENT ON VIEW ideal.country_area_score IS
	'Per subject: each reporting country''s composite scores for each crime area, with the area''s rank in the country and the groups the country reports in it';
COMMENT ON COLUMN ideal.country_area_score.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.country_area_score.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.country_area_score.country IS 'Reporting country';
COMMENT ON COLUMN ideal.country_area_score.crime_area IS 'Crime area code';
COMMENT ON COLUMN ideal.country_area_score.crime_area_name IS 'Crime area label in ideal.language';
COMMENT ON COLUMN ideal.country_area_score.composite IS 'Composite code';
COMMENT ON COLUMN ideal.country_area_score.score IS 'Score on the composite''s scale, exact to 15 decimals';
COMMENT ON COLUMN ideal.country_area_score.normalised IS 'Score between 0 and 1 (see ideal.subject_score)';
COMMENT ON COLUMN ideal.country_area_score.level IS 'Threat level from the composite''s band';
COMMENT ON COLUMN ideal.country_area_score.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.country_area_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal.country_area_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal.country_area_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal.country_area_score.coverage IS 'Share of required indicators answered';
COMMENT ON COLUMN ideal.country_area_score.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.country_area_score.caveat IS 'Why the score is not reliable';
COMMENT ON COLUMN ideal.country_area_score.headline IS 'True for the headline crime-area composite';
COMMENT ON COLUMN ideal.country_area_score.rank_in_country IS
	'Rank of the crime area among the country''s areas by headline score (headline rows only)';
COMMENT ON COLUMN ideal.country_area_score.groups_primary IS
	'Groups the country reports in ideal.subject with this primary crime area';
COMMENT ON COLUMN ideal.country_area_score.groups_involved IS
	'Groups the country reports in ideal.subject active in this crime area';

-- One row per group and indicator of the methodology's group kind, answered
-- or not.  Groups are those with observations and those declared in
-- ideal.subject.  "rating" is the answer in canonical form: the level code
-- on ordinal scales, the number on numeric ones, "unknown", or NULL when the
-- question was never answered.
CREATE VIEW ideal.group_matrix AS
WITH grp AS (
	SELECT o.cycle, o.country, o.subject AS ref
	  FROM ideal.observation o
	 WHERE o.subject_kind = 'group'
	UNION
	SELECT g.cycle, g.country, g.ref
	  FROM ideal.subject g
)
SELECT g.cycle, c.methodology, g.country, g.ref, i.code AS indicator,
	   coalesce(i.labels ->> current_setting('ideal.language', true),
				i.labels ->> 'en') AS indicator_name, i.position,
	   i.weight, i.required, o.answer,
	   CASE WHEN o.id IS NULL THEN NULL
			WHEN o.is_unknown THEN 'unknown'
			WHEN sc.kind = 'ordinal' THEN
				(SELECT l.code FROM ideal.scale_level l
				  WHERE l.methodology = i.methodology AND l.scale = i.scale
					AND l.value = o.value
				  ORDER BY l.position LIMIT 1)
			ELSE o.value::text
	   END AS rating,
	   o.value, coalesce(o.is_unknown, false) AS is_unknown,
	   (o.id IS NOT NULL AND NOT o.is_unknown) AS answered,
	   o.grading::text AS grading,
	   ideal.confidence(o.grading) AS confidence,
	   CASE WHEN o.id IS NULL THEN
				CASE WHEN i.required OR NOT EXISTS
						 (SELECT 1 FROM ideal.indicator r
						   WHERE r.methodology = i.methodology
							 AND r.kind = 'group' AND r.required)
					 THEN 'missing' END
			WHEN o.is_unknown THEN 'unknown'
			WHEN ideal.weak_grading(o.grading) THEN 'weak_grading'
	   END AS gap
  FROM grp g
  JOIN ideal.cycle c ON c.code = g.cycle
  JOIN ideal.indicator i ON i.methodology = c.methodology AND i.kind = 'group'
  JOIN ideal.scale sc ON sc.methodology = i.methodology AND sc.code = i.scale
  LEFT JOIN ideal.observation o
		 ON o.cycle = g.cycle AND o.country = g.country
		AND o.subject_kind = 'group' AND o.subject = g.ref
		AND o.indicator = i.code;
COMMENT ON VIEW ideal.group_matrix IS
	'Per subject: the group x attribute matrix, one row per group and group indicator, answered or not, with the rating, its grading and any gap';
COMMENT ON COLUMN ideal.group_matrix.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.group_matrix.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.group_matrix.country IS 'Reporting country';
COMMENT ON COLUMN ideal.group_matrix.ref IS 'Group reference';
COMMENT ON COLUMN ideal.group_matrix.indicator IS 'Indicator (attribute) code';
COMMENT ON COLUMN ideal.group_matrix.indicator_name IS 'Indicator label in ideal.language';
COMMENT ON COLUMN ideal.group_matrix.position IS 'Indicator order in the methodology';
COMMENT ON COLUMN ideal.group_matrix.weight IS 'Indicator weight';
COMMENT ON COLUMN ideal.group_matrix.required IS 'True for a required indicator';
COMMENT ON COLUMN ideal.group_matrix.answer IS 'The answer as submitted; NULL when never answered';
COMMENT ON COLUMN ideal.group_matrix.rating IS
	'The answer in canonical form: level code, number, "unknown"; NULL when never answered';
COMMENT ON COLUMN ideal.group_matrix.value IS 'The answer''s value on its scale';
COMMENT ON COLUMN ideal.group_matrix.is_unknown IS 'True when answered "unknown"';
COMMENT ON COLUMN ideal.group_matrix.answered IS 'True when answered with a known value';
COMMENT ON COLUMN ideal.group_matrix.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal.group_matrix.confidence IS 'Confidence of the grading';
COMMENT ON COLUMN ideal.group_matrix.gap IS
	'missing (required, never answered), unknown, weak_grading (confidence below 0.5), or NULL';

CREATE VIEW ideal.group_ranking AS
SELECT s.cycle, s.country, s.subject AS ref, g.name, g.typology,
	   g.primary_area, s.composite, s.score, s.normalised, s.confidence,
	   s.coverage, s.unknowns, s.level,
	   rank() OVER (PARTITION BY s.cycle ORDER BY s.score DESC NULLS LAST) AS rank,
	   s.methodology, s.answered, s.expected, s.reliable, s.caveat,
	   rank() OVER (PARTITION BY s.cycle, s.country
					ORDER BY s.score DESC NULLS LAST) AS rank_in_country,
	   (SELECT jsonb_object_agg(m.indicator, m.rating ORDER BY m.position)
		  FROM ideal.group_matrix m
		 WHERE m.cycle = s.cycle AND m.country = s.country
		   AND m.ref = s.subject) AS attributes
  FROM ideal.subject_score s
  LEFT JOIN ideal.subject g
		 ON g.cycle = s.cycle AND g.country = s.country AND g.ref = s.subject
 WHERE s.subject_kind = 'group' AND s.headline;
COMMENT ON VIEW ideal.group_ranking IS
	'Per subject: criminal groups of each cycle ranked by their headline composite, with their attribute ratings';
COMMENT ON COLUMN ideal.group_ranking.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.group_ranking.country IS 'Reporting country';
COMMENT ON COLUMN ideal.group_ranking.ref IS 'Group reference';
COMMENT ON COLUMN ideal.group_ranking.name IS 'Group name from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.typology IS 'Group typology from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.primary_area IS 'Primary crime area from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.composite IS 'The headline group composite';
COMMENT ON COLUMN ideal.group_ranking.score IS 'Headline score, exact to 15 decimals';
COMMENT ON COLUMN ideal.group_ranking.normalised IS 'Score between 0 and 1 (Sleipnir: total / 760)';
COMMENT ON COLUMN ideal.group_ranking.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.group_ranking.coverage IS 'Share of required indicators answered';
COMMENT ON COLUMN ideal.group_ranking.unknowns IS 'Attributes answered "unknown"';
COMMENT ON COLUMN ideal.group_ranking.level IS 'Threat level from the composite''s band';
COMMENT ON COLUMN ideal.group_ranking.rank IS 'Rank in the cycle, 1 = highest score';
COMMENT ON COLUMN ideal.group_ranking.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.group_ranking.answered IS 'Attributes answered with a known value';
COMMENT ON COLUMN ideal.group_ranking.expected IS 'Attributes under the composite';
COMMENT ON COLUMN ideal.group_ranking.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.group_ranking.caveat IS 'Why the score is not reliable';
COMMENT ON COLUMN ideal.group_ranking.rank_in_country IS 'Rank among the groups the same country reports';
COMMENT ON COLUMN ideal.group_ranking.attributes IS
	'Attribute matrix row: indicator code -> rating (level code, number, "unknown", or null when never answered)';
