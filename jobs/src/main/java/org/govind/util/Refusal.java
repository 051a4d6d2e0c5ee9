package org.govind.util;

/**
 * A command that refuses to act, with the reason for the analyst (zh-CN or English, chosen by the
 * caller) and the exit code the CLI returns. Nothing was written when it is thrown.
 */
public final class Refusal extends RuntimeException {
    private final int exitCode;

    public Refusal(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
