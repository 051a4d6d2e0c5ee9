package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.govind.spark.Warehouse;
import org.govind.util.Refusal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * govind admin: the operator's maintenance that writes to the warehouse. Analyst SQL is read-only
 * ({@code govind sql}), so each such write is an explicit command whose commits say who made them.
 */
@Command(name = "admin", resourceBundle = "govind.messages", mixinStandardHelpOptions = true,
        subcommands = {AdminCommand.Retention.class})
public final class AdminCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    static final class Which {
        @Option(names = "--table", required = true, descriptionKey = "adminTable", paramLabel = "LAYER.TABLE") String table;
        @Option(names = "--all", required = true, descriptionKey = "adminAll") boolean all;
    }

    /** govind admin retention: how long tables keep their Delta history (time travel for reproduce). */
    @Command(name = "retention", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Retention implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin WriterOptions writer;
        @ArgGroup(exclusive = true, multiplicity = "1") Which which;
        @Option(names = "--days", defaultValue = "3650", descriptionKey = "retentionDays", paramLabel = "N") int days;

        @Override
        public Integer call() {
            if (days < 1) throw new Refusal(ExitCode.USAGE, Lang.t("--days 必须是正整数", "--days must be a positive number") + ": " + days);
            Warehouse wh = Warehouse.open(common.session("admin"), common.warehouse);
            List<String> tables = wh.tables();
            List<String> targets = which.all ? tables : List.of(which.table.toLowerCase(Locale.ROOT));
            for (String t : targets) {
                if (!tables.contains(t)) throw new Refusal(ExitCode.FAILED, Lang.t("仓库中没有表 " + t + "：", "no table " + t + " in the warehouse ") + wh.root());
            }
            String by = org.govind.util.Actor.meta("govind-admin retention");
            for (String t : targets) {
                long v = wh.setRetention(t, days, by);
                System.out.println(t + "  " + (v < 0
                        ? Lang.t("已是 " + days + " 天，未改动", "already " + days + " days, unchanged")
                        : Lang.t("保留 " + days + " 天（Delta 版本 " + v + "）", "kept " + days + " days (Delta version " + v + ")")));
            }
            return 0;
        }
    }
}
