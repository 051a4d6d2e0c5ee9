-- gold.red_black_list for one month: the catalogue's "Red and black lists", per district.
-- Input: gold.company_ratings of :period (pinned by the job to the version it records).
-- Eligible: manages >= 1 compound at T and has >= :min_due cases due in the month; every other
-- company is listed as not_rated with the reason. Black if any of B1–B4; red if none of them and
-- every red condition holds. Black by score ascending, red by score descending (at most
-- :red_size); ties by company_id. Every entry names each rule that fired with value and threshold.
-- Parameters: :period, :min_due, :black_*, :red_*, and the thresholds as display text :t_*
-- (e.g. '70%'), made by the job from the same values.
WITH
ratings AS (
  SELECT *, rated AND due >= :min_due AS eligible
  FROM gold.company_ratings
  WHERE period = :period
),
rules AS (
  SELECT *,
         eligible AND coalesce(on_time_rate < :black_on_time_rate, false)                      AS b1,
         eligible AND answered >= :black_min_answered
                  AND coalesce(satisfaction_rate < :black_satisfaction_rate, false)            AS b2,
         eligible AND overdue_open >= :black_overdue_open                                      AS b3,
         eligible AND coalesce(star <= :black_star, false)                                     AS b4,
         eligible AND coalesce(star >= :red_star, false)
                  AND coalesce(on_time_rate >= :red_on_time_rate, false)
                  AND answered >= :red_min_answered
                  AND coalesce(satisfaction_rate >= :red_satisfaction_rate, false)             AS red_ok
  FROM ratings
),
-- Rates as percentages with one decimal; for the black "<" rules three when one decimal would
-- print the threshold itself (69.96% is not "70.0% < 70%").
texts AS (
  SELECT *,
         IF(format_string('%.1f', on_time_rate * 100) = format_string('%.1f', :black_on_time_rate * 100),
            format_string('%.3f%%', on_time_rate * 100), format_string('%.1f%%', on_time_rate * 100))           AS on_time_black_txt,
         IF(format_string('%.1f', satisfaction_rate * 100) = format_string('%.1f', :black_satisfaction_rate * 100),
            format_string('%.3f%%', satisfaction_rate * 100), format_string('%.1f%%', satisfaction_rate * 100)) AS satisfaction_black_txt,
         -- red conditions are "≥": a rate at or above its threshold never prints below it
         format_string('%.1f%%', on_time_rate * 100)                                                          AS on_time_red_txt,
         format_string('%.1f%%', satisfaction_rate * 100)                                                     AS satisfaction_red_txt
  FROM rules
),
classified AS (
  SELECT *,
         CASE WHEN NOT eligible THEN 'not_rated'
              WHEN b1 OR b2 OR b3 OR b4 THEN 'black'
              WHEN red_ok THEN 'red' END                                                      AS list,
         CASE WHEN NOT rated THEN 'N1 本月未在管任何小区，不参评'
              WHEN NOT eligible THEN format_string('N2 当月到期诉求 %d 件 < %d 件，不参评', due, :min_due)
              WHEN b1 OR b2 OR b3 OR b4 THEN concat_ws('；',
                IF(b1, concat('B1 按期办结率 ', on_time_black_txt, ' < ', :t_black_on_time_rate), NULL),
                IF(b2, concat('B2 满意率 ', satisfaction_black_txt, ' < ', :t_black_satisfaction_rate,
                              format_string('（有效回访 %d 件 ≥ %d 件）', answered, :black_min_answered)), NULL),
                IF(b3, format_string('B3 超期未结 %d 件 ≥ %d 件', overdue_open, :black_overdue_open), NULL),
                IF(b4, format_string('B4 调整后星级 %d 星 ≤ %d 星', star, :black_star), NULL))
              ELSE concat_ws('；',
                format_string('红榜 星级 %d 星 ≥ %d 星', star, :red_star),
                concat('按期办结率 ', on_time_red_txt, ' ≥ ', :t_red_on_time_rate),
                concat('满意率 ', satisfaction_red_txt, ' ≥ ', :t_red_satisfaction_rate,
                       format_string('（有效回访 %d 件 ≥ %d 件）', answered, :red_min_answered)),
                '未触发黑榜规则 B1–B4') END                                                   AS reasons,
         CASE WHEN NOT rated THEN 'N1'
              WHEN NOT eligible THEN 'N2'
              WHEN b1 OR b2 OR b3 OR b4 THEN concat_ws(',', IF(b1, 'B1', NULL), IF(b2, 'B2', NULL),
                                                       IF(b3, 'B3', NULL), IF(b4, 'B4', NULL))
              ELSE 'R' END                                                                    AS rules_fired
  FROM texts
),
positioned AS (
  SELECT *,
         IF(list = 'not_rated', NULL,
            row_number() OVER (PARTITION BY district_code, list
                               ORDER BY IF(list = 'black', score, -score), company_id))       AS position
  FROM classified
  WHERE list IS NOT NULL
)
SELECT :period AS period, district_code, list, position, company_id, company_name, star, score, reasons, rules_fired
FROM positioned
WHERE list <> 'red' OR position <= :red_size
