--------------------------------------------------------------------------
-- ideal_bi: views for BI tools (Power BI, Tableau, Metabase, Superset)
--
-- ODBC and JDBC drivers report the extension's own types as "other" and BI
-- tools then refuse or mangle the column.  Every view here therefore shows
-- only text, integer, numeric, boolean and timestamptz, with stable column
-- names: *_code for language-independent codes (countries as ISO 3166-1
-- alpha-2), *_name for the label in the language of ideal.language (en by
-- default; es and pt), threat levels three times: level_ordinal (0 nil to
-- 4 very high), level_code (English) and level_name.  One row per fact.
--
-- The views are security_invoker: a user reads through them exactly what
-- the privileges and row-level security on the ideal objects below allow,
-- never more, so SELECT on them is granted to PUBLIC (88_bi_comments.sql).
--
-- This part: the schema, the dimensions (methodologies, cycles, members,
-- crime areas, indicators, composites, groups) and the intake facts
-- (observations, their history, rejected rows, figures); 81_bi_scores.sql:
-- scores, the regional picture, gaps, trends, quadrants.
--
-- To add a view: create it WITH (security_invoker = true) over the ideal
-- objects, name its columns after the conventions above, COMMENT ON the view
-- and on each column not in the shared list of 88_bi_comments.sql.  The
-- tests (test/t/80_bi.sql, sql/bi.sql, the ODBC and JDBC clients) cover
-- every view of the schema by themselves; sql/bi.sql pins the columns.
--------------------------------------------------------------------------

CREATE SCHEMA ideal_bi;
COMMENT ON SCHEMA ideal_bi IS
	'Views of the ideal extension for BI tools: standard SQL types only, one row per fact, labels in the language of ideal.language';

-- The label of a methodology item in a language: labels is a methodology's
-- label map ({"en": ..., "es": ...}); lang NULL means ideal.language.
-- Falls back on English, which every methodology has.  Plain SQL with
-- qualified names so that it can be inlined into the views.
CREATE FUNCTION ideal.label_text(labels jsonb, lang text DEFAULT NULL)
	RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(
		$1 OPERATOR(pg_catalog.->>)
			coalesce($2, pg_catalog.current_setting('ideal.language', true), 'en'),
		$1 OPERATOR(pg_catalog.->>) 'en')
$$;
COMMENT ON FUNCTION ideal.label_text(jsonb, text) IS
	'Label from a methodology label map in a language (default: setting ideal.language), falling back on English';

CREATE VIEW ideal_bi.threat_level WITH (security_invoker = true) AS
SELECT l AS level_ordinal,
	   ideal.threat_level_name(l::ideal.threat_level, 'en') AS level_code,
	   ideal.threat_level_name(l::ideal.threat_level) AS level_name
  FROM pg_catalog.generate_series(0, 4) AS l;
COMMENT ON VIEW ideal_bi.threat_level IS
	'The five threat levels, for legends and sorting: ordinal, English code, name in the chosen language';

CREATE VIEW ideal_bi.methodology WITH (security_invoker = true) AS
SELECT m.code AS methodology_code,
	   m.version,
	   ideal.label_text(m.title) AS methodology_name,
	   m.source,
	   m.note,
	   pg_catalog.array_to_string(m.languages, ', ') AS languages,
	   pg_catalog.array_to_string(m.subject_kinds, ', ') AS subject_kinds,
	   m.bundled AS is_bundled,
	   m.sha256,
	   m.loaded_at
  FROM ideal.methodology m;
COMMENT ON VIEW ideal_bi.methodology IS
	'Methodologies (methods of assessment) loaded in the database, one row each';
COMMENT ON COLUMN ideal_bi.methodology.version IS 'Version of the methodology, as its file declares it';
COMMENT ON COLUMN ideal_bi.methodology.source IS 'Who publishes the method, and where';
COMMENT ON COLUMN ideal_bi.methodology.note IS 'Free note from the methodology file';
COMMENT ON COLUMN ideal_bi.methodology.languages IS 'Languages of its labels, comma-separated (en, es, pt)';
COMMENT ON COLUMN ideal_bi.methodology.subject_kinds IS 'Kinds of subject it assesses, comma-separated (group, crime_area, country)';
COMMENT ON COLUMN ideal_bi.methodology.is_bundled IS 'True for the methodologies shipped with the extension';
COMMENT ON COLUMN ideal_bi.methodology.sha256 IS 'SHA-256 of the methodology file as loaded';
COMMENT ON COLUMN ideal_bi.methodology.loaded_at IS 'When the methodology was loaded';

CREATE VIEW ideal_bi.cycle WITH (security_invoker = true) AS
SELECT c.code AS cycle_code,
	   c.methodology AS methodology_code,
	   ideal.label_text(m.title) AS methodology_name,
	   c.title AS cycle_title,
	   c.status,
	   c.opened_at,
	   c.closed_at,
	   c.published_at
  FROM ideal.cycle c
  JOIN ideal.methodology m ON m.code = c.methodology;
COMMENT ON VIEW ideal_bi.cycle IS
	'Collection cycles (rounds of an assessment), one row each';
COMMENT ON COLUMN ideal_bi.cycle.cycle_title IS 'Title of the cycle, if one was given';
COMMENT ON COLUMN ideal_bi.cycle.status IS 'open (accepts submissions), closed or published';
COMMENT ON COLUMN ideal_bi.cycle.opened_at IS 'When the cycle was opened';
COMMENT ON COLUMN ideal_bi.cycle.closed_at IS 'When the cycle was last closed; NULL while open';
COMMENT ON COLUMN ideal_bi.cycle.published_at IS 'When the cycle was published; NULL until then';

CREATE VIEW ideal_bi.member WITH (security_invoker = true) AS
SELECT mb.methodology AS methodology_code,
	   mb.country::text AS country_code,
	   ideal.country_alpha3(mb.country) AS country_alpha3,
	   ideal.country_numeric(mb.country) AS country_numeric,
	   ideal.country_name(mb.country) AS country_name
  FROM ideal.member mb;
COMMENT ON VIEW ideal_bi.member IS
	'Member countries of each methodology: one row per methodology and country';
COMMENT ON COLUMN ideal_bi.member.country_code IS 'Member country: ISO 3166-1 alpha-2 code';
COMMENT ON COLUMN ideal_bi.member.country_numeric IS 'ISO 3166-1 numeric code of the member country';

CREATE VIEW ideal_bi.crime_area WITH (security_invoker = true) AS
SELECT a.methodology AS methodology_code,
	   a.code AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   a.position
  FROM ideal.crime_area a;
COMMENT ON VIEW ideal_bi.crime_area IS
	'Crime areas of each methodology: one row per methodology and crime area';
COMMENT ON COLUMN ideal_bi.crime_area.position IS 'Order of the crime area in its methodology file';

CREATE VIEW ideal_bi.indicator WITH (security_invoker = true) AS
SELECT i.methodology AS methodology_code,
	   i.code AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   i.kind AS subject_kind,
	   i."group" AS indicator_group,
	   i.scale AS scale_code,
	   s.kind AS scale_kind,
	   s.min::numeric AS scale_min,
	   s.max::numeric AS scale_max,
	   s.step::numeric AS scale_step,
	   i.weight::numeric AS weight,
	   i.required AS is_required,
	   i.allow_unknown AS allows_unknown,
	   i.position
  FROM ideal.indicator i
  JOIN ideal.scale s ON s.methodology = i.methodology AND s.code = i.scale;
COMMENT ON VIEW ideal_bi.indicator IS
	'Indicators (questions) of each methodology: one row per methodology and indicator';
COMMENT ON COLUMN ideal_bi.indicator.indicator_group IS 'Free grouping tag of the indicator (GI-TOC: criminal_markets, criminal_actors, resilience)';
COMMENT ON COLUMN ideal_bi.indicator.scale_code IS 'Code of the answer scale';
COMMENT ON COLUMN ideal_bi.indicator.scale_kind IS 'numeric or ordinal';
COMMENT ON COLUMN ideal_bi.indicator.scale_min IS 'Lowest value an answer can score';
COMMENT ON COLUMN ideal_bi.indicator.scale_max IS 'Highest value an answer can score';
COMMENT ON COLUMN ideal_bi.indicator.scale_step IS 'Step between allowed numeric answers; NULL when any value in range is allowed';
COMMENT ON COLUMN ideal_bi.indicator.weight IS 'Weight of the indicator in weighted composites';
COMMENT ON COLUMN ideal_bi.indicator.is_required IS 'True when every subject of its kind should answer it (counts for coverage and gaps)';
COMMENT ON COLUMN ideal_bi.indicator.allows_unknown IS 'True when "unknown" is an accepted answer';
COMMENT ON COLUMN ideal_bi.indicator.position IS 'Order of the indicator in its methodology file';

CREATE VIEW ideal_bi.composite WITH (security_invoker = true) AS
SELECT k.methodology AS methodology_code,
	   k.code AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   k.kind AS subject_kind,
	   k.method,
	   EXISTS (SELECT 1 FROM ideal.band b
				WHERE b.methodology = k.methodology
				  AND b.composite = k.code) AS is_banded,
	   k.position
  FROM ideal.composite k;
COMMENT ON VIEW ideal_bi.composite IS
	'Composite scores defined by each methodology: one row per methodology and composite';
COMMENT ON COLUMN ideal_bi.composite.method IS 'How the composite combines its inputs: mean, weighted_mean, weighted_sum or max';
COMMENT ON COLUMN ideal_bi.composite.is_banded IS 'True when the methodology maps this composite''s score to threat levels';
COMMENT ON COLUMN ideal_bi.composite.position IS 'Evaluation order of the composite in its methodology';

CREATE VIEW ideal_bi.criminal_group WITH (security_invoker = true) AS
SELECT g.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   g.country::text AS country_code,
	   ideal.country_alpha3(g.country) AS country_alpha3,
	   ideal.country_name(g.country) AS country_name,
	   g.ref AS group_ref,
	   g.name AS group_name,
	   g.typology AS typology_code,
	   ideal.label_text(t.labels) AS typology_name,
	   g.primary_area AS primary_area_code,
	   ideal.label_text(a.labels) AS primary_area_name,
	   pg_catalog.cardinality(g.operates_in) AS operating_countries,
	   g.loaded_at
  FROM ideal.subject g
  JOIN ideal.cycle c ON c.code = g.cycle
  LEFT JOIN ideal.typology t
		 ON t.methodology = c.methodology AND t.code = g.typology
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = c.methodology AND a.code = g.primary_area;
COMMENT ON VIEW ideal_bi.criminal_group IS
	'Criminal groups reported by each country in each cycle, one row per group';
COMMENT ON COLUMN ideal_bi.criminal_group.primary_area_code IS 'Code of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.criminal_group.primary_area_name IS 'Name of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.criminal_group.operating_countries IS 'Number of countries the group operates in (listed in ideal_bi.group_country)';
COMMENT ON COLUMN ideal_bi.criminal_group.loaded_at IS 'When the group was recorded';

CREATE VIEW ideal_bi.group_crime_area WITH (security_invoker = true) AS
SELECT x.cycle_code, x.country_code, x.group_ref, x.crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   x.is_primary
  FROM (SELECT g.cycle AS cycle_code, g.country::text AS country_code,
			   g.ref AS group_ref, v.area AS crime_area_code,
			   pg_catalog.bool_or(v.is_primary) AS is_primary
		  FROM ideal.subject g
		 CROSS JOIN LATERAL
			   (SELECT g.primary_area, true
				 WHERE g.primary_area IS NOT NULL
				UNION ALL
				SELECT o, false FROM pg_catalog.unnest(g.crime_areas) AS o)
			   AS v(area, is_primary)
		 GROUP BY g.cycle, g.country, g.ref, v.area) x
  JOIN ideal.cycle c ON c.code = x.cycle_code
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = c.methodology AND a.code = x.crime_area_code;
COMMENT ON VIEW ideal_bi.group_crime_area IS
	'Crime areas of each criminal group, its primary area included: one row per group and crime area';
COMMENT ON COLUMN ideal_bi.group_crime_area.is_primary IS 'True for the group''s primary crime area';

CREATE VIEW ideal_bi.group_country WITH (security_invoker = true) AS
SELECT g.cycle AS cycle_code,
	   g.country::text AS country_code,
	   g.ref AS group_ref,
	   o::text AS operates_in_code,
	   ideal.country_alpha3(o) AS operates_in_alpha3,
	   ideal.country_name(o) AS operates_in_name
  FROM ideal.subject g
 CROSS JOIN LATERAL (SELECT DISTINCT u FROM pg_catalog.unnest(g.operates_in) AS u) AS d(o);
COMMENT ON VIEW ideal_bi.group_country IS
	'Countries each criminal group operates in: one row per group and country of operation';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_code IS 'Country of operation: ISO 3166-1 alpha-2 code';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_alpha3 IS 'Country of operation: ISO 3166-1 alpha-3 code';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_name IS 'Name of the country of operation';

CREATE VIEW ideal_bi.observation WITH (security_invoker = true) AS
SELECT o.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   o.country::text AS country_code,
	   ideal.country_alpha3(o.country) AS country_alpha3,
	   ideal.country_name(o.country) AS country_name,
	   o.subject_kind,
	   o.subject AS subject_code,
	   CASE o.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(o.subject)
					 THEN ideal.country_name(o.subject::ideal.country) END
	   END AS subject_name,
	   o.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   i."group" AS indicator_group,
	   o.answer,
	   o.value::numeric AS value,
	   o.is_unknown,
	   o.grading::text AS grading,
	   ideal.grading_system(o.grading) AS grading_system,
	   ideal.grading_source(o.grading) AS grading_source,
	   ideal.grading_information(o.grading) AS grading_information,
	   ideal.confidence(o.grading)::numeric AS confidence,
	   o.handling,
	   o.note,
	   o.loaded_at,
	   o.loaded_by::text AS loaded_by
  FROM ideal.observation o
  JOIN ideal.cycle c ON c.code = o.cycle
  LEFT JOIN ideal.indicator i
		 ON i.methodology = c.methodology AND i.code = o.indicator
  LEFT JOIN ideal.subject g
		 ON o.subject_kind = 'group' AND g.cycle = o.cycle
		AND g.country OPERATOR(ideal.=) o.country AND g.ref = o.subject
  LEFT JOIN ideal.crime_area a
		 ON o.subject_kind = 'crime_area' AND a.methodology = c.methodology
		AND a.code = o.subject;
COMMENT ON VIEW ideal_bi.observation IS
	'Observations: one row per answer of a reporting country about a subject and an indicator';
COMMENT ON COLUMN ideal_bi.observation.answer IS 'The answer exactly as submitted';
COMMENT ON COLUMN ideal_bi.observation.value IS 'The answer as a number on its scale; NULL for an unknown that scores nothing';
COMMENT ON COLUMN ideal_bi.observation.is_unknown IS 'True when the answer was "unknown"';
COMMENT ON COLUMN ideal_bi.observation.grading IS 'Source and information evaluation in canonical text form (Admiralty B2, Europol EU:B2:H1, ...); NULL when not graded';
COMMENT ON COLUMN ideal_bi.observation.grading_system IS 'Grading system: admiralty, europol, uk3x5x2 or uk5x5x5';
COMMENT ON COLUMN ideal_bi.observation.grading_source IS 'Source evaluation code of the grading';
COMMENT ON COLUMN ideal_bi.observation.grading_information IS 'Information evaluation code of the grading';
COMMENT ON COLUMN ideal_bi.observation.confidence IS 'Default confidence weight of the grading, 0 to 1; NULL when not graded';
COMMENT ON COLUMN ideal_bi.observation.handling IS 'Handling code given with the answer';
COMMENT ON COLUMN ideal_bi.observation.note IS 'Free note given with the answer';
COMMENT ON COLUMN ideal_bi.observation.loaded_at IS 'When the answer was loaded or last changed';
COMMENT ON COLUMN ideal_bi.observation.loaded_by IS 'Database role that loaded the answer';

CREATE VIEW ideal_bi.rejected_row WITH (security_invoker = true) AS
SELECT r.target,
	   r.cycle AS cycle_code,
	   r.country AS country_code,
	   CASE WHEN ideal.is_valid_country(r.country)
			THEN ideal.country_name(r.country::ideal.country) END AS country_name,
	   r.subject AS subject_code,
	   r.indicator AS indicator_code,
	   r.answer,
	   r.sqlstate,
	   r.message,
	   r.detail,
	   r.hint,
	   r.rejected_at,
	   r.rejected_by::text AS rejected_by
  FROM ideal.rejected r;
COMMENT ON VIEW ideal_bi.rejected_row IS
	'Rows refused at intake while ideal.on_invalid = reject, with the reason: one row per refused row';
COMMENT ON COLUMN ideal_bi.rejected_row.target IS 'Table or view the row was sent to';
COMMENT ON COLUMN ideal_bi.rejected_row.country_code IS 'Reporting country as submitted (normally ISO 3166-1 alpha-2)';
COMMENT ON COLUMN ideal_bi.rejected_row.subject_code IS 'Subject as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.indicator_code IS 'Indicator as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.answer IS 'Answer as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.sqlstate IS 'SQLSTATE of the refusal';
COMMENT ON COLUMN ideal_bi.rejected_row.message IS 'Why the row was refused';
COMMENT ON COLUMN ideal_bi.rejected_row.detail IS 'Detail of the refusal: the row and the value';
COMMENT ON COLUMN ideal_bi.rejected_row.hint IS 'How to fix the row';
COMMENT ON COLUMN ideal_bi.rejected_row.rejected_at IS 'When the row was refused';
COMMENT ON COLUMN ideal_bi.rejected_row.rejected_by IS 'Database role that sent the row';

CREATE VIEW ideal_bi.observation_history WITH (security_invoker = true) AS
SELECT h.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   h.country::text AS country_code,
	   ideal.country_alpha3(h.country) AS country_alpha3,
	   ideal.country_name(h.country) AS country_name,
	   h.subject_kind,
	   h.subject AS subject_code,
	   h.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   h.answer,
	   h.value::numeric AS value,
	   h.is_unknown,
	   h.grading::text AS grading,
	   h.handling,
	   h.note,
	   h.loaded_at,
	   h.loaded_by::text AS loaded_by,
	   h.operation,
	   h.changed_at,
	   h.changed_by::text AS changed_by
  FROM ideal.observation_history h
  JOIN ideal.cycle c ON c.code = h.cycle
  LEFT JOIN ideal.indicator i
		 ON i.methodology = c.methodology AND i.code = h.indicator;
COMMENT ON VIEW ideal_bi.observation_history IS
	'Earlier versions of observations: one row per version replaced by an update or removed by a delete';
COMMENT ON COLUMN ideal_bi.observation_history.answer IS 'The answer of this version, as submitted';
COMMENT ON COLUMN ideal_bi.observation_history.value IS 'The answer of this version as a number on its scale';
COMMENT ON COLUMN ideal_bi.observation_history.is_unknown IS 'True when this version answered "unknown"';
COMMENT ON COLUMN ideal_bi.observation_history.grading IS 'Grading of this version, canonical text';
COMMENT ON COLUMN ideal_bi.observation_history.handling IS 'Handling code of this version';
COMMENT ON COLUMN ideal_bi.observation_history.note IS 'Note of this version';
COMMENT ON COLUMN ideal_bi.observation_history.loaded_at IS 'When this version became current';
COMMENT ON COLUMN ideal_bi.observation_history.loaded_by IS 'Role that loaded this version';
COMMENT ON COLUMN ideal_bi.observation_history.operation IS 'UPDATE, DELETE or TRUNCATE: what ended this version';
COMMENT ON COLUMN ideal_bi.observation_history.changed_at IS 'When this version stopped being current';
COMMENT ON COLUMN ideal_bi.observation_history.changed_by IS 'Role that changed or deleted it';

CREATE VIEW ideal_bi.figure WITH (security_invoker = true) AS
SELECT f.cycle AS cycle_code,
	   f.methodology AS methodology_code,
	   f.country::text AS country_code,
	   ideal.country_alpha3(f.country) AS country_alpha3,
	   ideal.country_name(f.country) AS country_name,
	   f.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   f.quantity,
	   f.unit,
	   f.year,
	   f.item,
	   (SELECT pg_catalog.string_agg(e.key || '=' || e.value, '; '
									 ORDER BY e.key)
		  FROM pg_catalog.jsonb_each_text(f.breakdown) AS e) AS breakdown,
	   f.value_text,
	   f.value,
	   pg_catalog.array_to_string(f.flags, ', ') AS flags,
	   f.source,
	   f.source_ref,
	   f.note,
	   f.loaded_at
  FROM ideal.figure f
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = f.methodology AND a.code = f.crime_area;
COMMENT ON VIEW ideal_bi.figure IS
	'Quantitative facts per country and crime area (seizures, victims, cases) as reported, one row per figure: never summed across units or sources';
COMMENT ON COLUMN ideal_bi.figure.cycle_code IS 'Cycle of the submission the figure belongs to; NULL for figures from other sources';
COMMENT ON COLUMN ideal_bi.figure.methodology_code IS 'Methodology whose crime areas classify the figure';
COMMENT ON COLUMN ideal_bi.figure.quantity IS 'What was counted: seizures, victims, persons_convicted, offences, ...';
COMMENT ON COLUMN ideal_bi.figure.unit IS 'Unit as reported: kg, Counts, persons, ...';
COMMENT ON COLUMN ideal_bi.figure.year IS 'Year the figure refers to';
COMMENT ON COLUMN ideal_bi.figure.item IS 'What the figure is about within the crime area (a drug, a category); empty when none';
COMMENT ON COLUMN ideal_bi.figure.breakdown IS 'Other dimensions as reported, "key=value" pairs separated by "; " (drug group, sex, age, ...)';
COMMENT ON COLUMN ideal_bi.figure.value_text IS 'The value exactly as the source wrote it';
COMMENT ON COLUMN ideal_bi.figure.value IS 'The value as a number; NULL when suppressed or when the source disagrees with itself';
COMMENT ON COLUMN ideal_bi.figure.flags IS 'What is odd about the figure, comma-separated: suppressed, separator_guessed, source_disagrees, ...';
COMMENT ON COLUMN ideal_bi.figure.source IS 'Who published or submitted the figure';
COMMENT ON COLUMN ideal_bi.figure.source_ref IS 'Where in the source: file and line, table, page';
COMMENT ON COLUMN ideal_bi.figure.note IS 'Free note';
COMMENT ON COLUMN ideal_bi.figure.loaded_at IS 'When the figure was loaded';
