package org.govind.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.govind.rules.Rules;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;
import org.govind.util.StepTimer;

/**
 * {@code govind compute}: the gold indicator tables for one or more months, with the month's
 * quality checks. Per month: the shared views (state at T, cases at T, points in the month), then
 * one SQL file per gold table, each written with {@code replaceWhere period = …} (one atomic Delta
 * commit per table; a recomputed month replaces its rows), then {@code ops.quality_checks} and the
 * month's row in {@code ops.compute_runs}.
 */
public final class ComputeJob {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The gold tables in the order they are computed; each has govind/sql/gold/<name>.sql. */
    public static final List<String> GOLD = List.of("case_indicators", "coverage_indicators", "points_leaderboard");
    /** The quality checks, in the order the summary lists them. */
    public static final List<String> CHECKS = List.of("silent_district", "exports_missing", "rejected_files",
            "quarantined_rows", "coverage_above_one", "no_due_at", "dangling_reference");
    static final List<String> SNAPSHOTS = List.of("members", "compounds", "branches", "property_companies");
    static final List<String> INPUTS = List.of("bronze.cases", "silver.visits", "silver.points", "silver.members",
            "silver.compounds", "silver.branches", "silver.property_companies", "ops.ingest_audit");

    public record Options(String warehouse, List<YearMonth> periods, Rules rules, boolean allowFailedChecks,
                          Consumer<String> progress) {}

    /** How one month came out: its status (ops.compute_runs), findings per check and level, and the stage times. */
    public record MonthResult(YearMonth period, String status, int errors, int warnings,
                              Map<String, Integer> findingsByCheck, List<Row> errorRows, StepTimer timer) {
        public boolean failed() { return "failed_checks".equals(status); }
    }

    private ComputeJob() {}

    /** Months from the first to the last export date found in ops.ingest_audit. */
    public static List<YearMonth> monthsWithData(SparkSession spark, String warehouse) {
        LocalDate[] range = exportDates(Warehouse.open(spark, warehouse));
        return range == null ? List.of() : between(YearMonth.from(range[0]), YearMonth.from(range[1]));
    }

    /** The first and last export date in ops.ingest_audit, or null when nothing was ingested. */
    public static LocalDate[] exportDates(Warehouse wh) {
        if (!wh.exists("ops.ingest_audit")) return null;
        // min/max over the string form: Delta answers a bare min(date)/max(date) from its statistics and
        // then fails to convert the value under spark.sql.datetime.java8API (ClassCastException LocalDate → java.sql.Date)
        Row r = wh.read("ops.ingest_audit").selectExpr("min(CAST(export_date AS STRING))", "max(CAST(export_date AS STRING))").head();
        if (r.isNullAt(0)) return null;
        return new LocalDate[] {LocalDate.parse(r.getString(0)), LocalDate.parse(r.getString(1))};
    }

    /**
     * A note when month m's case books are still open by the warehouse's exports (the latest export
     * date is before the books-close date), else null: its case indicators can still change.
     */
    public static String booksOpenNote(Warehouse wh, YearMonth m, Rules rules) {
        LocalDate[] range = exportDates(wh);
        LocalDate close = rules.booksClose(m);
        if (range != null && !range[1].isBefore(close)) return null;
        String last = range == null ? "—" : range[1].toString();
        return org.govind.core.Lang.t(m + " 的诉求账期于 " + close + " 结账，仓库最新导出日期为 " + last
                        + "：结账前诉求指标仍可能变化，月度评级宜在 " + close + " 的夜间运行之后进行",
                m + "'s case books close on " + close + " and the latest export ingested is of " + last
                        + ": its case indicators can still change; rate the month after the nightly run of " + close);
    }

    /**
     * The months a night's exports can change, for the nightly run: the night's own month, and each
     * earlier month whose books are still open on that night (the night is on or before its last day +
     * {@code cases.books_close_days}; with the default 3 that is the previous month on the 1st to 3rd);
     * earlier months first.
     */
    public static List<YearMonth> monthsTouchedBy(LocalDate night, Rules rules) {
        YearMonth first = YearMonth.from(night);
        while (!night.isAfter(rules.booksClose(first.minusMonths(1)))) first = first.minusMonths(1);
        return between(first, YearMonth.from(night));
    }

    public static List<YearMonth> between(YearMonth from, YearMonth to) {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) out.add(m);
        return out;
    }

    public static List<MonthResult> run(SparkSession spark, Options o) {
        Warehouse wh = Warehouse.open(spark, o.warehouse());
        for (String t : INPUTS) {
            if (!wh.exists(t)) {
                throw new IllegalStateException("table " + t + " is missing in " + wh.root()
                        + ": run `govind ingest` first / 仓库中没有 " + t + "，请先运行 govind ingest");
            }
        }
        for (String layer : List.of("gold", "ops")) wh.ensureAll(layer);
        wh.registerAll();
        String versions = inputVersions(wh);
        List<MonthResult> out = new ArrayList<>();
        for (YearMonth m : o.periods()) out.add(month(spark, wh, m, o, versions));
        return out;
    }

    /** The named parameters every SQL file may use, for one month. */
    public static Map<String, Object> params(YearMonth m, Rules rules) {
        Map<String, Object> p = new LinkedHashMap<>(rules.sqlParams());
        p.put("period", m.toString());
        p.put("period_start", m.atDay(1).atStartOfDay(ZONE).toInstant());
        p.put("period_end", m.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant());
        p.put("month_first", m.atDay(1));
        p.put("t_date", m.atEndOfMonth());
        p.put("books_close", rules.booksClose(m));
        return p;
    }

    /** Creates the month's shared temporary views: <entity>_at_t, cases_at_t, case_flags, points_in_m. */
    public static void createViews(SparkSession spark, Map<String, Object> params) {
        String stateAtT = SqlFiles.text("shared/state_at_t.sql");
        for (String e : SNAPSHOTS) {
            SqlFiles.view(spark, e + "_at_t", stateAtT.replace("${table}", "silver." + e), params);
        }
        SqlFiles.view(spark, "cases_at_t", SqlFiles.text("shared/cases_at_t.sql"), params);
        SqlFiles.view(spark, "case_flags", SqlFiles.text("shared/case_flags.sql"), params);
        SqlFiles.view(spark, "points_in_m", SqlFiles.text("shared/points_in_m.sql"), params);
    }

    /** The rows of one gold table for the month, in the table's column order and types (not written). */
    public static Dataset<Row> gold(SparkSession spark, String table, Map<String, Object> params) {
        return conform(SqlFiles.run(spark, "gold/" + table + ".sql", params), Schemas.get().table("gold." + table));
    }

    private static MonthResult month(SparkSession spark, Warehouse wh, YearMonth m, Options o, String versions) {
        StepTimer timer = new StepTimer();
        Map<String, Object> params = params(m, o.rules());
        createViews(spark, params);
        timer.mark("views");
        String where = "period = '" + m + "'";
        for (String t : GOLD) {
            gold(spark, t, params).write().format("delta").mode("overwrite")
                    .option("replaceWhere", where)
                    .option("userMetadata", org.govind.util.Actor.meta("govind-compute " + m))
                    .save(wh.path("gold." + t));
            timer.mark(t);
        }
        // Findings are few (per district and night at most): collect them, then write.
        TableDef qc = Schemas.get().table("ops.quality_checks");
        Column level = lit("warning");
        for (String c : CHECKS) level = org.apache.spark.sql.functions.when(col("check").equalTo(c), lit(o.rules().qualityLevel(c))).otherwise(level);
        Dataset<Row> checks = conform(SqlFiles.run(spark, "ops/quality_checks.sql", params)
                .withColumn("period", lit(m.toString())).withColumn("level", level), qc)
                .orderBy(col("district"), col("check"), col("subject"));
        List<Row> findings = checks.collectAsList();
        spark.createDataFrame(findings, SparkSchemas.of(qc)).write().format("delta").mode("overwrite")
                .option("replaceWhere", where).save(wh.path("ops.quality_checks"));
        timer.mark("quality_checks");

        int errors = 0, warnings = 0;
        Map<String, Integer> byCheck = new TreeMap<>((a, b) -> CHECKS.indexOf(a) - CHECKS.indexOf(b));
        List<Row> errorRows = new ArrayList<>();
        int iCheck = qc.indexOf("check"), iLevel = qc.indexOf("level");
        for (Row r : findings) {
            byCheck.merge(r.getString(iCheck), 1, Integer::sum);
            if ("error".equals(r.getString(iLevel))) { errors++; errorRows.add(r); } else warnings++;
        }
        String status = errors > 0 ? (o.allowFailedChecks() ? "accepted_with_errors" : "failed_checks")
                : warnings > 0 ? "warnings" : "ok";
        TableDef runs = Schemas.get().table("ops.compute_runs");
        Row run = RowFactory.create(m.toString(), status, errors, warnings, Instant.now(), o.rules().sha256(),
                o.rules().source(), versions);
        spark.createDataFrame(List.of(run), SparkSchemas.of(runs)).write().format("delta").mode("overwrite")
                .option("replaceWhere", where).save(wh.path("ops.compute_runs"));
        timer.mark("record");
        for (String e : SNAPSHOTS) spark.catalog().dropTempView(e + "_at_t");
        spark.catalog().dropTempView("cases_at_t");
        spark.catalog().dropTempView("case_flags");
        spark.catalog().dropTempView("points_in_m");
        return new MonthResult(m, status, errors, warnings, byCheck, errorRows, timer);
    }

    /** Selects the table's columns in its order, cast to its types; a missing column is a bug in the SQL file. */
    public static Dataset<Row> conform(Dataset<Row> df, TableDef t) {
        StructType schema = SparkSchemas.of(t);
        List<String> have = List.of(df.columns());
        List<Column> cols = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            if (!have.contains(c.name())) throw new IllegalStateException(t.qualifiedName() + ": the SQL gives no column '" + c.name() + "'");
            cols.add(col(c.name()).cast(schema.apply(c.name()).dataType()).as(c.name()));
        }
        return df.select(cols.toArray(new Column[0]));
    }

    private static String inputVersions(Warehouse wh) {
        StringBuilder b = new StringBuilder("{");
        for (String t : INPUTS) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(t).append("\":").append(wh.version(t));
        }
        return b.append('}').toString();
    }

    /** Last day of a month as a date (T's day). */
    public static LocalDate tDate(YearMonth m) { return m.atEndOfMonth(); }
}
