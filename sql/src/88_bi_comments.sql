--------------------------------------------------------------------------
-- ideal_bi: comments on the columns the BI views share
--
-- A column name means the same in every view of ideal_bi, so its comment is
-- written once, here, and given to each view column of that name that has
-- none yet (columns whose meaning differs carry their own comment, next to
-- their view).  This part comes after every part that creates ideal_bi views.
--------------------------------------------------------------------------

DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS view, a.attname, d.comment
		  FROM pg_catalog.pg_class c
		  JOIN pg_catalog.pg_attribute a
			ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		  JOIN (VALUES
			('cycle_code', 'Code of the collection cycle'),
			('cycle_title', 'Title of the cycle, if one was given'),
			('methodology_code', 'Code of the methodology the cycle follows (ideal-2.0, gitoc-2023, sleipnir, ...)'),
			('methodology_name', 'Title of the methodology in the chosen language'),
			('country_code', 'Reporting country: ISO 3166-1 alpha-2 code'),
			('country_alpha3', 'ISO 3166-1 alpha-3 code of the country'),
			('country_name', 'Short name of the country in the chosen language'),
			('subject_kind', 'Kind of subject: group, crime_area or country'),
			('subject_code', 'The subject: a group reference, a crime area code or a country''s ISO 3166-1 alpha-2 code'),
			('subject_name', 'Name of the subject in the chosen language: the group''s name, the crime area''s or the country''s name'),
			('indicator_code', 'Code of the indicator (question)'),
			('indicator_name', 'Label of the indicator in the chosen language'),
			('indicator_group', 'Grouping tag of the indicator in its methodology'),
			('composite_code', 'Code of the composite score'),
			('composite_name', 'Label of the composite score in the chosen language'),
			('crime_area_code', 'Code of the crime area'),
			('crime_area_name', 'Label of the crime area in the chosen language'),
			('group_ref', 'Reference of the criminal group, unique within its reporting country and cycle'),
			('group_name', 'Name of the criminal group'),
			('typology_code', 'Code of the group''s typology (kind of criminal group)'),
			('typology_name', 'Label of the group''s typology in the chosen language'),
			('level_ordinal', 'Threat level as a number: 0 nil, 1 low, 2 moderate, 3 high, 4 very high; NULL when the score has no band'),
			('level_code', 'Threat level in English, whatever the chosen language: nil, low, moderate, high, very high'),
			('level_name', 'Threat level in the chosen language')
		  ) AS d(attname, comment) ON d.attname = a.attname
		 WHERE c.relnamespace = 'ideal_bi'::regnamespace
		   AND c.relkind = 'v'
		   AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
	LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L',
								  r.view, r.attname, r.comment);
	END LOOP;
END $$;

-- Every BI view is readable by every role: the views are security_invoker,
-- so the privileges and row-level security of the ideal objects they read
-- still decide what each role sees.
GRANT USAGE ON SCHEMA ideal_bi TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA ideal_bi TO PUBLIC;
