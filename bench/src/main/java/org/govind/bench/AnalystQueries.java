package org.govind.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * Five queries an analyst runs every day (district headline, compound drill-down, overdue listing,
 * leaderboard, quarantine reasons), one file each under {@code govind/bench/analyst/}. The text is
 * the same for Spark SQL and DuckDB but for two spellings that differ between the dialects (a
 * time-zoned instant literal and an array's first element), filled in per engine; the values are
 * the bench's own (a month, a district code), never user input.
 */
public final class AnalystQueries {
    public enum Engine { SPARK, DUCKDB }

    public static final List<String> NAMES = List.of("q1_district_headline", "q2_compound_drilldown", "q3_overdue_listing",
            "q4_leaderboard", "q5_quarantine_reasons");

    /** The warehouse tables the queries read (what the DuckDB peer gets as Parquet). */
    public static final List<String> TABLES = List.of("gold.case_indicators", "gold.coverage_indicators",
            "gold.points_leaderboard", "silver.cases", "ops.quarantine");

    private AnalystQueries() {}

    /** The query {@code name} for a month and district, spelled for {@code engine}. */
    public static String text(String name, Engine engine, YearMonth month, String district) {
        String instant = month.plusMonths(1).atDay(1) + " 00:00:00+08:00";   // month end, Asia/Shanghai
        Map<String, String> values = Map.of(
                "period", month.toString(),
                "district", district,
                "month_start", month.atDay(1).toString(),
                "next_month_start", month.plusMonths(1).atDay(1).toString(),
                "t_end", engine == Engine.SPARK ? "TIMESTAMP'" + instant + "'" : "TIMESTAMPTZ '" + instant + "'",
                "first_reason", engine == Engine.SPARK ? "element_at(reasons, 1)" : "reasons[1]");
        String sql = raw(name);
        for (Map.Entry<String, String> e : values.entrySet()) sql = sql.replace("${" + e.getKey() + "}", e.getValue());
        if (sql.contains("${")) throw new IllegalStateException(name + ": unfilled placeholder in " + sql);
        return sql;
    }

    static String raw(String name) {
        String res = "govind/bench/analyst/" + name + ".sql";
        try (InputStream in = AnalystQueries.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("missing " + res);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
