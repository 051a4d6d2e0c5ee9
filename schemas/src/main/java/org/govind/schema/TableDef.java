package org.govind.schema;

import java.util.List;
import java.util.Optional;

/**
 * A table definition with its columns resolved (base columns of {@code from} plus extra columns).
 *
 * @param id     file id, e.g. "landing/cases" or "silver/members"
 * @param kind   versioned | immutable | snapshot | table | fragment
 */
public record TableDef(String id, String name, String layer, String title, String kind,
                       List<String> key, String versionColumn, List<String> partitionBy,
                       List<ColumnDef> columns, List<CheckDef> checks, String from, String comment) {

    /** Qualified Delta table name, e.g. silver.cases (landing tables have none). */
    public String qualifiedName() { return layer + "." + name; }

    public Optional<ColumnDef> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public ColumnDef require(String columnName) {
        return column(columnName).orElseThrow(() ->
                new SchemaException(id + ": no column '" + columnName + "'"));
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(columnName)) return i;
        return -1;
    }

    public boolean isFragment() { return "fragment".equals(kind); }
    public boolean isSnapshot() { return "snapshot".equals(kind); }
}
