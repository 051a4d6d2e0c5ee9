package org.govind.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * Versioned entities (cases): one row per key, the newest {@code version_column} wins; ties keep the
 * version delivered first, and a re-export with an older version never replaces a newer one.
 */
final class VersionedWriter implements TableWriter {
    private final IngestTables t;

    VersionedWriter(IngestTables t) { this.t = t; }

    @Override
    public void write(String entity, Batch b, long seq) {
        TableDef landing = Schemas.get().landing(entity);
        String version = landing.versionColumn();
        if (version == null) throw new IllegalStateException("landing/" + entity + ".yaml: kind versioned needs version_column");
        BronzeRows rows = new BronzeRows(entity);
        Dataset<Row> batchDf = t.frame(rows.rows(b.files(entity)), rows.schema());
        Column[] key = landing.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> newest = batchDf.withColumn("_rn", functions.row_number().over(
                        Window.partitionBy(key).orderBy(col(version).desc(), col("_export_date"), col("_source_file"), col("_line"))))
                .where(col("_rn").equalTo(1)).drop("_rn");
        String on = landing.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        t.idempotent(seq, () -> t.wh.delta("silver." + entity).as("t")
                .merge(newest.as("s"), on)
                .whenMatched("s." + version + " > t." + version).updateAll()
                .whenNotMatched().insertAll()
                .execute());
    }
}
