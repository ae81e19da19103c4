--
-- ideal.country: ISO 3166-1 codes in every accepted form, names, ordering,
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
	PERFORM t::ideal.country;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END
$$;

--
-- Accepted forms: alpha-2, alpha-3, numeric with or without leading zeros,
-- any case, surrounding blanks.  Output is always the alpha-2 code.
--
SELECT pg_temp.shown(x) AS input, x::country AS country,
	   country_alpha3(x::country) AS alpha3, country_numeric(x::country) AS numeric
FROM (VALUES ('MX'), ('mx'), ('Mx'), ('mX'), ('MEX'), ('mex'), ('mEx'),
			 ('484'), (' MX'), ('MX '), ('  mex  '), (E'\t484\n'),
			 (E'\r\nBR\f'), (E'\x0Bbra'), ('076'), ('76'), ('BO'), ('068'),
			 ('68'), ('AF'), ('004'), ('04'), ('4'), ('ZW'), ('zwe'), ('716'),
			 ('SV'), ('slv'), ('222'), ('DO'), ('dom'), ('214')) v(x);

-- the three forms name the same country
SELECT 'MX'::country = 'MEX'::country AS a2_a3,
	   'MEX'::country = '484'::country AS a3_num,
	   'mx'::country = ' 484 '::country AS mixed;

-- every assigned numeric code, found through the validator
CREATE TEMP TABLE all_countries AS
	SELECT n, lpad(n::text, 3, '0')::country AS c
	FROM generate_series(0, 999) AS n
	WHERE is_valid_country(lpad(n::text, 3, '0'));
ANALYZE all_countries;
SELECT count(*) AS assigned FROM all_countries;
-- every output form parses back to the same country, in either case
SELECT count(*) AS bad_round_trips FROM all_countries
WHERE country_numeric(c) <> n
   OR c::text::country <> c
   OR lower(c::text)::country <> c
   OR country_alpha3(c)::country <> c
   OR lower(country_alpha3(c))::country <> c
   OR n::text::country <> c
   OR length(c::text) <> 2
   OR length(country_alpha3(c)) <> 3;
-- the validator agrees with the input function on every 3-digit string
SELECT count(*) AS disagreements
FROM generate_series(0, 999) AS n
WHERE pg_temp.accepts(lpad(n::text, 3, '0')) <>
	  is_valid_country(lpad(n::text, 3, '0'));
-- every assigned code has exactly one alpha-2 and one alpha-3 form
CREATE TEMP TABLE letters AS
	SELECT chr(65 + i) AS l FROM generate_series(0, 25) AS i;
SELECT count(*) AS alpha2_codes,
	   count(*) FILTER (WHERE pg_temp.accepts(lower(a.l || b.l)))
		   AS accepted_in_lower_case
FROM letters a, letters b
WHERE is_valid_country(a.l || b.l);
SELECT count(*) AS alpha3_codes
FROM letters a, letters b, letters c
WHERE is_valid_country(a.l || b.l || c.l);
SELECT count(*) AS disagreements
FROM letters a, letters b
WHERE pg_temp.accepts(a.l || b.l) <> is_valid_country(a.l || b.l);

--
-- Ordering follows the alpha-2 code, not the numeric code: AD (20) sorts
-- before AF (4).
--
SELECT 'AD'::country < 'AF'::country AS lt,
	   'AD'::country <= 'AD'::country AS le,
	   'AF'::country > 'AD'::country AS gt,
	   'AF'::country >= 'AF'::country AS ge,
	   'MX'::country = 'mex'::country AS eq,
	   'MX'::country <> 'BR'::country AS ne,
	   'AF'::country < 'AD'::country AS not_lt,
	   'MX'::country = 'BR'::country AS not_eq;
SELECT c, country_numeric(c)
FROM (VALUES ('PA'::country), ('ar'), ('076'), ('MEX'), ('AF'), ('AD'),
			 ('zw'), ('CO')) v(c)
ORDER BY c;
SELECT c FROM (VALUES ('PA'::country), ('ar'), ('076'), ('MEX')) v(c)
ORDER BY c DESC;
-- ORDER BY over all countries matches the byte order of the alpha-2 text
SELECT count(*) AS out_of_order
FROM (SELECT c, lag(c) OVER (ORDER BY c) AS prev FROM all_countries) s
WHERE prev IS NOT NULL AND NOT (prev::text COLLATE "C" < c::text COLLATE "C");
(SELECT c FROM all_countries ORDER BY c LIMIT 3)
UNION ALL
(SELECT c FROM all_countries ORDER BY c DESC LIMIT 3);

--
-- Names in English, Spanish and Portuguese, from the argument or from the
-- setting ideal.language.
--
SELECT c, country_name(c, 'en') AS en, country_name(c, 'es') AS es,
	   country_name(c, 'pt') AS pt
FROM (VALUES ('MX'::country), ('BR'), ('PA'), ('PE'), ('CO'), ('DO'), ('PY'),
			 ('BO'), ('HT'), ('TT')) v(c);
SHOW ideal.language;
SELECT country_name('MX') AS default_lang,
	   country_name('MX', NULL) AS null_lang;
SET ideal.language = 'es';
SELECT country_name('MX') AS es, country_name('PE', NULL) AS es_null,
	   country_name('PE', 'pt') AS pt_explicit;
SET ideal.language = 'pt';
SELECT country_name('BR') AS pt, country_name('PY') AS pt2;
RESET ideal.language;
-- a NULL country has a NULL name
SELECT country_name(NULL) AS null_country, country_name(NULL, 'es') AS null_es;
-- language codes in any case, like the setting; others are refused
SELECT country_name('MX', 'ES') AS es_upper;
SELECT country_name('MX', 'fr');
SELECT country_name('MX', '');

-- accessors are strict
SELECT country_alpha3(NULL) AS a3, country_numeric(NULL) AS num;

--
-- The validator returns false, never an error.
--
SELECT pg_temp.shown(x) AS input, is_valid_country(x) AS valid
FROM (VALUES ('MX'), ('mex'), ('484'), (' 068 '), (''), ('   '), ('XX'),
			 ('0'), ('1000'), ('-1'), ('M X'), ('Mexico'), (E'M\tX'),
			 ('ＭＸ')) v(x);
SELECT is_valid_country(repeat('A', 300)) AS overlong,
	   is_valid_country(NULL) AS null_input;

--
-- Malformed literals, one statement each.
--
SELECT ''::country;
SELECT '   '::country;
SELECT E'\t\n'::country;
SELECT repeat('A', 300)::country;
SELECT 'M'::country;
SELECT 'MEXI'::country;
SELECT 'M X'::country;
SELECT E'M\tX'::country;
SELECT E'MX\x01'::country;
SELECT 'MX.'::country;
SELECT 'M-X'::country;
SELECT 'MX,BR'::country;
SELECT 'M1'::country;
SELECT 'XX'::country;
SELECT 'UK'::country;
SELECT 'EU'::country;
SELECT 'XK'::country;
SELECT 'ZZZ'::country;
SELECT 'Mexico'::country;
SELECT '0'::country;
SELECT '000'::country;
SELECT '999'::country;
SELECT '1000'::country;
SELECT '0484'::country;
SELECT '-1'::country;
SELECT '+484'::country;
SELECT '48 4'::country;
SELECT '4.8'::country;
SELECT '1e2'::country;
SELECT 'ＭＸ'::country;
SELECT 'MÉX'::country;
SELECT E'\u00A0MX'::country;

--
-- Indexes: btree for equality and ranges, hash for equality, and hash
-- joins through the HASHES flag of =.
--
CREATE TABLE country_t (c country, note text);
INSERT INTO country_t SELECT c, 'n' || n FROM all_countries;
INSERT INTO country_t VALUES (NULL, 'no country');
CREATE INDEX country_t_btree ON country_t (c);
ANALYZE country_t;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM country_t WHERE c = 'mex';
SELECT * FROM country_t WHERE c = 'mex';
EXPLAIN (COSTS OFF) SELECT * FROM country_t WHERE c > 'UY' ORDER BY c;
SELECT * FROM country_t WHERE c > 'UY' ORDER BY c;
SELECT * FROM country_t WHERE c IS NULL;
DROP INDEX country_t_btree;
CREATE INDEX country_t_hash ON country_t USING hash (c);
EXPLAIN (COSTS OFF) SELECT * FROM country_t WHERE c = '076';
SELECT * FROM country_t WHERE c = '076';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM country_t a JOIN all_countries b ON a.c = b.c;
SELECT count(*) FROM country_t a JOIN all_countries b ON a.c = b.c;
RESET enable_mergejoin;
RESET enable_nestloop;

--
-- Binary I/O: a round trip through binary COPY, and the pinned bytes of
-- the send function (the numeric code as a big-endian int2).
--
COPY country_t TO '/tmp/ideal_regress_types_country.bin' WITH (FORMAT binary);
CREATE TABLE country_t2 (LIKE country_t);
COPY country_t2 FROM '/tmp/ideal_regress_types_country.bin'
	WITH (FORMAT binary);
SELECT count(*) AS copied FROM country_t2;
SELECT count(*) AS differences FROM (
	(SELECT * FROM country_t EXCEPT ALL SELECT * FROM country_t2)
	UNION ALL
	(SELECT * FROM country_t2 EXCEPT ALL SELECT * FROM country_t)) d;
SELECT country_send('MX') AS mx, country_send('BO') AS bo,
	   country_send('ZW') AS zw, country_send('AF') AS af;

-- receive checks what input checks: an assigned code, exactly two bytes
SELECT b AS bytes, pg_temp.recv('country', b) AS received
FROM (VALUES ('\x01e4'::bytea), ('\x0044'), ('\x0000'), ('\x03e7'),
			 ('\x03e8'), ('\xffff'), ('\x8000'), ('\x01'), ('\x'),
			 ('\x01e400')) v(b);

DROP TABLE country_t, country_t2;
