package org.govind.spark;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.govind.core.Lang;

/**
 * Where a command's seconds go ({@code --profile} or {@code GOVIND_TIMING=1}), printed on stderr when
 * the command ends: JVM start, session start, Delta log replay (the jobs Delta runs to rebuild a
 * table's snapshot, recognised by their job description), the other Spark jobs, planning (Spark's
 * own per-query phase tracker: analysis, optimisation, physical planning), write commands outside
 * their jobs and planning (Delta's commit protocol), and the rest: driver work in govind's own code
 * (listing, parsing, hashing, building rows). Spans nest (Delta runs snapshot jobs while a query is
 * optimised; a write plans inner queries), so each instant is charged once ({@link #attribute}).
 */
public final class Profile {
    private static volatile Profile active;

    private final SparkSession spark;
    private final long startMillis = System.currentTimeMillis();
    private final long jvmStartMillis;
    private final long sessionNanos;
    private final Map<Integer, long[]> jobs = new ConcurrentHashMap<>();   // id → {start ms, end ms, snapshot?1:0}
    private final Map<Integer, String> jobLabels = new ConcurrentHashMap<>();   // id → description (digits as #)
    private final Map<String, long[]> phases = new TreeMap<>();          // phase → {count, ms} (summed, may nest)
    private final List<long[]> spans = new ArrayList<>();                // {start ms, end ms, kind} of planning phases and writes
    private long queries;
    private volatile long peakHeap;
    private final Thread sampler = new Thread(() -> {
        Runtime rt = Runtime.getRuntime();
        while (!Thread.currentThread().isInterrupted()) {
            peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
            try { Thread.sleep(100); } catch (InterruptedException e) { return; }
        }
    }, "govind-profile-heap");
    private final SparkListener jobListener = new SparkListener() {
        @Override public void onJobStart(SparkListenerJobStart e) {
            String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
            boolean snapshot = d != null && (d.contains("snapshot") || d.contains("Snapshot") || d.contains("checkpoint"));
            jobs.put(e.jobId(), new long[] {e.time(), 0, snapshot ? SNAPSHOT : JOB});
            // the step the command was in when the job was submitted (by time: Delta submits from pooled threads too)
            Map.Entry<Long, String> at = steps.floorEntry(e.time());
            String step = at == null || at.getValue().isEmpty() ? null : at.getValue();
            String label = d != null ? d : step != null ? "[" + step + "]"
                    : e.properties() == null ? null : e.properties().getProperty("callSite.short");
            jobLabels.put(e.jobId(), label == null ? "?" : label.replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip());
        }
        @Override public void onJobEnd(SparkListenerJobEnd e) {
            long[] j = jobs.get(e.jobId());
            if (j != null) j[1] = e.time();
        }
    };
    private final QueryExecutionListener queryListener = new QueryExecutionListener() {
        @Override public void onSuccess(String funcName, QueryExecution qe, long durationNs) { record(qe, durationNs); }
        @Override public void onFailure(String funcName, QueryExecution qe, Exception exception) { }
    };

    private Profile(SparkSession spark, long jvmStartMillis, long sessionNanos) {
        this.spark = spark;
        this.jvmStartMillis = jvmStartMillis;
        this.sessionNanos = sessionNanos;
    }

    /**
     * Starts profiling this command on {@code spark}. {@code jvmStartMillis}: how long the JVM ran
     * before the command asked for its session; {@code sessionNanos}: how long the session took.
     */
    public static synchronized void start(SparkSession spark, long jvmStartMillis, long sessionNanos) {
        if (active != null) return;
        Profile p = new Profile(spark, jvmStartMillis, sessionNanos);
        spark.sparkContext().addSparkListener(p.jobListener);
        spark.listenerManager().register(p.queryListener);
        p.sampler.setDaemon(true);
        p.sampler.start();
        active = p;
    }

    /** Milliseconds since the JVM started (for {@link #start}). */
    public static long jvmUptimeMillis() { return ManagementFactory.getRuntimeMXBean().getUptime(); }

    public static boolean wanted(boolean option) { return option || "1".equals(System.getenv("GOVIND_TIMING")); }

    /** govind's steps by start time (ms): a job without a description of its own is labelled by the step it started in. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, String> steps = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * The command enters step {@code name} ({@code null}: none) now; Spark jobs submitted from now on, from any
     * thread, are labelled by it. Nothing happens without a running profile.
     */
    public static void step(String name) {
        Profile p = active;
        if (p != null) p.steps.put(System.currentTimeMillis(), name == null ? "" : name);
    }

    /** Whether a profile runs in this JVM: commands then also print their own step times (ingest, compute per table). */
    public static boolean active() { return active != null; }

    private synchronized void record(QueryExecution qe, long durationNs) {
        queries++;
        qe.tracker().phases().foreach(t -> {
            long[] a = phases.computeIfAbsent(t._1(), k -> new long[2]);
            a[0]++;
            a[1] += t._2().durationMs();
            spans.add(new long[] {t._2().startTimeMs(), t._2().endTimeMs(), PLANNING});
            return null;
        });
        String plan = qe.analyzed().nodeName();
        if (plan.contains("Write") || plan.contains("Merge") || plan.contains("Delete") || plan.contains("Update")
                || plan.contains("Command") || plan.contains("Insert") || plan.contains("Overwrite")) {
            long end = System.currentTimeMillis();
            spans.add(new long[] {end - durationNs / 1_000_000, end, WRITE});
        }
    }

    // what an instant is charged to when several overlap (a job inside a write inside planning: the job)
    static final int SNAPSHOT = 0, JOB = 1, PLANNING = 2, WRITE = 3, OTHER = 4;

    /**
     * Milliseconds charged to each kind: every instant of the run goes to exactly one kind, the
     * first of {@link #SNAPSHOT}, {@link #JOB}, {@link #PLANNING}, {@link #WRITE} whose span covers
     * it, else {@link #OTHER}; so the kinds add up to the wall time (nested queries are not counted twice).
     */
    static long[] attribute(List<long[]> spans, long from, long to) {
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>(List.of(from, to));
        for (long[] s : spans) {
            cuts.add(Math.max(from, Math.min(to, s[0])));
            cuts.add(Math.max(from, Math.min(to, s[1])));
        }
        long[] out = new long[5];
        Long prev = null;
        for (long c : cuts) {
            if (prev != null && c > prev) {
                int kind = OTHER;
                for (long[] s : spans) if (s[0] <= prev && s[1] >= c && s[2] < kind) kind = (int) s[2];
                out[kind] += c - prev;
            }
            prev = c;
        }
        return out;
    }

    /** The report of the running profile, or null when none runs. Stops it. */
    public static synchronized String finish() {
        Profile p = active;
        if (p == null) return null;
        active = null;
        p.spark.sparkContext().removeSparkListener(p.jobListener);
        p.spark.listenerManager().unregister(p.queryListener);
        p.sampler.interrupt();
        return p.report(System.currentTimeMillis());
    }

    /** Prints and stops the running profile, if any. */
    public static void finish(PrintStream out) {
        String r = finish();
        if (r != null) out.print(r);
    }

    synchronized String report(long nowMillis) {
        List<long[]> all = new ArrayList<>(spans);
        long snapshotJobs = 0, otherJobs = 0, writes = spans.stream().filter(x -> x[2] == WRITE).count();
        for (long[] j : jobs.values()) {
            if (j[1] == 0) continue;
            all.add(j);
            if (j[2] == SNAPSHOT) snapshotJobs++; else otherJobs++;
        }
        long[] ms = attribute(all, startMillis, nowMillis);
        StringBuilder b = new StringBuilder(Lang.t("govind 用时剖析（--profile / GOVIND_TIMING=1）%n",
                "govind profile (--profile / GOVIND_TIMING=1)%n").formatted());
        line(b, Lang.t("JVM 启动到请求会话", "JVM start to session request"), jvmStartMillis / 1e3, "");
        line(b, Lang.t("Spark 会话启动", "Spark session start"), sessionNanos / 1e9, "");
        line(b, Lang.t("Delta 日志重放（快照作业）", "Delta log replay (snapshot jobs)"), ms[SNAPSHOT] / 1e3, snapshotJobs + Lang.t(" 个作业", " jobs"));
        line(b, Lang.t("其他 Spark 作业", "other Spark jobs"), ms[JOB] / 1e3, otherJobs + Lang.t(" 个作业", " jobs"));
        StringBuilder per = new StringBuilder();
        phases.forEach((k, v) -> per.append(per.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format("%.1f s", v[1] / 1e3)));
        line(b, Lang.t("查询规划（作业之外）", "planning (outside jobs)"), ms[PLANNING] / 1e3,
                queries + Lang.t(" 个查询；各阶段合计 ", " queries; phases summed ") + per);
        line(b, Lang.t("写入命令在作业与规划之外（Delta 提交等）", "write commands outside jobs and planning (Delta commits …)"),
                ms[WRITE] / 1e3, writes + Lang.t(" 次写入", " writes"));
        line(b, Lang.t("其余驱动端时间（govind 代码、列目录、散列等）", "other driver time (govind code, listing, hashing …)"), ms[OTHER] / 1e3, "");
        line(b, Lang.t("命令总用时（会话起）", "command wall time (from session start)"), (nowMillis - startMillis) / 1e3 + sessionNanos / 1e9, "");
        Map<String, long[]> byLabel = new java.util.HashMap<>();
        jobs.forEach((id, j) -> {
            if (j[1] == 0) return;
            long[] a = byLabel.computeIfAbsent(jobLabels.getOrDefault(id, "?"), k -> new long[2]);
            a[0]++;
            a[1] += j[1] - j[0];
        });
        byLabel.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(5).forEach(e ->
                b.append(String.format("    %-60.60s %8.2f s  %d%n", e.getKey(), e.getValue()[1] / 1e3, e.getValue()[0])));
        b.append(String.format(Lang.t("  堆内存峰值（每 100 毫秒采样）%,d MB，上限 %,d MB%n", "  peak heap used (sampled every 100 ms) %,d MB of max %,d MB%n"),
                peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20));
        return b.toString();
    }

    private static void line(StringBuilder b, String label, double seconds, String note) {
        b.append(String.format("  %-40s %8.2f s  %s%n", label, seconds, note).stripTrailing()).append('\n');
    }
}
