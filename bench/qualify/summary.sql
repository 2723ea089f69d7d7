-- The summary of `charter qualify --summary` over the view `qualified` (made by
-- acme.sqlite.sql.in or acme.duckdb.sql.in), one `name,count` row each: per stage how many
-- records reached it (their furthest stage is it or a later one) and how many stopped there,
-- how many reached none, and per criteria how many hold. Same text for SQLite and DuckDB.
WITH a AS (
  SELECT
    count(*) AS records,
    sum(CASE WHEN stage_ix >= 0 THEN 1 ELSE 0 END) AS r0, sum(CASE WHEN stage_ix = 0 THEN 1 ELSE 0 END) AS s0,
    sum(CASE WHEN stage_ix >= 1 THEN 1 ELSE 0 END) AS r1, sum(CASE WHEN stage_ix = 1 THEN 1 ELSE 0 END) AS s1,
    sum(CASE WHEN stage_ix >= 2 THEN 1 ELSE 0 END) AS r2, sum(CASE WHEN stage_ix = 2 THEN 1 ELSE 0 END) AS s2,
    sum(CASE WHEN stage_ix >= 3 THEN 1 ELSE 0 END) AS r3, sum(CASE WHEN stage_ix = 3 THEN 1 ELSE 0 END) AS s3,
    sum(CASE WHEN stage_ix >= 4 THEN 1 ELSE 0 END) AS r4, sum(CASE WHEN stage_ix = 4 THEN 1 ELSE 0 END) AS s4,
    sum(CASE WHEN stage_ix >= 5 THEN 1 ELSE 0 END) AS r5, sum(CASE WHEN stage_ix = 5 THEN 1 ELSE 0 END) AS s5,
    sum(CASE WHEN stage_ix < 0 THEN 1 ELSE 0 END) AS none,
    sum(CASE WHEN free_email THEN 1 ELSE 0 END) AS free_email,
    sum(CASE WHEN icp_fit THEN 1 ELSE 0 END) AS icp_fit,
    sum(CASE WHEN engaged THEN 1 ELSE 0 END) AS engaged,
    sum(CASE WHEN mql THEN 1 ELSE 0 END) AS mql,
    sum(CASE WHEN sales_ready THEN 1 ELSE 0 END) AS sales_ready
  FROM qualified
)
SELECT 'records' AS name, records AS n FROM a
UNION ALL SELECT 'stage subscriber reached', r0 FROM a UNION ALL SELECT 'stage subscriber stopped', s0 FROM a
UNION ALL SELECT 'stage lead reached', r1 FROM a UNION ALL SELECT 'stage lead stopped', s1 FROM a
UNION ALL SELECT 'stage mql reached', r2 FROM a UNION ALL SELECT 'stage mql stopped', s2 FROM a
UNION ALL SELECT 'stage sql reached', r3 FROM a UNION ALL SELECT 'stage sql stopped', s3 FROM a
UNION ALL SELECT 'stage opportunity reached', r4 FROM a UNION ALL SELECT 'stage opportunity stopped', s4 FROM a
UNION ALL SELECT 'stage customer reached', r5 FROM a UNION ALL SELECT 'stage customer stopped', s5 FROM a
UNION ALL SELECT 'no stage', none FROM a
UNION ALL SELECT 'criteria free_email', free_email FROM a
UNION ALL SELECT 'criteria icp_fit', icp_fit FROM a
UNION ALL SELECT 'criteria engaged', engaged FROM a
UNION ALL SELECT 'criteria mql', mql FROM a
UNION ALL SELECT 'criteria sales_ready', sales_ready FROM a;
