-- gold.case_indicators for one month: the catalogue's "Case indicators", every level from one roll-up.
-- Inputs (temporary views made by the job from shared/): case_flags (each case as it stood at T,
-- invalid cases left out, with its conditions as booleans) and compounds_at_t (compounds registered at T).
-- Parameters: :period 'YYYY-MM'; :period_start, :period_end — first instant of the month and of
-- the next month (Asia/Shanghai), so "in m" is [start, end) and "<= T" is "< :period_end".
WITH
-- One row per registered compound (every flag null) so that every unit registered at T gets a row
-- even with no cases, and one row with no unit at all so that the level 'all' always exists.
-- The 13 nulls stand for case_flags' columns after the unit columns, in its order.
unit_rows AS (
  SELECT district_code, community_code, compound_id,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM compounds_at_t
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
),
-- Each case with the catalogue's conditions (shared view case_flags), then the unit rows.
flags AS (
  SELECT * EXCEPT (property_company_id) FROM case_flags
  UNION ALL
  SELECT * FROM unit_rows
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
