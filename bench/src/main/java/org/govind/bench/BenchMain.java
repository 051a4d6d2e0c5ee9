package org.govind.bench;

/**
 * Entry point of {@code bin/govind bench}: {@code bench sql ...} is the analyst-query bench (with
 * its DuckDB peer, which lives only in this module), {@code bench recompute ...} times the DuckDB full
 * recompute peer ({@link DuckRecompute}); every other {@code bench} form is govind's own.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("bench") && args[1].equals("sql")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
            System.exit(new picocli.CommandLine(new SqlBench()).execute(rest));
        }
        if (args.length >= 2 && args[0].equals("bench") && args[1].equals("recompute")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
            System.exit(new picocli.CommandLine(new RecomputeBench()).execute(rest));
        }
        org.govind.cli.Main.main(args);
    }
}
