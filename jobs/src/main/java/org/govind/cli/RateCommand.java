package org.govind.cli;

import org.govind.core.Lang;

import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.Callable;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind rate: compound stars and property-company ratings for one month. */
@Command(name = "rate", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class RateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin WriterOptions writer;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
    @Option(names = "--rules", descriptionKey = "rules", paramLabel = "FILE") String rules;

    @Override
    public Integer call() {
        Rules r = Rules.load(rules);
        RatingJob.RunResult res = RatingJob.rate(common.session("rate"), common.warehouse, period, r);
        print(res, Lang.t("评星定级", "rated"));
        return 0;
    }

    static void print(RatingJob.RunResult res, String what) {
        long nanos = res.timer().nanos().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%s %s：%s；%s %.1f %s%n", res.period(), what, counts(res.counts()),
                Lang.t("用时", "took"), nanos / 1e9, Lang.t("秒", "s"));
        System.out.println(Lang.t("读取的表版本 ", "table versions read ") + res.inputs());
        for (String n : res.notes()) System.out.println("  " + n);
        if (org.govind.spark.Profile.active()) System.out.print(res.timer().summary());
    }

    static String counts(Map<String, Long> c) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : c.entrySet()) b.append(b.length() == 0 ? "" : "，").append(label(e.getKey())).append(' ').append(e.getValue());
        return b.toString();
    }

    static String label(String k) {
        return switch (k) {
            case "red" -> Lang.t("红榜", "red");
            case "black" -> Lang.t("黑榜", "black");
            case "not_rated" -> Lang.t("不参评", "not rated");
            default -> k.replace("compound", Lang.t("小区", "compounds")).replace("company -", Lang.t("企业 未评级", "companies not rated"))
                    .replace("company", Lang.t("企业", "companies"));
        };
    }
}
