/*
 * fuzz_country.c
 *		libFuzzer harness for ideal_country_parse.
 *
 * Property: whatever parses names a table entry, and that entry's alpha-2,
 * alpha-3 and numeric forms all parse back to the same code.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Check that every spelling of a known code parses back to it. */
static void
check_code(int code)
{
	const IdealCountry *c = ideal_country_by_numeric(code);
	char		buf[8];
	int			rank;

	CHECK(c != NULL);
	CHECK(c->numeric == code);
	CHECK(ideal_country_parse(c->alpha2, strlen(c->alpha2)) == code);
	CHECK(ideal_country_parse(c->alpha3, strlen(c->alpha3)) == code);
	snprintf(buf, sizeof(buf), "%d", code);
	CHECK(ideal_country_parse(buf, strlen(buf)) == code);
	snprintf(buf, sizeof(buf), "%03d", code);
	CHECK(ideal_country_parse(buf, strlen(buf)) == code);
	rank = ideal_country_rank(code);
	CHECK(rank >= 0 && rank < ideal_country_count);
	CHECK(ideal_countries[rank].numeric == code);
}

/* Check the whole table once, so a bad generated entry shows at start. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int			i;

	(void) argc;
	(void) argv;
	for (i = 0; i < ideal_country_count; i++)
		check_code(ideal_countries[i].numeric);
	return 0;
}

/* Parse the input; on success check the code's spellings. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			code = ideal_country_parse((const char *) data, size);

	if (code != 0)
		check_code(code);
	return 0;
}
