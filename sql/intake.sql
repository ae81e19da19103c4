-- Intake: the groups' trigger, the rules the observations' trigger adds
-- (group described, one answer per question, handling codes), the intake
-- views' own refusals, figures, and the history of changes.  Each refusal
-- with its SQLSTATE, message, detail and hint.  Everything made here is
-- removed at the end.
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

INSERT INTO ideal.cycle (code, methodology) VALUES ('I/2025', 'ideal-2.0');
INSERT INTO ideal.cycle (code, methodology) VALUES ('I/SL', 'sleipnir');
INSERT INTO ideal.cycle (code, methodology) VALUES ('I/GI', 'gitoc-2023');

------------------------------------------------------------------------
-- groups
------------------------------------------------------------------------
-- accepted and normalised: typology and crime areas by label in any
-- language, stored as codes; other areas each once, without the primary
INSERT INTO ideal.subject (cycle, country, ref, name, aliases, typology,
						   primary_area, crime_areas, operates_in)
VALUES ('I/2025', 'MX', '  MX-1 ', 'Grupo Uno', '{" Los Unos ", "", "Los Unos"}',
		'Cártel', 'TRÁFICO DE DROGAS',
		'{arms_trafficking, "Lavado de activos", drug_trafficking, Tráfico de armas}',
		'{MX,GT,MEX}'),
	   ('I/2025', 'PE', 'PE-1', NULL, '{}', NULL, 'drug_trafficking', '{}', '{}');
INSERT INTO ideal.subject (cycle, country, ref) VALUES ('I/SL', 'CA', 'CA-1');
SELECT cycle, country, ref, aliases, typology, primary_area, crime_areas, operates_in
  FROM ideal.subject WHERE cycle LIKE 'I/%' ORDER BY cycle, country, ref;

-- refusals, one per rule
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref) VALUES (NULL, 'MX', 'MX-2')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref) VALUES ('I/2025', 'MX', ' ')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/1999', 'MX', 'MX-2', 'cybercrime')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/2025', 'US', 'US-1', 'cybercrime')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref) VALUES ('I/GI', 'MX', 'MX-2')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area)
	VALUES ('I/2025', 'MX', 'MX-2', 'pandilla juvenil', 'cybercrime')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, typology) VALUES ('I/SL', 'CA', 'CA-2', 'gang')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/SL', 'CA', 'CA-2', 'drug_trafficking')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, typology) VALUES ('I/2025', 'MX', 'MX-2', 'gang')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/2025', 'MX', 'MX-2', 'Tráfico de drogas / Tráfico de armas')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/2025', 'MX', 'MX-2', 'piratería')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area, crime_areas)
	VALUES ('I/2025', 'MX', 'MX-2', 'cybercrime', '{money_laundering, fraude}')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area, operates_in)
	VALUES ('I/2025', 'MX', 'MX-2', 'cybercrime', '{MX,NULL}')$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/2025', 'MX', 'MX-1', 'cybercrime')$$);

------------------------------------------------------------------------
-- observations: the group must be described; one answer per question;
-- handling codes
------------------------------------------------------------------------
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading, handling)
VALUES ('I/2025', 'MX', 'MX-1', 'violence', 'alto', 'EU:B2:H2', NULL),
	   ('I/2025', 'MX', 'MX-1', 'corruption', 'bajo', 'B2', ' eu:h3 - solo uso policial '),
	   ('I/2025', 'MX', 'MX-1', 'longevity', 'bajo', 'EU:B2:H0', 'H0'),
	   ('I/2025', 'MX', 'MX-1', 'adaptability', 'bajo', NULL, 'h1'),
	   ('I/2025', 'MX', 'drug_trafficking', 'harm', 'alto', NULL, '');
SELECT subject, indicator, grading, handling FROM ideal.observation
 WHERE cycle = 'I/2025' ORDER BY id;

SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('I/2025', 'MX', 'MX-2', 'violence', 'alto')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('I/2025', 'PE', 'MX-1', 'violence', 'alto')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('I/2025', 'MX', 'MX-1', 'Violencia', 'bajo')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	VALUES ('I/2025', 'MX', 'Tráfico de drogas', 'Daño a la sociedad', 'bajo')$$);
SELECT pg_temp.try($$UPDATE ideal.observation SET indicator = 'violence'
	WHERE cycle = 'I/2025' AND indicator = 'longevity'$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, handling)
	VALUES ('I/2025', 'MX', 'MX-1', 'territorial_control', 'alto', 'H4')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, handling)
	VALUES ('I/2025', 'MX', 'MX-1', 'territorial_control', 'alto', 'P')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading, handling)
	VALUES ('I/2025', 'MX', 'MX-1', 'territorial_control', 'alto', 'EU:B2:H1', 'H2')$$);
SELECT pg_temp.try($$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, handling)
	VALUES ('I/SL', 'CA', 'CA-1', 'violence', 'high', 'H9')$$);
-- a group with answers keeps its reference, and stays
SELECT pg_temp.try($$UPDATE ideal.subject SET ref = 'MX-9' WHERE cycle = 'I/2025' AND ref = 'MX-1'$$);
SELECT pg_temp.try($$DELETE FROM ideal.subject WHERE cycle = 'I/2025' AND ref = 'MX-1'$$);
-- other changes to it are checked again
UPDATE ideal.subject SET typology = 'Pandilla', crime_areas = '{Ciberdelincuencia}'
 WHERE cycle = 'I/2025' AND ref = 'MX-1';
SELECT typology, crime_areas FROM ideal.subject WHERE cycle = 'I/2025' AND ref = 'MX-1';

------------------------------------------------------------------------
-- intake views: what they refuse before the table sees the row
------------------------------------------------------------------------
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM stdin WITH (FORMAT csv);
I/2025,MX,MX-1,territorial_control,alto,B2
I/2025,Mexico,MX-1,international_dimension,alto,B2
\.
COPY ideal.observation_intake (cycle, country, subject, indicator, answer, grading) FROM stdin WITH (FORMAT csv);
I/2025,MX,MX-1,international_dimension,alto,Q7
\.
COPY ideal."ideal-2.0_group_intake" (cycle, country, subject, violence) FROM stdin WITH (FORMAT csv);
I/SL,CA,CA-1,high
\.
COPY ideal.subject_intake (cycle, country, ref, primary_area, operates_in) FROM stdin WITH (FORMAT csv);
I/2025,MX,MX-3,cybercrime,"MX, Guatemala"
\.
SELECT count(*) AS stored_by_error_mode FROM ideal.observation
 WHERE cycle = 'I/2025' AND indicator = 'territorial_control';

------------------------------------------------------------------------
-- figures
------------------------------------------------------------------------
INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity, unit,
						  year, item, value_text, source)
VALUES ('I/2025', NULL, 'MX', 'Tráfico de drogas', 'Seizures', ' kg ', 2024,
		'Cocaína', '1,250.5', ' Informe (ficticio) '),
	   (NULL, 'ideal-2.0', 'US', 'human_trafficking', 'victims', 'persons', 2024,
		NULL, '<5', 'Otro informe (ficticio)');
SELECT cycle, methodology, country, crime_area, quantity, unit, year, item,
	   breakdown, value_text, value, flags, source
  FROM ideal.figure WHERE source LIKE '%(ficticio)%' ORDER BY id;
SELECT pg_temp.try($$INSERT INTO ideal.figure (country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('MX', 'drug_trafficking', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/1999', 'MX', 'drug_trafficking', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'sleipnir', 'MX', 'drug_trafficking', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'US', 'drug_trafficking', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (methodology, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('ideal-9', 'MX', 'drug_trafficking', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'MX', 'piracy', 'seizures', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'incautaciones (kg)', 'kg', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', 'kg', 1890, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', 'kg', 2024, 'unos 300', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure (cycle, country, crime_area, quantity, unit, year, value_text, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', ' ', 2024, '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure_intake (cycle, country, crime_area, quantity, unit, year, value, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', 'kg', '2024.0', '1', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure_intake (cycle, country, crime_area, quantity, unit, year, value, decimal_separator, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', 'kg', '2024', '1', ';', 's')$$);
SELECT pg_temp.try($$INSERT INTO ideal.figure_intake (cycle, country, crime_area, quantity, unit, year, value, breakdown, source)
	VALUES ('I/2025', 'MX', 'drug_trafficking', 'seizures', 'kg', '2024', '1', 'sex=F', 's')$$);

------------------------------------------------------------------------
-- history: each statement below is a transaction of its own
------------------------------------------------------------------------
SELECT now() AS before_changes \gset
SELECT pg_sleep(0.01);
UPDATE ideal.observation SET answer = 'muy alto'
 WHERE cycle = 'I/2025' AND subject = 'MX-1' AND indicator = 'violence';
SELECT now() AS after_update \gset
SELECT pg_sleep(0.01);
DELETE FROM ideal.observation
 WHERE cycle = 'I/2025' AND subject = 'MX-1' AND indicator = 'longevity';
SELECT operation, changed_by = current_user AS by_me, subject, indicator, answer,
	   loaded_at < changed_at AS ordered
  FROM ideal.observation_history WHERE cycle = 'I/2025' ORDER BY history_id;
SELECT 'before' AS at, indicator, answer FROM ideal.observation_as_of('I/2025', :'before_changes')
 WHERE subject = 'MX-1'
UNION ALL
SELECT 'between', indicator, answer FROM ideal.observation_as_of('I/2025', :'after_update')
 WHERE subject = 'MX-1'
UNION ALL
SELECT 'now', indicator, answer FROM ideal.observation_as_of('I/2025', now())
 WHERE subject = 'MX-1'
ORDER BY 1, 2;

-- closed cycles refuse changes to groups, figures and, by TRUNCATE, observations
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'I/2025';
SELECT pg_temp.try($$UPDATE ideal.subject SET name = 'x' WHERE cycle = 'I/2025'$$);
SELECT pg_temp.try($$DELETE FROM ideal.figure WHERE cycle = 'I/2025'$$);
SELECT pg_temp.try($$INSERT INTO ideal.subject (cycle, country, ref, primary_area)
	VALUES ('I/2025', 'MX', 'MX-3', 'cybercrime')$$);
SELECT pg_temp.try($$TRUNCATE ideal.observation$$);
UPDATE ideal.cycle SET status = 'open' WHERE code = 'I/2025';

------------------------------------------------------------------------
-- clean up
------------------------------------------------------------------------
DELETE FROM ideal.observation WHERE cycle LIKE 'I/%';
DELETE FROM ideal.observation_history WHERE cycle LIKE 'I/%';
DELETE FROM ideal.subject WHERE cycle LIKE 'I/%';
DELETE FROM ideal.figure WHERE source LIKE '%(ficticio)%';
DELETE FROM ideal.rejected WHERE cycle LIKE 'I/%';
DELETE FROM ideal.cycle WHERE code LIKE 'I/%';
SELECT (SELECT count(*) FROM ideal.observation) + (SELECT count(*) FROM ideal.subject)
	   + (SELECT count(*) FROM ideal.figure) + (SELECT count(*) FROM ideal.rejected)
	   + (SELECT count(*) FROM ideal.observation_history) AS rows_left;
