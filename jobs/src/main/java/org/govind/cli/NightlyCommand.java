package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.govind.gold.ComputeJob;
import org.govind.ingest.IngestJob;
import org.govind.pii.PiiProtector;
import org.govind.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * govind nightly --date D: the whole nightly run in one JVM and one Spark session. Ingests night D
 * and every earlier night with a file never seen (a night delivered late), then recomputes every
 * month the new rows can change ({@link ComputeJob#touchedByBatches}) with its quality checks. One
 * session saves the second JVM start, session start and Delta log replay of a separate compute.
 */
@Command(name = "nightly", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class NightlyCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;
    @Mixin IngestOptions ingest;

    @Option(names = "--date", required = true, descriptionKey = "nightlyDate", paramLabel = "YYYY-MM-DD") LocalDate date;

    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;

    @Option(names = "--allow-failed-checks", descriptionKey = "allowFailedChecks") boolean allowFailedChecks;

    /** Where GOVIND_PII_KEY is looked up (see {@link IngestCommand#key}). */
    @ParentCommand Main main;

    @Override
    public Integer call() {
        Rules r = Rules.load(rules);
        var limits = ingest.limits();
        var key = IngestCommand.key(ingest.demoKey, main == null ? System::getenv : main.env);
        SparkSession spark = common.session("nightly");
        List<IngestJob.NightSummary> nights = IngestJob.run(spark,
                new IngestJob.Options(ingest.landing, common.warehouse, date, null, System.out::println,
                        ingest.batchNights, limits, 0, true),
                new PiiProtector(key));
        int ingested = IngestCommand.printTotals(nights, date);
        // every batch the computation has not seen: this run's, and any an earlier run loaded but did not compute
        long seen = ComputeJob.lastComputedBatch(spark, common.warehouse, date);
        List<ComputeJob.Touch> touches = ComputeJob.touchedByBatches(spark, common.warehouse, seen, r);
        Map<YearMonth, List<String>> tables = ComputeJob.tablesToRecompute(date, r, touches);
        List<YearMonth> months = new ArrayList<>(tables.keySet());
        Map<YearMonth, List<String>> partial = new LinkedHashMap<>(tables);
        partial.values().removeIf(t -> t.equals(ComputeJob.GOLD));
        StringBuilder why = new StringBuilder();
        for (ComputeJob.Touch t : touches) {
            why.append(t.spans() ? String.format(Lang.t("  %s %,d 行 → 影响 %s 起各月%n", "  %s %,d rows → %s and every later month%n"),
                    reasonLabel(t.reason()), t.rows(), t.firstMonth())
                    : "silence".equals(t.reason())
                    ? String.format(Lang.t("  %s %,d 晚 → 影响 %s%n", "  %s: %,d → %s only%n"), reasonLabel(t.reason()), t.rows(), t.firstMonth())
                    : String.format(Lang.t("  %s %,d 行 → 影响 %s%n", "  %s %,d rows → %s only%n"), reasonLabel(t.reason()), t.rows(), t.firstMonth()));
        }
        System.out.printf(Lang.t("重算 %d 个月：%s%n", "recomputing %d months: %s%n"), months.size(),
                String.join(", ", months.stream().map(m -> m + (partial.containsKey(m) ? tablesLabel(partial.get(m)) : "")).toList()));
        System.out.print(why);
        System.out.println(Lang.t("规则文件 ", "rules file ") + r.source() + " (sha256 " + r.sha256().substring(0, 12) + "…)");
        List<ComputeJob.MonthResult> results = ComputeCommand.compute(spark, common.warehouse, months, r, allowFailedChecks, partial);
        if (results.stream().anyMatch(ComputeJob.MonthResult::failed)) return ExitCode.FAILED_CHECKS.code();
        return ingested;   // 1 when night D had no export at all (as `ingest --date D`), after the months are computed
    }

    /** "（仅积分榜）" / " (points leaderboard only)": the tables a month outside the span recomputes. */
    static String tablesLabel(List<String> tables) {
        List<String> names = tables.stream().map(t -> switch (t) {
            case "coverage_indicators" -> Lang.t("覆盖率", "coverage");
            case "points_leaderboard" -> Lang.t("积分榜", "points leaderboard");
            case ComputeJob.CHECKS_ONLY -> Lang.t("质量检查", "quality checks");
            default -> t;
        }).toList();
        return Lang.t("（仅" + String.join("、", names) + "）", " (" + String.join(", ", names) + " only)");
    }

    private static String reasonLabel(String reason) {
        return switch (reason) {
            case "file" -> Lang.t("新文件", "new files");
            case "case" -> Lang.t("诉求版本", "case versions");
            case "visit" -> Lang.t("走访", "visits");
            case "points" -> Lang.t("积分流水", "points entries");
            case "silence" -> Lang.t("无导出（新计入检查）", "nights without exports now counted");
            default -> reason;
        };
    }
}
