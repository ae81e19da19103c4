-- Row validation of observations by the C trigger: what it accepts and
-- normalises, and each refusal with its SQLSTATE, message, detail and hint.
SET search_path = ideal, public;
\set VERBOSITY default

-- run a statement; report its SQLSTATE and error fields, or "ok"
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text; hnt text;
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	RETURN st || ': ' || msg || E'\nDETAIL: ' || coalesce(det, '') ||
		E'\nHINT: ' || coalesce(hnt, '');
END $$;

INSERT INTO ideal.cycle (code, methodology) VALUES ('V/2024', 'ideal-2.0');
INSERT INTO ideal.cycle (code, methodology) VALUES ('S/2024', 'sleipnir');
INSERT INTO ideal.cycle (code, methodology) VALUES ('G/2023', 'gitoc-2023');
-- the groups the observations below are about
INSERT INTO ideal.subject (cycle, country, ref, primary_area)
VALUES ('V/2024', 'MX', 'MX-1', 'drug_trafficking'),
	   ('V/2024', 'MX', 'MX-2', 'drug_trafficking'),
	   ('V/2024', 'PE', 'PE-1', 'drug_trafficking');
INSERT INTO ideal.subject (cycle, country, ref) VALUES ('S/2024', 'CA', 'G1');

-- accepted rows, normalised: indicator by label in any language and case,
-- answers by code, label or alias, with or without accents
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('V/2024', 'mx', 'MX-1', 'violence', 'Alto', 'B2'),
	   ('V/2024', 'MEX', 'MX-1', 'CORRUPCIÓN', 'muy alta', 'EU:A1:H2'),
	   ('V/2024', '484', 'MX-1', 'Control territorial', 'médio', NULL),
	   ('V/2024', 'MX', 'MX-1', 'longevity', 'desconocido', NULL),
	   ('V/2024', 'MX', 'drug_trafficking', 'prevalence', 'VERY HIGH', 'A1'),
	   ('V/2024', 'MX', 'TRAFICO DE DROGAS', 'Daño a la sociedad', '3', 'C3');
SELECT country, subject_kind, subject, indicator, answer, value, is_unknown, grading
  FROM ideal.observation ORDER BY id;

-- numeric scales: a decimal comma, the step, the range
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('G/2023', 'CO', 'COL', 'Cocaine trade', '9,5'),
	   ('G/2023', 'CO', 'COL', 'heroin_trade', ' 3.0 ');
SELECT subject, indicator, answer, value FROM ideal.observation
 WHERE cycle = 'G/2023' ORDER BY id;

-- refusals, one per rule
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('nope', 'MX', 'MX-1', 'violence', 'high')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'CO', 'CO-1', 'violence', 'high')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-1', 'violencia extrema', 'high')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-2', 'violence', 'altísimo')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-2', 'violence', '7')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'piracy', 'prevalence', 'high')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject_kind, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'crime_area', 'MX-2', 'violence', 'high')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
	VALUES ('V/2024', 'MX', 'MX-2', 'violence', 'high', 'UK3:1A:P')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('G/2023', 'CO', 'COL', 'arms_trafficking', '11')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('G/2023', 'CO', 'COL', 'arms_trafficking', '7.3')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('G/2023', 'CO', 'COL', 'arms_trafficking', 'seven')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('G/2023', 'CO', 'Atlantis', 'arms_trafficking', '7')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('G/2023', 'CO', 'COL', 'arms_trafficking', 'unknown')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', '   ', 'violence', 'high')$$);
-- a second answer to the same question
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-1', 'Violencia', 'bajo')$$);

-- COPY adds the line number; in error mode nothing of the file is kept
SELECT count(*) AS before FROM ideal.observation;
COPY ideal.observation (cycle, country, subject, indicator, answer) FROM stdin WITH (FORMAT csv);
V/2024,PE,PE-1,violence,high
V/2024,PE,PE-1,corruption,altísimo
V/2024,PE,PE-1,expertise_technology,low
\.
SELECT count(*) AS after FROM ideal.observation;

-- reject mode: good rows go in, bad rows go to ideal.rejected, whole
SET ideal.on_invalid = 'reject';
COPY ideal.observation (cycle, country, subject, indicator, answer) FROM stdin WITH (FORMAT csv);
V/2024,PE,PE-1,violence,high
V/2024,PE,PE-1,corruption,altísimo
V/2024,PE,PE-1,expertise_technology,low
V/2024,PE,PE-1,Uso de estructuras empresariales legales,nulo
V/2024,PE,PE-1,legal structures,nulo
V/2024,PE,PE-1,longevity,99
\.
RESET ideal.on_invalid;
SELECT count(*) AS loaded FROM ideal.observation WHERE country = 'PE';
SELECT cycle, country, subject, indicator, answer, sqlstate, message
  FROM ideal.rejected ORDER BY id;
SELECT submitted->>'answer' AS answer, submitted->>'indicator' AS indicator,
	   submitted ? 'loaded_at' AS whole_row
  FROM ideal.rejected ORDER BY id;

-- Sleipnir: unknown scores 2 and counts as unknown
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('S/2024', 'CA', 'G1', 'corruption', 'H'),
	   ('S/2024', 'CA', 'G1', 'violence', 'unknown');
SELECT indicator, answer, value, is_unknown FROM ideal.observation
 WHERE cycle = 'S/2024' ORDER BY id;

-- closed cycles refuse every insert, update and delete
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'V/2024';
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-9', 'violence', 'high')$$);
SELECT pg_temp.try($$UPDATE ideal.observation SET answer = 'low' WHERE cycle = 'V/2024' AND subject = 'MX-1' AND indicator = 'violence'$$);
SELECT pg_temp.try($$DELETE FROM ideal.observation WHERE cycle = 'V/2024'$$);
SELECT pg_temp.try($$DELETE FROM ideal.cycle WHERE code = 'V/2024'$$);
SELECT pg_temp.try($$UPDATE ideal.cycle SET methodology = 'sleipnir' WHERE code = 'V/2024'$$);
-- reopened, it accepts updates, validated and normalised again
UPDATE ideal.cycle SET status = 'open' WHERE code = 'V/2024';
UPDATE ideal.observation SET answer = 'bajo'
 WHERE cycle = 'V/2024' AND subject = 'MX-1' AND indicator = 'violence';
SELECT answer, value FROM ideal.observation
 WHERE cycle = 'V/2024' AND subject = 'MX-1' AND indicator = 'violence';
SELECT pg_temp.try($$UPDATE ideal.observation SET answer = 'extremo' WHERE cycle = 'V/2024' AND subject = 'MX-1' AND indicator = 'violence'$$);
-- open cannot jump to published; published is final
SELECT pg_temp.try($$UPDATE ideal.cycle SET status = 'published' WHERE code = 'V/2024'$$);
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'V/2024';
UPDATE ideal.cycle SET status = 'published' WHERE code = 'V/2024';
SELECT status, closed_at IS NOT NULL AS closed, published_at IS NOT NULL AS published
  FROM ideal.cycle WHERE code = 'V/2024';
SELECT pg_temp.try($$UPDATE ideal.cycle SET status = 'open' WHERE code = 'V/2024'$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('V/2024', 'MX', 'MX-9', 'violence', 'high')$$);
