package org.govind.schema;

import java.util.Arrays;
import java.util.List;

/**
 * The catalogue of data-quality checks: the one definition of each check's name (the value of
 * {@code ops.quality_checks.check}), its default level and what it means in Chinese and English.
 * The order is the order summaries list them in. The rules file's {@code quality.levels} may override
 * a level, and only of a check listed here; jobs/src/main/resources/govind/sql/ops/quality_checks.sql
 * emits exactly these names (a test compares them), and a finding whose check is not listed here
 * stops {@code govind compute} instead of being stored at some level by default.
 * The table's schema (schemas/tables/ops/quality_checks.yaml) labels the same names with {@link #zh}
 * (checked when the schemas are loaded).
 */
public enum QualityCheck {
    silent_district(Level.error, "区县多晚未报送", "silent district", "区县连续未报送", "a district sent nothing for at least quality.silent_nights nights of the month (nights from its first delivery on)"),
    exports_missing(Level.warning, "导出缺失", "exports missing", "导出缺失", "a district's export of an entity is missing for a night (nights from its first delivery on)"),
    rejected_files(Level.warning, "拒收文件", "rejected files", "拒收文件", "whole files were rejected"),
    quarantined_rows(Level.warning, "隔离行", "quarantined rows", "隔离行", "rows were quarantined"),
    coverage_above_one(Level.warning, "覆盖率>1", "coverage > 1", "覆盖率大于1", "a coverage rate above 1 was computed"),
    no_due_at(Level.warning, "无办理时限", "no due_at", "工单均无办理时限", "every case a unit received in the month lacks a due date (due_at)"),
    dangling_reference(Level.warning, "引用不存在", "dangling reference", "引用不存在", "a row references an id that does not exist at the month's end");

    /** The level of a finding: error stops the month (exit 3 unless accepted), warning is reported. */
    public enum Level { error, warning }

    public final Level defaultLevel;
    /** Short labels, for summaries (govind compute's output). */
    public final String labelZh, labelEn;
    /** What the check means; {@link #zh} is also the code's label in the table's schema and the data dictionary. */
    public final String zh;
    public final String en;

    QualityCheck(Level defaultLevel, String labelZh, String labelEn, String zh, String en) {
        this.defaultLevel = defaultLevel;
        this.labelZh = labelZh;
        this.labelEn = labelEn;
        this.zh = zh;
        this.en = en;
    }

    /** Every check's name, in catalogue order. */
    public static List<String> names() { return Arrays.stream(values()).map(Enum::name).toList(); }

    /** Every level's name: error, warning. */
    public static List<String> levels() { return Arrays.stream(Level.values()).map(Enum::name).toList(); }

    /** The check of that name, or null when the catalogue has none. */
    public static QualityCheck find(String name) {
        for (QualityCheck c : values()) if (c.name().equals(name)) return c;
        return null;
    }
}
