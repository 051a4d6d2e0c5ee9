package org.govind.airflow;

/**
 * Something Airflow (or the way to it) refused, in words a person can act on. The message exists in
 * both languages because this module sits below the CLI's language switch: the CLI picks
 * {@link #zh()} or {@link #en()} and maps the {@link Kind} to one of its exit codes.
 */
public final class AirflowException extends RuntimeException {
    /** What went wrong, coarse enough for a scheduler or a shell script to branch on. */
    public enum Kind {
        /** The user name or password was refused, or the user may not do this (401/403). */
        AUTH,
        /** The DAG or the run does not exist (404). */
        NOT_FOUND,
        /** The run id, the logical date or a running backfill already exists (409). */
        CONFLICT,
        /** The server did not answer, or kept answering "unavailable", after the bounded retries. */
        UNREACHABLE,
        /** The server refused the request for another reason (400, 422, 500, …); the message says which. */
        REJECTED,
        /** {@code wait}: the run finished in state failed. */
        RUN_FAILED,
        /** {@code wait}: the run had not finished when the time ran out. */
        TIMEOUT
    }

    private final Kind kind;
    private final String zh;
    private final int status;

    public AirflowException(Kind kind, String zh, String en, int status) {
        super(en);
        this.kind = kind;
        this.zh = zh;
        this.status = status;
    }

    public AirflowException(Kind kind, String zh, String en) { this(kind, zh, en, 0); }

    public Kind kind() { return kind; }

    public String zh() { return zh; }

    public String en() { return getMessage(); }

    /** The HTTP status that caused it, 0 when there was none. */
    public int status() { return status; }
}
