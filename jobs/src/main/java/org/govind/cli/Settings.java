package org.govind.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * Option values with precedence CLI > environment > conf file > built-in default.
 * The conf file is $GOVIND_CONF, else ./conf/govind.conf when present (Java properties, UTF-8).
 * Spark settings come from conf/spark-defaults.conf (spark.* keys) and GOVIND_SPARK_CONF-style
 * overrides given on the CLI with --spark-conf key=value.
 *
 * <p>Two exceptions, so that a setting left in a shell profile or a conf file can never act unseen:
 * <ul>
 *   <li>{@link #GUARDS}, the options that weaken a guard, are taken from the command line only;</li>
 *   <li>{@code demo} takes its folders ({@link #DEMO_OWN}) from its own command line or its built-in
 *       defaults only, never from the production settings in the environment or conf file.</li>
 * </ul>
 */
public final class Settings implements CommandLine.IDefaultValueProvider {
    /**
     * Options that weaken a guard (skip a check, publish early, use the public demo key). Never from
     * the environment or the conf file, only from the command line of the run they weaken. Every new
     * option of that kind goes on this list.
     */
    public static final Set<String> GUARDS = Set.of("force", "allow-failed-checks", "demo-key");

    /**
     * The only options the environment or the conf file may supply: where things are and how they
     * look. Everything else (a month, a decision, --by, a guard) is said on the command line of the
     * run itself, so a stray GOVIND_PERIOD or a conf line cannot act for the operator.
     */
    public static final Set<String> FROM_SETTINGS = Set.of("warehouse", "landing", "out", "lang", "master", "rules",
            "issuer", "batch-nights", "max-file-mb", "max-record-kb", "max-fields");

    /** The demo's folders: its own defaults, so that it never writes into (or reads) production folders. */
    public static final Set<String> DEMO_OWN = Set.of("landing", "warehouse", "out");

    private final Properties conf = new Properties();
    private final Path confDir;
    private final UnaryOperator<String> env;

    public Settings() {
        this(System.getenv("GOVIND_CONF"), System::getenv);
    }

    /** For tests: an explicit conf file (must exist) and environment. */
    Settings(Path confFile, UnaryOperator<String> env) {
        this(confFile.toString(), env);
    }

    /** A conf file named explicitly (null: conf/govind.conf when present) and an environment. */
    Settings(String explicit, UnaryOperator<String> env) {
        this.env = env;
        Path file = explicit != null ? Path.of(explicit) : Path.of("conf", "govind.conf");
        this.confDir = file.toAbsolutePath().getParent();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                conf.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read conf file " + file + ": " + e.getMessage());
            }
        } else if (explicit != null) {
            throw new IllegalArgumentException("GOVIND_CONF names a missing file: " + explicit);
        }
    }

    /** env > conf > default for one key. */
    public String get(String confKey, String envName, String dflt) {
        String v = envName == null ? null : env.apply(envName);
        if (v != null && !v.isBlank()) return v;
        v = conf.getProperty(confKey);
        if (v != null && !v.isBlank()) return v.trim();
        return dflt;
    }

    /** spark.* settings from conf/spark-defaults.conf next to the conf file. */
    public Map<String, String> sparkDefaults() {
        Map<String, String> out = new LinkedHashMap<>();
        Path f = confDir == null ? null : confDir.resolve("spark-defaults.conf");
        if (f != null && Files.isRegularFile(f)) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) continue;
                    String[] kv = l.split("\\s+", 2);
                    if (kv.length == 2 && kv[0].startsWith("spark.")) out.put(kv[0], kv[1].strip());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
            }
        }
        for (String k : conf.stringPropertyNames()) if (k.startsWith("spark.")) out.put(k, conf.getProperty(k).trim());
        return out;
    }

    /**
     * picocli asks here when an option is not on the command line: env, then conf file, then
     * annotation default; guards and the demo's folders get the annotation default only.
     */
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec opt)) return arg.defaultValue();
        String name = opt.longestName().replaceFirst("^--", "");
        if (GUARDS.contains(name) || !FROM_SETTINGS.contains(name)) return opt.defaultValue();
        if (DEMO_OWN.contains(name) && opt.command() != null && "demo".equals(opt.command().name())) return opt.defaultValue();
        // GOVIND_OUT is the bulletins' folder: notebook runs keep their own default (./notebook-runs)
        if (name.equals("out") && opt.command() != null && opt.command().parent() != null
                && "notebook".equals(opt.command().parent().name())) return opt.defaultValue();
        String env = "GOVIND_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return get(name, env, opt.defaultValue());
    }
}
