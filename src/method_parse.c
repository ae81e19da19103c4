/*
 * method_parse.c
 *		Read a methodology file with libyaml into an IdealMethod.
 *
 * Two passes: the event stream first, to enforce the size, depth and
 * anchor limits before anything is built; then the document API, to walk
 * the tree with each node's position at hand for error messages.  The
 * format is described in the README, section "Methodology files".
 */
#include "method.h"
#include "codes.h"
#include "summary.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- arena ---- */

typedef struct ArenaBlock
{
	struct ArenaBlock *next;
	size_t		used;
	size_t		size;
	/* data follows, max-aligned */
	double		data[];
} ArenaBlock;

typedef struct Arena
{
	ArenaBlock *head;
} Arena;

/* Zeroed allocation from the arena; NULL when out of memory. */
static void *
arena_alloc(Arena *a, size_t size)
{
	ArenaBlock *b = a->head;

	size = (size + 15) & ~(size_t) 15;
	if (b == NULL || b->size - b->used < size)
	{
		size_t		bsize = size > 16384 ? size : 16384;

		b = calloc(1, sizeof(ArenaBlock) + bsize);
		if (b == NULL)
			return NULL;
		b->size = bsize;
		b->next = a->head;
		a->head = b;
	}
	b->used += size;
	return (char *) b->data + b->used - size;
}

static void
arena_free(Arena *a)
{
	while (a->head)
	{
		ArenaBlock *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}

/* ---- parse context ---- */

typedef struct Ctx
{
	yaml_document_t *doc;
	Arena	   *arena;
	IdealMethod *m;
	IdealParseError *err;
} Ctx;

static bool fail(Ctx *c, yaml_node_t *node, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Record an error at a node (or at no place when node is NULL). */
static bool
fail(Ctx *c, yaml_node_t *node, const char *fmt,...)
{
	va_list		ap;

	if (node)
	{
		c->err->line = (int) node->start_mark.line + 1;
		c->err->column = (int) node->start_mark.column + 1;
	}
	else
		c->err->line = c->err->column = 0;
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return false;
}

static void *
c_alloc(Ctx *c, size_t size)
{
	void	   *p = arena_alloc(c->arena, size);

	if (p == NULL)
		fail(c, NULL, "out of memory");
	return p;
}

static char *
c_strdup(Ctx *c, const char *s, size_t len)
{
	char	   *p = c_alloc(c, len + 1);

	if (p)
	{
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

static yaml_node_t *
node_at(Ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

static const char *
node_kind_name(yaml_node_t *n)
{
	switch (n->type)
	{
		case YAML_SCALAR_NODE:
			return "a scalar";
		case YAML_SEQUENCE_NODE:
			return "a list";
		case YAML_MAPPING_NODE:
			return "a mapping";
		default:
			return "nothing";
	}
}

/* The scalar text of a node, or NULL with an error naming what was wanted. */
static const char *
scalar(Ctx *c, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE)
	{
		fail(c, n, "expected %s, found %s", what, node_kind_name(n));
		return NULL;
	}
	if (memchr(n->data.scalar.value, 0, n->data.scalar.length))
	{
		fail(c, n, "expected %s, found a string holding a NUL character",
			 what);
		return NULL;
	}
	return (const char *) n->data.scalar.value;
}

static bool
get_string(Ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	const char *s = scalar(c, n, what);

	if (s == NULL)
		return false;
	if (s[0] == 0)
		return fail(c, n, "expected %s, found an empty string", what);
	if (strspn(s, " \t\r\n") == strlen(s))
		return fail(c, n, "expected %s, found only blanks", what);
	*out = c_strdup(c, s, strlen(s));
	return *out != NULL;
}

/* A code: lower-case letter, then letters, digits, '_', '-', '.'. */
static bool
get_code(Ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	const char *s = scalar(c, n, what);
	size_t		i,
				len;

	if (s == NULL)
		return false;
	len = strlen(s);
	if (len == 0 || len > IDEAL_CODE_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		goto bad;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			  s[i] == '_' || s[i] == '-' || s[i] == '.'))
			goto bad;
	*out = c_strdup(c, s, len);
	return *out != NULL;
bad:
	return fail(c, n, "expected %s: a lower-case letter followed by at most %d lower-case letters, digits, \"_\", \"-\" or \".\", found \"%.80s\"",
				what, IDEAL_CODE_MAX - 1, s);
}

static bool
get_number(Ctx *c, yaml_node_t *n, const char *what, double *out)
{
	const char *s = scalar(c, n, what);
	char	   *end;

	if (s == NULL)
		return false;
	if (s[0] == 0 || strlen(s) > 64)
		return fail(c, n, "expected %s (a number), found \"%.80s\"", what, s);
	*out = strtod(s, &end);
	if (*end != 0 || !isfinite(*out) || s[0] == ' ' ||
		strpbrk(s, "xXnNiI") != NULL)
		return fail(c, n, "expected %s (a number), found \"%.80s\"", what, s);
	return true;
}

/*
 * A number a score may take: scores are summarised in fixed point, so
 * values are kept within IDEAL_VALUE_LIMIT.
 */
static bool
get_value(Ctx *c, yaml_node_t *n, const char *what, double *out)
{
	if (!get_number(c, n, what, out))
		return false;
	if (fabs(*out) > IDEAL_VALUE_LIMIT)
		return fail(c, n, "%s (%g) lies beyond the limit of %g that scale values are kept to",
					what, *out, IDEAL_VALUE_LIMIT);
	return true;
}

static bool
get_bool(Ctx *c, yaml_node_t *n, const char *what, bool *out)
{
	const char *s = scalar(c, n, what);

	if (s == NULL)
		return false;
	if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		return fail(c, n, "expected %s (true or false), found \"%.80s\"",
					what, s);
	return true;
}

/* ---- mappings with known keys ---- */

typedef struct KeyNode
{
	yaml_node_t *key;
	yaml_node_t *value;
} KeyNode;

/*
 * Check that n is a mapping whose keys are all in keys[] (NULL-terminated),
 * each at most once, and that every key in required[] is present; fill
 * out[i] with the value of keys[i] (NULL if absent).
 */
static bool
map_fields(Ctx *c, yaml_node_t *n, const char *what,
		   const char *const *keys, const char *const *required,
		   KeyNode *out)
{
	yaml_node_pair_t *p;
	int			nkeys = 0;
	int			i;

	while (keys[nkeys])
		nkeys++;
	memset(out, 0, sizeof(KeyNode) * nkeys);
	if (n->type != YAML_MAPPING_NODE)
		return fail(c, n, "expected %s (a mapping), found %s", what,
					node_kind_name(n));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
	{
		yaml_node_t *k = node_at(c, p->key);
		const char *ks = scalar(c, k, "a key");

		if (ks == NULL)
			return false;
		for (i = 0; i < nkeys; i++)
			if (strcmp(ks, keys[i]) == 0)
				break;
		if (i == nkeys)
		{
			char		list[400] = "";
			int			j;

			for (j = 0; j < nkeys; j++)
			{
				strncat(list, j ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, keys[j], sizeof(list) - strlen(list) - 1);
			}
			return fail(c, k, "unknown key \"%.80s\" in %s; expected one of: %s",
						ks, what, list);
		}
		if (out[i].key)
			return fail(c, k, "key \"%s\" given twice in %s", ks, what);
		out[i].key = k;
		out[i].value = node_at(c, p->value);
	}
	for (; required && *required; required++)
	{
		for (i = 0; i < nkeys; i++)
			if (strcmp(*required, keys[i]) == 0)
				break;
		if (out[i].key == NULL)
			return fail(c, n, "missing key \"%s\" in %s", *required, what);
	}
	return true;
}

static int
field(const char *const *keys, const char *name)
{
	int			i;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], name) == 0)
			return i;
	return -1;
}

#define F(name) fields[field(keys, name)].value

static bool
expect_list(Ctx *c, yaml_node_t *n, const char *what, bool nonempty)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(c, n, "expected %s (a list), found %s", what,
					node_kind_name(n));
	if (nonempty && n->data.sequence.items.top == n->data.sequence.items.start)
		return fail(c, n, "expected %s (a list), found an empty list", what);
	if (n->data.sequence.items.top - n->data.sequence.items.start >
		IDEAL_YAML_MAX_ITEMS)
		return fail(c, n, "%s has more than %d items", what,
					IDEAL_YAML_MAX_ITEMS);
	return true;
}

#define LIST_LEN(n) ((int) ((n)->data.sequence.items.top - \
							(n)->data.sequence.items.start))
#define LIST_ITEM(c, n, i) node_at((c), (n)->data.sequence.items.start[(i)])

/* ---- labels ---- */

static bool
lang_declared(Ctx *c, const char *lang)
{
	int			i;

	for (i = 0; i < c->m->languages.n; i++)
		if (strcmp(c->m->languages.items[i], lang) == 0)
			return true;
	return false;
}

static bool
get_labels(Ctx *c, yaml_node_t *n, const char *what, IdealLabels *out)
{
	yaml_node_pair_t *p;
	int			count;
	bool		has_en = false;

	if (n->type != YAML_MAPPING_NODE)
		return fail(c, n, "expected %s (a mapping of language to text), found %s",
					what, node_kind_name(n));
	count = (int) (n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	out->items = c_alloc(c, sizeof(IdealLabel) * (count + 1));
	out->n = 0;
	if (out->items == NULL)
		return false;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
	{
		yaml_node_t *k = node_at(c, p->key);
		yaml_node_t *v = node_at(c, p->value);
		const char *lang = scalar(c, k, "a language code");
		int			i;

		if (lang == NULL)
			return false;
		if (!lang_declared(c, lang))
			return fail(c, k, "language \"%.20s\" in %s is not declared in \"languages\"",
						lang, what);
		for (i = 0; i < out->n; i++)
			if (strcmp(out->items[i].lang, lang) == 0)
				return fail(c, k, "language \"%s\" given twice in %s",
							lang, what);
		strcpy(out->items[out->n].lang, lang);
		if (!get_string(c, v, "a label", &out->items[out->n].text))
			return false;
		if (strcmp(lang, "en") == 0)
			has_en = true;
		out->n++;
	}
	if (!has_en)
		return fail(c, n, "%s must have an \"en\" entry", what);
	return true;
}

static bool
get_strings(Ctx *c, yaml_node_t *n, const char *what, IdealStrings *out)
{
	int			i;

	if (!expect_list(c, n, what, false))
		return false;
	out->n = LIST_LEN(n);
	out->items = c_alloc(c, sizeof(char *) * (out->n + 1));
	if (out->items == NULL)
		return false;
	for (i = 0; i < out->n; i++)
		if (!get_string(c, LIST_ITEM(c, n, i), what, &out->items[i]))
			return false;
	return true;
}

/* ---- label collision checks ---- */

/*
 * The folded spellings met so far in one scale or in the indicators, in an
 * open-addressing hash table that grows as spellings are added: a file of
 * 200000 labels is checked in linear time, and memory follows the labels
 * actually present rather than a worst case.  An owner is identified by
 * its address (the level's or indicator's own code string), not its text,
 * so two levels with the same code, or a level coded "unknown" and the
 * unknown answer, are different owners.
 */
typedef struct Seen
{
	const char *folded;			/* NULL: free slot */
	const char *owner;
} Seen;

typedef struct SeenSet
{
	Seen	   *slots;
	size_t		mask;			/* number of slots - 1; slots a power of 2 */
	size_t		n;
} SeenSet;

#define SEEN_SET_INIT {NULL, 0, 0}

/* FNV-1a hash of a string. */
static uint32_t
hash_string(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 16777619u;
	return h;
}

/* The slot holding a spelling, or the free slot where it would go. */
static Seen *
seen_slot(SeenSet *set, const char *folded)
{
	size_t		i = hash_string(folded) & set->mask;

	while (set->slots[i].folded && strcmp(set->slots[i].folded, folded) != 0)
		i = (i + 1) & set->mask;
	return &set->slots[i];
}

/* Create the table, or double it; false when out of memory. */
static bool
seen_grow(Ctx *c, SeenSet *set)
{
	SeenSet		old = *set;
	size_t		size = old.slots ? (old.mask + 1) * 2 : 64;
	size_t		i;

	set->slots = c_alloc(c, sizeof(Seen) * size);
	if (set->slots == NULL)
		return false;
	set->mask = size - 1;
	if (old.slots)
		for (i = 0; i <= old.mask; i++)
			if (old.slots[i].folded)
				*seen_slot(set, old.slots[i].folded) = old.slots[i];
	return true;
}

/*
 * Register a spelling (code, label or alias) for owner; fails if another
 * owner already uses the same folded spelling.
 */
static bool
seen_add(Ctx *c, yaml_node_t *at, SeenSet *set, const char *text,
		 const char *owner, const char *what)
{
	char		f[256];
	Seen	   *slot;

	if (ideal_fold(text, strlen(text), f, sizeof(f)) < 0)
		return fail(c, at, "label \"%.80s\" in %s is too long or not valid UTF-8",
					text, what);
	/* keep the table at most half full */
	if (set->slots == NULL || (set->n + 1) * 2 > set->mask + 1)
	{
		if (!seen_grow(c, set))
			return false;
	}
	slot = seen_slot(set, f);
	if (slot->folded)
	{
		if (slot->owner == owner)
			return true;
		return fail(c, at, "\"%.80s\" names both \"%s\" and \"%s\" in %s",
					text, slot->owner, owner, what);
	}
	slot->folded = c_strdup(c, f, strlen(f));
	if (slot->folded == NULL)
		return false;
	slot->owner = owner;
	set->n++;
	return true;
}

/* ---- sections ---- */

static bool
parse_level(Ctx *c, yaml_node_t *n, IdealLevel *lv)
{
	static const char *const keys[] = {"code", "value", "labels", "aliases",
	NULL};
	static const char *const req[] = {"code", "value", "labels", NULL};
	KeyNode		fields[4];

	if (!map_fields(c, n, "a scale level", keys, req, fields))
		return false;
	if (!get_code(c, F("code"), "a level code", &lv->code) ||
		!get_value(c, F("value"), "the level's value", &lv->value) ||
		!get_labels(c, F("labels"), "the level's labels", &lv->labels))
		return false;
	if (F("aliases") &&
		!get_strings(c, F("aliases"), "the level's aliases", &lv->aliases))
		return false;
	return true;
}

static bool
parse_scale(Ctx *c, yaml_node_t *keynode, yaml_node_t *n, IdealScale *s)
{
	static const char *const keys[] = {"kind", "min", "max", "step",
	"levels", "unknown", NULL};
	static const char *const req[] = {"kind", NULL};
	KeyNode		fields[6];
	const char *kind;

	if (!get_code(c, keynode, "a scale code", &s->code))
		return false;
	if (!map_fields(c, n, "a scale", keys, req, fields))
		return false;
	kind = scalar(c, F("kind"), "the scale kind");
	if (kind == NULL)
		return false;
	if (strcmp(kind, "numeric") == 0)
	{
		if (F("min") == NULL || F("max") == NULL)
			return fail(c, n, "a numeric scale needs \"min\" and \"max\"");
		if (F("levels"))
			return fail(c, fields[field(keys, "levels")].key,
						"a numeric scale has no \"levels\"");
		if (!get_value(c, F("min"), "the scale minimum", &s->min) ||
			!get_value(c, F("max"), "the scale maximum", &s->max))
			return false;
		if (s->min > s->max)
			return fail(c, F("max"), "scale \"%s\": max (%g) is less than min (%g)",
						s->code, s->max, s->min);
		if (F("step"))
		{
			if (!get_number(c, F("step"), "the scale step", &s->step))
				return false;
			if (!(s->step > 0))
				return fail(c, F("step"), "scale \"%s\": step must be greater than 0",
							s->code);
		}
	}
	else if (strcmp(kind, "ordinal") == 0)
	{
		yaml_node_t *lv = F("levels");
		int			i,
					j;

		if (lv == NULL)
			return fail(c, n, "an ordinal scale needs \"levels\"");
		if (F("min") || F("max") || F("step"))
			return fail(c, n, "an ordinal scale takes no \"min\", \"max\" or \"step\"");
		if (!expect_list(c, lv, "the scale levels", true))
			return false;
		s->ordinal = true;
		s->nlevels = LIST_LEN(lv);
		s->levels = c_alloc(c, sizeof(IdealLevel) * s->nlevels);
		if (s->levels == NULL)
			return false;
		for (i = 0; i < s->nlevels; i++)
		{
			yaml_node_t *item = LIST_ITEM(c, lv, i);

			if (!parse_level(c, item, &s->levels[i]))
				return false;
			for (j = 0; j < i; j++)
				if (strcmp(s->levels[j].code, s->levels[i].code) == 0)
					return fail(c, item, "scale \"%s\": duplicate level code \"%s\"",
								s->code, s->levels[i].code);
			if (i > 0 && !(s->levels[i].value > s->levels[i - 1].value))
				return fail(c, item, "scale \"%s\": level values must ascend, but \"%s\" (%g) follows \"%s\" (%g)",
							s->code, s->levels[i].code, s->levels[i].value,
							s->levels[i - 1].code, s->levels[i - 1].value);
		}
		s->min = s->levels[0].value;
		s->max = s->levels[s->nlevels - 1].value;
	}
	else
		return fail(c, F("kind"), "expected a scale kind (numeric or ordinal), found \"%.80s\"",
					kind);

	if (F("unknown"))
	{
		static const char *const ukeys[] = {"value", "labels", "aliases",
		NULL};
		static const char *const ureq[] = {"labels", NULL};
		KeyNode		uf[3];
		yaml_node_t *u = F("unknown");

		if (!map_fields(c, u, "the scale's unknown answer", ukeys, ureq, uf))
			return false;
		s->has_unknown = true;
		if (uf[0].value)
		{
			s->unknown_scored = true;
			if (!get_value(c, uf[0].value, "the value of unknown",
							&s->unknown_value))
				return false;
		}
		if (!get_labels(c, uf[1].value, "the unknown labels",
						&s->unknown_labels))
			return false;
		if (uf[2].value && !get_strings(c, uf[2].value, "the unknown aliases",
										&s->unknown_aliases))
			return false;
	}

	/* every spelling on an ordinal scale must name one thing */
	if (s->ordinal || s->has_unknown)
	{
		static const char unknown_owner[] = "unknown";
		SeenSet		seen = SEEN_SET_INIT;
		int			i,
					j;

		for (i = 0; i < s->nlevels; i++)
		{
			IdealLevel *l = &s->levels[i];

			if (!seen_add(c, n, &seen, l->code, l->code, "the scale"))
				return false;
			for (j = 0; j < l->labels.n; j++)
				if (!seen_add(c, n, &seen, l->labels.items[j].text, l->code,
							  "the scale"))
					return false;
			for (j = 0; j < l->aliases.n; j++)
				if (!seen_add(c, n, &seen, l->aliases.items[j], l->code,
							  "the scale"))
					return false;
		}
		for (j = 0; j < s->unknown_labels.n; j++)
			if (!seen_add(c, n, &seen, s->unknown_labels.items[j].text,
						  unknown_owner, "the scale"))
				return false;
		for (j = 0; j < s->unknown_aliases.n; j++)
			if (!seen_add(c, n, &seen, s->unknown_aliases.items[j],
						  unknown_owner, "the scale"))
				return false;
	}
	return true;
}

static bool
parse_code_items(Ctx *c, yaml_node_t *n, const char *what,
				 IdealCodeItem **out, int *count)
{
	static const char *const keys[] = {"code", "labels", NULL};
	int			i,
				j;

	if (!expect_list(c, n, what, false))
		return false;
	*count = LIST_LEN(n);
	*out = c_alloc(c, sizeof(IdealCodeItem) * (*count + 1));
	if (*out == NULL)
		return false;
	for (i = 0; i < *count; i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		KeyNode		fields[2];

		if (!map_fields(c, item, what, keys, keys, fields) ||
			!get_code(c, F("code"), "a code", &(*out)[i].code) ||
			!get_labels(c, F("labels"), "labels", &(*out)[i].labels))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp((*out)[j].code, (*out)[i].code) == 0)
				return fail(c, item, "duplicate code \"%s\" in %s",
							(*out)[i].code, what);
	}
	return true;
}

/* Index of an indicator or composite by code; sets *is_comp. -1 if none. */
static int
find_code(IdealMethod *m, const char *code, int ncomposites, bool *is_comp)
{
	int			i;

	for (i = 0; i < m->nindicators; i++)
		if (strcmp(m->indicators[i].code, code) == 0)
		{
			*is_comp = false;
			return i;
		}
	for (i = 0; i < ncomposites; i++)
		if (strcmp(m->composites[i].code, code) == 0)
		{
			*is_comp = true;
			return i;
		}
	return -1;
}

static bool
parse_indicators(Ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"code", "kind", "scale", "weight",
	"required", "unknown", "group", "labels", NULL};
	static const char *const req[] = {"code", "kind", "scale", "labels",
	NULL};
	IdealMethod *m = c->m;
	SeenSet		seen = SEEN_SET_INIT;
	int			i,
				j;

	if (!expect_list(c, n, "indicators", true))
		return false;
	m->nindicators = LIST_LEN(n);
	m->indicators = c_alloc(c, sizeof(IdealIndicator) * m->nindicators);
	if (m->indicators == NULL)
		return false;
	for (i = 0; i < m->nindicators; i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		IdealIndicator *ind = &m->indicators[i];
		KeyNode		fields[8];
		const char *kind;
		const char *scale;
		int			k;

		if (!map_fields(c, item, "an indicator", keys, req, fields) ||
			!get_code(c, F("code"), "an indicator code", &ind->code))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(m->indicators[j].code, ind->code) == 0)
				return fail(c, F("code"), "duplicate indicator code \"%s\"",
							ind->code);
		kind = scalar(c, F("kind"), "a subject kind");
		if (kind == NULL)
			return false;
		k = ideal_kind_parse(kind);
		if (k < 0 || !(m->kinds & (1u << k)))
			return fail(c, F("kind"), "indicator \"%s\": kind \"%.40s\" is not one of the methodology's subject_kinds",
						ind->code, kind);
		ind->kind = (IdealKind) k;
		scale = scalar(c, F("scale"), "a scale code");
		if (scale == NULL)
			return false;
		ind->scale = -1;
		for (j = 0; j < m->nscales; j++)
			if (strcmp(m->scales[j].code, scale) == 0)
				ind->scale = j;
		if (ind->scale < 0)
			return fail(c, F("scale"), "indicator \"%s\": scale \"%.80s\" is not defined in \"scales\"",
						ind->code, scale);
		ind->weight = 1;
		if (F("weight"))
		{
			if (!get_number(c, F("weight"), "the indicator weight",
							&ind->weight))
				return false;
			if (ind->weight < 0 || ind->weight > 1e6)
				return fail(c, F("weight"), "indicator \"%s\": weight must lie between 0 and 1000000",
							ind->code);
		}
		if (F("required") && !get_bool(c, F("required"), "required",
									   &ind->required))
			return false;
		ind->allow_unknown = m->scales[ind->scale].has_unknown;
		if (F("unknown"))
		{
			if (!get_bool(c, F("unknown"), "unknown", &ind->allow_unknown))
				return false;
			if (ind->allow_unknown && !m->scales[ind->scale].has_unknown)
				return fail(c, F("unknown"), "indicator \"%s\" allows unknown, but scale \"%s\" defines no unknown answer",
							ind->code, m->scales[ind->scale].code);
		}
		if (F("group") && !get_code(c, F("group"), "an indicator group",
									&ind->group))
			return false;
		if (!get_labels(c, F("labels"), "the indicator labels", &ind->labels))
			return false;
		/* codes and labels must pick out one indicator */
		if (!seen_add(c, item, &seen, ind->code, ind->code, "the indicators"))
			return false;
		for (j = 0; j < ind->labels.n; j++)
			if (!seen_add(c, item, &seen, ind->labels.items[j].text,
						  ind->code, "the indicators"))
				return false;
	}
	return true;
}

static bool
parse_composites(Ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"code", "method", "of", "labels",
	NULL};
	IdealMethod *m = c->m;
	int			i,
				j;

	if (!expect_list(c, n, "composites", false))
		return false;
	m->ncomposites = LIST_LEN(n);
	m->composites = c_alloc(c, sizeof(IdealComposite) * (m->ncomposites + 1));
	if (m->composites == NULL)
		return false;
	for (i = 0; i < m->ncomposites; i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		IdealComposite *cp = &m->composites[i];
		KeyNode		fields[4];
		const char *method;
		yaml_node_t *of;
		bool		is_comp;
		int			kind = -1;

		cp->band = -1;
		if (!map_fields(c, item, "a composite", keys, keys, fields) ||
			!get_code(c, F("code"), "a composite code", &cp->code))
			return false;
		if (find_code(m, cp->code, i, &is_comp) >= 0)
			return fail(c, F("code"), "duplicate code \"%s\": already used by %s",
						cp->code, is_comp ? "a composite" : "an indicator");
		method = scalar(c, F("method"), "a method");
		if (method == NULL)
			return false;
		if (strcmp(method, "mean") == 0)
			cp->method = IDEAL_M_MEAN;
		else if (strcmp(method, "weighted_mean") == 0)
			cp->method = IDEAL_M_WEIGHTED_MEAN;
		else if (strcmp(method, "weighted_sum") == 0)
			cp->method = IDEAL_M_WEIGHTED_SUM;
		else if (strcmp(method, "max") == 0)
			cp->method = IDEAL_M_MAX;
		else
			return fail(c, F("method"), "expected a method (mean, weighted_mean, weighted_sum or max), found \"%.80s\"",
						method);
		of = F("of");
		if (!expect_list(c, of, "the composite's inputs", true))
			return false;
		cp->ninputs = LIST_LEN(of);
		cp->inputs = c_alloc(c, sizeof(IdealInput) * cp->ninputs);
		if (cp->inputs == NULL)
			return false;
		for (j = 0; j < cp->ninputs; j++)
		{
			yaml_node_t *in = LIST_ITEM(c, of, j);
			yaml_node_t *codenode = in;
			yaml_node_t *weightnode = NULL;
			const char *code;
			int			idx,
						k,
						ikind;

			if (in->type == YAML_MAPPING_NODE)
			{
				static const char *const ikeys[] = {"code", "weight", NULL};
				static const char *const ireq[] = {"code", NULL};
				KeyNode		inf[2];

				if (!map_fields(c, in, "a composite input", ikeys, ireq, inf))
					return false;
				codenode = inf[0].value;
				weightnode = inf[1].value;
			}
			code = scalar(c, codenode, "an indicator or composite code");
			if (code == NULL)
				return false;
			idx = find_code(m, code, i, &is_comp);
			if (idx < 0)
				return fail(c, codenode, "composite \"%s\" uses \"%.80s\", which is neither an indicator nor a composite defined before it",
							cp->code, code);
			for (k = 0; k < j; k++)
				if (cp->inputs[k].is_composite == is_comp &&
					cp->inputs[k].index == idx)
					return fail(c, codenode, "composite \"%s\" uses \"%s\" twice",
								cp->code, code);
			cp->inputs[j].is_composite = is_comp;
			cp->inputs[j].index = idx;
			cp->inputs[j].weight = is_comp ? 1.0 : m->indicators[idx].weight;
			if (weightnode)
			{
				if (!get_number(c, weightnode, "the input weight",
								&cp->inputs[j].weight))
					return false;
				if (cp->inputs[j].weight < 0 || cp->inputs[j].weight > 1e6)
					return fail(c, weightnode, "composite \"%s\": weight must lie between 0 and 1000000",
								cp->code);
			}
			ikind = is_comp ? (int) m->composites[idx].kind :
				(int) m->indicators[idx].kind;
			if (kind >= 0 && ikind != kind)
				return fail(c, codenode, "composite \"%s\" mixes subject kinds: \"%s\" is about %s, earlier inputs about %s",
							cp->code, code, ideal_kind_name(ikind),
							ideal_kind_name(kind));
			kind = ikind;
		}
		cp->kind = (IdealKind) kind;
		if (!get_labels(c, F("labels"), "the composite labels", &cp->labels))
			return false;
	}
	return true;
}

/* Largest magnitude an indicator's answers can score. */
static double
indicator_bound(IdealMethod *m, int i)
{
	IdealScale *s = &m->scales[m->indicators[i].scale];
	double		b = fmax(fabs(s->min), fabs(s->max));

	if (s->unknown_scored)
		b = fmax(b, fabs(s->unknown_value));
	return b;
}

/*
 * Refuse a composite whose score could leave the range that summaries
 * keep (IDEAL_TERM_LIMIT): weighted sums of large values and weights.
 */
static bool
check_composite_bounds(Ctx *c, yaml_node_t *list)
{
	IdealMethod *m = c->m;
	double	   *bound = c_alloc(c, sizeof(double) * (m->ncomposites + 1));
	int			i,
				j;

	if (bound == NULL)
		return false;
	for (i = 0; i < m->ncomposites; i++)
	{
		IdealComposite *cp = &m->composites[i];
		double		b = 0;

		for (j = 0; j < cp->ninputs; j++)
		{
			IdealInput *in = &cp->inputs[j];
			double		ib = in->is_composite ? bound[in->index] :
				indicator_bound(m, in->index);

			if (cp->method == IDEAL_M_WEIGHTED_SUM)
				b += in->weight * ib;
			else
				b = fmax(b, ib);
		}
		bound[i] = b;
		if (!(b <= IDEAL_TERM_LIMIT))
			return fail(c, LIST_ITEM(c, list, i),
						"composite \"%s\" could reach %g, beyond the limit of %g that scores are kept to",
						cp->code, b, IDEAL_TERM_LIMIT);
	}
	return true;
}

static int
composite_index(IdealMethod *m, const char *code)
{
	int			i;

	for (i = 0; i < m->ncomposites; i++)
		if (strcmp(m->composites[i].code, code) == 0)
			return i;
	return -1;
}

static bool
parse_bands(Ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"composite", "levels", NULL};
	static const char *const lkeys[] = {"level", "from", NULL};
	IdealMethod *m = c->m;
	int			i,
				j;

	if (!expect_list(c, n, "bands", false))
		return false;
	m->nbands = LIST_LEN(n);
	m->bands = c_alloc(c, sizeof(IdealBand) * (m->nbands + 1));
	if (m->bands == NULL)
		return false;
	for (i = 0; i < m->nbands; i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		IdealBand  *b = &m->bands[i];
		KeyNode		fields[2];
		const char *comp;

		if (!map_fields(c, item, "a band", keys, keys, fields))
			return false;
		comp = scalar(c, F("composite"), "a composite code");
		if (comp == NULL)
			return false;
		b->composite = composite_index(m, comp);
		if (b->composite < 0)
			return fail(c, F("composite"), "band names composite \"%.80s\", which is not defined",
						comp);
		if (m->composites[b->composite].band >= 0)
			return fail(c, F("composite"), "composite \"%s\" has two bands",
						comp);
		m->composites[b->composite].band = i;
		if (!expect_list(c, F("levels"), "the band levels", true))
			return false;
		b->nlevels = LIST_LEN(F("levels"));
		b->levels = c_alloc(c, sizeof(IdealBandLevel) * b->nlevels);
		if (b->levels == NULL)
			return false;
		for (j = 0; j < b->nlevels; j++)
		{
			yaml_node_t *lv = LIST_ITEM(c, F("levels"), j);
			KeyNode		lf[2];
			const char *word;

			if (!map_fields(c, lv, "a band level", lkeys, lkeys, lf))
				return false;
			word = scalar(c, lf[0].value, "a threat level");
			if (word == NULL)
				return false;
			b->levels[j].level = ideal_level_parse(word, strlen(word));
			if (b->levels[j].level < 0)
				return fail(c, lf[0].value, "expected a threat level (nil, low, moderate, high or very high), found \"%.80s\"",
							word);
			if (!get_number(c, lf[1].value, "the band's lower bound",
							&b->levels[j].from))
				return false;
			if (j > 0 && !(b->levels[j].from > b->levels[j - 1].from &&
						   b->levels[j].level > b->levels[j - 1].level))
				return fail(c, lv, "band of \"%s\": levels and their \"from\" bounds must both ascend",
							comp);
		}
	}
	return true;
}

static bool
parse_quadrant(Ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"x", "y", "x_threshold",
	"y_threshold", NULL};
	IdealMethod *m = c->m;
	KeyNode		fields[4];
	const char *x,
			   *y;

	if (!map_fields(c, n, "the quadrant", keys, keys, fields))
		return false;
	x = scalar(c, F("x"), "a composite code");
	y = x ? scalar(c, F("y"), "a composite code") : NULL;
	if (y == NULL)
		return false;
	m->quadrant_x = composite_index(m, x);
	m->quadrant_y = composite_index(m, y);
	if (m->quadrant_x < 0)
		return fail(c, F("x"), "quadrant axis \"%.80s\" is not a composite", x);
	if (m->quadrant_y < 0)
		return fail(c, F("y"), "quadrant axis \"%.80s\" is not a composite", y);
	if (!get_number(c, F("x_threshold"), "a threshold",
					&m->quadrant_x_threshold) ||
		!get_number(c, F("y_threshold"), "a threshold",
					&m->quadrant_y_threshold))
		return false;
	m->has_quadrant = true;
	return true;
}

static bool
parse_root(Ctx *c, yaml_node_t *root)
{
	static const char *const keys[] = {"methodology", "version", "title",
		"source", "note", "languages", "scales", "subject_kinds",
		"crime_areas", "typologies", "indicators", "composites", "bands",
	"quadrant", "gradings", "members", NULL};
	static const char *const req[] = {"methodology", "version", "title",
		"languages", "scales", "subject_kinds", "indicators", "members",
	NULL};
	KeyNode		fields[16];
	IdealMethod *m = c->m;
	yaml_node_t *n;
	yaml_node_pair_t *p;
	int			i,
				j;

	if (!map_fields(c, root, "the methodology file", keys, req, fields))
		return false;
	if (!get_code(c, F("methodology"), "the methodology code", &m->code) ||
		!get_string(c, F("version"), "the version", &m->version))
		return false;
	if (F("source") && !get_string(c, F("source"), "the source", &m->source))
		return false;
	if (F("note") && !get_string(c, F("note"), "the note", &m->note))
		return false;

	/* languages come first: label maps are checked against them */
	n = F("languages");
	if (!get_strings(c, n, "the languages", &m->languages))
		return false;
	for (i = 0; i < m->languages.n; i++)
	{
		const char *l = m->languages.items[i];

		if (strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' ||
			l[1] > 'z')
			return fail(c, LIST_ITEM(c, n, i), "expected a two-letter lower-case language code, found \"%.20s\"",
						l);
		for (j = 0; j < i; j++)
			if (strcmp(m->languages.items[j], l) == 0)
				return fail(c, LIST_ITEM(c, n, i), "language \"%s\" listed twice",
							l);
	}
	if (!lang_declared(c, "en"))
		return fail(c, n, "\"languages\" must include \"en\"");
	if (!get_labels(c, F("title"), "the title", &m->title))
		return false;

	n = F("subject_kinds");
	if (!expect_list(c, n, "subject_kinds", true))
		return false;
	for (i = 0; i < LIST_LEN(n); i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		const char *s = scalar(c, item, "a subject kind");
		int			k;

		if (s == NULL)
			return false;
		k = ideal_kind_parse(s);
		if (k < 0)
			return fail(c, item, "expected a subject kind (group, crime_area or country), found \"%.80s\"",
						s);
		if (m->kinds & (1u << k))
			return fail(c, item, "subject kind \"%s\" listed twice", s);
		m->kinds |= 1u << k;
	}

	n = F("scales");
	if (n->type != YAML_MAPPING_NODE)
		return fail(c, n, "expected the scales (a mapping of scale code to scale), found %s",
					node_kind_name(n));
	m->nscales = (int) (n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (m->nscales == 0)
		return fail(c, n, "expected at least one scale");
	if (m->nscales > IDEAL_YAML_MAX_ITEMS)
		return fail(c, n, "more than %d scales", IDEAL_YAML_MAX_ITEMS);
	m->scales = c_alloc(c, sizeof(IdealScale) * m->nscales);
	if (m->scales == NULL)
		return false;
	for (p = n->data.mapping.pairs.start, i = 0; p < n->data.mapping.pairs.top;
		 p++, i++)
	{
		if (!parse_scale(c, node_at(c, p->key), node_at(c, p->value),
						 &m->scales[i]))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(m->scales[j].code, m->scales[i].code) == 0)
				return fail(c, node_at(c, p->key), "duplicate scale code \"%s\"",
							m->scales[i].code);
	}

	if (F("crime_areas") &&
		!parse_code_items(c, F("crime_areas"), "crime_areas", &m->crime_areas,
						  &m->ncrime_areas))
		return false;
	if (F("typologies") &&
		!parse_code_items(c, F("typologies"), "typologies", &m->typologies,
						  &m->ntypologies))
		return false;
	if (!parse_indicators(c, F("indicators")))
		return false;
	if (F("composites") && !parse_composites(c, F("composites")))
		return false;
	if (F("composites") && !check_composite_bounds(c, F("composites")))
		return false;
	if (F("bands") && !parse_bands(c, F("bands")))
		return false;
	if (F("quadrant") && !parse_quadrant(c, F("quadrant")))
		return false;

	m->gradings = 0;
	if (F("gradings"))
	{
		n = F("gradings");
		if (!expect_list(c, n, "gradings", true))
			return false;
		for (i = 0; i < LIST_LEN(n); i++)
		{
			yaml_node_t *item = LIST_ITEM(c, n, i);
			const char *s = scalar(c, item, "a grading system");
			int			g;

			if (s == NULL)
				return false;
			g = ideal_grading_system_parse(s);
			if (g == 0)
				return fail(c, item, "expected a grading system (admiralty, europol, uk3x5x2 or uk5x5x5), found \"%.80s\"",
							s);
			if (m->gradings & (1u << g))
				return fail(c, item, "grading system \"%s\" listed twice", s);
			m->gradings |= 1u << g;
		}
	}
	else
		for (i = 1; i <= IDEAL_GS_COUNT; i++)
			m->gradings |= 1u << i;

	n = F("members");
	if (!expect_list(c, n, "members", true))
		return false;
	m->nmembers = LIST_LEN(n);
	m->members = c_alloc(c, sizeof(int) * m->nmembers);
	if (m->members == NULL)
		return false;
	for (i = 0; i < m->nmembers; i++)
	{
		yaml_node_t *item = LIST_ITEM(c, n, i);
		const char *s = scalar(c, item, "a country code");

		if (s == NULL)
			return false;
		m->members[i] = ideal_country_parse(s, strlen(s));
		if (m->members[i] == 0)
			return fail(c, item, "expected an ISO 3166-1 country code (alpha-2, alpha-3 or numeric), found \"%.40s\"",
						s);
		for (j = 0; j < i; j++)
			if (m->members[j] == m->members[i])
				return fail(c, item, "member \"%s\" listed twice", s);
	}
	return true;
}

/* Turn a libyaml problem into our error. */
static void
yaml_problem(yaml_parser_t *p, IdealParseError *err)
{
	yaml_mark_t mark = p->problem_mark;

	if (p->error == YAML_READER_ERROR)
	{
		err->line = 0;
		err->column = 0;
		snprintf(err->message, sizeof(err->message),
				 "%s at byte %zu", p->problem ? p->problem : "unreadable input",
				 p->problem_offset);
		return;
	}
	err->line = (int) mark.line + 1;
	err->column = (int) mark.column + 1;
	snprintf(err->message, sizeof(err->message), "%s%s%s",
			 p->problem ? p->problem : "malformed YAML",
			 p->context ? " " : "", p->context ? p->context : "");
}

/*
 * First pass over the event stream: refuse anchors, aliases, deep nesting,
 * long scalars and too many nodes before any tree is built.
 */
static bool
check_events(const char *text, size_t len, IdealParseError *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int			depth = 0;
	long		nodes = 0;
	int			docs = 0;
	bool		ok = true;
	bool		done = false;

	if (!yaml_parser_initialize(&parser))
	{
		snprintf(err->message, sizeof(err->message), "out of memory");
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (ok && !done)
	{
		if (!yaml_parser_parse(&parser, &ev))
		{
			yaml_problem(&parser, err);
			ok = false;
			break;
		}
		err->line = (int) ev.start_mark.line + 1;
		err->column = (int) ev.start_mark.column + 1;
		switch (ev.type)
		{
			case YAML_STREAM_END_EVENT:
				done = true;
				break;
			case YAML_DOCUMENT_START_EVENT:
				if (++docs > 1)
				{
					snprintf(err->message, sizeof(err->message),
							 "expected one YAML document, found a second");
					ok = false;
				}
				break;
			case YAML_ALIAS_EVENT:
				snprintf(err->message, sizeof(err->message),
						 "aliases are not allowed in a methodology file");
				ok = false;
				break;
			case YAML_SCALAR_EVENT:
				if (ev.data.scalar.anchor)
				{
					snprintf(err->message, sizeof(err->message),
							 "anchors are not allowed in a methodology file");
					ok = false;
				}
				else if (ev.data.scalar.length > IDEAL_YAML_MAX_SCALAR)
				{
					snprintf(err->message, sizeof(err->message),
							 "scalar of %zu bytes exceeds the limit of %d bytes",
							 ev.data.scalar.length, IDEAL_YAML_MAX_SCALAR);
					ok = false;
				}
				nodes++;
				break;
			case YAML_SEQUENCE_START_EVENT:
			case YAML_MAPPING_START_EVENT:
				if ((ev.type == YAML_SEQUENCE_START_EVENT &&
					 ev.data.sequence_start.anchor) ||
					(ev.type == YAML_MAPPING_START_EVENT &&
					 ev.data.mapping_start.anchor))
				{
					snprintf(err->message, sizeof(err->message),
							 "anchors are not allowed in a methodology file");
					ok = false;
				}
				else if (++depth > IDEAL_YAML_MAX_DEPTH)
				{
					snprintf(err->message, sizeof(err->message),
							 "nesting deeper than %d levels", IDEAL_YAML_MAX_DEPTH);
					ok = false;
				}
				nodes++;
				break;
			case YAML_SEQUENCE_END_EVENT:
			case YAML_MAPPING_END_EVENT:
				depth--;
				break;
			default:
				break;
		}
		if (ok && nodes > IDEAL_YAML_MAX_NODES)
		{
			snprintf(err->message, sizeof(err->message),
					 "more than %d nodes", IDEAL_YAML_MAX_NODES);
			ok = false;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ok;
}

IdealMethod *
ideal_method_parse(const char *text, size_t len, IdealParseError *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	Arena		arena = {NULL};
	IdealMethod *m;
	Ctx			c;
	bool		ok;

	memset(err, 0, sizeof(*err));
	if (len > IDEAL_YAML_MAX_BYTES)
	{
		snprintf(err->message, sizeof(err->message),
				 "file of %zu bytes exceeds the limit of %d bytes", len,
				 IDEAL_YAML_MAX_BYTES);
		return NULL;
	}
	if (memchr(text, 0, len))
	{
		snprintf(err->message, sizeof(err->message),
				 "file holds a NUL byte");
		return NULL;
	}
	/* a UTF-8 byte-order mark, as Windows editors write, is not content */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
	{
		text += 3;
		len -= 3;
	}
	if (!check_events(text, len, err))
		return NULL;

	if (!yaml_parser_initialize(&parser))
	{
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &doc))
	{
		yaml_problem(&parser, err);
		yaml_parser_delete(&parser);
		return NULL;
	}
	yaml_parser_delete(&parser);

	m = arena_alloc(&arena, sizeof(IdealMethod));
	if (m == NULL)
	{
		yaml_document_delete(&doc);
		arena_free(&arena);
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}
	c.doc = &doc;
	c.arena = &arena;
	c.m = m;
	c.err = err;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL)
	{
		err->line = err->column = 1;
		snprintf(err->message, sizeof(err->message),
				 "expected the methodology file (a mapping), found an empty document");
		ok = false;
	}
	else
		ok = parse_root(&c, root);
	yaml_document_delete(&doc);
	if (!ok)
	{
		arena_free(&arena);
		return NULL;
	}
	/* the arena's own first block must outlive m: keep it in a holder */
	{
		Arena	   *holder = malloc(sizeof(Arena));

		if (holder == NULL)
		{
			arena_free(&arena);
			snprintf(err->message, sizeof(err->message), "out of memory");
			return NULL;
		}
		*holder = arena;
		m->arena = holder;
	}
	return m;
}

void
ideal_method_free(IdealMethod *m)
{
	Arena	   *a;

	if (m == NULL)
		return;
	a = (Arena *) m->arena;
	arena_free(a);
	free(a);
}

const char *
ideal_kind_name(IdealKind k)
{
	switch (k)
	{
		case IDEAL_KIND_GROUP:
			return "group";
		case IDEAL_KIND_CRIME_AREA:
			return "crime_area";
		case IDEAL_KIND_COUNTRY:
			return "country";
	}
	return "?";
}

int
ideal_kind_parse(const char *s)
{
	if (strcmp(s, "group") == 0)
		return IDEAL_KIND_GROUP;
	if (strcmp(s, "crime_area") == 0)
		return IDEAL_KIND_CRIME_AREA;
	if (strcmp(s, "country") == 0)
		return IDEAL_KIND_COUNTRY;
	return -1;
}

const char *
ideal_method_kind_name(IdealMethodKind m)
{
	switch (m)
	{
		case IDEAL_M_MEAN:
			return "mean";
		case IDEAL_M_WEIGHTED_MEAN:
			return "weighted_mean";
		case IDEAL_M_WEIGHTED_SUM:
			return "weighted_sum";
		case IDEAL_M_MAX:
			return "max";
	}
	return "?";
}

const char *
ideal_label(const IdealLabels *labels, const char *lang)
{
	int			i;
	const char *en = NULL;

	for (i = 0; i < labels->n; i++)
	{
		if (lang && strcmp(labels->items[i].lang, lang) == 0)
			return labels->items[i].text;
		if (strcmp(labels->items[i].lang, "en") == 0)
			en = labels->items[i].text;
	}
	return en;
}
