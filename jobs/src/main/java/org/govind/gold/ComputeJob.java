package org.govind.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Conform;
import org.govind.core.Periods;
import org.govind.core.SqlFiles;
import org.govind.rules.Rules;
import org.govind.schema.QualityCheck;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;
import org.govind.util.StepTimer;

/**
 * {@code govind compute}: the gold indicator tables for one or more months, with the month's
 * quality checks. Per month: the shared views its SQL files read ({@link SharedViews}), then
 * one SQL file per gold table, each written with {@code replaceWhere period = …} (one atomic Delta
 * commit per table; a recomputed month replaces its rows), then {@code ops.quality_checks} and the
 * month's row in {@code ops.compute_runs}.
 */
public final class ComputeJob {
    /** The gold tables in the order they are computed; each has govind/sql/gold/<name>.sql. */
    public static final List<String> GOLD = List.of("case_indicators", "coverage_indicators", "points_leaderboard");
    /** In a partial month's table list ({@link Options#partial}): rerun the quality checks (no gold table of their own). */
    public static final String CHECKS_ONLY = "quality_checks";
    /** The quality checks, in the order the summary lists them: the catalogue's ({@link QualityCheck}). */
    public static final List<String> CHECKS = QualityCheck.names();
    /** The SQL file of the quality checks. */
    static final String QUALITY_SQL = "ops/quality_checks.sql";
    static final List<String> INPUTS = List.of("bronze.cases", "silver.visits", "silver.points", "silver.members",
            "silver.compounds", "silver.branches", "silver.property_companies", "ops.ingest_audit");

    /**
     * What to compute. {@code partial}: for a month listed there, only those gold tables (a nightly run's
     * month that only visits or points entries reach, {@link #tablesToRecompute}); every other month
     * gets all of {@link #GOLD}. A partial month is computed in full when it was last computed under
     * another rules file (its other tables would be stale) or never.
     */
    public record Options(String warehouse, List<YearMonth> periods, Rules rules, boolean allowFailedChecks,
                          Consumer<String> progress, Map<YearMonth, List<String>> partial) {
        public Options(String warehouse, List<YearMonth> periods, Rules rules, boolean allowFailedChecks, Consumer<String> progress) {
            this(warehouse, periods, rules, allowFailedChecks, progress, Map.of());
        }
    }

    /** How one month came out: its status (ops.compute_runs), findings per check and level, and the stage times. */
    public record MonthResult(YearMonth period, String status, int errors, int warnings,
                              Map<String, Integer> findingsByCheck, List<Row> errorRows, StepTimer timer) {
        public boolean failed() { return "failed_checks".equals(status); }
    }

    private ComputeJob() {}

    /** Months from the first to the last export date found in ops.ingest_audit. */
    public static List<YearMonth> monthsWithData(SparkSession spark, String warehouse) {
        LocalDate[] range = exportDates(Warehouse.open(spark, warehouse));
        return range == null ? List.of() : Periods.between(YearMonth.from(range[0]), YearMonth.from(range[1]));
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
        return Periods.between(first, YearMonth.from(night));
    }

    /**
     * The last ingest batch the nightly computation has already seen: the one ops.ingest_audit ended at
     * when the latest month up to the night's was last computed (its {@code input_versions}; Delta time
     * travel). 0 when no month was computed yet (everything is new). Taken from the tables, not from
     * the run, so a nightly run that died between its ingest and its compute recomputes the months of
     * that ingest when it is run again, as do later nightly runs after a separate {@code ingest}.
     */
    public static long lastComputedBatch(SparkSession spark, String warehouse, LocalDate night) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        if (!wh.exists("ops.compute_runs") || !wh.exists("ops.ingest_audit")) return 0;
        List<Row> last = wh.read("ops.compute_runs").where(col("period").leq(YearMonth.from(night).toString()))
                .orderBy(col("period").desc()).limit(1).select("input_versions").collectAsList();
        if (last.isEmpty() || last.get(0).isNullAt(0)) return 0;
        Long v = org.govind.util.Json.versions(last.get(0).getString(0)).get("ops.ingest_audit");
        if (v == null) return 0;
        Row r = spark.read().format("delta").option("versionAsOf", v).load(wh.path("ops.ingest_audit"))
                .selectExpr("coalesce(max(batch), 0L)").head();
        return r.getLong(0);
    }

    /**
     * Why a month is recomputed (sql/ops/months_touched.sql): a file or a case version reaches
     * {@code firstMonth} and every later month; a visit or a points entry reaches {@code firstMonth} only.
     */
    public record Touch(String reason, YearMonth firstMonth, long rows) {
        /** Whether the rows change every month after firstMonth too (files and cases). */
        public boolean spans() { return "file".equals(reason) || "case".equals(reason); }

        /**
         * What a month-scoped touch can change: visits the coverage, points the leaderboard, newly visible
         * silent nights ({@code silence}) the quality checks alone ({@link #CHECKS_ONLY}); null when it spans.
         */
        public String table() {
            return switch (reason) {
                case "visit" -> "coverage_indicators";
                case "points" -> "points_leaderboard";
                case "silence" -> CHECKS_ONLY;
                default -> null;
            };
        }
    }

    /**
     * What the ingest batches after {@code afterBatch} can change, per reason (file, case, visit,
     * points): the earliest month a file or a case version reaches (every later month can change too:
     * an open case is overdue in every later month), and each month a visit or points entry reaches.
     */
    public static List<Touch> touchedByBatches(SparkSession spark, String warehouse, long afterBatch, Rules rules) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        if (!wh.exists("ops.ingest_audit")) return List.of();
        wh.registerAll();
        List<Touch> out = new ArrayList<>();
        for (Row r : SqlFiles.run(spark, "ops/months_touched.sql",
                Map.of("after_batch", afterBatch, "books_close_days", rules.booksCloseDays())).collectAsList()) {
            if (r.isNullAt(1)) continue;
            out.add(new Touch(r.getString(0), YearMonth.from(r.<LocalDate>getAs(1)), r.getLong(2)));
        }
        return out;
    }

    /**
     * The months a nightly run recomputes, in order: every month from the earliest one a new file or
     * case version reaches (or the earliest the night itself touches, {@link #monthsTouchedBy}) to the
     * night's month, and each month a new visit or points entry (or a reversal's target) falls in. No
     * other month can have changed, so the result equals a full recomputation.
     */
    public static List<YearMonth> monthsToRecompute(LocalDate night, Rules rules, List<Touch> touches) {
        return new ArrayList<>(tablesToRecompute(night, rules, touches).keySet());
    }

    /**
     * {@link #monthsToRecompute} with the gold tables each month needs, in month order: every table for
     * a month in the span (files and case versions: every indicator can change), and for a month outside
     * it only the tables its visits (coverage_indicators) or points entries (points_leaderboard) feed:
     * coverage and points count a month's own rows only, so its other tables cannot have changed.
     */
    public static Map<YearMonth, List<String>> tablesToRecompute(LocalDate night, Rules rules, List<Touch> touches) {
        YearMonth first = monthsTouchedBy(night, rules).get(0);
        YearMonth last = YearMonth.from(night);
        for (Touch t : touches) {
            if (!t.spans()) continue;
            if (t.firstMonth().isBefore(first)) first = t.firstMonth();
            if (t.firstMonth().isAfter(last)) last = t.firstMonth();
        }
        List<YearMonth> span = Periods.between(first, last);
        TreeMap<YearMonth, java.util.Set<String>> tables = new TreeMap<>();
        for (YearMonth m : span) tables.put(m, new java.util.HashSet<>(GOLD));
        for (Touch t : touches) {
            if (!t.spans() && !span.contains(t.firstMonth())) {
                tables.computeIfAbsent(t.firstMonth(), k -> new java.util.HashSet<>()).add(t.table());
            }
        }
        List<String> order = new ArrayList<>(GOLD);
        order.add(CHECKS_ONLY);
        Map<YearMonth, List<String>> out = new java.util.LinkedHashMap<>();
        tables.forEach((m, set) -> out.put(m, order.stream().filter(set::contains).toList()));
        return out;
    }

    public static List<MonthResult> run(SparkSession spark, Options o) {
        Warehouse wh = Warehouse.open(spark, o.warehouse());
        checkCatalogue();
        for (String t : INPUTS) {
            if (!wh.exists(t)) {
                throw new IllegalStateException("table " + t + " is missing in " + wh.root()
                        + ": run `govind ingest` first / 仓库中没有 " + t + "，请先运行 govind ingest");
            }
        }
        for (String layer : List.of("gold", "ops")) wh.ensureAll(layer);
        wh.registerAll();
        String versions = inputVersions(wh);
        Map<String, String> rulesOf = o.partial().isEmpty() ? Map.of() : rulesOfComputedMonths(wh);
        List<MonthResult> out = new ArrayList<>();
        for (YearMonth m : o.periods()) {
            List<String> tables = o.partial().getOrDefault(m, GOLD);
            // the month's other tables stand only if they were computed under these rules
            if (!tables.equals(GOLD) && !o.rules().sha256().equals(rulesOf.get(m.toString()))) {
                tables = GOLD;
                if (o.progress() != null) {
                    o.progress().accept(m + org.govind.core.Lang.t("：上次计算用的不是这份规则文件（或从未计算），全部指标重算",
                            ": last computed under another rules file (or never): every table recomputed"));
                }
            }
            out.add(month(spark, wh, m, o, versions, tables));
        }
        return out;
    }

    /** period → the sha256 of the rules file each computed month was last computed with (ops.compute_runs). */
    private static Map<String, String> rulesOfComputedMonths(Warehouse wh) {
        Map<String, String> out = new java.util.HashMap<>();
        for (Row r : wh.read("ops.compute_runs").select("period", "rules_sha256").collectAsList()) out.put(r.getString(0), r.getString(1));
        return out;
    }

    /** The SQL files compute runs for a month, in order: one per gold table, then the quality checks. */
    static List<String> files() {
        return files(GOLD);
    }

    /** The SQL files for a month that recomputes {@code tables}: theirs, then the checks if they can change. */
    static List<String> files(List<String> tables) {
        List<String> f = new ArrayList<>();
        for (String t : tables) if (GOLD.contains(t)) f.add("gold/" + t + ".sql");
        if (checksCanChange(tables)) f.add(QUALITY_SQL);
        return f;
    }

    /**
     * Whether the month's quality checks can change when only {@code tables} are recomputed: they read
     * gold.case_indicators and gold.coverage_indicators, the audit and the snapshots, never the points
     * (quality_checks.sql), and a partial month has no new file or case version. A month that recomputes
     * the points leaderboard alone keeps its findings. {@link #CHECKS_ONLY} asks for them explicitly.
     */
    static boolean checksCanChange(List<String> tables) {
        return tables.contains("case_indicators") || tables.contains("coverage_indicators") || tables.contains(CHECKS_ONLY);
    }

    /**
     * Creates the month's shared temporary views that compute's SQL files read (with what they read:
     * the {@code <snapshot>_at_t} views, cases_at_t, case_flags, points_in_m); returns their names.
     */
    public static List<String> createViews(SparkSession spark, Map<String, Object> params) {
        return SharedViews.createFor(spark, files(), params, Map.of());
    }

    /**
     * The check names quality_checks.sql can emit (its {@code 'name' AS check} literals) must be the
     * catalogue's; checked before any month is computed, so a check added to the SQL alone fails at once.
     */
    public static void checkCatalogue() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([a-z_]+)'\\s+AS\\s+check\\b")
                .matcher(SqlFiles.withoutComments(SqlFiles.text(QUALITY_SQL)));
        LinkedHashSet<String> emitted = new LinkedHashSet<>();
        while (m.find()) emitted.add(m.group(1));
        if (!new java.util.HashSet<>(emitted).equals(new java.util.HashSet<>(CHECKS))) {
            throw new IllegalStateException(QUALITY_SQL + " emits the checks " + emitted + " but the quality-check catalogue "
                    + "(org.govind.schema.QualityCheck) lists " + CHECKS + ": add each check to the catalogue, with its level");
        }
    }

    /**
     * The findings with their level (the rules file's, else the catalogue's default), in the columns of
     * ops.quality_checks. A finding whose check is not in the catalogue is an error, never a warning by default.
     */
    public static List<Row> withLevels(List<Row> findings, TableDef qc, YearMonth m, Rules rules) {
        int iCheck = qc.indexOf("check"), iLevel = qc.indexOf("level"), iPeriod = qc.indexOf("period");
        org.apache.spark.sql.types.StructType schema = SparkSchemas.of(qc);   // callers read findings by column name
        List<Row> out = new ArrayList<>();
        for (Row r : findings) {
            String check = r.getString(iCheck);
            if (QualityCheck.find(check) == null) {
                throw new IllegalStateException("quality check '" + check + "' is not in the catalogue (org.govind.schema.QualityCheck "
                        + CHECKS + "): it has no level / 数据质量检查 " + check + " 不在检查目录中，没有级别");
            }
            Object[] v = new Object[r.length()];
            for (int i = 0; i < v.length; i++) v[i] = r.get(i);
            v[iLevel] = rules.qualityLevel(check);
            v[iPeriod] = m.toString();
            out.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, schema));
        }
        return out;
    }

    /** The rows of one gold table for the month, in the table's column order and types (not written). */
    public static Dataset<Row> gold(SparkSession spark, String table, Map<String, Object> params) {
        return Conform.to(SqlFiles.run(spark, "gold/" + table + ".sql", params), Schemas.get().table("gold." + table));
    }

    private static MonthResult month(SparkSession spark, Warehouse wh, YearMonth m, Options o, String versions, List<String> tables) {
        StepTimer timer = new StepTimer();
        Map<String, Object> params = SharedViews.params(m, o.rules());
        List<String> views = SharedViews.createFor(spark, files(tables), params, Map.of());
        try {
            SharedViews.cacheShared(spark, files(tables), views);
            timer.mark("views");
            return month(spark, wh, m, o, versions, params, timer, tables);
        } finally {
            org.govind.spark.Profile.step(null);
            SharedViews.drop(spark, views);
        }
    }

    private static MonthResult month(SparkSession spark, Warehouse wh, YearMonth m, Options o, String versions,
                                     Map<String, Object> params, StepTimer timer, List<String> tables) {
        String where = "period = '" + m + "'";
        for (String t : tables) {
            if (!GOLD.contains(t)) continue;   // CHECKS_ONLY
            org.govind.spark.Profile.step("compute " + m + " gold." + t);
            gold(spark, t, params).write().format("delta").mode("overwrite")
                    .option("replaceWhere", where)
                    .option("userMetadata", org.govind.util.Actor.meta("govind-compute " + m))
                    .save(wh.path("gold." + t));
            timer.mark(t);
        }
        // Findings are few (per district and night at most): collect them, then write.
        org.govind.spark.Profile.step("compute " + m + " quality checks");
        TableDef qc = Schemas.get().table("ops.quality_checks");
        List<Row> findings;
        if (checksCanChange(tables)) {
            // level and period are set per finding below (withLevels); the nulls only give conform its columns
            Dataset<Row> checks = Conform.to(SqlFiles.run(spark, QUALITY_SQL, params)
                    .withColumn("period", lit(null).cast("string")).withColumn("level", lit(null).cast("string")), qc)
                    .orderBy(col("district"), col("check"), col("subject"));
            findings = withLevels(checks.collectAsList(), qc, m, o.rules());
            spark.createDataFrame(findings, SparkSchemas.of(qc)).write().format("delta").mode("overwrite")
                    .option("replaceWhere", where).save(wh.path("ops.quality_checks"));
            timer.mark("quality_checks");
        } else {
            // nothing the checks read changed (same rules, see run): the month's findings stand as written
            findings = Conform.to(wh.read("ops.quality_checks").where(where), qc).collectAsList();
            timer.mark("quality_checks kept");
        }

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
        return new MonthResult(m, status, errors, warnings, byCheck, errorRows, timer);
    }

    private static String inputVersions(Warehouse wh) {
        StringBuilder b = new StringBuilder("{");
        for (String t : INPUTS) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(t).append("\":").append(wh.version(t));
        }
        return b.append('}').toString();
    }

}
