package org.govind.analyst.notebook;

/**
 * A cell that cannot run: a refusal of the read-only policy, a syntax error, an unknown table, a
 * misused magic. The message is one line that says what and why; the kernel shows it as the cell's
 * error (no stack trace: an analyst cannot act on one).
 */
public final class CellError extends RuntimeException {
    public CellError(String message) {
        super(message.replaceAll("\\s+", " ").trim());
    }
}
