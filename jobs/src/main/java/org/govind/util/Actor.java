package org.govind.util;

/**
 * Who is writing, and with which govind command: set by the CLI around a writing command
 * ({@code --by NAME}, default the OS user), read by the jobs to record it in the ops tables and in
 * each Delta commit's user metadata, so {@code DESCRIBE HISTORY} shows which command and person
 * wrote every version. Per thread; outside the CLI (tests, library calls) it is the OS user and
 * the command {@code govind}.
 */
public final class Actor {
    private record Who(String command, String by) {}

    /** The Spark session setting Delta copies into each commit's userMetadata. */
    public static final String COMMIT_META = "spark.databricks.delta.commitInfo.userMetadata";

    private static final ThreadLocal<Who> CURRENT = new ThreadLocal<>();

    private Actor() {}

    /** Sets who runs this thread's command until {@link #end()}. */
    public static void begin(String command, String by) {
        if (by == null || by.isBlank()) throw new IllegalArgumentException("--by must not be empty");
        CURRENT.set(new Who(command, by.strip()));
    }

    public static void end() { CURRENT.remove(); }

    /** Whether a writing command runs on this thread. */
    public static boolean active() { return CURRENT.get() != null; }

    /** The person: --by, else the OS user. */
    public static String by() {
        Who w = CURRENT.get();
        return w != null ? w.by() : osUser();
    }

    /** The govind command being run, e.g. {@code govind publish}. */
    public static String command() {
        Who w = CURRENT.get();
        return w != null ? w.command() : "govind";
    }

    /** Commit user metadata: {@code <what> · <command> by <person>}. */
    public static String meta(String what) {
        return (what == null || what.isBlank() ? "" : what + " · ") + command() + " by " + by();
    }

    public static String osUser() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }
}
