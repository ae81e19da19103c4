/*
 * ideal.c
 *		Module entry point: the library's magic block and its settings.
 */
#include "ideal.h"

#include "utils/guc.h"

PG_MODULE_MAGIC;

int			ideal_language = IDEAL_LANG_EN;
int			ideal_on_invalid = IDEAL_ON_INVALID_ERROR;

static const struct config_enum_entry language_options[] = {
	{"en", IDEAL_LANG_EN, false},
	{"es", IDEAL_LANG_ES, false},
	{"pt", IDEAL_LANG_PT, false},
	{NULL, 0, false}
};

static const struct config_enum_entry on_invalid_options[] = {
	{"error", IDEAL_ON_INVALID_ERROR, false},
	{"reject", IDEAL_ON_INVALID_REJECT, false},
	{NULL, 0, false}
};

void		_PG_init(void);

/* Define the ideal.* settings; they are GUCs so parallel workers see them. */
void
_PG_init(void)
{
	DefineCustomEnumVariable("ideal.language",
							 "Language of threat level output and labels.",
							 "One of en, es, pt.",
							 &ideal_language,
							 IDEAL_LANG_EN,
							 language_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomEnumVariable("ideal.on_invalid",
							 "What validation does with an invalid row.",
							 "error aborts the statement; reject stores the row in ideal.rejected and goes on.",
							 &ideal_on_invalid,
							 IDEAL_ON_INVALID_ERROR,
							 on_invalid_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("ideal");
}
