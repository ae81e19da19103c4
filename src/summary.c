/*
 * summary.c
 *		Arithmetic and text form of the threat summary (see summary.h).
 */
#include "summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 ufixed;

#define FRAC_MASK ((ufixed) UINT64_MAX)

void
ideal_summary_init(IdealSummary *s)
{
	memset(s, 0, sizeof(*s));
}

/*
 * The binary64 fields are read directly (|d| = mant * 2^(biased - 1075)):
 * frexp and ldexp, library calls, were a third of summarize's own time.
 */
static inline bool
fixed_from_double(double d, ideal_fixed *out)
{
	uint64_t	bits;
	uint64_t	mant;
	int			biased;
	int			shift;
	ufixed		mag;

	if (!isfinite(d) || fabs(d) >= 9.2e18)
		return false;
	memcpy(&bits, &d, sizeof(bits));
	biased = (int) ((bits >> 52) & 0x7FF);
	if (biased == 0)
	{
		/* zero or subnormal: below 2^-1022, so 0 at 2^-64 */
		*out = 0;
		return true;
	}
	mant = (bits & (((uint64_t) 1 << 52) - 1)) | ((uint64_t) 1 << 52);
	shift = biased - 1075 + IDEAL_FIXED_FRAC_BITS;
	if (shift >= 0)
		mag = (ufixed) mant << shift;
	else if (shift > -62)
	{
		/* round half away from zero at 2^-64 */
		mag = ((ufixed) mant + ((ufixed) 1 << (-shift - 1))) >> -shift;
	}
	else
		mag = 0;
	*out = (bits >> 63) ? -(ideal_fixed) mag : (ideal_fixed) mag;
	return true;
}

bool
ideal_fixed_from_double(double d, ideal_fixed *out)
{
	return fixed_from_double(d, out);
}

double
ideal_fixed_to_double(ideal_fixed v)
{
	return (double) ((long double) v / 18446744073709551616.0L);
}

double
ideal_fixed_ratio(ideal_fixed a, ideal_fixed b)
{
	return (double) ((long double) a / (long double) b);
}

/* Add b to *a, failing on overflow. */
static bool
fixed_add(ideal_fixed *a, ideal_fixed b)
{
	return !__builtin_add_overflow(*a, b, a);
}

/* One row's terms, checked and converted. */
typedef struct RowTerms
{
	ideal_fixed fw;				/* weight */
	ideal_fixed fwv;			/* weight * value */
	ideal_fixed fcw;			/* confidence * weight */
	ideal_fixed fcwv;			/* confidence * weight * value */
	double		value;			/* the value, -0 made 0 */
} RowTerms;

static inline IdealSummaryError
row_terms(double value, double weight, double confidence, RowTerms *t)
{
	double		c = confidence < 0 ? 1.0 : confidence;

	if (!isfinite(value) || !isfinite(weight) ||
		fabs(value) > IDEAL_TERM_LIMIT || weight > IDEAL_TERM_LIMIT ||
		fabs(value * weight) > IDEAL_TERM_LIMIT)
		return IDEAL_SUMMARY_RANGE;
	if (weight < 0)
		return IDEAL_SUMMARY_WEIGHT;
	if (!(c >= 0.0 && c <= 1.0))
		return IDEAL_SUMMARY_CONFIDENCE;
	if (value == 0)
		value = 0;				/* -0 is 0, so min and max print as 0 */
	t->value = value;

	/* each term rounded once in float8, then converted exactly */
	if (!fixed_from_double(weight, &t->fw) ||
		!fixed_from_double(weight * value, &t->fwv) ||
		!fixed_from_double(c * weight, &t->fcw) ||
		!fixed_from_double(c * weight * value, &t->fcwv))
		return IDEAL_SUMMARY_RANGE;
	return IDEAL_SUMMARY_OK;
}

IdealSummaryError
ideal_summary_add(IdealSummary *s, bool has_value, double value,
				  double weight, double confidence)
{
	RowTerms	t;
	IdealSummaryError e;
	ideal_fixed w,
				wv,
				cw,
				cwv,
				gw,
				gcw;

	if (!has_value)
	{
		s->unknowns++;
		return IDEAL_SUMMARY_OK;
	}
	if ((e = row_terms(value, weight, confidence, &t)) != IDEAL_SUMMARY_OK)
		return e;

	/* the new sums in locals, stored only if none overflows */
	if (__builtin_add_overflow(s->w, t.fw, &w) ||
		__builtin_add_overflow(s->wv, t.fwv, &wv) ||
		__builtin_add_overflow(s->cw, t.fcw, &cw) ||
		__builtin_add_overflow(s->cwv, t.fcwv, &cwv))
		return IDEAL_SUMMARY_OVERFLOW;
	if (confidence >= 0 &&
		(__builtin_add_overflow(s->gw, t.fw, &gw) ||
		 __builtin_add_overflow(s->gcw, t.fcw, &gcw)))
		return IDEAL_SUMMARY_OVERFLOW;
	s->w = w;
	s->wv = wv;
	s->cw = cw;
	s->cwv = cwv;
	if (confidence >= 0)
	{
		s->gw = gw;
		s->gcw = gcw;
		s->graded++;
	}
	if (s->n == 0 || t.value < s->min)
		s->min = t.value;
	if (s->n == 0 || t.value > s->max)
		s->max = t.value;
	s->n++;
	return IDEAL_SUMMARY_OK;
}

/*
 * As ideal_summary_add.  Without an explicit cw, its sum cannot overflow
 * where w's does not: every term of cw is at most the same row's term of w
 * (confidence <= 1) and none is negative.
 */
IdealSummaryError
ideal_acc_add(IdealSummaryAcc *a, bool has_value, double value,
			  double weight, double confidence)
{
	RowTerms	t;
	IdealSummaryError e;
	ideal_fixed w,
				wv,
				cw = 0,
				cwv,
				gw = 0,
				gcw = 0;

	if (!has_value)
	{
		a->unknowns++;
		return IDEAL_SUMMARY_OK;
	}
	if ((e = row_terms(value, weight, confidence, &t)) != IDEAL_SUMMARY_OK)
		return e;

	if (__builtin_add_overflow(a->w, t.fw, &w) ||
		__builtin_add_overflow(a->wv, t.fwv, &wv) ||
		__builtin_add_overflow(a->cwv, t.fcwv, &cwv))
		return IDEAL_SUMMARY_OVERFLOW;
	if (confidence >= 0 &&
		(__builtin_add_overflow(a->gw, t.fw, &gw) ||
		 __builtin_add_overflow(a->gcw, t.fcw, &gcw)))
		return IDEAL_SUMMARY_OVERFLOW;
	if (a->wide &&
		__builtin_add_overflow(((IdealSummaryWideAcc *) a)->cw, t.fcw, &cw))
		return IDEAL_SUMMARY_OVERFLOW;
	a->w = w;
	a->wv = wv;
	a->cwv = cwv;
	if (a->wide)
		((IdealSummaryWideAcc *) a)->cw = cw;
	if (confidence >= 0)
	{
		a->gw = gw;
		a->gcw = gcw;
		a->graded++;
	}
	if (a->n == 0 || t.value < a->min)
		a->min = t.value;
	if (a->n == 0 || t.value > a->max)
		a->max = t.value;
	a->n++;
	return IDEAL_SUMMARY_OK;
}

/* cw as the other sums give it, gcw + w - gw; false if out of range. */
static bool
derived_cw(ideal_fixed w, ideal_fixed gw, ideal_fixed gcw, ideal_fixed *cw)
{
	ideal_fixed d;

	return !__builtin_sub_overflow(w, gw, &d) &&
		!__builtin_add_overflow(gcw, d, cw);
}

void
ideal_acc_to_summary(const IdealSummaryAcc *a, IdealSummary *s)
{
	s->n = a->n;
	s->unknowns = a->unknowns;
	s->graded = a->graded;
	s->w = a->w;
	s->wv = a->wv;
	s->cwv = a->cwv;
	s->gw = a->gw;
	s->gcw = a->gcw;
	s->min = a->min;
	s->max = a->max;
	if (a->wide)
		s->cw = ((const IdealSummaryWideAcc *) a)->cw;
	else if (!derived_cw(a->w, a->gw, a->gcw, &s->cw))
		s->cw = 0;				/* not reached: 0 <= gw <= w, 0 <= gcw */
}

bool
ideal_summary_needs_wide(const IdealSummary *s)
{
	ideal_fixed cw;

	return !derived_cw(s->w, s->gw, s->gcw, &cw) || cw != s->cw;
}

void
ideal_acc_from_summary(const IdealSummary *s, IdealSummaryAcc *a)
{
	a->n = s->n;
	a->unknowns = s->unknowns;
	a->graded = s->graded;
	a->w = s->w;
	a->wv = s->wv;
	a->cwv = s->cwv;
	a->gw = s->gw;
	a->gcw = s->gcw;
	a->min = s->min;
	a->max = s->max;
	a->wide = ideal_summary_needs_wide(s);
	if (a->wide)
		((IdealSummaryWideAcc *) a)->cw = s->cw;
}

IdealSummaryError
ideal_summary_merge(IdealSummary *a, const IdealSummary *b)
{
	IdealSummary t = *a;

	if (__builtin_add_overflow(t.n, b->n, &t.n) ||
		__builtin_add_overflow(t.unknowns, b->unknowns, &t.unknowns) ||
		__builtin_add_overflow(t.graded, b->graded, &t.graded) ||
		!fixed_add(&t.w, b->w) || !fixed_add(&t.wv, b->wv) ||
		!fixed_add(&t.cw, b->cw) || !fixed_add(&t.cwv, b->cwv) ||
		!fixed_add(&t.gw, b->gw) || !fixed_add(&t.gcw, b->gcw))
		return IDEAL_SUMMARY_OVERFLOW;
	if (b->n > 0)
	{
		if (a->n == 0 || b->min < t.min)
			t.min = b->min;
		if (a->n == 0 || b->max > t.max)
			t.max = b->max;
	}
	*a = t;
	return IDEAL_SUMMARY_OK;
}

const char *
ideal_summary_check(const IdealSummary *s)
{
	if (s->n < 0 || s->unknowns < 0 || s->graded < 0)
		return "counts must not be negative";
	if (s->graded > s->n)
		return "graded must not exceed n";
	if (s->w < 0 || s->cw < 0 || s->gw < 0 || s->gcw < 0)
		return "weight sums must not be negative";
	if (s->cw > s->w || s->gcw > s->gw)
		return "confidence-weighted sums must not exceed the weight sums";
	if (s->gw > s->w)
		return "the graded weight sum must not exceed the weight sum";
	if (!isfinite(s->min) || !isfinite(s->max) || s->min > s->max)
		return "min and max must be finite with min <= max";
	if (s->n == 0 && (s->w || s->wv || s->cw || s->cwv || s->gw || s->gcw ||
					  s->min != 0 || s->max != 0))
		return "a summary with n = 0 must have zero sums and no min or max";
	if (s->graded == 0 && (s->gw || s->gcw))
		return "a summary with graded = 0 must have zero graded sums";
	return NULL;
}

bool
ideal_summary_score(const IdealSummary *s, double *out)
{
	if (s->cw <= 0)
		return false;
	*out = ideal_fixed_ratio(s->cwv, s->cw);
	return true;
}

bool
ideal_summary_raw_score(const IdealSummary *s, double *out)
{
	if (s->w <= 0)
		return false;
	*out = ideal_fixed_ratio(s->wv, s->w);
	return true;
}

bool
ideal_summary_confidence(const IdealSummary *s, double *out)
{
	if (s->gw <= 0)
		return false;
	*out = ideal_fixed_ratio(s->gcw, s->gw);
	return true;
}

void
ideal_fixed_format(ideal_fixed v, char *buf)
{
	ufixed		mag = v < 0 ? (ufixed) 0 - (ufixed) v : (ufixed) v;
	ufixed		frac = mag & FRAC_MASK;
	char	   *p = buf;

	if (v < 0)
		*p++ = '-';
	p += sprintf(p, "%llu", (unsigned long long) (mag >> 64));
	if (frac)
	{
		*p++ = '.';
		while (frac)
		{
			frac *= 10;
			*p++ = (char) ('0' + (int) (frac >> 64));
			frac &= FRAC_MASK;
		}
	}
	*p = 0;
}

bool
ideal_fixed_parse(const char *s, size_t len, ideal_fixed *out)
{
	size_t		i = 0;
	bool		neg = false;
	ufixed		ipart = 0;
	ufixed		f = 0;
	size_t		int_start,
				frac_start,
				frac_end;
	size_t		k;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = (s[i++] == '-');
	int_start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
	{
		ipart = ipart * 10 + (ufixed) (s[i] - '0');
		if (ipart >= ((ufixed) 1 << 63))
			return false;
		i++;
	}
	if (i == int_start)
		return false;
	frac_start = frac_end = i;
	if (i < len && s[i] == '.')
	{
		i++;
		frac_start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_end = i;
		if (frac_end == frac_start || frac_end - frac_start > 100)
			return false;
	}
	if (i != len)
		return false;

	/* fraction from its last digit up, in units of 2^-120 */
	for (k = frac_end; k > frac_start; k--)
		f = (((ufixed) (s[k - 1] - '0') << 120) + f) / 10;
	f = (f + ((ufixed) 1 << 55)) >> 56;
	ipart = (ipart << 64) + f;
	if (ipart >= ((ufixed) 1 << 127))
		return false;
	*out = neg ? -(ideal_fixed) ipart : (ideal_fixed) ipart;
	return true;
}

/* Field names of the text form, in canonical order. */
static const char *const field_names[] = {
	"n", "unknown", "graded", "w", "wv", "cw", "cwv", "gw", "gcw", "min", "max"
};
#define NFIELDS 11

void
ideal_summary_format(const IdealSummary *s, char *buf)
{
	const ideal_fixed *sums[6] = {&s->w, &s->wv, &s->cw, &s->cwv, &s->gw,
	&s->gcw};
	char	   *p = buf;
	int			i;

	p += sprintf(p, "n=%lld unknown=%lld graded=%lld", (long long) s->n,
				 (long long) s->unknowns, (long long) s->graded);
	for (i = 0; i < 6; i++)
	{
		p += sprintf(p, " %s=", field_names[3 + i]);
		ideal_fixed_format(*sums[i], p);
		p += strlen(p);
	}
	if (s->n > 0)
		sprintf(p, " min=%.17g max=%.17g", s->min, s->max);
}

/* Parse a non-negative decimal count. */
static bool
parse_count(const char *s, size_t len, int64_t *out)
{
	int64_t		v = 0;
	size_t		i;

	if (len == 0 || len > 19)
		return false;
	for (i = 0; i < len; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (__builtin_mul_overflow(v, 10, &v) ||
			__builtin_add_overflow(v, s[i] - '0', &v))
			return false;
	}
	*out = v;
	return true;
}

/* Parse a finite double written in plain decimal or exponent form. */
static bool
parse_double(const char *s, size_t len, double *out)
{
	char		buf[64];
	char	   *end;
	size_t		i;

	if (len == 0 || len >= sizeof(buf))
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
			  c == 'e' || c == 'E'))
			return false;
		buf[i] = c;
	}
	buf[len] = 0;
	*out = strtod(buf, &end);
	if (*out == 0)
		*out = 0;				/* -0 is 0 */
	return *end == 0 && isfinite(*out);
}

const char *
ideal_summary_parse(const char *text, size_t len, IdealSummary *out)
{
	bool		seen[NFIELDS] = {0};
	IdealSummary s;
	size_t		i = 0;
	const char *err;

	ideal_summary_init(&s);
	while (i < len)
	{
		size_t		ks,
					ke,
					vs,
					ve;
		int			f;
		bool		ok;

		while (i < len && text[i] == ' ')
			i++;
		if (i >= len)
			break;
		ks = i;
		while (i < len && text[i] != '=' && text[i] != ' ')
			i++;
		ke = i;
		if (i >= len || text[i] != '=')
			return "expected key=value";
		vs = ++i;
		while (i < len && text[i] != ' ')
			i++;
		ve = i;
		for (f = 0; f < NFIELDS; f++)
			if (strlen(field_names[f]) == ke - ks &&
				memcmp(field_names[f], text + ks, ke - ks) == 0)
				break;
		if (f == NFIELDS)
			return "unknown key";
		if (seen[f])
			return "key given twice";
		seen[f] = true;
		switch (f)
		{
			case 0:
				ok = parse_count(text + vs, ve - vs, &s.n);
				break;
			case 1:
				ok = parse_count(text + vs, ve - vs, &s.unknowns);
				break;
			case 2:
				ok = parse_count(text + vs, ve - vs, &s.graded);
				break;
			case 3:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.w);
				break;
			case 4:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.wv);
				break;
			case 5:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.cw);
				break;
			case 6:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.cwv);
				break;
			case 7:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.gw);
				break;
			case 8:
				ok = ideal_fixed_parse(text + vs, ve - vs, &s.gcw);
				break;
			case 9:
				ok = parse_double(text + vs, ve - vs, &s.min);
				break;
			default:
				ok = parse_double(text + vs, ve - vs, &s.max);
				break;
		}
		if (!ok)
		{
			static char msg[96];

			snprintf(msg, sizeof(msg),
					 "malformed or out-of-range value for \"%s\"",
					 field_names[f]);
			return msg;
		}
	}
	for (i = 0; i < 9; i++)
		if (!seen[i])
			return "missing key";
	if (s.n > 0 && (!seen[9] || !seen[10]))
		return "min and max are required when n > 0";
	if (s.n == 0 && (seen[9] || seen[10]))
		return "min and max must be absent when n = 0";
	err = ideal_summary_check(&s);
	if (err)
		return err;
	*out = s;
	return NULL;
}
