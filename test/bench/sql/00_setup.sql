-- Benchmark scaffolding: the bench schema, where timings are kept, and
-- the procedure that times one statement in its own transaction.
CREATE EXTENSION IF NOT EXISTS ideal;
CREATE SCHEMA bench;

CREATE TABLE bench.timing (
	section text NOT NULL,
	variant text NOT NULL,
	round integer NOT NULL,
	seconds float8 NOT NULL,		-- wall clock
	cpu float8,					-- CPU time of the backend (schedstat)
	at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Seconds this backend has run on a CPU (Linux schedstat, nanoseconds):
-- unlike the wall clock, hardly changed by other processes on a busy
-- machine.  It leaves out parallel workers, so parallel plans are timed by
-- the wall clock.
CREATE FUNCTION bench.cpu() RETURNS float8
LANGUAGE sql VOLATILE AS $$
	SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::float8 / 1e9
$$;

-- Time a list of statements: each of prep runs first, untimed, in its own
-- transaction (TRUNCATE, CHECKPOINT, SET); then each of stmts runs in its
-- own transaction, as psql would send them, and the wall-clock time from
-- the first start to the last commit is kept in bench.timing.
CREATE PROCEDURE bench.measure(section text, variant text, round integer,
							   stmts text[], prep text[] DEFAULT '{}')
LANGUAGE plpgsql AS $$
DECLARE
	s text;
	t0 timestamptz;
	t1 timestamptz;
	c0 float8;
	c1 float8;
BEGIN
	FOREACH s IN ARRAY prep LOOP
		EXECUTE s;
		COMMIT;
	END LOOP;
	c0 := bench.cpu();
	t0 := clock_timestamp();
	FOREACH s IN ARRAY stmts LOOP
		EXECUTE s;
		COMMIT;
	END LOOP;
	t1 := clock_timestamp();
	c1 := bench.cpu();
	INSERT INTO bench.timing (section, variant, round, seconds, cpu)
		VALUES (section, variant, round, extract(epoch FROM t1 - t0), c1 - c0);
	COMMIT;
END $$;

-- Median of a variant, by the wall clock or by CPU time.
CREATE FUNCTION bench.median(p_section text, p_variant text,
							 metric text DEFAULT 'wall') RETURNS float8
LANGUAGE sql STABLE AS $$
	SELECT percentile_cont(0.5) WITHIN GROUP (
			ORDER BY CASE metric WHEN 'cpu' THEN cpu ELSE seconds END)
	  FROM bench.timing
	 WHERE section = p_section AND variant = p_variant AND round > 0
$$;

-- Ratios of two variants measured in the same rounds: speed of a relative
-- to b is time(b) / time(a).  Returns the median and every round's ratio.
CREATE FUNCTION bench.ratio(p_section text, a text, b text,
							metric text DEFAULT 'wall',
							OUT median float8, OUT rounds text)
LANGUAGE sql STABLE AS $$
	SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r),
		   string_agg(to_char(r, 'FM990.000'), ' ' ORDER BY round)
	  FROM (SELECT ta.round,
				   CASE metric WHEN 'cpu' THEN tb.cpu / ta.cpu
						ELSE tb.seconds / ta.seconds END AS r
			  FROM bench.timing ta
			  JOIN bench.timing tb ON tb.section = ta.section AND tb.round = ta.round
			 WHERE ta.section = p_section AND ta.variant = a AND tb.variant = b
			   AND ta.round > 0) x
$$;

-- The times of a variant, for the report.
CREATE FUNCTION bench.times(p_section text, p_variant text,
							metric text DEFAULT 'wall') RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT string_agg(to_char(CASE metric WHEN 'cpu' THEN cpu ELSE seconds END,
							  'FM99990.000'), ' ' ORDER BY round)
	  FROM bench.timing
	 WHERE section = p_section AND variant = p_variant AND round > 0
$$;

-- Round 0 is a profiled run: never part of a figure.
