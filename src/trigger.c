/*
 * trigger.c
 *		Row validation of observations: the C trigger that checks every row
 *		loaded by COPY or INSERT against its cycle's methodology, normalises
 *		it, and either refuses it or sets it aside in ideal.rejected.
 *
 * The per-row cost is a few hash lookups in the backend cache (catalog.c);
 * no query runs per row except to store a rejected row.
 */
#include "ideal.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(ideal_observation_check);

/* Attribute numbers of the observation columns, resolved once. */
typedef struct ObsAttrs
{
	Oid			relid;
	int			natts;
	int			cycle;
	int			country;
	int			kind;
	int			subject;
	int			indicator;
	int			answer;
	int			value;
	int			unknown;
	int			grading;
} ObsAttrs;

/* What is wrong with a row. */
typedef struct Problem
{
	int			sqlstate;
	char	   *message;
	char	   *detail;
	char	   *hint;
} Problem;

static int
attnum(TupleDesc desc, const char *name)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("ideal.observation_check() needs a column \"%s\"",
						name)));
	return n;
}

static ObsAttrs *
get_attrs(FunctionCallInfo fcinfo, Relation rel)
{
	ObsAttrs   *a = (ObsAttrs *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);

	if (a && a->relid == RelationGetRelid(rel) && a->natts == desc->natts)
		return a;
	a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ObsAttrs));
	a->relid = RelationGetRelid(rel);
	a->natts = desc->natts;
	a->cycle = attnum(desc, "cycle");
	a->country = attnum(desc, "country");
	a->kind = attnum(desc, "subject_kind");
	a->subject = attnum(desc, "subject");
	a->indicator = attnum(desc, "indicator");
	a->answer = attnum(desc, "answer");
	a->value = attnum(desc, "value");
	a->unknown = attnum(desc, "is_unknown");
	a->grading = attnum(desc, "grading");
	fcinfo->flinfo->fn_extra = a;
	return a;
}

/* A text column as a C string, or NULL. */
static char *
get_text(HeapTuple tuple, TupleDesc desc, int att)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, att, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* Describe the row for error details. */
static char *
row_context(const char *cycle, const char *country, const char *subject,
			const char *indicator)
{
	return psprintf("Row: cycle \"%s\", country %s, subject \"%s\", indicator \"%s\".",
					cycle ? cycle : "", country ? country : "(none)",
					subject ? subject : "", indicator ? indicator : "");
}

/* What an indicator's scale accepts, for details. */
static char *
scale_allows(IdealMethod *m, IdealIndicator *ind)
{
	IdealScale *s = &m->scales[ind->scale];
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	if (!s->ordinal)
	{
		appendStringInfo(&buf, "a number from %g to %g", s->min, s->max);
		if (s->step > 0)
			appendStringInfo(&buf, " in steps of %g", s->step);
	}
	else
	{
		appendStringInfoString(&buf, "one of ");
		for (i = 0; i < s->nlevels; i++)
			appendStringInfo(&buf, "%s%s", i ? ", " : "", s->levels[i].code);
		appendStringInfoString(&buf, " or their labels");
	}
	if (ind->allow_unknown)
		appendStringInfo(&buf, ", or unknown (\"%s\")",
						 ideal_label(&s->unknown_labels, "en"));
	return buf.data;
}

/* Parse a numeric answer; accepts a decimal comma.  False if not a number. */
static bool
parse_number(const char *s, double *out)
{
	char		buf[64];
	size_t		len = strlen(s);
	size_t		i,
				n = 0;
	bool		has_dot = strchr(s, '.') != NULL;
	int			commas = 0;
	char	   *end;

	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	while (*s && isspace((unsigned char) *s))
		s++, len--;
	if (len == 0 || len >= sizeof(buf))
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == ',' && !has_dot && ++commas == 1)
			c = '.';
		else if (!((c >= '0' && c <= '9') || c == '.' || c == '-' ||
				   c == '+' || c == 'e' || c == 'E'))
			return false;
		buf[n++] = c;
	}
	buf[n] = 0;
	*out = strtod(buf, &end);
	return *end == 0 && isfinite(*out);
}

/*
 * Check and normalise one row.  Fills the replacement values; returns
 * false with *p filled when the row is not acceptable.
 */
static bool
check_row(HeapTuple tuple, TupleDesc desc, ObsAttrs *a, Problem *p,
		  Datum *vals, bool *nulls, bool *repl)
{
	char	   *cycle = get_text(tuple, desc, a->cycle);
	char	   *subject = get_text(tuple, desc, a->subject);
	char	   *indicator = get_text(tuple, desc, a->indicator);
	char	   *answer = get_text(tuple, desc, a->answer);
	char	   *kindtext = get_text(tuple, desc, a->kind);
	char	   *country_text = NULL;
	bool		isnull;
	Datum		d;
	int			country = 0;
	IdealCycleInfo *ci;
	IdealMethod *m;
	IdealMethodEntry *me;
	IdealIndicator *ind;
	IdealScale *s;
	int			idx;
	double		value = 0;
	bool		unknown = false;
	bool		has_value = true;
	char	   *ctx;

	d = heap_getattr(tuple, a->country, desc, &isnull);
	if (!isnull)
	{
		country = DatumGetCountry(d);
		country_text = pstrdup(ideal_country_by_numeric(country) ?
							   ideal_country_by_numeric(country)->alpha2 : "?");
	}
	ctx = row_context(cycle, country_text, subject, indicator);

	if (cycle == NULL || country_text == NULL || subject == NULL ||
		indicator == NULL || answer == NULL)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = psprintf("observation has no %s",
							  cycle == NULL ? "cycle" :
							  country_text == NULL ? "country" :
							  subject == NULL ? "subject" :
							  indicator == NULL ? "indicator" : "answer");
		p->detail = ctx;
		p->hint = pstrdup("Every observation needs a cycle, a country, a subject, an indicator and an answer; write \"unknown\" where the scale allows it.");
		return false;
	}

	ci = ideal_cycle_lookup(cycle);
	if (ci == NULL)
	{
		p->sqlstate = ERRCODE_FOREIGN_KEY_VIOLATION;
		p->message = psprintf("cycle \"%s\" does not exist", cycle);
		p->detail = ctx;
		p->hint = pstrdup("Cycles are listed in ideal.cycle; a methodology owner opens one with INSERT INTO ideal.cycle (code, methodology).");
		return false;
	}
	if (ci->status != 'o')
	{
		p->sqlstate = ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
		p->message = psprintf("cycle \"%s\" is %s", cycle,
							  ci->status == 'c' ? "closed" : "published");
		p->detail = ctx;
		p->hint = pstrdup("Only open cycles accept new or changed observations.");
		return false;
	}
	me = ci->method;
	m = me->m;
	if (!me->member[country])
	{
		p->sqlstate = ERRCODE_CHECK_VIOLATION;
		p->message = psprintf("country %s is not a member of methodology \"%s\"",
							  country_text, m->code);
		p->detail = ctx;
		p->hint = pstrdup("Members are listed in ideal.member; only members submit observations.");
		return false;
	}

	idx = ideal_lookup_label(me, IDEAL_NS_INDICATOR, 0, indicator,
							 strlen(indicator));
	if (idx < 0)
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("unknown indicator \"%s\" in methodology \"%s\"",
							  indicator, m->code);
		p->detail = ctx;
		p->hint = pstrdup("Give an indicator's code or one of its labels in any of the methodology's languages; they are listed in ideal.indicator.");
		return false;
	}
	ind = &m->indicators[idx];
	s = &m->scales[ind->scale];

	if (kindtext && strcmp(kindtext, ideal_kind_name(ind->kind)) != 0)
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("indicator \"%s\" is about subjects of kind %s, not %s",
							  ind->code, ideal_kind_name(ind->kind), kindtext);
		p->detail = ctx;
		p->hint = pstrdup("Leave subject_kind empty to take it from the indicator.");
		return false;
	}

	/* the subject, in its canonical form */
	if (ind->kind == IDEAL_KIND_COUNTRY)
	{
		int			sc = ideal_country_parse(subject, strlen(subject));

		if (sc == 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("subject \"%s\" is not a country", subject);
			p->detail = psprintf("%s Indicator \"%s\" is about countries.", ctx,
								 ind->code);
			p->hint = pstrdup("Give the country as an ISO 3166-1 code: \"MX\", \"MEX\" or \"484\".");
			return false;
		}
		subject = pstrdup(ideal_country_by_numeric(sc)->alpha2);
	}
	else if (ind->kind == IDEAL_KIND_CRIME_AREA)
	{
		int			ca = ideal_lookup_label(me, IDEAL_NS_CRIME_AREA, 0, subject,
											strlen(subject));

		if (ca < 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("unknown crime area \"%s\" in methodology \"%s\"",
								  subject, m->code);
			p->detail = psprintf("%s Indicator \"%s\" is about crime areas.",
								 ctx, ind->code);
			p->hint = pstrdup("Give a crime area's code or one of its labels; they are listed in ideal.crime_area.");
			return false;
		}
		subject = pstrdup(m->crime_areas[ca].code);
	}
	else
	{
		char	   *t = subject;
		size_t		len;

		while (*t && isspace((unsigned char) *t))
			t++;
		len = strlen(t);
		while (len > 0 && isspace((unsigned char) t[len - 1]))
			len--;
		if (len == 0)
		{
			p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
			p->message = pstrdup("observation has an empty subject");
			p->detail = ctx;
			p->hint = pstrdup("Give the group's reference as the subject.");
			return false;
		}
		subject = pnstrdup(t, len);
	}

	/* the answer on the indicator's scale */
	idx = (s->ordinal || s->has_unknown) ?
		ideal_lookup_label(me, IDEAL_NS_LEVEL, ind->scale, answer,
						   strlen(answer)) : -2;
	if (idx == -1)
	{
		if (!ind->allow_unknown)
		{
			p->sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED;
			p->message = psprintf("indicator \"%s\" does not accept unknown",
								  ind->code);
			p->detail = psprintf("%s Answer \"%s\"; allowed: %s.", ctx, answer,
								 scale_allows(m, ind));
			p->hint = pstrdup("This indicator must be answered; report what is known.");
			return false;
		}
		unknown = true;
		if (s->unknown_scored)
			value = s->unknown_value;
		else
			has_value = false;
	}
	else if (s->ordinal)
	{
		if (idx < 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("answer \"%s\" is not on the scale of indicator \"%s\"",
								  answer, ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", ctx, s->code,
								 scale_allows(m, ind));
			p->hint = pstrdup("Labels in any of the methodology's languages are accepted, in any case, with or without accents.");
			return false;
		}
		value = s->levels[idx].value;
	}
	else
	{
		if (!parse_number(answer, &value))
		{
			p->sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
			p->message = psprintf("answer \"%s\" to indicator \"%s\" is not a number",
								  answer, ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", ctx, s->code,
								 scale_allows(m, ind));
			p->hint = pstrdup("Write numbers with a decimal point or a decimal comma and no thousands separators.");
			return false;
		}
		if (value < s->min || value > s->max)
		{
			p->sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			p->message = psprintf("answer %s to indicator \"%s\" is out of range",
								  answer, ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", ctx, s->code,
								 scale_allows(m, ind));
			p->hint = pstrdup("Check the value against the methodology's scale.");
			return false;
		}
		if (s->step > 0)
		{
			double		k = (value - s->min) / s->step;

			if (fabs(k - rint(k)) > 1e-9 * fmax(1.0, fabs(k)))
			{
				p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
				p->message = psprintf("answer %s to indicator \"%s\" is not on a step of the scale",
									  answer, ind->code);
				p->detail = psprintf("%s Scale \"%s\" accepts %s.", ctx,
									 s->code, scale_allows(m, ind));
				p->hint = psprintf("Round the value to a multiple of %g from %g.",
								   s->step, s->min);
				return false;
			}
		}
	}

	d = heap_getattr(tuple, a->grading, desc, &isnull);
	if (!isnull)
	{
		IdealGrading g = DatumGetGrading(d);
		int			system = IDEAL_GRADING_SYSTEM(g);

		if (!(m->gradings & (1u << system)))
		{
			char		gbuf[IDEAL_GRADING_MAXLEN];

			ideal_grading_format(g, gbuf);
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("grading system %s is not accepted by methodology \"%s\"",
								  ideal_grading_system_name(system), m->code);
			p->detail = psprintf("%s Grading \"%s\".", ctx, gbuf);
			p->hint = pstrdup("The accepted systems are listed in ideal.methodology.gradings.");
			return false;
		}
	}

	vals[a->indicator - 1] = CStringGetTextDatum(ind->code);
	repl[a->indicator - 1] = true;
	vals[a->kind - 1] = CStringGetTextDatum(ideal_kind_name(ind->kind));
	repl[a->kind - 1] = true;
	vals[a->subject - 1] = CStringGetTextDatum(subject);
	repl[a->subject - 1] = true;
	vals[a->value - 1] = Float8GetDatum(value);
	nulls[a->value - 1] = !has_value;
	repl[a->value - 1] = true;
	vals[a->unknown - 1] = BoolGetDatum(unknown);
	repl[a->unknown - 1] = true;
	return true;
}

/* Keep a refused row, whole and as submitted, in ideal.rejected. */
static void
store_rejected(Relation rel, HeapTuple tuple, ObsAttrs *a, Problem *p)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			types[10] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
		TEXTOID, TEXTOID, TEXTOID, TEXTOID, desc->tdtypeid};
	Datum		vals[10];
	char		nulls[10];
	char	   *texts[5];
	bool		isnull;
	Datum		d;
	int			i;
	int			ret;

	texts[0] = get_text(tuple, desc, a->cycle);
	d = heap_getattr(tuple, a->country, desc, &isnull);
	texts[1] = isnull ? NULL :
		pstrdup(ideal_country_by_numeric(DatumGetCountry(d))->alpha2);
	texts[2] = get_text(tuple, desc, a->subject);
	texts[3] = get_text(tuple, desc, a->indicator);
	texts[4] = get_text(tuple, desc, a->answer);
	for (i = 0; i < 5; i++)
	{
		vals[i] = texts[i] ? CStringGetTextDatum(texts[i]) : (Datum) 0;
		nulls[i] = texts[i] ? ' ' : 'n';
	}
	{
		char		state[6];

		strlcpy(state, unpack_sql_state(p->sqlstate), sizeof(state));
		vals[5] = CStringGetTextDatum(state);
	}
	vals[6] = CStringGetTextDatum(p->message);
	vals[7] = CStringGetTextDatum(p->detail);
	vals[8] = CStringGetTextDatum(p->hint);
	vals[9] = heap_copy_tuple_as_datum(tuple, desc);
	for (i = 5; i < 10; i++)
		nulls[i] = ' ';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args("INSERT INTO ideal.rejected (target, cycle, "
								"country, subject, indicator, answer, sqlstate, "
								"message, detail, hint, submitted) VALUES ("
								"'ideal.observation', $1, $2, $3, $4, $5, $6, "
								"$7, $8, $9, to_jsonb($10))",
								10, types, vals, nulls, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "could not store rejected row: %d", ret);
	SPI_finish();
}

/*
 * ideal.observation_check(): BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW
 * on ideal.observation.
 */
Datum
ideal_observation_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	ObsAttrs   *a;
	HeapTuple	tuple;
	Problem		p;
	Datum	   *vals;
	bool	   *nulls;
	bool	   *repl;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.observation_check() must be called as a trigger")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.observation_check() must be fired BEFORE, FOR EACH ROW")));
	rel = td->tg_relation;
	desc = RelationGetDescr(rel);
	a = get_attrs(fcinfo, rel);

	/* rows of closed and published cycles never change or go */
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		char	   *cycle = get_text(td->tg_trigtuple, desc, a->cycle);
		IdealCycleInfo *ci = cycle ? ideal_cycle_lookup(cycle) : NULL;

		if (ci && ci->status != 'o')
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cycle \"%s\" is %s", cycle,
							ci->status == 'c' ? "closed" : "published"),
					 errdetail("Observations of closed and published cycles cannot be changed or deleted."),
					 errhint("A correction belongs in a new cycle.")));
		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			return PointerGetDatum(td->tg_trigtuple);
	}

	tuple = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple :
		td->tg_trigtuple;
	vals = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc0(sizeof(bool) * desc->natts);
	repl = palloc0(sizeof(bool) * desc->natts);
	if (check_row(tuple, desc, a, &p, vals, nulls, repl))
		return PointerGetDatum(heap_modify_tuple(tuple, desc, vals, nulls,
												 repl));

	if (ideal_on_invalid == IDEAL_ON_INVALID_REJECT &&
		TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		store_rejected(rel, tuple, a, &p);
		return PointerGetDatum(NULL);
	}
	ereport(ERROR,
			(errcode(p.sqlstate),
			 errmsg_internal("%s", p.message),
			 errdetail_internal("%s", p.detail),
			 errhint("%s", p.hint)));
	return PointerGetDatum(NULL);	/* not reached */
}
