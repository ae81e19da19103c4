--
-- ideal_bi: the column names and types BI tools rely on, pinned.  A change
-- here is a change of the BI interface: say so in CHANGELOG.md and keep the
-- old name working where dashboards may use it.
--
SELECT c.relname AS view, a.attnum AS n, a.attname AS column,
	   format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace = 'ideal_bi'::regnamespace
 ORDER BY c.relname, a.attnum;

-- Threat levels in each language, and the English code that never changes.
SET ideal.language = 'es';
SELECT * FROM ideal_bi.threat_level ORDER BY level_ordinal;
SET ideal.language = 'pt';
SELECT level_ordinal, level_name FROM ideal_bi.threat_level ORDER BY level_ordinal;
RESET ideal.language;

-- Labels: the chosen language, else English.
SELECT ideal.label_text('{"en": "Fraud", "es": "Fraude"}', 'es') AS es,
	   ideal.label_text('{"en": "Fraud", "es": "Fraude"}', 'pt') AS pt_falls_back,
	   ideal.label_text('{"en": "Fraud", "es": "Fraude"}') AS default_en;

-- A small Sleipnir cycle through the views, in Spanish (rolled back: the
-- other suites share the database).
BEGIN;
INSERT INTO ideal.cycle (code, methodology) VALUES ('REG/S', 'sleipnir');
INSERT INTO ideal.subject (cycle, country, ref, name, operates_in)
VALUES ('REG/S', 'CA', 'CA-1', 'Grupo Uno', '{CA,US}');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT 'REG/S', 'CA', 'CA-1', code, CASE WHEN position <= 2 THEN 'high' ELSE 'nil' END, 'B2'
  FROM ideal.indicator WHERE methodology = 'sleipnir';
SET ideal.language = 'es';
-- 4 x 19 + 4 x 18 = 148 of 760; B2 weighs 0.8 x 0.8
SELECT country_code, country_alpha3, country_name, group_ref, group_name,
	   composite_code, score, round(normalised, 6) AS normalised,
	   round(confidence, 6) AS confidence, answered, expected, rank
  FROM ideal_bi.group_ranking WHERE cycle_code = 'REG/S';
SELECT operates_in_code, operates_in_alpha3, operates_in_name
  FROM ideal_bi.group_country WHERE cycle_code = 'REG/S' ORDER BY 1;
SELECT indicator_code, indicator_name, answer, value, grading, grading_system,
	   grading_source, grading_information, confidence
  FROM ideal_bi.observation WHERE cycle_code = 'REG/S' AND value > 0
 ORDER BY indicator_code;
RESET ideal.language;
ROLLBACK;
