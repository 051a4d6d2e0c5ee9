package org.govind.airflow.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in Airflow server on 127.0.0.1 for tests: Airflow 2's {@code /api/v1} ({@link Mode#V1}) or
 * Airflow 3's {@code /api/v2} with {@code POST /auth/token} ({@link Mode#V2}). It checks each request
 * the way the real server does and answers with the real shapes, so a client that passes here sends
 * what Airflow accepts:
 * <ul>
 *   <li>auth: v1 basic (wrong or missing → 401 problem+json); v2 bearer JWT from {@code /auth/token}
 *       (201; missing or expired → 401, unreadable or badly signed → 403), tokens with a short
 *       configurable lifetime so one expires in the middle of a wait;</li>
 *   <li>bodies: v1 refuses read-only and unknown fields (400, marshmallow's "Unknown field."), dates
 *       without seconds or offset (400), run ids outside Airflow's allowed pattern (400); v2 refuses
 *       unknown keys (422 {@code extra_forbidden}), a missing {@code logical_date} (422 {@code missing})
 *       and date-times without a time zone (422 {@code timezone_aware});</li>
 *   <li>409 on a duplicate run id (v2's body does not name it, as Airflow 3's does not) and, in v1,
 *       on a duplicate logical date;</li>
 *   <li>paging: {@code limit}/{@code offset}, capped at the server's maximum page size, with
 *       {@code total_entries};</li>
 *   <li>clears: {@code dry_run} defaults to true and then changes nothing;</li>
 *   <li>the scheduler: a run moves queued → running → success/failed, one step every
 *       {@link #readsPerStep(int)} reads of it; a paused DAG's runs stay queued; a task named in
 *       {@link #failing(String, String)} fails its first try, so a cleared run succeeds on the second.</li>
 * </ul>
 * Every request is recorded ({@link #requests()}) for tests to check what was sent.
 */
public final class StubAirflow implements AutoCloseable {
    public enum Mode { V1, V2 }

    /** Obviously fake test credentials. */
    public static final String USER = "stub-operator", PASSWORD = "test-only-password-1";

    /** One request as received. */
    public record Request(String method, String path, Map<String, List<String>> query, JsonNode body, String authorization) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern RFC3339_STRICT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern ISO_AWARE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern ISO_NAIVE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?)?");
    /** Airflow 2's default [scheduler] allowed_run_id_pattern. */
    private static final Pattern RUN_ID = Pattern.compile("^[A-Za-z0-9_.~:+-]+$");
    private static final List<String> RUN_STATES = List.of("queued", "running", "success", "failed");

    private final Mode mode;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final byte[] secret = ("stub-signing-key-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);

    private final Map<String, Dag> dags = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<Backfill> backfills = new ArrayList<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private int maxPage = 100;
    private int readsPerStep = 1;
    private Duration tokenLifetime = Duration.ofHours(1);
    private long firstValidToken = 0;    // tokens numbered below are expired (expireTokens)
    private volatile Duration delay = Duration.ZERO;
    private int unavailable;
    private int tokensIssued;
    private int nextId = 1;

    static final class Dag {
        final String id;
        final List<String> tasks;
        boolean paused;
        final Set<String> failing = new LinkedHashSet<>();
        /** The schedule, as a CronDataIntervalTimetable: every day (or the 1st of every month) at {@code hour} in {@code zone}. */
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        int hour = 3;
        boolean monthly;

        Dag(String id, List<String> tasks) { this.id = id; this.tasks = tasks; }

        /** The latest schedule slot at or before t. */
        OffsetDateTime alignPrev(OffsetDateTime t) {
            java.time.ZonedDateTime z = t.atZoneSameInstant(zone);
            java.time.ZonedDateTime slot = monthly ? z.withDayOfMonth(1).toLocalDate().atTime(hour, 0).atZone(zone)
                    : z.toLocalDate().atTime(hour, 0).atZone(zone);
            if (slot.isAfter(z)) slot = monthly ? slot.minusMonths(1) : slot.minusDays(1);
            return slot.toOffsetDateTime();
        }

        OffsetDateTime next(OffsetDateTime slot) {
            java.time.ZonedDateTime z = slot.atZoneSameInstant(zone);
            return (monthly ? z.plusMonths(1) : z.plusDays(1)).toOffsetDateTime();
        }

        OffsetDateTime prev(OffsetDateTime slot) {
            java.time.ZonedDateTime z = slot.atZoneSameInstant(zone);
            return (monthly ? z.minusMonths(1) : z.minusDays(1)).toOffsetDateTime();
        }
    }

    static final class Ti {
        final String taskId;
        String state;
        int tryNumber;
        String start, end;

        Ti(String taskId) { this.taskId = taskId; }
    }

    static final class Run {
        int id;
        String dagId, runId, runType, state = "queued";
        OffsetDateTime logicalDate;
        /** The data interval: given in the trigger body, else inferred as Airflow infers a manual run's. */
        OffsetDateTime intervalStart, intervalEnd;
        JsonNode conf;
        String queuedAt, start, end;
        int reads;
        final List<Ti> tis = new ArrayList<>();
    }

    record Backfill(long id, String dagId, String from, String to, List<Run> runs) {}

    private StubAirflow(Mode mode) throws IOException {
        this.mode = mode;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** A server with the two govind DAGs registered (nightly and monthly, with their task chains). */
    public static StubAirflow start(Mode mode) {
        try {
            return new StubAirflow(mode)
                    .dag("govind_nightly", "wait_for_landing", "ingest", "compute", "quality_gate")
                    .dag("govind_monthly", "rate", "lists", "publish_draft", "publish_final", "notify")
                    .schedule("govind_monthly", true, 4);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** http://127.0.0.1:PORT, the server root. */
    public String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    public synchronized StubAirflow dag(String id, String... tasks) {
        dags.put(id, new Dag(id, List.of(tasks)));
        return this;
    }

    /** The DAG's schedule: daily (or monthly, on the 1st) at {@code hour} Asia/Shanghai. Default: daily at 03:00. */
    public synchronized StubAirflow schedule(String dagId, boolean monthly, int hour) {
        dags.get(dagId).monthly = monthly;
        dags.get(dagId).hour = hour;
        return this;
    }

    /** The local day (Asia/Shanghai) a run's data interval starts: the night a govind DAG loads, or the month's first day. */
    public synchronized java.time.LocalDate intervalStartDay(String dagId, String runId) {
        Run r = find(dagId, runId);
        return r.intervalStart.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate();
    }

    /** The logical dates of the DAG's runs, oldest first. */
    public synchronized List<OffsetDateTime> logicalDates(String dagId) {
        List<OffsetDateTime> out = new ArrayList<>();
        for (Run r : runs) if (r.dagId.equals(dagId)) out.add(r.logicalDate);
        return out;
    }

    /** The task fails its first try in every run of the DAG (a cleared run then succeeds). */
    public synchronized StubAirflow failing(String dagId, String taskId) {
        dags.get(dagId).failing.add(taskId);
        return this;
    }

    /** The server's maximum page size ([api] maximum_page_limit): a larger limit is cut to it. */
    public synchronized StubAirflow maxPage(int n) {
        maxPage = n;
        return this;
    }

    /** A run moves one state every n reads of it (GET of the run). */
    public synchronized StubAirflow readsPerStep(int n) {
        readsPerStep = n;
        return this;
    }

    /** v2: how long a token lives (whole seconds in its exp claim). */
    public synchronized StubAirflow tokenLifetime(Duration d) {
        tokenLifetime = d;
        return this;
    }

    /** Every answer comes this late (a slow server). */
    public StubAirflow delay(Duration d) {
        delay = d;
        return this;
    }

    /** The next n requests are answered 503 (a server restarting). */
    public synchronized StubAirflow unavailable(int n) {
        unavailable = n;
        return this;
    }

    /** v2: every token issued so far is expired from now on (as if its lifetime had passed). */
    public synchronized void expireTokens() { firstValidToken = tokensIssued + 1; }

    public synchronized int tokensIssued() { return tokensIssued; }

    public synchronized boolean paused(String dagId) { return dags.get(dagId).paused; }

    public List<Request> requests() {
        synchronized (requests) { return List.copyOf(requests); }
    }

    /** The last request with this method whose path ends with {@code suffix}. */
    public Request last(String method, String suffix) {
        List<Request> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            Request r = all.get(i);
            if (r.method().equals(method) && r.path().endsWith(suffix)) return r;
        }
        return null;
    }

    /** Adds a finished or waiting run directly (the scheduler's own runs), e.g. to fill several pages. */
    public synchronized StubAirflow seedRun(String dagId, String runId, OffsetDateTime logicalDate, String state) {
        Run r = newRun(dags.get(dagId), runId, logicalDate, "scheduled", null);
        r.state = state;
        if ("success".equals(state)) for (Ti t : r.tis) { t.state = "success"; t.tryNumber = 1; }
        return this;
    }

    public synchronized String state(String dagId, String runId) {
        Run r = find(dagId, runId);
        return r == null ? null : r.state;
    }

    public synchronized int runCount(String dagId) {
        int n = 0;
        for (Run r : runs) if (r.dagId.equals(dagId)) n++;
        return n;
    }

    /** The task's state and try in the run, e.g. "failed/1". */
    public synchronized String task(String dagId, String runId, String taskId) {
        for (Ti t : find(dagId, runId).tis) if (t.taskId.equals(taskId)) return t.state + "/" + t.tryNumber;
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---------------------------------------------------------------- dispatch

    /** An answer: status, JSON body, content type. */
    private record Answer(int status, JsonNode body, String contentType) {}

    /** Thrown inside a handler to answer with an error. */
    private static final class Refuse extends RuntimeException {
        final Answer answer;

        Refuse(Answer a) {
            super(null, null, false, false);
            this.answer = a;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Answer a;
        try {
            String method = ex.getRequestMethod();
            List<String> segs = new ArrayList<>();
            for (String s : ex.getRequestURI().getRawPath().split("/")) if (!s.isEmpty()) segs.add(percentDecode(s));
            Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = null;
            String bodyError = null;
            if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException e) {
                    bodyError = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                }
            }
            String authz = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(method, "/" + String.join("/", segs), query, body, authz));
            if (!delay.isZero()) Thread.sleep(delay.toMillis());
            synchronized (this) {
                if (unavailable > 0) {
                    unavailable--;
                    a = error(503, "Service Unavailable", "the server is starting");
                } else {
                    String ctype = ex.getRequestHeaders().getFirst("Content-Type");
                    if (raw.length > 0 && (ctype == null || !ctype.startsWith("application/json")))
                        a = mode == Mode.V1 ? error(415, "Unsupported Media Type", "Invalid Content-type (" + ctype + "), expected JSON data")
                                : error(415, "Unsupported Media Type", "Content-Type must be application/json");
                    else if (bodyError != null) a = mode == Mode.V1 ? error(400, "Bad Request", "Request body is not valid JSON")
                            : validation(List.of(issue("json_invalid", List.of("body", 0), "JSON decode error", bodyError)));
                    else a = mode == Mode.V1 ? v1(method, segs, query, body, authz) : v2(method, segs, query, body, authz);
                }
            }
        } catch (Refuse r) {
            a = r.answer;
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            a = error(500, "Internal Server Error", String.valueOf(e));
        }
        byte[] out = a.body() == null ? new byte[0] : JSON.writeValueAsBytes(a.body());
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        if (a.status() == 401 && mode == Mode.V1) ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Airflow\"");
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static String percentDecode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));   // '+' stays '+' in a path
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    /** Error body in the mode's shape: v1 RFC 7807 problem+json, v2 {"detail": "…"}. */
    private Answer error(int status, String title, Object detail) {
        if (mode == Mode.V1) {
            ObjectNode p = F.objectNode();
            p.put("detail", String.valueOf(detail));
            p.put("status", status);
            p.put("title", title);
            p.put("type", "https://airflow.apache.org/docs/apache-airflow/2.10.0/stable-rest-api-ref.html#section/Errors/" + title.replace(" ", ""));
            return new Answer(status, p, "application/problem+json");
        }
        ObjectNode d = F.objectNode();
        if (detail instanceof JsonNode n) d.set("detail", n);
        else d.put("detail", String.valueOf(detail));
        return new Answer(status, d, "application/json");
    }

    private static Answer ok(int status, JsonNode body) { return new Answer(status, body, "application/json"); }

    private static ObjectNode issue(String type, List<Object> loc, String msg, Object input) {
        ObjectNode e = F.objectNode();
        e.put("type", type);
        ArrayNode l = e.putArray("loc");
        for (Object o : loc) if (o instanceof Integer i) l.add(i); else l.add(String.valueOf(o));
        e.put("msg", msg);
        e.set("input", input instanceof JsonNode n ? n : input == null ? F.nullNode() : F.textNode(String.valueOf(input)));
        return e;
    }

    private static Answer validation(List<ObjectNode> issues) {
        ObjectNode d = F.objectNode();
        ArrayNode arr = d.putArray("detail");
        issues.forEach(arr::add);
        return new Answer(422, d, "application/json");
    }

    private static boolean is(List<String> segs, String... pattern) {
        if (segs.size() != pattern.length) return false;
        for (int i = 0; i < pattern.length; i++) if (!pattern[i].equals("*") && !pattern[i].equals(segs.get(i))) return false;
        return true;
    }

    // ---------------------------------------------------------------- v1 (Airflow 2)

    private static final Set<String> V1_RUN_WRITABLE = Set.of("dag_run_id", "logical_date", "execution_date", "data_interval_start",
            "data_interval_end", "conf", "note");
    private static final Set<String> V1_CLEAR_FIELDS = Set.of("dry_run", "task_ids", "start_date", "end_date", "only_failed", "only_running",
            "include_subdags", "include_parentdag", "reset_dag_runs", "dag_run_id", "include_upstream", "include_downstream", "include_future",
            "include_past");

    private Answer v1(String method, List<String> segs, Map<String, List<String>> q, JsonNode body, String authz) {
        if (segs.size() < 2 || !segs.get(0).equals("api") || !segs.get(1).equals("v1")) return error(404, "Not Found", "The requested URL was not found on the server.");
        List<String> p = segs.subList(2, segs.size());
        if (is(p, "version") && method.equals("GET")) {
            ObjectNode v = F.objectNode();
            v.put("version", "2.10.0");
            v.putNull("git_version");
            return ok(200, v);
        }
        if (is(p, "health") && method.equals("GET")) {
            ObjectNode h = F.objectNode();
            h.putObject("metadatabase").put("status", "healthy");
            h.putObject("scheduler").put("status", "healthy");
            return ok(200, h);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(authz)) return error(401, "Unauthorized", "No credentials found or the credentials are not valid.");

        if (p.size() >= 2 && p.get(0).equals("dags")) {
            Dag dag = dags.get(p.get(1));
            if (is(p, "dags", "*") && method.equals("GET")) {
                if (dag == null) return error(404, "DAG not found", "DAG with dag_id: '" + p.get(1) + "' not found");
                return ok(200, dagJson(dag));
            }
            if (is(p, "dags", "*") && method.equals("PATCH")) {
                List<String> mask = q.getOrDefault("update_mask", List.of());
                for (String m : mask) for (String f : m.split(","))
                    if (!f.strip().equals("is_paused")) return error(400, "Bad Request", "Only `is_paused` field can be updated through the REST API");
                requireObject(body);
                v1Fields(body, Set.of("is_paused"));
                if (!body.has("is_paused") || !body.get("is_paused").isBoolean()) throw new Refuse(error(400, "Bad Request", "{'is_paused': ['Not a valid boolean.']}"));
                if (dag == null) return error(404, "DAG not found", "Dag with id: '" + p.get(1) + "' not found");
                dag.paused = body.get("is_paused").asBoolean();
                return ok(200, dagJson(dag));
            }
            if (is(p, "dags", "*", "dagRuns") && method.equals("GET")) {
                List<Run> hits = new ArrayList<>();
                List<String> states = q.getOrDefault("state", List.of());
                for (Run r : runs) if (r.dagId.equals(p.get(1)) && (states.isEmpty() || states.contains(r.state))) hits.add(r);
                return page(hits, q, 100, "dag_runs", this::runJson);
            }
            if (is(p, "dags", "*", "dagRuns") && method.equals("POST")) return v1Trigger(dag, p.get(1), body);
            if (is(p, "dags", "*", "dagRuns", "*") && method.equals("GET")) {
                Run r = find(p.get(1), p.get(3));
                if (r == null) return error(404, "DAGRun not found", "DAGRun with DAG ID: '" + p.get(1) + "' and DagRun ID: '" + p.get(3) + "' not found");
                advance(r);
                return ok(200, runJson(r));
            }
            if (is(p, "dags", "*", "dagRuns", "*", "taskInstances") && method.equals("GET")) {
                Run r = find(p.get(1), p.get(3));
                return page(r == null ? List.of() : r.tis, q, 100, "task_instances", t -> tiJson(r, t));
            }
            if (is(p, "dags", "*", "clearTaskInstances") && method.equals("POST")) {
                requireObject(body);
                v1Fields(body, V1_CLEAR_FIELDS);
                for (String f : List.of("start_date", "end_date")) if (body.has(f)) v1Date(body, f);
                if (dag == null) return error(404, "DAG not found", "Dag id " + p.get(1) + " not found");
                boolean dryRun = !body.has("dry_run") || body.get("dry_run").asBoolean();   // the API's default: only list
                boolean onlyFailed = !body.has("only_failed") || body.get("only_failed").asBoolean();
                List<Run> targets = new ArrayList<>();
                if (body.hasNonNull("dag_run_id")) {
                    Run r = find(dag.id, body.get("dag_run_id").asText());
                    if (r == null) return error(404, "DAGRun not found", "DAGRun with DAG ID: '" + dag.id + "' and DagRun ID: '" + body.get("dag_run_id").asText() + "' not found");
                    targets.add(r);
                } else for (Run r : runs) if (r.dagId.equals(dag.id)) targets.add(r);
                ObjectNode out = F.objectNode();
                ArrayNode tis = out.putArray("task_instances");
                for (Run r : targets) {
                    List<Ti> picked = clearable(r, onlyFailed);
                    for (Ti t : picked) {
                        ObjectNode ref = tis.addObject();
                        ref.put("task_id", t.taskId);
                        ref.put("dag_id", r.dagId);
                        ref.put("dag_run_id", r.runId);
                        ref.put("execution_date", v1Date(r.logicalDate));
                    }
                    if (!dryRun && !picked.isEmpty()) clear(r, picked, body.has("reset_dag_runs") && body.get("reset_dag_runs").asBoolean());   // the schema's default: false
                }
                return ok(200, out);
            }
        }
        return error(404, "Not Found", "The requested URL was not found on the server.");
    }

    private Answer v1Trigger(Dag dag, String dagId, JsonNode body) {
        requireObject(body);
        v1Fields(body, V1_RUN_WRITABLE);
        OffsetDateTime logical = null;
        for (String f : List.of("logical_date", "execution_date", "data_interval_start", "data_interval_end")) {
            OffsetDateTime t = body.hasNonNull(f) ? v1Date(body, f) : null;
            if (f.equals("logical_date")) logical = t;
            if (f.equals("execution_date") && t != null) {
                if (logical != null && !logical.isEqual(t)) throw new Refuse(error(400, "Bad Request", "logical_date conflicts with execution_date"));
                logical = t;
            }
        }
        if (body.has("data_interval_start") != body.has("data_interval_end"))
            throw new Refuse(error(400, "Bad Request", "{'_schema': ['Both data_interval_start and data_interval_end must be provided.']}"));
        if (body.has("conf") && !body.get("conf").isObject()) throw new Refuse(error(400, "Bad Request", "{'conf': ['Not a valid mapping type.']}"));
        if (dag == null) return error(404, "DAG not found", "DAG with dag_id: '" + dagId + "' not found");
        if (logical == null) logical = OffsetDateTime.now(ZoneOffset.UTC);
        String runId = body.hasNonNull("dag_run_id") ? body.get("dag_run_id").asText() : "manual__" + v1Date(logical);
        if (!RUN_ID.matcher(runId).matches())
            return error(400, "Bad Request", "The provided run ID '" + runId + "' is invalid. It does not match the configured pattern: '" + RUN_ID.pattern() + "'");
        for (Run r : runs) {
            if (!r.dagId.equals(dag.id)) continue;
            if (r.runId.equals(runId)) return error(409, "Conflict", "DAGRun with DAG ID: '" + dag.id + "' and DAGRun ID: '" + runId + "' already exists");
            if (r.logicalDate != null && r.logicalDate.isEqual(logical))
                return error(409, "Conflict", "DAGRun with DAG ID: '" + dag.id + "' and DAGRun logical date: '" + v1Date(logical) + "' already exists");
        }
        return ok(200, runJson(newRun(dag, runId, logical, "manual", body.get("conf"),
                body.hasNonNull("data_interval_start") ? v1Date(body, "data_interval_start") : null,
                body.hasNonNull("data_interval_end") ? v1Date(body, "data_interval_end") : null)));
    }

    private void v1Fields(JsonNode body, Set<String> writable) {
        List<String> bad = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> { if (!writable.contains(f)) bad.add(f); });
        if (!bad.isEmpty()) {
            StringBuilder b = new StringBuilder("{");
            for (String f : bad) b.append(b.length() > 1 ? ", " : "").append("'").append(f).append("': ['Unknown field.']");
            throw new Refuse(error(400, "Bad Request", b.append("}").toString()));
        }
    }

    /** Airflow 2 reads a date-time only with seconds and a time zone. */
    private OffsetDateTime v1Date(JsonNode body, String field) {
        String s = body.get(field).asText();
        if (!body.get(field).isTextual() || !RFC3339_STRICT.matcher(s).matches())
            throw new Refuse(error(400, "Bad Request", ISO_NAIVE.matcher(s).matches() ? "Naive datetime is disallowed: " + field + "=" + s
                    : "{'" + field + "': ['Not a valid datetime.']}"));
        return OffsetDateTime.parse(s);
    }

    private static String v1Date(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx"));
    }

    private void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            if (mode == Mode.V1) throw new Refuse(error(400, "Bad Request", "Request body must be a JSON object"));
            throw new Refuse(validation(List.of(issue(body == null ? "missing" : "model_attributes_type", List.of("body"),
                    body == null ? "Field required" : "Input should be a valid dictionary or object to extract fields from", body))));
        }
    }

    // ---------------------------------------------------------------- v2 (Airflow 3)

    private static final Set<String> V2_TRIGGER = Set.of("dag_run_id", "data_interval_start", "data_interval_end", "logical_date", "run_after",
            "conf", "note", "partition_key");
    private static final Set<String> V2_CLEAR = Set.of("dry_run", "only_failed", "run_on_latest_version");
    private static final Set<String> V2_BACKFILL = Set.of("dag_id", "from_date", "to_date", "run_backwards", "dag_run_conf", "reprocess_behavior",
            "max_active_runs", "run_on_latest_version");

    private Answer v2(String method, List<String> segs, Map<String, List<String>> q, JsonNode body, String authz) {
        if (is(segs, "auth", "token") && method.equals("POST")) return token(body);
        if (segs.size() < 2 || !segs.get(0).equals("api") || !segs.get(1).equals("v2")) return error(404, "Not Found", "Not Found");
        List<String> p = segs.subList(2, segs.size());
        if (is(p, "version") && method.equals("GET")) {
            ObjectNode v = F.objectNode();
            v.put("version", "3.1.0");
            v.putNull("git_version");
            return ok(200, v);
        }
        if (is(p, "monitor", "health") && method.equals("GET")) {
            ObjectNode h = F.objectNode();
            h.putObject("metadatabase").put("status", "healthy");
            return ok(200, h);
        }
        Answer denied = bearer(authz);
        if (denied != null) return denied;

        if (is(p, "backfills") && method.equals("POST")) return v2Backfill(body);
        if (p.size() >= 2 && p.get(0).equals("dags")) {
            Dag dag = dags.get(p.get(1));
            Answer noDag = error(404, "Not Found", "The Dag with ID: `" + p.get(1) + "` was not found");
            if (is(p, "dags", "*") && method.equals("GET")) return dag == null ? noDag : ok(200, dagJson(dag));
            if (is(p, "dags", "*") && method.equals("PATCH")) {
                requireObject(body);
                List<ObjectNode> issues = extra(body, Set.of("is_paused"));
                if (!body.has("is_paused")) issues.add(issue("missing", List.of("body", "is_paused"), "Field required", body));
                else if (!body.get("is_paused").isBoolean()) issues.add(issue("bool_type", List.of("body", "is_paused"), "Input should be a valid boolean", body.get("is_paused")));
                if (!issues.isEmpty()) return validation(issues);
                for (String m : q.getOrDefault("update_mask", List.of()))
                    if (!m.equals("is_paused")) return error(400, "Bad Request", "Only `is_paused` field can be updated through the REST API");
                if (dag == null) return noDag;
                dag.paused = body.get("is_paused").asBoolean();
                return ok(200, dagJson(dag));
            }
            if (is(p, "dags", "*", "dagRuns") && method.equals("GET")) {
                List<String> states = q.getOrDefault("state", List.of());
                for (String s : states) if (!RUN_STATES.contains(s))
                    return error(422, "Unprocessable", "Invalid value for state. Valid values are " + String.join(", ", RUN_STATES));
                if (dag == null) return noDag;
                List<Run> hits = new ArrayList<>();
                for (Run r : runs) if (r.dagId.equals(dag.id) && (states.isEmpty() || states.contains(r.state))) hits.add(r);
                return page(hits, q, 50, "dag_runs", this::runJson);
            }
            if (is(p, "dags", "*", "dagRuns") && method.equals("POST")) return v2Trigger(dag, noDag, body);
            if (p.size() >= 4 && p.get(2).equals("dagRuns")) {
                Run r = find(p.get(1), p.get(3));
                Answer noRun = error(404, "Not Found", "The DagRun with dag_id: `" + p.get(1) + "` and run_id: `" + p.get(3) + "` was not found");
                if (is(p, "dags", "*", "dagRuns", "*") && method.equals("GET")) {
                    if (r == null) return noRun;
                    advance(r);
                    return ok(200, runJson(r));
                }
                if (is(p, "dags", "*", "dagRuns", "*", "taskInstances") && method.equals("GET")) {
                    if (r == null) return noRun;
                    return page(r.tis, q, 50, "task_instances", t -> tiJson(r, t));
                }
                if (is(p, "dags", "*", "dagRuns", "*", "clear") && method.equals("POST")) {
                    requireObject(body);
                    List<ObjectNode> issues = extra(body, V2_CLEAR);
                    for (String f : V2_CLEAR) if (body.has(f) && !body.get(f).isBoolean())
                        issues.add(issue("bool_type", List.of("body", f), "Input should be a valid boolean", body.get(f)));
                    if (!issues.isEmpty()) return validation(issues);
                    if (dag == null) return noDag;
                    if (r == null) return noRun;
                    boolean dryRun = !body.has("dry_run") || body.get("dry_run").asBoolean();   // the API's default: only list
                    boolean onlyFailed = body.has("only_failed") && body.get("only_failed").asBoolean();
                    List<Ti> picked = clearable(r, onlyFailed);
                    if (dryRun) {
                        ObjectNode out = F.objectNode();
                        ArrayNode tis = out.putArray("task_instances");
                        for (Ti t : picked) tis.add(tiJson(r, t));
                        out.put("total_entries", picked.size());
                        return ok(200, out);
                    }
                    clear(r, picked, true);
                    return ok(200, runJson(r));
                }
            }
        }
        return error(404, "Not Found", "Not Found");
    }

    private Answer token(JsonNode body) {
        requireObject(body);
        List<ObjectNode> issues = extra(body, Set.of("username", "password"));
        for (String f : List.of("username", "password")) if (!body.has(f)) issues.add(issue("missing", List.of("body", f), "Field required", body));
        if (!issues.isEmpty()) return validation(issues);
        if (!USER.equals(body.get("username").asText()) || !PASSWORD.equals(body.get("password").asText()))
            return error(401, "Unauthorized", "Invalid credentials");
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = F.objectNode();
        claims.put("sub", USER);
        claims.put("iat", now);
        claims.put("exp", now + Math.max(1, tokenLifetime.toSeconds()));
        claims.put("jti", tokensIssued + 1);
        String head = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        tokensIssued++;
        ObjectNode out = F.objectNode();
        out.put("access_token", head + "." + payload + "." + sign(head + "." + payload));
        return ok(201, out);
    }

    /** null when the bearer token is good; else 401 (missing, expired) or 403 (unreadable, badly signed). */
    private Answer bearer(String authz) {
        if (authz == null || !authz.startsWith("Bearer ")) return error(401, "Unauthorized", "Not authenticated");
        String[] parts = authz.substring(7).split("\\.");
        if (parts.length != 3 || !sign(parts[0] + "." + parts[1]).equals(parts[2])) return error(403, "Forbidden", "Invalid JWT token");
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = Instant.now().getEpochSecond();
            if (now >= claims.path("exp").asLong() || claims.path("jti").asLong() < firstValidToken)
                return error(401, "Unauthorized", "Token has expired");
        } catch (IOException | IllegalArgumentException e) {
            return error(403, "Forbidden", "Invalid JWT token");
        }
        return null;
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return b64(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }

    private Answer v2Trigger(Dag dag, Answer noDag, JsonNode body) {
        requireObject(body);
        List<ObjectNode> issues = extra(body, V2_TRIGGER);
        if (!body.has("logical_date")) issues.add(issue("missing", List.of("body", "logical_date"), "Field required", body));
        OffsetDateTime logical = null, start = null, end = null;
        for (String f : List.of("logical_date", "data_interval_start", "data_interval_end", "run_after")) {
            if (!body.hasNonNull(f)) continue;
            OffsetDateTime t = v2Date(body.get(f), f, issues);
            if (f.equals("logical_date")) logical = t;
            if (f.equals("data_interval_start")) start = t;
            if (f.equals("data_interval_end")) end = t;
        }
        if (body.hasNonNull("conf") && !body.get("conf").isObject())
            issues.add(issue("dict_type", List.of("body", "conf"), "Input should be a valid dictionary", body.get("conf")));
        if (body.hasNonNull("dag_run_id") && !body.get("dag_run_id").isTextual())
            issues.add(issue("string_type", List.of("body", "dag_run_id"), "Input should be a valid string", body.get("dag_run_id")));
        if (!issues.isEmpty()) return validation(issues);
        if (dag == null) return noDag;
        String runId = body.hasNonNull("dag_run_id") ? body.get("dag_run_id").asText()
                : "manual__" + (logical != null ? logical : OffsetDateTime.now(ZoneOffset.UTC)).withOffsetSameInstant(ZoneOffset.UTC);
        if (!RUN_ID.matcher(runId).matches())
            return error(400, "Bad Request", "The run_id provided '" + runId + "' does not match regex pattern '" + RUN_ID.pattern() + "'");
        boolean sameLogicalDate = false;   // dag_run has a unique (dag_id, logical_date) in Airflow 3.0-3.2
        for (Run r : runs) if (logical != null && r.dagId.equals(dag.id) && r.logicalDate != null && r.logicalDate.isEqual(logical)) sameLogicalDate = true;
        if (find(dag.id, runId) != null || sameLogicalDate) {
            ObjectNode d = F.objectNode();   // Airflow 3 reports the database's unique violation, which does not name the run
            d.put("reason", "Unique constraint violation");
            d.put("statement", "INSERT INTO dag_run (dag_id, queued_at, logical_date, start_date, end_date, state, run_id, ...) VALUES (?, ?, ?, ?, ?, ?, ?, ...)");
            d.put("orig_error", "UNIQUE constraint failed: dag_run.dag_id, dag_run.run_id");
            return error(409, "Conflict", d);
        }
        return ok(200, runJson(newRun(dag, runId, logical, "manual", body.get("conf"), start, end)));
    }

    private Answer v2Backfill(JsonNode body) {
        requireObject(body);
        List<ObjectNode> issues = extra(body, V2_BACKFILL);
        for (String f : List.of("dag_id", "from_date", "to_date")) if (!body.has(f)) issues.add(issue("missing", List.of("body", f), "Field required", body));
        OffsetDateTime from = body.hasNonNull("from_date") ? v2Date(body.get("from_date"), "from_date", issues) : null;
        OffsetDateTime to = body.hasNonNull("to_date") ? v2Date(body.get("to_date"), "to_date", issues) : null;
        String behavior = body.path("reprocess_behavior").asText("none");
        if (!List.of("failed", "completed", "none").contains(behavior))
            issues.add(issue("enum", List.of("body", "reprocess_behavior"), "Input should be 'failed', 'completed' or 'none'", body.get("reprocess_behavior")));
        if (body.has("max_active_runs") && !body.get("max_active_runs").isInt())
            issues.add(issue("int_type", List.of("body", "max_active_runs"), "Input should be a valid integer", body.get("max_active_runs")));
        if (!issues.isEmpty()) return validation(issues);
        Dag dag = dags.get(body.get("dag_id").asText());
        if (dag == null) return error(404, "Not Found", "Could not find dag " + body.get("dag_id").asText());
        if (to.isBefore(from)) return error(422, "Unprocessable", "Backfill from_date must be before to_date");
        for (Backfill b : backfills)
            if (b.dagId().equals(dag.id) && b.runs().stream().anyMatch(r -> !r.state.equals("success") && !r.state.equals("failed")))
                return error(409, "Conflict", "There is a `queued` or `running` backfill for dag " + dag.id);
        // the runs are the DAG's schedule slots whose logical date lies in [from_date, to_date] (both included)
        List<OffsetDateTime> slots = new ArrayList<>();
        for (OffsetDateTime d = dag.next(dag.alignPrev(from.minusSeconds(1))); !d.isAfter(to); d = dag.next(d)) slots.add(d);
        if (slots.isEmpty()) return error(422, "Unprocessable Entity", "No runs to create for dag " + dag.id + " between " + v2Date(from) + " and " + v2Date(to));
        List<Run> made = new ArrayList<>();
        for (OffsetDateTime d : slots) {
            Run existing = null;
            for (Run r : runs) if (r.dagId.equals(dag.id) && r.logicalDate != null && r.logicalDate.isEqual(d)) existing = r;
            if (existing == null) made.add(newRun(dag, "backfill__" + d.withOffsetSameInstant(ZoneOffset.UTC), d, "backfill", null));
            else if (behavior.equals("completed") || (behavior.equals("failed") && existing.state.equals("failed"))) {
                clear(existing, clearable(existing, false), true);
                made.add(existing);
            }
        }
        Backfill b = new Backfill(backfills.size() + 1, dag.id, v2Date(from), v2Date(to), made);
        backfills.add(b);
        ObjectNode out = F.objectNode();
        out.put("id", b.id());
        out.put("dag_id", dag.id);
        out.put("from_date", b.from());
        out.put("to_date", b.to());
        out.set("dag_run_conf", body.has("dag_run_conf") ? body.get("dag_run_conf") : F.objectNode());
        out.put("is_paused", false);
        out.put("reprocess_behavior", behavior);
        out.put("max_active_runs", body.path("max_active_runs").asInt(10));
        out.put("created_at", v2Date(OffsetDateTime.now(ZoneOffset.UTC)));
        out.putNull("completed_at");
        out.put("updated_at", v2Date(OffsetDateTime.now(ZoneOffset.UTC)));
        out.put("dag_display_name", dag.id);
        return ok(200, out);
    }

    private static List<ObjectNode> extra(JsonNode body, Set<String> allowed) {
        List<ObjectNode> issues = new ArrayList<>();
        body.fields().forEachRemaining(e -> {
            if (!allowed.contains(e.getKey()))
                issues.add(issue("extra_forbidden", List.of("body", e.getKey()), "Extra inputs are not permitted", e.getValue()));
        });
        return issues;
    }

    /** pydantic's aware datetime: ISO 8601 with a time zone; seconds may be left out. */
    private static OffsetDateTime v2Date(JsonNode v, String field, List<ObjectNode> issues) {
        String s = v.asText();
        if (v.isTextual() && ISO_AWARE.matcher(s).matches()) {
            String norm = s.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2");
            if (norm.matches(".*T\\d{2}:\\d{2}(Z|[+-].*)")) norm = norm.replaceFirst("(T\\d{2}:\\d{2})", "$1:00");
            return OffsetDateTime.parse(norm);
        }
        if (v.isTextual() && ISO_NAIVE.matcher(s).matches()) issues.add(issue("timezone_aware", List.of("body", field), "Input should have timezone info", v));
        else issues.add(issue("datetime_from_date_parsing", List.of("body", field), "Input should be a valid datetime or date, invalid character in year", v));
        return null;
    }

    private static String v2Date(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'"));
    }

    // ---------------------------------------------------------------- the scheduler stand-in

    private Run find(String dagId, String runId) {
        for (Run r : runs) if (r.dagId.equals(dagId) && r.runId.equals(runId)) return r;
        return null;
    }

    private Run newRun(Dag dag, String runId, OffsetDateTime logical, String type, JsonNode conf) {
        return newRun(dag, runId, logical, type, conf, null, null);
    }

    /**
     * A run; without an interval, a scheduled or backfill run covers [slot, next slot) and a manual run
     * gets Airflow's inference: the slot that ends at (or before) its logical date, i.e. the one before.
     */
    private Run newRun(Dag dag, String runId, OffsetDateTime logical, String type, JsonNode conf, OffsetDateTime start, OffsetDateTime end) {
        if (start == null && logical != null) {
            if (type.equals("manual")) {
                end = dag.alignPrev(logical);
                start = dag.prev(end);
            } else {
                start = logical;
                end = dag.next(logical);
            }
        }
        Run r = new Run();
        r.intervalStart = start;
        r.intervalEnd = end;
        r.id = nextId++;
        r.dagId = dag.id;
        r.runId = runId;
        r.runType = type;
        r.logicalDate = logical;
        r.conf = conf == null || conf.isNull() ? F.objectNode() : conf;
        r.queuedAt = now();
        for (String t : dag.tasks) r.tis.add(new Ti(t));
        runs.add(r);
        return r;
    }

    private String now() {
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        return mode == Mode.V1 ? v1Date(t) : v2Date(t);
    }

    /** One read of the run: every {@link #readsPerStep} reads it moves a state on (never while its DAG is paused). */
    private void advance(Run r) {
        if (r.state.equals("success") || r.state.equals("failed")) return;
        if (dags.get(r.dagId).paused) return;
        if (++r.reads < readsPerStep) return;
        r.reads = 0;
        if (r.state.equals("queued")) {
            r.state = "running";
            if (r.start == null) r.start = now();
            for (Ti t : r.tis) if (t.state == null) {
                t.state = "running";
                t.tryNumber++;
                t.start = now();
                break;
            }
            return;
        }
        boolean broken = false;   // the tasks form a chain: after a failure the rest are upstream_failed
        for (Ti t : r.tis) {
            if ("success".equals(t.state)) continue;
            if (broken) {
                t.state = "upstream_failed";
                continue;
            }
            if (t.state == null) {
                t.tryNumber++;
                t.start = now();
            }
            t.state = dags.get(r.dagId).failing.contains(t.taskId) && t.tryNumber == 1 ? "failed" : "success";
            t.end = now();
            broken = t.state.equals("failed");
        }
        r.state = broken ? "failed" : "success";
        r.end = now();
    }

    private static List<Ti> clearable(Run r, boolean onlyFailed) {
        List<Ti> out = new ArrayList<>();
        for (Ti t : r.tis)
            if (!onlyFailed ? t.state != null : ("failed".equals(t.state) || "upstream_failed".equals(t.state))) out.add(t);
        return out;
    }

    private static void clear(Run r, List<Ti> tis, boolean resetRun) {
        for (Ti t : tis) {
            t.state = null;
            t.end = null;
        }
        if (resetRun && !tis.isEmpty()) {
            r.state = "queued";
            r.end = null;
            r.reads = 0;
        }
    }

    // ---------------------------------------------------------------- shapes

    private <T> Answer page(List<T> all, Map<String, List<String>> q, int defaultLimit, String field, java.util.function.Function<T, JsonNode> json) {
        int limit = intParam(q, "limit", defaultLimit), offset = intParam(q, "offset", 0);
        int size = Math.min(limit, maxPage);
        ObjectNode out = F.objectNode();
        ArrayNode items = out.putArray(field);
        for (int i = offset; i < Math.min(all.size(), offset + size); i++) items.add(json.apply(all.get(i)));
        out.put("total_entries", all.size());
        return ok(200, out);
    }

    private int intParam(Map<String, List<String>> q, String name, int dflt) {
        List<String> v = q.get(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            int n = Integer.parseInt(v.get(0));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            if (mode == Mode.V1) throw new Refuse(error(400, "Bad Request", name + " must be a non-negative integer"));
            throw new Refuse(validation(List.of(issue("int_parsing", List.of("query", name), "Input should be a valid integer, unable to parse string as an integer", v.get(0)))));
        }
    }

    private ObjectNode dagJson(Dag d) {
        ObjectNode n = F.objectNode();
        n.put("dag_id", d.id);
        n.put("dag_display_name", d.id);
        n.put("is_paused", d.paused);
        n.put("is_active", true);
        return n;
    }

    private JsonNode runJson(Run r) {
        ObjectNode n = F.objectNode();
        n.put("dag_run_id", r.runId);
        n.put("dag_id", r.dagId);
        if (mode == Mode.V1) {
            n.put("logical_date", v1Date(r.logicalDate));
            n.put("execution_date", v1Date(r.logicalDate));
            n.put("start_date", r.start);
            n.put("end_date", r.end);
            n.put("data_interval_start", v1Date(r.intervalStart));
            n.put("data_interval_end", v1Date(r.intervalEnd));
            n.putNull("last_scheduling_decision");
            n.put("run_type", r.runType);
            n.put("state", r.state);
            n.put("external_trigger", !r.runType.equals("scheduled"));
            n.set("conf", r.conf);
            n.putNull("note");
        } else {
            n.put("logical_date", v2Date(r.logicalDate));
            n.put("queued_at", r.queuedAt);
            n.put("start_date", r.start);
            n.put("end_date", r.end);
            n.putNull("duration");
            n.put("data_interval_start", v2Date(r.intervalStart));
            n.put("data_interval_end", v2Date(r.intervalEnd));
            n.put("run_after", r.logicalDate == null ? r.queuedAt : v2Date(r.logicalDate));
            n.putNull("last_scheduling_decision");
            n.put("run_type", r.runType);
            n.put("state", r.state);
            n.put("triggered_by", r.runType.equals("backfill") ? "backfill" : r.runType.equals("manual") ? "rest_api" : "timetable");
            n.put("triggering_user_name", r.runType.equals("manual") ? USER : null);
            n.set("conf", r.conf);
            n.putNull("note");
            n.putArray("dag_versions");
            n.putNull("bundle_version");
            n.put("dag_display_name", r.dagId);
            n.putNull("partition_key");
        }
        return n;
    }

    private JsonNode tiJson(Run r, Ti t) {
        ObjectNode n = F.objectNode();
        if (mode == Mode.V2) n.put("id", java.util.UUID.nameUUIDFromBytes((r.runId + "/" + t.taskId).getBytes(StandardCharsets.UTF_8)).toString());
        n.put("task_id", t.taskId);
        n.put("dag_id", r.dagId);
        n.put("dag_run_id", r.runId);
        n.put("map_index", -1);
        if (mode == Mode.V1) n.put("execution_date", v1Date(r.logicalDate));
        else n.put("logical_date", v2Date(r.logicalDate));
        n.put("start_date", t.start);
        n.put("end_date", t.end);
        n.putNull("duration");
        n.put("state", t.state);
        n.put("try_number", t.tryNumber);
        n.put("max_tries", 2);
        n.put("pool", "default_pool");
        n.put("pool_slots", 1);
        n.put("operator", "SparkSubmitOperator");
        return n;
    }
}
