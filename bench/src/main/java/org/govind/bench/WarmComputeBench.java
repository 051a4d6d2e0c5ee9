package org.govind.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.gold.ComputeJob;
import org.govind.ingest.IngestJob;
import org.govind.pii.PiiKey;
import org.govind.pii.PiiProtector;
import org.govind.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench compute}: a warm {@code compute} of one small month (the demo's scale: 6 districts, small
 * compounds) in one JVM, run after run, against the DuckDB peer recomputing the same month from the same
 * landing. The first compute in the JVM is reported apart (it pays planning and code generation for the
 * first time); "warm" is the median of the later ones, each replacing the month it replaced before.
 * The goal: a warm compute of a small month in 5 s or less.
 */
@Command(name = "compute", mixinStandardHelpOptions = true,
        description = "warm compute of one small month in one JVM (median of runs) vs the DuckDB full recompute")
public final class WarmComputeBench implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "target/bench-compute", description = "working folder; its landing/ and warehouse/ are replaced") Path dir;
    @Option(names = "--runs", defaultValue = "5", description = "computes of the month after the first (median reported)") int runs;
    @Option(names = "--out", description = "also write the report to this file") Path out;
    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "a Spark setting for the bench's session, over conf/spark-defaults.conf (A/B of settings)")
    Map<String, String> sparkConf = new java.util.LinkedHashMap<>();

    static final YearMonth MONTH = YearMonth.of(2026, 3);

    @Override
    public Integer call() throws Exception {
        Rules rules = Rules.load(null);
        LocalDate start = MONTH.atDay(1), close = rules.booksClose(MONTH);
        Path landing = dir.resolve("landing"), wh = dir.resolve("warehouse");
        SqlBench.delete(landing);   // its own two folders only: --dir may hold other things
        SqlBench.delete(wh);
        Generator.run(new GenerateOptions(landing, start, (int) java.time.temporal.ChronoUnit.DAYS.between(start, close) + 1, 6,
                Scale.SMALL, 42, 0.01), s -> { });
        SparkSession spark = BenchSession.create("govind bench compute", sparkConf);
        long t0 = System.nanoTime();
        List<IngestJob.NightSummary> nights = IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), null, null, null),
                new PiiProtector(PiiKey.demo()));
        double ingest = (System.nanoTime() - t0) / 1e9;
        long rows;
        try (var files = Files.walk(landing)) {
            rows = files.filter(p -> p.toString().endsWith(".csv")).mapToLong(WarmComputeBench::lines).sum();
        }

        List<Double> secs = new ArrayList<>();
        String lastProfile = "";
        String sparkProfile = "";
        for (int i = 0; i <= runs; i++) {
            // the last run is profiled (--profile's report: jobs, planning, commits, the costliest job descriptions)
            if (i == runs) org.govind.spark.Profile.start(spark, org.govind.spark.Profile.jvmUptimeMillis(), 0);
            long c0 = System.nanoTime();
            List<ComputeJob.MonthResult> r = ComputeJob.run(spark, new ComputeJob.Options(wh.toString(), List.of(MONTH), rules, true, s -> { }));
            secs.add((System.nanoTime() - c0) / 1e9);
            lastProfile = r.get(0).timer().summary();
            if (i == runs) sparkProfile = org.govind.spark.Profile.finish();
        }
        List<Double> warm = new ArrayList<>(secs.subList(1, secs.size()));
        warm.sort(null);
        double median = warm.get(warm.size() / 2);

        List<Double> duck = new ArrayList<>();
        for (int i = 0; i < 3; i++) duck.add(DuckRecompute.run(landing, MONTH, null).nanos() / 1e9);
        duck.sort(null);
        double duckMedian = duck.get(1);

        List<String> lines = new ArrayList<>();
        lines.add(String.format("small month %s: %,d landing rows in %d nights, ingested in %.1f s (%d batches)", MONTH, rows,
                (int) java.time.temporal.ChronoUnit.DAYS.between(start, close) + 1, ingest, nights.size()));
        lines.add(String.format("govind compute, first in this JVM %.1f s; warm (median of %d) %.1f s; all: %s", secs.get(0), runs, median,
                secs.stream().map(d -> String.format("%.1f", d)).toList()));
        lines.add(String.format("DuckDB full recompute of the month (median of 3, each a fresh DuckDB) %.1f s; ratio warm govind ÷ DuckDB %.2f",
                duckMedian, median / duckMedian));
        lines.add(String.format("goal: warm compute ≤ 5 s: %s", median <= 5.0 ? "met" : "not met"));
        lines.add("where the last run's seconds went:");
        lines.add(lastProfile.stripTrailing());
        lines.add(sparkProfile == null ? "" : sparkProfile.stripTrailing());
        lines.add(String.format("%d cores, max heap %,d MB, settings %s", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, BenchSession.settings(sparkConf)));
        String report = String.join(System.lineSeparator(), lines) + System.lineSeparator();
        System.out.print(report);
        if (out != null) Files.writeString(out, report);
        spark.stop();
        return 0;
    }

    private static long lines(Path p) {
        try (var s = Files.lines(p, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return Math.max(0, s.count() - 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
