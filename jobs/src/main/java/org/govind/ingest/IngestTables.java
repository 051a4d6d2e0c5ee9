package org.govind.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.govind.spark.Warehouse;
import org.govind.util.Actor;

/**
 * How every part of a batch reads and writes the warehouse: each commit is Delta's idempotent write
 * (app {@link IngestJob#APP_ID}, version = batch) carrying the batch in its userMetadata, and a table
 * is read as it stood before the batch, so a resumed batch computes what its first run computed.
 */
final class IngestTables {
    final SparkSession spark;
    final Warehouse wh;
    private final int parallelizeRows;
    /** The batch being resumed after a crash (tables may already hold some of its commits), or -1. */
    private long resumed = -1;

    IngestTables(SparkSession spark, Warehouse wh, int parallelizeRows) {
        this.spark = spark;
        this.wh = wh;
        this.parallelizeRows = parallelizeRows;
    }

    void resuming(long batch) { resumed = batch; }

    /** The commit metadata of batch {@code seq}: the batch, then who wrote it ({@link Actor}). */
    static String batchMeta(long seq) {
        return Actor.meta(IngestJob.APP_ID + " batch " + seq);
    }

    /** A DataFrame write as batch {@code seq}'s idempotent commit. */
    DataFrameWriter<Row> batchWrite(Dataset<Row> df, long seq) {
        return df.write().format("delta")
                .option("txnAppId", IngestJob.APP_ID).option("txnVersion", seq)
                .option("userMetadata", batchMeta(seq));
    }

    /** Runs a DML write (MERGE) as batch {@code seq}'s idempotent commit. */
    void idempotent(long seq, Runnable write) {
        var conf = spark.conf();
        conf.set("spark.databricks.delta.write.txnAppId", IngestJob.APP_ID);
        conf.set("spark.databricks.delta.write.txnVersion", String.valueOf(seq));
        String meta = conf.getOption(Actor.COMMIT_META).getOrElse(() -> null);
        conf.set(Actor.COMMIT_META, batchMeta(seq));
        try {
            write.run();
        } finally {
            conf.unset("spark.databricks.delta.write.txnAppId");
            conf.unset("spark.databricks.delta.write.txnVersion");
            if (meta == null) conf.unset(Actor.COMMIT_META); else conf.set(Actor.COMMIT_META, meta);
        }
    }

    /** A table as it stood before batch {@code seq} committed to it (the current table if it has not). */
    Dataset<Row> beforeBatch(String table, long seq) {
        if (seq != resumed) return wh.read(table); // a fresh batch has not committed anywhere yet
        String meta = IngestJob.APP_ID + " batch " + seq;
        List<Row> h = wh.delta(table).history()
                .where(col("userMetadata").equalTo(meta).or(col("userMetadata").startsWith(meta + " · ")))
                .select("version").collectAsList();
        if (h.isEmpty()) return wh.read(table);
        return spark.read().format("delta").option("versionAsOf", h.get(0).getLong(0) - 1).load(wh.path(table));
    }

    /**
     * A DataFrame over rows held by the driver. Small lists become a local relation; large ones are
     * parallelized so that the conversion to Spark's internal rows runs in tasks on every core
     * instead of single-threaded on the driver (measured with bench: bronze was the dominant step).
     */
    Dataset<Row> frame(List<Row> rows, StructType schema) {
        if (rows.size() < parallelizeRows) return spark.createDataFrame(rows, schema);
        // The RDD path encodes arrays from Scala Seq only (the local path also takes java.util.List).
        List<Row> scalaRows = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Object[] v = new Object[r.length()];
            for (int i = 0; i < v.length; i++) {
                Object x = r.get(i);
                v[i] = x instanceof List<?> l ? scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq() : x;
            }
            scalaRows.add(RowFactory.create(v));
        }
        int slices = Math.max(2, Math.min(64, rows.size() / 50_000));
        var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(scalaRows, slices), schema);
    }
}
