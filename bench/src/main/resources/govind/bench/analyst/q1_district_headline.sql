-- 区县头条 / district headline: the month's case and coverage figures per district
SELECT c.unit_id AS district_code, c.received, c.closure_rate, c.on_time_rate, c.satisfaction_rate,
       c.overdue_open, v.branch_coverage, v.visit_coverage
FROM gold.case_indicators c
LEFT JOIN gold.coverage_indicators v
  ON v.period = c.period AND v.level = c.level AND v.unit_id = c.unit_id
WHERE c.period = '${period}' AND c.level = 'district'
ORDER BY c.unit_id
