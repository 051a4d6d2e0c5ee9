package org.govind.airflow;

/**
 * One DAG run as both APIs describe it. Dates are kept as the server wrote them (RFC 3339 text);
 * the run id is kept whole (scheduled ids contain {@code +} and {@code :}).
 */
public record DagRun(String dagId, String runId, String state, String logicalDate, String startDate, String endDate, String runType) {
    /** The four run states both APIs share. */
    public static final java.util.List<String> STATES = java.util.List.of("queued", "running", "success", "failed");

    /** success or failed: the run will not change any more unless it is cleared. */
    public boolean finished() { return "success".equals(state) || "failed".equals(state); }
}
