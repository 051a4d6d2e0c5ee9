-- 小区钻取 / compound drill-down: one district's compounds furthest below the on-time target
SELECT unit_id, received, due, on_time, on_time_rate, overdue_open
FROM gold.case_indicators
WHERE period = '${period}' AND level = 'compound' AND district_code = '${district}' AND due >= 3
ORDER BY on_time_rate, overdue_open DESC, unit_id
LIMIT 20
