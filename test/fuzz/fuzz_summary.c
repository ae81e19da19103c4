/*
 * fuzz_summary.c
 *		libFuzzer harness for the threat summary (summary.c).
 *
 * Two modes, chosen by the first byte:
 *
 * Text (first byte not 0): the input is a summary's text form.  If it
 * parses, formatting and parsing again must give an identical summary and
 * formatting twice must give identical text, and merging it with summaries
 * built row by row must give the same result in either order.
 *
 * Rows (first byte 0): then a split byte, an order byte and rows of 25
 * bytes: a flag byte and three float8s (value, weight, confidence).  Flag
 * bit 0 makes the row unknown, bit 1 ungraded (confidence -1), bit 2 reads
 * small fixed-point numbers from the doubles' low bytes instead of raw
 * bits.  All rows are added to one summary in input order; the same rows
 * are also added to two summaries, split at a point and in other orders,
 * and merged.  The results must be bit-identical, pass ideal_summary_check
 * and survive their text form.
 *
 * In both modes the aggregates' running state (IdealSummaryAcc, without cw
 * unless needed) must hold the same summary: rows added to it give the
 * same errors and the bit-identical summary, and a parsed summary stored in
 * it (wide when its cw is not gcw + w - gw) comes back unchanged and takes
 * rows as the summary does.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

#define ROW_BYTES 25
#define MAX_ROWS 1024

typedef struct Row
{
	bool		has_value;
	double		value;
	double		weight;
	double		confidence;
} Row;

/* Field-by-field identity; doubles compared by their bits. */
static bool
same_summary(const IdealSummary *a, const IdealSummary *b)
{
	return a->n == b->n && a->unknowns == b->unknowns &&
		a->graded == b->graded && a->w == b->w && a->wv == b->wv &&
		a->cw == b->cw && a->cwv == b->cwv && a->gw == b->gw &&
		a->gcw == b->gcw &&
		memcmp(&a->min, &b->min, sizeof(double)) == 0 &&
		memcmp(&a->max, &b->max, sizeof(double)) == 0;
}

/* Format, parse back and compare; format twice gives the same text. */
static void
check_text_roundtrip(const IdealSummary *s)
{
	char		text1[IDEAL_SUMMARY_TEXTLEN];
	char		text2[IDEAL_SUMMARY_TEXTLEN];
	IdealSummary back;

	memset(text1, 0x7F, sizeof(text1));
	ideal_summary_format(s, text1);
	CHECK(memchr(text1, 0, sizeof(text1)) != NULL);
	ideal_summary_format(s, text2);
	CHECK(strcmp(text1, text2) == 0);
	CHECK(ideal_summary_parse(text1, strlen(text1), &back) == NULL);
	CHECK(same_summary(s, &back));
	ideal_summary_format(&back, text2);
	CHECK(strcmp(text1, text2) == 0);
}

/*
 * Merging a parsed summary with summaries built by ideal_summary_add must
 * give the same result in either order.
 */
static void
check_commutes(const IdealSummary *s)
{
	static const double refs[][4] = {
		/* value, weight, confidence; value NAN: no row at all */
		{NAN, 0, 0}, {0.0, 1.0, -1.0}, {5.5, 2.0, 0.5}, {-3.0, 0.25, 1.0},
	};
	size_t		i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
	{
		IdealSummary r,
					a,
					b;
		IdealSummaryError ea,
					eb;

		ideal_summary_init(&r);
		if (!isnan(refs[i][0]))
			CHECK(ideal_summary_add(&r, true, refs[i][0], refs[i][1],
									refs[i][2]) == IDEAL_SUMMARY_OK);
		a = *s;
		ea = ideal_summary_merge(&a, &r);
		b = r;
		eb = ideal_summary_merge(&b, s);
		CHECK(ea == eb);
		if (ea == IDEAL_SUMMARY_OK)
		{
			CHECK(same_summary(&a, &b));
			CHECK(ideal_summary_check(&a) == NULL);
		}
	}
}

/*
 * A summary stored in a running state comes back identical, and a row
 * added to either gives the same error and the same summary.
 */
static void
check_acc(const IdealSummary *s)
{
	static const double refs[][4] = {
		{0.0, 1.0, -1.0}, {5.5, 2.0, 0.5}, {-3.0, 0.25, 1.0}, {1.0, 9e14, -1.0},
	};
	IdealSummaryWideAcc stored;
	IdealSummary back;
	size_t		i;

	memset(&stored, 0x7F, sizeof(stored));
	ideal_acc_from_summary(s, &stored.acc);
	CHECK(stored.acc.wide == (int32_t) ideal_summary_needs_wide(s));
	ideal_acc_to_summary(&stored.acc, &back);
	CHECK(same_summary(s, &back));
	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
	{
		IdealSummaryWideAcc a = stored;
		IdealSummary r = *s;
		IdealSummaryError er,
					ea;

		er = ideal_summary_add(&r, true, refs[i][0], refs[i][1], refs[i][2]);
		ea = ideal_acc_add(&a.acc, true, refs[i][0], refs[i][1], refs[i][2]);
		CHECK(er == ea);
		ideal_acc_to_summary(&a.acc, &back);
		CHECK(same_summary(&r, &back));
	}
}

/* Text mode: parse, then round-trip what parsed. */
static void
text_mode(const uint8_t *data, size_t size)
{
	IdealSummary s;
	const char *err;

	err = ideal_summary_parse((const char *) data, size, &s);
	if (err != NULL)
		return;
	CHECK(ideal_summary_check(&s) == NULL);
	check_text_roundtrip(&s);
	check_commutes(&s);
	check_acc(&s);
}

/* Read a float8 from 8 bytes, raw or as a small fixed-point number. */
static double
read_num(const uint8_t *p, bool small, double scale)
{
	double		d;

	if (small)
	{
		int16_t		v;

		memcpy(&v, p, sizeof(v));
		return v / scale;
	}
	memcpy(&d, p, sizeof(d));
	return d;
}

/* Greatest common divisor. */
static size_t
gcd(size_t a, size_t b)
{
	while (b)
	{
		size_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Add a row, checking a failed add leaves the summary untouched. */
static IdealSummaryError
add_row(IdealSummary *s, const Row *r)
{
	IdealSummary before = *s;
	IdealSummaryError e;

	e = ideal_summary_add(s, r->has_value, r->value, r->weight,
						  r->confidence);
	if (e != IDEAL_SUMMARY_OK)
		CHECK(same_summary(s, &before));
	CHECK(ideal_summary_check(s) == NULL);
	return e;
}

/* Rows mode: one order versus split, reordered and merged. */
static void
rows_mode(const uint8_t *data, size_t size)
{
	static Row	rows[MAX_ROWS];
	static IdealSummaryError status[MAX_ROWS];
	IdealSummaryAcc acc;
	IdealSummary all,
				from_acc,
				left,
				right,
				merged,
				empty;
	size_t		nrows;
	size_t		split;
	size_t		i;

	if (size < 2)
		return;
	nrows = (size - 2) / ROW_BYTES;
	if (nrows > MAX_ROWS)
		nrows = MAX_ROWS;
	split = nrows ? data[0] % (nrows + 1) : 0;
	for (i = 0; i < nrows; i++)
	{
		const uint8_t *p = data + 2 + i * ROW_BYTES;
		bool		small = (p[0] & 4) != 0;

		rows[i].has_value = (p[0] & 1) == 0;
		rows[i].value = read_num(p + 1, small, 8.0);
		rows[i].weight = read_num(p + 9, small, 16.0);
		rows[i].confidence = (p[0] & 2) ? -1.0 :
			small ? (double) p[17] / 255.0 : read_num(p + 17, false, 1);
	}

	/* reference: every row in input order */
	ideal_summary_init(&all);
	for (i = 0; i < nrows; i++)
		status[i] = add_row(&all, &rows[i]);

	/* the running state: same errors, same summary, never wide */
	memset(&acc, 0, sizeof(acc));
	for (i = 0; i < nrows; i++)
	{
		IdealSummary before;

		ideal_acc_to_summary(&acc, &before);
		CHECK(ideal_acc_add(&acc, rows[i].has_value, rows[i].value,
							rows[i].weight, rows[i].confidence) == status[i]);
		if (status[i] != IDEAL_SUMMARY_OK)
		{
			ideal_acc_to_summary(&acc, &from_acc);
			CHECK(same_summary(&before, &from_acc));
		}
	}
	CHECK(!acc.wide);
	CHECK(!ideal_summary_needs_wide(&all));
	ideal_acc_to_summary(&acc, &from_acc);
	CHECK(same_summary(&from_acc, &all));

	/* left part backwards, right part with a stride coprime to its size */
	ideal_summary_init(&left);
	for (i = split; i > 0; i--)
		CHECK(add_row(&left, &rows[i - 1]) == status[i - 1]);
	ideal_summary_init(&right);
	if (nrows > split)
	{
		size_t		m = nrows - split;
		size_t		j = 0;
		size_t		stride;

		stride = (size_t) data[1] % m + 1;
		while (gcd(stride, m) != 1)
			stride--;
		for (i = 0; i < m; i++)
		{
			CHECK(add_row(&right, &rows[split + j]) == status[split + j]);
			j = (j + stride) % m;
		}
	}

	merged = left;
	CHECK(ideal_summary_merge(&merged, &right) == IDEAL_SUMMARY_OK);
	CHECK(ideal_summary_check(&merged) == NULL);
	CHECK(same_summary(&merged, &all));

	merged = right;
	CHECK(ideal_summary_merge(&merged, &left) == IDEAL_SUMMARY_OK);
	CHECK(ideal_summary_check(&merged) == NULL);
	CHECK(same_summary(&merged, &all));

	/* an empty summary is an identity on both sides */
	ideal_summary_init(&empty);
	merged = empty;
	CHECK(ideal_summary_merge(&merged, &all) == IDEAL_SUMMARY_OK);
	CHECK(same_summary(&merged, &all));
	merged = all;
	CHECK(ideal_summary_merge(&merged, &empty) == IDEAL_SUMMARY_OK);
	CHECK(same_summary(&merged, &all));

	check_text_roundtrip(&all);
}

/* Dispatch on the first byte. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] == 0)
		rows_mode(data + 1, size - 1);
	else
		text_mode(data, size);
	return 0;
}
