-- Temporary view cases_at_t: every case as it stood at T, invalid cases left out.
-- bronze.cases keeps every delivered version of a case; the version that stood at T is the one
-- with the newest updated_at <= T (ties: the first delivered, as in silver.cases). A later
-- export that changes a past case (closes it, marks it invalid) therefore does not change a
-- month already over: a month recomputed later equals its first computation.
-- Parameters: :period_end — the first instant of the next month (Asia/Shanghai); "<= T" is "< :period_end".
WITH
versions_by_t AS (
  SELECT *,
         row_number() OVER (PARTITION BY district_code, case_id
                            ORDER BY updated_at DESC, _export_date, _source_file, _line) AS version_rank
  FROM bronze.cases
  WHERE updated_at < :period_end
)
SELECT district_code, case_id, community_code, compound_id, source, category, property_company_id,
       reported_at, dispatch_level, due_at, closed_at, status, revisited_at, satisfaction,
       is_dispute, mediation_result, updated_at
FROM versions_by_t
WHERE version_rank = 1
  AND status <> 'invalid'
