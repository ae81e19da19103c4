/*
 * method.h
 *		In-memory form of a methodology file, and its parser (libyaml).
 *
 * Server-independent: the parser allocates from its own arena and reports
 * errors with a line and column, so that it can be fuzzed outside the
 * server.  The server glue copies what it needs and frees the arena.
 */
#ifndef IDEAL_METHOD_H
#define IDEAL_METHOD_H

#include <stddef.h>
#include <stdbool.h>

/* Limits that keep a hostile file from exhausting memory or time. */
#define IDEAL_YAML_MAX_BYTES	(4 * 1024 * 1024)
#define IDEAL_YAML_MAX_DEPTH	16
#define IDEAL_YAML_MAX_NODES	200000
#define IDEAL_YAML_MAX_SCALAR	4096
#define IDEAL_YAML_MAX_ITEMS	2000
#define IDEAL_CODE_MAX			63
/* Largest magnitude of a value on a scale. */
#define IDEAL_VALUE_LIMIT		1e12

typedef enum IdealKind
{
	IDEAL_KIND_GROUP = 0,
	IDEAL_KIND_CRIME_AREA,
	IDEAL_KIND_COUNTRY
} IdealKind;

#define IDEAL_KIND_COUNT 3

typedef enum IdealMethodKind
{
	IDEAL_M_MEAN = 0,
	IDEAL_M_WEIGHTED_MEAN,
	IDEAL_M_WEIGHTED_SUM,
	IDEAL_M_MAX
} IdealMethodKind;

typedef struct IdealLabel
{
	char		lang[3];
	const char *text;
} IdealLabel;

typedef struct IdealLabels
{
	int			n;
	IdealLabel *items;
} IdealLabels;

typedef struct IdealStrings
{
	int			n;
	const char **items;
} IdealStrings;

typedef struct IdealLevel
{
	const char *code;
	double		value;
	IdealLabels labels;
	IdealStrings aliases;
} IdealLevel;

typedef struct IdealScale
{
	const char *code;
	bool		ordinal;
	double		min;			/* numeric: bounds; ordinal: of the values */
	double		max;
	double		step;			/* 0 when none */
	int			nlevels;
	IdealLevel *levels;
	bool		has_unknown;
	bool		unknown_scored;
	double		unknown_value;
	IdealLabels unknown_labels;
	IdealStrings unknown_aliases;
} IdealScale;

typedef struct IdealCodeItem
{
	const char *code;
	IdealLabels labels;
} IdealCodeItem;

typedef struct IdealIndicator
{
	const char *code;
	IdealKind	kind;
	int			scale;			/* index into scales */
	double		weight;
	bool		required;
	bool		allow_unknown;
	const char *group;			/* NULL if none */
	IdealLabels labels;
} IdealIndicator;

typedef struct IdealInput
{
	bool		is_composite;
	int			index;			/* into indicators or composites */
	double		weight;
} IdealInput;

typedef struct IdealComposite
{
	const char *code;
	IdealMethodKind method;
	IdealKind	kind;
	int			ninputs;
	IdealInput *inputs;
	IdealLabels labels;
	int			band;			/* index into bands, -1 if none */
} IdealComposite;

typedef struct IdealBandLevel
{
	int			level;			/* threat level 0..4 */
	double		from;
} IdealBandLevel;

typedef struct IdealBand
{
	int			composite;
	int			nlevels;
	IdealBandLevel *levels;
} IdealBand;

typedef struct IdealMethod
{
	const char *code;
	const char *version;
	const char *source;			/* NULL if none */
	const char *note;			/* NULL if none */
	IdealLabels title;
	IdealStrings languages;
	unsigned	kinds;			/* bit per IdealKind */
	unsigned	gradings;		/* bit per grading system (1 << system) */
	int			nscales;
	IdealScale *scales;
	int			ncrime_areas;
	IdealCodeItem *crime_areas;
	int			ntypologies;
	IdealCodeItem *typologies;
	int			nindicators;
	IdealIndicator *indicators;
	int			ncomposites;
	IdealComposite *composites;
	int			nbands;
	IdealBand  *bands;
	bool		has_quadrant;
	int			quadrant_x;		/* composite indexes */
	int			quadrant_y;
	double		quadrant_x_threshold;
	double		quadrant_y_threshold;
	int			nmembers;
	int		   *members;		/* ISO numeric codes */
	void	   *arena;			/* owns everything above */
} IdealMethod;

typedef struct IdealParseError
{
	int			line;			/* 1-based; 0 if not tied to a place */
	int			column;			/* 1-based */
	char		message[512];
} IdealParseError;

/*
 * Parse a methodology file.  Returns NULL and fills err on failure; the
 * result must be released with ideal_method_free.
 */
extern IdealMethod *ideal_method_parse(const char *text, size_t len,
									   IdealParseError *err);
extern void ideal_method_free(IdealMethod *m);

extern const char *ideal_kind_name(IdealKind k);
extern int	ideal_kind_parse(const char *s);
extern const char *ideal_method_kind_name(IdealMethodKind m);

/* Label in a language, falling back to English. */
extern const char *ideal_label(const IdealLabels *labels, const char *lang);

#endif							/* IDEAL_METHOD_H */
