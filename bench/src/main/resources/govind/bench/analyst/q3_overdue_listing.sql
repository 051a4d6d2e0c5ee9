-- 超期未结清单 / overdue listing: one district's cases past their deadline and still open at month end
SELECT district_code, dispatch_level, case_id, due_at
FROM silver.cases
WHERE district_code = '${district}' AND due_at < ${t_end} AND (closed_at IS NULL OR closed_at > ${t_end})
ORDER BY due_at, case_id
LIMIT 200
