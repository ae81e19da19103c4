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
