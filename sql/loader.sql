-- The YAML methodology loader: what it accepts, and every refusal with its
-- line, column and what was expected.  A refused file loads nothing.
SET search_path = ideal, public;
\set VERBOSITY default

-- the bundled methodologies were loaded by CREATE EXTENSION
SELECT code, version, bundled, languages, subject_kinds
  FROM ideal.methodology ORDER BY code;
SELECT methodology, count(*) AS indicators, sum(weight) AS total_weight
  FROM ideal.indicator GROUP BY methodology ORDER BY methodology;
SELECT methodology, count(*) AS members FROM ideal.member
 GROUP BY methodology ORDER BY methodology;
SELECT composite, position, input, weight FROM ideal.composite_input
 WHERE methodology = 'gitoc-2023' AND composite IN ('criminality')
 ORDER BY position;

-- a minimal valid file
SELECT ideal.load_methodology($y$
methodology: test-min
version: "1"
title: {en: Minimal test method}
languages: [en, es]
scales:
  yn: {kind: ordinal, levels: [{code: "no", value: 0, labels: {en: No, es: "No"}}, {code: "yes", value: 1, labels: {en: "Yes", es: Sí}}]}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: yn, labels: {en: Question one, es: Pregunta uno}}
composites:
  - {code: total, method: weighted_sum, of: [q1], labels: {en: Total}}
members: [MX, "076", arg]
$y$);
SELECT country FROM ideal.member WHERE methodology = 'test-min' ORDER BY country;
-- reloading identical content is a no-op
SELECT ideal.load_methodology($y$
methodology: test-min
version: "1"
title: {en: Minimal test method}
languages: [en, es]
scales:
  yn: {kind: ordinal, levels: [{code: "no", value: 0, labels: {en: No, es: "No"}}, {code: "yes", value: 1, labels: {en: "Yes", es: Sí}}]}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: yn, labels: {en: Question one, es: Pregunta uno}}
composites:
  - {code: total, method: weighted_sum, of: [q1], labels: {en: Total}}
members: [MX, "076", arg]
$y$);
-- different content under a used code is refused
SELECT ideal.load_methodology($y$
methodology: test-min
version: "2"
title: {en: Minimal test method}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators: [{code: q1, kind: country, scale: s, labels: {en: Q}}]
members: [MX]
$y$);
SELECT count(*) FROM ideal.methodology WHERE code = 'test-min';

-- malformed YAML
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: [unclosed
$y$);
-- an unknown key
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, weigth: 2, labels: {en: Q}}
members: [MX]
$y$);
-- a composite naming a missing indicator
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
composites:
  - {code: c1, method: mean, of: [q1, q2], labels: {en: C}}
members: [MX]
$y$);
-- a composite used before it is defined
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
composites:
  - {code: c1, method: mean, of: [c2], labels: {en: C1}}
  - {code: c2, method: mean, of: [q1], labels: {en: C2}}
members: [MX]
$y$);
-- a scale with min > max
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales:
  s:
    kind: numeric
    min: 10
    max: 1
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
-- a duplicate indicator code
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q one}}
  - {code: q1, kind: country, scale: s, labels: {en: Q two}}
members: [MX]
$y$);
-- two indicators sharing a label (answers by label would be ambiguous)
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Violence}}
  - {code: q2, kind: country, scale: s, labels: {en: VIOLENCE}}
members: [MX]
$y$);
-- a missing required key
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
$y$);
-- an unknown country among the members
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX, XX]
$y$);
-- an indicator of a kind the methodology does not assess
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: group, scale: s, labels: {en: Q}}
members: [MX]
$y$);
-- a band level that is not a threat level, and bounds out of order
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
composites:
  - {code: c1, method: mean, of: [q1], labels: {en: C}}
bands:
  - {composite: c1, levels: [{level: low, from: 0}, {level: severe, from: 1}]}
members: [MX]
$y$);
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
composites:
  - {code: c1, method: mean, of: [q1], labels: {en: C}}
bands:
  - {composite: c1, levels: [{level: high, from: 0}, {level: low, from: 1}]}
members: [MX]
$y$);
-- anchors and aliases are refused before any expansion
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: &t {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: *t}
members: [MX]
$y$);
-- nesting beyond the limit
SELECT ideal.load_methodology('a: ' || repeat('[', 40) || repeat(']', 40));
-- a scalar beyond the limit
SELECT ideal.load_methodology('methodology: ' || repeat('x', 5000));
-- two documents
SELECT ideal.load_methodology($y$
methodology: a
---
methodology: b
$y$);
-- not a mapping at all
SELECT ideal.load_methodology('- just a list');
SELECT ideal.load_methodology('');
-- a bad code
SELECT ideal.load_methodology($y$
methodology: Bad Code
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
-- a label in a language the file does not declare
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad, fr: Mauvais}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
-- an ordinal level spelled like another level
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en, es]
scales:
  r:
    kind: ordinal
    levels:
      - {code: low, value: 1, labels: {en: Low, es: Bajo}}
      - {code: high, value: 2, labels: {en: High, es: BAJO}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: r, labels: {en: Q}}
members: [MX]
$y$);
-- invalid UTF-8 in the file
SELECT ideal.load_methodology(convert_from('\x6d6574686f646f6c6f67793a20ff'::bytea, 'SQL_ASCII'));

-- nothing of any refused file was loaded
SELECT count(*) FROM ideal.methodology WHERE code = 'bad';
SELECT count(*) FROM ideal.indicator WHERE methodology = 'bad';

-- bundled files are named, never paths
SELECT ideal.load_bundled('../../../etc/passwd');

-- a methodology no cycle uses can be dropped; one in use cannot
INSERT INTO ideal.cycle (code, methodology) VALUES ('t-2024', 'test-min');
SELECT ideal.drop_methodology('test-min');
DELETE FROM ideal.cycle WHERE code = 't-2024';
SELECT ideal.drop_methodology('test-min');
SELECT count(*) FROM ideal.indicator WHERE methodology = 'test-min';
SELECT ideal.drop_methodology('test-min');

-- values beyond what scores are kept to, and blank labels
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1e20}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: Bad}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1e12}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, weight: 1000000, labels: {en: Q}}
  - {code: q2, kind: country, scale: s, weight: 1000000, labels: {en: R}}
composites:
  - {code: total, method: weighted_sum, of: [q1, q2], labels: {en: Total}}
members: [MX]
$y$);
SELECT ideal.load_methodology($y$
methodology: bad
version: "1"
title: {en: "   "}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
-- a UTF-8 byte-order mark before the file is not content
SELECT ideal.load_methodology(convert_from('\xefbbbf'::bytea, 'UTF8') || $y$methodology: bom-test
version: "1"
title: {en: With a byte-order mark}
languages: [en]
scales: {s: {kind: numeric, min: 0, max: 1}}
subject_kinds: [country]
indicators:
  - {code: q1, kind: country, scale: s, labels: {en: Q}}
members: [MX]
$y$);
SELECT ideal.drop_methodology('bom-test');
