package org.govind.airflow;

/** One task instance of a run: which task, which try, and how it ended (state null: not scheduled yet). */
public record TaskInstance(String taskId, int mapIndex, String state, int tryNumber, String startDate, String endDate) {
    /** The state as printed: Airflow's null ("no status yet") becomes "none". */
    public String stateText() { return state == null ? "none" : state; }

    public boolean failed() { return "failed".equals(state) || "upstream_failed".equals(state); }
}
