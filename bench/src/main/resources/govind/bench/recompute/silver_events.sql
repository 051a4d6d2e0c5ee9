-- The immutable events as silver keeps them: the first delivery of each key (visits, points); a later
-- identical re-delivery changes nothing (govind counts it in rows_unchanged).
CREATE OR REPLACE TEMP TABLE silver_visits AS
SELECT * EXCLUDE (_export_date, _source_file) FROM landing_visits
QUALIFY row_number() OVER (PARTITION BY district_code, visit_id ORDER BY _export_date, _source_file) = 1;
CREATE OR REPLACE TEMP TABLE silver_points AS
SELECT * EXCLUDE (_export_date, _source_file) FROM landing_points
QUALIFY row_number() OVER (PARTITION BY district_code, entry_id ORDER BY _export_date, _source_file) = 1;
