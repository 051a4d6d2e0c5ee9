package org.govind.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Warehouse;

/**
 * Reads of the publication workflow's record, shared by {@code rating} (explain, the
 * already-final guard), {@code publish} (draft, final, bulletin, audit, reproduce) and the CLI, so
 * neither job package imports the other. The writes stay in {@code PublishJob}: only the workflow
 * appends to {@code ops.publications}, {@code ops.objections} and {@code ops.objection_decisions}.
 */
public final class Publications {
    private Publications() {}

    /** The month's latest publication of a status ("draft" or "final"), or null. */
    public static Row latest(Warehouse wh, YearMonth m, String status) {
        List<Row> rows = wh.read("ops.publications").where(col("period").equalTo(m.toString()).and(col("status").equalTo(status)))
                .orderBy(col("created_at").desc(), col("publication_id").desc()).limit(1).collectAsList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A string column of a publication row, or null when the row comes from a table without that column (an older warehouse). */
    public static String text(Row r, String column) {
        for (String f : r.schema().fieldNames()) if (f.equals(column)) return r.getAs(column);
        return null;
    }

    /** A table's rows of month m as of a Delta version (what a publication recorded). */
    public static Dataset<Row> at(SparkSession spark, Warehouse wh, String table, long version, YearMonth m) {
        return spark.read().format("delta").option("versionAsOf", version).load(wh.path(table))
                .where(col("period").equalTo(m.toString()));
    }

    /** Every objection with its decision, if any: status = the decision's, else pending. */
    public static Dataset<Row> objections(Warehouse wh) {
        Dataset<Row> d = wh.read("ops.objection_decisions").drop("period");
        return wh.read("ops.objections").join(d, scala.jdk.javaapi.CollectionConverters.asScala(List.of("objection_id")).toSeq(), "left")
                .withColumn("status", org.apache.spark.sql.functions.coalesce(col("status"), lit("pending")));
    }

    /** The current Delta version of each table (what a run or a publication records it read). */
    public static Map<String, Long> currentVersions(Warehouse wh, List<String> tables) {
        Map<String, Long> v = new TreeMap<>();
        for (String t : tables) v.put(t, wh.version(t));
        return v;
    }
}
