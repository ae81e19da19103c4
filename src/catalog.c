/*
 * catalog.c
 *		Loading methodology files into the catalog tables, and the
 *		per-backend cache of methodologies and cycles that the triggers and
 *		aggregates read instead of querying per row.
 */
#include "ideal.h"

#include <sys/stat.h>

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "common/hashfn.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(ideal_load_methodology);
PG_FUNCTION_INFO_V1(ideal_load_bundled);
PG_FUNCTION_INFO_V1(ideal_cache_invalidate);

/* ---------------------------------------------------------------- */
/* Cache                                                            */
/* ---------------------------------------------------------------- */

static MemoryContext cache_cxt = NULL;
static HTAB *method_cache = NULL;	/* (code, sha256) -> entry pointer */
static HTAB *cycle_cache = NULL;	/* cycle code -> IdealCycleInfo */
static bool cycle_cache_stale = true;
static Oid	cycle_relid = InvalidOid;
static Oid	methodology_relid = InvalidOid;
static bool callback_registered = false;

/* Bumped whenever the cycle map may change: see ideal.h. */
uint32		ideal_cache_generation = 0;

typedef struct MethodKey
{
	char		code[64];
	char		sha256[65];
} MethodKey;

typedef struct MethodSlot
{
	MethodKey	key;
	IdealMethodEntry *entry;
} MethodSlot;

typedef struct CycleSlot
{
	char		code[64];
	IdealCycleInfo info;
} CycleSlot;

/* Any change to cycles or methodologies makes the cycle map stale. */
static void
ideal_relcache_callback(Datum arg, Oid relid)
{
	if (!OidIsValid(relid) || relid == cycle_relid ||
		relid == methodology_relid)
	{
		cycle_cache_stale = true;
		ideal_cache_generation++;
	}
}

static void
cache_init(void)
{
	HASHCTL		ctl;

	if (cache_cxt)
		return;
	cache_cxt = AllocSetContextCreate(TopMemoryContext, "ideal cache",
									  ALLOCSET_DEFAULT_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(MethodKey);
	ctl.entrysize = sizeof(MethodSlot);
	ctl.hcxt = cache_cxt;
	method_cache = hash_create("ideal methodologies", 16, &ctl,
							   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(ideal_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
}

/* Drop the cycle map and re-resolve the catalog table OIDs. */
static void
cycle_cache_reset(void)
{
	HASHCTL		ctl;
	Oid			nsp;

	if (cycle_cache)
		hash_destroy(cycle_cache);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = 64;
	ctl.entrysize = sizeof(CycleSlot);
	ctl.hcxt = cache_cxt;
	cycle_cache = hash_create("ideal cycles", 16, &ctl,
							  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	nsp = get_namespace_oid("ideal", true);
	cycle_relid = OidIsValid(nsp) ? get_relname_relid("cycle", nsp) :
		InvalidOid;
	methodology_relid = OidIsValid(nsp) ?
		get_relname_relid("methodology", nsp) : InvalidOid;
	cycle_cache_stale = false;
	ideal_cache_generation++;
}

/*
 * The label table hashes and compares the folded text up to its end, not
 * the whole fixed-size key: most spellings are a few bytes long.
 */
static uint32
label_hash(const void *key, Size keysize)
{
	const IdealLabelKey *k = (const IdealLabelKey *) key;

	return hash_bytes((const unsigned char *) k->text, strlen(k->text)) ^
		((uint32) k->ns << 24) ^ ((uint32) k->scale * 0x9E3779B1u);
}

static int
label_match(const void *key1, const void *key2, Size keysize)
{
	const IdealLabelKey *a = (const IdealLabelKey *) key1;
	const IdealLabelKey *b = (const IdealLabelKey *) key2;

	if (a->ns != b->ns || a->scale != b->scale)
		return 1;
	return strcmp(a->text, b->text);
}

/* Enter one folded spelling into a methodology's label table. */
static void
label_put(HTAB *h, int ns, int scale, const char *text, int index)
{
	IdealLabelKey key;
	IdealLabelEntry *e;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.ns = (int16) ns;
	key.scale = (int16) scale;
	if (ideal_fold(text, strlen(text), key.text, sizeof(key.text)) < 0)
		return;					/* too long to be typed; never matches */
	e = hash_search(h, &key, HASH_ENTER, &found);
	if (!found)
		e->index = index;
}

int
ideal_lookup_label(IdealMethodEntry *me, int ns, int scale, const char *text,
				   size_t len)
{
	IdealLabelKey key;
	IdealLabelEntry *e;

	/* only the folded text counts (label_hash): no need to clear the key */
	key.ns = (int16) ns;
	key.scale = (int16) scale;
	if (len > 4 * IDEAL_LABEL_KEYLEN ||
		ideal_fold(text, len, key.text, sizeof(key.text)) < 0)
		return -2;
	e = hash_search(me->labels, &key, HASH_FIND, NULL);
	return e ? e->index : -2;
}

/* Collect the indicators under a composite, each once. */
static void
collect_leaves(IdealMethod *m, int comp, bool *mark)
{
	IdealComposite *c = &m->composites[comp];
	int			i;

	for (i = 0; i < c->ninputs; i++)
	{
		if (c->inputs[i].is_composite)
			collect_leaves(m, c->inputs[i].index, mark);
		else
			mark[c->inputs[i].index] = true;
	}
}

/* Build the lookup tables of a parsed methodology. */
static IdealMethodEntry *
method_entry_build(IdealMethod *m, const char *code, const char *sha)
{
	MemoryContext old = MemoryContextSwitchTo(cache_cxt);
	IdealMethodEntry *me = palloc0(sizeof(IdealMethodEntry));
	HASHCTL		ctl;
	int			i,
				j;

	strlcpy(me->code, code, sizeof(me->code));
	strlcpy(me->sha256, sha, sizeof(me->sha256));
	me->m = m;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(IdealLabelKey);
	ctl.entrysize = sizeof(IdealLabelEntry);
	ctl.hash = label_hash;
	ctl.match = label_match;
	ctl.hcxt = cache_cxt;
	me->labels = hash_create("ideal labels", 256, &ctl,
							 HASH_ELEM | HASH_FUNCTION | HASH_COMPARE |
							 HASH_CONTEXT);
	for (i = 0; i < m->nindicators; i++)
	{
		label_put(me->labels, IDEAL_NS_INDICATOR, 0, m->indicators[i].code, i);
		for (j = 0; j < m->indicators[i].labels.n; j++)
			label_put(me->labels, IDEAL_NS_INDICATOR, 0,
					  m->indicators[i].labels.items[j].text, i);
	}
	for (i = 0; i < m->ncrime_areas; i++)
	{
		label_put(me->labels, IDEAL_NS_CRIME_AREA, 0, m->crime_areas[i].code,
				  i);
		for (j = 0; j < m->crime_areas[i].labels.n; j++)
			label_put(me->labels, IDEAL_NS_CRIME_AREA, 0,
					  m->crime_areas[i].labels.items[j].text, i);
	}
	for (i = 0; i < m->ntypologies; i++)
	{
		label_put(me->labels, IDEAL_NS_TYPOLOGY, 0, m->typologies[i].code, i);
		for (j = 0; j < m->typologies[i].labels.n; j++)
			label_put(me->labels, IDEAL_NS_TYPOLOGY, 0,
					  m->typologies[i].labels.items[j].text, i);
	}
	for (i = 0; i < m->nscales; i++)
	{
		IdealScale *s = &m->scales[i];
		int			l;

		for (l = 0; l < s->nlevels; l++)
		{
			label_put(me->labels, IDEAL_NS_LEVEL, i, s->levels[l].code, l);
			for (j = 0; j < s->levels[l].labels.n; j++)
				label_put(me->labels, IDEAL_NS_LEVEL, i,
						  s->levels[l].labels.items[j].text, l);
			for (j = 0; j < s->levels[l].aliases.n; j++)
				label_put(me->labels, IDEAL_NS_LEVEL, i,
						  s->levels[l].aliases.items[j], l);
		}
		if (s->has_unknown)
		{
			for (j = 0; j < s->unknown_labels.n; j++)
				label_put(me->labels, IDEAL_NS_LEVEL, i,
						  s->unknown_labels.items[j].text, -1);
			for (j = 0; j < s->unknown_aliases.n; j++)
				label_put(me->labels, IDEAL_NS_LEVEL, i,
						  s->unknown_aliases.items[j], -1);
		}
	}
	for (i = 0; i < m->nmembers; i++)
		me->member[m->members[i]] = true;

	me->leafsets = palloc0(sizeof(IdealLeafSet) * (m->ncomposites + 1));
	for (i = 0; i < m->ncomposites; i++)
	{
		bool	   *mark = palloc0(sizeof(bool) * m->nindicators);
		IdealLeafSet *ls = &me->leafsets[i];

		collect_leaves(m, i, mark);
		ls->leaves = palloc(sizeof(int) * m->nindicators);
		for (j = 0; j < m->nindicators; j++)
			if (mark[j])
			{
				ls->leaves[ls->nleaves++] = j;
				if (m->indicators[j].required)
					ls->nrequired++;
			}
		pfree(mark);
	}
	MemoryContextSwitchTo(old);
	return me;
}

/* Find or build the cache entry of a methodology definition. */
static IdealMethodEntry *
method_entry_get(const char *code, const char *sha, const char *definition)
{
	MethodKey	key;
	MethodSlot *slot;
	bool		found;
	IdealMethod *m;
	IdealParseError err;

	memset(&key, 0, sizeof(key));
	strlcpy(key.code, code, sizeof(key.code));
	strlcpy(key.sha256, sha, sizeof(key.sha256));
	slot = hash_search(method_cache, &key, HASH_FIND, NULL);
	if (slot)
		return slot->entry;
	m = ideal_method_parse(definition, strlen(definition), &err);
	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored definition of methodology \"%s\" cannot be read",
						code),
				 errdetail("Line %d, column %d: %s.", err.line, err.column,
						   err.message)));
	PG_TRY();
	{
		IdealMethodEntry *me = method_entry_build(m, code, sha);

		slot = hash_search(method_cache, &key, HASH_ENTER, &found);
		slot->entry = me;
	}
	PG_CATCH();
	{
		ideal_method_free(m);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return slot->entry;
}

/* Fetch text column n of the current SPI result row (palloc'd). */
static char *
spi_text(int row, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
}

IdealCycleInfo *
ideal_cycle_lookup(const char *code)
{
	CycleSlot  *slot;
	char		key[64];
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	IdealCycleInfo info;
	int			ret;

	cache_init();
	if (cycle_cache_stale || cycle_cache == NULL)
		cycle_cache_reset();
	if (strlen(code) >= sizeof(key))
		return NULL;
	strlcpy(key, code, sizeof(key));
	slot = hash_search(cycle_cache, key, HASH_FIND, NULL);
	if (slot)
		return &slot->info;

	args[0] = CStringGetTextDatum(code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* operators qualified: this runs with the caller's search_path */
	ret = SPI_execute_with_args("SELECT c.status, m.code, m.sha256, m.definition "
								"FROM ideal.cycle c JOIN ideal.methodology m "
								"ON m.code OPERATOR(pg_catalog.=) c.methodology "
								"WHERE c.code OPERATOR(pg_catalog.=) $1",
								1, argtypes, args, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "cycle lookup failed: %d", ret);
	if (SPI_processed == 0)
	{
		SPI_finish();
		return NULL;
	}
	{
		char	   *status = spi_text(0, 1);

		info.status = status[0];
		info.method = method_entry_get(spi_text(0, 2), spi_text(0, 3),
									   spi_text(0, 4));
	}
	SPI_finish();

	if (cycle_cache_stale)
		cycle_cache_reset();
	slot = hash_search(cycle_cache, key, HASH_ENTER, NULL);
	slot->info = info;
	return &slot->info;
}

IdealMethodEntry *
ideal_method_lookup(const char *code)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	IdealMethodEntry *me = NULL;
	int			ret;

	cache_init();
	args[0] = CStringGetTextDatum(code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args("SELECT code, sha256, definition "
								"FROM ideal.methodology "
								"WHERE code OPERATOR(pg_catalog.=) $1",
								1, argtypes, args, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "methodology lookup failed: %d", ret);
	if (SPI_processed > 0)
		me = method_entry_get(spi_text(0, 1), spi_text(0, 2), spi_text(0, 3));
	SPI_finish();
	return me;
}

/* Statement trigger on cycle and methodology: flush every backend's map. */
Datum
ideal_cache_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ideal.cache_invalidate() must be called as a trigger")));
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------- */
/* Loading                                                          */
/* ---------------------------------------------------------------- */

/* Append labels as a JSON object. */
static void
labels_json(StringInfo buf, const IdealLabels *l)
{
	int			i;

	appendStringInfoChar(buf, '{');
	for (i = 0; i < l->n; i++)
	{
		if (i)
			appendStringInfoString(buf, ", ");
		escape_json(buf, l->items[i].lang);
		appendStringInfoString(buf, ": ");
		escape_json(buf, l->items[i].text);
	}
	appendStringInfoChar(buf, '}');
}

static char *
labels_text(const IdealLabels *l)
{
	StringInfoData buf;

	initStringInfo(&buf);
	labels_json(&buf, l);
	return buf.data;
}

/* Strings as a text[] literal. */
static char *
strings_array(const char *const *items, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		const char *p;

		if (i)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '"');
		for (p = items[i]; *p; p++)
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

static char *
float_text(double d)
{
	return psprintf("%.17g", d);
}

/* Run one statement with text parameters (NULL pointers are SQL NULLs). */
static void
exec_text(const char *sql, int nargs, const char **vals)
{
	Oid			types[16];
	Datum		args[16];
	char		nulls[16];
	int			i;
	int			ret;

	Assert(nargs <= 16);
	for (i = 0; i < nargs; i++)
	{
		types[i] = TEXTOID;
		args[i] = vals[i] ? CStringGetTextDatum(vals[i]) : (Datum) 0;
		nulls[i] = vals[i] ? ' ' : 'n';
	}
	ret = SPI_execute_with_args(sql, nargs, types, args, nulls, false, 0);
	if (ret < 0)
		elog(ERROR, "SPI_execute_with_args failed: %d", ret);
}

static char *
sha256_hex(const char *data, size_t len)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *hex = palloc(PG_SHA256_DIGEST_LENGTH * 2 + 1);
	int			i;

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256");
	pg_cryptohash_free(ctx);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	return hex;
}

/* Insert every part of a parsed methodology into the catalog tables. */
static void
store_method(IdealMethod *m, const char *sha, const char *definition)
{
	const char *kinds[IDEAL_KIND_COUNT];
	const char *grads[IDEAL_GS_COUNT];
	int			nk = 0,
				ng = 0;
	int			i,
				j;

	for (i = 0; i < IDEAL_KIND_COUNT; i++)
		if (m->kinds & (1u << i))
			kinds[nk++] = ideal_kind_name((IdealKind) i);
	for (i = 1; i <= IDEAL_GS_COUNT; i++)
		if (m->gradings & (1u << i))
			grads[ng++] = ideal_grading_system_name(i);
	{
		const char *v[14] = {
			m->code, m->version, labels_text(&m->title), m->source, m->note,
			strings_array(m->languages.items, m->languages.n),
			strings_array(kinds, nk), strings_array(grads, ng),
			m->has_quadrant ? m->composites[m->quadrant_x].code : NULL,
			m->has_quadrant ? m->composites[m->quadrant_y].code : NULL,
			m->has_quadrant ? float_text(m->quadrant_x_threshold) : NULL,
			m->has_quadrant ? float_text(m->quadrant_y_threshold) : NULL,
			sha, definition
		};

		exec_text("INSERT INTO ideal.methodology (code, version, title, source, "
				  "note, languages, subject_kinds, gradings, quadrant_x, "
				  "quadrant_y, quadrant_x_threshold, quadrant_y_threshold, "
				  "sha256, definition) VALUES ($1, $2, $3::jsonb, $4, $5, "
				  "$6::text[], $7::text[], $8::text[], $9, $10, $11::float8, "
				  "$12::float8, $13, $14)", 14, v);
	}
	for (i = 0; i < m->nscales; i++)
	{
		IdealScale *s = &m->scales[i];
		const char *v[10] = {
			m->code, s->code, s->ordinal ? "ordinal" : "numeric",
			float_text(s->min), float_text(s->max),
			s->step > 0 ? float_text(s->step) : NULL,
			s->has_unknown ? "true" : "false",
			s->unknown_scored ? float_text(s->unknown_value) : NULL,
			s->has_unknown ? labels_text(&s->unknown_labels) : NULL,
			strings_array(s->unknown_aliases.items, s->unknown_aliases.n)
		};

		exec_text("INSERT INTO ideal.scale (methodology, code, kind, min, max, "
				  "step, unknown_allowed, unknown_value, unknown_labels, "
				  "unknown_aliases) VALUES ($1, $2, $3, $4::float8, $5::float8, "
				  "$6::float8, $7::boolean, $8::float8, $9::jsonb, "
				  "$10::text[])", 10, v);
		for (j = 0; j < s->nlevels; j++)
		{
			IdealLevel *l = &s->levels[j];
			const char *lv[7] = {
				m->code, s->code, l->code, psprintf("%d", j + 1),
				float_text(l->value), labels_text(&l->labels),
				strings_array(l->aliases.items, l->aliases.n)
			};

			exec_text("INSERT INTO ideal.scale_level (methodology, scale, code, "
					  "position, value, labels, aliases) VALUES ($1, $2, $3, "
					  "$4::int, $5::float8, $6::jsonb, $7::text[])", 7, lv);
		}
	}
	for (i = 0; i < m->ncrime_areas; i++)
	{
		const char *v[4] = {m->code, m->crime_areas[i].code,
			psprintf("%d", i + 1),
		labels_text(&m->crime_areas[i].labels)};

		exec_text("INSERT INTO ideal.crime_area (methodology, code, position, "
				  "labels) VALUES ($1, $2, $3::int, $4::jsonb)", 4, v);
	}
	for (i = 0; i < m->ntypologies; i++)
	{
		const char *v[4] = {m->code, m->typologies[i].code,
			psprintf("%d", i + 1),
		labels_text(&m->typologies[i].labels)};

		exec_text("INSERT INTO ideal.typology (methodology, code, position, "
				  "labels) VALUES ($1, $2, $3::int, $4::jsonb)", 4, v);
	}
	for (i = 0; i < m->nindicators; i++)
	{
		IdealIndicator *ind = &m->indicators[i];
		const char *v[10] = {
			m->code, ind->code, psprintf("%d", i + 1),
			ideal_kind_name(ind->kind), m->scales[ind->scale].code,
			float_text(ind->weight), ind->required ? "true" : "false",
			ind->allow_unknown ? "true" : "false", ind->group,
			labels_text(&ind->labels)
		};

		exec_text("INSERT INTO ideal.indicator (methodology, code, position, "
				  "kind, scale, weight, required, allow_unknown, \"group\", "
				  "labels) VALUES ($1, $2, $3::int, $4, $5, $6::float8, "
				  "$7::boolean, $8::boolean, $9, $10::jsonb)", 10, v);
	}
	for (i = 0; i < m->ncomposites; i++)
	{
		IdealComposite *c = &m->composites[i];
		const char *v[6] = {
			m->code, c->code, psprintf("%d", i + 1),
			ideal_method_kind_name(c->method), ideal_kind_name(c->kind),
			labels_text(&c->labels)
		};

		exec_text("INSERT INTO ideal.composite (methodology, code, position, "
				  "method, kind, labels) VALUES ($1, $2, $3::int, $4, $5, "
				  "$6::jsonb)", 6, v);
		for (j = 0; j < c->ninputs; j++)
		{
			IdealInput *in = &c->inputs[j];
			const char *iv[6] = {
				m->code, c->code, psprintf("%d", j + 1),
				in->is_composite ? m->composites[in->index].code :
				m->indicators[in->index].code,
				in->is_composite ? "true" : "false", float_text(in->weight)
			};

			exec_text("INSERT INTO ideal.composite_input (methodology, "
					  "composite, position, input, input_is_composite, weight) "
					  "VALUES ($1, $2, $3::int, $4, $5::boolean, $6::float8)",
					  6, iv);
		}
	}
	for (i = 0; i < m->nbands; i++)
	{
		IdealBand  *b = &m->bands[i];

		for (j = 0; j < b->nlevels; j++)
		{
			const char *v[4] = {
				m->code, m->composites[b->composite].code,
				ideal_level_name(b->levels[j].level, IDEAL_LANG_EN),
				float_text(b->levels[j].from)
			};

			exec_text("INSERT INTO ideal.band (methodology, composite, level, "
					  "lower_bound) VALUES ($1, $2, $3::ideal.threat_level, "
					  "$4::float8)", 4, v);
		}
	}
	for (i = 0; i < m->nmembers; i++)
	{
		const char *v[2] = {m->code,
		ideal_country_by_numeric(m->members[i])->alpha2};

		exec_text("INSERT INTO ideal.member (methodology, country) "
				  "VALUES ($1, $2::ideal.country)", 2, v);
	}
}

/* Parse, check against what is loaded, store.  Returns the code. */
static char *
load_text(const char *text, size_t len, const char *origin)
{
	IdealParseError err;
	IdealMethod *m;
	char	   *sha;
	char	   *code = NULL;
	char	   *definition;

	m = ideal_method_parse(text, len, &err);
	if (m == NULL)
	{
		if (err.line > 0)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("invalid methodology file%s%s", origin ? " " : "",
							origin ? origin : ""),
					 errdetail("Line %d, column %d: %s.", err.line, err.column,
							   err.message),
					 errhint("The file format is described in the README, section \"Methodology files\"; nothing of this file was loaded.")));
		else
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("invalid methodology file%s%s", origin ? " " : "",
							origin ? origin : ""),
					 errdetail("%c%s.", pg_toupper((unsigned char) err.message[0]),
							   err.message + 1),
					 errhint("The file format is described in the README, section \"Methodology files\"; nothing of this file was loaded.")));
	}
	/* copied only once parsed: a refused file costs no second copy */
	definition = pnstrdup(text, len);
	sha = sha256_hex(text, len);
	PG_TRY();
	{
		Oid			argtypes[1] = {TEXTOID};
		Datum		args[1];
		int			ret;

		code = pstrdup(m->code);
		args[0] = CStringGetTextDatum(m->code);
		/*
		 * One load at a time: two sessions loading the same new code would
		 * both find no row and the second would meet the primary key's
		 * bare error.  Readers, and cycles referring to methodologies, are
		 * not held up by this lock.
		 */
		RangeVarGetRelid(makeRangeVar("ideal", "methodology", -1),
						 ShareRowExclusiveLock, false);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		ret = SPI_execute_with_args("SELECT sha256 FROM ideal.methodology "
									"WHERE code OPERATOR(pg_catalog.=) $1 "
									"FOR UPDATE",
									1, argtypes, args, NULL, false, 1);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "methodology lookup failed: %d", ret);
		if (SPI_processed > 0)
		{
			char	   *old = spi_text(0, 1);

			if (strcmp(old, sha) == 0)
				ereport(NOTICE,
						(errmsg("methodology \"%s\" is already loaded with identical content",
								m->code)));
			else
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_OBJECT),
						 errmsg("methodology \"%s\" is already loaded with different content",
								m->code),
						 errdetail("Loaded SHA-256 %s, new file %s.", old, sha),
						 errhint("A changed methodology needs a new code or version, for example \"%s-2\"; a methodology no cycle uses can be removed with ideal.drop_methodology().",
								 m->code)));
		}
		else
			store_method(m, sha, definition);
		SPI_finish();
	}
	PG_FINALLY();
	{
		ideal_method_free(m);
	}
	PG_END_TRY();
	return code;
}

/* ideal.load_methodology(text): load a methodology file's content. */
Datum
ideal_load_methodology(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *code;

	code = load_text(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), NULL);
	PG_RETURN_TEXT_P(cstring_to_text(code));
}

/*
 * ideal.load_bundled(name): load a file shipped in the extension's share
 * directory.  The name is checked so that no other file can be read.
 */
Datum
ideal_load_bundled(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char		sharepath[MAXPGPATH];
	char	   *path;
	char	   *origin;
	const char *p;
	FILE	   *f;
	StringInfoData buf;
	char		chunk[8192];
	size_t		n;

	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			  *p == '-' || *p == '_' || (*p == '.' && p != name)))
			break;
	if (*p || strlen(name) < 6 || strlen(name) > 64 ||
		strcmp(name + strlen(name) - 5, ".yaml") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid bundled methodology name \"%s\"", name),
				 errhint("Bundled files are named like \"gitoc-2023.yaml\"; to load any other file, pass its content to ideal.load_methodology().")));
	get_share_path(my_exec_path, sharepath);
	path = psprintf("%s/extension/ideal/%s", sharepath, name);
	f = AllocateFile(path, "rb");
	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open bundled methodology \"%s\": %m", path)));
	initStringInfo(&buf);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
	{
		if (buf.len + n > IDEAL_YAML_MAX_BYTES + 1)
			break;
		appendBinaryStringInfo(&buf, chunk, (int) n);
	}
	if (ferror(f))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read bundled methodology \"%s\": %m", path)));
	FreeFile(f);
	origin = psprintf("\"%s\"", name);
	PG_RETURN_TEXT_P(cstring_to_text(load_text(buf.data, buf.len, origin)));
}
