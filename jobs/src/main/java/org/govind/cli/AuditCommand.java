package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.govind.publish.Audit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind audit: re-checks a month's publication trail (reads only) and names every inconsistency. */
@Command(name = "audit", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class AuditCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;

    @Override
    public Integer call() {
        Audit.Report r = Audit.run(common.session("audit"), common.warehouse, period);
        System.out.println(Lang.t("已核对：", "checked: ") + String.join(Lang.t("；", "; "), r.checked()));
        for (String p : r.problems()) System.out.println("  ✗ " + p);
        System.out.println(r.problems().isEmpty() ? Lang.t("结论：" + period + " 的发布记录前后一致", "result: the trail of " + period + " is consistent")
                : Lang.t("结论：发现 " + r.problems().size() + " 处不一致", "result: " + r.problems().size() + " inconsistencies"));
        return r.problems().isEmpty() ? 0 : ExitCode.AUDIT_INCONSISTENT.code();
    }
}
