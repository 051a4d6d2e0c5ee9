package org.govind.cli;

import org.govind.analyst.TextTable;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.govind.airflow.AirflowClient;
import org.govind.airflow.AirflowException;
import org.govind.airflow.BackfillResult;
import org.govind.airflow.DagRun;
import org.govind.airflow.TaskInstance;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.util.Refusal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * govind airflow trigger|status|wait|runs|tasks|pause|unpause|clear|backfill: drives the govind DAGs
 * on Airflow 2 or 3 through the REST client ({@link AirflowClient}) without the Airflow UI. These
 * commands never touch the warehouse. Every refusal is one line and one exit code ({@link #exitCode}).
 */
@Command(name = "airflow", resourceBundle = "govind.messages", mixinStandardHelpOptions = true,
        subcommands = {AirflowCommand.Trigger.class, AirflowCommand.Status.class, AirflowCommand.Wait.class, AirflowCommand.Runs.class,
                AirflowCommand.Tasks.class, AirflowCommand.Pause.class, AirflowCommand.Unpause.class, AirflowCommand.Clear.class,
                AirflowCommand.Backfill.class})
public final class AirflowCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Where AIRFLOW_PASSWORD and AIRFLOW_USER are looked up: the command line's environment ({@link Main#execute(UnaryOperator, String...)}). */
    @ParentCommand Main main;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** The exit code of each kind of Airflow refusal. */
    static ExitCode exitCode(AirflowException.Kind kind) {
        switch (kind) {
            case AUTH: return ExitCode.AIRFLOW_AUTH;
            case NOT_FOUND: return ExitCode.AIRFLOW_NOT_FOUND;
            case CONFLICT: return ExitCode.AIRFLOW_CONFLICT;
            case UNREACHABLE: return ExitCode.AIRFLOW_UNREACHABLE;
            case RUN_FAILED: return ExitCode.AIRFLOW_RUN_FAILED;
            case TIMEOUT: return ExitCode.AIRFLOW_TIMEOUT;
            default: return ExitCode.AIRFLOW_REJECTED;
        }
    }

    /** What every subcommand shares: connect, run, and turn an Airflow refusal into a govind one. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin AirflowOptions airflow;
        @ParentCommand AirflowCommand parent;

        UnaryOperator<String> env() { return parent == null || parent.main == null ? System::getenv : parent.main.env; }

        Duration pollFirst() { return Duration.ofSeconds(5); }

        Duration pollMax() { return Duration.ofSeconds(60); }

        abstract int run(AirflowClient client);

        @Override
        public Integer call() {
            try {
                return run(airflow.connect(env(), pollFirst(), pollMax()));
            } catch (AirflowException e) {
                throw new Refusal(exitCode(e.kind()), Lang.t(e.zh(), e.en()));
            } catch (IllegalArgumentException e) {
                throw new Refusal(ExitCode.USAGE, Lang.t("参数无效：", "invalid argument: ") + e.getMessage());
            }
        }
    }

    @Command(name = "trigger", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Trigger extends Sub {
        @Option(names = "--run-id", descriptionKey = "airflowRunIdNew", paramLabel = "ID") String runId;
        @Option(names = "--conf", descriptionKey = "airflowConf", paramLabel = "JSON") String conf;
        @Option(names = "--logical-date", descriptionKey = "airflowLogicalDate", paramLabel = "DATE|DATETIME") String logicalDate;
        @Option(names = "--tz", defaultValue = "Asia/Shanghai", descriptionKey = "airflowTz", paramLabel = "ZONE") ZoneId zone;

        @Override
        int run(AirflowClient c) {
            Map<String, Object> confMap = null;
            if (conf != null) {
                try {
                    confMap = new ObjectMapper().readValue(conf, new TypeReference<Map<String, Object>>() {});
                } catch (Exception e) {
                    throw new Refusal(ExitCode.USAGE, Lang.t("--conf 必须是一个 JSON 对象，如 {\"night\":\"2026-03-01\"}", "--conf must be a JSON object such as {\"night\":\"2026-03-01\"}"));
                }
            }
            // a date alone names the local day: its data interval is that day, so the DAG loads that night
            DagRun r = c.trigger(airflow.dag, runId, confMap, logical(),
                    logicalDate != null && logicalDate.length() == 10 ? AirflowClient.Interval.day(LocalDate.parse(logicalDate), zone) : null);
            System.out.println(Lang.t("已触发 ", "triggered ") + airflow.dag + Lang.t("：状态 ", ": state ") + r.state()
                    + Lang.t("，逻辑日期 ", ", logical date ") + (r.logicalDate() == null ? "-" : r.logicalDate()) + " (" + c.api().label() + ")");
            System.out.println(r.runId());
            return 0;
        }

        private OffsetDateTime logical() {
            if (logicalDate == null) return null;
            try {
                return logicalDate.length() == 10 ? LocalDate.parse(logicalDate).atStartOfDay(zone).toOffsetDateTime() : OffsetDateTime.parse(logicalDate);
            } catch (DateTimeParseException e) {
                throw new Refusal(ExitCode.USAGE, Lang.t("--logical-date 应是 2026-03-01 或 2026-03-01T02:30:00+08:00，不是 ", "--logical-date must be 2026-03-01 or 2026-03-01T02:30:00+08:00, not ") + logicalDate);
            }
        }
    }

    @Command(name = "status", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Status extends Sub {
        @Option(names = "--run-id", required = true, descriptionKey = "airflowRunId", paramLabel = "ID") String runId;

        @Override
        int run(AirflowClient c) {
            System.out.println(c.run(airflow.dag, runId).state());
            return 0;
        }
    }

    @Command(name = "wait", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Wait extends Sub {
        @Option(names = "--run-id", required = true, descriptionKey = "airflowRunId", paramLabel = "ID") String runId;
        @Option(names = "--timeout", defaultValue = "3600", descriptionKey = "airflowTimeout", paramLabel = "SECONDS") long timeout;
        @Option(names = "--poll", defaultValue = "5", descriptionKey = "airflowPoll", paramLabel = "SECONDS") double poll;
        @Option(names = "--poll-max", defaultValue = "60", descriptionKey = "airflowPollMax", paramLabel = "SECONDS") double pollMax;

        @Override Duration pollFirst() { return Duration.ofMillis(Math.max(1, (long) (poll * 1000))); }

        @Override Duration pollMax() { return Duration.ofMillis(Math.max(1, (long) (Math.max(poll, pollMax) * 1000))); }

        @Override
        int run(AirflowClient c) {
            if (timeout <= 0) throw new Refusal(ExitCode.USAGE, Lang.t("--timeout 必须大于 0", "--timeout must be > 0"));
            DagRun r = c.waitFor(airflow.dag, runId, Duration.ofSeconds(timeout),
                    s -> System.err.println("govind: " + runId + " → " + s.state()));
            System.out.println(r.state());
            return 0;
        }
    }

    @Command(name = "runs", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Runs extends Sub {
        @Option(names = "--state", descriptionKey = "airflowState", paramLabel = "queued|running|success|failed") String state;

        @Override
        int run(AirflowClient c) {
            List<List<String>> rows = new ArrayList<>();
            for (DagRun r : c.runs(airflow.dag, state))
                rows.add(List.of(r.runId(), r.state(), r.logicalDate() == null ? "-" : r.logicalDate()));
            System.out.print(TextTable.render(List.of(Lang.t("运行 id", "run id"), Lang.t("状态", "state"), Lang.t("逻辑日期", "logical date")), rows));
            System.out.println(Lang.t("共 " + rows.size() + " 个运行", rows.size() + " run(s)"));
            return 0;
        }
    }

    @Command(name = "tasks", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Tasks extends Sub {
        @Option(names = "--run-id", required = true, descriptionKey = "airflowRunId", paramLabel = "ID") String runId;

        @Override
        int run(AirflowClient c) {
            List<List<String>> rows = new ArrayList<>();
            for (TaskInstance t : c.tasks(airflow.dag, runId))
                rows.add(List.of(t.taskId() + (t.mapIndex() >= 0 ? "[" + t.mapIndex() + "]" : ""), t.stateText(), String.valueOf(t.tryNumber()),
                        t.startDate() == null ? "-" : t.startDate(), t.endDate() == null ? "-" : t.endDate()));
            System.out.print(TextTable.render(List.of(Lang.t("任务", "task"), Lang.t("状态", "state"), Lang.t("尝试", "try"),
                    Lang.t("开始", "start"), Lang.t("结束", "end")), rows));
            return 0;
        }
    }

    @Command(name = "pause", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Pause extends Sub {
        @Override
        int run(AirflowClient c) {
            c.setPaused(airflow.dag, true);
            System.out.println(Lang.t("已暂停 ", "paused ") + airflow.dag + Lang.t("（新运行将排队，直到 unpause）", " (new runs stay queued until unpause)"));
            return 0;
        }
    }

    @Command(name = "unpause", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Unpause extends Sub {
        @Override
        int run(AirflowClient c) {
            c.setPaused(airflow.dag, false);
            System.out.println(Lang.t("已恢复 ", "unpaused ") + airflow.dag);
            return 0;
        }
    }

    @Command(name = "clear", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Clear extends Sub {
        @Option(names = "--run-id", required = true, descriptionKey = "airflowRunId", paramLabel = "ID") String runId;

        @Override
        int run(AirflowClient c) {
            List<String> cleared = c.clear(airflow.dag, runId);
            if (cleared.isEmpty()) System.out.println(Lang.t("运行 " + runId + " 没有失败的任务，未作更改", "run " + runId + " has no failed task; nothing changed"));
            else System.out.println(Lang.t("已清除运行 " + runId + " 的失败任务，将重新执行：", "cleared the failed tasks of run " + runId + ", they run again: ")
                    + String.join(", ", cleared));
            return 0;
        }
    }

    @Command(name = "backfill", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Backfill extends Sub {
        @Option(names = "--from", required = true, descriptionKey = "airflowFrom", paramLabel = "YYYY-MM-DD") LocalDate from;
        @Option(names = "--to", required = true, descriptionKey = "airflowTo", paramLabel = "YYYY-MM-DD") LocalDate to;
        @Option(names = "--every", defaultValue = "day", descriptionKey = "airflowEvery", paramLabel = "day|month") String every;
        @Option(names = "--tz", defaultValue = "Asia/Shanghai", descriptionKey = "airflowTz", paramLabel = "ZONE") ZoneId zone;

        @Override
        int run(AirflowClient c) {
            if (!every.equals("day") && !every.equals("month"))
                throw new Refusal(ExitCode.USAGE, Lang.t("--every 只能是 day 或 month，不是 ", "--every must be day or month, not ") + every);
            BackfillResult b = c.backfill(airflow.dag, from, to, zone, every.equals("month"));
            if (b.id() != null) {
                System.out.println(Lang.t("已创建回填 #" + b.id() + "：" + b.from() + " → " + b.to() + "（Airflow 逐日调度，失败过的日期重跑）",
                        "backfill #" + b.id() + " created: " + b.from() + " → " + b.to() + " (Airflow schedules each date; failed dates run again)"));
                return 0;
            }
            for (BackfillResult.Entry e : b.runs())
                System.out.println(e.runId() + "\t" + (e.existed() ? Lang.t("已存在，未改动", "exists, left alone") : Lang.t("已触发", "triggered")));
            long made = b.runs().stream().filter(e -> !e.existed()).count();
            System.out.println(Lang.t("已触发 " + made + " 个运行，" + (b.runs().size() - made) + " 个日期已有运行", made + " run(s) triggered, "
                    + (b.runs().size() - made) + " date(s) already had one"));
            return 0;
        }
    }
}
