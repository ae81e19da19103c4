-- Scoring views and functions: exact outputs and error texts on a small
-- Sleipnir case.  Everything runs in one transaction that is rolled back.
\set ON_ERROR_ROLLBACK on
\set VERBOSITY default
\set SHOW_CONTEXT never
BEGIN;
SET search_path = ideal, public;
SET ideal.language = 'en';
INSERT INTO ideal.cycle (code, methodology) VALUES ('R/SL', 'sleipnir'), ('R/ID', 'ideal-2.0');
INSERT INTO ideal.subject (cycle, country, ref, name)
VALUES ('R/SL', 'CA', 'A', 'Group A'), ('R/SL', 'CA', 'B', 'Group B'),
	   ('R/SL', 'MX', 'C', 'Group C');
-- A: corruption High (19 x 4 = 76), violence Unknown (18 x 2 = 36),
--    infiltration Low (17 x 1 = 17): 129, 3 of 19 answered, 1 unknown
-- B: corruption Medium (38), violence High (72): 110, graded E5
-- C: declared, never assessed
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('R/SL', 'CA', 'A', 'corruption', 'High', 'A1'),
	   ('R/SL', 'CA', 'A', 'violence', 'Unknown', 'A1'),
	   ('R/SL', 'CA', 'A', 'infiltration', 'L', 'B2'),
	   ('R/SL', 'CA', 'B', 'corruption', 'M', 'E5'),
	   ('R/SL', 'CA', 'B', 'violence', 'H', 'E5');

SELECT ref, composite, score, round(normalised::numeric, 6) AS normalised,
	   answered, expected, unknowns, rank, reliable, caveat
  FROM ideal.group_ranking WHERE cycle = 'R/SL' ORDER BY rank;
SELECT ref, attributes ->> 'corruption' AS corruption,
	   attributes ->> 'violence' AS violence,
	   attributes ->> 'infiltration' AS infiltration,
	   attributes ? 'expertise' AS expertise_listed,
	   attributes ->> 'expertise' AS expertise
  FROM ideal.group_ranking WHERE cycle = 'R/SL' ORDER BY ref;
SELECT country, subject, gap, count(*)
  FROM ideal.intelligence_gap WHERE cycle = 'R/SL'
 GROUP BY country, subject, gap ORDER BY country, subject, gap;
SELECT country, subjects, required_answers, missing, unknowns, weak_gradings,
	   answers, graded, round(missing_share::numeric, 4) AS missing_share, flagged_scores
  FROM ideal.country_gaps WHERE cycle = 'R/SL' ORDER BY country;
SELECT ideal.score_caveat(10, 1, 10, 0.1, 0.2);

-- errors a caller can make
SELECT ideal.evaluate('R/none', 'corruption', 1, false, NULL);
SELECT ideal.evaluate('R/SL', 'nope', 1, false, NULL);
SELECT ideal.evaluate(repeat('é', 200), 'corruption', 1, false, NULL);
SELECT ideal.evaluate(c, 'corruption', 1, false, NULL) FROM (VALUES ('R/SL'), ('R/ID')) t(c);
SELECT ideal.evaluate('R/SL', 'corruption', 5, false, NULL);
SELECT ideal.evaluate('R/SL', 'corruption', -0.5, false, NULL);
SELECT ideal.evaluate('R/SL', 'corruption', 'NaN', false, NULL);
SELECT (ideal.evaluate('R/SL', 'corruption', 2, true, NULL))[1].score IS NOT NULL AS scored_unknown_ok;
SELECT count(*) FROM ideal.trend('R/SL', 'R/none');
SELECT count(*) FROM ideal.trend('R/SL', 'R/ID');
SELECT count(*) FROM ideal.trend('R/SL', 'R/SL', 16);
SELECT ideal.refresh_scores('R/none');
ROLLBACK;
