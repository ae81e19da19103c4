/*
 * fuzz_grading.c
 *		libFuzzer harness for ideal_grading_parse and the packed form.
 *
 * Properties: the parser (fast path and fallback), for counted and for
 * NUL-terminated strings, gives the general parser's result, value and
 * system; a parsed grading is valid, its canonical text parses back to
 * the identical packed value, and its confidence lies in [0, 1].  The first
 * four bytes are also read as a packed value, as binary receive would: if
 * ideal_grading_valid accepts it, its text must parse back to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Check that a valid packed grading survives its text form. */
static void
check_valid(IdealGrading g)
{
	char		buf[IDEAL_GRADING_MAXLEN + 8];
	IdealGrading back = 0;
	int			system = -1;
	double		conf;

	CHECK(ideal_grading_valid(g));
	memset(buf, 0x7F, sizeof(buf));
	ideal_grading_format(g, buf);
	CHECK(memchr(buf, 0, IDEAL_GRADING_MAXLEN) != NULL);
	CHECK(ideal_grading_parse(buf, strlen(buf), &back, &system) ==
		  IDEAL_GRADING_OK);
	CHECK(back == g);
	CHECK(system == IDEAL_GRADING_SYSTEM(g));
	conf = ideal_grading_confidence(g);
	CHECK(conf >= 0.0 && conf <= 1.0);
	CHECK(ideal_grading_system_name(system) != NULL);
	CHECK(ideal_grading_system_parse(ideal_grading_system_name(system)) ==
		  system);
}

/* Parse the input as text and its first four bytes as a packed value. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	IdealGrading g = 0;
	int			system = -1;
	IdealGradingError e;

	e = ideal_grading_parse((const char *) data, size, &g, &system);
	{
		IdealGrading g2 = 0;
		int			system2 = -1;

		CHECK(ideal_grading_parse_general((const char *) data, size, &g2,
										  &system2) == e);
		CHECK(system2 == system);
		CHECK(e != IDEAL_GRADING_OK || g2 == g);
	}
	{
		/* as a C string: up to the first NUL */
		char	   *cs = malloc(size + 1);
		IdealGrading g1 = 0,
					g2 = 0;
		int			s1 = -1,
					s2 = -1;
		IdealGradingError e1,
					e2;

		memcpy(cs, data, size);
		cs[size] = 0;
		e1 = ideal_grading_parse_cstring(cs, &g1, &s1);
		e2 = ideal_grading_parse_general(cs, strlen(cs), &g2, &s2);
		CHECK(e1 == e2 && s1 == s2);
		CHECK(e1 != IDEAL_GRADING_OK || g1 == g2);
		free(cs);
	}
	CHECK(system >= 0 && system <= IDEAL_GS_COUNT);
	if (e == IDEAL_GRADING_OK)
		check_valid(g);
	else
		CHECK(e >= IDEAL_GRADING_SYNTAX && e <= IDEAL_GRADING_HANDLING_CODE);
	CHECK(ideal_grading_system_allows(system) != NULL);

	if (size >= 4)
	{
		memcpy(&g, data, 4);
		if (ideal_grading_valid(g))
			check_valid(g);
		else
		{
			char		buf[IDEAL_GRADING_MAXLEN];

			/* invalid values must still format within the buffer */
			ideal_grading_format(g, buf);
			CHECK(memchr(buf, 0, sizeof(buf)) != NULL);
			CHECK(ideal_grading_confidence(g) >= 0.0 &&
				  ideal_grading_confidence(g) <= 1.0);
		}
	}
	return 0;
}
