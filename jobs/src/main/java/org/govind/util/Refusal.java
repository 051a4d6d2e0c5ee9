package org.govind.util;

import org.govind.core.ExitCode;

/**
 * A command that refuses to act, with the reason for the analyst (zh-CN or English, chosen by the
 * caller) and the exit code the CLI returns. Nothing was written when it is thrown.
 */
public final class Refusal extends RuntimeException {
    private final ExitCode code;

    public Refusal(ExitCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The process exit status. */
    public int exitCode() { return code.code(); }

    public ExitCode code() { return code; }
}
