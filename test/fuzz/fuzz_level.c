/*
 * fuzz_level.c
 *		libFuzzer harness for ideal_level_parse.
 *
 * Properties: the parser (fast path and fallback), for counted and for
 * NUL-terminated strings, answers as the general folding path alone does;
 * a parsed level lies in 0..4 and its name in each language parses back to
 * the same level.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Parse the input; on success re-parse the level's names. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			level = ideal_level_parse((const char *) data, size);
	int			lang;

	CHECK(level == ideal_level_parse_general((const char *) data, size));
	{
		/* as a C string: up to the first NUL */
		char	   *cs = malloc(size + 1);

		memcpy(cs, data, size);
		cs[size] = 0;
		CHECK(ideal_level_parse_cstring(cs) ==
			  ideal_level_parse_general(cs, strlen(cs)));
		free(cs);
	}
	if (level < 0)
	{
		CHECK(level == -1);
		return 0;
	}
	CHECK(level < IDEAL_LEVEL_COUNT);
	for (lang = IDEAL_LANG_EN; lang <= IDEAL_LANG_PT; lang++)
	{
		const char *name = ideal_level_name(level, (IdealLang) lang);

		CHECK(name != NULL);
		CHECK(ideal_level_parse(name, strlen(name)) == level);
	}
	return 0;
}
