--------------------------------------------------------------------------
-- Cycles, subjects, observations, rejected rows
--------------------------------------------------------------------------

CREATE TABLE ideal.cycle (
	code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 63),
	methodology text NOT NULL REFERENCES ideal.methodology,
	title text,
	status text NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'closed', 'published')),
	opened_at timestamptz NOT NULL DEFAULT now(),
	closed_at timestamptz,
	published_at timestamptz,
	revision bigint NOT NULL DEFAULT 1
);
COMMENT ON TABLE ideal.cycle IS
	'Collection rounds: open accepts writes, closed and published refuse every change';
COMMENT ON COLUMN ideal.cycle.revision IS
	'Counts the updates of the cycle row (status changes included); kept by dumps, so stored scores stay current after a restore';

CREATE FUNCTION ideal.cycle_guard() RETURNS trigger
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
COMMENT ON FUNCTION ideal.cycle_guard() IS
	'Cycle life cycle: open <-> closed -> published; code and methodology fixed';

CREATE TRIGGER cycle_guard BEFORE UPDATE OR DELETE ON ideal.cycle
	FOR EACH ROW EXECUTE FUNCTION ideal.cycle_guard();

CREATE FUNCTION ideal.cache_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_cache_invalidate'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.cache_invalidate() IS
	'Statement trigger: tells every backend to reread cycles and methodologies';
CREATE TRIGGER cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON ideal.cycle FOR EACH STATEMENT EXECUTE FUNCTION ideal.cache_invalidate();
CREATE TRIGGER cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON ideal.methodology FOR EACH STATEMENT EXECUTE FUNCTION ideal.cache_invalidate();

CREATE TABLE ideal.subject (
	cycle text NOT NULL REFERENCES ideal.cycle,
	country ideal.country NOT NULL,
	ref text NOT NULL CHECK (btrim(ref) <> ''),
	name text,
	aliases text[] NOT NULL DEFAULT '{}',
	typology text,
	primary_area text,
	crime_areas text[] NOT NULL DEFAULT '{}',
	operates_in ideal.country[] NOT NULL DEFAULT '{}',
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user,
	checked boolean NOT NULL DEFAULT false,
	PRIMARY KEY (cycle, country, ref)
);
COMMENT ON TABLE ideal.subject IS
	'Criminal groups reported by a country in a cycle: reference, name, aliases, typology, crime areas, countries of operation; validated by ideal.subject_check';
COMMENT ON COLUMN ideal.subject.ref IS
	'The group''s reference, unique per cycle and country; observations name the group by it';
COMMENT ON COLUMN ideal.subject.typology IS
	'A typology of the cycle''s methodology, by code or label, stored as the code';
COMMENT ON COLUMN ideal.subject.primary_area IS
	'The one primary crime area, by code or label, stored as the code (NULL only where the methodology has no crime areas)';
COMMENT ON COLUMN ideal.subject.crime_areas IS
	'Other crime areas, stored as codes, each once, without the primary one';
COMMENT ON COLUMN ideal.subject.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

CREATE FUNCTION ideal.subject_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_subject_check'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.subject_check() IS
	'Row trigger: checks a group against its cycle''s methodology and normalises it';
CREATE TRIGGER subject_check BEFORE INSERT OR UPDATE OR DELETE
	ON ideal.subject FOR EACH ROW EXECUTE FUNCTION ideal.subject_check();

CREATE TABLE ideal.observation (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	cycle text NOT NULL,
	country ideal.country NOT NULL,
	subject_kind text,
	subject text NOT NULL,
	indicator text NOT NULL,
	answer text NOT NULL,
	value float8,
	is_unknown boolean NOT NULL DEFAULT false,
	grading ideal.grading,
	handling text,
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user,
	checked boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX observation_answer_key
	ON ideal.observation (cycle, country, subject_kind, subject, indicator);
COMMENT ON TABLE ideal.observation IS
	'One answer per row: (cycle, country, subject, indicator) -> answer; the trigger validates and normalises each row';
COMMENT ON COLUMN ideal.observation.indicator IS
	'Indicator code; on input also any of its labels, stored as the code';
COMMENT ON COLUMN ideal.observation.answer IS 'The answer as submitted';
COMMENT ON COLUMN ideal.observation.value IS
	'The answer on its scale, set by the trigger; NULL for an unknown that scores nothing';
COMMENT ON COLUMN ideal.observation.is_unknown IS
	'True when the answer was "unknown", set by the trigger';
COMMENT ON COLUMN ideal.observation.subject_kind IS
	'group, crime_area or country; set from the indicator by the trigger';
COMMENT ON COLUMN ideal.observation.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

CREATE FUNCTION ideal.observation_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_check'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_check() IS
	'Row trigger: checks an observation against its cycle''s methodology and normalises it';
CREATE TRIGGER observation_check BEFORE INSERT OR UPDATE OR DELETE
	ON ideal.observation FOR EACH ROW EXECUTE FUNCTION ideal.observation_check();

CREATE TABLE ideal.rejected (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	target text NOT NULL,
	cycle text,
	country text,
	subject text,
	indicator text,
	answer text,
	sqlstate text NOT NULL,
	message text NOT NULL,
	detail text,
	hint text,
	submitted jsonb NOT NULL,
	rejected_at timestamptz NOT NULL DEFAULT now(),
	rejected_by name NOT NULL DEFAULT current_user
);
CREATE INDEX rejected_target ON ideal.rejected (target, cycle, country);
COMMENT ON TABLE ideal.rejected IS
	'Rows refused while ideal.on_invalid = reject, whole and as submitted, with the reason';
COMMENT ON COLUMN ideal.rejected.target IS
	'Where the row was sent: a table, or an intake view';
COMMENT ON COLUMN ideal.rejected.submitted IS
	'The row as sent to the target, whole, as jsonb; for a wide intake view the whole row, with indicator and answer naming the refused cell';

--------------------------------------------------------------------------
-- Intake views: text columns only, so that COPY hands every row to the
-- trigger, which parses the types itself and rejects what does not parse
--------------------------------------------------------------------------

CREATE VIEW ideal.observation_intake WITH (security_invoker = true) AS
SELECT o.cycle, o.country::text AS country, o.subject, o.indicator, o.answer,
	   o.grading::text AS grading, o.handling, o.note
  FROM ideal.observation o;
COMMENT ON VIEW ideal.observation_intake IS
	'Long-form intake: COPY or INSERT rows of text here; each is parsed, validated and stored in ideal.observation, or refused as ideal.on_invalid says';

CREATE FUNCTION ideal.observation_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_intake() IS
	'INSTEAD OF INSERT trigger of ideal.observation_intake: parses country and grading, inserts into ideal.observation';
CREATE TRIGGER intake INSTEAD OF INSERT ON ideal.observation_intake
	FOR EACH ROW EXECUTE FUNCTION ideal.observation_intake();

CREATE VIEW ideal.subject_intake WITH (security_invoker = true) AS
SELECT s.cycle, s.country::text AS country, s.ref, s.name,
	   s.aliases::text AS aliases, s.typology, s.primary_area,
	   s.crime_areas::text AS crime_areas, s.operates_in::text AS operates_in,
	   s.note
  FROM ideal.subject s;
COMMENT ON VIEW ideal.subject_intake IS
	'Intake of criminal groups: COPY or INSERT rows of text here; lists are array literals ({a,b}) or items separated by commas (aliases: semicolons)';

CREATE FUNCTION ideal.subject_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_subject_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.subject_intake() IS
	'INSTEAD OF INSERT trigger of ideal.subject_intake: parses countries and lists, inserts into ideal.subject';
CREATE TRIGGER intake INSTEAD OF INSERT ON ideal.subject_intake
	FOR EACH ROW EXECUTE FUNCTION ideal.subject_intake();

--------------------------------------------------------------------------
-- History of observations: the previous row of every update and delete
--------------------------------------------------------------------------

CREATE TABLE ideal.observation_history (
	history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	operation text NOT NULL CHECK (operation IN ('UPDATE', 'DELETE', 'TRUNCATE')),
	changed_at timestamptz NOT NULL DEFAULT now(),
	changed_by name NOT NULL,
	id bigint NOT NULL,
	cycle text NOT NULL,
	country ideal.country NOT NULL,
	subject_kind text,
	subject text NOT NULL,
	indicator text NOT NULL,
	answer text NOT NULL,
	value float8,
	is_unknown boolean NOT NULL,
	grading ideal.grading,
	handling text,
	note text,
	loaded_at timestamptz NOT NULL,
	loaded_by name NOT NULL
);
CREATE INDEX observation_history_cycle
	ON ideal.observation_history (cycle, loaded_at, changed_at);
COMMENT ON TABLE ideal.observation_history IS
	'Previous versions of observations: the row as it was before each UPDATE, DELETE or TRUNCATE, with the operation, the role and the time';
COMMENT ON COLUMN ideal.observation_history.changed_at IS
	'When the version stopped being current (start of the changing transaction)';
COMMENT ON COLUMN ideal.observation_history.changed_by IS
	'The role that changed or deleted the row';
COMMENT ON COLUMN ideal.observation_history.loaded_at IS
	'When the version became current: its insert or its previous update';

CREATE FUNCTION ideal.observation_history() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_history'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_history() IS
	'Statement trigger: copies the previous rows of an UPDATE, DELETE or TRUNCATE of ideal.observation into ideal.observation_history';
CREATE TRIGGER observation_history_update AFTER UPDATE ON ideal.observation
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();
CREATE TRIGGER observation_history_delete AFTER DELETE ON ideal.observation
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();
CREATE TRIGGER observation_history_truncate BEFORE TRUNCATE ON ideal.observation
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();

CREATE FUNCTION ideal.observation_as_of(cycle text, at timestamptz)
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
COMMENT ON FUNCTION ideal.observation_as_of(text, timestamptz) IS
	'The observations of a cycle as they stood at a time: current rows loaded by then, and earlier versions current then';

--------------------------------------------------------------------------
-- Rejected rows: load them again after fixing
--------------------------------------------------------------------------

CREATE FUNCTION ideal.load_rejected(ids bigint[] DEFAULT NULL)
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
