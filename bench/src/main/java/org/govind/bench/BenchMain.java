package org.govind.bench;

/**
 * Entry point of {@code bin/govind bench}: {@code bench sql ...} (the analyst-query bench),
 * {@code bench recompute ...} (times the DuckDB full recompute peer, {@link DuckRecompute}) and
 * {@code bench nightly ...} (the nightly run against that peer) and {@code bench compute ...} (a warm
 * compute of a small month against it) use DuckDB, which lives only in this
 * module; every other {@code bench} form is govind's own.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("bench")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
            java.util.concurrent.Callable<Integer> own = switch (args[1]) {
                case "sql" -> new SqlBench();
                case "recompute" -> new RecomputeBench();
                case "nightly" -> new NightlyBench();
                case "compute" -> new WarmComputeBench();
                default -> null;
            };
            if (own != null) System.exit(new picocli.CommandLine(own).execute(rest));
        }
        org.govind.cli.Main.main(args);
    }
}
