package org.govind.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.util.Json;
import org.govind.util.Refusal;

/**
 * A Spark standalone cluster on this machine's loopback: one master and N workers, child processes of
 * no one (detached with {@code setsid} where it exists), started from the jars govind itself runs on,
 * so nothing is downloaded and master, workers, executors and the driver share one class path.
 *
 * <p>A standalone worker launches executors through spark-launcher's {@code WorkerCommandBuilder}, which
 * wants a {@code SPARK_HOME} with a {@code jars/} folder; the cluster folder gets one
 * ({@code spark-home/jars/}) holding links to every jar of this JVM's class path (the manifest
 * {@code Class-Path} of govind-jobs.jar followed), and class folders of a build tree packed into jars.
 * The folder also holds the logs ({@code logs/}), the executors' work folders ({@code work/}) and the
 * state ({@code cluster.json}: pids and ports) that {@code stop} and {@code status} read.
 */
public final class StandaloneCluster {
    public static final String HOST = "127.0.0.1";
    static final String STATE = "cluster.json";
    /** The cluster's shared secret (Spark authentication), in the cluster folder, mode 600. */
    public static final String SECRET = "secret";

    /** What to start. Worker i's web UI listens on {@code workerUiPort + i}. */
    public record Spec(int masterPort, int masterUiPort, int workerUiPort, int workers, int workerCores,
                       String workerMemory, String daemonHeap) {}

    /** One daemon: role ("master", "worker-1", ...), pid, the port of its web UI, its log. */
    public record Daemon(String role, long pid, int uiPort, String log) {
        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** The state file's content. */
    public record State(String masterUrl, int masterUiPort, String started, List<Daemon> daemons) {
        public String masterUi() { return "http://" + HOST + ":" + masterUiPort; }
    }

    private StandaloneCluster() {}

    /** The state of the cluster started in dir, or null. */
    public static State read(Path dir) {
        Path f = dir.resolve(STATE);
        if (!Files.isRegularFile(f)) return null;
        try {
            Map<String, Object> m = Json.object(Files.readString(f, StandardCharsets.UTF_8));
            List<Daemon> ds = new ArrayList<>();
            for (Object o : (List<?>) m.get("daemons")) {
                Map<?, ?> d = (Map<?, ?>) o;
                ds.add(new Daemon((String) d.get("role"), ((Number) d.get("pid")).longValue(),
                        ((Number) d.get("ui_port")).intValue(), (String) d.get("log")));
            }
            return new State((String) m.get("master_url"), ((Number) m.get("master_ui_port")).intValue(),
                    (String) m.get("started"), ds);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Starts master and workers, waits until the master counts every worker alive, writes the state. */
    public static State start(Path dir, Spec spec, Consumer<String> log) throws IOException, InterruptedException {
        dir = dir.toAbsolutePath().normalize();
        State old = read(dir);
        if (old != null && old.daemons().stream().anyMatch(Daemon::alive)) {
            throw new Refusal(ExitCode.FAILED, Lang.t("集群已在运行（" + old.masterUrl() + "），先执行 govind cluster stop --dir " + dir,
                    "a cluster is already running (" + old.masterUrl() + "); run govind cluster stop --dir " + dir + " first"));
        }
        List<Integer> ports = new ArrayList<>(List.of(spec.masterPort(), spec.masterUiPort()));
        for (int i = 0; i < spec.workers(); i++) ports.add(spec.workerUiPort() + i);
        for (int p : ports) requireFree(p);

        Path sparkHome = sparkHome(dir);
        String secret = newSecret(dir.resolve(SECRET));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String masterUrl = "spark://" + HOST + ":" + spec.masterPort();
        List<Daemon> daemons = new ArrayList<>();
        try {
            daemons.add(launch(sparkHome, secret, spec.daemonHeap(), logs.resolve("master.log"), "master", spec.masterUiPort(),
                    "org.apache.spark.deploy.master.Master", "--host", HOST, "--port", String.valueOf(spec.masterPort()),
                    "--webui-port", String.valueOf(spec.masterUiPort())));
            String ui = "http://" + HOST + ":" + spec.masterUiPort();
            awaitMaster(ui, daemons.get(0), 0, Duration.ofSeconds(90));
            for (int i = 0; i < spec.workers(); i++) {
                String role = "worker-" + (i + 1);
                daemons.add(launch(sparkHome, secret, spec.daemonHeap(), logs.resolve(role + ".log"), role, spec.workerUiPort() + i,
                        "org.apache.spark.deploy.worker.Worker", "--host", HOST, "--cores", String.valueOf(spec.workerCores()),
                        "--memory", spec.workerMemory(), "--webui-port", String.valueOf(spec.workerUiPort() + i),
                        "--work-dir", work.toString(), masterUrl));
            }
            State s = new State(masterUrl, spec.masterUiPort(), Instant.now().toString(), daemons);
            write(dir, s);
            awaitMaster(ui, daemons.get(0), spec.workers(), Duration.ofSeconds(120));
            log.accept(Lang.t("日志目录：", "logs: ") + logs);
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(daemons);
            Files.deleteIfExists(dir.resolve(STATE));
            throw e;
        }
    }

    /** Stops the cluster started in dir (workers, their executors, then the master); false when none was. */
    public static boolean stop(Path dir) throws IOException {
        State s = read(dir.toAbsolutePath().normalize());
        if (s == null) return false;
        stop(s.daemons());
        Files.deleteIfExists(dir.toAbsolutePath().normalize().resolve(STATE));
        return true;
    }

    private static void stop(List<Daemon> daemons) {
        List<Daemon> reversed = new ArrayList<>(daemons);
        java.util.Collections.reverse(reversed);   // workers first: the master would otherwise see them as lost
        for (Daemon d : reversed) {
            ProcessHandle.of(d.pid()).ifPresent(h -> {
                List<ProcessHandle> children = h.descendants().toList();   // executors
                h.destroy();
                try {
                    h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
                for (ProcessHandle c : children) if (c.isAlive()) c.destroyForcibly();
            });
        }
    }

    /** The master's own view (its /json page), or null when it does not answer. */
    public static Map<String, Object> masterJson(State s) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(s.masterUi() + "/json/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.object(r.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Workers the master counts as ALIVE. */
    public static int aliveWorkers(Map<String, Object> json) {
        if (json == null) return 0;
        Object n = json.get("aliveworkers");
        if (n instanceof Number x) return x.intValue();
        int alive = 0;
        if (json.get("workers") instanceof List<?> ws) {
            for (Object w : ws) if (w instanceof Map<?, ?> m && "ALIVE".equals(m.get("state"))) alive++;
        }
        return alive;
    }

    static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new Refusal(ExitCode.PORT_IN_USE, Lang.t("端口 " + HOST + ":" + port + " 已被占用（--master-port、--webui-port、--worker-webui-port 可另选端口）",
                    "the port " + HOST + ":" + port + " is taken (choose others with --master-port, --webui-port, --worker-webui-port)"));
        }
    }

    /**
     * A new random secret (256 bits, hex) written to {@code file}, readable by its owner only; the
     * daemons get it in their environment (never on a command line, which every local user can read),
     * a driver from the file ({@link Sessions#SECRET_FILE_ENV}).
     */
    static String newSecret(Path file) throws IOException {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        String secret = java.util.HexFormat.of().formatHex(b);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        return secret;
    }

    private static Daemon launch(Path sparkHome, String secret, String heap, Path logFile, String role, int uiPort, String main,
                                 String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");   // its own session: a closed terminal does not end it
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
        // Spark's shared-secret authentication: a driver or executor without the secret is refused
        cmd.addAll(List.of("-Dspark.authenticate=true", "-Dfile.encoding=UTF-8", "-cp", sparkHome.resolve("jars") + File.separator + "*", main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        // else the launcher looks for a Spark build tree (launcher/target/scala-*) to learn it
        env.put("SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString().replaceFirst("^(\\d+[.]\\d+).*", "$1"));
        env.put("SPARK_LOCAL_IP", HOST);            // web UIs and RPC on loopback (executors inherit it)
        env.put("SPARK_LOCAL_HOSTNAME", HOST);
        env.remove("SPARK_CONF_DIR");
        env.remove("GOVIND_PII_KEY");               // daemons and executors never need the key: it stays with the driver
        env.put("_SPARK_AUTH_SECRET", secret);      // Spark's variable for a daemon's secret; workers hand it to executors
        Process p = pb.start();
        return new Daemon(role, p.pid(), uiPort, logFile.toString());
    }

    private static void awaitMaster(String ui, Daemon master, int workers, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        State probe = new State(null, Integer.parseInt(ui.substring(ui.lastIndexOf(':') + 1)), null, List.of());
        while (System.nanoTime() < end) {
            if (!master.alive()) throw new IllegalStateException(Lang.t("master 进程已退出，见 ", "the master exited, see ") + master.log());
            Map<String, Object> j = masterJson(probe);
            if (j != null && aliveWorkers(j) >= workers) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException(Lang.t("等待 " + workers + " 个 worker 注册超时，见日志 ", "timed out waiting for " + workers
                + " workers to register, see the logs next to ") + master.log());
    }

    private static void write(Path dir, State s) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("master_url", s.masterUrl());
        m.put("master_ui_port", s.masterUiPort());
        m.put("started", s.started());
        List<Map<String, Object>> ds = new ArrayList<>();
        for (Daemon d : s.daemons()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("role", d.role());
            x.put("pid", d.pid());
            x.put("ui_port", d.uiPort());
            x.put("log", d.log());
            ds.add(x);
        }
        m.put("daemons", ds);
        Path tmp = dir.resolve(STATE + ".tmp");
        Files.writeString(tmp, Json.write(m) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A fresh {@code spark-home/jars/}: links to this JVM's jars, its class folders packed as jars. */
    static Path sparkHome(Path dir) throws IOException {
        Path home = dir.resolve("spark-home"), jars = home.resolve("jars");
        if (Files.exists(jars)) {
            try (Stream<Path> old = Files.list(jars)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        Files.createDirectories(jars);
        Set<String> names = new LinkedHashSet<>();
        int packed = 0;
        for (Path e : classPath()) {
            if (Files.isDirectory(e)) {
                pack(e, jars.resolve("classes-" + (++packed) + ".jar"));
            } else if (Files.isRegularFile(e) && e.getFileName().toString().endsWith(".jar")) {
                String name = e.getFileName().toString();
                for (int i = 2; !names.add(name); i++) name = e.getFileName().toString().replaceFirst("[.]jar$", "-" + i + ".jar");
                Files.createSymbolicLink(jars.resolve(name), e.toAbsolutePath());
            }
        }
        return home;
    }

    /** This JVM's class path, manifest {@code Class-Path} entries followed (java -jar govind-jobs.jar; surefire's booter jar). */
    static List<Path> classPath() throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!s.isBlank()) add(Path.of(s).toAbsolutePath().normalize(), out);
        }
        return new ArrayList<>(out);
    }

    private static void add(Path p, Set<Path> out) throws IOException {
        if (!Files.exists(p) || !out.add(p) || Files.isDirectory(p)) return;
        try (JarFile j = new JarFile(p.toFile())) {
            Manifest m = j.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) return;
            URI base = p.getParent().toUri();
            for (String entry : cp.trim().split("\\s+")) {
                if (!entry.isEmpty()) add(Path.of(base.resolve(entry)).toAbsolutePath().normalize(), out);
            }
        }
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) continue;
                j.putNextEntry(new JarEntry(name));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
    }
}
