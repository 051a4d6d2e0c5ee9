package org.govind.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.ingest.IngestJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark: govind ingest versus a plain spark.read.csv(...).write.format("delta") of the same
 * files, in the same JVM and run, first for one night and then for all generated nights.
 * Reports rows/s and the ratio; never asserts a time.
 */
@Command(name = "bench", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--days", defaultValue = "30", descriptionKey = "benchDays", paramLabel = "N") int days;
    @Option(names = "--scale", defaultValue = "city", descriptionKey = "benchScale", paramLabel = "small|city") String scale;
    @Option(names = "--dir", defaultValue = "./bench-out", descriptionKey = "benchDir", paramLabel = "DIR") Path dir;

    private static final LocalDate START = LocalDate.parse("2026-03-01");

    @Override
    public Integer call() throws Exception {
        Path landing = dir.resolve("landing-" + scale + "-" + days);
        if (!Files.exists(landing.resolve("done"))) {
            System.out.println(Lang.t("生成基准数据 → ", "generating benchmark data → ") + landing);
            Generator.run(new GenerateOptions(landing, START, days, 6, Scale.valueOf(scale.toUpperCase(Locale.ROOT)), 42, 0.0), s -> { });
            Files.writeString(landing.resolve("done"), "ok");
        }
        SparkSession spark = common.session("bench");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-34s %12s %10s %12s", "case", "rows", "seconds", "rows/s"));
        // warm-up: one night of both, discarded, so JIT and Spark codegen do not favour the second runner
        ingest(spark, landing, dir.resolve("wh-warm"), START);
        plain(spark, landing, dir.resolve("wh-warm-plain"), START);
        for (LocalDate one : new LocalDate[] {START.plusDays(1), null}) {
            String label = one == null ? days + " nights" : "1 night";
            long[] g = ingest(spark, landing, dir.resolve("wh-govind-" + (one == null ? "all" : "one")), one);
            long[] p = plain(spark, landing, dir.resolve("wh-plain-" + (one == null ? "all" : "one")), one);
            lines.add(row("govind ingest, " + label, g));
            lines.add(row("spark.read.csv → delta, " + label, p));
            lines.add(String.format("  ratio govind/plain time: %.2f×", (double) g[1] / p[1]));
        }
        lines.forEach(System.out::println);
        Files.write(dir.resolve("bench-" + scale + "-" + days + ".txt"), lines);
        return 0;
    }

    private static String row(String label, long[] r) {
        double s = r[1] / 1e9;
        return String.format("%-34s %,12d %10.1f %,12.0f", label, r[0], s, r[0] / s);
    }

    /** {rows read, nanos} of govind ingest into a fresh warehouse. */
    private long[] ingest(SparkSession spark, Path landing, Path wh, LocalDate date) throws Exception {
        delete(wh);
        long t0 = System.nanoTime();
        // generated sample data into throw-away warehouses: the public demo key
        List<IngestJob.NightSummary> s = IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), date, null, null),
                new org.govind.pii.PiiProtector(org.govind.pii.PiiKey.demo()));
        long t = System.nanoTime() - t0;
        return new long[] {s.stream().mapToLong(IngestJob.NightSummary::rowsRead).sum(), t};
    }

    /** The peer: each file read with Spark's CSV reader (header, encoding) and appended to a Delta table per entity. */
    private long[] plain(SparkSession spark, Path landing, Path wh, LocalDate date) throws Exception {
        delete(wh);
        long rows = 0, t0 = System.nanoTime();
        List<Path> files;
        try (Stream<Path> s = Files.walk(landing)) {
            files = s.filter(p -> p.toString().endsWith(".csv"))
                    .filter(p -> date == null || p.getParent().getFileName().toString().equals(date.toString())).sorted().toList();
        }
        for (Path f : files) {
            String district = f.getParent().getParent().getFileName().toString();
            String enc = district.equals("370832") || district.equals("140921") ? "GB18030" : "UTF-8";
            String entity = f.getFileName().toString().replace(".csv", "");
            var raw = spark.read().option("header", "true").option("multiLine", "true").option("encoding", enc).csv(f.toString());
            // Delta refuses ' ,;{}()=' in column names (e.g. the header " Case_ID "): the minimum rename
            var df = raw.toDF(java.util.Arrays.stream(raw.columns()).map(c -> c.strip().replaceAll("[ ,;{}()\\n\\t=]", "_")).toArray(String[]::new));
            rows += df.count();
            df.write().format("delta").mode("append").option("mergeSchema", "true")
                    .save(wh.resolve(district + "_" + entity).toString());
        }
        return new long[] {rows, System.nanoTime() - t0};
    }

    private static void delete(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
