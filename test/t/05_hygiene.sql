-- Catalog hygiene of everything the extension installs: comments,
-- volatility and parallel labels, pinned search_path on SECURITY DEFINER,
-- valid operator classes.  Written generically, so new objects are held to
-- the same rules.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(9);

CREATE TEMP VIEW ext_objects AS
SELECT d.classid, d.objid
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ideal'
 WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::regclass;

CREATE TEMP VIEW ext_functions AS
SELECT p.* FROM pg_catalog.pg_proc p
  JOIN ext_objects o ON o.classid = 'pg_catalog.pg_proc'::regclass AND o.objid = p.oid;

SELECT is_empty($$SELECT oid::regprocedure::text FROM ext_functions
				   WHERE pg_catalog.obj_description(oid, 'pg_proc') IS NULL$$,
				'every function and aggregate has a comment');
SELECT is_empty($$SELECT t.oid::regtype::text FROM pg_catalog.pg_type t
					JOIN ext_objects o ON o.classid = 'pg_catalog.pg_type'::regclass AND o.objid = t.oid
				   WHERE t.typtype IN ('b', 'c', 'd', 'e')
					 AND t.typrelid = 0
					 AND pg_catalog.obj_description(t.oid, 'pg_type') IS NULL$$,
				'every type has a comment');
SELECT is_empty($$SELECT c.oid::regclass::text FROM pg_catalog.pg_class c
					JOIN ext_objects o ON o.classid = 'pg_catalog.pg_class'::regclass AND o.objid = c.oid
				   WHERE c.relkind IN ('r', 'v', 'm', 'p')
					 AND pg_catalog.obj_description(c.oid, 'pg_class') IS NULL$$,
				'every table and view has a comment');
-- the only volatile functions are those that write or read files
SELECT is_empty($$SELECT oid::regprocedure::text FROM ext_functions
				   WHERE provolatile = 'v' AND prokind = 'f'
					 AND prorettype <> 'pg_catalog.trigger'::regtype
					 AND NOT proname ~ '^(load_|drop_|create_|refresh_|grant_|revoke_|set_|map_|unmap_)'$$,
				'no reading function is left volatile by omission');
-- type I/O, operators and accessors are parallel safe
SELECT is_empty($$SELECT oid::regprocedure::text FROM ext_functions
				   WHERE proparallel <> 's' AND provolatile <> 'v'
					 AND prorettype <> 'pg_catalog.trigger'::regtype$$,
				'every non-volatile function is labelled PARALLEL SAFE');
SELECT is_empty($$SELECT oid::regprocedure::text FROM ext_functions
				   WHERE prosecdef AND NOT EXISTS (
						SELECT 1 FROM pg_catalog.unnest(proconfig) c
						 WHERE c LIKE 'search\_path=%')$$,
				'every SECURITY DEFINER function pins search_path');
SELECT is_empty($$SELECT oid::regprocedure::text FROM ext_functions
				   WHERE prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'plpgsql')
					 AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(proconfig) c
									  WHERE c LIKE 'search\_path=%')$$,
				'every PL/pgSQL function pins search_path');
SELECT is_empty($$SELECT c.opcname::text FROM pg_catalog.pg_opclass c
					JOIN ext_objects o ON o.classid = 'pg_catalog.pg_opclass'::regclass AND o.objid = c.oid
				   WHERE NOT pg_catalog.amvalidate(c.oid)$$,
				'every operator class passes amvalidate');
SELECT is((SELECT count(*) FROM pg_catalog.pg_opclass c
			 JOIN ext_objects o ON o.classid = 'pg_catalog.pg_opclass'::regclass AND o.objid = c.oid)::int,
		  7, 'btree classes for four types, hash classes for three');

SELECT * FROM finish();
ROLLBACK;
