package org.govind.schema;

/**
 * Logical column types of the table definitions; jobs map them to Spark types. {@code REASONS} is
 * the structured reasons of a list entry, {@code array<struct<code string, value double, threshold
 * double>>} (see {@link ListRules.Reason}).
 */
public enum ColumnType {
    STRING, ENUM, TIMESTAMP, DATE, BOOLEAN, INT, LONG, DOUBLE, DECIMAL, LIST, REASONS;

    static ColumnType parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("decimal")) return DECIMAL;
        return switch (s) {
            case "string" -> STRING;
            case "enum" -> ENUM;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "boolean" -> BOOLEAN;
            case "int" -> INT;
            case "long" -> LONG;
            case "double" -> DOUBLE;
            case "list" -> LIST;
            case "reasons" -> REASONS;
            default -> throw new SchemaException("unknown column type '" + spec + "'");
        };
    }
}
