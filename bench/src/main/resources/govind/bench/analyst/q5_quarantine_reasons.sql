-- 隔离原因 / quarantine reasons: the month's rejected rows by district, entity and first reason
SELECT district, entity, ${first_reason} AS reason, count(*) AS n_rows
FROM ops.quarantine
WHERE export_date >= DATE '${month_start}' AND export_date < DATE '${next_month_start}'
GROUP BY district, entity, ${first_reason}
ORDER BY n_rows DESC, district, entity, reason
