-- The SQL ccm-isu issues for one my_deadlines request (bench/load/queries/my_deadlines.json),
-- captured by bench/pgbench/capture.sh from PostgreSQL's log; run by bench/pgbench/run.sh.
-- Parameters are inlined as literals. Commit of the server: 83494620905b.
SELECT name, generation FROM cache_stamps;
