package org.govind.analyst;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one statement, detached from Spark: column names, their Spark SQL types
 * ({@code DataType.simpleString()}), and the values as plain Java objects (String, Long, Double,
 * BigDecimal, java.sql.Date/Timestamp, Boolean, List for arrays, null).
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated) {

    /** A result with no columns (a statement that returns nothing). */
    public static QueryResult empty() {
        return new QueryResult(List.of(), List.of(), List.of(), false);
    }

    /** Every cell as text, NULL for null, newlines escaped (for terminals). */
    public List<List<String>> text() {
        List<List<String>> out = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            List<String> t = new ArrayList<>(r.size());
            for (Object v : r) t.add(v == null ? "NULL" : String.valueOf(v).replace("\n", "\\n"));
            out.add(t);
        }
        return out;
    }
}
