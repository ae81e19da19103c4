/*
 * codes.h
 *		Parsers and printers for ideal's code types: country, threat level
 *		and grading, plus the text folding used to match labels.
 *
 * Server-independent: these functions take plain C strings and report
 * failure through return values, so the same code serves input functions,
 * boolean validators, soft errors and the fuzz harnesses.
 */
#ifndef IDEAL_CODES_H
#define IDEAL_CODES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "country_table.h"

/* ---- text folding ---- */

/*
 * Fold s[0..len) into out (at most outsize bytes including the NUL):
 * trim surrounding blanks, collapse inner runs of blanks into one space,
 * lower-case ASCII and Latin-1 letters and strip their accents.  Returns
 * the folded length, or -1 if the result does not fit or the input holds
 * a NUL byte or invalid UTF-8.
 */
extern int	ideal_fold(const char *s, size_t len, char *out, size_t outsize);

/* ---- country ---- */

/* Look up a country by any ISO 3166-1 form; returns its numeric code or 0. */
extern int	ideal_country_parse(const char *s, size_t len);
/* Table entry of a numeric code, or NULL if the code is not assigned. */
extern const IdealCountry *ideal_country_by_numeric(int numeric);
/* Position of a numeric code in alpha-2 order (for sorting), or -1. */
extern int	ideal_country_rank(int numeric);

/* ---- threat level ---- */

#define IDEAL_LEVEL_COUNT 5

typedef enum IdealLang
{
	IDEAL_LANG_EN = 0,
	IDEAL_LANG_ES,
	IDEAL_LANG_PT
} IdealLang;

/* Parse a level word in English, Spanish or Portuguese; -1 if unknown. */
extern int	ideal_level_parse(const char *s, size_t len);
/* The same for a NUL-terminated string (input functions). */
extern int	ideal_level_parse_cstring(const char *s);
/* The same through the general folding alone (for the fuzz harness). */
extern int	ideal_level_parse_general(const char *s, size_t len);
/* The word for level 0..4 in a language. */
extern const char *ideal_level_name(int level, IdealLang lang);
/* Parse a language code ("en", "es", "pt"); -1 if unknown. */
extern int	ideal_lang_parse(const char *s);

/* ---- grading ---- */

typedef enum IdealGradingSystem
{
	IDEAL_GS_ADMIRALTY = 1,		/* Admiralty / NATO 6x6: A-F, 1-6 */
	IDEAL_GS_EUROPOL = 2,		/* Europol 4x4: A,B,C,X; 1-4; H0-H3 */
	IDEAL_GS_UK3X5X2 = 3,		/* UK 3x5x2: 1-3; A-E; P,C */
	IDEAL_GS_UK5X5X5 = 4		/* UK 5x5x5: A-E; 1-5; 1-5 */
} IdealGradingSystem;

#define IDEAL_GS_COUNT 4

/*
 * A grading packed into 32 bits: system in the top byte, then the source
 * code, the information code and the handling code as ASCII characters
 * (handling 0 when absent).  Europol handling H0..H3 is stored as '0'..'3'.
 */
typedef uint32_t IdealGrading;

#define IDEAL_GRADING_SYSTEM(g)		((int) (((g) >> 24) & 0xFF))
#define IDEAL_GRADING_SOURCE(g)		((char) (((g) >> 16) & 0xFF))
#define IDEAL_GRADING_INFO(g)		((char) (((g) >> 8) & 0xFF))
#define IDEAL_GRADING_HANDLING(g)	((char) ((g) & 0xFF))

/* Longest canonical text form, with its NUL ("UK5:A1:1", "EU:B2:H1"). */
#define IDEAL_GRADING_MAXLEN 12

typedef enum IdealGradingError
{
	IDEAL_GRADING_OK = 0,
	IDEAL_GRADING_SYNTAX,		/* not shaped like any grading */
	IDEAL_GRADING_SYSTEM_NAME,	/* unknown system prefix */
	IDEAL_GRADING_SOURCE_CODE,	/* source code not in the system */
	IDEAL_GRADING_INFO_CODE,	/* information code not in the system */
	IDEAL_GRADING_HANDLING_CODE /* handling code not in the system */
} IdealGradingError;

/*
 * Parse a grading.  On failure returns the error kind and, if system_out is
 * not NULL, the system the input seemed to name (0 if none).
 */
extern IdealGradingError ideal_grading_parse(const char *s, size_t len,
											 IdealGrading *out,
											 int *system_out);
/* The same for a NUL-terminated string (input functions). */
extern IdealGradingError ideal_grading_parse_cstring(const char *s,
													 IdealGrading *out,
													 int *system_out);
/* The same through the general parser alone (for the fuzz harness). */
extern IdealGradingError ideal_grading_parse_general(const char *s,
													 size_t len,
													 IdealGrading *out,
													 int *system_out);
/* True if a packed value is a valid grading (used by binary receive). */
extern bool ideal_grading_valid(IdealGrading g);
/* Write the canonical form into buf (IDEAL_GRADING_MAXLEN bytes). */
extern void ideal_grading_format(IdealGrading g, char *buf);
/* Default confidence weight in [0, 1]. */
extern double ideal_grading_confidence(IdealGrading g);
/* System name as used in methodology files: "admiralty", ... */
extern const char *ideal_grading_system_name(int system);
/* Parse a system name; 0 if unknown. */
extern int	ideal_grading_system_parse(const char *s);
/* What the system allows, for error details. */
extern const char *ideal_grading_system_allows(int system);

#endif							/* IDEAL_CODES_H */
