--------------------------------------------------------------------------
-- ideal_bi: the data dictionary, as rows
--
-- Every view and column of ideal_bi carries a COMMENT, but not every driver
-- passes comments on: psqlODBC leaves REMARKS empty.  This view gives them
-- to any tool as an ordinary table to browse or join.
--------------------------------------------------------------------------

CREATE VIEW ideal_bi.data_dictionary WITH (security_invoker = true) AS
SELECT c.relname::text AS view_name,
	   pg_catalog.obj_description(c.oid, 'pg_class') AS view_description,
	   a.attnum::integer AS column_position,
	   a.attname::text AS column_name,
	   pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
	   pg_catalog.col_description(c.oid, a.attnum) AS column_description
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_attribute a
	ON a.attrelid OPERATOR(pg_catalog.=) c.oid
   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'ideal_bi'::pg_catalog.regnamespace
   AND c.relkind OPERATOR(pg_catalog.=) 'v';
COMMENT ON VIEW ideal_bi.data_dictionary IS
	'Every view and column of ideal_bi with its SQL type and description, for tools whose driver does not show comments';
COMMENT ON COLUMN ideal_bi.data_dictionary.view_name IS 'Name of the view in schema ideal_bi';
COMMENT ON COLUMN ideal_bi.data_dictionary.view_description IS 'What the view holds, one row per what';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_position IS 'Position of the column in the view, from 1';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_name IS 'Name of the column';
COMMENT ON COLUMN ideal_bi.data_dictionary.data_type IS 'SQL type of the column: text, integer, numeric, boolean or timestamp with time zone';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_description IS 'What the column means';
