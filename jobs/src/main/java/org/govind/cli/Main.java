package org.govind.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** bin/govind: the command-line entry point. */
@Command(name = "govind", mixinStandardHelpOptions = true, version = "govind 0.1.0",
        resourceBundle = "govind.messages",
        subcommands = {GenerateCommand.class, IngestCommand.class, SqlCommand.class, TablesCommand.class,
                ComputeCommand.class, RateCommand.class, ListsCommand.class,
                PublishCommand.class, ObjectionCommand.class, ReproduceCommand.class, ExplainCommand.class, DemoCommand.class, SchemasCommand.class, BenchCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
        Settings settings;
        try {
            settings = new Settings();
        } catch (IllegalArgumentException e) {
            System.err.println("govind: " + e.getMessage());
            return 2;
        }
        Lang.init(args, settings);
        CommandLine cl = new CommandLine(new Main());
        cl.setDefaultValueProvider(settings);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof org.govind.util.Refusal r) {  // a command that refuses, with its reason and exit code
                cmd.getErr().println("govind: " + r.getMessage());
                return r.exitCode();
            }
            cmd.getErr().println("govind: " + Lang.t("失败", "failed") + ": "
                    + (ex instanceof org.govind.rules.RulesException ? ex.getMessage() : oneLine(ex)));  // every rules problem, one per line
            if (System.getenv("GOVIND_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && (root.getMessage() == null || root instanceof java.lang.reflect.InvocationTargetException)) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
