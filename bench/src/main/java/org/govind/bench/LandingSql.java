package org.govind.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;

/**
 * The DuckDB load of one landing entity, generated from its landing yaml (the single source of the
 * columns, types, codes and labels): one {@code read_csv} per header layout with explicit VARCHAR
 * columns in the file's order, each cell converted as {@code org.govind.ingest.ValueParser} converts
 * it (trimmed, empty = null; an enum's code in any case or, where accepted, its Chinese label; the
 * boolean spellings true/是/1/t/y/yes; a timestamp with or without 'T' and offset, Asia/Shanghai when
 * it has none), plus the file's export date and its path {@code <district>/<date>/<file>}.
 * <p>Bad rows are not quarantined as govind does: a record DuckDB cannot split into the header's
 * fields is skipped ({@code ignore_errors}), a cell that does not convert becomes NULL ({@code TRY_CAST}).
 * So the peer also runs on exports with bad rows (for timing); it equals govind only on clean exports.
 */
final class LandingSql {
    private LandingSql() {}

    /** {@code CREATE TEMP TABLE landing_<entity> AS …} over the entity's sources (an empty typed table when none). */
    static String load(TableDef t, List<LandingScan.Source> sources) {
        Map<String, List<LandingScan.Source>> byLayout = new LinkedHashMap<>();
        for (LandingScan.Source s : sources) byLayout.computeIfAbsent(s.layout(), k -> new ArrayList<>()).add(s);
        StringBuilder b = new StringBuilder("CREATE OR REPLACE TEMP TABLE landing_" + t.name() + " AS\n");
        if (byLayout.isEmpty()) {
            b.append("SELECT ");
            for (ColumnDef c : t.columns()) b.append("CAST(NULL AS ").append(type(c)).append(") AS ").append(c.name()).append(", ");
            return b.append("CAST(NULL AS DATE) AS _export_date, CAST(NULL AS VARCHAR) AS _source_file WHERE false").toString();
        }
        int g = 0;
        for (List<LandingScan.Source> group : byLayout.values()) {
            if (g++ > 0) b.append("\nUNION ALL\n");
            b.append(select(t, group));
        }
        return b.toString();
    }

    private static String select(TableDef t, List<LandingScan.Source> group) {
        List<String> layout = group.get(0).columns();
        StringBuilder b = new StringBuilder("SELECT ");
        for (ColumnDef c : t.columns()) {
            int pos = layout.indexOf(c.name());
            String cell = pos < 0 ? "NULL" : "NULLIF(trim(c" + pos + "), '')";
            b.append(pos < 0 ? "CAST(NULL AS " + type(c) + ")" : convert(c, cell)).append(" AS ").append(c.name()).append(", ");
        }
        b.append("CAST(regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})[/\\\\][^/\\\\]+$', 1) AS DATE) AS _export_date, ");
        b.append("regexp_extract(filename, '([^/\\\\]+[/\\\\][^/\\\\]+[/\\\\][^/\\\\]+)$', 1) AS _source_file\nFROM read_csv([");
        for (int i = 0; i < group.size(); i++) {
            b.append(i > 0 ? ", " : "").append(quote(group.get(i).utf8().toString()));
        }
        b.append("], columns = {");
        for (int i = 0; i < layout.size(); i++) b.append(i > 0 ? ", " : "").append("'c").append(i).append("': 'VARCHAR'");
        b.append("}, header = false, skip = 1, delim = ',', quote = '\"', escape = '\"', auto_detect = false, ignore_errors = true, filename = true)");
        return b.toString();
    }

    /** The DuckDB type of a landing column. */
    static String type(ColumnDef c) {
        return switch (c.type()) {
            case STRING, ENUM -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case BOOLEAN -> "BOOLEAN";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + c.precision() + ", " + c.scale() + ")";
            case LIST -> "VARCHAR[]";
            default -> throw new IllegalArgumentException("no landing conversion for " + c.type() + " (" + c.name() + ")");
        };
    }

    /** The expression converting a trimmed cell (null when empty) to the column's type. */
    static String convert(ColumnDef c, String cell) {
        return switch (c.type()) {
            case STRING -> cell;
            case ENUM -> {
                if (!c.labelsAccepted() || c.values().values().stream().allMatch(java.util.Objects::isNull)) yield "lower(" + cell + ")";
                StringBuilder b = new StringBuilder("CASE " + cell);
                for (Map.Entry<String, String> e : c.values().entrySet()) {
                    if (e.getValue() != null) b.append(" WHEN ").append(quote(e.getValue())).append(" THEN ").append(quote(e.getKey()));
                }
                yield b.append(" ELSE lower(").append(cell).append(") END").toString();
            }
            case TIMESTAMP -> "TRY_CAST(" + cell + " AS TIMESTAMPTZ)";
            case BOOLEAN -> "CASE lower(" + cell + ") WHEN 'true' THEN true WHEN '是' THEN true WHEN '1' THEN true WHEN 't' THEN true"
                    + " WHEN 'y' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN '否' THEN false WHEN '0' THEN false"
                    + " WHEN 'f' THEN false WHEN 'n' THEN false WHEN 'no' THEN false END";
            case LIST -> "list_filter(list_transform(string_split(" + cell + ", ';'), lambda x: trim(x)), lambda x: x <> '')";
            default -> "TRY_CAST(" + cell + " AS " + type(c) + ")";
        };
    }

    /** A DuckDB string literal. */
    static String quote(String s) { return "'" + s.replace("'", "''") + "'"; }
}
