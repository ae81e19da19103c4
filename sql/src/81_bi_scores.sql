--------------------------------------------------------------------------
-- ideal_bi: scores, the regional picture, gaps, trends and quadrants
--
-- Each view reads one view of the scoring parts (50-59) and only renames,
-- converts to standard types and adds names in the chosen language; the
-- numbers are those of the ideal views.  Conventions: see 80_bi.sql.
--------------------------------------------------------------------------

CREATE VIEW ideal_bi.subject_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.subject_kind,
	   s.subject AS subject_code,
	   CASE s.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(s.subject)
					 THEN ideal.country_name(s.subject::ideal.country) END
	   END AS subject_name,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.exact AS is_exact
  FROM ideal.subject_score s
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite
  LEFT JOIN ideal.subject g
		 ON s.subject_kind = 'group' AND g.cycle = s.cycle
		AND g.country OPERATOR(ideal.=) s.country AND g.ref = s.subject
  LEFT JOIN ideal.crime_area a
		 ON s.subject_kind = 'crime_area' AND a.methodology = s.methodology
		AND a.code = s.subject;
COMMENT ON VIEW ideal_bi.subject_score IS
	'Composite scores of every subject (group, crime area in a country, or country): one row per cycle, reporting country, subject and composite';
COMMENT ON COLUMN ideal_bi.subject_score.score IS 'The composite''s score on its inputs'' scale, correctly rounded to 15 decimals; NULL when no input has a value';
COMMENT ON COLUMN ideal_bi.subject_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.subject_score.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.subject_score.answered IS 'Indicators of the composite answered with a known value';
COMMENT ON COLUMN ideal_bi.subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.subject_score.unknowns IS 'Indicators of the composite answered "unknown"';
COMMENT ON COLUMN ideal_bi.subject_score.coverage IS 'Share of the composite''s required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.subject_score.is_headline IS 'True for the subject kind''s headline composite (its last banded one)';
COMMENT ON COLUMN ideal_bi.subject_score.is_reliable IS 'True when nothing flags the score (coverage, number of answers, grading)';
COMMENT ON COLUMN ideal_bi.subject_score.caveat IS 'Why the score is flagged: no score, low coverage, few answers, weak grading; NULL when reliable';
COMMENT ON COLUMN ideal_bi.subject_score.is_exact IS 'True when the score was computed exactly before its final rounding';

CREATE VIEW ideal_bi.country_area_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.rank_in_country::integer AS rank_in_country,
	   s.groups_primary,
	   s.groups_involved
  FROM ideal.country_area_score s
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = s.methodology AND a.code = s.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite;
COMMENT ON VIEW ideal_bi.country_area_score IS
	'Each reporting country''s scores for each crime area: one row per cycle, country, crime area and composite';
COMMENT ON COLUMN ideal_bi.country_area_score.score IS 'The composite''s score on its inputs'' scale, correctly rounded to 15 decimals';
COMMENT ON COLUMN ideal_bi.country_area_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_area_score.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.country_area_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal_bi.country_area_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.country_area_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal_bi.country_area_score.coverage IS 'Share of the required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_area_score.is_headline IS 'True for the headline crime-area composite';
COMMENT ON COLUMN ideal_bi.country_area_score.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.country_area_score.caveat IS 'Why the score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.country_area_score.rank_in_country IS 'Rank of the crime area among the country''s areas by headline score, 1 = highest (headline rows only)';
COMMENT ON COLUMN ideal_bi.country_area_score.groups_primary IS 'Groups the country reports with this primary crime area';
COMMENT ON COLUMN ideal_bi.country_area_score.groups_involved IS 'Groups the country reports active in this crime area';

CREATE VIEW ideal_bi.regional_picture WITH (security_invoker = true) AS
SELECT r.cycle AS cycle_code,
	   r.methodology AS methodology_code,
	   r.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   r.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   r.countries::integer AS reporting_countries,
	   r.scored_countries::integer AS scored_countries,
	   r.score::numeric AS score,
	   r.min_score::numeric AS min_score,
	   r.max_score::numeric AS max_score,
	   r.confidence::numeric AS confidence,
	   r.coverage::numeric AS coverage,
	   r.unknowns::integer AS unknowns,
	   r.level::integer AS level_ordinal,
	   ideal.threat_level_name(r.level, 'en') AS level_code,
	   ideal.threat_level_name(r.level) AS level_name,
	   r.rank::integer AS rank,
	   r.weak_countries::integer AS weak_countries,
	   r.reliable AS is_reliable,
	   r.caveat,
	   r.groups_primary::integer AS groups_primary,
	   r.groups_involved::integer AS groups_involved
  FROM ideal.regional_picture r
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = r.methodology AND a.code = r.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = r.methodology AND k.code = r.composite;
COMMENT ON VIEW ideal_bi.regional_picture IS
	'The regional picture: one row per cycle and crime area, ranked by the confidence-weighted score of the reporting countries';
COMMENT ON COLUMN ideal_bi.regional_picture.reporting_countries IS 'Countries that assessed the crime area';
COMMENT ON COLUMN ideal_bi.regional_picture.scored_countries IS 'Countries whose assessment gives a score';
COMMENT ON COLUMN ideal_bi.regional_picture.score IS 'Mean of the countries'' headline scores for the crime area, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal_bi.regional_picture.min_score IS 'Lowest country score';
COMMENT ON COLUMN ideal_bi.regional_picture.max_score IS 'Highest country score';
COMMENT ON COLUMN ideal_bi.regional_picture.confidence IS 'Mean confidence of the countries'' scores, 0 to 1; NULL when no answer was graded';
COMMENT ON COLUMN ideal_bi.regional_picture.coverage IS 'Mean coverage of the countries'' scores, 0 to 1';
COMMENT ON COLUMN ideal_bi.regional_picture.unknowns IS 'Answers "unknown" behind the countries'' scores';
COMMENT ON COLUMN ideal_bi.regional_picture.rank IS 'Rank of the crime area in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.regional_picture.weak_countries IS 'Countries whose score for the area is flagged';
COMMENT ON COLUMN ideal_bi.regional_picture.is_reliable IS 'True when nothing flags the regional score (at least two countries, none flagged, confidence at least 0.5)';
COMMENT ON COLUMN ideal_bi.regional_picture.caveat IS 'Why the regional score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.regional_picture.groups_primary IS 'Groups reported with this primary crime area';
COMMENT ON COLUMN ideal_bi.regional_picture.groups_involved IS 'Groups reported active in this crime area';

CREATE VIEW ideal_bi.group_ranking WITH (security_invoker = true) AS
SELECT r.cycle AS cycle_code,
	   r.methodology AS methodology_code,
	   r.country::text AS country_code,
	   ideal.country_alpha3(r.country) AS country_alpha3,
	   ideal.country_name(r.country) AS country_name,
	   r.ref AS group_ref,
	   r.name AS group_name,
	   r.typology AS typology_code,
	   ideal.label_text(t.labels) AS typology_name,
	   r.primary_area AS primary_area_code,
	   ideal.label_text(a.labels) AS primary_area_name,
	   r.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   r.score,
	   r.normalised::numeric AS normalised,
	   r.confidence::numeric AS confidence,
	   r.answered,
	   r.expected,
	   r.coverage::numeric AS coverage,
	   r.unknowns,
	   r.level::integer AS level_ordinal,
	   ideal.threat_level_name(r.level, 'en') AS level_code,
	   ideal.threat_level_name(r.level) AS level_name,
	   r.rank::integer AS rank,
	   r.rank_in_country::integer AS rank_in_country,
	   r.reliable AS is_reliable,
	   r.caveat
  FROM ideal.group_ranking r
  LEFT JOIN ideal.typology t
		 ON t.methodology = r.methodology AND t.code = r.typology
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = r.methodology AND a.code = r.primary_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = r.methodology AND k.code = r.composite;
COMMENT ON VIEW ideal_bi.group_ranking IS
	'Criminal groups of each cycle ranked by their headline score: one row per cycle and group';
COMMENT ON COLUMN ideal_bi.group_ranking.primary_area_code IS 'Code of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.group_ranking.primary_area_name IS 'Name of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.group_ranking.score IS 'The group''s headline score';
COMMENT ON COLUMN ideal_bi.group_ranking.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1 (Sleipnir: total / 760)';
COMMENT ON COLUMN ideal_bi.group_ranking.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.group_ranking.answered IS 'Attributes answered with a known value';
COMMENT ON COLUMN ideal_bi.group_ranking.expected IS 'Attributes under the headline composite';
COMMENT ON COLUMN ideal_bi.group_ranking.coverage IS 'Share of the required attributes answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.group_ranking.unknowns IS 'Attributes answered "unknown"';
COMMENT ON COLUMN ideal_bi.group_ranking.rank IS 'Rank of the group in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.group_ranking.rank_in_country IS 'Rank among the groups the same country reports, 1 = highest score';
COMMENT ON COLUMN ideal_bi.group_ranking.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.group_ranking.caveat IS 'Why the score is flagged; NULL when reliable';

CREATE VIEW ideal_bi.group_attribute WITH (security_invoker = true) AS
SELECT m.cycle AS cycle_code,
	   m.methodology AS methodology_code,
	   m.country::text AS country_code,
	   ideal.country_alpha3(m.country) AS country_alpha3,
	   ideal.country_name(m.country) AS country_name,
	   m.ref AS group_ref,
	   g.name AS group_name,
	   m.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   m.position,
	   m.weight::numeric AS weight,
	   m.required AS is_required,
	   m.answer,
	   m.rating,
	   m.value::numeric AS value,
	   m.is_unknown,
	   m.answered AS is_answered,
	   m.grading,
	   m.confidence::numeric AS confidence,
	   m.gap
  FROM ideal.group_matrix m
  LEFT JOIN ideal.subject g
		 ON g.cycle = m.cycle AND g.country OPERATOR(ideal.=) m.country
		AND g.ref = m.ref
  LEFT JOIN ideal.indicator i
		 ON i.methodology = m.methodology AND i.code = m.indicator;
COMMENT ON VIEW ideal_bi.group_attribute IS
	'The group x attribute matrix: one row per group and group indicator of its methodology, answered or not';
COMMENT ON COLUMN ideal_bi.group_attribute.position IS 'Order of the indicator in its methodology';
COMMENT ON COLUMN ideal_bi.group_attribute.weight IS 'Weight of the indicator';
COMMENT ON COLUMN ideal_bi.group_attribute.is_required IS 'True for a required indicator';
COMMENT ON COLUMN ideal_bi.group_attribute.answer IS 'The answer as submitted; NULL when never answered';
COMMENT ON COLUMN ideal_bi.group_attribute.rating IS 'The answer in canonical form: level code, number or "unknown"; NULL when never answered';
COMMENT ON COLUMN ideal_bi.group_attribute.value IS 'The answer as a number on its scale';
COMMENT ON COLUMN ideal_bi.group_attribute.is_unknown IS 'True when answered "unknown"';
COMMENT ON COLUMN ideal_bi.group_attribute.is_answered IS 'True when answered with a known value';
COMMENT ON COLUMN ideal_bi.group_attribute.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal_bi.group_attribute.confidence IS 'Confidence of the grading, 0 to 1';
COMMENT ON COLUMN ideal_bi.group_attribute.gap IS 'missing (required, never answered), unknown, weak_grading (confidence below 0.5), or NULL';

CREATE VIEW ideal_bi.intelligence_gap WITH (security_invoker = true) AS
SELECT x.cycle AS cycle_code,
	   x.methodology AS methodology_code,
	   x.country::text AS country_code,
	   ideal.country_alpha3(x.country) AS country_alpha3,
	   ideal.country_name(x.country) AS country_name,
	   x.subject_kind,
	   x.subject AS subject_code,
	   CASE x.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(x.subject)
					 THEN ideal.country_name(x.subject::ideal.country) END
	   END AS subject_name,
	   x.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   x.required AS is_required,
	   x.gap,
	   x.answer,
	   x.grading,
	   x.confidence::numeric AS confidence
  FROM ideal.intelligence_gap x
  LEFT JOIN ideal.indicator i
		 ON i.methodology = x.methodology AND i.code = x.indicator
  LEFT JOIN ideal.subject g
		 ON x.subject_kind = 'group' AND g.cycle = x.cycle
		AND g.country OPERATOR(ideal.=) x.country AND g.ref = x.subject
  LEFT JOIN ideal.crime_area a
		 ON x.subject_kind = 'crime_area' AND a.methodology = x.methodology
		AND a.code = x.subject;
COMMENT ON VIEW ideal_bi.intelligence_gap IS
	'The gap register: one row per required answer missing, answer "unknown" or weakly graded answer (confidence below 0.5)';
COMMENT ON COLUMN ideal_bi.intelligence_gap.is_required IS 'True for a required indicator';
COMMENT ON COLUMN ideal_bi.intelligence_gap.gap IS 'missing, unknown or weak_grading';
COMMENT ON COLUMN ideal_bi.intelligence_gap.answer IS 'The answer as submitted; NULL when missing';
COMMENT ON COLUMN ideal_bi.intelligence_gap.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal_bi.intelligence_gap.confidence IS 'Confidence of the grading, 0 to 1';

CREATE VIEW ideal_bi.country_gap WITH (security_invoker = true) AS
SELECT x.cycle AS cycle_code,
	   x.methodology AS methodology_code,
	   x.country::text AS country_code,
	   ideal.country_alpha3(x.country) AS country_alpha3,
	   ideal.country_name(x.country) AS country_name,
	   x.subjects::integer AS subjects,
	   x.required_answers::integer AS required_answers,
	   x.missing::integer AS missing,
	   x.missing_share::numeric AS missing_share,
	   x.unknowns::integer AS unknowns,
	   x.weak_gradings::integer AS weak_gradings,
	   x.answers::integer AS answers,
	   x.graded::integer AS graded,
	   x.confidence::numeric AS confidence,
	   x.flagged_scores::integer AS flagged_scores
  FROM ideal.country_gaps x;
COMMENT ON VIEW ideal_bi.country_gap IS
	'Intelligence gaps per reporting country: one row per cycle and country';
COMMENT ON COLUMN ideal_bi.country_gap.subjects IS 'Subjects the country reports (with answers, or groups it declared)';
COMMENT ON COLUMN ideal_bi.country_gap.required_answers IS 'Required answers expected for those subjects';
COMMENT ON COLUMN ideal_bi.country_gap.missing IS 'Required answers never given';
COMMENT ON COLUMN ideal_bi.country_gap.missing_share IS 'missing / required_answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_gap.unknowns IS 'Answers "unknown"';
COMMENT ON COLUMN ideal_bi.country_gap.weak_gradings IS 'Known answers graded with confidence below 0.5';
COMMENT ON COLUMN ideal_bi.country_gap.answers IS 'Answers given';
COMMENT ON COLUMN ideal_bi.country_gap.graded IS 'Answers with a grading';
COMMENT ON COLUMN ideal_bi.country_gap.confidence IS 'Mean confidence of the graded answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_gap.flagged_scores IS 'Subjects whose headline score is flagged';

CREATE VIEW ideal_bi.trend WITH (security_invoker = true) AS
SELECT t.cycle_before AS cycle_code_before,
	   t.cycle_after AS cycle_code_after,
	   t.methodology_before AS methodology_code_before,
	   t.methodology_after AS methodology_code_after,
	   t.country::text AS country_code,
	   ideal.country_alpha3(t.country) AS country_alpha3,
	   ideal.country_name(t.country) AS country_name,
	   t.subject_kind,
	   t.subject AS subject_code,
	   CASE t.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(t.subject)
					 THEN ideal.country_name(t.subject::ideal.country) END
	   END AS subject_name,
	   t.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   t.before AS score_before,
	   t.after AS score_after,
	   t.change,
	   t.change_rounded,
	   t.level_before::integer AS level_ordinal_before,
	   ideal.threat_level_name(t.level_before, 'en') AS level_code_before,
	   ideal.threat_level_name(t.level_before) AS level_name_before,
	   t.level_after::integer AS level_ordinal_after,
	   ideal.threat_level_name(t.level_after, 'en') AS level_code_after,
	   ideal.threat_level_name(t.level_after) AS level_name_after,
	   t.level_change,
	   t.indicators_before,
	   t.indicators_after,
	   t.shared_indicators,
	   t.same_indicators,
	   pg_catalog.array_to_string(t.only_before, ', ') AS only_before,
	   pg_catalog.array_to_string(t.only_after, ', ') AS only_after,
	   t.before_shared AS score_before_shared,
	   t.after_shared AS score_after_shared,
	   t.change_shared
  FROM ideal.cycle_trend t
  LEFT JOIN ideal.composite k
		 ON k.methodology = t.methodology_after AND k.code = t.composite
  LEFT JOIN ideal.subject g
		 ON t.subject_kind = 'group' AND g.cycle = t.cycle_after
		AND g.country OPERATOR(ideal.=) t.country AND g.ref = t.subject
  LEFT JOIN ideal.crime_area a
		 ON t.subject_kind = 'crime_area' AND a.methodology = t.methodology_after
		AND a.code = t.subject;
COMMENT ON VIEW ideal_bi.trend IS
	'Trends between each cycle and the previous comparable one: one row per subject and shared composite';
COMMENT ON COLUMN ideal_bi.trend.cycle_code_before IS 'The earlier cycle';
COMMENT ON COLUMN ideal_bi.trend.cycle_code_after IS 'The later cycle';
COMMENT ON COLUMN ideal_bi.trend.methodology_code_before IS 'Methodology of the earlier cycle';
COMMENT ON COLUMN ideal_bi.trend.methodology_code_after IS 'Methodology of the later cycle';
COMMENT ON COLUMN ideal_bi.trend.score_before IS 'Score in the earlier cycle, by its own methodology';
COMMENT ON COLUMN ideal_bi.trend.score_after IS 'Score in the later cycle, by its own methodology';
COMMENT ON COLUMN ideal_bi.trend.change IS 'score_after - score_before, exact';
COMMENT ON COLUMN ideal_bi.trend.change_rounded IS 'Both scores rounded to 2 decimals, then subtracted: the change as publishers print it';
COMMENT ON COLUMN ideal_bi.trend.level_ordinal_before IS 'Threat level in the earlier cycle as a number, 0 nil to 4 very high';
COMMENT ON COLUMN ideal_bi.trend.level_code_before IS 'Threat level in the earlier cycle, in English';
COMMENT ON COLUMN ideal_bi.trend.level_name_before IS 'Threat level in the earlier cycle, in the chosen language';
COMMENT ON COLUMN ideal_bi.trend.level_ordinal_after IS 'Threat level in the later cycle as a number, 0 nil to 4 very high';
COMMENT ON COLUMN ideal_bi.trend.level_code_after IS 'Threat level in the later cycle, in English';
COMMENT ON COLUMN ideal_bi.trend.level_name_after IS 'Threat level in the later cycle, in the chosen language';
COMMENT ON COLUMN ideal_bi.trend.level_change IS 'Levels moved: positive up, negative down';
COMMENT ON COLUMN ideal_bi.trend.indicators_before IS 'Indicators under the composite in the earlier methodology';
COMMENT ON COLUMN ideal_bi.trend.indicators_after IS 'Indicators under the composite in the later methodology';
COMMENT ON COLUMN ideal_bi.trend.shared_indicators IS 'Indicators under the composite in both';
COMMENT ON COLUMN ideal_bi.trend.same_indicators IS 'True when both composites have exactly the same indicators';
COMMENT ON COLUMN ideal_bi.trend.only_before IS 'Indicators only in the earlier methodology, comma-separated';
COMMENT ON COLUMN ideal_bi.trend.only_after IS 'Indicators only in the later methodology, comma-separated';
COMMENT ON COLUMN ideal_bi.trend.score_before_shared IS 'Earlier score over the shared indicators alone';
COMMENT ON COLUMN ideal_bi.trend.score_after_shared IS 'Later score over the shared indicators alone';
COMMENT ON COLUMN ideal_bi.trend.change_shared IS 'score_after_shared - score_before_shared: the like-for-like change';

CREATE VIEW ideal_bi.quadrant WITH (security_invoker = true) AS
SELECT q.cycle AS cycle_code,
	   q.methodology AS methodology_code,
	   q.country::text AS country_code,
	   ideal.country_alpha3(q.country) AS country_alpha3,
	   ideal.country_name(q.country) AS country_name,
	   q.subject_kind,
	   q.subject AS subject_code,
	   CASE WHEN q.subject_kind = 'country' AND ideal.is_valid_country(q.subject)
			THEN ideal.country_name(q.subject::ideal.country)
			ELSE q.subject END AS subject_name,
	   q.y_composite AS y_composite_code,
	   ideal.label_text(ky.labels) AS y_composite_name,
	   q.y_score,
	   q.y_threshold::numeric AS y_threshold,
	   q.y_class,
	   q.x_composite AS x_composite_code,
	   ideal.label_text(kx.labels) AS x_composite_name,
	   q.x_score,
	   q.x_threshold::numeric AS x_threshold,
	   q.x_class,
	   q.quadrant,
	   q.quadrant_label
  FROM ideal.quadrant q
  LEFT JOIN ideal.composite ky
		 ON ky.methodology = q.methodology AND ky.code = q.y_composite
  LEFT JOIN ideal.composite kx
		 ON kx.methodology = q.methodology AND kx.code = q.x_composite;
COMMENT ON VIEW ideal_bi.quadrant IS
	'GI-TOC style quadrants: one row per subject of a methodology with a quadrant, its two composite scores classed high or low';
COMMENT ON COLUMN ideal_bi.quadrant.subject_name IS 'Name of the subject: the country''s name in the chosen language (GI-TOC), otherwise its code';
COMMENT ON COLUMN ideal_bi.quadrant.y_composite_code IS 'Composite on the y axis (GI-TOC: criminality)';
COMMENT ON COLUMN ideal_bi.quadrant.y_composite_name IS 'Label of the y composite in the chosen language';
COMMENT ON COLUMN ideal_bi.quadrant.y_score IS 'Score of the y composite';
COMMENT ON COLUMN ideal_bi.quadrant.y_threshold IS 'Threshold of the y axis, from the methodology';
COMMENT ON COLUMN ideal_bi.quadrant.y_class IS 'high (score at or above the threshold) or low';
COMMENT ON COLUMN ideal_bi.quadrant.x_composite_code IS 'Composite on the x axis (GI-TOC: resilience)';
COMMENT ON COLUMN ideal_bi.quadrant.x_composite_name IS 'Label of the x composite in the chosen language';
COMMENT ON COLUMN ideal_bi.quadrant.x_score IS 'Score of the x composite';
COMMENT ON COLUMN ideal_bi.quadrant.x_threshold IS 'Threshold of the x axis, from the methodology';
COMMENT ON COLUMN ideal_bi.quadrant.x_class IS 'high (score at or above the threshold) or low';
COMMENT ON COLUMN ideal_bi.quadrant.quadrant IS 'y class - x class: high-low, high-high, low-low or low-high';
COMMENT ON COLUMN ideal_bi.quadrant.quadrant_label IS 'The quadrant in English words, such as "high criminality, low resilience"';

CREATE VIEW ideal_bi.stored_subject_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.subject_kind,
	   s.subject AS subject_code,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.refreshed_at,
	   coalesce(st.current, false) AS is_current
  FROM ideal.subject_score_snapshot s
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite
  LEFT JOIN ideal.score_snapshot_status st ON st.cycle = s.cycle;
COMMENT ON VIEW ideal_bi.stored_subject_score IS
	'Subject scores as stored by ideal.refresh_scores(), for large installations: the columns of ideal_bi.subject_score read from the store, with when they were stored and whether they are still current';
COMMENT ON COLUMN ideal_bi.stored_subject_score.score IS 'The composite''s score on its inputs'' scale';
COMMENT ON COLUMN ideal_bi.stored_subject_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.confidence IS 'Mean confidence of the graded answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal_bi.stored_subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.stored_subject_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal_bi.stored_subject_score.coverage IS 'Share of the required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_headline IS 'True for the subject kind''s headline composite';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.stored_subject_score.caveat IS 'Why the score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.stored_subject_score.refreshed_at IS 'When ideal.refresh_scores() stored the cycle''s scores';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_current IS 'True when the stored scores still equal what ideal_bi.subject_score gives (closed or published cycle, unchanged since)';
