--
-- ideal.threat_summary: summaries from ideal.summarize, their exact text
-- form, accessors, merging, ordering, indexes, binary I/O and the exact
-- error for each malformed literal.
--
SET search_path = ideal, public;
\set VERBOSITY default
\pset null '<NULL>'

-- Feed raw bytes to the receive function: write them as a bytea field of
-- a binary COPY file (a bytea is sent as its bytes), read the file back
-- into a column of the type, and report the value or the error.
CREATE FUNCTION pg_temp.recv(typ regtype, b bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/ideal_regress_recv_' || typ::text || '.bin';
	v text;
	msg text;
	det text;
	st text;
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', b, f);
	EXECUTE format('CREATE TEMP TABLE recv_target (v %s)', typ);
	EXECUTE format('COPY recv_target FROM %L WITH (FORMAT binary)', f);
	SELECT r.v::text INTO v FROM recv_target r;
	DROP TABLE recv_target;
	RETURN 'accepted: ' || v;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || coalesce(' (' || nullif(det, '') || ')', '');
END
$$;

-- a helper that tells whether the input function accepts a literal
CREATE FUNCTION pg_temp.accepts(t text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM t::ideal.threat_summary;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END
$$;

--
-- Observations: value, weight and grading.  A NULL value is an unknown
-- answer; a NULL grading is an ungraded row (confidence 1 in the score).
-- Confidences used: A1 1, F6 0.25, EU:B1 0.75, UK3:2A 0.5, all exact in
-- binary, so every sum below can be checked by hand.
--
CREATE TABLE obs (grp text, v float8, w float8, g grading);
INSERT INTO obs VALUES
	('a', 2, 1, 'A1'),
	('a', 4, 2, NULL),
	('a', NULL, 1, 'B2'),
	('a', 6, 1, 'F6'),
	('b', 3, 1, 'EU:B1'),
	('b', 1, 0.5, 'UK3:2A'),
	('b', 5, 1, NULL);
SELECT g, confidence(g) FROM (SELECT DISTINCT g FROM obs) s ORDER BY g;

-- a: w = 1+2+1, wv = 2+8+6, cw = 1+2+0.25, cwv = 2+8+1.5, gw = 1+1,
--    gcw = 1+0.25
-- b: w = 1+0.5+1, wv = 3+0.5+5, cw = 0.75+0.25+1, cwv = 2.25+0.25+5,
--    gw = 1+0.5, gcw = 0.75+0.25
CREATE TABLE sums AS
	SELECT grp, summarize(v, w, g) AS s FROM obs GROUP BY grp;
INSERT INTO sums SELECT 'all', summarize(v, w, g) FROM obs;
SELECT grp, s FROM sums ORDER BY grp;

-- accessors
SELECT grp, score(s), raw_score(s), total(s), confidence(s), n(s),
	   unknowns(s), graded(s), min_value(s), max_value(s), weight(s)
FROM sums ORDER BY grp;

-- merging the group summaries gives the summary of all rows, exactly
SELECT merge(s) AS merged FROM sums WHERE grp <> 'all';
SELECT (SELECT merge(s) FROM sums WHERE grp <> 'all') =
	   (SELECT s FROM sums WHERE grp = 'all') AS merge_equals_all;
SELECT (SELECT merge(s) FROM sums WHERE grp <> 'all')::text =
	   (SELECT s FROM sums WHERE grp = 'all')::text AS same_text;
-- merging in either order, or with itself
SELECT merge(s ORDER BY grp) = merge(s ORDER BY grp DESC) AS order_free
FROM sums WHERE grp <> 'all';
SELECT merge(s) FROM (SELECT s FROM sums WHERE grp = 'b'
					  UNION ALL SELECT s FROM sums WHERE grp = 'b') d;

-- the text form round-trips, as text and as a value
SELECT grp, s::text::threat_summary = s AS value_round_trip,
	   s::text::threat_summary::text = s::text AS text_round_trip
FROM sums ORDER BY grp;

-- other overloads: value only, value and weight, value/weight/confidence
SELECT summarize(v) FROM obs;
SELECT summarize(v, w) FROM obs;
SELECT summarize(v, w, c)
FROM (VALUES (1.0::float8, 1.0::float8, 0.5::float8), (3, 2, NULL),
			 (NULL, 1, 0.25)) t(v, w, c);

-- every float is kept exactly: 0.1 and 0.2 as binary fractions; a term
-- below 2^-64 rounds to 0 in the sums but not in min and max
SELECT summarize(v) FROM (VALUES (0.1::float8), (0.2)) t(v);
SELECT summarize(v) FROM (VALUES (1e-30::float8)) t(v);
SELECT s, s::text::threat_summary = s AS round_trip
FROM (SELECT summarize(v, w) AS s
	  FROM (VALUES (-2.5::float8, 3::float8), (1e15, 0.5), (-1e-3, 1e-3)) t(v, w)) d;
-- -0 is 0
SELECT summarize(v) FROM (VALUES ('-0'::float8)) t(v);

-- empty input gives NULL; only unknowns give a summary with n = 0
SELECT summarize(v) AS none FROM obs WHERE false;
SELECT merge(s) AS none FROM sums WHERE false;
SELECT s, score(s), raw_score(s), total(s), confidence(s), n(s), unknowns(s),
	   graded(s), min_value(s), max_value(s), weight(s)
FROM (SELECT summarize(v) AS s FROM obs WHERE v IS NULL) d;

-- accessors are strict
SELECT score(NULL), raw_score(NULL), total(NULL), n(NULL), unknowns(NULL),
	   graded(NULL), min_value(NULL), max_value(NULL), weight(NULL),
	   confidence(NULL::threat_summary);

--
-- Literals: the canonical form, blanks between fields, any field order,
-- exponents in min and max, a fraction of 100 digits, 18-digit counts.
--
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT '  max=2  min=-1 gcw=0 gw=0 cwv=1 cw=2 wv=1 w=2 graded=0 unknown=5 n=2 '::threat_summary;
SELECT 'n=1 unknown=0 graded=1 w=1 wv=1.5 cw=0.5 cwv=0.75 gw=1 gcw=0.5 min=1.5e0 max=15E-1'::threat_summary;
SELECT ('n=1 unknown=0 graded=0 w=0.' || repeat('3', 100) ||
		' wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0 max=0')::threat_summary;
SELECT 'n=999999999999999999 unknown=999999999999999999 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0 max=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=9223372036854775807.9999999999999999999457898913757247782996273599565029144287109375 wv=-9223372036854775807 cw=0 cwv=0 gw=0 gcw=0 min=-1 max=-1'::threat_summary;

--
-- Comparison: by score (summaries without one first), then field by field,
-- so that = means the same summary.
--
SELECT grp, s, score(s) FROM (
	SELECT grp, s FROM sums
	UNION ALL SELECT 'empty', 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'
	UNION ALL SELECT 'unknowns', 'n=0 unknown=2 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'
	UNION ALL SELECT 'low', 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'
	UNION ALL SELECT 'low2', 'n=2 unknown=0 graded=0 w=2 wv=2 cw=2 cwv=2 gw=0 gcw=0 min=1 max=1'
) d ORDER BY s, grp;
SELECT a.grp, b.grp, a.s < b.s AS lt, a.s <= b.s AS le, a.s = b.s AS eq,
	   a.s <> b.s AS ne, a.s >= b.s AS ge, a.s > b.s AS gt
FROM sums a, sums b ORDER BY a.grp, b.grp;

--
-- The validator returns false, never an error, and agrees with the input
-- function.
--
SELECT is_valid_threat_summary(s::text) AS canonical,
	   is_valid_threat_summary('') AS empty,
	   is_valid_threat_summary('n=0') AS missing,
	   is_valid_threat_summary(repeat('n=0 ', 100)) AS repeated,
	   is_valid_threat_summary(NULL) AS null_input
FROM sums WHERE grp = 'all';
SELECT count(*) AS disagreements
FROM (SELECT s::text AS t FROM sums
	  UNION ALL VALUES (''), ('n=0'), ('n=-1'), ('x=1'),
		('n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0'),
		('n=1 unknown=0 graded=2 w=1 wv=1 cw=1 cwv=1 gw=1 gcw=1 min=1 max=1'),
		('n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=2 max=1')) v(t)
WHERE pg_temp.accepts(t) <> is_valid_threat_summary(t);

--
-- Malformed literals, one statement each.
--
-- shape
SELECT ''::threat_summary;
SELECT '   '::threat_summary;
SELECT repeat('A', 300)::threat_summary;
SELECT 'n'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw'::threat_summary;
SELECT '=0 n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT E'n=0\tunknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT E'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0\n'::threat_summary;
SELECT E'n=0 unknown=0\x01 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=0, unknown=0, graded=0, w=0, wv=0, cw=0, cwv=0, gw=0, gcw=0'::threat_summary;
SELECT 'n = 0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
-- keys
SELECT 'n=0'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0'::threat_summary;
SELECT 'n=0 n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 gcw=0'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 x=1'::threat_summary;
SELECT 'N=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=0 unknowns=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
-- values
SELECT 'n=-1 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=0 unknown=-1 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=+1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=1.0 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=１ unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=9223372036854775808 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n= unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=abc wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=.5 wv=1 cw=.5 cwv=1 gw=0 gcw=0 min=2 max=2'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1. wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1e0 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=1 w=1 wv=1.5e0 cw=0.5 cwv=0.75 gw=1 gcw=0.5 min=1.5 max=1.5'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1,5 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT ('n=1 unknown=0 graded=0 w=0.' || repeat('3', 101) ||
		' wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0 max=0')::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=9223372036854775808 wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0 max=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=nan max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=Infinity'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=1e400'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1 max=0x1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1- max=1'::threat_summary;
-- consistency
SELECT 'n=1 unknown=0 graded=2 w=1 wv=1 cw=1 cwv=1 gw=1 gcw=1 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=2 max=1'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0 max=0'::threat_summary;
SELECT 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0 min=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=0 gcw=0 min=1'::threat_summary;
SELECT 'n=0 unknown=1 graded=0 w=1 wv=0 cw=0 cwv=0 gw=0 gcw=0'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=-1 wv=1 cw=0 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=2 cwv=1 gw=0 gcw=0 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=1 w=1 wv=1 cw=1 cwv=1 gw=1 gcw=2 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=1 w=1 wv=1 cw=1 cwv=1 gw=2 gcw=1 min=1 max=1'::threat_summary;
SELECT 'n=1 unknown=0 graded=0 w=1 wv=1 cw=1 cwv=1 gw=1 gcw=1 min=1 max=1'::threat_summary;

--
-- Index: btree (= has no hash support, so there is no hash index).
--
CREATE TABLE sum_ix (s threat_summary, note text);
INSERT INTO sum_ix
	SELECT summarize(v, w), 'group ' || k
	FROM (SELECT i % 50 AS k, (i % 7)::float8 AS v, (i % 3 + 1)::float8 AS w
		  FROM generate_series(1, 1000) AS i) d
	GROUP BY k;
CREATE INDEX sum_ix_btree ON sum_ix (s);
ANALYZE sum_ix;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT * FROM sum_ix
WHERE s = 'n=20 unknown=0 graded=0 w=40 wv=120 cw=40 cwv=120 gw=0 gcw=0 min=0 max=6';
SELECT count(*) FROM sum_ix
WHERE s = (SELECT s FROM sum_ix WHERE note = 'group 7');
SELECT note, score(s) FROM sum_ix ORDER BY s, note COLLATE "C" LIMIT 4;
SELECT note, score(s) FROM sum_ix ORDER BY s DESC, note COLLATE "C" LIMIT 4;
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Binary I/O: a round trip through binary COPY, and the pinned bytes of
-- the send function: a version byte 1, then the big-endian int64 counts
-- n, unknown and graded, then the sums w, wv, cw, cwv, gw and gcw, each a
-- 128-bit two's complement fixed-point number with 64 fraction bits sent
-- as its high and low int64 halves, then min and max as float8.
--
CREATE TABLE sum_t (grp text, s threat_summary);
INSERT INTO sum_t SELECT grp, s FROM sums;
INSERT INTO sum_t SELECT note, s FROM sum_ix;
INSERT INTO sum_t VALUES
	('empty', 'n=0 unknown=0 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'),
	('unknowns', 'n=0 unknown=7 graded=0 w=0 wv=0 cw=0 cwv=0 gw=0 gcw=0'),
	('negative', 'n=1 unknown=0 graded=1 w=1 wv=-1.5 cw=0.5 cwv=-0.75 gw=1 gcw=0.5 min=-1.5 max=-1.5'),
	('null', NULL);
INSERT INTO sum_t
	SELECT 'tiny', summarize(v, w)
	FROM (VALUES (0.1::float8, 1e-10::float8), (-7e14, 1.25)) t(v, w);
COPY sum_t TO '/tmp/ideal_regress_types_threat_summary.bin'
	WITH (FORMAT binary);
CREATE TABLE sum_t2 (LIKE sum_t);
COPY sum_t2 FROM '/tmp/ideal_regress_types_threat_summary.bin'
	WITH (FORMAT binary);
SELECT count(*) AS copied FROM sum_t2;
-- compared as values and as text (the type has no hash support)
SELECT count(*) AS differences FROM (
	(SELECT grp, s::text FROM sum_t EXCEPT ALL SELECT grp, s::text FROM sum_t2)
	UNION ALL
	(SELECT grp, s::text FROM sum_t2 EXCEPT ALL SELECT grp, s::text FROM sum_t)) d;
SELECT count(*) AS unequal
FROM sum_t a JOIN sum_t2 b USING (grp)
WHERE a.s IS DISTINCT FROM b.s;

-- pinned bytes, field by field
CREATE TEMP TABLE sent AS
	SELECT grp, threat_summary_send(s) AS b FROM sum_t
	WHERE grp IN ('a', 'negative');
SELECT grp, length(b) AS bytes, get_byte(b, 0) AS version FROM sent
ORDER BY grp;
SELECT grp, f.name,
	   encode(substr(b, 2 + 8 * (f.i::integer - 1), 8), 'hex') AS bytes
FROM sent,
	 unnest(ARRAY['n', 'unknown', 'graded', 'w hi', 'w lo', 'wv hi',
				  'wv lo', 'cw hi', 'cw lo', 'cwv hi', 'cwv lo', 'gw hi',
				  'gw lo', 'gcw hi', 'gcw lo', 'min', 'max'])
		 WITH ORDINALITY AS f(name, i)
ORDER BY grp, f.i;

-- receive checks what input checks.  Offsets (1-based) in the 137 bytes:
-- version 1, n 2, unknown 10, graded 18, w 26, wv 42, cw 58, cwv 74,
-- gw 90, gcw 106, min 122, max 130.
CREATE TEMP TABLE good AS SELECT b FROM sent WHERE grp = 'a';
SELECT what, pg_temp.recv('threat_summary', bytes) AS received
FROM good, LATERAL (VALUES
	('as sent', b),
	('version 0', set_byte(b, 0, 0)),
	('version 2', set_byte(b, 0, 2)),
	('n = -1', overlay(b PLACING '\xffffffffffffffff' FROM 2)),
	('n = 1 < graded', overlay(b PLACING '\x0000000000000001' FROM 2)),
	('unknown = -1', overlay(b PLACING '\xffffffffffffffff' FROM 10)),
	('graded = -1', overlay(b PLACING '\xffffffffffffffff' FROM 18)),
	('graded = 0, graded sums kept',
	 overlay(b PLACING '\x0000000000000000' FROM 18)),
	('w = -4', overlay(b PLACING '\xfffffffffffffffc' FROM 26)),
	('w = 3 < cw', overlay(b PLACING '\x0000000000000003' FROM 26)),
	('gw = 5 > w', overlay(b PLACING '\x0000000000000005' FROM 90)),
	('gcw = 3 > gw', overlay(b PLACING '\x0000000000000003' FROM 106)),
	('min = NaN', overlay(b PLACING '\x7ff8000000000000' FROM 122)),
	('max = infinity', overlay(b PLACING '\x7ff0000000000000' FROM 130)),
	('min = 7 > max', overlay(b PLACING '\x401c000000000000' FROM 122)),
	('min = -0', overlay(b PLACING '\x8000000000000000' FROM 122)),
	('one byte short', substr(b, 1, 136)),
	('one byte more', b || '\x00'::bytea),
	('version only', '\x01'::bytea)) v(what, bytes);
SELECT what, pg_temp.recv('threat_summary', bytes) AS received
FROM (VALUES
	('n = 0 with min and max',
	 '\x01' || repeat('00', 128) || '3ff0000000000000'),
	('n = 0, all zero', '\x01' || repeat('00', 136)),
	('n = 0 with a sum',
	 '\x01' || repeat('00', 24) || '0000000000000001' || repeat('00', 104))
	) v(what, hex), LATERAL (SELECT decode(substr(hex, 3), 'hex') AS bytes) d;

DROP TABLE obs, sums, sum_ix, sum_t, sum_t2;
