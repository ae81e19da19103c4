-- Scoring views on hand-computed data: IDEAL 2.0 group and crime-area
-- scores with their weights and bands, the regional picture, the group
-- matrix, intelligence gaps, reliability flags, trends between two cycles,
-- GI-TOC quadrants with thresholds from the methodology, and the stored
-- snapshot.  Every expected number below is worked out by hand in the
-- comments from yaml/ideal-2.0.yaml (weights 3/2/1, levels nil 0 .. very
-- high 4, bands nil 0, low 0.5, moderate 1.5, high 2.5, very high 3.25) and
-- the README's confidence table (A1 1, B2 0.8 x 0.8 = 0.64, C3 0.6 x 0.6 =
-- 0.36, E5 0.2 x 0.2 = 0.04).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ideal, public;
SET ideal.language = 'en';
SELECT plan(73);

INSERT INTO ideal.cycle (code, methodology) VALUES ('T/IDEAL', 'ideal-2.0');
INSERT INTO ideal.subject (cycle, country, ref, name, typology, primary_area, crime_areas)
VALUES ('T/IDEAL', 'MX', 'MX-1', 'Alfa', 'cartel', 'drug_trafficking', '{arms_trafficking}'),
	   ('T/IDEAL', 'MX', 'MX-2', 'Beta', 'gang', 'drug_trafficking', '{}'),
	   ('T/IDEAL', 'MX', 'MX-3', 'Gamma', 'network', 'migrant_smuggling', '{}'),
	   ('T/IDEAL', 'BR', 'BR-1', 'Delta', 'clan', 'arms_trafficking', '{drug_trafficking}');

INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES
	-- MX-1: 4x3 + 3x3 + 3x3 + 2x2 + 4x2 + 1x2 + 3x2 + 2x1 + 4x1 = 56 over
	-- weights 19 (adaptability unknown, excluded): 56/19 = 2.947368421052632,
	-- high; every required answer given: coverage 1
	('T/IDEAL', 'MX', 'MX-1', 'violence', 'very high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'corruption', 'high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'territorial_control', 'high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'legal_business_structures', 'moderate', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'international_dimension', 'very high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'countermeasures', 'low', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'money_laundering_capability', 'high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'expertise_technology', 'moderate', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'longevity', 'very high', 'A1'),
	('T/IDEAL', 'MX', 'MX-1', 'adaptability', 'unknown', 'A1'),
	-- MX-2: 3x3 + 3x3 + 2x3 + 2x2 + 1x2 = 30 over 13 = 2.307692307692308,
	-- moderate; graded B2 (0.64)
	('T/IDEAL', 'MX', 'MX-2', 'violence', 'high', 'B2'),
	('T/IDEAL', 'MX', 'MX-2', 'corruption', 'high', 'B2'),
	('T/IDEAL', 'MX', 'MX-2', 'territorial_control', 'moderate', 'B2'),
	('T/IDEAL', 'MX', 'MX-2', 'legal_business_structures', 'moderate', 'B2'),
	('T/IDEAL', 'MX', 'MX-2', 'international_dimension', 'low', 'B2'),
	-- BR-1: violence low (E5), corruption unknown: 1x3/3 = 1, low;
	-- 1 of 5 required answered: coverage 0.2
	('T/IDEAL', 'BR', 'BR-1', 'violence', 'low', 'E5'),
	('T/IDEAL', 'BR', 'BR-1', 'corruption', 'unknown', 'A1'),
	-- MX drug trafficking: 4x3 + 4x3 + 3x2 + 4x2 + 3x2 + 3x1 = 47 over 13
	-- = 3.615384615384615, very high; B2
	('T/IDEAL', 'MX', 'drug_trafficking', 'prevalence', 'very high', 'B2'),
	('T/IDEAL', 'MX', 'drug_trafficking', 'harm', 'very high', 'B2'),
	('T/IDEAL', 'MX', 'drug_trafficking', 'groups_involved', 'high', 'B2'),
	('T/IDEAL', 'MX', 'drug_trafficking', 'transnational_dimension', 'very high', 'B2'),
	('T/IDEAL', 'MX', 'drug_trafficking', 'violence_impact', 'high', 'B2'),
	('T/IDEAL', 'MX', 'drug_trafficking', 'trend', 'increase', 'B2'),
	-- MX migrant smuggling: prevalence unknown, harm low: 1, low;
	-- required prevalence, harm, groups_involved, trend: 1 of 4 known
	('T/IDEAL', 'MX', 'migrant_smuggling', 'prevalence', 'unknown', 'A1'),
	('T/IDEAL', 'MX', 'migrant_smuggling', 'harm', 'low', 'A1'),
	-- BR drug trafficking: 3x3 + 3x3 + 2x2 + 2x1 = 24 over 9 = 8/3, high; A1
	('T/IDEAL', 'BR', 'drug_trafficking', 'prevalence', 'high', 'A1'),
	('T/IDEAL', 'BR', 'drug_trafficking', 'harm', 'high', 'A1'),
	('T/IDEAL', 'BR', 'drug_trafficking', 'groups_involved', 'moderate', 'A1'),
	('T/IDEAL', 'BR', 'drug_trafficking', 'trend', 'stable', 'A1'),
	-- BR arms trafficking: 2x3 + 2x3 + 1x2 + 1x1 = 15 over 9 = 5/3,
	-- moderate; C3 (0.36): weakly graded
	('T/IDEAL', 'BR', 'arms_trafficking', 'prevalence', 'moderate', 'C3'),
	('T/IDEAL', 'BR', 'arms_trafficking', 'harm', 'moderate', 'C3'),
	('T/IDEAL', 'BR', 'arms_trafficking', 'groups_involved', 'low', 'C3'),
	('T/IDEAL', 'BR', 'arms_trafficking', 'trend', 'decrease', 'C3');

-- subject scores ----------------------------------------------------------
CREATE TEMP TABLE ss AS SELECT * FROM ideal.subject_score WHERE cycle = 'T/IDEAL';

SELECT is((SELECT score FROM ss WHERE subject = 'MX-1'), 2.947368421052632,
		  'MX-1: weighted mean 56/19, rounded to 15 decimals');
SELECT is((SELECT level FROM ss WHERE subject = 'MX-1'), 'high'::threat_level,
		  'MX-1: 2.947 lies in the high band [2.5, 3.25)');
SELECT results_eq($$SELECT answered, expected, unknowns, coverage FROM ss WHERE subject = 'MX-1'$$,
				  $$VALUES (9, 10, 1, 1::float8)$$,
				  'MX-1: 9 of 10 answered, 1 unknown, every required answer given');
SELECT is((SELECT round(normalised::numeric, 12) FROM ss WHERE subject = 'MX-1'),
		  round(56 / 19.0 / 4, 12), 'MX-1: normalised = score / 4 on the 0..4 scale');
SELECT is((SELECT confidence FROM ss WHERE subject = 'MX-1'), 1::float8,
		  'MX-1: all answers A1, confidence 1');
SELECT ok((SELECT reliable AND caveat IS NULL FROM ss WHERE subject = 'MX-1'),
		  'MX-1: reliable, no caveat');
SELECT is((SELECT score FROM ss WHERE subject = 'MX-2'), 2.307692307692308,
		  'MX-2: 30/13');
SELECT is((SELECT level FROM ss WHERE subject = 'MX-2'), 'moderate'::threat_level,
		  'MX-2: moderate band [1.5, 2.5)');
SELECT is((SELECT round(confidence::numeric, 12) FROM ss WHERE subject = 'MX-2'), 0.64,
		  'MX-2: B2 confidence 0.8 x 0.8');
SELECT ok((SELECT reliable FROM ss WHERE subject = 'MX-2'),
		  'MX-2: 5 answers, coverage 1, confidence 0.64: reliable');
SELECT is((SELECT score FROM ss WHERE subject = 'BR-1'), 1::numeric, 'BR-1: 1x3/3 = 1');
SELECT is((SELECT level FROM ss WHERE subject = 'BR-1'), 'low'::threat_level, 'BR-1: low band');
SELECT is((SELECT coverage FROM ss WHERE subject = 'BR-1'), 0.2::float8,
		  'BR-1: 1 of 5 required answers known');
SELECT is((SELECT caveat FROM ss WHERE subject = 'BR-1'),
		  'low coverage: 20% of required answers; few answers: 1 of 10; weakly graded: confidence 0.04',
		  'BR-1: a score on one weakly graded answer says so');
SELECT is((SELECT score FROM ss WHERE country = 'MX' AND subject = 'drug_trafficking'),
		  3.615384615384615, 'MX drug trafficking: 47/13');
SELECT is((SELECT level FROM ss WHERE country = 'MX' AND subject = 'drug_trafficking'),
		  'very high'::threat_level, 'MX drug trafficking: very high band (>= 3.25)');
SELECT is((SELECT score FROM ss WHERE country = 'BR' AND subject = 'drug_trafficking'),
		  2.666666666666667, 'BR drug trafficking: 24/9');
SELECT is((SELECT score FROM ss WHERE country = 'BR' AND subject = 'arms_trafficking'),
		  1.666666666666667, 'BR arms trafficking: 15/9');
SELECT is((SELECT level FROM ss WHERE country = 'BR' AND subject = 'arms_trafficking'),
		  'moderate'::threat_level, 'BR arms trafficking: moderate band');
SELECT is((SELECT caveat FROM ss WHERE country = 'BR' AND subject = 'arms_trafficking'),
		  'weakly graded: confidence 0.36', 'BR arms trafficking: C3 answers are flagged');
SELECT is((SELECT caveat FROM ss WHERE country = 'MX' AND subject = 'migrant_smuggling'),
		  'low coverage: 25% of required answers; few answers: 1 of 6',
		  'MX migrant smuggling: one known answer of four required');
SELECT ok((SELECT bool_and(headline) FROM ss), 'ideal-2.0 has one composite per kind: all headline');

-- the reliability rule's thresholds
SELECT is(ideal.score_caveat(2, 3, 10, 0.75, 0.5), NULL,
		  'coverage 0.75, 3 answers, confidence 0.5: at the thresholds, not flagged');
SELECT is(ideal.score_caveat(2, 2, 2, 1, NULL), NULL,
		  'a composite of two inputs, both answered, ungraded: not flagged');
SELECT is(ideal.score_caveat(NULL, 0, 6, 0, NULL), 'no score: no known answer',
		  'no score says so');

-- per country and crime area ------------------------------------------------
SELECT results_eq(
	$$SELECT country::text, crime_area, crime_area_name, rank_in_country::int,
			 groups_primary, groups_involved
		FROM ideal.country_area_score WHERE cycle = 'T/IDEAL'
	   ORDER BY country, rank_in_country$$,
	$$VALUES ('BR', 'drug_trafficking', 'Drug trafficking', 1, 0, 1),
			 ('BR', 'arms_trafficking', 'Arms trafficking', 2, 1, 1),
			 ('MX', 'drug_trafficking', 'Drug trafficking', 1, 2, 2),
			 ('MX', 'migrant_smuggling', 'Migrant smuggling', 2, 1, 1)$$,
	'crime areas ranked within each country, with the groups the country reports in them');
SET ideal.language = 'es';
SELECT is((SELECT crime_area_name FROM ideal.country_area_score
			WHERE cycle = 'T/IDEAL' AND country = 'MX' AND crime_area = 'drug_trafficking'),
		  'Tráfico de drogas', 'crime area names follow ideal.language');
SET ideal.language = 'en';

-- the regional picture ----------------------------------------------------
CREATE TEMP TABLE rp AS SELECT * FROM ideal.regional_picture WHERE cycle = 'T/IDEAL';
-- drug trafficking: (0.64 x 47/13 + 1 x 24/9) / (0.64 + 1) = 3.0368980612883...
SELECT is((SELECT round(score::numeric, 10) FROM rp WHERE crime_area = 'drug_trafficking'),
		  round((0.64 * 47 / 13 + 24 / 9.0) / 1.64, 10),
		  'drug trafficking: countries'' scores weighted by their confidence');
SELECT results_eq(
	$$SELECT crime_area, rank::int, countries, level::text, round(confidence::numeric, 6),
			 reliable, groups_primary, groups_involved
		FROM rp ORDER BY rank$$,
	$$VALUES ('drug_trafficking', 1, 2, 'high', 0.82, true, 2, 3),
			 ('arms_trafficking', 2, 1, 'moderate', 0.36, false, 1, 2),
			 ('migrant_smuggling', 3, 1, 'low', 1.0, false, 1, 1)$$,
	'regional picture: rank, reporting countries, level, confidence, flag, groups');
SELECT is((SELECT round(score::numeric, 12) FROM rp WHERE crime_area = 'arms_trafficking'),
		  round(15 / 9.0, 12), 'one country: its own score');
SELECT is((SELECT caveat FROM rp WHERE crime_area = 'arms_trafficking'),
		  'scored by 1 country; 1 of 1 country scores flagged; weakly graded: confidence 0.36',
		  'a regional score from one weakly graded country says so');
SELECT results_eq($$SELECT round(min_score::numeric, 12), round(max_score::numeric, 12)
					 FROM rp WHERE crime_area = 'drug_trafficking'$$,
				  $$VALUES (round(24 / 9.0, 12), round(47 / 13.0, 12))$$,
				  'the spread of country scores');

-- groups ranked, with their attribute matrix --------------------------------
SELECT results_eq(
	$$SELECT ref, rank::int, rank_in_country::int, name, reliable
		FROM ideal.group_ranking WHERE cycle = 'T/IDEAL' ORDER BY rank$$,
	$$VALUES ('MX-1', 1, 1, 'Alfa', true), ('MX-2', 2, 2, 'Beta', true),
			 ('BR-1', 3, 1, 'Delta', false)$$,
	'groups ranked by their headline score, across and within countries');
SELECT is((SELECT attributes FROM ideal.group_ranking WHERE cycle = 'T/IDEAL' AND ref = 'MX-1'),
		  '{"violence": "very_high", "corruption": "high", "territorial_control": "high",
			"legal_business_structures": "moderate", "international_dimension": "very_high",
			"countermeasures": "low", "money_laundering_capability": "high",
			"expertise_technology": "moderate", "longevity": "very_high",
			"adaptability": "unknown"}'::jsonb,
		  'MX-1 attribute matrix: level codes, the unknown visible');
SELECT is((SELECT attributes FROM ideal.group_ranking WHERE cycle = 'T/IDEAL' AND ref = 'BR-1'),
		  '{"violence": "low", "corruption": "unknown", "territorial_control": null,
			"legal_business_structures": null, "international_dimension": null,
			"countermeasures": null, "money_laundering_capability": null,
			"expertise_technology": null, "longevity": null, "adaptability": null}'::jsonb,
		  'BR-1 attribute matrix: unanswered attributes are null');
SELECT is((SELECT count(*)::int FROM ideal.group_matrix WHERE cycle = 'T/IDEAL'), 40,
		  'group matrix: 4 groups (MX-3 declared only) x 10 attributes');
SELECT results_eq(
	$$SELECT indicator, rating, gap FROM ideal.group_matrix
	   WHERE cycle = 'T/IDEAL' AND ref = 'BR-1' AND gap IS NOT NULL ORDER BY position$$,
	$$VALUES ('violence', 'low', 'weak_grading'), ('corruption', 'unknown', 'unknown'),
			 ('territorial_control', NULL, 'missing'),
			 ('legal_business_structures', NULL, 'missing'),
			 ('international_dimension', NULL, 'missing')$$,
	'BR-1 matrix gaps: weak grading, unknown, required answers missing');

-- intelligence gaps ---------------------------------------------------------
SELECT results_eq(
	$$SELECT subject, indicator, gap FROM ideal.intelligence_gap
	   WHERE cycle = 'T/IDEAL' AND country = 'MX'
	   ORDER BY subject, gap, indicator$$,
	$$VALUES ('MX-1', 'adaptability', 'unknown'),
			 ('MX-3', 'corruption', 'missing'),
			 ('MX-3', 'international_dimension', 'missing'),
			 ('MX-3', 'legal_business_structures', 'missing'),
			 ('MX-3', 'territorial_control', 'missing'),
			 ('MX-3', 'violence', 'missing'),
			 ('migrant_smuggling', 'groups_involved', 'missing'),
			 ('migrant_smuggling', 'trend', 'missing'),
			 ('migrant_smuggling', 'prevalence', 'unknown')$$,
	'MX gaps: the unknown, the declared group without answers, the area with two required answers missing');
SELECT results_eq(
	$$SELECT country::text, subjects, required_answers, missing, unknowns, weak_gradings,
			 answers, graded, flagged_scores
		FROM ideal.country_gaps WHERE cycle = 'T/IDEAL' ORDER BY country$$,
	$$VALUES ('BR', 3, 13, 3, 1, 5, 10, 10, 2),
			 ('MX', 5, 23, 7, 2, 0, 23, 23, 1)$$,
	'gaps per country: subjects, required answers (5 per group, 4 per area), missing, unknowns, weak gradings, flagged scores');
SELECT is((SELECT missing FROM ideal.country_gaps WHERE cycle = 'T/IDEAL' AND country = 'MX'),
		  (SELECT count(*)::int FROM ideal.intelligence_gap
			WHERE cycle = 'T/IDEAL' AND country = 'MX' AND gap = 'missing'),
		  'the per-country count and the gap register agree');
SELECT is((SELECT round(missing_share::numeric, 12) FROM ideal.country_gaps
			WHERE cycle = 'T/IDEAL' AND country = 'MX'),
		  round(7 / 23.0, 12), 'MX: 7 of 23 required answers missing');

-- Sleipnir: an all-unknown group scores 380 yet says it rests on nothing
INSERT INTO ideal.cycle (code, methodology) VALUES ('T/SL', 'sleipnir');
INSERT INTO ideal.subject (cycle, country, ref) VALUES ('T/SL', 'CA', 'U'), ('T/SL', 'CA', 'H');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'T/SL', 'CA', 'U', code, 'unknown' FROM ideal.indicator WHERE methodology = 'sleipnir';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'T/SL', 'CA', 'H', code, 'H' FROM ideal.indicator
 WHERE methodology = 'sleipnir' AND weight >= 10;
SELECT results_eq(
	$$SELECT ref, score, rank::int, reliable FROM ideal.group_ranking WHERE cycle = 'T/SL' ORDER BY rank$$,
	-- H: 4 x (19 + 18 + ... + 10) = 4 x 145 = 580; U: 2 x 190 = 380
	$$VALUES ('H', 580::numeric, 1, false), ('U', 380::numeric, 2, false)$$,
	'Sleipnir ranking: unanswered attributes lower the total, unknowns score 2');
SELECT is((SELECT caveat FROM ideal.group_ranking WHERE cycle = 'T/SL' AND ref = 'U'),
		  'low coverage: 0% of required answers; few answers: 0 of 19',
		  'Sleipnir: a total made of unknowns is flagged');
SELECT is((SELECT count(*)::int FROM ideal.intelligence_gap WHERE cycle = 'T/SL' AND gap = 'unknown'),
		  19, 'Sleipnir: the 19 unknowns are gaps although they score as Medium');
SELECT is((SELECT count(*)::int FROM ideal.intelligence_gap WHERE cycle = 'T/SL' AND gap = 'missing'),
		  9, 'Sleipnir: H lacks the 9 attributes weighted below 10');

-- trends ------------------------------------------------------------------
INSERT INTO ideal.cycle (code, methodology) VALUES ('T/IDEAL-2', 'ideal-2.0');
INSERT INTO ideal.subject (cycle, country, ref, primary_area)
VALUES ('T/IDEAL-2', 'MX', 'MX-1', 'drug_trafficking'), ('T/IDEAL-2', 'MX', 'MX-2', 'drug_trafficking');
-- MX-1 again with violence high instead of very high: 53/19
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT 'T/IDEAL-2', country, subject, indicator,
	   CASE indicator WHEN 'violence' THEN 'high' ELSE answer END, grading
  FROM ideal.observation WHERE cycle = 'T/IDEAL' AND subject = 'MX-1';
-- MX-2: all five answers very high: 4, from moderate to very high
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT 'T/IDEAL-2', country, subject, indicator, 'very high', grading
  FROM ideal.observation WHERE cycle = 'T/IDEAL' AND subject = 'MX-2';
CREATE TEMP TABLE tr AS SELECT * FROM ideal.trend('T/IDEAL', 'T/IDEAL-2');
SELECT results_eq(
	$$SELECT subject, before, after, change, level_before::text, level_after::text, level_change
		FROM tr WHERE subject_kind = 'group' ORDER BY country, subject$$,
	$$VALUES ('BR-1', 1::numeric, NULL::numeric, NULL::numeric, 'low', NULL, NULL::int),
			 ('MX-1', 2.947368421052632, 2.789473684210526, -0.157894736842106, 'high', 'high', 0),
			 ('MX-2', 2.307692307692308, 4::numeric, 1.692307692307692, 'moderate', 'very high', 2)$$,
	'trend per group: before, after, change, level change; a group absent later has no after');
SELECT results_eq(
	$$SELECT composite, indicators_before, indicators_after, shared_indicators, same_indicators
		FROM tr WHERE subject = 'MX-1'$$,
	$$VALUES ('group_threat', 10, 10, 10, true)$$,
	'same methodology: every indicator shared');
SELECT is((SELECT change_rounded FROM tr WHERE subject = 'MX-1'), -0.16,
		  'change of the values rounded to 2 decimals: 2.79 - 2.95');
SELECT is((SELECT count(*)::int FROM tr WHERE subject_kind = 'crime_area'), 4,
		  'crime areas of the first cycle only appear with no after');
SELECT set_eq($$SELECT cycle_before, cycle_after, subject, after FROM ideal.cycle_trend
				WHERE cycle_after = 'T/IDEAL-2'$$,
			  $$SELECT cycle_before, cycle_after, subject, after FROM tr$$,
			  'the consecutive-cycle view pairs T/IDEAL-2 with T/IDEAL');
SELECT is_empty($$SELECT 1 FROM ideal.cycle_trend WHERE cycle_after = 'T/SL'$$,
				'Sleipnir shares no composite with ideal-2.0: no trend');
SELECT throws_ok($$SELECT * FROM ideal.trend('T/IDEAL', 'T/SL')$$, '22023',
				 'cycles "T/IDEAL" and "T/SL" are not comparable',
				 'a trend between incomparable methodologies is refused');
SELECT throws_ok($$SELECT * FROM ideal.trend('T/IDEAL', 'nope')$$, '42704',
				 'cycle "nope" does not exist', 'an unknown cycle is refused');
SELECT ok(ideal.methodologies_comparable('gitoc-2021', 'gitoc-2023')
		  AND NOT ideal.methodologies_comparable('sleipnir', 'ideal-2.0'),
		  'GI-TOC editions are comparable, Sleipnir and IDEAL 2.0 are not');

-- quadrant: thresholds from the methodology file ---------------------------
SELECT is((SELECT quadrant_x_threshold FROM ideal.methodology WHERE code = 'gitoc-2023'),
		  5::float8, 'gitoc-2023 quadrant thresholds come from its YAML quadrant key');
INSERT INTO ideal.cycle (code, methodology) VALUES ('T/GI', 'gitoc-2023');
-- CO: every criminality indicator 8, resilience 3; UY: 5 and 5 (at the
-- threshold: high); CA: 4.5 and 7; AR: criminality only
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'T/GI', v.c::ideal.country, v.c, i.code,
	   CASE WHEN i."group" = 'resilience' THEN v.res ELSE v.crim END
  FROM (VALUES ('CO', '8', '3'), ('UY', '5', '5'), ('CA', '4.5', '7')) v(c, crim, res)
 CROSS JOIN ideal.indicator i WHERE i.methodology = 'gitoc-2023';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
SELECT 'T/GI', 'AR', 'AR', i.code, '6' FROM ideal.indicator i
 WHERE i.methodology = 'gitoc-2023' AND i."group" <> 'resilience';
SELECT results_eq(
	$$SELECT subject, y_score, x_score, quadrant, quadrant_label
		FROM ideal.quadrant WHERE cycle = 'T/GI' ORDER BY subject$$,
	$$VALUES ('AR', 6::numeric, NULL::numeric, NULL, NULL),
			 ('CA', 4.5, 7::numeric, 'low-high', 'low criminality, high resilience'),
			 ('CO', 8::numeric, 3::numeric, 'high-low', 'high criminality, low resilience'),
			 ('UY', 5::numeric, 5::numeric, 'high-high', 'high criminality, high resilience')$$,
	'GI-TOC quadrants: criminality against resilience, high at or above 5');
SELECT ok(ideal.load_methodology($y$
methodology: qtest
version: "1"
title: {en: Quadrant test}
languages: [en]
scales:
  s: {kind: numeric, min: 0, max: 10}
subject_kinds: [country]
indicators:
  - {code: a, kind: country, scale: s, labels: {en: A}}
  - {code: b, kind: country, scale: s, labels: {en: B}}
composites:
  - {code: threat, method: mean, of: [a], labels: {en: Threat}}
  - {code: capacity, method: mean, of: [b], labels: {en: Capacity}}
quadrant: {x: capacity, y: threat, x_threshold: 4, y_threshold: 6}
members: [AR]
$y$) = 'qtest', 'a methodology with its own quadrant thresholds');
INSERT INTO ideal.cycle (code, methodology) VALUES ('T/Q', 'qtest');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('T/Q', 'AR', 'AR', 'a', '5'), ('T/Q', 'AR', 'AR', 'b', '5');
SELECT results_eq(
	$$SELECT y_threshold, x_threshold, quadrant, quadrant_label FROM ideal.quadrant WHERE cycle = 'T/Q'$$,
	$$VALUES (6::float8, 4::float8, 'low-high', 'low threat, high capacity')$$,
	'5 against thresholds 6 (y) and 4 (x): low threat, high capacity');

-- stored scores: an option, refreshed by one call ---------------------------
SELECT is(ideal.refresh_scores('T/IDEAL'),
		  (SELECT count(*) FROM ideal.subject_score WHERE cycle = 'T/IDEAL'),
		  'refresh_scores stores every score row of the cycle');
SELECT is_empty($$SELECT cycle, country, subject_kind, subject, composite, score, normalised,
						 confidence, answered, expected, unknowns, coverage, level, exact,
						 headline, reliable, caveat
					FROM ideal.subject_score WHERE cycle = 'T/IDEAL'
				  EXCEPT
				  SELECT cycle, country, subject_kind, subject, composite, score, normalised,
						 confidence, answered, expected, unknowns, coverage, level, exact,
						 headline, reliable, caveat
					FROM ideal.subject_score_snapshot$$,
				'the snapshot holds exactly the live scores');
SELECT results_eq($$SELECT current, note FROM ideal.score_snapshot_status WHERE cycle = 'T/IDEAL'$$,
				  $$VALUES (false, 'cycle is open: its observations may change')$$,
				  'an open cycle''s snapshot is never called current');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('T/IDEAL', 'MX', 'MX-2', 'countermeasures', 'very high', 'A1');
SELECT isnt((SELECT score FROM ideal.subject_score WHERE cycle = 'T/IDEAL' AND subject = 'MX-2'),
			(SELECT score FROM ideal.subject_score_snapshot WHERE cycle = 'T/IDEAL' AND subject = 'MX-2'),
			'live views see a new answer at once; the snapshot waits for a refresh');
-- (30 + 4x2) / 15 = 38/15
SELECT is((SELECT score FROM ideal.subject_score WHERE cycle = 'T/IDEAL' AND subject = 'MX-2'),
		  2.533333333333333, 'MX-2 with countermeasures very high: 38/15');
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'T/IDEAL';
SELECT results_eq($$SELECT current, note FROM ideal.score_snapshot_status WHERE cycle = 'T/IDEAL'$$,
				  $$VALUES (false, 'stored while the cycle was open')$$,
				  'closing does not make an old snapshot current');
SELECT ok(ideal.refresh_scores() > 0, 'refresh of every cycle');
SELECT results_eq($$SELECT current, note FROM ideal.score_snapshot_status WHERE cycle = 'T/IDEAL'$$,
				  $$VALUES (true, NULL::text)$$,
				  'a snapshot of a closed cycle is current');
SELECT is((SELECT score FROM ideal.subject_score_snapshot WHERE cycle = 'T/IDEAL' AND subject = 'MX-2'),
		  2.533333333333333, 'the refreshed snapshot has the new score');
UPDATE ideal.cycle SET status = 'open' WHERE code = 'T/IDEAL';
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'T/IDEAL';
SELECT results_eq($$SELECT current, note FROM ideal.score_snapshot_status WHERE cycle = 'T/IDEAL'$$,
				  $$VALUES (false, 'cycle changed since (reopened or updated)')$$,
				  'reopening a cycle makes its snapshot stale');
SELECT is((SELECT count(*)::int FROM ideal.score_snapshot_status WHERE refreshed_at IS NOT NULL),
		  (SELECT count(*)::int FROM ideal.cycle), 'refresh_scores() stores every cycle');
SELECT throws_ok($$SELECT ideal.refresh_scores('nope')$$, '42704',
				 'cycle "nope" does not exist', 'refreshing an unknown cycle is refused');
CREATE ROLE ideal_test_40_reader;
SELECT ok(NOT has_function_privilege('ideal_test_40_reader', 'ideal.refresh_scores(text)', 'EXECUTE'),
		  'refresh_scores is not granted to PUBLIC');

-- every view and function added here is documented
SELECT is_empty($$SELECT c.relname FROM pg_class c
				   WHERE c.relnamespace = 'ideal'::regnamespace AND c.relkind = 'v'
					 AND c.relname IN ('subject_score', 'regional_picture', 'country_area_score',
									   'group_ranking', 'group_matrix', 'intelligence_gap',
									   'country_gaps', 'cycle_trend', 'quadrant',
									   'score_snapshot_status', 'headline_composite',
									   'composite_leaf')
					 AND obj_description(c.oid, 'pg_class') IS NULL$$,
				'every scoring view has a comment');
SELECT is_empty($$SELECT c.relname, a.attname FROM pg_class c
				   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				   WHERE c.relnamespace = 'ideal'::regnamespace AND c.relkind = 'v'
					 AND c.relname IN ('subject_score', 'regional_picture', 'country_area_score',
									   'group_ranking', 'group_matrix', 'intelligence_gap',
									   'country_gaps', 'cycle_trend', 'quadrant',
									   'score_snapshot_status')
					 AND col_description(c.oid, a.attnum) IS NULL$$,
				'every column of the scoring views has a comment');
SELECT * FROM finish();
ROLLBACK;
