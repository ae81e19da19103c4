-- Roles, row-level security by country and handling codes: each job, taken
-- with SET ROLE, tries to read and write what it may not, directly, through
-- the intake views, the per-subject and BI views, functions, history and
-- rejected rows; aggregates still count every country's restricted rows.
-- (Real logins, COPY and pg_dump: test/shell/50_security_logins.sh.)
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = ideal, public;
SELECT plan(109);

-- Run a statement as a role; 'ok <rows>' or '<SQLSTATE> <message>'.
CREATE FUNCTION pg_temp.as_role(who name, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	res text;
BEGIN
	EXECUTE format('SET ROLE %I', who);
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

-- The detail of the error a statement meets as a role.
CREATE FUNCTION pg_temp.detail_as(who name, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	res text;
BEGIN
	EXECUTE format('SET ROLE %I', who);
	BEGIN
		EXECUTE stmt;
		res := 'no error';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS res = PG_EXCEPTION_DETAIL;
	END;
	RESET ROLE;
	RETURN res;
END $$;

-- The one value a query returns, read as a role, or the error.
CREATE FUNCTION pg_temp.value_as(who name, query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	res text;
BEGIN
	EXECUTE format('SET ROLE %I', who);
	BEGIN
		EXECUTE query INTO res;
	EXCEPTION WHEN OTHERS THEN
		res := SQLSTATE || ' ' || SQLERRM;
	END;
	RESET ROLE;
	RETURN res;
END $$;

-------------------------------------------------------------------------
-- the roles
-------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM ideal.create_roles()) > 0,
		  'create_roles() creates the roles and grants');
SELECT is(
	(SELECT string_agg(format('%s %s %s %s %s', rolname, rolcanlogin, rolsuper,
							  rolbypassrls, rolcreaterole), ', ' ORDER BY rolname)
	   FROM pg_catalog.pg_roles WHERE rolname LIKE 'ideal\_%'),
	'ideal_analyst f f f f, ideal_contact f f f f, ideal_owner f f f f, ideal_reader f f f f',
	'four plain group roles: no login, no superuser, no BYPASSRLS');
SELECT is((SELECT count(*) FROM ideal.create_roles()),
		  (SELECT count(*) FROM ideal.create_roles()),
		  'create_roles() can run again and grants the same');

CREATE ROLE sec_pdc_mx IN ROLE ideal_contact;
CREATE ROLE sec_pdc_ar IN ROLE ideal_contact;
CREATE ROLE sec_analyst IN ROLE ideal_analyst;
CREATE ROLE sec_reader IN ROLE ideal_reader;
CREATE ROLE sec_owner IN ROLE ideal_owner;
CREATE ROLE sec_nobody;
CREATE ROLE sec_unmapped IN ROLE ideal_contact;

SELECT is(pg_temp.as_role('sec_owner', 'SELECT ideal.create_roles()'),
		  '42501 permission denied for function create_roles',
		  'create_roles() is for superusers only');
SELECT is(pg_temp.as_role('sec_owner', $$SELECT ideal.set_access('ideal.observation', 'catalog')$$),
		  '42501 permission denied for function set_access',
		  'so is set_access()');

-- the methodology owner maps the contact points
SELECT is(pg_temp.as_role('sec_owner',
	$$INSERT INTO ideal.contact_point (role, country)
	  VALUES ('sec_pdc_mx', 'MX'), ('sec_pdc_ar', 'AR')$$),
	'ok 2', 'the methodology owner maps contact points to countries');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.contact_point (role, country) VALUES ('sec_pdc_mx', 'AR')$$),
	'42501 permission denied for table contact_point',
	'a contact point cannot map itself to another country');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$UPDATE ideal.contact_point SET country = 'AR'$$),
	'42501 permission denied for table contact_point',
	'nor change its mapping');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(role::text || ':' || country::text, ',') FROM ideal.contact_point$$),
	'sec_pdc_mx:MX', 'a contact point sees its own mapping only');
SELECT is(pg_temp.value_as('sec_analyst', 'SELECT count(*) FROM ideal.contact_point'),
	'2', 'analysts see every mapping');

-- the methodology owner opens, closes and publishes cycles
SELECT is(pg_temp.as_role('sec_owner',
	$$INSERT INTO ideal.cycle (code, methodology)
	  VALUES ('SEC/OPEN', 'ideal-2.0'), ('SEC/CLOSED', 'ideal-2.0'), ('SEC/PUB', 'ideal-2.0')$$),
	'ok 3', 'the methodology owner opens cycles');

-- the data, loaded by the superuser: Argentina's answers are H2 (not to be
-- disseminated without its permission)
INSERT INTO ideal.subject (cycle, country, ref, name, typology, primary_area) VALUES
	('SEC/OPEN', 'MX', 'MX-G1', 'Cartel uno', 'cartel', 'drug_trafficking'),
	('SEC/OPEN', 'AR', 'AR-G1', 'Banda reservada', 'band', 'drug_trafficking');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading, handling)
SELECT cy.c, v.k::ideal.country, v.s, v.i, v.a, v.g::ideal.grading, v.h
  FROM (VALUES
		('MX', 'drug_trafficking', 'prevalence', 'high', 'B2', NULL),
		('MX', 'drug_trafficking', 'harm', 'moderate', 'B2', NULL),
		('AR', 'drug_trafficking', 'prevalence', 'very high', 'EU:B2:H2', NULL),
		('AR', 'drug_trafficking', 'harm', 'very high', 'EU:B2:H2', NULL),
		('MX', 'MX-G1', 'violence', 'high', 'B2', NULL),
		('AR', 'AR-G1', 'violence', 'very high', 'EU:A1:H2', 'H2')) v(k, s, i, a, g, h)
 CROSS JOIN (VALUES ('SEC/OPEN'), ('SEC/CLOSED'), ('SEC/PUB')) cy(c)
 WHERE v.s NOT LIKE '%-G1' OR cy.c = 'SEC/OPEN';
INSERT INTO ideal.figure (cycle, methodology, country, crime_area, quantity,
						  unit, year, value_text, source)
VALUES ('SEC/OPEN', 'ideal-2.0', 'MX', 'drug_trafficking', 'seizures', 'kg', 2024, '10', 'test'),
	   ('SEC/OPEN', 'ideal-2.0', 'AR', 'drug_trafficking', 'seizures', 'kg', 2024, '20', 'test');
SET LOCAL ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer) VALUES
	('SEC/OPEN', 'MX', 'drug_trafficking', 'violence_impact', 'enormous'),
	('SEC/OPEN', 'AR', 'drug_trafficking', 'violence_impact', 'enormous');
SET LOCAL ideal.on_invalid = 'error';
UPDATE ideal.observation SET note = 'checked' WHERE cycle = 'SEC/OPEN' AND indicator = 'violence';
CREATE TEMP TABLE refreshed AS SELECT ideal.refresh_scores();

SELECT is(pg_temp.as_role('sec_owner',
	$$UPDATE ideal.cycle SET status = 'closed' WHERE code IN ('SEC/CLOSED', 'SEC/PUB')$$),
	'ok 2', 'the methodology owner closes cycles');
SELECT is(pg_temp.as_role('sec_owner',
	$$UPDATE ideal.cycle SET status = 'published' WHERE code = 'SEC/PUB'$$),
	'ok 1', 'and publishes them');
SELECT is(pg_temp.as_role('sec_owner', $$DELETE FROM ideal.cycle WHERE code = 'SEC/OPEN'$$),
	'2BP01 cycle "SEC/OPEN" has observations',
	'the cycle guard sees every country''s observations for an owner who reads none');

-------------------------------------------------------------------------
-- a contact point reads its own country's rows only
-------------------------------------------------------------------------
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation$$),
	'MX', 'observations: a contact point reads its own country''s rows');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT count(*) FROM ideal.observation$$), '7',
	'all of them (2 in each of three cycles, 1 for a group)');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.subject$$),
	'MX', 'groups: the same');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.figure$$),
	'MX', 'figures: the same');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country, ',') FROM ideal.rejected$$),
	'MX', 'rejected rows: the same');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation_history$$),
	'MX', 'history: the same');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.subject_score_snapshot$$),
	'MX', 'stored scores: the same');
SELECT is(pg_temp.value_as('sec_pdc_ar',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation$$),
	'AR', 'and Argentina''s contact point reads Argentina''s, restricted ones included');

-- every view a contact point may read: rows of its own country only.  The
-- list is taken from the catalog, so that new views are held to it.
CREATE TEMP TABLE country_views AS
SELECT c.oid::regclass AS view, a.attname AS col
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace IN ('ideal'::regnamespace, 'ideal_bi'::regnamespace)
   AND c.relkind = 'v'
   AND a.attname IN ('country', 'country_code')
   AND c.oid::regclass::text NOT IN ('ideal_bi.member');
SELECT ok((SELECT count(*) FROM country_views) >= 20,
		  'views with a country column found: ' || (SELECT count(*) FROM country_views));
SELECT is_empty(
	$$SELECT v.view::text, pg_temp.value_as('sec_pdc_mx',
			format('SELECT string_agg(DISTINCT %I::text, '','') FROM %s WHERE %I::text <> ''MX''',
				   v.col, v.view, v.col)) AS other
		FROM country_views v
	   WHERE has_table_privilege('sec_pdc_mx', v.view, 'SELECT')
		 AND pg_temp.value_as('sec_pdc_mx',
				format('SELECT string_agg(DISTINCT %I::text, '','') FROM %s WHERE %I::text <> ''MX''',
					   v.col, v.view, v.col)) !~ '^[0-9A-Z]{5} '$$,
	'no view shows a contact point another country''s rows');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text || ':' || subject, ',' ORDER BY country::text || ':' || subject)
		FROM ideal.subject_score WHERE cycle = 'SEC/OPEN'$$),
	'MX:MX-G1,MX:drug_trafficking', 'the per-subject scores show its own subjects');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(group_ref, ',') FROM ideal_bi.group_ranking WHERE cycle_code = 'SEC/OPEN'$$),
	'MX-G1', 'the BI group ranking its own groups');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(country, ',') FROM ideal."ideal-2.0_crime_area_intake"$$),
	'MX,MX,MX', 'the wide intake view its own answers');

-- functions read as their caller
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation_as_of('SEC/OPEN', now())$$),
	'MX', 'ideal.observation_as_of() gives its own rows');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT count(*) FROM ideal.trend('SEC/OPEN', 'SEC/CLOSED') WHERE country <> 'MX'$$),
	'0', 'ideal.trend() compares its own subjects');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT (ideal.evaluate(cycle, indicator, value, is_unknown, grading))::text
		FROM ideal.observation WHERE country = 'AR'$$),
	NULL, 'the scoring aggregate over another country''s rows gets none');

-- aggregates count every row, Argentina's restricted ones included:
-- Mexico (high 3, moderate 2; B2 = 0.64) scores 2.5, Argentina (very high
-- twice; EU:B2 = 0.75 x 0.8 = 0.6) 4; the regional score weighs them by
-- confidence: (0.64 x 2.5 + 0.6 x 4) / 1.24 = 4 / 1.24
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT countries || ' ' || round(score::numeric, 9) FROM ideal.regional_picture
	   WHERE cycle = 'SEC/OPEN' AND crime_area = 'drug_trafficking'$$),
	'2 ' || round(4 / 1.24, 9),
	'the regional picture counts Argentina''s restricted answers for Mexico''s contact point');
SELECT is(pg_temp.value_as('sec_reader',
	$$SELECT string_agg(cycle || ' ' || countries || ' ' || round(score::numeric, 9), ',')
		FROM ideal.published_picture$$),
	'SEC/PUB 2 ' || round(4 / 1.24, 9),
	'the reader sees published cycles only, restricted answers counted');
SELECT is(pg_temp.value_as('sec_owner',
	$$SELECT country_gaps.subjects FROM ideal.country_gaps
	   WHERE cycle = 'SEC/OPEN' AND country = 'AR'$$),
	'2', 'the owner''s view of each submission counts Argentina''s subjects');

-------------------------------------------------------------------------
-- a contact point writes its own country's rows only, in open cycles
-------------------------------------------------------------------------
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'trend', 'stable')$$),
	'ok 1', 'a contact point adds an answer of its country');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'AR', 'drug_trafficking', 'trend', 'stable')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'not one of another country');
SELECT is(pg_temp.detail_as('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'AR', 'drug_trafficking', 'trend', 'stable')$$),
	'The row is of country AR; role "sec_pdc_mx" writes the rows of MX only.',
	'and the error says whose row it is and whose rows the writer writes');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'ar', 'drug_trafficking', 'trend', 'stable')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'not through the long-form intake view');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal."ideal-2.0_crime_area_intake" (cycle, country, subject, trend)
	  VALUES ('SEC/OPEN', 'ARG', 'arms_trafficking', 'stable')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'not through a wide intake view');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.subject_intake (cycle, country, ref, typology, primary_area)
	  VALUES ('SEC/OPEN', 'AR', 'AR-G9', 'band', 'drug_trafficking')$$),
	'42501 new row violates row-level security policy for table "subject"',
	'not a group of another country, through the intake view');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.figure_intake (cycle, methodology, country, crime_area, quantity, unit, year, value, source)
	  VALUES ('SEC/OPEN', 'ideal-2.0', 'AR', 'drug_trafficking', 'seizures', 'kg', '2024', '5', 'x')$$),
	'42501 new row violates row-level security policy for table "figure"',
	'nor a figure');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, loaded_by)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low', 'sec_pdc_ar')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'nor a row recorded under another role');
SELECT is(pg_temp.detail_as('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, loaded_by)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low', 'sec_pdc_ar')$$),
	'Column "loaded_by" names role "sec_pdc_ar"; rows are recorded under the role that writes them, "sec_pdc_mx".',
	'which the detail says');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$UPDATE ideal.observation SET answer = 'nil' WHERE country = 'AR'$$),
	'ok 0', 'another country''s rows cannot be updated: none is found');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DELETE FROM ideal.observation WHERE country = 'AR'$$),
	'ok 0', 'nor deleted');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DELETE FROM ideal.subject WHERE country = 'AR'$$),
	'ok 0', 'nor another country''s groups');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DELETE FROM ideal.rejected WHERE country = 'AR'$$),
	'ok 0', 'nor its rejected rows');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$UPDATE ideal.observation SET country = 'AR'
	   WHERE cycle = 'SEC/OPEN' AND indicator = 'trend'$$),
	'42501 new row violates row-level security policy for table "observation"',
	'an own row cannot be moved to another country');
SELECT is((SELECT count(*) FROM ideal.observation WHERE country = 'AR')::int, 7,
		  'Argentina''s answers are all still there');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/CLOSED', 'MX', 'drug_trafficking', 'trend', 'stable')$$),
	'55000 cycle "SEC/CLOSED" is closed',
	'nothing is added to a closed cycle');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area)
	  VALUES ('SEC/PUB', 'MX', 'MX-G2', 'gang', 'drug_trafficking')$$),
	'55000 cycle "SEC/PUB" is published',
	'nor to a published one');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$UPDATE ideal.observation SET answer = 'low' WHERE cycle = 'SEC/PUB'$$),
	'55000 cycle "SEC/PUB" is published',
	'published answers cannot be changed');

-- rejected rows: a contact point keeps its own; another country's bad
-- rows are not stored for it
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$SET LOCAL ideal.on_invalid = 'reject';
	  INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'MX', 'arms_trafficking', 'harm', 'colossal')$$),
	'ok 0', 'in reject mode a bad row of its own country goes to ideal.rejected');
SELECT is((SELECT rejected_by::text FROM ideal.rejected WHERE answer = 'colossal'),
		  'sec_pdc_mx', 'under its role');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$SET LOCAL ideal.on_invalid = 'reject';
	  INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'AR', 'arms_trafficking', 'harm', 'colossal')$$),
	'42501 new row violates row-level security policy for table "rejected"',
	'a bad row of another country is refused, not stored');
SELECT is(pg_temp.value_as('sec_pdc_ar',
	$$SELECT count(*) FROM ideal.rejected WHERE answer = 'colossal'$$),
	'0', 'Argentina''s contact point does not see Mexico''s rejected rows');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$UPDATE ideal.rejected SET submitted = jsonb_set(submitted, '{answer}', '"low"')
	   WHERE answer = 'colossal'$$),
	'ok 1', 'a contact point fixes its rejected rows');
SELECT is(pg_temp.value_as('sec_pdc_mx', 'SELECT reloaded FROM ideal.load_rejected()'),
	'1', 'and loads them again');
SET LOCAL ideal.on_invalid = 'error';

-- rows move to history when changed; history is written for the contact
-- point, never by it
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$UPDATE ideal.observation SET answer = 'increase' WHERE cycle = 'SEC/OPEN' AND indicator = 'trend'$$),
	'ok 1', 'a contact point corrects its answer');
SELECT is(pg_temp.value_as('sec_pdc_mx',
	$$SELECT changed_by::text FROM ideal.observation_history WHERE indicator = 'trend'$$),
	'sec_pdc_mx', 'the previous version is in its history');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal.observation_history (operation, changed_by, id, cycle, country,
		subject, indicator, answer, is_unknown, loaded_at, loaded_by)
	  VALUES ('DELETE', 'nobody', 1, 'SEC/OPEN', 'MX', 'x', 'harm', 'low', false, now(), 'nobody')$$),
	'42501 permission denied for table observation_history',
	'history cannot be written directly');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DELETE FROM ideal.observation_history$$),
	'42501 permission denied for table observation_history',
	'nor erased');

-- a contact point changes nothing but its rows
SELECT is(pg_temp.as_role('sec_pdc_mx', $$UPDATE ideal.cycle SET status = 'open' WHERE code = 'SEC/CLOSED'$$),
	'42501 permission denied for table cycle', 'a contact point cannot reopen a cycle');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$INSERT INTO ideal.cycle (code, methodology) VALUES ('X', 'sleipnir')$$),
	'42501 permission denied for table cycle', 'nor open one');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$SELECT ideal.load_bundled('sleipnir.yaml')$$),
	'42501 permission denied for function load_bundled', 'nor load a methodology');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$SELECT ideal.drop_methodology('gitoc-2021')$$),
	'42501 permission denied for function drop_methodology', 'nor drop one');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DELETE FROM ideal.indicator$$),
	'42501 permission denied for table indicator', 'nor edit one');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$SELECT ideal.refresh_scores()$$),
	'42501 permission denied for function refresh_scores', 'nor store scores');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$ALTER TABLE ideal.observation DISABLE ROW LEVEL SECURITY$$),
	'42501 must be owner of table observation', 'nor turn row-level security off');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$DROP POLICY ideal_read ON ideal.observation$$),
	'42501 must be owner of relation observation', 'nor drop a policy');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$SET LOCAL row_security = off; SELECT count(*) FROM ideal.observation$$),
	'42501 query would be affected by row-level security policy for table "observation"',
	'row_security = off refuses the query instead of showing every row');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$TRUNCATE ideal.observation$$),
	'42501 permission denied for table observation', 'nor empty the table');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$SELECT * FROM ideal.regional_picture WHERE crime_area = 'drug_trafficking'$$),
	'ok 3', 'it reads the regional aggregates');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$SELECT * FROM ideal.country_gaps$$),
	'42501 permission denied for view country_gaps',
	'but not how complete other countries'' submissions are');
SELECT is(pg_temp.as_role('sec_pdc_mx', $$CREATE VIEW ideal.mine AS SELECT * FROM ideal.observation$$),
	'42501 permission denied for schema ideal', 'and creates nothing in schema ideal');

-------------------------------------------------------------------------
-- the analyst reads everything and writes nothing
-------------------------------------------------------------------------
SELECT is(pg_temp.value_as('sec_analyst',
	$$SELECT string_agg(DISTINCT country::text, ',' ORDER BY country::text) FROM ideal.observation$$),
	'AR,MX', 'the analyst reads every country''s answers');
SELECT is(pg_temp.value_as('sec_analyst',
	$$SELECT count(*) FROM ideal.observation WHERE ideal.restricted(grading, handling)$$),
	'7', 'restricted ones included');
SELECT is(pg_temp.value_as('sec_analyst',
	$$SELECT string_agg(DISTINCT country::text, ',' ORDER BY country::text) FROM ideal.group_ranking$$),
	'AR,MX', 'and every country''s groups');
SELECT is(pg_temp.value_as('sec_analyst',
	$$SELECT count(DISTINCT country) FROM ideal.rejected$$), '2',
	'and every rejected row');
SELECT is(pg_temp.as_role('sec_analyst',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low')$$),
	'42501 permission denied for table observation', 'the analyst writes no answer');
SELECT is(pg_temp.as_role('sec_analyst',
	$$INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low')$$),
	'42501 permission denied for view observation_intake', 'not through intake either');
SELECT is(pg_temp.as_role('sec_analyst', $$UPDATE ideal.subject SET name = 'x'$$),
	'42501 permission denied for table subject', 'changes no group');
SELECT is(pg_temp.as_role('sec_analyst', $$DELETE FROM ideal.rejected$$),
	'42501 permission denied for table rejected', 'deletes no rejected row');
SELECT is(pg_temp.as_role('sec_analyst', $$UPDATE ideal.cycle SET status = 'closed'$$),
	'42501 permission denied for table cycle', 'and changes no cycle');

-------------------------------------------------------------------------
-- the reader: published aggregates only
-------------------------------------------------------------------------
SELECT is(pg_temp.as_role('sec_reader', 'SELECT * FROM ideal.observation'),
	'42501 permission denied for table observation', 'the reader reads no answer');
SELECT is(pg_temp.as_role('sec_reader', 'SELECT * FROM ideal_bi.observation'),
	'42501 permission denied for table observation', 'not through the BI views');
SELECT is(pg_temp.as_role('sec_reader', 'SELECT * FROM ideal.regional_picture'),
	'42501 permission denied for view regional_picture',
	'nor the regional picture of cycles not published');
SELECT is(pg_temp.as_role('sec_reader', 'SELECT * FROM ideal.observation_intake'),
	'42501 permission denied for view observation_intake', 'nor the intake views');
-- whatever the reader can read is catalog data or published aggregates
CREATE TEMP TABLE reader_readable AS
SELECT c.oid::regclass AS rel
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace IN ('ideal'::regnamespace, 'ideal_bi'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p')
   AND pg_temp.value_as('sec_reader', format('SELECT count(*) FROM %s', c.oid::regclass))
	   !~ '^[0-9A-Z]{5} ';
SELECT is_empty(
	$$SELECT r.rel::text, a.rule FROM reader_readable r
		JOIN ideal.access a ON a.object = r.rel::text
	   WHERE a.rule NOT IN ('catalog', 'cycle', 'mapping', 'published')$$,
	'every relation the reader can read is catalog, cycle or published data');
SELECT ok(NOT EXISTS (SELECT 1 FROM reader_readable
					   WHERE rel::text ~ '(observation|subject|rejected|figure|group|score|history)'
						 AND rel::text <> 'ideal.published_picture'),
		  'none of them holds answers, groups, figures or scores: '
		  || (SELECT string_agg(rel::text, ', ' ORDER BY rel::text) FROM reader_readable
			   WHERE rel::text ~ '(observation|subject|rejected|figure|group|score|history)'));
SELECT is(pg_temp.value_as('sec_reader', 'SELECT count(*) FROM ideal.contact_point'),
	'0', 'the reader sees no contact point');

-------------------------------------------------------------------------
-- the methodology owner: methodologies, cycles, contact points; no rows
-------------------------------------------------------------------------
SELECT is(pg_temp.as_role('sec_owner', 'SELECT * FROM ideal.observation'),
	'42501 permission denied for table observation', 'the owner reads no answer');
SELECT is(pg_temp.as_role('sec_owner', 'SELECT * FROM ideal.subject'),
	'42501 permission denied for table subject', 'no group');
SELECT is(pg_temp.as_role('sec_owner', 'SELECT * FROM ideal.rejected'),
	'42501 permission denied for table rejected', 'no rejected row');
SELECT is(pg_temp.as_role('sec_owner',
	$$SELECT ideal.load_methodology($y$
methodology: sec-test
version: "1"
title: {en: Security test}
languages: [en]
scales:
  yn: {kind: ordinal, levels: [{code: no, value: 0, labels: {en: No}}, {code: yes, value: 1, labels: {en: Yes}}]}
subject_kinds: [country]
indicators:
  - {code: armed, kind: country, scale: yn, labels: {en: Armed}}
members: [MX, AR]
$y$)$$),
	'ok 1', 'the owner loads a methodology');
SELECT is((SELECT loaded_by::text FROM ideal.methodology WHERE code = 'sec-test'),
		  (SELECT extowner::regrole::text FROM pg_catalog.pg_extension WHERE extname = 'ideal'),
		  'which runs as the extension''s owner');
SELECT is(pg_temp.as_role('sec_owner',
	$$INSERT INTO ideal.cycle (code, methodology) VALUES ('SEC/NEW', 'sec-test')$$),
	'ok 1', 'and opens a cycle of it');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal."sec-test_country_intake" (cycle, country, subject, armed)
	  VALUES ('SEC/NEW', 'MX', 'MX', 'yes')$$),
	'ok 1', 'its wide intake view takes the contact point''s rows at once');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle = 'SEC/NEW')::int, 1,
		  'the row is stored');
SELECT is(pg_temp.as_role('sec_pdc_mx',
	$$INSERT INTO ideal."sec-test_country_intake" (cycle, country, subject, armed)
	  VALUES ('SEC/NEW', 'AR', 'AR', 'yes')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'and refuses another country''s');
SELECT is(pg_temp.as_role('sec_owner', $$UPDATE ideal.methodology SET version = '2' WHERE code = 'sec-test'$$),
	'42501 permission denied for table methodology', 'a loaded methodology cannot be edited');
SELECT is(pg_temp.as_role('sec_owner', $$SELECT ideal.drop_methodology('sec-test')$$),
	'2BP01 methodology "sec-test" is used by a cycle', 'nor dropped while a cycle uses it');
SELECT is(pg_temp.as_role('sec_owner', $$UPDATE ideal.cycle SET methodology = 'sleipnir' WHERE code = 'SEC/NEW'$$),
	'55000 cycle "SEC/NEW" cannot change its code or methodology',
	'a cycle keeps its methodology');
SELECT is(pg_temp.as_role('sec_owner', $$SELECT ideal.load_bundled('../../../../etc/passwd')$$),
	'22023 invalid bundled methodology name "../../../../etc/passwd"',
	'the bundled loader reads nothing outside its directory');
SELECT is(pg_temp.detail_as('sec_unmapped',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('SEC/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low')$$),
	'The row is of country MX; role "sec_unmapped" is mapped to no country in ideal.contact_point.',
	'a contact point mapped to no country writes nothing, and is told why');
SELECT is(pg_temp.as_role('sec_nobody', 'SELECT * FROM ideal.methodology'),
	'42501 permission denied for schema ideal', 'a role with no job reaches nothing');

-------------------------------------------------------------------------
-- handling codes
-------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT g, ideal.restricted(g::ideal.grading, NULL) FROM (VALUES
		('EU:B2:H0'), ('EU:B2:H1'), ('EU:B2:H2'), ('EU:B2:H3'), ('X3'), ('B2'),
		('UK3:1A:P'), ('UK3:1A:C'), ('UK3:1A'), ('UK5:B2:1'), ('UK5:B2:2'),
		('UK5:B2:3'), ('UK5:B2:4'), ('UK5:B2:5'), ('UK5:B2')) v(g)$$,
	$$VALUES ('EU:B2:H0', false), ('EU:B2:H1', false), ('EU:B2:H2', true),
			 ('EU:B2:H3', true), ('X3', false), ('B2', false),
			 ('UK3:1A:P', false), ('UK3:1A:C', true), ('UK3:1A', false),
			 ('UK5:B2:1', false), ('UK5:B2:2', true), ('UK5:B2:3', true),
			 ('UK5:B2:4', true), ('UK5:B2:5', true), ('UK5:B2', false)$$,
	'gradings: Europol H2 and H3, UK 3x5x2 C and UK 5x5x5 2-5 forbid dissemination');
SELECT results_eq(
	$$SELECT h, ideal.restricted(NULL, h) FROM (VALUES
		(NULL), (''), ('  '), ('H0'), ('h1'), (' P '), ('1'), ('H2'), ('h3'),
		('C'), ('5'), ('only for the Ministry'), ('H2; ask first')) v(h)$$,
	$$VALUES (NULL, false), ('', false), ('  ', false), ('H0', false),
			 ('h1', false), (' P ', false), ('1', false), ('H2', true),
			 ('h3', true), ('C', true), ('5', true),
			 ('only for the Ministry', true), ('H2; ask first', true)$$,
	'handling text: the same codes in any case; any other text restricts');
SELECT is(ideal.restricted('EU:B2:H0', 'H2'), true,
		  'either the grading or the handling text restricts');

-------------------------------------------------------------------------
-- the rules hold for every object of the extension
-------------------------------------------------------------------------
SELECT is_empty('SELECT * FROM ideal.security_audit()',
				'ideal.security_audit() finds nothing');

SELECT * FROM finish();
ROLLBACK;
