-- gold.case_indicators for one month: the catalogue's "Case indicators", every level from one roll-up.
-- Inputs (shared views, by name: SharedViews creates them for the month): case_flags (each case as
-- it stood at T, invalid cases left out, with its conditions as booleans) and compounds_at_t
-- (compounds registered at T).
-- Parameters: :period 'YYYY-MM'; :period_start, :period_end — first instant of the month and of
-- the next month (Asia/Shanghai), so "in m" is [start, end) and "<= T" is "< :period_end";
-- :gid_compound, :gid_community, :gid_district, :gid_all — the grouping ids of the levels (UnitLevel).
WITH
-- Each case with the catalogue's conditions (shared view case_flags), then one row per registered
-- compound with no case conditions, so that every unit registered at T gets a row even with no cases,
-- and one row with no unit at all so that the level 'all' always exists.
-- Spark SQL has no UNION BY NAME: every branch names every column, in the same order.
flags AS (
  SELECT district_code, community_code, compound_id,
         is_received, is_closed_by_t, lacks_due, is_due, is_closed_on_time, is_overdue_open, is_answered,
         is_satisfied, is_closed_in_m, is_revisited_by_t, is_mediated, is_mediation_success, handle_hours
  FROM case_flags
  UNION ALL
  SELECT district_code, community_code, compound_id,
         NULL AS is_received, NULL AS is_closed_by_t, NULL AS lacks_due, NULL AS is_due,
         NULL AS is_closed_on_time, NULL AS is_overdue_open, NULL AS is_answered, NULL AS is_satisfied,
         NULL AS is_closed_in_m, NULL AS is_revisited_by_t, NULL AS is_mediated,
         NULL AS is_mediation_success, NULL AS handle_hours
  FROM compounds_at_t
  UNION ALL
  SELECT NULL AS district_code, NULL AS community_code, NULL AS compound_id,
         NULL AS is_received, NULL AS is_closed_by_t, NULL AS lacks_due, NULL AS is_due,
         NULL AS is_closed_on_time, NULL AS is_overdue_open, NULL AS is_answered, NULL AS is_satisfied,
         NULL AS is_closed_in_m, NULL AS is_revisited_by_t, NULL AS is_mediated,
         NULL AS is_mediation_success, NULL AS handle_hours
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
-- The level of each roll-up row from its grouping id (UnitLevel explains the bits). Rows whose own key
-- is null (compound-less cases at compound level, the 'all' helper row below district level) are not units.
units AS (
  SELECT CASE gid WHEN :gid_compound THEN 'compound' WHEN :gid_community THEN 'community'
                  WHEN :gid_district THEN 'district' ELSE 'all' END              AS level,
         CASE gid WHEN :gid_compound THEN concat(district_code, ':', compound_id)
                  WHEN :gid_community THEN concat(district_code, ':', community_code)
                  WHEN :gid_district THEN district_code
                  ELSE 'all' END                                                   AS unit_id,
         *
  FROM rolled
  WHERE (gid = :gid_compound AND district_code IS NOT NULL AND compound_id IS NOT NULL)
     OR (gid = :gid_community AND district_code IS NOT NULL AND community_code IS NOT NULL)
     OR (gid = :gid_district AND district_code IS NOT NULL)
     OR gid = :gid_all
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
