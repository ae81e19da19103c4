-- Hostile search_path and friends: look-alike operators and functions in a
-- schema placed before pg_catalog, domains in pg_temp shadowing the types
-- that SECURITY DEFINER code names, leaky functions in WHERE, statistics,
-- and the install script's hygiene (issue: plain CREATE only, pinned
-- search_path, qualified names, nothing raw granted to PUBLIC).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = ideal, public;
SELECT plan(43);

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

CREATE TEMP TABLE quiet AS SELECT * FROM ideal.create_roles();
CREATE ROLE hos_pdc_mx IN ROLE ideal_contact;
CREATE ROLE hos_owner IN ROLE ideal_owner;
CREATE ROLE hos_reader IN ROLE ideal_reader;
INSERT INTO ideal.contact_point (role, country) VALUES ('hos_pdc_mx', 'MX');
INSERT INTO ideal.cycle (code, methodology)
VALUES ('H/OPEN', 'ideal-2.0'), ('H/CLOSED', 'ideal-2.0'), ('H/SPARE', 'ideal-2.0');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
SELECT c, k::ideal.country, 'drug_trafficking', i, a, g::ideal.grading
  FROM (VALUES ('MX', 'prevalence', 'high', 'B2'), ('MX', 'harm', 'moderate', 'B2'),
			   ('AR', 'prevalence', 'very high', 'EU:B2:H2'),
			   ('AR', 'harm', 'very high', 'EU:B2:H2')) v(k, i, a, g)
 CROSS JOIN (VALUES ('H/OPEN'), ('H/CLOSED')) cy(c);
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'H/CLOSED';

-------------------------------------------------------------------------
-- a user-created schema of look-alikes, placed before pg_catalog
-------------------------------------------------------------------------
-- Every look-alike records who ran it; code that runs as the extension's
-- owner (SECURITY DEFINER) must never reach one.
CREATE SCHEMA evil;
CREATE TABLE evil.log (who name, what text);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT INSERT, SELECT ON evil.log TO PUBLIC;
CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'text = ' || $1 || ' ' || $2); RETURN true; END $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq);
CREATE FUNCTION evil.text_ne(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'text <> ' || $1); RETURN false; END $$;
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_ne);
CREATE FUNCTION evil.name_eq(name, name) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'name = ' || $1); RETURN true; END $$;
CREATE OPERATOR evil.= (LEFTARG = name, RIGHTARG = name, FUNCTION = evil.name_eq);
CREATE FUNCTION evil.country_eq(ideal.country, ideal.country) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'country = ' || $1::text); RETURN true; END $$;
CREATE OPERATOR evil.= (LEFTARG = ideal.country, RIGHTARG = ideal.country, FUNCTION = evil.country_eq);
CREATE FUNCTION evil.float_lt(float8, float8) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'float8 < ' || $1 || ' ' || $2);
	  RETURN $1 OPERATOR(pg_catalog.<) $2; END $$;
CREATE OPERATOR evil.< (LEFTARG = float8, RIGHTARG = float8, FUNCTION = evil.float_lt);
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'now()'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION evil.spy(text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO evil.log VALUES (current_user, 'domain check ' || pg_catalog.left($1, 40)); RETURN true; END $$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA evil TO PUBLIC;
-- the schema is the attacker's own
ALTER SCHEMA evil OWNER TO hos_owner;

CREATE FUNCTION pg_temp.hostile(who name, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	res text;
BEGIN
	PERFORM pg_catalog.set_config('search_path', 'evil, pg_catalog, ideal, public', true);
	res := pg_temp.as_role(who, stmt);
	PERFORM pg_catalog.set_config('search_path', 'ideal, public', true);
	RETURN res;
END $$;

-- who ran look-alike code, other than the attacker itself
CREATE FUNCTION pg_temp.elevated(attacker name) RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(DISTINCT l.who::text || ': ' || l.what, '; ')
	  FROM evil.log l WHERE l.who OPERATOR(pg_catalog.<>) attacker
$$;

-- control: a SECURITY DEFINER function with search_path = pg_catalog alone
-- is reached by a pg_temp domain (pg_temp is then searched first for types)
CREATE FUNCTION public.weak_definer(t text) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN RETURN length(t::text); END $$;
SELECT is(pg_temp.hostile('hos_owner',
	$$CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (evil.spy(VALUE));
	  SELECT public.weak_definer('x');
	  DROP DOMAIN pg_temp.text$$), 'ok 0',
	'control: the attacker plants a pg_temp domain under a weakly pinned definer');
SELECT ok(pg_temp.elevated('hos_owner') IS NOT NULL,
		  'control: the domain check then runs as the definer: ' || pg_temp.elevated('hos_owner'));
TRUNCATE evil.log;
DROP FUNCTION public.weak_definer(text);

-------------------------------------------------------------------------
-- the methodology owner attacks the SECURITY DEFINER functions
-------------------------------------------------------------------------
SELECT is(pg_temp.hostile('hos_owner',
	$$CREATE DOMAIN pg_temp.jsonb AS pg_catalog.jsonb CHECK (evil.spy(VALUE::pg_catalog.text));
	  CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (evil.spy(VALUE));
	  CREATE DOMAIN pg_temp.float8 AS pg_catalog.float8 CHECK (evil.spy(VALUE::pg_catalog.text));
	  SELECT ideal.load_methodology($y$
methodology: hostile-test
version: "1"
title: {en: Hostile test}
languages: [en]
scales:
  yn: {kind: ordinal, levels: [{code: no, value: 0, labels: {en: No}}, {code: yes, value: 1, labels: {en: Yes}}]}
subject_kinds: [country]
indicators:
  - {code: armed, kind: country, scale: yn, labels: {en: Armed}}
members: [MX]
$y$);
	  DROP DOMAIN pg_temp.jsonb, pg_temp.text, pg_temp.float8$$), 'ok 0',
	'with look-alikes first and pg_temp domains planted, the owner loads a methodology');
SELECT is((SELECT count(*) FROM ideal.indicator WHERE methodology = 'hostile-test')::int, 1,
		  'it is loaded as written');
SELECT is(pg_temp.elevated('hos_owner'), NULL,
		  'no look-alike ran with the loader''s rights');
SELECT is(pg_temp.hostile('hos_owner', $$SELECT ideal.drop_methodology('no-such-methodology')$$),
	'42704 methodology "no-such-methodology" does not exist',
	'dropping a methodology that does not exist fails (the look-alike = that matches all is not used)');
SELECT is((SELECT count(*) FROM ideal.methodology)::int, 6,
		  'every methodology is still there');
SELECT is(pg_temp.hostile('hos_owner', $$SELECT ideal.drop_methodology('hostile-test')$$),
	'ok 1', 'the owner drops its own unused methodology');
SELECT is((SELECT string_agg(code, ',' ORDER BY code) FROM ideal.methodology WHERE NOT bundled),
		  NULL, 'and only it');
SELECT is(pg_temp.hostile('hos_owner',
	$$DELETE FROM ideal.cycle WHERE code OPERATOR(pg_catalog.=) 'H/OPEN'$$),
	'2BP01 cycle "H/OPEN" has observations',
	'the cycle guard still finds the observations of a cycle');
SELECT is(pg_temp.hostile('hos_owner',
	$$UPDATE ideal.cycle SET status = 'closed' WHERE code OPERATOR(pg_catalog.=) 'H/SPARE'$$),
	'ok 1', 'the owner closes a cycle');
SELECT is(pg_temp.hostile('hos_owner', 'SELECT ideal.refresh_scores()'),
	'ok 1', 'and stores scores');
SELECT is(pg_temp.elevated('hos_owner'), NULL,
		  'no look-alike and no pg_temp domain ran as the extension''s owner');
SELECT is((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'hos_owner'), false,
		  'the owner is no superuser');

-------------------------------------------------------------------------
-- a contact point with look-alikes for = on countries and text
-------------------------------------------------------------------------
TRUNCATE evil.log;
SELECT ok(pg_temp.hostile('hos_pdc_mx',
	$$CREATE TEMP TABLE peeked AS SELECT country FROM ideal.observation WHERE country = 'AR'$$)
		  ~ '^ok',
	'a contact point filters with a look-alike = that is always true');
SELECT is((SELECT string_agg(DISTINCT country::text, ',') FROM pg_temp.peeked), 'MX',
		  'and gets its own rows only');
SELECT is(pg_temp.value_as('hos_pdc_mx', $$SELECT string_agg(DISTINCT country::text, ',') FROM ideal.observation$$),
	'MX', 'the contact point still reads its own rows only');
-- the regional picture runs the caveat rule on every country's scores, as
-- the view's owner; a look-alike < would be handed Argentina's figures
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$CREATE TEMP TABLE caveats AS SELECT caveat FROM ideal.regional_picture$$),
	'ok 2', 'it reads the regional picture');
SELECT is((SELECT string_agg(what, '; ') FROM evil.log WHERE what LIKE 'float8%'), NULL,
		  'and no look-alike receives a country''s coverage or confidence');
ALTER FUNCTION ideal.score_caveat(numeric, integer, integer, float8, float8,
								  float8, float8, integer) RESET search_path;
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$CREATE TEMP TABLE caveats2 AS SELECT caveat FROM ideal.regional_picture$$),
	'ok 2', 'control: the same with the caveat rule''s search_path not pinned');
SELECT ok((SELECT count(*) FROM evil.log WHERE what LIKE 'float8%') > 0,
		  'control: then the look-alike gets every country''s figures: '
		  || (SELECT string_agg(what, '; ') FROM evil.log WHERE what LIKE 'float8%'));
ALTER FUNCTION ideal.score_caveat(numeric, integer, integer, float8, float8,
								  float8, float8, integer) SET search_path = pg_catalog, pg_temp;

-- the backend's cycle cache is emptied, so that the lookups of the row
-- triggers run under the contact point's search_path and are misled
UPDATE ideal.cycle SET title = NULL WHERE false;
SELECT ok(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/OPEN', 'AR', 'drug_trafficking', 'violence_impact', 'low')$$) !~ '^ok',
	'a misled contact point still writes no row of another country');
SELECT ok(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/CLOSED', 'MX', 'drug_trafficking', 'violence_impact', 'low')$$) !~ '^ok',
	'nor adds to a closed cycle');
SELECT ok(pg_temp.hostile('hos_pdc_mx',
	$$UPDATE ideal.observation SET note = 'x' WHERE cycle OPERATOR(pg_catalog.=) 'H/CLOSED'$$) !~ '^ok',
	'nor changes it');
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$DELETE FROM ideal.observation WHERE cycle OPERATOR(pg_catalog.=) 'H/CLOSED'$$),
	'55000 cycle "H/CLOSED" is closed',
	'nor deletes from it');
SELECT is((SELECT count(*) FROM ideal.observation WHERE cycle IN ('H/OPEN', 'H/CLOSED'))::int, 8,
		  'every answer is as it was');
-- the policies alone, with the validation trigger out of the way, hold too
ALTER TABLE ideal.observation DISABLE TRIGGER observation_check;
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/OPEN', 'AR', 'drug_trafficking', 'violence_impact', 'low')$$),
	'42501 new row violates row-level security policy for table "observation"',
	'without the row trigger, the policies refuse another country''s row');
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/CLOSED', 'MX', 'drug_trafficking', 'violence_impact', 'low')$$),
	'55000 cycle "H/CLOSED" is closed',
	'a row of a closed cycle');
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/NONE', 'MX', 'drug_trafficking', 'violence_impact', 'low')$$),
	'23503 cycle "H/NONE" does not exist',
	'a row of no cycle');
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$UPDATE ideal.observation SET note = 'x' WHERE cycle OPERATOR(pg_catalog.=) 'H/CLOSED'$$),
	'55000 cycle "H/CLOSED" is closed',
	'a change in a closed cycle');
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$DELETE FROM ideal.observation WHERE cycle OPERATOR(pg_catalog.=) 'H/CLOSED'$$),
	'55000 cycle "H/CLOSED" is closed',
	'and a delete from it');
ALTER TABLE ideal.observation ENABLE TRIGGER observation_check;
SELECT is(pg_temp.hostile('hos_pdc_mx',
	$$INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
	  VALUES ('H/OPEN', 'MX', 'MX', 'criminal_markets_human_trafficking', '5')$$),
	'22023 unknown indicator "criminal_markets_human_trafficking" in methodology "ideal-2.0"',
	'an answer is checked against its own cycle''s methodology');
-- forget what the look-alikes made of the cycles
UPDATE ideal.cycle SET title = NULL WHERE false;

-------------------------------------------------------------------------
-- leaky functions and statistics
-------------------------------------------------------------------------
SELECT ok(pg_temp.as_role('hos_pdc_mx',
	$$CREATE TEMP TABLE seen (v text);
	  CREATE FUNCTION pg_temp.peek(v text) RETURNS boolean LANGUAGE plpgsql
		  COST 0.0001 AS 'BEGIN INSERT INTO pg_temp.seen VALUES (v); RETURN true; END';
	  CREATE TEMP TABLE got AS SELECT * FROM ideal.observation WHERE pg_temp.peek(country::text);
	  CREATE TEMP TABLE got2 AS SELECT * FROM ideal.group_ranking WHERE pg_temp.peek(country::text);
	  CREATE TEMP TABLE got3 AS SELECT * FROM ideal.subject_score WHERE pg_temp.peek(country::text)$$)
		~ '^ok', 'a contact point filters with a cheap function that records what it sees');
SELECT is((SELECT string_agg(DISTINCT v, ',') FROM pg_temp.seen), 'MX',
		  'it is shown only its own rows');
ANALYZE ideal.observation;
SELECT ok((SELECT count(*) FROM pg_catalog.pg_stats
			WHERE schemaname = 'ideal' AND tablename = 'observation') > 0,
		  'control: the statistics of ideal.observation exist');
SELECT is(pg_temp.value_as('hos_pdc_mx',
	$$SELECT count(*) FROM pg_catalog.pg_stats WHERE schemaname = 'ideal' AND tablename = 'observation'$$),
	'0', 'a contact point cannot read them (they hold other countries'' values)');

-------------------------------------------------------------------------
-- the install script (issue point 5)
-------------------------------------------------------------------------
CREATE TEMP TABLE script AS
SELECT pg_read_file(:'root' || '/sql/ideal--' ||
	(SELECT default_version FROM pg_available_extensions WHERE name = 'ideal') || '.sql') AS body;
SELECT is((SELECT array_length(regexp_split_to_array(body, '\n'), 1) > 1000 FROM script), true,
		  'the install script is read');
SELECT is_empty(
	$$SELECT m[1] FROM script, regexp_matches(body, '(CREATE\s+OR\s+REPLACE[^\n]*)', 'gi') m$$,
	'plain CREATE only: no CREATE OR REPLACE');
SELECT is_empty(
	$$SELECT m[1] FROM script, regexp_matches(body, '(CREATE[^\n;]*IF\s+NOT\s+EXISTS[^\n]*)', 'gi') m$$,
	'no CREATE ... IF NOT EXISTS');
SELECT is_empty(
	$$SELECT m[1] || ' ' || m[2] FROM script,
		regexp_matches(body, '\mCREATE\s+(TABLE|VIEW|FUNCTION|TYPE|AGGREGATE|DOMAIN|SEQUENCE|OPERATOR CLASS|OPERATOR FAMILY|OPERATOR|MATERIALIZED VIEW|CAST|TRIGGER FUNCTION)\s+("?[A-Za-z_][^\s(]*)', 'g') m
	   WHERE m[2] !~ '\.' AND m[1] <> 'CAST'$$,
	'every object the script creates is named with its schema');
SELECT ok((SELECT count(*) FROM script,
			regexp_matches(body, '\mCREATE\s+(TABLE|VIEW|FUNCTION)\s+ideal\.', 'g')) > 100,
		  'the check above sees the script''s tables, views and functions');
SELECT is(
	(SELECT string_agg(p.proname::text, ', ' ORDER BY p.proname) FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ideal'
	   WHERE p.prosecdef),
	'cycle_guard, drop_methodology, load_bundled, load_methodology, refresh_scores',
	'the SECURITY DEFINER functions are these five, reviewed');
-- functions that PUBLIC may run: none reads a table of submitted rows
SELECT is_empty(
	$$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ideal'
	   WHERE has_function_privilege('public', p.oid, 'EXECUTE')
		 AND p.prorettype <> 'pg_catalog.trigger'::regtype
		 AND p.prosrc ~ 'ideal\.(observation|subject|rejected|figure|subject_score_snapshot)\M'$$,
	'no function executable by PUBLIC reads submitted rows');

SELECT * FROM finish();
ROLLBACK;
