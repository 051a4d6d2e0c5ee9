package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.core.ExitCode;
import org.govind.spark.StandaloneCluster;
import org.govind.spark.Warehouse;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jar on a Spark standalone cluster: {@code govind cluster start} on free loopback ports, the whole
 * pipeline (ingest of three generated nights across a month boundary, compute of both months, rate, lists,
 * publish draft of March) once submitted to it ({@code --master spark://127.0.0.1:<port>}, in a child JVM:
 * this JVM's one local session cannot become a cluster driver) and once in local mode (this JVM), into
 * two warehouses; every gold table must hold exactly the same rows in both.
 *
 * <p>The key comes from GOVIND_PII_KEY in both runs (a value made up here); the cluster's daemons run
 * without it, so an executor that needed it would fail the cluster run.
 */
@Tag("slow")  // two full pipeline runs and a cluster start: several minutes on 2 cores
class ClusterPipelineTest {
    @TempDir static Path dir;
    static Path clusterDir;
    static int masterPort, uiPort, workerUiPort;

    /** A made-up 40-character key for this test (not the demo key: ingest takes it from the environment). */
    static final String KEY = "cluster-test-key-" + "0123456789abcdefghijklmnopqrstuvw".substring(0, 23);

    @BeforeAll
    static void start() throws Exception {
        clusterDir = dir.resolve("cluster");
        masterPort = freePort(1);
        uiPort = freePort(1);
        workerUiPort = freePort(2);
        assertEquals(0, Main.execute("cluster", "start", "--dir", clusterDir.toString(), "--master-port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(uiPort), "--worker-webui-port", String.valueOf(workerUiPort),
                "--worker-memory", "1536m", "--lang", "en"));
    }

    @AfterAll
    static void stop() throws Exception {
        Main.execute("cluster", "stop", "--dir", clusterDir.toString());
    }

    @Test
    void theClusterRunGivesTheLocalRunsGoldTables() throws Exception {
        // the cluster is up: two workers alive, status says so, the ports are refused to a second start
        StandaloneCluster.State state = StandaloneCluster.read(clusterDir);
        assertEquals(2, StandaloneCluster.aliveWorkers(StandaloneCluster.masterJson(state)));
        assertEquals(0, Main.execute("cluster", "status", "--dir", clusterDir.toString()));
        assertEquals(ExitCode.PORT_IN_USE.code(), Main.execute("cluster", "start", "--dir", dir.resolve("other").toString(),
                "--master-port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort(1)),
                "--worker-webui-port", String.valueOf(freePort(2))));

        // the secret: readable by its owner only, in no daemon's command line (every local user can read those), and
        // in the daemons' environment, which only the owner can read
        Path secretFile = clusterDir.resolve(StandaloneCluster.SECRET);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
        String secret = Files.readString(secretFile).strip();
        assertEquals(64, secret.length());
        for (StandaloneCluster.Daemon d : state.daemons()) {
            String cmdline = Files.readString(Path.of("/proc/" + d.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
            assertTrue(cmdline.contains("-Dspark.authenticate=true"), d.role() + ": " + cmdline);
            assertTrue(!cmdline.contains(secret), d.role() + " has the secret on its command line");
            assertTrue(Files.readString(Path.of("/proc/" + d.pid() + "/environ"), StandardCharsets.ISO_8859_1)
                    .contains("_SPARK_AUTH_SECRET=" + secret), d.role() + " has the secret in its environment");
        }

        Path landing = dir.resolve("landing");
        assertEquals(0, Main.execute("generate", "--out", landing.toString(), "--start", "2026-03-30", "--days", "3",
                "--districts", "2", "--seed", "11"));
        String onCluster = dir.resolve("wh-cluster").toString(), local = dir.resolve("wh-local").toString();

        // the cluster run goes first, in its own JVM, while this JVM runs the local one
        Path log = dir.resolve("cluster-run.log");
        List<String> cmd = javaCommand(Steps.class.getName());
        for (List<String> step : pipeline(landing, onCluster, dir.resolve("out-cluster"), state.masterUrl())) {
            cmd.addAll(step);
            cmd.add(Steps.SEP);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GOVIND_PII_KEY", KEY);
        // the daemons require Spark's shared-secret authentication: the driver reads the secret from the file cluster start wrote
        pb.environment().put(org.govind.spark.Sessions.SECRET_FILE_ENV, clusterDir.resolve(StandaloneCluster.SECRET).toString());
        // the repo's conf, as bin/govind gives every command (and an operator copies to the cluster's driver host): its
        // spark-defaults.conf sizes Delta's snapshot state and the shuffles for govind's small tables; without it the
        // driver builds every snapshot in 50 tasks and shuffles into 200, each a round trip to an executor
        Path conf = Path.of("..", "conf", "govind.conf").toAbsolutePath().normalize();
        assertTrue(Files.exists(conf.resolveSibling("spark-defaults.conf")), "the repo's conf: " + conf);
        pb.environment().put("GOVIND_CONF", conf.toString());
        pb.environment().put("GOVIND_TIMING", "1");   // each step's profile in the log, for whoever reads a slow run
        long t0 = System.nanoTime();
        Process child = pb.start();

        UnaryOperator<String> env = k -> "GOVIND_PII_KEY".equals(k) ? KEY : System.getenv(k);
        for (List<String> step : pipeline(landing, local, dir.resolve("out-local"), "local[2]")) {
            long s0 = System.nanoTime();
            List<String> profiled = new ArrayList<>(step);
            profiled.add("--profile");   // where the local run's seconds went, on this JVM's stderr
            assertEquals(0, Main.execute(env, profiled.toArray(String[]::new)), "local: " + step);
            System.out.printf("ClusterPipelineTest local %s: %.1f s%n", step.get(0), (System.nanoTime() - s0) / 1e9);
        }
        System.out.printf("ClusterPipelineTest local run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        boolean done = child.waitFor(15, TimeUnit.MINUTES);
        System.out.printf("ClusterPipelineTest cluster run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (!done) child.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.copy(log, Path.of("target", "cluster-pipeline-run.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.lines().filter(l -> l.startsWith("STEP TIME")).forEach(l -> System.out.println("ClusterPipelineTest cluster " + l));
        assertTrue(done, "the cluster run finished in time: " + tail(out));
        assertEquals(0, child.exitValue(), "the cluster run: " + tail(out));
        assertTrue(out.contains(Steps.DONE + " " + state.masterUrl()), "every step ran on the cluster: " + tail(out));

        SparkSession spark = TestSpark.get();
        Warehouse a = Warehouse.open(spark, local), b = Warehouse.open(spark, onCluster);
        List<String> gold = a.tables().stream().filter(t -> t.startsWith("gold.")).toList();
        assertEquals(gold, b.tables().stream().filter(t -> t.startsWith("gold.")).toList());
        assertTrue(gold.size() >= 6, "the gold tables: " + gold);
        long total = 0;
        for (String t : gold) {
            Dataset<Row> x = a.read(t), y = b.read(t);
            assertEquals(Arrays.asList(x.columns()), Arrays.asList(y.columns()), t);
            assertEquals(0, x.exceptAll(y).count(), t + ": rows of the local run missing on the cluster");
            assertEquals(0, y.exceptAll(x).count(), t + ": rows of the cluster run not in the local one");
            total += x.count();
        }
        // the comparison is of real work: indicators of both months, ratings and lists of March
        for (String t : List.of("gold.case_indicators", "gold.coverage_indicators", "gold.points_leaderboard",
                "gold.company_ratings", "gold.compound_stars", "gold.red_black_list")) {
            assertTrue(a.read(t).count() > 0, t + " has rows");
        }
        assertEquals(2, a.read("gold.case_indicators").select("period").distinct().count(), "March and April");
        assertTrue(total > 100, "rows compared: " + total);
    }

    /** The pipeline's command lines, the same for both runs but for the warehouse, the report folder and the master. */
    static List<List<String>> pipeline(Path landing, String warehouse, Path out, String master) {
        List<String> common = List.of("--warehouse", warehouse, "--master", master);
        List<List<String>> steps = new ArrayList<>();
        steps.add(with(List.of("ingest", "--all", "--landing", landing.toString()), common));
        steps.add(with(List.of("compute", "--from", "2026-03", "--to", "2026-04"), common));
        steps.add(with(List.of("rate", "--period", "2026-03"), common));
        steps.add(with(List.of("lists", "--period", "2026-03"), common));
        steps.add(with(List.of("publish", "--period", "2026-03", "--out", out.toString()), common));
        return steps;
    }

    private static List<String> with(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** This JVM's java, module flags and class path (as ServeTest starts its server). */
    static List<String> javaCommand(String mainClass) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        for (String o : System.getProperty("govind.test.opens", "").split(" ")) if (!o.isBlank()) cmd.add(o);
        for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (o.startsWith("--add-opens") || o.startsWith("-Djdk.reflect") || o.startsWith("-Dio.netty")) cmd.add(o);
        }
        cmd.addAll(List.of("-Dfile.encoding=UTF-8", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        return cmd;
    }

    /** A free loopback port p such that p … p+n-1 are all free. */
    static int freePort(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                p = s.getLocalPort();
            }
            boolean all = true;
            for (int i = 1; i < n && all; i++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), p + i));
                } catch (IOException e) {
                    all = false;
                }
            }
            if (all && p + n < 65536) return p;
        }
        throw new IOException("no free port range of " + n);
    }

    static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /** The child JVM: runs the steps (separated by {@link #SEP}) in one driver, stops at the first failure. */
    public static final class Steps {
        static final String SEP = "::";
        static final String DONE = "ALL STEPS DONE ON";

        public static void main(String[] args) {
            List<String> step = new ArrayList<>();
            String master = null;
            for (String a : args) {
                if (!a.equals(SEP)) {
                    step.add(a);
                    continue;
                }
                int i = step.indexOf("--master");
                master = step.get(i + 1);
                System.out.println("STEP " + step);
                long s0 = System.nanoTime();
                int code = Main.execute(step.toArray(String[]::new));
                System.out.printf("STEP TIME %s %.1f s%n", step.get(0), (System.nanoTime() - s0) / 1e9);
                if (code != 0) {
                    System.out.println("STEP FAILED " + code + " " + step);
                    System.exit(code);
                }
                step.clear();
            }
            // every job of this driver ran on the cluster's executors, never in-process
            SparkSession s = SparkSession.getDefaultSession().get();
            System.out.println(DONE + " " + s.sparkContext().master() + " executors " + (s.sparkContext().getExecutorMemoryStatus().size() - 1));
            System.exit(0);
        }
    }
}
