--------------------------------------------------------------------------
-- Catalog: methodologies as loaded from YAML (never edited in place)
--------------------------------------------------------------------------

CREATE TABLE ideal.methodology (
	code text PRIMARY KEY,
	version text NOT NULL,
	title jsonb NOT NULL,
	source text,
	note text,
	languages text[] NOT NULL,
	subject_kinds text[] NOT NULL,
	gradings text[] NOT NULL,
	quadrant_x text,
	quadrant_y text,
	quadrant_x_threshold float8,
	quadrant_y_threshold float8,
	sha256 text NOT NULL,
	definition text NOT NULL,
	bundled boolean NOT NULL DEFAULT false,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE ideal.methodology IS
	'Methodologies loaded from YAML files; definition holds the file as loaded';

CREATE TABLE ideal.scale (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('numeric', 'ordinal')),
	min float8 NOT NULL,
	max float8 NOT NULL,
	step float8,
	unknown_allowed boolean NOT NULL,
	unknown_value float8,
	unknown_labels jsonb,
	unknown_aliases text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.scale IS 'Answer scales of each methodology';

CREATE TABLE ideal.scale_level (
	methodology text NOT NULL,
	scale text NOT NULL,
	code text NOT NULL,
	position integer NOT NULL,
	value float8 NOT NULL,
	labels jsonb NOT NULL,
	aliases text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (methodology, scale, code),
	FOREIGN KEY (methodology, scale) REFERENCES ideal.scale ON DELETE CASCADE
);
COMMENT ON TABLE ideal.scale_level IS 'Levels of ordinal scales, with their values, labels and aliases';

CREATE TABLE ideal.crime_area (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.crime_area IS 'Crime areas of each methodology';

CREATE TABLE ideal.typology (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.typology IS 'Kinds of criminal group of each methodology';

CREATE TABLE ideal.indicator (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	kind text NOT NULL,
	scale text NOT NULL,
	weight float8 NOT NULL,
	required boolean NOT NULL,
	allow_unknown boolean NOT NULL,
	"group" text,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code),
	FOREIGN KEY (methodology, scale) REFERENCES ideal.scale
);
COMMENT ON TABLE ideal.indicator IS 'Indicators (questions) of each methodology';

CREATE TABLE ideal.composite (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	method text NOT NULL,
	kind text NOT NULL,
	labels jsonb NOT NULL,
	PRIMARY KEY (methodology, code)
);
COMMENT ON TABLE ideal.composite IS
	'Composite scores of each methodology, in evaluation order; a subject kind''s headline score is its last banded composite, or its last composite if none is banded';

CREATE TABLE ideal.composite_input (
	methodology text NOT NULL,
	composite text NOT NULL,
	position integer NOT NULL,
	input text NOT NULL,
	input_is_composite boolean NOT NULL,
	weight float8 NOT NULL,
	PRIMARY KEY (methodology, composite, position),
	FOREIGN KEY (methodology, composite) REFERENCES ideal.composite ON DELETE CASCADE
);
COMMENT ON TABLE ideal.composite_input IS 'Inputs of each composite with their weights';

CREATE TABLE ideal.band (
	methodology text NOT NULL,
	composite text NOT NULL,
	level ideal.threat_level NOT NULL,
	lower_bound float8 NOT NULL,
	PRIMARY KEY (methodology, composite, level),
	FOREIGN KEY (methodology, composite) REFERENCES ideal.composite ON DELETE CASCADE
);
COMMENT ON TABLE ideal.band IS 'Threat level of a composite score: the level with the greatest lower_bound <= score';

CREATE TABLE ideal.member (
	methodology text NOT NULL REFERENCES ideal.methodology ON DELETE CASCADE,
	country ideal.country NOT NULL,
	PRIMARY KEY (methodology, country)
);
COMMENT ON TABLE ideal.member IS 'Countries taking part in each methodology';
