-- Shared view points_in_m (reads the table silver.points): every points entry with occurred_at in the month, with
-- counts = whether it adds to net points:
--   not a redemption, not a reversal itself, and not cancelled by a reversal.
-- A reversal cancels its target whatever month the target is in and whenever the reversal arrives
-- (a correction of the ledger, unlike a case's change of state). Which reversals count is the rules
-- file's points.reversals: any_time (default, the catalogue's reading) counts every reversal loaded
-- so far, so a March award reversed in April is out of March when March is recomputed;
-- known_at_period_end (an explicit choice) counts only reversals that occurred by T.
-- Create it for a month by name: SharedViews.create(spark, "points_in_m", month, rules).
-- Parameters: :period_start, :period_end (TIMESTAMP), :reversals_any_time (BOOLEAN).
WITH
reversals AS (
  SELECT DISTINCT district_code, reversal_of AS cancelled_entry_id
  FROM silver.points
  WHERE reversal_of IS NOT NULL
    AND (:reversals_any_time OR occurred_at < :period_end)
),
entries_in_m AS (
  SELECT *
  FROM silver.points
  WHERE occurred_at >= :period_start
    AND occurred_at < :period_end
)
SELECT e.entry_id, e.district_code, e.community_code, e.compound_id, e.holder_id, e.holder_type,
       e.holder_name, e.scheme, e.activity, e.points, e.occurred_at, e.reversal_of,
       (e.activity <> 'redemption' AND e.reversal_of IS NULL AND r.cancelled_entry_id IS NULL) AS counts
FROM entries_in_m e
LEFT JOIN reversals r
  ON r.district_code = e.district_code
 AND r.cancelled_entry_id = e.entry_id
