/*
 * fuzz_method.c
 *		libFuzzer harness for the methodology loader (method_parse.c).
 *
 * ideal_method_parse must not crash, read out of bounds or leak (ASan and
 * LSan report those) on any input.  On failure the error position is not
 * negative and the message is a non-empty string.  On success every string
 * in the result is readable, every index points inside its array and every
 * label map has an English entry; ideal_method_free then releases it all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "method.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Touch a string so ASan sees a dangling or unterminated one. */
static void
check_str(const char *s, bool nonempty)
{
	CHECK(s != NULL);
	CHECK(!nonempty || strlen(s) > 0);
}

/* A label map: at least "en", two-letter languages, non-empty texts. */
static void
check_labels(const IdealLabels *l)
{
	int			i;

	CHECK(l->n >= 1);
	for (i = 0; i < l->n; i++)
	{
		CHECK(strlen(l->items[i].lang) == 2);
		check_str(l->items[i].text, true);
	}
	check_str(ideal_label(l, "en"), true);
	check_str(ideal_label(l, "zz"), true);
}

/* A list of strings. */
static void
check_strings(const IdealStrings *s)
{
	int			i;

	CHECK(s->n >= 0);
	for (i = 0; i < s->n; i++)
		check_str(s->items[i], true);
}

/* Walk a parsed methodology, checking every reference. */
static void
check_method(const IdealMethod *m)
{
	int			i,
				j;

	check_str(m->code, true);
	check_str(m->version, true);
	if (m->source)
		check_str(m->source, true);
	if (m->note)
		check_str(m->note, true);
	check_labels(&m->title);
	check_strings(&m->languages);
	CHECK(m->kinds != 0 && m->kinds < (1u << IDEAL_KIND_COUNT));
	CHECK(m->gradings != 0 && (m->gradings & 1u) == 0 &&
		  m->gradings < (1u << (IDEAL_GS_COUNT + 1)));

	CHECK(m->nscales >= 1);
	for (i = 0; i < m->nscales; i++)
	{
		const IdealScale *s = &m->scales[i];

		check_str(s->code, true);
		CHECK(s->min <= s->max);
		CHECK(s->step >= 0);
		if (s->ordinal)
		{
			CHECK(s->nlevels >= 1);
			for (j = 0; j < s->nlevels; j++)
			{
				check_str(s->levels[j].code, true);
				check_labels(&s->levels[j].labels);
				check_strings(&s->levels[j].aliases);
				CHECK(j == 0 ||
					  s->levels[j].value > s->levels[j - 1].value);
			}
		}
		else
			CHECK(s->nlevels == 0);
		if (s->has_unknown)
		{
			check_labels(&s->unknown_labels);
			check_strings(&s->unknown_aliases);
		}
		CHECK(!s->unknown_scored || s->has_unknown);
	}

	for (i = 0; i < m->ncrime_areas; i++)
	{
		check_str(m->crime_areas[i].code, true);
		check_labels(&m->crime_areas[i].labels);
	}
	for (i = 0; i < m->ntypologies; i++)
	{
		check_str(m->typologies[i].code, true);
		check_labels(&m->typologies[i].labels);
	}

	CHECK(m->nindicators >= 1);
	for (i = 0; i < m->nindicators; i++)
	{
		const IdealIndicator *ind = &m->indicators[i];

		check_str(ind->code, true);
		CHECK(m->kinds & (1u << ind->kind));
		CHECK(ind->scale >= 0 && ind->scale < m->nscales);
		CHECK(ind->weight >= 0);
		CHECK(!ind->allow_unknown || m->scales[ind->scale].has_unknown);
		if (ind->group)
			check_str(ind->group, true);
		check_labels(&ind->labels);
	}

	for (i = 0; i < m->ncomposites; i++)
	{
		const IdealComposite *c = &m->composites[i];

		check_str(c->code, true);
		check_labels(&c->labels);
		CHECK(c->ninputs >= 1);
		CHECK(c->method >= IDEAL_M_MEAN && c->method <= IDEAL_M_MAX);
		for (j = 0; j < c->ninputs; j++)
		{
			const IdealInput *in = &c->inputs[j];

			/* composites may only use composites listed before them */
			if (in->is_composite)
				CHECK(in->index >= 0 && in->index < i &&
					  m->composites[in->index].kind == c->kind);
			else
				CHECK(in->index >= 0 && in->index < m->nindicators &&
					  m->indicators[in->index].kind == c->kind);
			CHECK(in->weight >= 0);
		}
		CHECK(c->band >= -1 && c->band < m->nbands);
		CHECK(c->band < 0 || m->bands[c->band].composite == i);
	}

	for (i = 0; i < m->nbands; i++)
	{
		const IdealBand *b = &m->bands[i];

		CHECK(b->composite >= 0 && b->composite < m->ncomposites);
		CHECK(m->composites[b->composite].band == i);
		CHECK(b->nlevels >= 1);
		for (j = 0; j < b->nlevels; j++)
		{
			CHECK(b->levels[j].level >= 0 &&
				  b->levels[j].level < IDEAL_LEVEL_COUNT);
			CHECK(j == 0 || (b->levels[j].from > b->levels[j - 1].from &&
							 b->levels[j].level > b->levels[j - 1].level));
		}
	}

	if (m->has_quadrant)
		CHECK(m->quadrant_x >= 0 && m->quadrant_x < m->ncomposites &&
			  m->quadrant_y >= 0 && m->quadrant_y < m->ncomposites);

	CHECK(m->nmembers >= 1);
	for (i = 0; i < m->nmembers; i++)
	{
		CHECK(ideal_country_by_numeric(m->members[i]) != NULL);
		for (j = 0; j < i; j++)
			CHECK(m->members[j] != m->members[i]);
	}
	CHECK(m->arena != NULL);
}

/* Parse; check the error or walk and free the result. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	IdealParseError err;
	IdealMethod *m;

	memset(&err, 0x55, sizeof(err));
	m = ideal_method_parse((const char *) data, size, &err);
	CHECK(err.line >= 0 && err.column >= 0);
	if (m == NULL)
	{
		CHECK(memchr(err.message, 0, sizeof(err.message)) != NULL);
		CHECK(err.message[0] != 0);
		return 0;
	}
	check_method(m);
	ideal_method_free(m);
	return 0;
}
