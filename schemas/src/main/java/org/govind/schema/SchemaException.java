package org.govind.schema;

/** A table definition that cannot be loaded; the message names the file and key. */
public class SchemaException extends RuntimeException {
    public SchemaException(String message) { super(message); }
}
