package org.govind.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;

/**
 * The rows an SQL file gives, shaped as the table it writes: the table's columns in its schema's
 * order and types. Every job writes through this, so a file's column order never matters and a
 * column the file forgot fails before anything is written.
 */
public final class Conform {
    private Conform() {}

    /** Selects the table's columns in its order, cast to its types; a missing column is a bug in the SQL file. */
    public static Dataset<Row> to(Dataset<Row> df, TableDef t) {
        StructType schema = SparkSchemas.of(t);
        List<String> have = List.of(df.columns());
        List<Column> cols = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            if (!have.contains(c.name())) throw new IllegalStateException(t.qualifiedName() + ": the SQL gives no column '" + c.name() + "'");
            cols.add(col(c.name()).cast(schema.apply(c.name()).dataType()).as(c.name()));
        }
        return df.select(cols.toArray(new Column[0]));
    }
}
