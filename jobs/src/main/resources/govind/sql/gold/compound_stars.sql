-- gold.compound_stars for one month: the catalogue's "Star ratings — Compounds".
-- Inputs: gold.case_indicators and gold.coverage_indicators of :period (a compound row for every
-- compound registered at T; district and all rows for the priors p0) and gold.compound_stars of
-- :prev_period (dynamic adjustment). The job pins each table to the Delta version it records.
-- Parameters: weights :w_*, :visit_target, :committee_party_share, :shrinkage_m, thresholds
-- :star5 … :star2, :max_climb, :star_tolerance (scores within it of a threshold reach it, so that
-- a score of 90 computed as 89.99999999999999 is still ★5).
WITH
compounds AS (
  SELECT unit_id, district_code, community_code, compound_id,
         with_branch > 0 AS has_branch, visit_coverage,
         with_committee > 0 AS has_committee, committee_party_share
  FROM gold.coverage_indicators
  WHERE period = :period AND level = 'compound'
),
case_counts AS (
  SELECT unit_id, due, on_time, try_divide(on_time, due) AS on_time_rate,
         answered, satisfied, try_divide(satisfied, answered) AS satisfaction_rate
  FROM gold.case_indicators
  WHERE period = :period AND level = 'compound'
),
-- p0 = the measure pooled over the district (compound-less cases included: the district row);
-- the city's (level all) when the district has n = 0; 0 when that is empty too.
city AS (
  SELECT try_divide(on_time, due) AS on_time_p, try_divide(satisfied, answered) AS satisfaction_p
  FROM gold.case_indicators
  WHERE period = :period AND level = 'all'
),
priors AS (
  SELECT d.district_code,
         coalesce(try_divide(d.on_time, d.due), c.on_time_p, 0D)               AS on_time_p0,
         coalesce(try_divide(d.satisfied, d.answered), c.satisfaction_p, 0D)   AS satisfaction_p0
  FROM gold.case_indicators d LEFT JOIN city c ON true
  WHERE d.period = :period AND d.level = 'district'
),
measures AS (
  SELECT m.*,
         coalesce(k.due, 0) AS due, coalesce(k.on_time, 0) AS on_time, k.on_time_rate,
         coalesce(k.answered, 0) AS answered, coalesce(k.satisfied, 0) AS satisfied, k.satisfaction_rate,
         coalesce(p.on_time_p0, 0D) AS on_time_p0, coalesce(p.satisfaction_p0, 0D) AS satisfaction_p0
  FROM compounds m
  LEFT JOIN case_counts k ON k.unit_id = m.unit_id
  LEFT JOIN priors p ON p.district_code = m.district_code
),
-- Shrunk rate (k + M·p0) / (n + M); p0 itself when n + M = 0 (M = 0 and no cases).
shrunk AS (
  SELECT *,
         coalesce(try_divide(on_time + :shrinkage_m * on_time_p0, due + :shrinkage_m), on_time_p0)                AS on_time_shrunk,
         coalesce(try_divide(satisfied + :shrinkage_m * satisfaction_p0, answered + :shrinkage_m), satisfaction_p0) AS satisfaction_shrunk
  FROM measures
),
components AS (
  SELECT *,
         CASE WHEN has_branch THEN 1D ELSE 0D END                                   AS comp_branch,
         -- least() skips nulls, so a null coverage is tested first
         IF(visit_coverage IS NULL, 0D, least(1D, visit_coverage / :visit_target))  AS comp_visits,
         on_time_shrunk                                                              AS comp_on_time,
         satisfaction_shrunk                                                         AS comp_satisfaction,
         CASE WHEN has_committee AND committee_party_share >= :committee_party_share THEN 1D
              WHEN has_committee THEN 0.5D ELSE 0D END                              AS comp_committee
  FROM shrunk
),
scored AS (
  SELECT *,
         :w_branch * comp_branch + :w_visits * comp_visits + :w_on_time * comp_on_time
           + :w_satisfaction * comp_satisfaction + :w_committee * comp_committee   AS score
  FROM components
),
starred AS (
  SELECT *,
         CASE WHEN score + :star_tolerance >= :star5 THEN 5
              WHEN score + :star_tolerance >= :star4 THEN 4
              WHEN score + :star_tolerance >= :star3 THEN 3
              WHEN score + :star_tolerance >= :star2 THEN 2
              ELSE 1 END                                                             AS raw_star
  FROM scored
),
previous AS (
  SELECT unit_id, star AS prev_star
  FROM gold.compound_stars
  WHERE period = :prev_period
)
-- Dynamic adjustment: climb at most :max_climb stars a month, drop at once.
SELECT :period AS period, s.*, p.prev_star,
       CASE WHEN p.prev_star IS NULL THEN s.raw_star ELSE least(s.raw_star, p.prev_star + :max_climb) END AS star,
       CASE WHEN p.prev_star IS NULL THEN 'first'
            WHEN s.raw_star > p.prev_star + :max_climb THEN 'capped' ELSE 'none' END   AS adjustment,
       :shrinkage_m AS shrinkage_m
FROM starred s
LEFT JOIN previous p ON p.unit_id = s.unit_id
