--------------------------------------------------------------------------
-- ideal_bi.published_picture: what a reader's dashboard reads
--------------------------------------------------------------------------

-- The regional picture of published cycles, over ideal.published_picture
-- (the reader role's one view), in the columns of ideal_bi.regional_picture
-- less the single-country minimum and maximum.
CREATE VIEW ideal_bi.published_picture WITH (security_invoker = true) AS
SELECT p.cycle AS cycle_code,
	   p.methodology AS methodology_code,
	   p.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   p.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   p.countries::integer AS reporting_countries,
	   p.scored_countries::integer AS scored_countries,
	   p.score::numeric AS score,
	   p.confidence::numeric AS confidence,
	   p.coverage::numeric AS coverage,
	   p.unknowns::integer AS unknowns,
	   p.level::integer AS level_ordinal,
	   ideal.threat_level_name(p.level, 'en') AS level_code,
	   ideal.threat_level_name(p.level) AS level_name,
	   p.rank::integer AS rank,
	   p.weak_countries::integer AS weak_countries,
	   p.reliable AS is_reliable,
	   p.caveat,
	   p.groups_primary::integer AS groups_primary,
	   p.groups_involved::integer AS groups_involved
  FROM ideal.published_picture p
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = p.methodology AND a.code = p.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = p.methodology AND k.code = p.composite;
COMMENT ON VIEW ideal_bi.published_picture IS
	'The regional picture of published cycles: one row per cycle and crime area, ranked; what the reader role can read';
COMMENT ON COLUMN ideal_bi.published_picture.reporting_countries IS 'Countries that assessed the crime area';
COMMENT ON COLUMN ideal_bi.published_picture.scored_countries IS 'Countries whose assessment gives a score';
COMMENT ON COLUMN ideal_bi.published_picture.score IS 'Mean of the countries'' headline scores for the crime area, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal_bi.published_picture.confidence IS 'Mean confidence of the countries'' scores, 0 to 1; NULL when no answer was graded';
COMMENT ON COLUMN ideal_bi.published_picture.coverage IS 'Mean coverage of the countries'' scores, 0 to 1';
COMMENT ON COLUMN ideal_bi.published_picture.unknowns IS 'Answers "unknown" behind the countries'' scores';
COMMENT ON COLUMN ideal_bi.published_picture.rank IS 'Rank of the crime area in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.published_picture.weak_countries IS 'Countries whose score for the area is flagged';
COMMENT ON COLUMN ideal_bi.published_picture.is_reliable IS 'True when nothing flags the regional score (at least two countries, none flagged, confidence at least 0.5)';
COMMENT ON COLUMN ideal_bi.published_picture.caveat IS 'Why the regional score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.published_picture.groups_primary IS 'Groups reported with this primary crime area';
COMMENT ON COLUMN ideal_bi.published_picture.groups_involved IS 'Groups reported active in this crime area';
