package org.govind.testing;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Sessions;

/**
 * The one SparkSession of a test JVM: local[2], UI off, 2 shuffle partitions, Asia/Shanghai
 * session time zone (the JVM itself runs in UTC, see surefire argLine), and uncompressed Parquet
 * so tests can scan warehouse files as bytes.
 */
public final class TestSpark {
    private static SparkSession spark;
    private TestSpark() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = Sessions.create("govind-tests", "local[2]", Map.of(
                    "spark.sql.shuffle.partitions", "2",
                    "spark.default.parallelism", "2",
                    "spark.ui.enabled", "false",
                    "spark.sql.parquet.compression.codec", "uncompressed",
                    "spark.databricks.delta.snapshotPartitions", "1",
                    "spark.sql.adaptive.enabled", "false"));
        }
        return spark;
    }
}
