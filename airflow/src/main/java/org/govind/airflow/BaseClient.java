package org.govind.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** What both API versions do alike: paging, waiting, and turning a bare 404 or 409 into a sentence. */
abstract class BaseClient implements AirflowClient {
    /** The page size asked for; a server may answer fewer (its maximum page limit), which paging follows. */
    static final int PAGE = 100;

    final Http http;

    BaseClient(Http http) { this.http = http; }

    abstract Http.Auth auth();

    /**
     * {@code POST /dags/{dag}/dagRuns}, the same body on both versions: {@code logical_date} always (v2
     * requires the key; "now", to the microsecond, is sent so the run has a {@code {{ ds }}}), the data interval only as a pair
     * (v1 refuses one without the other; v2's TriggerDAGRunPostBody takes both, nullable), no read-only field.
     */
    @Override
    public DagRun trigger(String dagId, String runId, Map<String, Object> conf, java.time.OffsetDateTime logicalDate, Interval interval) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (runId != null) body.put("dag_run_id", runId);
        body.put("logical_date", logicalDate != null ? Rfc3339.format(logicalDate) : Rfc3339.formatMicros(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)));
        if (interval != null) {
            body.put("data_interval_start", Rfc3339.format(interval.start()));
            body.put("data_interval_end", Rfc3339.format(interval.end()));
        }
        if (conf != null) body.put("conf", conf);
        try {
            return dagRun(http.json("POST", api(dagPath(dagId) + "/dagRuns"), body, auth()));
        } catch (AirflowException e) {
            if (e.kind() == AirflowException.Kind.NOT_FOUND) throw unknownDag(dagId);
            if (e.kind() == AirflowException.Kind.CONFLICT) throw duplicate(dagId, runId, e);   // v2's 409 body does not name the run
            throw e;
        }
    }

    /** {@code GET /dags/{dag}/dagRuns/{run}}, alike on both versions. */
    @Override
    public DagRun run(String dagId, String runId) {
        return onRun(dagId, runId, () -> dagRun(get(runPath(dagId, runId), Map.of())));
    }

    /** {@code PATCH /dags/{dag}?update_mask=is_paused}, alike on both versions. */
    @Override
    public void setPaused(String dagId, boolean paused) {
        onRun(dagId, null, () -> http.json("PATCH", api(dagPath(dagId)) + "?update_mask=is_paused", Map.of("is_paused", paused), auth()));
    }

    String api(String rest) { return api().prefix() + rest; }

    static String dagPath(String dagId) { return "/dags/" + Http.seg(dagId); }

    static String runPath(String dagId, String runId) { return dagPath(dagId) + "/dagRuns/" + Http.seg(runId); }

    JsonNode get(String path, Map<String, List<String>> query) { return http.json("GET", api(path) + Http.query(query), null, auth()); }

    /**
     * Every item of a paged collection: asks {@link #PAGE} at a time and moves on by what the server
     * actually returned, until {@code total_entries} is reached (or a page comes back empty).
     */
    <T> List<T> all(String path, Map<String, List<String>> filters, String field, Function<JsonNode, T> item) {
        List<T> out = new ArrayList<>();
        for (int offset = 0; ; ) {
            Map<String, List<String>> q = new LinkedHashMap<>(filters);
            q.put("limit", List.of(String.valueOf(PAGE)));
            q.put("offset", List.of(String.valueOf(offset)));
            JsonNode page = get(path, q);
            JsonNode items = page.path(field);
            for (JsonNode n : items) out.add(item.apply(n));
            offset += items.size();
            if (items.size() == 0 || offset >= page.path("total_entries").asInt(0)) return out;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static DagRun dagRun(JsonNode n) {
        String logical = text(n, "logical_date");
        return new DagRun(text(n, "dag_id"), text(n, "dag_run_id"), text(n, "state"), logical,
                text(n, "start_date"), text(n, "end_date"), text(n, "run_type"));
    }

    static TaskInstance taskInstance(JsonNode n) {
        return new TaskInstance(text(n, "task_id"), n.path("map_index").asInt(-1), text(n, "state"),
                n.path("try_number").asInt(0), text(n, "start_date"), text(n, "end_date"));
    }

    /** A 404 on a run-level call: says whether the DAG or only the run is missing (one more request to find out). */
    AirflowException notFound(AirflowException e, String dagId, String runId) {
        boolean dagExists;
        try {
            http.json("GET", api(dagPath(dagId)), null, auth());
            dagExists = true;
        } catch (AirflowException again) {
            if (again.kind() != AirflowException.Kind.NOT_FOUND) return e;
            dagExists = false;
        }
        if (!dagExists || runId == null) return unknownDag(dagId);
        return new AirflowException(AirflowException.Kind.NOT_FOUND,
                "DAG " + dagId + " 没有运行 " + runId + "（govind airflow runs --dag " + dagId + " 列出它的全部运行）",
                "DAG " + dagId + " has no run " + runId + " (govind airflow runs --dag " + dagId + " lists its runs)", 404);
    }

    static AirflowException unknownDag(String dagId) {
        return new AirflowException(AirflowException.Kind.NOT_FOUND,
                "Airflow 上没有 DAG " + dagId + "（DAG 文件是否已放进 dags 目录并被解析？名称是否拼错？）",
                "Airflow has no DAG " + dagId + " (is its file in the dags folder and parsed? is the name spelt right?)", 404);
    }

    /** Calls {@code body}; a 404 becomes "no such DAG" or "no such run". */
    <T> T onRun(String dagId, String runId, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (AirflowException e) {
            if (e.kind() == AirflowException.Kind.NOT_FOUND) throw notFound(e, dagId, runId);
            throw e;
        }
    }

    static AirflowException duplicate(String dagId, String runId, AirflowException cause) {
        // the server keeps one run per run id and one per logical date; its 409 does not always say which
        String which = runId != null ? "运行 id " + runId + "（或同一逻辑日期的运行）" : "同一逻辑日期的运行";
        String whichEn = runId != null ? "a run with id " + runId + " (or a run of the same logical date)" : "a run with the same logical date";
        return new AirflowException(AirflowException.Kind.CONFLICT,
                "DAG " + dagId + " 已有" + which + "（" + cause.zh() + "）。换一个 --run-id 或 --logical-date，或用 govind airflow clear 重跑那一次",
                "DAG " + dagId + " already has " + whichEn + " (" + cause.en() + "). Use another --run-id or --logical-date, or govind airflow clear to re-run that one", 409);
    }

    static void checkState(String state) {
        if (state != null && !DagRun.STATES.contains(state))
            throw new IllegalArgumentException("--state must be one of " + String.join(", ", DagRun.STATES) + ", not " + state);
    }

    @Override
    public DagRun waitFor(String dagId, String runId, Duration timeout, Consumer<DagRun> progress) {
        Instant deadline = Instant.now().plus(timeout);
        Duration pause = http.options.pollFirst();
        String seen = null;
        while (true) {
            DagRun r = run(dagId, runId);
            if (!r.state().equals(seen)) {
                progress.accept(r);
                seen = r.state();
            }
            if ("success".equals(r.state())) return r;
            if ("failed".equals(r.state())) throw runFailed(r);
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new AirflowException(AirflowException.Kind.TIMEOUT,
                        "等待超时（" + timeout.toSeconds() + " 秒）：运行 " + runId + " 仍是 " + r.state() + "。它还在 Airflow 上继续；可再次 wait，或用 status 查看"
                                + ("queued".equals(r.state()) ? "（一直排队：DAG 是否被暂停？）" : ""),
                        "timed out after " + timeout.toSeconds() + " s: run " + runId + " is still " + r.state() + ". It goes on in Airflow; wait again or check its status"
                                + ("queued".equals(r.state()) ? " (queued all along: is the DAG paused?)" : ""));
            }
            Http.sleep(pause.compareTo(left) < 0 ? pause : left);
            Duration next = pause.plus(pause.dividedBy(2));
            pause = next.compareTo(http.options.pollMax()) > 0 ? http.options.pollMax() : next;
        }
    }

    /** A failed run, naming each failed task and its try, so the operator knows where to look. */
    AirflowException runFailed(DagRun r) {
        List<String> zh = new ArrayList<>(), en = new ArrayList<>();
        try {
            for (TaskInstance t : tasks(r.dagId(), r.runId())) {
                if (!t.failed()) continue;
                boolean own = "failed".equals(t.state());
                zh.add(t.taskId() + (own ? "（第 " + t.tryNumber() + " 次尝试）" : "（上游失败）"));
                en.add(t.taskId() + (own ? " (try " + t.tryNumber() + ")" : " (upstream failed)"));
            }
        } catch (AirflowException ignored) {
            // the run's state is the news; the task list only helps
        }
        return new AirflowException(AirflowException.Kind.RUN_FAILED,
                "运行 " + r.runId() + " 失败" + (zh.isEmpty() ? "" : "：" + String.join("、", zh)) + "。查看任务日志后用 govind airflow clear 重跑失败的任务",
                "run " + r.runId() + " failed" + (en.isEmpty() ? "" : ": " + String.join(", ", en)) + ". Read the task logs, then govind airflow clear re-runs the failed tasks");
    }
}
