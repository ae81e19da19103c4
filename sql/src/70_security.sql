--------------------------------------------------------------------------
-- Security: the four job roles, contact points mapped to countries,
-- row-level security by country, handling codes that forbid
-- dissemination, and one access rule per relation.
--
-- CREATE EXTENSION creates no role.  The policies below are TO PUBLIC and
-- ask the catalog and ideal.contact_point who the user is, so they hold
-- before the roles exist (every table is then closed to all but its owner)
-- and survive pg_dump, which does not dump policies of extension tables.
-- A superuser creates the roles and grants with SELECT ideal.create_roles();
-- pg_dump keeps those grants.
--------------------------------------------------------------------------

-- Role of each job
CREATE FUNCTION ideal.job_role(job text) RETURNS name
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT (CASE job
			WHEN 'owner' THEN 'ideal_owner'
			WHEN 'contact' THEN 'ideal_contact'
			WHEN 'analyst' THEN 'ideal_analyst'
			WHEN 'reader' THEN 'ideal_reader'
			END)::name
$$;
COMMENT ON FUNCTION ideal.job_role(text) IS
	'Role of a job: owner (methodology owner), contact (contact point), analyst or reader; NULL for any other job';

-- Whether the current user acts in a job (holds its role's privileges).
-- Looked up by name, so that it answers false before the roles exist.
CREATE FUNCTION ideal.has_job(job text) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					WHERE r.rolname = ideal.job_role(job)
					  AND pg_catalog.pg_has_role(r.oid, 'USAGE'))
$$;
COMMENT ON FUNCTION ideal.has_job(text) IS
	'True if the current user holds the privileges of the job''s role (directly or through membership)';

--------------------------------------------------------------------------
-- Contact points: which roles write for which countries
--------------------------------------------------------------------------

CREATE TABLE ideal.contact_point (
	role regrole NOT NULL,
	country ideal.country NOT NULL,
	note text,
	mapped_at timestamptz NOT NULL DEFAULT now(),
	mapped_by name NOT NULL DEFAULT current_user,
	PRIMARY KEY (role, country)
);
COMMENT ON TABLE ideal.contact_point IS
	'Contact points: a role (a login, or a group of logins) reads and writes the rows of these countries; changed by the methodology owner only';
COMMENT ON COLUMN ideal.contact_point.role IS
	'A role whose members act for the country; it also needs membership in ideal_contact';
SELECT pg_catalog.pg_extension_config_dump('ideal.contact_point', '');

-- a role sees its own mappings; the owner changes them; analysts read all.
-- Policies spell out their tests instead of calling ideal.has_job(): they
-- then run as initplans of the statement's cached plan, where a SQL
-- function would be parsed again at every execution (every row of an
-- intake view).
ALTER TABLE ideal.contact_point ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_point_read ON ideal.contact_point FOR SELECT
	USING (pg_catalog.pg_has_role(role, 'USAGE')
		   OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					   WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
						 AND pg_catalog.pg_has_role(r.oid, 'USAGE'))
		   OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					   WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_analyst'
						 AND pg_catalog.pg_has_role(r.oid, 'USAGE')));
CREATE POLICY contact_point_write ON ideal.contact_point FOR ALL
	USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
					  AND pg_catalog.pg_has_role(r.oid, 'USAGE')))
	WITH CHECK (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
						 WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
						   AND pg_catalog.pg_has_role(r.oid, 'USAGE')));
-- The policies of every table of submitted rows read this table for
-- whoever queries them, whatever roles the DBA gave: everyone may read it,
-- and sees its own mappings only.
GRANT SELECT ON ideal.contact_point TO PUBLIC;

-- The countries the current user acts for (the policies spell out the same
-- test).
CREATE FUNCTION ideal.my_countries() RETURNS ideal.country[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(DISTINCT m.country ORDER BY m.country),
					'{}')
	  FROM ideal.contact_point m
	 WHERE pg_catalog.pg_has_role(m.role, 'USAGE')
$$;
COMMENT ON FUNCTION ideal.my_countries() IS
	'Countries the current user writes and reads as a contact point (ideal.contact_point)';

CREATE FUNCTION ideal.my_country_codes() RETURNS text[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(c::text), '{}')
	  FROM pg_catalog.unnest(ideal.my_countries()) c
$$;
COMMENT ON FUNCTION ideal.my_country_codes() IS
	'ideal.my_countries() as alpha-2 text codes, for tables that keep the country as text';

CREATE FUNCTION ideal.open_cycles() RETURNS text[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(c.code ORDER BY c.code), '{}')
	  FROM ideal.cycle c
	 WHERE c.status = 'open'
$$;
COMMENT ON FUNCTION ideal.open_cycles() IS
	'Codes of the cycles that accept writes';

-- Called by the write policies only when the fast check fails: raises the
-- server's own "new row violates row-level security policy" with a detail
-- that says why (the row's country, the writer's countries), or the
-- cycle's state.
CREATE FUNCTION ideal.refuse_write(relation text, row_country text,
								   row_cycle text, who_column text DEFAULT NULL,
								   row_who name DEFAULT NULL)
	RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	mine text[] := ideal.my_country_codes();
	cycle_status text;
BEGIN
	IF who_column IS NOT NULL AND row_who IS DISTINCT FROM current_user THEN
		RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
			relation
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = format('Column "%s" names role "%s"; rows are recorded under the role that writes them, "%s".',
								who_column, row_who, current_user),
				HINT = format('Leave column "%s" to its default.', who_column);
	END IF;
	IF row_country IS NULL THEN
		RETURN false;
	END IF;
	IF NOT (row_country = ANY (mine)) THEN
		RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
			relation
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = CASE WHEN cardinality(mine) = 0
					THEN format('The row is of country %s; role "%s" is mapped to no country in ideal.contact_point.',
								row_country, current_user)
					ELSE format('The row is of country %s; role "%s" writes the rows of %s only.',
								row_country, current_user, array_to_string(mine, ', '))
					END,
				HINT = 'Each country''s rows are written by its own contact points; the methodology owner maps them in ideal.contact_point.';
	END IF;
	IF row_cycle IS NOT NULL THEN
		SELECT c.status INTO cycle_status FROM ideal.cycle c
		 WHERE c.code = row_cycle;
		IF cycle_status IS NULL THEN
			RAISE EXCEPTION 'cycle "%" does not exist', row_cycle
				USING ERRCODE = 'foreign_key_violation',
					DETAIL = format('The row is of country %s, in table "%s".', row_country,
									relation),
					HINT = 'The open cycles are listed in ideal.cycle.';
		ELSIF cycle_status <> 'open' THEN
			RAISE EXCEPTION 'cycle "%" is %', row_cycle, cycle_status
				USING ERRCODE = 'object_not_in_prerequisite_state',
					DETAIL = format('Rows of closed and published cycles cannot be added or changed (country %s, table "%s").',
									row_country, relation),
					HINT = 'A correction belongs in a new cycle.';
		END IF;
	END IF;
	RETURN false;
END $$;
COMMENT ON FUNCTION ideal.refuse_write(text, text, text, text, name) IS
	'Raises the error that explains why a write policy refuses a row (country not the writer''s, another role named, cycle not open)';

--------------------------------------------------------------------------
-- Handling codes that forbid dissemination
--------------------------------------------------------------------------

-- A row is restricted when its grading or its handling text carries a
-- handling code that forbids passing it on without the provider's consent.
-- Codes whose restrictions are free text (Europol H3, UK 3x5x2 C) count as
-- restricting, since no machine can check them; so does any handling text
-- that is not one of the codes.  UK 5x5x5: only handling 1 allows
-- dissemination to other law-enforcement agencies (DOMAIN.md 4.3: the
-- meanings of 2-5 are not verified; they are treated as restricting).
CREATE FUNCTION ideal.restricted(grading ideal.grading, handling text)
	RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(CASE ideal.grading_system(grading)
						WHEN 'europol' THEN ideal.grading_handling(grading) IN ('H2', 'H3')
						WHEN 'uk3x5x2' THEN ideal.grading_handling(grading) = 'C'
						WHEN 'uk5x5x5' THEN ideal.grading_handling(grading) IN ('2', '3', '4', '5')
						ELSE false
					END, false)
		OR coalesce(upper(btrim(handling)) NOT IN ('', 'H0', 'H1', 'P', '1'), false)
$$;
COMMENT ON FUNCTION ideal.restricted(ideal.grading, text) IS
	'True if a row''s handling forbids dissemination: Europol H2 or H3, UK 3x5x2 C, UK 5x5x5 2-5, or a handling text other than H0, H1, P or 1';

--------------------------------------------------------------------------
-- Access rules: one for each table, for each view that reads as its owner,
-- and for each guarded function.  What each rule grants:
--
--   rule        what                                  owner contact analyst reader
--   catalog     reference data: methodologies, ...     S     S       S       S
--   cycle       ideal.cycle                            SIUD  S       S       S
--   mapping     ideal.contact_point (own policies)     SIUD  S       S       S
--   submission  submitted rows: row-level security     -     SIUD    S       -
--               by country; writes in open cycles only
--   worklist    refused rows (ideal.rejected): by      -     SIUD    S       -
--               country, in any cycle
--   history     rows the extension writes itself       -     S       S       -
--               (history, stored scores): by country
--   intake      security_invoker views whose INSTEAD   -     SI      S       -
--               OF trigger writes submitted rows
--   own_view    security_invoker views of submitted    -     S       S       -
--               rows: each reader sees its own rows
--   analysis    views reading every country's rows     -     -       S       -
--   aggregate   views counting every row, restricted   S     S       S       -
--               ones included, as their owner
--   oversight   aggregates by country (how complete   S     -       S       -
--               each submission is), as their owner
--   published   aggregates of published cycles         S     S       S       S
--   private     internal                               -     -       -       -
--   owner_function      EXECUTE                        X     -       -       -
--   raw_function        EXECUTE: reads submitted rows  -     X       X       -
--   superuser_function  no one                         -     -       -       -
--   inlined_function    a SQL function left without a pinned search_path so
--                       that it can be inlined, its body reviewed as fully
--                       schema-qualified; PUBLIC keeps EXECUTE
--
-- A security_invoker view needs no rule: it shows its reader what the reader
-- may read anyway.  The policies of submission, worklist and history
-- tables are TO PUBLIC; the grants above decide which jobs reach them.
--------------------------------------------------------------------------

CREATE TABLE ideal.access (
	object text PRIMARY KEY,
	rule text NOT NULL CHECK (rule IN ('catalog', 'cycle', 'mapping',
		'submission', 'worklist', 'history', 'intake', 'own_view', 'analysis',
		'aggregate', 'oversight', 'published', 'private', 'owner_function', 'raw_function',
		'superuser_function', 'inlined_function')),
	country_column name,
	cycle_column name,
	who_column name
);
COMMENT ON TABLE ideal.access IS
	'Access rule of each relation and guarded function (README, section "Security"); set with ideal.set_access() by the install script, applied to the roles by ideal.create_roles()';
-- The rows come from the install script, which CREATE EXTENSION replays on
-- restore: pg_dump must not dump them (the filter keeps every row out).
SELECT pg_catalog.pg_extension_config_dump('ideal.access', 'WHERE false');

-- Statement trigger on tables of submitted rows: a DELETE that took a row
-- of a closed or published cycle fails.  The row triggers of the tables
-- say so first; this one holds even when they are misled.
CREATE FUNCTION ideal.refuse_closed_delete() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	bad record;
BEGIN
	EXECUTE format('SELECT c.code, c.status FROM ideal_old_rows o
					  JOIN ideal.cycle c ON c.code OPERATOR(pg_catalog.=) o.%I
					 WHERE c.status OPERATOR(pg_catalog.<>) ''open'' LIMIT 1',
				   TG_ARGV[0])
		INTO bad;
	IF bad.code IS NOT NULL THEN
		RAISE EXCEPTION 'cycle "%" is %', bad.code, bad.status
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = format('Rows of closed and published cycles cannot be deleted (table "%s.%s").',
								TG_TABLE_SCHEMA, TG_TABLE_NAME),
				HINT = 'A correction belongs in a new cycle.';
	END IF;
	RETURN NULL;
END $$;
COMMENT ON FUNCTION ideal.refuse_closed_delete() IS
	'Statement trigger: refuses a DELETE that removed rows of a closed or published cycle (argument: the cycle column)';

-- Record an object's rule and put its row-level security in place.
CREATE FUNCTION ideal.set_access(object text, rule text,
								 who_column name DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rel regclass;
	fn regprocedure;
	relname text;
	plain name;
	kind "char";
	country_col name;
	country_type regtype;
	cycle_col name;
	own text;
	mine text;
	open_cycle text := '';
	who_ok text := '';
	why text;
	why_who text;
BEGIN
	IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r
			 WHERE r.rolname = current_user) THEN
		RAISE EXCEPTION 'permission denied to set the access rule of "%"', object
			USING ERRCODE = 'insufficient_privilege',
				HINT = 'Access rules are set by a superuser, normally in the install script.';
	END IF;
	IF rule LIKE '%\_function' THEN
		fn := to_regprocedure(object);
		IF fn IS NULL THEN
			-- a warning, not an error: a part that drops or renames an object
			-- must not break the install; ideal.security_audit() reports it
			RAISE WARNING 'function "%" does not exist, no access rule set', object
				USING HINT = 'Name it with its argument types, as in ideal.load_methodology(text).';
			RETURN;
		END IF;
		INSERT INTO ideal.access AS a (object, rule)
		VALUES (fn::text, rule)
		ON CONFLICT ON CONSTRAINT access_pkey DO UPDATE SET rule = excluded.rule;
		IF rule <> 'inlined_function' THEN
			EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
		END IF;
		RETURN;
	END IF;

	rel := to_regclass(object);
	IF rel IS NULL THEN
		RAISE WARNING 'relation "%" does not exist, no access rule set', object;
		RETURN;
	END IF;
	SELECT c.relkind, c.relname INTO kind, plain FROM pg_catalog.pg_class c
	 WHERE c.oid = rel;
	relname := rel::text;
	IF rule IN ('submission', 'worklist', 'history') THEN
		IF kind NOT IN ('r', 'p') THEN
			RAISE EXCEPTION '"%" is not a table', relname
				USING ERRCODE = 'wrong_object_type',
					HINT = 'Rules submission, worklist and history are for tables of submitted rows.';
		END IF;
		SELECT a.attname, a.atttypid::regtype INTO country_col, country_type
		  FROM pg_catalog.pg_attribute a
		 WHERE a.attrelid = rel AND a.attname = 'country' AND NOT a.attisdropped;
		IF country_col IS NULL OR country_type NOT IN ('ideal.country'::regtype,
													   'text'::regtype) THEN
			RAISE EXCEPTION 'table "%" has no column "country" of type ideal.country or text',
				relname
				USING ERRCODE = 'undefined_column',
					HINT = 'Row-level security by country needs the reporting country in a column "country".';
		END IF;
		SELECT a.attname INTO cycle_col FROM pg_catalog.pg_attribute a
		 WHERE a.attrelid = rel AND a.attname = 'cycle' AND NOT a.attisdropped;
		IF rule = 'submission' AND cycle_col IS NULL THEN
			RAISE EXCEPTION 'table "%" has no column "cycle"', relname
				USING ERRCODE = 'undefined_column',
					HINT = 'Submitted rows are written in open cycles only.';
		END IF;
		IF who_column IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM pg_catalog.pg_attribute a
				 WHERE a.attrelid = rel AND a.attname = who_column
				   AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'table "%" has no column "%"', relname, who_column
				USING ERRCODE = 'undefined_column';
		END IF;

		-- the building blocks: every operator named with its schema, no
		-- function call but in the refusal (the same tests as
		-- ideal.has_job(), ideal.my_countries() and ideal.open_cycles(),
		-- spelt out: see contact_point_read)
		IF country_type = 'ideal.country'::regtype THEN
			own := format('%I OPERATOR(ideal.=) ANY (ARRAY(SELECT m.country FROM ideal.contact_point m WHERE pg_catalog.pg_has_role(m.role, ''USAGE'')))',
						  country_col);
		ELSE
			own := format('%I OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT m.country::text FROM ideal.contact_point m WHERE pg_catalog.pg_has_role(m.role, ''USAGE'')))',
						  country_col);
		END IF;
		mine := own;
		IF rule = 'worklist' AND who_column IS NOT NULL THEN
			-- a refused row may lack a country: its writer keeps it
			mine := format('%s OR (%I IS NULL AND %I OPERATOR(pg_catalog.=) CURRENT_USER)',
						   own, country_col, who_column);
		END IF;
		IF rule = 'submission' THEN
			-- a probe of the cycle's primary key, row by row
			open_cycle := format(' AND EXISTS (SELECT 1 FROM ideal.cycle c WHERE c.code OPERATOR(pg_catalog.=) %I AND c.status OPERATOR(pg_catalog.=) ''open'')',
								 cycle_col);
		END IF;
		IF who_column IS NOT NULL THEN
			who_ok := format(' AND %I OPERATOR(pg_catalog.=) CURRENT_USER', who_column);
		END IF;
		why := format('ideal.refuse_write(%L, %I::text, %s)', plain, country_col,
					  CASE WHEN rule = 'submission' THEN format('%I', cycle_col)
						   ELSE 'NULL' END);
		why_who := CASE WHEN who_column IS NULL THEN why
			ELSE format('ideal.refuse_write(%L, %I::text, %s, %L, %I)', plain,
						country_col,
						CASE WHEN rule = 'submission' THEN format('%I', cycle_col)
							 ELSE 'NULL' END,
						who_column, who_column) END;

		EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_read ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_insert ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_update ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_delete ON %s', relname);
		EXECUTE format('CREATE POLICY ideal_read ON %s FOR SELECT USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) ''ideal_analyst'' AND pg_catalog.pg_has_role(r.oid, ''USAGE'')) OR %s)',
					   relname, mine);
		IF rule = 'submission' THEN
			EXECUTE format('DROP TRIGGER IF EXISTS ideal_closed_cycle ON %s', relname);
			EXECUTE format('CREATE TRIGGER ideal_closed_cycle AFTER DELETE ON %s
							REFERENCING OLD TABLE AS ideal_old_rows FOR EACH STATEMENT
							EXECUTE FUNCTION ideal.refuse_closed_delete(%L)',
						   relname, cycle_col);
		END IF;
		IF rule <> 'history' THEN
			EXECUTE format('CREATE POLICY ideal_insert ON %s FOR INSERT WITH CHECK (((%s)%s%s) OR %s)',
						   relname, mine, open_cycle, who_ok, why_who);
			EXECUTE format('CREATE POLICY ideal_update ON %s FOR UPDATE USING (%s) WITH CHECK (((%s)%s) OR %s)',
						   relname, mine, mine, open_cycle, why);
			EXECUTE format('CREATE POLICY ideal_delete ON %s FOR DELETE USING (%s)',
						   relname, mine);
		END IF;
	ELSIF rule = 'mapping' THEN
		IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c
				 WHERE c.oid = rel) THEN
			RAISE EXCEPTION 'table "%" has no row-level security', relname
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
	ELSIF rule IN ('intake', 'own_view') THEN
		IF kind <> 'v' THEN
			RAISE EXCEPTION '"%" is not a view', relname
				USING ERRCODE = 'wrong_object_type',
					HINT = 'Rules intake and own_view are for views that show each reader its own rows.';
		END IF;
		EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', relname);
	ELSIF rule IN ('analysis', 'aggregate', 'oversight', 'published') THEN
		IF kind NOT IN ('v', 'm') THEN
			RAISE EXCEPTION '"%" is not a view', relname
				USING ERRCODE = 'wrong_object_type';
		END IF;
	END IF;
	INSERT INTO ideal.access AS a (object, rule, country_column, cycle_column,
								   who_column)
	VALUES (relname, rule, country_col, cycle_col, who_column)
	ON CONFLICT ON CONSTRAINT access_pkey DO UPDATE
	   SET rule = excluded.rule, country_column = excluded.country_column,
		   cycle_column = excluded.cycle_column,
		   who_column = excluded.who_column;
END $$;
COMMENT ON FUNCTION ideal.set_access(text, text, name) IS
	'Superuser only: record the access rule of a relation or function and put its row-level security in place (who_column: the column that must name the writing role); rerun ideal.create_roles() to grant';
REVOKE ALL ON FUNCTION ideal.set_access(text, text, name) FROM PUBLIC;

--------------------------------------------------------------------------
-- The roles
--------------------------------------------------------------------------

-- What a rule grants to a job
CREATE FUNCTION ideal.rule_privileges(rule text, job text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE rule
		WHEN 'catalog' THEN 'SELECT'
		WHEN 'cycle' THEN CASE job WHEN 'owner' THEN 'SELECT, INSERT, UPDATE, DELETE'
								   ELSE 'SELECT' END
		WHEN 'mapping' THEN CASE job WHEN 'owner' THEN 'SELECT, INSERT, UPDATE, DELETE'
									 ELSE 'SELECT' END
		WHEN 'submission' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT, UPDATE, DELETE'
										WHEN 'analyst' THEN 'SELECT' END
		WHEN 'worklist' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT, UPDATE, DELETE'
									  WHEN 'analyst' THEN 'SELECT' END
		WHEN 'history' THEN CASE job WHEN 'contact' THEN 'SELECT'
									 WHEN 'analyst' THEN 'SELECT' END
		WHEN 'intake' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT'
									WHEN 'analyst' THEN 'SELECT' END
		WHEN 'own_view' THEN CASE job WHEN 'contact' THEN 'SELECT'
									  WHEN 'analyst' THEN 'SELECT' END
		WHEN 'analysis' THEN CASE job WHEN 'analyst' THEN 'SELECT' END
		WHEN 'aggregate' THEN CASE job WHEN 'reader' THEN NULL ELSE 'SELECT' END
		WHEN 'oversight' THEN CASE job WHEN 'owner' THEN 'SELECT'
									   WHEN 'analyst' THEN 'SELECT' END
		WHEN 'published' THEN 'SELECT'
		WHEN 'owner_function' THEN CASE job WHEN 'owner' THEN 'EXECUTE' END
		WHEN 'raw_function' THEN CASE job WHEN 'contact' THEN 'EXECUTE'
										  WHEN 'analyst' THEN 'EXECUTE' END
		END
$$;
COMMENT ON FUNCTION ideal.rule_privileges(text, text) IS
	'Privileges an access rule grants to a job''s role (owner, contact, analyst, reader), or NULL for none';

CREATE FUNCTION ideal.create_roles()
	RETURNS TABLE (role name, object text, privileges text)
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	jobs text[] := ARRAY['owner', 'contact', 'analyst', 'reader'];
	job text;
	r name;
	everyone text;
	a record;
	privs text;
	seq regclass;
BEGIN
	IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x
			 WHERE x.rolname = current_user) THEN
		RAISE EXCEPTION 'permission denied to create the roles of extension "ideal"'
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = 'Creating roles and granting privileges on the extension''s objects needs a superuser.',
				HINT = 'A superuser runs SELECT ideal.create_roles(); in each database that has the extension.';
	END IF;
	FOREACH job IN ARRAY jobs LOOP
		r := ideal.job_role(job);
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles x
					WHERE x.rolname = r
					  AND (x.rolsuper OR x.rolbypassrls OR x.rolcanlogin)) THEN
			RAISE EXCEPTION 'role "%" exists and is not a plain group role', r
				USING ERRCODE = 'invalid_role_specification',
					DETAIL = 'It is a superuser, has BYPASSRLS or can log in.',
					HINT = format('Make "%s" an ordinary NOLOGIN role (or drop it), then run ideal.create_roles() again.', r);
		END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			EXECUTE format('COMMENT ON ROLE %I IS %L', r,
						   'ideal: ' || CASE job
							WHEN 'owner' THEN 'methodology owner: loads methodologies, opens and closes cycles, maps contact points'
							WHEN 'contact' THEN 'contact point: writes its countries'' rows in open cycles'
							WHEN 'analyst' THEN 'analyst: reads every row, writes none'
							WHEN 'reader' THEN 'reader: published aggregates only' END);
		END IF;
	END LOOP;
	everyone := format('%I, %I, %I, %I', ideal.job_role('owner'),
					   ideal.job_role('contact'), ideal.job_role('analyst'),
					   ideal.job_role('reader'));

	-- start from nothing, so that a rerun takes away what a rule no longer
	-- grants
	FOR a IN
		SELECT c.oid::regclass AS rel
		  FROM pg_catalog.pg_depend d
		  JOIN pg_catalog.pg_class c ON c.oid = d.objid
		 WHERE d.classid = 'pg_catalog.pg_class'::regclass
		   AND d.refclassid = 'pg_catalog.pg_extension'::regclass
		   AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
							  WHERE e.extname = 'ideal')
		   AND d.deptype = 'e'
		   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
	LOOP
		EXECUTE format('REVOKE ALL ON %s FROM %s', a.rel, everyone);
	END LOOP;

	FOR a IN
		SELECT n.nspname
		  FROM pg_catalog.pg_namespace n
		 WHERE n.nspname = 'ideal'
			OR n.oid IN (SELECT c.relnamespace FROM ideal.access x
						   JOIN pg_catalog.pg_class c
							 ON c.oid = CASE WHEN x.rule NOT LIKE '%\_function'
											 THEN to_regclass(x.object) END)
		 ORDER BY n.nspname
	LOOP
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', a.nspname, everyone);
		object := format('schema %I', a.nspname);
		privileges := 'USAGE';
		FOREACH job IN ARRAY jobs LOOP
			role := ideal.job_role(job);
			RETURN NEXT;
		END LOOP;
	END LOOP;

	-- the wide intake views a methodology brings follow rule intake
	FOR a IN
		SELECT x.object, x.rule FROM ideal.access x
		UNION
		SELECT v.intake_view::text, 'intake' FROM ideal.intake_view v
		 ORDER BY 1
	LOOP
		IF a.rule LIKE '%\_function' AND a.rule <> 'inlined_function' THEN
			EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, %s',
						   to_regprocedure(a.object), everyone);
		END IF;
		FOREACH job IN ARRAY jobs LOOP
			privs := ideal.rule_privileges(a.rule, job);
			CONTINUE WHEN privs IS NULL;
			role := ideal.job_role(job);
			object := a.object;
			privileges := privs;
			IF a.rule LIKE '%\_function' THEN
				EXECUTE format('GRANT %s ON FUNCTION %s TO %I', privs,
							   to_regprocedure(a.object), role);
			ELSE
				EXECUTE format('GRANT %s ON %s TO %I', privs,
							   to_regclass(a.object), role);
				-- serial (not identity) columns draw from sequences
				IF privs LIKE '%INSERT%' THEN
					FOR seq IN
						SELECT d.objid::regclass FROM pg_catalog.pg_depend d
						  JOIN pg_catalog.pg_class s ON s.oid = d.objid
						 WHERE d.refobjid = to_regclass(a.object)
						   AND d.classid = 'pg_catalog.pg_class'::regclass
						   AND d.refclassid = 'pg_catalog.pg_class'::regclass
						   AND d.deptype = 'a' AND s.relkind = 'S'
					LOOP
						EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, role);
					END LOOP;
				END IF;
			END IF;
			RETURN NEXT;
		END LOOP;
	END LOOP;
END $$;
COMMENT ON FUNCTION ideal.create_roles() IS
	'Superuser only: create the group roles ideal_owner, ideal_contact, ideal_analyst and ideal_reader when missing and grant each what ideal.access says; returns the grants; rerun after ALTER EXTENSION UPDATE';
REVOKE ALL ON FUNCTION ideal.create_roles() FROM PUBLIC;

--------------------------------------------------------------------------
-- Audit: what breaks the rules above
--------------------------------------------------------------------------

CREATE FUNCTION ideal.security_audit()
	RETURNS TABLE (object text, problem text)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
WITH RECURSIVE
ext AS (
	SELECT d.classid, d.objid
	  FROM pg_catalog.pg_depend d
	  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
	 WHERE e.extname = 'ideal' AND d.deptype = 'e'
	   AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass),
-- to_regprocedure() raises on a name without parentheses: CASE keeps each
-- name to its kind
acc AS (
	SELECT a.object, a.rule,
		   CASE WHEN a.rule NOT LIKE '%\_function'
				THEN pg_catalog.to_regclass(a.object) END AS rel,
		   CASE WHEN a.rule LIKE '%\_function'
				THEN pg_catalog.to_regprocedure(a.object) END AS fn
	  FROM ideal.access a),
rules AS (
	SELECT a.object, a.rule, a.rel FROM acc a
	 WHERE a.rule NOT LIKE '%\_function'
	UNION ALL
	SELECT v.intake_view::text, 'intake', v.intake_view FROM ideal.intake_view v),
rels AS (
	SELECT c.oid, c.oid::pg_catalog.regclass::text AS name, c.relkind,
		   c.relrowsecurity, c.relacl,
		   c.relkind = 'v' AND EXISTS (
				SELECT 1 FROM pg_catalog.unnest(c.reloptions) o
				 WHERE o ~* '^security_invoker=(true|on|yes|1)$') AS invoker,
		   r.rule
	  FROM pg_catalog.pg_class c
	  LEFT JOIN rules r ON r.rel = c.oid
	 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
	   AND (c.oid IN (SELECT ext.objid FROM ext
					   WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
			OR r.rule IS NOT NULL)),
refs AS (
	SELECT DISTINCT w.ev_class AS view, d.refobjid AS ref
	  FROM pg_catalog.pg_rewrite w
	  JOIN pg_catalog.pg_depend d
		ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
	   AND d.objid = w.oid
	 WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
	   AND d.refobjid <> w.ev_class),
-- every relation a view reads, and as whom: the caller while only
-- security_invoker views lie on the way (caller), otherwise the owner of
-- the last view that is not, which is an aggregate, oversight or published
-- view (agg) or not
walk (root, rel, caller, agg) AS (
	SELECT v.oid, f.ref, v.invoker,
		   NOT v.invoker AND coalesce(v.rule, '') IN ('aggregate', 'oversight', 'published')
	  FROM rels v JOIN refs f ON f.view = v.oid
	 WHERE v.relkind IN ('v', 'm')
	UNION
	SELECT w.root, f.ref, w.caller AND c.invoker,
		   CASE WHEN c.invoker THEN w.agg
				ELSE coalesce(c.rule, '') IN ('aggregate', 'oversight', 'published') END
	  FROM walk w
	  JOIN rels c ON c.oid = w.rel AND c.relkind IN ('v', 'm')
	  JOIN refs f ON f.view = c.oid),
raw AS (
	SELECT r.oid, r.name FROM rels r
	 WHERE r.rule IN ('submission', 'worklist', 'history')),
problems (object, problem) AS (
	SELECT r.name, 'has no access rule; call ideal.set_access() in the install script'
	  FROM rels r WHERE r.rule IS NULL AND NOT r.invoker
	UNION ALL
	SELECT a.object, 'is named in ideal.access but does not exist'
	  FROM acc a
	 WHERE a.rel IS NULL AND a.fn IS NULL
	UNION ALL
	SELECT r.name, 'holds submitted rows but has no row-level security'
	  FROM rels r
	 WHERE r.rule IN ('submission', 'worklist', 'history', 'mapping')
	   AND (NOT r.relrowsecurity
			OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p
							WHERE p.polrelid = r.oid))
	UNION ALL
	SELECT r.name, 'has columns "cycle" and "country" but rule ' ||
		   coalesce(r.rule, 'none') || ', not submission, worklist or history'
	  FROM rels r
	 WHERE r.relkind IN ('r', 'p')
	   AND coalesce(r.rule, '') NOT IN ('submission', 'worklist', 'history')
	   AND (SELECT count(*) FROM pg_catalog.pg_attribute a
			 WHERE a.attrelid = r.oid AND a.attname IN ('cycle', 'country')
			   AND NOT a.attisdropped) = 2
	UNION ALL
	SELECT r.name, 'shows rows by country but is not security_invoker'
	  FROM rels r WHERE r.rule IN ('intake', 'own_view') AND NOT r.invoker
	UNION ALL
	SELECT r.name, 'is granted to PUBLIC but reads as its owner'
	  FROM rels r
	 WHERE NOT r.invoker
	   AND coalesce(r.rule, '') NOT IN ('catalog', 'published', 'mapping')
	   AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(r.relacl) x
					WHERE x.grantee = 0)
	UNION ALL
	SELECT DISTINCT v.name,
		   'counts only the rows its reader may see: it reads ' || t.name ||
		   ' as its caller'
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE v.rule IN ('aggregate', 'oversight', 'published') AND w.caller
	UNION ALL
	SELECT DISTINCT v.name,
		   'shows every country''s rows: it reads ' || t.name ||
		   ' as the owner of a view that is not an aggregate'
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE (v.rule IN ('intake', 'own_view') OR (v.rule IS NULL AND v.invoker))
	   AND NOT w.caller AND NOT w.agg
	UNION ALL
	SELECT DISTINCT v.name,
		   'reads submitted rows (' || t.name || ') but its rule is ' || v.rule
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE v.rule IN ('catalog', 'private') AND NOT w.agg
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is SECURITY DEFINER without a search_path that ends in pg_temp'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND p.prosecdef
	   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c
						WHERE c ~ '^search_path=.*pg_temp"?$')
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is SECURITY DEFINER and executable by PUBLIC'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND p.prosecdef
	   AND pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
	UNION ALL
	SELECT a.object, 'is executable by PUBLIC but its rule is ' || a.rule
	  FROM acc a
	 WHERE a.rule IN ('owner_function', 'raw_function', 'superuser_function')
	   AND a.fn IS NOT NULL
	   AND pg_catalog.has_function_privilege('public', a.fn, 'EXECUTE')
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is written in ' || l.lanname || ' and does not pin search_path'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND l.lanname IN ('sql', 'plpgsql')
	   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c
						WHERE c LIKE 'search\_path=%')
	   AND NOT EXISTS (SELECT 1 FROM acc a
						WHERE a.rule = 'inlined_function' AND a.fn = p.oid))
SELECT p.object, p.problem FROM problems p ORDER BY 1, 2
$$;
COMMENT ON FUNCTION ideal.security_audit() IS
	'Objects that break the extension''s security rules: relations without an access rule or row-level security, views that leak other countries'' rows or undercount aggregates, SECURITY DEFINER functions unpinned or open to PUBLIC, functions without a pinned search_path; empty when all is well';
