package org.govind.analyst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.core.ExitCode;
import org.govind.util.Refusal;

/**
 * Statements run on a {@code govind serve} Spark Connect server through Spark's JVM Connect client
 * (the copy inside the spark-connect jar, shaded like the server, so it lives beside classic Spark in
 * one JVM). The token goes as the {@code x-govind-token} URL parameter, which the client sends as
 * gRPC metadata over a plaintext loopback channel ({@code ;token=} would make it insist on TLS for any
 * host but "localhost"). A refusal by the server's read-only policy becomes a {@link Refusal} with
 * exit 7, as in the embedded runner. Named parameter markers ({@code :period}) are sent as Connect
 * named arguments.
 */
public final class RemoteRunner implements SqlRunner {
    private final String url;
    private final SparkSession session;

    /** @param url sc://host:port, without parameters */
    public RemoteRunner(String url, String token, String user) {
        this.url = url;
        String conn = url + "/;x-govind-token=" + token + (user == null ? "" : ";user_id=" + user);
        this.session = keepingClassic(() -> org.apache.spark.sql.connect.SparkSession.builder().remote(conn).create());
    }

    /**
     * Runs f and puts back this thread's active and the JVM's default SparkSession: a Connect session makes
     * itself both when created, and classic code in the same JVM (Delta's {@code SparkSession.active}, the
     * notebook kernel's or a test's classic session) must keep finding its own.
     */
    public static <T> T keepingClassic(java.util.function.Supplier<T> f) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession(), dflt = SparkSession.getDefaultSession();
        try {
            return f.get();
        } finally {
            if (active.isDefined()) SparkSession.setActiveSession(active.get()); else SparkSession.clearActiveSession();
            if (dflt.isDefined()) SparkSession.setDefaultSession(dflt.get()); else SparkSession.clearDefaultSession();
        }
    }

    /** The Connect session (tests use the DataFrame API through it). */
    public SparkSession session() { return session; }

    @Override
    public QueryResult run(String sql, Map<String, Object> args, int limit) throws Exception {
        try {
            return keepingClassic(() -> collect(session.sql(args.isEmpty() ? sql : bind(sql, args)), limit));
        } catch (Exception e) {
            throw translate(e);
        }
    }

    /**
     * Named parameter markers replaced by SQL literals of their values, client side. Spark Connect's own
     * named arguments do not reach a session with Delta's SQL parser in Spark 4.2 / Delta 4.4
     * (UNBOUND_SQL_PARAMETER), so the statement is sent bound. Markers are found with Spark's lexer (a
     * {@code :name} in a string or comment is left alone); strings are quoted and escaped, so a value
     * cannot end its literal; and the bound statement still meets the server's read-only policy.
     */
    public static String bind(String sql, Map<String, Object> args) {
        org.apache.spark.sql.catalyst.parser.SqlBaseLexer lexer =
                new org.apache.spark.sql.catalyst.parser.SqlBaseLexer(org.antlr.v4.runtime.CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        List<? extends org.antlr.v4.runtime.Token> tokens = lexer.getAllTokens();
        StringBuilder out = new StringBuilder();
        org.antlr.v4.runtime.CodePointCharStream text = org.antlr.v4.runtime.CharStreams.fromString(sql);
        int done = 0;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            org.antlr.v4.runtime.Token colon = tokens.get(i), name = tokens.get(i + 1);
            if (colon.getType() != org.apache.spark.sql.catalyst.parser.SqlBaseLexer.COLON
                    || name.getStartIndex() != colon.getStopIndex() + 1 || !name.getText().matches("[A-Za-z_][A-Za-z0-9_]*")
                    || !args.containsKey(name.getText())) continue;
            out.append(text.getText(org.antlr.v4.runtime.misc.Interval.of(done, colon.getStartIndex() - 1)));
            out.append(literal(args.get(name.getText())));
            done = name.getStopIndex() + 1;
            i++;
        }
        out.append(text.getText(org.antlr.v4.runtime.misc.Interval.of(done, text.size() - 1)));
        return out.toString();
    }

    static String literal(Object v) {
        if (v == null) return "NULL";
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return v.toString();
        if (v instanceof java.math.BigDecimal d) return "CAST('" + d.toPlainString() + "' AS DECIMAL(38," + Math.max(0, Math.min(38, d.scale())) + "))";
        if (v instanceof Double || v instanceof Float) return "CAST('" + v + "' AS DOUBLE)";
        if (v instanceof java.time.LocalDate || v instanceof java.sql.Date) return "DATE " + quote(v.toString());
        if (v instanceof java.time.Instant i) return "TIMESTAMP " + quote(i.toString());   // ISO with Z: an instant, whatever the zone
        if (v instanceof java.sql.Timestamp || v instanceof java.time.LocalDateTime) return "TIMESTAMP " + quote(v.toString().replace('T', ' '));
        if (v instanceof CharSequence) return quote(v.toString());
        throw new IllegalArgumentException("parameter of an unsupported type: " + v.getClass().getName());
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Like {@link EmbeddedRunner#collect}, with one round trip: the schema comes with the rows when there are any. */
    static QueryResult collect(Dataset<Row> df, int limit) {
        List<Row> rows = (limit > 0 ? df.limit(limit + 1) : df).collectAsList();
        StructType schema = rows.isEmpty() || rows.get(0).schema() == null ? df.schema() : rows.get(0).schema();
        if (schema.fields().length == 0) return QueryResult.empty();
        boolean truncated = limit > 0 && rows.size() > limit;
        if (truncated) rows = rows.subList(0, limit);
        List<String> columns = new ArrayList<>(), types = new ArrayList<>();
        for (StructField f : schema.fields()) {
            columns.add(f.name());
            types.add(f.dataType().simpleString());
        }
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<Object> vals = new ArrayList<>(r.length());
            for (int i = 0; i < r.length(); i++) vals.add(EmbeddedRunner.plain(r.get(i)));
            out.add(vals);
        }
        return new QueryResult(columns, types, out, truncated);
    }

    /** The server's policy refusals (its check rule, its RPC checks) as Refusal(7); other errors unchanged. */
    public static Exception translate(Exception e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 100_000; t = t.getCause() == t ? null : t.getCause()) all.append(t.getMessage()).append('\n');
        String m = all.toString();
        for (String marker : new String[] {"只允许对仓库表的只读查询，已拒绝：", "only read-only queries over the warehouse tables are allowed; refused: "}) {
            int at = m.indexOf(marker);
            if (at >= 0) return new Refusal(ExitCode.SQL_REFUSED, m.substring(at).split("\n")[0].trim());
        }
        return e;
    }

    @Override
    public String where() {
        return url;
    }

    @Override
    public void close() {
        // releasing the session is a courtesy to the server; should it be gone, the client would retry for
        // minutes: give it five seconds on a daemon thread
        Thread t = new Thread(() -> {
            try {
                session.close();
            } catch (Exception e) {
                // nothing to release
            }
        }, "govind-connect-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
