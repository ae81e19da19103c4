-- ideal--0.1.0.sql: install script of the ideal extension

\echo Use "CREATE EXTENSION ideal" to load this file. \quit

--------------------------------------------------------------------------
-- ideal.country: an ISO 3166-1 country, stored as its numeric code
--------------------------------------------------------------------------

CREATE TYPE ideal.country;

CREATE FUNCTION ideal.country_in(cstring) RETURNS ideal.country
	AS 'MODULE_PATHNAME', 'ideal_country_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_out(ideal.country) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ideal_country_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_recv(internal) RETURNS ideal.country
	AS 'MODULE_PATHNAME', 'ideal_country_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_send(ideal.country) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_country_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ideal.country (
	INPUT = ideal.country_in,
	OUTPUT = ideal.country_out,
	RECEIVE = ideal.country_recv,
	SEND = ideal.country_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE ideal.country IS
	'ISO 3166-1 country; input alpha-2, alpha-3 or numeric in any case, output alpha-2';

CREATE FUNCTION ideal.country_cmp(ideal.country, ideal.country) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_country_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_lt(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_le(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_eq(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_ne(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_ge(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_gt(ideal.country, ideal.country) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_country_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_hash(ideal.country) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_country_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.country_hash_extended(ideal.country, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_country_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR ideal.< (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_lt, COMMUTATOR = OPERATOR(ideal.>),
	NEGATOR = OPERATOR(ideal.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ideal.<= (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_le, COMMUTATOR = OPERATOR(ideal.>=),
	NEGATOR = OPERATOR(ideal.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ideal.= (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_eq, COMMUTATOR = OPERATOR(ideal.=),
	NEGATOR = OPERATOR(ideal.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR ideal.<> (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_ne, COMMUTATOR = OPERATOR(ideal.<>),
	NEGATOR = OPERATOR(ideal.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ideal.>= (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_ge, COMMUTATOR = OPERATOR(ideal.<=),
	NEGATOR = OPERATOR(ideal.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR ideal.> (LEFTARG = ideal.country, RIGHTARG = ideal.country,
	FUNCTION = ideal.country_gt, COMMUTATOR = OPERATOR(ideal.<),
	NEGATOR = OPERATOR(ideal.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS ideal.country_ops DEFAULT FOR TYPE ideal.country USING btree AS
	OPERATOR 1 ideal.<, OPERATOR 2 ideal.<=, OPERATOR 3 ideal.=,
	OPERATOR 4 ideal.>=, OPERATOR 5 ideal.>,
	FUNCTION 1 ideal.country_cmp(ideal.country, ideal.country);
CREATE OPERATOR CLASS ideal.country_hash_ops DEFAULT FOR TYPE ideal.country USING hash AS
	OPERATOR 1 ideal.=,
	FUNCTION 1 ideal.country_hash(ideal.country),
	FUNCTION 2 ideal.country_hash_extended(ideal.country, bigint);

CREATE FUNCTION ideal.country_alpha3(ideal.country) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_country_alpha3'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.country_alpha3(ideal.country) IS
	'ISO 3166-1 alpha-3 code of a country';
CREATE FUNCTION ideal.country_numeric(ideal.country) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_country_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.country_numeric(ideal.country) IS
	'ISO 3166-1 numeric code of a country';
CREATE FUNCTION ideal.country_name(ideal.country, lang text DEFAULT NULL)
	RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_country_name'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ideal.country_name(ideal.country, text) IS
	'Short name of a country in en, es or pt (default: setting ideal.language)';
CREATE FUNCTION ideal.is_valid_country(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_is_valid_country'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.is_valid_country(text) IS
	'True if the text is accepted as an ideal.country; never raises an error';

COMMENT ON FUNCTION ideal.country_in(cstring) IS
	'Text input of ideal.country';
COMMENT ON FUNCTION ideal.country_out(ideal.country) IS
	'Text output of ideal.country';
COMMENT ON FUNCTION ideal.country_recv(internal) IS
	'Binary input of ideal.country; validates as strictly as text input';
COMMENT ON FUNCTION ideal.country_send(ideal.country) IS
	'Binary output of ideal.country';
COMMENT ON FUNCTION ideal.country_cmp(ideal.country, ideal.country) IS
	'Three-way comparison of ideal.country (btree support)';
COMMENT ON FUNCTION ideal.country_lt(ideal.country, ideal.country) IS
	'Implements the < operator of ideal.country';
COMMENT ON FUNCTION ideal.country_le(ideal.country, ideal.country) IS
	'Implements the <= operator of ideal.country';
COMMENT ON FUNCTION ideal.country_eq(ideal.country, ideal.country) IS
	'Implements the = operator of ideal.country';
COMMENT ON FUNCTION ideal.country_ne(ideal.country, ideal.country) IS
	'Implements the <> operator of ideal.country';
COMMENT ON FUNCTION ideal.country_ge(ideal.country, ideal.country) IS
	'Implements the >= operator of ideal.country';
COMMENT ON FUNCTION ideal.country_gt(ideal.country, ideal.country) IS
	'Implements the > operator of ideal.country';
COMMENT ON FUNCTION ideal.country_hash(ideal.country) IS
	'Hash of ideal.country (hash index support)';
COMMENT ON FUNCTION ideal.country_hash_extended(ideal.country, bigint) IS
	'Seeded hash of ideal.country (hash partitioning support)';

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

--------------------------------------------------------------------------
-- ideal.threat_summary: mergeable summary of scored observations
--------------------------------------------------------------------------

CREATE TYPE ideal.threat_summary;

CREATE FUNCTION ideal.threat_summary_in(cstring) RETURNS ideal.threat_summary
	AS 'MODULE_PATHNAME', 'ideal_summary_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_out(ideal.threat_summary) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ideal_summary_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_recv(internal) RETURNS ideal.threat_summary
	AS 'MODULE_PATHNAME', 'ideal_summary_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_send(ideal.threat_summary) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_summary_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ideal.threat_summary (
	INPUT = ideal.threat_summary_in,
	OUTPUT = ideal.threat_summary_out,
	RECEIVE = ideal.threat_summary_recv,
	SEND = ideal.threat_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = main
);
COMMENT ON TYPE ideal.threat_summary IS
	'Mergeable summary of scored observations: counts, unknowns, exact weighted sums, confidence, min and max';

CREATE FUNCTION ideal.threat_summary_cmp(ideal.threat_summary, ideal.threat_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_summary_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_lt(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_le(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_eq(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_ne(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_ge(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.threat_summary_gt(ideal.threat_summary, ideal.threat_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_summary_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR ideal.< (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_lt, COMMUTATOR = OPERATOR(ideal.>),
	NEGATOR = OPERATOR(ideal.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ideal.<= (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_le, COMMUTATOR = OPERATOR(ideal.>=),
	NEGATOR = OPERATOR(ideal.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ideal.= (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_eq, COMMUTATOR = OPERATOR(ideal.=),
	NEGATOR = OPERATOR(ideal.<>), RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR ideal.<> (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_ne, COMMUTATOR = OPERATOR(ideal.<>),
	NEGATOR = OPERATOR(ideal.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ideal.>= (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_ge, COMMUTATOR = OPERATOR(ideal.<=),
	NEGATOR = OPERATOR(ideal.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR ideal.> (LEFTARG = ideal.threat_summary, RIGHTARG = ideal.threat_summary,
	FUNCTION = ideal.threat_summary_gt, COMMUTATOR = OPERATOR(ideal.<),
	NEGATOR = OPERATOR(ideal.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS ideal.threat_summary_ops DEFAULT FOR TYPE ideal.threat_summary USING btree AS
	OPERATOR 1 ideal.<, OPERATOR 2 ideal.<=, OPERATOR 3 ideal.=,
	OPERATOR 4 ideal.>=, OPERATOR 5 ideal.>,
	FUNCTION 1 ideal.threat_summary_cmp(ideal.threat_summary, ideal.threat_summary);

CREATE FUNCTION ideal.score(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_score_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.score(ideal.threat_summary) IS
	'Confidence-weighted mean: sum(c*w*v) / sum(c*w); ungraded rows count with confidence 1';
CREATE FUNCTION ideal.raw_score(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_raw_score_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.raw_score(ideal.threat_summary) IS
	'Weighted mean ignoring gradings: sum(w*v) / sum(w)';
CREATE FUNCTION ideal.total(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_total_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.total(ideal.threat_summary) IS
	'Weighted sum of the values: sum(w*v)';
CREATE FUNCTION ideal.confidence(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_confidence_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.confidence(ideal.threat_summary) IS
	'Weighted mean confidence of the graded rows, or NULL if none was graded';
CREATE FUNCTION ideal.n(ideal.threat_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_summary_n_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.n(ideal.threat_summary) IS 'Number of rows with a value';
CREATE FUNCTION ideal.unknowns(ideal.threat_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_summary_unknowns_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.unknowns(ideal.threat_summary) IS
	'Number of rows answered unknown';
CREATE FUNCTION ideal.graded(ideal.threat_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ideal_summary_graded_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.graded(ideal.threat_summary) IS
	'Number of rows with a value and a grading';
CREATE FUNCTION ideal.min_value(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_min_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.min_value(ideal.threat_summary) IS 'Smallest value summarised';
CREATE FUNCTION ideal.max_value(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_max_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.max_value(ideal.threat_summary) IS 'Largest value summarised';
CREATE FUNCTION ideal.weight(ideal.threat_summary) RETURNS float8
	AS 'MODULE_PATHNAME', 'ideal_summary_weight_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.weight(ideal.threat_summary) IS 'Sum of the weights';
CREATE FUNCTION ideal.is_valid_threat_summary(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ideal_is_valid_threat_summary'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ideal.is_valid_threat_summary(text) IS
	'True if the text is accepted as an ideal.threat_summary; never raises an error';

-- the leaf aggregates
CREATE FUNCTION ideal.summarize_trans(internal, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summarize_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.summarize_trans(internal, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summarize_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.summarize_trans(internal, float8, float8, ideal.grading) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summarize_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.summarize_trans(internal, float8, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summarize_conf_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.merge_trans(internal, ideal.threat_summary) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_merge_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.summary_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summary_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ideal.summary_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_summary_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.summary_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_summary_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.summary_final(internal) RETURNS ideal.threat_summary
	AS 'MODULE_PATHNAME', 'ideal_summary_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE ideal.summarize(value float8) (
	SFUNC = ideal.summarize_trans, STYPE = internal,
	FINALFUNC = ideal.summary_final, COMBINEFUNC = ideal.summary_combine,
	SERIALFUNC = ideal.summary_serialize,
	DESERIALFUNC = ideal.summary_deserialize,
	SSPACE = 160, PARALLEL = SAFE
);
CREATE AGGREGATE ideal.summarize(value float8, weight float8) (
	SFUNC = ideal.summarize_trans, STYPE = internal,
	FINALFUNC = ideal.summary_final, COMBINEFUNC = ideal.summary_combine,
	SERIALFUNC = ideal.summary_serialize,
	DESERIALFUNC = ideal.summary_deserialize,
	SSPACE = 160, PARALLEL = SAFE
);
CREATE AGGREGATE ideal.summarize(value float8, weight float8, grading ideal.grading) (
	SFUNC = ideal.summarize_trans, STYPE = internal,
	FINALFUNC = ideal.summary_final, COMBINEFUNC = ideal.summary_combine,
	SERIALFUNC = ideal.summary_serialize,
	DESERIALFUNC = ideal.summary_deserialize,
	SSPACE = 160, PARALLEL = SAFE
);
CREATE AGGREGATE ideal.summarize(value float8, weight float8, confidence float8) (
	SFUNC = ideal.summarize_trans, STYPE = internal,
	FINALFUNC = ideal.summary_final, COMBINEFUNC = ideal.summary_combine,
	SERIALFUNC = ideal.summary_serialize,
	DESERIALFUNC = ideal.summary_deserialize,
	SSPACE = 160, PARALLEL = SAFE
);
CREATE AGGREGATE ideal.merge(ideal.threat_summary) (
	SFUNC = ideal.merge_trans, STYPE = internal,
	FINALFUNC = ideal.summary_final, COMBINEFUNC = ideal.summary_combine,
	SERIALFUNC = ideal.summary_serialize,
	DESERIALFUNC = ideal.summary_deserialize,
	SSPACE = 160, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ideal.summarize(float8) IS
	'Summary of values; a NULL value is an unknown answer';
COMMENT ON AGGREGATE ideal.summarize(float8, float8) IS
	'Summary of weighted values; a NULL weight counts as 1';
COMMENT ON AGGREGATE ideal.summarize(float8, float8, ideal.grading) IS
	'Summary of weighted values, each weighted again by the confidence of its grading';
COMMENT ON AGGREGATE ideal.summarize(float8, float8, float8) IS
	'Summary of weighted values with a confidence in [0, 1] given directly';
COMMENT ON AGGREGATE ideal.merge(ideal.threat_summary) IS
	'Merge of summaries, equal to the summary of all their rows';

COMMENT ON FUNCTION ideal.threat_summary_in(cstring) IS
	'Text input of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_out(ideal.threat_summary) IS
	'Text output of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_recv(internal) IS
	'Binary input of ideal.threat_summary; validates as strictly as text input';
COMMENT ON FUNCTION ideal.threat_summary_send(ideal.threat_summary) IS
	'Binary output of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_cmp(ideal.threat_summary, ideal.threat_summary) IS
	'Three-way comparison of ideal.threat_summary (btree support)';
COMMENT ON FUNCTION ideal.threat_summary_lt(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the < operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_le(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the <= operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_eq(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the = operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_ne(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the <> operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_ge(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the >= operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.threat_summary_gt(ideal.threat_summary, ideal.threat_summary) IS
	'Implements the > operator of ideal.threat_summary';
COMMENT ON FUNCTION ideal.summarize_trans(internal, float8) IS
	'Transition function of ideal.summarize';
COMMENT ON FUNCTION ideal.summarize_trans(internal, float8, float8) IS
	'Transition function of ideal.summarize';
COMMENT ON FUNCTION ideal.summarize_trans(internal, float8, float8, ideal.grading) IS
	'Transition function of ideal.summarize';
COMMENT ON FUNCTION ideal.summarize_trans(internal, float8, float8, float8) IS
	'Transition function of ideal.summarize';
COMMENT ON FUNCTION ideal.merge_trans(internal, ideal.threat_summary) IS
	'Transition function of ideal.merge';
COMMENT ON FUNCTION ideal.summary_combine(internal, internal) IS
	'Combines two partial summaries (parallel aggregation)';
COMMENT ON FUNCTION ideal.summary_serialize(internal) IS
	'Serializes a partial summary for parallel workers';
COMMENT ON FUNCTION ideal.summary_deserialize(bytea, internal) IS
	'Deserializes a partial summary from a parallel worker';
COMMENT ON FUNCTION ideal.summary_final(internal) IS
	'Final function of ideal.summarize and ideal.merge';

--------------------------------------------------------------------------
-- Catalog: methodologies as loaded from YAML (never edited in place)
--------------------------------------------------------------------------

CREATE TABLE ideal.methodology (
	code text PRIMARY KEY,
	version text NOT NULL,
	title jsonb NOT NULL,
	source text,
	note text,
	languages text[] NOT NULL,
	subject_kinds text[] NOT NULL,
	gradings text[] NOT NULL,
	quadrant_x text,
	quadrant_y text,
	quadrant_x_threshold float8,
	quadrant_y_threshold float8,
	sha256 text NOT NULL,
	definition text NOT NULL,
	bundled boolean NOT NULL DEFAULT false,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE ideal.methodology IS
	'Methodologies loaded from YAML files; definition holds the file as loaded';

CREATE TABLE ideal.scale (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('numeric', 'ordinal')),
	min float8 NOT NULL,
	max float8 NOT NULL,
	step float8,
	unknown_allowed boolean NOT NULL,
	unknown_value float8,
	unknown_labels jsonb,
	unknown_aliases text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.scale IS 'Answer scales of each methodology';

CREATE TABLE ideal.scale_level (
	methodology text NOT NULL,
	scale text NOT NULL,
	code text NOT NULL,
	position integer NOT NULL,
	value float8 NOT NULL,
	labels jsonb NOT NULL,
	aliases text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (methodology, scale, code),
	FOREIGN KEY (methodology, scale) REFERENCES ideal.scale ON DELETE CASCADE
);
COMMENT ON TABLE ideal.scale_level IS 'Levels of ordinal scales, with their values, labels and aliases';

CREATE TABLE ideal.crime_area (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.crime_area IS 'Crime areas of each methodology';

CREATE TABLE ideal.typology (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.typology IS 'Kinds of criminal group of each methodology';

CREATE TABLE ideal.indicator (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	kind text NOT NULL,
	scale text NOT NULL,
	weight float8 NOT NULL,
	required boolean NOT NULL,
	allow_unknown boolean NOT NULL,
	"group" text,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code),
	FOREIGN KEY (methodology, scale) REFERENCES ideal.scale
);
COMMENT ON TABLE ideal.indicator IS 'Indicators (questions) of each methodology';

CREATE TABLE ideal.composite (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	method text NOT NULL,
	kind text NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.composite IS
	'Composite scores of each methodology, in evaluation order; a subject kind''s headline score is its last banded composite, or its last composite if none is banded';

CREATE TABLE ideal.composite_input (
	methodology text NOT NULL,
	composite text NOT NULL,
	position integer NOT NULL,
	input text NOT NULL,
	input_is_composite boolean NOT NULL,
	weight float8 NOT NULL,
	PRIMARY KEY (methodology, composite, position),
	FOREIGN KEY (methodology, composite) REFERENCES ideal.composite ON DELETE CASCADE
);
COMMENT ON TABLE ideal.composite_input IS 'Inputs of each composite with their weights';

CREATE TABLE ideal.band (
	methodology text NOT NULL,
	composite text NOT NULL,
	level ideal.threat_level NOT NULL,
	lower_bound float8 NOT NULL,
	PRIMARY KEY (methodology, composite, level),
	FOREIGN KEY (methodology, composite) REFERENCES ideal.composite ON DELETE CASCADE
);
COMMENT ON TABLE ideal.band IS 'Threat level of a composite score: the level with the greatest lower_bound <= score';

CREATE TABLE ideal.member (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	country ideal.country NOT NULL,
	PRIMARY KEY (methodology, country)
);
COMMENT ON TABLE ideal.member IS 'Countries taking part in each methodology';

--------------------------------------------------------------------------
-- Cycles, subjects, observations, rejected rows
--------------------------------------------------------------------------

CREATE TABLE ideal.cycle (
	code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 63),
	methodology text NOT NULL REFERENCES ideal.methodology,
	title text,
	status text NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'closed', 'published')),
	opened_at timestamptz NOT NULL DEFAULT now(),
	closed_at timestamptz,
	published_at timestamptz
);
COMMENT ON TABLE ideal.cycle IS
	'Collection rounds: open accepts writes, closed and published refuse every change';

CREATE FUNCTION ideal.cycle_guard() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF EXISTS (SELECT 1 FROM ideal.observation o WHERE o.cycle = OLD.code) THEN
			RAISE EXCEPTION 'cycle "%" has observations', OLD.code
				USING ERRCODE = 'dependent_objects_still_exist',
					DETAIL = 'Deleting the cycle would orphan its submissions.',
					HINT = 'Cycles with data are closed, not deleted.';
		END IF;
		RETURN OLD;
	END IF;
	IF NEW.code <> OLD.code OR NEW.methodology <> OLD.methodology THEN
		RAISE EXCEPTION 'cycle "%" cannot change its code or methodology', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'Its observations were validated against its methodology.',
				HINT = 'Open a new cycle instead.';
	END IF;
	IF OLD.status = 'published' AND NEW.status <> 'published' THEN
		RAISE EXCEPTION 'cycle "%" is published', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'A published cycle never changes status.',
				HINT = 'Corrections belong in a new cycle.';
	END IF;
	IF OLD.status = 'open' AND NEW.status = 'published' THEN
		RAISE EXCEPTION 'cycle "%" must be closed before it is published', OLD.code
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = 'Its status is open.',
				HINT = 'Close it first: UPDATE ideal.cycle SET status = ''closed''.';
	END IF;
	IF NEW.status = 'closed' AND OLD.status = 'open' THEN
		NEW.closed_at := now();
	ELSIF NEW.status = 'published' AND OLD.status = 'closed' THEN
		NEW.published_at := now();
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION ideal.cycle_guard() IS
	'Cycle life cycle: open <-> closed -> published; code and methodology fixed';

CREATE TRIGGER cycle_guard BEFORE UPDATE OR DELETE ON ideal.cycle
	FOR EACH ROW EXECUTE FUNCTION ideal.cycle_guard();

CREATE FUNCTION ideal.cache_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_cache_invalidate'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.cache_invalidate() IS
	'Statement trigger: tells every backend to reread cycles and methodologies';
CREATE TRIGGER cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON ideal.cycle FOR EACH STATEMENT EXECUTE FUNCTION ideal.cache_invalidate();
CREATE TRIGGER cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON ideal.methodology FOR EACH STATEMENT EXECUTE FUNCTION ideal.cache_invalidate();

CREATE TABLE ideal.subject (
	cycle text NOT NULL REFERENCES ideal.cycle,
	country ideal.country NOT NULL,
	ref text NOT NULL CHECK (btrim(ref) <> ''),
	name text,
	typology text,
	primary_area text,
	crime_areas text[] NOT NULL DEFAULT '{}',
	operates_in ideal.country[] NOT NULL DEFAULT '{}',
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user,
	PRIMARY KEY (cycle, country, ref)
);
COMMENT ON TABLE ideal.subject IS
	'Criminal groups reported by a country in a cycle: reference, name, typology, crime areas, countries of operation';

CREATE TABLE ideal.observation (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	cycle text NOT NULL,
	country ideal.country NOT NULL,
	subject_kind text,
	subject text NOT NULL,
	indicator text NOT NULL,
	answer text NOT NULL,
	value float8,
	is_unknown boolean NOT NULL DEFAULT false,
	grading ideal.grading,
	handling text,
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user
);
CREATE UNIQUE INDEX observation_answer_key
	ON ideal.observation (cycle, country, subject_kind, subject, indicator);
COMMENT ON TABLE ideal.observation IS
	'One answer per row: (cycle, country, subject, indicator) -> answer; the trigger validates and normalises each row';
COMMENT ON COLUMN ideal.observation.indicator IS
	'Indicator code; on input also any of its labels, stored as the code';
COMMENT ON COLUMN ideal.observation.answer IS 'The answer as submitted';
COMMENT ON COLUMN ideal.observation.value IS
	'The answer on its scale, set by the trigger; NULL for an unknown that scores nothing';
COMMENT ON COLUMN ideal.observation.is_unknown IS
	'True when the answer was "unknown", set by the trigger';
COMMENT ON COLUMN ideal.observation.subject_kind IS
	'group, crime_area or country; set from the indicator by the trigger';

CREATE FUNCTION ideal.observation_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_check'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_check() IS
	'Row trigger: checks an observation against its cycle''s methodology and normalises it';
CREATE TRIGGER observation_check BEFORE INSERT OR UPDATE OR DELETE
	ON ideal.observation FOR EACH ROW EXECUTE FUNCTION ideal.observation_check();

CREATE TABLE ideal.rejected (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	target text NOT NULL,
	cycle text,
	country text,
	subject text,
	indicator text,
	answer text,
	sqlstate text NOT NULL,
	message text NOT NULL,
	detail text,
	hint text,
	submitted jsonb NOT NULL,
	rejected_at timestamptz NOT NULL DEFAULT now(),
	rejected_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE ideal.rejected IS
	'Rows refused while ideal.on_invalid = reject, whole and as submitted, with the reason';

--------------------------------------------------------------------------
-- Loading methodologies
--------------------------------------------------------------------------

CREATE FUNCTION ideal.load_methodology(definition text) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_load_methodology'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.load_methodology(text) IS
	'Load a methodology from the text of a YAML file; returns its code';
CREATE FUNCTION ideal.load_bundled(name text) RETURNS text
	AS 'MODULE_PATHNAME', 'ideal_load_bundled'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.load_bundled(text) IS
	'Load a methodology file shipped with the extension, such as gitoc-2023.yaml';
REVOKE ALL ON FUNCTION ideal.load_methodology(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ideal.load_bundled(text) FROM PUBLIC;

CREATE FUNCTION ideal.drop_methodology(code text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM ideal.cycle c WHERE c.methodology = drop_methodology.code) THEN
		RAISE EXCEPTION 'methodology "%" is used by a cycle', code
			USING ERRCODE = 'dependent_objects_still_exist',
				HINT = 'A methodology that a cycle uses never changes; load the new version under a new code.';
	END IF;
	DELETE FROM ideal.methodology m WHERE m.code = drop_methodology.code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'methodology "%" does not exist', code
			USING ERRCODE = 'undefined_object';
	END IF;
END $$;
COMMENT ON FUNCTION ideal.drop_methodology(text) IS
	'Remove a methodology that no cycle uses';
REVOKE ALL ON FUNCTION ideal.drop_methodology(text) FROM PUBLIC;

--------------------------------------------------------------------------
-- Scoring: composites per subject, bands, views
--------------------------------------------------------------------------

CREATE TYPE ideal.composite_score AS (
	composite text,
	score numeric,
	normalised float8,
	confidence float8,
	answered integer,
	expected integer,
	unknowns integer,
	coverage float8,
	level ideal.threat_level,
	exact boolean
);
COMMENT ON TYPE ideal.composite_score IS
	'One composite''s result for one subject, as returned by ideal.evaluate';

CREATE FUNCTION ideal.evaluate_trans(internal, text, text, float8, boolean, ideal.grading)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_trans'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_combine'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ideal_evaluate_serialize'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ideal_evaluate_deserialize'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ideal.evaluate_final(internal) RETURNS ideal.composite_score[]
	AS 'MODULE_PATHNAME', 'ideal_evaluate_final'
	LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE ideal.evaluate(cycle text, indicator text, value float8,
								is_unknown boolean, grading ideal.grading) (
	SFUNC = ideal.evaluate_trans, STYPE = internal,
	FINALFUNC = ideal.evaluate_final, COMBINEFUNC = ideal.evaluate_combine,
	SERIALFUNC = ideal.evaluate_serialize,
	DESERIALFUNC = ideal.evaluate_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ideal.evaluate(text, text, float8, boolean, ideal.grading) IS
	'Composite scores of one subject from its observations, as its cycle''s methodology defines them';

CREATE FUNCTION ideal.band_level(methodology text, composite text, score float8)
	RETURNS ideal.threat_level
	LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT b.level FROM ideal.band b
	 WHERE b.methodology = $1 AND b.composite = $2 AND b.lower_bound <= $3
	 ORDER BY b.lower_bound DESC LIMIT 1
$$;
COMMENT ON FUNCTION ideal.band_level(text, text, float8) IS
	'Threat level of a score on a composite''s band, or NULL if it has none';

CREATE VIEW ideal.subject_score AS
SELECT e.cycle, c.methodology, e.country, e.subject_kind, e.subject,
	   r.composite, r.score, r.normalised, r.confidence, r.answered,
	   r.expected, r.unknowns, r.coverage, r.level, r.exact,
	   (h.code IS NOT NULL) AS headline
  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS scores
		  FROM ideal.observation o
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
  JOIN ideal.cycle c ON c.code = e.cycle
 CROSS JOIN LATERAL unnest(e.scores) AS r
  LEFT JOIN LATERAL (SELECT k.code FROM ideal.composite k
					  WHERE k.methodology = c.methodology
						AND k.kind = e.subject_kind
					  ORDER BY EXISTS (SELECT 1 FROM ideal.band b
										WHERE b.methodology = k.methodology
										  AND b.composite = k.code) DESC,
							   k.position DESC
					  LIMIT 1) h
		 ON h.code = r.composite;
COMMENT ON VIEW ideal.subject_score IS
	'Every composite score of every subject, computed from the observations when queried';

CREATE VIEW ideal.regional_picture AS
SELECT a.cycle, a.methodology, a.crime_area, a.countries, a.score,
	   a.confidence,
	   ideal.band_level(a.methodology, a.composite, a.score) AS level,
	   rank() OVER (PARTITION BY a.cycle ORDER BY a.score DESC NULLS LAST) AS rank
  FROM (SELECT s.cycle, s.methodology, s.subject AS crime_area, s.composite,
			   count(DISTINCT s.country) AS countries,
			   ideal.score(ideal.summarize(s.score::float8, 1.0,
										   coalesce(s.confidence, 1.0))) AS score,
			   avg(s.confidence) AS confidence
		  FROM ideal.subject_score s
		 WHERE s.subject_kind = 'crime_area' AND s.headline
		 GROUP BY s.cycle, s.methodology, s.subject, s.composite) a;
COMMENT ON VIEW ideal.regional_picture IS
	'Per cycle and crime area: reporting countries, confidence-weighted headline score, its level and rank';

CREATE VIEW ideal.group_ranking AS
SELECT s.cycle, s.country, s.subject AS ref, g.name, g.typology,
	   g.primary_area, s.composite, s.score, s.normalised, s.confidence,
	   s.coverage, s.unknowns, s.level,
	   rank() OVER (PARTITION BY s.cycle ORDER BY s.score DESC NULLS LAST) AS rank
  FROM ideal.subject_score s
  LEFT JOIN ideal.subject g
		 ON g.cycle = s.cycle AND g.country = s.country AND g.ref = s.subject
 WHERE s.subject_kind = 'group' AND s.headline;
COMMENT ON VIEW ideal.group_ranking IS
	'Criminal groups of each cycle ranked by their headline composite';

--------------------------------------------------------------------------
-- Bundled methodologies
--------------------------------------------------------------------------

SELECT ideal.load_bundled('gitoc-2021.yaml');
SELECT ideal.load_bundled('gitoc-2023.yaml');
SELECT ideal.load_bundled('gitoc-2025.yaml');
SELECT ideal.load_bundled('sleipnir.yaml');
SELECT ideal.load_bundled('ideal-2.0.yaml');
UPDATE ideal.methodology SET bundled = true;
