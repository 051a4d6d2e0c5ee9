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
 * the command ends: JVM start, session start, planning (Spark's own per-query phase tracker:
 * analysis, optimisation, physical planning), Delta log replay (the jobs Delta runs to rebuild a
 * table's snapshot, recognised by its job description), the other Spark jobs, and the time of
 * write commands spent outside their jobs (Delta's commit protocol and other driver work). Jobs
 * overlap rarely here (one driver thread), so their wall times add up; what is left of the wall
 * time is driver work in govind's own code (listing, parsing, hashing, building rows).
 */
public final class Profile {
    private static volatile Profile active;

    private final SparkSession spark;
    private final long startNanos = System.nanoTime();
    private final long jvmStartMillis;
    private final long sessionNanos;
    private final Map<Integer, long[]> jobs = new ConcurrentHashMap<>();   // id → {start, end, snapshot?1:0}
    private final Map<String, long[]> phases = new TreeMap<>();          // phase → {count, nanos}
    private final List<long[]> writes = new ArrayList<>();               // {start, end} of write commands
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
            jobs.put(e.jobId(), new long[] {System.nanoTime(), 0, snapshot ? 1 : 0});
        }
        @Override public void onJobEnd(SparkListenerJobEnd e) {
            long[] j = jobs.get(e.jobId());
            if (j != null) j[1] = System.nanoTime();
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

    private synchronized void record(QueryExecution qe, long durationNs) {
        queries++;
        qe.tracker().phases().foreach(t -> {
            long[] a = phases.computeIfAbsent(t._1(), k -> new long[2]);
            a[0]++;
            a[1] += t._2().durationMs() * 1_000_000L;
            return null;
        });
        String plan = qe.analyzed().nodeName();
        if (plan.contains("Write") || plan.contains("Merge") || plan.contains("Delete") || plan.contains("Update")
                || plan.contains("Command") || plan.contains("Insert") || plan.contains("Overwrite")) {
            long end = System.nanoTime();
            writes.add(new long[] {end - durationNs, end});
        }
    }

    /** The report of the running profile, or null when none runs. Stops it. */
    public static synchronized String finish() {
        Profile p = active;
        if (p == null) return null;
        active = null;
        p.spark.sparkContext().removeSparkListener(p.jobListener);
        p.spark.listenerManager().unregister(p.queryListener);
        p.sampler.interrupt();
        return p.report(System.nanoTime());
    }

    /** Prints and stops the running profile, if any. */
    public static void finish(PrintStream out) {
        String r = finish();
        if (r != null) out.print(r);
    }

    synchronized String report(long now) {
        double wall = (now - startNanos) / 1e9;
        long snapshotNanos = 0, jobNanos = 0, snapshotJobs = 0, otherJobs = 0, writeOutsideJobs = 0;
        List<long[]> done = new ArrayList<>();
        for (long[] j : jobs.values()) {
            if (j[1] == 0) continue;
            done.add(j);
            if (j[2] == 1) { snapshotNanos += j[1] - j[0]; snapshotJobs++; } else { jobNanos += j[1] - j[0]; otherJobs++; }
        }
        for (long[] w : writes) {
            long inJobs = 0;
            for (long[] j : done) inJobs += Math.max(0, Math.min(w[1], j[1]) - Math.max(w[0], j[0]));
            writeOutsideJobs += Math.max(0, (w[1] - w[0]) - inJobs);
        }
        long planning = phases.values().stream().mapToLong(a -> a[1]).sum();
        StringBuilder b = new StringBuilder(Lang.t("govind 用时剖析（--profile / GOVIND_TIMING=1）%n",
                "govind profile (--profile / GOVIND_TIMING=1)%n").formatted());
        line(b, Lang.t("JVM 启动到请求会话", "JVM start to session request"), jvmStartMillis / 1e3, "");
        line(b, Lang.t("Spark 会话启动", "Spark session start"), sessionNanos / 1e9, "");
        line(b, Lang.t("查询规划（解析/分析/优化/物理计划）", "planning (parse/analyse/optimise/plan)"), planning / 1e9,
                queries + Lang.t(" 个查询", " queries"));
        for (Map.Entry<String, long[]> e : phases.entrySet()) {
            line(b, "  " + e.getKey(), e.getValue()[1] / 1e9, "");
        }
        line(b, Lang.t("Delta 日志重放（快照作业）", "Delta log replay (snapshot jobs)"), snapshotNanos / 1e9, snapshotJobs + Lang.t(" 个作业", " jobs"));
        line(b, Lang.t("其他 Spark 作业", "other Spark jobs"), jobNanos / 1e9, otherJobs + Lang.t(" 个作业", " jobs"));
        line(b, Lang.t("写入命令在作业之外（Delta 提交等）", "write commands outside jobs (Delta commits etc.)"), writeOutsideJobs / 1e9,
                writes.size() + Lang.t(" 次写入", " writes"));
        double accounted = (sessionNanos + planning + snapshotNanos + jobNanos + writeOutsideJobs) / 1e9;
        line(b, Lang.t("其余驱动端时间（govind 代码、列目录、散列等）", "other driver time (govind code, listing, hashing …)"),
                Math.max(0, wall + sessionNanos / 1e9 - accounted), "");
        line(b, Lang.t("命令总用时（会话起）", "command wall time (from session start)"), wall + sessionNanos / 1e9, "");
        b.append(String.format(Lang.t("  堆内存峰值（每 100 毫秒采样）%,d MB，上限 %,d MB%n", "  peak heap used (sampled every 100 ms) %,d MB of max %,d MB%n"),
                peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20));
        return b.toString();
    }

    private static void line(StringBuilder b, String label, double seconds, String note) {
        b.append(String.format("  %-40s %8.2f s  %s%n", label, seconds, note).stripTrailing()).append('\n');
    }
}
