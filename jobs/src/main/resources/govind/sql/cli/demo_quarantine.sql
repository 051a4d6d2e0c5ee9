-- bin/govind demo: how many rows were quarantined for each first reason.
SELECT reasons[0] AS reason, count(*) AS n
FROM ops.quarantine
GROUP BY 1
ORDER BY n DESC
