--
-- ideal.threat_level: the five ordered levels, their words in English,
-- Spanish and Portuguese, output per ideal.language, casts, min/max,
-- indexes, binary I/O and the exact error for each malformed literal.
--
SET search_path = ideal, public;
\set VERBOSITY default
\pset null '<NULL>'

-- shows blanks, control characters and combining marks in test output
CREATE FUNCTION pg_temp.shown(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(replace(replace(replace(replace(replace(replace(
		t, E'\t', '\t'), E'\n', '\n'), E'\r', '\r'), E'\f', '\f'),
		E'\x0B', '\v'), E'\x01', '\x01'), E'\u00A0', '<U+00A0>'),
		E'\u0301', '<U+0301>')
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
	PERFORM t::ideal.threat_level;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END
$$;

--
-- Accepted words: English, Spanish and Portuguese, masculine and feminine,
-- any case, with or without accents (precomposed or combining), blanks
-- around and between words folded.
--
SELECT pg_temp.shown(x) AS input, x::threat_level AS level,
	   x::threat_level::integer AS ord
FROM (VALUES ('nil'), ('NIL'), ('none'), ('None'), ('nulo'), ('NULA'),
			 ('ninguno'), ('Ninguna'), ('nenhum'), ('NENHUMA'),
			 ('low'), ('LOW'), ('bajo'), ('Baja'), ('baixo'), ('BAIXA'),
			 ('moderate'), ('Moderate'), ('medium'), ('moderado'),
			 ('MODERADA'), ('medio'), ('media'), ('médio'), ('Média'),
			 ('MÉDIO'), ('MÉDIA'), (E'me\u0301dio'), (E'ME\u0301DIA'),
			 ('high'), ('HIGH'), ('alto'), ('Alta'),
			 ('very high'), ('Very High'), ('VERY HIGH'), ('very   high'),
			 (E'very\thigh'), (E'very\u00A0high'), ('muy alto'),
			 ('Muy Alta'), ('muito alto'), ('MUITO ALTA'),
			 ('  low  '), (E'\thigh\n'), (E'\r\nalta\f')) v(x);

-- folding strips every Latin-1 diacritic, so these are accepted too
SELECT 'hígh'::threat_level AS i_acute, 'bajø'::threat_level AS o_slash,
	   'ñil'::threat_level AS n_tilde, 'MÜY ÁLTÖ'::threat_level AS umlauts;

-- all five levels and their ordinals
SELECT i, i::threat_level AS level, (i::threat_level)::integer AS back
FROM generate_series(0, 4) AS i;

--
-- Output follows ideal.language, and every output form parses back.
--
SHOW ideal.language;
SELECT i, i::threat_level AS level,
	   (i::threat_level)::text::threat_level = i::threat_level AS reparses
FROM generate_series(0, 4) AS i;
SET ideal.language = 'es';
SELECT i, i::threat_level AS level,
	   (i::threat_level)::text::threat_level = i::threat_level AS reparses
FROM generate_series(0, 4) AS i;
SELECT 'very high'::threat_level AS es_out, 'baixo'::threat_level AS es_out2;
SET ideal.language = 'pt';
SELECT i, i::threat_level AS level,
	   (i::threat_level)::text::threat_level = i::threat_level AS reparses
FROM generate_series(0, 4) AS i;
SELECT 'muy alto'::threat_level AS pt_out, 'low'::threat_level AS pt_out2;
SET ideal.language = 'en';
SELECT 'muito alta'::threat_level AS en_out, 'nula'::threat_level AS en_out2;
RESET ideal.language;

-- threat_level_name in each language, independent of the setting
SELECT l, threat_level_name(l, 'en') AS en, threat_level_name(l, 'es') AS es,
	   threat_level_name(l, 'pt') AS pt, threat_level_name(l) AS default_lang,
	   threat_level_name(l, NULL) AS null_lang
FROM generate_series(0, 4) AS i, LATERAL (SELECT i::threat_level AS l) s;
SET ideal.language = 'pt';
SELECT threat_level_name('high') AS pt_default,
	   threat_level_name('high', 'es') AS es_explicit;
RESET ideal.language;
-- the words the name function gives parse back in every language
SELECT count(*) AS bad_names
FROM generate_series(0, 4) AS i, unnest(ARRAY['en', 'es', 'pt']) AS lang
WHERE threat_level_name(i::threat_level, lang)::threat_level <> i::threat_level;
SELECT threat_level_name(NULL) AS null_level,
	   threat_level_name(NULL, 'es') AS null_level_es;
-- language codes in any case, like the setting
SELECT threat_level_name('high', 'ES') AS es,
	   threat_level_name('high', 'Pt') AS pt;
SELECT threat_level_name('high', 'fr');
SELECT threat_level_name('high', 'spanish');
SELECT threat_level_name('high', '');

--
-- Casts to and from integer.
--
SELECT 0::threat_level AS zero, 4::threat_level AS four,
	   'moderado'::threat_level::integer AS moderate;
SELECT (-1)::threat_level;
SELECT 5::threat_level;
SELECT 2147483647::threat_level;
SELECT (-2147483648)::threat_level;
SELECT NULL::integer::threat_level AS null_int;

--
-- Comparison operators and ORDER BY follow the level, not the word.
--
SELECT 'nil'::threat_level < 'low'::threat_level AS lt,
	   'bajo'::threat_level <= 'baixa'::threat_level AS le,
	   'alto'::threat_level = 'HIGH'::threat_level AS eq,
	   'medio'::threat_level <> 'alta'::threat_level AS ne,
	   'muy alto'::threat_level >= 'alta'::threat_level AS ge,
	   'muito alto'::threat_level > 'high'::threat_level AS gt,
	   'high'::threat_level < 'moderate'::threat_level AS not_lt,
	   'low'::threat_level = 'nil'::threat_level AS not_eq;
SELECT l FROM (VALUES ('alto'::threat_level), ('nil'), ('muito alto'),
				  ('baja'), ('moderate'), ('low')) v(l)
ORDER BY l;
SELECT l FROM (VALUES ('alto'::threat_level), ('nil'), ('muito alto'),
				  ('baja'), ('moderate')) v(l)
ORDER BY l DESC;

--
-- ideal.min and ideal.max aggregates.
--
CREATE TABLE level_t (grp text, l threat_level);
INSERT INTO level_t VALUES
	('a', 'low'), ('a', 'alto'), ('a', NULL), ('a', 'moderado'),
	('b', 'nil'), ('b', NULL),
	('c', NULL);
SELECT grp, ideal.min(l) AS lowest, ideal.max(l) AS highest, count(l)
FROM level_t GROUP BY grp ORDER BY grp;
SELECT ideal.min(l), ideal.max(l) FROM level_t;
SELECT ideal.min(l), ideal.max(l) FROM level_t WHERE false;

--
-- The validator returns false, never an error, and agrees with the input
-- function.
--
SELECT pg_temp.shown(x) AS input, is_valid_threat_level(x) AS valid
FROM (VALUES ('high'), ('MÉDIA'), ('muito alto'), (''), ('   '),
			 ('very'), ('veryhigh'), ('critical'), ('4'), (E'hi\tgh')) v(x);
SELECT is_valid_threat_level(repeat('a', 300)) AS overlong,
	   is_valid_threat_level(NULL) AS null_input;
SELECT count(*) AS disagreements
FROM (VALUES ('high'), ('MÉDIA'), ('muito alto'), (''), ('   '), ('very'),
			 ('veryhigh'), ('critical'), ('4'), (E'hi\tgh'), ('altos'),
			 (E'me\u0301dio'), ('hígh'), ('ｈｉｇｈ')) v(x)
WHERE pg_temp.accepts(x) <> is_valid_threat_level(x);

--
-- Malformed literals, one statement each.
--
SELECT ''::threat_level;
SELECT '   '::threat_level;
SELECT E'\t\n'::threat_level;
SELECT repeat('a', 300)::threat_level;
SELECT 'very'::threat_level;
SELECT 'veryhigh'::threat_level;
SELECT 'very-high'::threat_level;
SELECT 'very_high'::threat_level;
SELECT 'hi'::threat_level;
SELECT 'highh'::threat_level;
SELECT 'high.'::threat_level;
SELECT 'alto!'::threat_level;
SELECT 'altos'::threat_level;
SELECT 'muy'::threat_level;
SELECT 'muito'::threat_level;
SELECT 'muy bajo'::threat_level;
SELECT 'very low'::threat_level;
SELECT 'critical'::threat_level;
SELECT 'unknown'::threat_level;
SELECT 'desconocido'::threat_level;
SELECT 'null'::threat_level;
SELECT 'high high'::threat_level;
SELECT 'low,high'::threat_level;
SELECT '2'::threat_level;
SELECT E'hi\tgh'::threat_level;
SELECT E'high\x01'::threat_level;
SELECT 'ｈｉｇｈ'::threat_level;
SELECT 'аlto'::threat_level;
SELECT 'ALTΟ'::threat_level;
SELECT 'ßaja'::threat_level;

--
-- Indexes: btree for equality and ranges, hash for equality.
--
CREATE TABLE level_ix (l threat_level, note text);
INSERT INTO level_ix SELECT (i % 5)::threat_level, 'row ' || i
FROM generate_series(1, 500) AS i;
CREATE INDEX level_ix_btree ON level_ix (l);
ANALYZE level_ix;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM level_ix WHERE l = 'muy alto';
SELECT count(*) FROM level_ix WHERE l = 'muy alto';
EXPLAIN (COSTS OFF) SELECT * FROM level_ix WHERE l >= 'alta';
SELECT count(*) FROM level_ix WHERE l >= 'alta';
-- min and max name their sort operators, so they can read the index
EXPLAIN (COSTS OFF) SELECT ideal.max(l) FROM level_ix;
SELECT ideal.min(l), ideal.max(l) FROM level_ix;
DROP INDEX level_ix_btree;
CREATE INDEX level_ix_hash ON level_ix USING hash (l);
EXPLAIN (COSTS OFF) SELECT * FROM level_ix WHERE l = 'nil';
SELECT count(*) FROM level_ix WHERE l = 'nil';
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Binary I/O: a round trip through binary COPY, and the pinned bytes of
-- the send function (the level as one byte).
--
COPY level_t TO '/tmp/ideal_regress_types_threat_level.bin'
	WITH (FORMAT binary);
CREATE TABLE level_t2 (LIKE level_t);
COPY level_t2 FROM '/tmp/ideal_regress_types_threat_level.bin'
	WITH (FORMAT binary);
SELECT count(*) AS copied FROM level_t2;
SELECT count(*) AS differences FROM (
	(SELECT * FROM level_t EXCEPT ALL SELECT * FROM level_t2)
	UNION ALL
	(SELECT * FROM level_t2 EXCEPT ALL SELECT * FROM level_t)) d;
SELECT threat_level_send('nil') AS nil, threat_level_send('bajo') AS low,
	   threat_level_send('médio') AS moderate,
	   threat_level_send('alta') AS high,
	   threat_level_send('very high') AS very_high;

-- receive checks what input checks: one byte from 0 to 4
SELECT b AS bytes, pg_temp.recv('threat_level', b) AS received
FROM (VALUES ('\x00'::bytea), ('\x04'), ('\x05'), ('\x7f'), ('\x80'),
			 ('\xff'), ('\x'), ('\x0100')) v(b);

DROP TABLE level_t, level_t2, level_ix;
