/*
 * ideal.h
 *		Declarations shared by the server-side parts of the extension.
 */
#ifndef IDEAL_IDEAL_H
#define IDEAL_IDEAL_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/hsearch.h"

#include "codes.h"
#include "method.h"
#include "summary.h"

/* GUCs */
extern int	ideal_language;		/* IdealLang */
extern int	ideal_on_invalid;	/* IDEAL_ON_INVALID_* */

#define IDEAL_ON_INVALID_ERROR	0
#define IDEAL_ON_INVALID_REJECT 1

/* Types' in-memory forms. */
#define DatumGetCountry(d)		((int) DatumGetInt16(d))
#define CountryGetDatum(c)		Int16GetDatum((int16) (c))
#define DatumGetLevel(d)		((int) DatumGetChar(d))
#define LevelGetDatum(l)		CharGetDatum((char) (l))
#define DatumGetGrading(d)		((IdealGrading) DatumGetUInt32(d))
#define GradingGetDatum(g)		UInt32GetDatum(g)

/* threat_summary on disk: a varlena holding a fixed, aligned layout. */
typedef struct IdealSummaryVar
{
	int32		vl_len_;
	int32		version;
	int64		n;
	int64		unknowns;
	int64		graded;
	int64		sums[12];		/* w, wv, cw, cwv, gw, gcw as (hi, lo) */
	float8		min;
	float8		max;
} IdealSummaryVar;

#define IDEAL_SUMMARY_VERSION 1

extern IdealSummaryVar *ideal_summary_to_var(const IdealSummary *s);
extern void ideal_summary_from_var(const IdealSummaryVar *v,
								   IdealSummary *s);
extern void ideal_summary_report(IdealSummaryError e);

/*
 * A methodology as cached in a backend: the parsed file plus lookup
 * tables.  Entries are never freed while the backend lives, so pointers to
 * them stay valid across invalidations (a methodology's content never
 * changes under its code and checksum).
 */
typedef struct IdealLeafSet
{
	int			nleaves;		/* indicators in the composite's subtree */
	int		   *leaves;
	int			nrequired;
} IdealLeafSet;

typedef struct IdealMethodEntry
{
	char		code[64];
	char		sha256[65];
	IdealMethod *m;
	HTAB	   *labels;			/* folded spelling -> what it names */
	bool		member[1000];	/* by ISO numeric code */
	IdealLeafSet *leafsets;		/* per composite */
} IdealMethodEntry;

/* Name spaces of the label table. */
#define IDEAL_NS_INDICATOR	1
#define IDEAL_NS_CRIME_AREA 2
#define IDEAL_NS_TYPOLOGY	3
#define IDEAL_NS_LEVEL		4	/* per scale */

#define IDEAL_LABEL_KEYLEN 200

typedef struct IdealLabelKey
{
	int16		ns;
	int16		scale;
	char		text[IDEAL_LABEL_KEYLEN];
} IdealLabelKey;

typedef struct IdealLabelEntry
{
	IdealLabelKey key;
	int			index;			/* item index; for levels -1 is unknown */
} IdealLabelEntry;

/* Look up a folded spelling; -2 if absent. */
extern int	ideal_lookup_label(IdealMethodEntry *me, int ns, int scale,
							   const char *text, size_t len);

typedef struct IdealCycleInfo
{
	IdealMethodEntry *method;
	char		status;			/* 'o'pen, 'c'losed, 'p'ublished */
} IdealCycleInfo;

/* Cached lookups; NULL when the cycle or methodology does not exist. */
extern IdealCycleInfo *ideal_cycle_lookup(const char *code);
/* A cycle to write into, its row share-locked for the transaction. */
extern IdealCycleInfo *ideal_cycle_for_write(const char *code);

/*
 * Changes whenever the cycle map is reset or marked stale: a caller that
 * remembers what ideal_cycle_lookup() returned may reuse it while this is
 * unchanged.
 */
extern uint32 ideal_cache_generation;
extern IdealMethodEntry *ideal_method_lookup(const char *code);

/* Numeric text of a rational, for composite scores. */
extern Datum ideal_numeric_from_cstring(const char *s);


/* ---- intake: row validation, rejects, intake views (trigger.c, intake.c) */

#include "access/htup.h"
#include "access/tupdesc.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"
#include "commands/trigger.h"

/*
 * The row an intake view is passing down to a table, so that a table
 * trigger that sets the derived row aside stores what was sent, whole,
 * under the view's name.  Set by intake.c around each insert it makes.
 */
typedef struct IdealIntakeRow
{
	const char *target;			/* qualified view name */
	HeapTuple	tuple;			/* the row as sent to the view */
	TupleDesc	desc;
	/* set by the table's trigger: */
	bool		rejected;		/* it set the row aside */
	char		key[2][NAMEDATALEN * 4];	/* canonical indicator, subject */
} IdealIntakeRow;

extern IdealIntakeRow *ideal_intake_current;

/* A refusal: SQLSTATE and the texts of the error it would raise. */
typedef struct IdealProblem
{
	int			sqlstate;
	char	   *message;
	char	   *detail;
	char	   *hint;
} IdealProblem;

/*
 * Store a refused row in ideal.rejected: fields are cycle, country,
 * subject, indicator and answer as text (NULL allowed); the row itself goes
 * to the submitted column as jsonb.  An intake row in progress takes the
 * place of target, tuple and desc.
 */
extern void ideal_store_rejected(const char *target, const char *const *fields,
								 const IdealProblem *p, HeapTuple tuple,
								 TupleDesc desc);

/* Cycle and membership checks shared by the row triggers. */
extern IdealMethodEntry *ideal_open_cycle(const char *cycle, char *ctx,
										  const char *rows,
										  const char *missing_hint,
										  IdealProblem *p);
extern bool ideal_check_member(IdealMethodEntry *me, int country,
							   const char *country_text, char *ctx,
							   const char *why, IdealProblem *p);

/*
 * A row of a dump being restored: inserted with its "checked" column (at
 * checked_att, 0 where the table has none) already true by a role that
 * could switch the table's triggers off anyway.
 */
extern bool ideal_restored_row(TriggerData *td, int checked_att);

/* The optional column "checked" of a table: its number, or 0. */
extern int	ideal_checked_attnum(TupleDesc desc);

/* Raise a problem as an error. */
extern void ideal_raise(const IdealProblem *p) pg_attribute_noreturn();

/*
 * Find a live row whose first nkeys index columns equal values, seeing
 * rows written earlier by this command and waiting for writers in progress
 * as a unique index does; the row at exclude is skipped.  Returns a copy of
 * the row, or NULL.
 */
extern HeapTuple ideal_index_probe(Relation heap, Relation index, int nkeys,
								   const Datum *values, ItemPointer exclude);

/* Qualified, quoted name of a relation, for messages and ideal.rejected. */
extern char *ideal_relation_name(Relation rel);

#endif							/* IDEAL_IDEAL_H */
