--------------------------------------------------------------------------
-- Stored scores: an explicit option for large installations
--
-- Every view computes its scores from ideal.observation when queried, so
-- nothing here is needed for a correct answer.  Where recomputing is too
-- slow (many thousands of groups, a dashboard refreshed often), one call,
--   SELECT ideal.refresh_scores();          -- every cycle
--   SELECT ideal.refresh_scores('IDEAL-2.0/2025');  -- one cycle
-- stores ideal.subject_score in ideal.subject_score_snapshot, and
-- ideal.score_snapshot_status says which stored cycles are still current.
--------------------------------------------------------------------------

CREATE TABLE ideal.subject_score_snapshot (
	cycle text NOT NULL,
	methodology text NOT NULL,
	country ideal.country NOT NULL,
	subject_kind text NOT NULL,
	subject text NOT NULL,
	composite text NOT NULL,
	score numeric,
	normalised float8,
	confidence float8,
	answered integer NOT NULL,
	expected integer NOT NULL,
	unknowns integer NOT NULL,
	coverage float8 NOT NULL,
	level ideal.threat_level,
	exact boolean NOT NULL,
	headline boolean NOT NULL,
	reliable boolean NOT NULL,
	caveat text,
	refreshed_at timestamptz NOT NULL,
	PRIMARY KEY (cycle, country, subject_kind, subject, composite)
);
COMMENT ON TABLE ideal.subject_score_snapshot IS
	'ideal.subject_score as stored by ideal.refresh_scores(); an option for large installations, never needed for correct scores';

CREATE TABLE ideal.score_refresh (
	cycle text PRIMARY KEY,
	cycle_status text NOT NULL,
	refreshed_at timestamptz NOT NULL,
	refreshed_by name NOT NULL,
	rows bigint NOT NULL,
	observations bigint NOT NULL,
	cycle_revision bigint NOT NULL
);
COMMENT ON TABLE ideal.score_refresh IS
	'When ideal.refresh_scores() last stored each cycle''s scores, and the cycle''s status then';

-- SECURITY DEFINER: the snapshot must hold every subject's scores, not
-- only those the caller's row-level security lets it see.  Who may refresh
-- is decided by EXECUTE grants (none to PUBLIC).
CREATE FUNCTION ideal.refresh_scores(cycle text DEFAULT NULL) RETURNS bigint
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
COMMENT ON FUNCTION ideal.refresh_scores(text) IS
	'Store ideal.subject_score in ideal.subject_score_snapshot for one cycle or all; returns the rows stored';
REVOKE ALL ON FUNCTION ideal.refresh_scores(text) FROM PUBLIC;

-- A stored cycle is current when it was closed or published at the refresh
-- and its row in ideal.cycle has not been updated since: closed and
-- published cycles refuse every change to their observations, and any
-- update of the cycle row (reopening it, even within one transaction)
-- raises its revision (ideal.cycle_guard).  An open cycle's snapshot is
-- never called current.  Revisions travel in dumps, so a restored
-- database keeps its stored scores current.
CREATE VIEW ideal.score_snapshot_status AS
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
COMMENT ON VIEW ideal.score_snapshot_status IS
	'Per cycle: when its scores were last stored by ideal.refresh_scores() and whether the stored scores are still current';
COMMENT ON COLUMN ideal.score_snapshot_status.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.score_snapshot_status.status IS 'Cycle status now';
COMMENT ON COLUMN ideal.score_snapshot_status.refreshed_at IS 'Last refresh of the cycle''s stored scores';
COMMENT ON COLUMN ideal.score_snapshot_status.refreshed_by IS 'Session user who refreshed';
COMMENT ON COLUMN ideal.score_snapshot_status.rows IS 'Score rows stored';
COMMENT ON COLUMN ideal.score_snapshot_status.current IS
	'True when the stored scores equal what ideal.subject_score gives now';
COMMENT ON COLUMN ideal.score_snapshot_status.note IS 'Why the stored scores are not current';
