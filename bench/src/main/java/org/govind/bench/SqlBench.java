package org.govind.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.EmbeddedRunner;
import org.govind.analyst.QueryResult;
import org.govind.analyst.RemoteRunner;
import org.govind.analyst.ServeState;
import org.govind.analyst.SqlRunner;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.gold.ComputeJob;
import org.govind.ingest.IngestJob;
import org.govind.pii.PiiKey;
import org.govind.pii.PiiProtector;
import org.govind.rules.Rules;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code govind bench sql}: the five analyst queries ({@link AnalystQueries}) on one generated month,
 * timed four ways in one run: a cold {@code bin/govind sql} per query (a new JVM and session each
 * time, what an analyst without a server waits for), a warm {@code govind serve} server through
 * the Spark Connect client, a warm embedded session (the notebook kernel's case), and DuckDB over
 * the same tables exported to Parquet. Medians of several runs after one warm-up; DuckDB's and
 * Spark's rows are compared for every query, so the engines are timed on equal work.
 * Never asserts a time; prints a table and writes it to {@code DIR/bench-sql-<scale>.txt}.
 */
@Command(name = "sql", mixinStandardHelpOptions = true, description = "analyst queries: cold govind sql vs warm server vs DuckDB")
public final class SqlBench implements Callable<Integer> {
    @Option(names = "--scale", defaultValue = "city", description = "small|city (default city)") String scale;
    @Option(names = "--dir", defaultValue = "./bench-out", description = "work folder (generated data, warehouse, exports)") Path dir;
    @Option(names = "--runs", defaultValue = "5", description = "timed runs per query for the warm targets (median)") int runs;
    @Option(names = "--cold-runs", defaultValue = "3", description = "timed runs per query of the cold CLI (median)") int coldRuns;
    @Option(names = "--govind", description = "the launcher to time cold (default $GOVIND_HOME/bin/govind)") Path launcher;

    static final LocalDate START = LocalDate.parse("2026-03-01");
    static final YearMonth MONTH = YearMonth.of(2026, 3);

    @Override
    public Integer call() throws Exception {
        Path wh = dir.resolve("wh-sql-" + scale);
        SparkSession spark = BenchSession.create("govind bench sql", Map.of());
        List<String> lines = new ArrayList<>();
        if (!Files.exists(wh.resolve("_bench_done"))) {
            long t = build(spark, dir, wh, Scale.valueOf(scale.toUpperCase(java.util.Locale.ROOT)), START);
            lines.add(String.format("warehouse built (generate + ingest + compute %s): %.0f s", MONTH, t / 1e9));
        }
        Path export = dir.resolve("parquet-sql-" + scale);
        long exportNanos = DuckPeer.export(spark, wh.toString(), export, AnalystQueries.TABLES);
        String district = spark.sql("SELECT min(district_code) FROM delta.`" + wh.resolve("gold").resolve("case_indicators").toAbsolutePath()
                + "` WHERE period = '" + MONTH + "' AND level = 'district'").head().getString(0);
        Map<String, Map<String, String>> sql = new LinkedHashMap<>();
        for (String q : AnalystQueries.NAMES) {
            sql.put(q, Map.of("spark", AnalystQueries.text(q, AnalystQueries.Engine.SPARK, MONTH, district),
                    "duckdb", AnalystQueries.text(q, AnalystQueries.Engine.DUCKDB, MONTH, district)));
        }
        Map<String, Map<String, Double>> ms = new LinkedHashMap<>();   // target → query → median ms
        Map<String, QueryResult> sparkRows = new LinkedHashMap<>();
        // warm embedded: this JVM's session through the read-only policy (the notebook kernel's path)
        try (SqlRunner r = new EmbeddedRunner(new ReadOnlyPolicy(Warehouse.open(spark, wh.toString()).registerAll()))) {
            ms.put("warm embedded", time(runs, sql, q -> {
                QueryResult res = r.run(q.get("spark"), Map.of(), 0);
                return res;
            }, sparkRows));
        }
        // DuckDB over the Parquet exports
        Map<String, QueryResult> duckRows = new LinkedHashMap<>();
        try (DuckPeer duck = new DuckPeer(export, AnalystQueries.TABLES)) {
            ms.put("DuckDB (Parquet)", time(runs, sql, q -> duck.run(q.get("duckdb")), duckRows));
        }
        for (String q : AnalystQueries.NAMES) {
            if (!Rows.normal(sparkRows.get(q)).equals(Rows.normal(duckRows.get(q)))) {
                throw new IllegalStateException(q + ": DuckDB and Spark disagree — the comparison would not be of equal work");
            }
        }
        ms.putAll(server(wh, sql, sparkRows));
        ms.put("cold govind sql", cold(wh, sql));
        lines.add(String.format("scale %s, month %s, district %s; Parquet export of %d tables %.1f s; medians in ms (warm: %d runs, cold: %d)",
                scale, MONTH, district, AnalystQueries.TABLES.size(), exportNanos / 1e9, runs, coldRuns));
        lines.addAll(table(ms, sparkRows));
        lines.forEach(System.out::println);
        Files.createDirectories(dir);
        Files.write(dir.resolve("bench-sql-" + scale + ".txt"), lines, StandardCharsets.UTF_8);
        return 0;
    }

    /** Generated month: nights from {@code start} through the month's books close, ingested, the month computed. */
    static long build(SparkSession spark, Path dir, Path wh, Scale scale, LocalDate start) throws Exception {
        long t0 = System.nanoTime();
        Rules rules = Rules.load(null);
        LocalDate close = rules.booksClose(MONTH);
        int days = (int) java.time.temporal.ChronoUnit.DAYS.between(start, close) + 1;
        Path landing = dir.resolve("landing-sql-" + scale.name().toLowerCase(java.util.Locale.ROOT));
        delete(landing);
        delete(wh);
        Generator.run(new GenerateOptions(landing, start, days, 6, scale, 42, 0.01), s -> { });
        IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), null, null, null), new PiiProtector(PiiKey.demo()));
        ComputeJob.run(spark, new ComputeJob.Options(wh.toString(), List.of(MONTH), rules, true, s -> { }));
        Files.writeString(wh.resolve("_bench_done"), "ok");
        return System.nanoTime() - t0;
    }

    interface Query { QueryResult run(Map<String, String> sql) throws Exception; }

    /** One untimed warm-up per query, then {@code n} timed runs; the median per query in ms. */
    static Map<String, Double> time(int n, Map<String, Map<String, String>> sql, Query run, Map<String, QueryResult> keep) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> q : sql.entrySet()) {
            keep.put(q.getKey(), run.run(q.getValue()));
            List<Double> t = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                run.run(q.getValue());
                t.add((System.nanoTime() - t0) / 1e6);
            }
            out.put(q.getKey(), median(t));
        }
        return out;
    }

    /**
     * A warm {@code govind serve} (started by the launcher as an analyst would, on a free port, a fresh
     * token) queried through the Spark Connect client ({@link RemoteRunner}); stopped afterwards.
     */
    Map<String, Map<String, Double>> server(Path wh, Map<String, Map<String, String>> sql, Map<String, QueryResult> sparkRows) throws Exception {
        Path gov = launcher();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String token = java.util.UUID.randomUUID().toString();
        ProcessBuilder pb = new ProcessBuilder(gov.toString(), "serve", "--port", String.valueOf(port), "--warehouse", wh.toString());
        pb.environment().put("GOVIND_SERVE_TOKEN", token);
        Path log = dir.resolve("bench-sql-serve.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            ServeState st = null;
            for (long deadline = System.currentTimeMillis() + 180_000; st == null || !st.answers(); Thread.sleep(200)) {
                if (!p.isAlive()) throw new IllegalStateException("govind serve ended (exit " + p.exitValue() + "); see " + log);
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("govind serve not ready in 3 minutes; see " + log);
                st = ServeState.read(wh.toString());
                if (st != null && st.port() != port) st = null;
            }
            System.out.printf("govind serve ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Map<String, QueryResult> rows = new LinkedHashMap<>();
            Map<String, Double> ms;
            try (SqlRunner r = new RemoteRunner(st.url(), token, "bench")) {
                ms = time(runs, sql, q -> r.run(q.get("spark"), Map.of(), 0), rows);
            }
            for (String q : AnalystQueries.NAMES) {
                if (!Rows.normal(rows.get(q)).equals(Rows.normal(sparkRows.get(q)))) {
                    throw new IllegalStateException(q + ": the server's rows differ from the embedded session's");
                }
            }
            return Map.of("warm govind serve", ms);
        } finally {
            p.destroy();   // SIGTERM: the server's shutdown hook removes its state file
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    Path launcher() {
        Path gov = launcher != null ? launcher : Path.of(System.getenv().getOrDefault("GOVIND_HOME", ".")).resolve("bin/govind");
        if (!Files.isExecutable(gov)) throw new IllegalStateException("no launcher at " + gov + " (--govind or GOVIND_HOME)");
        return gov;
    }

    /** {@code bin/govind sql --embedded} per query and run: the whole command, JVM start included. */
    Map<String, Double> cold(Path wh, Map<String, Map<String, String>> sql) throws Exception {
        Path gov = launcher();
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> q : sql.entrySet()) {
            List<Double> t = new ArrayList<>();
            for (int i = 0; i < coldRuns; i++) {
                ProcessBuilder pb = new ProcessBuilder(gov.toString(), "sql", "--embedded", "--warehouse", wh.toString(), "--format", "csv",
                        "--limit", "0", "--", q.getValue().get("spark"));   // "--": the query starts with a comment, not an option
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                long t0 = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("cold govind sql failed for " + q.getKey() + " (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
                }
                t.add((System.nanoTime() - t0) / 1e6);
            }
            out.put(q.getKey(), median(t));
        }
        return out;
    }

    static List<String> table(Map<String, Map<String, Double>> ms, Map<String, QueryResult> rows) {
        List<String> lines = new ArrayList<>();
        StringBuilder h = new StringBuilder(String.format("%-24s %6s", "query", "rows"));
        for (String t : ms.keySet()) h.append(String.format(" %18s", t));
        lines.add(h.toString());
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (String q : AnalystQueries.NAMES) {
            StringBuilder b = new StringBuilder(String.format("%-24s %6d", q, rows.get(q).rows().size()));
            for (Map.Entry<String, Map<String, Double>> t : ms.entrySet()) {
                double v = t.getValue().get(q);
                all.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(v);
                b.append(String.format(" %18.1f", v));
            }
            lines.add(b.toString());
        }
        StringBuilder m = new StringBuilder(String.format("%-24s %6s", "median of the five", ""));
        Map<String, Double> med = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> t : all.entrySet()) {
            med.put(t.getKey(), median(t.getValue()));
            m.append(String.format(" %18.1f", med.get(t.getKey())));
        }
        lines.add(m.toString());
        Double duck = med.get("DuckDB (Parquet)");
        for (Map.Entry<String, Double> t : med.entrySet()) {
            if (duck != null && !t.getKey().startsWith("DuckDB")) {
                lines.add(String.format("  ratio %s / DuckDB: %.1f×", t.getKey(), t.getValue() / duck));
            }
        }
        return lines;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static void delete(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
