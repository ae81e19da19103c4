-- A reader's dashboard: the reader role reads the published regional picture
-- through ideal_bi, and no raw row.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(6);
SELECT lives_ok($$SELECT * FROM ideal.create_roles()$$, 'roles created');

INSERT INTO ideal.cycle (code, methodology) VALUES ('R/PUB', 'ideal-2.0'), ('R/OPEN', 'ideal-2.0');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('R/PUB', 'MX', 'drug_trafficking', 'prevalence', 'high', 'B2'),
	   ('R/PUB', 'BR', 'drug_trafficking', 'prevalence', 'very high', 'A1'),
	   ('R/OPEN', 'MX', 'drug_trafficking', 'prevalence', 'low', 'B2');
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'R/PUB';
UPDATE ideal.cycle SET status = 'published' WHERE code = 'R/PUB';

SET ROLE ideal_reader;
SELECT is((SELECT pg_catalog.count(*) FROM ideal_bi.published_picture)::int, 1,
		  'the reader sees the published cycle''s crime area');
SELECT is((SELECT reporting_countries FROM ideal_bi.published_picture), 2,
		  'counted over both countries');
SELECT throws_ok($$SELECT * FROM ideal_bi.regional_picture$$, '42501', NULL,
				 'but not the picture of open cycles');
SELECT throws_ok($$SELECT * FROM ideal_bi.observation$$, '42501', NULL,
				 'nor any raw answer');
SELECT throws_ok($$SELECT * FROM ideal_bi.subject_score$$, '42501', NULL,
				 'nor per-subject scores');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
