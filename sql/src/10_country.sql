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
