-- Generated submissions under the IDEAL 2.0 template, spelled as contact
-- points type them.  psql variables: tab (table to create), cycle, groups
-- (groups per member country), seed.  The table has the file's columns
-- (cycle, country, subject, indicator, answer, grading), its order (ord),
-- and each row's member, subject kind and canonical subject (ref).
--
-- Per member: :groups groups x the 10 group indicators, and the 10 crime
-- areas x the 6 crime-area indicators.  Every row is valid, so the C and
-- the PL/pgSQL triggers must store the same rows.
--   country:   alpha-2 (80%), alpha-3 (10%), lower case (5%), numeric (5%)
--   indicator: code (70%), else its English, Spanish or Portuguese label
--   subject:   group reference; crime area by code (70%) or label
--   answer:    a level chosen uniformly, then one of its spellings (code,
--              labels, aliases, digit); unknown in 4% of rows
--   spelling:  as written (70%), lower case (15%), upper case (15%)
--   grading:   Admiralty (60%), Europol (20%), none (20%)
SET max_parallel_workers_per_gather = 0;
SELECT setseed(:seed);

CREATE FUNCTION pg_temp.vary(s text) RETURNS text
LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN r < 0.70 THEN s WHEN r < 0.85 THEN lower(s) ELSE upper(s) END
	  FROM (SELECT random() AS r) x
$$;

CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text
LANGUAGE sql VOLATILE AS $$
	SELECT a[1 + floor(random() * cardinality(a))::int]
$$;

-- Each level's spellings repeated to 12 entries, so that levels are drawn
-- uniformly whatever their number of spellings.
CREATE TEMP TABLE spelling AS
SELECT l.scale, array_agg(sp.all_[1 + (k - 1) % cardinality(sp.all_)]
						  ORDER BY l.position, k) AS answers
  FROM ideal.scale_level l
 CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT x FROM (
			SELECT l.code AS x
			UNION ALL SELECT v FROM jsonb_each_text(l.labels) e(k, v)
			UNION ALL SELECT unnest(l.aliases)) s ORDER BY x) AS all_) sp
 CROSS JOIN generate_series(1, 12) k
 WHERE l.methodology = 'ideal-2.0'
 GROUP BY l.scale;

CREATE TEMP TABLE unknown_spelling AS
SELECT s.code AS scale,
	   ARRAY(SELECT v FROM jsonb_each_text(s.unknown_labels) e(k, v)
			 UNION ALL SELECT unnest(s.unknown_aliases)) AS answers
  FROM ideal.scale s
 WHERE s.methodology = 'ideal-2.0';

CREATE TEMP TABLE ind AS
SELECT i.code, i.kind, i.scale, i.position,
	   ARRAY[i.labels->>'en', i.labels->>'es', i.labels->>'pt'] AS labels,
	   sp.answers, us.answers AS unknowns
  FROM ideal.indicator i
  JOIN spelling sp ON sp.scale = i.scale
  JOIN unknown_spelling us ON us.scale = i.scale
 WHERE i.methodology = 'ideal-2.0';

CREATE TEMP TABLE mem AS
SELECT row_number() OVER (ORDER BY m.country) AS n, m.country::text AS alpha2,
	   ideal.country_alpha3(m.country) AS alpha3,
	   lpad(ideal.country_numeric(m.country)::text, 3, '0') AS num
  FROM ideal.member m
 WHERE m.methodology = 'ideal-2.0';

CREATE TABLE :tab AS
WITH subj AS (
	SELECT mem.n AS cn, mem.alpha2, mem.alpha3, mem.num, 'group' AS kind,
		   g AS gn, mem.alpha2 || '-' || lpad(g::text, 5, '0') AS ref,
		   NULL::text[] AS area_labels
	  FROM mem CROSS JOIN generate_series(1, :groups) g
	UNION ALL
	SELECT mem.n, mem.alpha2, mem.alpha3, mem.num, 'crime_area', a.position,
		   a.code, ARRAY[a.labels->>'en', a.labels->>'es', a.labels->>'pt']
	  FROM mem CROSS JOIN ideal.crime_area a
	 WHERE a.methodology = 'ideal-2.0'
)
SELECT row_number() OVER (ORDER BY x.cn, x.kind DESC, x.gn, x.position) AS ord,
	   x.alpha2 AS member, x.kind, x.ref,
	   :'cycle'::text AS cycle,
	   CASE WHEN rc < 0.80 THEN x.alpha2 WHEN rc < 0.90 THEN x.alpha3
			WHEN rc < 0.95 THEN lower(x.alpha2) ELSE x.num END AS country,
	   CASE WHEN x.kind = 'group' OR rs < 0.70 THEN x.ref
			ELSE pg_temp.vary(pg_temp.pick(x.area_labels)) END AS subject,
	   CASE WHEN ri < 0.70 THEN x.code
			ELSE pg_temp.vary(pg_temp.pick(x.labels)) END AS indicator,
	   pg_temp.vary(CASE WHEN ra < 0.04 THEN pg_temp.pick(x.unknowns)
						 ELSE pg_temp.pick(x.answers) END) AS answer,
	   CASE WHEN rg < 0.60
			THEN substr('ABCDEF', 1 + floor(random() * 6)::int, 1) ||
				 (1 + floor(random() * 6)::int)
			WHEN rg < 0.70
			THEN 'EU:' || substr('ABCX', 1 + floor(random() * 4)::int, 1) ||
				 (1 + floor(random() * 4)::int)
			WHEN rg < 0.75
			THEN 'EU:' || substr('ABCX', 1 + floor(random() * 4)::int, 1) ||
				 (1 + floor(random() * 4)::int) || ':H' ||
				 floor(random() * 4)::int
			WHEN rg < 0.80
			THEN 'X' || (1 + floor(random() * 4)::int)
	   END AS grading
  FROM (SELECT s.*, i.code, i.position, i.labels, i.answers, i.unknowns,
			   random() AS rc, random() AS rs, random() AS ri, random() AS ra,
			   random() AS rg
		  FROM subj s JOIN ind i ON i.kind = s.kind) x;
