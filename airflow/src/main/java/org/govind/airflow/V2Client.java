package org.govind.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Airflow 3's public REST API ({@code /api/v2}) with a bearer JWT from {@code POST /auth/token}.
 *
 * <p>The token is fetched on first use and again when it has expired: before a request when its
 * {@code exp} claim says so, and after a 401 otherwise (a long {@code wait} outlives a token).
 * Bodies are exactly the API's models, which forbid unknown keys (422 {@code extra_forbidden}).
 */
final class V2Client extends BaseClient {
    private final Http.Auth bearer = new Http.Auth() {
        @Override public String header(boolean renew) { return "Bearer " + token(renew); }
        @Override public boolean renewable() { return true; }
    };
    private String token;
    private long expiresAt = Long.MAX_VALUE;   // epoch seconds, from the token's exp claim when it has one
    private int logins;

    V2Client(Http http) { super(http); }

    @Override public ApiVersion api() { return ApiVersion.V2; }

    @Override Http.Auth auth() { return bearer; }

    /** How many tokens this client has fetched (tests check that an expired one was renewed). */
    int logins() { return logins; }

    private synchronized String token(boolean renew) {
        if (token == null || renew || Instant.now().getEpochSecond() >= expiresAt) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("username", http.options.user());
            body.put("password", http.options.password());
            JsonNode r = http.json("POST", "/auth/token", body, null);
            token = r.path("access_token").asText(null);
            if (token == null) throw new AirflowException(AirflowException.Kind.REJECTED,
                    "/auth/token 的回答里没有 access_token", "/auth/token answered without an access_token");
            expiresAt = expiry(token);
            logins++;
        }
        return token;
    }

    /** The exp claim of a JWT (seconds), or never when it has none or cannot be read. */
    static long expiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) return Long.MAX_VALUE;
        try {
            JsonNode claims = Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.has("exp") ? claims.get("exp").asLong() : Long.MAX_VALUE;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }


    @Override
    public List<DagRun> runs(String dagId, String state) {
        checkState(state);
        Map<String, List<String>> filters = state == null ? Map.of() : Map.of("state", List.of(state));
        return onRun(dagId, null, () -> all(dagPath(dagId) + "/dagRuns", filters, "dag_runs", BaseClient::dagRun));
    }

    @Override
    public List<TaskInstance> tasks(String dagId, String runId) {
        return onRun(dagId, runId, () -> all(runPath(dagId, runId) + "/taskInstances", Map.of(), "task_instances", BaseClient::taskInstance));
    }

    /**
     * A dry run first (it lists what would be cleared and changes nothing), then, when something
     * failed, the real clear with {@code dry_run} false: the API's default is a dry run.
     */
    @Override
    public List<String> clear(String dagId, String runId) {
        return onRun(dagId, runId, () -> {
            String path = api(runPath(dagId, runId) + "/clear");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dry_run", true);
            body.put("only_failed", true);
            List<String> ids = new ArrayList<>();
            for (JsonNode t : http.json("POST", path, body, bearer).path("task_instances")) ids.add(t.path("task_id").asText());
            if (ids.isEmpty()) return ids;
            body.put("dry_run", false);
            http.json("POST", path, body, bearer);
            return ids;
        });
    }

    /**
     * {@code POST /backfills}: Airflow schedules the runs. Dates whose run failed are run again
     * ({@code reprocess_behavior} failed) and one night runs at a time ({@code max_active_runs} 1),
     * because each night's ingest builds on the one before.
     */
    @Override
    public BackfillResult backfill(String dagId, LocalDate from, LocalDate to, ZoneId zone, boolean byMonth) {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dag_id", dagId);
        // Airflow picks the DAG's schedule slots whose logical date lies in [from_date, to_date], both included:
        // the whole local days from..to are [from 00:00, to+1 00:00 - 1 s] (a nightly slot at 03:00 of `to` is in)
        body.put("from_date", Rfc3339.format(Rfc3339.midnight(from, zone)));
        body.put("to_date", Rfc3339.format(Rfc3339.midnight(to.plusDays(1), zone).minusSeconds(1)));
        body.put("reprocess_behavior", "failed");
        body.put("max_active_runs", 1);
        try {
            JsonNode r = http.json("POST", api("/backfills"), body, bearer);
            return new BackfillResult(r.path("id").asLong(), text(r, "from_date"), text(r, "to_date"), List.of());
        } catch (AirflowException e) {
            if (e.kind() == AirflowException.Kind.NOT_FOUND) throw unknownDag(dagId);
            if (e.kind() == AirflowException.Kind.CONFLICT) throw new AirflowException(AirflowException.Kind.CONFLICT,
                    "DAG " + dagId + " 已有一个未完成的回填（" + e.zh() + "）。等它结束，或在 Airflow 中取消它",
                    "DAG " + dagId + " already has a backfill running (" + e.en() + "). Wait for it to end, or cancel it in Airflow", 409);
            throw e;
        }
    }
}
