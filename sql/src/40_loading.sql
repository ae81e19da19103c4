--------------------------------------------------------------------------
-- Loading methodologies
--------------------------------------------------------------------------

CREATE FUNCTION ideal.load_methodology(definition text) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_load_methodology'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.load_methodology(text) IS
	'Load a methodology from the text of a YAML file; returns its code';
CREATE FUNCTION ideal.load_bundled(name text) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_load_bundled'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.load_bundled(text) IS
	'Load a methodology file shipped with the extension, such as gitoc-2023.yaml';
REVOKE ALL ON FUNCTION ideal.load_methodology(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ideal.load_bundled(text) FROM PUBLIC;

CREATE FUNCTION ideal.drop_methodology(code text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM ideal.cycle c WHERE c.methodology = drop_methodology.code) THEN
		RAISE EXCEPTION 'methodology "%" is used by a cycle', code
			USING ERRCODE = 'dependent_objects_still_exist',
				HINT = 'A methodology that a cycle uses never changes; load the new version under a new code.';
	END IF;
	DELETE FROM ideal.methodology m WHERE m.code = drop_methodology.code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'methodology "%" does not exist', code
			USING ERRCODE = 'undefined_object';
	END IF;
END $$;
COMMENT ON FUNCTION ideal.drop_methodology(text) IS
	'Remove a methodology that no cycle uses';
REVOKE ALL ON FUNCTION ideal.drop_methodology(text) FROM PUBLIC;
