-- The validation of ideal.observation_check written in PL/pgSQL, as a
-- careful PL/pgSQL author would write it: the methodology is looked up with
-- queries on the catalog tables for each row (cycle and its methodology,
-- membership, indicator by code or else by any label case-insensitively,
-- crime area by code or label, the group in ideal.subject, the answer on
-- the scale's levels, labels and aliases or its unknown spellings, the
-- grading's system), and the row is normalised the same way (indicator and
-- crime area stored as codes, subject_kind, value, is_unknown, handling
-- from the grading), so that both triggers store the same rows from the
-- same file.  Numeric scales are handled too (decimal comma, range, step).
-- Left out, in PL/pgSQL's favour: accent-insensitive matching (the
-- benchmark file spells accents as the methodology does), the full
-- handling-code grammar, and the explicit probe for a second answer that
-- the C trigger makes before the unique index would refuse it anyway.
-- The detail of every error names the row; built only when one is raised.
CREATE FUNCTION bench.row_context(cycle text, country text, subject text,
								  indicator text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT format('Row: cycle "%s", country %s, subject "%s", indicator "%s".',
				  cycle, country, subject, indicator)
$$;

CREATE FUNCTION bench.observation_check_plpgsql() RETURNS trigger
LANGUAGE plpgsql SET search_path = ideal, pg_catalog AS $$
DECLARE
	cyc record;
	ind record;
	sc record;
	ind_text text := lower(btrim(NEW.indicator));
	ans text := lower(btrim(NEW.answer));
	subj text := btrim(NEW.subject);
	k float8;
BEGIN
	IF NEW.cycle IS NULL OR NEW.country IS NULL OR NEW.subject IS NULL
	   OR NEW.indicator IS NULL OR NEW.answer IS NULL THEN
		RAISE EXCEPTION 'observation has a missing value'
			USING ERRCODE = 'not_null_violation',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	SELECT c.status, c.methodology, m.gradings INTO cyc
	  FROM ideal.cycle c JOIN ideal.methodology m ON m.code = c.methodology
	 WHERE c.code = NEW.cycle;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'cycle "%" does not exist', NEW.cycle
			USING ERRCODE = 'foreign_key_violation',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;
	IF cyc.status <> 'open' THEN
		RAISE EXCEPTION 'cycle "%" is %', NEW.cycle, cyc.status
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	IF NOT EXISTS (SELECT 1 FROM ideal.member mb
					WHERE mb.methodology = cyc.methodology
					  AND mb.country = NEW.country) THEN
		RAISE EXCEPTION 'country % is not a member of methodology "%"',
			NEW.country, cyc.methodology
			USING ERRCODE = 'check_violation',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	-- the indicator: by its code through the primary key, else by any label
	SELECT i.code, i.kind, i.scale, i.allow_unknown INTO ind
	  FROM ideal.indicator i
	 WHERE i.methodology = cyc.methodology AND i.code = NEW.indicator;
	IF NOT FOUND THEN
		SELECT i.code, i.kind, i.scale, i.allow_unknown INTO ind
		  FROM ideal.indicator i
		 WHERE i.methodology = cyc.methodology
		   AND (lower(i.code) = ind_text
				OR EXISTS (SELECT 1 FROM jsonb_each_text(i.labels) l
							WHERE lower(l.value) = ind_text));
		IF NOT FOUND THEN
			RAISE EXCEPTION 'unknown indicator "%" in methodology "%"',
				NEW.indicator, cyc.methodology
				USING ERRCODE = 'invalid_parameter_value',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
	END IF;
	IF NEW.subject_kind IS NOT NULL AND NEW.subject_kind <> ind.kind THEN
		RAISE EXCEPTION 'indicator "%" is about subjects of kind %, not %',
			ind.code, ind.kind, NEW.subject_kind
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	-- the subject in its canonical form
	IF ind.kind = 'crime_area' THEN
		SELECT a.code INTO subj
		  FROM ideal.crime_area a
		 WHERE a.methodology = cyc.methodology
		   AND (a.code = lower(subj)
				OR EXISTS (SELECT 1 FROM jsonb_each_text(a.labels) l
							WHERE lower(l.value) = lower(subj)));
		IF NOT FOUND THEN
			RAISE EXCEPTION 'unknown crime area "%" in methodology "%"',
				NEW.subject, cyc.methodology
				USING ERRCODE = 'invalid_parameter_value',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
	ELSIF ind.kind = 'country' THEN
		IF NOT ideal.is_valid_country(subj) THEN
			RAISE EXCEPTION 'subject "%" is not a country', NEW.subject
				USING ERRCODE = 'invalid_parameter_value',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
		subj := subj::ideal.country::text;
	ELSIF subj = '' THEN
		RAISE EXCEPTION 'observation has an empty subject'
			USING ERRCODE = 'not_null_violation',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	ELSIF NOT EXISTS (SELECT 1 FROM ideal.subject g
					   WHERE g.cycle = NEW.cycle AND g.country = NEW.country
						 AND g.ref = subj) THEN
		RAISE EXCEPTION 'group "%" is not a subject of country % in cycle "%"',
			subj, NEW.country, NEW.cycle
			USING ERRCODE = 'foreign_key_violation',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	-- the answer on the indicator's scale
	SELECT s.kind, s.min, s.max, s.step, s.unknown_allowed, s.unknown_value,
		   (s.unknown_allowed AND
			(EXISTS (SELECT 1 FROM jsonb_each_text(s.unknown_labels) l
					  WHERE lower(l.value) = ans)
			 OR EXISTS (SELECT 1 FROM unnest(s.unknown_aliases) a
						 WHERE lower(a) = ans))) AS is_unknown
	  INTO sc
	  FROM ideal.scale s
	 WHERE s.methodology = cyc.methodology AND s.code = ind.scale;
	NEW.is_unknown := sc.is_unknown;
	IF sc.is_unknown THEN
		IF NOT ind.allow_unknown THEN
			RAISE EXCEPTION 'indicator "%" does not accept unknown', ind.code
				USING ERRCODE = 'null_value_not_allowed',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
		NEW.value := sc.unknown_value;
	ELSIF sc.kind = 'ordinal' THEN
		SELECT l.value INTO NEW.value
		  FROM ideal.scale_level l
		 WHERE l.methodology = cyc.methodology AND l.scale = ind.scale
		   AND (lower(l.code) = ans
				OR EXISTS (SELECT 1 FROM jsonb_each_text(l.labels) x
							WHERE lower(x.value) = ans)
				OR EXISTS (SELECT 1 FROM unnest(l.aliases) a
							WHERE lower(a) = ans));
		IF NOT FOUND THEN
			RAISE EXCEPTION 'answer "%" is not on the scale of indicator "%"',
				NEW.answer, ind.code
				USING ERRCODE = 'invalid_parameter_value',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
	ELSE
		IF ans !~ '^[-+]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([e][-+]?[0-9]+)?$' THEN
			RAISE EXCEPTION 'answer "%" to indicator "%" is not a number',
				NEW.answer, ind.code
				USING ERRCODE = 'invalid_text_representation',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
		NEW.value := replace(ans, ',', '.')::float8;
		IF NEW.value < sc.min OR NEW.value > sc.max THEN
			RAISE EXCEPTION 'answer % to indicator "%" is out of range',
				NEW.answer, ind.code
				USING ERRCODE = 'numeric_value_out_of_range',
					DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
											   NEW.subject, NEW.indicator);
		END IF;
		IF sc.step > 0 THEN
			k := (NEW.value - sc.min) / sc.step;
			IF abs(k - round(k)) > 1e-9 * greatest(1.0, abs(k)) THEN
				RAISE EXCEPTION 'answer % to indicator "%" is not on a step of the scale',
					NEW.answer, ind.code
					USING ERRCODE = 'invalid_parameter_value',
						DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
												   NEW.subject, NEW.indicator);
			END IF;
		END IF;
	END IF;

	IF NEW.grading IS NOT NULL
	   AND NOT ideal.grading_system(NEW.grading) = ANY (cyc.gradings) THEN
		RAISE EXCEPTION 'grading system % is not accepted by methodology "%"',
			ideal.grading_system(NEW.grading), cyc.methodology
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	END IF;

	-- the handling code: from the grading when the column is empty
	IF coalesce(btrim(NEW.handling), '') = '' THEN
		NEW.handling := ideal.grading_handling(NEW.grading);
	ELSIF upper(btrim(NEW.handling)) NOT IN ('H0', 'H1', 'H2', 'H3', 'P', 'C', '1', '2', '3', '4', '5')
		  OR upper(btrim(NEW.handling)) <> coalesce(ideal.grading_handling(NEW.grading),
													upper(btrim(NEW.handling))) THEN
		RAISE EXCEPTION 'invalid handling code "%"', NEW.handling
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = bench.row_context(NEW.cycle, NEW.country::text,
										   NEW.subject, NEW.indicator);
	ELSE
		NEW.handling := upper(btrim(NEW.handling));
	END IF;

	NEW.indicator := ind.code;
	NEW.subject_kind := ind.kind;
	NEW.subject := subj;
	NEW.checked := true;
	RETURN NEW;
END $$;
