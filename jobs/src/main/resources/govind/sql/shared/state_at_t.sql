-- State at T of one snapshot entity (members, compounds, branches, property_companies): the SCD2
-- version valid on the month's last day, i.e. the latest snapshot dated on or before it.
-- The template of the shared views <snapshot>_at_t, one per snapshot entity of the schemas
-- (Schemas.SNAPSHOTS: members_at_t, compounds_at_t, …); ${table} is replaced by silver.<snapshot>.
-- Create one for a month by name: SharedViews.create(spark, "compounds_at_t", month, rules).
-- Parameters: :t_date — the last day of the month (DATE).
SELECT *
FROM ${table}
WHERE valid_from <= :t_date
  AND (valid_to IS NULL OR valid_to > :t_date)
