-- bin/govind demo: per district (and the city) and month, on-time rate, satisfaction rate, branch
-- coverage and cases received. Parameters: :first_period, :last_period ('YYYY-MM').
SELECT c.period, c.unit_id, c.on_time_rate, c.satisfaction_rate, v.branch_coverage, c.received
FROM gold.case_indicators c
JOIN gold.coverage_indicators v
  ON v.period = c.period AND v.level = c.level AND v.unit_id = c.unit_id
WHERE c.level IN ('district', 'all')
  AND c.period BETWEEN :first_period AND :last_period
ORDER BY c.period, c.level = 'all', c.unit_id
