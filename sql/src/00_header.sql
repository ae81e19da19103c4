-- ideal--0.2.0.sql: install script of the ideal extension

\echo Use "CREATE EXTENSION ideal" to load this file. \quit
