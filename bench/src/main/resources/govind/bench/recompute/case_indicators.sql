-- DuckDB peer of govind/sql/gold/case_indicators.sql (same CTEs, DuckDB spelling: quantile_cont for
-- Spark's percentile, a macro for try_divide, count(*) FILTER for Spark's count_if: DuckDB's count_if
-- gives NULL, not 0, for a group whose condition is NULL on every row).
CREATE OR REPLACE TEMP TABLE gold_case_indicators AS
WITH
flags AS (
  SELECT district_code, community_code, compound_id,
         is_received, is_closed_by_t, lacks_due, is_due, is_closed_on_time, is_overdue_open, is_answered,
         is_satisfied, is_closed_in_m, is_revisited_by_t, is_mediated, is_mediation_success, handle_hours
  FROM case_flags
  UNION ALL BY NAME
  SELECT district_code, community_code, compound_id FROM compounds_at_t
  UNION ALL BY NAME
  SELECT NULL::VARCHAR AS district_code
),
rolled AS (
  SELECT grouping_id(district_code, compound_id, community_code)                 AS gid,
         district_code, community_code, compound_id,
         count(*) FILTER (WHERE is_received)                                   AS received,
         count(*) FILTER (WHERE is_received AND is_closed_by_t)                AS closed,
         count(*) FILTER (WHERE is_received AND lacks_due)                     AS received_no_due,
         count(*) FILTER (WHERE is_due)                                        AS due,
         count(*) FILTER (WHERE is_due AND is_closed_on_time)                  AS on_time,
         count(*) FILTER (WHERE is_overdue_open)                               AS overdue_open,
         count(*) FILTER (WHERE is_answered)                                   AS answered,
         count(*) FILTER (WHERE is_answered AND is_satisfied)                  AS satisfied,
         count(*) FILTER (WHERE is_closed_in_m)                                AS closed_in_m,
         count(*) FILTER (WHERE is_closed_in_m AND is_revisited_by_t)          AS revisited,
         count(*) FILTER (WHERE is_mediated)                                   AS mediated,
         count(*) FILTER (WHERE is_mediated AND is_mediation_success)          AS mediation_success,
         quantile_cont(CASE WHEN is_closed_in_m THEN handle_hours END, 0.5)        AS median_handle_hours
  FROM flags
  GROUP BY GROUPING SETS ((district_code, compound_id), (district_code, community_code), (district_code), ())
),
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
FROM units;
