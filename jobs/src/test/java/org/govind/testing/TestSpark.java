package org.govind.testing;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Sessions;

/**
 * The one SparkSession of a test JVM: local[2], UI off, 2 shuffle partitions, Asia/Shanghai
 * session time zone (the JVM itself runs in UTC, see surefire argLine), and uncompressed Parquet
 * so tests can scan warehouse files as bytes.
 *
 * <p>Projections, predicates and orderings run interpreted ({@code spark.sql.codegen.factoryMode=NO_CODEGEN};
 * whole-stage code generation stays on): on the tests' tiny tables, generating and compiling Java code for
 * every new plan cost more than running it, above all for Delta's wide log schema (measured: ingesting the
 * crash fixture took about 40% less CPU, results identical). Interpreted and generated code compute the
 * same results; to run the tests with the production setting, pass {@code -Dgovind.test.codegen=true}.
 */
public final class TestSpark {
    private static SparkSession spark;
    private TestSpark() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            Map<String, String> conf = new java.util.HashMap<>(Map.of(
                    "spark.sql.shuffle.partitions", "2",
                    "spark.default.parallelism", "2",
                    "spark.ui.enabled", "false",
                    "spark.sql.parquet.compression.codec", "uncompressed",
                    "spark.databricks.delta.snapshotPartitions", "1",
                    "spark.sql.adaptive.enabled", "false"));
            if (!Boolean.getBoolean("govind.test.codegen")) conf.put("spark.sql.codegen.factoryMode", "NO_CODEGEN");
            spark = Sessions.create("govind-tests", "local[2]", conf);
        }
        return spark;
    }
}
