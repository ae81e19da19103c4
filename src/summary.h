/*
 * summary.h
 *		The threat summary: a mergeable, order-independent accumulation of
 *		scored observations, and its exact text form.
 *
 * Sums are kept in 128-bit fixed point with 64 fraction bits.  Each row's
 * terms are computed once in float8 and converted exactly (or rounded once,
 * for terms below 2^-64), so the sums are integers and their total does not
 * depend on the order rows arrive in: serial, parallel, partition-wise and
 * federated plans give the same bits.  Server-independent.
 */
#ifndef IDEAL_SUMMARY_H
#define IDEAL_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * value * 2^64.  Aligned to 8 like PostgreSQL's own int128, because palloc
 * only guarantees 8-byte alignment.
 */
typedef __int128 ideal_fixed __attribute__((aligned(8)));

#define IDEAL_FIXED_FRAC_BITS 64
/* Largest magnitude of one row's term: keeps 2^14 rows of it summable. */
#define IDEAL_TERM_LIMIT 1e15

typedef struct IdealSummary
{
	int64_t		n;				/* rows with a value */
	int64_t		unknowns;		/* rows answered "unknown" */
	int64_t		graded;			/* rows with a value and a grading */
	ideal_fixed w;				/* sum of weights */
	ideal_fixed wv;				/* sum of weight * value */
	ideal_fixed cw;				/* sum of confidence * weight */
	ideal_fixed cwv;			/* sum of confidence * weight * value */
	ideal_fixed gw;				/* sum of weights of graded rows */
	ideal_fixed gcw;			/* sum of confidence * weight, graded rows */
	double		min;			/* smallest value (0 when n = 0) */
	double		max;			/* largest value (0 when n = 0) */
} IdealSummary;

/*
 * The running state of the aggregates over rows: a summary without cw.
 * Every row adds the same term to cw as to w when ungraded and as to gcw
 * when graded, so cw = gcw + w - gw exactly, and the state fits 128 bytes
 * (an allocation chunk of that size in hash aggregation; with cw it took
 * 256).  A summary from elsewhere (ideal.merge of stored summaries, whose
 * cw may be anything the invariants allow) is kept as an
 * IdealSummaryWideAcc, with cw explicit; wide is then true.
 */
typedef struct IdealSummaryAcc
{
	int64_t		n;
	int64_t		unknowns;
	int64_t		graded;
	ideal_fixed w;
	ideal_fixed wv;
	ideal_fixed cwv;
	ideal_fixed gw;
	ideal_fixed gcw;
	double		min;
	double		max;
	int32_t		wide;			/* an IdealSummaryWideAcc */
} IdealSummaryAcc;

typedef struct IdealSummaryWideAcc
{
	IdealSummaryAcc acc;
	ideal_fixed cw;
} IdealSummaryWideAcc;

typedef enum IdealSummaryError
{
	IDEAL_SUMMARY_OK = 0,
	IDEAL_SUMMARY_RANGE,		/* a value or weight too large or not finite */
	IDEAL_SUMMARY_WEIGHT,		/* a negative weight */
	IDEAL_SUMMARY_CONFIDENCE,	/* a confidence outside [0, 1] */
	IDEAL_SUMMARY_OVERFLOW		/* a sum left the representable range */
} IdealSummaryError;

/* An empty summary. */
extern void ideal_summary_init(IdealSummary *s);

/*
 * Add one row.  has_value false means an unknown answer (counted, no
 * value).  confidence < 0 means the row carries no grading.
 */
extern IdealSummaryError ideal_summary_add(IdealSummary *s, bool has_value,
										   double value, double weight,
										   double confidence);

/* ideal_summary_add on a running state (the same result and errors). */
extern IdealSummaryError ideal_acc_add(IdealSummaryAcc *a, bool has_value,
									   double value, double weight,
									   double confidence);
/* The summary a running state holds. */
extern void ideal_acc_to_summary(const IdealSummaryAcc *a, IdealSummary *s);
/* True if a summary's cw is not gcw + w - gw, so it needs a wide state. */
extern bool ideal_summary_needs_wide(const IdealSummary *s);
/* Store a summary in a state (wide if ideal_summary_needs_wide). */
extern void ideal_acc_from_summary(const IdealSummary *s, IdealSummaryAcc *a);

/* Merge b into a. */
extern IdealSummaryError ideal_summary_merge(IdealSummary *a,
											 const IdealSummary *b);

/* Check the invariants; returns NULL or what is wrong. */
extern const char *ideal_summary_check(const IdealSummary *s);

/* Accessors; return false when the value is undefined (no rows). */
extern bool ideal_summary_score(const IdealSummary *s, double *out);
extern bool ideal_summary_raw_score(const IdealSummary *s, double *out);
extern bool ideal_summary_confidence(const IdealSummary *s, double *out);
extern double ideal_fixed_to_double(ideal_fixed v);
/* Ratio a/b of two fixed-point sums, rounded once; b must be > 0. */
extern double ideal_fixed_ratio(ideal_fixed a, ideal_fixed b);

/*
 * Text form: "n=3 unknown=1 graded=2 w=3 wv=21.5 cw=... cwv=... gw=...
 * gcw=... min=5.5 max=8".  Sums are printed as exact decimals, min and max
 * with 17 significant digits.  ideal_summary_format writes at most
 * IDEAL_SUMMARY_TEXTLEN bytes.
 */
#define IDEAL_SUMMARY_TEXTLEN 1024
extern void ideal_summary_format(const IdealSummary *s, char *buf);
/* Parse the text form; returns NULL or a description of the error. */
extern const char *ideal_summary_parse(const char *text, size_t len,
									   IdealSummary *out);

/* Exact decimal of a fixed-point value; buf needs 110 bytes. */
extern void ideal_fixed_format(ideal_fixed v, char *buf);
/* Parse a decimal into fixed point, rounding to 2^-64; false on error. */
extern bool ideal_fixed_parse(const char *s, size_t len, ideal_fixed *out);
/* Convert a double exactly (rounded to 2^-64 below it); false if too big. */
extern bool ideal_fixed_from_double(double d, ideal_fixed *out);

#endif							/* IDEAL_SUMMARY_H */
