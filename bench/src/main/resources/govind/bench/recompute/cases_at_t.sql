-- DuckDB peer of govind/sql/shared/cases_at_t.sql, over every delivered version of every case
-- (landing_cases = bronze.cases: each row with its export date and source file).
-- Of the versions delivered on or before :books_close, the newest updated_at is judged (ties: the first
-- delivered); a case with no version in the books is judged from its earliest delivered version.
-- Only cases reported by T, invalid ones left out.
CREATE OR REPLACE TEMP TABLE cases_at_t AS
WITH
ranked AS (
  SELECT *,
         row_number() OVER (PARTITION BY district_code, case_id
                            ORDER BY _export_date <= :books_close DESC,
                                     CASE WHEN _export_date <= :books_close THEN updated_at END DESC NULLS LAST,
                                     _export_date, _source_file) AS version_rank
  FROM landing_cases
)
SELECT district_code, case_id, community_code, compound_id, source, category, property_company_id,
       reported_at, dispatch_level, due_at, closed_at, status, revisited_at, satisfaction,
       is_dispute, mediation_result, updated_at
FROM ranked
WHERE version_rank = 1
  AND reported_at < :period_end
  AND status <> 'invalid';
