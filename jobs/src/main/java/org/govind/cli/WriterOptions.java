package org.govind.cli;

import org.govind.core.ExitCode;
import picocli.CommandLine.Option;

/**
 * Options of every command that writes to the warehouse. {@link Main} takes the warehouse's writer
 * lock ({@link org.govind.spark.WarehouseLock}) around such a command: a second writer waits, naming
 * the holder, or with {@code --no-wait} exits with {@link #ExitCode.LOCKED.code()}.
 */
public final class WriterOptions {

    @Option(names = "--no-wait", descriptionKey = "noWait")
    public boolean noWait;

    /** Who performs the write; recorded in the ops tables and every commit's user metadata. Command line only. */
    @Option(names = "--by", descriptionKey = "by", paramLabel = "NAME")
    public String by;

    /** --by, else the OS user. */
    public String person() {
        return by == null || by.isBlank() ? org.govind.util.Actor.osUser() : by.strip();
    }
}
