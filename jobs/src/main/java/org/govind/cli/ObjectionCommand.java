package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;

import java.time.Clock;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.govind.publish.PublishJob;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** govind objection add|decide: objections (异议) to a draft list and their decisions. */
@Command(name = "objection", resourceBundle = "govind.messages", mixinStandardHelpOptions = true,
        subcommands = {ObjectionCommand.Add.class, ObjectionCommand.Decide.class})
public final class ObjectionCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "add", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin WriterOptions writer;
        @Option(names = "--period", required = true, descriptionKey = "period", paramLabel = "YYYY-MM") YearMonth period;
        @Option(names = "--company", required = true, descriptionKey = "company", paramLabel = "ID") String company;
        @Option(names = "--reason", required = true, descriptionKey = "reason", paramLabel = "TEXT") String reason;
        @Option(names = "--channel", defaultValue = "other", descriptionKey = "channel", paramLabel = "letter|phone|online|visit|other") String channel;

        @Override
        public Integer call() {
            java.util.Map<String, String> channels = org.govind.schema.Schemas.get().table("ops.objections").column("channel").orElseThrow().values();
            if (!channels.containsKey(channel)) {
                throw new org.govind.util.Refusal(ExitCode.USAGE, Lang.t("--channel 只能是 " + String.join("、", channels.keySet()) + "，不是 " + channel,
                        "--channel must be one of " + String.join(", ", channels.keySet()) + ", not " + channel));
            }
            String id = PublishJob.addObjection(common.session("objection"), common.warehouse, period, company, reason, channel, Clock.systemUTC());
            System.out.println(Lang.t("已登记异议（待裁决）：", "objection filed (pending): ") + company);
            System.out.println(id);
            return 0;
        }
    }

    static final class Verdict {
        @Option(names = "--upheld", required = true, descriptionKey = "upheld") boolean upheld;
        @Option(names = "--rejected", required = true, descriptionKey = "rejected") boolean rejected;
    }

    @Command(name = "decide", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Decide implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin WriterOptions writer;
        @Option(names = "--id", required = true, descriptionKey = "objectionId", paramLabel = "ID") String id;
        @ArgGroup(exclusive = true, multiplicity = "1") Verdict verdict;
        @Option(names = "--note", required = true, descriptionKey = "note", paramLabel = "TEXT") String note;

        @Override
        public Integer call() {
            Row o = PublishJob.decideObjection(common.session("objection"), common.warehouse, id, verdict.upheld, note, Clock.systemUTC());
            System.out.println(id + " " + o.getAs("company_id") + "：" + ("upheld".equals(o.getAs("status"))
                    ? Lang.t("成立（正式发布时移除该条目）", "upheld (the entry is removed at final publication)")
                    : Lang.t("不成立（条目保留）", "rejected (the entry stays)")));
            return 0;
        }
    }
}
