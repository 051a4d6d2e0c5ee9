-- gold.case_indicators for one month: the catalogue's "Case indicators", every level from one roll-up.
-- Inputs (temporary views made by the job from shared/): cases_at_t (each case as it stood at T,
-- invalid cases left out) and compounds_at_t (compounds registered at T).
-- Parameters: :period 'YYYY-MM'; :period_start, :period_end — first instant of the month and of
-- the next month (Asia/Shanghai), so "in m" is [start, end) and "<= T" is "< :period_end".
WITH
-- The month's cases plus one row per registered compound (all measures null) so that every unit
-- registered at T gets a row even with no cases, and one row with no unit at all so that the
-- level 'all' always exists.
unit_rows AS (
  SELECT district_code, community_code, compound_id,
         CAST(NULL AS TIMESTAMP) AS reported_at, CAST(NULL AS TIMESTAMP) AS due_at,
         CAST(NULL AS TIMESTAMP) AS closed_at, CAST(NULL AS TIMESTAMP) AS revisited_at,
         CAST(NULL AS STRING) AS satisfaction, CAST(NULL AS BOOLEAN) AS is_dispute,
         CAST(NULL AS STRING) AS mediation_result
  FROM compounds_at_t
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
),
case_rows AS (
  SELECT district_code, community_code, compound_id, reported_at, due_at, closed_at, revisited_at,
         satisfaction, is_dispute, mediation_result
  FROM cases_at_t
),
-- One row per case (or unit row) with the catalogue's conditions as booleans; null counts as false.
flags AS (
  SELECT district_code, community_code, compound_id,
         reported_at >= :period_start AND reported_at < :period_end               AS is_received,
         closed_at < :period_end                                                   AS is_closed_by_t,
         due_at IS NULL                                                            AS lacks_due,
         due_at >= :period_start AND due_at < :period_end                         AS is_due,
         closed_at <= due_at                                                       AS is_closed_on_time,
         due_at < :period_end AND (closed_at IS NULL OR closed_at >= :period_end) AS is_overdue_open,
         revisited_at >= :period_start AND revisited_at < :period_end
           AND satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')  AS is_answered,
         satisfaction IN ('satisfied', 'basically_satisfied')                     AS is_satisfied,
         closed_at >= :period_start AND closed_at < :period_end                   AS is_closed_in_m,
         revisited_at < :period_end                                                AS is_revisited_by_t,
         is_dispute AND closed_at >= :period_start AND closed_at < :period_end
           AND mediation_result IS NOT NULL                                        AS is_mediated,
         mediation_result = 'success'                                              AS is_mediation_success,
         (unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0        AS handle_hours
  FROM (SELECT * FROM case_rows UNION ALL SELECT * FROM unit_rows)
),
-- The one roll-up: compound (by district and compound id), community, district, all.
rolled AS (
  SELECT grouping_id(district_code, compound_id, community_code)                 AS gid,
         district_code, community_code, compound_id,
         count_if(is_received)                                                     AS received,
         count_if(is_received AND is_closed_by_t)                                  AS closed,
         count_if(is_received AND lacks_due)                                       AS received_no_due,
         count_if(is_due)                                                          AS due,
         count_if(is_due AND is_closed_on_time)                                    AS on_time,
         count_if(is_overdue_open)                                                 AS overdue_open,
         count_if(is_answered)                                                     AS answered,
         count_if(is_answered AND is_satisfied)                                    AS satisfied,
         count_if(is_closed_in_m)                                                  AS closed_in_m,
         count_if(is_closed_in_m AND is_revisited_by_t)                            AS revisited,
         count_if(is_mediated)                                                     AS mediated,
         count_if(is_mediated AND is_mediation_success)                            AS mediation_success,
         percentile(CASE WHEN is_closed_in_m THEN handle_hours END, 0.5)           AS median_handle_hours
  FROM flags
  GROUP BY GROUPING SETS ((district_code, compound_id), (district_code, community_code), (district_code), ())
),
-- grouping_id bits follow the grouping columns' first appearance (district_code, compound_id,
-- community_code); a set bit = not grouped: 1 = compound, 2 = community, 3 = district, 7 = all. Rows whose own key is null (compound-less cases at compound level, the
-- 'all' helper row below district level) are not units.
units AS (
  SELECT CASE gid WHEN 1 THEN 'compound' WHEN 2 THEN 'community' WHEN 3 THEN 'district' ELSE 'all' END AS level,
         CASE gid WHEN 1 THEN concat(district_code, ':', compound_id)
                  WHEN 2 THEN concat(district_code, ':', community_code)
                  WHEN 3 THEN district_code
                  ELSE 'all' END                                                   AS unit_id,
         *
  FROM rolled
  WHERE (gid = 1 AND district_code IS NOT NULL AND compound_id IS NOT NULL)
     OR (gid = 2 AND district_code IS NOT NULL AND community_code IS NOT NULL)
     OR (gid = 3 AND district_code IS NOT NULL)
     OR gid = 7
)
SELECT :period AS period, level, unit_id, district_code, community_code, compound_id,
       received, closed, try_divide(closed, received)                             AS closure_rate,
       due, on_time, try_divide(on_time, due)                                     AS on_time_rate,
       overdue_open,
       answered, satisfied, try_divide(satisfied, answered)                       AS satisfaction_rate,
       closed_in_m, revisited, try_divide(revisited, closed_in_m)                 AS revisit_rate,
       mediated, mediation_success, try_divide(mediation_success, mediated)       AS mediation_success_rate,
       received_no_due,
       median_handle_hours
FROM units
