package org.govind.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.notebook.GovindKernel;
import org.govind.analyst.notebook.NotebookSession;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.util.Json;
import org.govind.util.Refusal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * govind notebook: the analysts' Jupyter notebooks ({@code notebooks/*.ipynb}) on the govind SQL
 * kernel ({@link GovindKernel}). {@code install} registers the kernel with Jupyter, {@code open}
 * starts Jupyter on loopback over the notebooks folder, {@code run} executes notebooks headlessly for
 * a month (nbclient, via {@code notebooks/run_notebook.py}) and {@code kernel} is what Jupyter starts.
 * Jupyter itself comes from Debian packages (jupyter-notebook, python3-nbclient, python3-nbconvert).
 */
@Command(name = "notebook", resourceBundle = "govind.messages", mixinStandardHelpOptions = true,
        subcommands = {NotebookCommand.Install.class, NotebookCommand.Open.class, NotebookCommand.Run.class, NotebookCommand.Kernel.class})
public final class NotebookCommand implements Runnable {
    @ParentCommand Main main;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    UnaryOperator<String> env() { return main == null ? System::getenv : main.env; }

    /**
     * The analyst's embedded session, the one place it is created (kernel; later the server's
     * extension goes here too): the command's Spark settings without the console progress bar (it
     * would print into the cells), the warehouse's tables by name, read-only.
     */
    static NotebookSession session(CommonOptions common, String rules) {
        common.sparkConf.putIfAbsent("spark.ui.showConsoleProgress", "false");
        SparkSession spark = common.session("notebook");
        return new NotebookSession(Warehouse.open(spark, common.warehouse).registerAll(), Rules.load(rules));
    }

    // ---- the kernel spec ---------------------------------------------------------------------------------

    /**
     * Writes {@code <kernels>/govind-sql/kernel.json}: Jupyter starts the kernel with {@code launcher}
     * + {@code notebook kernel {connection_file}}, with the warehouse (and conf, rules) in its environment.
     */
    static Path writeSpec(Path kernels, List<String> launcher, Map<String, String> env) throws IOException {
        Path dir = kernels.resolve(GovindKernel.NAME);
        Files.createDirectories(dir);
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of("notebook", "kernel", "{connection_file}"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", GovindKernel.DISPLAY_NAME);
        spec.put("language", GovindKernel.LANGUAGE);
        spec.put("interrupt_mode", "message");   // interrupt = cancel the Spark jobs, not SIGINT to the JVM
        spec.put("env", env);
        spec.put("metadata", Map.of("govind", Map.of("file_extension", ".sql")));
        Path file = dir.resolve("kernel.json");
        Files.writeString(file, Json.write(spec) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /**
     * How Jupyter starts govind: this checkout's {@code bin/govind} when the command runs through it
     * (it exports GOVIND_HOME), else this JVM's own command line (java, its flags, its class path),
     * which is what tests and IDE runs need (bin/govind would rebuild the jar).
     */
    static List<String> launcher(UnaryOperator<String> env) {
        String home = env.apply("GOVIND_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "govind"))) {
            return List.of(Path.of(home, "bin", "govind").toAbsolutePath().normalize().toString());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-agentlib") || a.startsWith("-javaagent")) continue;
            cmd.add(a);
        }
        cmd.add("-Xmx" + (env.apply("GOVIND_KERNEL_HEAP") != null ? env.apply("GOVIND_KERNEL_HEAP") : "3g"));
        Path log4j = home(env).resolve("conf").resolve("log4j2.properties");   // quiet Spark, as bin/govind does
        if (Files.isRegularFile(log4j)) cmd.add("-Dlog4j2.configurationFile=" + log4j);
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    /** The kernel's environment: where the warehouse, conf and rules are (absolute, any working directory). */
    static Map<String, String> kernelEnv(String warehouse, String rules, UnaryOperator<String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("GOVIND_WAREHOUSE", Path.of(warehouse).toAbsolutePath().normalize().toString());
        String conf = env.apply("GOVIND_CONF");
        if (conf != null) out.put("GOVIND_CONF", Path.of(conf).toAbsolutePath().normalize().toString());
        if (rules != null) out.put("GOVIND_RULES", Path.of(rules).toAbsolutePath().normalize().toString());
        String lang = env.apply("GOVIND_LANG");
        if (lang != null) out.put("GOVIND_LANG", lang);
        return out;
    }

    /** The checkout: GOVIND_HOME (bin/govind), else the tests' govind.repo.root, else the working directory. */
    static Path home(UnaryOperator<String> env) {
        String h = env.apply("GOVIND_HOME");
        if (h == null) h = System.getProperty("govind.repo.root");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    /** A private Jupyter data folder holding only the govind-sql kernel spec (JUPYTER_PATH), removed after. */
    static Path privateJupyter(Path parent, List<String> launcher, Map<String, String> kernelEnv) throws IOException {
        Path dir = parent == null ? Files.createTempDirectory("govind-jupyter") : Files.createTempDirectory(parent, "govind-jupyter");
        writeSpec(dir.resolve("kernels"), launcher, kernelEnv);
        Files.createDirectories(dir.resolve("runtime"));
        return dir;
    }

    static Map<String, String> jupyterEnv(Path dir) {
        return Map.of("JUPYTER_PATH", dir.toString(), "JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString(),
                "JUPYTER_CONFIG_DIR", dir.resolve("config").toString(), "JUPYTER_DATA_DIR", dir.resolve("data").toString(),
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    /** The first of names found as an executable on PATH (or given as a path), else null. */
    static String onPath(UnaryOperator<String> env, String... names) {
        String path = env.apply("PATH");
        for (String n : names) {
            if (n.contains("/")) {
                if (Files.isExecutable(Path.of(n))) return n;
                continue;
            }
            if (path == null) continue;
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, n))) return Path.of(d, n).toString();
            }
        }
        return null;
    }

    /**
     * The Python that has nbclient and nbconvert: GOVIND_PYTHON, else Debian's /usr/bin/python3 (the
     * packages are for it), else python3 on PATH. A pyenv or venv python3 first on PATH usually lacks them.
     */
    static String python(UnaryOperator<String> env) throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (env.apply("GOVIND_PYTHON") != null) candidates.add(env.apply("GOVIND_PYTHON"));
        candidates.add("/usr/bin/python3");
        String p = onPath(env, "python3");
        if (p != null) candidates.add(p);
        for (String c : candidates) {
            if (!Files.isExecutable(Path.of(c))) continue;
            Process pr = new ProcessBuilder(c, "-c", "import nbclient, nbconvert").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (pr.waitFor() == 0) return c;
        }
        throw new Refusal(ExitCode.FAILED, Lang.t("找不到带 nbclient 和 nbconvert 的 Python（试过 " + candidates + "）；请安装：apt-get install -y python3-nbclient python3-nbconvert（或用 GOVIND_PYTHON 指定）",
                "no Python with nbclient and nbconvert (tried " + candidates + "); install them: apt-get install -y python3-nbclient python3-nbconvert (or set GOVIND_PYTHON)"));
    }

    // ---- the commands ------------------------------------------------------------------------------------

    static final class Where {
        @Option(names = "--user", required = true, descriptionKey = "notebookUser") boolean user;
        @Option(names = "--prefix", required = true, descriptionKey = "notebookPrefix", paramLabel = "DIR") Path prefix;
    }

    /** govind notebook install: registers the govind-sql kernel with Jupyter (user data folder or a prefix). */
    @Command(name = "install", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Install implements Callable<Integer> {
        @ParentCommand NotebookCommand parent;
        @Mixin CommonOptions common;
        @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;
        @ArgGroup(exclusive = true) Where where;

        @Override
        public Integer call() throws IOException {
            UnaryOperator<String> env = parent.env();
            Path kernels = where != null && where.prefix != null
                    ? where.prefix.resolve("share").resolve("jupyter").resolve("kernels")
                    : userData(env).resolve("kernels");
            Path file = writeSpec(kernels, launcher(env), kernelEnv(common.warehouse, rules, env));
            System.out.println(Lang.t("已安装内核 " + GovindKernel.NAME + "（" + GovindKernel.DISPLAY_NAME + "）：",
                    "installed kernel " + GovindKernel.NAME + " (" + GovindKernel.DISPLAY_NAME + "): ") + file);
            if (where != null && where.prefix != null) {
                System.out.println(Lang.t("   Jupyter 需要 JUPYTER_PATH=", "   Jupyter needs JUPYTER_PATH=") + where.prefix.resolve("share").resolve("jupyter").toAbsolutePath()
                        + Lang.t(" 才能找到它（或 jupyter 的 --prefix 相同）", " to find it (or the same prefix as jupyter's sys.prefix)"));
            }
            return 0;
        }

        /** Jupyter's user data folder: JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
        static Path userData(UnaryOperator<String> env) {
            if (env.apply("JUPYTER_DATA_DIR") != null) return Path.of(env.apply("JUPYTER_DATA_DIR"));
            if (env.apply("XDG_DATA_HOME") != null) return Path.of(env.apply("XDG_DATA_HOME"), "jupyter");
            return Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
        }
    }

    /** govind notebook open: Jupyter Notebook on 127.0.0.1 over the notebooks folder, with the govind-sql kernel. */
    @Command(name = "open", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Open implements Callable<Integer> {
        @ParentCommand NotebookCommand parent;
        @Mixin CommonOptions common;
        @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;
        @Option(names = "--port", defaultValue = "8888", descriptionKey = "notebookPort", paramLabel = "PORT") int port;
        @Option(names = "--notebooks", descriptionKey = "notebookDir", paramLabel = "DIR") Path notebooks;

        @Override
        public Integer call() throws Exception {
            UnaryOperator<String> env = parent.env();
            String jupyter = onPath(env, "jupyter-notebook", "/usr/bin/jupyter-notebook");
            if (jupyter == null) {
                throw new Refusal(ExitCode.FAILED, Lang.t("找不到 jupyter-notebook；请安装：apt-get install -y jupyter-notebook",
                        "jupyter-notebook not found; install it: apt-get install -y jupyter-notebook"));
            }
            Path dir = notebooks != null ? notebooks : home(env).resolve("notebooks");
            Path jup = privateJupyter(null, launcher(env), kernelEnv(common.warehouse, rules, env));
            try {
                List<String> cmd = new ArrayList<>(List.of(jupyter, "--ip=127.0.0.1", "--port=" + port, "--no-browser",
                        "--notebook-dir=" + dir.toAbsolutePath().normalize()));
                if ("root".equals(System.getProperty("user.name"))) cmd.add("--allow-root");
                ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
                pb.environment().putAll(jupyterEnv(jup));
                pb.environment().remove("JUPYTER_DATA_DIR");   // the user's own data (other kernels, trust) stays visible
                System.out.println(Lang.t("Jupyter 只在本机 127.0.0.1:" + port + " 上监听，使用内核 " + GovindKernel.DISPLAY_NAME + "；按 Ctrl-C 停止",
                        "Jupyter listens on 127.0.0.1:" + port + " only, kernel " + GovindKernel.DISPLAY_NAME + "; Ctrl-C stops it"));
                return pb.start().waitFor() == 0 ? 0 : ExitCode.FAILED.code();
            } finally {
                deleteTree(jup);
            }
        }
    }

    /** govind notebook run: executes notebooks for a month headlessly (nbclient) and exports them. */
    @Command(name = "run", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Run implements Callable<Integer> {
        @ParentCommand NotebookCommand parent;
        @Mixin CommonOptions common;
        @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;
        @Parameters(arity = "0..*", descriptionKey = "notebookNames", paramLabel = "NAME") List<String> names = new ArrayList<>();
        @Option(names = "--all", descriptionKey = "notebookAll") boolean all;
        @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
        @Option(names = "--district", descriptionKey = "notebookDistrict", paramLabel = "CODE") String district;
        @Option(names = "--out", defaultValue = "./notebook-runs", descriptionKey = "notebookOut", paramLabel = "DIR") Path out;
        @Option(names = "--notebooks", descriptionKey = "notebookDir", paramLabel = "DIR") Path notebooks;
        @Option(names = "--timeout", defaultValue = "900", descriptionKey = "notebookTimeout", paramLabel = "SECONDS") int timeout;

        @Override
        public Integer call() throws Exception {
            UnaryOperator<String> env = parent.env();
            Path dir = (notebooks != null ? notebooks : home(env).resolve("notebooks")).toAbsolutePath().normalize();
            List<Path> chosen = choose(dir);
            Path runner = Files.isRegularFile(dir.resolve("run_notebook.py")) ? dir.resolve("run_notebook.py")
                    : home(env).resolve("notebooks").resolve("run_notebook.py");
            if (!Files.isRegularFile(runner)) throw new Refusal(ExitCode.FAILED, "missing " + runner);
            String python = python(env);
            Path outDir = out.resolve(period.toString()).toAbsolutePath().normalize();
            Files.createDirectories(outDir);
            Path jup = privateJupyter(outDir, launcher(env), kernelEnv(common.warehouse, rules, env));
            try {
                List<String> cmd = new ArrayList<>(List.of(python, runner.toString(), "--kernel", GovindKernel.NAME,
                        "--out", outDir.toString(), "--period", period.toString(), "--timeout", String.valueOf(timeout)));
                if (district != null) cmd.addAll(List.of("--district", district));
                for (Path p : chosen) cmd.add(p.toString());
                // the runner's and kernels' output, relayed line by line through this JVM's System.out (a test
                // runner's forked JVM may use its own stdout as a channel, so children never write to it directly)
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.INHERIT);
                pb.environment().putAll(jupyterEnv(jup));
                System.out.println(Lang.t("执行 " + chosen.size() + " 个笔记本（" + period + "）→ ", "running " + chosen.size()
                        + " notebook(s) for " + period + " → ") + outDir);
                Process p = pb.start();
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) System.out.println(line);
                }
                int rc = p.waitFor();
                if (rc != 0) {
                    throw new Refusal(ExitCode.FAILED, failure(outDir.resolve("run-summary.json"), rc));
                }
                return 0;
            } finally {
                deleteTree(jup);
            }
        }

        /** The failing notebooks and cells, from the runner's summary (one line). */
        static String failure(Path summary, int rc) throws IOException {
            if (!Files.isRegularFile(summary)) return Lang.t("笔记本执行器失败（退出码 " + rc + "）", "the notebook runner failed (exit " + rc + ")");
            List<String> parts = new ArrayList<>();
            for (Object o : new com.fasterxml.jackson.databind.ObjectMapper().readValue(Files.readString(summary, StandardCharsets.UTF_8), List.class)) {
                Map<?, ?> r = (Map<?, ?>) o;
                if ("ok".equals(r.get("status"))) continue;
                Map<?, ?> e = (Map<?, ?>) r.get("error");
                Object cell = e == null ? null : e.get("cell");
                String where = cell == null ? Lang.t("内核", "the kernel") : Lang.t("第 " + cell + " 个单元格（" + e.get("first_line") + "）",
                        "cell " + cell + " (" + e.get("first_line") + ")");
                parts.add(Lang.t("笔记本 " + r.get("notebook") + " 在" + where + "失败：", "notebook " + r.get("notebook") + " failed in " + where + ": ")
                        + (e == null ? "" : e.get("ename") + ": " + e.get("evalue")));
            }
            return String.join("; ", parts);
        }

        /** The notebooks named (NAME, NAME.ipynb or a unique prefix such as 01), or every one with --all. */
        List<Path> choose(Path dir) throws IOException {
            List<Path> available = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().forEach(available::add);
                }
            }
            List<String> shown = available.stream().map(p -> p.getFileName().toString()).toList();
            if (all == !names.isEmpty()) {
                throw new Refusal(ExitCode.USAGE, Lang.t("给出笔记本名称或 --all（二者选一）；可用：", "name notebooks or give --all (one of the two); available: ") + shown);
            }
            if (all) {
                if (available.isEmpty()) throw new Refusal(ExitCode.USAGE, Lang.t("没有笔记本：", "no notebooks in ") + dir);
                return available;
            }
            List<Path> out = new ArrayList<>();
            for (String n : names) {
                List<Path> hits = available.stream().filter(p -> {
                    String f = p.getFileName().toString();
                    return f.equals(n) || f.equals(n + ".ipynb") || f.startsWith(n);
                }).toList();
                if (hits.size() != 1) {
                    throw new Refusal(ExitCode.USAGE, Lang.t("笔记本 " + n + (hits.isEmpty() ? " 不存在" : " 不唯一") + "；可用：",
                            "notebook " + n + (hits.isEmpty() ? " not found" : " is ambiguous") + "; available: ") + shown);
                }
                out.add(hits.get(0));
            }
            return out;
        }
    }

    /** govind notebook kernel CONNECTION_FILE: the kernel process Jupyter starts (see kernel.json). */
    @Command(name = "kernel", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Kernel implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;
        @Parameters(index = "0", descriptionKey = "connectionFile", paramLabel = "CONNECTION_FILE") Path connectionFile;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            GovindKernel.run(connectionFile, () -> {
                NotebookSession s = session(common, rules);
                System.err.printf("govind kernel: warm session over %s in %.1f s%n", common.warehouse, (System.nanoTime() - t0) / 1e9);
                return s;
            });
            return 0;
        }
    }
}
