package org.govind.rating;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import static org.apache.spark.sql.functions.col;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Lang;
import org.govind.gold.ComputeJob;
import org.govind.spark.Conform;
import org.govind.core.SqlFiles;
import org.govind.gold.SharedViews;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;
import org.govind.util.Json;
import org.govind.util.Refusal;

/**
 * {@code govind rate} and {@code govind lists}: star ratings of compounds and property companies,
 * and the red/black lists, for one month. Every input table is read at one Delta version, chosen
 * when the run starts and recorded in {@code ops.rating_runs}; the SQL files name the tables and the
 * job pins each reference ({@code VERSION AS OF n}). {@code govind reproduce} runs the very same
 * code with the versions a publication recorded.
 */
public final class RatingJob {
    /** Tables `rate` reads (compound_stars and company_ratings for the previous month's stars). */
    public static final List<String> RATE_INPUTS = List.of("gold.case_indicators", "gold.coverage_indicators",
            "bronze.cases", "silver.compounds", "silver.property_companies", "gold.compound_stars", "gold.company_ratings");
    /** Tables `lists` reads. */
    public static final List<String> LISTS_INPUTS = List.of("gold.company_ratings");
    /** Scores within this of a star threshold reach it (floating-point noise of Σ weight × component). */
    public static final double STAR_TOLERANCE = 1e-9;

    /** The month's ratings, not yet written. */
    public record Rated(Dataset<Row> stars, Dataset<Row> companies) {}

    /** What a rate or lists run did. */
    public record RunResult(YearMonth period, Map<String, Long> inputs, Map<String, Long> outputs, List<String> notes,
                            Map<String, Long> counts, org.govind.util.StepTimer timer) {}

    private RatingJob() {}

    /** The SQL parameters of the rating files for one month. */
    public static Map<String, Object> params(YearMonth m, Rules rules) {
        Map<String, Object> p = SharedViews.params(m, rules);
        p.put("prev_period", m.minusMonths(1).toString());
        p.put("star_tolerance", STAR_TOLERANCE);
        return p;
    }

    /** A threshold rate as display text: 0.7 → "70%", 0.955 → "95.5%" (as the list reasons print it). */
    public static String percent(double rate) { return org.govind.schema.ListRules.percent(rate); }

    /** Each table as {@code delta.`path` VERSION AS OF n}, for the SQL files' references. */
    public static Map<String, String> pins(Warehouse wh, Map<String, Long> versions) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : versions.entrySet()) {
            refs.put(e.getKey(), "delta.`" + wh.path(e.getKey()).replace("`", "``") + "` VERSION AS OF " + e.getValue());
        }
        return refs;
    }


    /** The ratings of month m from the given table versions (read, not written). */
    public static Rated ratings(SparkSession spark, Warehouse wh, YearMonth m, Rules rules, Map<String, Long> versions) {
        Map<String, Object> params = params(m, rules);
        Map<String, String> refs = pins(wh, versions);
        SharedViews.createFor(spark, List.of("gold/compound_stars.sql", "gold/company_ratings.sql"), params, refs);
        Dataset<Row> stars = Conform.to(SqlFiles.run(spark, "gold/compound_stars.sql", params, refs),
                Schemas.get().table("gold.compound_stars"));
        Dataset<Row> companies = Conform.to(SqlFiles.run(spark, "gold/company_ratings.sql", params, refs),
                Schemas.get().table("gold.company_ratings"));
        return new Rated(stars, companies);
    }

    /** The red/black list of month m from a reference to the company ratings (a pinned table or a view). */
    public static Dataset<Row> lists(SparkSession spark, YearMonth m, Rules rules, String companyRatingsRef) {
        Dataset<Row> rows = SqlFiles.run(spark, "gold/red_black_list.sql", params(m, rules), Map.of("gold.company_ratings", companyRatingsRef));
        // the SQL decides which conditions held (reason_details); the text comes from the list rules' definition
        rows = rows.withColumn("reasons", ListReasons.zh(col("reason_details")));
        return Conform.to(rows, Schemas.get().table("gold.red_black_list"));
    }

    /** {@code govind rate}: writes gold.compound_stars and gold.company_ratings for month m. */
    public static RunResult rate(SparkSession spark, String warehouse, YearMonth m, Rules rules) {
        org.govind.util.StepTimer timer = new org.govind.util.StepTimer();
        Warehouse wh = prepare(spark, warehouse, m);
        timer.mark("prepare");
        if (wh.read("gold.case_indicators").where(col("period").equalTo(m.toString())).isEmpty()) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 尚未计算指标：请先运行 govind compute --period " + m,
                    m + " has no gold indicators: run govind compute --period " + m + " first"));
        }
        Map<String, Long> inputs = Publications.currentVersions(wh, RATE_INPUTS);
        List<String> notes = new ArrayList<>();
        String booksOpen = ComputeJob.booksOpenNote(wh, m, rules);
        if (booksOpen != null) notes.add(booksOpen);
        YearMonth prev = m.minusMonths(1);
        boolean prevRated = !spark.read().format("delta").option("versionAsOf", inputs.get("gold.compound_stars"))
                .load(wh.path("gold.compound_stars")).where(col("period").equalTo(prev.toString())).isEmpty();
        if (!prevRated) {
            notes.add(Lang.t("上月（" + prev + "）未评级：本月星级 = 原始星级，不做动态调整",
                    "the previous month (" + prev + ") is not rated: star = raw_star, no dynamic adjustment"));
        }
        timer.mark("checks");
        Rated r = ratings(spark, wh, m, rules, inputs);
        String where = "period = '" + m + "'";
        write(r.stars(), wh, "gold.compound_stars", where, "govind-rate " + m);
        timer.mark("compound_stars");
        write(r.companies(), wh, "gold.company_ratings", where, "govind-rate " + m);
        timer.mark("company_ratings");
        Map<String, Long> outputs = Publications.currentVersions(wh, List.of("gold.compound_stars", "gold.company_ratings"));
        record(spark, wh, m, "rate", rules, inputs, outputs);
        timer.mark("record");
        if (!wh.read("gold.compound_stars").where(col("period").equalTo(m.plusMonths(1).toString())).isEmpty()) {
            notes.add(Lang.t("下月（" + m.plusMonths(1) + "）已评级，其动态调整依据的是本月旧星级：请按月顺序重新评级",
                    m.plusMonths(1) + " is already rated against this month's old stars: re-rate the later months in order"));
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Row x : wh.read("gold.compound_stars").where(col("period").equalTo(m.toString())).groupBy("star").count().collectAsList()) {
            counts.put("compound ★" + x.get(0), x.getLong(1));
        }
        for (Row x : wh.read("gold.company_ratings").where(col("period").equalTo(m.toString())).groupBy("star").count().collectAsList()) {
            counts.put("company " + (x.isNullAt(0) ? "-" : "★" + x.get(0)), x.getLong(1));
        }
        timer.mark("summary");
        return new RunResult(m, inputs, outputs, notes, counts, timer);
    }

    /** {@code govind lists}: writes gold.red_black_list for month m from the month's company ratings. */
    public static RunResult lists(SparkSession spark, String warehouse, YearMonth m, Rules rules) {
        org.govind.util.StepTimer timer = new org.govind.util.StepTimer();
        Warehouse wh = prepare(spark, warehouse, m);
        // reason_details came later: an older list table gains it (its old rows read null)
        wh.addMissingColumns(Schemas.get().table("gold.red_black_list"));
        timer.mark("prepare");
        Row rateRun = run(wh, m, "rate");
        if (rateRun == null) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 尚未评级：请先运行 govind rate --period " + m,
                    m + " is not rated: run govind rate --period " + m + " first"));
        }
        List<String> notes = new ArrayList<>();
        if (!rules.sha256().equals(rateRun.getAs("rules_sha256"))) {
            notes.add(Lang.t("注意：评级所用规则文件与当前规则文件不同；发布前请重新 rate",
                    "note: the ratings were computed with another rules file; run rate again before publishing"));
        }
        Map<String, Long> inputs = Publications.currentVersions(wh, LISTS_INPUTS);
        timer.mark("checks");
        Dataset<Row> list = lists(spark, m, rules, pins(wh, inputs).get("gold.company_ratings"));
        write(list, wh, "gold.red_black_list", "period = '" + m + "'", "govind-lists " + m);
        timer.mark("red_black_list");
        Map<String, Long> outputs = Publications.currentVersions(wh, List.of("gold.red_black_list"));
        record(spark, wh, m, "lists", rules, inputs, outputs);
        timer.mark("record");
        Map<String, Long> counts = new TreeMap<>();
        for (Row x : wh.read("gold.red_black_list").where(col("period").equalTo(m.toString())).groupBy("list").count().collectAsList()) {
            counts.put(x.getString(0), x.getLong(1));
        }
        timer.mark("summary");
        return new RunResult(m, inputs, outputs, notes, counts, timer);
    }

    /** The month's last run of a step from ops.rating_runs, or null. */
    public static Row run(Warehouse wh, YearMonth m, String step) {
        List<Row> rows = wh.read("ops.rating_runs").where(col("period").equalTo(m.toString()).and(col("step").equalTo(step)))
                .collectAsList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Warehouse prepare(SparkSession spark, String warehouse, YearMonth m) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        for (String t : List.of("gold.case_indicators", "bronze.cases", "silver.compounds", "silver.property_companies")) {
            if (!wh.exists(t)) {
                throw new Refusal(ExitCode.FAILED, Lang.t("仓库 " + wh.root() + " 中没有 " + t + "：请先运行 govind ingest 和 govind compute",
                        "table " + t + " is missing in " + wh.root() + ": run govind ingest and govind compute first"));
            }
        }
        for (String layer : List.of("gold", "ops")) wh.ensureAll(layer);
        if (!wh.read("ops.publications").where(col("period").equalTo(m.toString()).and(col("status").equalTo("final"))).isEmpty()) {
            throw new Refusal(ExitCode.ALREADY_FINAL, Lang.t(m + " 的红黑榜已正式发布，评级和榜单不再重算（可用 govind reproduce 核对）",
                    "the lists of " + m + " are published as final: ratings and lists are not recomputed (check with govind reproduce)"));
        }
        return wh;
    }

    private static void write(Dataset<Row> rows, Warehouse wh, String table, String where, String meta) {
        rows.write().format("delta").mode("overwrite").option("replaceWhere", where)
                .option("userMetadata", org.govind.util.Actor.meta(meta)).save(wh.path(table));
    }

    private static void record(SparkSession spark, Warehouse wh, YearMonth m, String step, Rules rules,
                               Map<String, Long> inputs, Map<String, Long> outputs) {
        Row row = RowFactory.create(m.toString(), step, Instant.now(), rules.sha256(), rules.source(),
                Json.write(inputs), Json.write(outputs));
        spark.createDataFrame(List.of(row), SparkSchemas.of(Schemas.get().table("ops.rating_runs"))).write().format("delta")
                .mode("overwrite").option("replaceWhere", "period = '" + m + "' AND step = '" + step + "'")
                .save(wh.path("ops.rating_runs"));
    }
}
