package org.govind.cli;

import org.govind.analyst.TextTable;
import org.govind.core.Lang;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.ingest.IngestJob;
import org.govind.gold.ComputeJob;
import org.govind.publish.PublishJob;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates a few months of small exports, ingests every night and says where everything is. */
@Command(name = "demo", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;
    @Option(names = "--landing", defaultValue = "./demo-landing", descriptionKey = "demoLanding", paramLabel = "DIR") Path landing;
    @Option(names = "--start", defaultValue = "2026-01-01", descriptionKey = "start", paramLabel = "YYYY-MM-DD") LocalDate start;
    @Option(names = "--months", defaultValue = "3", descriptionKey = "months", paramLabel = "N") int months;
    @Option(names = "--seed", defaultValue = "20260101", descriptionKey = "seed", paramLabel = "S") long seed;
    @Option(names = "--out", defaultValue = "./bulletins", descriptionKey = "out", paramLabel = "DIR") Path reportsDir;

    private static final java.util.Map<String, String> NAMES = org.govind.publish.BulletinReader.districtNames();

    @Override
    public Integer call() throws Exception {
        Rules rules = Rules.load(null);
        List<java.time.YearMonth> months = org.govind.core.Periods.between(java.time.YearMonth.from(start),
                java.time.YearMonth.from(start.plusMonths(this.months).minusDays(1)));
        // exports run through the last month's books-close date, so every month is computed and rated on closed books
        LocalDate close = rules.booksClose(months.get(months.size() - 1));
        // a report folder govind did not write: refuse now, not after minutes of work
        org.govind.publish.BulletinReader.checkOut(reportsDir, months.get(months.size() - 1), Lang.en() ? "en" : "zh");
        int days = (int) java.time.temporal.ChronoUnit.DAYS.between(start, close) + 1;
        System.out.println(Lang.t("① 生成 " + days + " 晚的示例导出（至最后一个月的诉求结账日 " + close + "；小规模，6 个区县，1% 坏行）→ " + landing,
                "① generating " + days + " nights of sample exports (through the last month's case books close, " + close
                        + "; small scale, 6 districts, 1% bad rows) → " + landing));
        Generator.run(new GenerateOptions(landing, start, days, 6, Scale.SMALL, seed, 0.01), s -> { });
        System.out.println(Lang.t("② 逐晚接入 → ", "② ingesting night by night → ") + common.warehouse);
        SparkSession spark = common.session("demo");
        System.err.println(IngestCommand.DEMO_KEY_WARNING);   // sample data: the public demo key, said loudly
        List<IngestJob.NightSummary> nights = IngestJob.run(spark,
                new IngestJob.Options(landing.toString(), common.warehouse, null, null, System.out::println),
                new org.govind.pii.PiiProtector(org.govind.pii.PiiKey.demo()));
        IngestCommand.printTotals(nights, null);
        Warehouse wh = Warehouse.open(spark, common.warehouse).registerAll();
        System.out.println(Lang.t("③ 结果", "③ results"));
        List<Row> top = org.govind.core.SqlFiles.run(spark, "cli/demo_quarantine.sql", java.util.Map.of()).collectAsList();
        System.out.println(Lang.t("   隔离原因：", "   quarantine reasons: ") + top.stream().map(r -> r.getString(0) + "=" + r.getLong(1)).toList());
        for (String t : List.of("silver.cases", "silver.visits", "silver.points", "silver.members", "silver.compounds")) {
            System.out.printf("   %-18s %,d%n", t, wh.read(t).count());
        }
        System.out.println(Lang.t("④ 计算每个月的指标（演示数据的质量错误只记录、不拦截：--allow-failed-checks）",
                "④ computing every month (the demo records quality errors without stopping: --allow-failed-checks)"));
        ComputeCommand.compute(spark, common.warehouse, months, rules, true);
        System.out.println(summary(spark, months));
        System.out.println(Lang.t("⑤ 按月评星定级，生成最后一个月的红黑榜并发布公示稿",
                "⑤ rating month by month, then the last month's red/black lists and its draft publication"));
        for (java.time.YearMonth m : months) {
            RateCommand.print(RatingJob.rate(spark, common.warehouse, m, rules), Lang.t("评星定级", "rated"));
        }
        java.time.YearMonth last = months.get(months.size() - 1);
        RateCommand.print(RatingJob.lists(spark, common.warehouse, last, rules), Lang.t("红黑榜", "lists"));
        PublishJob.Outcome draft = PublishJob.draft(spark, common.warehouse, last, rules, java.time.Clock.systemUTC(),
                PublishJob.DEFAULT_ISSUER, Lang.en() ? "en" : "zh");
        System.out.println(Lang.t("   公示稿 ", "   draft ") + draft.publicationId() + Lang.t("，公示期至 ", ", publicity until ") + draft.publicityEnd());
        PublishCommand.printReports(org.govind.publish.BulletinReader.render(spark, common.warehouse, last, Lang.en() ? "en" : "zh",
                PublishJob.DEFAULT_ISSUER, false, reportsDir));
        List<Row> lists = org.govind.core.SqlFiles.run(spark, "cli/demo_lists.sql", java.util.Map.of("period", last.toString())).collectAsList();
        List<List<String>> rows = new java.util.ArrayList<>();
        String example = null;
        for (Row r : lists) {
            rows.add(List.of(NAMES.getOrDefault(r.getString(0), r.getString(0)), String.valueOf(r.getLong(1)), String.valueOf(r.getLong(2)),
                    String.valueOf(r.getLong(3))));
            if (example == null && !r.isNullAt(4)) example = r.getString(4);
        }
        System.out.println(TextTable.render(List.of(Lang.t("区县", "district"), Lang.t("红榜", "red"), Lang.t("黑榜", "black"),
                Lang.t("不参评", "not rated")), rows));
        if (example != null) {
            System.out.println(Lang.t("   试试：bin/govind explain --period " + last + " --company " + example,
                    "   try: bin/govind explain --period " + last + " --company " + example));
        }
        System.out.println(Lang.t("   仓库：", "   warehouse: ") + wh.root());
        System.out.println(Lang.t("   数据字典：schemas/DATA_DICTIONARY.md", "   data dictionary: schemas/DATA_DICTIONARY.md"));
        System.out.println(Lang.t("   试试：bin/govind sql \"SELECT * FROM gold.case_indicators WHERE level = 'district' ORDER BY period, unit_id\"",
                "   try: bin/govind sql \"SELECT * FROM gold.case_indicators WHERE level = 'district' ORDER BY period, unit_id\""));
        return 0;
    }

    /** Per district and month: on-time rate, satisfaction, branch coverage (percent, one decimal; — for null). */
    static String summary(SparkSession spark, List<java.time.YearMonth> months) {
        List<Row> rows = org.govind.core.SqlFiles.run(spark, "cli/demo_summary.sql", java.util.Map.of(
                "first_period", months.get(0).toString(), "last_period", months.get(months.size() - 1).toString())).collectAsList();
        List<List<String>> out = new java.util.ArrayList<>();
        for (Row r : rows) {
            out.add(List.of(r.getString(0), "all".equals(r.getString(1)) ? Lang.t("全市", "all") : NAMES.getOrDefault(r.getString(1), r.getString(1)),
                    pct(r, 2), pct(r, 3), pct(r, 4), String.format("%,d", r.getLong(5))));
        }
        return TextTable.render(List.of(Lang.t("月份", "month"), Lang.t("区县", "district"), Lang.t("按期办结率", "on-time"),
                Lang.t("满意率", "satisfaction"), Lang.t("小区党组织覆盖率", "branch coverage"), Lang.t("受理数", "received")), out);
    }

    static String pct(Row r, int i) {
        return r.isNullAt(i) ? "—" : String.format("%.1f%%", r.getDouble(i) * 100);
    }
}
