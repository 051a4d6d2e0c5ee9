-- DuckDB peer of govind/sql/shared/state_at_t.sql for one snapshot entity (${entity}_at_t): its state at T.
-- landing_${entity} holds, per district, only the latest snapshot dated on or before :t_date (LandingScan
-- picks that file): every row of a clean snapshot is loaded, so it is exactly silver's SCD2 version valid at T.
CREATE OR REPLACE TEMP VIEW ${entity}_at_t AS
SELECT * EXCLUDE (_export_date, _source_file) FROM landing_${entity};
