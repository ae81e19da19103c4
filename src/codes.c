/*
 * codes.c
 *		Server-independent parsers and printers for countries, threat levels
 *		and gradings, and the label folding shared by the YAML loader and the
 *		validation triggers.
 */
#include "codes.h"

#include <string.h>

#define IS_BLANK(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || \
					 (c) == '\r' || (c) == '\v' || (c) == '\f')

/*
 * Folding of U+00C0..U+00FF: the ASCII base letter, or 0 for a character
 * kept as it is (lower-cased where it has a lower-case form).
 */
static const char latin1_fold[64] =
	"aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0"
	"aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y";

/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
static int
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];

	if (c < 0x80)
	{
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
	{
		if (len < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t) (c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF)
	{
		if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;
		*cp = ((uint32_t) (c & 0x0F) << 12) |
			((uint32_t) (s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
			(s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;
		*cp = ((uint32_t) (c & 0x07) << 18) |
			((uint32_t) (s[1] & 0x3F) << 12) |
			((uint32_t) (s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	return 0;
}

int
ideal_fold(const char *s, size_t len, char *out, size_t outsize)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;
	size_t		o = 0;
	bool		pending_blank = false;

	if (outsize == 0)
		return -1;
	while (i < len)
	{
		uint32_t	cp;
		int			n;

		if (p[i] == 0)
			return -1;
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return -1;
		if (cp < 0x80 && IS_BLANK(cp))
		{
			pending_blank = (o > 0);
			i += n;
			continue;
		}
		if (cp == 0xA0)			/* no-break space counts as a blank */
		{
			pending_blank = (o > 0);
			i += n;
			continue;
		}
		if (cp >= 0x300 && cp <= 0x36F)
		{
			/* a combining accent (decomposed text): strip it */
			i += n;
			continue;
		}
		if (pending_blank)
		{
			if (o + 1 >= outsize)
				return -1;
			out[o++] = ' ';
			pending_blank = false;
		}
		if (cp < 0x80)
		{
			if (o + 1 >= outsize)
				return -1;
			out[o++] = (cp >= 'A' && cp <= 'Z') ? (char) (cp + 32) : (char) cp;
		}
		else if (cp >= 0xC0 && cp <= 0xFF && latin1_fold[cp - 0xC0] != 0)
		{
			if (o + 1 >= outsize)
				return -1;
			out[o++] = latin1_fold[cp - 0xC0];
		}
		else
		{
			/* keep the character; lower-case the Latin-1 capitals kept */
			if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
			{
				cp += 0x20;
				if (o + 2 >= outsize)
					return -1;
				out[o++] = (char) (0xC0 | (cp >> 6));
				out[o++] = (char) (0x80 | (cp & 0x3F));
			}
			else
			{
				if (o + n >= outsize)
					return -1;
				memcpy(out + o, p + i, n);
				o += n;
			}
		}
		i += n;
	}
	out[o] = '\0';
	return (int) o;
}

/* ---------------------------------------------------------------- */
/* Countries                                                        */
/* ---------------------------------------------------------------- */

static bool country_index_ready = false;
static int16_t by_alpha2[26 * 26];	/* index + 1, 0 if none */
static int16_t by_alpha3[26 * 26 * 26];
static int16_t by_numeric[1000];

/* Build the direct-address indexes over the compiled table once. */
static void
country_index_init(void)
{
	int			i;

	if (country_index_ready)
		return;
	for (i = 0; i < ideal_country_count; i++)
	{
		const IdealCountry *c = &ideal_countries[i];
		int			a2 = (c->alpha2[0] - 'A') * 26 + (c->alpha2[1] - 'A');
		int			a3 = ((c->alpha3[0] - 'A') * 26 +
						  (c->alpha3[1] - 'A')) * 26 + (c->alpha3[2] - 'A');

		by_alpha2[a2] = (int16_t) (i + 1);
		by_alpha3[a3] = (int16_t) (i + 1);
		by_numeric[c->numeric] = (int16_t) (i + 1);
	}
	country_index_ready = true;
}

/* Upper-case ASCII letter value 0..25, or -1. */
static int
letter(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	return -1;
}

int
ideal_country_parse(const char *s, size_t len)
{
	int			idx = 0;

	country_index_init();
	while (len > 0 && IS_BLANK((unsigned char) s[0]))
		s++, len--;
	while (len > 0 && IS_BLANK((unsigned char) s[len - 1]))
		len--;

	if (len == 2 && letter(s[0]) >= 0 && letter(s[1]) >= 0)
		idx = by_alpha2[letter(s[0]) * 26 + letter(s[1])];
	else if (len == 3 && letter(s[0]) >= 0 && letter(s[1]) >= 0 &&
			 letter(s[2]) >= 0)
		idx = by_alpha3[(letter(s[0]) * 26 + letter(s[1])) * 26 +
						letter(s[2])];
	else if (len >= 1 && len <= 3)
	{
		int			n = 0;
		size_t		i;

		for (i = 0; i < len; i++)
		{
			if (s[i] < '0' || s[i] > '9')
				return 0;
			n = n * 10 + (s[i] - '0');
		}
		idx = by_numeric[n];
	}
	return idx ? ideal_countries[idx - 1].numeric : 0;
}

const IdealCountry *
ideal_country_by_numeric(int numeric)
{
	country_index_init();
	if (numeric < 1 || numeric > 999 || by_numeric[numeric] == 0)
		return NULL;
	return &ideal_countries[by_numeric[numeric] - 1];
}

int
ideal_country_rank(int numeric)
{
	country_index_init();
	if (numeric < 1 || numeric > 999 || by_numeric[numeric] == 0)
		return -1;
	return by_numeric[numeric] - 1;
}

/* ---------------------------------------------------------------- */
/* Threat levels                                                    */
/* ---------------------------------------------------------------- */

/*
 * Accepted words after folding, with their length and level; the length
 * is compared first, so that few words reach memcmp.
 */
#define LW(word, level) {word, sizeof(word) - 1, level}
static const struct
{
	const char *word;
	int			len;
	int			level;
}			level_words[] =
{
	LW("nil", 0), LW("none", 0), LW("nulo", 0), LW("nula", 0),
	LW("ninguno", 0), LW("ninguna", 0), LW("nenhum", 0), LW("nenhuma", 0),
	LW("low", 1), LW("bajo", 1), LW("baja", 1), LW("baixo", 1),
	LW("baixa", 1),
	LW("moderate", 2), LW("medium", 2), LW("moderado", 2), LW("moderada", 2),
	LW("medio", 2), LW("media", 2),
	LW("high", 3), LW("alto", 3), LW("alta", 3),
	LW("very high", 4), LW("muy alto", 4), LW("muy alta", 4),
	LW("muito alto", 4), LW("muito alta", 4),
};
#undef LW

static const char *const level_names[3][IDEAL_LEVEL_COUNT] = {
	{"nil", "low", "moderate", "high", "very high"},
	{"nulo", "bajo", "moderado", "alto", "muy alto"},
	{"nulo", "baixo", "moderado", "alto", "muito alto"},
};

int
ideal_level_parse_general(const char *s, size_t len)
{
	char		buf[32];
	int			n;
	size_t		i;

	if (len > 64 || (n = ideal_fold(s, len, buf, sizeof(buf))) < 0)
		return -1;
	for (i = 0; i < sizeof(level_words) / sizeof(level_words[0]); i++)
		if (level_words[i].len == n && buf[0] == level_words[i].word[0] &&
			memcmp(buf, level_words[i].word, n) == 0)
			return level_words[i].level;
	return -1;
}

/*
 * Byte i of a string given as (p, len), or of a NUL-terminated one when len
 * is SIZE_MAX: 0 at the end, and 0xFF (a byte no fast path accepts) for a
 * NUL inside a counted string.  The fast paths below read through it, each
 * byte only after the one before it was found not to end the string, and
 * are inlined with len constant for C strings, so input functions need no
 * strlen.
 */
static inline __attribute__((always_inline)) unsigned
byte_at(const unsigned char *p, size_t len, size_t i)
{
	if (len == SIZE_MAX)
		return p[i];
	return i < len ? (p[i] ? p[i] : 0xFF) : 0;
}

/*
 * The accepted words zero-padded to 16 bytes and packed into two integers
 * (byte k at bits 8k), in a table of 128 slots addressed by a hash that
 * sends each word to a slot of its own: one probe and one comparison.  The
 * multiplier was chosen for that; if the words ever change so that two
 * share a slot, level_slots_init notices and the fast path stays off.
 */
#define LEVEL_SLOTS 128
#define LEVEL_MAXWORD 10		/* "muito alto" */

static struct
{
	uint64_t	lo;
	uint64_t	hi;
	int			level;			/* -1 for an empty slot */
}			level_slots[LEVEL_SLOTS];
static int	level_slots_state = 0;	/* 0 not built, 1 built, -1 unusable */

static inline unsigned
level_hash(uint64_t lo, uint64_t hi)
{
	return (unsigned) (((lo ^ (hi * UINT64_C(0xC2B2AE3D27D4EB4F))) *
						UINT64_C(0x9E3779B97F4A7C21)) >> 57);
}

static void
level_slots_init(void)
{
	size_t		i;
	int			k;

	for (i = 0; i < LEVEL_SLOTS; i++)
		level_slots[i].level = -1;
	level_slots_state = 1;
	for (i = 0; i < sizeof(level_words) / sizeof(level_words[0]); i++)
	{
		uint64_t	lo = 0,
					hi = 0;
		unsigned	h;

		for (k = 0; k < level_words[i].len; k++)
		{
			uint64_t	c = (unsigned char) level_words[i].word[k];

			if (k < 8)
				lo |= c << (8 * k);
			else
				hi |= c << (8 * (k - 8));
		}
		h = level_hash(lo, hi);
		if (level_slots[h].level >= 0)
			level_slots_state = -1;
		level_slots[h].lo = lo;
		level_slots[h].hi = hi;
		level_slots[h].level = level_words[i].level;
	}
}

/*
 * The common spellings without the general folding: ASCII letters, single
 * inner spaces and the accented Latin-1 letters in UTF-8 (two bytes, C3
 * xx) are folded here exactly as ideal_fold folds them, straight into the
 * packed key.  Anything else (other blanks, leading, trailing or repeated
 * spaces, combining accents, other characters, more than the longest word)
 * returns -2: the general path decides, so the accepted inputs are the
 * same.  Branches are few and mostly predictable: letters of either case
 * take one test.
 */
static inline __attribute__((always_inline)) int
level_parse_fast(const unsigned char *p, size_t len)
{
	uint64_t	lo = 0,
				hi = 0;
	unsigned	o = 0;
	unsigned	prev = 0;
	unsigned	c;
	size_t		i;
	unsigned	h;

	if (level_slots_state <= 0)
	{
		if (level_slots_state == 0)
			level_slots_init();
		if (level_slots_state < 0)
			return -2;
	}
	for (i = 0; (c = byte_at(p, len, i)) != 0; i++)
	{
		if (((c | 0x20) - 'a') < 26u)
			c |= 0x20;
		else if (c == ' ')
		{
			if (prev == 0 || prev == ' ' || byte_at(p, len, i + 1) == 0)
				return -2;
		}
		else if (c == 0xC3)
		{
			unsigned	d = byte_at(p, len, i + 1);

			if ((d & 0xC0) != 0x80 ||
				(c = (unsigned char) latin1_fold[d - 0x80]) == 0)
				return -2;
			i++;
		}
		else
			return -2;
		if (o < 8)
			lo |= (uint64_t) c << (8 * o);
		else if (o < LEVEL_MAXWORD)
			hi |= (uint64_t) c << (8 * (o - 8));
		else
			return -2;
		o++;
		prev = c;
	}
	h = level_hash(lo, hi);
	if (level_slots[h].lo == lo && level_slots[h].hi == hi)
		return level_slots[h].level;
	return -1;
}

int
ideal_level_parse(const char *s, size_t len)
{
	int			level;

	if (len > 64)
		return -1;
	level = level_parse_fast((const unsigned char *) s, len);
	return level != -2 ? level : ideal_level_parse_general(s, len);
}

int
ideal_level_parse_cstring(const char *s)
{
	int			level = level_parse_fast((const unsigned char *) s, SIZE_MAX);

	return level != -2 ? level : ideal_level_parse_general(s, strlen(s));
}

const char *
ideal_level_name(int level, IdealLang lang)
{
	if (level < 0 || level >= IDEAL_LEVEL_COUNT || (int) lang < 0 ||
		(int) lang > IDEAL_LANG_PT)
		return NULL;
	return level_names[lang][level];
}

/* Any case, as for the enum setting ideal.language. */
int
ideal_lang_parse(const char *s)
{
	static const char *const codes[] = {"en", "es", "pt"};
	char		buf[3];
	int			i;

	if (strlen(s) != 2)
		return -1;
	for (i = 0; i < 2; i++)
		buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char) (s[i] + 32) : s[i];
	buf[2] = '\0';
	for (i = 0; i < 3; i++)
		if (strcmp(buf, codes[i]) == 0)
			return i;			/* IDEAL_LANG_EN, _ES, _PT in order */
	return -1;
}

/* ---------------------------------------------------------------- */
/* Gradings                                                         */
/* ---------------------------------------------------------------- */

/* Codes each system allows, indexed by system. */
static const struct
{
	const char *name;			/* as in methodology files */
	const char *prefix;			/* canonical text prefix, "" for none */
	const char *sources;
	const char *infos;
	const char *handlings;		/* "" if the system has none */
	const char *allows;			/* for error details */
}			systems[IDEAL_GS_COUNT + 1] =
{
	{NULL, NULL, NULL, NULL, NULL, NULL},
	{"admiralty", "", "ABCDEF", "123456", "",
	"Admiralty 6x6: source A-F, information 1-6, as in \"B2\""},
	{"europol", "EU", "ABCX", "1234", "0123",
	"Europol 4x4: source A, B, C or X, information 1-4, optional handling H0-H3, as in \"EU:B2:H1\" or \"X3\""},
	{"uk3x5x2", "UK3", "123", "ABCDE", "PC",
	"UK 3x5x2: source 1-3, intelligence A-E, optional handling P or C, as in \"UK3:1A:P\""},
	{"uk5x5x5", "UK5", "ABCDE", "12345", "12345",
	"UK 5x5x5: source A-E, intelligence 1-5, optional handling 1-5, as in \"UK5:B2:3\""},
};

/* Default confidence per code, in the same order as the code strings. */
static const double source_conf[IDEAL_GS_COUNT + 1][6] = {
	{0},
	{1.0, 0.8, 0.6, 0.4, 0.2, 0.5},
	{1.0, 0.75, 0.25, 0.5},
	{1.0, 0.5, 0.25},
	{1.0, 0.8, 0.6, 0.3, 0.5},
};
static const double info_conf[IDEAL_GS_COUNT + 1][6] = {
	{0},
	{1.0, 0.8, 0.6, 0.4, 0.2, 0.5},
	{1.0, 0.8, 0.6, 0.4},
	{1.0, 0.8, 0.6, 0.4, 0.1},
	{1.0, 0.8, 0.6, 0.5, 0.1},
};

const char *
ideal_grading_system_name(int system)
{
	if (system < 1 || system > IDEAL_GS_COUNT)
		return NULL;
	return systems[system].name;
}

const char *
ideal_grading_system_allows(int system)
{
	if (system < 1 || system > IDEAL_GS_COUNT)
		return "Admiralty \"B2\", Europol \"EU:B2:H1\" or \"X3\", UK 3x5x2 \"UK3:1A:P\", UK 5x5x5 \"UK5:B2:3\"";
	return systems[system].allows;
}

int
ideal_grading_system_parse(const char *s)
{
	int			i;

	for (i = 1; i <= IDEAL_GS_COUNT; i++)
		if (strcmp(s, systems[i].name) == 0)
			return i;
	return 0;
}

/* Upper-case one ASCII character. */
static char
upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char) (c - 32) : c;
}

/* Position of c in set, or -1; a loop the compiler inlines, not strchr. */
static inline int
code_pos(const char *set, char c)
{
	int			i;

	if (c == 0)
		return -1;
	for (i = 0; set[i]; i++)
		if (set[i] == c)
			return i;
	return -1;
}

/* True if s[0..1] is one letter and one digit, in either order. */
static bool
looks_like_pair(const char *s)
{
	bool		d0 = (s[0] >= '0' && s[0] <= '9');
	bool		d1 = (s[1] >= '0' && s[1] <= '9');
	bool		l0 = (upper(s[0]) >= 'A' && upper(s[0]) <= 'Z');
	bool		l1 = (upper(s[1]) >= 'A' && upper(s[1]) <= 'Z');

	return (d0 && l1) || (l0 && d1);
}

/* Match a system prefix (case-insensitive, before the first ':'). */
static int
prefix_system(const char *s, size_t len)
{
	static const struct
	{
		const char *word;
		int			system;
	}			names[] =
	{
		{"ADMIRALTY", IDEAL_GS_ADMIRALTY}, {"ADM", IDEAL_GS_ADMIRALTY},
		{"NATO", IDEAL_GS_ADMIRALTY},
		{"EU", IDEAL_GS_EUROPOL}, {"EUROPOL", IDEAL_GS_EUROPOL},
		{"UK3", IDEAL_GS_UK3X5X2}, {"UK3X5X2", IDEAL_GS_UK3X5X2},
		{"3X5X2", IDEAL_GS_UK3X5X2},
		{"UK5", IDEAL_GS_UK5X5X5}, {"UK5X5X5", IDEAL_GS_UK5X5X5},
		{"5X5X5", IDEAL_GS_UK5X5X5},
	};
	size_t		i,
				j;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		if (strlen(names[i].word) != len)
			continue;
		for (j = 0; j < len; j++)
			if (upper(s[j]) != names[i].word[j])
				break;
		if (j == len)
			return names[i].system;
	}
	return 0;
}

IdealGradingError
ideal_grading_parse_general(const char *s, size_t len, IdealGrading *out,
							int *system_out)
{
	char		buf[24];
	size_t		n = 0;
	size_t		i;
	const char *colon;
	const char *code;
	size_t		codelen;
	int			system = 0;
	char		src,
				inf,
				hnd = 0;

	if (system_out)
		*system_out = 0;
	/* trim blanks, refuse anything long or holding a NUL */
	while (len > 0 && IS_BLANK((unsigned char) s[0]))
		s++, len--;
	while (len > 0 && IS_BLANK((unsigned char) s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return IDEAL_GRADING_SYNTAX;
	for (i = 0; i < len; i++)
	{
		if (s[i] == 0 || (unsigned char) s[i] >= 0x80)
			return IDEAL_GRADING_SYNTAX;
		buf[n++] = s[i];
	}
	buf[n] = 0;

	/*
	 * A prefix names the system.  Without one, a pair followed by ":" is a
	 * bare code with a handling code: "X3:H1", "1A:P" (and "B2:H1" is
	 * refused as Admiralty has no handling codes).
	 */
	colon = (n == 2 && buf[0] != ':' && buf[1] != ':') ? NULL :
		memchr(buf, ':', n);	/* "B2", the common form, has none */
	if (colon && colon - buf == 2 && looks_like_pair(buf))
		code = buf;
	else if (colon)
	{
		system = prefix_system(buf, (size_t) (colon - buf));
		if (system == 0)
			return IDEAL_GRADING_SYSTEM_NAME;
		if (system_out)
			*system_out = system;
		code = colon + 1;
	}
	else
		code = buf;
	codelen = n - (size_t) (code - buf);

	/* the evaluation pair: two characters, then optionally ":handling" */
	if (codelen < 2)
		return IDEAL_GRADING_SYNTAX;
	src = upper(code[0]);
	inf = upper(code[1]);
	if (system == 0)
	{
		/* bare forms: B2 is Admiralty, X3 Europol, 1A UK 3x5x2 */
		if (src == 'X')
			system = IDEAL_GS_EUROPOL;
		else if (src >= '1' && src <= '9')
			system = IDEAL_GS_UK3X5X2;
		else
			system = IDEAL_GS_ADMIRALTY;
	}
	if (system_out)
		*system_out = system;
	if (codelen > 2)
	{
		const char *h = code + 2;

		if (*h != ':')
			return IDEAL_GRADING_SYNTAX;
		h++;
		if (systems[system].handlings[0] == 0)
			return IDEAL_GRADING_HANDLING_CODE;
		if (system == IDEAL_GS_EUROPOL)
		{
			if (upper(h[0]) != 'H' || h[1] == 0 || h[2] != 0)
				return IDEAL_GRADING_HANDLING_CODE;
			hnd = h[1];
		}
		else
		{
			if (h[0] == 0 || h[1] != 0)
				return IDEAL_GRADING_HANDLING_CODE;
			hnd = upper(h[0]);
		}
		if (code_pos(systems[system].handlings, hnd) < 0)
			return IDEAL_GRADING_HANDLING_CODE;
	}
	if (code_pos(systems[system].sources, src) < 0)
		return IDEAL_GRADING_SOURCE_CODE;
	if (code_pos(systems[system].infos, inf) < 0)
		return IDEAL_GRADING_INFO_CODE;

	*out = ((uint32_t) system << 24) | ((uint32_t) (unsigned char) src << 16) |
		((uint32_t) (unsigned char) inf << 8) | (uint32_t) (unsigned char) hnd;
	return IDEAL_GRADING_OK;
}

/*
 * Bits per ASCII character: for system k (1..4), bit 3(k-1) if the
 * character is one of its source codes, the next bit for information codes
 * and the next for handling codes (Europol's as the digit after "H").
 */
static uint16_t code_bits[128];
static bool code_bits_ready = false;

#define SOURCE_BIT(system)		(1u << (3 * ((system) - 1)))
#define INFO_BIT(system)		(1u << (3 * ((system) - 1) + 1))
#define HANDLING_BIT(system)	(1u << (3 * ((system) - 1) + 2))

static void
code_bits_init(void)
{
	int			system,
				i;

	for (system = 1; system <= IDEAL_GS_COUNT; system++)
	{
		for (i = 0; systems[system].sources[i]; i++)
			code_bits[(int) systems[system].sources[i]] |= SOURCE_BIT(system);
		for (i = 0; systems[system].infos[i]; i++)
			code_bits[(int) systems[system].infos[i]] |= INFO_BIT(system);
		for (i = 0; systems[system].handlings[i]; i++)
			code_bits[(int) systems[system].handlings[i]] |=
				HANDLING_BIT(system);
	}
	code_bits_ready = true;
}

/* Bits of a character, upper-cased; none outside ASCII. */
static inline unsigned
char_bits(unsigned char c)
{
	if (c - 'a' < 26u)
		c -= 32;
	return c < 128 ? code_bits[c] : 0;
}

/*
 * The common exact forms without the general parser: a bare pair ("B2",
 * "X3", "1A"), "EU:B2", "UK3:1A", "UK5:B2", and those with a handling code
 * ("EU:B2:H1", "UK3:1A:P", "UK5:B2:3"), prefixes and codes in any case.
 * Returns false for anything else and for any invalid code, leaving the
 * decision and the error to the general parser; what it accepts, the
 * general parser accepts with the same value.  Reads through byte_at.
 */
static inline __attribute__((always_inline)) bool
grading_parse_fast(const unsigned char *p, size_t len, IdealGrading *out,
				   int *system_out)
{
	int			system;
	size_t		off;
	unsigned	c,
				src,
				inf,
				hnd = 0;

	if (byte_at(p, len, 0) == 0 || byte_at(p, len, 1) == 0)
		return false;
	c = byte_at(p, len, 2);
	if (c == 0)
	{
		system = 0;
		off = 0;
	}
	else if (c == ':')
	{
		if ((byte_at(p, len, 0) | 0x20) != 'e' ||
			(byte_at(p, len, 1) | 0x20) != 'u')
			return false;
		system = IDEAL_GS_EUROPOL;
		off = 3;
	}
	else if ((c == '3' || c == '5') && byte_at(p, len, 3) == ':' &&
			 (byte_at(p, len, 0) | 0x20) == 'u' &&
			 (byte_at(p, len, 1) | 0x20) == 'k')
	{
		system = c == '3' ? IDEAL_GS_UK3X5X2 : IDEAL_GS_UK5X5X5;
		off = 4;
	}
	else
		return false;

	if (!code_bits_ready)
		code_bits_init();
	src = byte_at(p, len, off);
	if (src == 0 || (inf = byte_at(p, len, off + 1)) == 0)
		return false;
	src -= (src - 'a' < 26u) ? 32 : 0;
	inf -= (inf - 'a' < 26u) ? 32 : 0;
	c = byte_at(p, len, off + 2);
	if (c != 0)
	{
		/* ":H1" for Europol, ":P" or ":3" for the UK systems */
		if (c != ':' || system == 0)
			return false;
		c = byte_at(p, len, off + 3);
		if (system == IDEAL_GS_EUROPOL)
		{
			if ((c | 0x20) != 'h')
				return false;
			hnd = byte_at(p, len, off + 4);
			if (!(char_bits(hnd) & HANDLING_BIT(system)) ||
				byte_at(p, len, off + 5) != 0)
				return false;
		}
		else
		{
			if (!(char_bits(c) & HANDLING_BIT(system)) ||
				byte_at(p, len, off + 4) != 0)
				return false;
			hnd = c - ((c - 'a' < 26u) ? 32 : 0);
		}
	}
	if (system == 0)
	{
		/* bare forms: B2 is Admiralty, X3 Europol, 1A UK 3x5x2 */
		if (src == 'X')
			system = IDEAL_GS_EUROPOL;
		else if (src - '1' < 9u)
			system = IDEAL_GS_UK3X5X2;
		else
			system = IDEAL_GS_ADMIRALTY;
	}
	if (!(char_bits(src) & SOURCE_BIT(system)) ||
		!(char_bits(inf) & INFO_BIT(system)))
		return false;
	*out = ((uint32_t) system << 24) | ((uint32_t) src << 16) |
		((uint32_t) inf << 8) | (uint32_t) hnd;
	if (system_out)
		*system_out = system;
	return true;
}

IdealGradingError
ideal_grading_parse(const char *s, size_t len, IdealGrading *out,
					int *system_out)
{
	if (len != SIZE_MAX &&
		grading_parse_fast((const unsigned char *) s, len, out, system_out))
		return IDEAL_GRADING_OK;
	return ideal_grading_parse_general(s, len, out, system_out);
}

IdealGradingError
ideal_grading_parse_cstring(const char *s, IdealGrading *out,
							int *system_out)
{
	if (grading_parse_fast((const unsigned char *) s, SIZE_MAX, out,
						   system_out))
		return IDEAL_GRADING_OK;
	return ideal_grading_parse_general(s, strlen(s), out, system_out);
}

bool
ideal_grading_valid(IdealGrading g)
{
	int			system = IDEAL_GRADING_SYSTEM(g);
	char		hnd = IDEAL_GRADING_HANDLING(g);

	if (system < 1 || system > IDEAL_GS_COUNT)
		return false;
	if (code_pos(systems[system].sources, IDEAL_GRADING_SOURCE(g)) < 0 ||
		code_pos(systems[system].infos, IDEAL_GRADING_INFO(g)) < 0)
		return false;
	return hnd == 0 || code_pos(systems[system].handlings, hnd) >= 0;
}

void
ideal_grading_format(IdealGrading g, char *buf)
{
	int			system = IDEAL_GRADING_SYSTEM(g);
	char		hnd = IDEAL_GRADING_HANDLING(g);
	char	   *p = buf;

	if (system < 1 || system > IDEAL_GS_COUNT)
	{
		strcpy(buf, "?");
		return;
	}
	if (systems[system].prefix[0])
	{
		strcpy(p, systems[system].prefix);
		p += strlen(p);
		*p++ = ':';
	}
	*p++ = IDEAL_GRADING_SOURCE(g);
	*p++ = IDEAL_GRADING_INFO(g);
	if (hnd)
	{
		*p++ = ':';
		if (system == IDEAL_GS_EUROPOL)
			*p++ = 'H';
		*p++ = hnd;
	}
	*p = 0;
}

/*
 * Confidence of each source and information code by system, indexed by the
 * code's character: built once from the tables above, so that scoring a
 * row costs two loads instead of two searches.
 */
static double conf_by_source[IDEAL_GS_COUNT + 1][128];
static double conf_by_info[IDEAL_GS_COUNT + 1][128];
static bool conf_ready = false;

static void
conf_init(void)
{
	int			system,
				i;

	for (system = 1; system <= IDEAL_GS_COUNT; system++)
	{
		for (i = 0; systems[system].sources[i]; i++)
			conf_by_source[system][(int) systems[system].sources[i]] =
				source_conf[system][i];
		for (i = 0; systems[system].infos[i]; i++)
			conf_by_info[system][(int) systems[system].infos[i]] =
				info_conf[system][i];
	}
	conf_ready = true;
}

double
ideal_grading_confidence(IdealGrading g)
{
	int			system = IDEAL_GRADING_SYSTEM(g);
	unsigned char s = (unsigned char) IDEAL_GRADING_SOURCE(g);
	unsigned char i = (unsigned char) IDEAL_GRADING_INFO(g);

	if (system < 1 || system > IDEAL_GS_COUNT || s >= 128 || i >= 128)
		return 0.0;
	if (!conf_ready)
		conf_init();
	/* a code outside the system has no entry: 0, as before */
	return conf_by_source[system][s] * conf_by_info[system][i];
}
