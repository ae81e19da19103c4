--------------------------------------------------------------------------
-- Wide intake views: one per methodology and subject kind, one column per
-- indicator, created and dropped with the methodology
--------------------------------------------------------------------------

CREATE FUNCTION ideal.wide_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_wide_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.wide_intake() IS
	'INSTEAD OF INSERT trigger of the wide intake views (arguments: methodology, subject kind): each answer cell becomes a row of ideal.observation';

CREATE VIEW ideal.intake_view AS
SELECT a.args[1] AS methodology, a.args[2] AS subject_kind,
	   t.tgrelid::regclass AS intake_view
  FROM pg_catalog.pg_trigger t
 CROSS JOIN LATERAL (SELECT pg_catalog.string_to_array(
						pg_catalog.encode(t.tgargs, 'escape'), '\000') AS args) a
 WHERE t.tgfoid = 'ideal.wide_intake()'::pg_catalog.regprocedure;
COMMENT ON VIEW ideal.intake_view IS
	'The wide intake views: methodology, subject kind, view';

CREATE FUNCTION ideal.create_intake_views(methodology text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'ideal_create_intake_views'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.create_intake_views(text) IS
	'Creates the wide intake views of a methodology that are missing; returns the names of all its views';
CREATE FUNCTION ideal.drop_intake_views(methodology text) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_drop_intake_views'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.drop_intake_views(text) IS
	'Drops the wide intake views of a methodology; returns how many';
REVOKE ALL ON FUNCTION ideal.create_intake_views(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ideal.drop_intake_views(text) FROM PUBLIC;

CREATE FUNCTION ideal.intake_views_sync() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_intake_views_sync'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.intake_views_sync() IS
	'Row trigger on ideal.methodology: creates a methodology''s wide intake views when it is loaded (unless they exist), drops them when it is removed';
CREATE TRIGGER intake_views_create AFTER INSERT ON ideal.methodology
	FOR EACH ROW EXECUTE FUNCTION ideal.intake_views_sync();
CREATE TRIGGER intake_views_drop BEFORE DELETE ON ideal.methodology
	FOR EACH ROW EXECUTE FUNCTION ideal.intake_views_sync();
-- also in a session with session_replication_role = replica, as pg_restore
-- is run: CREATE EXTENSION then still makes the bundled methodologies'
-- views, and a restored methodology finds its view made by the dump
ALTER TABLE ideal.methodology ENABLE ALWAYS TRIGGER intake_views_create;
ALTER TABLE ideal.methodology ENABLE ALWAYS TRIGGER intake_views_drop;
