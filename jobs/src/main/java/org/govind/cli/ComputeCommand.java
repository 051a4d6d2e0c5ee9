package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.gold.ComputeJob;
import org.govind.rules.Rules;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind compute: the gold indicator tables and quality checks for one or more months. */
@Command(name = "compute", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class ComputeCommand implements Callable<Integer> {

    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;

    static final class Range {
        @Option(names = "--from", required = true, descriptionKey = "from", paramLabel = "YYYY-MM") YearMonth from;
        @Option(names = "--to", required = true, descriptionKey = "to", paramLabel = "YYYY-MM") YearMonth to;
    }

    static final class When {
        @Option(names = "--period", descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
        @ArgGroup(exclusive = false) Range range;
        @Option(names = "--all", descriptionKey = "allMonths") boolean all;
        @Option(names = "--night", descriptionKey = "night", paramLabel = "YYYY-MM-DD") java.time.LocalDate night;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") When when;

    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;

    @Option(names = "--allow-failed-checks", descriptionKey = "allowFailedChecks") boolean allowFailedChecks;

    @Override
    public Integer call() {
        Rules r = Rules.load(rules);
        SparkSession spark = common.session("compute");
        List<YearMonth> months = when.period != null ? List.of(when.period)
                : when.range != null ? org.govind.core.Periods.between(when.range.from, when.range.to)
                : when.night != null ? ComputeJob.monthsTouchedBy(when.night, r)
                : ComputeJob.monthsWithData(spark, common.warehouse);
        if (months.isEmpty()) {
            System.out.println(Lang.t("仓库中没有已接入的导出，无可计算的月份", "no ingested exports in the warehouse: no month to compute"));
            return ExitCode.FAILED.code();
        }
        System.out.println(Lang.t("规则文件 ", "rules file ") + r.source() + " (sha256 " + r.sha256().substring(0, 12) + "…)");
        List<ComputeJob.MonthResult> results = compute(spark, common.warehouse, months, r, allowFailedChecks);
        return results.stream().anyMatch(ComputeJob.MonthResult::failed) ? ExitCode.FAILED_CHECKS.code() : 0;
    }

    /** Computes the months, printing one summary block per month (used by demo too). */
    static List<ComputeJob.MonthResult> compute(SparkSession spark, String warehouse, List<YearMonth> months,
                                                Rules r, boolean allow) {
        return compute(spark, warehouse, months, r, allow, Map.of());
    }

    /** {@link #compute} with the months that recompute some gold tables only ({@link ComputeJob.Options#partial}). */
    static List<ComputeJob.MonthResult> compute(SparkSession spark, String warehouse, List<YearMonth> months,
                                                Rules r, boolean allow, Map<YearMonth, List<String>> partial) {
        long t0 = System.nanoTime();
        List<ComputeJob.MonthResult> results = ComputeJob.run(spark,
                new ComputeJob.Options(warehouse, months, r, allow, System.out::println, partial));
        for (ComputeJob.MonthResult m : results) print(m);
        long failed = results.stream().filter(ComputeJob.MonthResult::failed).count();
        System.out.printf(Lang.t("合计 %d 个月，用时 %.1f 秒；质量检查未通过 %d 个月%n",
                "total %d months in %.1f s; %d months failed quality checks%n"),
                results.size(), (System.nanoTime() - t0) / 1e9, failed);
        if (failed > 0) {
            System.out.println(Lang.t("（指标已写入，月份标记为 failed_checks；核实后可加 --allow-failed-checks 放行）",
                    "(indicators were written and the month marked failed_checks; after checking, rerun with --allow-failed-checks)"));
        }
        return results;
    }

    static void print(ComputeJob.MonthResult m) {
        long total = m.timer().nanos().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Lang.t("%s：%s；错误 %d，警告 %d；用时 %.1f 秒%n", "%s: %s; %d errors, %d warnings; %.1f s%n"),
                m.period(), statusLabel(m.status()), m.errors(), m.warnings(), total / 1e9);
        if (!m.findingsByCheck().isEmpty()) {
            StringBuilder b = new StringBuilder("   ");
            for (Map.Entry<String, Integer> e : m.findingsByCheck().entrySet()) {
                b.append(checkLabel(e.getKey())).append(' ').append(e.getValue()).append("  ");
            }
            System.out.println(b.toString().stripTrailing());
        }
        int shown = 0;
        for (Row e : m.errorRows()) {
            if (shown++ == 5) { System.out.println("   …"); break; }
            System.out.println("   ✗ " + e.getAs("district") + " " + checkLabel(e.getAs("check")) + "：" + e.getAs("message"));
        }
        if (org.govind.spark.Profile.active()) System.out.print(m.timer().summary());
    }

    static String statusLabel(String s) {
        return switch (s) {
            case "ok" -> Lang.t("正常", "ok");
            case "warnings" -> Lang.t("有警告", "warnings");
            case "failed_checks" -> Lang.t("质量检查未通过（failed_checks）", "failed quality checks (failed_checks)");
            case "accepted_with_errors" -> Lang.t("带错误放行（accepted_with_errors）", "accepted with errors");
            default -> s;
        };
    }

    /** The catalogue's short label of a check (org.govind.schema.QualityCheck), or its name. */
    static String checkLabel(String c) {
        org.govind.schema.QualityCheck q = org.govind.schema.QualityCheck.find(c);
        return q == null ? c : Lang.t(q.labelZh, q.labelEn);
    }
}
