package org.govind.cli;

import org.govind.core.Lang;

import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind lists: the red/black lists of one month from its company ratings. */
@Command(name = "lists", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class ListsCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;

    @Override
    public Integer call() {
        Rules r = Rules.load(rules);
        RateCommand.print(RatingJob.lists(common.session("lists"), common.warehouse, period, r), Lang.t("红黑榜", "lists"));
        return 0;
    }
}
