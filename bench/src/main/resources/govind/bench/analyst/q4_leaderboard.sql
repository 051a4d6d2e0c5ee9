-- 积分排行 / leaderboard: the month's top ten per district (keyed holder, masked name)
SELECT scope_id, rank, holder_key, display_name, net_points
FROM gold.points_leaderboard
WHERE period = '${period}' AND scope_level = 'district' AND rank <= 10
ORDER BY scope_id, rank, holder_key
