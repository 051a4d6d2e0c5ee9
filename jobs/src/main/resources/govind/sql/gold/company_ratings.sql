-- gold.company_ratings for one month: the catalogue's "Star ratings — Property companies".
-- Inputs (temporary views made by the job from shared/, over pinned table versions):
-- property_companies_at_t and compounds_at_t (state at T), case_flags (cases as they stood at T
-- with their conditions); gold.company_ratings of :prev_period (dynamic adjustment).
-- A company's cases are those whose property_company_id names it within its district; its
-- households are the sum over the compounds it manages at T. A company managing none is not
-- rated (no complaints component): its score and stars are null.
-- Parameters: weights :cw_*, :complaint_ceiling, :shrinkage_m, :star5 … :star2, :max_climb,
-- :star_tolerance, :period, :prev_period.
WITH
companies AS (
  SELECT district_code, company_id AS own_id, concat(district_code, ':', company_id) AS company_id,
         name AS company_name, coalesce(has_party_org, false) AS has_party_org
  FROM property_companies_at_t
),
managed AS (
  SELECT district_code, property_company_id AS own_id,
         count(*) AS compounds_managed, coalesce(sum(households), 0) AS households
  FROM compounds_at_t
  WHERE property_company_id IS NOT NULL
  GROUP BY district_code, property_company_id
),
company_cases AS (
  SELECT f.district_code, f.property_company_id AS own_id,
         count_if(is_received)                          AS received,
         count_if(is_due)                               AS due,
         count_if(is_due AND is_closed_on_time)         AS on_time,
         count_if(is_overdue_open)                      AS overdue_open,
         count_if(is_answered)                          AS answered,
         count_if(is_answered AND is_satisfied)         AS satisfied
  FROM case_flags f
  GROUP BY f.district_code, f.property_company_id
),
measures AS (
  SELECT c.district_code, c.company_id, c.company_name, c.has_party_org,
         coalesce(m.compounds_managed, 0) AS compounds_managed, coalesce(m.households, 0) AS households,
         coalesce(k.received, 0) AS received, coalesce(k.due, 0) AS due, coalesce(k.on_time, 0) AS on_time,
         coalesce(k.overdue_open, 0) AS overdue_open,
         coalesce(k.answered, 0) AS answered, coalesce(k.satisfied, 0) AS satisfied
  FROM companies c
  LEFT JOIN managed m ON m.district_code = c.district_code AND m.own_id = c.own_id
  LEFT JOIN company_cases k ON k.district_code = c.district_code AND k.own_id = c.own_id
),
-- p0 pools the cases of all the district's companies; all districts' when the district has n = 0; else 0.
city AS (
  SELECT try_divide(sum(on_time), sum(due)) AS on_time_p, try_divide(sum(satisfied), sum(answered)) AS satisfaction_p
  FROM measures
),
priors AS (
  SELECT d.district_code,
         coalesce(try_divide(d.on_time, d.due), c.on_time_p, 0D)             AS on_time_p0,
         coalesce(try_divide(d.satisfied, d.answered), c.satisfaction_p, 0D) AS satisfaction_p0
  FROM (SELECT district_code, sum(on_time) AS on_time, sum(due) AS due, sum(satisfied) AS satisfied,
               sum(answered) AS answered
        FROM measures GROUP BY district_code) d
  LEFT JOIN city c ON true
),
shrunk AS (
  SELECT m.*, m.compounds_managed > 0 AS rated,
         try_divide(m.on_time, m.due) AS on_time_rate, try_divide(m.satisfied, m.answered) AS satisfaction_rate,
         try_divide(m.received * 1000D, m.households) AS complaints_per_1000,
         p.on_time_p0, p.satisfaction_p0,
         coalesce(try_divide(m.on_time + :shrinkage_m * p.on_time_p0, m.due + :shrinkage_m), p.on_time_p0)                AS on_time_shrunk,
         coalesce(try_divide(m.satisfied + :shrinkage_m * p.satisfaction_p0, m.answered + :shrinkage_m), p.satisfaction_p0) AS satisfaction_shrunk
  FROM measures m
  JOIN priors p ON p.district_code = m.district_code
),
-- Components of rated companies; with no households the complaints component is 1 without cases, else 0.
components AS (
  SELECT *,
         IF(rated, on_time_shrunk, NULL)                                            AS comp_on_time,
         IF(rated, satisfaction_shrunk, NULL)                                       AS comp_satisfaction,
         CASE WHEN NOT rated THEN NULL
              WHEN complaints_per_1000 IS NULL THEN IF(received = 0, 1D, 0D)     -- greatest() skips nulls
              ELSE greatest(0D, 1D - complaints_per_1000 / :complaint_ceiling) END  AS comp_complaints,
         IF(rated, IF(has_party_org, 1D, 0D), NULL)                                 AS comp_party_org
  FROM shrunk
),
scored AS (
  SELECT *,
         :cw_on_time * comp_on_time + :cw_satisfaction * comp_satisfaction
           + :cw_complaints * comp_complaints + :cw_party_org * comp_party_org       AS score
  FROM components
),
starred AS (
  SELECT *,
         CASE WHEN score IS NULL THEN NULL
              WHEN score + :star_tolerance >= :star5 THEN 5
              WHEN score + :star_tolerance >= :star4 THEN 4
              WHEN score + :star_tolerance >= :star3 THEN 3
              WHEN score + :star_tolerance >= :star2 THEN 2
              ELSE 1 END                                                             AS raw_star
  FROM scored
),
previous AS (
  SELECT company_id, star AS prev_star
  FROM gold.company_ratings
  WHERE period = :prev_period
)
-- Dynamic adjustment: climb at most :max_climb stars a month, drop at once.
SELECT :period AS period, s.*, p.prev_star,
       CASE WHEN s.raw_star IS NULL THEN NULL
            WHEN p.prev_star IS NULL THEN s.raw_star
            ELSE least(s.raw_star, p.prev_star + :max_climb) END                  AS star,
       CASE WHEN s.raw_star IS NULL THEN NULL
            WHEN p.prev_star IS NULL THEN 'first'
            WHEN s.raw_star > p.prev_star + :max_climb THEN 'capped' ELSE 'none' END AS adjustment,
       :shrinkage_m AS shrinkage_m
FROM starred s
LEFT JOIN previous p ON p.company_id = s.company_id
