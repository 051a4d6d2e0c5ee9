package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.govind.airflow.stub.StubAirflow;
import org.govind.airflow.stub.StubAirflow.Mode;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@code govind airflow} subcommand through {@link Main#execute}, against the stand-in server of
 * each API version (auto-detected), with its output and exit code; then each refusal and its code.
 * No Spark: these commands never touch the warehouse.
 */
class AirflowCommandTest {
    static final String NIGHTLY = "govind_nightly";
    static final String RUN = "manual__2026-03-01T02:30:00+08:00";

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    /** The environment of these runs: the password from AIRFLOW_PASSWORD, as an operator's shell would have it. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AIRFLOW_PASSWORD", StubAirflow.PASSWORD);
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(env::get, args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            Lang.set("zh");
        }
    }

    /** govind airflow SUB --url … --dag … --user … [more], the password from the environment. */
    static Run airflow(StubAirflow stub, String sub, String... more) {
        List<String> args = new ArrayList<>(List.of("airflow", sub, "--url", stub.url(), "--dag", NIGHTLY, "--user", StubAirflow.USER));
        args.addAll(List.of(more));
        return run(env(), args.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everySubcommandWorksOnBothVersions(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode).failing(NIGHTLY, "compute")) {
            Run t = airflow(stub, "trigger", "--run-id", RUN, "--conf", "{\"night\":\"2026-03-01\"}", "--logical-date", "2026-03-01T02:30:00+08:00");
            assertEquals(0, t.code(), t.err());
            assertTrue(t.out().startsWith("已触发 govind_nightly：状态 queued"), t.out());
            assertTrue(t.out().contains("(" + mode.name().toLowerCase() + ")"), "the detected API: " + t.out());
            List<String> lines = t.out().lines().toList();
            assertEquals(RUN, lines.get(lines.size() - 1), "the run id, whole, on the last line");
            assertEquals("2026-03-01", stub.last("POST", "/dagRuns").body().get("conf").get("night").asText());

            Run s = airflow(stub, "status", "--run-id", RUN);
            assertEquals(0, s.code(), s.err());
            assertEquals("running", s.out().strip(), "status read it once: queued → running");

            Run w = airflow(stub, "wait", "--run-id", RUN, "--timeout", "20", "--poll", "0.02");
            assertEquals(ExitCode.AIRFLOW_RUN_FAILED.code(), w.code(), w.out() + w.err());
            assertTrue(w.err().contains("govind: 运行 " + RUN + " 失败：compute（第 1 次尝试）、quality_gate（上游失败）"), w.err());

            Run tasks = airflow(stub, "tasks", "--run-id", RUN);
            assertEquals(0, tasks.code(), tasks.err());
            assertTrue(tasks.out().matches("(?s).*\\| compute +\\| failed +\\| 1 +\\|.*"), tasks.out());
            assertTrue(tasks.out().matches("(?s).*\\| ingest +\\| success +\\| 1 +\\|.*"), tasks.out());

            Run c = airflow(stub, "clear", "--run-id", RUN);
            assertEquals(0, c.code(), c.err());
            assertEquals("已清除运行 " + RUN + " 的失败任务，将重新执行：compute, quality_gate", c.out().strip());
            Run w2 = airflow(stub, "wait", "--run-id", RUN, "--timeout", "20", "--poll", "0.02");
            assertEquals(0, w2.code(), w2.err());
            assertEquals("success", w2.out().strip());
            // the first poll finds the cleared run already picked up again
            assertEquals(List.of("govind: " + RUN + " → running", "govind: " + RUN + " → success"), w2.err().strip().lines().toList());

            Run p = airflow(stub, "pause");
            assertEquals(0, p.code(), p.err());
            assertTrue(stub.paused(NIGHTLY));
            assertTrue(p.out().startsWith("已暂停 govind_nightly"), p.out());
            Run u = airflow(stub, "unpause");
            assertEquals(0, u.code(), u.err());
            assertFalse(stub.paused(NIGHTLY));

            Run b = airflow(stub, "backfill", "--from", "2026-02-01", "--to", "2026-02-03", "--tz", "Asia/Shanghai");
            assertEquals(0, b.code(), b.err());
            assertEquals(4, stub.runCount(NIGHTLY), "the triggered run and three backfilled dates");
            List<java.time.LocalDate> nights = new java.util.ArrayList<>();
            for (java.time.OffsetDateTime ld : stub.logicalDates(NIGHTLY)) if (ld.getMonthValue() == 2) nights.add(ld.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate());
            assertEquals(List.of(java.time.LocalDate.of(2026, 2, 1), java.time.LocalDate.of(2026, 2, 2), java.time.LocalDate.of(2026, 2, 3)), nights,
                    "the backfilled runs are for 1, 2 and 3 February, local time");
            // the whole local days 1-3 February (Airflow 3 takes the 03:00 slots inside the range)
            if (mode == Mode.V2) assertTrue(b.out().startsWith("已创建回填 #1：2026-01-31T16:00:00Z → 2026-02-03T15:59:59Z"), b.out());
            else assertTrue(b.out().startsWith("govind_backfill__2026-02-01T00:00:00+08:00\t已触发"), b.out());

            Run r = airflow(stub, "runs");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("| " + RUN + " "), "full run id with + and : " + r.out());
            assertTrue(r.out().matches("(?s).*\\| " + java.util.regex.Pattern.quote(RUN) + " +\\| success +\\| 2026-02-28T18:30:00(\\+00:00|Z) +\\|.*"), r.out());
            assertTrue(r.out().strip().endsWith("共 4 个运行"), r.out());
            Run rs = airflow(stub, "runs", "--state", "success");
            assertTrue(rs.out().strip().endsWith("共 1 个运行"), rs.out());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void refusalsAreOneLineWithTheirOwnExitCode(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            assertEquals(0, airflow(stub, "trigger", "--run-id", RUN).code());

            Run dup = airflow(stub, "trigger", "--run-id", RUN);
            assertEquals(ExitCode.AIRFLOW_CONFLICT.code(), dup.code());
            assertTrue(dup.err().startsWith("govind: DAG govind_nightly 已有运行 id " + RUN), dup.err());
            assertEquals(1, dup.err().strip().lines().count(), dup.err());

            Run unknown = run(env(), "airflow", "status", "--url", stub.url(), "--dag", "govind_nighlty", "--run-id", RUN, "--user", StubAirflow.USER);
            assertEquals(ExitCode.AIRFLOW_NOT_FOUND.code(), unknown.code());
            assertTrue(unknown.err().startsWith("govind: Airflow 上没有 DAG govind_nighlty"), unknown.err());

            Run noRun = airflow(stub, "tasks", "--run-id", "manual__nope", "--lang", "en");
            assertEquals(ExitCode.AIRFLOW_NOT_FOUND.code(), noRun.code());
            assertTrue(noRun.err().startsWith("govind: DAG govind_nightly has no run manual__nope"), noRun.err());

            Map<String, String> wrong = env();
            wrong.put("AIRFLOW_PASSWORD", "not-the-test-password");
            Run auth = run(wrong, "airflow", "runs", "--url", stub.url(), "--dag", NIGHTLY, "--user", StubAirflow.USER);
            assertEquals(ExitCode.AIRFLOW_AUTH.code(), auth.code());
            assertTrue(auth.err().contains("Airflow 不接受用户 " + StubAirflow.USER + " 的用户名或密码"), auth.err());
            assertFalse(auth.err().contains("not-the-test-password"));

            Run bad = airflow(stub, "trigger", "--run-id", "night of 1 March");
            assertEquals(ExitCode.AIRFLOW_REJECTED.code(), bad.code());
            assertTrue(bad.err().contains("HTTP 400") && bad.err().contains("night of 1 March"), bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());

            airflow(stub, "pause");
            airflow(stub, "trigger", "--run-id", "paused_run");
            Run timeout = airflow(stub, "wait", "--run-id", "paused_run", "--timeout", "1", "--poll", "0.05");
            assertEquals(ExitCode.AIRFLOW_TIMEOUT.code(), timeout.code());
            assertTrue(timeout.err().contains("等待超时（1 秒）：运行 paused_run 仍是 queued") && timeout.err().contains("DAG 是否被暂停"), timeout.err());

            Run badConf = airflow(stub, "trigger", "--conf", "[1,2]");
            assertEquals(ExitCode.USAGE.code(), badConf.code());
            Run badUrl = run(env(), "airflow", "runs", "--url", stub.url() + "/api/v1", "--dag", NIGHTLY, "--user", StubAirflow.USER);
            assertEquals(ExitCode.USAGE.code(), badUrl.code());
            assertTrue(badUrl.err().contains("server root"), badUrl.err());
            Run badState = airflow(stub, "runs", "--state", "done");
            assertEquals(ExitCode.USAGE.code(), badState.code());
        }
    }

    @Test
    void aServerThatIsDownExits18() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run down = run(env(), "airflow", "status", "--url", "http://127.0.0.1:" + port, "--dag", NIGHTLY, "--run-id", RUN,
                "--user", StubAirflow.USER, "--retries", "1", "--lang", "en");
        assertEquals(ExitCode.AIRFLOW_UNREACHABLE.code(), down.code());
        assertTrue(down.err().startsWith("govind: the Airflow server http://127.0.0.1:" + port + " is down or too slow"), down.err());
        assertTrue(down.err().contains("up to 2 tries"), down.err());
    }

    @Test
    void thePasswordComesFromAFileTheEnvironmentOrTheCommandLineInThatSpirit() throws Exception {
        try (StubAirflow stub = StubAirflow.start(Mode.V2)) {
            Path file = tmp.resolve("airflow-password");
            Files.writeString(file, StubAirflow.PASSWORD + "\n");
            Run fromFile = run(new HashMap<>(), "airflow", "runs", "--url", stub.url(), "--dag", NIGHTLY, "--user", StubAirflow.USER,
                    "--password-file", file.toString());
            assertEquals(0, fromFile.code(), fromFile.err());

            Map<String, String> env = env();
            env.put("AIRFLOW_USER", StubAirflow.USER);
            Run userFromEnv = run(env, "airflow", "runs", "--url", stub.url(), "--dag", NIGHTLY);
            assertEquals(0, userFromEnv.code(), userFromEnv.err());

            Run onLine = run(new HashMap<>(), "airflow", "pause", "--url", stub.url(), "--dag", NIGHTLY, "--user", StubAirflow.USER,
                    "--password", StubAirflow.PASSWORD);
            assertEquals(0, onLine.code(), onLine.err());
            assertTrue(onLine.err().contains("--password 会出现在进程列表中"), onLine.err());

            Run none = run(new HashMap<>(), "airflow", "runs", "--url", stub.url(), "--dag", NIGHTLY, "--user", StubAirflow.USER);
            assertEquals(ExitCode.USAGE.code(), none.code());
            assertTrue(none.err().contains("没有 Airflow 密码"), none.err());
            Run noUser = run(env(), "airflow", "runs", "--url", stub.url(), "--dag", NIGHTLY);
            assertEquals(ExitCode.USAGE.code(), noUser.code());
            assertTrue(stub.requests().stream().noneMatch(r -> r.path().equals("/auth/token") && r.body() != null
                    && !StubAirflow.PASSWORD.equals(r.body().path("password").asText())), "only the right password was ever sent");
        }
    }

    @Test
    void helpIsChineseByDefaultAndEnglishOnRequest() {
        Run zh = run(env(), "airflow", "--help");
        assertEquals(0, zh.code());
        for (String sub : List.of("trigger", "status", "wait", "runs", "tasks", "pause", "unpause", "clear", "backfill"))
            assertTrue(zh.out().contains(sub), sub + " listed: " + zh.out());
        assertTrue(zh.out().contains("trigger   触发一次运行；最后一行输出运行 id。"), zh.out());
        Run trig = run(env(), "airflow", "trigger", "--help");
        assertTrue(trig.out().contains("Airflow 服务器根地址") && trig.out().contains("--password-file"), trig.out());
        Run en = run(env(), "--lang", "en", "airflow", "wait", "--help");
        assertTrue(en.out().contains("Waits for the run to finish") && en.out().contains("--timeout=SECONDS"), en.out());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDateAloneTriggersThatLocalNightAndMonthsBackfillByMonth(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            Run t = airflow(stub, "trigger", "--run-id", "night_0315", "--logical-date", "2026-03-15");
            assertEquals(0, t.code(), t.err());
            // the run's data interval is 15 March in Asia/Shanghai (the default --tz): the DAG loads that night
            assertEquals(java.time.LocalDate.of(2026, 3, 15), stub.intervalStartDay(NIGHTLY, "night_0315"));
            Run m = run(env(), "airflow", "backfill", "--url", stub.url(), "--dag", "govind_monthly", "--user", StubAirflow.USER,
                    "--from", "2026-03-01", "--to", "2026-04-30", "--every", "month");
            assertEquals(0, m.code(), m.err());
            assertEquals(2, stub.runCount("govind_monthly"), "March and April, one run each: " + m.out());
            Run bad = airflow(stub, "backfill", "--from", "2026-03-01", "--to", "2026-04-30", "--every", "week");
            assertEquals(2, bad.code(), bad.err());
        }
    }
}
