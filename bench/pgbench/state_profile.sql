-- The SQL ccm-isu issues for one state_profile request (bench/load/queries/state_profile.json),
-- captured by bench/pgbench/capture.sh from PostgreSQL's log; run by bench/pgbench/run.sh.
-- Parameters are inlined as literals. Commit of the server: 83494620905b.
SELECT name, generation FROM cache_stamps;
