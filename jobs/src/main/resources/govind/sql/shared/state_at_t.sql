-- State at T of one snapshot entity (members, compounds, branches, property_companies): the SCD2
-- version valid on the month's last day, i.e. the latest snapshot dated on or before it.
-- The job instantiates this once per entity as the temporary view <entity>_at_t
-- (${table} is replaced by silver.<entity>).
-- Parameters: :t_date — the last day of the month (DATE).
SELECT *
FROM ${table}
WHERE valid_from <= :t_date
  AND (valid_to IS NULL OR valid_to > :t_date)
