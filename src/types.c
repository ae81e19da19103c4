/*
 * types.c
 *		fmgr glue for ideal's base types: country, threat_level, grading and
 *		threat_summary.  The parsing and printing live in codes.c and
 *		summary.c; this file adds I/O, binary transfer, operators and
 *		accessors.
 */
#include "ideal.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
/* Input errors become soft errors where the caller asks for them. */
#define INPUT_ERROR(fcinfo, rest) ereturn((fcinfo)->context, (Datum) 0, rest)
#else
#define INPUT_ERROR(fcinfo, rest) ereport(ERROR, rest)
#endif

/* ---------------------------------------------------------------- */
/* country                                                          */
/* ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(ideal_country_in);
PG_FUNCTION_INFO_V1(ideal_country_out);
PG_FUNCTION_INFO_V1(ideal_country_recv);
PG_FUNCTION_INFO_V1(ideal_country_send);
PG_FUNCTION_INFO_V1(ideal_country_cmp);
PG_FUNCTION_INFO_V1(ideal_country_lt);
PG_FUNCTION_INFO_V1(ideal_country_le);
PG_FUNCTION_INFO_V1(ideal_country_eq);
PG_FUNCTION_INFO_V1(ideal_country_ne);
PG_FUNCTION_INFO_V1(ideal_country_ge);
PG_FUNCTION_INFO_V1(ideal_country_gt);
PG_FUNCTION_INFO_V1(ideal_country_hash);
PG_FUNCTION_INFO_V1(ideal_country_hash_extended);
PG_FUNCTION_INFO_V1(ideal_country_alpha3);
PG_FUNCTION_INFO_V1(ideal_country_numeric);
PG_FUNCTION_INFO_V1(ideal_country_name);
PG_FUNCTION_INFO_V1(ideal_is_valid_country);

/* Parse text input of a country: blanks trimmed, any case, any ISO form. */
Datum
ideal_country_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int			c = ideal_country_parse(s, strlen(s));

	if (c == 0)
		INPUT_ERROR(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"ideal.country", s),
					 errdetail("Expected an ISO 3166-1 code: alpha-2 (\"MX\"), alpha-3 (\"MEX\") or numeric (\"484\")."),
					 errhint("Codes are those assigned in ISO 3166-1; reserved and user-assigned codes are not accepted.")));
	PG_RETURN_DATUM(CountryGetDatum(c));
}

/* Canonical output: the alpha-2 code. */
Datum
ideal_country_out(PG_FUNCTION_ARGS)
{
	const IdealCountry *c = ideal_country_by_numeric(PG_GETARG_INT16(0));

	if (c == NULL)
		elog(ERROR, "invalid ideal.country value %d", PG_GETARG_INT16(0));
	PG_RETURN_CSTRING(pstrdup(c->alpha2));
}

/* Binary input: the numeric code as int2, which must be assigned. */
Datum
ideal_country_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			c = pq_getmsgint(buf, 2);

	if (ideal_country_by_numeric(c) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external ideal.country value %d", c),
				 errdetail("Expected an assigned ISO 3166-1 numeric code.")));
	PG_RETURN_DATUM(CountryGetDatum(c));
}

/* Binary output: the numeric code as int2. */
Datum
ideal_country_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, (uint16) PG_GETARG_INT16(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Order countries by their alpha-2 codes. */
static int
country_cmp(Datum a, Datum b)
{
	int			ra = ideal_country_rank(DatumGetCountry(a));
	int			rb = ideal_country_rank(DatumGetCountry(b));

	return (ra > rb) - (ra < rb);
}

Datum
ideal_country_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(country_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

#define CMP_FUNCS(prefix, cmpfn) \
Datum prefix##_lt(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) < 0); } \
Datum prefix##_le(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) <= 0); } \
Datum prefix##_eq(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) == 0); } \
Datum prefix##_ne(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) != 0); } \
Datum prefix##_ge(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) >= 0); } \
Datum prefix##_gt(PG_FUNCTION_ARGS) \
{ PG_RETURN_BOOL(cmpfn(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) > 0); }

CMP_FUNCS(ideal_country, country_cmp)

Datum
ideal_country_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_INT16(0));
}

/* Seeded hash, for hash partitioning. */
Datum
ideal_country_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_INT16(0),
								PG_GETARG_INT64(1));
}

Datum
ideal_country_alpha3(PG_FUNCTION_ARGS)
{
	const IdealCountry *c = ideal_country_by_numeric(PG_GETARG_INT16(0));

	if (c == NULL)
		elog(ERROR, "invalid ideal.country value %d", PG_GETARG_INT16(0));
	PG_RETURN_TEXT_P(cstring_to_text(c->alpha3));
}

Datum
ideal_country_numeric(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_INT16(0));
}

/* Resolve a language argument, defaulting to ideal.language. */
static IdealLang
lang_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s;
	int			l;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return (IdealLang) ideal_language;
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	l = ideal_lang_parse(s);
	if (l < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported language \"%s\"", s),
				 errhint("Use \"en\", \"es\" or \"pt\".")));
	return (IdealLang) l;
}

/* Short name of a country in English, Spanish or Portuguese. */
Datum
ideal_country_name(PG_FUNCTION_ARGS)
{
	const IdealCountry *c;
	IdealLang	lang;

	/* not strict, so that a NULL language means ideal.language */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = ideal_country_by_numeric(PG_GETARG_INT16(0));
	lang = lang_arg(fcinfo, 1);
	if (c == NULL)
		elog(ERROR, "invalid ideal.country value %d", PG_GETARG_INT16(0));
	PG_RETURN_TEXT_P(cstring_to_text(lang == IDEAL_LANG_ES ? c->name_es :
									 lang == IDEAL_LANG_PT ? c->name_pt :
									 c->name_en));
}

Datum
ideal_is_valid_country(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(ideal_country_parse(VARDATA_ANY(t),
									   VARSIZE_ANY_EXHDR(t)) != 0);
}

/* ---------------------------------------------------------------- */
/* threat_level                                                     */
/* ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(ideal_level_in);
PG_FUNCTION_INFO_V1(ideal_level_out);
PG_FUNCTION_INFO_V1(ideal_level_recv);
PG_FUNCTION_INFO_V1(ideal_level_send);
PG_FUNCTION_INFO_V1(ideal_level_cmp);
PG_FUNCTION_INFO_V1(ideal_level_lt);
PG_FUNCTION_INFO_V1(ideal_level_le);
PG_FUNCTION_INFO_V1(ideal_level_eq);
PG_FUNCTION_INFO_V1(ideal_level_ne);
PG_FUNCTION_INFO_V1(ideal_level_ge);
PG_FUNCTION_INFO_V1(ideal_level_gt);
PG_FUNCTION_INFO_V1(ideal_level_hash);
PG_FUNCTION_INFO_V1(ideal_level_hash_extended);
PG_FUNCTION_INFO_V1(ideal_level_larger);
PG_FUNCTION_INFO_V1(ideal_level_smaller);
PG_FUNCTION_INFO_V1(ideal_level_to_int);
PG_FUNCTION_INFO_V1(ideal_int_to_level);
PG_FUNCTION_INFO_V1(ideal_level_name_fn);
PG_FUNCTION_INFO_V1(ideal_is_valid_threat_level);

Datum
ideal_level_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int			l = ideal_level_parse_cstring(s);

	if (l < 0)
		INPUT_ERROR(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"ideal.threat_level", s),
					 errdetail("Expected nil, low, moderate, high or very high, in English, Spanish or Portuguese."),
					 errhint("Spanish and Portuguese forms such as \"bajo\", \"alta\", \"muy alto\", \"médio\" or \"muito alto\" are accepted in any case, with or without accents.")));
	PG_RETURN_DATUM(LevelGetDatum(l));
}

/* Output in the language of ideal.language. */
Datum
ideal_level_out(PG_FUNCTION_ARGS)
{
	int			l = DatumGetLevel(PG_GETARG_DATUM(0));
	const char *name = ideal_level_name(l, (IdealLang) ideal_language);

	if (name == NULL)
		elog(ERROR, "invalid ideal.threat_level value %d", l);
	PG_RETURN_CSTRING(pstrdup(name));
}

Datum
ideal_level_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			l = pq_getmsgbyte(buf);

	if (l < 0 || l >= IDEAL_LEVEL_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external ideal.threat_level value %d", l),
				 errdetail("Expected a byte from 0 (nil) to 4 (very high).")));
	PG_RETURN_DATUM(LevelGetDatum(l));
}

Datum
ideal_level_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) DatumGetLevel(PG_GETARG_DATUM(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int
level_cmp(Datum a, Datum b)
{
	int			la = DatumGetLevel(a);
	int			lb = DatumGetLevel(b);

	return (la > lb) - (la < lb);
}

Datum
ideal_level_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(level_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

CMP_FUNCS(ideal_level, level_cmp)

Datum
ideal_level_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) DatumGetLevel(PG_GETARG_DATUM(0)));
}

Datum
ideal_level_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) DatumGetLevel(PG_GETARG_DATUM(0)),
								PG_GETARG_INT64(1));
}

Datum
ideal_level_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(level_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) >= 0 ?
					PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

Datum
ideal_level_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(level_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) <= 0 ?
					PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

Datum
ideal_level_to_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(DatumGetLevel(PG_GETARG_DATUM(0)));
}

Datum
ideal_int_to_level(PG_FUNCTION_ARGS)
{
	int32		l = PG_GETARG_INT32(0);

	if (l < 0 || l >= IDEAL_LEVEL_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type %s", l,
						"ideal.threat_level"),
				 errhint("Threat levels run from 0 (nil) to 4 (very high).")));
	PG_RETURN_DATUM(LevelGetDatum(l));
}

/* The level's word in a given language. */
Datum
ideal_level_name_fn(PG_FUNCTION_ARGS)
{
	int			l;

	/* not strict, so that a NULL language means ideal.language */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	l = DatumGetLevel(PG_GETARG_DATUM(0));
	PG_RETURN_TEXT_P(cstring_to_text(ideal_level_name(l,
													  lang_arg(fcinfo, 1))));
}

Datum
ideal_is_valid_threat_level(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(ideal_level_parse(VARDATA_ANY(t),
									 VARSIZE_ANY_EXHDR(t)) >= 0);
}

/* ---------------------------------------------------------------- */
/* grading                                                          */
/* ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(ideal_grading_in);
PG_FUNCTION_INFO_V1(ideal_grading_out);
PG_FUNCTION_INFO_V1(ideal_grading_recv);
PG_FUNCTION_INFO_V1(ideal_grading_send);
PG_FUNCTION_INFO_V1(ideal_grading_cmp);
PG_FUNCTION_INFO_V1(ideal_grading_lt);
PG_FUNCTION_INFO_V1(ideal_grading_le);
PG_FUNCTION_INFO_V1(ideal_grading_eq);
PG_FUNCTION_INFO_V1(ideal_grading_ne);
PG_FUNCTION_INFO_V1(ideal_grading_ge);
PG_FUNCTION_INFO_V1(ideal_grading_gt);
PG_FUNCTION_INFO_V1(ideal_grading_hash);
PG_FUNCTION_INFO_V1(ideal_grading_hash_extended);
PG_FUNCTION_INFO_V1(ideal_grading_confidence_fn);
PG_FUNCTION_INFO_V1(ideal_grading_system_fn);
PG_FUNCTION_INFO_V1(ideal_grading_source_fn);
PG_FUNCTION_INFO_V1(ideal_grading_information_fn);
PG_FUNCTION_INFO_V1(ideal_grading_handling_fn);
PG_FUNCTION_INFO_V1(ideal_is_valid_grading);

Datum
ideal_grading_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	IdealGrading g = 0;
	int			system = 0;
	IdealGradingError e = ideal_grading_parse_cstring(s, &g, &system);

	if (e != IDEAL_GRADING_OK)
	{
		const char *what;

		switch (e)
		{
			case IDEAL_GRADING_SYSTEM_NAME:
				what = "The prefix before \":\" names no grading system; use ADM, EU, UK3 or UK5.";
				break;
			case IDEAL_GRADING_SOURCE_CODE:
				what = "The source code is not one of this system's.";
				break;
			case IDEAL_GRADING_INFO_CODE:
				what = "The information code is not one of this system's.";
				break;
			case IDEAL_GRADING_HANDLING_CODE:
				what = "The handling code is not one of this system's.";
				break;
			default:
				what = "A grading is a source code and an information code, optionally with a system prefix and a handling code.";
				break;
		}
		INPUT_ERROR(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"ideal.grading", s),
					 errdetail("%s Expected %s.", what,
							   ideal_grading_system_allows(system)),
					 errhint("A bare two-character code such as \"B2\" is read as Admiralty; write \"EU:B2\" for Europol.")));
	}
	PG_RETURN_DATUM(GradingGetDatum(g));
}

Datum
ideal_grading_out(PG_FUNCTION_ARGS)
{
	IdealGrading g = DatumGetGrading(PG_GETARG_DATUM(0));
	char	   *buf = palloc(IDEAL_GRADING_MAXLEN);

	if (!ideal_grading_valid(g))
		elog(ERROR, "invalid ideal.grading value %08x", g);
	ideal_grading_format(g, buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary form: the packed 32-bit value, validated as strictly as text. */
Datum
ideal_grading_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	IdealGrading g = (IdealGrading) pq_getmsgint(buf, 4);

	if (!ideal_grading_valid(g))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external ideal.grading value %08x", g),
				 errdetail("Expected a system byte 1-4 followed by that system's source, information and handling codes.")));
	PG_RETURN_DATUM(GradingGetDatum(g));
}

Datum
ideal_grading_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, DatumGetGrading(PG_GETARG_DATUM(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int
grading_cmp(Datum a, Datum b)
{
	IdealGrading ga = DatumGetGrading(a);
	IdealGrading gb = DatumGetGrading(b);

	return (ga > gb) - (ga < gb);
}

Datum
ideal_grading_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(grading_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

CMP_FUNCS(ideal_grading, grading_cmp)

Datum
ideal_grading_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32(DatumGetGrading(PG_GETARG_DATUM(0)));
}

Datum
ideal_grading_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended(DatumGetGrading(PG_GETARG_DATUM(0)),
								PG_GETARG_INT64(1));
}

Datum
ideal_grading_confidence_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(ideal_grading_confidence(DatumGetGrading(PG_GETARG_DATUM(0))));
}

Datum
ideal_grading_system_fn(PG_FUNCTION_ARGS)
{
	IdealGrading g = DatumGetGrading(PG_GETARG_DATUM(0));

	PG_RETURN_TEXT_P(cstring_to_text(ideal_grading_system_name(IDEAL_GRADING_SYSTEM(g))));
}

/* One character of a grading as text. */
static text *
code_char_text(char c)
{
	return cstring_to_text_with_len(&c, 1);
}

Datum
ideal_grading_source_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(code_char_text(IDEAL_GRADING_SOURCE(DatumGetGrading(PG_GETARG_DATUM(0)))));
}

Datum
ideal_grading_information_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(code_char_text(IDEAL_GRADING_INFO(DatumGetGrading(PG_GETARG_DATUM(0)))));
}

/* Handling code as written ("H2", "P", "3"), or NULL when absent. */
Datum
ideal_grading_handling_fn(PG_FUNCTION_ARGS)
{
	IdealGrading g = DatumGetGrading(PG_GETARG_DATUM(0));
	char		h = IDEAL_GRADING_HANDLING(g);
	char		buf[3];

	if (h == 0)
		PG_RETURN_NULL();
	if (IDEAL_GRADING_SYSTEM(g) == IDEAL_GS_EUROPOL)
	{
		buf[0] = 'H';
		buf[1] = h;
		buf[2] = 0;
	}
	else
	{
		buf[0] = h;
		buf[1] = 0;
	}
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

Datum
ideal_is_valid_grading(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	IdealGrading g;

	PG_RETURN_BOOL(ideal_grading_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
									   &g, NULL) == IDEAL_GRADING_OK);
}

/* ---------------------------------------------------------------- */
/* threat_summary                                                   */
/* ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(ideal_summary_in);
PG_FUNCTION_INFO_V1(ideal_summary_out);
PG_FUNCTION_INFO_V1(ideal_summary_recv);
PG_FUNCTION_INFO_V1(ideal_summary_send);
PG_FUNCTION_INFO_V1(ideal_summary_cmp);
PG_FUNCTION_INFO_V1(ideal_summary_lt);
PG_FUNCTION_INFO_V1(ideal_summary_le);
PG_FUNCTION_INFO_V1(ideal_summary_eq);
PG_FUNCTION_INFO_V1(ideal_summary_ne);
PG_FUNCTION_INFO_V1(ideal_summary_ge);
PG_FUNCTION_INFO_V1(ideal_summary_gt);
PG_FUNCTION_INFO_V1(ideal_summary_score_fn);
PG_FUNCTION_INFO_V1(ideal_summary_raw_score_fn);
PG_FUNCTION_INFO_V1(ideal_summary_total_fn);
PG_FUNCTION_INFO_V1(ideal_summary_confidence_fn);
PG_FUNCTION_INFO_V1(ideal_summary_n_fn);
PG_FUNCTION_INFO_V1(ideal_summary_unknowns_fn);
PG_FUNCTION_INFO_V1(ideal_summary_graded_fn);
PG_FUNCTION_INFO_V1(ideal_summary_min_fn);
PG_FUNCTION_INFO_V1(ideal_summary_max_fn);
PG_FUNCTION_INFO_V1(ideal_summary_weight_fn);
PG_FUNCTION_INFO_V1(ideal_is_valid_threat_summary);

/* Split a fixed-point sum into two int64 halves and back. */
static void
fixed_split(ideal_fixed v, int64 *hi, int64 *lo)
{
	*hi = (int64) (v >> 64);
	*lo = (int64) (uint64) v;
}

static ideal_fixed
fixed_join(int64 hi, int64 lo)
{
	return (ideal_fixed) (((unsigned __int128) (uint64) hi << 64) |
						  (uint64) lo);
}

IdealSummaryVar *
ideal_summary_to_var(const IdealSummary *s)
{
	IdealSummaryVar *v = palloc0(sizeof(IdealSummaryVar));
	const ideal_fixed *sums[6] = {&s->w, &s->wv, &s->cw, &s->cwv, &s->gw,
	&s->gcw};
	int			i;

	SET_VARSIZE(v, sizeof(IdealSummaryVar));
	v->version = IDEAL_SUMMARY_VERSION;
	v->n = s->n;
	v->unknowns = s->unknowns;
	v->graded = s->graded;
	for (i = 0; i < 6; i++)
		fixed_split(*sums[i], &v->sums[2 * i], &v->sums[2 * i + 1]);
	v->min = s->min;
	v->max = s->max;
	return v;
}

void
ideal_summary_from_var(const IdealSummaryVar *v, IdealSummary *s)
{
	ideal_fixed *sums[6] = {&s->w, &s->wv, &s->cw, &s->cwv, &s->gw, &s->gcw};
	int			i;

	if (VARSIZE(v) != sizeof(IdealSummaryVar) ||
		v->version != IDEAL_SUMMARY_VERSION)
		elog(ERROR, "corrupt ideal.threat_summary value");
	s->n = v->n;
	s->unknowns = v->unknowns;
	s->graded = v->graded;
	for (i = 0; i < 6; i++)
		*sums[i] = fixed_join(v->sums[2 * i], v->sums[2 * i + 1]);
	s->min = v->min;
	s->max = v->max;
}

/* Fetch argument n as an unpacked summary. */
static void
summary_arg(FunctionCallInfo fcinfo, int n, IdealSummary *s)
{
	IdealSummaryVar *v = (IdealSummaryVar *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	ideal_summary_from_var(v, s);
}

void
ideal_summary_report(IdealSummaryError e)
{
	switch (e)
	{
		case IDEAL_SUMMARY_OK:
			return;
		case IDEAL_SUMMARY_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range for ideal.threat_summary"),
					 errdetail("Values, weights and their products must be finite and at most %g in magnitude.",
							   IDEAL_TERM_LIMIT)));
			break;
		case IDEAL_SUMMARY_WEIGHT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight must not be negative")));
			break;
		case IDEAL_SUMMARY_CONFIDENCE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("confidence must lie between 0 and 1")));
			break;
		case IDEAL_SUMMARY_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("ideal.threat_summary sum out of range"),
					 errdetail("The weighted sums of a summary are limited to about 9.2e18.")));
			break;
	}
}

Datum
ideal_summary_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	IdealSummary sum;
	const char *err = ideal_summary_parse(s, strlen(s), &sum);

	if (err)
		INPUT_ERROR(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"ideal.threat_summary", s),
					 errdetail("%c%s.", pg_toupper((unsigned char) err[0]),
							   err + 1),
					 errhint("The form is \"n=N unknown=N graded=N w=X wv=X cw=X cwv=X gw=X gcw=X\", followed by \"min=X max=X\" when n > 0.")));
	PG_RETURN_POINTER(ideal_summary_to_var(&sum));
}

Datum
ideal_summary_out(PG_FUNCTION_ARGS)
{
	IdealSummary s;
	char	   *buf = palloc(IDEAL_SUMMARY_TEXTLEN);

	summary_arg(fcinfo, 0, &s);
	ideal_summary_format(&s, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: a version byte, three int64 counts, six 128-bit sums as
 * (high, low) int64 pairs, then min and max as float8.
 */
Datum
ideal_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	IdealSummary s;
	ideal_fixed *sums[6] = {&s.w, &s.wv, &s.cw, &s.cwv, &s.gw, &s.gcw};
	int			version = pq_getmsgbyte(buf);
	const char *err;
	int			i;

	if (version != IDEAL_SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external ideal.threat_summary version %d",
						version),
				 errdetail("This build reads version %d.",
						   IDEAL_SUMMARY_VERSION)));
	s.n = pq_getmsgint64(buf);
	s.unknowns = pq_getmsgint64(buf);
	s.graded = pq_getmsgint64(buf);
	for (i = 0; i < 6; i++)
	{
		int64		hi = pq_getmsgint64(buf);
		int64		lo = pq_getmsgint64(buf);

		*sums[i] = fixed_join(hi, lo);
	}
	s.min = pq_getmsgfloat8(buf);
	s.max = pq_getmsgfloat8(buf);
	/* -0 becomes 0, as in text input, so that equal means identical */
	if (s.min == 0)
		s.min = 0;
	if (s.max == 0)
		s.max = 0;
	err = ideal_summary_check(&s);
	if (err)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external ideal.threat_summary value"),
				 errdetail("%c%s.", pg_toupper((unsigned char) err[0]),
						   err + 1)));
	PG_RETURN_POINTER(ideal_summary_to_var(&s));
}

Datum
ideal_summary_send(PG_FUNCTION_ARGS)
{
	IdealSummary s;
	ideal_fixed *sums[6] = {&s.w, &s.wv, &s.cw, &s.cwv, &s.gw, &s.gcw};
	StringInfoData buf;
	int			i;

	summary_arg(fcinfo, 0, &s);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, IDEAL_SUMMARY_VERSION);
	pq_sendint64(&buf, s.n);
	pq_sendint64(&buf, s.unknowns);
	pq_sendint64(&buf, s.graded);
	for (i = 0; i < 6; i++)
	{
		int64		hi,
					lo;

		fixed_split(*sums[i], &hi, &lo);
		pq_sendint64(&buf, hi);
		pq_sendint64(&buf, lo);
	}
	pq_sendfloat8(&buf, s.min);
	pq_sendfloat8(&buf, s.max);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Total order: by score (summaries without one first), then field by
 * field, so that equal means identical.
 */
static int
summary_cmp_internal(const IdealSummary *a, const IdealSummary *b)
{
	double		sa,
				sb;
	bool		ha = ideal_summary_score(a, &sa);
	bool		hb = ideal_summary_score(b, &sb);
	const ideal_fixed *fa[6] = {&a->w, &a->wv, &a->cw, &a->cwv, &a->gw,
	&a->gcw};
	const ideal_fixed *fb[6] = {&b->w, &b->wv, &b->cw, &b->cwv, &b->gw,
	&b->gcw};
	int			i;

	if (ha != hb)
		return ha ? 1 : -1;
	if (ha && sa != sb)
		return sa < sb ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	if (a->unknowns != b->unknowns)
		return a->unknowns < b->unknowns ? -1 : 1;
	if (a->graded != b->graded)
		return a->graded < b->graded ? -1 : 1;
	for (i = 0; i < 6; i++)
		if (*fa[i] != *fb[i])
			return *fa[i] < *fb[i] ? -1 : 1;
	if (a->min != b->min)
		return a->min < b->min ? -1 : 1;
	if (a->max != b->max)
		return a->max < b->max ? -1 : 1;
	return 0;
}

static int
summary_cmp(Datum a, Datum b)
{
	IdealSummary sa,
				sb;

	ideal_summary_from_var((IdealSummaryVar *) PG_DETOAST_DATUM(a), &sa);
	ideal_summary_from_var((IdealSummaryVar *) PG_DETOAST_DATUM(b), &sb);
	return summary_cmp_internal(&sa, &sb);
}

Datum
ideal_summary_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(summary_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

CMP_FUNCS(ideal_summary, summary_cmp)

#define SUMMARY_FLOAT_ACCESSOR(fname, getter) \
Datum fname(PG_FUNCTION_ARGS) \
{ \
	IdealSummary s; \
	double		r; \
	summary_arg(fcinfo, 0, &s); \
	if (!getter(&s, &r)) \
		PG_RETURN_NULL(); \
	PG_RETURN_FLOAT8(r); \
}

SUMMARY_FLOAT_ACCESSOR(ideal_summary_score_fn, ideal_summary_score)
SUMMARY_FLOAT_ACCESSOR(ideal_summary_raw_score_fn, ideal_summary_raw_score)
SUMMARY_FLOAT_ACCESSOR(ideal_summary_confidence_fn, ideal_summary_confidence)

/* Weighted sum of the values (no division): Sleipnir-style totals. */
Datum
ideal_summary_total_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	if (s.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ideal_fixed_to_double(s.wv));
}

Datum
ideal_summary_weight_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	PG_RETURN_FLOAT8(ideal_fixed_to_double(s.w));
}

Datum
ideal_summary_n_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	PG_RETURN_INT64(s.n);
}

Datum
ideal_summary_unknowns_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	PG_RETURN_INT64(s.unknowns);
}

Datum
ideal_summary_graded_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	PG_RETURN_INT64(s.graded);
}

Datum
ideal_summary_min_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	if (s.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s.min);
}

Datum
ideal_summary_max_fn(PG_FUNCTION_ARGS)
{
	IdealSummary s;

	summary_arg(fcinfo, 0, &s);
	if (s.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s.max);
}

Datum
ideal_is_valid_threat_summary(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	IdealSummary s;

	PG_RETURN_BOOL(ideal_summary_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
									   &s) == NULL);
}
