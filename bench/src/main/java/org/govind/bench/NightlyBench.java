package org.govind.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.BenchCommand;
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
 * {@code bench nightly}: govind's nightly run on warehouses that already hold 1, 3 and 12 months of
 * generated history, against the peer an analyst would pick instead (DuckDB recomputing the month's
 * three indicator tables from every landing CSV, {@link DuckRecompute}), in one run on one machine.
 * Reports P1 = nightly ÷ DuckDB at the longest history, P2 = govind ingest rows/s ÷ a plain
 * {@code spark.read.csv → delta} of the same night, P3 = nightly at the longest ÷ at the shortest
 * history, each nightly run's profile (where its seconds went, peak heap) and peak RSS, and the
 * monthly chain (rate, lists, draft publish) cold (a JVM per command, as the scheduler runs it) and
 * warm (one JVM). The nightly and the cold chain run through the launcher ({@code bin/govind}) in a
 * new JVM each, as Airflow runs them. Prints a table and writes {@code bench-nightly-<scale>.txt}.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = "nightly run on 1/3/12 months of history vs a DuckDB full recompute; monthly chain cold and warm")
public final class NightlyBench implements Callable<Integer> {
    @Option(names = "--scale", defaultValue = "city", description = "small|city|province") String scale;
    @Option(names = "--history", defaultValue = "1,3,12", split = ",", description = "months of history before the night") List<Integer> history;
    @Option(names = "--dir", defaultValue = "./bench-out", description = "work folder (landing and warehouses are kept for reruns)") Path dir;
    @Option(names = "--districts", defaultValue = "6", description = "districts to generate") int districts;
    @Option(names = "--govind", description = "the launcher (default $GOVIND_HOME/bin/govind)") Path launcher;
    @Option(names = "--prepare", description = "only generate the landing and build the histories (long), then stop; "
            + "a later run measures on a quiet machine") boolean prepare;

    /** The measured night: mid-month, outside any books-close window, so it touches its own month only. */
    static final LocalDate NIGHT = LocalDate.parse("2026-03-10");
    /** The month the monthly chain rates: its books closed on 03-03. */
    static final YearMonth CLOSED = YearMonth.of(2026, 2);

    @Override
    public Integer call() throws Exception {
        Scale sc = Scale.valueOf(scale.toUpperCase(Locale.ROOT));
        int longest = history.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path landingAll = dir.resolve("landing-nightly-" + scale + "-" + longest);
        LocalDate first = NIGHT.minusMonths(longest);
        if (!Files.exists(landingAll.resolve("done"))) {
            SqlBench.delete(landingAll);
            long t0 = System.nanoTime();
            Generator.run(new GenerateOptions(landingAll, first, (int) java.time.temporal.ChronoUnit.DAYS.between(first, NIGHT) + 1,
                    districts, sc, 42, 0.01), s -> { });
            Files.writeString(landingAll.resolve("done"), "generated in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
        }
        Rules rules = Rules.load(null);
        Path rulesFile = null;   // govind's default rules file, for both
        SparkSession spark = BenchSession.create("govind bench nightly", Map.of());
        PiiProtector demo = new PiiProtector(PiiKey.demo());   // generated sample data, throw-away warehouses
        List<String> lines = new ArrayList<>();
        Map<Integer, double[]> nightly = new LinkedHashMap<>();   // history → {seconds, peak RSS MB}
        Map<Integer, Double> duck = new LinkedHashMap<>();
        for (int h : history) {   // every history first, so the measurements below run one after the other
            Path landing = dir.resolve("landing-nightly-" + scale + "-h" + h);
            Path wh = dir.resolve("wh-nightly-" + scale + "-h" + h);
            if (!Files.exists(wh.resolve("_bench_done"))) {
                // the history: every night from NIGHT - h months to the night before, ingested, every month computed.
                // An unfinished history (the build was stopped) is resumed, not rebuilt: ingest is exactly-once per
                // file and continues after its last audited batch; compute replaces whole months. Its times then
                // cover the resumed part only, and the note says so.
                boolean resumed = Files.exists(wh);
                if (resumed) System.out.println("resuming the unfinished history in " + wh);
                linkNights(landingAll, landing, NIGHT.minusMonths(h), NIGHT.minusDays(1));
                long t0 = System.nanoTime();
                // ingest's own progress (each batch and night) shows how far an hour-long history has come
                IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), null, null, System.out::println), demo);
                long t1 = System.nanoTime();
                ComputeJob.run(spark, new ComputeJob.Options(wh.toString(),
                        org.govind.core.Periods.between(YearMonth.from(NIGHT.minusMonths(h)), YearMonth.from(NIGHT.minusDays(1))), rules, true, s -> { }));
                Files.writeString(wh.resolve("_bench_done"), String.format("history of %d months: ingest %.0f s, compute %.0f s%s%n",
                        h, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, resumed ? " (resumed run only)" : ""));
            }
            System.out.println(Files.readString(wh.resolve("_bench_done")).strip());
        }
        if (prepare) return 0;
        for (int h : history) {
            Path landing = dir.resolve("landing-nightly-" + scale + "-h" + h);
            Path wh = dir.resolve("wh-nightly-" + scale + "-h" + h);
            linkNights(landingAll, landing, NIGHT, NIGHT);   // the night arrives
            Path run = dir.resolve("wh-nightly-" + scale + "-h" + h + "-run");
            copyWarehouse(wh, run);
            Path log = dir.resolve("bench-nightly-" + scale + "-h" + h + ".log");
            double[] r = launch(log, "nightly", "--date", NIGHT.toString(), "--landing", landing.toString(), "--warehouse", run.toString(),
                    "--demo-key", "--allow-failed-checks", "--profile");
            nightly.put(h, r);
            DuckRecompute.Result d = DuckRecompute.run(landing, YearMonth.from(NIGHT), rulesFile,
                    DuckRecompute.demoSecret());   // the key the nightly run used (--demo-key)
            duck.put(h, d.nanos() / 1e9);
            lines.add(String.format("history %2d months: govind nightly %7.1f s (peak RSS %,.0f MB); DuckDB full recompute %7.1f s %s; ratio %.2f",
                    h, r[0], r[1], d.nanos() / 1e9, String.format("(transcode %.1f s, load %.1f s, compute %.1f s; %,d landing rows)",
                            d.transcodeNanos() / 1e9, d.loadNanos() / 1e9, d.computeNanos() / 1e9, d.landingRows()), r[0] / (d.nanos() / 1e9)));
            lines.add("  " + Files.readString(wh.resolve("_bench_done")).strip());
            lines.addAll(profileOf(log));
        }
        int shortest = history.stream().mapToInt(Integer::intValue).min().orElseThrow();
        double p1 = nightly.get(longest)[0] / duck.get(longest);
        double p3 = nightly.get(longest)[0] / nightly.get(shortest)[0];

        // P2: the night alone, govind ingest against a plain spark.read.csv → delta of the same files (after a warm-up of both)
        Path landingNight = dir.resolve("landing-nightly-" + scale + "-h" + shortest);
        BenchCommand.ingest(spark, landingNight, dir.resolve("wh-p2-warm"), NIGHT.minusDays(1));
        BenchCommand.plain(spark, landingNight, dir.resolve("wh-p2-warm-plain"), NIGHT.minusDays(1));
        long[] g = BenchCommand.ingest(spark, landingNight, dir.resolve("wh-p2-govind"), NIGHT);
        long[] p = BenchCommand.plain(spark, landingNight, dir.resolve("wh-p2-plain"), NIGHT);
        double p2 = (g[0] / (g[1] / 1e9)) / (p[0] / (p[1] / 1e9));
        lines.add(String.format("one night ingest: govind %,d rows in %.1f s (%,.0f rows/s); plain spark.read.csv → delta %,d rows in %.1f s (%,.0f rows/s)",
                g[0], g[1] / 1e9, g[0] / (g[1] / 1e9), p[0], p[1] / 1e9, p[0] / (p[1] / 1e9)));

        // the monthly chain on the longest history after its nightly run: cold (a JVM per command), then warm (one JVM)
        Path chainWh = dir.resolve("wh-nightly-" + scale + "-h" + longest + "-run");
        Map<String, double[]> cold = new LinkedHashMap<>();
        for (String[] c : chain(chainWh, dir.resolve("bulletins-cold"))) {
            cold.put(c[0], launch(dir.resolve("bench-nightly-chain-" + c[0] + ".log"), c));
        }
        Path warmWh = dir.resolve("wh-chain-warm");
        Map<String, Double> warm = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {   // round 0 warms the JVM up (discarded)
            copyWarehouse(chainWh, warmWh);
            for (String[] c : chain(warmWh, dir.resolve("bulletins-warm-" + round))) {
                long t0 = System.nanoTime();
                int rc = org.govind.cli.Main.execute(c);
                if (rc != 0) throw new IllegalStateException(String.join(" ", c) + " exited " + rc);
                if (round == 1) warm.put(c[0], (System.nanoTime() - t0) / 1e9);
            }
        }
        for (String c : cold.keySet()) {
            lines.add(String.format("monthly %-8s cold %6.1f s (peak RSS %,.0f MB), warm %6.1f s", c, cold.get(c)[0], cold.get(c)[1], warm.get(c)));
        }
        lines.add(String.format("P1 nightly ÷ DuckDB at %d months = %.2f (goal ≤ 1.0); P2 ingest rows/s ÷ plain = %.2f (goal ≥ 0.5); "
                + "P3 nightly at %d ÷ at %d months = %.2f (goal ≤ 1.3)", longest, p1, p2, longest, shortest, p3));
        lines.add(String.format("scale %s, %d districts, night %s, %d cores, max heap %,d MB", scale, districts, NIGHT,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        lines.forEach(System.out::println);
        Files.write(dir.resolve("bench-nightly-" + scale + ".txt"), lines, StandardCharsets.UTF_8);
        return 0;
    }

    private static List<String[]> chain(Path wh, Path out) {
        String m = CLOSED.toString(), w = wh.toString();
        return List.of(new String[] {"rate", "--period", m, "--warehouse", w},
                new String[] {"lists", "--period", m, "--warehouse", w},
                new String[] {"publish", "--period", m, "--warehouse", w, "--out", out.toString(), "--issuer", "基准测试"});
    }

    /**
     * Runs the launcher with {@code args} in a new JVM, output to {@code log}; {wall seconds, peak RSS MB}.
     * The launcher execs java, so the child's /proc status is the JVM's; its high-water mark is read
     * until it exits.
     */
    double[] launch(Path log, String... args) throws Exception {
        Path gov = launcher != null ? launcher : Path.of(System.getenv().getOrDefault("GOVIND_HOME", ".")).resolve("bin/govind");
        List<String> cmd = new ArrayList<>(List.of(gov.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long hwm = 0;
        Path status = Path.of("/proc/" + p.pid() + "/status");
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            try {
                for (String l : Files.readAllLines(status)) {
                    if (l.startsWith("VmHWM:")) hwm = Math.max(hwm, Long.parseLong(l.replaceAll("\\D", "")));
                }
            } catch (java.io.IOException | NumberFormatException gone) { /* exiting */ }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", args) + " exited " + p.exitValue() + "; see " + log);
        return new double[] {s, hwm / 1024.0};
    }

    /** The profile block the launcher printed (--profile), indented. */
    private static List<String> profileOf(Path log) throws Exception {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (l.startsWith("govind profile") || l.startsWith("govind 用时剖析")) in = true;
            if (in) out.add("  " + l);
            // the nightly run's own lines: what it recomputes and why, each month's result, and the step times (StepTimer)
            else if (l.matches("  [a-z_.+ ]+?\\s+\\d+\\.\\d\\d s") || l.startsWith("重算") || l.startsWith("recomputing")
                    || l.matches("  \\S+ [\\d,]+ (行|rows) → .*") || l.matches("\\d{4}-\\d{2}[：:].*") || l.startsWith("批次")
                    || l.startsWith("batch")) out.add("  " + l.strip());
        }
        return out;
    }

    /** Hard links of the night folders in [from, to] of every district (the generator's files are never changed). */
    static void linkNights(Path from, Path to, LocalDate first, LocalDate last) throws Exception {
        try (Stream<Path> s = Files.walk(from, 3)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Path rel = from.relativize(f);
                if (rel.getNameCount() != 3) continue;
                LocalDate d;
                try { d = LocalDate.parse(rel.getName(1).toString()); } catch (java.time.format.DateTimeParseException e) { continue; }
                if (d.isBefore(first) || d.isAfter(last)) continue;
                Path t = to.resolve(rel);
                Files.createDirectories(t.getParent());
                if (!Files.exists(t)) Files.createLink(t, f);
            }
        }
    }

    /**
     * A copy of a warehouse to run on: data files hard-linked (Delta never rewrites one), everything
     * else copied (the transaction log's {@code _last_checkpoint} and govind's own state are rewritten
     * in place).
     */
    static void copyWarehouse(Path from, Path to) throws Exception {
        SqlBench.delete(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) { Files.createDirectories(t); continue; }
                if (f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")) Files.createLink(t, f);
                else Files.copy(f, t);
            }
        }
    }
}
