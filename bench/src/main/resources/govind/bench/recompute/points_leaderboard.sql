-- DuckDB peer of govind/sql/gold/points_leaderboard.sql. holder_key is the keyed hash govind stores as
-- holder_id (hmac_hex of the delivered id), display_name the masked name (mask_name), both of the
-- holder's latest entry in the month within the scope (arg_max_null keeps a null name, as max_by does).
CREATE OR REPLACE TEMP TABLE gold_points_leaderboard AS
WITH
per_scope AS (
  SELECT CASE WHEN grouping(community_code) = 0 THEN 'community' ELSE 'district' END AS scope_level,
         district_code, community_code, holder_id,
         sum(CASE WHEN counts THEN points ELSE 0 END)                      AS net_points,
         arg_max_null(holder_type, (occurred_at, entry_id))                AS holder_type,
         arg_max_null(holder_name, (occurred_at, entry_id))                AS holder_name
  FROM points_in_m
  GROUP BY GROUPING SETS ((district_code, community_code, holder_id), (district_code, holder_id))
),
ranked AS (
  SELECT *,
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
       hmac_hex(holder_id)                                                   AS holder_key,
       mask_name(holder_name)                                                AS display_name,
       holder_type,
       CAST(net_points AS DECIMAL(18, 2))                                    AS net_points,
       district_code
FROM ranked
WHERE rank <= :leaderboard_size;
