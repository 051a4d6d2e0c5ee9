package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;
import org.govind.ingest.IngestJob;
import org.govind.ingest.IngestLimits;
import org.govind.pii.PiiKey;
import org.govind.pii.PiiProtector;
import org.govind.util.Refusal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ingest", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class IngestCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;

    @Mixin IngestOptions ingest;

    static final class When {
        @Option(names = "--date", descriptionKey = "date", paramLabel = "YYYY-MM-DD") LocalDate date;
        @Option(names = "--all", descriptionKey = "all") boolean all;
    }

    @ArgGroup(exclusive = true) When when;

    /** Where GOVIND_PII_KEY is looked up: the environment of the command line ({@link Main#execute(UnaryOperator, String...)}). */
    @ParentCommand Main main;

    @Override
    public Integer call() {
        IngestLimits limits = ingest.limits();
        PiiKey key = key(ingest.demoKey, main == null ? System::getenv : main.env);   // before the session and before the warehouse folder exists
        SparkSession spark = common.session("ingest");
        LocalDate date = when == null ? null : when.date;
        List<IngestJob.NightSummary> nights = IngestJob.run(spark,
                new IngestJob.Options(ingest.landing, common.warehouse, date, null, System.out::println, ingest.batchNights, limits),
                new PiiProtector(key));
        return printTotals(nights, date);
    }

    /**
     * The personal-data key: the public demo key when --demo-key says so (with a warning in both
     * languages on stderr), else GOVIND_PII_KEY, else a refusal in both languages (exit 8). Never
     * an option value or a Spark or system property: those show in process lists, the Spark UI and logs.
     */
    static PiiKey key(boolean demo, UnaryOperator<String> env) {
        if (demo) {
            System.err.println(DEMO_KEY_WARNING);
            return PiiKey.demo();
        }
        PiiKey.FromEnv r = PiiKey.fromEnvironment(env);
        if (r.key() != null) return r.key();
        String why = switch (r.problem()) {
            case MISSING -> "未设置 " + PiiKey.ENV + "（个人信息密钥）";
            case TOO_SHORT -> PiiKey.ENV + " 短于 " + PiiKey.MIN_LENGTH + " 个字符，可被穷举";
            case DEMO -> PiiKey.ENV + " 是公开的演示密钥";
        };
        String whyEn = switch (r.problem()) {
            case MISSING -> PiiKey.ENV + " (the personal-data key) is not set";
            case TOO_SHORT -> PiiKey.ENV + " is shorter than " + PiiKey.MIN_LENGTH + " characters and could be guessed";
            case DEMO -> PiiKey.ENV + " holds the public demo key";
        };
        throw new Refusal(ExitCode.NO_PII_KEY, "拒绝接入：" + why + "，未写入任何数据；请设置至少 " + PiiKey.MIN_LENGTH
                + " 个字符的随机密钥，仅处理示例数据时可加 --demo-key / refused: " + whyEn + "; nothing was written; set a random key of at least "
                + PiiKey.MIN_LENGTH + " characters, or add --demo-key for sample data only");
    }

    /** Said on stderr, in both languages, whenever the public demo key is used. */
    static final String DEMO_KEY_WARNING = "govind: 警告：正在使用内置的演示密钥。它是公开的（写在源代码里），用它生成的哈希任何人都能还原"
            + "（例如逐个试算身份证号）；只可用于示例数据，真实数据请设置 " + PiiKey.ENV + "。"
            + " / WARNING: using the built-in demo key. It is public (it is in the source code): anyone can reverse the hashes made"
            + " with it (e.g. by hashing every possible id number); use it for sample data only, and set " + PiiKey.ENV + " for real data.";

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
