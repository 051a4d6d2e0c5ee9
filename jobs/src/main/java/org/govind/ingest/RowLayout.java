package org.govind.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;

/**
 * Rows staged for a table by column name. A value is placed where the table's schema (from its yaml)
 * has that column, so a reordered yaml moves the value with its column instead of silently misplacing
 * it; a name the table lacks fails at once. Positions are looked up once per layout, not per row.
 */
final class RowLayout {
    private final StructType schema;
    private final Map<String, Integer> positions = new HashMap<>();

    RowLayout(StructType schema) {
        this.schema = schema;
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) positions.put(names[i], i);
    }

    static RowLayout of(TableDef t) { return new RowLayout(SparkSchemas.of(t)); }

    StructType schema() { return schema; }

    /** The position of a column. */
    int at(String column) {
        Integer i = positions.get(column);
        if (i == null) throw new IllegalStateException("staged row: no column '" + column + "' in " + schema.simpleString());
        return i;
    }

    /** The positions of a table's columns (e.g. the landing columns, in the order the parser delivers values). */
    int[] at(TableDef t) {
        List<ColumnDef> cs = t.columns();
        int[] out = new int[cs.size()];
        for (int i = 0; i < out.length; i++) out[i] = at(cs.get(i).name());
        return out;
    }

    /** A row under construction. */
    Values values() { return new Values(new Object[schema.size()]); }

    /** The values of one row; {@link #set} by name, {@link #put} by positions from {@link #at}. */
    final class Values {
        private final Object[] v;

        private Values(Object[] v) { this.v = v; }

        Values set(String column, Object value) {
            v[at(column)] = value;
            return this;
        }

        Values set(int position, Object value) {
            v[position] = value;
            return this;
        }

        /** values[i] goes to column positions[i]. */
        Values put(int[] positions, Object[] values) {
            for (int i = 0; i < positions.length; i++) v[positions[i]] = values[i];
            return this;
        }

        /** The row (holding these values: set nothing more once it is made). */
        Row row() { return RowFactory.create(v); }
    }
}
