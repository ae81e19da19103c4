--------------------------------------------------------------------------
-- GI-TOC style quadrants: one composite against another, each split at
-- the thresholds of the methodology's `quadrant` key (stored in
-- ideal.methodology.quadrant_*).  A score at or above its threshold is
-- high.  GI-TOC publishes the four classes but no rule for them; the
-- bundled thresholds (5 on both axes) are this project's choice.
--------------------------------------------------------------------------

CREATE VIEW ideal.quadrant AS
WITH q AS (
	SELECT e.cycle, m.code AS methodology, e.country, e.subject_kind,
		   e.subject, m.quadrant_x, m.quadrant_y, m.quadrant_x_threshold,
		   m.quadrant_y_threshold,
		   (SELECT r.score FROM unnest(e.scores) r
			 WHERE r.composite = m.quadrant_x) AS x_score,
		   (SELECT r.score FROM unnest(e.scores) r
			 WHERE r.composite = m.quadrant_y) AS y_score
	  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 WHERE o.cycle IN (SELECT c.code
								 FROM ideal.cycle c
								 JOIN ideal.methodology m
								   ON m.code = c.methodology
								WHERE m.quadrant_x IS NOT NULL)
			 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	  JOIN ideal.methodology m ON m.code = c.methodology
	  JOIN ideal.composite kx
		ON kx.methodology = m.code AND kx.code = m.quadrant_x
	   AND kx.kind = e.subject_kind
), classed AS (
	SELECT q.*,
		   CASE WHEN q.y_score >= q.quadrant_y_threshold THEN 'high'
				WHEN q.y_score IS NOT NULL THEN 'low' END AS y_class,
		   CASE WHEN q.x_score >= q.quadrant_x_threshold THEN 'high'
				WHEN q.x_score IS NOT NULL THEN 'low' END AS x_class
	  FROM q
)
SELECT k.cycle, k.methodology, k.country, k.subject_kind, k.subject,
	   k.quadrant_y AS y_composite, k.y_score,
	   k.quadrant_y_threshold AS y_threshold, k.y_class,
	   k.quadrant_x AS x_composite, k.x_score,
	   k.quadrant_x_threshold AS x_threshold, k.x_class,
	   k.y_class || '-' || k.x_class AS quadrant,
	   k.y_class || ' ' || lower(ky.labels ->> 'en') || ', ' ||
	   k.x_class || ' ' || lower(kx.labels ->> 'en')
		   AS quadrant_label
  FROM classed k
  JOIN ideal.composite kx ON kx.methodology = k.methodology AND kx.code = k.quadrant_x
  JOIN ideal.composite ky ON ky.methodology = k.methodology AND ky.code = k.quadrant_y;
COMMENT ON VIEW ideal.quadrant IS
	'Per subject: the quadrant of each subject of a methodology with a quadrant key (GI-TOC: criminality against resilience), high at or above the threshold';
COMMENT ON COLUMN ideal.quadrant.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.quadrant.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.quadrant.country IS 'Reporting country';
COMMENT ON COLUMN ideal.quadrant.subject_kind IS 'Kind of the quadrant composites'' subjects';
COMMENT ON COLUMN ideal.quadrant.subject IS 'Subject (GI-TOC: the country assessed)';
COMMENT ON COLUMN ideal.quadrant.y_composite IS 'Composite on the y axis (GI-TOC: criminality)';
COMMENT ON COLUMN ideal.quadrant.y_score IS 'Its score';
COMMENT ON COLUMN ideal.quadrant.y_threshold IS 'Its threshold, from the methodology''s quadrant key';
COMMENT ON COLUMN ideal.quadrant.y_class IS 'high (score >= threshold) or low';
COMMENT ON COLUMN ideal.quadrant.x_composite IS 'Composite on the x axis (GI-TOC: resilience)';
COMMENT ON COLUMN ideal.quadrant.x_score IS 'Its score';
COMMENT ON COLUMN ideal.quadrant.x_threshold IS 'Its threshold, from the methodology''s quadrant key';
COMMENT ON COLUMN ideal.quadrant.x_class IS 'high (score >= threshold) or low';
COMMENT ON COLUMN ideal.quadrant.quadrant IS 'y class - x class: high-low, high-high, low-low or low-high';
COMMENT ON COLUMN ideal.quadrant.quadrant_label IS
	'In words, such as "high criminality, low resilience"';
