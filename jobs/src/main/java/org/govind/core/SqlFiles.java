package org.govind.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The SQL files under {@code jobs/src/main/resources/govind/sql/}: one per gold table (a chain of
 * named CTEs) plus the shared views. The files name their values {@code :period}, {@code :t_date},
 * … like Spark named parameters, but the job renders each as a typed SQL literal before running
 * the text: Spark 4.2's parameter binding does not reach into CTE bodies and temporary views
 * (it reports UNBOUND_SQL_PARAMETER), and the rendered text is what an analyst can paste into a
 * SQL client. The values are the job's own (dates, instants, numbers, the period string), quoted.
 * The only other substitution is {@code ${table}} in shared templates, with a table name chosen by the job.
 * A list value (e.g. {@code :entities}) is rendered as {@code array(...)} of its elements' literals.
 * Which values exist, and from where, is decided in one place: {@code org.govind.gold.SharedViews.params}.
 */
public final class SqlFiles {
    private static final Pattern PARAM = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");
    private static final Map<String, String> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private SqlFiles() {}

    /** The text of {@code govind/sql/<name>}. */
    public static String text(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            String res = "govind/sql/" + n;
            try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(res)) {
                if (in == null) throw new IllegalStateException("missing SQL resource " + res);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + res + ": " + e.getMessage(), e);
            }
        });
    }

    /** Runs a SELECT text, each {@code :name} it uses rendered from {@code params} as a typed literal. */
    public static Dataset<Row> query(SparkSession spark, String sqlText, Map<String, Object> params) {
        return spark.sql(bind(sqlText, params));
    }

    /** Creates or replaces the temporary view {@code name} as the SELECT text, parameters rendered as literals. */
    public static void view(SparkSession spark, String name, String sqlText, Map<String, Object> params) {
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + name + " AS\n" + bind(sqlText, params));
    }

    /** The text with comments removed and every {@code :name} replaced by the literal of its value. */
    public static String bind(String sqlText, Map<String, Object> params) {
        return bind(sqlText, params, SqlFiles::literal);
    }

    /** As {@link #bind(String, Map)} with another dialect's literals (the bench's DuckDB peer). */
    public static String bind(String sqlText, Map<String, Object> params, java.util.function.Function<Object, String> literal) {
        Matcher m = PARAM.matcher(withoutComments(sqlText));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String p = m.group(1);
            if (!params.containsKey(p)) throw new IllegalArgumentException("SQL parameter :" + p + " has no value");
            m.appendReplacement(b, Matcher.quoteReplacement(literal.apply(params.get(p))));
        }
        m.appendTail(b);
        return b.toString();
    }

    static String literal(Object v) {
        if (v == null) return "NULL";
        if (v instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        if (v instanceof java.time.LocalDate d) return "DATE'" + d + "'";
        if (v instanceof java.time.Instant i) return "TIMESTAMP'" + i + "'";
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d) return "CAST(" + d + " AS DOUBLE)";
        if (v instanceof java.util.List<?> l) {   // e.g. :entities → array('cases', 'visits', …)
            StringBuilder b = new StringBuilder("array(");
            for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append(literal(l.get(i)));
            return b.append(')').toString();
        }
        throw new IllegalArgumentException("no SQL literal for " + v.getClass());
    }

    /** Whether {@code govind/sql/<name>} exists. */
    public static boolean exists(String name) {
        return CACHE.containsKey(name) || SqlFiles.class.getClassLoader().getResource("govind/sql/" + name) != null;
    }

    /** Runs {@code govind/sql/<name>}. */
    public static Dataset<Row> run(SparkSession spark, String name, Map<String, Object> params) {
        return query(spark, text(name), params);
    }

    /** Runs {@code govind/sql/<name>} with its table names replaced by {@code refs} (see {@link #pin}). */
    public static Dataset<Row> run(SparkSession spark, String name, Map<String, Object> params, Map<String, String> refs) {
        return query(spark, pin(text(name), refs), params);
    }

    private static final Pattern TABLE = Pattern.compile("(?<![\\w.`])((?:bronze|silver|gold|ops)\\.[a-z_][a-z0-9_]*)(?![\\w.`])");

    /**
     * The text with each qualified table name that {@code refs} maps replaced by its reference, e.g.
     * {@code gold.case_indicators} → {@code delta.`/wh/gold/case_indicators` VERSION AS OF 12} (a run
     * reads exactly the versions it records) or the name of a temporary view (reproduce). A
     * qualified name missing from a non-empty refs is an error, so nothing is read unpinned.
     */
    public static String pin(String sqlText, Map<String, String> refs) {
        Matcher m = TABLE.matcher(withoutComments(sqlText));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String ref = refs.get(m.group(1));
            // fail closed: a table the caller did not pin would be read at its current version
            if (ref == null && !refs.isEmpty()) throw new IllegalStateException("SQL names " + m.group(1) + ", which is not pinned " + refs.keySet());
            m.appendReplacement(b, Matcher.quoteReplacement(ref != null ? ref : m.group(1)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The text without its {@code --} comments (line by line; the SQL files put no "--" inside strings). */
    public static String withoutComments(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n", -1)) {
            int c = line.indexOf("--");
            b.append(c >= 0 ? line.substring(0, c) : line).append('\n');
        }
        return b.toString();
    }
}
