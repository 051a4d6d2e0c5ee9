-- Shared view case_flags: every case of the shared view cases_at_t with the catalogue's per-case conditions as
-- booleans (null counts as false), the one place they are written. case_indicators rolls them up
-- by unit, company_ratings by property company.
-- Create it (and cases_at_t) for a month by name: SharedViews.create(spark, "case_flags", month, rules).
-- Parameters: :period_start, :period_end — first instant of the month and of the next month
-- (Asia/Shanghai), so "in m" is [start, end) and "<= T" is "< :period_end".
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
       (unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0        AS handle_hours
FROM cases_at_t
