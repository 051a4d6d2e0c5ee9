-- ops.quality_checks for one month: one row per finding (the job adds period and level, the
-- level of each check being the catalogue's default, org.govind.schema.QualityCheck, unless the
-- rules file's quality.levels overrides it). Every check name below must be in that catalogue:
-- compute stops on a finding whose check it does not know.
-- Inputs: ops.ingest_audit, the month's rows of gold.case_indicators and gold.coverage_indicators
-- (computed just before), and the shared views cases_at_t, compounds_at_t, branches_at_t,
-- property_companies_at_t, members_at_t (by name: SharedViews creates them for the month).
-- Parameters: :period, :period_start, :period_end, :month_first (DATE), :t_date (DATE), :silent_nights,
-- :entities (the landing entities, from schemas/tables/index.yaml).
WITH
-- Nights of the month that exports are expected for: from the first to the last export date seen
-- in any district, clipped to the month, so a month still in progress is not "silent" after the
-- latest night and nights before the first delivery ever are not either.
bounds AS (
  SELECT greatest(:month_first, min(export_date)) AS first_night,
         least(:t_date, max(export_date))         AS last_night
  FROM ops.ingest_audit
  WHERE export_date IS NOT NULL
),
nights AS (
  SELECT explode(sequence(first_night, last_night, INTERVAL 1 DAY)) AS night
  FROM bounds
  WHERE first_night <= last_night
),
districts AS (   -- every district that has delivered a loadable file, from its first such night on (a district
                 -- that joins in May is not silent in January; nor does its joining change January's checks)
  SELECT district, min(export_date) AS since
  FROM ops.ingest_audit
  WHERE status IN ('loaded', 'partial') AND export_date IS NOT NULL
  GROUP BY district
),
entities AS (
  SELECT explode(:entities) AS entity
),
arrived AS (
  SELECT DISTINCT district, export_date, entity
  FROM ops.ingest_audit
  WHERE export_date >= :month_first AND export_date <= :t_date
),
missing AS (     -- per district and night, the entities that did not arrive
  SELECT x.district, x.night, array_sort(collect_list(x.entity)) AS entities
  FROM (SELECT d.district, n.night, e.entity FROM districts d JOIN nights n ON n.night >= d.since CROSS JOIN entities e) x
  LEFT ANTI JOIN arrived a
    ON a.district = x.district AND a.export_date = x.night AND a.entity = x.entity
  GROUP BY x.district, x.night
),
exports_missing AS (
  SELECT district, 'exports_missing' AS check, CAST(size(entities) AS DOUBLE) AS value,
         CASE WHEN size(entities) = size(:entities) THEN concat(night, ' 无任何导出')
              ELSE concat(night, ' 缺少 ', array_join(entities, '、')) END AS message,
         CAST(night AS STRING) AS subject
  FROM missing
),
silent_district AS (
  SELECT district, 'silent_district' AS check, CAST(count(*) AS DOUBLE) AS value,
         concat('本月 ', count(*), ' 晚无任何导出（', array_join(array_sort(collect_list(CAST(night AS STRING))), '、'),
                '），达到阈值 ', :silent_nights) AS message,
         CAST(NULL AS STRING) AS subject
  FROM missing
  WHERE size(entities) = size(:entities)
  GROUP BY district
  HAVING count(*) >= :silent_nights
),
quarantined_rows AS (
  SELECT district, 'quarantined_rows' AS check, CAST(sum(rows_quarantined) AS DOUBLE) AS value,
         concat(entity, ' 本月隔离 ', sum(rows_quarantined), ' 行（读入 ', sum(rows_read), ' 行的 ',
                format_number(100.0 * sum(rows_quarantined) / greatest(sum(rows_read), 1), 1), '%）') AS message,
         entity AS subject
  FROM ops.ingest_audit
  WHERE export_date >= :month_first AND export_date <= :t_date
  GROUP BY district, entity
  HAVING sum(rows_quarantined) > 0
),
rejected_files AS (
  SELECT district, 'rejected_files' AS check, CAST(count(*) AS DOUBLE) AS value,
         concat('本月整文件拒收 ', count(*), ' 个：', array_join(slice(array_sort(collect_list(source_file)), 1, 5), '、'),
                CASE WHEN count(*) > 5 THEN ' 等' ELSE '' END) AS message,
         CAST(NULL AS STRING) AS subject
  FROM ops.ingest_audit
  WHERE export_date >= :month_first AND export_date <= :t_date AND status = 'rejected'
  GROUP BY district
),
coverage_above_one AS (
  SELECT coalesce(district_code, 'all') AS district, 'coverage_above_one' AS check,
         greatest(branch_coverage, property_coverage, committee_rate, committee_party_share, visit_coverage,
                  key_group_coverage, relation_rate, report_rate, points_participation, property_party_coverage) AS value,
         concat(unit_id, ' 覆盖率大于 1：走访 ', coalesce(format_number(visit_coverage, 3), '—'),
                '，重点人群走访 ', coalesce(format_number(key_group_coverage, 3), '—'),
                '，业委会党员比例 ', coalesce(format_number(committee_party_share, 3), '—')) AS message,
         unit_id AS subject
  FROM gold.coverage_indicators
  WHERE period = :period
    AND greatest(branch_coverage, property_coverage, committee_rate, committee_party_share, visit_coverage,
                 key_group_coverage, relation_rate, report_rate, points_participation, property_party_coverage) > 1
),
no_due_at AS (
  SELECT coalesce(district_code, 'all') AS district, 'no_due_at' AS check, CAST(received AS DOUBLE) AS value,
         concat(unit_id, ' 本月受理 ', received, ' 件，均无办理时限（due_at）') AS message,
         unit_id AS subject
  FROM gold.case_indicators
  WHERE period = :period AND received > 0 AND received_no_due = received
),
-- References are not checked at ingestion; a dangling one is a finding here.
dangling AS (
  SELECT k.district_code, 'cases.compound_id' AS ref
  FROM cases_at_t k LEFT ANTI JOIN compounds_at_t c
    ON c.district_code = k.district_code AND c.compound_id = k.compound_id
  WHERE k.compound_id IS NOT NULL AND k.reported_at >= :period_start AND k.reported_at < :period_end
  UNION ALL
  SELECT k.district_code, 'cases.property_company_id' AS ref
  FROM cases_at_t k LEFT ANTI JOIN property_companies_at_t p
    ON p.district_code = k.district_code AND p.company_id = k.property_company_id
  WHERE k.property_company_id IS NOT NULL AND k.reported_at >= :period_start AND k.reported_at < :period_end
  UNION ALL
  SELECT c.district_code, 'compounds.property_company_id' AS ref
  FROM compounds_at_t c LEFT ANTI JOIN property_companies_at_t p
    ON p.district_code = c.district_code AND p.company_id = c.property_company_id
  WHERE c.property_company_id IS NOT NULL
  UNION ALL
  SELECT c.district_code, 'compounds.branch_id' AS ref
  FROM compounds_at_t c LEFT ANTI JOIN branches_at_t b
    ON b.district_code = c.district_code AND b.branch_id = c.branch_id
  WHERE c.branch_id IS NOT NULL
  UNION ALL
  SELECT m.district_code, 'members.compound_id' AS ref
  FROM members_at_t m LEFT ANTI JOIN compounds_at_t c
    ON c.district_code = m.district_code AND c.compound_id = m.compound_id
  WHERE m.compound_id IS NOT NULL AND m.status = 'active'
),
dangling_reference AS (
  SELECT district_code AS district, 'dangling_reference' AS check, CAST(count(*) AS DOUBLE) AS value,
         concat(ref, ' 有 ', count(*), ' 个引用在月末不存在') AS message,
         ref AS subject
  FROM dangling
  GROUP BY district_code, ref
)
-- Spark SQL has no UNION BY NAME: every branch names the finding's columns, in the same order.
SELECT district, check, value, message, subject FROM exports_missing
UNION ALL SELECT district, check, value, message, subject FROM silent_district
UNION ALL SELECT district, check, value, message, subject FROM quarantined_rows
UNION ALL SELECT district, check, value, message, subject FROM rejected_files
UNION ALL SELECT district, check, value, message, subject FROM coverage_above_one
UNION ALL SELECT district, check, value, message, subject FROM no_due_at
UNION ALL SELECT district, check, value, message, subject FROM dangling_reference
