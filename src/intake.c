/*
 * intake.c
 *		Intake views and figures.
 *
 * An intake view has text columns only, so that COPY never refuses a row
 * before a trigger has seen it: its INSTEAD OF INSERT trigger parses the
 * typed values itself, refuses or sets aside what does not parse (as
 * ideal.on_invalid says), and inserts the rest into the table through a
 * prepared plan, where the table's own trigger validates the row.  The
 * insert runs as the calling role, so privileges and row-level security
 * apply to it as to any INSERT.
 *
 * Also here: the figures table's trigger, and the wide intake views that
 * each methodology gets, one per subject kind, created and dropped with it.
 */
#include "ideal.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "common/jsonapi.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(ideal_observation_intake);
PG_FUNCTION_INFO_V1(ideal_wide_intake);
PG_FUNCTION_INFO_V1(ideal_subject_intake);
PG_FUNCTION_INFO_V1(ideal_figure_intake);
PG_FUNCTION_INFO_V1(ideal_figure_check);
PG_FUNCTION_INFO_V1(ideal_intake_views_sync);
PG_FUNCTION_INFO_V1(ideal_create_intake_views);
PG_FUNCTION_INFO_V1(ideal_drop_intake_views);

/* ---------------------------------------------------------------- */
/* Small helpers                                                    */
/* ---------------------------------------------------------------- */

/* Check that we run as a row trigger of the expected timing. */
static TriggerData *
trigger_data(FunctionCallInfo fcinfo, const char *fn, bool instead)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		(instead && !(TRIGGER_FIRED_INSTEAD(td->tg_event) &&
					  TRIGGER_FIRED_BY_INSERT(td->tg_event))))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired %s FOR EACH ROW", fn,
						instead ? "INSTEAD OF INSERT" : "BEFORE")));
	return td;
}

static int
column(TupleDesc desc, const char *name, const char *fn)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s needs a column \"%s\"", fn, name)));
	return n;
}

/*
 * A text column as a C string without a leading UTF-8 byte-order mark
 * (the first field of a file saved by a spreadsheet carries one), or NULL.
 */
static char *
cell(HeapTuple tuple, TupleDesc desc, int att)
{
	bool		isnull;
	Datum		d;
	char	   *s;

	if (att <= 0)
		return NULL;
	d = heap_getattr(tuple, att, desc, &isnull);
	if (isnull)
		return NULL;
	s = TextDatumGetCString(d);
	if ((unsigned char) s[0] == 0xEF && (unsigned char) s[1] == 0xBB &&
		(unsigned char) s[2] == 0xBF)
		s += 3;
	return s;
}

static char *
trim(const char *s)
{
	size_t		len;

	while (*s && isspace((unsigned char) *s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	return pnstrdup(s, len);
}

/* NULL for a missing or blank cell, else the trimmed text. */
static char *
nonblank(const char *s)
{
	char	   *t;

	if (s == NULL)
		return NULL;
	t = trim(s);
	return *t ? t : NULL;
}

/* Parse a country cell; fills *p and returns NULL when it does not parse. */
static const char *
parse_country(const char *text, const char *ctx, IdealProblem *p)
{
	char	   *t = trim(text);
	int			c = ideal_country_parse(t, strlen(t));

	if (c == 0)
	{
		p->sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
		p->message = psprintf("invalid input syntax for type ideal.country: \"%s\"",
							  text);
		p->detail = psprintf("%s Expected an ISO 3166-1 code: alpha-2 (\"MX\"), alpha-3 (\"MEX\") or numeric (\"484\").",
							 ctx);
		p->hint = pstrdup("Codes are those assigned in ISO 3166-1; reserved and user-assigned codes are not accepted.");
		return NULL;
	}
	return ideal_country_by_numeric(c)->alpha2;
}

/* Parse a grading cell into its canonical text; NULL with *p on failure. */
static char *
parse_grading(const char *text, const char *ctx, IdealProblem *p)
{
	IdealGrading g;
	int			system = 0;
	char	   *buf;
	IdealGradingError e = ideal_grading_parse(text, strlen(text), &g, &system);

	if (e != IDEAL_GRADING_OK)
	{
		p->sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
		p->message = psprintf("invalid input syntax for type ideal.grading: \"%s\"",
							  text);
		p->detail = psprintf("%s Expected %s.", ctx,
							 ideal_grading_system_allows(system));
		p->hint = pstrdup("A bare two-character code such as \"B2\" is read as Admiralty; write \"EU:B2\" for Europol.");
		return NULL;
	}
	buf = palloc(IDEAL_GRADING_MAXLEN);
	ideal_grading_format(g, buf);
	return buf;
}

static char *
obs_context(const char *cycle, const char *country, const char *subject,
			const char *indicator)
{
	return psprintf("Row: cycle \"%s\", country %s, subject \"%s\", indicator \"%s\".",
					cycle ? cycle : "", country ? country : "(none)",
					subject ? subject : "", indicator ? indicator : "");
}

static char *
wide_context(const char *cycle, const char *country, const char *subject)
{
	return psprintf("Row: cycle \"%s\", country %s, subject \"%s\".",
					cycle ? cycle : "", country ? country : "(none)",
					subject ? subject : "");
}

/*
 * Insert one row through a prepared plan with text parameters, telling
 * the table's trigger which intake row it comes from.  Returns true if the
 * row was stored, false if the table's trigger set it aside.
 */
static bool
insert_through(SPIPlanPtr *plan, const char *sql, int nargs,
			   const char *const *vals, IdealIntakeRow *row)
{
	Oid			types[16];
	Datum		args[16];
	char		nulls[16];
	IdealIntakeRow *save = ideal_intake_current;
	int			ret = 0;
	bool		stored;
	int			i;

	Assert(nargs <= 16);
	for (i = 0; i < nargs; i++)
	{
		types[i] = TEXTOID;
		args[i] = vals[i] ? CStringGetTextDatum(vals[i]) : (Datum) 0;
		nulls[i] = vals[i] ? ' ' : 'n';
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

		if (p == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "could not keep a prepared plan");
		*plan = p;
	}
	row->rejected = false;
	row->key[0][0] = row->key[1][0] = 0;
	ideal_intake_current = row;
	PG_TRY();
	{
		ret = SPI_execute_plan(*plan, args, nulls, false, 0);
	}
	PG_FINALLY();
	{
		ideal_intake_current = save;
	}
	PG_END_TRY();
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "intake insert failed: %s", SPI_result_code_string(ret));
	stored = SPI_processed > 0;
	SPI_finish();
	return stored;
}

/* Reject (in reject mode) or raise a problem found in an intake row. */
static void
refuse(TriggerData *td, const char *const *fields, IdealProblem *p)
{
	if (ideal_on_invalid != IDEAL_ON_INVALID_REJECT)
		ideal_raise(p);
	ideal_store_rejected(ideal_relation_name(td->tg_relation), fields, p,
						 td->tg_trigtuple,
						 RelationGetDescr(td->tg_relation));
}

/* ---------------------------------------------------------------- */
/* Long form: ideal.observation_intake                              */
/* ---------------------------------------------------------------- */

static SPIPlanPtr observation_plan = NULL;

/*
 * ON CONFLICT: a second answer that another session inserts between the
 * trigger's look-up and the insert is skipped instead of failing the whole
 * load on the unique index; the intake then refuses it like the trigger.
 */
#define OBSERVATION_INSERT \
	"INSERT INTO ideal.observation (cycle, country, subject_kind, subject, " \
	"indicator, answer, grading, handling, note) VALUES ($1, " \
	"$2::ideal.country, $3, $4, $5, $6, $7::ideal.grading, $8, $9) " \
	"ON CONFLICT (cycle, country, subject_kind, subject, indicator) DO NOTHING"

/*
 * The row went neither in nor to ideal.rejected: it lost a race for its
 * key with another session.  Refuse it as the table's trigger would have.
 */
static void
refuse_second(TriggerData *td, IdealIntakeRow *row, const char *const *fields,
			  const char *what, const char *ctx)
{
	IdealProblem p;

	p.sqlstate = ERRCODE_UNIQUE_VIOLATION;
	if (strcmp(what, "group") == 0)
	{
		p.message = psprintf("group \"%s\" is already described for country %s in cycle \"%s\"",
							 fields[2], fields[1], fields[0]);
		p.detail = pstrdup(ctx);
		p.hint = pstrdup("A reference names one group per country and cycle: change the stored group with UPDATE ideal.subject, or give this one another reference.");
	}
	else
	{
		p.message = psprintf("indicator \"%s\" is already answered for subject \"%s\"",
							 row->key[0], row->key[1]);
		p.detail = psprintf("%s Answer \"%s\"; an answer was stored by another session meanwhile.",
							ctx, fields[4] ? fields[4] : "");
		p.hint = pstrdup("A cycle, country, subject and indicator take one answer: correct the stored one with UPDATE ideal.observation, or delete it before loading the new one.");
	}
	refuse(td, fields, &p);
}

typedef struct LongAttrs
{
	Oid			relid;
	int			cycle,
				country,
				subject,
				indicator,
				answer,
				grading,
				handling,
				note;
} LongAttrs;

/*
 * ideal.observation_intake(): INSTEAD OF INSERT FOR EACH ROW on
 * ideal.observation_intake.
 */
Datum
ideal_observation_intake(PG_FUNCTION_ARGS)
{
	const char *fn = "ideal.observation_intake()";
	TriggerData *td = trigger_data(fcinfo, fn, true);
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	t = td->tg_trigtuple;
	LongAttrs  *a = fcinfo->flinfo->fn_extra;
	const char *v[9];
	const char *fields[5];
	char	   *country,
			   *grading;
	IdealProblem p;
	IdealIntakeRow row;
	bool		ok = true;

	if (a == NULL || a->relid != RelationGetRelid(rel))
	{
		a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LongAttrs));
		a->relid = RelationGetRelid(rel);
		a->cycle = column(desc, "cycle", fn);
		a->country = column(desc, "country", fn);
		a->subject = column(desc, "subject", fn);
		a->indicator = column(desc, "indicator", fn);
		a->answer = column(desc, "answer", fn);
		a->grading = column(desc, "grading", fn);
		a->handling = column(desc, "handling", fn);
		a->note = column(desc, "note", fn);
		fcinfo->flinfo->fn_extra = a;
	}
	v[0] = cell(t, desc, a->cycle);
	country = cell(t, desc, a->country);
	v[2] = NULL;
	v[3] = cell(t, desc, a->subject);
	v[4] = cell(t, desc, a->indicator);
	v[5] = cell(t, desc, a->answer);
	grading = nonblank(cell(t, desc, a->grading));
	v[7] = cell(t, desc, a->handling);
	v[8] = cell(t, desc, a->note);

	v[1] = NULL;
	if (country)
	{
		v[1] = parse_country(country,
							 obs_context(v[0], country, v[3], v[4]), &p);
		ok = v[1] != NULL;
	}
	v[6] = NULL;
	if (ok && grading)
	{
		v[6] = parse_grading(grading,
							 obs_context(v[0], v[1], v[3], v[4]), &p);
		ok = v[6] != NULL;
	}
	if (!ok)
	{
		fields[0] = v[0];
		fields[1] = country;
		fields[2] = v[3];
		fields[3] = v[4];
		fields[4] = v[5];
		refuse(td, fields, &p);
		return PointerGetDatum(NULL);
	}
	row.target = ideal_relation_name(rel);
	row.tuple = t;
	row.desc = desc;
	if (insert_through(&observation_plan, OBSERVATION_INSERT, 9, v, &row))
		return PointerGetDatum(t);
	if (!row.rejected)
	{
		fields[0] = v[0];
		fields[1] = country;
		fields[2] = v[3];
		fields[3] = v[4];
		fields[4] = v[5];
		refuse_second(td, &row, fields, "answer",
					  obs_context(v[0], v[1], v[3], v[4]));
	}
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------- */
/* Wide form: one view per methodology and subject kind             */
/* ---------------------------------------------------------------- */

/* The columns every wide view has before its indicator columns. */
static const char *const wide_fixed[] = {
	"cycle", "country", "subject", "grading", "handling", "note"
};

#define N_WIDE_FIXED ((int) lengthof(wide_fixed))

typedef struct WideAttrs
{
	Oid			relid;
	int			natts;
	int			fixed[N_WIDE_FIXED];
	int			nind;
	int		   *ind;			/* attribute numbers of indicator columns */
	char	  **code;			/* their names: the indicator codes */
} WideAttrs;

static WideAttrs *
wide_attrs(FunctionCallInfo fcinfo, Relation rel)
{
	WideAttrs  *a = fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;
	int			i,
				j;

	if (a && a->relid == RelationGetRelid(rel) && a->natts == desc->natts)
		return a;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	a = palloc0(sizeof(WideAttrs));
	a->relid = RelationGetRelid(rel);
	a->natts = desc->natts;
	for (j = 0; j < N_WIDE_FIXED; j++)
		a->fixed[j] = column(desc, wide_fixed[j], "ideal.wide_intake()");
	a->ind = palloc(sizeof(int) * desc->natts);
	a->code = palloc(sizeof(char *) * desc->natts);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		fixed = false;

		if (att->attisdropped)
			continue;
		for (j = 0; j < N_WIDE_FIXED; j++)
			fixed |= a->fixed[j] == i + 1;
		if (fixed)
			continue;
		a->ind[a->nind] = i + 1;
		a->code[a->nind++] = pstrdup(NameStr(att->attname));
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = a;
	return a;
}

/*
 * ideal.wide_intake(methodology, kind): INSTEAD OF INSERT FOR EACH ROW on
 * a wide intake view.  Each non-blank indicator cell becomes one row of
 * ideal.observation; a row-level problem (country, grading, a cycle of
 * another methodology) refuses every cell of the row, so that each answer
 * sent is either stored or in ideal.rejected.
 */
Datum
ideal_wide_intake(PG_FUNCTION_ARGS)
{
	const char *fn = "ideal.wide_intake()";
	TriggerData *td = trigger_data(fcinfo, fn, true);
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	t = td->tg_trigtuple;
	WideAttrs  *a;
	const char *method;
	const char *kind;
	char	   *cycle,
			   *country,
			   *subject,
			   *grading,
			   *handling,
			   *note;
	const char *country_code = NULL;
	char	   *grading_code = NULL;
	IdealProblem p;
	IdealIntakeRow row;
	bool		ok = true;
	int			stored = 0;
	int			i;

	if (td->tg_trigger->tgnargs != 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s needs two arguments: the methodology and the subject kind",
						fn)));
	method = td->tg_trigger->tgargs[0];
	kind = td->tg_trigger->tgargs[1];
	a = wide_attrs(fcinfo, rel);
	cycle = cell(t, desc, a->fixed[0]);
	country = cell(t, desc, a->fixed[1]);
	subject = cell(t, desc, a->fixed[2]);
	grading = nonblank(cell(t, desc, a->fixed[3]));
	handling = cell(t, desc, a->fixed[4]);
	note = cell(t, desc, a->fixed[5]);

	if (country)
	{
		country_code = parse_country(country,
									 wide_context(cycle, country, subject), &p);
		ok = country_code != NULL;
	}
	if (ok && grading)
	{
		grading_code = parse_grading(grading,
									 wide_context(cycle, country_code, subject),
									 &p);
		ok = grading_code != NULL;
	}
	if (ok && cycle)
	{
		IdealCycleInfo *ci = ideal_cycle_lookup(cycle);

		if (ci && strcmp(ci->method->code, method) != 0)
		{
			p.sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p.message = psprintf("cycle \"%s\" does not use methodology \"%s\"",
								 cycle, method);
			p.detail = psprintf("%s Cycle \"%s\" uses methodology \"%s\"; this intake view is for \"%s\".",
								wide_context(cycle, country_code, subject),
								cycle, ci->method->code, method);
			p.hint = pstrdup("Load the row into the intake view of the cycle's methodology; ideal.intake_view lists them.");
			ok = false;
		}
	}
	if (!ok)
	{
		const char *fields[5];
		int			cells = 0;

		if (ideal_on_invalid != IDEAL_ON_INVALID_REJECT)
			ideal_raise(&p);
		fields[0] = cycle;
		fields[1] = country;
		fields[2] = subject;
		for (i = 0; i < a->nind; i++)
		{
			char	   *answer = cell(t, desc, a->ind[i]);

			if (nonblank(answer) == NULL)
				continue;
			fields[3] = a->code[i];
			fields[4] = answer;
			refuse(td, fields, &p);
			cells++;
		}
		if (cells == 0)
		{
			fields[3] = NULL;
			fields[4] = NULL;
			refuse(td, fields, &p);
		}
		return PointerGetDatum(NULL);
	}

	row.target = ideal_relation_name(rel);
	row.tuple = t;
	row.desc = desc;
	for (i = 0; i < a->nind; i++)
	{
		char	   *answer = cell(t, desc, a->ind[i]);
		const char *v[9];

		if (nonblank(answer) == NULL)
			continue;
		v[0] = cycle;
		v[1] = country_code;
		v[2] = kind;
		v[3] = subject;
		v[4] = a->code[i];
		v[5] = answer;
		v[6] = grading_code;
		v[7] = handling;
		v[8] = note;
		if (insert_through(&observation_plan, OBSERVATION_INSERT, 9, v, &row))
			stored++;
		else if (!row.rejected)
		{
			const char *fields[5] = {cycle, country, subject, a->code[i],
			answer};

			refuse_second(td, &row, fields, "answer",
						  obs_context(cycle, country_code, subject,
									  a->code[i]));
		}
	}
	return stored > 0 ? PointerGetDatum(t) : PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------- */
/* Lists in cells                                                   */
/* ---------------------------------------------------------------- */

/*
 * Split a list cell: a PostgreSQL array literal ({a,"b c"}) or items
 * separated by any of seps.  Items are trimmed; empty items are dropped.
 */
static List *
split_list(const char *s, const char *seps)
{
	List	   *items = NIL;
	char	   *t = trim(s);
	size_t		len = strlen(t);

	if (len >= 2 && t[0] == '{' && t[len - 1] == '}')
	{
		const char *p = t + 1;
		const char *end = t + len - 1;

		while (p < end)
		{
			StringInfoData buf;
			bool		quoted = false;

			initStringInfo(&buf);
			while (p < end && isspace((unsigned char) *p))
				p++;
			if (p < end && *p == '"')
			{
				quoted = true;
				p++;
				while (p < end && *p != '"')
				{
					if (*p == '\\' && p + 1 < end)
						p++;
					appendStringInfoChar(&buf, *p++);
				}
				if (p < end)
					p++;
				while (p < end && *p != ',')
					p++;
			}
			else
				while (p < end && *p != ',')
					appendStringInfoChar(&buf, *p++);
			if (p < end)
				p++;
			{
				char	   *item = trim(buf.data);

				if (*item && (quoted || pg_strcasecmp(item, "NULL") != 0))
					items = lappend(items, item);
			}
		}
		return items;
	}
	while (*t)
	{
		size_t		n = strcspn(t, seps);
		char	   *item = trim(pnstrdup(t, n));

		if (*item)
			items = lappend(items, item);
		t += n;
		if (*t)
			t++;
	}
	return items;
}

/* A list of strings as a text[] literal. */
static char *
text_array_literal(List *items)
{
	StringInfoData buf;
	ListCell   *lc;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	foreach(lc, items)
	{
		const char *p;

		if (!first)
			appendStringInfoChar(&buf, ',');
		first = false;
		appendStringInfoChar(&buf, '"');
		for (p = lfirst(lc); *p; p++)
		{
			if (*p == '"' || *p == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, *p);
		}
		appendStringInfoChar(&buf, '"');
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* ---------------------------------------------------------------- */
/* Groups: ideal.subject_intake                                     */
/* ---------------------------------------------------------------- */

static SPIPlanPtr subject_plan = NULL;

#define SUBJECT_INSERT \
	"INSERT INTO ideal.subject (cycle, country, ref, name, aliases, " \
	"typology, primary_area, crime_areas, operates_in, note) VALUES ($1, " \
	"$2::ideal.country, $3, $4, $5::text[], $6, $7, $8::text[], " \
	"$9::ideal.country[], $10) ON CONFLICT (cycle, country, ref) DO NOTHING"

static const char *const subject_columns[] = {
	"cycle", "country", "ref", "name", "aliases", "typology",
	"primary_area", "crime_areas", "operates_in", "note"
};

/*
 * ideal.subject_intake(): INSTEAD OF INSERT FOR EACH ROW on
 * ideal.subject_intake.  Lists (aliases; crime areas and countries of
 * operation) are array literals or separated items.
 */
Datum
ideal_subject_intake(PG_FUNCTION_ARGS)
{
	const char *fn = "ideal.subject_intake()";
	TriggerData *td = trigger_data(fcinfo, fn, true);
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	t = td->tg_trigtuple;
	int		   *att = fcinfo->flinfo->fn_extra;
	char	   *in[10];
	const char *v[10];
	const char *fields[5];
	char	   *ctx;
	IdealProblem p;
	IdealIntakeRow row;
	bool		ok = true;
	int			i;

	if (att == NULL)
	{
		att = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int) * 10);
		for (i = 0; i < 10; i++)
			att[i] = column(desc, subject_columns[i], fn);
		fcinfo->flinfo->fn_extra = att;
	}
	for (i = 0; i < 10; i++)
		in[i] = cell(t, desc, att[i]);
	ctx = psprintf("Group: cycle \"%s\", country %s, reference \"%s\".",
				   in[0] ? in[0] : "", in[1] ? in[1] : "(none)",
				   in[2] ? in[2] : "");
	memcpy(v, in, sizeof(v));
	if (in[1])
	{
		v[1] = parse_country(in[1], ctx, &p);
		ok = v[1] != NULL;
	}
	v[4] = text_array_literal(in[4] ? split_list(in[4], ";|") : NIL);
	v[7] = text_array_literal(in[7] ? split_list(in[7], ",;|") : NIL);
	if (ok)
	{
		List	   *countries = in[8] ? split_list(in[8], ",;| ") : NIL;
		StringInfoData buf;
		ListCell   *lc;

		initStringInfo(&buf);
		appendStringInfoChar(&buf, '{');
		foreach(lc, countries)
		{
			const char *code = parse_country(lfirst(lc), ctx, &p);

			if (code == NULL)
			{
				p.detail = psprintf("%s Countries of operation \"%s\".", ctx,
									in[8]);
				ok = false;
				break;
			}
			appendStringInfo(&buf, "%s%s", buf.len > 1 ? "," : "", code);
		}
		appendStringInfoChar(&buf, '}');
		v[8] = buf.data;
	}
	if (!ok)
	{
		fields[0] = in[0];
		fields[1] = in[1];
		fields[2] = in[2];
		fields[3] = NULL;
		fields[4] = NULL;
		refuse(td, fields, &p);
		return PointerGetDatum(NULL);
	}
	row.target = ideal_relation_name(rel);
	row.tuple = t;
	row.desc = desc;
	if (insert_through(&subject_plan, SUBJECT_INSERT, 10, v, &row))
		return PointerGetDatum(t);
	if (!row.rejected)
	{
		fields[0] = in[0];
		fields[1] = v[1];
		fields[2] = in[2];
		fields[3] = NULL;
		fields[4] = NULL;
		refuse_second(td, &row, fields, "group", ctx);
	}
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------- */
/* Figures                                                          */
/* ---------------------------------------------------------------- */

/*
 * Read a number written with decimal separator dec and, optionally,
 * thousands separators (the other of '.' and ',', or a space) between
 * groups of three digits; an exponent is allowed.  Appends its plain form
 * to out; false if s is not such a number.
 */
static bool
read_number(const char *s, char dec, StringInfo out)
{
	char		thou = dec == '.' ? ',' : '.';
	const char *p = s;
	int			start = out->len;
	int			group = 0;
	bool		grouped = false;
	bool		digits = false;

	if (*p == '-' || *p == '+')
	{
		if (*p == '-')
			appendStringInfoChar(out, '-');
		p++;
	}
	for (;;)
	{
		if (isdigit((unsigned char) *p))
		{
			appendStringInfoChar(out, *p++);
			group++;
			digits = true;
			continue;
		}
		if ((*p == thou || *p == ' ') && digits &&
			isdigit((unsigned char) p[1]))
		{
			/* a separator: the group before it is 1-3 digits, then 3 */
			if ((grouped && group != 3) || (!grouped && group > 3))
				goto fail;
			grouped = true;
			group = 0;
			p++;
			continue;
		}
		break;
	}
	if (grouped && group != 3)
		goto fail;
	if (*p == dec && isdigit((unsigned char) p[1]))
	{
		appendStringInfoChar(out, '.');
		p++;
		while (isdigit((unsigned char) *p))
			appendStringInfoChar(out, *p++);
		digits = true;
	}
	if (!digits)
		goto fail;
	if ((*p == 'e' || *p == 'E') &&
		(isdigit((unsigned char) p[1]) ||
		 ((p[1] == '-' || p[1] == '+') && isdigit((unsigned char) p[2]))))
	{
		appendStringInfoChar(out, 'e');
		p++;
		if (*p == '-' || *p == '+')
			appendStringInfoChar(out, *p++);
		while (isdigit((unsigned char) *p))
			appendStringInfoChar(out, *p++);
	}
	if (*p == 0)
		return true;
fail:
	out->len = start;
	out->data[start] = 0;
	return false;
}

#define FIG_SUPPRESSED		0x01	/* "<5": the source hides a small count */
#define FIG_GUESSED			0x02	/* read with the other decimal separator */

/*
 * Read a reported value: a number in the declared convention (dec), else
 * in the other one (flagged), or "<N" for a value the source suppressed.
 * Returns the plain number (NULL when suppressed) through *value and the
 * flags; false if the text is neither.
 */
static bool
read_figure_value(const char *text, char dec, char **value, int *flags)
{
	StringInfoData buf;
	char	   *t = trim(text);
	char		other = dec == '.' ? ',' : '.';

	*flags = 0;
	*value = NULL;
	initStringInfo(&buf);
	if (t[0] == '<')
	{
		char	   *n = trim(t + 1);

		if (read_number(n, dec, &buf) || read_number(n, other, &buf))
		{
			*flags = FIG_SUPPRESSED;
			return true;
		}
		return false;
	}
	if (read_number(t, dec, &buf))
	{
		*value = buf.data;
		return true;
	}
	if (read_number(t, other, &buf))
	{
		*value = buf.data;
		*flags = FIG_GUESSED;
		return true;
	}
	return false;
}

static char *
figure_context(const char *source, const char *source_ref,
			   const char *country, const char *year, const char *quantity,
			   const char *item)
{
	return psprintf("Figure: source \"%s\"%s%s%s, country %s, year %s, quantity \"%s\", item \"%s\".",
					source ? source : "",
					source_ref ? " (" : "", source_ref ? source_ref : "",
					source_ref ? ")" : "",
					country ? country : "(none)", year ? year : "(none)",
					quantity ? quantity : "", item ? item : "");
}

static void
bad_value(IdealProblem *p, const char *ctx, const char *value)
{
	p->sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
	p->message = psprintf("figure value \"%s\" is not a number", value);
	p->detail = psprintf("%s Expected a number, with or without thousands separators, or \"<N\" for a value the source suppressed.",
						 ctx);
	p->hint = pstrdup("Say which decimal separator the file uses in the decimal_separator column (\".\" or \",\"); keep the cell as the source wrote it.");
}

/* A plain number's text as a numeric datum. */
static Datum
numeric_datum(const char *s)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* True if s holds U+FFFD, the mark of a character lost before us. */
static bool
has_replacement_char(const char *s)
{
	return s && strstr(s, "\xEF\xBF\xBD") != NULL;
}

static bool
is_json_object(char *s)
{
	JsonLexContext *lex;
	char	   *t = trim(s);

	if (t[0] != '{')
		return false;
#if PG_VERSION_NUM >= 170000
	lex = makeJsonLexContextCstringLen(NULL, s, strlen(s),
									   GetDatabaseEncoding(), false);
#else
	lex = makeJsonLexContextCstringLen(s, strlen(s), GetDatabaseEncoding(),
									   false);
#endif
	return pg_parse_json(lex, &nullSemAction) == JSON_SUCCESS;
}

static SPIPlanPtr figure_plan = NULL;

#define FIGURE_INSERT \
	"INSERT INTO ideal.figure (cycle, methodology, country, crime_area, " \
	"quantity, unit, year, item, breakdown, value_text, value, flags, " \
	"source, source_ref, note) VALUES ($1, $2, $3::ideal.country, $4, $5, " \
	"$6, $7::integer, COALESCE($8, ''), COALESCE($9, '{}')::jsonb, $10, " \
	"$11::numeric, $12::text[], $13, $14, $15)"

static const char *const figure_columns[] = {
	"cycle", "methodology", "country", "crime_area", "quantity", "unit",
	"year", "value", "value_check", "decimal_separator", "item", "breakdown",
	"source", "source_ref", "note"
};

enum
{
	FI_CYCLE, FI_METHOD, FI_COUNTRY, FI_AREA, FI_QUANTITY, FI_UNIT, FI_YEAR,
	FI_VALUE, FI_CHECK, FI_DEC, FI_ITEM, FI_BREAKDOWN, FI_SOURCE, FI_REF,
	FI_NOTE, FI_N
};

/*
 * ideal.figure_intake(): INSTEAD OF INSERT FOR EACH ROW on
 * ideal.figure_intake.  Parses the country, the year, the breakdown and
 * the value in the row's convention; value_check is the source's own
 * reading of the value, when the file has one ('' when it left it empty):
 * a disagreement stores the value as reported, flagged, without a number.
 */
Datum
ideal_figure_intake(PG_FUNCTION_ARGS)
{
	const char *fn = "ideal.figure_intake()";
	TriggerData *td = trigger_data(fcinfo, fn, true);
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	t = td->tg_trigtuple;
	int		   *att = fcinfo->flinfo->fn_extra;
	char	   *in[FI_N];
	const char *v[15];
	const char *fields[5];
	char	   *ctx;
	char	   *value = NULL;
	char		dec = '.';
	int			flags = 0;
	IdealProblem p;
	IdealIntakeRow row;
	bool		ok = true;
	int			i;

	if (att == NULL)
	{
		att = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int) * FI_N);
		for (i = 0; i < FI_N; i++)
			att[i] = column(desc, figure_columns[i], fn);
		fcinfo->flinfo->fn_extra = att;
	}
	for (i = 0; i < FI_N; i++)
		in[i] = cell(t, desc, att[i]);
	ctx = figure_context(in[FI_SOURCE], in[FI_REF], in[FI_COUNTRY],
						 in[FI_YEAR], in[FI_QUANTITY], in[FI_ITEM]);

	v[0] = in[FI_CYCLE];
	v[1] = in[FI_METHOD];
	v[2] = NULL;
	v[3] = in[FI_AREA];
	v[4] = in[FI_QUANTITY];
	v[5] = in[FI_UNIT];
	v[6] = NULL;
	v[7] = in[FI_ITEM];
	v[8] = nonblank(in[FI_BREAKDOWN]);
	v[9] = in[FI_VALUE];
	v[10] = NULL;
	v[11] = "{}";
	v[12] = in[FI_SOURCE];
	v[13] = in[FI_REF];
	v[14] = in[FI_NOTE];

	if (in[FI_COUNTRY])
	{
		v[2] = parse_country(in[FI_COUNTRY], ctx, &p);
		ok = v[2] != NULL;
	}
	if (ok && nonblank(in[FI_YEAR]))
	{
		char	   *y = trim(in[FI_YEAR]);
		char	   *end;
		long		n = strtol(y, &end, 10);

		if (*end != 0 || n < 1 || n > 9999)
		{
			p.sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
			p.message = psprintf("invalid year \"%s\"", in[FI_YEAR]);
			p.detail = psprintf("%s Expected a year such as 2022.", ctx);
			p.hint = pstrdup("Give the year the figure refers to, in four digits.");
			ok = false;
		}
		v[6] = y;
	}
	if (ok && nonblank(in[FI_DEC]))
	{
		char	   *d = trim(in[FI_DEC]);

		if (strcmp(d, ".") == 0 || strcmp(d, ",") == 0)
			dec = d[0];
		else
		{
			p.sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p.message = psprintf("invalid decimal separator \"%s\"", d);
			p.detail = psprintf("%s Expected \".\" or \",\".", ctx);
			p.hint = pstrdup("Leave decimal_separator empty for numbers written with a decimal point.");
			ok = false;
		}
	}
	if (ok && v[8] && !is_json_object((char *) v[8]))
	{
		p.sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
		p.message = psprintf("breakdown \"%s\" is not a JSON object", v[8]);
		p.detail = psprintf("%s Expected an object such as {\"sex\": \"Female\"}.",
							ctx);
		p.hint = pstrdup("Build it with json_build_object(...)::text when loading from a staging table.");
		ok = false;
	}
	if (ok && nonblank(in[FI_VALUE]))
	{
		if (!read_figure_value(in[FI_VALUE], dec, &value, &flags))
		{
			bad_value(&p, ctx, in[FI_VALUE]);
			ok = false;
		}
	}
	if (ok)
	{
		List	   *flag_list = NIL;

		if (flags & FIG_SUPPRESSED)
			flag_list = lappend(flag_list, "suppressed");
		if (flags & FIG_GUESSED)
			flag_list = lappend(flag_list, "separator_guessed");
		/* the source's own reading, when it has one, must agree */
		if (in[FI_CHECK] && (value || nonblank(in[FI_CHECK])))
		{
			char	   *check = NULL;
			int			cflags;
			bool		agree;

			if (nonblank(in[FI_CHECK]) &&
				!read_figure_value(in[FI_CHECK], '.', &check, &cflags))
				check = NULL;
			agree = value && check &&
				DatumGetInt32(DirectFunctionCall2(numeric_cmp,
												  numeric_datum(value),
												  numeric_datum(check))) == 0;
			if (!agree)
			{
				flag_list = lappend(flag_list, "source_disagrees");
				value = NULL;
			}
		}
		v[10] = value;
		v[11] = text_array_literal(flag_list);
	}
	if (!ok)
	{
		fields[0] = in[FI_CYCLE];
		fields[1] = in[FI_COUNTRY];
		fields[2] = in[FI_AREA];
		fields[3] = in[FI_QUANTITY];
		fields[4] = in[FI_VALUE];
		refuse(td, fields, &p);
		return PointerGetDatum(NULL);
	}
	row.target = ideal_relation_name(rel);
	row.tuple = t;
	row.desc = desc;
	if (insert_through(&figure_plan, FIGURE_INSERT, 15, v, &row))
		return PointerGetDatum(t);
	return PointerGetDatum(NULL);
}

/* Attribute numbers of ideal.figure, resolved once a statement. */
typedef struct FigAttrs
{
	Oid			relid;
	int			natts;
	int			cycle,
				method,
				country,
				area,
				quantity,
				unit,
				year,
				item,
				breakdown,
				value_text,
				value,
				flags,
				source,
				source_ref,
				note;
	Oid			key;			/* index figure_key */
	int			checked;		/* 0 before 0.2.0 */
} FigAttrs;

/*
 * The methodology looked up last, kept for the rest of the transaction:
 * an intake view inserts each row in a statement of its own, so a cache
 * per statement would query the catalog for every row.  Cache entries are
 * never freed (catalog.c), so the pointer stays valid.
 */
static LocalTransactionId cached_lxid = InvalidLocalTransactionId;
static char cached_code[64];
static IdealMethodEntry *cached_entry = NULL;

static IdealMethodEntry *
method_in_transaction(const char *code)
{
#if PG_VERSION_NUM >= 170000
	LocalTransactionId lxid = MyProc->vxid.lxid;
#else
	LocalTransactionId lxid = MyProc->lxid;
#endif
	IdealMethodEntry *me;

	if (cached_entry && cached_lxid == lxid &&
		strcmp(cached_code, code) == 0)
		return cached_entry;
	me = ideal_method_lookup(code);
	if (me && strlen(code) < sizeof(cached_code))
	{
		strlcpy(cached_code, code, sizeof(cached_code));
		cached_lxid = lxid;
		cached_entry = me;
	}
	return me;
}

static FigAttrs *
fig_attrs(FunctionCallInfo fcinfo, Relation rel)
{
	FigAttrs   *a = fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	const char *fn = "ideal.figure_check()";

	if (a && a->relid == RelationGetRelid(rel) && a->natts == desc->natts)
		return a;
	a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FigAttrs));
	a->relid = RelationGetRelid(rel);
	a->natts = desc->natts;
	a->cycle = column(desc, "cycle", fn);
	a->method = column(desc, "methodology", fn);
	a->country = column(desc, "country", fn);
	a->area = column(desc, "crime_area", fn);
	a->quantity = column(desc, "quantity", fn);
	a->unit = column(desc, "unit", fn);
	a->year = column(desc, "year", fn);
	a->item = column(desc, "item", fn);
	a->breakdown = column(desc, "breakdown", fn);
	a->value_text = column(desc, "value_text", fn);
	a->value = column(desc, "value", fn);
	a->flags = column(desc, "flags", fn);
	a->source = column(desc, "source", fn);
	a->source_ref = column(desc, "source_ref", fn);
	a->checked = ideal_checked_attnum(desc);
	a->note = column(desc, "note", fn);
	a->key = get_relname_relid("figure_key", RelationGetNamespace(rel));
	if (!OidIsValid(a->key))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("index \"figure_key\" of ideal.figure is missing")));
	fcinfo->flinfo->fn_extra = a;
	return a;
}

static char *
plain_text(HeapTuple t, TupleDesc desc, int att)
{
	bool		isnull;
	Datum		d = heap_getattr(t, att, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* Two nullable strings are equal. */
static bool
text_equal(const char *x, const char *y)
{
	return (x == NULL && y == NULL) || (x && y && strcmp(x, y) == 0);
}

/* Fold a quantity to a code: lower case, blanks and dashes to "_". */
static char *
quantity_code(const char *s)
{
	StringInfoData buf;
	char	   *t = trim(s);
	const char *p;
	bool		gap = false;

	initStringInfo(&buf);
	for (p = t; *p; p++)
	{
		char		c = *p;

		if (c == ' ' || c == '-' || c == '_')
		{
			gap = buf.len > 0;
			continue;
		}
		if (gap)
			appendStringInfoChar(&buf, '_');
		gap = false;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return NULL;
		appendStringInfoChar(&buf, c);
	}
	if (buf.len == 0 || buf.len > 63 || !(buf.data[0] >= 'a' &&
										   buf.data[0] <= 'z'))
		return NULL;
	return buf.data;
}

static int
flag_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

/*
 * Check and normalise one figure; returns false with *p filled when it is
 * not acceptable.  The flags this trigger finds are found again on every
 * change; reread (an update of value_text) reads the value again too.
 */
static bool
check_figure(Relation rel, HeapTuple t, FigAttrs *a, IdealProblem *p,
			 Datum *vals, bool *nulls, bool *repl, ItemPointer old,
			 bool reread)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *cycle = plain_text(t, desc, a->cycle);
	char	   *method = plain_text(t, desc, a->method);
	char	   *area = plain_text(t, desc, a->area);
	char	   *quantity = plain_text(t, desc, a->quantity);
	char	   *unit = plain_text(t, desc, a->unit);
	char	   *item = plain_text(t, desc, a->item);
	char	   *value_text = plain_text(t, desc, a->value_text);
	char	   *source = plain_text(t, desc, a->source);
	char	   *source_ref = plain_text(t, desc, a->source_ref);
	char	   *note = plain_text(t, desc, a->note);
	char	   *breakdown = NULL;
	char	   *country_text = NULL;
	char	   *year_text = NULL;
	char	   *ctx;
	IdealMethodEntry *me = NULL;
	List	   *flags = NIL;
	bool		isnull;
	Datum		d;
	Datum		keys_breakdown;
	int			country = 0;
	int			ai;

	d = heap_getattr(t, a->country, desc, &isnull);
	if (!isnull)
	{
		country = DatumGetCountry(d);
		country_text = pstrdup(ideal_country_by_numeric(country)->alpha2);
	}
	d = heap_getattr(t, a->year, desc, &isnull);
	if (!isnull)
		year_text = psprintf("%d", DatumGetInt32(d));
	d = heap_getattr(t, a->breakdown, desc, &isnull);
	if (!isnull)
		breakdown = DatumGetCString(DirectFunctionCall1(jsonb_out, d));
	ctx = figure_context(source, source_ref, country_text, year_text,
						 quantity, item);

	if (country_text == NULL || year_text == NULL || area == NULL ||
		quantity == NULL || unit == NULL || value_text == NULL ||
		source == NULL)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = psprintf("figure has no %s",
							  country_text == NULL ? "country" :
							  year_text == NULL ? "year" :
							  area == NULL ? "crime area" :
							  quantity == NULL ? "quantity" :
							  unit == NULL ? "unit" :
							  value_text == NULL ? "value" : "source");
		p->detail = ctx;
		p->hint = pstrdup("Every figure needs a country, a year, a crime area, a quantity, a unit, the value as reported and its source.");
		return false;
	}

	/* the methodology that classifies it: the cycle's, or the one named */
	if (cycle)
	{
		me = ideal_open_cycle(cycle, ctx, "figures",
							  "Leave the cycle empty for figures that are not part of a submission, and name a methodology instead.",
							  p);
		if (me == NULL)
			return false;
		if (method && strcmp(method, me->code) != 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("cycle \"%s\" does not use methodology \"%s\"",
								  cycle, method);
			p->detail = psprintf("%s Cycle \"%s\" uses methodology \"%s\".",
								 ctx, cycle, me->code);
			p->hint = pstrdup("Leave the methodology empty: a cycle's figures take its methodology.");
			return false;
		}
		if (!ideal_check_member(me, country, country_text, ctx,
								"figures of other countries are loaded without a cycle",
								p))
			return false;
	}
	else if (method == NULL)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = pstrdup("figure has neither a cycle nor a methodology");
		p->detail = ctx;
		p->hint = pstrdup("Give the cycle of a submission, or, for figures from other sources, the methodology whose crime areas classify them.");
		return false;
	}
	else
	{
		me = method_in_transaction(method);
		if (me == NULL)
		{
			p->sqlstate = ERRCODE_FOREIGN_KEY_VIOLATION;
			p->message = psprintf("methodology \"%s\" does not exist", method);
			p->detail = ctx;
			p->hint = pstrdup("Methodologies are listed in ideal.methodology.");
			return false;
		}
	}

	ai = ideal_lookup_label(me, IDEAL_NS_CRIME_AREA, 0, area, strlen(area));
	if (ai < 0)
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("unknown crime area \"%s\" in methodology \"%s\"",
							  area, me->code);
		p->detail = ctx;
		p->hint = pstrdup("Give a crime area's code or one of its labels; they are listed in ideal.crime_area.");
		return false;
	}
	{
		char	   *q = quantity_code(quantity);

		if (q == NULL)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("invalid quantity \"%s\"", quantity);
			p->detail = psprintf("%s A quantity is a word or words in ASCII letters and digits, starting with a letter, such as \"seizures\" or \"victims\".",
								 ctx);
			p->hint = pstrdup("The quantity is stored as a code: lower case, with \"_\" between words.");
			return false;
		}
		quantity = q;
	}
	unit = pstrdup(trim(unit));
	source = pstrdup(trim(source));
	if (*unit == 0 || *source == 0 || *trim(value_text) == 0)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = psprintf("figure has an empty %s",
							  *unit == 0 ? "unit" :
							  *source == 0 ? "source" : "value");
		p->detail = ctx;
		p->hint = pstrdup("Every figure needs a unit, the value as reported and its source.");
		return false;
	}
	if (atoi(year_text) < 1900 || atoi(year_text) > 2100)
	{
		p->sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		p->message = psprintf("year %s of a figure is out of range", year_text);
		p->detail = ctx;
		p->hint = pstrdup("Figures are accepted for the years 1900 to 2100.");
		return false;
	}

	/* flags given, plus what this row shows */
	{
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					i;

		d = heap_getattr(t, a->flags, desc, &isnull);
		if (!isnull)
		{
			deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false,
							  TYPALIGN_INT, &elems, &enulls, &n);
			for (i = 0; i < n; i++)
				if (!enulls[i])
				{
					char	   *f = TextDatumGetCString(elems[i]);

					if (strcmp(f, "replacement_character") == 0 ||
						strcmp(f, "repeated_key") == 0 ||
						(reread && (strcmp(f, "suppressed") == 0 ||
									strcmp(f, "separator_guessed") == 0 ||
									strcmp(f, "source_disagrees") == 0)))
						continue;
					flags = list_append_unique(flags, makeString(f));
				}
		}
	}
	heap_getattr(t, a->value, desc, &isnull);
	if (reread)
	{
		nulls[a->value - 1] = true;
		repl[a->value - 1] = true;
		isnull = true;
	}
	/* no number and no reason for none: read value_text */
	if (isnull && !list_member(flags, makeString("suppressed")) &&
		!list_member(flags, makeString("source_disagrees")))
	{
		char	   *value;
		int			vflags;

		if (!read_figure_value(value_text, '.', &value, &vflags))
		{
			bad_value(p, ctx, value_text);
			return false;
		}
		if (value)
		{
			vals[a->value - 1] = numeric_datum(value);
			nulls[a->value - 1] = false;
			repl[a->value - 1] = true;
		}
		if (vflags & FIG_SUPPRESSED)
			flags = list_append_unique(flags, makeString("suppressed"));
		if (vflags & FIG_GUESSED)
			flags = list_append_unique(flags, makeString("separator_guessed"));
	}
	if (has_replacement_char(item) || has_replacement_char(breakdown) ||
		has_replacement_char(value_text) || has_replacement_char(source_ref) ||
		has_replacement_char(note) || has_replacement_char(unit) ||
		has_replacement_char(source))
		flags = list_append_unique(flags, makeString("replacement_character"));

	/* a key seen before: kept, and flagged */
	{
		Datum		keys[8];
		Relation	index = index_open(a->key, AccessShareLock);

		keys[0] = CountryGetDatum(country);
		keys[1] = heap_getattr(t, a->year, desc, &isnull);
		keys[2] = CStringGetTextDatum(quantity);
		keys[3] = CStringGetTextDatum(me->m->crime_areas[ai].code);
		keys[4] = CStringGetTextDatum(unit);
		keys[5] = CStringGetTextDatum(source);
		keys[6] = CStringGetTextDatum(item ? item : "");
		keys[7] = heap_getattr(t, a->breakdown, desc, &isnull);
		if (isnull)
			keys[7] = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
		keys_breakdown = keys[7];
		if (ideal_index_probe(rel, index, 8, keys, old))
			flags = list_append_unique(flags, makeString("repeated_key"));
		index_close(index, AccessShareLock);
	}

	{
		Datum	   *fd = palloc(sizeof(Datum) * (list_length(flags) + 1));
		ListCell   *lc;
		List	   *names = NIL;
		int			n = 0;

		foreach(lc, flags)
			names = lappend(names, strVal(lfirst(lc)));
		list_sort(names, flag_cmp);
		foreach(lc, names)
			fd[n++] = CStringGetTextDatum(lfirst(lc));
		vals[a->flags - 1] = PointerGetDatum(construct_array(fd, n, TEXTOID,
															 -1, false,
															 TYPALIGN_INT));
		repl[a->flags - 1] = true;
	}
	vals[a->method - 1] = CStringGetTextDatum(me->code);
	repl[a->method - 1] = true;
	vals[a->area - 1] = CStringGetTextDatum(me->m->crime_areas[ai].code);
	repl[a->area - 1] = true;
	vals[a->quantity - 1] = CStringGetTextDatum(quantity);
	repl[a->quantity - 1] = true;
	vals[a->unit - 1] = CStringGetTextDatum(unit);
	repl[a->unit - 1] = true;
	vals[a->source - 1] = CStringGetTextDatum(source);
	repl[a->source - 1] = true;
	if (item == NULL)
	{
		vals[a->item - 1] = CStringGetTextDatum("");
		repl[a->item - 1] = true;
	}
	if (breakdown == NULL)
	{
		vals[a->breakdown - 1] = keys_breakdown;
		repl[a->breakdown - 1] = true;
	}
	return true;
}

/*
 * ideal.figure_check(): BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW on
 * ideal.figure.
 */
Datum
ideal_figure_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = trigger_data(fcinfo, "ideal.figure_check()", false);
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	FigAttrs   *a = fig_attrs(fcinfo, rel);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	HeapTuple	t;
	IdealProblem p;
	Datum	   *vals;
	bool	   *nulls;
	bool	   *repl;

	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.figure_check() must be fired BEFORE")));
	if (is_update || TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		char	   *cycle = plain_text(td->tg_trigtuple, desc, a->cycle);
		IdealCycleInfo *ci = cycle ? ideal_cycle_for_write(cycle) : NULL;

		if (ci && ci->status != 'o')
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cycle \"%s\" is %s", cycle,
							ci->status == 'c' ? "closed" : "published"),
					 errdetail("Figures of closed and published cycles cannot be changed or deleted."),
					 errhint("A correction belongs in a new cycle.")));
		if (!is_update)
			return PointerGetDatum(td->tg_trigtuple);
	}
	if (ideal_restored_row(td, a->checked))
		return PointerGetDatum(td->tg_trigtuple);
	t = is_update ? td->tg_newtuple : td->tg_trigtuple;
	vals = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc0(sizeof(bool) * desc->natts);
	repl = palloc0(sizeof(bool) * desc->natts);
	if (check_figure(rel, t, a, &p, vals, nulls, repl,
					 is_update ? &td->tg_trigtuple->t_self : NULL,
					 is_update && !text_equal(plain_text(t, desc, a->value_text),
											  plain_text(td->tg_trigtuple, desc,
														 a->value_text))))
	{
		if (a->checked)
		{
			vals[a->checked - 1] = BoolGetDatum(true);
			repl[a->checked - 1] = true;
		}
		return PointerGetDatum(heap_modify_tuple(t, desc, vals, nulls, repl));
	}
	if (ideal_on_invalid == IDEAL_ON_INVALID_REJECT &&
		TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		const char *fields[5];
		bool		isnull;
		Datum		d = heap_getattr(t, a->country, desc, &isnull);

		fields[0] = plain_text(t, desc, a->cycle);
		fields[1] = isnull ? NULL :
			ideal_country_by_numeric(DatumGetCountry(d))->alpha2;
		fields[2] = plain_text(t, desc, a->area);
		fields[3] = plain_text(t, desc, a->quantity);
		fields[4] = plain_text(t, desc, a->value_text);
		ideal_store_rejected(ideal_relation_name(rel), fields, &p, t, desc);
		return PointerGetDatum(NULL);
	}
	ideal_raise(&p);
	return PointerGetDatum(NULL);	/* not reached */
}

/* ---------------------------------------------------------------- */
/* Wide views: created and dropped with their methodology           */
/* ---------------------------------------------------------------- */

/*
 * Name of the wide view of a methodology and subject kind:
 * "<code>_<kind>_intake", or, where that would pass the identifier limit,
 * the code cut short and followed by a hash of the whole.
 */
static char *
wide_view_name(const char *code, const char *kind)
{
	char	   *name = psprintf("%s_%s_intake", code, kind);

	if (strlen(name) >= NAMEDATALEN)
	{
		uint32		h = hash_bytes((const unsigned char *) code, strlen(code));
		int			keep = NAMEDATALEN - 1 - (int) strlen(kind) - 17;

		name = psprintf("%.*s_%08x_%s_intake", keep, code, h, kind);
	}
	return name;
}

/* Run one utility or query statement; errors propagate. */
static void
exec_sql(const char *sql)
{
	int			ret = SPI_execute(sql, false, 0);

	if (ret < 0)
		elog(ERROR, "statement failed (%s): %s", SPI_result_code_string(ret),
			 sql);
}

/* Give a new view the privileges ideal.observation_intake has. */
static void
copy_grants(const char *view)
{
	int			ret;
	uint64		i;
	List	   *grants = NIL;
	ListCell   *lc;

	ret = SPI_execute("SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
					  "ELSE pg_catalog.quote_ident(r.rolname) END, "
					  "a.privilege_type, a.is_grantable "
					  "FROM pg_catalog.pg_class c "
					  "CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a "
					  "LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee "
					  "WHERE c.oid = 'ideal.observation_intake'::pg_catalog.regclass "
					  "AND a.grantee <> c.relowner", true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read the privileges of ideal.observation_intake");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *grant_opt = SPI_getvalue(t, d, 3);

		grants = lappend(grants,
						 psprintf("GRANT %s ON %s TO %s%s",
								  SPI_getvalue(t, d, 2), view,
								  SPI_getvalue(t, d, 1),
								  grant_opt && grant_opt[0] == 't' ?
								  " WITH GRANT OPTION" : ""));
	}
	foreach(lc, grants)
		exec_sql(lfirst(lc));
}

/*
 * Create the wide views of a methodology that do not exist yet; returns
 * the names of its views.  A view that exists (made by a restore, or
 * earlier) is left as it is.
 */
static List *
create_views(const char *code, IdealMethod *m)
{
	Oid			nsp = get_namespace_oid("ideal", false);
	List	   *names = NIL;
	int			kind;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (kind = 0; kind < IDEAL_KIND_COUNT; kind++)
	{
		const char *kname = ideal_kind_name((IdealKind) kind);
		char	   *name = wide_view_name(code, kname);
		char	   *qname = quote_qualified_identifier("ideal", name);
		StringInfoData sql;
		int			i,
					j,
					n = 0;
		bool		clash = false;

		if (!(m->kinds & (1u << kind)))
			continue;
		for (i = 0; i < m->nindicators; i++)
			if (m->indicators[i].kind == (IdealKind) kind)
			{
				n++;
				for (j = 0; j < N_WIDE_FIXED; j++)
					clash |= strcmp(m->indicators[i].code, wide_fixed[j]) == 0;
			}
		if (n == 0)
			continue;
		if (clash)
		{
			ereport(WARNING,
					(errmsg("no wide intake view for methodology \"%s\", subjects of kind %s",
							code, kname),
					 errdetail("An indicator code is one of the view's own columns: cycle, country, subject, grading, handling, note."),
					 errhint("Load such answers through ideal.observation_intake.")));
			continue;
		}
		names = lappend(names, qname);
		if (OidIsValid(get_relname_relid(name, nsp)))
			continue;

		initStringInfo(&sql);
		appendStringInfo(&sql,
						 "CREATE VIEW %s WITH (security_invoker = true) AS "
						 "SELECT o.cycle, o.country::text AS country, o.subject, "
						 "CASE WHEN pg_catalog.min(o.grading::text) OPERATOR(pg_catalog.=) "
						 "pg_catalog.max(o.grading::text) THEN pg_catalog.min(o.grading::text) "
						 "END AS grading, "
						 "CASE WHEN pg_catalog.min(o.handling) OPERATOR(pg_catalog.=) "
						 "pg_catalog.max(o.handling) THEN pg_catalog.min(o.handling) "
						 "END AS handling, NULL::text AS note",
						 qname);
		for (i = 0; i < m->nindicators; i++)
			if (m->indicators[i].kind == (IdealKind) kind)
				appendStringInfo(&sql,
								 ", pg_catalog.max(o.answer) FILTER (WHERE o.indicator "
								 "OPERATOR(pg_catalog.=) %s) AS %s",
								 quote_literal_cstr(m->indicators[i].code),
								 quote_identifier(m->indicators[i].code));
		appendStringInfo(&sql,
						 " FROM ideal.observation o JOIN ideal.cycle c ON c.code "
						 "OPERATOR(pg_catalog.=) o.cycle WHERE c.methodology "
						 "OPERATOR(pg_catalog.=) %s AND o.subject_kind "
						 "OPERATOR(pg_catalog.=) %s GROUP BY o.cycle, o.country, o.subject",
						 quote_literal_cstr(code), quote_literal_cstr(kname));
		exec_sql(sql.data);
		exec_sql(psprintf("COMMENT ON VIEW %s IS %s", qname,
						  quote_literal_cstr(psprintf("Wide intake of methodology \"%s\" for subjects of kind %s: one row per subject, one column per indicator code; INSERT or COPY into it writes ideal.observation, reading it shows the answers stored",
													  code, kname))));
		for (i = 0; i < m->nindicators; i++)
		{
			IdealIndicator *ind = &m->indicators[i];

			if (ind->kind == (IdealKind) kind)
				exec_sql(psprintf("COMMENT ON COLUMN %s.%s IS %s", qname,
								  quote_identifier(ind->code),
								  quote_literal_cstr(ideal_label(&ind->labels,
																 "en"))));
		}
		exec_sql(psprintf("CREATE TRIGGER intake INSTEAD OF INSERT ON %s "
						  "FOR EACH ROW EXECUTE FUNCTION ideal.wide_intake(%s, %s)",
						  qname, quote_literal_cstr(code),
						  quote_literal_cstr(kname)));
		copy_grants(qname);
	}
	SPI_finish();
	return names;
}

/* Drop the wide views of a methodology (also when they are members). */
static int
drop_views(const char *code)
{
	Oid			types[1] = {TEXTOID};
	Datum		args[1];
	int			ret;
	uint64		i;
	List	   *views = NIL;
	List	   *members = NIL;
	ListCell   *lc;
	ListCell   *lc2;

	args[0] = CStringGetTextDatum(code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args("SELECT v.intake_view::text, EXISTS ("
								"SELECT 1 FROM pg_catalog.pg_depend d "
								"WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
								"AND d.objid = v.intake_view AND d.deptype = 'e') "
								"FROM ideal.intake_view v WHERE v.methodology "
								"OPERATOR(pg_catalog.=) $1",
								1, types, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not list the intake views of \"%s\"", code);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[i],
									 SPI_tuptable->tupdesc, 1);
		char	   *member = SPI_getvalue(SPI_tuptable->vals[i],
										  SPI_tuptable->tupdesc, 2);

		views = lappend(views, v);
		members = lappend(members, member);
	}
	forboth(lc, views, lc2, members)
	{
		if (((char *) lfirst(lc2))[0] == 't')
			exec_sql(psprintf("ALTER EXTENSION ideal DROP VIEW %s",
							  (char *) lfirst(lc)));
		exec_sql(psprintf("DROP VIEW %s", (char *) lfirst(lc)));
	}
	SPI_finish();
	return list_length(views);
}

/*
 * ideal.intake_views_sync(): AFTER INSERT and BEFORE DELETE FOR EACH ROW on
 * ideal.methodology: a methodology's wide views come and go with it.
 */
Datum
ideal_intake_views_sync(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	int			att;
	char	   *code;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.intake_views_sync() must be fired FOR EACH ROW")));
	desc = RelationGetDescr(td->tg_relation);
	att = column(desc, "code", "ideal.intake_views_sync()");
	code = plain_text(td->tg_trigtuple, desc, att);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) &&
		TRIGGER_FIRED_AFTER(td->tg_event))
	{
		/* parse the row's own definition: this statement's row is not
		 * visible to the cache's lookup yet */
		char	   *def = plain_text(td->tg_trigtuple, desc,
									 column(desc, "definition",
											"ideal.intake_views_sync()"));
		IdealParseError err;
		IdealMethod *m = ideal_method_parse(def, strlen(def), &err);

		if (m == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("definition of methodology \"%s\" cannot be read",
							code),
					 errdetail("Line %d, column %d: %s.", err.line, err.column,
							   err.message)));
		PG_TRY();
		{
			create_views(code, m);
		}
		PG_FINALLY();
		{
			ideal_method_free(m);
		}
		PG_END_TRY();
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event) &&
			 TRIGGER_FIRED_BEFORE(td->tg_event))
		drop_views(code);
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.intake_views_sync() fires AFTER INSERT or BEFORE DELETE")));
	return PointerGetDatum(td->tg_trigtuple);
}

/* ideal.create_intake_views(methodology): (re)create missing wide views. */
Datum
ideal_create_intake_views(PG_FUNCTION_ARGS)
{
	char	   *code = text_to_cstring(PG_GETARG_TEXT_PP(0));
	IdealMethodEntry *me = ideal_method_lookup(code);
	List	   *names;
	Datum	   *elems;
	ListCell   *lc;
	int			n = 0;

	if (me == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("methodology \"%s\" does not exist", code)));
	names = create_views(code, me->m);
	elems = palloc(sizeof(Datum) * (list_length(names) + 1));
	foreach(lc, names)
		elems[n++] = CStringGetTextDatum(lfirst(lc));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/* ideal.drop_intake_views(methodology): drop its wide views. */
Datum
ideal_drop_intake_views(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(drop_views(text_to_cstring(PG_GETARG_TEXT_PP(0))));
}
