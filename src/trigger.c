/*
 * trigger.c
 *		Row validation of observations and groups: the C triggers that check
 *		every row loaded by COPY or INSERT against its cycle's methodology,
 *		normalise it, and either refuse it or set it aside in ideal.rejected;
 *		and the history of changed and deleted observations.
 *
 * The per-row cost is a few hash lookups in the backend cache (catalog.c)
 * and index probes for the group and for a second answer; no query runs
 * per row except to store a rejected row, through a prepared plan.
 */
#include "ideal.h"

#include <math.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(ideal_observation_check);
PG_FUNCTION_INFO_V1(ideal_subject_check);
PG_FUNCTION_INFO_V1(ideal_observation_history);

IdealIntakeRow *ideal_intake_current = NULL;

/* Attribute numbers of the observation columns, resolved once a statement. */
typedef struct ObsAttrs
{
	Oid			relid;
	int			natts;
	int			id;
	int			cycle;
	int			country;
	int			kind;
	int			subject;
	int			indicator;
	int			answer;
	int			value;
	int			unknown;
	int			grading;
	int			handling;
	int			loaded_at;
	int			loaded_by;
	int			checked;		/* 0 before 0.2.0 */
	Oid			answer_key;		/* index observation_answer_key */
	Oid			subject_rel;	/* ideal.subject */
	Oid			subject_key;	/* its primary key */
	/* the last group found in ideal.subject by this statement */
	int			last_country;
	char		last_cycle[64];
	char		last_ref[256];
	/*
	 * The subject of the last row inserted, whether ideal.observation held
	 * no answer for it when this statement first met it, and which of its
	 * methodology's indicators this statement has answered for it since.
	 */
	IdealMethodEntry *subj_me;
	int			subj_country;
	int			subj_kind;
	bool		subj_fresh;
	char		subj_cycle[64];
	char		subj_ref[256];
	bool	   *subj_answered;	/* per indicator of subj_me */
	MemoryContext mcxt;			/* where this lives: the statement's */
	int64		rows;			/* rows checked by this statement */
	/* the open cycle of the last row, while the cycle cache is unchanged */
	IdealMethodEntry *cyc_me;
	uint32		cyc_gen;
	int			cyc_len;
	char		cyc_code[64];
	/* spellings met by this statement (see lookup_spelling) */
	struct SpellSlot *spell;
	/* constant texts stored in every row: kind names, indicator codes */
	Datum		kind_text[IDEAL_KIND_COUNT];
	IdealMethodEntry *code_me;
	Datum	   *code_text;		/* per indicator of code_me, 0 until made */
	/* equality functions of the two index probes, resolved once */
	struct ProbeFuncs *subject_probe;
	struct ProbeFuncs *answer_probe;
} ObsAttrs;

/*
 * A text column of the row being checked, read in place: its bytes, and a
 * C string made only when a message or a slower path needs one.
 */
typedef struct ColText
{
	Datum		d;				/* the datum, detoasted; 0 when null */
	const char *p;				/* NULL when null */
	int			len;
	char	   *s;
} ColText;

/* The row being checked: its columns deformed once. */
typedef struct ObsRow
{
	Datum	   *vals;			/* every column; replaced values go here */
	bool	   *nulls;
	ColText		cycle;
	ColText		subject;		/* as submitted (for messages) */
	ColText		indicator;
	ColText		answer;
	ColText		kind;
	ColText		handling;
	bool		has_country;
	int			country;
	char	   *country_text;	/* alpha-2, made on demand */
	char	   *ctx;			/* row_context(), made on demand */
} ObsRow;

/*
 * A direct-mapped memo of the spellings a statement looks up: a load
 * repeats the same few hundred spellings of indicators and answers, and
 * the exact bytes find the answer without folding and hashing again.
 */
#define SPELL_SLOTS		2048	/* a power of two */
#define SPELL_MAXLEN	47
#define SPELL_AFTER		16		/* rows of a statement before the memo */

typedef struct SpellSlot
{
	IdealMethodEntry *me;		/* NULL: empty */
	int16		ns;
	int16		scale;
	int32		index;
	uint8		len;
	char		raw[SPELL_MAXLEN];
} SpellSlot;

/* Equality support of the first columns of an index, for probes. */
typedef struct ProbeFuncs
{
	int			nkeys;
	Oid			collation[INDEX_MAX_KEYS];
	FmgrInfo	eq[INDEX_MAX_KEYS];
	TupleTableSlot *slot;		/* over a copy of the heap's descriptor */
	bool		locked;			/* both relations locked by a probe */
} ProbeFuncs;

typedef IdealProblem Problem;

static int
attnum(TupleDesc desc, const char *name, const char *fn)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s needs a column \"%s\"", fn, name)));
	return n;
}

/* A relation of the table's schema, by name; an error if it is missing. */
static Oid
sibling(Relation rel, const char *name)
{
	Oid			oid = get_relname_relid(name,
										RelationGetNamespace(rel));

	if (!OidIsValid(oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("relation \"%s\" of schema \"%s\" is missing", name,
						get_namespace_name(RelationGetNamespace(rel))),
				 errhint("Reinstall the extension: DROP EXTENSION ideal; CREATE EXTENSION ideal.")));
	return oid;
}

static ObsAttrs *
get_attrs(FunctionCallInfo fcinfo, Relation rel)
{
	ObsAttrs   *a = (ObsAttrs *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	const char *fn = "ideal.observation_check()";

	if (a && a->relid == RelationGetRelid(rel) && a->natts == desc->natts)
		return a;
	a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ObsAttrs));
	a->mcxt = fcinfo->flinfo->fn_mcxt;
	a->relid = RelationGetRelid(rel);
	a->natts = desc->natts;
	a->id = attnum(desc, "id", fn);
	a->cycle = attnum(desc, "cycle", fn);
	a->country = attnum(desc, "country", fn);
	a->kind = attnum(desc, "subject_kind", fn);
	a->subject = attnum(desc, "subject", fn);
	a->indicator = attnum(desc, "indicator", fn);
	a->answer = attnum(desc, "answer", fn);
	a->value = attnum(desc, "value", fn);
	a->unknown = attnum(desc, "is_unknown", fn);
	a->grading = attnum(desc, "grading", fn);
	a->handling = attnum(desc, "handling", fn);
	a->loaded_at = attnum(desc, "loaded_at", fn);
	a->loaded_by = attnum(desc, "loaded_by", fn);
	a->checked = ideal_checked_attnum(desc);
	a->answer_key = sibling(rel, "observation_answer_key");
	a->subject_rel = sibling(rel, "subject");
	a->subject_key = sibling(rel, "subject_pkey");
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

/* Alpha-2 code of a country column, or NULL. */
static char *
get_country(HeapTuple tuple, TupleDesc desc, int att)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, att, desc, &isnull);
	const IdealCountry *c;

	if (isnull)
		return NULL;
	c = ideal_country_by_numeric(DatumGetCountry(d));
	return pstrdup(c ? c->alpha2 : "?");
}

/* s without surrounding blanks, as a new string. */
static char *
trimmed(const char *s)
{
	size_t		len;

	while (*s && isspace((unsigned char) *s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	return pnstrdup(s, len);
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

/* Read text column att of a deformed row in place. */
static void
col_text(ColText *t, const Datum *vals, const bool *nulls, int att)
{
	struct varlena *v;

	t->s = NULL;
	if (nulls[att - 1])
	{
		t->d = (Datum) 0;
		t->p = NULL;
		t->len = 0;
		return;
	}
	v = (struct varlena *) DatumGetPointer(vals[att - 1]);
	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = pg_detoast_datum_packed(v);
	t->d = PointerGetDatum(v);
	t->p = VARDATA_ANY(v);
	t->len = VARSIZE_ANY_EXHDR(v);
}

/* The column as a C string (made once), or NULL. */
static char *
col_cstr(ColText *t)
{
	if (t->p == NULL)
		return NULL;
	if (t->s == NULL)
		t->s = pnstrdup(t->p, t->len);
	return t->s;
}

/* True if the column holds exactly the string s. */
static inline bool
col_equals(const ColText *t, const char *s)
{
	return t->p != NULL && strncmp(t->p, s, t->len) == 0 && s[t->len] == 0;
}

/* Alpha-2 code of the row's country, as get_country() gives it. */
static char *
row_country(ObsRow *r)
{
	if (r->has_country && r->country_text == NULL)
	{
		const IdealCountry *c = ideal_country_by_numeric(r->country);

		r->country_text = pstrdup(c ? c->alpha2 : "?");
	}
	return r->country_text;
}

/* The row's description for details, made when a message needs it. */
static char *
row_ctx(ObsRow *r)
{
	if (r->ctx == NULL)
		r->ctx = row_context(col_cstr(&r->cycle), row_country(r),
							 col_cstr(&r->subject), col_cstr(&r->indicator));
	return r->ctx;
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

/* Codes of a list of code items, comma-separated, for details. */
static char *
codes_list(const IdealCodeItem *items, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", items[i].code);
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

/* ---------------------------------------------------------------- */
/* Shared helpers: relation names, problems, rejects, index probes  */
/* ---------------------------------------------------------------- */

char *
ideal_relation_name(Relation rel)
{
	char	   *nsp = get_namespace_name(RelationGetNamespace(rel));

	return quote_qualified_identifier(nsp, RelationGetRelationName(rel));
}

/* The column "checked" of a checked table, or 0 where it has none. */
int
ideal_checked_attnum(TupleDesc desc)
{
	int			n = SPI_fnumber(desc, "checked");

	if (n <= 0 || TupleDescAttr(desc, n - 1)->atttypid != BOOLOID)
		return 0;
	return n;
}


/*
 * A row restored from a dump comes with "checked" already true.  It was
 * checked when it was first loaded, and checking it again would refuse
 * every row of a closed or published cycle (and, since pg_dump orders the
 * data of these tables by name, every answer about a group).  It is let
 * through unchecked only from the table's owner or a superuser, who could
 * switch the triggers off anyway; anybody else's row is checked and
 * stamped as usual.
 */
static bool
restored_value(TriggerData *td, bool isnull, Datum checked)
{
	Oid			relid = RelationGetRelid(td->tg_relation);

	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) || isnull ||
		!DatumGetBool(checked))
		return false;
#if PG_VERSION_NUM >= 160000
	return object_ownercheck(RelationRelationId, relid, GetUserId());
#else
	return pg_class_ownercheck(relid, GetUserId());
#endif
}

/* The same, reading "checked" (column checked_att, 0: none) from the row. */
bool
ideal_restored_row(TriggerData *td, int checked_att)
{
	bool		isnull;
	Datum		d;

	if (checked_att <= 0 || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		return false;
	d = heap_getattr(td->tg_trigtuple, checked_att,
					 RelationGetDescr(td->tg_relation), &isnull);
	return restored_value(td, isnull, d);
}

void
ideal_raise(const IdealProblem *p)
{
	ereport(ERROR,
			(errcode(p->sqlstate),
			 errmsg_internal("%s", p->message),
			 p->detail ? errdetail_internal("%s", p->detail) : 0,
			 p->hint ? errhint("%s", p->hint) : 0));
	pg_unreachable();
}

/* Prepared inserts into ideal.rejected, one per row type submitted. */
typedef struct RejectPlan
{
	Oid			rowtype;
	SPIPlanPtr	plan;
} RejectPlan;

static HTAB *reject_plans = NULL;

static SPIPlanPtr
reject_plan(Oid rowtype)
{
	RejectPlan *e;
	bool		found;

	if (reject_plans == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(RejectPlan);
		reject_plans = hash_create("ideal reject plans", 16, &ctl,
								   HASH_ELEM | HASH_BLOBS);
	}
	e = hash_search(reject_plans, &rowtype, HASH_ENTER, &found);
	if (!found)
		e->plan = NULL;
	if (e->plan == NULL)
	{
		Oid			types[11] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
			TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, rowtype};
		SPIPlanPtr	plan;

		plan = SPI_prepare("INSERT INTO ideal.rejected (target, cycle, country, "
						   "subject, indicator, answer, sqlstate, message, "
						   "detail, hint, submitted) VALUES ($1, $2, $3, $4, "
						   "$5, $6, $7, $8, $9, $10, pg_catalog.to_jsonb($11))",
						   11, types);
		if (plan == NULL)
			elog(ERROR, "could not prepare the insert into ideal.rejected: %s",
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep the insert into ideal.rejected");
		e->plan = plan;
	}
	return e->plan;
}

void
ideal_store_rejected(const char *target, const char *const *fields,
					 const IdealProblem *p, HeapTuple tuple, TupleDesc desc)
{
	Datum		vals[11];
	char		nulls[11];
	const char *texts[10];
	char		state[6];
	int			i;
	int			ret;

	if (ideal_intake_current)
	{
		ideal_intake_current->rejected = true;
		target = ideal_intake_current->target;
		tuple = ideal_intake_current->tuple;
		desc = ideal_intake_current->desc;
	}
	strlcpy(state, unpack_sql_state(p->sqlstate), sizeof(state));
	texts[0] = target;
	for (i = 0; i < 5; i++)
		texts[i + 1] = fields[i];
	texts[6] = state;
	texts[7] = p->message;
	texts[8] = p->detail;
	texts[9] = p->hint;
	for (i = 0; i < 10; i++)
	{
		vals[i] = texts[i] ? CStringGetTextDatum(texts[i]) : (Datum) 0;
		nulls[i] = texts[i] ? ' ' : 'n';
	}
	vals[10] = heap_copy_tuple_as_datum(tuple, desc);
	nulls[10] = ' ';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_plan(reject_plan(desc->tdtypeid), vals, nulls, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "could not store a rejected row: %s",
			 SPI_result_code_string(ret));
	SPI_finish();
}

/*
 * The probe itself, with its scan keys set: true if a live row is found,
 * with writers in progress waited for.  The row is copied into *copy when
 * copy is not NULL.  slot, of the heap, is left empty.
 */
static bool
index_probe_keys(Relation heap, Relation index, ScanKey keys, int nkeys,
				 ItemPointer exclude, TupleTableSlot *slot, HeapTuple *copy)
{
	SnapshotData dirty;
	IndexScanDesc scan;
	bool		found = false;

retry:
	InitDirtySnapshot(dirty);
#if PG_VERSION_NUM >= 180000
	scan = index_beginscan(heap, index, &dirty, NULL, nkeys, 0);
#else
	scan = index_beginscan(heap, index, &dirty, nkeys, 0);
#endif
	index_rescan(scan, keys, nkeys, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		TransactionId xwait;

		if (exclude && ItemPointerEquals(&slot->tts_tid, exclude))
			continue;
		/* a writer in progress: wait for it to end, then look again */
		xwait = TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
		if (TransactionIdIsValid(xwait))
		{
			ItemPointerData tid = slot->tts_tid;

			index_endscan(scan);
			ExecClearTuple(slot);
			XactLockTableWait(xwait, heap, &tid, XLTW_InsertIndex);
			goto retry;
		}
		if (copy)
			*copy = ExecCopySlotHeapTuple(slot);
		found = true;
		break;
	}
	index_endscan(scan);
	ExecClearTuple(slot);
	return found;
}

HeapTuple
ideal_index_probe(Relation heap, Relation index, int nkeys,
				  const Datum *values, ItemPointer exclude)
{
	ScanKeyData keys[INDEX_MAX_KEYS];
	TupleTableSlot *slot;
	HeapTuple	result = NULL;
	int			i;

	Assert(nkeys <= IndexRelationGetNumberOfKeyAttributes(index));
	for (i = 0; i < nkeys; i++)
	{
		Oid			type = index->rd_opcintype[i];
		Oid			op = get_opfamily_member(index->rd_opfamily[i], type, type,
											 BTEqualStrategyNumber);

		if (!OidIsValid(op))
			elog(ERROR, "no equality operator for column %d of index \"%s\"",
				 i + 1, RelationGetRelationName(index));
		ScanKeyEntryInitialize(&keys[i], 0, i + 1, BTEqualStrategyNumber,
							   InvalidOid, index->rd_indcollation[i],
							   get_opcode(op), values[i]);
	}
	slot = table_slot_create(heap, NULL);
	index_probe_keys(heap, index, keys, nkeys, exclude, slot, &result);
	ExecDropSingleTupleTableSlot(slot);
	return result;
}

/*
 * ideal_index_probe() by relation OIDs for a statement probing the same
 * index row after row.  What does not change between probes is kept in
 * *funcs (allocated in mcxt): the equality functions of the index's first
 * nkeys columns, and a slot over a copy of the heap's descriptor, which
 * holds no resource between probes.  The relations stay locked from the
 * first probe to the end of the transaction, as anything a query reads
 * does, so later probes open them without going to the lock manager.
 * True if a row is found; it is copied into *copy when copy is not NULL.
 */
static bool
probe_cached(Oid relid, Oid indexid, int nkeys, const Datum *values,
			 ItemPointer exclude, struct ProbeFuncs **funcs,
			 MemoryContext mcxt, HeapTuple *copy)
{
	ProbeFuncs *pf = *funcs;
	LOCKMODE	lockmode = pf && pf->locked ? NoLock : AccessShareLock;
	Relation	heap = table_open(relid, lockmode);
	Relation	index = index_open(indexid, lockmode);
	ScanKeyData keys[INDEX_MAX_KEYS];
	bool		found;
	int			i;

	if (pf == NULL || pf->nkeys < nkeys)
	{
		MemoryContext old = MemoryContextSwitchTo(mcxt);

		Assert(nkeys <= IndexRelationGetNumberOfKeyAttributes(index));
		pf = palloc0(sizeof(ProbeFuncs));
		for (i = 0; i < nkeys; i++)
		{
			Oid			type = index->rd_opcintype[i];
			Oid			op = get_opfamily_member(index->rd_opfamily[i], type,
												 type, BTEqualStrategyNumber);

			if (!OidIsValid(op))
				elog(ERROR, "no equality operator for column %d of index \"%s\"",
					 i + 1, RelationGetRelationName(index));
			fmgr_info_cxt(get_opcode(op), &pf->eq[i], mcxt);
			pf->collation[i] = index->rd_indcollation[i];
		}
		pf->nkeys = nkeys;
		pf->slot =
			MakeSingleTupleTableSlot(CreateTupleDescCopy(RelationGetDescr(heap)),
									 table_slot_callbacks(heap));
		MemoryContextSwitchTo(old);
		if (*funcs)
			pf->locked = (*funcs)->locked;
		*funcs = pf;
	}
	pf->locked = true;
	for (i = 0; i < nkeys; i++)
		ScanKeyEntryInitializeWithInfo(&keys[i], 0, i + 1,
									   BTEqualStrategyNumber, InvalidOid,
									   pf->collation[i], &pf->eq[i],
									   values[i]);
	found = index_probe_keys(heap, index, keys, nkeys, exclude, pf->slot,
							 copy);
	index_close(index, NoLock);
	table_close(heap, NoLock);
	return found;
}

/* Look up a row by the first nkeys columns of an index of relation relid. */
static HeapTuple
probe_by_oid(Oid relid, Oid indexid, int nkeys, const Datum *values,
			 ItemPointer exclude, TupleDesc *desc_out)
{
	Relation	heap = table_open(relid, AccessShareLock);
	Relation	index = index_open(indexid, AccessShareLock);
	HeapTuple	t = ideal_index_probe(heap, index, nkeys, values, exclude);

	if (desc_out)
		*desc_out = CreateTupleDescCopy(RelationGetDescr(heap));
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
	return t;
}

static Datum
name_datum(const char *s)
{
	Name		n = (Name) palloc0(NAMEDATALEN);

	namestrcpy(n, s);
	return NameGetDatum(n);
}

static const char *
current_role_name(void)
{
	return GetUserNameFromId(GetUserId(), false);
}

/* ---------------------------------------------------------------- */
/* Handling codes                                                   */
/* ---------------------------------------------------------------- */

/* Handling codes of the grading systems, in their canonical form. */
static const struct
{
	int			system;
	const char *code;
}			handling_codes[] =
{
	{IDEAL_GS_EUROPOL, "H0"},
	{IDEAL_GS_EUROPOL, "H1"},
	{IDEAL_GS_EUROPOL, "H2"},
	{IDEAL_GS_EUROPOL, "H3"},
	{IDEAL_GS_UK3X5X2, "P"},
	{IDEAL_GS_UK3X5X2, "C"},
	{IDEAL_GS_UK5X5X5, "1"},
	{IDEAL_GS_UK5X5X5, "2"},
	{IDEAL_GS_UK5X5X5, "3"},
	{IDEAL_GS_UK5X5X5, "4"},
	{IDEAL_GS_UK5X5X5, "5"},
};

#define N_HANDLING ((int) lengthof(handling_codes))

/* The handling codes a methodology accepts, for details; NULL if none. */
static char *
handling_allowed(IdealMethod *m)
{
	StringInfoData buf;
	int			i,
				n = 0;

	initStringInfo(&buf);
	for (i = 0; i < N_HANDLING; i++)
		if (m->gradings & (1u << handling_codes[i].system))
			appendStringInfo(&buf, "%s%s", n++ ? ", " : "",
							 handling_codes[i].code);
	return n ? buf.data : NULL;
}

/*
 * Parse a handling code: an optional system prefix (EU:, UK3:, UK5:), then
 * a code, in any case; Europol's H3 may be followed by its restriction.
 * Returns the index in handling_codes or -1; *rest gets the H3 text.
 */
static int
handling_parse(const char *s, char **rest)
{
	int			system = 0;
	int			i;

	*rest = NULL;
	if (pg_strncasecmp(s, "EU:", 3) == 0)
		system = IDEAL_GS_EUROPOL, s += 3;
	else if (pg_strncasecmp(s, "UK3:", 4) == 0)
		system = IDEAL_GS_UK3X5X2, s += 4;
	else if (pg_strncasecmp(s, "UK5:", 4) == 0)
		system = IDEAL_GS_UK5X5X5, s += 4;
	for (i = 0; i < N_HANDLING; i++)
	{
		const char *c = handling_codes[i].code;
		size_t		len = strlen(c);
		const char *after = s + len;

		if ((system && handling_codes[i].system != system) ||
			pg_strncasecmp(s, c, len) != 0)
			continue;
		if (*after == 0)
			return i;
		if (strcmp(c, "H3") == 0 &&
			(*after == ':' || *after == ' ' || *after == '-'))
		{
			while (*after == ':' || *after == ' ' || *after == '-')
				after++;
			if (*after)
				*rest = pstrdup(after);
			return i;
		}
	}
	return -1;
}

/*
 * Check the handling column against the methodology and the grading; on
 * success *canonical gets the value to store (NULL for none).
 */
static bool
check_handling(IdealMethod *m, ObsRow *r, const char *handling,
			   bool has_grading, IdealGrading g, char **canonical, Problem *p)
{
	char		from_grading[4] = {0};
	int			gsystem = has_grading ? IDEAL_GRADING_SYSTEM(g) : 0;
	char	   *text = handling ? trimmed(handling) : NULL;
	char	   *rest;
	int			i;

	if (has_grading && IDEAL_GRADING_HANDLING(g) != 0)
		snprintf(from_grading, sizeof(from_grading), "%s%c",
				 gsystem == IDEAL_GS_EUROPOL ? "H" : "",
				 IDEAL_GRADING_HANDLING(g));
	*canonical = NULL;
	if (text == NULL || *text == 0)
	{
		if (from_grading[0])
			*canonical = pstrdup(from_grading);
		return true;
	}
	i = handling_parse(text, &rest);
	if (i < 0)
	{
		char	   *allowed = handling_allowed(m);

		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("invalid handling code \"%s\"", text);
		p->detail = allowed ?
			psprintf("%s Methodology \"%s\" accepts %s.", row_ctx(r),
					 m->code, allowed) :
			psprintf("%s Methodology \"%s\" accepts no handling codes.",
					 row_ctx(r), m->code);
		p->hint = pstrdup("Handling codes come from the grading systems: Europol H0 to H3 (H3 followed by its restriction), UK 3x5x2 P or C, UK 5x5x5 1 to 5.");
		return false;
	}
	if (!(m->gradings & (1u << handling_codes[i].system)))
	{
		char	   *allowed = handling_allowed(m);

		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("handling code \"%s\" is not accepted by methodology \"%s\"",
							  text, m->code);
		p->detail = allowed ?
			psprintf("%s Methodology \"%s\" accepts %s.", row_ctx(r),
					 m->code, allowed) :
			psprintf("%s Methodology \"%s\" accepts no handling codes.",
					 row_ctx(r), m->code);
		p->hint = pstrdup("The accepted grading systems, and with them the handling codes, are listed in ideal.methodology.gradings.");
		return false;
	}
	if (from_grading[0] &&
		(strcmp(from_grading, handling_codes[i].code) != 0 ||
		 handling_codes[i].system != gsystem))
	{
		char		gbuf[IDEAL_GRADING_MAXLEN];

		ideal_grading_format(g, gbuf);
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("handling code \"%s\" contradicts grading \"%s\"",
							  text, gbuf);
		p->detail = psprintf("%s The grading carries handling code %s.",
							 row_ctx(r), from_grading);
		p->hint = pstrdup("Give the handling code once, in the grading or in the handling column, or the same code in both.");
		return false;
	}
	*canonical = rest ? psprintf("%s: %s", handling_codes[i].code, rest) :
		pstrdup(handling_codes[i].code);
	return true;
}

/* ---------------------------------------------------------------- */
/* Observations                                                     */
/* ---------------------------------------------------------------- */

/*
 * True if group ref is described in ideal.subject for cycle and country.
 * A submission lists a group's answers together, so the group found last
 * by this statement is remembered and not looked up again.
 */
static bool
group_exists(ObsAttrs *a, ObsRow *r, const char *ref, int reflen)
{
	Datum		keys[3];

	if (r->country == a->last_country &&
		strncmp(a->last_ref, ref, reflen) == 0 && a->last_ref[reflen] == 0 &&
		col_equals(&r->cycle, a->last_cycle))
		return true;
	keys[0] = r->cycle.d;
	keys[1] = CountryGetDatum(r->country);
	keys[2] = PointerGetDatum(cstring_to_text_with_len(ref, reflen));
	if (!probe_cached(a->subject_rel, a->subject_key, 3, keys, NULL,
					  &a->subject_probe, a->mcxt, NULL))
		return false;
	if (r->cycle.len < sizeof(a->last_cycle) &&
		reflen < sizeof(a->last_ref))
	{
		a->last_country = r->country;
		memcpy(a->last_cycle, r->cycle.p, r->cycle.len);
		a->last_cycle[r->cycle.len] = 0;
		memcpy(a->last_ref, ref, reflen);
		a->last_ref[reflen] = 0;
	}
	return true;
}

/* Fill *p for a cycle that does not exist (ci NULL) or is not open. */
static void
cycle_problem(IdealCycleInfo *ci, const char *cycle, char *ctx,
			  const char *rows, const char *missing_hint, IdealProblem *p)
{
	if (ci == NULL)
	{
		p->sqlstate = ERRCODE_FOREIGN_KEY_VIOLATION;
		p->message = psprintf("cycle \"%s\" does not exist", cycle);
		p->detail = ctx;
		p->hint = pstrdup(missing_hint ? missing_hint :
						  "Cycles are listed in ideal.cycle; a methodology owner opens one with INSERT INTO ideal.cycle (code, methodology).");
		return;
	}
	p->sqlstate = ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
	p->message = psprintf("cycle \"%s\" is %s", cycle,
						  ci->status == 'c' ? "closed" : "published");
	p->detail = ctx;
	p->hint = psprintf("Only open cycles accept new or changed %s.", rows);
}

/*
 * The cycle a row is written into, as ideal_cycle_lookup() gives it, with
 * its row in ideal.cycle share-locked for the rest of the transaction, so that closing the cycle (an update of that row) waits
 * until this load commits or aborts, and a load that comes after a close
 * sees it.  Under READ COMMITTED the lock returns the row's latest
 * version: if its status is not what the cycle map says (closed by a
 * transaction that committed after this statement began), the map takes
 * the locked status, and the row is refused as for any closed cycle.  Under
 * REPEATABLE READ a cycle changed since the snapshot fails here with a
 * serialization error.  The lock is taken as the table's owner (FOR SHARE
 * needs a right that contact points lack), once per cycle and
 * (sub)transaction.  NULL for a cycle that does not exist.
 */
IdealCycleInfo *
ideal_cycle_for_write(const char *code)
{
	static LocalTransactionId lock_lxid = InvalidLocalTransactionId;
	static SubTransactionId lock_subxid = InvalidSubTransactionId;
	static char lock_code[64];
#if PG_VERSION_NUM >= 170000
	LocalTransactionId lxid = MyProc->vxid.lxid;
#else
	LocalTransactionId lxid = MyProc->lxid;
#endif
	SubTransactionId subxid = GetCurrentSubTransactionId();
	Oid			relid;
	Oid			owner;
	Oid			save_userid;
	int			save_sec;
	Relation	rel;
	char		status = 0;
	IdealCycleInfo *ci;

	if (strlen(code) >= sizeof(lock_code))
		return NULL;			/* no such cycle: codes are shorter */
	if (lock_lxid == lxid && lock_subxid == subxid &&
		strcmp(lock_code, code) == 0)
		return ideal_cycle_lookup(code);
	relid = RangeVarGetRelid(makeRangeVar("ideal", "cycle", -1),
							 AccessShareLock, false);
	rel = table_open(relid, NoLock);
	owner = RelationGetForm(rel)->relowner;
	table_close(rel, NoLock);

	GetUserIdAndSecContext(&save_userid, &save_sec);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	PG_TRY();
	{
		Oid			types[1] = {TEXTOID};
		Datum		args[1];
		int			ret;

		args[0] = CStringGetTextDatum(code);
		ret = SPI_execute_with_args("SELECT status FROM ideal.cycle "
									"WHERE code OPERATOR(pg_catalog.=) $1 "
									"FOR SHARE",
									1, types, args, NULL, false, 1);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "could not lock cycle \"%s\": %s", code,
				 SPI_result_code_string(ret));
		if (SPI_processed > 0)
		{
			char	   *st = SPI_getvalue(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1);

			status = st ? st[0] : 0;
		}
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec);
	}
	PG_END_TRY();
	SPI_finish();
	if (status == 0)
		return ideal_cycle_lookup(code);	/* refused as a missing cycle */
	/*
	 * The map is read with the statement's snapshot, older than the lock:
	 * the locked row's status is the one that counts for this transaction
	 * (the map is read anew at the next statement anyway).
	 */
	ci = ideal_cycle_lookup(code);
	if (ci != NULL && ci->status != status)
	{
		ci->status = status;
		ideal_cache_generation++;
	}
	lock_lxid = lxid;
	lock_subxid = subxid;
	strlcpy(lock_code, code, sizeof(lock_code));
	return ci;
}

/*
 * The methodology of an open cycle, or NULL with *p filled: the cycle must
 * exist and be open to take rows (named in the hint: "observations").
 */
IdealMethodEntry *
ideal_open_cycle(const char *cycle, char *ctx, const char *rows,
				 const char *missing_hint, IdealProblem *p)
{
	IdealCycleInfo *ci = ideal_cycle_for_write(cycle);

	if (ci == NULL || ci->status != 'o')
	{
		cycle_problem(ci, cycle, ctx, rows, missing_hint, p);
		return NULL;
	}
	return ci->method;
}

/*
 * ideal_open_cycle() for the row being checked, with its description made
 * only for a message; the cycle of the previous row is reused while the
 * cycle cache has not changed.
 */
static IdealMethodEntry *
row_open_cycle(ObsAttrs *a, ObsRow *r, Problem *p)
{
	IdealCycleInfo *ci;

	if (a->cyc_me != NULL && a->cyc_gen == ideal_cache_generation &&
		a->cyc_len == r->cycle.len &&
		memcmp(a->cyc_code, r->cycle.p, r->cycle.len) == 0)
		return a->cyc_me;
	ci = ideal_cycle_for_write(col_cstr(&r->cycle));
	if (ci == NULL || ci->status != 'o')
	{
		cycle_problem(ci, col_cstr(&r->cycle), row_ctx(r), "observations",
					  NULL, p);
		return NULL;
	}
	a->cyc_me = NULL;
	if (r->cycle.len < sizeof(a->cyc_code))
	{
		a->cyc_me = ci->method;
		a->cyc_gen = ideal_cache_generation;
		a->cyc_len = r->cycle.len;
		memcpy(a->cyc_code, r->cycle.p, r->cycle.len);
	}
	return ci->method;
}

/* False with *p filled when the country is not a member of me. */
bool
ideal_check_member(IdealMethodEntry *me, int country,
				   const char *country_text, char *ctx, const char *why,
				   IdealProblem *p)
{
	if (me->member[country])
		return true;
	p->sqlstate = ERRCODE_CHECK_VIOLATION;
	p->message = psprintf("country %s is not a member of methodology \"%s\"",
						  country_text, me->code);
	p->detail = ctx;
	p->hint = psprintf("Members are listed in ideal.member; %s.", why);
	return false;
}

/*
 * ideal_lookup_label() through the statement's memo of spellings (an
 * intake view's row is a statement of its own, and short statements do not
 * pay for the memo: both look up directly).
 */
static int
lookup_spelling(ObsAttrs *a, IdealMethodEntry *me, int ns, int scale,
				const char *s, int len)
{
	SpellSlot  *e;
	uint32		h;
	int			idx;

	if (len == 0 || len > SPELL_MAXLEN || a->rows <= SPELL_AFTER ||
		ideal_intake_current != NULL)
		return ideal_lookup_label(me, ns, scale, s, len);
	if (a->spell == NULL)
		a->spell = MemoryContextAllocZero(a->mcxt,
										  sizeof(SpellSlot) * SPELL_SLOTS);
	h = hash_bytes((const unsigned char *) s, len) ^
		((uint32) ns << 24) ^ ((uint32) scale * 0x9E3779B1u);
	e = &a->spell[h & (SPELL_SLOTS - 1)];
	if (e->me == me && e->ns == ns && e->scale == scale && e->len == len &&
		memcmp(e->raw, s, len) == 0)
		return e->index;
	idx = ideal_lookup_label(me, ns, scale, s, len);
	e->me = me;
	e->ns = (int16) ns;
	e->scale = (int16) scale;
	e->index = idx;
	e->len = (uint8) len;
	memcpy(e->raw, s, len);
	return idx;
}

/* A constant string as a text datum kept for the statement. */
static Datum
statement_text(ObsAttrs *a, const char *s)
{
	MemoryContext old = MemoryContextSwitchTo(a->mcxt);
	Datum		d = CStringGetTextDatum(s);

	MemoryContextSwitchTo(old);
	return d;
}

/* The name of a subject kind as text, made once a statement. */
static Datum
kind_text(ObsAttrs *a, IdealKind kind)
{
	if (a->kind_text[kind] == (Datum) 0)
		a->kind_text[kind] = statement_text(a, ideal_kind_name(kind));
	return a->kind_text[kind];
}

/* The code of indicator i of me as text, made once a statement. */
static Datum
code_text(ObsAttrs *a, IdealMethodEntry *me, int i)
{
	if (a->code_me != me)
	{
		if (a->code_text)
			pfree(a->code_text);
		a->code_text = MemoryContextAllocZero(a->mcxt, sizeof(Datum) *
											  me->m->nindicators);
		a->code_me = me;
	}
	if (a->code_text[i] == (Datum) 0)
		a->code_text[i] = statement_text(a, me->m->indicators[i].code);
	return a->code_text[i];
}

/*
 * True if an inserted row is certainly the first answer to its question, so
 * that the probe of the answer key can be skipped.  A submission lists a
 * subject's answers together: the index is probed once for the subject as
 * a whole, and while it held none of its answers then, the answers this
 * statement gave it since are known here.  Anything else (an update, a
 * subject with stored answers, a name too long to remember, a row from an
 * intake view) is probed row by row; the unique index stays the last word
 * in any case.
 */
static bool
first_answer(ObsAttrs *a, IdealMethodEntry *me, ObsRow *r,
			 IdealIndicator *ind, const char *subject, int subjlen,
			 Datum subject_d, ItemPointer old)
{
	int			i = ind - me->m->indicators;

	/*
	 * An intake view inserts each row by a statement of its own, so nothing
	 * here outlives a row there: probe as before.
	 */
	if (old != NULL || ideal_intake_current != NULL)
		return false;
	if (a->subj_me != me || a->subj_country != r->country ||
		a->subj_kind != (int) ind->kind ||
		strncmp(a->subj_ref, subject, subjlen) != 0 ||
		a->subj_ref[subjlen] != 0 || !col_equals(&r->cycle, a->subj_cycle))
	{
		Datum		keys[4];

		if (r->cycle.len >= sizeof(a->subj_cycle) ||
			subjlen >= sizeof(a->subj_ref))
		{
			a->subj_me = NULL;
			return false;
		}
		if (a->subj_me != me)
		{
			if (a->subj_answered)
				pfree(a->subj_answered);
			a->subj_answered =
				MemoryContextAllocZero(a->mcxt,
									   sizeof(bool) * me->m->nindicators);
		}
		else
			memset(a->subj_answered, 0, sizeof(bool) * me->m->nindicators);
		a->subj_me = me;
		a->subj_country = r->country;
		a->subj_kind = (int) ind->kind;
		memcpy(a->subj_cycle, r->cycle.p, r->cycle.len);
		a->subj_cycle[r->cycle.len] = 0;
		memcpy(a->subj_ref, subject, subjlen);
		a->subj_ref[subjlen] = 0;
		keys[0] = r->cycle.d;
		keys[1] = CountryGetDatum(r->country);
		keys[2] = kind_text(a, ind->kind);
		keys[3] = subject_d;
		a->subj_fresh = !probe_cached(a->relid, a->answer_key, 4, keys, NULL,
									  &a->answer_probe, a->mcxt, NULL);
	}
	if (!a->subj_fresh || a->subj_answered[i])
		return false;
	a->subj_answered[i] = true;
	return true;
}

/* Bytes of s[0..*len) without surrounding blanks, as trimmed() cuts. */
static const char *
trim_bytes(const char *s, int *len)
{
	int			n = *len;

	while (n > 0 && isspace((unsigned char) *s))
		s++, n--;
	while (n > 0 && isspace((unsigned char) s[n - 1]))
		n--;
	*len = n;
	return s;
}

/*
 * Check and normalise one row, deformed in r.  Puts the normalised values
 * into r->vals and r->nulls; returns false with *p filled when the row is
 * not acceptable.  old is the row's location on UPDATE, so that it is not
 * its own second answer.
 *
 * Every message is as it was when the row's texts were all copied first:
 * the copies and the row's description are now made only for a message.
 */
static bool
check_row(Relation rel, ObsRow *r, ObsAttrs *a, Problem *p, ItemPointer old)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *vals = r->vals;
	bool	   *nulls = r->nulls;
	char	   *handling_out;
	bool		has_grading;
	IdealGrading g = 0;
	IdealMethod *m;
	IdealMethodEntry *me;
	IdealIndicator *ind;
	IdealScale *s;
	int			idx;
	double		value = 0;
	bool		unknown = false;
	bool		has_value = true;
	const char *subject;		/* canonical */
	int			subjlen;
	Datum		subject_d;

	col_text(&r->cycle, vals, nulls, a->cycle);
	col_text(&r->subject, vals, nulls, a->subject);
	col_text(&r->indicator, vals, nulls, a->indicator);
	col_text(&r->answer, vals, nulls, a->answer);
	col_text(&r->kind, vals, nulls, a->kind);
	col_text(&r->handling, vals, nulls, a->handling);
	r->has_country = !nulls[a->country - 1];
	r->country = r->has_country ? DatumGetCountry(vals[a->country - 1]) : 0;
	r->country_text = NULL;
	r->ctx = NULL;

	if (r->cycle.p == NULL || !r->has_country || r->subject.p == NULL ||
		r->indicator.p == NULL || r->answer.p == NULL)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = psprintf("observation has no %s",
							  r->cycle.p == NULL ? "cycle" :
							  !r->has_country ? "country" :
							  r->subject.p == NULL ? "subject" :
							  r->indicator.p == NULL ? "indicator" : "answer");
		p->detail = row_ctx(r);
		p->hint = pstrdup("Every observation needs a cycle, a country, a subject, an indicator and an answer; write \"unknown\" where the scale allows it.");
		return false;
	}

	me = row_open_cycle(a, r, p);
	if (me == NULL)
		return false;
	if (!me->member[r->country] &&
		!ideal_check_member(me, r->country, row_country(r), row_ctx(r),
							"only members submit observations", p))
		return false;
	m = me->m;

	idx = lookup_spelling(a, me, IDEAL_NS_INDICATOR, 0, r->indicator.p,
						  r->indicator.len);
	if (idx < 0)
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("unknown indicator \"%s\" in methodology \"%s\"",
							  col_cstr(&r->indicator), m->code);
		p->detail = row_ctx(r);
		p->hint = pstrdup("Give an indicator's code or one of its labels in any of the methodology's languages; they are listed in ideal.indicator.");
		return false;
	}
	ind = &m->indicators[idx];
	s = &m->scales[ind->scale];

	if (r->kind.p && !col_equals(&r->kind, ideal_kind_name(ind->kind)))
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("indicator \"%s\" is about subjects of kind %s, not %s",
							  ind->code, ideal_kind_name(ind->kind),
							  col_cstr(&r->kind));
		p->detail = row_ctx(r);
		p->hint = pstrdup("Leave subject_kind empty to take it from the indicator.");
		return false;
	}

	/* the subject, in its canonical form */
	if (ind->kind == IDEAL_KIND_COUNTRY)
	{
		int			sc = ideal_country_parse(r->subject.p, r->subject.len);

		if (sc == 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("subject \"%s\" is not a country",
								  col_cstr(&r->subject));
			p->detail = psprintf("%s Indicator \"%s\" is about countries.",
								 row_ctx(r), ind->code);
			p->hint = pstrdup("Give the country as an ISO 3166-1 code: \"MX\", \"MEX\" or \"484\".");
			return false;
		}
		subject = ideal_country_by_numeric(sc)->alpha2;
		subjlen = strlen(subject);
	}
	else if (ind->kind == IDEAL_KIND_CRIME_AREA)
	{
		int			ca = lookup_spelling(a, me, IDEAL_NS_CRIME_AREA, 0,
										 r->subject.p, r->subject.len);

		if (ca < 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("unknown crime area \"%s\" in methodology \"%s\"",
								  col_cstr(&r->subject), m->code);
			p->detail = psprintf("%s Indicator \"%s\" is about crime areas.",
								 row_ctx(r), ind->code);
			p->hint = pstrdup("Give a crime area's code or one of its labels; they are listed in ideal.crime_area.");
			return false;
		}
		subject = m->crime_areas[ca].code;
		subjlen = strlen(subject);
	}
	else
	{
		subjlen = r->subject.len;
		subject = trim_bytes(r->subject.p, &subjlen);
		if (subjlen == 0)
		{
			p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
			p->message = pstrdup("observation has an empty subject");
			p->detail = row_ctx(r);
			p->hint = pstrdup("Give the group's reference as the subject.");
			return false;
		}
		if (!group_exists(a, r, subject, subjlen))
		{
			p->sqlstate = ERRCODE_FOREIGN_KEY_VIOLATION;
			p->message = psprintf("group \"%s\" is not a subject of country %s in cycle \"%s\"",
								  pnstrdup(subject, subjlen), row_country(r),
								  col_cstr(&r->cycle));
			p->detail = row_ctx(r);
			p->hint = pstrdup("Describe the group in ideal.subject (or load it through ideal.subject_intake) before its answers.");
			return false;
		}
	}
	/* the submitted text itself where it is already canonical */
	if (subjlen == r->subject.len &&
		memcmp(subject, r->subject.p, subjlen) == 0)
		subject_d = r->subject.d;
	else
		subject_d = PointerGetDatum(cstring_to_text_with_len(subject,
															 subjlen));

	/* the answer on the indicator's scale */
	idx = (s->ordinal || s->has_unknown) ?
		lookup_spelling(a, me, IDEAL_NS_LEVEL, ind->scale, r->answer.p,
						r->answer.len) : -2;
	if (idx == -1)
	{
		if (!ind->allow_unknown)
		{
			p->sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED;
			p->message = psprintf("indicator \"%s\" does not accept unknown",
								  ind->code);
			p->detail = psprintf("%s Answer \"%s\"; allowed: %s.", row_ctx(r),
								 col_cstr(&r->answer), scale_allows(m, ind));
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
								  col_cstr(&r->answer), ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", row_ctx(r),
								 s->code, scale_allows(m, ind));
			p->hint = pstrdup("Labels in any of the methodology's languages are accepted, in any case, with or without accents.");
			return false;
		}
		value = s->levels[idx].value;
	}
	else
	{
		char	   *answer = col_cstr(&r->answer);

		if (!parse_number(answer, &value))
		{
			p->sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;
			p->message = psprintf("answer \"%s\" to indicator \"%s\" is not a number",
								  answer, ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", row_ctx(r),
								 s->code, scale_allows(m, ind));
			p->hint = pstrdup("Write numbers with a decimal point or a decimal comma and no thousands separators.");
			return false;
		}
		if (value < s->min || value > s->max)
		{
			p->sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			p->message = psprintf("answer %s to indicator \"%s\" is out of range",
								  answer, ind->code);
			p->detail = psprintf("%s Scale \"%s\" accepts %s.", row_ctx(r),
								 s->code, scale_allows(m, ind));
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
				p->detail = psprintf("%s Scale \"%s\" accepts %s.", row_ctx(r),
									 s->code, scale_allows(m, ind));
				p->hint = psprintf("Round the value to a multiple of %g from %g.",
								   s->step, s->min);
				return false;
			}
		}
	}

	has_grading = !nulls[a->grading - 1];
	if (has_grading)
	{
		int			system;

		g = DatumGetGrading(vals[a->grading - 1]);
		system = IDEAL_GRADING_SYSTEM(g);
		if (!(m->gradings & (1u << system)))
		{
			char		gbuf[IDEAL_GRADING_MAXLEN];

			ideal_grading_format(g, gbuf);
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("grading system %s is not accepted by methodology \"%s\"",
								  ideal_grading_system_name(system), m->code);
			p->detail = psprintf("%s Grading \"%s\".", row_ctx(r), gbuf);
			p->hint = pstrdup("The accepted systems are listed in ideal.methodology.gradings.");
			return false;
		}
	}
	if (!check_handling(m, r, col_cstr(&r->handling), has_grading, g,
						&handling_out, p))
		return false;

	/* no second answer to the same question */
	if (!first_answer(a, me, r, ind, subject, subjlen, subject_d, old))
	{
		Datum		keys[5];
		HeapTuple	found = NULL;

		keys[0] = r->cycle.d;
		keys[1] = CountryGetDatum(r->country);
		keys[2] = kind_text(a, ind->kind);
		keys[3] = subject_d;
		keys[4] = code_text(a, me, ind - m->indicators);
		if (probe_cached(a->relid, a->answer_key, 5, keys, old,
						 &a->answer_probe, a->mcxt, &found))
		{
			char	   *stored = get_text(found, desc, a->answer);
			char	   *subj = pnstrdup(subject, subjlen);

			p->sqlstate = ERRCODE_UNIQUE_VIOLATION;
			p->message = psprintf("indicator \"%s\" is already answered for subject \"%s\"",
								  ind->code, subj);
			/* under row-level security the stored row may not be ours */
			if (check_enable_rls(a->relid, InvalidOid, true) == RLS_ENABLED)
				p->detail = psprintf("%s Answer \"%s\"; an answer is already stored.",
									 row_ctx(r), col_cstr(&r->answer));
			else
				p->detail = psprintf("%s Answer \"%s\"; the stored answer is \"%s\".",
									 row_ctx(r), col_cstr(&r->answer),
									 stored ? stored : "");
			p->hint = pstrdup("A cycle, country, subject and indicator take one answer: correct the stored one with UPDATE ideal.observation, or delete it before loading the new one.");
			return false;
		}
	}

	/* what an intake view needs to name a second answer found on insert */
	if (ideal_intake_current)
	{
		strlcpy(ideal_intake_current->key[0], ind->code,
				sizeof(ideal_intake_current->key[0]));
		strlcpy(ideal_intake_current->key[1], pnstrdup(subject, subjlen),
				sizeof(ideal_intake_current->key[1]));
	}
	/* the submitted text itself where it is already the code */
	vals[a->indicator - 1] = col_equals(&r->indicator, ind->code) ?
		r->indicator.d : code_text(a, me, ind - m->indicators);
	vals[a->kind - 1] = kind_text(a, ind->kind);
	nulls[a->kind - 1] = false;
	vals[a->subject - 1] = subject_d;
	vals[a->value - 1] = Float8GetDatum(value);
	nulls[a->value - 1] = !has_value;
	vals[a->unknown - 1] = BoolGetDatum(unknown);
	nulls[a->unknown - 1] = false;
	vals[a->handling - 1] = handling_out ?
		CStringGetTextDatum(handling_out) : (Datum) 0;
	nulls[a->handling - 1] = handling_out == NULL;
	return true;
}

/* Keep a refused observation, whole and as submitted, in ideal.rejected. */
static void
store_rejected(Relation rel, HeapTuple tuple, ObsAttrs *a, Problem *p)
{
	TupleDesc	desc = RelationGetDescr(rel);
	const char *fields[5];

	fields[0] = get_text(tuple, desc, a->cycle);
	fields[1] = get_country(tuple, desc, a->country);
	fields[2] = get_text(tuple, desc, a->subject);
	fields[3] = get_text(tuple, desc, a->indicator);
	fields[4] = get_text(tuple, desc, a->answer);
	ideal_store_rejected(ideal_relation_name(rel), fields, p, tuple, desc);
}

/* The error raised for any change to a closed or published cycle's rows. */
static void
refuse_closed(const char *cycle, char status, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("cycle \"%s\" is %s", cycle,
					status == 'c' ? "closed" : "published"),
			 errdetail("%s of closed and published cycles cannot be changed or deleted.",
					   what),
			 errhint("A correction belongs in a new cycle.")));
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
	HeapTuple	result;
	Problem		p;
	ObsRow		row;
	Datum		vbuf[32];
	bool		nbuf[32];
	bool		is_update;

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
	is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);

	/* rows of closed and published cycles never change or go */
	if (is_update || TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		char	   *cycle = get_text(td->tg_trigtuple, desc, a->cycle);
		IdealCycleInfo *ci = cycle ? ideal_cycle_for_write(cycle) : NULL;

		if (ci && ci->status != 'o')
			refuse_closed(cycle, ci->status, "Observations");
		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			return PointerGetDatum(td->tg_trigtuple);
	}

	tuple = is_update ? td->tg_newtuple : td->tg_trigtuple;
	/* the row is deformed once: read in place, then formed anew */
	a->rows++;
	row.vals = desc->natts <= lengthof(vbuf) ? vbuf :
		palloc(sizeof(Datum) * desc->natts);
	row.nulls = desc->natts <= lengthof(nbuf) ? nbuf :
		palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(tuple, desc, row.vals, row.nulls);
	/* a restored row (ideal_restored_row), read from the deformed row */
	if (a->checked && restored_value(td, row.nulls[a->checked - 1],
									 row.vals[a->checked - 1]))
		return PointerGetDatum(tuple);
	if (check_row(rel, &row, a, &p,
				  is_update ? &td->tg_trigtuple->t_self : NULL))
	{
		/* a changed answer is a new version: by whom, since when */
		if (is_update)
		{
			row.vals[a->loaded_at - 1] =
				TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
			row.nulls[a->loaded_at - 1] = false;
			row.vals[a->loaded_by - 1] = name_datum(current_role_name());
			row.nulls[a->loaded_by - 1] = false;
		}
		if (a->checked)
		{
			row.vals[a->checked - 1] = BoolGetDatum(true);
			row.nulls[a->checked - 1] = false;
		}
		/* what heap_modify_tuple() would give */
		result = heap_form_tuple(desc, row.vals, row.nulls);
		result->t_data->t_ctid = tuple->t_data->t_ctid;
		result->t_self = tuple->t_self;
		result->t_tableOid = tuple->t_tableOid;
		return PointerGetDatum(result);
	}

	if (ideal_on_invalid == IDEAL_ON_INVALID_REJECT &&
		TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		store_rejected(rel, tuple, a, &p);
		return PointerGetDatum(NULL);
	}
	ideal_raise(&p);
	return PointerGetDatum(NULL);	/* not reached */
}

/* ---------------------------------------------------------------- */
/* Groups (ideal.subject)                                           */
/* ---------------------------------------------------------------- */

typedef struct SubjAttrs
{
	Oid			relid;
	int			natts;
	int			cycle;
	int			country;
	int			ref;
	int			aliases;
	int			typology;
	int			primary_area;
	int			crime_areas;
	int			operates_in;
	int			loaded_at;
	int			loaded_by;
	int			checked;		/* 0 before 0.2.0 */
	Oid			subject_key;	/* primary key of ideal.subject */
	Oid			obs_rel;		/* ideal.observation */
	Oid			answer_key;		/* its observation_answer_key */
} SubjAttrs;

static SubjAttrs *
get_subj_attrs(FunctionCallInfo fcinfo, Relation rel)
{
	SubjAttrs  *a = (SubjAttrs *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	const char *fn = "ideal.subject_check()";

	if (a && a->relid == RelationGetRelid(rel) && a->natts == desc->natts)
		return a;
	a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SubjAttrs));
	a->relid = RelationGetRelid(rel);
	a->natts = desc->natts;
	a->cycle = attnum(desc, "cycle", fn);
	a->country = attnum(desc, "country", fn);
	a->ref = attnum(desc, "ref", fn);
	a->aliases = attnum(desc, "aliases", fn);
	a->typology = attnum(desc, "typology", fn);
	a->primary_area = attnum(desc, "primary_area", fn);
	a->crime_areas = attnum(desc, "crime_areas", fn);
	a->operates_in = attnum(desc, "operates_in", fn);
	a->loaded_at = attnum(desc, "loaded_at", fn);
	a->loaded_by = attnum(desc, "loaded_by", fn);
	a->checked = ideal_checked_attnum(desc);
	a->subject_key = sibling(rel, "subject_pkey");
	a->obs_rel = sibling(rel, "observation");
	a->answer_key = sibling(rel, "observation_answer_key");
	fcinfo->flinfo->fn_extra = a;
	return a;
}

/* Elements of a one-dimensional array column; NULL elements kept. */
static int
array_elements(HeapTuple tuple, TupleDesc desc, int att, Datum **elems,
			   bool **enulls, Oid *elemtype)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, att, desc, &isnull);
	ArrayType  *arr;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			n;

	*elems = NULL;
	*enulls = NULL;
	*elemtype = get_element_type(TupleDescAttr(desc, att - 1)->atttypid);
	if (isnull)
		return 0;
	arr = DatumGetArrayTypeP(d);
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  elems, enulls, &n);
	return n;
}

static char *
group_context(const char *cycle, const char *country, const char *ref)
{
	return psprintf("Group: cycle \"%s\", country %s, reference \"%s\".",
					cycle ? cycle : "", country ? country : "(none)",
					ref ? ref : "");
}

/* Look up a crime area by code or label; -1 if unknown. */
static int
crime_area_index(IdealMethodEntry *me, const char *text)
{
	int			i = ideal_lookup_label(me, IDEAL_NS_CRIME_AREA, 0, text,
									   strlen(text));

	return i < 0 ? -1 : i;
}

/* Number of known crime areas a text names when split at , ; | / + */
static int
count_named_areas(IdealMethodEntry *me, const char *text)
{
	char	   *copy = pstrdup(text);
	char	   *tok;
	char	   *save = NULL;
	int			parts = 0,
				known = 0;

	for (tok = strtok_r(copy, ",;|/+", &save); tok;
		 tok = strtok_r(NULL, ",;|/+", &save))
	{
		char	   *t = trimmed(tok);

		if (*t == 0)
			continue;
		parts++;
		if (crime_area_index(me, t) >= 0)
			known++;
	}
	return parts >= 2 && parts == known ? known : 0;
}

static void
unknown_area(Problem *p, IdealMethod *m, const char *ctx, const char *area)
{
	p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
	p->message = psprintf("unknown crime area \"%s\" in methodology \"%s\"",
						  area, m->code);
	p->detail = psprintf("%s Known crime areas: %s.", ctx,
						 codes_list(m->crime_areas, m->ncrime_areas));
	p->hint = pstrdup("Give a crime area's code or one of its labels in any of the methodology's languages; they are listed in ideal.crime_area.");
}

/*
 * Check and normalise one group.  Returns false with *p filled when it is
 * not acceptable.
 */
static bool
check_subject(Relation rel, HeapTuple tuple, SubjAttrs *a, Problem *p,
			  Datum *vals, bool *nulls, bool *repl, ItemPointer old)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *cycle = get_text(tuple, desc, a->cycle);
	char	   *country_text = get_country(tuple, desc, a->country);
	char	   *ref = get_text(tuple, desc, a->ref);
	char	   *typology = get_text(tuple, desc, a->typology);
	char	   *primary = get_text(tuple, desc, a->primary_area);
	char	   *ctx = group_context(cycle, country_text, ref);
	IdealMethodEntry *me;
	IdealMethod *m;
	int			country = 0;
	int			primary_index = -1;
	Datum	   *elems;
	bool	   *enulls;
	Oid			elemtype;
	int			n,
				i,
				j,
				kept;
	bool		isnull;

	if (cycle == NULL || country_text == NULL || ref == NULL)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = psprintf("group has no %s",
							  cycle == NULL ? "cycle" :
							  country_text == NULL ? "country" : "reference");
		p->detail = ctx;
		p->hint = pstrdup("Every group needs a cycle, the reporting country and a reference unique within that country and cycle.");
		return false;
	}
	country = DatumGetCountry(heap_getattr(tuple, a->country, desc, &isnull));
	ref = trimmed(ref);
	if (*ref == 0)
	{
		p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
		p->message = pstrdup("group has an empty reference");
		p->detail = ctx;
		p->hint = pstrdup("Give each group a reference unique within its country and cycle, such as \"MX-001\".");
		return false;
	}
	ctx = group_context(cycle, country_text, ref);

	me = ideal_open_cycle(cycle, ctx, "groups", NULL, p);
	if (me == NULL ||
		!ideal_check_member(me, country, country_text, ctx,
							"only members submit groups", p))
		return false;
	m = me->m;
	if (!(m->kinds & (1u << IDEAL_KIND_GROUP)))
	{
		p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		p->message = psprintf("methodology \"%s\" assesses no criminal groups",
							  m->code);
		p->detail = ctx;
		p->hint = pstrdup("Groups are described only in cycles whose methodology has group indicators; crime areas and countries need no description.");
		return false;
	}

	/* typology: optional; a code or label of the methodology */
	if (typology)
	{
		char	   *t = trimmed(typology);

		if (*t == 0)
			typology = NULL;
		else if (m->ntypologies == 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("methodology \"%s\" defines no typologies",
								  m->code);
			p->detail = psprintf("%s Typology \"%s\".", ctx, t);
			p->hint = pstrdup("Leave the typology empty for this methodology.");
			return false;
		}
		else
		{
			int			ti = ideal_lookup_label(me, IDEAL_NS_TYPOLOGY, 0, t,
												strlen(t));

			if (ti < 0)
			{
				p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
				p->message = psprintf("unknown typology \"%s\" in methodology \"%s\"",
									  t, m->code);
				p->detail = psprintf("%s Known typologies: %s.", ctx,
									 codes_list(m->typologies, m->ntypologies));
				p->hint = pstrdup("Give a typology's code or one of its labels in any of the methodology's languages; they are listed in ideal.typology.");
				return false;
			}
			typology = pstrdup(m->typologies[ti].code);
		}
	}

	/* exactly one primary crime area, where the methodology has them */
	if (primary)
	{
		primary = trimmed(primary);
		if (*primary == 0)
			primary = NULL;
	}
	n = array_elements(tuple, desc, a->crime_areas, &elems, &enulls,
					   &elemtype);
	if (m->ncrime_areas == 0)
	{
		if (primary || n > 0)
		{
			p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			p->message = psprintf("methodology \"%s\" defines no crime areas",
								  m->code);
			p->detail = psprintf("%s Crime area \"%s\".", ctx,
								 primary ? primary :
								 (enulls[0] ? "" : TextDatumGetCString(elems[0])));
			p->hint = pstrdup("Leave primary_area and crime_areas empty for this methodology.");
			return false;
		}
	}
	else
	{
		if (primary == NULL)
		{
			p->sqlstate = ERRCODE_NOT_NULL_VIOLATION;
			p->message = psprintf("group \"%s\" has no primary crime area", ref);
			p->detail = ctx;
			p->hint = pstrdup("Every group has exactly one primary crime area; list its other crime areas in crime_areas.");
			return false;
		}
		primary_index = crime_area_index(me, primary);
		if (primary_index < 0)
		{
			int			k = count_named_areas(me, primary);

			if (k >= 2)
			{
				p->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
				p->message = psprintf("group \"%s\" has more than one primary crime area",
									  ref);
				p->detail = psprintf("%s Primary crime area \"%s\" names %d crime areas.",
									 ctx, primary, k);
				p->hint = pstrdup("Put the one main crime area in primary_area and the others in crime_areas.");
				return false;
			}
			unknown_area(p, m, ctx, primary);
			return false;
		}
		/* other crime areas: known, as codes, once, without the primary */
		{
			Datum	   *out = palloc(sizeof(Datum) * (n + 1));
			bool	   *seen = palloc0(sizeof(bool) * m->ncrime_areas);

			seen[primary_index] = true;
			kept = 0;
			for (i = 0; i < n; i++)
			{
				char	   *t;
				int			k;

				if (enulls[i])
					continue;
				t = trimmed(TextDatumGetCString(elems[i]));
				if (*t == 0)
					continue;
				k = crime_area_index(me, t);
				if (k < 0)
				{
					unknown_area(p, m, ctx, t);
					return false;
				}
				if (seen[k])
					continue;
				seen[k] = true;
				out[kept++] = CStringGetTextDatum(m->crime_areas[k].code);
			}
			vals[a->crime_areas - 1] =
				PointerGetDatum(construct_array(out, kept, TEXTOID, -1, false,
												TYPALIGN_INT));
			repl[a->crime_areas - 1] = true;
		}
		primary = pstrdup(m->crime_areas[primary_index].code);
	}

	/* countries of operation: no nulls, each once */
	n = array_elements(tuple, desc, a->operates_in, &elems, &enulls,
					   &elemtype);
	if (n > 0)
	{
		Datum	   *out = palloc(sizeof(Datum) * n);
		int16		typlen;
		bool		typbyval;
		char		typalign;

		kept = 0;
		for (i = 0; i < n; i++)
		{
			if (enulls[i])
			{
				p->sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED;
				p->message = psprintf("countries of operation of group \"%s\" include a null",
									  ref);
				p->detail = ctx;
				p->hint = pstrdup("List the countries as ISO 3166-1 codes, such as {MX,GT,US}.");
				return false;
			}
			for (j = 0; j < kept; j++)
				if (DatumGetCountry(out[j]) == DatumGetCountry(elems[i]))
					break;
			if (j == kept)
				out[kept++] = elems[i];
		}
		get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
		vals[a->operates_in - 1] =
			PointerGetDatum(construct_array(out, kept, elemtype, typlen,
											typbyval, typalign));
		repl[a->operates_in - 1] = true;
	}

	/* aliases: trimmed, non-empty, each once */
	n = array_elements(tuple, desc, a->aliases, &elems, &enulls, &elemtype);
	if (n > 0)
	{
		Datum	   *out = palloc(sizeof(Datum) * n);
		char	  **texts = palloc(sizeof(char *) * n);

		kept = 0;
		for (i = 0; i < n; i++)
		{
			char	   *t;

			if (enulls[i])
				continue;
			t = trimmed(TextDatumGetCString(elems[i]));
			if (*t == 0)
				continue;
			for (j = 0; j < kept; j++)
				if (strcmp(texts[j], t) == 0)
					break;
			if (j < kept)
				continue;
			texts[kept] = t;
			out[kept++] = CStringGetTextDatum(t);
		}
		vals[a->aliases - 1] =
			PointerGetDatum(construct_array(out, kept, TEXTOID, -1, false,
											TYPALIGN_INT));
		repl[a->aliases - 1] = true;
	}

	/* the reference is unique within its country and cycle */
	{
		Datum		keys[3];

		keys[0] = CStringGetTextDatum(cycle);
		keys[1] = CountryGetDatum(country);
		keys[2] = CStringGetTextDatum(ref);
		if (probe_by_oid(a->relid, a->subject_key, 3, keys, old, NULL))
		{
			p->sqlstate = ERRCODE_UNIQUE_VIOLATION;
			p->message = psprintf("group \"%s\" is already described for country %s in cycle \"%s\"",
								  ref, country_text, cycle);
			p->detail = ctx;
			p->hint = pstrdup("A reference names one group per country and cycle: change the stored group with UPDATE ideal.subject, or give this one another reference.");
			return false;
		}
	}

	vals[a->ref - 1] = CStringGetTextDatum(ref);
	repl[a->ref - 1] = true;
	vals[a->typology - 1] = typology ?
		CStringGetTextDatum(typology) : (Datum) 0;
	nulls[a->typology - 1] = typology == NULL;
	repl[a->typology - 1] = true;
	vals[a->primary_area - 1] = primary ? CStringGetTextDatum(primary) :
		(Datum) 0;
	nulls[a->primary_area - 1] = primary == NULL;
	repl[a->primary_area - 1] = true;
	return true;
}

/* True if observations of group ref exist in cycle for country. */
static bool
group_has_observations(SubjAttrs *a, HeapTuple tuple, TupleDesc desc)
{
	Datum		keys[4];
	bool		isnull;

	keys[0] = heap_getattr(tuple, a->cycle, desc, &isnull);
	keys[1] = heap_getattr(tuple, a->country, desc, &isnull);
	keys[2] = CStringGetTextDatum(ideal_kind_name(IDEAL_KIND_GROUP));
	keys[3] = heap_getattr(tuple, a->ref, desc, &isnull);
	return probe_by_oid(a->obs_rel, a->answer_key, 4, keys, NULL,
						NULL) != NULL;
}

/*
 * ideal.subject_check(): BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW on
 * ideal.subject.
 */
Datum
ideal_subject_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	SubjAttrs  *a;
	HeapTuple	tuple;
	Problem		p;
	Datum	   *vals;
	bool	   *nulls;
	bool	   *repl;
	bool		is_update;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.subject_check() must be fired as a BEFORE ... FOR EACH ROW trigger")));
	rel = td->tg_relation;
	desc = RelationGetDescr(rel);
	a = get_subj_attrs(fcinfo, rel);
	is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	if (ideal_restored_row(td, a->checked))
		return PointerGetDatum(td->tg_trigtuple);

	if (is_update || TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		HeapTuple	old = td->tg_trigtuple;
		char	   *cycle = get_text(old, desc, a->cycle);
		IdealCycleInfo *ci;
		bool		key_kept = false;

		ci = cycle ? ideal_cycle_for_write(cycle) : NULL;

		if (ci && ci->status != 'o')
			refuse_closed(cycle, ci->status, "Groups");
		if (is_update)
		{
			HeapTuple	new = td->tg_newtuple;
			char	   *nref = get_text(new, desc, a->ref);
			char	   *oref = get_text(old, desc, a->ref);
			char	   *ncycle = get_text(new, desc, a->cycle);
			char	   *nctry = get_country(new, desc, a->country);
			char	   *octry = get_country(old, desc, a->country);

			key_kept = nref && ncycle && nctry && octry && oref &&
				strcmp(trimmed(nref), oref) == 0 &&
				strcmp(ncycle, cycle) == 0 && strcmp(nctry, octry) == 0;
		}
		if (!key_kept && group_has_observations(a, old, desc))
		{
			char	   *ref = get_text(old, desc, a->ref);
			char	   *ctry = get_country(old, desc, a->country);

			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg("group \"%s\" has observations", ref),
					 errdetail("%s", group_context(cycle, ctry, ref)),
					 errhint("Delete the group's observations first, or keep its reference, cycle and country.")));
		}
		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			return PointerGetDatum(old);
	}

	tuple = is_update ? td->tg_newtuple : td->tg_trigtuple;
	vals = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc0(sizeof(bool) * desc->natts);
	repl = palloc0(sizeof(bool) * desc->natts);
	if (check_subject(rel, tuple, a, &p, vals, nulls, repl,
					  is_update ? &td->tg_trigtuple->t_self : NULL))
	{
		if (is_update)
		{
			vals[a->loaded_at - 1] =
				TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
			repl[a->loaded_at - 1] = true;
			vals[a->loaded_by - 1] = name_datum(current_role_name());
			repl[a->loaded_by - 1] = true;
		}
		if (a->checked)
		{
			vals[a->checked - 1] = BoolGetDatum(true);
			repl[a->checked - 1] = true;
		}
		return PointerGetDatum(heap_modify_tuple(tuple, desc, vals, nulls,
												 repl));
	}
	if (ideal_on_invalid == IDEAL_ON_INVALID_REJECT &&
		TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		const char *fields[5];

		fields[0] = get_text(tuple, desc, a->cycle);
		fields[1] = get_country(tuple, desc, a->country);
		fields[2] = get_text(tuple, desc, a->ref);
		fields[3] = NULL;
		fields[4] = NULL;
		ideal_store_rejected(ideal_relation_name(rel), fields, &p, tuple,
							 desc);
		return PointerGetDatum(NULL);
	}
	ideal_raise(&p);
	return PointerGetDatum(NULL);	/* not reached */
}

/* ---------------------------------------------------------------- */
/* History                                                          */
/* ---------------------------------------------------------------- */

#define HISTORY_COLUMNS \
	"id, cycle, country, subject_kind, subject, indicator, answer, value, " \
	"is_unknown, grading, handling, note, loaded_at, loaded_by"

/*
 * ideal.observation_history(): AFTER UPDATE and AFTER DELETE statement
 * triggers with an old transition table, and a BEFORE TRUNCATE trigger,
 * on ideal.observation.  Copies the previous rows into
 * ideal.observation_history with the operation, the role that made it and
 * the time.  The copy runs as the table's owner, as referential actions
 * do, so that contact points need no right to write history themselves.
 */
Datum
ideal_observation_history(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *op;
	const char *who;
	Oid			save_userid;
	int			save_sec;
	Oid			owner;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.observation_history() must be fired FOR EACH STATEMENT")));
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		op = "TRUNCATE";
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		op = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		op = "DELETE";
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.observation_history() fires on UPDATE, DELETE or TRUNCATE")));
	if (!TRIGGER_FIRED_BY_TRUNCATE(td->tg_event) &&
		(!TRIGGER_FIRED_AFTER(td->tg_event) ||
		 td->tg_trigger->tgoldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.observation_history() needs AFTER ... REFERENCING OLD TABLE on UPDATE and DELETE")));

	who = current_role_name();
	owner = RelationGetForm(td->tg_relation)->relowner;
	GetUserIdAndSecContext(&save_userid, &save_sec);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	PG_TRY();
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		Datum		args[2];
		const char *source;
		int			ret;

		args[0] = CStringGetTextDatum(op);
		args[1] = CStringGetTextDatum(who);
		if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		{
			/* operators qualified: this runs as the owner */
			ret = SPI_execute("SELECT o.cycle, c.status FROM ideal.observation o "
							  "JOIN ideal.cycle c ON c.code "
							  "OPERATOR(pg_catalog.=) o.cycle WHERE c.status "
							  "OPERATOR(pg_catalog.<>) 'open' LIMIT 1", true, 1);
			if (ret != SPI_OK_SELECT)
				elog(ERROR, "closed cycle lookup failed: %d", ret);
			if (SPI_processed > 0)
			{
				char	   *cycle = SPI_getvalue(SPI_tuptable->vals[0],
												 SPI_tuptable->tupdesc, 1);
				char	   *status = SPI_getvalue(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 2);

				refuse_closed(cycle, status[0], "Observations");
			}
			source = "ideal.observation";
		}
		else
		{
			if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
				elog(ERROR, "could not register the transition table");
			source = quote_identifier(td->tg_trigger->tgoldtable);
		}
		ret = SPI_execute_with_args(psprintf("INSERT INTO ideal.observation_history "
											 "(operation, changed_by, " HISTORY_COLUMNS ") "
											 "SELECT $1, $2, " HISTORY_COLUMNS " FROM %s",
											 source),
									2, types, args, NULL, false, 0);
		if (ret != SPI_OK_INSERT)
			elog(ERROR, "could not write observation history: %s",
				 SPI_result_code_string(ret));
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec);
	}
	PG_END_TRY();
	SPI_finish();
	return PointerGetDatum(NULL);
}
