package org.govind.cli;

import org.govind.core.Lang;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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
    /** The bench's warehouses are generated and thrown away: the public demo key. */
    private static final org.govind.pii.PiiProtector DEMO = new org.govind.pii.PiiProtector(org.govind.pii.PiiKey.demo());

    @Mixin CommonOptions common;
    @Option(names = "--days", defaultValue = "30", descriptionKey = "benchDays", paramLabel = "N") int days;
    @Option(names = "--scale", defaultValue = "city", descriptionKey = "benchScale", paramLabel = "small|city") String scale;
    @Option(names = "--dir", defaultValue = "./bench-out", descriptionKey = "benchDir", paramLabel = "DIR") Path dir;
    @Option(names = "--redelivery", descriptionKey = "benchRedelivery", paramLabel = "ROWS", arity = "0..1", fallbackValue = "200000")
    Integer redelivery;

    private static final LocalDate START = LocalDate.parse("2026-03-01");

    @Override
    public Integer call() throws Exception {
        if (redelivery != null) return redelivery(redelivery);
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

    /** {rows read, nanos} of govind ingest into a fresh warehouse (also used by bench nightly). */
    public static long[] ingest(SparkSession spark, Path landing, Path wh, LocalDate date) throws Exception {
        delete(wh);
        long t0 = System.nanoTime();
        // generated sample data into throw-away warehouses: the public demo key
        List<IngestJob.NightSummary> s = IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), date, null, null),
                DEMO);
        long t = System.nanoTime() - t0;
        return new long[] {s.stream().mapToLong(IngestJob.NightSummary::rowsRead).sum(), t};
    }

    // ---------------------------------------------------------------- re-delivery

    private static final String[] DISTRICTS = {"370829", "370832", "140921", "350505", "420103", "440881"};

    /**
     * Re-delivery of visits: night 1 delivers {@code rows} new visits (spread over the six districts), night 2
     * the same rows in reverse order (other bytes, same values: every row is an identical re-delivery,
     * {@code rows_unchanged}), night 3 the same keys with another {@code needs_recorded} (every row a
     * {@code conflicting_redelivery}). Each night is ingested alone into one warehouse; the re-delivery
     * nights are reported against night 1 (same rows, same run).
     */
    private int redelivery(int rows) throws Exception {
        Path landing = dir.resolve("landing-redelivery-" + rows);
        if (!Files.exists(landing.resolve("done"))) {
            System.out.println(Lang.t("生成重复报送基准数据 → ", "generating re-delivery benchmark data → ") + landing);
            writeVisits(landing, rows);
            Files.writeString(landing.resolve("done"), "ok");
        }
        Path warm = dir.resolve("landing-redelivery-warm");
        if (!Files.exists(warm.resolve("done"))) {
            writeVisits(warm, 6_000);
            Files.writeString(warm.resolve("done"), "ok");
        }
        SparkSession spark = common.session("bench");
        // warm-up: the same three nights on a small landing, discarded
        Path whWarm = dir.resolve("wh-redelivery-warm");
        delete(whWarm);
        for (int n = 0; n < 3; n++) IngestJob.run(spark, new IngestJob.Options(warm.toString(), whWarm.toString(), START.plusDays(n), null, null), DEMO);
        Path wh = dir.resolve("wh-redelivery");
        delete(wh);
        String[] labels = {"first delivery", "identical re-delivery", "conflicting re-delivery"};
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-34s %12s %10s %12s %12s %12s", "visits, " + rows + " rows", "rows", "seconds", "loaded", "unchanged", "quarantined"));
        double first = 0;
        for (int n = 0; n < 3; n++) {
            long t0 = System.nanoTime();
            List<IngestJob.NightSummary> s = IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), START.plusDays(n), null, null), DEMO);
            double sec = (System.nanoTime() - t0) / 1e9;
            if (n == 0) first = sec;
            long read = s.stream().mapToLong(IngestJob.NightSummary::rowsRead).sum();
            long loaded = s.stream().mapToLong(IngestJob.NightSummary::rowsLoaded).sum();
            long q = s.stream().mapToLong(IngestJob.NightSummary::rowsQuarantined).sum();
            long unchanged = spark.read().format("delta").load(wh.resolve("ops").resolve("ingest_audit").toString())
                    .where("export_date = DATE'" + START.plusDays(n) + "'")
                    .agg(functions.coalesce(functions.sum("rows_unchanged"), functions.lit(0L))).head().getLong(0);
            lines.add(String.format("%-34s %,12d %10.1f %,12d %,12d %,12d", labels[n], read, sec, loaded, unchanged, q));
            if (n > 0) lines.add(String.format("  ratio %s / first delivery time: %.2f×", labels[n], sec / first));
        }
        lines.forEach(System.out::println);
        Files.write(dir.resolve("bench-redelivery-" + rows + ".txt"), lines);
        return 0;
    }

    /** Three nights of visits.csv per district (see {@link #redelivery}); synthetic ids, no personal data. */
    private static void writeVisits(Path landing, int rows) throws Exception {
        var cols = org.govind.schema.Schemas.get().landing("visits").columns().stream().map(org.govind.schema.ColumnDef::name).toList();
        String header = String.join(",", cols);
        for (int night = 0; night < 3; night++) {
            for (int d = 0; d < DISTRICTS.length; d++) {
                String district = DISTRICTS[d];
                List<String> recs = new ArrayList<>();
                for (int i = d; i < rows; i += DISTRICTS.length) {
                    java.util.Map<String, String> m = new java.util.HashMap<>();
                    m.put("visit_id", String.format("BV%08d", i));
                    m.put("district_code", district);
                    m.put("community_code", district + "001001");
                    m.put("compound_id", "Q" + (i % 500));
                    m.put("household_id", "H" + i);
                    m.put("visitor_id", "S" + (i % 997));
                    m.put("visitor_role", "grid_worker");
                    m.put("visited_at", String.format("2026-02-%02d %02d:%02d:00", 1 + i % 28, 8 + i % 10, i % 60));
                    m.put("visit_type", "needs_survey");
                    m.put("key_group", i % 7 == 0 ? "true" : "false");
                    m.put("needs_recorded", String.valueOf(night == 2 ? 1 + i % 3 + 1 : i % 3));
                    recs.add(cols.stream().map(c -> m.getOrDefault(c, "")).collect(java.util.stream.Collectors.joining(",")));
                }
                if (night == 1) java.util.Collections.reverse(recs);
                Path f = landing.resolve(district).resolve(START.plusDays(night).toString()).resolve("visits.csv");
                Files.createDirectories(f.getParent());
                Files.writeString(f, header + "\n" + String.join("\n", recs) + "\n");
            }
        }
    }

    /** The peer: each file read with Spark's CSV reader (header, encoding) and appended to a Delta table per entity. */
    public static long[] plain(SparkSession spark, Path landing, Path wh, LocalDate date) throws Exception {
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
