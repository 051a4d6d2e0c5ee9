-- DuckDB peer of govind/sql/shared/points_in_m.sql: the month's entries; counts = adds to net points
-- (not a redemption, not a reversal, not cancelled by a reversal: any_time or known by T, :reversals_any_time).
CREATE OR REPLACE TEMP TABLE points_in_m AS
WITH
reversals AS (
  SELECT DISTINCT district_code, reversal_of AS cancelled_entry_id
  FROM silver_points
  WHERE reversal_of IS NOT NULL
    AND (:reversals_any_time OR occurred_at < :period_end)
),
entries_in_m AS (
  SELECT *
  FROM silver_points
  WHERE occurred_at >= :period_start
    AND occurred_at < :period_end
)
SELECT e.entry_id, e.district_code, e.community_code, e.compound_id, e.holder_id, e.holder_type,
       e.holder_name, e.scheme, e.activity, e.points, e.occurred_at, e.reversal_of,
       coalesce(e.activity <> 'redemption' AND e.reversal_of IS NULL AND r.cancelled_entry_id IS NULL, false) AS counts
FROM entries_in_m e
LEFT JOIN reversals r
  ON r.district_code = e.district_code
 AND r.cancelled_entry_id = e.entry_id;
