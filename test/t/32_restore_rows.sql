-- Rows that come back from a dump: the column "checked" that the triggers
-- set, the trust they give it (owner or superuser inserting rows already
-- checked, as pg_restore does) and nobody else; the cycle's revision that
-- keeps stored scores current across a restore.  The restore itself:
-- test/shell/82_dump_restore.sh.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = ideal, public;
SELECT plan(36);

-- Run a statement as a role (NULL: as the caller); 'ok <rows>' or
-- '<SQLSTATE> <message>'.
CREATE FUNCTION pg_temp.run(who name, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	res text;
BEGIN
	IF who IS NOT NULL THEN
		EXECUTE format('SET ROLE %I', who);
	END IF;
	BEGIN
		EXECUTE stmt;
		GET DIAGNOSTICS n = ROW_COUNT;
		res := 'ok ' || n;
	EXCEPTION WHEN OTHERS THEN
		res := SQLSTATE || ' ' || SQLERRM;
	END;
	RESET ROLE;
	RETURN res;
END $$;

SELECT ideal.create_roles();
CREATE ROLE rr_pdc IN ROLE ideal_contact;
-- a role a DBA lets write figures directly: not the table's owner
CREATE ROLE rr_writer;
GRANT USAGE ON SCHEMA ideal TO rr_writer;
GRANT INSERT ON ideal.figure TO rr_writer;
GRANT SELECT ON ideal.cycle, ideal.methodology TO rr_writer;
INSERT INTO ideal.contact_point (role, country) VALUES ('rr_pdc', 'MX');

INSERT INTO ideal.cycle (code, methodology) VALUES
	('RR/OPEN', 'ideal-2.0'), ('RR/CLOSED', 'ideal-2.0');
SELECT is((SELECT string_agg(revision::text, ' ' ORDER BY code) FROM ideal.cycle
			WHERE code LIKE 'RR/%'), '1 1', 'a new cycle is at revision 1');
INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area) VALUES
	('RR/OPEN', 'MX', 'MX-G1', 'cartel', 'drug_trafficking'),
	('RR/CLOSED', 'MX', 'MX-G1', 'cartel', 'drug_trafficking');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('RR/OPEN', 'MX', 'drug_trafficking', 'prevalence', 'Alta', 'B2'),
	   ('RR/CLOSED', 'MX', 'drug_trafficking', 'prevalence', 'high', 'B2'),
	   ('RR/CLOSED', 'MX', 'MX-G1', 'violence', 'high', NULL);
INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity,
						  unit, year, value_text, source)
VALUES ('RR/CLOSED', 'ideal-2.0', 'MX', 'drug_trafficking', 'seizures', 'kg',
		2024, '10', 'test');

SELECT is((SELECT count(*) FILTER (WHERE checked) || ' of ' || count(*)
			 FROM ideal.observation WHERE cycle LIKE 'RR/%'),
		  '3 of 3', 'the trigger marks every row it checked');
SELECT ok((SELECT bool_and(checked) FROM ideal.subject WHERE cycle LIKE 'RR/%')
		  AND (SELECT bool_and(checked) FROM ideal.figure WHERE cycle LIKE 'RR/%'),
		  'groups and figures too');

UPDATE ideal.cycle SET title = 'Restore test' WHERE code = 'RR/CLOSED';
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'RR/CLOSED';
SELECT is((SELECT revision FROM ideal.cycle WHERE code = 'RR/CLOSED'), 3::bigint,
		  'every update of a cycle row raises its revision');
SELECT is(pg_temp.run(NULL, $$UPDATE ideal.cycle SET revision = 1 WHERE code = 'RR/CLOSED'$$),
		  'ok 1', 'an update that sets the revision ...');
SELECT is((SELECT revision FROM ideal.cycle WHERE code = 'RR/CLOSED'), 4::bigint,
		  '... still raises it by one');

-------------------------------------------------------------------------
-- what a restore does: the superuser inserts rows already checked
-------------------------------------------------------------------------
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.observation (cycle, country, subject_kind, subject, indicator, answer, value, checked)
	  VALUES ('RR/CLOSED', 'MX', 'crime_area', 'drug_trafficking', 'harm', 'moderate', 2, true)$$),
	'ok 1', 'a closed cycle takes an observation inserted already checked by the superuser');
SELECT is((SELECT answer || ' ' || value || ' ' || checked FROM ideal.observation
			WHERE cycle = 'RR/CLOSED' AND indicator = 'harm'),
		  'moderate 2 true', 'stored as it came');
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area, checked)
	  VALUES ('RR/CLOSED', 'MX', 'MX-G2', 'cartel', 'drug_trafficking', true)$$),
	'ok 1', 'a group too');
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity, unit, year, value_text, value, source, checked)
	  VALUES ('RR/CLOSED', 'ideal-2.0', 'MX', 'drug_trafficking', 'victims', 'persons', 2024, '7', 7, 'test', true)$$),
	'ok 1', 'and a figure');
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.observation (cycle, country, subject_kind, subject, indicator, answer, checked)
	  VALUES ('RR/OPEN', 'MX', 'crime_area', 'drug_trafficking', 'harm', 'enormous', true)$$),
	'ok 1', 'the trust is whole: the superuser''s checked row is not read again (documented)');

-------------------------------------------------------------------------
-- everybody else's rows, and every other operation, are checked
-------------------------------------------------------------------------
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('RR/CLOSED', 'MX', 'drug_trafficking', 'groups_involved', 'high')$$),
	'55000 cycle "RR/CLOSED" is closed', 'the superuser''s ordinary insert is checked');
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, checked)
	  VALUES ('RR/CLOSED', 'MX', 'drug_trafficking', 'groups_involved', 'high', false)$$),
	'55000 cycle "RR/CLOSED" is closed', 'so is one that says checked = false');
SELECT is(pg_temp.run(NULL,
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, checked)
	  VALUES ('RR/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'high', NULL)$$),
	'ok 1', 'a NULL checked is checked and set');
SELECT is((SELECT value || ' ' || checked FROM ideal.observation
			WHERE cycle = 'RR/OPEN' AND indicator = 'groups_involved'),
		  '3 true', 'normalised and marked');
SELECT is(pg_temp.run(NULL,
	$$UPDATE ideal.observation SET answer = 'low' WHERE cycle = 'RR/CLOSED' AND indicator = 'prevalence'$$),
	'55000 cycle "RR/CLOSED" is closed', 'an update of a checked row in a closed cycle is refused');
SELECT is(pg_temp.run(NULL,
	$$UPDATE ideal.observation SET answer = 'gigantic' WHERE cycle = 'RR/OPEN' AND indicator = 'prevalence'$$),
	'22023 answer "gigantic" is not on the scale of indicator "prevalence"',
	'an update in an open cycle is checked, though the row says checked');
SELECT is(pg_temp.run('rr_pdc',
	$$INSERT INTO ideal.observation (cycle, country, subject_kind, subject, indicator, answer, value, checked)
	  VALUES ('RR/CLOSED', 'MX', 'crime_area', 'drug_trafficking', 'groups_involved', 'high', 3, true)$$),
	'55000 cycle "RR/CLOSED" is closed',
	'a contact point''s row that says checked cannot enter a closed cycle');
SELECT is(pg_temp.run('rr_writer',
	$$INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity, unit, year, value_text, source, checked)
	  VALUES ('RR/CLOSED', 'ideal-2.0', 'MX', 'drug_trafficking', 'cases', 'Counts', 2024, '3', 'test', true)$$),
	'55000 cycle "RR/CLOSED" is closed',
	'nor can a figure from a role granted INSERT that does not own the table');
SELECT is(pg_temp.run('rr_pdc',
	$$INSERT INTO ideal.observation (cycle, country, subject_kind, subject, indicator, answer, value, checked)
	  VALUES ('RR/OPEN', 'MX', 'crime_area', 'drug_trafficking', 'violence_impact', 'enormous', 9, true)$$),
	'22023 answer "enormous" is not on the scale of indicator "violence_impact"',
	'a contact point''s row that says checked is checked');
SELECT is(pg_temp.run('rr_pdc',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, value, checked)
	  VALUES ('RR/OPEN', 'MX', 'drug_trafficking', 'violence_impact', 'Muy alto', 99, true)$$),
	'ok 1', 'and stored when good ...');
SELECT is((SELECT value || ' ' || subject_kind || ' ' || checked FROM ideal.observation
			WHERE cycle = 'RR/OPEN' AND indicator = 'violence_impact'),
		  '4 crime_area true', '... with the value the trigger read, not the one sent');
SELECT is(pg_temp.run('rr_pdc',
	$$INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area, checked)
	  VALUES ('RR/OPEN', 'MX', 'MX-G3', 'no such typology', 'drug_trafficking', true)$$),
	'22023 unknown typology "no such typology" in methodology "ideal-2.0"',
	'a contact point''s group that says checked is checked');

-------------------------------------------------------------------------
-- rejected rows are loaded again through the checks
-------------------------------------------------------------------------
SET LOCAL ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('RR/OPEN', 'MX', 'drug_trafficking', 'harm', 'colossal');
RESET ideal.on_invalid;
UPDATE ideal.rejected SET submitted = submitted || '{"checked": true}'
 WHERE target = 'ideal.observation' AND answer = 'colossal';
SELECT is((SELECT rejected_again FROM ideal.load_rejected(
			(SELECT array_agg(id) FROM ideal.rejected WHERE answer = 'colossal'))),
		  1::bigint, 'load_rejected() checks a row anew though its stored form says checked');
SET LOCAL ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer) VALUES
	('RR/OPEN', 'MX', 'drug_trafficking', 'trend', 'sideways'),
	('RR/OPEN', 'MX', 'drug_trafficking', 'transnational_dimension', 'vast'),
	('RR/OPEN', 'MX', 'cybercrime', 'harm', 'huge');
RESET ideal.on_invalid;
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{country}', '"Atlantis"')
 WHERE answer = 'sideways';
UPDATE ideal.rejected SET submitted = '"not a row"' WHERE answer = 'vast';
UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{answer}', '"alto"')
 WHERE answer = 'huge';
SELECT is((SELECT reloaded || ' ' || rejected_again FROM ideal.load_rejected(
			(SELECT array_agg(id) FROM ideal.rejected WHERE answer IN ('sideways', 'vast', 'huge')))),
		  '1 2', 'rows edited into something unreadable do not stop the others from loading');
SELECT is((SELECT string_agg(answer || ' ' || sqlstate || ' ' || message, '; ' ORDER BY answer)
			 FROM ideal.rejected WHERE answer IN ('sideways', 'vast', 'huge')),
		  'sideways 22P02 invalid input syntax for type ideal.country: "Atlantis"; vast 22023 cannot call populate_composite on a scalar',
		  'they stay in ideal.rejected with the reason they could not be read');
SELECT is((SELECT answer || ' ' || value FROM ideal.observation
			WHERE cycle = 'RR/OPEN' AND subject = 'cybercrime' AND indicator = 'harm'),
		  'alto 3', 'and the corrected one is stored');

-- rows a contact point sent, edited, then reloaded by the superuser: they
-- go with the contact point's rights, only to an intake table, without the
-- id, times and role their stored form claims
SET LOCAL ideal.on_invalid = 'reject';
SELECT is(pg_temp.run('rr_pdc',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer) VALUES
		('RR/OPEN', 'MX', 'money_laundering', 'harm', 'x1'),
		('RR/OPEN', 'MX', 'money_laundering', 'prevalence', 'x2'),
		('RR/OPEN', 'MX', 'money_laundering', 'trend', 'x3'),
		('RR/OPEN', 'MX', 'money_laundering', 'groups_involved', 'x4')$$),
	'ok 0', 'a contact point''s four bad answers are set aside');
RESET ideal.on_invalid;
UPDATE ideal.rejected SET target = 'ideal.contact_point',
	   submitted = '{"role": "rr_pdc", "country": "AR", "mapped_at": "2020-01-01", "mapped_by": "x"}'
 WHERE answer = 'x1';
UPDATE ideal.rejected SET submitted = jsonb_set(jsonb_set(submitted, '{country}', '"AR"'), '{answer}', '"low"')
 WHERE answer = 'x2';
UPDATE ideal.rejected SET submitted = submitted || '{"answer": "stable", "id": 999999, "loaded_by": "someone_else", "loaded_at": "2001-01-01"}'
 WHERE answer = 'x3';
UPDATE ideal.rejected SET target = 'ideal.observation; DROP TABLE ideal.cycle'
 WHERE answer = 'x4';
SELECT is((SELECT reloaded || ' ' || rejected_again FROM ideal.load_rejected(
			(SELECT array_agg(id) FROM ideal.rejected WHERE answer IN ('x1', 'x2', 'x3', 'x4')))),
		  '1 3', 'the superuser reloads them: one goes in, three stay');
SELECT is((SELECT string_agg(answer || ' ' || sqlstate, ', ' ORDER BY answer)
			 FROM ideal.rejected WHERE answer IN ('x1', 'x2', 'x4')),
		  'x1 42809, x2 42501, x4 42602',
		  'a target that is no intake table, another country''s row under the sender''s row-level security, a target that is no name: each stays with its reason');
SELECT is((SELECT count(*) FROM ideal.contact_point WHERE role = 'rr_pdc'::regrole AND country = 'AR'),
		  0::bigint, 'no contact point was mapped through it');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'RR/OPEN' AND country = 'AR'),
		  0::bigint, 'and no answer of another country stored');
SELECT is((SELECT (id <> 999999) || ' ' || loaded_by || ' ' || (loaded_at > '2001-01-02') || ' ' || checked
			 FROM ideal.observation WHERE cycle = 'RR/OPEN' AND subject = 'money_laundering' AND indicator = 'trend'),
		  'true rr_pdc true true', 'the corrected answer is stored with a new id, its sender as loaded_by, the time of now, checked');

-------------------------------------------------------------------------
-- stored scores: current by revision
-------------------------------------------------------------------------
SELECT ok(ideal.refresh_scores('RR/CLOSED') > 0, 'scores of the closed cycle stored');
SELECT is((SELECT current FROM ideal.score_snapshot_status WHERE cycle = 'RR/CLOSED'),
		  true, 'and current');
UPDATE ideal.cycle SET title = 'Retitled' WHERE code = 'RR/CLOSED';
SELECT is((SELECT current::text || ': ' || note FROM ideal.score_snapshot_status WHERE cycle = 'RR/CLOSED'),
		  'false: cycle changed since (reopened or updated)',
		  'any update of the cycle row makes them stale');

SELECT * FROM finish();
ROLLBACK;
