-- DuckDB peer of govind/sql/shared/case_flags.sql: each case at T with the catalogue's per-case conditions.
-- handle_hours as Spark computes it: micros between report and closure / 3,600,000,000.
CREATE OR REPLACE TEMP VIEW case_flags AS
SELECT district_code, community_code, compound_id, property_company_id,
       reported_at >= :period_start AND reported_at < :period_end               AS is_received,
       closed_at < :period_end                                                   AS is_closed_by_t,
       due_at IS NULL                                                            AS lacks_due,
       due_at >= :period_start AND due_at < :period_end                         AS is_due,
       closed_at <= due_at                                                       AS is_closed_on_time,
       due_at < :period_end AND (closed_at IS NULL OR closed_at >= :period_end) AS is_overdue_open,
       revisited_at >= :period_start AND revisited_at < :period_end
         AND satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')  AS is_answered,
       satisfaction IN ('satisfied', 'basically_satisfied')                     AS is_satisfied,
       closed_at >= :period_start AND closed_at < :period_end                   AS is_closed_in_m,
       revisited_at < :period_end                                                AS is_revisited_by_t,
       is_dispute AND closed_at >= :period_start AND closed_at < :period_end
         AND mediation_result IS NOT NULL                                        AS is_mediated,
       mediation_result = 'success'                                              AS is_mediation_success,
       (epoch_us(closed_at) - epoch_us(reported_at)) / 3600000000.0              AS handle_hours
FROM cases_at_t;
