package org.govind.analyst;

import java.util.Map;
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
        this.session = org.apache.spark.sql.connect.SparkSession.builder().remote(conn).create();
    }

    /** The Connect session (tests use the DataFrame API through it). */
    public SparkSession session() { return session; }

    @Override
    public QueryResult run(String sql, Map<String, Object> args, int limit) throws Exception {
        try {
            Dataset<Row> df = args.isEmpty() ? session.sql(sql) : session.sql(sql, args);
            return EmbeddedRunner.collect(df, limit);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The server's policy refusals (its check rule, its RPC checks) as Refusal(7); other errors unchanged. */
    public static RuntimeException translate(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        for (String marker : new String[] {"只允许对仓库表的只读查询，已拒绝：", "only read-only queries over the warehouse tables are allowed; refused: "}) {
            int at = m.indexOf(marker);
            if (at >= 0) return new Refusal(ExitCode.SQL_REFUSED, m.substring(at).replaceAll("\\s+", " ").trim());
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
