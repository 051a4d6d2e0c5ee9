-- Shared view cases_at_t (reads the table bronze.cases): every case as the month's books judge it, invalid cases left out
-- (the catalogue's Conventions, "Cases at T (books close)").
-- Create it for a month by name: SharedViews.create(spark, "cases_at_t", month, rules).
-- bronze.cases keeps every delivered version of a case with its export date (_export_date).
--   * The month's books close :books_close (its last day + cases.books_close_days). Of the versions
--     delivered on or before that date, the one with the newest updated_at is judged (ties: the first
--     delivered, as in silver.cases), whatever its updated_at: a case reported at 23:50 on the last
--     day and first exported at 00:10 counts, and a closure on a missed last night counts as closed.
--   * A case reported by T with no version delivered by then is judged from its earliest delivered
--     version, so no case reported by T is lost (a case first exported weeks later, when closed).
--   * A version delivered after books close never changes the month (a later closure, deadline
--     change, re-assignment or invalidation); a case whose earliest version, delivered after books
--     close, is already invalid is excluded like any invalid case.
--   * Timestamps are judged against T by the SQL that reads this view (closed_at > T → open at T).
--   * Only cases reported by T (in the judged version) can count in the month: due, closed,
--     revisited and overdue all follow the report, so later cases are left out.
-- Parameters: :period_end — the first instant of the next month (Asia/Shanghai), "<= T" is "< :period_end";
--             :books_close — the books-close date (DATE).
WITH
ranked AS (
  SELECT *,
         -- the judged version first: in the books, newest updated_at; else the earliest delivered
         row_number() OVER (PARTITION BY district_code, case_id
                            ORDER BY _export_date <= :books_close DESC,
                                     CASE WHEN _export_date <= :books_close THEN updated_at END DESC,
                                     _export_date, _source_file, _line) AS version_rank
  FROM bronze.cases
)
SELECT district_code, case_id, community_code, compound_id, source, category, property_company_id,
       reported_at, dispatch_level, due_at, closed_at, status, revisited_at, satisfaction,
       is_dispute, mediation_result, updated_at
FROM ranked
WHERE version_rank = 1
  AND reported_at < :period_end
  AND status <> 'invalid'
