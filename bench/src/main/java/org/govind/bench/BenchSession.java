package org.govind.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Sessions;

/**
 * The local session of a bench that runs govind in its own JVM: with the repo's {@code conf/spark-defaults.conf},
 * as every {@code bin/govind} command gets it, then {@code extra}. Without the conf the session builds every Delta
 * snapshot in 50 tasks: a warm compute of the demo's month took 43–50 s instead of 19 s, its ingest 250–290 s
 * instead of 100 s, and the bench would time a configuration no user runs.
 */
final class BenchSession {
    private BenchSession() {}

    static SparkSession create(String app, Map<String, String> extra) {
        return Sessions.create(app, "local[*]", settings(extra));
    }

    static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(new org.govind.cli.Settings().sparkDefaults());
        m.putAll(extra);
        return m;
    }
}
