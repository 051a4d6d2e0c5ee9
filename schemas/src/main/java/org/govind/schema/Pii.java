package org.govind.schema;

/** Personal-data class of a column: what ingestion does to it before anything is stored. */
public enum Pii {
    /** not personal data */
    NONE,
    /** a person's name: first and last character kept, '*' between (two characters: first + '*') */
    MASK_NAME,
    /** a phone number: first 3 and last 4 digits kept */
    MASK_PHONE,
    /** an id number or person/household id: HMAC-SHA-256 with the key from GOVIND_PII_KEY, hex */
    HASH;

    static Pii parse(String s) {
        if (s == null) return NONE;
        return switch (s) {
            case "none" -> NONE;
            case "mask_name" -> MASK_NAME;
            case "mask_phone" -> MASK_PHONE;
            case "hash" -> HASH;
            default -> throw new SchemaException("unknown pii class '" + s + "'");
        };
    }

    public String code() { return name().toLowerCase(java.util.Locale.ROOT); }
}
