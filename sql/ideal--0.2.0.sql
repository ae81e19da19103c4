-- ideal--0.2.0.sql: install script of the ideal extension

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
	published_at timestamptz,
	revision bigint NOT NULL DEFAULT 1
);
COMMENT ON TABLE ideal.cycle IS
	'Collection rounds: open accepts writes, closed and published refuse every change';
COMMENT ON COLUMN ideal.cycle.revision IS
	'Counts the updates of the cycle row (status changes included); kept by dumps, so stored scores stay current after a restore';

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
	NEW.revision := OLD.revision + 1;
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
	aliases text[] NOT NULL DEFAULT '{}',
	typology text,
	primary_area text,
	crime_areas text[] NOT NULL DEFAULT '{}',
	operates_in ideal.country[] NOT NULL DEFAULT '{}',
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user,
	checked boolean NOT NULL DEFAULT false,
	PRIMARY KEY (cycle, country, ref)
);
COMMENT ON TABLE ideal.subject IS
	'Criminal groups reported by a country in a cycle: reference, name, aliases, typology, crime areas, countries of operation; validated by ideal.subject_check';
COMMENT ON COLUMN ideal.subject.ref IS
	'The group''s reference, unique per cycle and country; observations name the group by it';
COMMENT ON COLUMN ideal.subject.typology IS
	'A typology of the cycle''s methodology, by code or label, stored as the code';
COMMENT ON COLUMN ideal.subject.primary_area IS
	'The one primary crime area, by code or label, stored as the code (NULL only where the methodology has no crime areas)';
COMMENT ON COLUMN ideal.subject.crime_areas IS
	'Other crime areas, stored as codes, each once, without the primary one';
COMMENT ON COLUMN ideal.subject.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

CREATE FUNCTION ideal.subject_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_subject_check'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.subject_check() IS
	'Row trigger: checks a group against its cycle''s methodology and normalises it';
CREATE TRIGGER subject_check BEFORE INSERT OR UPDATE OR DELETE
	ON ideal.subject FOR EACH ROW EXECUTE FUNCTION ideal.subject_check();

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
	loaded_by name NOT NULL DEFAULT current_user,
	checked boolean NOT NULL DEFAULT false
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
COMMENT ON COLUMN ideal.observation.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

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
CREATE INDEX rejected_target ON ideal.rejected (target, cycle, country);
COMMENT ON TABLE ideal.rejected IS
	'Rows refused while ideal.on_invalid = reject, whole and as submitted, with the reason';
COMMENT ON COLUMN ideal.rejected.target IS
	'Where the row was sent: a table, or an intake view';
COMMENT ON COLUMN ideal.rejected.submitted IS
	'The row as sent to the target, whole, as jsonb; for a wide intake view the whole row, with indicator and answer naming the refused cell';

--------------------------------------------------------------------------
-- Intake views: text columns only, so that COPY hands every row to the
-- trigger, which parses the types itself and rejects what does not parse
--------------------------------------------------------------------------

CREATE VIEW ideal.observation_intake WITH (security_invoker = true) AS
SELECT o.cycle, o.country::text AS country, o.subject, o.indicator, o.answer,
	   o.grading::text AS grading, o.handling, o.note
  FROM ideal.observation o;
COMMENT ON VIEW ideal.observation_intake IS
	'Long-form intake: COPY or INSERT rows of text here; each is parsed, validated and stored in ideal.observation, or refused as ideal.on_invalid says';

CREATE FUNCTION ideal.observation_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_intake() IS
	'INSTEAD OF INSERT trigger of ideal.observation_intake: parses country and grading, inserts into ideal.observation';
CREATE TRIGGER intake INSTEAD OF INSERT ON ideal.observation_intake
	FOR EACH ROW EXECUTE FUNCTION ideal.observation_intake();

CREATE VIEW ideal.subject_intake WITH (security_invoker = true) AS
SELECT s.cycle, s.country::text AS country, s.ref, s.name,
	   s.aliases::text AS aliases, s.typology, s.primary_area,
	   s.crime_areas::text AS crime_areas, s.operates_in::text AS operates_in,
	   s.note
  FROM ideal.subject s;
COMMENT ON VIEW ideal.subject_intake IS
	'Intake of criminal groups: COPY or INSERT rows of text here; lists are array literals ({a,b}) or items separated by commas (aliases: semicolons)';

CREATE FUNCTION ideal.subject_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_subject_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.subject_intake() IS
	'INSTEAD OF INSERT trigger of ideal.subject_intake: parses countries and lists, inserts into ideal.subject';
CREATE TRIGGER intake INSTEAD OF INSERT ON ideal.subject_intake
	FOR EACH ROW EXECUTE FUNCTION ideal.subject_intake();

--------------------------------------------------------------------------
-- History of observations: the previous row of every update and delete
--------------------------------------------------------------------------

CREATE TABLE ideal.observation_history (
	history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	operation text NOT NULL CHECK (operation IN ('UPDATE', 'DELETE', 'TRUNCATE')),
	changed_at timestamptz NOT NULL DEFAULT now(),
	changed_by name NOT NULL,
	id bigint NOT NULL,
	cycle text NOT NULL,
	country ideal.country NOT NULL,
	subject_kind text,
	subject text NOT NULL,
	indicator text NOT NULL,
	answer text NOT NULL,
	value float8,
	is_unknown boolean NOT NULL,
	grading ideal.grading,
	handling text,
	note text,
	loaded_at timestamptz NOT NULL,
	loaded_by name NOT NULL
);
CREATE INDEX observation_history_cycle
	ON ideal.observation_history (cycle, loaded_at, changed_at);
COMMENT ON TABLE ideal.observation_history IS
	'Previous versions of observations: the row as it was before each UPDATE, DELETE or TRUNCATE, with the operation, the role and the time';
COMMENT ON COLUMN ideal.observation_history.changed_at IS
	'When the version stopped being current (start of the changing transaction)';
COMMENT ON COLUMN ideal.observation_history.changed_by IS
	'The role that changed or deleted the row';
COMMENT ON COLUMN ideal.observation_history.loaded_at IS
	'When the version became current: its insert or its previous update';

CREATE FUNCTION ideal.observation_history() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_observation_history'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.observation_history() IS
	'Statement trigger: copies the previous rows of an UPDATE, DELETE or TRUNCATE of ideal.observation into ideal.observation_history';
CREATE TRIGGER observation_history_update AFTER UPDATE ON ideal.observation
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();
CREATE TRIGGER observation_history_delete AFTER DELETE ON ideal.observation
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();
CREATE TRIGGER observation_history_truncate BEFORE TRUNCATE ON ideal.observation
	FOR EACH STATEMENT EXECUTE FUNCTION ideal.observation_history();

CREATE FUNCTION ideal.observation_as_of(cycle text, at timestamptz)
	RETURNS SETOF ideal.observation
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT o.* FROM ideal.observation o
	 WHERE o.cycle OPERATOR(pg_catalog.=) $1
	   AND o.loaded_at OPERATOR(pg_catalog.<=) $2
	UNION ALL
	SELECT h.id, h.cycle, h.country, h.subject_kind, h.subject, h.indicator,
		   h.answer, h.value, h.is_unknown, h.grading, h.handling, h.note,
		   h.loaded_at, h.loaded_by, true
	  FROM ideal.observation_history h
	 WHERE h.cycle OPERATOR(pg_catalog.=) $1
	   AND h.loaded_at OPERATOR(pg_catalog.<=) $2
	   AND h.changed_at OPERATOR(pg_catalog.>) $2
$$;
COMMENT ON FUNCTION ideal.observation_as_of(text, timestamptz) IS
	'The observations of a cycle as they stood at a time: current rows loaded by then, and earlier versions current then';

--------------------------------------------------------------------------
-- Rejected rows: load them again after fixing
--------------------------------------------------------------------------

CREATE FUNCTION ideal.load_rejected(ids bigint[] DEFAULT NULL)
	RETURNS TABLE (reloaded bigint, rejected_again bigint)
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog SET ideal.on_invalid = 'reject' AS $$
DECLARE
	r record;
	n bigint;
	target regclass;
	is_wide boolean;
	cols text;
	cols_of regclass;			-- the target whose columns cols lists
	caller name := current_user;
	e_state text;
	e_message text;
	e_detail text;
BEGIN
	reloaded := 0;
	rejected_again := 0;
	FOR r IN SELECT x.* FROM ideal.rejected x
			  WHERE ids IS NULL OR x.id = ANY (ids)
			  ORDER BY x.id FOR UPDATE
	LOOP
		BEGIN
			DELETE FROM ideal.rejected x WHERE x.id = r.id;
			-- target and submitted can be edited: only the extension's
			-- intake tables and views take a row back
			target := r.target::regclass;
			is_wide := EXISTS (SELECT 1 FROM ideal.intake_view v
								WHERE v.intake_view = target);
			IF target NOT IN ('ideal.observation'::regclass,
							  'ideal.subject'::regclass,
							  'ideal.figure'::regclass,
							  'ideal.observation_intake'::regclass,
							  'ideal.subject_intake'::regclass,
							  'ideal.figure_intake'::regclass)
			   AND NOT is_wide THEN
				RAISE EXCEPTION 'rejected row % names "%", which takes no rows',
					r.id, r.target
					USING ERRCODE = 'wrong_object_type';
			END IF;
			-- sent again with the rights of the role that first sent it, so
			-- that its grants and row-level security apply whoever reloads
			EXECUTE format('SET LOCAL ROLE %I', r.rejected_by);
			IF r.indicator IS NOT NULL AND is_wide THEN
				-- one refused cell of a wide row: load that answer in long form
				INSERT INTO ideal.observation_intake
					(cycle, country, subject, indicator, answer, grading, handling, note)
				VALUES (r.submitted->>'cycle', r.submitted->>'country',
						r.submitted->>'subject', r.indicator,
						r.submitted->>r.indicator, r.submitted->>'grading',
						r.submitted->>'handling', r.submitted->>'note');
			ELSE
				-- the row's own columns only: id, loaded_at, loaded_by and
				-- checked take their defaults, whatever submitted says
				IF cols_of IS DISTINCT FROM target THEN
					SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
					  INTO cols
					  FROM pg_attribute a
					 WHERE a.attrelid = target AND a.attnum > 0
					   AND NOT a.attisdropped AND a.attgenerated = ''
					   AND a.attname NOT IN ('id', 'loaded_at', 'loaded_by', 'checked');
					cols_of := target;
				END IF;
				EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM jsonb_populate_record(NULL::%s, $1)',
							   target, cols, cols, target)
					USING r.submitted;
			END IF;
			GET DIAGNOSTICS n = ROW_COUNT;
			EXECUTE format('SET LOCAL ROLE %I', caller);
		EXCEPTION WHEN data_exception OR integrity_constraint_violation
					OR syntax_error_or_access_rule_violation
					OR invalid_schema_name
					OR object_not_in_prerequisite_state THEN
			-- a row the target cannot take as it stands (unreadable, not
			-- for an intake table, refused to its sender): it stays, with
			-- why, and the others go on
			GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE,
				e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL;
			UPDATE ideal.rejected x
			   SET sqlstate = e_state, message = e_message,
				   detail = nullif(e_detail, ''),
				   hint = 'Correct ideal.rejected.submitted (it is read with jsonb_populate_record into the target''s columns) and call ideal.load_rejected() again.',
				   rejected_at = now()
			 WHERE x.id = r.id;
			n := 0;
		END;
		IF n > 0 THEN
			reloaded := reloaded + 1;
		ELSE
			rejected_again := rejected_again + 1;
		END IF;
	END LOOP;
	RETURN NEXT;
END $$;
COMMENT ON FUNCTION ideal.load_rejected(bigint[]) IS
	'Loads rejected rows again, as they now stand in ideal.rejected.submitted (all, or those with the ids given): each is removed and sent to its intake table or view again with the rights of the role that first sent it; rows still invalid are rejected anew';

--------------------------------------------------------------------------
-- Figures: quantitative facts per crime area, loaded as reported
--------------------------------------------------------------------------

CREATE TABLE ideal.figure (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	cycle text REFERENCES ideal.cycle,
	methodology text NOT NULL REFERENCES ideal.methodology,
	country ideal.country NOT NULL,
	crime_area text NOT NULL,
	quantity text NOT NULL CHECK (quantity ~ '^[a-z][a-z0-9_]*$'),
	unit text NOT NULL,
	year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
	item text NOT NULL DEFAULT '',
	breakdown jsonb NOT NULL DEFAULT '{}',
	value_text text NOT NULL,
	value numeric,
	flags text[] NOT NULL DEFAULT '{}',
	source text NOT NULL,
	source_ref text,
	note text,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user,
	checked boolean NOT NULL DEFAULT false
);
CREATE INDEX figure_key ON ideal.figure
	(country, year, quantity, crime_area, unit, source, item, breakdown);
COMMENT ON TABLE ideal.figure IS
	'Quantitative facts per country and crime area (seizures in kg, victims, cases), with unit and year, as reported: never summed, odd values flagged';
COMMENT ON COLUMN ideal.figure.cycle IS
	'The submission it belongs to; NULL for figures from other sources (such as UNODC)';
COMMENT ON COLUMN ideal.figure.methodology IS
	'The methodology whose crime areas classify it: the cycle''s, or the one named';
COMMENT ON COLUMN ideal.figure.crime_area IS
	'A crime area of the methodology, by code or label, stored as the code';
COMMENT ON COLUMN ideal.figure.quantity IS
	'What was counted, as a code: seizures, victims, persons_convicted, offences, ...';
COMMENT ON COLUMN ideal.figure.unit IS 'The unit as reported: kg, Counts, persons, ...';
COMMENT ON COLUMN ideal.figure.item IS
	'What the figure is about within the crime area: a drug, a category; empty when none';
COMMENT ON COLUMN ideal.figure.breakdown IS
	'Other dimensions of the figure as reported (drug group, sex, age, ...)';
COMMENT ON COLUMN ideal.figure.value_text IS 'The value exactly as the source wrote it';
COMMENT ON COLUMN ideal.figure.value IS
	'The value read as a number; NULL when suppressed ("<5") or when the source disagrees with itself';
COMMENT ON COLUMN ideal.figure.flags IS
	'What is odd about the row: suppressed, separator_guessed, source_disagrees, replacement_character, repeated_key';
COMMENT ON COLUMN ideal.figure.source_ref IS 'Where in the source: file and line, table, page';
COMMENT ON COLUMN ideal.figure.checked IS
	'Set by the trigger once it has checked the row; a row inserted with it already true by the table''s owner or a superuser (as pg_restore does) is taken as checked';

CREATE FUNCTION ideal.figure_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_figure_check'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.figure_check() IS
	'Row trigger: checks a figure (cycle, methodology, crime area, quantity, value), reads its value and flags what is odd';
CREATE TRIGGER figure_check BEFORE INSERT OR UPDATE OR DELETE
	ON ideal.figure FOR EACH ROW EXECUTE FUNCTION ideal.figure_check();

CREATE VIEW ideal.figure_intake WITH (security_invoker = true) AS
SELECT f.cycle, f.methodology, f.country::text AS country, f.crime_area,
	   f.quantity, f.unit, f.year::text AS year, f.value_text AS value,
	   NULL::text AS value_check, NULL::text AS decimal_separator, f.item,
	   f.breakdown::text AS breakdown, f.source, f.source_ref, f.note
  FROM ideal.figure f;
COMMENT ON VIEW ideal.figure_intake IS
	'Intake of figures: rows of text; value as reported, decimal_separator "." (default) or ",", value_check the source''s own reading of the value where the file has one';

CREATE FUNCTION ideal.figure_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_figure_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.figure_intake() IS
	'INSTEAD OF INSERT trigger of ideal.figure_intake: parses country, year, breakdown and value, inserts into ideal.figure';
CREATE TRIGGER intake INSTEAD OF INSERT ON ideal.figure_intake
	FOR EACH ROW EXECUTE FUNCTION ideal.figure_intake();

CREATE VIEW ideal.figure_repeats WITH (security_invoker = true) AS
SELECT f.source, f.country, f.year, f.quantity, f.crime_area, f.unit, f.item,
	   f.breakdown, count(*) AS rows,
	   array_agg(f.id ORDER BY f.id) AS ids,
	   array_agg(f.value_text ORDER BY f.id) AS values
  FROM ideal.figure f
 GROUP BY f.source, f.country, f.year, f.quantity, f.crime_area, f.unit,
		  f.item, f.breakdown
HAVING count(*) > 1;
COMMENT ON VIEW ideal.figure_repeats IS
	'Keys that more than one figure shares, with every row''s value: kept as published, to be checked, never summed blindly';

--------------------------------------------------------------------------
-- Wide intake views: one per methodology and subject kind, one column per
-- indicator, created and dropped with the methodology
--------------------------------------------------------------------------

CREATE FUNCTION ideal.wide_intake() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_wide_intake'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.wide_intake() IS
	'INSTEAD OF INSERT trigger of the wide intake views (arguments: methodology, subject kind): each answer cell becomes a row of ideal.observation';

CREATE VIEW ideal.intake_view AS
SELECT a.args[1] AS methodology, a.args[2] AS subject_kind,
	   t.tgrelid::regclass AS intake_view
  FROM pg_catalog.pg_trigger t
 CROSS JOIN LATERAL (SELECT pg_catalog.string_to_array(
						pg_catalog.encode(t.tgargs, 'escape'), '\000') AS args) a
 WHERE t.tgfoid = 'ideal.wide_intake()'::pg_catalog.regprocedure;
COMMENT ON VIEW ideal.intake_view IS
	'The wide intake views: methodology, subject kind, view';

CREATE FUNCTION ideal.create_intake_views(methodology text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'ideal_create_intake_views'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.create_intake_views(text) IS
	'Creates the wide intake views of a methodology that are missing; returns the names of all its views';
CREATE FUNCTION ideal.drop_intake_views(methodology text) RETURNS integer
	AS 'MODULE_PATHNAME', 'ideal_drop_intake_views'
	LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION ideal.drop_intake_views(text) IS
	'Drops the wide intake views of a methodology; returns how many';
REVOKE ALL ON FUNCTION ideal.create_intake_views(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ideal.drop_intake_views(text) FROM PUBLIC;

CREATE FUNCTION ideal.intake_views_sync() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ideal_intake_views_sync'
	LANGUAGE C;
COMMENT ON FUNCTION ideal.intake_views_sync() IS
	'Row trigger on ideal.methodology: creates a methodology''s wide intake views when it is loaded (unless they exist), drops them when it is removed';
CREATE TRIGGER intake_views_create AFTER INSERT ON ideal.methodology
	FOR EACH ROW EXECUTE FUNCTION ideal.intake_views_sync();
CREATE TRIGGER intake_views_drop BEFORE DELETE ON ideal.methodology
	FOR EACH ROW EXECUTE FUNCTION ideal.intake_views_sync();
-- also in a session with session_replication_role = replica, as pg_restore
-- is run: CREATE EXTENSION then still makes the bundled methodologies'
-- views, and a restored methodology finds its view made by the dump
ALTER TABLE ideal.methodology ENABLE ALWAYS TRIGGER intake_views_create;
ALTER TABLE ideal.methodology ENABLE ALWAYS TRIGGER intake_views_drop;

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
-- Scoring: composites per subject, bands, headline, reliability, views
--
-- Scores are computed from ideal.observation when a view is queried; no
-- stored score is ever needed for a correct answer (ideal.refresh_scores,
-- in 55_snapshot.sql, is an explicit option for large installations).
--
-- Two families of views, kept apart on purpose:
--   per-subject views (subject_score, country_area_score, group_ranking,
--   group_matrix, intelligence_gap, quadrant, cycle_trend) show one
--   subject's answers or scores; they may be made security_invoker so that
--   row-level security on ideal.observation applies to their readers;
--   aggregate views (regional_picture, country_gaps) read the base tables
--   directly, never a per-subject view: a view that reads a
--   security_invoker view is itself checked as its caller, so an aggregate
--   built on a per-subject view would silently shrink to the caller's rows.
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
COMMENT ON FUNCTION ideal.evaluate_trans(internal, text, text, float8, boolean, ideal.grading) IS
	'Transition function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_combine(internal, internal) IS
	'Combine function of ideal.evaluate (parallel and partial aggregation)';
COMMENT ON FUNCTION ideal.evaluate_serialize(internal) IS
	'Serialize function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_deserialize(bytea, internal) IS
	'Deserialize function of ideal.evaluate';
COMMENT ON FUNCTION ideal.evaluate_final(internal) IS
	'Final function of ideal.evaluate: the composite scores';

-- SSPACE: a 272-byte header and one 136-byte summary per indicator of the
-- methodology, whatever the rows: GI-TOC 2023 and 2025, the largest bundled
-- methodologies (32 indicators), take 4,624 bytes.
CREATE AGGREGATE ideal.evaluate(cycle text, indicator text, value float8,
								is_unknown boolean, grading ideal.grading) (
	SFUNC = ideal.evaluate_trans, STYPE = internal,
	FINALFUNC = ideal.evaluate_final, COMBINEFUNC = ideal.evaluate_combine,
	SERIALFUNC = ideal.evaluate_serialize,
	DESERIALFUNC = ideal.evaluate_deserialize,
	SSPACE = 4624, PARALLEL = SAFE
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

CREATE VIEW ideal.headline_composite AS
SELECT DISTINCT ON (k.methodology, k.kind)
	   k.methodology, k.kind AS subject_kind, k.code AS composite
  FROM ideal.composite k
 ORDER BY k.methodology, k.kind,
		  EXISTS (SELECT 1 FROM ideal.band b
				   WHERE b.methodology = k.methodology
					 AND b.composite = k.code) DESC,
		  k.position DESC;
COMMENT ON VIEW ideal.headline_composite IS
	'The headline composite of each methodology and subject kind: its last banded composite, or its last composite when none is banded';
COMMENT ON COLUMN ideal.headline_composite.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.headline_composite.composite IS 'Code of the headline composite';

-- The reliability rule, in one place.  A score is flagged when
--   it has no value (no known answer),
--   coverage (share of required indicators answered with a known value)
--     is below min_coverage (default 0.75),
--   fewer than min_answers (default 3) known answers stand behind it, or
--     fewer than all of them when the composite has fewer inputs,
--   the mean confidence of its graded answers is below min_confidence
--     (default 0.5; ungraded answers are not flagged).
CREATE FUNCTION ideal.score_caveat(score numeric, answered integer,
								   expected integer, coverage float8,
								   confidence float8,
								   min_coverage float8 DEFAULT 0.75,
								   min_confidence float8 DEFAULT 0.5,
								   min_answers integer DEFAULT 3)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT nullif(concat_ws('; ',
		CASE WHEN score IS NULL THEN 'no score: no known answer' END,
		CASE WHEN score IS NOT NULL AND coverage < min_coverage
			 THEN format('low coverage: %s%% of required answers',
						 round((coverage * 100)::numeric)) END,
		CASE WHEN score IS NOT NULL AND answered < least(expected, min_answers)
			 THEN format('few answers: %s of %s', answered, expected) END,
		CASE WHEN confidence < min_confidence
			 THEN format('weakly graded: confidence %s',
						 round(confidence::numeric, 2)) END), '')
$$;
COMMENT ON FUNCTION ideal.score_caveat(numeric, integer, integer, float8, float8, float8, float8, integer) IS
	'Why a score is not reliable (NULL when it is): no score, coverage below min_coverage, fewer than min_answers known answers, or confidence below min_confidence';

CREATE FUNCTION ideal.weak_grading(grading ideal.grading,
								   min_confidence float8 DEFAULT 0.5)
	RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT ideal.confidence(grading) < min_confidence
$$;
COMMENT ON FUNCTION ideal.weak_grading(ideal.grading, float8) IS
	'True when a grading''s confidence is below min_confidence (default 0.5, as in ideal.score_caveat)';

--------------------------------------------------------------------------
-- Per-subject: every composite of every subject
--------------------------------------------------------------------------

CREATE VIEW ideal.subject_score AS
SELECT e.cycle, c.methodology, e.country, e.subject_kind, e.subject,
	   r.composite, r.score, r.normalised, r.confidence, r.answered,
	   r.expected, r.unknowns, r.coverage, r.level, r.exact,
	   (h.composite IS NOT NULL) AS headline,
	   (q.caveat IS NULL) AS reliable, q.caveat
  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS scores
		  FROM ideal.observation o
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
  JOIN ideal.cycle c ON c.code = e.cycle
 CROSS JOIN LATERAL unnest(e.scores) AS r
 CROSS JOIN LATERAL (SELECT ideal.score_caveat(r.score, r.answered,
											   r.expected, r.coverage,
											   r.confidence) AS caveat) q
  LEFT JOIN ideal.headline_composite h
		 ON h.methodology = c.methodology AND h.subject_kind = e.subject_kind
		AND h.composite = r.composite;
COMMENT ON VIEW ideal.subject_score IS
	'Per subject: every composite score of every subject (group, crime area in a reporting country, or country), computed from the observations when queried';
COMMENT ON COLUMN ideal.subject_score.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.subject_score.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.subject_score.country IS 'Reporting country';
COMMENT ON COLUMN ideal.subject_score.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.subject_score.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.subject_score.composite IS 'Composite code';
COMMENT ON COLUMN ideal.subject_score.score IS
	'Score on the composite''s own scale (raw), exact to 15 decimals; NULL when no input has a value';
COMMENT ON COLUMN ideal.subject_score.normalised IS
	'Score between the lowest (0) and highest (1) the answered inputs allow; for a weighted sum relative to the full maximum';
COMMENT ON COLUMN ideal.subject_score.confidence IS
	'Mean confidence of the graded answers behind the score, weighted as the composite weighs its inputs; NULL when none was graded';
COMMENT ON COLUMN ideal.subject_score.answered IS 'Indicators under the composite answered with a known value';
COMMENT ON COLUMN ideal.subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal.subject_score.unknowns IS 'Indicators under the composite answered "unknown"';
COMMENT ON COLUMN ideal.subject_score.coverage IS
	'Share of the composite''s required indicators answered with a known value (of all its indicators when none is required)';
COMMENT ON COLUMN ideal.subject_score.level IS 'Threat level from the composite''s band; NULL when it has none';
COMMENT ON COLUMN ideal.subject_score.exact IS 'True when the score was computed in exact rational arithmetic';
COMMENT ON COLUMN ideal.subject_score.headline IS 'True for the headline composite of the subject''s kind';
COMMENT ON COLUMN ideal.subject_score.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.subject_score.caveat IS
	'Why the score is not reliable: no score, low coverage, few answers, weak grading (ideal.score_caveat)';

--------------------------------------------------------------------------
-- Aggregate: the regional picture per crime area
--------------------------------------------------------------------------

-- Reads ideal.observation directly (see the note at the top).  Each
-- reporting country's headline crime-area score weighs by its confidence;
-- a country whose answers carry no grading weighs 1, as ungraded rows do
-- in ideal.score.
CREATE VIEW ideal.regional_picture AS
WITH area AS (
	SELECT e.cycle, c.methodology, e.country, e.subject AS crime_area,
		   r.composite, r.score, r.confidence, r.coverage, r.unknowns,
		   ideal.score_caveat(r.score, r.answered, r.expected, r.coverage,
							  r.confidence) AS caveat
	  FROM (SELECT o.cycle, o.country, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 WHERE o.subject_kind = 'crime_area'
			 GROUP BY o.cycle, o.country, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = 'crime_area'
	   AND h.composite = r.composite
), region AS (
	SELECT a.cycle, a.methodology, a.crime_area, a.composite,
		   count(*)::integer AS countries,
		   (count(*) FILTER (WHERE a.score IS NOT NULL))::integer AS scored_countries,
		   ideal.summarize(a.score::float8, 1.0,
						   coalesce(a.confidence, 1.0)) AS summary,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(a.confidence::numeric)::float8 AS confidence,
		   avg(a.coverage::numeric)::float8 AS coverage,
		   sum(a.unknowns)::integer AS unknowns,
		   (count(*) FILTER (WHERE a.caveat IS NOT NULL))::integer AS weak_countries
	  FROM area a
	 GROUP BY a.cycle, a.methodology, a.crime_area, a.composite
), scored AS (
	SELECT g.*, ideal.score(g.summary) AS score
	  FROM region g
), flagged AS (
	SELECT s.*,
		   nullif(concat_ws('; ',
			   CASE WHEN s.scored_countries < 2
					THEN format('scored by %s country', s.scored_countries) END,
			   CASE WHEN s.weak_countries > 0
					THEN format('%s of %s country scores flagged',
								s.weak_countries, s.countries) END,
			   CASE WHEN s.confidence < 0.5
					THEN format('weakly graded: confidence %s',
								round(s.confidence::numeric, 2)) END), '')
			   AS caveat
	  FROM scored s
)
SELECT f.cycle, f.methodology, f.crime_area,
	   coalesce(ca.labels ->> current_setting('ideal.language', true),
				ca.labels ->> 'en') AS crime_area_name, f.composite,
	   f.countries, f.score, f.confidence,
	   ideal.band_level(f.methodology, f.composite, f.score) AS level,
	   rank() OVER (PARTITION BY f.cycle ORDER BY f.score DESC NULLS LAST) AS rank,
	   f.scored_countries,
	   ideal.min_value(f.summary) AS min_score,
	   ideal.max_value(f.summary) AS max_score,
	   f.coverage, f.unknowns, f.weak_countries,
	   (f.caveat IS NULL) AS reliable, f.caveat,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle AND g.primary_area = f.crime_area) AS groups_primary,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = f.cycle
		   AND (g.primary_area = f.crime_area
				OR f.crime_area = ANY (g.crime_areas))) AS groups_involved
  FROM flagged f
  LEFT JOIN ideal.crime_area ca
		 ON ca.methodology = f.methodology AND ca.code = f.crime_area;
COMMENT ON VIEW ideal.regional_picture IS
	'Aggregate, per cycle and crime area: reporting countries, confidence-weighted headline score, its level and rank, with the spread, coverage, unknowns and a reliability flag';
COMMENT ON COLUMN ideal.regional_picture.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.regional_picture.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.regional_picture.crime_area IS 'Crime area code';
COMMENT ON COLUMN ideal.regional_picture.crime_area_name IS 'Crime area label in ideal.language';
COMMENT ON COLUMN ideal.regional_picture.composite IS 'The headline crime-area composite that is scored';
COMMENT ON COLUMN ideal.regional_picture.countries IS 'Countries that reported on the crime area';
COMMENT ON COLUMN ideal.regional_picture.score IS
	'Mean of the reporting countries'' headline scores, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal.regional_picture.confidence IS 'Mean confidence of the countries'' graded scores';
COMMENT ON COLUMN ideal.regional_picture.level IS 'Threat level of the regional score on the composite''s band';
COMMENT ON COLUMN ideal.regional_picture.rank IS 'Rank of the crime area in the cycle, 1 = highest score';
COMMENT ON COLUMN ideal.regional_picture.scored_countries IS 'Countries whose answers give a score';
COMMENT ON COLUMN ideal.regional_picture.min_score IS 'Lowest country score';
COMMENT ON COLUMN ideal.regional_picture.max_score IS 'Highest country score';
COMMENT ON COLUMN ideal.regional_picture.coverage IS 'Mean coverage of the country scores';
COMMENT ON COLUMN ideal.regional_picture.unknowns IS 'Indicators answered "unknown", summed over countries';
COMMENT ON COLUMN ideal.regional_picture.weak_countries IS 'Country scores that ideal.score_caveat flags';
COMMENT ON COLUMN ideal.regional_picture.reliable IS
	'False when fewer than two countries score the area, any country score is flagged, or the mean confidence is below 0.5';
COMMENT ON COLUMN ideal.regional_picture.caveat IS 'Why the regional score is not reliable';
COMMENT ON COLUMN ideal.regional_picture.groups_primary IS
	'Groups in ideal.subject with this crime area as their primary one';
COMMENT ON COLUMN ideal.regional_picture.groups_involved IS
	'Groups in ideal.subject active in this crime area, primary or not';

--------------------------------------------------------------------------
-- Per-subject views: crime areas per country, groups ranked, the group x
-- attribute matrix.  All read ideal.subject_score or ideal.observation and
-- show single subjects (see the note at the top of 50_scoring.sql).
--------------------------------------------------------------------------

CREATE VIEW ideal.country_area_score AS
SELECT s.cycle, s.methodology, s.country, s.subject AS crime_area,
	   coalesce(ca.labels ->> current_setting('ideal.language', true),
				ca.labels ->> 'en') AS crime_area_name, s.composite,
	   s.score, s.normalised, s.level, s.confidence, s.answered, s.expected,
	   s.unknowns, s.coverage, s.reliable, s.caveat, s.headline,
	   CASE WHEN s.headline THEN
		   rank() OVER (PARTITION BY s.cycle, s.country, s.headline
						ORDER BY s.score DESC NULLS LAST)
	   END AS rank_in_country,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = s.cycle AND g.country = s.country
		   AND g.primary_area = s.subject) AS groups_primary,
	   (SELECT count(*)::integer FROM ideal.subject g
		 WHERE g.cycle = s.cycle AND g.country = s.country
		   AND (g.primary_area = s.subject
				OR s.subject = ANY (g.crime_areas))) AS groups_involved
  FROM ideal.subject_score s
  LEFT JOIN ideal.crime_area ca
		 ON ca.methodology = s.methodology AND ca.code = s.subject
 WHERE s.subject_kind = 'crime_area';
COMMENT ON VIEW ideal.country_area_score IS
	'Per subject: each reporting country''s composite scores for each crime area, with the area''s rank in the country and the groups the country reports in it';
COMMENT ON COLUMN ideal.country_area_score.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.country_area_score.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.country_area_score.country IS 'Reporting country';
COMMENT ON COLUMN ideal.country_area_score.crime_area IS 'Crime area code';
COMMENT ON COLUMN ideal.country_area_score.crime_area_name IS 'Crime area label in ideal.language';
COMMENT ON COLUMN ideal.country_area_score.composite IS 'Composite code';
COMMENT ON COLUMN ideal.country_area_score.score IS 'Score on the composite''s scale, exact to 15 decimals';
COMMENT ON COLUMN ideal.country_area_score.normalised IS 'Score between 0 and 1 (see ideal.subject_score)';
COMMENT ON COLUMN ideal.country_area_score.level IS 'Threat level from the composite''s band';
COMMENT ON COLUMN ideal.country_area_score.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.country_area_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal.country_area_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal.country_area_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal.country_area_score.coverage IS 'Share of required indicators answered';
COMMENT ON COLUMN ideal.country_area_score.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.country_area_score.caveat IS 'Why the score is not reliable';
COMMENT ON COLUMN ideal.country_area_score.headline IS 'True for the headline crime-area composite';
COMMENT ON COLUMN ideal.country_area_score.rank_in_country IS
	'Rank of the crime area among the country''s areas by headline score (headline rows only)';
COMMENT ON COLUMN ideal.country_area_score.groups_primary IS
	'Groups the country reports in ideal.subject with this primary crime area';
COMMENT ON COLUMN ideal.country_area_score.groups_involved IS
	'Groups the country reports in ideal.subject active in this crime area';

-- One row per group and indicator of the methodology's group kind, answered
-- or not.  Groups are those with observations and those declared in
-- ideal.subject.  "rating" is the answer in canonical form: the level code
-- on ordinal scales, the number on numeric ones, "unknown", or NULL when the
-- question was never answered.
CREATE VIEW ideal.group_matrix AS
WITH grp AS (
	SELECT o.cycle, o.country, o.subject AS ref
	  FROM ideal.observation o
	 WHERE o.subject_kind = 'group'
	UNION
	SELECT g.cycle, g.country, g.ref
	  FROM ideal.subject g
)
SELECT g.cycle, c.methodology, g.country, g.ref, i.code AS indicator,
	   coalesce(i.labels ->> current_setting('ideal.language', true),
				i.labels ->> 'en') AS indicator_name, i.position,
	   i.weight, i.required, o.answer,
	   CASE WHEN o.id IS NULL THEN NULL
			WHEN o.is_unknown THEN 'unknown'
			WHEN sc.kind = 'ordinal' THEN
				(SELECT l.code FROM ideal.scale_level l
				  WHERE l.methodology = i.methodology AND l.scale = i.scale
					AND l.value = o.value
				  ORDER BY l.position LIMIT 1)
			ELSE o.value::text
	   END AS rating,
	   o.value, coalesce(o.is_unknown, false) AS is_unknown,
	   (o.id IS NOT NULL AND NOT o.is_unknown) AS answered,
	   o.grading::text AS grading,
	   ideal.confidence(o.grading) AS confidence,
	   CASE WHEN o.id IS NULL THEN
				CASE WHEN i.required OR NOT EXISTS
						 (SELECT 1 FROM ideal.indicator r
						   WHERE r.methodology = i.methodology
							 AND r.kind = 'group' AND r.required)
					 THEN 'missing' END
			WHEN o.is_unknown THEN 'unknown'
			WHEN ideal.weak_grading(o.grading) THEN 'weak_grading'
	   END AS gap
  FROM grp g
  JOIN ideal.cycle c ON c.code = g.cycle
  JOIN ideal.indicator i ON i.methodology = c.methodology AND i.kind = 'group'
  JOIN ideal.scale sc ON sc.methodology = i.methodology AND sc.code = i.scale
  LEFT JOIN ideal.observation o
		 ON o.cycle = g.cycle AND o.country = g.country
		AND o.subject_kind = 'group' AND o.subject = g.ref
		AND o.indicator = i.code;
COMMENT ON VIEW ideal.group_matrix IS
	'Per subject: the group x attribute matrix, one row per group and group indicator, answered or not, with the rating, its grading and any gap';
COMMENT ON COLUMN ideal.group_matrix.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.group_matrix.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.group_matrix.country IS 'Reporting country';
COMMENT ON COLUMN ideal.group_matrix.ref IS 'Group reference';
COMMENT ON COLUMN ideal.group_matrix.indicator IS 'Indicator (attribute) code';
COMMENT ON COLUMN ideal.group_matrix.indicator_name IS 'Indicator label in ideal.language';
COMMENT ON COLUMN ideal.group_matrix.position IS 'Indicator order in the methodology';
COMMENT ON COLUMN ideal.group_matrix.weight IS 'Indicator weight';
COMMENT ON COLUMN ideal.group_matrix.required IS 'True for a required indicator';
COMMENT ON COLUMN ideal.group_matrix.answer IS 'The answer as submitted; NULL when never answered';
COMMENT ON COLUMN ideal.group_matrix.rating IS
	'The answer in canonical form: level code, number, "unknown"; NULL when never answered';
COMMENT ON COLUMN ideal.group_matrix.value IS 'The answer''s value on its scale';
COMMENT ON COLUMN ideal.group_matrix.is_unknown IS 'True when answered "unknown"';
COMMENT ON COLUMN ideal.group_matrix.answered IS 'True when answered with a known value';
COMMENT ON COLUMN ideal.group_matrix.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal.group_matrix.confidence IS 'Confidence of the grading';
COMMENT ON COLUMN ideal.group_matrix.gap IS
	'missing (required, never answered), unknown, weak_grading (confidence below 0.5), or NULL';

CREATE VIEW ideal.group_ranking AS
SELECT s.cycle, s.country, s.subject AS ref, g.name, g.typology,
	   g.primary_area, s.composite, s.score, s.normalised, s.confidence,
	   s.coverage, s.unknowns, s.level,
	   rank() OVER (PARTITION BY s.cycle ORDER BY s.score DESC NULLS LAST) AS rank,
	   s.methodology, s.answered, s.expected, s.reliable, s.caveat,
	   rank() OVER (PARTITION BY s.cycle, s.country
					ORDER BY s.score DESC NULLS LAST) AS rank_in_country,
	   (SELECT jsonb_object_agg(m.indicator, m.rating ORDER BY m.position)
		  FROM ideal.group_matrix m
		 WHERE m.cycle = s.cycle AND m.country = s.country
		   AND m.ref = s.subject) AS attributes
  FROM ideal.subject_score s
  LEFT JOIN ideal.subject g
		 ON g.cycle = s.cycle AND g.country = s.country AND g.ref = s.subject
 WHERE s.subject_kind = 'group' AND s.headline;
COMMENT ON VIEW ideal.group_ranking IS
	'Per subject: criminal groups of each cycle ranked by their headline composite, with their attribute ratings';
COMMENT ON COLUMN ideal.group_ranking.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.group_ranking.country IS 'Reporting country';
COMMENT ON COLUMN ideal.group_ranking.ref IS 'Group reference';
COMMENT ON COLUMN ideal.group_ranking.name IS 'Group name from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.typology IS 'Group typology from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.primary_area IS 'Primary crime area from ideal.subject';
COMMENT ON COLUMN ideal.group_ranking.composite IS 'The headline group composite';
COMMENT ON COLUMN ideal.group_ranking.score IS 'Headline score, exact to 15 decimals';
COMMENT ON COLUMN ideal.group_ranking.normalised IS 'Score between 0 and 1 (Sleipnir: total / 760)';
COMMENT ON COLUMN ideal.group_ranking.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.group_ranking.coverage IS 'Share of required indicators answered';
COMMENT ON COLUMN ideal.group_ranking.unknowns IS 'Attributes answered "unknown"';
COMMENT ON COLUMN ideal.group_ranking.level IS 'Threat level from the composite''s band';
COMMENT ON COLUMN ideal.group_ranking.rank IS 'Rank in the cycle, 1 = highest score';
COMMENT ON COLUMN ideal.group_ranking.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.group_ranking.answered IS 'Attributes answered with a known value';
COMMENT ON COLUMN ideal.group_ranking.expected IS 'Attributes under the composite';
COMMENT ON COLUMN ideal.group_ranking.reliable IS 'True when ideal.score_caveat finds nothing to say';
COMMENT ON COLUMN ideal.group_ranking.caveat IS 'Why the score is not reliable';
COMMENT ON COLUMN ideal.group_ranking.rank_in_country IS 'Rank among the groups the same country reports';
COMMENT ON COLUMN ideal.group_ranking.attributes IS
	'Attribute matrix row: indicator code -> rating (level code, number, "unknown", or null when never answered)';

--------------------------------------------------------------------------
-- Intelligence gaps: what is not known, per subject and per country
--
-- A subject exists when it has at least one observation in the cycle, or,
-- for a group, when it is declared in ideal.subject.  Its required
-- indicators are those of its kind marked required, or all of its kind
-- when the methodology marks none (the rule coverage uses).  Gaps:
--   missing       a required indicator never answered for the subject;
--   unknown       an answer "unknown" (scored or not);
--   weak_grading  a known answer whose grading's confidence is below 0.5
--                 (ideal.weak_grading).
--------------------------------------------------------------------------

CREATE VIEW ideal.intelligence_gap AS
WITH subj AS (
	-- each subject once, with the indicators answered for it
	SELECT o.cycle, o.country, o.subject_kind, o.subject,
		   array_agg(o.indicator) AS answered
	  FROM ideal.observation o
	 GROUP BY o.cycle, o.country, o.subject_kind, o.subject
	UNION ALL
	SELECT g.cycle, g.country, 'group', g.ref, '{}'::text[]
	  FROM ideal.subject g
	 WHERE NOT EXISTS (SELECT 1 FROM ideal.observation o
						WHERE o.cycle = g.cycle AND o.country = g.country
						  AND o.subject_kind = 'group' AND o.subject = g.ref)
), req AS (
	SELECT i.methodology, i.kind, i.code, i.labels, i.position
	  FROM ideal.indicator i
	 WHERE i.required
		OR NOT EXISTS (SELECT 1 FROM ideal.indicator r
						WHERE r.methodology = i.methodology
						  AND r.kind = i.kind AND r.required)
)
SELECT s.cycle, c.methodology, s.country, s.subject_kind, s.subject,
	   q.code AS indicator,
	   coalesce(q.labels ->> current_setting('ideal.language', true),
				q.labels ->> 'en') AS indicator_name,
	   true AS required, 'missing'::text AS gap, NULL::text AS answer,
	   NULL::text AS grading, NULL::float8 AS confidence
  FROM subj s
  JOIN ideal.cycle c ON c.code = s.cycle
  JOIN req q ON q.methodology = c.methodology AND q.kind = s.subject_kind
 WHERE NOT q.code = ANY (s.answered)
UNION ALL
SELECT o.cycle, c.methodology, o.country, o.subject_kind, o.subject,
	   o.indicator,
	   coalesce(i.labels ->> current_setting('ideal.language', true),
				i.labels ->> 'en'),
	   i.required,
	   CASE WHEN o.is_unknown THEN 'unknown' ELSE 'weak_grading' END,
	   o.answer, o.grading::text, ideal.confidence(o.grading)
  FROM ideal.observation o
  JOIN ideal.cycle c ON c.code = o.cycle
  JOIN ideal.indicator i ON i.methodology = c.methodology AND i.code = o.indicator
 WHERE o.is_unknown OR ideal.weak_grading(o.grading);
COMMENT ON VIEW ideal.intelligence_gap IS
	'Per subject: the gap register, one row per required answer missing, answer "unknown" or weakly graded answer (confidence below 0.5)';
COMMENT ON COLUMN ideal.intelligence_gap.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.intelligence_gap.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.intelligence_gap.country IS 'Reporting country';
COMMENT ON COLUMN ideal.intelligence_gap.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.intelligence_gap.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.intelligence_gap.indicator IS 'Indicator code';
COMMENT ON COLUMN ideal.intelligence_gap.indicator_name IS 'Indicator label in ideal.language';
COMMENT ON COLUMN ideal.intelligence_gap.required IS 'True for a required indicator';
COMMENT ON COLUMN ideal.intelligence_gap.gap IS 'missing, unknown or weak_grading';
COMMENT ON COLUMN ideal.intelligence_gap.answer IS 'The answer as submitted (NULL when missing)';
COMMENT ON COLUMN ideal.intelligence_gap.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal.intelligence_gap.confidence IS 'Confidence of the grading';

-- Aggregate: reads the base tables, not ideal.intelligence_gap (see the note
-- at the top of 50_scoring.sql).  missing is counted as required answers
-- expected minus required answers present, a second route to the number of
-- 'missing' rows of the register.
CREATE VIEW ideal.country_gaps AS
WITH subj AS (
	SELECT o.cycle, o.country, o.subject_kind, o.subject
	  FROM ideal.observation o
	UNION
	SELECT g.cycle, g.country, 'group', g.ref
	  FROM ideal.subject g
), req_ind AS (
	SELECT i.methodology, i.kind, i.code
	  FROM ideal.indicator i
	 WHERE i.required
		OR NOT EXISTS (SELECT 1 FROM ideal.indicator r
						WHERE r.methodology = i.methodology
						  AND r.kind = i.kind AND r.required)
), req AS (
	SELECT q.methodology, q.kind, count(*) AS n
	  FROM req_ind q
	 GROUP BY q.methodology, q.kind
), expected AS (
	SELECT s.cycle, s.country, count(*)::integer AS subjects,
		   coalesce(sum(q.n), 0)::integer AS required_answers
	  FROM subj s
	  JOIN ideal.cycle c ON c.code = s.cycle
	  LEFT JOIN req q ON q.methodology = c.methodology AND q.kind = s.subject_kind
	 GROUP BY s.cycle, s.country
), answers AS (
	SELECT o.cycle, o.country, count(*)::integer AS answers,
		   count(q.code)::integer AS required_present,
		   (count(*) FILTER (WHERE o.is_unknown))::integer AS unknowns,
		   (count(*) FILTER (WHERE o.grading IS NOT NULL))::integer AS graded,
		   (count(*) FILTER (WHERE NOT o.is_unknown
							   AND ideal.weak_grading(o.grading)))::integer AS weak_gradings,
		   -- in numeric: a float8 sum would depend on the rows' order
		   avg(ideal.confidence(o.grading)::numeric)::float8 AS confidence
	  FROM ideal.observation o
	  JOIN ideal.cycle c ON c.code = o.cycle
	  LEFT JOIN req_ind q ON q.methodology = c.methodology AND q.code = o.indicator
	 GROUP BY o.cycle, o.country
), headline AS (
	SELECT e.cycle, e.country,
		   (count(*) FILTER (WHERE ideal.score_caveat(r.score, r.answered,
							   r.expected, r.coverage, r.confidence)
							   IS NOT NULL))::integer AS flagged_scores
	  FROM (SELECT o.cycle, o.country, o.subject_kind, o.subject,
				   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
								  o.grading) AS scores
			  FROM ideal.observation o
			 GROUP BY o.cycle, o.country, o.subject_kind, o.subject) e
	  JOIN ideal.cycle c ON c.code = e.cycle
	 CROSS JOIN LATERAL unnest(e.scores) AS r
	  JOIN ideal.headline_composite h
		ON h.methodology = c.methodology AND h.subject_kind = e.subject_kind
	   AND h.composite = r.composite
	 GROUP BY e.cycle, e.country
)
SELECT x.cycle, c.methodology, x.country, x.subjects, x.required_answers,
	   x.required_answers - coalesce(a.required_present, 0) AS missing,
	   coalesce(a.unknowns, 0) AS unknowns,
	   coalesce(a.weak_gradings, 0) AS weak_gradings,
	   coalesce(a.answers, 0) AS answers,
	   coalesce(a.graded, 0) AS graded,
	   a.confidence,
	   CASE WHEN x.required_answers > 0 THEN
		   (x.required_answers - coalesce(a.required_present, 0))::float8
		   / x.required_answers
	   END AS missing_share,
	   coalesce(h.flagged_scores, 0) AS flagged_scores
  FROM expected x
  JOIN ideal.cycle c ON c.code = x.cycle
  LEFT JOIN answers a ON a.cycle = x.cycle AND a.country = x.country
  LEFT JOIN headline h ON h.cycle = x.cycle AND h.country = x.country;
COMMENT ON VIEW ideal.country_gaps IS
	'Aggregate, per cycle and reporting country: subjects, required answers missing, unknowns, weakly graded answers and flagged headline scores';
COMMENT ON COLUMN ideal.country_gaps.cycle IS 'Cycle code';
COMMENT ON COLUMN ideal.country_gaps.methodology IS 'Methodology of the cycle';
COMMENT ON COLUMN ideal.country_gaps.country IS 'Reporting country';
COMMENT ON COLUMN ideal.country_gaps.subjects IS
	'Subjects the country reports: with observations, or groups declared in ideal.subject';
COMMENT ON COLUMN ideal.country_gaps.required_answers IS 'Required answers expected for those subjects';
COMMENT ON COLUMN ideal.country_gaps.missing IS 'Required answers never given';
COMMENT ON COLUMN ideal.country_gaps.unknowns IS 'Answers "unknown"';
COMMENT ON COLUMN ideal.country_gaps.weak_gradings IS 'Known answers graded with confidence below 0.5';
COMMENT ON COLUMN ideal.country_gaps.answers IS 'Answers given';
COMMENT ON COLUMN ideal.country_gaps.graded IS 'Answers with a grading';
COMMENT ON COLUMN ideal.country_gaps.confidence IS 'Mean confidence of the graded answers';
COMMENT ON COLUMN ideal.country_gaps.missing_share IS 'missing / required_answers';
COMMENT ON COLUMN ideal.country_gaps.flagged_scores IS
	'Subjects whose headline score ideal.score_caveat flags (no score, low coverage, few answers, weak grading)';

--------------------------------------------------------------------------
-- Trends between cycles of comparable methodologies
--
-- Two methodologies are comparable when they share a composite: the same
-- code for the same subject kind (GI-TOC 2021, 2023 and 2025 share
-- criminal_markets, criminal_actors, criminality and resilience).  A
-- trend matches subjects by reporting country, kind and subject, and
-- composites by code.  Each side's score is the one its own methodology
-- gives (so it equals that edition's published figure); the indicators
-- under the composite may differ (GI-TOC 2021 has 10 markets, 2023 has 15):
-- the trend lists those shared and those on one side only, and also scores
-- both sides over the shared indicators alone (like for like).
--------------------------------------------------------------------------

CREATE VIEW ideal.composite_leaf AS
WITH RECURSIVE walk (methodology, composite, input, input_is_composite) AS (
	SELECT ci.methodology, ci.composite, ci.input, ci.input_is_composite
	  FROM ideal.composite_input ci
	UNION
	SELECT w.methodology, w.composite, ci.input, ci.input_is_composite
	  FROM walk w
	  JOIN ideal.composite_input ci
		ON ci.methodology = w.methodology AND ci.composite = w.input
	 WHERE w.input_is_composite
)
SELECT w.methodology, w.composite, w.input AS indicator
  FROM walk w
 WHERE NOT w.input_is_composite;
COMMENT ON VIEW ideal.composite_leaf IS
	'The indicators under each composite, directly or through other composites';
COMMENT ON COLUMN ideal.composite_leaf.indicator IS 'Indicator code';

CREATE FUNCTION ideal.methodologies_comparable(before text, after text)
	RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT EXISTS (SELECT 1
					 FROM ideal.composite k1
					 JOIN ideal.composite k2
					   ON k2.code = k1.code AND k2.kind = k1.kind
					WHERE k1.methodology = before AND k2.methodology = after)
$$;
COMMENT ON FUNCTION ideal.methodologies_comparable(text, text) IS
	'True when two methodologies share a composite (same code, same subject kind), so that their cycles can be compared';

CREATE FUNCTION ideal.trend(from_cycle text, to_cycle text,
							decimals integer DEFAULT 2)
	RETURNS TABLE (cycle_before text, cycle_after text,
				   methodology_before text, methodology_after text,
				   country ideal.country, subject_kind text, subject text,
				   composite text, before numeric, after numeric,
				   change numeric, change_rounded numeric,
				   level_before ideal.threat_level,
				   level_after ideal.threat_level, level_change integer,
				   indicators_before integer, indicators_after integer,
				   shared_indicators integer, same_indicators boolean,
				   shared text[], only_before text[], only_after text[],
				   before_shared numeric, after_shared numeric,
				   change_shared numeric)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, ideal, pg_temp AS $$
#variable_conflict use_column
DECLARE
	mb text;
	ma text;
	common text[];
BEGIN
	SELECT c.methodology INTO mb FROM ideal.cycle c WHERE c.code = from_cycle;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'cycle "%" does not exist', from_cycle
			USING ERRCODE = 'undefined_object',
				  HINT = 'Cycles are listed in ideal.cycle.';
	END IF;
	SELECT c.methodology INTO ma FROM ideal.cycle c WHERE c.code = to_cycle;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'cycle "%" does not exist', to_cycle
			USING ERRCODE = 'undefined_object',
				  HINT = 'Cycles are listed in ideal.cycle.';
	END IF;
	IF NOT ideal.methodologies_comparable(mb, ma) THEN
		RAISE EXCEPTION 'cycles "%" and "%" are not comparable', from_cycle, to_cycle
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('Methodologies "%s" and "%s" have no composite in common.', mb, ma),
				  HINT = 'A trend compares composites with the same code and subject kind.';
	END IF;
	IF decimals IS NULL OR decimals < 0 OR decimals > 15 THEN
		RAISE EXCEPTION 'decimals must be between 0 and 15'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('decimals is %s.', coalesce(decimals::text, 'NULL'));
	END IF;
	-- the indicators both methodologies ask, for the like-for-like scores
	SELECT coalesce(array_agg(i1.code), '{}') INTO common
	  FROM ideal.indicator i1
	  JOIN ideal.indicator i2 ON i2.code = i1.code AND i2.kind = i1.kind
	 WHERE i1.methodology = mb AND i2.methodology = ma;

	-- One pass over both cycles' observations: each subject is evaluated on
	-- all its answers and on the shared indicators alone, and both sides are
	-- brought together by grouping rather than joining.
	RETURN QUERY
	WITH sets AS MATERIALIZED (
		SELECT k1.code, k1.kind, k1.position,
			   ARRAY(SELECT l.indicator FROM ideal.composite_leaf l
					  JOIN ideal.indicator i
						ON i.methodology = l.methodology AND i.code = l.indicator
					  WHERE l.methodology = mb AND l.composite = k1.code
					  ORDER BY i.position) AS lb,
			   ARRAY(SELECT l.indicator FROM ideal.composite_leaf l
					  JOIN ideal.indicator i
						ON i.methodology = l.methodology AND i.code = l.indicator
					  WHERE l.methodology = ma AND l.composite = k1.code
					  ORDER BY i.position) AS la
		  FROM ideal.composite k1
		  JOIN ideal.composite k2 ON k2.code = k1.code AND k2.kind = k1.kind
		 WHERE k1.methodology = mb AND k2.methodology = ma
	), e AS (
		SELECT o.cycle, o.country, o.subject_kind, o.subject,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading) AS all_scores,
			   ideal.evaluate(o.cycle, o.indicator, o.value, o.is_unknown,
							  o.grading)
				   FILTER (WHERE o.indicator = ANY (common)) AS shared_scores
		  FROM ideal.observation o
		 WHERE o.cycle IN (from_cycle, to_cycle)
		 GROUP BY o.cycle, o.country, o.subject_kind, o.subject
	), u AS (
		SELECT e.cycle, e.country, e.subject_kind, e.subject, r.composite,
			   r.score, r.level, false AS restricted
		  FROM e CROSS JOIN LATERAL unnest(e.all_scores) AS r
		UNION ALL
		SELECT e.cycle, e.country, e.subject_kind, e.subject, r.composite,
			   r.score, r.level, true
		  FROM e CROSS JOIN LATERAL unnest(e.shared_scores) AS r
	), p AS (
		SELECT u.country, u.subject_kind, u.subject, u.composite,
			   bool_or(u.cycle = from_cycle AND NOT u.restricted) AS seen_before,
			   bool_or(u.cycle = to_cycle AND NOT u.restricted) AS seen_after,
			   max(u.score) FILTER (WHERE u.cycle = from_cycle
									  AND NOT u.restricted) AS before,
			   max(u.score) FILTER (WHERE u.cycle = to_cycle
									  AND NOT u.restricted) AS after,
			   ideal.max(u.level) FILTER (WHERE u.cycle = from_cycle
											AND NOT u.restricted) AS level_before,
			   ideal.max(u.level) FILTER (WHERE u.cycle = to_cycle
											AND NOT u.restricted) AS level_after,
			   max(u.score) FILTER (WHERE u.cycle = from_cycle
									  AND u.restricted) AS before_shared,
			   max(u.score) FILTER (WHERE u.cycle = to_cycle
									  AND u.restricted) AS after_shared
		  FROM u
		 GROUP BY u.country, u.subject_kind, u.subject, u.composite
	)
	SELECT from_cycle, to_cycle, mb, ma, p.country, p.subject_kind,
		   p.subject, p.composite, p.before, p.after, p.after - p.before,
		   round(p.after, decimals) - round(p.before, decimals),
		   p.level_before, p.level_after,
		   p.level_after::integer - p.level_before::integer,
		   cardinality(s.lb), cardinality(s.la),
		   cardinality(ARRAY(SELECT x FROM unnest(s.la) x WHERE x = ANY (s.lb))),
		   (s.lb @> s.la AND s.la @> s.lb),
		   ARRAY(SELECT x FROM unnest(s.la) WITH ORDINALITY v(x, n)
				  WHERE x = ANY (s.lb) ORDER BY n),
		   ARRAY(SELECT x FROM unnest(s.lb) WITH ORDINALITY v(x, n)
				  WHERE NOT x = ANY (s.la) ORDER BY n),
		   ARRAY(SELECT x FROM unnest(s.la) WITH ORDINALITY v(x, n)
				  WHERE NOT x = ANY (s.lb) ORDER BY n),
		   p.before_shared, p.after_shared, p.after_shared - p.before_shared
	  FROM p
	  JOIN sets s ON s.code = p.composite AND s.kind = p.subject_kind
	 WHERE p.seen_before OR p.seen_after
	 ORDER BY p.subject_kind, p.country, p.subject, s.position;
END $$;
COMMENT ON FUNCTION ideal.trend(text, text, integer) IS
	'Per subject and shared composite, between two cycles of comparable methodologies: before, after, change (exact and of the values rounded to decimals), level change, the indicators the two composites share, and both scores over the shared indicators alone';

-- Consecutive: for each cycle, the latest earlier cycle (by opened_at, then
-- code) whose methodology is comparable.  Cycles loaded out of their
-- historical order (an old edition entered later) are compared with
-- ideal.trend(from, to) instead.
CREATE VIEW ideal.cycle_trend AS
SELECT t.*
  FROM ideal.cycle b
 CROSS JOIN LATERAL (SELECT a.code
					   FROM ideal.cycle a
					  WHERE (a.opened_at, a.code COLLATE "C")
							< (b.opened_at, b.code COLLATE "C")
						AND ideal.methodologies_comparable(a.methodology,
														   b.methodology)
					  ORDER BY a.opened_at DESC, a.code COLLATE "C" DESC
					  LIMIT 1) p
 CROSS JOIN LATERAL ideal.trend(p.code, b.code) t;
COMMENT ON VIEW ideal.cycle_trend IS
	'Per subject: ideal.trend between each cycle and the previous comparable one (ordered by opened_at, then code)';
COMMENT ON COLUMN ideal.cycle_trend.cycle_before IS 'The earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.cycle_after IS 'The later cycle';
COMMENT ON COLUMN ideal.cycle_trend.methodology_before IS 'Methodology of the earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.methodology_after IS 'Methodology of the later cycle';
COMMENT ON COLUMN ideal.cycle_trend.country IS 'Reporting country';
COMMENT ON COLUMN ideal.cycle_trend.subject_kind IS 'group, crime_area or country';
COMMENT ON COLUMN ideal.cycle_trend.subject IS 'Group reference, crime area code or country code';
COMMENT ON COLUMN ideal.cycle_trend.composite IS 'Composite code, the same in both methodologies';
COMMENT ON COLUMN ideal.cycle_trend.before IS 'Score in the earlier cycle, by its own methodology (exact to 15 decimals)';
COMMENT ON COLUMN ideal.cycle_trend.after IS 'Score in the later cycle, by its own methodology';
COMMENT ON COLUMN ideal.cycle_trend.change IS 'after - before, exact';
COMMENT ON COLUMN ideal.cycle_trend.change_rounded IS
	'after and before each rounded to 2 decimals (half away from zero), then subtracted: the change as publishers print it';
COMMENT ON COLUMN ideal.cycle_trend.level_before IS 'Threat level in the earlier cycle';
COMMENT ON COLUMN ideal.cycle_trend.level_after IS 'Threat level in the later cycle';
COMMENT ON COLUMN ideal.cycle_trend.level_change IS 'Levels moved: positive up, negative down';
COMMENT ON COLUMN ideal.cycle_trend.indicators_before IS 'Indicators under the composite in the earlier methodology';
COMMENT ON COLUMN ideal.cycle_trend.indicators_after IS 'Indicators under the composite in the later methodology';
COMMENT ON COLUMN ideal.cycle_trend.shared_indicators IS 'Indicators under the composite in both';
COMMENT ON COLUMN ideal.cycle_trend.same_indicators IS 'True when both composites have exactly the same indicators';
COMMENT ON COLUMN ideal.cycle_trend.shared IS 'Codes of the shared indicators';
COMMENT ON COLUMN ideal.cycle_trend.only_before IS 'Codes of indicators only in the earlier methodology';
COMMENT ON COLUMN ideal.cycle_trend.only_after IS 'Codes of indicators only in the later methodology';
COMMENT ON COLUMN ideal.cycle_trend.before_shared IS 'Earlier score over the shared indicators alone';
COMMENT ON COLUMN ideal.cycle_trend.after_shared IS 'Later score over the shared indicators alone';
COMMENT ON COLUMN ideal.cycle_trend.change_shared IS 'after_shared - before_shared: the like-for-like change';

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

--------------------------------------------------------------------------
-- Security: the four job roles, contact points mapped to countries,
-- row-level security by country, handling codes that forbid
-- dissemination, and one access rule per relation.
--
-- CREATE EXTENSION creates no role.  The policies below are TO PUBLIC and
-- ask the catalog and ideal.contact_point who the user is, so they hold
-- before the roles exist (every table is then closed to all but its owner)
-- and survive pg_dump, which does not dump policies of extension tables.
-- A superuser creates the roles and grants with SELECT ideal.create_roles();
-- pg_dump keeps those grants.
--------------------------------------------------------------------------

-- Role of each job
CREATE FUNCTION ideal.job_role(job text) RETURNS name
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT (CASE job
			WHEN 'owner' THEN 'ideal_owner'
			WHEN 'contact' THEN 'ideal_contact'
			WHEN 'analyst' THEN 'ideal_analyst'
			WHEN 'reader' THEN 'ideal_reader'
			END)::name
$$;
COMMENT ON FUNCTION ideal.job_role(text) IS
	'Role of a job: owner (methodology owner), contact (contact point), analyst or reader; NULL for any other job';

-- Whether the current user acts in a job (holds its role's privileges).
-- Looked up by name, so that it answers false before the roles exist.
CREATE FUNCTION ideal.has_job(job text) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					WHERE r.rolname = ideal.job_role(job)
					  AND pg_catalog.pg_has_role(r.oid, 'USAGE'))
$$;
COMMENT ON FUNCTION ideal.has_job(text) IS
	'True if the current user holds the privileges of the job''s role (directly or through membership)';

--------------------------------------------------------------------------
-- Contact points: which roles write for which countries
--------------------------------------------------------------------------

CREATE TABLE ideal.contact_point (
	role regrole NOT NULL,
	country ideal.country NOT NULL,
	note text,
	mapped_at timestamptz NOT NULL DEFAULT now(),
	mapped_by name NOT NULL DEFAULT current_user,
	PRIMARY KEY (role, country)
);
COMMENT ON TABLE ideal.contact_point IS
	'Contact points: a role (a login, or a group of logins) reads and writes the rows of these countries; changed by the methodology owner only';
COMMENT ON COLUMN ideal.contact_point.role IS
	'A role whose members act for the country; it also needs membership in ideal_contact';
SELECT pg_catalog.pg_extension_config_dump('ideal.contact_point', '');

-- a role sees its own mappings; the owner changes them; analysts read all.
-- Policies spell out their tests instead of calling ideal.has_job(): they
-- then run as initplans of the statement's cached plan, where a SQL
-- function would be parsed again at every execution (every row of an
-- intake view).
ALTER TABLE ideal.contact_point ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_point_read ON ideal.contact_point FOR SELECT
	USING (pg_catalog.pg_has_role(role, 'USAGE')
		   OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					   WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
						 AND pg_catalog.pg_has_role(r.oid, 'USAGE'))
		   OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					   WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_analyst'
						 AND pg_catalog.pg_has_role(r.oid, 'USAGE')));
CREATE POLICY contact_point_write ON ideal.contact_point FOR ALL
	USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
					WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
					  AND pg_catalog.pg_has_role(r.oid, 'USAGE')))
	WITH CHECK (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
						 WHERE r.rolname OPERATOR(pg_catalog.=) 'ideal_owner'
						   AND pg_catalog.pg_has_role(r.oid, 'USAGE')));
-- The policies of every table of submitted rows read this table for
-- whoever queries them, whatever roles the DBA gave: everyone may read it,
-- and sees its own mappings only.
GRANT SELECT ON ideal.contact_point TO PUBLIC;

-- The countries the current user acts for (the policies spell out the same
-- test).
CREATE FUNCTION ideal.my_countries() RETURNS ideal.country[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(DISTINCT m.country ORDER BY m.country),
					'{}')
	  FROM ideal.contact_point m
	 WHERE pg_catalog.pg_has_role(m.role, 'USAGE')
$$;
COMMENT ON FUNCTION ideal.my_countries() IS
	'Countries the current user writes and reads as a contact point (ideal.contact_point)';

CREATE FUNCTION ideal.my_country_codes() RETURNS text[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(c::text), '{}')
	  FROM pg_catalog.unnest(ideal.my_countries()) c
$$;
COMMENT ON FUNCTION ideal.my_country_codes() IS
	'ideal.my_countries() as alpha-2 text codes, for tables that keep the country as text';

CREATE FUNCTION ideal.open_cycles() RETURNS text[]
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(pg_catalog.array_agg(c.code ORDER BY c.code), '{}')
	  FROM ideal.cycle c
	 WHERE c.status = 'open'
$$;
COMMENT ON FUNCTION ideal.open_cycles() IS
	'Codes of the cycles that accept writes';

-- Called by the write policies only when the fast check fails: raises the
-- server's own "new row violates row-level security policy" with a detail
-- that says why (the row's country, the writer's countries), or the
-- cycle's state.
CREATE FUNCTION ideal.refuse_write(relation text, row_country text,
								   row_cycle text, who_column text DEFAULT NULL,
								   row_who name DEFAULT NULL)
	RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	mine text[] := ideal.my_country_codes();
	cycle_status text;
BEGIN
	IF who_column IS NOT NULL AND row_who IS DISTINCT FROM current_user THEN
		RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
			relation
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = format('Column "%s" names role "%s"; rows are recorded under the role that writes them, "%s".',
								who_column, row_who, current_user),
				HINT = format('Leave column "%s" to its default.', who_column);
	END IF;
	IF row_country IS NULL THEN
		RETURN false;
	END IF;
	IF NOT (row_country = ANY (mine)) THEN
		RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
			relation
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = CASE WHEN cardinality(mine) = 0
					THEN format('The row is of country %s; role "%s" is mapped to no country in ideal.contact_point.',
								row_country, current_user)
					ELSE format('The row is of country %s; role "%s" writes the rows of %s only.',
								row_country, current_user, array_to_string(mine, ', '))
					END,
				HINT = 'Each country''s rows are written by its own contact points; the methodology owner maps them in ideal.contact_point.';
	END IF;
	IF row_cycle IS NOT NULL THEN
		SELECT c.status INTO cycle_status FROM ideal.cycle c
		 WHERE c.code = row_cycle;
		IF cycle_status IS NULL THEN
			RAISE EXCEPTION 'cycle "%" does not exist', row_cycle
				USING ERRCODE = 'foreign_key_violation',
					DETAIL = format('The row is of country %s, in table "%s".', row_country,
									relation),
					HINT = 'The open cycles are listed in ideal.cycle.';
		ELSIF cycle_status <> 'open' THEN
			RAISE EXCEPTION 'cycle "%" is %', row_cycle, cycle_status
				USING ERRCODE = 'object_not_in_prerequisite_state',
					DETAIL = format('Rows of closed and published cycles cannot be added or changed (country %s, table "%s").',
									row_country, relation),
					HINT = 'A correction belongs in a new cycle.';
		END IF;
	END IF;
	RETURN false;
END $$;
COMMENT ON FUNCTION ideal.refuse_write(text, text, text, text, name) IS
	'Raises the error that explains why a write policy refuses a row (country not the writer''s, another role named, cycle not open)';

--------------------------------------------------------------------------
-- Handling codes that forbid dissemination
--------------------------------------------------------------------------

-- A row is restricted when its grading or its handling text carries a
-- handling code that forbids passing it on without the provider's consent.
-- Codes whose restrictions are free text (Europol H3, UK 3x5x2 C) count as
-- restricting, since no machine can check them; so does any handling text
-- that is not one of the codes.  UK 5x5x5: only handling 1 allows
-- dissemination to other law-enforcement agencies (DOMAIN.md 4.3: the
-- meanings of 2-5 are not verified; they are treated as restricting).
CREATE FUNCTION ideal.restricted(grading ideal.grading, handling text)
	RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(CASE ideal.grading_system(grading)
						WHEN 'europol' THEN ideal.grading_handling(grading) IN ('H2', 'H3')
						WHEN 'uk3x5x2' THEN ideal.grading_handling(grading) = 'C'
						WHEN 'uk5x5x5' THEN ideal.grading_handling(grading) IN ('2', '3', '4', '5')
						ELSE false
					END, false)
		OR coalesce(upper(btrim(handling)) NOT IN ('', 'H0', 'H1', 'P', '1'), false)
$$;
COMMENT ON FUNCTION ideal.restricted(ideal.grading, text) IS
	'True if a row''s handling forbids dissemination: Europol H2 or H3, UK 3x5x2 C, UK 5x5x5 2-5, or a handling text other than H0, H1, P or 1';

--------------------------------------------------------------------------
-- Access rules: one for each table, for each view that reads as its owner,
-- and for each guarded function.  What each rule grants:
--
--   rule        what                                  owner contact analyst reader
--   catalog     reference data: methodologies, ...     S     S       S       S
--   cycle       ideal.cycle                            SIUD  S       S       S
--   mapping     ideal.contact_point (own policies)     SIUD  S       S       S
--   submission  submitted rows: row-level security     -     SIUD    S       -
--               by country; writes in open cycles only
--   worklist    refused rows (ideal.rejected): by      -     SIUD    S       -
--               country, in any cycle
--   history     rows the extension writes itself       -     S       S       -
--               (history, stored scores): by country
--   intake      security_invoker views whose INSTEAD   -     SI      S       -
--               OF trigger writes submitted rows
--   own_view    security_invoker views of submitted    -     S       S       -
--               rows: each reader sees its own rows
--   analysis    views reading every country's rows     -     -       S       -
--   aggregate   views counting every row, restricted   S     S       S       -
--               ones included, as their owner
--   oversight   aggregates by country (how complete   S     -       S       -
--               each submission is), as their owner
--   published   aggregates of published cycles         S     S       S       S
--   private     internal                               -     -       -       -
--   owner_function      EXECUTE                        X     -       -       -
--   raw_function        EXECUTE: reads submitted rows  -     X       X       -
--   superuser_function  no one                         -     -       -       -
--   inlined_function    a SQL function left without a pinned search_path so
--                       that it can be inlined, its body reviewed as fully
--                       schema-qualified; PUBLIC keeps EXECUTE
--
-- A security_invoker view needs no rule: it shows its reader what the reader
-- may read anyway.  The policies of submission, worklist and history
-- tables are TO PUBLIC; the grants above decide which jobs reach them.
--------------------------------------------------------------------------

CREATE TABLE ideal.access (
	object text PRIMARY KEY,
	rule text NOT NULL CHECK (rule IN ('catalog', 'cycle', 'mapping',
		'submission', 'worklist', 'history', 'intake', 'own_view', 'analysis',
		'aggregate', 'oversight', 'published', 'private', 'owner_function', 'raw_function',
		'superuser_function', 'inlined_function')),
	country_column name,
	cycle_column name,
	who_column name
);
COMMENT ON TABLE ideal.access IS
	'Access rule of each relation and guarded function (README, section "Security"); set with ideal.set_access() by the install script, applied to the roles by ideal.create_roles()';
-- The rows come from the install script, which CREATE EXTENSION replays on
-- restore: pg_dump must not dump them (the filter keeps every row out).
SELECT pg_catalog.pg_extension_config_dump('ideal.access', 'WHERE false');

-- Statement trigger on tables of submitted rows: a DELETE that took a row
-- of a closed or published cycle fails.  The row triggers of the tables
-- say so first; this one holds even when they are misled.
CREATE FUNCTION ideal.refuse_closed_delete() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	bad record;
BEGIN
	EXECUTE format('SELECT c.code, c.status FROM ideal_old_rows o
					  JOIN ideal.cycle c ON c.code OPERATOR(pg_catalog.=) o.%I
					 WHERE c.status OPERATOR(pg_catalog.<>) ''open'' LIMIT 1',
				   TG_ARGV[0])
		INTO bad;
	IF bad.code IS NOT NULL THEN
		RAISE EXCEPTION 'cycle "%" is %', bad.code, bad.status
			USING ERRCODE = 'object_not_in_prerequisite_state',
				DETAIL = format('Rows of closed and published cycles cannot be deleted (table "%s.%s").',
								TG_TABLE_SCHEMA, TG_TABLE_NAME),
				HINT = 'A correction belongs in a new cycle.';
	END IF;
	RETURN NULL;
END $$;
COMMENT ON FUNCTION ideal.refuse_closed_delete() IS
	'Statement trigger: refuses a DELETE that removed rows of a closed or published cycle (argument: the cycle column)';

-- Record an object's rule and put its row-level security in place.
CREATE FUNCTION ideal.set_access(object text, rule text,
								 who_column name DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rel regclass;
	fn regprocedure;
	relname text;
	plain name;
	kind "char";
	country_col name;
	country_type regtype;
	cycle_col name;
	own text;
	mine text;
	open_cycle text := '';
	who_ok text := '';
	why text;
	why_who text;
BEGIN
	IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r
			 WHERE r.rolname = current_user) THEN
		RAISE EXCEPTION 'permission denied to set the access rule of "%"', object
			USING ERRCODE = 'insufficient_privilege',
				HINT = 'Access rules are set by a superuser, normally in the install script.';
	END IF;
	IF rule LIKE '%\_function' THEN
		fn := to_regprocedure(object);
		IF fn IS NULL THEN
			-- a warning, not an error: a part that drops or renames an object
			-- must not break the install; ideal.security_audit() reports it
			RAISE WARNING 'function "%" does not exist, no access rule set', object
				USING HINT = 'Name it with its argument types, as in ideal.load_methodology(text).';
			RETURN;
		END IF;
		INSERT INTO ideal.access AS a (object, rule)
		VALUES (fn::text, rule)
		ON CONFLICT ON CONSTRAINT access_pkey DO UPDATE SET rule = excluded.rule;
		IF rule <> 'inlined_function' THEN
			EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
		END IF;
		RETURN;
	END IF;

	rel := to_regclass(object);
	IF rel IS NULL THEN
		RAISE WARNING 'relation "%" does not exist, no access rule set', object;
		RETURN;
	END IF;
	SELECT c.relkind, c.relname INTO kind, plain FROM pg_catalog.pg_class c
	 WHERE c.oid = rel;
	relname := rel::text;
	IF rule IN ('submission', 'worklist', 'history') THEN
		IF kind NOT IN ('r', 'p') THEN
			RAISE EXCEPTION '"%" is not a table', relname
				USING ERRCODE = 'wrong_object_type',
					HINT = 'Rules submission, worklist and history are for tables of submitted rows.';
		END IF;
		SELECT a.attname, a.atttypid::regtype INTO country_col, country_type
		  FROM pg_catalog.pg_attribute a
		 WHERE a.attrelid = rel AND a.attname = 'country' AND NOT a.attisdropped;
		IF country_col IS NULL OR country_type NOT IN ('ideal.country'::regtype,
													   'text'::regtype) THEN
			RAISE EXCEPTION 'table "%" has no column "country" of type ideal.country or text',
				relname
				USING ERRCODE = 'undefined_column',
					HINT = 'Row-level security by country needs the reporting country in a column "country".';
		END IF;
		SELECT a.attname INTO cycle_col FROM pg_catalog.pg_attribute a
		 WHERE a.attrelid = rel AND a.attname = 'cycle' AND NOT a.attisdropped;
		IF rule = 'submission' AND cycle_col IS NULL THEN
			RAISE EXCEPTION 'table "%" has no column "cycle"', relname
				USING ERRCODE = 'undefined_column',
					HINT = 'Submitted rows are written in open cycles only.';
		END IF;
		IF who_column IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM pg_catalog.pg_attribute a
				 WHERE a.attrelid = rel AND a.attname = who_column
				   AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'table "%" has no column "%"', relname, who_column
				USING ERRCODE = 'undefined_column';
		END IF;

		-- the building blocks: every operator named with its schema, no
		-- function call but in the refusal (the same tests as
		-- ideal.has_job(), ideal.my_countries() and ideal.open_cycles(),
		-- spelt out: see contact_point_read)
		IF country_type = 'ideal.country'::regtype THEN
			own := format('%I OPERATOR(ideal.=) ANY (ARRAY(SELECT m.country FROM ideal.contact_point m WHERE pg_catalog.pg_has_role(m.role, ''USAGE'')))',
						  country_col);
		ELSE
			own := format('%I OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT m.country::text FROM ideal.contact_point m WHERE pg_catalog.pg_has_role(m.role, ''USAGE'')))',
						  country_col);
		END IF;
		mine := own;
		IF rule = 'worklist' AND who_column IS NOT NULL THEN
			-- a refused row may lack a country: its writer keeps it
			mine := format('%s OR (%I IS NULL AND %I OPERATOR(pg_catalog.=) CURRENT_USER)',
						   own, country_col, who_column);
		END IF;
		IF rule = 'submission' THEN
			-- a probe of the cycle's primary key, row by row
			open_cycle := format(' AND EXISTS (SELECT 1 FROM ideal.cycle c WHERE c.code OPERATOR(pg_catalog.=) %I AND c.status OPERATOR(pg_catalog.=) ''open'')',
								 cycle_col);
		END IF;
		IF who_column IS NOT NULL THEN
			who_ok := format(' AND %I OPERATOR(pg_catalog.=) CURRENT_USER', who_column);
		END IF;
		why := format('ideal.refuse_write(%L, %I::text, %s)', plain, country_col,
					  CASE WHEN rule = 'submission' THEN format('%I', cycle_col)
						   ELSE 'NULL' END);
		why_who := CASE WHEN who_column IS NULL THEN why
			ELSE format('ideal.refuse_write(%L, %I::text, %s, %L, %I)', plain,
						country_col,
						CASE WHEN rule = 'submission' THEN format('%I', cycle_col)
							 ELSE 'NULL' END,
						who_column, who_column) END;

		EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_read ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_insert ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_update ON %s', relname);
		EXECUTE format('DROP POLICY IF EXISTS ideal_delete ON %s', relname);
		EXECUTE format('CREATE POLICY ideal_read ON %s FOR SELECT USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) ''ideal_analyst'' AND pg_catalog.pg_has_role(r.oid, ''USAGE'')) OR %s)',
					   relname, mine);
		IF rule = 'submission' THEN
			EXECUTE format('DROP TRIGGER IF EXISTS ideal_closed_cycle ON %s', relname);
			EXECUTE format('CREATE TRIGGER ideal_closed_cycle AFTER DELETE ON %s
							REFERENCING OLD TABLE AS ideal_old_rows FOR EACH STATEMENT
							EXECUTE FUNCTION ideal.refuse_closed_delete(%L)',
						   relname, cycle_col);
		END IF;
		IF rule <> 'history' THEN
			EXECUTE format('CREATE POLICY ideal_insert ON %s FOR INSERT WITH CHECK (((%s)%s%s) OR %s)',
						   relname, mine, open_cycle, who_ok, why_who);
			EXECUTE format('CREATE POLICY ideal_update ON %s FOR UPDATE USING (%s) WITH CHECK (((%s)%s) OR %s)',
						   relname, mine, mine, open_cycle, why);
			EXECUTE format('CREATE POLICY ideal_delete ON %s FOR DELETE USING (%s)',
						   relname, mine);
		END IF;
	ELSIF rule = 'mapping' THEN
		IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c
				 WHERE c.oid = rel) THEN
			RAISE EXCEPTION 'table "%" has no row-level security', relname
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
	ELSIF rule IN ('intake', 'own_view') THEN
		IF kind <> 'v' THEN
			RAISE EXCEPTION '"%" is not a view', relname
				USING ERRCODE = 'wrong_object_type',
					HINT = 'Rules intake and own_view are for views that show each reader its own rows.';
		END IF;
		EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', relname);
	ELSIF rule IN ('analysis', 'aggregate', 'oversight', 'published') THEN
		IF kind NOT IN ('v', 'm') THEN
			RAISE EXCEPTION '"%" is not a view', relname
				USING ERRCODE = 'wrong_object_type';
		END IF;
	END IF;
	INSERT INTO ideal.access AS a (object, rule, country_column, cycle_column,
								   who_column)
	VALUES (relname, rule, country_col, cycle_col, who_column)
	ON CONFLICT ON CONSTRAINT access_pkey DO UPDATE
	   SET rule = excluded.rule, country_column = excluded.country_column,
		   cycle_column = excluded.cycle_column,
		   who_column = excluded.who_column;
END $$;
COMMENT ON FUNCTION ideal.set_access(text, text, name) IS
	'Superuser only: record the access rule of a relation or function and put its row-level security in place (who_column: the column that must name the writing role); rerun ideal.create_roles() to grant';
REVOKE ALL ON FUNCTION ideal.set_access(text, text, name) FROM PUBLIC;

--------------------------------------------------------------------------
-- The roles
--------------------------------------------------------------------------

-- What a rule grants to a job
CREATE FUNCTION ideal.rule_privileges(rule text, job text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE rule
		WHEN 'catalog' THEN 'SELECT'
		WHEN 'cycle' THEN CASE job WHEN 'owner' THEN 'SELECT, INSERT, UPDATE, DELETE'
								   ELSE 'SELECT' END
		WHEN 'mapping' THEN CASE job WHEN 'owner' THEN 'SELECT, INSERT, UPDATE, DELETE'
									 ELSE 'SELECT' END
		WHEN 'submission' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT, UPDATE, DELETE'
										WHEN 'analyst' THEN 'SELECT' END
		WHEN 'worklist' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT, UPDATE, DELETE'
									  WHEN 'analyst' THEN 'SELECT' END
		WHEN 'history' THEN CASE job WHEN 'contact' THEN 'SELECT'
									 WHEN 'analyst' THEN 'SELECT' END
		WHEN 'intake' THEN CASE job WHEN 'contact' THEN 'SELECT, INSERT'
									WHEN 'analyst' THEN 'SELECT' END
		WHEN 'own_view' THEN CASE job WHEN 'contact' THEN 'SELECT'
									  WHEN 'analyst' THEN 'SELECT' END
		WHEN 'analysis' THEN CASE job WHEN 'analyst' THEN 'SELECT' END
		WHEN 'aggregate' THEN CASE job WHEN 'reader' THEN NULL ELSE 'SELECT' END
		WHEN 'oversight' THEN CASE job WHEN 'owner' THEN 'SELECT'
									   WHEN 'analyst' THEN 'SELECT' END
		WHEN 'published' THEN 'SELECT'
		WHEN 'owner_function' THEN CASE job WHEN 'owner' THEN 'EXECUTE' END
		WHEN 'raw_function' THEN CASE job WHEN 'contact' THEN 'EXECUTE'
										  WHEN 'analyst' THEN 'EXECUTE' END
		END
$$;
COMMENT ON FUNCTION ideal.rule_privileges(text, text) IS
	'Privileges an access rule grants to a job''s role (owner, contact, analyst, reader), or NULL for none';

CREATE FUNCTION ideal.create_roles()
	RETURNS TABLE (role name, object text, privileges text)
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	jobs text[] := ARRAY['owner', 'contact', 'analyst', 'reader'];
	job text;
	r name;
	everyone text;
	a record;
	privs text;
	seq regclass;
BEGIN
	IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x
			 WHERE x.rolname = current_user) THEN
		RAISE EXCEPTION 'permission denied to create the roles of extension "ideal"'
			USING ERRCODE = 'insufficient_privilege',
				DETAIL = 'Creating roles and granting privileges on the extension''s objects needs a superuser.',
				HINT = 'A superuser runs SELECT ideal.create_roles(); in each database that has the extension.';
	END IF;
	FOREACH job IN ARRAY jobs LOOP
		r := ideal.job_role(job);
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles x
					WHERE x.rolname = r
					  AND (x.rolsuper OR x.rolbypassrls OR x.rolcanlogin)) THEN
			RAISE EXCEPTION 'role "%" exists and is not a plain group role', r
				USING ERRCODE = 'invalid_role_specification',
					DETAIL = 'It is a superuser, has BYPASSRLS or can log in.',
					HINT = format('Make "%s" an ordinary NOLOGIN role (or drop it), then run ideal.create_roles() again.', r);
		END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			EXECUTE format('COMMENT ON ROLE %I IS %L', r,
						   'ideal: ' || CASE job
							WHEN 'owner' THEN 'methodology owner: loads methodologies, opens and closes cycles, maps contact points'
							WHEN 'contact' THEN 'contact point: writes its countries'' rows in open cycles'
							WHEN 'analyst' THEN 'analyst: reads every row, writes none'
							WHEN 'reader' THEN 'reader: published aggregates only' END);
		END IF;
	END LOOP;
	everyone := format('%I, %I, %I, %I', ideal.job_role('owner'),
					   ideal.job_role('contact'), ideal.job_role('analyst'),
					   ideal.job_role('reader'));

	-- start from nothing, so that a rerun takes away what a rule no longer
	-- grants
	FOR a IN
		SELECT c.oid::regclass AS rel
		  FROM pg_catalog.pg_depend d
		  JOIN pg_catalog.pg_class c ON c.oid = d.objid
		 WHERE d.classid = 'pg_catalog.pg_class'::regclass
		   AND d.refclassid = 'pg_catalog.pg_extension'::regclass
		   AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
							  WHERE e.extname = 'ideal')
		   AND d.deptype = 'e'
		   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
	LOOP
		EXECUTE format('REVOKE ALL ON %s FROM %s', a.rel, everyone);
	END LOOP;

	FOR a IN
		SELECT n.nspname
		  FROM pg_catalog.pg_namespace n
		 WHERE n.nspname = 'ideal'
			OR n.oid IN (SELECT c.relnamespace FROM ideal.access x
						   JOIN pg_catalog.pg_class c
							 ON c.oid = CASE WHEN x.rule NOT LIKE '%\_function'
											 THEN to_regclass(x.object) END)
		 ORDER BY n.nspname
	LOOP
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', a.nspname, everyone);
		object := format('schema %I', a.nspname);
		privileges := 'USAGE';
		FOREACH job IN ARRAY jobs LOOP
			role := ideal.job_role(job);
			RETURN NEXT;
		END LOOP;
	END LOOP;

	-- the wide intake views a methodology brings follow rule intake
	FOR a IN
		SELECT x.object, x.rule FROM ideal.access x
		UNION
		SELECT v.intake_view::text, 'intake' FROM ideal.intake_view v
		 ORDER BY 1
	LOOP
		IF a.rule LIKE '%\_function' AND a.rule <> 'inlined_function' THEN
			EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, %s',
						   to_regprocedure(a.object), everyone);
		END IF;
		FOREACH job IN ARRAY jobs LOOP
			privs := ideal.rule_privileges(a.rule, job);
			CONTINUE WHEN privs IS NULL;
			role := ideal.job_role(job);
			object := a.object;
			privileges := privs;
			IF a.rule LIKE '%\_function' THEN
				EXECUTE format('GRANT %s ON FUNCTION %s TO %I', privs,
							   to_regprocedure(a.object), role);
			ELSE
				EXECUTE format('GRANT %s ON %s TO %I', privs,
							   to_regclass(a.object), role);
				-- serial (not identity) columns draw from sequences
				IF privs LIKE '%INSERT%' THEN
					FOR seq IN
						SELECT d.objid::regclass FROM pg_catalog.pg_depend d
						  JOIN pg_catalog.pg_class s ON s.oid = d.objid
						 WHERE d.refobjid = to_regclass(a.object)
						   AND d.classid = 'pg_catalog.pg_class'::regclass
						   AND d.refclassid = 'pg_catalog.pg_class'::regclass
						   AND d.deptype = 'a' AND s.relkind = 'S'
					LOOP
						EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, role);
					END LOOP;
				END IF;
			END IF;
			RETURN NEXT;
		END LOOP;
	END LOOP;
END $$;
COMMENT ON FUNCTION ideal.create_roles() IS
	'Superuser only: create the group roles ideal_owner, ideal_contact, ideal_analyst and ideal_reader when missing and grant each what ideal.access says; returns the grants; rerun after ALTER EXTENSION UPDATE';
REVOKE ALL ON FUNCTION ideal.create_roles() FROM PUBLIC;

--------------------------------------------------------------------------
-- Audit: what breaks the rules above
--------------------------------------------------------------------------

CREATE FUNCTION ideal.security_audit()
	RETURNS TABLE (object text, problem text)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp AS $$
WITH RECURSIVE
ext AS (
	SELECT d.classid, d.objid
	  FROM pg_catalog.pg_depend d
	  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
	 WHERE e.extname = 'ideal' AND d.deptype = 'e'
	   AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass),
-- to_regprocedure() raises on a name without parentheses: CASE keeps each
-- name to its kind
acc AS (
	SELECT a.object, a.rule,
		   CASE WHEN a.rule NOT LIKE '%\_function'
				THEN pg_catalog.to_regclass(a.object) END AS rel,
		   CASE WHEN a.rule LIKE '%\_function'
				THEN pg_catalog.to_regprocedure(a.object) END AS fn
	  FROM ideal.access a),
rules AS (
	SELECT a.object, a.rule, a.rel FROM acc a
	 WHERE a.rule NOT LIKE '%\_function'
	UNION ALL
	SELECT v.intake_view::text, 'intake', v.intake_view FROM ideal.intake_view v),
rels AS (
	SELECT c.oid, c.oid::pg_catalog.regclass::text AS name, c.relkind,
		   c.relrowsecurity, c.relacl,
		   c.relkind = 'v' AND EXISTS (
				SELECT 1 FROM pg_catalog.unnest(c.reloptions) o
				 WHERE o ~* '^security_invoker=(true|on|yes|1)$') AS invoker,
		   r.rule
	  FROM pg_catalog.pg_class c
	  LEFT JOIN rules r ON r.rel = c.oid
	 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
	   AND (c.oid IN (SELECT ext.objid FROM ext
					   WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
			OR r.rule IS NOT NULL)),
refs AS (
	SELECT DISTINCT w.ev_class AS view, d.refobjid AS ref
	  FROM pg_catalog.pg_rewrite w
	  JOIN pg_catalog.pg_depend d
		ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
	   AND d.objid = w.oid
	 WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
	   AND d.refobjid <> w.ev_class),
-- every relation a view reads, and as whom: the caller while only
-- security_invoker views lie on the way (caller), otherwise the owner of
-- the last view that is not, which is an aggregate, oversight or published
-- view (agg) or not
walk (root, rel, caller, agg) AS (
	SELECT v.oid, f.ref, v.invoker,
		   NOT v.invoker AND coalesce(v.rule, '') IN ('aggregate', 'oversight', 'published')
	  FROM rels v JOIN refs f ON f.view = v.oid
	 WHERE v.relkind IN ('v', 'm')
	UNION
	SELECT w.root, f.ref, w.caller AND c.invoker,
		   CASE WHEN c.invoker THEN w.agg
				ELSE coalesce(c.rule, '') IN ('aggregate', 'oversight', 'published') END
	  FROM walk w
	  JOIN rels c ON c.oid = w.rel AND c.relkind IN ('v', 'm')
	  JOIN refs f ON f.view = c.oid),
raw AS (
	SELECT r.oid, r.name FROM rels r
	 WHERE r.rule IN ('submission', 'worklist', 'history')),
problems (object, problem) AS (
	SELECT r.name, 'has no access rule; call ideal.set_access() in the install script'
	  FROM rels r WHERE r.rule IS NULL AND NOT r.invoker
	UNION ALL
	SELECT a.object, 'is named in ideal.access but does not exist'
	  FROM acc a
	 WHERE a.rel IS NULL AND a.fn IS NULL
	UNION ALL
	SELECT r.name, 'holds submitted rows but has no row-level security'
	  FROM rels r
	 WHERE r.rule IN ('submission', 'worklist', 'history', 'mapping')
	   AND (NOT r.relrowsecurity
			OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p
							WHERE p.polrelid = r.oid))
	UNION ALL
	SELECT r.name, 'has columns "cycle" and "country" but rule ' ||
		   coalesce(r.rule, 'none') || ', not submission, worklist or history'
	  FROM rels r
	 WHERE r.relkind IN ('r', 'p')
	   AND coalesce(r.rule, '') NOT IN ('submission', 'worklist', 'history')
	   AND (SELECT count(*) FROM pg_catalog.pg_attribute a
			 WHERE a.attrelid = r.oid AND a.attname IN ('cycle', 'country')
			   AND NOT a.attisdropped) = 2
	UNION ALL
	SELECT r.name, 'shows rows by country but is not security_invoker'
	  FROM rels r WHERE r.rule IN ('intake', 'own_view') AND NOT r.invoker
	UNION ALL
	SELECT r.name, 'is granted to PUBLIC but reads as its owner'
	  FROM rels r
	 WHERE NOT r.invoker
	   AND coalesce(r.rule, '') NOT IN ('catalog', 'published', 'mapping')
	   AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(r.relacl) x
					WHERE x.grantee = 0)
	UNION ALL
	SELECT DISTINCT v.name,
		   'counts only the rows its reader may see: it reads ' || t.name ||
		   ' as its caller'
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE v.rule IN ('aggregate', 'oversight', 'published') AND w.caller
	UNION ALL
	SELECT DISTINCT v.name,
		   'shows every country''s rows: it reads ' || t.name ||
		   ' as the owner of a view that is not an aggregate'
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE (v.rule IN ('intake', 'own_view') OR (v.rule IS NULL AND v.invoker))
	   AND NOT w.caller AND NOT w.agg
	UNION ALL
	SELECT DISTINCT v.name,
		   'reads submitted rows (' || t.name || ') but its rule is ' || v.rule
	  FROM walk w JOIN rels v ON v.oid = w.root JOIN raw t ON t.oid = w.rel
	 WHERE v.rule IN ('catalog', 'private') AND NOT w.agg
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is SECURITY DEFINER without a search_path that ends in pg_temp'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND p.prosecdef
	   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c
						WHERE c ~ '^search_path=.*pg_temp"?$')
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is SECURITY DEFINER and executable by PUBLIC'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND p.prosecdef
	   AND pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
	UNION ALL
	SELECT a.object, 'is executable by PUBLIC but its rule is ' || a.rule
	  FROM acc a
	 WHERE a.rule IN ('owner_function', 'raw_function', 'superuser_function')
	   AND a.fn IS NOT NULL
	   AND pg_catalog.has_function_privilege('public', a.fn, 'EXECUTE')
	UNION ALL
	SELECT p.oid::pg_catalog.regprocedure::text,
		   'is written in ' || l.lanname || ' and does not pin search_path'
	  FROM ext JOIN pg_catalog.pg_proc p ON p.oid = ext.objid
	  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
	 WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	   AND l.lanname IN ('sql', 'plpgsql')
	   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c
						WHERE c LIKE 'search\_path=%')
	   AND NOT EXISTS (SELECT 1 FROM acc a
						WHERE a.rule = 'inlined_function' AND a.fn = p.oid))
SELECT p.object, p.problem FROM problems p ORDER BY 1, 2
$$;
COMMENT ON FUNCTION ideal.security_audit() IS
	'Objects that break the extension''s security rules: relations without an access rule or row-level security, views that leak other countries'' rows or undercount aggregates, SECURITY DEFINER functions unpinned or open to PUBLIC, functions without a pinned search_path; empty when all is well';

--------------------------------------------------------------------------
-- Access rules of the objects of the parts before this one.  A part that
-- adds a table or a view reading as its owner adds its own line:
--   SELECT ideal.set_access('schema.name', 'rule');
-- (tables of submitted rows need a column "country", and for rule
-- submission a column "cycle").  ideal.security_audit() lists what is
-- missing; the test suite requires it to be empty.
--------------------------------------------------------------------------

-- Functions of earlier parts that run with other rights or on every
-- country's rows, and what they must be:
--   loading and dropping methodologies run as the extension's owner, so
--   that the methodology owner needs no privilege on the catalog tables
--   (and cannot edit a loaded methodology), and the wide intake views a
--   load creates belong to the extension's owner;
--   the cycle guard must see every country's observations to refuse
--   deleting a cycle that has some, for an owner who reads none of them;
--   SQL functions that views reading as their owner call on every
--   country's rows pin their search_path: otherwise their unqualified
--   operators would resolve in the caller's schemas, and a look-alike
--   operator placed first would receive other countries' values.
-- pg_temp comes last: left out, it is searched first for type names.  A
-- function missing here (renamed by its part) is reported, not fatal;
-- ideal.security_audit() and the tests then say what is wrong.
DO $$
DECLARE
	f record;
	fn regprocedure;
BEGIN
	FOR f IN SELECT * FROM (VALUES
			('ideal.load_methodology(text)', true),
			('ideal.load_bundled(text)', true),
			('ideal.drop_methodology(text)', true),
			('ideal.cycle_guard()', true),
			('ideal.score_caveat(numeric, integer, integer, float8, float8, float8, float8, integer)', false),
			('ideal.weak_grading(ideal.grading, float8)', false),
			('ideal.methodologies_comparable(text, text)', false),
			('ideal.observation_as_of(text, timestamptz)', false)) v(name, definer)
	LOOP
		fn := pg_catalog.to_regprocedure(f.name);
		IF fn IS NULL THEN
			RAISE WARNING 'function "%" does not exist, left as it is', f.name;
			CONTINUE;
		END IF;
		EXECUTE pg_catalog.format('ALTER FUNCTION %s %s SET search_path = pg_catalog, pg_temp',
								  fn, CASE WHEN f.definer THEN 'SECURITY DEFINER' ELSE '' END);
	END LOOP;
END $$;

-- The one view of the reader role: the regional picture of published
-- cycles.  It leaves out the lowest and highest country scores, which are
-- single countries' figures.
CREATE VIEW ideal.published_picture AS
SELECT r.cycle, r.methodology, r.crime_area, r.crime_area_name, r.composite,
	   r.countries, r.score, r.confidence, r.level, r.rank, r.scored_countries,
	   r.coverage, r.unknowns, r.weak_countries, r.reliable, r.caveat,
	   r.groups_primary, r.groups_involved
  FROM ideal.regional_picture r
 WHERE EXISTS (SELECT 1 FROM ideal.cycle c
				WHERE c.code = r.cycle AND c.status = 'published');
COMMENT ON VIEW ideal.published_picture IS
	'Aggregate, published cycles only: ideal.regional_picture without the single-country minimum and maximum; what the reader role reads';

-- catalog: read by every job, written by the loader only
SELECT ideal.set_access('ideal.methodology', 'catalog');
SELECT ideal.set_access('ideal.scale', 'catalog');
SELECT ideal.set_access('ideal.scale_level', 'catalog');
SELECT ideal.set_access('ideal.crime_area', 'catalog');
SELECT ideal.set_access('ideal.typology', 'catalog');
SELECT ideal.set_access('ideal.indicator', 'catalog');
SELECT ideal.set_access('ideal.composite', 'catalog');
SELECT ideal.set_access('ideal.composite_input', 'catalog');
SELECT ideal.set_access('ideal.band', 'catalog');
SELECT ideal.set_access('ideal.member', 'catalog');
SELECT ideal.set_access('ideal.access', 'catalog');
SELECT ideal.set_access('ideal.headline_composite', 'catalog');
SELECT ideal.set_access('ideal.composite_leaf', 'catalog');
SELECT ideal.set_access('ideal.intake_view', 'catalog');

-- cycles and contact points: changed by the methodology owner
SELECT ideal.set_access('ideal.cycle', 'cycle');
SELECT ideal.set_access('ideal.contact_point', 'mapping');

-- submitted rows: row-level security by country
SELECT ideal.set_access('ideal.observation', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.subject', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.figure', 'submission', 'loaded_by');
SELECT ideal.set_access('ideal.rejected', 'worklist', 'rejected_by');
SELECT ideal.set_access('ideal.observation_history', 'history');
SELECT ideal.set_access('ideal.subject_score_snapshot', 'history');
SELECT ideal.set_access('ideal.score_refresh', 'private');

-- intake views: COPY and INSERT by contact points, checked by the policies
-- of the tables their triggers write (the wide views of each methodology
-- follow the same rule through ideal.intake_view)
SELECT ideal.set_access('ideal.observation_intake', 'intake');
SELECT ideal.set_access('ideal.subject_intake', 'intake');
SELECT ideal.set_access('ideal.figure_intake', 'intake');

-- per-subject views: security_invoker, so each reader sees its own rows
SELECT ideal.set_access('ideal.subject_score', 'own_view');
SELECT ideal.set_access('ideal.country_area_score', 'own_view');
SELECT ideal.set_access('ideal.group_matrix', 'own_view');
SELECT ideal.set_access('ideal.group_ranking', 'own_view');
SELECT ideal.set_access('ideal.intelligence_gap', 'own_view');
SELECT ideal.set_access('ideal.quadrant', 'own_view');
SELECT ideal.set_access('ideal.cycle_trend', 'own_view');
SELECT ideal.set_access('ideal.figure_repeats', 'own_view');

-- aggregates: read as their owner, so they count every row, restricted
-- ones included
SELECT ideal.set_access('ideal.regional_picture', 'aggregate');
SELECT ideal.set_access('ideal.country_gaps', 'oversight');
SELECT ideal.set_access('ideal.score_snapshot_status', 'aggregate');
SELECT ideal.set_access('ideal.published_picture', 'published');

-- functions
SELECT ideal.set_access('ideal.load_methodology(text)', 'owner_function');
SELECT ideal.set_access('ideal.load_bundled(text)', 'owner_function');
SELECT ideal.set_access('ideal.drop_methodology(text)', 'owner_function');
SELECT ideal.set_access('ideal.refresh_scores(text)', 'owner_function');
SELECT ideal.set_access('ideal.observation_as_of(text, timestamptz)', 'raw_function');
SELECT ideal.set_access('ideal.trend(text, text, integer)', 'raw_function');
SELECT ideal.set_access('ideal.load_rejected(bigint[])', 'raw_function');
SELECT ideal.set_access('ideal.cycle_guard()', 'superuser_function');
SELECT ideal.set_access('ideal.create_intake_views(text)', 'superuser_function');
SELECT ideal.set_access('ideal.drop_intake_views(text)', 'superuser_function');
SELECT ideal.set_access('ideal.create_roles()', 'superuser_function');
SELECT ideal.set_access('ideal.set_access(text, text, name)', 'superuser_function');
SELECT ideal.set_access('ideal.refuse_closed_delete()', 'superuser_function');
-- reviewed: its body names every operator and function with its schema, so
-- it may stay inlinable (it is created by the BI part, after this one)
INSERT INTO ideal.access (object, rule)
VALUES ('ideal.label_text(jsonb,text)', 'inlined_function');

--------------------------------------------------------------------------
-- ideal_bi: views for BI tools (Power BI, Tableau, Metabase, Superset)
--
-- ODBC and JDBC drivers report the extension's own types as "other" and BI
-- tools then refuse or mangle the column.  Every view here therefore shows
-- only text, integer, numeric, boolean and timestamptz, with stable column
-- names: *_code for language-independent codes (countries as ISO 3166-1
-- alpha-2), *_name for the label in the language of ideal.language (en by
-- default; es and pt), threat levels three times: level_ordinal (0 nil to
-- 4 very high), level_code (English) and level_name.  One row per fact.
--
-- The views are security_invoker: a user reads through them exactly what
-- the privileges and row-level security on the ideal objects below allow,
-- never more, so SELECT on them is granted to PUBLIC (88_bi_comments.sql).
--
-- This part: the schema, the dimensions (methodologies, cycles, members,
-- crime areas, indicators, composites, groups) and the intake facts
-- (observations, their history, rejected rows, figures); 81_bi_scores.sql:
-- scores, the regional picture, gaps, trends, quadrants.
--
-- To add a view: create it WITH (security_invoker = true) over the ideal
-- objects, name its columns after the conventions above, COMMENT ON the view
-- and on each column not in the shared list of 88_bi_comments.sql.  The
-- tests (test/t/80_bi.sql, sql/bi.sql, the ODBC and JDBC clients) cover
-- every view of the schema by themselves; sql/bi.sql pins the columns.
--------------------------------------------------------------------------

CREATE SCHEMA ideal_bi;
COMMENT ON SCHEMA ideal_bi IS
	'Views of the ideal extension for BI tools: standard SQL types only, one row per fact, labels in the language of ideal.language';

-- The label of a methodology item in a language: labels is a methodology's
-- label map ({"en": ..., "es": ...}); lang NULL means ideal.language.
-- Falls back on English, which every methodology has.  Plain SQL with
-- qualified names so that it can be inlined into the views.
CREATE FUNCTION ideal.label_text(labels jsonb, lang text DEFAULT NULL)
	RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(
		$1 OPERATOR(pg_catalog.->>)
			coalesce($2, pg_catalog.current_setting('ideal.language', true), 'en'),
		$1 OPERATOR(pg_catalog.->>) 'en')
$$;
COMMENT ON FUNCTION ideal.label_text(jsonb, text) IS
	'Label from a methodology label map in a language (default: setting ideal.language), falling back on English';

CREATE VIEW ideal_bi.threat_level WITH (security_invoker = true) AS
SELECT l AS level_ordinal,
	   ideal.threat_level_name(l::ideal.threat_level, 'en') AS level_code,
	   ideal.threat_level_name(l::ideal.threat_level) AS level_name
  FROM pg_catalog.generate_series(0, 4) AS l;
COMMENT ON VIEW ideal_bi.threat_level IS
	'The five threat levels, for legends and sorting: ordinal, English code, name in the chosen language';

CREATE VIEW ideal_bi.methodology WITH (security_invoker = true) AS
SELECT m.code AS methodology_code,
	   m.version,
	   ideal.label_text(m.title) AS methodology_name,
	   m.source,
	   m.note,
	   pg_catalog.array_to_string(m.languages, ', ') AS languages,
	   pg_catalog.array_to_string(m.subject_kinds, ', ') AS subject_kinds,
	   m.bundled AS is_bundled,
	   m.sha256,
	   m.loaded_at
  FROM ideal.methodology m;
COMMENT ON VIEW ideal_bi.methodology IS
	'Methodologies (methods of assessment) loaded in the database, one row each';
COMMENT ON COLUMN ideal_bi.methodology.version IS 'Version of the methodology, as its file declares it';
COMMENT ON COLUMN ideal_bi.methodology.source IS 'Who publishes the method, and where';
COMMENT ON COLUMN ideal_bi.methodology.note IS 'Free note from the methodology file';
COMMENT ON COLUMN ideal_bi.methodology.languages IS 'Languages of its labels, comma-separated (en, es, pt)';
COMMENT ON COLUMN ideal_bi.methodology.subject_kinds IS 'Kinds of subject it assesses, comma-separated (group, crime_area, country)';
COMMENT ON COLUMN ideal_bi.methodology.is_bundled IS 'True for the methodologies shipped with the extension';
COMMENT ON COLUMN ideal_bi.methodology.sha256 IS 'SHA-256 of the methodology file as loaded';
COMMENT ON COLUMN ideal_bi.methodology.loaded_at IS 'When the methodology was loaded';

CREATE VIEW ideal_bi.cycle WITH (security_invoker = true) AS
SELECT c.code AS cycle_code,
	   c.methodology AS methodology_code,
	   ideal.label_text(m.title) AS methodology_name,
	   c.title AS cycle_title,
	   c.status,
	   c.opened_at,
	   c.closed_at,
	   c.published_at
  FROM ideal.cycle c
  JOIN ideal.methodology m ON m.code = c.methodology;
COMMENT ON VIEW ideal_bi.cycle IS
	'Collection cycles (rounds of an assessment), one row each';
COMMENT ON COLUMN ideal_bi.cycle.cycle_title IS 'Title of the cycle, if one was given';
COMMENT ON COLUMN ideal_bi.cycle.status IS 'open (accepts submissions), closed or published';
COMMENT ON COLUMN ideal_bi.cycle.opened_at IS 'When the cycle was opened';
COMMENT ON COLUMN ideal_bi.cycle.closed_at IS 'When the cycle was last closed; NULL while open';
COMMENT ON COLUMN ideal_bi.cycle.published_at IS 'When the cycle was published; NULL until then';

CREATE VIEW ideal_bi.member WITH (security_invoker = true) AS
SELECT mb.methodology AS methodology_code,
	   mb.country::text AS country_code,
	   ideal.country_alpha3(mb.country) AS country_alpha3,
	   ideal.country_numeric(mb.country) AS country_numeric,
	   ideal.country_name(mb.country) AS country_name
  FROM ideal.member mb;
COMMENT ON VIEW ideal_bi.member IS
	'Member countries of each methodology: one row per methodology and country';
COMMENT ON COLUMN ideal_bi.member.country_code IS 'Member country: ISO 3166-1 alpha-2 code';
COMMENT ON COLUMN ideal_bi.member.country_numeric IS 'ISO 3166-1 numeric code of the member country';

CREATE VIEW ideal_bi.crime_area WITH (security_invoker = true) AS
SELECT a.methodology AS methodology_code,
	   a.code AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   a.position
  FROM ideal.crime_area a;
COMMENT ON VIEW ideal_bi.crime_area IS
	'Crime areas of each methodology: one row per methodology and crime area';
COMMENT ON COLUMN ideal_bi.crime_area.position IS 'Order of the crime area in its methodology file';

CREATE VIEW ideal_bi.indicator WITH (security_invoker = true) AS
SELECT i.methodology AS methodology_code,
	   i.code AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   i.kind AS subject_kind,
	   i."group" AS indicator_group,
	   i.scale AS scale_code,
	   s.kind AS scale_kind,
	   s.min::numeric AS scale_min,
	   s.max::numeric AS scale_max,
	   s.step::numeric AS scale_step,
	   i.weight::numeric AS weight,
	   i.required AS is_required,
	   i.allow_unknown AS allows_unknown,
	   i.position
  FROM ideal.indicator i
  JOIN ideal.scale s ON s.methodology = i.methodology AND s.code = i.scale;
COMMENT ON VIEW ideal_bi.indicator IS
	'Indicators (questions) of each methodology: one row per methodology and indicator';
COMMENT ON COLUMN ideal_bi.indicator.indicator_group IS 'Free grouping tag of the indicator (GI-TOC: criminal_markets, criminal_actors, resilience)';
COMMENT ON COLUMN ideal_bi.indicator.scale_code IS 'Code of the answer scale';
COMMENT ON COLUMN ideal_bi.indicator.scale_kind IS 'numeric or ordinal';
COMMENT ON COLUMN ideal_bi.indicator.scale_min IS 'Lowest value an answer can score';
COMMENT ON COLUMN ideal_bi.indicator.scale_max IS 'Highest value an answer can score';
COMMENT ON COLUMN ideal_bi.indicator.scale_step IS 'Step between allowed numeric answers; NULL when any value in range is allowed';
COMMENT ON COLUMN ideal_bi.indicator.weight IS 'Weight of the indicator in weighted composites';
COMMENT ON COLUMN ideal_bi.indicator.is_required IS 'True when every subject of its kind should answer it (counts for coverage and gaps)';
COMMENT ON COLUMN ideal_bi.indicator.allows_unknown IS 'True when "unknown" is an accepted answer';
COMMENT ON COLUMN ideal_bi.indicator.position IS 'Order of the indicator in its methodology file';

CREATE VIEW ideal_bi.composite WITH (security_invoker = true) AS
SELECT k.methodology AS methodology_code,
	   k.code AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   k.kind AS subject_kind,
	   k.method,
	   EXISTS (SELECT 1 FROM ideal.band b
				WHERE b.methodology = k.methodology
				  AND b.composite = k.code) AS is_banded,
	   k.position
  FROM ideal.composite k;
COMMENT ON VIEW ideal_bi.composite IS
	'Composite scores defined by each methodology: one row per methodology and composite';
COMMENT ON COLUMN ideal_bi.composite.method IS 'How the composite combines its inputs: mean, weighted_mean, weighted_sum or max';
COMMENT ON COLUMN ideal_bi.composite.is_banded IS 'True when the methodology maps this composite''s score to threat levels';
COMMENT ON COLUMN ideal_bi.composite.position IS 'Evaluation order of the composite in its methodology';

CREATE VIEW ideal_bi.criminal_group WITH (security_invoker = true) AS
SELECT g.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   g.country::text AS country_code,
	   ideal.country_alpha3(g.country) AS country_alpha3,
	   ideal.country_name(g.country) AS country_name,
	   g.ref AS group_ref,
	   g.name AS group_name,
	   g.typology AS typology_code,
	   ideal.label_text(t.labels) AS typology_name,
	   g.primary_area AS primary_area_code,
	   ideal.label_text(a.labels) AS primary_area_name,
	   pg_catalog.cardinality(g.operates_in) AS operating_countries,
	   g.loaded_at
  FROM ideal.subject g
  JOIN ideal.cycle c ON c.code = g.cycle
  LEFT JOIN ideal.typology t
		 ON t.methodology = c.methodology AND t.code = g.typology
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = c.methodology AND a.code = g.primary_area;
COMMENT ON VIEW ideal_bi.criminal_group IS
	'Criminal groups reported by each country in each cycle, one row per group';
COMMENT ON COLUMN ideal_bi.criminal_group.primary_area_code IS 'Code of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.criminal_group.primary_area_name IS 'Name of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.criminal_group.operating_countries IS 'Number of countries the group operates in (listed in ideal_bi.group_country)';
COMMENT ON COLUMN ideal_bi.criminal_group.loaded_at IS 'When the group was recorded';

CREATE VIEW ideal_bi.group_crime_area WITH (security_invoker = true) AS
SELECT x.cycle_code, x.country_code, x.group_ref, x.crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   x.is_primary
  FROM (SELECT g.cycle AS cycle_code, g.country::text AS country_code,
			   g.ref AS group_ref, v.area AS crime_area_code,
			   pg_catalog.bool_or(v.is_primary) AS is_primary
		  FROM ideal.subject g
		 CROSS JOIN LATERAL
			   (SELECT g.primary_area, true
				 WHERE g.primary_area IS NOT NULL
				UNION ALL
				SELECT o, false FROM pg_catalog.unnest(g.crime_areas) AS o)
			   AS v(area, is_primary)
		 GROUP BY g.cycle, g.country, g.ref, v.area) x
  JOIN ideal.cycle c ON c.code = x.cycle_code
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = c.methodology AND a.code = x.crime_area_code;
COMMENT ON VIEW ideal_bi.group_crime_area IS
	'Crime areas of each criminal group, its primary area included: one row per group and crime area';
COMMENT ON COLUMN ideal_bi.group_crime_area.is_primary IS 'True for the group''s primary crime area';

CREATE VIEW ideal_bi.group_country WITH (security_invoker = true) AS
SELECT g.cycle AS cycle_code,
	   g.country::text AS country_code,
	   g.ref AS group_ref,
	   o::text AS operates_in_code,
	   ideal.country_alpha3(o) AS operates_in_alpha3,
	   ideal.country_name(o) AS operates_in_name
  FROM ideal.subject g
 CROSS JOIN LATERAL (SELECT DISTINCT u FROM pg_catalog.unnest(g.operates_in) AS u) AS d(o);
COMMENT ON VIEW ideal_bi.group_country IS
	'Countries each criminal group operates in: one row per group and country of operation';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_code IS 'Country of operation: ISO 3166-1 alpha-2 code';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_alpha3 IS 'Country of operation: ISO 3166-1 alpha-3 code';
COMMENT ON COLUMN ideal_bi.group_country.operates_in_name IS 'Name of the country of operation';

CREATE VIEW ideal_bi.observation WITH (security_invoker = true) AS
SELECT o.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   o.country::text AS country_code,
	   ideal.country_alpha3(o.country) AS country_alpha3,
	   ideal.country_name(o.country) AS country_name,
	   o.subject_kind,
	   o.subject AS subject_code,
	   CASE o.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(o.subject)
					 THEN ideal.country_name(o.subject::ideal.country) END
	   END AS subject_name,
	   o.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   i."group" AS indicator_group,
	   o.answer,
	   o.value::numeric AS value,
	   o.is_unknown,
	   o.grading::text AS grading,
	   ideal.grading_system(o.grading) AS grading_system,
	   ideal.grading_source(o.grading) AS grading_source,
	   ideal.grading_information(o.grading) AS grading_information,
	   ideal.confidence(o.grading)::numeric AS confidence,
	   o.handling,
	   o.note,
	   o.loaded_at,
	   o.loaded_by::text AS loaded_by
  FROM ideal.observation o
  JOIN ideal.cycle c ON c.code = o.cycle
  LEFT JOIN ideal.indicator i
		 ON i.methodology = c.methodology AND i.code = o.indicator
  LEFT JOIN ideal.subject g
		 ON o.subject_kind = 'group' AND g.cycle = o.cycle
		AND g.country OPERATOR(ideal.=) o.country AND g.ref = o.subject
  LEFT JOIN ideal.crime_area a
		 ON o.subject_kind = 'crime_area' AND a.methodology = c.methodology
		AND a.code = o.subject;
COMMENT ON VIEW ideal_bi.observation IS
	'Observations: one row per answer of a reporting country about a subject and an indicator';
COMMENT ON COLUMN ideal_bi.observation.answer IS 'The answer exactly as submitted';
COMMENT ON COLUMN ideal_bi.observation.value IS 'The answer as a number on its scale; NULL for an unknown that scores nothing';
COMMENT ON COLUMN ideal_bi.observation.is_unknown IS 'True when the answer was "unknown"';
COMMENT ON COLUMN ideal_bi.observation.grading IS 'Source and information evaluation in canonical text form (Admiralty B2, Europol EU:B2:H1, ...); NULL when not graded';
COMMENT ON COLUMN ideal_bi.observation.grading_system IS 'Grading system: admiralty, europol, uk3x5x2 or uk5x5x5';
COMMENT ON COLUMN ideal_bi.observation.grading_source IS 'Source evaluation code of the grading';
COMMENT ON COLUMN ideal_bi.observation.grading_information IS 'Information evaluation code of the grading';
COMMENT ON COLUMN ideal_bi.observation.confidence IS 'Default confidence weight of the grading, 0 to 1; NULL when not graded';
COMMENT ON COLUMN ideal_bi.observation.handling IS 'Handling code given with the answer';
COMMENT ON COLUMN ideal_bi.observation.note IS 'Free note given with the answer';
COMMENT ON COLUMN ideal_bi.observation.loaded_at IS 'When the answer was loaded or last changed';
COMMENT ON COLUMN ideal_bi.observation.loaded_by IS 'Database role that loaded the answer';

CREATE VIEW ideal_bi.rejected_row WITH (security_invoker = true) AS
SELECT r.target,
	   r.cycle AS cycle_code,
	   r.country AS country_code,
	   CASE WHEN ideal.is_valid_country(r.country)
			THEN ideal.country_name(r.country::ideal.country) END AS country_name,
	   r.subject AS subject_code,
	   r.indicator AS indicator_code,
	   r.answer,
	   r.sqlstate,
	   r.message,
	   r.detail,
	   r.hint,
	   r.rejected_at,
	   r.rejected_by::text AS rejected_by
  FROM ideal.rejected r;
COMMENT ON VIEW ideal_bi.rejected_row IS
	'Rows refused at intake while ideal.on_invalid = reject, with the reason: one row per refused row';
COMMENT ON COLUMN ideal_bi.rejected_row.target IS 'Table or view the row was sent to';
COMMENT ON COLUMN ideal_bi.rejected_row.country_code IS 'Reporting country as submitted (normally ISO 3166-1 alpha-2)';
COMMENT ON COLUMN ideal_bi.rejected_row.subject_code IS 'Subject as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.indicator_code IS 'Indicator as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.answer IS 'Answer as submitted';
COMMENT ON COLUMN ideal_bi.rejected_row.sqlstate IS 'SQLSTATE of the refusal';
COMMENT ON COLUMN ideal_bi.rejected_row.message IS 'Why the row was refused';
COMMENT ON COLUMN ideal_bi.rejected_row.detail IS 'Detail of the refusal: the row and the value';
COMMENT ON COLUMN ideal_bi.rejected_row.hint IS 'How to fix the row';
COMMENT ON COLUMN ideal_bi.rejected_row.rejected_at IS 'When the row was refused';
COMMENT ON COLUMN ideal_bi.rejected_row.rejected_by IS 'Database role that sent the row';

CREATE VIEW ideal_bi.observation_history WITH (security_invoker = true) AS
SELECT h.cycle AS cycle_code,
	   c.methodology AS methodology_code,
	   h.country::text AS country_code,
	   ideal.country_alpha3(h.country) AS country_alpha3,
	   ideal.country_name(h.country) AS country_name,
	   h.subject_kind,
	   h.subject AS subject_code,
	   h.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   h.answer,
	   h.value::numeric AS value,
	   h.is_unknown,
	   h.grading::text AS grading,
	   h.handling,
	   h.note,
	   h.loaded_at,
	   h.loaded_by::text AS loaded_by,
	   h.operation,
	   h.changed_at,
	   h.changed_by::text AS changed_by
  FROM ideal.observation_history h
  JOIN ideal.cycle c ON c.code = h.cycle
  LEFT JOIN ideal.indicator i
		 ON i.methodology = c.methodology AND i.code = h.indicator;
COMMENT ON VIEW ideal_bi.observation_history IS
	'Earlier versions of observations: one row per version replaced by an update or removed by a delete';
COMMENT ON COLUMN ideal_bi.observation_history.answer IS 'The answer of this version, as submitted';
COMMENT ON COLUMN ideal_bi.observation_history.value IS 'The answer of this version as a number on its scale';
COMMENT ON COLUMN ideal_bi.observation_history.is_unknown IS 'True when this version answered "unknown"';
COMMENT ON COLUMN ideal_bi.observation_history.grading IS 'Grading of this version, canonical text';
COMMENT ON COLUMN ideal_bi.observation_history.handling IS 'Handling code of this version';
COMMENT ON COLUMN ideal_bi.observation_history.note IS 'Note of this version';
COMMENT ON COLUMN ideal_bi.observation_history.loaded_at IS 'When this version became current';
COMMENT ON COLUMN ideal_bi.observation_history.loaded_by IS 'Role that loaded this version';
COMMENT ON COLUMN ideal_bi.observation_history.operation IS 'UPDATE, DELETE or TRUNCATE: what ended this version';
COMMENT ON COLUMN ideal_bi.observation_history.changed_at IS 'When this version stopped being current';
COMMENT ON COLUMN ideal_bi.observation_history.changed_by IS 'Role that changed or deleted it';

CREATE VIEW ideal_bi.figure WITH (security_invoker = true) AS
SELECT f.cycle AS cycle_code,
	   f.methodology AS methodology_code,
	   f.country::text AS country_code,
	   ideal.country_alpha3(f.country) AS country_alpha3,
	   ideal.country_name(f.country) AS country_name,
	   f.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   f.quantity,
	   f.unit,
	   f.year,
	   f.item,
	   (SELECT pg_catalog.string_agg(e.key || '=' || e.value, '; '
									 ORDER BY e.key)
		  FROM pg_catalog.jsonb_each_text(f.breakdown) AS e) AS breakdown,
	   f.value_text,
	   f.value,
	   pg_catalog.array_to_string(f.flags, ', ') AS flags,
	   f.source,
	   f.source_ref,
	   f.note,
	   f.loaded_at
  FROM ideal.figure f
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = f.methodology AND a.code = f.crime_area;
COMMENT ON VIEW ideal_bi.figure IS
	'Quantitative facts per country and crime area (seizures, victims, cases) as reported, one row per figure: never summed across units or sources';
COMMENT ON COLUMN ideal_bi.figure.cycle_code IS 'Cycle of the submission the figure belongs to; NULL for figures from other sources';
COMMENT ON COLUMN ideal_bi.figure.methodology_code IS 'Methodology whose crime areas classify the figure';
COMMENT ON COLUMN ideal_bi.figure.quantity IS 'What was counted: seizures, victims, persons_convicted, offences, ...';
COMMENT ON COLUMN ideal_bi.figure.unit IS 'Unit as reported: kg, Counts, persons, ...';
COMMENT ON COLUMN ideal_bi.figure.year IS 'Year the figure refers to';
COMMENT ON COLUMN ideal_bi.figure.item IS 'What the figure is about within the crime area (a drug, a category); empty when none';
COMMENT ON COLUMN ideal_bi.figure.breakdown IS 'Other dimensions as reported, "key=value" pairs separated by "; " (drug group, sex, age, ...)';
COMMENT ON COLUMN ideal_bi.figure.value_text IS 'The value exactly as the source wrote it';
COMMENT ON COLUMN ideal_bi.figure.value IS 'The value as a number; NULL when suppressed or when the source disagrees with itself';
COMMENT ON COLUMN ideal_bi.figure.flags IS 'What is odd about the figure, comma-separated: suppressed, separator_guessed, source_disagrees, ...';
COMMENT ON COLUMN ideal_bi.figure.source IS 'Who published or submitted the figure';
COMMENT ON COLUMN ideal_bi.figure.source_ref IS 'Where in the source: file and line, table, page';
COMMENT ON COLUMN ideal_bi.figure.note IS 'Free note';
COMMENT ON COLUMN ideal_bi.figure.loaded_at IS 'When the figure was loaded';

--------------------------------------------------------------------------
-- ideal_bi: scores, the regional picture, gaps, trends and quadrants
--
-- Each view reads one view of the scoring parts (50-59) and only renames,
-- converts to standard types and adds names in the chosen language; the
-- numbers are those of the ideal views.  Conventions: see 80_bi.sql.
--------------------------------------------------------------------------

CREATE VIEW ideal_bi.subject_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.subject_kind,
	   s.subject AS subject_code,
	   CASE s.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(s.subject)
					 THEN ideal.country_name(s.subject::ideal.country) END
	   END AS subject_name,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.exact AS is_exact
  FROM ideal.subject_score s
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite
  LEFT JOIN ideal.subject g
		 ON s.subject_kind = 'group' AND g.cycle = s.cycle
		AND g.country OPERATOR(ideal.=) s.country AND g.ref = s.subject
  LEFT JOIN ideal.crime_area a
		 ON s.subject_kind = 'crime_area' AND a.methodology = s.methodology
		AND a.code = s.subject;
COMMENT ON VIEW ideal_bi.subject_score IS
	'Composite scores of every subject (group, crime area in a country, or country): one row per cycle, reporting country, subject and composite';
COMMENT ON COLUMN ideal_bi.subject_score.score IS 'The composite''s score on its inputs'' scale, correctly rounded to 15 decimals; NULL when no input has a value';
COMMENT ON COLUMN ideal_bi.subject_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.subject_score.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.subject_score.answered IS 'Indicators of the composite answered with a known value';
COMMENT ON COLUMN ideal_bi.subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.subject_score.unknowns IS 'Indicators of the composite answered "unknown"';
COMMENT ON COLUMN ideal_bi.subject_score.coverage IS 'Share of the composite''s required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.subject_score.is_headline IS 'True for the subject kind''s headline composite (its last banded one)';
COMMENT ON COLUMN ideal_bi.subject_score.is_reliable IS 'True when nothing flags the score (coverage, number of answers, grading)';
COMMENT ON COLUMN ideal_bi.subject_score.caveat IS 'Why the score is flagged: no score, low coverage, few answers, weak grading; NULL when reliable';
COMMENT ON COLUMN ideal_bi.subject_score.is_exact IS 'True when the score was computed exactly before its final rounding';

CREATE VIEW ideal_bi.country_area_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.rank_in_country::integer AS rank_in_country,
	   s.groups_primary,
	   s.groups_involved
  FROM ideal.country_area_score s
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = s.methodology AND a.code = s.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite;
COMMENT ON VIEW ideal_bi.country_area_score IS
	'Each reporting country''s scores for each crime area: one row per cycle, country, crime area and composite';
COMMENT ON COLUMN ideal_bi.country_area_score.score IS 'The composite''s score on its inputs'' scale, correctly rounded to 15 decimals';
COMMENT ON COLUMN ideal_bi.country_area_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_area_score.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.country_area_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal_bi.country_area_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.country_area_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal_bi.country_area_score.coverage IS 'Share of the required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_area_score.is_headline IS 'True for the headline crime-area composite';
COMMENT ON COLUMN ideal_bi.country_area_score.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.country_area_score.caveat IS 'Why the score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.country_area_score.rank_in_country IS 'Rank of the crime area among the country''s areas by headline score, 1 = highest (headline rows only)';
COMMENT ON COLUMN ideal_bi.country_area_score.groups_primary IS 'Groups the country reports with this primary crime area';
COMMENT ON COLUMN ideal_bi.country_area_score.groups_involved IS 'Groups the country reports active in this crime area';

CREATE VIEW ideal_bi.regional_picture WITH (security_invoker = true) AS
SELECT r.cycle AS cycle_code,
	   r.methodology AS methodology_code,
	   r.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   r.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   r.countries::integer AS reporting_countries,
	   r.scored_countries::integer AS scored_countries,
	   r.score::numeric AS score,
	   r.min_score::numeric AS min_score,
	   r.max_score::numeric AS max_score,
	   r.confidence::numeric AS confidence,
	   r.coverage::numeric AS coverage,
	   r.unknowns::integer AS unknowns,
	   r.level::integer AS level_ordinal,
	   ideal.threat_level_name(r.level, 'en') AS level_code,
	   ideal.threat_level_name(r.level) AS level_name,
	   r.rank::integer AS rank,
	   r.weak_countries::integer AS weak_countries,
	   r.reliable AS is_reliable,
	   r.caveat,
	   r.groups_primary::integer AS groups_primary,
	   r.groups_involved::integer AS groups_involved
  FROM ideal.regional_picture r
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = r.methodology AND a.code = r.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = r.methodology AND k.code = r.composite;
COMMENT ON VIEW ideal_bi.regional_picture IS
	'The regional picture: one row per cycle and crime area, ranked by the confidence-weighted score of the reporting countries';
COMMENT ON COLUMN ideal_bi.regional_picture.reporting_countries IS 'Countries that assessed the crime area';
COMMENT ON COLUMN ideal_bi.regional_picture.scored_countries IS 'Countries whose assessment gives a score';
COMMENT ON COLUMN ideal_bi.regional_picture.score IS 'Mean of the countries'' headline scores for the crime area, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal_bi.regional_picture.min_score IS 'Lowest country score';
COMMENT ON COLUMN ideal_bi.regional_picture.max_score IS 'Highest country score';
COMMENT ON COLUMN ideal_bi.regional_picture.confidence IS 'Mean confidence of the countries'' scores, 0 to 1; NULL when no answer was graded';
COMMENT ON COLUMN ideal_bi.regional_picture.coverage IS 'Mean coverage of the countries'' scores, 0 to 1';
COMMENT ON COLUMN ideal_bi.regional_picture.unknowns IS 'Answers "unknown" behind the countries'' scores';
COMMENT ON COLUMN ideal_bi.regional_picture.rank IS 'Rank of the crime area in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.regional_picture.weak_countries IS 'Countries whose score for the area is flagged';
COMMENT ON COLUMN ideal_bi.regional_picture.is_reliable IS 'True when nothing flags the regional score (at least two countries, none flagged, confidence at least 0.5)';
COMMENT ON COLUMN ideal_bi.regional_picture.caveat IS 'Why the regional score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.regional_picture.groups_primary IS 'Groups reported with this primary crime area';
COMMENT ON COLUMN ideal_bi.regional_picture.groups_involved IS 'Groups reported active in this crime area';

CREATE VIEW ideal_bi.group_ranking WITH (security_invoker = true) AS
SELECT r.cycle AS cycle_code,
	   r.methodology AS methodology_code,
	   r.country::text AS country_code,
	   ideal.country_alpha3(r.country) AS country_alpha3,
	   ideal.country_name(r.country) AS country_name,
	   r.ref AS group_ref,
	   r.name AS group_name,
	   r.typology AS typology_code,
	   ideal.label_text(t.labels) AS typology_name,
	   r.primary_area AS primary_area_code,
	   ideal.label_text(a.labels) AS primary_area_name,
	   r.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   r.score,
	   r.normalised::numeric AS normalised,
	   r.confidence::numeric AS confidence,
	   r.answered,
	   r.expected,
	   r.coverage::numeric AS coverage,
	   r.unknowns,
	   r.level::integer AS level_ordinal,
	   ideal.threat_level_name(r.level, 'en') AS level_code,
	   ideal.threat_level_name(r.level) AS level_name,
	   r.rank::integer AS rank,
	   r.rank_in_country::integer AS rank_in_country,
	   r.reliable AS is_reliable,
	   r.caveat
  FROM ideal.group_ranking r
  LEFT JOIN ideal.typology t
		 ON t.methodology = r.methodology AND t.code = r.typology
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = r.methodology AND a.code = r.primary_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = r.methodology AND k.code = r.composite;
COMMENT ON VIEW ideal_bi.group_ranking IS
	'Criminal groups of each cycle ranked by their headline score: one row per cycle and group';
COMMENT ON COLUMN ideal_bi.group_ranking.primary_area_code IS 'Code of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.group_ranking.primary_area_name IS 'Name of the group''s main crime area';
COMMENT ON COLUMN ideal_bi.group_ranking.score IS 'The group''s headline score';
COMMENT ON COLUMN ideal_bi.group_ranking.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1 (Sleipnir: total / 760)';
COMMENT ON COLUMN ideal_bi.group_ranking.confidence IS 'Mean confidence of the graded answers, 0 to 1; NULL when none was graded';
COMMENT ON COLUMN ideal_bi.group_ranking.answered IS 'Attributes answered with a known value';
COMMENT ON COLUMN ideal_bi.group_ranking.expected IS 'Attributes under the headline composite';
COMMENT ON COLUMN ideal_bi.group_ranking.coverage IS 'Share of the required attributes answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.group_ranking.unknowns IS 'Attributes answered "unknown"';
COMMENT ON COLUMN ideal_bi.group_ranking.rank IS 'Rank of the group in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.group_ranking.rank_in_country IS 'Rank among the groups the same country reports, 1 = highest score';
COMMENT ON COLUMN ideal_bi.group_ranking.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.group_ranking.caveat IS 'Why the score is flagged; NULL when reliable';

CREATE VIEW ideal_bi.group_attribute WITH (security_invoker = true) AS
SELECT m.cycle AS cycle_code,
	   m.methodology AS methodology_code,
	   m.country::text AS country_code,
	   ideal.country_alpha3(m.country) AS country_alpha3,
	   ideal.country_name(m.country) AS country_name,
	   m.ref AS group_ref,
	   g.name AS group_name,
	   m.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   m.position,
	   m.weight::numeric AS weight,
	   m.required AS is_required,
	   m.answer,
	   m.rating,
	   m.value::numeric AS value,
	   m.is_unknown,
	   m.answered AS is_answered,
	   m.grading,
	   m.confidence::numeric AS confidence,
	   m.gap
  FROM ideal.group_matrix m
  LEFT JOIN ideal.subject g
		 ON g.cycle = m.cycle AND g.country OPERATOR(ideal.=) m.country
		AND g.ref = m.ref
  LEFT JOIN ideal.indicator i
		 ON i.methodology = m.methodology AND i.code = m.indicator;
COMMENT ON VIEW ideal_bi.group_attribute IS
	'The group x attribute matrix: one row per group and group indicator of its methodology, answered or not';
COMMENT ON COLUMN ideal_bi.group_attribute.position IS 'Order of the indicator in its methodology';
COMMENT ON COLUMN ideal_bi.group_attribute.weight IS 'Weight of the indicator';
COMMENT ON COLUMN ideal_bi.group_attribute.is_required IS 'True for a required indicator';
COMMENT ON COLUMN ideal_bi.group_attribute.answer IS 'The answer as submitted; NULL when never answered';
COMMENT ON COLUMN ideal_bi.group_attribute.rating IS 'The answer in canonical form: level code, number or "unknown"; NULL when never answered';
COMMENT ON COLUMN ideal_bi.group_attribute.value IS 'The answer as a number on its scale';
COMMENT ON COLUMN ideal_bi.group_attribute.is_unknown IS 'True when answered "unknown"';
COMMENT ON COLUMN ideal_bi.group_attribute.is_answered IS 'True when answered with a known value';
COMMENT ON COLUMN ideal_bi.group_attribute.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal_bi.group_attribute.confidence IS 'Confidence of the grading, 0 to 1';
COMMENT ON COLUMN ideal_bi.group_attribute.gap IS 'missing (required, never answered), unknown, weak_grading (confidence below 0.5), or NULL';

CREATE VIEW ideal_bi.intelligence_gap WITH (security_invoker = true) AS
SELECT x.cycle AS cycle_code,
	   x.methodology AS methodology_code,
	   x.country::text AS country_code,
	   ideal.country_alpha3(x.country) AS country_alpha3,
	   ideal.country_name(x.country) AS country_name,
	   x.subject_kind,
	   x.subject AS subject_code,
	   CASE x.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(x.subject)
					 THEN ideal.country_name(x.subject::ideal.country) END
	   END AS subject_name,
	   x.indicator AS indicator_code,
	   ideal.label_text(i.labels) AS indicator_name,
	   x.required AS is_required,
	   x.gap,
	   x.answer,
	   x.grading,
	   x.confidence::numeric AS confidence
  FROM ideal.intelligence_gap x
  LEFT JOIN ideal.indicator i
		 ON i.methodology = x.methodology AND i.code = x.indicator
  LEFT JOIN ideal.subject g
		 ON x.subject_kind = 'group' AND g.cycle = x.cycle
		AND g.country OPERATOR(ideal.=) x.country AND g.ref = x.subject
  LEFT JOIN ideal.crime_area a
		 ON x.subject_kind = 'crime_area' AND a.methodology = x.methodology
		AND a.code = x.subject;
COMMENT ON VIEW ideal_bi.intelligence_gap IS
	'The gap register: one row per required answer missing, answer "unknown" or weakly graded answer (confidence below 0.5)';
COMMENT ON COLUMN ideal_bi.intelligence_gap.is_required IS 'True for a required indicator';
COMMENT ON COLUMN ideal_bi.intelligence_gap.gap IS 'missing, unknown or weak_grading';
COMMENT ON COLUMN ideal_bi.intelligence_gap.answer IS 'The answer as submitted; NULL when missing';
COMMENT ON COLUMN ideal_bi.intelligence_gap.grading IS 'Grading of the answer, canonical text';
COMMENT ON COLUMN ideal_bi.intelligence_gap.confidence IS 'Confidence of the grading, 0 to 1';

CREATE VIEW ideal_bi.country_gap WITH (security_invoker = true) AS
SELECT x.cycle AS cycle_code,
	   x.methodology AS methodology_code,
	   x.country::text AS country_code,
	   ideal.country_alpha3(x.country) AS country_alpha3,
	   ideal.country_name(x.country) AS country_name,
	   x.subjects::integer AS subjects,
	   x.required_answers::integer AS required_answers,
	   x.missing::integer AS missing,
	   x.missing_share::numeric AS missing_share,
	   x.unknowns::integer AS unknowns,
	   x.weak_gradings::integer AS weak_gradings,
	   x.answers::integer AS answers,
	   x.graded::integer AS graded,
	   x.confidence::numeric AS confidence,
	   x.flagged_scores::integer AS flagged_scores
  FROM ideal.country_gaps x;
COMMENT ON VIEW ideal_bi.country_gap IS
	'Intelligence gaps per reporting country: one row per cycle and country';
COMMENT ON COLUMN ideal_bi.country_gap.subjects IS 'Subjects the country reports (with answers, or groups it declared)';
COMMENT ON COLUMN ideal_bi.country_gap.required_answers IS 'Required answers expected for those subjects';
COMMENT ON COLUMN ideal_bi.country_gap.missing IS 'Required answers never given';
COMMENT ON COLUMN ideal_bi.country_gap.missing_share IS 'missing / required_answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_gap.unknowns IS 'Answers "unknown"';
COMMENT ON COLUMN ideal_bi.country_gap.weak_gradings IS 'Known answers graded with confidence below 0.5';
COMMENT ON COLUMN ideal_bi.country_gap.answers IS 'Answers given';
COMMENT ON COLUMN ideal_bi.country_gap.graded IS 'Answers with a grading';
COMMENT ON COLUMN ideal_bi.country_gap.confidence IS 'Mean confidence of the graded answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.country_gap.flagged_scores IS 'Subjects whose headline score is flagged';

CREATE VIEW ideal_bi.trend WITH (security_invoker = true) AS
SELECT t.cycle_before AS cycle_code_before,
	   t.cycle_after AS cycle_code_after,
	   t.methodology_before AS methodology_code_before,
	   t.methodology_after AS methodology_code_after,
	   t.country::text AS country_code,
	   ideal.country_alpha3(t.country) AS country_alpha3,
	   ideal.country_name(t.country) AS country_name,
	   t.subject_kind,
	   t.subject AS subject_code,
	   CASE t.subject_kind
			WHEN 'group' THEN g.name
			WHEN 'crime_area' THEN ideal.label_text(a.labels)
			WHEN 'country' THEN
				CASE WHEN ideal.is_valid_country(t.subject)
					 THEN ideal.country_name(t.subject::ideal.country) END
	   END AS subject_name,
	   t.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   t.before AS score_before,
	   t.after AS score_after,
	   t.change,
	   t.change_rounded,
	   t.level_before::integer AS level_ordinal_before,
	   ideal.threat_level_name(t.level_before, 'en') AS level_code_before,
	   ideal.threat_level_name(t.level_before) AS level_name_before,
	   t.level_after::integer AS level_ordinal_after,
	   ideal.threat_level_name(t.level_after, 'en') AS level_code_after,
	   ideal.threat_level_name(t.level_after) AS level_name_after,
	   t.level_change,
	   t.indicators_before,
	   t.indicators_after,
	   t.shared_indicators,
	   t.same_indicators,
	   pg_catalog.array_to_string(t.only_before, ', ') AS only_before,
	   pg_catalog.array_to_string(t.only_after, ', ') AS only_after,
	   t.before_shared AS score_before_shared,
	   t.after_shared AS score_after_shared,
	   t.change_shared
  FROM ideal.cycle_trend t
  LEFT JOIN ideal.composite k
		 ON k.methodology = t.methodology_after AND k.code = t.composite
  LEFT JOIN ideal.subject g
		 ON t.subject_kind = 'group' AND g.cycle = t.cycle_after
		AND g.country OPERATOR(ideal.=) t.country AND g.ref = t.subject
  LEFT JOIN ideal.crime_area a
		 ON t.subject_kind = 'crime_area' AND a.methodology = t.methodology_after
		AND a.code = t.subject;
COMMENT ON VIEW ideal_bi.trend IS
	'Trends between each cycle and the previous comparable one: one row per subject and shared composite';
COMMENT ON COLUMN ideal_bi.trend.cycle_code_before IS 'The earlier cycle';
COMMENT ON COLUMN ideal_bi.trend.cycle_code_after IS 'The later cycle';
COMMENT ON COLUMN ideal_bi.trend.methodology_code_before IS 'Methodology of the earlier cycle';
COMMENT ON COLUMN ideal_bi.trend.methodology_code_after IS 'Methodology of the later cycle';
COMMENT ON COLUMN ideal_bi.trend.score_before IS 'Score in the earlier cycle, by its own methodology';
COMMENT ON COLUMN ideal_bi.trend.score_after IS 'Score in the later cycle, by its own methodology';
COMMENT ON COLUMN ideal_bi.trend.change IS 'score_after - score_before, exact';
COMMENT ON COLUMN ideal_bi.trend.change_rounded IS 'Both scores rounded to 2 decimals, then subtracted: the change as publishers print it';
COMMENT ON COLUMN ideal_bi.trend.level_ordinal_before IS 'Threat level in the earlier cycle as a number, 0 nil to 4 very high';
COMMENT ON COLUMN ideal_bi.trend.level_code_before IS 'Threat level in the earlier cycle, in English';
COMMENT ON COLUMN ideal_bi.trend.level_name_before IS 'Threat level in the earlier cycle, in the chosen language';
COMMENT ON COLUMN ideal_bi.trend.level_ordinal_after IS 'Threat level in the later cycle as a number, 0 nil to 4 very high';
COMMENT ON COLUMN ideal_bi.trend.level_code_after IS 'Threat level in the later cycle, in English';
COMMENT ON COLUMN ideal_bi.trend.level_name_after IS 'Threat level in the later cycle, in the chosen language';
COMMENT ON COLUMN ideal_bi.trend.level_change IS 'Levels moved: positive up, negative down';
COMMENT ON COLUMN ideal_bi.trend.indicators_before IS 'Indicators under the composite in the earlier methodology';
COMMENT ON COLUMN ideal_bi.trend.indicators_after IS 'Indicators under the composite in the later methodology';
COMMENT ON COLUMN ideal_bi.trend.shared_indicators IS 'Indicators under the composite in both';
COMMENT ON COLUMN ideal_bi.trend.same_indicators IS 'True when both composites have exactly the same indicators';
COMMENT ON COLUMN ideal_bi.trend.only_before IS 'Indicators only in the earlier methodology, comma-separated';
COMMENT ON COLUMN ideal_bi.trend.only_after IS 'Indicators only in the later methodology, comma-separated';
COMMENT ON COLUMN ideal_bi.trend.score_before_shared IS 'Earlier score over the shared indicators alone';
COMMENT ON COLUMN ideal_bi.trend.score_after_shared IS 'Later score over the shared indicators alone';
COMMENT ON COLUMN ideal_bi.trend.change_shared IS 'score_after_shared - score_before_shared: the like-for-like change';

CREATE VIEW ideal_bi.quadrant WITH (security_invoker = true) AS
SELECT q.cycle AS cycle_code,
	   q.methodology AS methodology_code,
	   q.country::text AS country_code,
	   ideal.country_alpha3(q.country) AS country_alpha3,
	   ideal.country_name(q.country) AS country_name,
	   q.subject_kind,
	   q.subject AS subject_code,
	   CASE WHEN q.subject_kind = 'country' AND ideal.is_valid_country(q.subject)
			THEN ideal.country_name(q.subject::ideal.country)
			ELSE q.subject END AS subject_name,
	   q.y_composite AS y_composite_code,
	   ideal.label_text(ky.labels) AS y_composite_name,
	   q.y_score,
	   q.y_threshold::numeric AS y_threshold,
	   q.y_class,
	   q.x_composite AS x_composite_code,
	   ideal.label_text(kx.labels) AS x_composite_name,
	   q.x_score,
	   q.x_threshold::numeric AS x_threshold,
	   q.x_class,
	   q.quadrant,
	   q.quadrant_label
  FROM ideal.quadrant q
  LEFT JOIN ideal.composite ky
		 ON ky.methodology = q.methodology AND ky.code = q.y_composite
  LEFT JOIN ideal.composite kx
		 ON kx.methodology = q.methodology AND kx.code = q.x_composite;
COMMENT ON VIEW ideal_bi.quadrant IS
	'GI-TOC style quadrants: one row per subject of a methodology with a quadrant, its two composite scores classed high or low';
COMMENT ON COLUMN ideal_bi.quadrant.subject_name IS 'Name of the subject: the country''s name in the chosen language (GI-TOC), otherwise its code';
COMMENT ON COLUMN ideal_bi.quadrant.y_composite_code IS 'Composite on the y axis (GI-TOC: criminality)';
COMMENT ON COLUMN ideal_bi.quadrant.y_composite_name IS 'Label of the y composite in the chosen language';
COMMENT ON COLUMN ideal_bi.quadrant.y_score IS 'Score of the y composite';
COMMENT ON COLUMN ideal_bi.quadrant.y_threshold IS 'Threshold of the y axis, from the methodology';
COMMENT ON COLUMN ideal_bi.quadrant.y_class IS 'high (score at or above the threshold) or low';
COMMENT ON COLUMN ideal_bi.quadrant.x_composite_code IS 'Composite on the x axis (GI-TOC: resilience)';
COMMENT ON COLUMN ideal_bi.quadrant.x_composite_name IS 'Label of the x composite in the chosen language';
COMMENT ON COLUMN ideal_bi.quadrant.x_score IS 'Score of the x composite';
COMMENT ON COLUMN ideal_bi.quadrant.x_threshold IS 'Threshold of the x axis, from the methodology';
COMMENT ON COLUMN ideal_bi.quadrant.x_class IS 'high (score at or above the threshold) or low';
COMMENT ON COLUMN ideal_bi.quadrant.quadrant IS 'y class - x class: high-low, high-high, low-low or low-high';
COMMENT ON COLUMN ideal_bi.quadrant.quadrant_label IS 'The quadrant in English words, such as "high criminality, low resilience"';

CREATE VIEW ideal_bi.stored_subject_score WITH (security_invoker = true) AS
SELECT s.cycle AS cycle_code,
	   s.methodology AS methodology_code,
	   s.country::text AS country_code,
	   ideal.country_alpha3(s.country) AS country_alpha3,
	   ideal.country_name(s.country) AS country_name,
	   s.subject_kind,
	   s.subject AS subject_code,
	   s.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   s.score,
	   s.normalised::numeric AS normalised,
	   s.confidence::numeric AS confidence,
	   s.answered,
	   s.expected,
	   s.unknowns,
	   s.coverage::numeric AS coverage,
	   s.level::integer AS level_ordinal,
	   ideal.threat_level_name(s.level, 'en') AS level_code,
	   ideal.threat_level_name(s.level) AS level_name,
	   s.headline AS is_headline,
	   s.reliable AS is_reliable,
	   s.caveat,
	   s.refreshed_at,
	   coalesce(st.current, false) AS is_current
  FROM ideal.subject_score_snapshot s
  LEFT JOIN ideal.composite k
		 ON k.methodology = s.methodology AND k.code = s.composite
  LEFT JOIN ideal.score_snapshot_status st ON st.cycle = s.cycle;
COMMENT ON VIEW ideal_bi.stored_subject_score IS
	'Subject scores as stored by ideal.refresh_scores(), for large installations: the columns of ideal_bi.subject_score read from the store, with when they were stored and whether they are still current';
COMMENT ON COLUMN ideal_bi.stored_subject_score.score IS 'The composite''s score on its inputs'' scale';
COMMENT ON COLUMN ideal_bi.stored_subject_score.normalised IS 'Place of the score between the lowest and highest scores possible, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.confidence IS 'Mean confidence of the graded answers, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.answered IS 'Indicators answered with a known value';
COMMENT ON COLUMN ideal_bi.stored_subject_score.expected IS 'Indicators under the composite';
COMMENT ON COLUMN ideal_bi.stored_subject_score.unknowns IS 'Indicators answered "unknown"';
COMMENT ON COLUMN ideal_bi.stored_subject_score.coverage IS 'Share of the required indicators answered with a known value, 0 to 1';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_headline IS 'True for the subject kind''s headline composite';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_reliable IS 'True when nothing flags the score';
COMMENT ON COLUMN ideal_bi.stored_subject_score.caveat IS 'Why the score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.stored_subject_score.refreshed_at IS 'When ideal.refresh_scores() stored the cycle''s scores';
COMMENT ON COLUMN ideal_bi.stored_subject_score.is_current IS 'True when the stored scores still equal what ideal_bi.subject_score gives (closed or published cycle, unchanged since)';

--------------------------------------------------------------------------
-- ideal_bi.published_picture: what a reader's dashboard reads
--------------------------------------------------------------------------

-- The regional picture of published cycles, over ideal.published_picture
-- (the reader role's one view), in the columns of ideal_bi.regional_picture
-- less the single-country minimum and maximum.
CREATE VIEW ideal_bi.published_picture WITH (security_invoker = true) AS
SELECT p.cycle AS cycle_code,
	   p.methodology AS methodology_code,
	   p.crime_area AS crime_area_code,
	   ideal.label_text(a.labels) AS crime_area_name,
	   p.composite AS composite_code,
	   ideal.label_text(k.labels) AS composite_name,
	   p.countries::integer AS reporting_countries,
	   p.scored_countries::integer AS scored_countries,
	   p.score::numeric AS score,
	   p.confidence::numeric AS confidence,
	   p.coverage::numeric AS coverage,
	   p.unknowns::integer AS unknowns,
	   p.level::integer AS level_ordinal,
	   ideal.threat_level_name(p.level, 'en') AS level_code,
	   ideal.threat_level_name(p.level) AS level_name,
	   p.rank::integer AS rank,
	   p.weak_countries::integer AS weak_countries,
	   p.reliable AS is_reliable,
	   p.caveat,
	   p.groups_primary::integer AS groups_primary,
	   p.groups_involved::integer AS groups_involved
  FROM ideal.published_picture p
  LEFT JOIN ideal.crime_area a
		 ON a.methodology = p.methodology AND a.code = p.crime_area
  LEFT JOIN ideal.composite k
		 ON k.methodology = p.methodology AND k.code = p.composite;
COMMENT ON VIEW ideal_bi.published_picture IS
	'The regional picture of published cycles: one row per cycle and crime area, ranked; what the reader role can read';
COMMENT ON COLUMN ideal_bi.published_picture.reporting_countries IS 'Countries that assessed the crime area';
COMMENT ON COLUMN ideal_bi.published_picture.scored_countries IS 'Countries whose assessment gives a score';
COMMENT ON COLUMN ideal_bi.published_picture.score IS 'Mean of the countries'' headline scores for the crime area, each weighted by its confidence (ungraded: 1)';
COMMENT ON COLUMN ideal_bi.published_picture.confidence IS 'Mean confidence of the countries'' scores, 0 to 1; NULL when no answer was graded';
COMMENT ON COLUMN ideal_bi.published_picture.coverage IS 'Mean coverage of the countries'' scores, 0 to 1';
COMMENT ON COLUMN ideal_bi.published_picture.unknowns IS 'Answers "unknown" behind the countries'' scores';
COMMENT ON COLUMN ideal_bi.published_picture.rank IS 'Rank of the crime area in its cycle, 1 = highest score';
COMMENT ON COLUMN ideal_bi.published_picture.weak_countries IS 'Countries whose score for the area is flagged';
COMMENT ON COLUMN ideal_bi.published_picture.is_reliable IS 'True when nothing flags the regional score (at least two countries, none flagged, confidence at least 0.5)';
COMMENT ON COLUMN ideal_bi.published_picture.caveat IS 'Why the regional score is flagged; NULL when reliable';
COMMENT ON COLUMN ideal_bi.published_picture.groups_primary IS 'Groups reported with this primary crime area';
COMMENT ON COLUMN ideal_bi.published_picture.groups_involved IS 'Groups reported active in this crime area';

--------------------------------------------------------------------------
-- ideal_bi: the data dictionary, as rows
--
-- Every view and column of ideal_bi carries a COMMENT, but not every driver
-- passes comments on: psqlODBC leaves REMARKS empty.  This view gives them
-- to any tool as an ordinary table to browse or join.
--------------------------------------------------------------------------

CREATE VIEW ideal_bi.data_dictionary WITH (security_invoker = true) AS
SELECT c.relname::text AS view_name,
	   pg_catalog.obj_description(c.oid, 'pg_class') AS view_description,
	   a.attnum::integer AS column_position,
	   a.attname::text AS column_name,
	   pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
	   pg_catalog.col_description(c.oid, a.attnum) AS column_description
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_attribute a
	ON a.attrelid OPERATOR(pg_catalog.=) c.oid
   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'ideal_bi'::pg_catalog.regnamespace
   AND c.relkind OPERATOR(pg_catalog.=) 'v';
COMMENT ON VIEW ideal_bi.data_dictionary IS
	'Every view and column of ideal_bi with its SQL type and description, for tools whose driver does not show comments';
COMMENT ON COLUMN ideal_bi.data_dictionary.view_name IS 'Name of the view in schema ideal_bi';
COMMENT ON COLUMN ideal_bi.data_dictionary.view_description IS 'What the view holds, one row per what';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_position IS 'Position of the column in the view, from 1';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_name IS 'Name of the column';
COMMENT ON COLUMN ideal_bi.data_dictionary.data_type IS 'SQL type of the column: text, integer, numeric, boolean or timestamp with time zone';
COMMENT ON COLUMN ideal_bi.data_dictionary.column_description IS 'What the column means';

--------------------------------------------------------------------------
-- ideal_bi: comments on the columns the BI views share
--
-- A column name means the same in every view of ideal_bi, so its comment is
-- written once, here, and given to each view column of that name that has
-- none yet (columns whose meaning differs carry their own comment, next to
-- their view).  This part comes after every part that creates ideal_bi views.
--------------------------------------------------------------------------

DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS view, a.attname, d.comment
		  FROM pg_catalog.pg_class c
		  JOIN pg_catalog.pg_attribute a
			ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		  JOIN (VALUES
			('cycle_code', 'Code of the collection cycle'),
			('cycle_title', 'Title of the cycle, if one was given'),
			('methodology_code', 'Code of the methodology the cycle follows (ideal-2.0, gitoc-2023, sleipnir, ...)'),
			('methodology_name', 'Title of the methodology in the chosen language'),
			('country_code', 'Reporting country: ISO 3166-1 alpha-2 code'),
			('country_alpha3', 'ISO 3166-1 alpha-3 code of the country'),
			('country_name', 'Short name of the country in the chosen language'),
			('subject_kind', 'Kind of subject: group, crime_area or country'),
			('subject_code', 'The subject: a group reference, a crime area code or a country''s ISO 3166-1 alpha-2 code'),
			('subject_name', 'Name of the subject in the chosen language: the group''s name, the crime area''s or the country''s name'),
			('indicator_code', 'Code of the indicator (question)'),
			('indicator_name', 'Label of the indicator in the chosen language'),
			('indicator_group', 'Grouping tag of the indicator in its methodology'),
			('composite_code', 'Code of the composite score'),
			('composite_name', 'Label of the composite score in the chosen language'),
			('crime_area_code', 'Code of the crime area'),
			('crime_area_name', 'Label of the crime area in the chosen language'),
			('group_ref', 'Reference of the criminal group, unique within its reporting country and cycle'),
			('group_name', 'Name of the criminal group'),
			('typology_code', 'Code of the group''s typology (kind of criminal group)'),
			('typology_name', 'Label of the group''s typology in the chosen language'),
			('level_ordinal', 'Threat level as a number: 0 nil, 1 low, 2 moderate, 3 high, 4 very high; NULL when the score has no band'),
			('level_code', 'Threat level in English, whatever the chosen language: nil, low, moderate, high, very high'),
			('level_name', 'Threat level in the chosen language')
		  ) AS d(attname, comment) ON d.attname = a.attname
		 WHERE c.relnamespace = 'ideal_bi'::regnamespace
		   AND c.relkind = 'v'
		   AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
	LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L',
								  r.view, r.attname, r.comment);
	END LOOP;
END $$;

-- Every BI view is readable by every role: the views are security_invoker,
-- so the privileges and row-level security of the ideal objects they read
-- still decide what each role sees.
GRANT USAGE ON SCHEMA ideal_bi TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA ideal_bi TO PUBLIC;

--------------------------------------------------------------------------
-- pg_dump: the extension's tables hold the users' data
--
-- pg_dump leaves out the tables of an extension unless they are registered
-- here.  The catalog tables also hold the bundled methodologies, which
-- CREATE EXTENSION loads again on restore: their filters keep those rows out
-- of the dump (ideal.methodology.bundled; the child tables by their
-- methodology code).  Every other table of the extension, and every
-- sequence (identity columns), is dumped whole.  This part runs after every
-- part that creates tables; an upgrade script that adds a table registers
-- it itself.
--------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('ideal.methodology',
										   'WHERE NOT bundled');
-- one call per statement: each call rewrites the pg_extension row
SELECT pg_catalog.pg_extension_config_dump('ideal.scale',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.scale_level',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.crime_area',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.typology',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.indicator',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.composite',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.composite_input',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.band',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');
SELECT pg_catalog.pg_extension_config_dump('ideal.member',
	'WHERE methodology NOT IN (SELECT m.code FROM ideal.methodology m WHERE m.bundled)');

DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS rel
		  FROM pg_catalog.pg_depend d
		  JOIN pg_catalog.pg_class c
			ON d.classid = 'pg_catalog.pg_class'::regclass AND c.oid = d.objid
		 WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
		   AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
							  WHERE e.extname = 'ideal')
		   AND d.deptype = 'e'
		   AND c.relkind IN ('r', 'S')
		   AND c.oid <> ALL (coalesce((SELECT e.extconfig
										 FROM pg_catalog.pg_extension e
										WHERE e.extname = 'ideal'), '{}'))
		 ORDER BY c.oid
	LOOP
		PERFORM pg_catalog.pg_extension_config_dump(r.rel, '');
	END LOOP;
END $$;

--------------------------------------------------------------------------
-- Bundled methodologies
--------------------------------------------------------------------------

SELECT ideal.load_bundled('gitoc-2021.yaml');
SELECT ideal.load_bundled('gitoc-2023.yaml');
SELECT ideal.load_bundled('gitoc-2025.yaml');
SELECT ideal.load_bundled('sleipnir.yaml');
SELECT ideal.load_bundled('ideal-2.0.yaml');
UPDATE ideal.methodology SET bundled = true;
