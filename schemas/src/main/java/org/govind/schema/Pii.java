package org.govind.schema;

/** Personal-data class of a column: what ingestion does to it before anything is stored. */
public enum Pii {
    /** not personal data */
    NONE,
    /** a person's name: surname (two characters for a compound surname such as 欧阳) and last character kept, '*' between (张*明, 欧阳*明; a two-character name: 张*) */
    MASK_NAME,
    /** a phone number: a mobile keeps the first 3 and last 4 digits of the national number (138****5678), a landline its area code and last 2 digits (0531-******66) */
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
