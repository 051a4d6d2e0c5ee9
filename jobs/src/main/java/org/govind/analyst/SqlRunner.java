package org.govind.analyst;

import java.util.Map;

/**
 * Runs one analyst statement, wherever it runs: in this JVM ({@link EmbeddedRunner}) or on a
 * {@code govind serve} Spark Connect server. The shell, the {@code sql} command and the notebook
 * kernel talk to this interface only, so they behave the same on both. Every implementation is
 * read-only (the warehouse's {@code ReadOnlyPolicy}); a refusal is a {@code Refusal} with exit 7.
 */
public interface SqlRunner extends AutoCloseable {

    /**
     * Runs one statement. {@code args} binds named parameter markers ({@code :period}); empty for
     * none. At most {@code limit} rows are returned (0 = all); {@link QueryResult#truncated()} says
     * whether more existed.
     */
    QueryResult run(String sql, Map<String, Object> args, int limit) throws Exception;

    /** Where statements run, for messages: "embedded" or the server's sc:// address (no token). */
    String where();

    @Override
    default void close() {}
}
