package org.govind.cli;

import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.govind.rating.Explain;
import org.govind.rules.Rules;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind explain: the arithmetic of a company's or compound's score, star and list entry. */
@Command(name = "explain", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class ExplainCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;

    static final class Which {
        @Option(names = "--company", descriptionKey = "company", paramLabel = "ID") String company;
        @Option(names = "--compound", descriptionKey = "compound", paramLabel = "ID") String compound;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    @Override
    public Integer call() {
        Rules r = Rules.load(rules);
        var spark = common.session("explain");
        List<String> lines = which.company != null ? Explain.company(spark, common.warehouse, period, which.company, r)
                : Explain.compound(spark, common.warehouse, period, which.compound, r);
        lines.forEach(System.out::println);
        return 0;
    }
}
