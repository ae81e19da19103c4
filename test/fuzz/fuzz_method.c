/*
 * fuzz_method.c
 *		libFuzzer harness for the methodology loader (method_parse.c).
 *
 * ideal_method_parse must not crash, read out of bounds or leak (ASan and
 * LSan report those) on any input.  On failure the error position is not
 * negative and the message is a non-empty string.  On success every string
 * in the result is readable, every index points inside its array, every
 * label map has an English entry, codes are unique where the format says
 * so and every spelling on a scale (code, label or alias, after folding)
 * names one level or the unknown answer; ideal_method_free then releases
 * it all.
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

/* A spelling and what it names, for the uniqueness checks. */
typedef struct Spelling
{
	char		folded[256];
	int			owner;
} Spelling;

/*
 * Record a spelling; trap if it already names another owner.  Quadratic,
 * but fuzz inputs are small.
 */
static void
spell(Spelling *sp, int *n, const char *text, int owner)
{
	char		f[256];
	int			i;

	CHECK(ideal_fold(text, strlen(text), f, sizeof(f)) >= 0);
	for (i = 0; i < *n; i++)
		if (strcmp(sp[i].folded, f) == 0)
		{
			CHECK(sp[i].owner == owner);
			return;
		}
	strcpy(sp[*n].folded, f);
	sp[*n].owner = owner;
	(*n)++;
}

/* Every spelling on a scale (codes, labels, aliases) names one thing. */
static void
check_scale_spellings(const IdealScale *s)
{
	Spelling   *sp;
	int			cap = 1;
	int			n = 0;
	int			i,
				j;

	for (i = 0; i < s->nlevels; i++)
		cap += 1 + s->levels[i].labels.n + s->levels[i].aliases.n;
	cap += s->unknown_labels.n + s->unknown_aliases.n;
	sp = malloc(sizeof(Spelling) * cap);
	CHECK(sp != NULL);
	for (i = 0; i < s->nlevels; i++)
	{
		const IdealLevel *l = &s->levels[i];

		spell(sp, &n, l->code, i);
		for (j = 0; j < l->labels.n; j++)
			spell(sp, &n, l->labels.items[j].text, i);
		for (j = 0; j < l->aliases.n; j++)
			spell(sp, &n, l->aliases.items[j], i);
	}
	for (j = 0; j < s->unknown_labels.n; j++)
		spell(sp, &n, s->unknown_labels.items[j].text, -1);
	for (j = 0; j < s->unknown_aliases.n; j++)
		spell(sp, &n, s->unknown_aliases.items[j], -1);
	free(sp);
}

/* Indicator codes and labels pick out one indicator. */
static void
check_indicator_spellings(const IdealMethod *m)
{
	Spelling   *sp;
	int			cap = 0;
	int			n = 0;
	int			i,
				j;

	for (i = 0; i < m->nindicators; i++)
		cap += 1 + m->indicators[i].labels.n;
	sp = malloc(sizeof(Spelling) * cap);
	CHECK(sp != NULL);
	for (i = 0; i < m->nindicators; i++)
	{
		spell(sp, &n, m->indicators[i].code, i);
		for (j = 0; j < m->indicators[i].labels.n; j++)
			spell(sp, &n, m->indicators[i].labels.items[j].text, i);
	}
	free(sp);
}

/* Codes of items in one list are distinct. */
static void
check_item_codes(const IdealCodeItem *items, int n)
{
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		check_str(items[i].code, true);
		check_labels(&items[i].labels);
		for (j = 0; j < i; j++)
			CHECK(strcmp(items[i].code, items[j].code) != 0);
	}
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
	for (i = 0; i < m->languages.n; i++)
	{
		CHECK(strlen(m->languages.items[i]) == 2);
		for (j = 0; j < i; j++)
			CHECK(strcmp(m->languages.items[i], m->languages.items[j]) != 0);
	}
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
		if (s->ordinal || s->has_unknown)
			check_scale_spellings(s);
		for (j = 0; j < i; j++)
			CHECK(strcmp(m->scales[j].code, s->code) != 0);
	}

	check_item_codes(m->crime_areas, m->ncrime_areas);
	check_item_codes(m->typologies, m->ntypologies);

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
		for (j = 0; j < i; j++)
			CHECK(strcmp(m->indicators[j].code, ind->code) != 0);
	}
	check_indicator_spellings(m);

	for (i = 0; i < m->ncomposites; i++)
	{
		const IdealComposite *c = &m->composites[i];

		check_str(c->code, true);
		check_labels(&c->labels);
		for (j = 0; j < m->nindicators; j++)
			CHECK(strcmp(m->indicators[j].code, c->code) != 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(m->composites[j].code, c->code) != 0);
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
