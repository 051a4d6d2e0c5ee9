package org.govind.airflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.govind.airflow.stub.StubAirflow;
import org.govind.airflow.stub.StubAirflow.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The client against the stand-in servers of both API versions: every operation and every error
 * an operator can meet. The stand-in checks each request as Airflow does, so a passing test also
 * means the bodies, dates, auth and paging are what the real servers accept.
 */
class AirflowClientTest {
    static final String NIGHTLY = "govind_nightly";
    /** A scheduled-style run id: it contains '+' and ':' and must reach the server unchanged. */
    static final String RUN = "manual__2026-03-01T02:30:00+08:00";

    static AirflowClient.Options options(StubAirflow stub, ApiVersion api) {
        return AirflowClient.Options.of(stub.url(), api, StubAirflow.USER, StubAirflow.PASSWORD)
                .withPolling(Duration.ofMillis(20), Duration.ofMillis(80))
                .withRetries(2, Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(5));
    }

    static AirflowClient client(StubAirflow stub) { return AirflowClient.connect(options(stub, null)); }

    static ApiVersion api(Mode m) { return m == Mode.V1 ? ApiVersion.V1 : ApiVersion.V2; }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void detectsTheApiVersionFromTheServer(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            assertEquals(api(mode), client(stub).api());
            assertEquals(api(mode), AirflowClient.connect(options(stub, api(mode))).api());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void triggerSendsOnlyWritableFieldsWithStrictDatesAndKeepsTheRunIdWhole(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            OffsetDateTime logical = OffsetDateTime.of(2026, 3, 1, 2, 30, 0, 0, ZoneOffset.ofHours(8));
            DagRun r = c.trigger(NIGHTLY, RUN, Map.of("night", "2026-03-01"), logical);
            assertEquals(RUN, r.runId());
            assertEquals("queued", r.state());
            JsonNode body = stub.last("POST", "/dagRuns").body();
            Set<String> keys = new TreeSet<>();
            body.fieldNames().forEachRemaining(keys::add);
            assertEquals(Set.of("conf", "dag_run_id", "logical_date"), keys);
            assertEquals("2026-03-01T02:30:00+08:00", body.get("logical_date").asText(), "seconds and an offset");
            assertEquals("2026-03-01", body.get("conf").get("night").asText());
            // the id with '+' and ':' is found again by path
            assertEquals(RUN, c.run(NIGHTLY, RUN).runId());
            assertEquals("/api/" + api(mode).label() + "/dags/" + NIGHTLY + "/dagRuns/" + RUN, stub.last("GET", RUN).path());

            // no run id and no date: Airflow names the run, and a logical date is still sent ("now")
            DagRun named = c.trigger(NIGHTLY, null, null, null);
            assertTrue(named.runId().startsWith("manual__"), named.runId());
            JsonNode b2 = stub.last("POST", "/dagRuns").body();
            assertFalse(b2.has("dag_run_id"));
            assertFalse(b2.has("conf"));
            // "now" to the microsecond, so two runs triggered within a second do not share a logical date
            assertTrue(b2.get("logical_date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"), b2.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void waitFollowsTheRunUntilSuccessPollingLessOftenEachTime(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode).readsPerStep(2)) {
            AirflowClient c = client(stub);
            c.trigger(NIGHTLY, RUN, null, null);
            List<String> seen = new ArrayList<>();
            DagRun done = c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(20), r -> seen.add(r.state()));
            assertEquals("success", done.state());
            assertEquals(List.of("queued", "running", "success"), seen, "each state change reported once");
            // 2 reads per step: queued (2 reads) → running (2 reads) → success: 4 or 5 polls, no more
            long polls = stub.requests().stream().filter(q -> q.method().equals("GET") && q.path().endsWith(RUN)).count();
            assertTrue(polls >= 4 && polls <= 5, "polls: " + polls);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailedRunNamesTheFailedTaskAndTryAndAClearRunsItAgainForReal(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode).failing(NIGHTLY, "ingest")) {
            AirflowClient c = client(stub);
            c.trigger(NIGHTLY, RUN, null, null);
            AirflowException e = assertThrows(AirflowException.class, () -> c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(20), r -> {}));
            assertEquals(AirflowException.Kind.RUN_FAILED, e.kind());
            assertTrue(e.en().contains("ingest (try 1)") && e.en().contains("compute (upstream failed)"), e.en());
            assertTrue(e.zh().contains("ingest（第 1 次尝试）"), e.zh());

            List<TaskInstance> tis = c.tasks(NIGHTLY, RUN);
            assertEquals(List.of("wait_for_landing", "ingest", "compute", "quality_gate"), tis.stream().map(TaskInstance::taskId).toList());
            assertEquals(List.of("success", "failed", "upstream_failed", "upstream_failed"), tis.stream().map(TaskInstance::stateText).toList());

            // the clear says dry_run false; the succeeded first task is left alone
            assertEquals(List.of("ingest", "compute", "quality_gate"), c.clear(NIGHTLY, RUN));
            JsonNode clearBody = stub.requests().stream().filter(q -> q.method().equals("POST") && q.path().contains("lear"))
                    .reduce((a, b) -> b).orElseThrow().body();
            assertFalse(clearBody.get("dry_run").asBoolean(), clearBody.toString());
            assertTrue(clearBody.get("only_failed").asBoolean());
            assertEquals("queued", stub.state(NIGHTLY, RUN));
            assertEquals("success", c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(20), r -> {}).state());
            assertEquals("success/2", stub.task(NIGHTLY, RUN, "ingest"), "ingest ran a second try");
            assertEquals("success/1", stub.task(NIGHTLY, RUN, "wait_for_landing"), "not re-run");
            assertEquals(List.of(), c.clear(NIGHTLY, RUN), "nothing failed: nothing cleared");
            assertEquals("success", stub.state(NIGHTLY, RUN));
        }
    }

    /** Both APIs default dry_run to true: a clear that does not say false only lists and changes nothing. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theStandInLikeAirflowOnlyListsWhenDryRunIsNotSaid(Mode mode) throws Exception {
        try (StubAirflow stub = StubAirflow.start(mode).failing(NIGHTLY, "ingest")) {
            AirflowClient c = client(stub);
            c.trigger(NIGHTLY, RUN, null, null);
            assertThrows(AirflowException.class, () -> c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(20), r -> {}));
            Raw.Reply reply = mode == Mode.V1
                    ? Raw.post(stub, "/api/v1/dags/" + NIGHTLY + "/clearTaskInstances", "{\"dag_run_id\":\"" + RUN + "\"}")
                    : Raw.post(stub, "/api/v2/dags/" + NIGHTLY + "/dagRuns/" + Http.seg(RUN) + "/clear", "{\"only_failed\":true}");
            assertEquals(200, reply.status(), reply.body());
            assertTrue(reply.body().contains("ingest"), "it lists what it would clear: " + reply.body());
            assertEquals("failed", stub.state(NIGHTLY, RUN));
            assertEquals("failed/1", stub.task(NIGHTLY, RUN, "ingest"));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void runsReadsEveryPageAndFiltersByState(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode).maxPage(25)) {
            OffsetDateTime first = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
            // 60 runs: every 7th failed (days 0, 7, …, 56: 9 failed), the others succeeded
            for (int d = 0; d < 60; d++)
                stub.seedRun(NIGHTLY, "scheduled__" + first.plusDays(d), first.plusDays(d), d % 7 == 0 ? "failed" : "success");
            AirflowClient c = client(stub);
            List<DagRun> all = c.runs(NIGHTLY, null);
            assertEquals(60, all.size());
            assertEquals("scheduled__2025-01-01T00:00Z", all.get(0).runId());
            assertEquals(60, all.stream().map(DagRun::runId).distinct().count(), "no page read twice");
            // the client asks 100, the server gives 25: offsets follow what came back
            List<String> offsets = stub.requests().stream().filter(q -> q.path().endsWith("/dagRuns") && q.method().equals("GET"))
                    .map(q -> q.query().get("offset").get(0)).toList();
            assertEquals(List.of("0", "25", "50"), offsets);
            List<DagRun> failed = c.runs(NIGHTLY, "failed");
            assertEquals(9, failed.size());
            assertTrue(failed.stream().allMatch(r -> r.state().equals("failed")));
            assertEquals(List.of("failed"), stub.last("GET", "/dagRuns").query().get("state"));
            assertThrows(IllegalArgumentException.class, () -> c.runs(NIGHTLY, "broken"));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pausedRunsStayQueuedUntilUnpausedAndWaitTimesOutSayingSo(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            c.setPaused(NIGHTLY, true);
            assertTrue(stub.paused(NIGHTLY));
            assertEquals("is_paused", stub.last("PATCH", NIGHTLY).query().get("update_mask").get(0));
            assertEquals("{\"is_paused\":true}", stub.last("PATCH", NIGHTLY).body().toString());
            c.trigger(NIGHTLY, RUN, null, null);
            AirflowException e = assertThrows(AirflowException.class, () -> c.waitFor(NIGHTLY, RUN, Duration.ofMillis(300), r -> {}));
            assertEquals(AirflowException.Kind.TIMEOUT, e.kind());
            assertTrue(e.en().contains("still queued") && e.en().contains("paused"), e.en());
            c.setPaused(NIGHTLY, false);
            assertFalse(stub.paused(NIGHTLY));
            assertEquals("success", c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(20), r -> {}).state());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backfillCoversEveryDateOnceInTheDagsZone(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            ZoneId shanghai = ZoneId.of("Asia/Shanghai");
            BackfillResult b = c.backfill(NIGHTLY, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 3), shanghai);
            assertEquals(3, stub.runCount(NIGHTLY), "1, 2 and 3 March");
            // the nights the DAG loads are the local days its runs' data intervals start: exactly 1, 2 and 3 March
            List<LocalDate> nights = new java.util.ArrayList<>();
            for (DagRun r : c.runs(NIGHTLY, null)) nights.add(stub.intervalStartDay(NIGHTLY, r.runId()));
            assertEquals(List.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 3)), nights);
            if (mode == Mode.V2) {
                assertNotNull(b.id());
                JsonNode body = stub.last("POST", "/backfills").body();
                assertEquals("2026-03-01T00:00:00+08:00", body.get("from_date").asText());
                // the whole of 3 March (its nightly slot is at 03:00): Airflow takes the slots with a logical date in the range
                assertEquals("2026-03-03T23:59:59+08:00", body.get("to_date").asText());
                assertEquals(NIGHTLY, body.get("dag_id").asText());
                // its runs are not finished: a second backfill of the DAG is refused
                AirflowException e = assertThrows(AirflowException.class,
                        () -> c.backfill(NIGHTLY, LocalDate.of(2026, 3, 4), LocalDate.of(2026, 3, 4), shanghai));
                assertEquals(AirflowException.Kind.CONFLICT, e.kind());
                assertTrue(e.en().contains("already has a backfill running"), e.en());
            } else {
                assertNull(b.id());
                assertEquals(List.of("govind_backfill__2026-03-01T00:00:00+08:00", "govind_backfill__2026-03-02T00:00:00+08:00",
                        "govind_backfill__2026-03-03T00:00:00+08:00"), b.runs().stream().map(BackfillResult.Entry::runId).toList());
                assertTrue(b.runs().stream().noneMatch(BackfillResult.Entry::existed));
                // again, one day more: the three existing dates are left alone, the new one is triggered
                BackfillResult again = c.backfill(NIGHTLY, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 4), shanghai);
                assertEquals(List.of(true, true, true, false), again.runs().stream().map(BackfillResult.Entry::existed).toList());
                assertEquals(4, stub.runCount(NIGHTLY));
            }
            assertThrows(IllegalArgumentException.class, () -> c.backfill(NIGHTLY, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 1), shanghai));
        }
    }

    @Test
    void aTokenThatExpiresDuringAWaitIsRenewed() {
        // tokens live about a second; the run takes ~10 polls of ≥ 100 ms, so the wait outlives several tokens
        try (StubAirflow stub = StubAirflow.start(Mode.V2).tokenLifetime(Duration.ofSeconds(1)).readsPerStep(6)) {
            AirflowClient c = AirflowClient.connect(options(stub, ApiVersion.V2).withPolling(Duration.ofMillis(150), Duration.ofMillis(250)));
            c.trigger(NIGHTLY, RUN, null, null);
            assertEquals("success", c.waitFor(NIGHTLY, RUN, Duration.ofSeconds(30), r -> {}).state());
            assertTrue(stub.tokensIssued() >= 2, "renewed: " + stub.tokensIssued());
        }
    }

    @Test
    void aTokenTheServerNoLongerAcceptsIsRenewedOnTheRefusal() {
        try (StubAirflow stub = StubAirflow.start(Mode.V2)) {
            V2Client c = (V2Client) AirflowClient.connect(options(stub, ApiVersion.V2));
            c.trigger(NIGHTLY, RUN, null, null);
            assertEquals(1, c.logins());
            stub.expireTokens();   // the server now says 401 to the token the client holds (its own exp claim says valid)
            assertEquals(RUN, c.run(NIGHTLY, RUN).runId());
            assertEquals(2, c.logins(), "one refusal, one new token, the request repeated");
            assertTrue(stub.requests().stream().anyMatch(q -> q.path().equals("/auth/token")));
        }
    }

    @Test
    void theV2StandInTellsAMissingTokenFromABadOne() throws Exception {
        try (StubAirflow stub = StubAirflow.start(Mode.V2)) {
            assertEquals(401, Raw.get(stub, "/api/v2/dags/" + NIGHTLY, null).status());
            assertEquals(403, Raw.get(stub, "/api/v2/dags/" + NIGHTLY, "Bearer not.a.token").status());
            Raw.Reply login = Raw.post(stub, "/auth/token", "{\"username\":\"" + StubAirflow.USER + "\",\"password\":\"" + StubAirflow.PASSWORD + "\"}", null);
            assertEquals(201, login.status(), login.body());
            Raw.Reply extra = Raw.post(stub, "/auth/token", "{\"username\":\"u\",\"password\":\"p\",\"remember\":true}", null);
            assertEquals(422, extra.status());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wrongCredentialsAreRefusedAsSuch(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = AirflowClient.connect(new AirflowClient.Options(stub.url(), null, StubAirflow.USER, "wrong-test-password",
                    Duration.ofSeconds(5), 0, Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(10)));
            AirflowException e = assertThrows(AirflowException.class, () -> c.runs(NIGHTLY, null));
            assertEquals(AirflowException.Kind.AUTH, e.kind());
            assertEquals(401, e.status());
            assertTrue(e.en().contains("refused the user name or password of " + StubAirflow.USER), e.en());
            assertFalse(e.en().contains("wrong-test-password"), "never echo the password");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unknownDagsAndRunsAreNamed(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            for (Runnable call : List.<Runnable>of(() -> c.trigger("govind_nighlty", null, null, null), () -> c.runs("govind_nighlty", null),
                    () -> c.setPaused("govind_nighlty", true), () -> c.run("govind_nighlty", RUN))) {
                AirflowException e = assertThrows(AirflowException.class, call::run);
                assertEquals(AirflowException.Kind.NOT_FOUND, e.kind());
                assertTrue(e.en().startsWith("Airflow has no DAG govind_nighlty"), e.en());
            }
            for (Runnable call : List.<Runnable>of(() -> c.run(NIGHTLY, RUN), () -> c.tasks(NIGHTLY, RUN), () -> c.clear(NIGHTLY, RUN))) {
                AirflowException e = assertThrows(AirflowException.class, call::run);
                assertEquals(AirflowException.Kind.NOT_FOUND, e.kind());
                assertTrue(e.en().startsWith("DAG " + NIGHTLY + " has no run " + RUN), e.en());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDuplicateRunIdIsNamedEvenWhenTheServerDoesNot(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            c.trigger(NIGHTLY, RUN, null, null);
            AirflowException e = assertThrows(AirflowException.class, () -> c.trigger(NIGHTLY, RUN, null, null));
            assertEquals(AirflowException.Kind.CONFLICT, e.kind());
            assertTrue(e.en().startsWith("DAG " + NIGHTLY + " already has a run with id " + RUN), e.en());
            assertTrue(e.zh().contains("已有运行 id " + RUN), e.zh());
            assertEquals(1, e.en().lines().count());
        }
    }

    @Test
    void aServerThatIsDownIsTriedABoundedNumberOfTimes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // closed again: nothing listens there
        }
        AirflowClient.Options o = new AirflowClient.Options("http://127.0.0.1:" + port, ApiVersion.V1, StubAirflow.USER, StubAirflow.PASSWORD,
                Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10));
        AirflowException e = assertThrows(AirflowException.class, () -> AirflowClient.connect(o).runs(NIGHTLY, null));
        assertEquals(AirflowException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.en().contains("down or too slow") && e.en().contains("up to 3 tries"), e.en());
        AirflowException auto = assertThrows(AirflowException.class, () -> AirflowClient.connect(new AirflowClient.Options(o.url(), null,
                o.user(), o.password(), o.requestTimeout(), 0, o.retryPause(), o.pollFirst(), o.pollMax())));
        assertEquals(AirflowException.Kind.UNREACHABLE, auto.kind(), "detection reports the same");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSlowServerTimesOutAndABriefOutageIsRiddenOut(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = AirflowClient.connect(options(stub, api(mode)).withRequestTimeout(Duration.ofMillis(300)));
            c.trigger(NIGHTLY, RUN, null, null);
            stub.unavailable(2);   // two 503s, then answers: within the 2 retries
            assertEquals(RUN, c.run(NIGHTLY, RUN).runId());
            stub.unavailable(3);   // one more than the retries
            AirflowException down = assertThrows(AirflowException.class, () -> c.run(NIGHTLY, RUN));
            assertEquals(AirflowException.Kind.UNREACHABLE, down.kind());
            assertTrue(down.en().contains("HTTP 503"), down.en());
            stub.delay(Duration.ofMillis(800));
            AirflowException slow = assertThrows(AirflowException.class, () -> c.run(NIGHTLY, RUN));
            assertEquals(AirflowException.Kind.UNREACHABLE, slow.kind());
            assertTrue(slow.en().contains("no answer within 300 ms"), slow.en());
            stub.delay(Duration.ZERO);
        }
    }

    @Test
    void urlMustBeTheServerRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AirflowClient.Options.of("http://airflow:8080/api/v1", null, "u", "p"));
        assertTrue(e.getMessage().contains("server root"), e.getMessage());
        AirflowClient.Options.of("http://airflow:8080/", null, "u", "p");
    }

    @Test
    void aUrlWithoutAirflowIsNotMistakenForOne() throws Exception {
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", x -> { x.sendResponseHeaders(404, -1); x.close(); });
        other.start();
        try {
            AirflowException e = assertThrows(AirflowException.class, () -> AirflowClient.connect(
                    AirflowClient.Options.of("http://127.0.0.1:" + other.getAddress().getPort(), null, "u", "p")));
            assertEquals(AirflowException.Kind.REJECTED, e.kind());
            assertTrue(e.en().contains("no Airflow REST API"), e.en());
        } finally {
            other.stop(0);
        }
    }

    /** Error bodies of both versions become one line: v1 problem+json, v2 detail text, object or validation list. */
    @Test
    void errorBodiesBecomeOneLine() throws Exception {
        try (StubAirflow v1 = StubAirflow.start(Mode.V1); StubAirflow v2 = StubAirflow.start(Mode.V2)) {
            // a read-only field: Airflow 2 refuses it (400 problem+json)
            Raw.Reply ro = Raw.post(v1, "/api/v1/dags/" + NIGHTLY + "/dagRuns", "{\"dag_run_id\":\"x\",\"state\":\"success\"}");
            assertEquals(400, ro.status());
            assertEquals("application/problem+json", ro.contentType());
            assertEquals("Bad Request: {'state': ['Unknown field.']}", ErrorText.of(ro.asResponse()));
            // no seconds: refused by Airflow 2
            Raw.Reply naive = Raw.post(v1, "/api/v1/dags/" + NIGHTLY + "/dagRuns", "{\"logical_date\":\"2026-03-01T00:00\"}");
            assertEquals(400, naive.status(), naive.body());
            // an unknown key and a missing logical_date: Airflow 3's 422 list, both items on one line
            Raw.Reply extra = Raw.post(v2, "/api/v2/dags/" + NIGHTLY + "/dagRuns", "{\"dag_run_id\":\"x\",\"state\":\"queued\"}");
            assertEquals(422, extra.status());
            assertEquals("state: Extra inputs are not permitted (extra_forbidden); logical_date: Field required (missing)", ErrorText.of(extra.asResponse()));
            // a date without time zone: 422 timezone_aware
            Raw.Reply tz = Raw.post(v2, "/api/v2/dags/" + NIGHTLY + "/dagRuns", "{\"logical_date\":\"2026-03-01T00:00:00\"}");
            assertEquals(422, tz.status());
            assertTrue(ErrorText.of(tz.asResponse()).contains("timezone_aware"), tz.body());
            // null logical_date is allowed in v2
            assertEquals(200, Raw.post(v2, "/api/v2/dags/" + NIGHTLY + "/dagRuns", "{\"logical_date\":null,\"dag_run_id\":\"n1\"}").status());
            // a 409 in v2: {"detail": {...}} without the run id
            Raw.Reply dup = Raw.post(v2, "/api/v2/dags/" + NIGHTLY + "/dagRuns", "{\"logical_date\":null,\"dag_run_id\":\"n1\"}");
            assertEquals(409, dup.status());
            assertFalse(dup.body().contains("n1"), dup.body());
            assertEquals("Unique constraint violation", ErrorText.of(dup.asResponse()));
            // plain detail text
            assertEquals("The Dag with ID: `nope` was not found", ErrorText.of(Raw.get(v2, "/api/v2/dags/nope", Raw.token(v2)).asResponse()));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aMonthIsBackfilledAsOneRunOfThatMonth(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            // govind_monthly runs on the 1st at 04:00 Asia/Shanghai; its month is the local month its data interval starts
            c.backfill("govind_monthly", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31), ZoneId.of("Asia/Shanghai"), true);
            List<DagRun> runs = c.runs("govind_monthly", null);
            assertEquals(1, runs.size(), "one run for March, not one per day");
            assertEquals(LocalDate.of(2026, 3, 1), stub.intervalStartDay("govind_monthly", runs.get(0).runId()));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRunTriggeredForADayLoadsThatNight(Mode mode) {
        try (StubAirflow stub = StubAirflow.start(mode)) {
            AirflowClient c = client(stub);
            ZoneId shanghai = ZoneId.of("Asia/Shanghai");
            DagRun r = c.trigger(NIGHTLY, "night_0315", null, Rfc3339.midnight(LocalDate.of(2026, 3, 15), shanghai),
                    AirflowClient.Interval.day(LocalDate.of(2026, 3, 15), shanghai));
            assertEquals(LocalDate.of(2026, 3, 15), stub.intervalStartDay(NIGHTLY, r.runId()));
            // without the interval Airflow infers the slot that ends at or before the logical date: midnight 20 March → [18th 03:00, 19th 03:00)
            DagRun inferred = c.trigger(NIGHTLY, "night_inferred", null, Rfc3339.midnight(LocalDate.of(2026, 3, 20), shanghai));
            assertEquals(LocalDate.of(2026, 3, 18), stub.intervalStartDay(NIGHTLY, inferred.runId()));
            // Airflow 3 keeps one run per logical date; Airflow 2 too
            AirflowException e = assertThrows(AirflowException.class, () -> c.trigger(NIGHTLY, "other_id", null,
                    Rfc3339.midnight(LocalDate.of(2026, 3, 15), shanghai)));
            assertEquals(AirflowException.Kind.CONFLICT, e.kind());
        }
    }
}
