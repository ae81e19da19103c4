--------------------------------------------------------------------------
-- ideal.grading: Admiralty 6x6, Europol 4x4, UK 3x5x2 and 5x5x5 codes
--------------------------------------------------------------------------

CREATE TYPE ideal.grading;

CREATE FUNCTION ideal.grading_in(cstring) RETURNS ideal.grading
	AS 'MODULE_PATHNAME', 'ideal_grading_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_out(ideal.grading) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ideal_grading_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_recv(internal) RETURNS ideal.grading
	AS 'MODULE_PATHNAME', 'ideal_grading_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_send(ideal.grading) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_grading_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ideal.grading (
	INPUT = ideal.grading_in,
	OUTPUT = ideal.grading_out,
	RECEIVE = ideal.grading_recv,
	SEND = ideal.grading_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE ideal.grading IS
	'Source and information evaluation: Admiralty "B2", Europol "EU:B2:H1" or "X3", UK 3x5x2 "UK3:1A:P", UK 5x5x5 "UK5:B2:3"';

CREATE FUNCTION ideal.grading_cmp(ideal.grading, ideal.grading) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_grading_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_lt(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_le(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_eq(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_ne(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_ge(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_gt(ideal.grading, ideal.grading) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_grading_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_hash(ideal.grading) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_grading_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.grading_hash_extended(ideal.grading, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_grading_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR ideal.< (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_lt, COMMUTATOR = OPERATOR(ideal.>),
	NEGATOR = OPERATOR(ideal.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ideal.<= (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_le, COMMUTATOR = OPERATOR(ideal.>=),
	NEGATOR = OPERATOR(ideal.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ideal.= (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_eq, COMMUTATOR = OPERATOR(ideal.=),
	NEGATOR = OPERATOR(ideal.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR ideal.<> (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_ne, COMMUTATOR = OPERATOR(ideal.<>),
	NEGATOR = OPERATOR(ideal.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ideal.>= (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_ge, COMMUTATOR = OPERATOR(ideal.<=),
	NEGATOR = OPERATOR(ideal.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR ideal.> (LEFTARG = ideal.grading, RIGHTARG = ideal.grading,
	FUNCTION = ideal.grading_gt, COMMUTATOR = OPERATOR(ideal.<),
	NEGATOR = OPERATOR(ideal.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS ideal.grading_ops DEFAULT FOR TYPE ideal.grading USING btree AS
	OPERATOR 1 ideal.<, OPERATOR 2 ideal.<=, OPERATOR 3 ideal.=,
	OPERATOR 4 ideal.>=, OPERATOR 5 ideal.>,
	FUNCTION 1 ideal.grading_cmp(ideal.grading, ideal.grading);
CREATE OPERATOR CLASS ideal.grading_hash_ops DEFAULT FOR TYPE ideal.grading USING hash AS
	OPERATOR 1 ideal.=,
	FUNCTION 1 ideal.grading_hash(ideal.grading),
	FUNCTION 2 ideal.grading_hash_extended(ideal.grading, bigint);

CREATE FUNCTION ideal.confidence(ideal.grading) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_grading_confidence_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.confidence(ideal.grading) IS
	'Default confidence weight of a grading in [0, 1]: source weight times information weight';
CREATE FUNCTION ideal.grading_system(ideal.grading) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_grading_system_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.grading_system(ideal.grading) IS
	'Grading system: admiralty, europol, uk3x5x2 or uk5x5x5';
CREATE FUNCTION ideal.grading_source(ideal.grading) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_grading_source_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.grading_source(ideal.grading) IS
	'Source evaluation code of a grading';
CREATE FUNCTION ideal.grading_information(ideal.grading) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_grading_information_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.grading_information(ideal.grading) IS
	'Information (intelligence) evaluation code of a grading';
CREATE FUNCTION ideal.grading_handling(ideal.grading) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_grading_handling_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.grading_handling(ideal.grading) IS
	'Handling code of a grading (H0-H3, P/C, 1-5), or NULL';
CREATE FUNCTION ideal.is_valid_grading(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_is_valid_grading'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.is_valid_grading(text) IS
	'True if the text is accepted as an ideal.grading; never raises an error';

COMMENT ON FUNCTION ideal.grading_in(cstring) IS
	'Text input of ideal.grading';
COMMENT ON FUNCTION ideal.grading_out(ideal.grading) IS
	'Text output of ideal.grading';
COMMENT ON FUNCTION ideal.grading_recv(internal) IS
	'Binary input of ideal.grading; validates as strictly as text input';
COMMENT ON FUNCTION ideal.grading_send(ideal.grading) IS
	'Binary output of ideal.grading';
COMMENT ON FUNCTION ideal.grading_cmp(ideal.grading, ideal.grading) IS
	'Three-way comparison of ideal.grading (btree support)';
COMMENT ON FUNCTION ideal.grading_lt(ideal.grading, ideal.grading) IS
	'Implements the < operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_le(ideal.grading, ideal.grading) IS
	'Implements the <= operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_eq(ideal.grading, ideal.grading) IS
	'Implements the = operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_ne(ideal.grading, ideal.grading) IS
	'Implements the <> operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_ge(ideal.grading, ideal.grading) IS
	'Implements the >= operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_gt(ideal.grading, ideal.grading) IS
	'Implements the > operator of ideal.grading';
COMMENT ON FUNCTION ideal.grading_hash(ideal.grading) IS
	'Hash of ideal.grading (hash index support)';
COMMENT ON FUNCTION ideal.grading_hash_extended(ideal.grading, bigint) IS
	'Seeded hash of ideal.grading (hash partitioning support)';
