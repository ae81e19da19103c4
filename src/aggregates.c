/*
 * aggregates.c
 *		The scoring aggregates: ideal.summarize and ideal.merge (leaf
 *		summaries), and ideal.evaluate (a methodology's composites for one
 *		subject).  All are parallel safe: states serialize to bytea and
 *		combine in any order with the same result.
 */
#include "ideal.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "catalog/namespace.h"

PG_FUNCTION_INFO_V1(ideal_summarize_trans);
PG_FUNCTION_INFO_V1(ideal_summarize_conf_trans);
PG_FUNCTION_INFO_V1(ideal_merge_trans);
PG_FUNCTION_INFO_V1(ideal_summary_combine);
PG_FUNCTION_INFO_V1(ideal_summary_serialize);
PG_FUNCTION_INFO_V1(ideal_summary_deserialize);
PG_FUNCTION_INFO_V1(ideal_summary_final);
PG_FUNCTION_INFO_V1(ideal_evaluate_trans);
PG_FUNCTION_INFO_V1(ideal_evaluate_combine);
PG_FUNCTION_INFO_V1(ideal_evaluate_serialize);
PG_FUNCTION_INFO_V1(ideal_evaluate_deserialize);
PG_FUNCTION_INFO_V1(ideal_evaluate_final);

/* The aggregate memory context, or an error outside aggregates. */
static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fname)));
	return cxt;
}

/*
 * The running state of summarize and merge is an IdealSummaryAcc (see
 * summary.h): 128 bytes without cw, which rows determine; wide, with cw,
 * only once merge meets a summary whose cw is not the one rows give.
 */
static IdealSummaryAcc *
summary_state(FunctionCallInfo fcinfo, const char *fname)
{
	/* the context is checked once, when the state is made */
	if (PG_ARGISNULL(0))
	{
		MemoryContext cxt = agg_context(fcinfo, fname);

		return MemoryContextAllocZero(cxt, sizeof(IdealSummaryAcc));
	}
	return (IdealSummaryAcc *) PG_GETARG_POINTER(0);
}

static size_t
acc_size(const IdealSummaryAcc *a)
{
	return a->wide ? sizeof(IdealSummaryWideAcc) : sizeof(IdealSummaryAcc);
}

/*
 * Store a summary in the state a (in cxt), widening it if the summary needs
 * an explicit cw; returns the state, which may have moved.
 */
static IdealSummaryAcc *
acc_store(MemoryContext cxt, IdealSummaryAcc *a, const IdealSummary *s)
{
	if (!a->wide && ideal_summary_needs_wide(s))
	{
		pfree(a);
		a = MemoryContextAlloc(cxt, sizeof(IdealSummaryWideAcc));
	}
	ideal_acc_from_summary(s, a);
	return a;
}

/*
 * summarize(value, [weight, [grading]]): a NULL value is an unknown answer;
 * a NULL weight counts as 1; a NULL grading means ungraded.
 */
Datum
ideal_summarize_trans(PG_FUNCTION_ARGS)
{
	IdealSummaryAcc *s = summary_state(fcinfo, "ideal.summarize");
	bool		has_value = !PG_ARGISNULL(1);
	double		value = has_value ? PG_GETARG_FLOAT8(1) : 0;
	double		weight = 1.0;
	double		conf = -1.0;

	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		weight = PG_GETARG_FLOAT8(2);
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		conf = ideal_grading_confidence(DatumGetGrading(PG_GETARG_DATUM(3)));
	ideal_summary_report(ideal_acc_add(s, has_value, value, weight, conf));
	PG_RETURN_POINTER(s);
}

/* summarize(value, weight, confidence float8): confidence given directly. */
Datum
ideal_summarize_conf_trans(PG_FUNCTION_ARGS)
{
	IdealSummaryAcc *s = summary_state(fcinfo, "ideal.summarize");
	bool		has_value = !PG_ARGISNULL(1);
	double		value = has_value ? PG_GETARG_FLOAT8(1) : 0;
	double		weight = PG_ARGISNULL(2) ? 1.0 : PG_GETARG_FLOAT8(2);
	double		conf = PG_ARGISNULL(3) ? -1.0 : PG_GETARG_FLOAT8(3);

	if (!PG_ARGISNULL(3) && !(conf >= 0.0 && conf <= 1.0))
		ideal_summary_report(IDEAL_SUMMARY_CONFIDENCE);
	ideal_summary_report(ideal_acc_add(s, has_value, value, weight, conf));
	PG_RETURN_POINTER(s);
}

/*
 * merge(threat_summary): NULL summaries are skipped, so that merging only
 * NULLs gives NULL, as sum() does.
 */
Datum
ideal_merge_trans(PG_FUNCTION_ARGS)
{
	IdealSummaryAcc *s;
	IdealSummary in;
	IdealSummary t;

	if (PG_ARGISNULL(1))
	{
		agg_context(fcinfo, "ideal.merge");
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	s = summary_state(fcinfo, "ideal.merge");
	ideal_summary_from_var((IdealSummaryVar *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1)),
						   &in);
	ideal_acc_to_summary(s, &t);
	ideal_summary_report(ideal_summary_merge(&t, &in));
	if (!s->wide && ideal_summary_needs_wide(&t))
		s = acc_store(agg_context(fcinfo, "ideal.merge"), s, &t);
	else
		ideal_acc_from_summary(&t, s);
	PG_RETURN_POINTER(s);
}

/*
 * Combine two partial states; either or both may be NULL, and either may be
 * empty (n = 0).  A NULL left state takes a copy of the right one in the
 * aggregate context, since the right one may be a deserialized state in a
 * shorter-lived context.
 */
Datum
ideal_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = agg_context(fcinfo, "ideal_summary_combine");
	IdealSummaryAcc *a = PG_ARGISNULL(0) ? NULL :
		(IdealSummaryAcc *) PG_GETARG_POINTER(0);
	IdealSummaryAcc *b = PG_ARGISNULL(1) ? NULL :
		(IdealSummaryAcc *) PG_GETARG_POINTER(1);
	IdealSummary sa,
				sb;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = MemoryContextAlloc(cxt, acc_size(b));
		memcpy(a, b, acc_size(b));
		PG_RETURN_POINTER(a);
	}
	ideal_acc_to_summary(a, &sa);
	ideal_acc_to_summary(b, &sb);
	ideal_summary_report(ideal_summary_merge(&sa, &sb));
	PG_RETURN_POINTER(acc_store(cxt, a, &sa));
}

/* Serialized: the threat_summary on-disk layout, as bytea. */
Datum
ideal_summary_serialize(PG_FUNCTION_ARGS)
{
	IdealSummaryAcc *a = (IdealSummaryAcc *) PG_GETARG_POINTER(0);
	IdealSummary s;
	IdealSummaryVar *v;
	bytea	   *out;

	agg_context(fcinfo, "ideal_summary_serialize");
	ideal_acc_to_summary(a, &s);
	v = ideal_summary_to_var(&s);
	out = palloc(VARHDRSZ + sizeof(IdealSummaryVar));
	SET_VARSIZE(out, VARHDRSZ + sizeof(IdealSummaryVar));
	memcpy(VARDATA(out), v, sizeof(IdealSummaryVar));
	PG_RETURN_BYTEA_P(out);
}

/*
 * Deserialize into the caller's context; the length is checked before the
 * copy and the invariants after it.
 */
Datum
ideal_summary_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	IdealSummary s;
	IdealSummaryAcc *a;
	IdealSummaryVar v;

	agg_context(fcinfo, "ideal_summary_deserialize");
	if (VARSIZE_ANY_EXHDR(in) != sizeof(IdealSummaryVar))
		elog(ERROR, "invalid serialized ideal.threat_summary state");
	memcpy(&v, VARDATA_ANY(in), sizeof(v));
	ideal_summary_from_var(&v, &s);
	if (ideal_summary_check(&s) != NULL)
		elog(ERROR, "invalid serialized ideal.threat_summary state: %s",
			 ideal_summary_check(&s));
	a = palloc(ideal_summary_needs_wide(&s) ? sizeof(IdealSummaryWideAcc) :
			   sizeof(IdealSummaryAcc));
	ideal_acc_from_summary(&s, a);
	PG_RETURN_POINTER(a);
}

/*
 * No rows in, NULL out, as for SQL's own aggregates; an empty state (only
 * empty summaries merged) gives the empty summary.
 */
Datum
ideal_summary_final(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ideal_acc_to_summary((IdealSummaryAcc *) PG_GETARG_POINTER(0), &s);
	PG_RETURN_POINTER(ideal_summary_to_var(&s));
}

/* ---------------------------------------------------------------- */
/* evaluate: composites for one subject                             */
/* ---------------------------------------------------------------- */

/* Longest cycle code in bytes: 63 characters of up to 4 bytes each. */
#define EVAL_CYCLE_MAXLEN 256

/*
 * State: the methodology, the cycle code last seen (so that a row of
 * another cycle costs a lookup and the common case a memcmp), and one
 * summary per indicator of the methodology.  Its size depends only on the
 * methodology, never on the number of rows.  The methodology entry lives
 * in the backend cache, which never frees entries, so the pointer stays
 * valid for the aggregate's lifetime.
 */
typedef struct EvalState
{
	IdealMethodEntry *me;
	int			cycle_len;
	char		cycle[EVAL_CYCLE_MAXLEN];
	int			nindicators;
	IdealSummary ind[FLEXIBLE_ARRAY_MEMBER];
} EvalState;

static EvalState *
eval_state_new(MemoryContext cxt, IdealMethodEntry *me)
{
	int			n = me->m->nindicators;
	EvalState  *st = MemoryContextAllocZero(cxt, offsetof(EvalState, ind) +
											sizeof(IdealSummary) * n);

	st->me = me;
	st->nindicators = n;
	return st;
}

/* The methodology of a cycle, or an error naming the cycle. */
static IdealMethodEntry *
eval_cycle_method(const char *cycle, int len)
{
	char	   *code = pnstrdup(cycle, len);
	IdealCycleInfo *ci = ideal_cycle_lookup(code);

	if (ci == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("cycle \"%s\" does not exist", code),
				 errhint("ideal.evaluate takes the cycle code of the observations, as in ideal.cycle.")));
	pfree(code);
	return ci->method;
}

/* Refuse to mix methodologies in one state. */
static void
eval_check_same(IdealMethodEntry *a, IdealMethodEntry *b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ideal.evaluate cannot combine methodologies \"%s\" and \"%s\"",
						a->code, b->code),
				 errdetail("One call of ideal.evaluate scores one subject under one methodology."),
				 errhint("Group by cycle and subject.")));
}


/*
 * A value given to ideal.evaluate directly must lie on its indicator's
 * scale (or be the scale's scored unknown): the trigger keeps the value
 * column of ideal.observation so, and a normalised score outside 0-1
 * would mean nothing.
 */
static void
eval_check_value(const IdealMethod *m, int idx, double v, bool unknown)
{
	const IdealIndicator *ind = &m->indicators[idx];
	const IdealScale *sc = &m->scales[ind->scale];

	if (v >= sc->min && v <= sc->max)
		return;
	if (unknown && sc->has_unknown && sc->unknown_scored &&
		v == sc->unknown_value)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value %g is outside the scale of indicator \"%s\"",
					v, ind->code),
			 errdetail("Scale \"%s\" of methodology \"%s\" runs from %g to %g.",
					   sc->code, m->code, sc->min, sc->max),
			 errhint("ideal.evaluate takes the value column of ideal.observation, which its trigger keeps on the scale.")));
}
/*
 * evaluate(cycle, indicator, value, is_unknown, grading): one row per
 * observation of one subject; value NULL for an unknown answer that scores
 * nothing, is_unknown true for any unknown answer.  Rows with a NULL cycle
 * or indicator are skipped; until a row counts the state stays NULL, so a
 * group of skipped rows gives NULL.  Nothing is allocated per row in the
 * aggregate context: memory per group is constant.
 */
Datum
ideal_evaluate_trans(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = agg_context(fcinfo, "ideal.evaluate");
	EvalState  *st = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);
	text	   *cycle;
	text	   *indicator;
	const char *cdata;
	int			clen;
	int			idx;
	double		conf = -1.0;
	bool		has_value = !PG_ARGISNULL(3);
	bool		unknown = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	IdealSummary *s;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	cycle = PG_GETARG_TEXT_PP(1);
	cdata = VARDATA_ANY(cycle);
	clen = VARSIZE_ANY_EXHDR(cycle);
	if (st == NULL || st->cycle_len != clen ||
		memcmp(st->cycle, cdata, clen) != 0)
	{
		IdealMethodEntry *me;

		if (clen >= EVAL_CYCLE_MAXLEN)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("cycle \"%.*s...\" does not exist",
							pg_mbcliplen(cdata, clen, 63), cdata),
					 errdetail("Cycle codes have at most 63 characters.")));
		me = eval_cycle_method(cdata, clen);
		if (st == NULL)
			st = eval_state_new(cxt, me);
		else
			eval_check_same(st->me, me);
		memcpy(st->cycle, cdata, clen);
		st->cycle_len = clen;
	}
	indicator = PG_GETARG_TEXT_PP(2);
	idx = ideal_lookup_label(st->me, IDEAL_NS_INDICATOR, 0,
							 VARDATA_ANY(indicator),
							 VARSIZE_ANY_EXHDR(indicator));
	if (idx < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown indicator \"%s\" in methodology \"%s\"",
						text_to_cstring(indicator), st->me->m->code),
				 errhint("Indicators are listed in ideal.indicator.")));
	if (has_value)
		eval_check_value(st->me->m, idx, PG_GETARG_FLOAT8(3), unknown);
	if (!PG_ARGISNULL(5))
		conf = ideal_grading_confidence(DatumGetGrading(PG_GETARG_DATUM(5)));
	s = &st->ind[idx];
	ideal_summary_report(ideal_summary_add(s, has_value,
										   has_value ? PG_GETARG_FLOAT8(3) : 0,
										   1.0, conf));
	/* a scored unknown counts as a value and as an unknown */
	if (unknown && has_value)
		s->unknowns++;
	PG_RETURN_POINTER(st);
}

/*
 * Combine two partial states; either or both may be NULL.  A NULL left
 * state takes a copy of the right one in the aggregate context, because
 * the right one may live in a shorter-lived context (deserialize).
 */
Datum
ideal_evaluate_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = agg_context(fcinfo, "ideal_evaluate_combine");
	EvalState  *a = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);
	EvalState  *b = PG_ARGISNULL(1) ? NULL : (EvalState *) PG_GETARG_POINTER(1);
	int			i;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = eval_state_new(cxt, b->me);
		a->cycle_len = b->cycle_len;
		memcpy(a->cycle, b->cycle, b->cycle_len);
		memcpy(a->ind, b->ind, sizeof(IdealSummary) * b->nindicators);
		PG_RETURN_POINTER(a);
	}
	eval_check_same(a->me, b->me);
	for (i = 0; i < a->nindicators; i++)
		ideal_summary_report(ideal_summary_merge(&a->ind[i], &b->ind[i]));
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: format byte, methodology code and checksum (length and
 * bytes, no encoding conversion), cycle code, count, then each indicator's
 * summary in the threat_summary layout.
 */
#define EVAL_SERIAL_VERSION 1

Datum
ideal_evaluate_serialize(PG_FUNCTION_ARGS)
{
	EvalState  *st = (EvalState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	agg_context(fcinfo, "ideal_evaluate_serialize");
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, EVAL_SERIAL_VERSION);
	pq_sendint32(&buf, (int32) strlen(st->me->code));
	pq_sendbytes(&buf, st->me->code, strlen(st->me->code));
	pq_sendint32(&buf, (int32) strlen(st->me->sha256));
	pq_sendbytes(&buf, st->me->sha256, strlen(st->me->sha256));
	pq_sendint32(&buf, st->cycle_len);
	pq_sendbytes(&buf, st->cycle, st->cycle_len);
	pq_sendint32(&buf, st->nindicators);
	for (i = 0; i < st->nindicators; i++)
	{
		IdealSummaryVar *v = ideal_summary_to_var(&st->ind[i]);

		pq_sendbytes(&buf, (char *) v, sizeof(IdealSummaryVar));
		pfree(v);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Read a length-prefixed byte string of at most max bytes into out. */
static void
eval_get_bytes(StringInfo buf, char *out, int max)
{
	int			len = pq_getmsgint(buf, 4);

	if (len < 0 || len >= max)
		elog(ERROR, "invalid serialized ideal.evaluate state");
	pq_copymsgbytes(buf, out, len);
	out[len] = '\0';
}

/*
 * Methodology lookups made by deserialize, remembered for the query in
 * fn_extra: the leader deserializes one state per group and worker, and a
 * catalog query for each would cost more than the aggregate.
 */
typedef struct EvalMethodMemo
{
	char		code[64];
	char		sha256[65];
	IdealMethodEntry *me;
} EvalMethodMemo;

/* Deserialize, checking every length before it is used. */
Datum
ideal_evaluate_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	char		code[64];
	char		sha[65];
	char		cycle[EVAL_CYCLE_MAXLEN];
	EvalMethodMemo *memo = (EvalMethodMemo *) fcinfo->flinfo->fn_extra;
	IdealMethodEntry *me;
	EvalState  *st;
	int			n,
				i;

	agg_context(fcinfo, "ideal_evaluate_deserialize");
	buf.data = VARDATA_ANY(in);
	buf.len = VARSIZE_ANY_EXHDR(in);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (pq_getmsgbyte(&buf) != EVAL_SERIAL_VERSION)
		elog(ERROR, "invalid serialized ideal.evaluate state");
	eval_get_bytes(&buf, code, sizeof(code));
	eval_get_bytes(&buf, sha, sizeof(sha));
	if (memo != NULL && strcmp(memo->code, code) == 0 &&
		strcmp(memo->sha256, sha) == 0)
		me = memo->me;
	else
	{
		me = ideal_method_lookup(code);
		if (me == NULL || strcmp(me->sha256, sha) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("methodology \"%s\" changed during ideal.evaluate",
							code)));
		if (memo == NULL)
			memo = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
										  sizeof(EvalMethodMemo));
		strlcpy(memo->code, code, sizeof(memo->code));
		strlcpy(memo->sha256, sha, sizeof(memo->sha256));
		memo->me = me;
		fcinfo->flinfo->fn_extra = memo;
	}
	eval_get_bytes(&buf, cycle, sizeof(cycle));
	n = pq_getmsgint(&buf, 4);
	if (n != me->m->nindicators ||
		buf.len - buf.cursor != n * (int) sizeof(IdealSummaryVar))
		elog(ERROR, "invalid serialized ideal.evaluate state");
	/* in the caller's short-lived context: combine copies what it keeps */
	st = eval_state_new(CurrentMemoryContext, me);
	st->cycle_len = (int) strlen(cycle);
	memcpy(st->cycle, cycle, st->cycle_len);
	for (i = 0; i < n; i++)
	{
		IdealSummaryVar v;
		const char *err;

		pq_copymsgbytes(&buf, (char *) &v, sizeof(v));
		ideal_summary_from_var(&v, &st->ind[i]);
		err = ideal_summary_check(&st->ind[i]);
		if (err != NULL)
			elog(ERROR, "invalid serialized ideal.evaluate state: %s", err);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/*
 * Exact rationals for composite scores.  Indicator values are doubles,
 * which are dyadic rationals; sums, means and weights of them stay exact
 * while they fit in 128 bits.  If they stop fitting, the node falls back
 * to float8 and says so (exact = false).
 */
typedef struct Rat
{
	ideal_fixed num;			/* 8-aligned 128-bit, as palloc aligns */
	ideal_fixed den;			/* > 0 */
	bool		exact;
	double		approx;
} Rat;

static __int128
gcd128(__int128 a, __int128 b)
{
	if (a < 0)
		a = -a;
	while (b != 0)
	{
		__int128	t = a % b;

		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

static void
rat_reduce(Rat *r)
{
	__int128	g;

	if (!r->exact)
		return;
	g = gcd128(r->num, r->den);
	if (g > 1)
	{
		r->num /= g;
		r->den /= g;
	}
}

static Rat
rat_inexact(double v)
{
	Rat			r = {0, 1, false, v};

	return r;
}

/* A double as an exact rational. */
static Rat
rat_from_double(double d)
{
	Rat			r;
	int			e;
	double		m = frexp(d, &e);
	int64		mant = (int64) ldexp(m, 53);	/* d = mant * 2^(e-53) */
	int			sh = e - 53;

	r.approx = d;
	r.exact = true;
	if (sh >= 0)
	{
		if (sh > 60)
			return rat_inexact(d);
		r.num = (__int128) mant << sh;
		r.den = 1;
	}
	else
	{
		if (-sh > 120)
			return rat_inexact(d);
		r.num = mant;
		r.den = (__int128) 1 << -sh;
	}
	rat_reduce(&r);
	return r;
}

/* The ratio of two fixed-point sums (same scale), exactly. */
static Rat
rat_from_ratio(ideal_fixed a, ideal_fixed b)
{
	Rat			r = {a, b, true, ideal_fixed_ratio(a, b)};

	rat_reduce(&r);
	return r;
}

static Rat
rat_add(Rat a, Rat b)
{
	Rat			r;
	__int128	x,
				y,
				d;

	r.approx = a.approx + b.approx;
	if (a.exact && b.exact &&
		!__builtin_mul_overflow(a.num, b.den, &x) &&
		!__builtin_mul_overflow(b.num, a.den, &y) &&
		!__builtin_mul_overflow(a.den, b.den, &d) &&
		!__builtin_add_overflow(x, y, &r.num))
	{
		r.den = d;
		r.exact = true;
		rat_reduce(&r);
		return r;
	}
	return rat_inexact(r.approx);
}

static Rat
rat_mul(Rat a, Rat b)
{
	Rat			r;

	r.approx = a.approx * b.approx;
	if (a.exact && b.exact)
	{
		/* cross-reduce first to keep the numbers small */
		__int128	g1 = gcd128(a.num, b.den);
		__int128	g2 = gcd128(b.num, a.den);

		if (g1 == 0)
			g1 = 1;
		if (g2 == 0)
			g2 = 1;
		if (!__builtin_mul_overflow(a.num / g1, b.num / g2, &r.num) &&
			!__builtin_mul_overflow(a.den / g2, b.den / g1, &r.den))
		{
			r.exact = true;
			rat_reduce(&r);
			return r;
		}
	}
	return rat_inexact(r.approx);
}

/* a / b for b != 0. */
static Rat
rat_div(Rat a, Rat b)
{
	Rat			inv = b;

	if (b.exact)
	{
		inv.num = b.den;
		inv.den = b.num;
		if (inv.den < 0)
		{
			inv.num = -inv.num;
			inv.den = -inv.den;
		}
	}
	inv.approx = 1.0 / b.approx;
	return rat_mul(a, inv);
}

/* Compare with a double: <0, 0, >0. */
static int
rat_cmp_double(Rat a, double d)
{
	Rat			b = rat_from_double(d);
	__int128	x,
				y;

	if (a.exact && b.exact &&
		!__builtin_mul_overflow(a.num, b.den, &x) &&
		!__builtin_mul_overflow(b.num, a.den, &y))
		return (x > y) - (x < y);
	return (a.approx > d) - (a.approx < d);
}

static int
rat_cmp(Rat a, Rat b)
{
	__int128	x,
				y;

	if (a.exact && b.exact &&
		!__builtin_mul_overflow(a.num, b.den, &x) &&
		!__builtin_mul_overflow(b.num, a.den, &y))
		return (x > y) - (x < y);
	return (a.approx > b.approx) - (a.approx < b.approx);
}

/*
 * Decimal text of a rational, rounded half away from zero to 15 fraction
 * digits, trailing zeros dropped.
 */
static char *
rat_to_cstring(Rat r)
{
	char		digits[16];
	unsigned __int128 ip,
				rem,
				den;
	bool		neg;
	int			i,
				nd;
	char		ibuf[48];
	int			il = 0;
	StringInfoData buf;

	if (!r.exact)
		return psprintf("%.15f", r.approx);
	neg = r.num < 0;
	den = (unsigned __int128) r.den;
	ip = (unsigned __int128) (neg ? -r.num : r.num) / den;
	rem = (unsigned __int128) (neg ? -r.num : r.num) % den;
	for (i = 0; i < 15; i++)
	{
		rem *= 10;
		digits[i] = (char) ('0' + (int) (rem / den));
		rem %= den;
	}
	/* round half away from zero on the remainder */
	if (rem * 2 >= den)
	{
		for (i = 14; i >= 0; i--)
		{
			if (digits[i] < '9')
			{
				digits[i]++;
				break;
			}
			digits[i] = '0';
		}
		if (i < 0)
			ip++;
	}
	nd = 15;
	while (nd > 0 && digits[nd - 1] == '0')
		nd--;
	do
	{
		ibuf[il++] = (char) ('0' + (int) (ip % 10));
		ip /= 10;
	} while (ip > 0);
	initStringInfo(&buf);
	if (neg && (il > 1 || ibuf[0] != '0' || nd > 0))
		appendStringInfoChar(&buf, '-');
	while (il > 0)
		appendStringInfoChar(&buf, ibuf[--il]);
	if (nd > 0)
	{
		appendStringInfoChar(&buf, '.');
		appendBinaryStringInfo(&buf, digits, nd);
	}
	return buf.data;
}

/* One node's result while evaluating a tree. */
typedef struct EvalNode
{
	bool		has;			/* has a score */
	Rat			score;
	double		lo;				/* lowest and highest possible score */
	double		hi;
	double		conf_w;			/* sum of weights of graded inputs */
	double		conf_cw;		/* sum of confidence * weight */
} EvalNode;

/* The result's element type and row descriptor, looked up once a query. */
typedef struct EvalResultType
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	tupdesc;
} EvalResultType;

static EvalResultType *
eval_result_type(FunctionCallInfo fcinfo)
{
	EvalResultType *rt = (EvalResultType *) fcinfo->flinfo->fn_extra;
	MemoryContext old;
	Oid			elemtype;

	if (rt != NULL)
		return rt;
	elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	if (!OidIsValid(elemtype))
		elemtype = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								   CStringGetDatum("composite_score"),
								   ObjectIdGetDatum(get_namespace_oid("ideal",
																	  false)));
	if (!OidIsValid(elemtype))
		elog(ERROR, "type ideal.composite_score does not exist");
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	rt = palloc0(sizeof(EvalResultType));
	rt->elemtype = elemtype;
	get_typlenbyvalalign(elemtype, &rt->typlen, &rt->typbyval,
						 &rt->typalign);
	rt->tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(elemtype, -1));
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = rt;
	return rt;
}

/*
 * Final: an array of ideal.composite_score, one per composite of the
 * subject's kind in methodology order (score NULL when none of its inputs
 * has a value); NULL for a state that holds no answer.
 */
Datum
ideal_evaluate_final(PG_FUNCTION_ARGS)
{
	EvalState  *st;
	IdealMethod *m;
	EvalNode	   *ind,
			   *comp;
	EvalResultType *rt;
	TupleDesc	tupdesc;
	Datum	   *elems;
	int			nelems = 0;
	int			i,
				j;
	int			kind = -1;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (EvalState *) PG_GETARG_POINTER(0);
	m = st->me->m;
	for (i = 0; i < m->nindicators; i++)
		if (st->ind[i].n > 0 || st->ind[i].unknowns > 0)
			kind = (int) m->indicators[i].kind;
	/* a state that holds no answer: no rows in, NULL out */
	if (kind < 0)
		PG_RETURN_NULL();

	ind = palloc0(sizeof(EvalNode) * m->nindicators);
	for (i = 0; i < m->nindicators; i++)
	{
		IdealSummary *s = &st->ind[i];
		IdealScale *sc = &m->scales[m->indicators[i].scale];

		ind[i].lo = sc->min;
		ind[i].hi = sc->max;
		if (sc->unknown_scored)
		{
			ind[i].lo = fmin(ind[i].lo, sc->unknown_value);
			ind[i].hi = fmax(ind[i].hi, sc->unknown_value);
		}
		if (s->n > 0 && s->w > 0)
		{
			ind[i].has = true;
			ind[i].score = rat_from_ratio(s->wv, s->w);
			if (s->gw > 0)
			{
				ind[i].conf_w = 1.0;
				ind[i].conf_cw = ideal_fixed_ratio(s->gcw, s->gw);
			}
		}
	}

	comp = palloc0(sizeof(EvalNode) * m->ncomposites);
	for (i = 0; i < m->ncomposites; i++)
	{
		IdealComposite *c = &m->composites[i];
		EvalNode	   *out = &comp[i];
		Rat			sum = {0, 1, true, 0};
		Rat			wsum = {0, 1, true, 0};
		int			k = 0;
		double		lo_all = 0,
					hi_all = 0,
					lo_sum = 0,
					hi_sum = 0,
					w_sum = 0;

		for (j = 0; j < c->ninputs; j++)
		{
			IdealInput *in = &c->inputs[j];
			EvalNode	   *src = in->is_composite ? &comp[in->index] :
				&ind[in->index];
			double		w = (c->method == IDEAL_M_MEAN ||
							 c->method == IDEAL_M_MAX) ? 1.0 : in->weight;

			lo_all += w * src->lo;
			hi_all += w * src->hi;
			if (!src->has)
				continue;
			if (c->method == IDEAL_M_MAX)
			{
				if (k == 0 || rat_cmp(src->score, sum) > 0)
					sum = src->score;
				if (k == 0 || src->lo > lo_sum)
					lo_sum = src->lo;
				if (k == 0 || src->hi > hi_sum)
					hi_sum = src->hi;
			}
			else
			{
				Rat			rw = rat_from_double(w);

				sum = rat_add(sum, rat_mul(rw, src->score));
				wsum = rat_add(wsum, rw);
				lo_sum += w * src->lo;
				hi_sum += w * src->hi;
			}
			w_sum += w;
			out->conf_w += w * src->conf_w;
			out->conf_cw += w * src->conf_cw;
			k++;
		}
		if (k == 0)
		{
			out->lo = lo_all;
			out->hi = hi_all;
			continue;
		}
		out->has = true;
		switch (c->method)
		{
			case IDEAL_M_MAX:
				out->score = sum;
				out->lo = lo_sum;
				out->hi = hi_sum;
				break;
			case IDEAL_M_WEIGHTED_SUM:
				out->score = sum;
				/* bounds over every input: missing answers lower the total */
				out->lo = lo_all;
				out->hi = hi_all;
				break;
			default:
				if (wsum.approx <= 0)
				{
					out->has = false;
					break;
				}
				out->score = rat_div(sum, wsum);
				out->lo = lo_sum / w_sum;
				out->hi = hi_sum / w_sum;
				break;
		}
		/* confidence of a node: weighted mean over its graded inputs */
		if (w_sum > 0)
		{
			double		cw = out->conf_w,
						ccw = out->conf_cw;

			out->conf_w = cw / w_sum;
			out->conf_cw = ccw / w_sum;
		}
	}

	/* build the result array */
	rt = eval_result_type(fcinfo);
	tupdesc = rt->tupdesc;
	elems = palloc(sizeof(Datum) * (m->ncomposites + 1));
	for (i = 0; i < m->ncomposites; i++)
	{
		IdealComposite *c = &m->composites[i];
		IdealLeafSet *ls = &st->me->leafsets[i];
		EvalNode	   *n = &comp[i];
		Datum		values[10];
		bool		isnull[10] = {0};
		int			answered = 0,
					unknowns = 0,
					req_answered = 0;

		if ((int) c->kind != kind)
			continue;
		for (j = 0; j < ls->nleaves; j++)
		{
			IdealSummary *s = &st->ind[ls->leaves[j]];

			if (s->unknowns > 0)
				unknowns++;
			if (s->n > 0 && !(s->unknowns > 0))
			{
				answered++;
				if (m->indicators[ls->leaves[j]].required)
					req_answered++;
			}
		}
		values[0] = CStringGetTextDatum(c->code);
		if (n->has)
		{
			values[1] = ideal_numeric_from_cstring(rat_to_cstring(n->score));
			values[2] = Float8GetDatum(n->hi > n->lo ?
									   (double) ((n->score.approx - n->lo) /
												 (n->hi - n->lo)) : 0.0);
		}
		else
			isnull[1] = isnull[2] = true;
		if (n->has && n->conf_w > 0)
			values[3] = Float8GetDatum(n->conf_cw / n->conf_w);
		else
			isnull[3] = true;
		values[4] = Int32GetDatum(answered);
		values[5] = Int32GetDatum(ls->nleaves);
		values[6] = Int32GetDatum(unknowns);
		/* coverage: required answered; all answered when none required */
		values[7] = Float8GetDatum(ls->nrequired > 0 ?
								   (double) req_answered / ls->nrequired :
								   ls->nleaves > 0 ?
								   (double) answered / ls->nleaves : 0.0);
		isnull[8] = true;
		if (n->has && c->band >= 0)
		{
			IdealBand  *b = &m->bands[c->band];

			for (j = b->nlevels - 1; j >= 0; j--)
				if (rat_cmp_double(n->score, b->levels[j].from) >= 0)
				{
					values[8] = LevelGetDatum(b->levels[j].level);
					isnull[8] = false;
					break;
				}
		}
		values[9] = BoolGetDatum(!n->has || n->score.exact);
		elems[nelems++] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values,
															isnull));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, nelems, rt->elemtype,
										  rt->typlen, rt->typbyval,
										  rt->typalign));
}

Datum
ideal_numeric_from_cstring(const char *s)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s),
							   ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}
