-- The months whose indicators the ingest batches after :after_batch can change, per reason. A file or a case
-- version changes its first month and every later one (a snapshot is the state of every later month; an open
-- case is overdue in every later month): one row, the earliest. A visit or a points entry changes one month
-- only (coverage and points count the month's own rows): one row per month. The nightly run recomputes
-- every month from the earliest file/case month to the night's month, plus each visit/points month
-- (ComputeJob.monthsToRecompute); no other month can change, so the incremental run equals a full recomputation.
-- Reads: ops.ingest_audit (with its batch numbers), bronze.cases, bronze.visits, bronze.points (registered by name).
-- Parameters: :after_batch (BIGINT) — the last batch before the run; :books_close_days (INT).
-- Rows: reason, first_month (DATE, the month's first day), rows; file and case one row each (when they have new
-- rows), visit and points one row per month they reach.
--   * file:   every new file (any entity, also rejected ones and snapshots) counts in the quality checks of
--             its export date's month, and a snapshot dated E is the state of every month ending on or
--             after E; a file dated in the first books_close_days days of a month can also change the
--             previous month's case books. So: the first month whose books close on or after E.
--   * case:   a case version delivered on E changes the months from its report month on whose books
--             close on or after E (the judged version is the newest delivered by books close), and, when
--             it is the case's earliest delivered version, every month from its report month on (a case
--             first exported after its month's books close is judged from its earliest version: never lost).
--   * visit:  a visit counts in the month of visited_at, whenever it arrives.
--   * points: an entry counts in the month of occurred_at; a reversal also cancels its target in the
--             target's month, whenever it arrives (points.reversals: any_time).
--   * silence: the quality checks count a night without exports only up to the latest export date seen
--             (quality_checks.sql, bounds). New exports dated after the previous latest one make the nights
--             in between count, in each month they fall in: one row per such month, rows = those nights.
--             Only the checks can change (ComputeJob: the month's quality checks alone). On nightly runs
--             without a gap this is the night's own month, which is recomputed in full anyway.
WITH
new_files AS (
  SELECT DISTINCT source_file, file_sha256, export_date
  FROM ops.ingest_audit
  WHERE batch > :after_batch
),
-- the first month whose books close (its last day + :books_close_days) on or after a date
first_open_books AS (
  SELECT export_date,
         CASE WHEN date_add(last_day(add_months(export_date, -1)), :books_close_days) >= export_date
              THEN trunc(add_months(export_date, -1), 'MM')
              ELSE trunc(export_date, 'MM') END AS first_month
  FROM (SELECT DISTINCT export_date FROM new_files WHERE export_date IS NOT NULL)
),
by_file AS (
  SELECT 'file' AS reason, min(b.first_month) AS first_month, count(*) AS rows
  FROM new_files f
  JOIN first_open_books b ON b.export_date = f.export_date
),
new_case_versions AS (
  SELECT c.district_code, c.case_id, c.reported_at, c._export_date
  FROM bronze.cases c
  JOIN new_files f ON f.source_file = c._source_file AND f.file_sha256 = c._file_sha256
),
-- the earliest delivery of each case that has a new version (over every version, old and new)
earliest AS (
  SELECT c.district_code, c.case_id, min(c._export_date) AS earliest_delivery
  FROM bronze.cases c
  LEFT SEMI JOIN new_case_versions n ON n.district_code = c.district_code AND n.case_id = c.case_id
  GROUP BY c.district_code, c.case_id
),
by_case AS (
  SELECT 'case' AS reason,
         min(CASE WHEN v._export_date <= e.earliest_delivery THEN trunc(CAST(v.reported_at AS DATE), 'MM')
                  ELSE greatest(trunc(CAST(v.reported_at AS DATE), 'MM'), b.first_month) END) AS first_month,
         count(*) AS rows
  FROM new_case_versions v
  JOIN earliest e ON e.district_code = v.district_code AND e.case_id = v.case_id
  JOIN first_open_books b ON b.export_date = v._export_date
),
by_visit AS (
  SELECT 'visit' AS reason, trunc(CAST(v.visited_at AS DATE), 'MM') AS first_month, count(*) AS rows
  FROM bronze.visits v
  JOIN new_files f ON f.source_file = v._source_file AND f.file_sha256 = v._file_sha256
  WHERE v.visited_at IS NOT NULL
  GROUP BY trunc(CAST(v.visited_at AS DATE), 'MM')
),
new_points AS (
  SELECT p.district_code, p.occurred_at, p.reversal_of
  FROM bronze.points p
  JOIN new_files f ON f.source_file = p._source_file AND f.file_sha256 = p._file_sha256
),
-- an entry's own month, and for a reversal also its target's month (a target not loaded yet: no month)
points_months AS (
  SELECT trunc(CAST(n.occurred_at AS DATE), 'MM') AS month FROM new_points n WHERE n.occurred_at IS NOT NULL
  UNION ALL
  SELECT trunc(CAST(t.occurred_at AS DATE), 'MM') AS month
  FROM new_points n
  JOIN (SELECT DISTINCT district_code, entry_id, occurred_at FROM bronze.points) t
    ON t.district_code = n.district_code AND t.entry_id = n.reversal_of
  WHERE n.reversal_of IS NOT NULL AND t.occurred_at IS NOT NULL
),
by_points AS (
  SELECT 'points' AS reason, month AS first_month, count(*) AS rows
  FROM points_months
  GROUP BY month
),
latest AS (
  SELECT max(CASE WHEN batch <= :after_batch THEN export_date END) AS before, max(export_date) AS now
  FROM ops.ingest_audit
  WHERE export_date IS NOT NULL
),
by_silence AS (
  SELECT 'silence' AS reason, m AS first_month,
         CAST(datediff(least(last_day(m), now), greatest(before, date_sub(m, 1))) AS BIGINT) AS rows
  FROM latest
  LATERAL VIEW explode(sequence(trunc(before, 'MM'), trunc(now, 'MM'), INTERVAL 1 MONTH)) s AS m
  WHERE before IS NOT NULL AND now > before
)
SELECT reason, first_month, rows FROM by_file WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_case WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_visit WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_points WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_silence WHERE rows > 0
