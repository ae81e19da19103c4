--
-- ideal.grading: Admiralty 6x6, Europol 4x4 with handling codes, UK 3x5x2
-- and UK 5x5x5; canonical output, accessors, confidence, ordering,
-- indexes, binary I/O and the exact error for each malformed literal.
--
SET search_path = ideal, public;
\set VERBOSITY default
\pset null '<NULL>'

-- shows blanks and control characters in test output
CREATE FUNCTION pg_temp.shown(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(replace(replace(
		t, E'\t', '\t'), E'\n', '\n'), E'\r', '\r'), E'\x01', '\x01')
$$;

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
	PERFORM t::ideal.grading;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END
$$;

--
-- Accepted forms and their canonical output.  A bare pair is Admiralty,
-- or Europol when the source is X, or UK 3x5x2 when the source is a digit;
-- a bare pair may carry a handling code of its system.
--
SELECT pg_temp.shown(x) AS input, x::grading AS canonical,
	   grading_system(x::grading) AS system,
	   grading_source(x::grading) AS src,
	   grading_information(x::grading) AS info,
	   grading_handling(x::grading) AS handling
FROM (VALUES ('B2'), ('b2'), (' B2 '), (E'\tb2\n'), ('A1'), ('F6'),
			 ('ADM:B2'), ('adm:b2'), ('NATO:C3'), ('nato:d4'),
			 ('ADMIRALTY:E5'), ('Admiralty:f6'),
			 ('EU:B2'), ('eu:b2'), ('EU:B2:H1'), ('eu:b2:h1'), ('EU:A1:H0'),
			 ('EU:C4:H3'), ('EU:X3'), ('EUROPOL:x4:H2'), ('X3'), ('x1'),
			 ('X3:H2'), ('x2:h0'),
			 ('UK3:1A:P'), ('uk3:1a:p'), ('UK3:2B'), ('UK3:3E:C'), ('1A'),
			 ('3e'), ('1A:P'), ('2c:c'), ('UK3X5X2:2D'), ('3x5x2:1b:p'),
			 ('UK5:B2:3'), ('uk5:b2'), ('UK5:A1:1'), ('UK5:E5:5'),
			 ('UK5X5X5:C3:2'), ('5x5x5:d4:4')) v(x);

-- every system, code and handling combination, through the validator
CREATE TEMP TABLE candidates AS
	SELECT p || s || i || h AS t
	FROM unnest(ARRAY['', 'ADM:', 'EU:', 'UK3:', 'UK5:']) AS p,
		 regexp_split_to_table('ABCDEFGXZ01234567', '') AS s,
		 regexp_split_to_table('ABCDEFGXZ01234567', '') AS i,
		 unnest(ARRAY['', ':H0', ':H1', ':H2', ':H3', ':H4', ':P', ':C', ':Q',
					  ':0', ':1', ':2', ':3', ':4', ':5', ':6']) AS h;
CREATE TEMP TABLE all_gradings AS
	SELECT DISTINCT t::grading AS g FROM candidates WHERE is_valid_grading(t);
-- Admiralty 36, Europol 16 x 5, UK 3x5x2 15 x 3, UK 5x5x5 25 x 6
SELECT grading_system(g) AS system, count(*) FROM all_gradings
GROUP BY 1 ORDER BY 1;
-- each canonical form parses back, also in lower case
SELECT count(*) AS bad_round_trips FROM all_gradings
WHERE g::text::grading <> g OR lower(g::text)::grading <> g;
-- the validator agrees with the input function on every candidate
SELECT count(*) AS disagreements FROM candidates
WHERE pg_temp.accepts(t) <> is_valid_grading(t);

--
-- Default confidence: source weight times information weight.  Handling
-- codes do not change it.
--
SELECT g, confidence(g) AS confidence
FROM (VALUES ('A1'::grading), ('A6'), ('B2'), ('C3'), ('D4'), ('E5'), ('F6'),
			 ('F1'), ('A5'), ('EU:A1'), ('EU:B2'), ('EU:C3'), ('EU:X4'),
			 ('EU:X1'), ('EU:B2:H3'), ('UK3:1A'), ('UK3:2B'), ('UK3:3E'),
			 ('UK3:1D:P'), ('UK5:A1'), ('UK5:B2'), ('UK5:C3'), ('UK5:D4'),
			 ('UK5:E5'), ('UK5:E4:5')) v(g);
SELECT min(confidence(g)) AS lowest, max(confidence(g)) AS highest,
	   count(*) FILTER (WHERE confidence(g) < 0 OR confidence(g) > 1)
		   AS out_of_range
FROM all_gradings;

-- accessors are strict; handling is NULL when absent
SELECT grading_system(NULL) AS system, grading_source(NULL) AS src,
	   grading_information(NULL) AS info, grading_handling(NULL) AS handling,
	   confidence(NULL::grading) AS confidence;

--
-- Comparison and ORDER BY: by system (Admiralty, Europol, UK 3x5x2,
-- UK 5x5x5), then source, information and handling codes; no handling
-- sorts before any handling.
--
SELECT 'A1'::grading < 'B2'::grading AS lt,
	   'B2'::grading <= 'adm:b2'::grading AS le,
	   'X3'::grading = 'EU:X3'::grading AS eq,
	   'EU:B2'::grading <> 'EU:B2:H0'::grading AS ne,
	   'EU:A1'::grading > 'F6'::grading AS gt,
	   'UK5:A1'::grading >= 'UK3:3E:P'::grading AS ge,
	   'EU:B2'::grading = 'B2'::grading AS not_eq,
	   'UK3:1A'::grading > 'UK3:1A:C'::grading AS not_gt;
SELECT g FROM (VALUES ('UK5:A1'::grading), ('EU:B2:H0'), ('F6'), ('1A:P'),
				  ('X3'), ('B2'), ('EU:B2'), ('UK3:1A'), ('UK3:1A:C'),
				  ('A1'), ('UK5:A1:1'), ('EU:A4')) v(g)
ORDER BY g;

--
-- The validator returns false, never an error.
--
SELECT pg_temp.shown(x) AS input, is_valid_grading(x) AS valid
FROM (VALUES ('B2'), ('EU:B2:H1'), ('UK3:1A:P'), ('UK5:B2:3'), (''),
			 ('EU:F1'), ('X7'), ('B2:H1'), ('FBI:A1'), (E'B\t2')) v(x);
SELECT is_valid_grading(repeat('A', 300)) AS overlong,
	   is_valid_grading(NULL) AS null_input;

--
-- Malformed literals, one statement each.
--
-- shape
SELECT ''::grading;
SELECT '   '::grading;
SELECT repeat('A', 300)::grading;
SELECT 'B'::grading;
SELECT 'B22'::grading;
SELECT 'B 2'::grading;
SELECT E'B\t2'::grading;
SELECT E'B2\x01'::grading;
SELECT 'Ｂ2'::grading;
SELECT 'B²'::grading;
SELECT ':B2'::grading;
SELECT 'EU:'::grading;
SELECT 'EU:B'::grading;
SELECT 'EU:B2X'::grading;
SELECT 'EU::B2'::grading;
-- unknown prefixes
SELECT 'FBI:A1'::grading;
SELECT 'UK:1A'::grading;
SELECT 'XX:B2'::grading;
SELECT 'E U:B2'::grading;
-- codes outside the system
SELECT 'G1'::grading;
SELECT 'A7'::grading;
SELECT 'A0'::grading;
SELECT 'ADM:X3'::grading;
SELECT 'EU:F1'::grading;
SELECT 'EU:B5'::grading;
SELECT 'X7'::grading;
SELECT '4A'::grading;
SELECT 'UK3:4A'::grading;
SELECT 'UK3:1F'::grading;
SELECT 'UK5:F1'::grading;
SELECT 'UK5:X1'::grading;
SELECT 'UK5:A6'::grading;
-- handling codes outside the system
SELECT 'B2:H1'::grading;
SELECT 'ADM:B2:H1'::grading;
SELECT 'NATO:B2:1'::grading;
SELECT 'EU:B2:H4'::grading;
SELECT 'EU:B2:1'::grading;
SELECT 'EU:B2:H'::grading;
SELECT 'EU:B2:'::grading;
SELECT 'EU:B2:H1:H2'::grading;
SELECT 'X3:P'::grading;
SELECT 'UK3:1A:Q'::grading;
SELECT 'UK3:1A:H1'::grading;
SELECT '1A:3'::grading;
SELECT 'UK5:B2:0'::grading;
SELECT 'UK5:B2:6'::grading;
SELECT 'UK5:B2:P'::grading;

--
-- Indexes: btree for equality and ranges, hash for equality.
--
CREATE TABLE grading_t (g grading, note text);
INSERT INTO grading_t SELECT g, 'row ' || g FROM all_gradings;
INSERT INTO grading_t VALUES (NULL, 'ungraded');
CREATE INDEX grading_t_btree ON grading_t (g);
ANALYZE grading_t;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM grading_t WHERE g = 'x3:h1';
SELECT * FROM grading_t WHERE g = 'x3:h1';
EXPLAIN (COSTS OFF)
SELECT * FROM grading_t WHERE g > 'UK5:E5' ORDER BY g;
SELECT * FROM grading_t WHERE g > 'UK5:E5' ORDER BY g;
DROP INDEX grading_t_btree;
CREATE INDEX grading_t_hash ON grading_t USING hash (g);
EXPLAIN (COSTS OFF) SELECT * FROM grading_t WHERE g = 'nato:b2';
SELECT * FROM grading_t WHERE g = 'nato:b2';
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Binary I/O: a round trip through binary COPY, and the pinned bytes of
-- the send function: a big-endian uint32 holding the system (1 Admiralty,
-- 2 Europol, 3 UK 3x5x2, 4 UK 5x5x5), then the ASCII source, information
-- and handling codes (0 when absent; Europol H1 is stored as '1').
--
COPY grading_t TO '/tmp/ideal_regress_types_grading.bin' WITH (FORMAT binary);
CREATE TABLE grading_t2 (LIKE grading_t);
COPY grading_t2 FROM '/tmp/ideal_regress_types_grading.bin'
	WITH (FORMAT binary);
SELECT count(*) AS copied FROM grading_t2;
SELECT count(*) AS differences FROM (
	(SELECT * FROM grading_t EXCEPT ALL SELECT * FROM grading_t2)
	UNION ALL
	(SELECT * FROM grading_t2 EXCEPT ALL SELECT * FROM grading_t)) d;
SELECT g, grading_send(g) AS bytes
FROM (VALUES ('B2'::grading), ('F6'), ('EU:B2'), ('EU:B2:H1'), ('X3'),
			 ('UK3:1A:P'), ('UK3:2C'), ('UK5:B2:3'), ('UK5:E5')) v(g);

-- receive checks what input checks: system, codes of that system,
-- upper case, handling only where the system has it, exactly four bytes
SELECT b AS bytes, pg_temp.recv('grading', b) AS received
FROM (VALUES ('\x01423200'::bytea), ('\x02583331'), ('\x03314150'),
			 ('\x04453535'), ('\x00423200'), ('\x05423200'),
			 ('\xff423200'), ('\x01623200'), ('\x01473200'),
			 ('\x01423700'), ('\x01423231'), ('\x02463100'),
			 ('\x02423234'), ('\x02423248'), ('\x03314151'),
			 ('\x03316150'), ('\x04423236'), ('\x04423230'),
			 ('\x01420032'), ('\x00000000'), ('\x014232'),
			 ('\x0142320000')) v(b);

DROP TABLE grading_t, grading_t2;
