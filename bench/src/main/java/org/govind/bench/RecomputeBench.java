package org.govind.bench;

import java.nio.file.Path;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench recompute --landing DIR --period YYYY-MM}: times the DuckDB full recompute peer
 * ({@link DuckRecompute}) of one month from a landing folder, and prints the phases and row counts.
 */
@Command(name = "recompute", mixinStandardHelpOptions = true,
        description = "DuckDB full recompute of one month's case, coverage and leaderboard indicators from the landing CSVs")
public final class RecomputeBench implements Callable<Integer> {
    @Option(names = "--landing", required = true, description = "landing folder <district>/<YYYY-MM-DD>/*.csv") Path landing;
    @Option(names = "--period", required = true, description = "the month, YYYY-MM") YearMonth period;
    @Option(names = "--rules", description = "rules file (default: govind's lookup, ./conf/rules.yaml or the packaged copy)") Path rules;
    @Option(names = "--runs", defaultValue = "1", description = "runs, each in a fresh DuckDB session (all printed)") int runs;

    @Override
    public Integer call() throws Exception {
        for (int i = 0; i < runs; i++) System.out.println(DuckRecompute.run(landing, period, rules).summary());
        return 0;
    }
}
