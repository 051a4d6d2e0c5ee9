package org.govind.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Airflow 2's stable REST API ({@code /api/v1}) with HTTP basic auth.
 *
 * <p>Bodies carry only fields the API lets a client set: a DAGRun's dag_id, state, run_type,
 * start/end dates and external_trigger are read-only and make Airflow 2 answer 400.
 * Date-times are RFC 3339 with seconds and an offset ({@link Rfc3339}).
 */
final class V1Client extends BaseClient {
    private final Http.Auth basic;

    V1Client(Http http) {
        super(http);
        String pair = http.options.user() + ":" + http.options.password();
        String header = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        this.basic = new Http.Auth() {
            @Override public String header(boolean renew) { return header; }
            @Override public boolean renewable() { return false; }
        };
    }

    @Override public ApiVersion api() { return ApiVersion.V1; }

    @Override Http.Auth auth() { return basic; }


    @Override
    public List<DagRun> runs(String dagId, String state) {
        checkState(state);
        Map<String, List<String>> filters = state == null ? Map.of() : Map.of("state", List.of(state));
        // the list endpoint answers an empty page, not 404, for an unknown DAG: ask first
        onRun(dagId, null, () -> get(dagPath(dagId), Map.of()));
        return all(dagPath(dagId) + "/dagRuns", filters, "dag_runs", BaseClient::dagRun);
    }

    @Override
    public List<TaskInstance> tasks(String dagId, String runId) {
        return onRun(dagId, runId, () -> {
            get(runPath(dagId, runId), Map.of());   // an unknown run lists no tasks rather than 404
            return all(runPath(dagId, runId) + "/taskInstances", Map.of(), "task_instances", BaseClient::taskInstance);
        });
    }

    /**
     * {@code POST /dags/{dag}/clearTaskInstances} for this run only: failed and upstream-failed tasks,
     * {@code dry_run} false (the API's default is true, which only lists), and the run set back to running.
     */
    @Override
    public List<String> clear(String dagId, String runId) {
        return onRun(dagId, runId, () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dry_run", false);
            body.put("dag_run_id", runId);
            body.put("only_failed", true);
            body.put("reset_dag_runs", true);
            JsonNode r = http.json("POST", api(dagPath(dagId) + "/clearTaskInstances"), body, basic);
            List<String> ids = new ArrayList<>();
            for (JsonNode t : r.path("task_instances")) ids.add(t.path("task_id").asText());
            return ids;
        });
    }

    /**
     * Airflow 2 has no backfill endpoint: one manual run per day (or month), its id naming the date, with
     * that day's (month's) data interval; dates that have a run are left alone.
     */
    @Override
    public BackfillResult backfill(String dagId, LocalDate from, LocalDate to, ZoneId zone, boolean byMonth) {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        List<BackfillResult.Entry> entries = new ArrayList<>();
        LocalDate start = byMonth ? from.withDayOfMonth(1) : from;
        for (LocalDate d = start; !d.isAfter(to); d = byMonth ? d.plusMonths(1) : d.plusDays(1)) {
            String logical = Rfc3339.format(Rfc3339.midnight(d, zone));
            String runId = "govind_backfill__" + logical;
            try {
                DagRun r = trigger(dagId, runId, null, Rfc3339.midnight(d, zone), byMonth ? Interval.month(d, zone) : Interval.day(d, zone));
                entries.add(new BackfillResult.Entry(logical, r.runId(), false));
            } catch (AirflowException e) {
                if (e.kind() != AirflowException.Kind.CONFLICT) throw e;
                entries.add(new BackfillResult.Entry(logical, runId, true));
            }
        }
        return new BackfillResult(null, Rfc3339.format(Rfc3339.midnight(from, zone)), Rfc3339.format(Rfc3339.midnight(to, zone)), entries);
    }
}
