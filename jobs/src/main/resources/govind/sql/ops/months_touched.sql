-- The earliest month whose indicators the ingest batches after :after_batch can change, per reason
-- (NightlyJob recomputes every month from the earliest one to the night's month; a month before
-- the earliest cannot change, so the incremental run equals a full recomputation).
-- Reads: ops.ingest_audit, bronze.cases, bronze.visits, bronze.points (registered by name).
-- Parameters: :after_batch (BIGINT) — the last batch before the run; :books_close_days (INT).
-- One row per reason that has new rows: reason, first_month (DATE, the month's first day), rows.
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
  SELECT 'visit' AS reason, min(trunc(CAST(v.visited_at AS DATE), 'MM')) AS first_month, count(*) AS rows
  FROM bronze.visits v
  JOIN new_files f ON f.source_file = v._source_file AND f.file_sha256 = v._file_sha256
),
new_points AS (
  SELECT p.district_code, p.occurred_at, p.reversal_of
  FROM bronze.points p
  JOIN new_files f ON f.source_file = p._source_file AND f.file_sha256 = p._file_sha256
),
by_points AS (
  SELECT 'points' AS reason,
         min(trunc(CAST(least(n.occurred_at, coalesce(t.occurred_at, n.occurred_at)) AS DATE), 'MM')) AS first_month,
         count(*) AS rows
  FROM new_points n
  LEFT JOIN (SELECT DISTINCT district_code, entry_id, occurred_at FROM bronze.points) t
    ON n.reversal_of IS NOT NULL AND t.district_code = n.district_code AND t.entry_id = n.reversal_of
)
SELECT reason, first_month, rows FROM by_file WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_case WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_visit WHERE rows > 0
UNION ALL SELECT reason, first_month, rows FROM by_points WHERE rows > 0
