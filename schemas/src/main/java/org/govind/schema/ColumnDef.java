package org.govind.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One column of a table definition.
 *
 * @param values enum/list codes in order, each with its Chinese label (null when the contract gives none)
 * @param labelsAccepted whether a landing cell may carry the Chinese label instead of the code
 */
public record ColumnDef(String name, ColumnType type, int precision, int scale, String alias,
                        boolean required, Pii pii, Pattern pattern, Long min, String minReason,
                        Map<String, String> values, boolean labelsAccepted, String doc) {

    public ColumnDef {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The code for a landing cell that carries a code or (where accepted) its label; null if neither. */
    public String enumCode(String cell) {
        if (values.containsKey(cell)) return cell;
        String lower = cell.toLowerCase(Locale.ROOT);
        if (values.containsKey(lower)) return lower;
        if (labelsAccepted) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (cell.equals(e.getValue())) return e.getKey();
            }
        }
        return null;
    }

    public String typeName() {
        if (type == ColumnType.REASONS) return "array<struct<code string, value double, threshold double>>";
        return type == ColumnType.DECIMAL ? "decimal(" + precision + "," + scale + ")"
                : type.name().toLowerCase(Locale.ROOT);
    }

    ColumnDef withRequired(boolean r) {
        return new ColumnDef(name, type, precision, scale, alias, r, pii, pattern, min, minReason,
                values, labelsAccepted, doc);
    }
}
