-- gold.points_leaderboard for one month: the catalogue's "Points". Scopes are every community
-- and every district, by the entries' own codes; both come from one roll-up.
-- Input: the temporary view points_in_m (the month's entries; counts = adds to net points).
-- Parameters: :period, :leaderboard_size.
WITH
per_scope AS (
  SELECT CASE WHEN grouping(community_code) = 0 THEN 'community' ELSE 'district' END AS scope_level,
         district_code, community_code, holder_id,
         sum(CASE WHEN counts THEN points ELSE 0 END)                      AS net_points,
         -- the holder's latest entry in the month within the scope (every entry, redemptions included)
         max_by(holder_type, struct(occurred_at, entry_id))                AS holder_type,
         max_by(holder_name, struct(occurred_at, entry_id))                AS display_name
  FROM points_in_m
  GROUP BY GROUPING SETS ((district_code, community_code, holder_id), (district_code, holder_id))
),
ranked AS (
  SELECT *,
         -- standard competition ranking: 1, 2, 2, 4
         rank() OVER (PARTITION BY scope_level, district_code, community_code ORDER BY net_points DESC) AS rank
  FROM per_scope
  WHERE net_points > 0
    AND (scope_level = 'district' OR community_code IS NOT NULL)
)
SELECT :period                                                               AS period,
       scope_level,
       CASE scope_level WHEN 'community' THEN concat(district_code, ':', community_code)
                        ELSE district_code END                               AS scope_id,
       rank,
       holder_id                                                             AS holder_key,  -- already the keyed hash
       display_name,                                                                          -- already masked
       holder_type,
       CAST(net_points AS DECIMAL(18, 2))                                    AS net_points,
       district_code
FROM ranked
WHERE rank <= :leaderboard_size   -- everyone tied at the cut-off rank is kept
