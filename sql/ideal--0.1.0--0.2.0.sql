-- ideal--0.1.0--0.2.0.sql: update of the ideal extension from 0.1.0

\echo Use "ALTER EXTENSION ideal UPDATE TO '0.2.0'" to load this file. \quit

--------------------------------------------------------------------------
-- Plain pg_restore: rows restored with "checked" true are not checked again
--------------------------------------------------------------------------

-- Every row already stored was checked by the 0.1.0 triggers: the column
-- comes in as true for them (no table rewrite), false for new rows.
ALTER TABLE ideal.subject ADD COLUMN checked boolean NOT NULL DEFAULT true;
ALTER TABLE ideal.subject ALTER COLUMN checked SET DEFAULT false;
COMMENT ON COLUMN ideal.subject.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

ALTER TABLE ideal.observation ADD COLUMN checked boolean NOT NULL DEFAULT true;
ALTER TABLE ideal.observation ALTER COLUMN checked SET DEFAULT false;
COMMENT ON COLUMN ideal.observation.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

ALTER TABLE ideal.figure ADD COLUMN checked boolean NOT NULL DEFAULT true;
ALTER TABLE ideal.figure ALTER COLUMN checked SET DEFAULT false;
COMMENT ON COLUMN ideal.figure.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

-- ideal.observation has one column more: its earlier versions too
CREATE OR REPLACE FUNCTION ideal.observation_as_of(cycle text, at timestamptz)
	RETURNS SETOF ideal.observation
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT o.* FROM ideal.observation o
	 WHERE o.cycle OPERATOR(pg_catalog.=) $1
	   AND o.loaded_at OPERATOR(pg_catalog.<=) $2
	UNION ALL
	SELECT h.id, h.cycle, h.country, h.subject_kind, h.subject, h.indicator,
		   h.answer, h.value, h.is_unknown, h.grading, h.handling, h.note,
		   h.loaded_at, h.loaded_by, true
	  FROM ideal.observation_history h
	 WHERE h.cycle OPERATOR(pg_catalog.=) $1
	   AND h.loaded_at OPERATOR(pg_catalog.<=) $2
	   AND h.changed_at OPERATOR(pg_catalog.>) $2
$$;
ALTER FUNCTION ideal.observation_as_of(text, timestamptz)
	SET search_path = pg_catalog, pg_temp;

-- a rejected row goes back only to an intake table or view, with the
-- rights of the role that sent it, without the id, times, role and
-- "checked" its stored form may claim; one that cannot go stays, with why
CREATE OR REPLACE FUNCTION ideal.load_rejected(ids bigint[] DEFAULT NULL)
	RETURNS TABLE (reloaded bigint, rejected_again bigint)
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog SET ideal.on_invalid = 'reject' AS $$
DECLARE
	r record;
	n bigint;
	target regclass;
	is_wide boolean;
	cols text;
	cols_of regclass;			-- the target whose columns cols lists
	caller name := current_user;
	e_state text;
	e_message text;
	e_detail text;
BEGIN
	reloaded := 0;
	rejected_again := 0;
	FOR r IN SELECT x.* FROM ideal.rejected x
			  WHERE ids IS NULL OR x.id = ANY (ids)
			  ORDER BY x.id FOR UPDATE
	LOOP
		BEGIN
			DELETE FROM ideal.rejected x WHERE x.id = r.id;
			-- target and submitted can be edited: only the extension's
			-- intake tables and views take a row back
			target := r.target::regclass;
			is_wide := EXISTS (SELECT 1 FROM ideal.intake_view v
								WHERE v.intake_view = target);
			IF target NOT IN ('ideal.observation'::regclass,
							  'ideal.subject'::regclass,
							  'ideal.figure'::regclass,
							  'ideal.observation_intake'::regclass,
							  'ideal.subject_intake'::regclass,
							  'ideal.figure_intake'::regclass)
			   AND NOT is_wide THEN
				RAISE EXCEPTION 'rejected row % names "%", which takes no rows',
					r.id, r.target
					USING ERRCODE = 'wrong_object_type';
			END IF;
			-- sent again with the rights of the role that first sent it, so
			-- that its grants and row-level security apply whoever reloads
			EXECUTE format('SET LOCAL ROLE %I', r.rejected_by);
			IF r.indicator IS NOT NULL AND is_wide THEN
				-- one refused cell of a wide row: load that answer in long form
				INSERT INTO ideal.observation_intake
					(cycle, country, subject, indicator, answer, grading, handling, note)
				VALUES (r.submitted->>'cycle', r.submitted->>'country',
						r.submitted->>'subject', r.indicator,
						r.submitted->>r.indicator, r.submitted->>'grading',
						r.submitted->>'handling', r.submitted->>'note');
			ELSE
				-- the row's own columns only: id, loaded_at, loaded_by and
				-- checked take their defaults, whatever submitted says
				IF cols_of IS DISTINCT FROM target THEN
					SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
					  INTO cols
					  FROM pg_attribute a
					 WHERE a.attrelid = target AND a.attnum > 0
					   AND NOT a.attisdropped AND a.attgenerated = ''
					   AND a.attname NOT IN ('id', 'loaded_at', 'loaded_by', 'checked');
					cols_of := target;
				END IF;
				EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM jsonb_populate_record(NULL::%s, $1)',
							   target, cols, cols, target)
					USING r.submitted;
			END IF;
			GET DIAGNOSTICS n = ROW_COUNT;
			EXECUTE format('SET LOCAL ROLE %I', caller);
		EXCEPTION WHEN data_exception OR integrity_constraint_violation
					OR syntax_error_or_access_rule_violation
					OR invalid_schema_name
					OR object_not_in_prerequisite_state THEN
			-- a row the target cannot take as it stands (unreadable, not
			-- for an intake table, refused to its sender): it stays, with
			-- why, and the others go on
			GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE,
				e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL;
			UPDATE ideal.rejected x
			   SET sqlstate = e_state, message = e_message,
				   detail = nullif(e_detail, ''),
				   hint = 'Correct ideal.rejected.submitted (it is read with jsonb_populate_record into the target''s columns) and call ideal.load_rejected() again.',
				   rejected_at = now()
			 WHERE x.id = r.id;
			n := 0;
		END;
		IF n > 0 THEN
			reloaded := reloaded + 1;
		ELSE
			rejected_again := rejected_again + 1;
		END IF;
	END LOOP;
	RETURN NEXT;
END $$;
COMMENT ON FUNCTION ideal.load_rejected(bigint[]) IS
	'Loads rejected rows again, as they now stand in ideal.rejected.submitted (all, or those with the ids given): each is removed and sent to its intake table or view again with the rights of the role that first sent it; rows still invalid are rejected anew';

--------------------------------------------------------------------------
-- Stored scores: currency by the cycle's revision, not its row's address
--------------------------------------------------------------------------

ALTER TABLE ideal.cycle ADD COLUMN revision bigint NOT NULL DEFAULT 1;
COMMENT ON COLUMN ideal.cycle.revision IS
	'Counts the updates of the cycle row (status changes included); kept by dumps, so stored scores stay current after a restore';

CREATE OR REPLACE FUNCTION ideal.cycle_guard() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF EXISTS (SELECT 1 FROM ideal.observation o WHERE o.cycle = OLD.code) THEN
			RAISE EXCEPTION 'cycle "%" has observations', OLD.code
				USING ERRCODE = 'dependent_objects_still_exist',
					DETAIL = 'Deleting the cycle would orphan its submissions.',
					HINT = 'Cycles with data are closed, not deleted.';
		END IF;
		RETURN OLD;
	END IF;
	IF NEW.code <> OLD.code OR NEW.methodology <> OLD.methodology THEN
		RAISE EXCEPTION 'cycle "%" cannot change its code or methodology', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'Its observations were validated against its methodology.',
				HINT = 'Open a new cycle instead.';
	END IF;
	IF OLD.status = 'published' AND NEW.status <> 'published' THEN
		RAISE EXCEPTION 'cycle "%" is published', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'A published cycle never changes status.',
				HINT = 'Corrections belong in a new cycle.';
	END IF;
	IF OLD.status = 'open' AND NEW.status = 'published' THEN
		RAISE EXCEPTION 'cycle "%" must be closed before it is published', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'Its status is open.',
				HINT = 'Close it first: UPDATE ideal.cycle SET status = ''closed''.';
	END IF;
	NEW.revision := OLD.revision + 1;
	IF NEW.status = 'closed' AND OLD.status = 'open' THEN
		NEW.closed_at := now();
	ELSIF NEW.status = 'published' AND OLD.status = 'closed' THEN
		NEW.published_at := now();
	END IF;
	RETURN NEW;
END $$;
ALTER FUNCTION ideal.cycle_guard() SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp;

-- a snapshot that was current under 0.1.0 (its cycle row unmoved) is
-- current at revision 1; any other is stale (revision 0 never matches)
ALTER TABLE ideal.score_refresh ADD COLUMN cycle_revision bigint NOT NULL DEFAULT 0;
UPDATE ideal.score_refresh r SET cycle_revision = k.revision
  FROM ideal.cycle k
 WHERE k.code = r.cycle AND r.cycle_row = k.ctid;
ALTER TABLE ideal.score_refresh ALTER COLUMN cycle_revision DROP DEFAULT;

CREATE OR REPLACE VIEW ideal.score_snapshot_status AS
SELECT k.code AS cycle, k.status, r.refreshed_at, r.refreshed_by, r.rows,
	   (r.cycle IS NOT NULL AND r.cycle_status <> 'open'
		AND k.status <> 'open'
		AND r.cycle_revision = k.revision) AS current,
	   CASE WHEN r.cycle IS NULL THEN 'never stored'
			WHEN k.status = 'open' THEN 'cycle is open: its observations may change'
			WHEN r.cycle_status = 'open' THEN 'stored while the cycle was open'
			WHEN r.cycle_revision <> k.revision
				THEN 'cycle changed since (reopened or updated)'
	   END AS note
  FROM ideal.cycle k
  LEFT JOIN ideal.score_refresh r ON r.cycle = k.code;

ALTER TABLE ideal.score_refresh DROP COLUMN cycle_row;

CREATE OR REPLACE FUNCTION ideal.refresh_scores(cycle text DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
	total bigint := 0;
	c record;
BEGIN
	IF refresh_scores.cycle IS NOT NULL AND NOT EXISTS
		(SELECT 1 FROM ideal.cycle k WHERE k.code = refresh_scores.cycle) THEN
		RAISE EXCEPTION 'cycle "%" does not exist', refresh_scores.cycle
			USING ERRCODE = 'undefined_object',
				  HINT = 'Cycles are listed in ideal.cycle; without an argument every cycle is refreshed.';
	END IF;
	-- one refresh at a time; readers keep seeing the previous snapshot
	LOCK TABLE ideal.subject_score_snapshot IN SHARE ROW EXCLUSIVE MODE;
	FOR c IN SELECT k.code, k.status, k.revision FROM ideal.cycle k
			  WHERE refresh_scores.cycle IS NULL OR k.code = refresh_scores.cycle
			  ORDER BY k.code
	LOOP
		DELETE FROM ideal.subject_score_snapshot s WHERE s.cycle = c.code;
		INSERT INTO ideal.subject_score_snapshot
		SELECT s.cycle, s.methodology, s.country, s.subject_kind, s.subject,
			   s.composite, s.score, s.normalised, s.confidence, s.answered,
			   s.expected, s.unknowns, s.coverage, s.level, s.exact,
			   s.headline, s.reliable, s.caveat, now()
		  FROM ideal.subject_score s
		 WHERE s.cycle = c.code;
		GET DIAGNOSTICS n = ROW_COUNT;
		INSERT INTO ideal.score_refresh AS r
			(cycle, cycle_status, cycle_revision, refreshed_at, refreshed_by,
			 rows, observations)
		VALUES (c.code, c.status, c.revision, now(), session_user, n,
				(SELECT count(*) FROM ideal.observation o WHERE o.cycle = c.code))
		ON CONFLICT ON CONSTRAINT score_refresh_pkey DO UPDATE
			SET cycle_status = excluded.cycle_status,
				cycle_revision = excluded.cycle_revision,
				refreshed_at = excluded.refreshed_at,
				refreshed_by = excluded.refreshed_by,
				rows = excluded.rows,
				observations = excluded.observations;
		total := total + n;
	END LOOP;
	-- cycles that no longer exist leave nothing behind
	IF refresh_scores.cycle IS NULL THEN
		DELETE FROM ideal.subject_score_snapshot s
		 WHERE NOT EXISTS (SELECT 1 FROM ideal.cycle k WHERE k.code = s.cycle);
		DELETE FROM ideal.score_refresh r
		 WHERE NOT EXISTS (SELECT 1 FROM ideal.cycle k WHERE k.code = r.cycle);
	END IF;
	RETURN total;
END $$;

--------------------------------------------------------------------------
-- Mean confidence and coverage in numeric: the same whatever the rows' order
--------------------------------------------------------------------------

CREATE OR REPLACE VIEW ideal.regional_picture AS
WITH area AS (
	SELECT e.cycle, c.methodology, e.country, e.subject AS crime_area,
		   r.composite, r.score, r.confidence, r.coverage, r.unknowns,
		   ideal.score_caveat(r.score, r.answered, r.expected, r.coverage,
							  r.confidence) AS caveat
	  FROM (SELECT o.cycle, o.country, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 WHERE o.subject_kind = 'crime_area'
			 GROUP BY o.cycle, o.country, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = 'crime_area'
	   AND h.composite = r.composite
), region AS (
	SELECT a.cycle, a.methodology, a.crime_area, a.composite,
		   count(*)::integer AS countries,
		   (count(*) FILTER (WHERE a.score IS NOT NULL))::integer AS scored_countries,
		   ideal.summarize(a.score::float8, 1.0,
						   coalesce(a.confidence, 1.0)) AS summary,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(a.confidence::numeric)::float8 AS confidence,
		   avg(a.coverage::numeric)::float8 AS coverage,
		   sum(a.unknowns)::integer AS unknowns,
		   (count(*) FILTER (WHERE a.caveat IS NOT NULL))::integer AS weak_countries
	  FROM area a
	 GROUP BY a.cycle, a.methodology, a.crime_area, a.composite
), scored AS (
	SELECT g.*, ideal.score(g.summary) AS score
	  FROM region g
), flagged AS (
	SELECT s.*,
		   nullif(concat_ws('; ',
			   CASE WHEN s.scored_countries < 2
					THEN format('scored by %s country', s.scored_countries) END,
			   CASE WHEN s.weak_countries > 0
					THEN format('%s of %s country scores flagged',
								s.weak_countries, s.countries) END,
			   CASE WHEN s.confidence < 0.5
					THEN format('weakly graded: confidence %s',
								round(s.confidence::numeric, 2)) END), '')
			   AS caveat
	  FROM scored s
)
SELECT f.cycle, f.methodology, f.crime_area,
	   coalesce(ca.labels ->> current_setting('ideal.language', true),
				ca.labels ->> 'en') AS crime_area_name, f.composite,
	   f.countries, f.score, f.confidence,
	   ideal.band_level(f.methodology, f.composite, f.score) AS level,
	   rank() OVER (PARTITION BY f.cycle ORDER BY f.score DESC NULLS LAST) AS rank,
	   f.scored_countries,
	   ideal.min_value(f.summary) AS min_score,
	   ideal.max_value(f.summary) AS max_score,
	   f.coverage, f.unknowns, f.weak_countries,
	   (f.caveat IS NULL) AS reliable, f.caveat,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle AND g.primary_area = f.crime_area) AS groups_primary,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle
		   AND (g.primary_area = f.crime_area
				OR f.crime_area = ANY (g.crime_areas))) AS groups_involved
  FROM flagged f
  LEFT JOIN ideal.crime_area ca
		 ON ca.methodology = f.methodology AND ca.code = f.crime_area;

CREATE OR REPLACE VIEW ideal.country_gaps AS
WITH subj AS (
	SELECT o.cycle, o.country, o.subject_kind, o.subject
	  FROM ideal.observation o
	UNION
	SELECT g.cycle, g.country, 'group', g.ref
	  FROM ideal.subject g
), req_ind AS (
	SELECT i.methodology, i.kind, i.code
	  FROM ideal.indicator i
	 WHERE i.required
		OR NOT EXISTS (SELECT 1 FROM ideal.indicator r
						WHERE r.methodology = i.methodology
						  AND r.kind = i.kind AND r.required)
), req AS (
	SELECT q.methodology, q.kind, count(*) AS n
	  FROM req_ind q
	 GROUP BY q.methodology, q.kind
), expected AS (
	SELECT s.cycle, s.country, count(*)::integer AS subjects,
		   coalesce(sum(q.n), 0)::integer AS required_answers
	  FROM subj s
	  JOIN ideal.cycle c ON c.code = s.cycle
	  LEFT JOIN req q ON q.methodology = c.methodology AND q.kind = s.subject_kind
	 GROUP BY s.cycle, s.country
), answers AS (
	SELECT o.cycle, o.country, count(*)::integer AS answers,
		   count(q.code)::integer AS required_present,
		   (count(*) FILTER (WHERE o.is_unknown))::integer AS unknowns,
		   (count(*) FILTER (WHERE o.grading IS NOT NULL))::integer AS graded,
		   (count(*) FILTER (WHERE NOT o.is_unknown
							   AND ideal.weak_grading(o.grading)))::integer AS weak_gradings,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(ideal.confidence(o.grading)::numeric)::float8 AS confidence
	  FROM ideal.observation o
	  JOIN ideal.cycle c ON c.code = o.cycle
	  LEFT JOIN req_ind q ON q.methodology = c.methodology AND q.code = o.indicator
	 GROUP BY o.cycle, o.country
), headline AS (
	SELECT e.cycle, e.country,
		   (count(*) FILTER (WHERE ideal.score_caveat(r.score, r.answered,
							   r.expected, r.coverage, r.confidence)
							   IS NOT NULL))::integer AS flagged_scores
	  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = e.subject_kind
	   AND h.composite = r.composite
	 GROUP BY e.cycle, e.country
)
SELECT x.cycle, c.methodology, x.country, x.subjects, x.required_answers,
	   x.required_answers - coalesce(a.required_present, 0) AS missing,
	   coalesce(a.unknowns, 0) AS unknowns,
	   coalesce(a.weak_gradings, 0) AS weak_gradings,
	   coalesce(a.answers, 0) AS answers,
	   coalesce(a.graded, 0) AS graded,
	   a.confidence,
	   CASE WHEN x.required_answers > 0 THEN
		   (x.required_answers - coalesce(a.required_present, 0))::float8
		   / x.required_answers
	   END AS missing_share,
	   coalesce(h.flagged_scores, 0) AS flagged_scores
  FROM expected x
  JOIN ideal.cycle c ON c.code = x.cycle
  LEFT JOIN answers a ON a.cycle = x.cycle AND a.country = x.country
  LEFT JOIN headline h ON h.cycle = x.cycle AND h.country = x.country;

--------------------------------------------------------------------------
-- ideal_bi.data_dictionary: the comments as rows, for drivers that drop them
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
GRANT SELECT ON ideal_bi.data_dictionary TO PUBLIC;
