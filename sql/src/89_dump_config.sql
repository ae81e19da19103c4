--------------------------------------------------------------------------
-- pg_dump: the extension's tables hold the users' data
--
-- pg_dump leaves out the tables of an extension unless they are registered
-- here.  The catalog tables also hold the bundled methodologies, which
-- CREATE EXTENSION loads again on restore: their filters keep those rows out
-- of the dump (ideal.methodology.bundled; the child tables by their
-- methodology code).  Every other table of the extension, and every
-- sequence (identity columns), is dumped whole.  This part runs after every
-- part that creates tables; an upgrade script that adds a table registers
-- it itself.
--------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('ideal.methodology',
										   'WHERE NOT bundled');
-- one call per statement: each call rewrites the pg_extension row
SELECT pg_catalog.pg_extension_config_dump('ideal.scale',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.scale_level',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.crime_area',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.typology',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.indicator',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.composite',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.composite_input',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.band',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.member',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');

DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS rel
		  FROM pg_catalog.pg_depend d
		  JOIN pg_catalog.pg_class c
			ON d.classid = 'pg_catalog.pg_class'::regclass AND c.oid = d.objid
		 WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
		   AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
							  WHERE e.extname = 'ideal')
		   AND d.deptype = 'e'
		   AND c.relkind IN ('r', 'S')
		   AND c.oid <> ALL (coalesce((SELECT e.extconfig
										 FROM pg_catalog.pg_extension e
										WHERE e.extname = 'ideal'), '{}'))
		 ORDER BY c.oid
	LOOP
		PERFORM pg_catalog.pg_extension_config_dump(r.rel, '');
	END LOOP;
END $$;
