package org.govind.cli;

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
import org.govind.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates a few months of small exports, ingests every night and says where everything is. */
@Command(name = "demo", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--landing", defaultValue = "./demo-landing", descriptionKey = "demoLanding", paramLabel = "DIR") Path landing;
    @Option(names = "--start", defaultValue = "2026-01-01", descriptionKey = "start", paramLabel = "YYYY-MM-DD") LocalDate start;
    @Option(names = "--months", defaultValue = "3", descriptionKey = "months", paramLabel = "N") int months;
    @Option(names = "--seed", defaultValue = "20260101", descriptionKey = "seed", paramLabel = "S") long seed;

    @Override
    public Integer call() throws Exception {
        int days = (int) java.time.temporal.ChronoUnit.DAYS.between(start, start.plusMonths(months));
        System.out.println(Lang.t("① 生成 " + days + " 晚的示例导出（小规模，6 个区县，1% 坏行）→ " + landing,
                "① generating " + days + " nights of sample exports (small scale, 6 districts, 1% bad rows) → " + landing));
        Generator.run(new GenerateOptions(landing, start, days, 6, Scale.SMALL, seed, 0.01), s -> { });
        System.out.println(Lang.t("② 逐晚接入 → ", "② ingesting night by night → ") + common.warehouse);
        SparkSession spark = common.session("demo");
        List<IngestJob.NightSummary> nights = IngestJob.run(spark,
                new IngestJob.Options(landing.toString(), common.warehouse, null, null, System.out::println));
        IngestCommand.printTotals(nights, null);
        Warehouse wh = Warehouse.open(spark, common.warehouse).registerAll();
        System.out.println(Lang.t("③ 结果", "③ results"));
        List<Row> top = spark.sql("SELECT reasons[0] AS reason, count(*) AS n FROM ops.quarantine GROUP BY 1 ORDER BY n DESC").collectAsList();
        System.out.println(Lang.t("   隔离原因：", "   quarantine reasons: ") + top.stream().map(r -> r.getString(0) + "=" + r.getLong(1)).toList());
        for (String t : List.of("silver.cases", "silver.visits", "silver.points", "silver.members", "silver.compounds")) {
            System.out.printf("   %-18s %,d%n", t, wh.read(t).count());
        }
        System.out.println(Lang.t("   仓库：", "   warehouse: ") + wh.root());
        System.out.println(Lang.t("   数据字典：schemas/DATA_DICTIONARY.md", "   data dictionary: schemas/DATA_DICTIONARY.md"));
        System.out.println(Lang.t("   试试：bin/govind sql \"SELECT district_code, count(*) FROM silver.cases GROUP BY 1\"",
                "   try: bin/govind sql \"SELECT district_code, count(*) FROM silver.cases GROUP BY 1\""));
        return 0;
    }
}
