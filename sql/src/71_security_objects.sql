--------------------------------------------------------------------------
-- Access rules of the objects of the parts before this one.  A part that
-- adds a table or a view reading as its owner adds its own line:
--   SELECT ideal.set_access('schema.name', 'rule');
-- (tables of submitted rows need a column "country", and for rule
-- submission a column "cycle").  ideal.security_audit() lists what is
-- missing; the test suite requires it to be empty.
--------------------------------------------------------------------------

-- Functions of earlier parts that run with other rights or on every
-- country's rows, and what they must be:
--   loading and dropping methodologies run as the extension's owner, so
--   that the methodology owner needs no privilege on the catalog tables
--   (and cannot edit a loaded methodology), and the wide intake views a
--   load creates belong to the extension's owner;
--   the cycle guard must see every country's observations to refuse
--   deleting a cycle that has some, for an owner who reads none of them;
--   SQL functions that views reading as their owner call on every
--   country's rows pin their search_path: otherwise their unqualified
--   operators would resolve in the caller's schemas, and a look-alike
--   operator placed first would receive other countries' values.
-- pg_temp comes last: left out, it is searched first for type names.  A
-- function missing here (renamed by its part) is reported, not fatal;
-- ideal.security_audit() and the tests then say what is wrong.
DO $$
DECLARE
	f record;
	fn regprocedure;
BEGIN
	FOR f IN SELECT * FROM (VALUES
			('ideal.load_methodology(text)', true),
			('ideal.load_bundled(text)', true),
			('ideal.drop_methodology(text)', true),
			('ideal.cycle_guard()', true),
			('ideal.score_caveat(numeric, integer, integer, float8, float8, float8, float8, integer)', false),
			('ideal.weak_grading(ideal.grading, float8)', false),
			('ideal.methodologies_comparable(text, text)', false),
			('ideal.observation_as_of(text, timestamptz)', false)) v(name, definer)
	LOOP
		fn := pg_catalog.to_regprocedure(f.name);
		IF fn IS NULL THEN
			RAISE WARNING 'function "%" does not exist, left as it is', f.name;
			CONTINUE;
		END IF;
		EXECUTE pg_catalog.format('ALTER FUNCTION %s %s SET search_path = pg_catalog, pg_temp',
								  fn, CASE WHEN f.definer THEN 'SECURITY DEFINER' ELSE '' END);
	END LOOP;
END $$;

-- The one view of the reader role: the regional picture of published
-- cycles.  It leaves out the lowest and highest country scores, which are
-- single countries' figures.
CREATE VIEW ideal.published_picture AS
SELECT r.cycle, r.methodology, r.crime_area, r.crime_area_name, r.composite,
	   r.countries, r.score, r.confidence, r.level, r.rank, r.scored_countries,
	   r.coverage, r.unknowns, r.weak_countries, r.reliable, r.caveat,
	   r.groups_primary, r.groups_involved
  FROM ideal.regional_picture r
 WHERE EXISTS (SELECT 1 FROM ideal.cycle c
				WHERE c.code = r.cycle AND c.status = 'published');
COMMENT ON VIEW ideal.published_picture IS
	'Aggregate, published cycles only: ideal.regional_picture without the single-country minimum and maximum; what the reader role reads';

-- catalog: read by every job, written by the loader only
SELECT ideal.set_access('ideal.methodology', 'catalog');
SELECT ideal.set_access('ideal.scale', 'catalog');
SELECT ideal.set_access('ideal.scale_level', 'catalog');
SELECT ideal.set_access('ideal.crime_area', 'catalog');
SELECT ideal.set_access('ideal.typology', 'catalog');
SELECT ideal.set_access('ideal.indicator', 'catalog');
SELECT ideal.set_access('ideal.composite', 'catalog');
SELECT ideal.set_access('ideal.composite_input', 'catalog');
SELECT ideal.set_access('ideal.band', 'catalog');
SELECT ideal.set_access('ideal.member', 'catalog');
SELECT ideal.set_access('ideal.access', 'catalog');
SELECT ideal.set_access('ideal.headline_composite', 'catalog');
SELECT ideal.set_access('ideal.composite_leaf', 'catalog');
SELECT ideal.set_access('ideal.intake_view', 'catalog');

-- cycles and contact points: changed by the methodology owner
SELECT ideal.set_access('ideal.cycle', 'cycle');
SELECT ideal.set_access('ideal.contact_point', 'mapping');

-- submitted rows: row-level security by country
SELECT ideal.set_access('ideal.observation', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.subject', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.figure', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.rejected', 'worklist', 'rejected_by');
SELECT ideal.set_access('ideal.observation_history', 'history');
SELECT ideal.set_access('ideal.subject_score_snapshot', 'history');
SELECT ideal.set_access('ideal.score_refresh', 'private');

-- intake views: COPY and INSERT by contact points, checked by the policies
-- of the tables their triggers write (the wide views of each methodology
-- follow the same rule through ideal.intake_view)
SELECT ideal.set_access('ideal.observation_intake', 'intake');
SELECT ideal.set_access('ideal.subject_intake', 'intake');
SELECT ideal.set_access('ideal.figure_intake', 'intake');

-- per-subject views: security_invoker, so each reader sees its own rows
SELECT ideal.set_access('ideal.subject_score', 'own_view');
SELECT ideal.set_access('ideal.country_area_score', 'own_view');
SELECT ideal.set_access('ideal.group_matrix', 'own_view');
SELECT ideal.set_access('ideal.group_ranking', 'own_view');
SELECT ideal.set_access('ideal.intelligence_gap', 'own_view');
SELECT ideal.set_access('ideal.quadrant', 'own_view');
SELECT ideal.set_access('ideal.cycle_trend', 'own_view');
SELECT ideal.set_access('ideal.figure_repeats', 'own_view');

-- aggregates: read as their owner, so they count every row, restricted
-- ones included
SELECT ideal.set_access('ideal.regional_picture', 'aggregate');
SELECT ideal.set_access('ideal.country_gaps', 'oversight');
SELECT ideal.set_access('ideal.score_snapshot_status', 'aggregate');
SELECT ideal.set_access('ideal.published_picture', 'published');

-- functions
SELECT ideal.set_access('ideal.load_methodology(text)', 'owner_function');
SELECT ideal.set_access('ideal.load_bundled(text)', 'owner_function');
SELECT ideal.set_access('ideal.drop_methodology(text)', 'owner_function');
SELECT ideal.set_access('ideal.refresh_scores(text)', 'owner_function');
SELECT ideal.set_access('ideal.observation_as_of(text, timestamptz)', 'raw_function');
SELECT ideal.set_access('ideal.trend(text, text, integer)', 'raw_function');
SELECT ideal.set_access('ideal.load_rejected(bigint[])', 'raw_function');
SELECT ideal.set_access('ideal.cycle_guard()', 'superuser_function');
SELECT ideal.set_access('ideal.create_intake_views(text)', 'superuser_function');
SELECT ideal.set_access('ideal.drop_intake_views(text)', 'superuser_function');
SELECT ideal.set_access('ideal.create_roles()', 'superuser_function');
SELECT ideal.set_access('ideal.set_access(text, text, name)', 'superuser_function');
SELECT ideal.set_access('ideal.refuse_closed_delete()', 'superuser_function');
-- reviewed: its body names every operator and function with its schema, so
-- it may stay inlinable (it is created by the BI part, after this one)
INSERT INTO ideal.access (object, rule)
VALUES ('ideal.label_text(jsonb,text)', 'inlined_function');
