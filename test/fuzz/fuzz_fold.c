/*
 * fuzz_fold.c
 *		libFuzzer harness for ideal_fold.
 *
 * Input: one byte choosing the output size (1..256), then the text.
 * Properties: the result fits (length < outsize, NUL-terminated), holds no
 * upper-case ASCII, no NUL, no blank other than single inner spaces, and
 * folding it again gives the same bytes.  A larger buffer gives the same
 * result, and a failure with a small buffer means the text did not fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Check the shape of a successful result of length r. */
static void
check_output(const char *out, int r)
{
	int			i;

	CHECK((int) strlen(out) == r);
	for (i = 0; i < r; i++)
	{
		unsigned char ch = (unsigned char) out[i];

		CHECK(!(ch >= 'A' && ch <= 'Z'));
		CHECK(ch != '\t' && ch != '\n' && ch != '\r' && ch != '\v' &&
			  ch != '\f');
		if (ch == ' ')
			CHECK(i > 0 && i < r - 1 && out[i + 1] != ' ');
	}
}

/* Fold with the chosen size and with ample room; compare. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		outsize;
	const char *s;
	size_t		len;
	char	   *out;
	char	   *big;
	char	   *again;
	int			r,
				rbig,
				r2;

	if (size < 1)
		return 0;
	outsize = (size_t) data[0] + 1;
	s = (const char *) data + 1;
	len = size - 1;

	/* exact-size heap buffers, so ASan sees any overrun */
	out = malloc(outsize);
	big = malloc(len + 1);
	again = malloc(outsize);
	CHECK(out && big && again);

	r = ideal_fold(s, len, out, outsize);
	rbig = ideal_fold(s, len, big, len + 1);
	CHECK(r >= -1 && rbig >= -1);
	if (rbig >= 0)
	{
		check_output(big, rbig);
		CHECK((size_t) rbig <= len);
	}
	if (r >= 0)
	{
		CHECK((size_t) r < outsize);
		check_output(out, r);
		CHECK(rbig == r && memcmp(out, big, r + 1) == 0);

		/* idempotence, in a buffer of the same size */
		r2 = ideal_fold(out, r, again, outsize);
		CHECK(r2 == r);
		CHECK(memcmp(again, out, r + 1) == 0);
	}
	else if (rbig >= 0)
		CHECK((size_t) rbig + 1 > outsize);

	free(out);
	free(big);
	free(again);
	return 0;
}
