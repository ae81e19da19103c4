--------------------------------------------------------------------------
-- Bundled methodologies
--------------------------------------------------------------------------

SELECT ideal.load_bundled('gitoc-2021.yaml');
SELECT ideal.load_bundled('gitoc-2023.yaml');
SELECT ideal.load_bundled('gitoc-2025.yaml');
SELECT ideal.load_bundled('sleipnir.yaml');
SELECT ideal.load_bundled('ideal-2.0.yaml');
UPDATE ideal.methodology SET bundled = true;
