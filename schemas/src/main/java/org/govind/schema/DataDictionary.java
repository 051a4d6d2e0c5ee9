package org.govind.schema;

import java.util.Map;
import java.util.stream.Collectors;

/** Renders schemas/DATA_DICTIONARY.md from the table definitions (checked in; a test fails when stale). */
public final class DataDictionary {
    private DataDictionary() {}

    public static String render(Schemas s) {
        StringBuilder b = new StringBuilder();
        b.append("# govind data dictionary / 数据字典\n\n")
         .append("Generated from `schemas/tables/*.yaml` by `bin/govind schemas --write-dictionary`; do not edit by hand.\n")
         .append("Personal-data classes: `mask_name` (张*明), `mask_phone` (138****1234), `hash` (HMAC-SHA-256 hex with GOVIND_PII_KEY).\n")
         .append("In bronze/silver, personal-data columns keep their names and hold the masked or hashed value.\n\n");
        for (String layer : new String[] {"landing", "bronze", "silver", "ops"}) {
            b.append("## ").append(layer).append("\n\n");
            for (TableDef t : s.all()) {
                if (!t.layer().equals(layer)) continue;
                b.append("### ").append(t.isFragment() ? t.id() + " (column group)" : layer.equals("landing") ? t.name() + ".csv" : t.qualifiedName())
                 .append(t.title() == null ? "" : " — " + t.title()).append("\n\n");
                if (!t.kind().equals("fragment")) b.append("kind: `").append(t.kind()).append('`');
                if (!t.key().isEmpty()) b.append(" · key: `").append(String.join(", ", t.key())).append('`');
                if (t.versionColumn() != null) b.append(" · version: `").append(t.versionColumn()).append('`');
                if (!t.partitionBy().isEmpty()) b.append(" · partitioned by `").append(String.join(", ", t.partitionBy())).append('`');
                if (t.from() != null) b.append(" · columns of `").append(t.from()).append("` plus extras");
                b.append("\n\n| column | type | null | alias 中文表头 | personal data | rule | values | notes |\n")
                 .append("|---|---|---|---|---|---|---|---|\n");
                for (ColumnDef c : t.columns()) {
                    String rule = "";
                    if (c.pattern() != null) rule += "pattern `" + c.pattern().pattern() + "`";
                    if (c.min() != null) rule += (rule.isEmpty() ? "" : "; ") + "≥ " + c.min()
                            + (c.minReason() != null ? " (" + c.minReason() + ")" : "");
                    b.append("| ").append(c.name()).append(" | ").append(c.typeName()).append(" | ")
                     .append(c.required() ? "no" : "yes").append(" | ").append(nz(c.alias())).append(" | ")
                     .append(c.pii() == Pii.NONE ? "" : c.pii().code()).append(" | ").append(rule).append(" | ")
                     .append(values(c)).append(" | ").append(nz(c.doc()).replace("|", "\\|")).append(" |\n");
                }
                for (CheckDef ch : t.checks()) {
                    b.append("\nrow check: `").append(ch.column()).append("` ").append(ch.rule().replace('_', ' '))
                     .append(" `").append(ch.other()).append("` → `").append(ch.reason()).append("`\n");
                }
                b.append('\n');
            }
        }
        b.append("## Reason codes\n\n| code | 说明 | meaning |\n|---|---|---|\n");
        for (ReasonCode r : ReasonCode.values()) {
            b.append("| ").append(r.name()).append(" | ").append(r.zh).append(" | ").append(r.en).append(" |\n");
        }
        b.append("\n## Quality checks\n\nThe values of `ops.quality_checks.check` (org.govind.schema.QualityCheck); "
                + "the rules file's `quality.levels` may override a default level.\n\n"
                + "| check | default level | 说明 | meaning |\n|---|---|---|---|\n");
        for (QualityCheck q : QualityCheck.values()) {
            b.append("| ").append(q.name()).append(" | ").append(q.defaultLevel).append(" | ").append(q.zh).append(" | ").append(q.en).append(" |\n");
        }
        return b.toString();
    }

    private static String values(ColumnDef c) {
        if (c.values().isEmpty()) return "";
        String v = c.values().entrySet().stream()
                .map((Map.Entry<String, String> e) -> e.getValue() == null ? e.getKey() : e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return c.labelsAccepted() ? v : v + " (codes only)";
    }

    private static String nz(String s) { return s == null ? "" : s; }
}
