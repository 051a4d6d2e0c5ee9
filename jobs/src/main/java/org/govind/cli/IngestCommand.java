package org.govind.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.govind.ingest.IngestJob;
import org.govind.ingest.IngestLimits;
import org.govind.util.Refusal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class IngestCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--landing", defaultValue = "./landing", descriptionKey = "landing", paramLabel = "DIR")
    String landing;

    static final class When {
        @Option(names = "--date", descriptionKey = "date", paramLabel = "YYYY-MM-DD") LocalDate date;
        @Option(names = "--all", descriptionKey = "all") boolean all;
    }

    @ArgGroup(exclusive = true) When when;

    @Option(names = "--batch-nights", defaultValue = "31", descriptionKey = "batchNights", paramLabel = "N")
    int batchNights;

    @Option(names = "--max-file-mb", defaultValue = "512", descriptionKey = "maxFileMb", paramLabel = "MB")
    long maxFileMb;

    @Option(names = "--max-record-kb", defaultValue = "1024", descriptionKey = "maxRecordKb", paramLabel = "KB")
    long maxRecordKb;

    @Option(names = "--max-fields", defaultValue = "1000", descriptionKey = "maxFields", paramLabel = "N")
    int maxFields;

    @Override
    public Integer call() {
        IngestLimits limits;
        try {
            limits = IngestLimits.of(maxFileMb, maxRecordKb, maxFields);
        } catch (IllegalArgumentException e) {
            throw new Refusal(2, Lang.t("上限设置无效：", "invalid limit: ") + e.getMessage());
        }
        SparkSession spark = common.session("ingest");
        LocalDate date = when == null ? null : when.date;
        List<IngestJob.NightSummary> nights = IngestJob.run(spark,
                new IngestJob.Options(landing, common.warehouse, date, null, System.out::println, batchNights, limits));
        return printTotals(nights, date);
    }

    static int printTotals(List<IngestJob.NightSummary> nights, LocalDate date) {
        long read = 0, loaded = 0, q = 0, files = 0, skipped = 0, rejected = 0;
        for (IngestJob.NightSummary n : nights) {
            read += n.rowsRead(); loaded += n.rowsLoaded(); q += n.rowsQuarantined();
            files += n.newFiles(); skipped += n.skippedFiles(); rejected += n.rejectedFiles();
        }
        if (nights.isEmpty()) {
            System.out.println(Lang.t("没有找到可接入的导出" + (date == null ? "" : "（" + date + "）"),
                    "no exports found" + (date == null ? "" : " for " + date)));
            return date == null ? 0 : 1;
        }
        System.out.printf(Lang.t("合计 %d 批：新文件 %d，跳过（已接入）%d，整文件拒收 %d；读入 %,d 行 = 入库 %,d + 隔离 %,d%n",
                        "total %d batches: %d new files, %d skipped (already loaded), %d rejected whole; read %,d rows = loaded %,d + quarantined %,d%n"),
                nights.size(), files, skipped, rejected, read, loaded, q);
        return 0;
    }
}
