--------------------------------------------------------------------------
-- ideal.threat_level: nil < low < moderate < high < very high
--------------------------------------------------------------------------

CREATE TYPE ideal.threat_level;

CREATE FUNCTION ideal.threat_level_in(cstring) RETURNS ideal.threat_level
	AS 'MODULE_PATHNAME', 'ideal_level_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_out(ideal.threat_level) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ideal_level_out'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_recv(internal) RETURNS ideal.threat_level
	AS 'MODULE_PATHNAME', 'ideal_level_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_send(ideal.threat_level) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_level_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ideal.threat_level (
	INPUT = ideal.threat_level_in,
	OUTPUT = ideal.threat_level_out,
	RECEIVE = ideal.threat_level_recv,
	SEND = ideal.threat_level_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);
COMMENT ON TYPE ideal.threat_level IS
	'One of five ordered threat levels; input in en, es or pt, output in the language of ideal.language';

CREATE FUNCTION ideal.threat_level_cmp(ideal.threat_level, ideal.threat_level) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_level_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_lt(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_le(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_eq(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_ne(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_ge(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_gt(ideal.threat_level, ideal.threat_level) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_level_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_hash(ideal.threat_level) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_level_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_hash_extended(ideal.threat_level, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_level_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_larger(ideal.threat_level, ideal.threat_level)
	RETURNS ideal.threat_level
	AS 'MODULE_PATHNAME', 'ideal_level_larger'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_level_smaller(ideal.threat_level, ideal.threat_level)
	RETURNS ideal.threat_level
	AS 'MODULE_PATHNAME', 'ideal_level_smaller'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR ideal.< (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_lt, COMMUTATOR = OPERATOR(ideal.>),
	NEGATOR = OPERATOR(ideal.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ideal.<= (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_le, COMMUTATOR = OPERATOR(ideal.>=),
	NEGATOR = OPERATOR(ideal.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ideal.= (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_eq, COMMUTATOR = OPERATOR(ideal.=),
	NEGATOR = OPERATOR(ideal.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR ideal.<> (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_ne, COMMUTATOR = OPERATOR(ideal.<>),
	NEGATOR = OPERATOR(ideal.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ideal.>= (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_ge, COMMUTATOR = OPERATOR(ideal.<=),
	NEGATOR = OPERATOR(ideal.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR ideal.> (LEFTARG = ideal.threat_level, RIGHTARG = ideal.threat_level,
	FUNCTION = ideal.threat_level_gt, COMMUTATOR = OPERATOR(ideal.<),
	NEGATOR = OPERATOR(ideal.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS ideal.threat_level_ops DEFAULT FOR TYPE ideal.threat_level USING btree AS
	OPERATOR 1 ideal.<, OPERATOR 2 ideal.<=, OPERATOR 3 ideal.=,
	OPERATOR 4 ideal.>=, OPERATOR 5 ideal.>,
	FUNCTION 1 ideal.threat_level_cmp(ideal.threat_level, ideal.threat_level);
CREATE OPERATOR CLASS ideal.threat_level_hash_ops DEFAULT FOR TYPE ideal.threat_level USING hash AS
	OPERATOR 1 ideal.=,
	FUNCTION 1 ideal.threat_level_hash(ideal.threat_level),
	FUNCTION 2 ideal.threat_level_hash_extended(ideal.threat_level, bigint);

CREATE FUNCTION ideal.threat_level_to_int(ideal.threat_level) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_level_to_int'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.int_to_threat_level(integer) RETURNS ideal.threat_level
	AS 'MODULE_PATHNAME', 'ideal_int_to_level'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (ideal.threat_level AS integer)
	WITH FUNCTION ideal.threat_level_to_int(ideal.threat_level);
CREATE CAST (integer AS ideal.threat_level)
	WITH FUNCTION ideal.int_to_threat_level(integer);
COMMENT ON FUNCTION ideal.threat_level_to_int(ideal.threat_level) IS
	'Ordinal of a threat level: 0 (nil) to 4 (very high)';
COMMENT ON FUNCTION ideal.int_to_threat_level(integer) IS
	'Threat level of an ordinal 0 (nil) to 4 (very high)';

CREATE FUNCTION ideal.threat_level_name(ideal.threat_level, lang text DEFAULT NULL)
	RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_level_name_fn'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ideal.threat_level_name(ideal.threat_level, text) IS
	'Word for a threat level in en, es or pt (default: setting ideal.language)';
CREATE FUNCTION ideal.is_valid_threat_level(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_is_valid_threat_level'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.is_valid_threat_level(text) IS
	'True if the text is accepted as an ideal.threat_level; never raises an error';

CREATE AGGREGATE ideal.max(ideal.threat_level) (
	SFUNC = ideal.threat_level_larger,
	STYPE = ideal.threat_level,
	COMBINEFUNC = ideal.threat_level_larger,
	SORTOP = OPERATOR(ideal.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ideal.max(ideal.threat_level) IS 'Highest threat level';
CREATE AGGREGATE ideal.min(ideal.threat_level) (
	SFUNC = ideal.threat_level_smaller,
	STYPE = ideal.threat_level,
	COMBINEFUNC = ideal.threat_level_smaller,
	SORTOP = OPERATOR(ideal.<),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ideal.min(ideal.threat_level) IS 'Lowest threat level';

COMMENT ON FUNCTION ideal.threat_level_in(cstring) IS
	'Text input of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_out(ideal.threat_level) IS
	'Text output of ideal.threat_level (in the language of ideal.language)';
COMMENT ON FUNCTION ideal.threat_level_recv(internal) IS
	'Binary input of ideal.threat_level; validates as strictly as text input';
COMMENT ON FUNCTION ideal.threat_level_send(ideal.threat_level) IS
	'Binary output of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_cmp(ideal.threat_level, ideal.threat_level) IS
	'Three-way comparison of ideal.threat_level (btree support)';
COMMENT ON FUNCTION ideal.threat_level_lt(ideal.threat_level, ideal.threat_level) IS
	'Implements the < operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_le(ideal.threat_level, ideal.threat_level) IS
	'Implements the <= operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_eq(ideal.threat_level, ideal.threat_level) IS
	'Implements the = operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_ne(ideal.threat_level, ideal.threat_level) IS
	'Implements the <> operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_ge(ideal.threat_level, ideal.threat_level) IS
	'Implements the >= operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_gt(ideal.threat_level, ideal.threat_level) IS
	'Implements the > operator of ideal.threat_level';
COMMENT ON FUNCTION ideal.threat_level_hash(ideal.threat_level) IS
	'Hash of ideal.threat_level (hash index support)';
COMMENT ON FUNCTION ideal.threat_level_hash_extended(ideal.threat_level, bigint) IS
	'Seeded hash of ideal.threat_level (hash partitioning support)';
COMMENT ON FUNCTION ideal.threat_level_larger(ideal.threat_level, ideal.threat_level) IS
	'The higher of two threat levels (max support)';
COMMENT ON FUNCTION ideal.threat_level_smaller(ideal.threat_level, ideal.threat_level) IS
	'The lower of two threat levels (min support)';
