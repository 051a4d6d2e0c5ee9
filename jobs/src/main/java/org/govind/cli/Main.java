package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** bin/govind: the command-line entry point. */
@Command(name = "govind", mixinStandardHelpOptions = true, version = "govind 0.1.0",
        resourceBundle = "govind.messages",
        subcommands = {GenerateCommand.class, IngestCommand.class, NightlyCommand.class, SqlCommand.class, ServeCommand.class, TablesCommand.class,
                ComputeCommand.class, RateCommand.class, ListsCommand.class,
                PublishCommand.class, ObjectionCommand.class, ReproduceCommand.class, AuditCommand.class, ExplainCommand.class, DemoCommand.class, SchemasCommand.class, BenchCommand.class, AdminCommand.class, AirflowCommand.class, NotebookCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The environment the command line runs in: the process's, or a test's own (tests cannot set variables). */
    final UnaryOperator<String> env;

    Main(UnaryOperator<String> env) { this.env = env; }

    Main() { this(System::getenv); }

    @CommandLine.Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en", scope = CommandLine.ScopeType.LOCAL)
    String lang;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code (used by tests, too). */
    public static int execute(String... args) {
        return execute(System::getenv, args);
    }

    /**
     * Runs a command line in the given environment (where {@code GOVIND_*} settings and
     * {@code GOVIND_PII_KEY} are looked up) and returns the exit code.
     */
    public static int execute(UnaryOperator<String> env, String... args) {
        Settings settings;
        try {
            settings = new Settings(env.apply("GOVIND_CONF"), env);
        } catch (IllegalArgumentException e) {
            System.err.println("govind: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        Lang.init(args, () -> settings.get("lang", "GOVIND_LANG", "zh"));
        CommandLine cl = new CommandLine(new Main(env));
        cl.setDefaultValueProvider(settings);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cl.setExecutionStrategy(Main::executeLocked);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof org.govind.util.Refusal r) {  // a command that refuses, with its reason and exit code
                cmd.getErr().println("govind: " + r.getMessage());
                return r.exitCode();
            }
            if (ex instanceof org.govind.spark.WarehouseLock.Held h) {
                cmd.getErr().println("govind: " + Lang.t("仓库正由另一写入者使用：", "another writer holds the warehouse: ")
                        + (h.holder() == null ? "?" : h.holder().describe()) + Lang.t("（--no-wait：不等待）", " (--no-wait: not waiting)"));
                return ExitCode.LOCKED.code();
            }
            if (concurrentDeltaChange(ex)) {
                cmd.getErr().println("govind: " + Lang.t("另一进程同时修改了同一张表，本次写入未生效，请重新运行：",
                        "another process changed a table this command was writing; this write did not take effect, run it again: ") + oneLine(ex));
                return ExitCode.CONFLICT.code();
            }
            cmd.getErr().println("govind: " + Lang.t("失败", "failed") + ": "
                    + (ex instanceof org.govind.rules.RulesException ? ex.getMessage() : oneLine(ex)));  // every rules problem, one per line
            if (oneLine(ex).contains("stopped SparkContext") && System.getenv(org.govind.spark.Sessions.SECRET_FILE_ENV) == null) {
                // a standalone master that requires authentication drops an application without the secret after ~60 s
                cmd.getErr().println("govind: " + Lang.t("Spark 会话已被停止；若集群要求认证（govind cluster start 启动的集群都要求），请设置 ",
                        "the Spark session was stopped; if the cluster requires authentication (every govind cluster start does), set ")
                        + org.govind.spark.Sessions.SECRET_FILE_ENV + Lang.t("=<集群目录>/secret", "=<cluster dir>/secret"));
            }
            if (System.getenv("GOVIND_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return ExitCode.FAILED.code();
        });
        try {
            return cl.execute(args);
        } finally {
            org.govind.spark.Profile.finish(System.err);   // --profile / GOVIND_TIMING=1: where the seconds went
        }
    }

    /**
     * Runs the parsed command; a command with {@link WriterOptions} (it writes to the warehouse) runs
     * holding the warehouse's writer lock, taken after parsing and released when it returns or fails.
     */
    static int executeLocked(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) leaf = leaf.subcommand();
        WriterOptions writer = null;
        CommonOptions common = null;
        for (CommandLine.Model.CommandSpec m : leaf.commandSpec().mixins().values()) {
            if (m.userObject() instanceof WriterOptions w) writer = w;
            if (m.userObject() instanceof CommonOptions c) common = c;
        }
        if (writer == null || common == null) return new CommandLine.RunLast().execute(parsed);
        String command = leaf.commandSpec().qualifiedName(" ");
        org.govind.spark.WarehouseLock lock;
        try {
            lock = org.govind.spark.WarehouseLock.acquire(common.warehouse, command, writer.person(), !writer.noWait,
                    org.govind.spark.WarehouseLock.STALE_AFTER, System.err::println);
        } catch (RuntimeException e) {
            throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
        }
        org.govind.util.Actor.begin(command, writer.person());
        try (lock) {
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            org.govind.util.Actor.end();
            // the session outlives the command in one JVM (tests, a server): its commits are not the next one's
            org.apache.spark.sql.SparkSession.getDefaultSession().foreach(s -> {
                s.conf().unset(org.govind.util.Actor.COMMIT_META);
                return null;
            });
        }
    }

    /** Delta's optimistic concurrency control refused a commit (another writer got there first). */
    static boolean concurrentDeltaChange(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException
                    || t.getClass().getName().startsWith("io.delta.exceptions.Concurrent")) return true;
        }
        return false;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && (root.getMessage() == null || root instanceof java.lang.reflect.InvocationTargetException)) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
