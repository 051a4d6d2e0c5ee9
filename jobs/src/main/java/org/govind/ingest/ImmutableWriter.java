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
 * Immutable entities (visits, points): insert the keys not yet loaded, each as first delivered.
 * Conflicting re-deliveries were moved to quarantine by {@link TableChecks}; identical ones match and are left.
 */
final class ImmutableWriter implements TableWriter {
    private final IngestTables t;

    ImmutableWriter(IngestTables t) { this.t = t; }

    @Override
    public void write(String entity, Batch b, long seq) {
        TableDef landing = Schemas.get().landing(entity);
        BronzeRows rows = new BronzeRows(entity);
        Dataset<Row> batchDf = t.frame(rows.rows(b.files(entity)), rows.schema());
        Column[] key = landing.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> firstRows = batchDf.withColumn("_rn", functions.row_number().over(
                        Window.partitionBy(key).orderBy(col("_export_date"), col("_source_file"), col("_line"))))
                .where(col("_rn").equalTo(1)).drop("_rn");
        String on = landing.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        t.idempotent(seq, () -> t.wh.delta("silver." + entity).as("t").merge(firstRows.as("s"), on).whenNotMatched().insertAll().execute());
    }
}
