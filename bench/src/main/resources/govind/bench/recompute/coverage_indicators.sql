-- DuckDB peer of govind/sql/gold/coverage_indicators.sql (same CTEs; DuckDB has UNION ALL BY NAME).
-- members' member_id and points' holder_id are compared as delivered: govind compares their keyed
-- hashes, and the same key hashes equal ids to equal hashes.
CREATE OR REPLACE TEMP TABLE gold_coverage_indicators AS
WITH
compound_facts AS (
  SELECT c.district_code, c.community_code, c.compound_id,
         1                                                                         AS compounds,
         CASE WHEN b.branch_id IS NOT NULL THEN 1 ELSE 0 END                       AS with_branch,
         CASE WHEN c.property_company_id IS NOT NULL THEN 1 ELSE 0 END             AS with_property,
         CASE WHEN c.owners_committee THEN 1 ELSE 0 END                            AS with_committee,
         CASE WHEN c.owners_committee THEN coalesce(c.owners_committee_size, 0) ELSE 0 END AS committee_seats,
         coalesce(c.households, 0)                                                 AS households,
         coalesce(c.key_group_households, 0)                                       AS key_group_households,
         CASE WHEN p.company_id IS NOT NULL THEN concat(p.district_code, ':', p.company_id) END AS company_key,
         CASE WHEN p.has_party_org THEN concat(p.district_code, ':', p.company_id) END          AS party_company_key
  FROM compounds_at_t c
  LEFT JOIN branches_at_t b
         ON b.district_code = c.district_code AND b.branch_id = c.branch_id AND b.active
  LEFT JOIN property_companies_at_t p
         ON p.district_code = c.district_code AND p.company_id = c.property_company_id
),
visit_facts AS (
  SELECT c.district_code, c.community_code, c.compound_id,
         concat(v.district_code, ':', v.household_id)                              AS household_key,
         CASE WHEN v.key_group THEN concat(v.district_code, ':', v.household_id) END AS key_group_household_key
  FROM silver_visits v
  JOIN compounds_at_t c
    ON c.district_code = v.district_code AND c.compound_id = v.compound_id
  WHERE v.visited_at >= :period_start AND v.visited_at < :period_end
),
holder_net AS (
  SELECT district_code, holder_id, sum(CASE WHEN counts THEN points ELSE 0 END) AS net_points
  FROM points_in_m
  GROUP BY district_code, holder_id
),
member_facts AS (
  SELECT c.district_code, c.community_code, c.compound_id,
         1                                                                         AS resident,
         CASE WHEN m.relation_in_compound THEN 1 ELSE 0 END                        AS relation_in_compound,
         CASE WHEN m.category = 'in_service' THEN 1 ELSE 0 END                     AS in_service,
         CASE WHEN m.category = 'in_service' AND m.reported_at <= :t_date THEN 1 ELSE 0 END AS in_service_reported,
         CASE WHEN c.owners_committee AND list_contains(m.roles, 'owners_committee') THEN 1 ELSE 0 END AS committee_party,
         CASE WHEN h.net_points > 0 THEN 1 ELSE 0 END                              AS with_points
  FROM members_at_t m
  JOIN compounds_at_t c
    ON c.district_code = m.district_code AND c.compound_id = m.compound_id
  LEFT JOIN holder_net h
    ON h.district_code = m.district_code AND h.holder_id = m.member_id
  WHERE m.status = 'active'
),
facts AS (
  SELECT * FROM compound_facts
  UNION ALL BY NAME
  SELECT * FROM visit_facts
  UNION ALL BY NAME
  SELECT * FROM member_facts
  UNION ALL BY NAME   -- no unit at all: makes sure the level 'all' exists
  SELECT NULL::VARCHAR AS district_code
),
rolled AS (
  SELECT grouping_id(district_code, compound_id, community_code)                 AS gid,
         district_code, community_code, compound_id,
         coalesce(sum(compounds), 0)                 AS compounds,
         coalesce(sum(with_branch), 0)               AS with_branch,
         coalesce(sum(with_property), 0)             AS with_property,
         coalesce(sum(with_committee), 0)            AS with_committee,
         coalesce(sum(committee_seats), 0)           AS committee_seats,
         coalesce(sum(committee_party), 0)           AS committee_party,
         coalesce(sum(households), 0)                AS households,
         count(DISTINCT household_key)               AS households_visited,
         coalesce(sum(key_group_households), 0)      AS key_group_households,
         count(DISTINCT key_group_household_key)     AS key_group_visited,
         coalesce(sum(resident), 0)                  AS resident_members,
         coalesce(sum(relation_in_compound), 0)      AS relation_in_compound,
         coalesce(sum(in_service), 0)                AS in_service,
         coalesce(sum(in_service_reported), 0)       AS in_service_reported,
         coalesce(sum(with_points), 0)               AS members_with_points,
         count(DISTINCT company_key)                 AS companies,
         count(DISTINCT party_company_key)           AS companies_with_party_org
  FROM facts
  GROUP BY GROUPING SETS ((district_code, compound_id), (district_code, community_code), (district_code), ())
),
units AS (
  SELECT CASE gid WHEN :gid_compound THEN 'compound' WHEN :gid_community THEN 'community'
                  WHEN :gid_district THEN 'district' ELSE 'all' END AS level,
         CASE gid WHEN :gid_compound THEN concat(district_code, ':', compound_id)
                  WHEN :gid_community THEN concat(district_code, ':', community_code)
                  WHEN :gid_district THEN district_code
                  ELSE 'all' END                     AS unit_id,
         *
  FROM rolled
  WHERE (gid = :gid_compound AND district_code IS NOT NULL AND compound_id IS NOT NULL)
     OR (gid = :gid_community AND district_code IS NOT NULL AND community_code IS NOT NULL)
     OR (gid = :gid_district AND district_code IS NOT NULL)
     OR gid = :gid_all
)
SELECT :period AS period, level, unit_id, district_code, community_code, compound_id,
       compounds,
       with_branch, try_divide(with_branch, compounds)                       AS branch_coverage,
       with_property, try_divide(with_property, compounds)                   AS property_coverage,
       with_committee, try_divide(with_committee, compounds)                 AS committee_rate,
       committee_seats, committee_party, try_divide(committee_party, committee_seats) AS committee_party_share,
       households, households_visited, try_divide(households_visited, households) AS visit_coverage,
       key_group_households, key_group_visited,
       try_divide(key_group_visited, key_group_households)                   AS key_group_coverage,
       resident_members, relation_in_compound,
       try_divide(relation_in_compound, resident_members)                    AS relation_rate,
       in_service, in_service_reported, try_divide(in_service_reported, in_service) AS report_rate,
       members_with_points, try_divide(members_with_points, resident_members) AS points_participation,
       CASE WHEN level IN ('district', 'all') THEN companies END             AS companies,
       CASE WHEN level IN ('district', 'all') THEN companies_with_party_org END AS companies_with_party_org,
       CASE WHEN level IN ('district', 'all') THEN try_divide(companies_with_party_org, companies) END
                                                                             AS property_party_coverage
FROM units;
