-- gold.red_black_list for one month: the catalogue's "Red and black lists", per district.
-- Input: gold.company_ratings of :period (pinned by the job to the version it records).
-- The conditions, their codes and thresholds are defined once in schemas/lists/list_rules.yaml; each
-- threshold comes as the parameter named after its rules key (lists.black.on_time_rate →
-- :lists_black_on_time_rate). Eligible: manages >= 1 compound at T and has >= :lists_min_due cases due
-- in the month; every other company is listed as not_rated (N1, N2). Black if any of B1–B4; red if none
-- of them and every red condition holds. Black by score ascending, red by score descending (at most
-- :lists_red_size); ties by company_id.
-- Every entry stores the conditions that held as reason_details (code, value, threshold), in the
-- definition's order; the job renders the text column `reasons` from them with the definition's zh texts.
WITH
ratings AS (
  SELECT *, rated AND due >= :lists_min_due AS eligible
  FROM gold.company_ratings
  WHERE period = :period
),
rules AS (
  SELECT *,
         eligible AND coalesce(on_time_rate < :lists_black_on_time_rate, false)                AS b1,
         eligible AND answered >= :lists_black_min_answered
                  AND coalesce(satisfaction_rate < :lists_black_satisfaction_rate, false)      AS b2,
         eligible AND overdue_open >= :lists_black_overdue_open                                AS b3,
         eligible AND coalesce(star <= :lists_black_star, false)                               AS b4,
         eligible AND coalesce(star >= :lists_red_star, false)
                  AND coalesce(on_time_rate >= :lists_red_on_time_rate, false)
                  AND answered >= :lists_red_min_answered
                  AND coalesce(satisfaction_rate >= :lists_red_satisfaction_rate, false)       AS red_ok
  FROM ratings
),
classified AS (
  SELECT *,
         CASE WHEN NOT eligible THEN 'not_rated'
              WHEN b1 OR b2 OR b3 OR b4 THEN 'black'
              WHEN red_ok THEN 'red' END                                                      AS list,
         -- one struct per condition that held: code, measured value, threshold (list_rules.yaml)
         CASE WHEN NOT rated THEN array(named_struct('code', 'N1', 'value', double(compounds_managed), 'threshold', 1D))
              WHEN NOT eligible THEN array(named_struct('code', 'N2', 'value', double(due), 'threshold', double(:lists_min_due)))
              WHEN b1 OR b2 OR b3 OR b4 THEN filter(array(
                IF(b1, named_struct('code', 'B1', 'value', on_time_rate, 'threshold', double(:lists_black_on_time_rate)), NULL),
                IF(b2, named_struct('code', 'B2', 'value', satisfaction_rate, 'threshold', double(:lists_black_satisfaction_rate)), NULL),
                IF(b2, named_struct('code', 'B2.answered', 'value', double(answered), 'threshold', double(:lists_black_min_answered)), NULL),
                IF(b3, named_struct('code', 'B3', 'value', double(overdue_open), 'threshold', double(:lists_black_overdue_open)), NULL),
                IF(b4, named_struct('code', 'B4', 'value', double(star), 'threshold', double(:lists_black_star)), NULL)),
                x -> x IS NOT NULL)
              WHEN red_ok THEN array(
                named_struct('code', 'R.star', 'value', double(star), 'threshold', double(:lists_red_star)),
                named_struct('code', 'R.on_time_rate', 'value', on_time_rate, 'threshold', double(:lists_red_on_time_rate)),
                named_struct('code', 'R.satisfaction_rate', 'value', satisfaction_rate, 'threshold', double(:lists_red_satisfaction_rate)),
                named_struct('code', 'R.answered', 'value', double(answered), 'threshold', double(:lists_red_min_answered)),
                named_struct('code', 'R.no_black', 'value', 0D, 'threshold', 0D)) END             AS reason_details,
         CASE WHEN NOT rated THEN 'N1'
              WHEN NOT eligible THEN 'N2'
              WHEN b1 OR b2 OR b3 OR b4 THEN concat_ws(',', IF(b1, 'B1', NULL), IF(b2, 'B2', NULL),
                                                       IF(b3, 'B3', NULL), IF(b4, 'B4', NULL))
              ELSE 'R' END                                                                    AS rules_fired
  FROM rules
),
positioned AS (
  SELECT *,
         IF(list = 'not_rated', NULL,
            row_number() OVER (PARTITION BY district_code, list
                               ORDER BY IF(list = 'black', score, -score), company_id))       AS position
  FROM classified
  WHERE list IS NOT NULL
)
SELECT :period AS period, district_code, list, position, company_id, company_name, star, score, reason_details, rules_fired
FROM positioned
WHERE list <> 'red' OR position <= :lists_red_size
