package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.govind.publish.Reproduce;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind reproduce: recompute a published month from its recorded versions and compare. */
@Command(name = "reproduce", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class ReproduceCommand implements Callable<Integer> {

    @Mixin CommonOptions common;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;

    @Override
    public Integer call() {
        Reproduce.Report r = Reproduce.run(common.session("reproduce"), common.warehouse, period);
        System.out.println(Lang.t("复现 ", "reproducing ") + r.publicationId() + Lang.t("（规则文件 sha256 ", " (rules sha256 ") + r.rulesSha256().substring(0, 12) + "…)");
        for (Reproduce.TableCheck c : r.tables()) {
            System.out.printf("  %-28s %s%n", c.table(), c.equal()
                    ? Lang.t("一致，" + c.published() + " 行逐行相同", "equal, " + c.published() + " rows identical")
                    : Lang.t("不一致：已发布 " + c.published() + " 行，重算 " + c.recomputed() + " 行，差异 " + c.differing() + " 行",
                    "differs: published " + c.published() + " rows, recomputed " + c.recomputed() + ", " + c.differing() + " rows differ"));
            for (String e : c.examples()) System.out.println("      " + e);
        }
        System.out.println(r.equal() ? Lang.t("结论：与发布结果完全一致", "result: identical to the publication")
                : Lang.t("结论：与发布结果不一致", "result: differs from the publication"));
        return r.equal() ? 0 : ExitCode.REPRODUCE_DIFFERS.code();
    }
}
