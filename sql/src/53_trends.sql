--------------------------------------------------------------------------
-- Trends between cycles of comparable methodologies
--
-- Two methodologies are comparable when they share a composite: the same
-- code for the same subject kind (GI-TOC 2021, 2023 and 2025 share
-- criminal_markets, criminal_actors, criminality and resilience).  A
-- trend matches subjects by reporting country, kind and subject, and
-- composites by code.  Each side's score is the one its own methodology
-- gives (so it equals that edition's published figure); the indicators
-- under the composite may differ (GI-TOC 2021 has 10 markets, 2023 has 15):
-- the trend lists those shared and those on one side only, and also scores
-- both sides over the shared indicators alone (like for like).
--------------------------------------------------------------------------

CREATE VIEW ideal.composite_leaf AS
WITH RECURSIVE walk (methodology, composite, input, input_is_composite) AS (
	SELECT ci.methodology, ci.composite, ci.input, ci.input_is_composite
	  FROM ideal.composite_input ci
	UNION
	SELECT w.methodology, w.composite, ci.input, ci.input_is_composite
	  FROM walk w
	  JOIN ideal.composite_input ci
		ON ci.methodology = w.methodology AND ci.composite = w.input
	 WHERE w.input_is_composite
)
SELECT w.methodology, w.composite, w.input AS indicator
  FROM walk w
 WHERE NOT w.input_is_composite;
COMMENT ON VIEW ideal.composite_leaf IS
	'The indicators under each composite, directly or through other composites';
COMMENT ON COLUMN ideal.composite_leaf.indicator IS 'Indicator code';

CREATE FUNCTION ideal.methodologies_comparable(before text, after text)
	RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT EXISTS (SELECT 1
					 FROM ideal.composite k1
					 JOIN ideal.composite k2
					   ON k2.code = k1.code AND k2.kind = k1.kind
					WHERE k1.methodology = before AND k2.methodology = after)
$$;
COMMENT ON FUNCTION ideal.methodologies_comparable(text, text) IS
	'True when two methodologies share a composite (same code, same subject kind), so that their cycles can be compared';

CREATE FUNCTION ideal.trend(from_cycle text, to_cycle text,
							decimals integer DEFAULT 2)
	RETURNS TABLE (cycle_before text, cycle_after text,
				   methodology_before text, methodology_after text,
				   country ideal.country, subject_kind text, subject text,
				   composite text, before numeric, after numeric,
				   change numeric, change_rounded numeric,
				   level_before ideal.threat_level,
				   level_after ideal.threat_level, level_change integer,
				   indicators_before integer, indicators_after integer,
				   shared_indicators integer, same_indicators boolean,
				   shared text[], only_before text[], only_after text[],
				   before_shared numeric, after_shared numeric,
				   change_shared numeric)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, ideal, pg_temp AS $$
#variable_conflict use_column
DECLARE
	mb text;
	ma text;
	common text[];
BEGIN
	SELECT c.methodology INTO mb FROM ideal.cycle c WHERE c.code = from_cycle;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'cycle "%" does not exist', from_cycle
			USING ERRCODE = 'undefined_object',
				  HINT = 'Cycles are listed in ideal.cycle.';
	END IF;
	SELECT c.methodology INTO ma FROM ideal.cycle c WHERE c.code = to_cycle;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'cycle "%" does not exist', to_cycle
			USING ERRCODE = 'undefined_object',
				  HINT = 'Cycles are listed in ideal.cycle.';
	END IF;
	IF NOT ideal.methodologies_comparable(mb, ma) THEN
		RAISE EXCEPTION 'cycles "%" and "%" are not comparable', from_cycle, to_cycle
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('Methodologies "%s" and "%s" have no composite in common.', mb, ma),
				  HINT = 'A trend compares composites with the same code and subject kind.';
	END IF;
	IF decimals IS NULL OR decimals < 0 OR decimals > 15 THEN
		RAISE EXCEPTION 'decimals must be between 0 and 15'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('decimals is %s.', coalesce(decimals::text, 'NULL'));
	END IF;
	-- the indicators both methodologies ask, for the like-for-like scores
	SELECT coalesce(array_agg(i1.code), '{}') INTO common
	  FROM ideal.indicator i1
	  JOIN ideal.indicator i2 ON i2.code = i1.code AND i2.kind = i1.kind
	 WHERE i1.methodology = mb AND i2.methodology = ma;

	-- One pass over both cycles' observations: each subject is evaluated on
	-- all its answers and on the shared indicators alone, and both sides are
	-- brought together by grouping rather than joining.
	RETURN QUERY
	WITH sets AS MATERIALIZED (
		SELECT k1.code, k1.kind, k1.position,
			   ARRAY(SELECT l.indicator FROM ideal.composite_leaf l
					  JOIN ideal.indicator i
						ON i.methodology = l.methodology AND i.code = l.indicator
					  WHERE l.methodology = mb AND l.composite = k1.code
					  ORDER BY i.position) AS lb,
			   ARRAY(SELECT l.indicator FROM ideal.composite_leaf l
					  JOIN ideal.indicator i
						ON i.methodology = l.methodology AND i.code = l.indicator
					  WHERE l.methodology = ma AND l.composite = k1.code
					  ORDER BY i.position) AS la
		  FROM ideal.composite k1
		  JOIN ideal.composite k2 ON k2.code = k1.code AND k2.kind = k1.kind
		 WHERE k1.methodology = mb AND k2.methodology = ma
	), e AS (
		SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS all_scores,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading)
				   FILTER (WHERE o.indicator = ANY (common)) AS shared_scores
		  FROM ideal.observation o
		 WHERE o.cycle IN (from_cycle, to_cycle)
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject
	), u AS (
		SELECT e.cycle, e.country, e.subject_kind, e.subject, r.composite,
			   r.score, r.level, false AS restricted
		  FROM e CROSS JOIN LATERAL unnest(e.all_scores) AS r
		UNION ALL
		SELECT e.cycle, e.country, e.subject_kind, e.subject, r.composite,
			   r.score, r.level, true
		  FROM e CROSS JOIN LATERAL unnest(e.shared_scores) AS r
	), p AS (
		SELECT u.country, u.subject_kind, u.subject, u.composite,
			   bool_or(u.cycle = from_cycle AND NOT u.restricted) AS seen_before,
			   bool_or(u.cycle = to_cycle AND NOT u.restricted) AS seen_after,
			   max(u.score) FILTER (WHERE u.cycle = from_cycle
									  AND NOT u.restricted) AS before,
			   max(u.score) FILTER (WHERE u.cycle = to_cycle
									  AND NOT u.restricted) AS after,
			   ideal.max(u.level) FILTER (WHERE u.cycle = from_cycle
											AND NOT u.restricted) AS level_before,
			   ideal.max(u.level) FILTER (WHERE u.cycle = to_cycle
											AND NOT u.restricted) AS level_after,
			   max(u.score) FILTER (WHERE u.cycle = from_cycle
									  AND u.restricted) AS before_shared,
			   max(u.score) FILTER (WHERE u.cycle = to_cycle
									  AND u.restricted) AS after_shared
		  FROM u
		 GROUP BY u.country, u.subject_kind, u.subject, u.composite
	)
	SELECT from_cycle, to_cycle, mb, ma, p.country, p.subject_kind,
		   p.subject, p.composite, p.before, p.after, p.after - p.before,
		   round(p.after, decimals) - round(p.before, decimals),
		   p.level_before, p.level_after,
		   p.level_after::integer - p.level_before::integer,
		   cardinality(s.lb), cardinality(s.la),
		   cardinality(ARRAY(SELECT x FROM unnest(s.la) x WHERE x = ANY (s.lb))),
		   (s.lb @> s.la AND s.la @> s.lb),
		   ARRAY(SELECT x FROM unnest(s.la) WITH ORDINALITY v(x, n)
				  WHERE x = ANY (s.lb) ORDER BY n),
		   ARRAY(SELECT x FROM unnest(s.lb) WITH ORDINALITY v(x, n)
				  WHERE NOT x = ANY (s.la) ORDER BY n),
		   ARRAY(SELECT x FROM unnest(s.la) WITH ORDINALITY v(x, n)
				  WHERE NOT x = ANY (s.lb) ORDER BY n),
		   p.before_shared, p.after_shared, p.after_shared - p.before_shared
	  FROM p
	  JOIN sets s ON s.code = p.composite AND s.kind = p.subject_kind
	 WHERE p.seen_before OR p.seen_after
	 ORDER BY p.subject_kind, p.country, p.subject, s.position;
END $$;
COMMENT ON FUNCTION ideal.trend(text, text, integer) IS
	'Per subject and shared composite, between two cycles of comparable methodologies: before, after, change (exact and of the values rounded to decimals), level change, the indicators the two composites share, and both scores over the shared indicators alone';

-- Consecutive: for each cycle, the latest earlier cycle (by opened_at, then
-- code) whose methodology is comparable.  Cycles loaded out of their
-- historical order (an old edition entered later) are compared with
-- ideal.trend(from, to) instead.
CREATE VIEW ideal.cycle_trend AS
SELECT t.*
  FROM ideal.cycle b
 CROSS JOIN LATERAL (SELECT a.code
					   FROM ideal.cycle a
					  WHERE (a.opened_at, a.code COLLATE "C")
							< (b.opened_at, b.code COLLATE "C")
						AND ideal.methodologies_comparable(a.methodology,
														   b.methodology)
					  ORDER BY a.opened_at DESC, a.code COLLATE "C" DESC
					  LIMIT 1) p
 CROSS JOIN LATERAL ideal.trend(p.code, b.code) t;
COMMENT ON VIEW ideal.cycle_trend IS
	'Per subject: ideal.trend between each cycle and the previous comparable one (ordered by opened_at, then code)';
COMMENT ON COLUMN ideal.cycle_trend.cycle_before IS 'The earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.cycle_after IS 'The later cycle';
COMMENT ON COLUMN ideal.cycle_trend.methodology_before IS 'Methodology of the earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.methodology_after IS 'Methodology of the later cycle';
COMMENT ON COLUMN ideal.cycle_trend.country IS 'Reporting country';
COMMENT ON COLUMN ideal.cycle_trend.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.cycle_trend.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.cycle_trend.composite IS 'Composite code, the same in both methodologies';
COMMENT ON COLUMN ideal.cycle_trend.before IS 'Score in the earlier cycle, by its own methodology (exact to 15 decimals)';
COMMENT ON COLUMN ideal.cycle_trend.after IS 'Score in the later cycle, by its own methodology';
COMMENT ON COLUMN ideal.cycle_trend.change IS 'after - before, exact';
COMMENT ON COLUMN ideal.cycle_trend.change_rounded IS
	'after and before each rounded to 2 decimals (half away from zero), then subtracted: the change as publishers print it';
COMMENT ON COLUMN ideal.cycle_trend.level_before IS 'Threat level in the earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.level_after IS 'Threat level in the later cycle';
COMMENT ON COLUMN ideal.cycle_trend.level_change IS 'Levels moved: positive up, negative down';
COMMENT ON COLUMN ideal.cycle_trend.indicators_before IS 'Indicators under the composite in the earlier methodology';
COMMENT ON COLUMN ideal.cycle_trend.indicators_after IS 'Indicators under the composite in the later methodology';
COMMENT ON COLUMN ideal.cycle_trend.shared_indicators IS 'Indicators under the composite in both';
COMMENT ON COLUMN ideal.cycle_trend.same_indicators IS 'True when both composites have exactly the same indicators';
COMMENT ON COLUMN ideal.cycle_trend.shared IS 'Codes of the shared indicators';
COMMENT ON COLUMN ideal.cycle_trend.only_before IS 'Codes of indicators only in the earlier methodology';
COMMENT ON COLUMN ideal.cycle_trend.only_after IS 'Codes of indicators only in the later methodology';
COMMENT ON COLUMN ideal.cycle_trend.before_shared IS 'Earlier score over the shared indicators alone';
COMMENT ON COLUMN ideal.cycle_trend.after_shared IS 'Later score over the shared indicators alone';
COMMENT ON COLUMN ideal.cycle_trend.change_shared IS 'after_shared - before_shared: the like-for-like change';
