--
-- Security: the exact errors each job meets, COPY included (COPY FROM STDIN
-- cannot run inside a function, so it is tested here).  The roles are
-- created, used and dropped again.
--
SET search_path = ideal, public;
\set VERBOSITY default
\set SHOW_CONTEXT never

SELECT role, object, privileges FROM ideal.create_roles()
 WHERE object IN ('schema ideal', 'ideal.observation', 'ideal.rejected',
				  'ideal.observation_intake', 'ideal.regional_picture',
				  'ideal.published_picture', 'ideal.cycle',
				  'ideal.load_methodology(text)')
 ORDER BY object, role;

CREATE ROLE regress_pdc_mx IN ROLE ideal_contact;
CREATE ROLE regress_analyst IN ROLE ideal_analyst;
CREATE ROLE regress_reader IN ROLE ideal_reader;
CREATE ROLE regress_owner IN ROLE ideal_owner;
CREATE ROLE regress_unmapped IN ROLE ideal_contact;

-- only a superuser creates the roles
SET ROLE regress_owner;
SELECT ideal.create_roles();
INSERT INTO ideal.contact_point (role, country) VALUES ('regress_pdc_mx', 'MX');
INSERT INTO ideal.cycle (code, methodology) VALUES ('R/OPEN', 'ideal-2.0'), ('R/CLOSED', 'ideal-2.0');
RESET ROLE;
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, grading)
VALUES ('R/OPEN', 'AR', 'drug_trafficking', 'prevalence', 'very high', 'EU:B2:H2'),
	   ('R/CLOSED', 'MX', 'drug_trafficking', 'prevalence', 'high', 'B2');
UPDATE ideal.cycle SET status = 'closed' WHERE code = 'R/CLOSED';

-- a contact point: COPY into the table is refused by PostgreSQL itself
SET ROLE regress_pdc_mx;
COPY ideal.observation (cycle, country, subject, indicator, answer) FROM stdin;
R/OPEN	MX	drug_trafficking	harm	high
\.
-- through the intake views: its own rows load, another country's do not
COPY ideal.observation_intake (cycle, country, subject, indicator, answer) FROM stdin;
R/OPEN	MX	drug_trafficking	harm	high
R/OPEN	mex	drug_trafficking	trend	stable
\.
COPY ideal.observation_intake (cycle, country, subject, indicator, answer) FROM stdin;
R/OPEN	MX	drug_trafficking	violence_impact	low
R/OPEN	AR	drug_trafficking	harm	high
\.
COPY ideal."ideal-2.0_crime_area_intake" (cycle, country, subject, prevalence, harm) FROM stdin WITH (FORMAT csv);
R/OPEN,032,arms_trafficking,low,low
\.
SELECT cycle, country, subject, indicator, answer FROM ideal.observation ORDER BY 1, 2, 3, 4;
-- closed cycles, forged roles, direct writes of other countries
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('R/CLOSED', 'MX', 'drug_trafficking', 'harm', 'low');
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer, loaded_by)
VALUES ('R/OPEN', 'MX', 'drug_trafficking', 'groups_involved', 'low', 'regress_analyst');
INSERT INTO ideal.subject (cycle, country, ref, typology, primary_area)
VALUES ('R/OPEN', 'AR', 'AR-1', 'gang', 'drug_trafficking');
SET ideal.on_invalid = 'reject';
INSERT INTO ideal.observation (cycle, country, subject, indicator, answer)
VALUES ('R/OPEN', 'AR', 'drug_trafficking', 'harm', 'colossal');
RESET ideal.on_invalid;
COPY ideal.observation (cycle, country, subject, indicator, answer) TO stdout;
SELECT role, country, mapped_by FROM ideal.contact_point;
UPDATE ideal.cycle SET status = 'open';
SELECT ideal.load_bundled('sleipnir.yaml');
RESET ROLE;

-- a contact point mapped to no country
SET ROLE regress_unmapped;
INSERT INTO ideal.observation_intake (cycle, country, subject, indicator, answer)
VALUES ('R/OPEN', 'MX', 'drug_trafficking', 'violence_impact', 'low');
RESET ROLE;

-- the analyst reads all and writes nothing
SET ROLE regress_analyst;
SELECT country, count(*) FROM ideal.observation GROUP BY 1 ORDER BY 1;
COPY ideal.observation_intake (cycle, country, subject, indicator, answer) FROM stdin;
R/OPEN	MX	drug_trafficking	groups_involved	low
\.
RESET ROLE;

-- the reader: published aggregates only
SET ROLE regress_reader;
SELECT * FROM ideal.observation;
SELECT * FROM ideal.regional_picture;
SELECT count(*) FROM ideal.published_picture;
RESET ROLE;

-- handling codes that forbid dissemination
SELECT g AS grading, ideal.grading_handling(g::ideal.grading) AS handling,
	   ideal.restricted(g::ideal.grading, NULL) AS restricted
  FROM (VALUES ('EU:A1:H0'), ('EU:A1:H1'), ('EU:A1:H2'), ('EU:A1:H3'),
			   ('UK3:1A:P'), ('UK3:1A:C'), ('UK5:A1:1'), ('UK5:A1:2'),
			   ('UK5:A1:5'), ('A1')) v(g);

-- clean up: the roles are the cluster's, not the database's
DELETE FROM ideal.contact_point;
DROP OWNED BY regress_pdc_mx, regress_analyst, regress_reader, regress_owner,
	regress_unmapped, ideal_owner, ideal_contact, ideal_analyst, ideal_reader;
DROP ROLE regress_pdc_mx, regress_analyst, regress_reader, regress_owner,
	regress_unmapped, ideal_owner, ideal_contact, ideal_analyst, ideal_reader;
UPDATE ideal.cycle SET status = 'open' WHERE code = 'R/CLOSED';
DELETE FROM ideal.observation;
DELETE FROM ideal.rejected;
DELETE FROM ideal.observation_history;
DELETE FROM ideal.cycle WHERE code LIKE 'R/%';
